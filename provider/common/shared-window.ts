/**
 * The per-key request window shared by every provider host process on this machine.
 *
 * Pulumi starts a new provider host process for each pass of a command (`pulumi up` runs a
 * preview host, then an update host; the next command starts more), and each one has its own
 * in-process limiter (rate-limit.ts). Without sharing, a host that starts while another one has
 * just filled DIDWW's second (20 requests per key) sends its own 20 into it and collects 429s.
 * So the hosts also book every request in a small file per vendor and API key:
 *
 *   $SIP_TRUNKS_SHARED_RATE_LIMIT, when it is a directory path, else
 *   $XDG_CACHE_HOME/pulumi-sip-trunks/rate/, else ~/.cache/pulumi-sip-trunks/rate/,
 *   else <os.tmpdir()>/pulumi-sip-trunks-<uid>/rate/          (the first one that is writable)
 *     <first 32 hex digits of sha256(vendor + "\0" + apiKey)>.json        the window
 *     <same>.json.lock                                                     its lock
 *
 * The file holds `{"v":1,"slots":[[pid, seq, startMs, releasedMs], ...]}`: one entry per request
 * of the last second, by process id and a per-process sequence number, with its start time and
 * the time its response arrived (0 while it is in flight). Nothing else: never the key. A slot is
 * held from its start until one second after its response, the rule the in-process limiter keeps
 * (`SlidingWindowLimiter` in rate-limit.ts): a request may reach the vendor any time in between.
 * Times are `Date.now()`, the wall clock every process shares.
 *
 * A booking takes the lock (`open(…, "wx")`; a lock older than two seconds belongs to a process
 * that died holding it and is taken over), reads the file, drops what is over, books a slot if
 * fewer than the limit are held (else learns how long to wait), writes the file in place (only
 * lock holders read it; over the old text, then cut to length) and removes the lock: a few
 * synchronous calls. A release books the response time the same way, together with the
 * process's next booking when one follows at once. In-flight slots of a process that is gone
 * (kill -9) count as answered when that is noticed (held one more second); an in-flight slot
 * whose release was lost counts as answered a minute after its start. Files of keys unused for
 * ten minutes are removed when a process first uses the directory.
 *
 * `SIP_TRUNKS_SHARED_RATE_LIMIT=0` (or `false`, `off`, `no`) turns sharing off. When the file
 * cannot be used (no writable directory, an I/O error), the process goes on with its in-process
 * limiter alone: sharing never makes a request fail. `NODE_DEBUG=sip-trunks` shows why, once.
 */
import { createHash } from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import { debuglog } from "node:util";
import { cacheDirs, pidAlive } from "./cache-dir";

/** The environment variable that turns sharing off (`0`) or names the directory of the files. */
export const SHARED_RATE_LIMIT_ENV = "SIP_TRUNKS_SHARED_RATE_LIMIT";

const debug = debuglog("sip-trunks");
let noted = false;

/** Logs (with NODE_DEBUG=sip-trunks) why sharing is off, once per process. */
function noteOnce(message: string): void {
  if (noted) return;
  noted = true;
  debug(`shared rate limit off, the in-process limiter alone is used: ${message}`);
}

/** Where sharing is configured to go: `undefined` when it is off, else the candidate directories in order. */
export function sharedRateDirs(env: NodeJS.ProcessEnv = process.env): string[] | undefined {
  return cacheDirs(SHARED_RATE_LIMIT_ENV, "rate", env);
}

const usableDirs = new Map<string, string | null>();

/**
 * The directory of the window files in effect (created if needed), or `undefined` when sharing
 * is off or no candidate is writable. Decided once per process and setting.
 */
export function sharedRateDir(env: NodeJS.ProcessEnv = process.env): string | undefined {
  const candidates = sharedRateDirs(env);
  if (!candidates) return undefined;
  const id = candidates.join("\0");
  if (!usableDirs.has(id)) {
    let found: string | null = null;
    const problems: string[] = [];
    for (const dir of candidates) {
      try {
        fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
        fs.accessSync(dir, fs.constants.W_OK | fs.constants.R_OK);
        found = dir;
        break;
      } catch (err) {
        problems.push(`${dir}: ${(err as NodeJS.ErrnoException).code ?? String(err)}`);
      }
    }
    if (!found) noteOnce(`no writable directory (${problems.join("; ")})`);
    else sweep(found, Date.now());
    usableDirs.set(id, found);
  }
  return usableDirs.get(id) ?? undefined;
}

/** Files untouched this long hold nothing that counts any more (every slot's lease and tail are over). */
const FORGOTTEN_MS = 10 * 60_000;

/** Removes window files (and leftover temp files) of keys not used for a while: once per process and directory. */
export function sweep(dir: string, now: number): void {
  try {
    for (const name of fs.readdirSync(dir)) {
      if (!/^[0-9a-f]{32}\.json(\.\d+\.tmp)?$/.test(name)) continue;
      const file = path.join(dir, name);
      try {
        if (now - fs.statSync(file).mtimeMs > FORGOTTEN_MS) fs.rmSync(file, { force: true });
      } catch {
        // gone meanwhile, or not ours to remove
      }
    }
  } catch {
    // nothing to tidy
  }
}

/** The window file of one vendor and API key in `dir`; its name is a digest, never the key. */
export function windowFile(dir: string, vendor: string, apiKey: string): string {
  return path.join(dir, `${createHash("sha256").update(`${vendor}\0${apiKey}`).digest("hex").slice(0, 32)}.json`);
}

/** What {@link SharedWindow.reserve} answers. */
export type Reservation =
  /** A slot is booked; call `release` when the request's response (or failure) arrived. */
  | { kind: "granted"; release: () => void }
  /** The shared window is full: try again in `ms`. */
  | { kind: "wait"; ms: number }
  /** The file cannot be used: go on without it. */
  | { kind: "off" };

export interface SharedWindowOptions {
  /** Wall clock shared by all processes (default `Date.now`). */
  now?: () => number;
  /** A lock file older than this belongs to a process that died holding it (default 2000 ms; a lock is held for well under a millisecond). */
  staleLockMs?: number;
  /** How long one booking waits for the lock before going on without the file this once (default 3000 ms). */
  lockWaitMs?: number;
  /** An in-flight slot is given up this long after its start, its release having been lost (default 60 s). */
  inFlightLeaseMs?: number;
  /** This process's id as written in the file (default `process.pid`). */
  pid?: number;
  /** Whether the process with this id is running (default: `process.kill(pid, 0)`). */
  isAlive?: (pid: number) => boolean;
}

/** [pid, seq, startMs, releasedMs or 0 while in flight] */
type Slot = [number, number, number, number];

/** Unique per process, across every window, so two windows in one process never confuse slots. */
let nextSeq = 1;

const defaultIsAlive = pidAlive;

const pause = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/**
 * One vendor and API key's window in a file, at most `perSecond` slots held at once across all
 * processes that use the file. Never throws: trouble with the file turns it off for this process.
 */
export class SharedWindow {
  private readonly lockPath: string;
  private readonly now: () => number;
  private readonly staleLockMs: number;
  private readonly lockWaitMs: number;
  private readonly leaseMs: number;
  private readonly pid: number;
  private readonly isAlive: (pid: number) => boolean;
  private broken = false;
  /** Answers not yet written: slot sequence number → time of the answer. */
  private readonly answered = new Map<number, number>();
  private flushing = false;

  constructor(
    readonly file: string,
    readonly perSecond: number,
    options: SharedWindowOptions = {},
  ) {
    this.lockPath = `${file}.lock`;
    this.now = options.now ?? Date.now;
    this.staleLockMs = options.staleLockMs ?? 2000;
    this.lockWaitMs = options.lockWaitMs ?? 3000;
    this.leaseMs = options.inFlightLeaseMs ?? 60_000;
    this.pid = options.pid ?? process.pid;
    this.isAlive = options.isAlive ?? defaultIsAlive;
  }

  /** Whether the file was given up on in this process. */
  get off(): boolean {
    return this.broken;
  }

  /** Books a slot now if the shared window has room, else says how long to wait. */
  async reserve(): Promise<Reservation> {
    if (this.broken) return { kind: "off" };
    const seq = nextSeq++;
    let answer: Reservation = { kind: "off" };
    const locked = await this.withLock((slots, now) => {
      if (slots.length < this.perSecond) {
        slots.push([this.pid, seq, now, 0]);
        answer = { kind: "granted", release: () => this.release(seq) };
        return true;
      }
      // Full: the first tail to end frees a slot; with every slot in flight, look again soon.
      const ends = slots.filter((s) => s[3] !== 0).map((s) => s[3] + 1000);
      answer = { kind: "wait", ms: ends.length ? Math.max(1, Math.min(...ends) - now + 1) : 50 };
      return false;
    });
    return locked ? answer : { kind: "off" };
  }

  /**
   * Marks the slot answered now: it is held one more second. Written with the next booking of
   * this process or, failing one, once the I/O callbacks of this turn of the event loop are done
   * (`setImmediate`): answers that arrive together, and an answer followed by the next request's
   * booking, cost one turn of the lock instead of one each. Until then other processes see the
   * slot in flight, which only makes them wait longer.
   */
  private release(seq: number): void {
    const releasedAt = this.now();
    if (this.broken) return;
    this.answered.set(seq, releasedAt);
    if (this.flushing) return;
    this.flushing = true;
    setImmediate(() => {
      this.flushing = false;
      if (this.answered.size) void this.withLock(() => false);
    });
  }

  /** Writes the answers of {@link release} into the slots (this process's, still in flight). */
  private settleAnswered(slots: Slot[]): boolean {
    if (this.answered.size === 0) return false;
    let changed = false;
    for (const slot of slots) {
      const at = slot[0] === this.pid && slot[3] === 0 ? this.answered.get(slot[1]) : undefined;
      if (at === undefined) continue;
      slot[3] = at;
      changed = true;
    }
    this.answered.clear();
    return changed;
  }

  /**
   * Runs `update` on the pruned slots under the lock and writes them back when it returns true
   * (or pruning changed them). Resolves false when the lock could not be had in time or the file
   * failed (then the window is off for good).
   */
  private async withLock(update: (slots: Slot[], now: number) => boolean): Promise<boolean> {
    const deadline = this.now() + this.lockWaitMs;
    for (;;) {
      if (this.broken) return false;
      let got: boolean;
      try {
        got = this.tryLock();
      } catch (err) {
        this.fail("lock", err);
        return false;
      }
      if (got) {
        try {
          const now = this.now();
          const { slots, changed } = this.prune(this.read(), now);
          const settled = this.settleAnswered(slots);
          if (update(slots, now) || changed || settled) this.write(slots);
          return true;
        } catch (err) {
          this.fail("update", err);
          return false;
        } finally {
          try {
            fs.unlinkSync(this.lockPath);
          } catch (err) {
            // ENOENT: taken over as stale while we held it (we stalled that long); nothing to undo
            if ((err as NodeJS.ErrnoException).code !== "ENOENT") this.fail("unlock", err);
          }
        }
      }
      if (this.now() >= deadline) return false; // busy for too long: without the file, this once
      await pause(1 + Math.floor(Math.random() * 3));
    }
  }

  /** Creates the lock file; false when another process holds it. Takes over a stale one. */
  private tryLock(): boolean {
    try {
      fs.closeSync(fs.openSync(this.lockPath, "wx", 0o600));
      return true;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== "EEXIST") throw err;
    }
    let mtime: number;
    try {
      mtime = fs.statSync(this.lockPath).mtimeMs;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === "ENOENT") return false; // just released: try again
      throw err;
    }
    if (this.now() - mtime <= this.staleLockMs) return false;
    // Stale: its holder died. Move it aside (one process wins the rename), then check that what
    // was moved is the stale lock and not one created meanwhile; put a fresh one back.
    const aside = `${this.lockPath}.${this.pid}.${nextSeq++}.stale`;
    try {
      fs.renameSync(this.lockPath, aside);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === "ENOENT") return false;
      throw err;
    }
    try {
      if (this.now() - fs.statSync(aside).mtimeMs <= this.staleLockMs) {
        try {
          fs.linkSync(aside, this.lockPath);
        } catch {
          // someone holds a new lock already; theirs stands
        }
      }
    } finally {
      fs.rmSync(aside, { force: true });
    }
    return false; // try again, now that the stale lock is gone
  }

  private read(): Slot[] {
    let text: string;
    try {
      text = fs.readFileSync(this.file, "utf8");
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === "ENOENT") return [];
      throw err;
    }
    try {
      const parsed = JSON.parse(text) as { v?: unknown; slots?: unknown };
      if (parsed.v !== 1 || !Array.isArray(parsed.slots)) return [];
      return parsed.slots.filter((s): s is Slot => Array.isArray(s) && s.length === 4 && s.every((n) => typeof n === "number" && Number.isFinite(n)));
    } catch {
      return []; // unreadable (an older format, a torn write): start over
    }
  }

  private write(slots: Slot[]): void {
    if (slots.length === 0) {
      fs.rmSync(this.file, { force: true }); // nothing held: no file left behind
      return;
    }
    // In place: every reader holds the lock, so none sees a half-written file; one torn by a crash
    // is read as empty (start over). Written over the old text and then cut to length, never
    // truncated first: on ext4 a file truncated to zero and rewritten is flushed to disk at close
    // (470 µs a write against 14 µs here), and a temp file with a rename costs more still.
    const text = Buffer.from(JSON.stringify({ v: 1, slots }));
    const fd = fs.openSync(this.file, fs.constants.O_RDWR | fs.constants.O_CREAT, 0o600);
    try {
      fs.writeSync(fd, text, 0, text.length, 0);
      fs.ftruncateSync(fd, text.length);
    } finally {
      fs.closeSync(fd);
    }
  }

  /** Drops the slots whose second is over; ends the in-flight slots of dead processes and old ones. */
  private prune(all: Slot[], now: number): { slots: Slot[]; changed: boolean } {
    let changed = false;
    const alive = new Map<number, boolean>();
    const slots: Slot[] = [];
    for (const slot of all) {
      const [pid, , start, released] = slot;
      if (released === 0) {
        if (now - start >= this.leaseMs) {
          slot[3] = start + this.leaseMs; // its release was lost: answered at the latest then
          changed = true;
        } else if (start - now >= this.leaseMs) {
          slot[3] = now; // the clock jumped back: hold it one more second
          changed = true;
        } else if (pid !== this.pid) {
          if (!alive.has(pid)) alive.set(pid, this.isAlive(pid));
          if (!alive.get(pid)) {
            slot[3] = now;
            changed = true;
          }
        }
      } else if (released > now) {
        slot[3] = now; // the clock stepped back: no slot is held past a second from now
        changed = true;
      }
      if (slot[3] !== 0 && slot[3] + 1000 <= now) {
        changed = true;
        continue;
      }
      slots.push(slot);
    }
    return { slots, changed };
  }

  private fail(step: string, err: unknown): void {
    this.broken = true;
    noteOnce(`${step} of ${path.basename(this.file)} failed: ${(err as NodeJS.ErrnoException).code ?? String(err)}`);
  }
}
