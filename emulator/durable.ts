/**
 * Durable state for `--data FILE`: a JSON snapshot (`FILE`) plus an append-only journal of
 * record changes (`FILE.journal`), so a write costs what it changes, not the size of the state.
 *
 * - Every caller of `persist()` gets a promise that resolves once its change is on disk and
 *   fsync'ed. Writes go through one queue; the changes that arrive while a write is in flight are
 *   written together next (group commit: one fsync for all of them), in order.
 * - A commit appends one line to the journal (`[[vendor, collection, key, record?], ...]`, no
 *   record = delete) and fdatasyncs it. The journal's first line names the snapshot it extends
 *   (`{"format": "sip-trunks-emulator/journal-v1", "base": "<sha1 of FILE>"}`): a journal whose base
 *   is not the current FILE is stale (everything in it is in FILE) and is ignored.
 * - Compaction writes the whole state to `FILE.tmp`, fsyncs it, renames it over `FILE` and fsyncs
 *   the directory: that makes the journal stale in one atomic step. The next commit starts a new
 *   journal the same way (temp file with the header and the commit, fsync, rename, directory
 *   fsync). It happens when the journal would grow beyond `compactFactor` times the snapshot, when
 *   a change is not describable as records (a reset), after a failed write, and as every commit
 *   while the snapshot is smaller than `snapshotBelowBytes` (rewriting a small file costs about
 *   an append, and the file alone stays complete). A clean close compacts too.
 * - On load a torn last journal record (a crash in the middle of an append that was therefore
 *   never acknowledged) is ignored; a broken record before the last one stops start-up.
 * So a kill -9 between any two system calls leaves a FILE and journal that load to a state holding
 * every acknowledged write. FILE is always a plain JSON snapshot, as written by earlier versions.
 *
 * A lock file (`<file>.lock`, holding the owner's pid) keeps two emulators off one file; a lock
 * left by a dead process (kill -9) is taken over.
 */
import { createHash } from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";

/** Start-up refused because of the data file; the file was not modified. */
export class DataFileError extends Error {
  readonly file: string;
  constructor(file: string, message: string) {
    super(message);
    this.name = "DataFileError";
    this.file = file;
  }
}

export type LoadResult = { exists: false } | { exists: true; data: unknown };

/** The data file and the journal's changes after it (none when there is no valid journal for it). */
export type DurableLoadResult = { exists: false } | { exists: true; data: unknown; journal: JournalOp[] };

/** One record change in the journal: `record` absent = deleted. */
export interface JournalOp {
  vendor: string;
  collection: string;
  key: string;
  record?: unknown;
}

export interface DurableOptions {
  /**
   * The record changes since the last call (drained), or "full" when only a whole snapshot
   * describes them. Without it every commit writes a snapshot.
   */
  changes?: () => JournalOp[] | "full";
}

/** When the journal is used and compacted (module-wide; tests lower them). */
export const JOURNAL_TUNING = {
  /** While the last snapshot is smaller than this, every commit rewrites the snapshot instead of appending. */
  snapshotBelowBytes: 64 * 1024,
  /** Compact once the journal would exceed this many times the snapshot's size. */
  compactFactor: 2,
};

/** The steps of a write, in order, for {@link durableTestHooks}. */
export type DurableStep =
  | "snapshot:open"
  | "snapshot:write"
  | "snapshot:fsync"
  | "snapshot:rename"
  | "snapshot:dirsync"
  | "journal:new:open"
  | "journal:new:write"
  | "journal:new:fsync"
  | "journal:new:rename"
  | "journal:new:dirsync"
  | "journal:append:write"
  | "journal:append:fsync";

/**
 * Test seam: `beforeStep` runs before each step of every write; if it throws, that writer behaves
 * as a process killed right there: the step and everything after it never happen, every later
 * write fails, and `unlock()` leaves the lock file behind (to be taken over as a dead owner's).
 */
export const durableTestHooks: { beforeStep?: (step: DurableStep, file: string) => void } = {};

const JOURNAL_FORMAT = "sip-trunks-emulator/journal-v1";

const sha1 = (bytes: Buffer | string) => createHash("sha1").update(bytes).digest("hex");

function readDataFile(file: string): { exists: false } | { exists: true; bytes: Buffer; data: unknown } {
  let bytes: Buffer;
  try {
    bytes = fs.readFileSync(file);
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    if (err.code === "ENOENT") return { exists: false };
    throw new DataFileError(file, `cannot read data file ${file} (${err.code ?? err.message}); refusing to start, the file was left untouched`);
  }
  try {
    return { exists: true, bytes, data: JSON.parse(bytes.toString("utf8")) };
  } catch (e) {
    throw new DataFileError(
      file,
      `data file ${file} is not valid JSON (${(e as Error).message}); refusing to start so it is not overwritten. Fix or move it, or point --data at a new file`,
    );
  }
}

/** Reads and parses the file. Missing = `{ exists: false }`; unreadable or not JSON = DataFileError. */
export function loadJsonFile(file: string): LoadResult {
  const read = readDataFile(file);
  return read.exists ? { exists: true, data: read.data } : { exists: false };
}

/** Data files locked by emulators in this process (the pid in the lock file cannot tell them apart). */
const HELD_IN_PROCESS = new Set<string>();

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === "EPERM";
  }
}

class SimulatedCrash extends Error {}

export class DurableJsonFile {
  readonly file: string;
  readonly journalFile: string;
  private readonly tmp: string;
  private readonly journalTmp: string;
  private readonly lockFile: string;
  private requested = 0;
  private written = 0;
  private running = false;
  private waiters: Array<{ gen: number; resolve: () => void; reject: (e: Error) => void }> = [];
  private locked = false;
  private idle: Promise<void> = Promise.resolve();
  private resolveIdle: (() => void) | undefined;

  /** sha1 of FILE as last written or loaded (what a valid journal names as its base). */
  private snapshotHash: string | undefined;
  private snapshotBytes = 0;
  /** Top-level members of the last snapshot: a vendor without a section there is never journaled. */
  private sections = new Set<string>();
  /** The base the journal on disk was started for (≠ snapshotHash: stale, restart it before appending). */
  private journalBase: string | undefined;
  /** Bytes of records appended to the current journal. */
  private journalBytes = 0;
  private journal: fs.promises.FileHandle | undefined;
  /** The next write must be a snapshot (replayed journal, failed write). */
  private needSnapshot = false;
  /** A simulated crash happened (test seam): nothing more is written. */
  private dead = false;

  constructor(
    file: string,
    private readonly snapshot: () => unknown,
    private readonly options: DurableOptions = {},
  ) {
    this.file = path.resolve(file);
    this.tmp = `${this.file}.tmp`;
    this.journalFile = `${this.file}.journal`;
    this.journalTmp = `${this.file}.journal.tmp`;
    this.lockFile = `${this.file}.lock`;
  }

  /** Takes the lock file, or throws DataFileError when a live process holds it. */
  lock(): void {
    if (HELD_IN_PROCESS.has(this.file)) {
      throw new DataFileError(this.file, `data file ${this.file} is in use by process ${process.pid} (this process); one emulator per data file`);
    }
    for (let attempt = 0; attempt < 2; attempt++) {
      try {
        const fd = fs.openSync(this.lockFile, "wx");
        fs.writeSync(fd, String(process.pid));
        fs.closeSync(fd);
        this.locked = true;
        HELD_IN_PROCESS.add(this.file);
        return;
      } catch (e) {
        const err = e as NodeJS.ErrnoException;
        if (err.code === "ENOENT") throw new DataFileError(this.file, `cannot create data file in ${path.dirname(this.file)}: the directory does not exist`);
        if (err.code !== "EEXIST") throw new DataFileError(this.file, `cannot lock data file ${this.file} (${err.code ?? err.message})`);
        const owner = Number(fs.readFileSync(this.lockFile, "utf8").trim());
        if (Number.isInteger(owner) && owner > 0 && owner !== process.pid && pidAlive(owner)) {
          // Another live process holds it. (Our own pid here means a lock left by an unclean close.)
          throw new DataFileError(this.file, `data file ${this.file} is in use by process ${owner} (lock ${this.lockFile}); one emulator per data file`);
        }
        fs.rmSync(this.lockFile, { force: true }); // stale (owner died), or ours from an unclean close
      }
    }
    throw new DataFileError(this.file, `cannot lock data file ${this.file}`);
  }

  /**
   * Compacts (a clean close leaves a complete FILE), closes the journal and releases the lock.
   * Call once no write is running (after `whenIdle()`).
   */
  unlock(): void {
    if (!this.locked) return;
    this.locked = false;
    HELD_IN_PROCESS.delete(this.file);
    if (!this.dead && !this.running && this.journalBytes > 0) {
      try {
        this.writeNowSync();
      } catch {
        /* the journal still holds every change */
      }
    }
    const journal = this.journal;
    this.journal = undefined;
    journal?.close().catch(() => undefined);
    if (this.dead) return; // a "killed" writer leaves its lock behind, as a dead process does
    try {
      const owner = Number(fs.readFileSync(this.lockFile, "utf8").trim());
      if (owner === process.pid) fs.rmSync(this.lockFile, { force: true });
    } catch {
      /* already gone */
    }
  }

  /**
   * Reads FILE and the journal records that follow it. Missing FILE = `{ exists: false }` (a
   * journal without its snapshot is ignored); unreadable or not JSON, or a journal broken before
   * its last record = DataFileError. Once replayed, the first write is a snapshot.
   */
  load(): DurableLoadResult {
    const read = readDataFile(this.file);
    if (!read.exists) return { exists: false };
    this.snapshotHash = sha1(read.bytes);
    this.snapshotBytes = read.bytes.length;
    this.sections = new Set(typeof read.data === "object" && read.data !== null ? Object.keys(read.data) : []);
    const journal = this.readJournal(this.snapshotHash);
    if (journal.length > 0) this.needSnapshot = true;
    return { exists: true, data: read.data, journal };
  }

  private readJournal(base: string): JournalOp[] {
    let text: string;
    try {
      text = fs.readFileSync(this.journalFile, "utf8");
    } catch (e) {
      const err = e as NodeJS.ErrnoException;
      if (err.code === "ENOENT") return [];
      throw new DataFileError(this.file, `cannot read journal ${this.journalFile} of data file ${this.file} (${err.code ?? err.message}); refusing to start, the files were left untouched`);
    }
    const corrupt = (what: string) =>
      new DataFileError(
        this.file,
        `journal ${this.journalFile} of data file ${this.file} is corrupt (${what}); refusing to start so it is not overwritten. Fix or move it, or point --data at a new file`,
      );
    // Every record ends with "\n"; what follows the last one is a torn append, never acknowledged.
    const lines = text.split("\n").slice(0, -1);
    if (lines.length === 0) return [];
    let header: unknown;
    try {
      header = JSON.parse(lines[0]);
    } catch (e) {
      throw corrupt(`header: ${(e as Error).message}`);
    }
    const h = header as { format?: unknown; base?: unknown };
    if (typeof header !== "object" || header === null || h.format !== JOURNAL_FORMAT || typeof h.base !== "string") throw corrupt("header: not a journal header");
    if (h.base !== base) return []; // stale: it extends an earlier snapshot, which FILE already supersedes
    const ops: JournalOp[] = [];
    for (let i = 1; i < lines.length; i++) {
      let batch: unknown;
      try {
        batch = JSON.parse(lines[i]);
      } catch (e) {
        if (i === lines.length - 1) break; // a torn last record
        throw corrupt(`record ${i}: ${(e as Error).message}`);
      }
      if (!Array.isArray(batch)) throw corrupt(`record ${i}: not an array`);
      for (const op of batch as unknown[]) {
        const ok =
          Array.isArray(op) &&
          (op.length === 3 || (op.length === 4 && typeof op[3] === "object" && op[3] !== null && !Array.isArray(op[3]))) &&
          op.slice(0, 3).every((x: unknown) => typeof x === "string");
        if (!ok) throw corrupt(`record ${i}: ${JSON.stringify(op)?.slice(0, 100)} is not [vendor, collection, key, record?]`);
        const [vendor, collection, key, record] = op as [string, string, string, unknown];
        ops.push(op.length === 4 ? { vendor, collection, key, record } : { vendor, collection, key });
      }
    }
    return ops;
  }

  /** Asks for the current state to be written; resolves when it (or a later state) is durable. */
  persist(): Promise<void> {
    const gen = ++this.requested;
    const promise = new Promise<void>((resolve, reject) => this.waiters.push({ gen, resolve, reject }));
    if (!this.running) void this.drain();
    return promise;
  }

  /** Resolves when no write is queued or running. */
  whenIdle(): Promise<void> {
    return this.running ? this.idle : Promise.resolve();
  }

  /** Writes a snapshot synchronously (start-up before serving, replay, close). */
  writeNowSync(): void {
    this.options.changes?.(); // the snapshot holds them
    const { text, sections } = this.render();
    this.step("snapshot:open");
    const fd = fs.openSync(this.tmp, "w");
    try {
      this.step("snapshot:write");
      fs.writeSync(fd, text);
      this.step("snapshot:fsync");
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
    this.step("snapshot:rename");
    fs.renameSync(this.tmp, this.file);
    this.step("snapshot:dirsync");
    this.syncDirSync();
    this.snapshotWritten(text, sections);
  }

  private render(): { text: string; sections: Set<string> } {
    const state = this.snapshot();
    return { text: `${JSON.stringify(state, null, 2)}\n`, sections: new Set(typeof state === "object" && state !== null ? Object.keys(state) : []) };
  }

  private snapshotWritten(text: string, sections: Set<string>): void {
    const bytes = Buffer.from(text, "utf8");
    this.snapshotHash = sha1(bytes);
    this.snapshotBytes = bytes.length;
    this.sections = sections;
    this.journalBytes = 0; // the journal on disk is stale now
    this.needSnapshot = false;
  }

  private async drain(): Promise<void> {
    this.running = true;
    this.idle = new Promise<void>((r) => (this.resolveIdle = r));
    try {
      while (this.written < this.requested) {
        const gen = this.requested;
        try {
          if (this.dead) throw new Error(`data file ${this.file}: writer stopped (simulated crash)`);
          await this.commit(this.options.changes ? this.options.changes() : "full");
          this.written = gen;
          this.settle(gen, undefined);
        } catch (e) {
          if (e instanceof SimulatedCrash) this.dead = true;
          this.needSnapshot = true; // what this write held is in memory only: the next write is a whole snapshot
          this.written = gen; // these changes are not durable; their requests get the error
          this.settle(gen, e as Error);
        }
      }
    } finally {
      this.running = false;
      this.resolveIdle?.();
    }
  }

  /** One group commit: a journal append, or a snapshot when that is due. Decided synchronously. */
  private async commit(changes: JournalOp[] | "full"): Promise<void> {
    if (changes !== "full" && changes.length === 0 && !this.needSnapshot) return; // nothing new to make durable
    let line: string | undefined;
    if (changes !== "full" && !this.needSnapshot && this.snapshotBytes >= JOURNAL_TUNING.snapshotBelowBytes && changes.every((op) => this.sections.has(op.vendor))) {
      line = `${JSON.stringify(changes.map((op) => (op.record === undefined ? [op.vendor, op.collection, op.key] : [op.vendor, op.collection, op.key, op.record])))}\n`;
      if (this.journalBytes + line.length > JOURNAL_TUNING.compactFactor * this.snapshotBytes) line = undefined;
    }
    if (line === undefined) {
      const { text, sections } = this.render();
      await this.writeSnapshot(text);
      this.snapshotWritten(text, sections);
    } else {
      await this.append(line);
    }
  }

  private step(name: DurableStep): void {
    try {
      durableTestHooks.beforeStep?.(name, this.file);
    } catch (e) {
      this.dead = true;
      throw new SimulatedCrash(`simulated crash before ${name}: ${(e as Error).message}`);
    }
  }

  private async writeSnapshot(text: string): Promise<void> {
    this.step("snapshot:open");
    const handle = await fs.promises.open(this.tmp, "w");
    try {
      this.step("snapshot:write");
      await handle.writeFile(text, "utf8");
      this.step("snapshot:fsync");
      await handle.sync();
    } finally {
      await handle.close();
    }
    this.step("snapshot:rename");
    await fs.promises.rename(this.tmp, this.file);
    this.step("snapshot:dirsync");
    await this.syncDir();
  }

  private async append(line: string): Promise<void> {
    if (this.journal === undefined || this.journalBase !== this.snapshotHash) {
      // A new journal for the current snapshot, holding this commit: replaces the stale one atomically.
      const old = this.journal;
      this.journal = undefined;
      await old?.close().catch(() => undefined);
      const header = `${JSON.stringify({ format: JOURNAL_FORMAT, base: this.snapshotHash })}\n`;
      this.step("journal:new:open");
      const handle = await fs.promises.open(this.journalTmp, "w");
      try {
        this.step("journal:new:write");
        await handle.writeFile(header + line, "utf8");
        this.step("journal:new:fsync");
        await handle.sync();
      } finally {
        await handle.close();
      }
      this.step("journal:new:rename");
      await fs.promises.rename(this.journalTmp, this.journalFile);
      this.step("journal:new:dirsync");
      await this.syncDir();
      this.journal = await fs.promises.open(this.journalFile, "a");
      this.journalBase = this.snapshotHash;
      this.journalBytes = line.length;
      return;
    }
    const bytes = Buffer.from(line, "utf8");
    this.step("journal:append:write");
    for (let off = 0; off < bytes.length; ) off += (await this.journal.write(bytes, off, bytes.length - off)).bytesWritten;
    this.step("journal:append:fsync");
    await this.journal.datasync();
    // An append to a journal someone deleted (or whose directory went) reaches nothing durable.
    if ((await this.journal.stat()).nlink === 0) throw new Error(`journal ${this.journalFile} was deleted`);
    this.journalBytes += line.length;
  }

  private settle(gen: number, error: Error | undefined): void {
    const done = this.waiters.filter((w) => w.gen <= gen);
    this.waiters = this.waiters.filter((w) => w.gen > gen);
    for (const w of done) (error ? w.reject(error) : w.resolve());
  }

  private async syncDir(): Promise<void> {
    let dir: fs.promises.FileHandle | undefined;
    try {
      dir = await fs.promises.open(path.dirname(this.file), "r");
      await dir.sync();
    } catch {
      /* not supported on every platform (Windows); the rename is still atomic */
    } finally {
      await dir?.close();
    }
  }

  private syncDirSync(): void {
    try {
      const fd = fs.openSync(path.dirname(this.file), "r");
      try {
        fs.fsyncSync(fd);
      } finally {
        fs.closeSync(fd);
      }
    } catch {
      /* see syncDir */
    }
  }
}
