/**
 * Creates whose outcome never reached the engine, remembered across processes, so that the next
 * run adopts what they made instead of making it twice.
 *
 * When `pulumi up` is killed (kill -9, a CI job cancelled, a laptop closed) while creates are in
 * flight, the vendor may already hold the new resources while the stack records only pending
 * creates. The next `up` asks for each of them again. Every create therefore leaves a small file
 * here before it sends anything, and removes it once its outcome is known and the engine is still
 * there to record it. A file left by a process that is gone, or by one whose engine went away
 * (its parent process changed), marks a create that may have happened: the next create of the
 * same resource (same vendor resource and name) first looks for it with the vendor's own
 * reconciliation search, and adopts what it finds. No call is added in the normal case.
 *
 * Files: `$XDG_CACHE_HOME/pulumi-sip-trunks/creates/` (else `~/.cache/…`, else the temp
 * directory), one per create, named by a digest of resource and name, holding process ids and
 * times only. `SIP_TRUNKS_CREATE_JOURNAL=0` turns it off, a path moves it. Any problem with the
 * directory turns it off for the process; a create never fails because of it. Files older than a
 * day are removed.
 */
import { createHash } from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import { cacheDirs, pidAlive } from "./cache-dir";

export const CREATE_JOURNAL_ENV = "SIP_TRUNKS_CREATE_JOURNAL";
const FORGET_AFTER_MS = 24 * 60 * 60 * 1000;

export interface JournalEntry {
  file: string;
  pid: number;
  /** When the create started (ms since the epoch): the reconciliation search looks from here. */
  startedAt: number;
  /** The process finished the create after its engine was gone: nobody recorded the outcome. */
  engineGone?: boolean;
}

interface Stored {
  pid: number;
  /** The engine that would record the outcome. */
  engine?: number;
  startedAt: number;
  /** The vendor answered: the engine got the outcome, but may have died before recording it. */
  done?: boolean;
  /** The resource the answer named. */
  id?: string;
  engineGone?: boolean;
}



/**
 * The engine this process serves: its parent, or the parent's parent when the parent is a shell
 * (the CLI starts the dynamic provider host through a `/bin/sh` wrapper that outlives it). Linux
 * tells through /proc; elsewhere the parent is taken.
 */
function engineProcess(): number {
  const parent = process.ppid;
  try {
    if (/^(sh|bash|dash|ash|zsh)$/.test(fs.readFileSync(`/proc/${parent}/comm`, "utf8").trim())) {
      const stat = fs.readFileSync(`/proc/${parent}/stat`, "utf8");
      const grandparent = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
      if (Number.isInteger(grandparent) && grandparent > 1) return grandparent;
    }
  } catch {
    // no /proc: the parent it is
  }
  return parent;
}

export class CreateJournal {
  private seq = 0;
  /** Ids this process adopted from the journal (two lost creates of one name are two different resources). */
  readonly claimed = new Set<string>();
  /** Answered creates of this process, kept until the engine ends it normally (then it has recorded them). */
  private readonly answered = new Set<string>();
  private handlerInstalled = false;
  /** Entry files of other processes, listed at the first confirm. */
  private leftBehind?: string[];

  private readonly parent = process.ppid;

  /** `engine`: the process that records outcomes (the Pulumi engine that started this provider). */
  private constructor(
    readonly dir: string,
    private readonly engine: number,
  ) {}

  /** The journal in effect, or `undefined` when it is off or no directory is usable. */
  static open(env: NodeJS.ProcessEnv = process.env, engine: number = engineProcess()): CreateJournal | undefined {
    for (const dir of cacheDirs(CREATE_JOURNAL_ENV, "creates", env) ?? []) {
      try {
        fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
        fs.accessSync(dir, fs.constants.W_OK | fs.constants.R_OK);
        const journal = new CreateJournal(dir, engine);
        journal.sweep(Date.now());
        return journal;
      } catch {
        // the next candidate
      }
    }
    return undefined;
  }

  static key(resource: string, label: string): string {
    return createHash("sha256").update(`${resource}\0${label}`).digest("hex").slice(0, 32);
  }

  /** Records a create about to be sent; returns its file (undefined when the journal cannot be written). */
  begin(key: string, startedAt: number): string | undefined {
    const file = path.join(this.dir, `${key}.${process.pid}.${++this.seq}.json`);
    try {
      this.write(file, { pid: process.pid, engine: this.engine, startedAt });
      this.installShutdownHandler();
      return file;
    } catch {
      return undefined;
    }
  }

  /**
   * The create's outcome is known. A definite failure made nothing: forgotten. An answer stays journaled
   * until the engine ends this process normally (it interrupts its plugins once it has recorded
   * every outcome): a kill before that may have lost the answer on its way into the stack. If the
   * engine is gone already, the entry says so.
   */
  end(file: string | undefined, outcome: "answered" | "failed" | "unknown" = "answered", id?: string): void {
    if (!file) return;
    try {
      if (outcome === "failed") {
        fs.rmSync(file, { force: true });
        return;
      }
      // Unknown (the vendor may have created it): stays as it is, lost once this process is gone.
      if (outcome === "unknown") return;
      const entry = JSON.parse(fs.readFileSync(file, "utf8")) as Stored;
      if (this.engineGone()) this.write(file, { ...entry, done: true, engineGone: true, id });
      else {
        this.write(file, { ...entry, done: true, id });
        this.answered.add(file);
      }
    } catch {
      // nothing more to do
    }
  }

  /** Creates of this key whose outcome may never have been recorded (their process or engine is gone), oldest first. */
  lost(key: string): JournalEntry[] {
    const found: JournalEntry[] = [];
    let names: string[] = [];
    try {
      names = fs.readdirSync(this.dir).filter((n) => n.startsWith(`${key}.`) && n.endsWith(".json"));
    } catch {
      return [];
    }
    for (const name of names) {
      const file = path.join(this.dir, name);
      try {
        const entry = JSON.parse(fs.readFileSync(file, "utf8")) as Stored;
        if (entry.pid === process.pid) continue;
        const gone = entry.engineGone === true || !pidAlive(entry.pid) || (entry.engine !== undefined && !pidAlive(entry.engine));
        if (gone) found.push({ file, pid: entry.pid, startedAt: entry.startedAt, engineGone: entry.engineGone });
      } catch {
        // torn or foreign: not a create we can reason about
      }
    }
    return found.sort((a, b) => a.startedAt - b.startedAt);
  }

  /**
   * The engine knows resource `id` (it asks about it by id: a diff, a refresh, a delete): an
   * answered create of it that a killed run left is recorded after all, and is forgotten. Only
   * entries of other processes present when this one first asked can be such: the directory is
   * listed once per process, not once per resource of a preview.
   */
  confirm(key: string, id: string): void {
    if (!this.leftBehind) {
      try {
        this.leftBehind = fs.readdirSync(this.dir).filter((n) => n.endsWith(".json") && !n.includes(`.${process.pid}.`));
      } catch {
        this.leftBehind = [];
      }
    }
    if (this.leftBehind.length === 0) return;
    const names = this.leftBehind.filter((n) => n.startsWith(`${key}.`));
    for (const name of names) {
      const file = path.join(this.dir, name);
      try {
        if ((JSON.parse(fs.readFileSync(file, "utf8")) as Stored).id === id) fs.rmSync(file, { force: true });
      } catch {
        // torn or gone
      }
    }
  }

  forget(entry: JournalEntry): void {
    try {
      fs.rmSync(entry.file, { force: true });
    } catch {
      // already gone
    }
  }

  /**
   * The engine ends its plugins with SIGINT (SIGTERM elsewhere), after recording every outcome:
   * then this process's answered creates are safe in the stack and are forgotten. The signal is
   * then raised again, so the process ends as it would have.
   */
  private installShutdownHandler(): void {
    if (this.handlerInstalled) return;
    this.handlerInstalled = true;
    const onSignal = (signal: NodeJS.Signals) => {
      process.removeListener("SIGINT", onSignal);
      process.removeListener("SIGTERM", onSignal);
      // The engine interrupts its plugins once everything is recorded (its wrapper may be gone by now).
      this.settle(true);
      process.kill(process.pid, signal);
    };
    process.on("SIGINT", onSignal);
    process.on("SIGTERM", onSignal);
    process.once("exit", () => this.settle());
  }

  /** Forgets this process's answered creates, if the engine that recorded them is still there (or `recorded` says so). */
  settle(recorded = false): void {
    if (!recorded && this.engineGone()) return;
    for (const file of this.answered) {
      try {
        fs.rmSync(file, { force: true });
      } catch {
        // gone already
      }
    }
    this.answered.clear();
  }

  private write(file: string, entry: Stored): void {
    fs.writeFileSync(file, JSON.stringify(entry), { mode: 0o600 });
  }

  private engineGone(): boolean {
    return process.ppid !== this.parent || !pidAlive(this.engine);
  }

  private sweep(now: number): void {
    try {
      for (const name of fs.readdirSync(this.dir)) {
        const file = path.join(this.dir, name);
        try {
          if (now - fs.statSync(file).mtimeMs > FORGET_AFTER_MS) fs.rmSync(file, { force: true });
        } catch {
          // gone meanwhile
        }
      }
    } catch {
      // nothing to tidy
    }
  }
}

let journal: CreateJournal | undefined | null = null;
/** The process's journal (opened once; `undefined` when off). */
export function createJournal(): CreateJournal | undefined {
  if (journal === null) journal = CreateJournal.open();
  return journal;
}
/** Tests: forget the process's journal so the next call opens it again (e.g. after changing the environment). */
export function resetCreateJournal(): void {
  journal = null;
}
