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

const candidateDirs = (env: NodeJS.ProcessEnv) => cacheDirs(CREATE_JOURNAL_ENV, "creates", env);
const alive = pidAlive;

export class CreateJournal {
  private seq = 0;
  /** Ids this process adopted from the journal (two lost creates of one name are two different resources). */
  readonly claimed = new Set<string>();

  /** `engine`: the process that records outcomes (the parent: the Pulumi engine that started this provider). */
  private constructor(
    readonly dir: string,
    private readonly engine: number,
  ) {}

  /** The journal in effect, or `undefined` when it is off or no directory is usable. */
  static open(env: NodeJS.ProcessEnv = process.env, engine: number = process.ppid): CreateJournal | undefined {
    for (const dir of candidateDirs(env) ?? []) {
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
      fs.writeFileSync(file, JSON.stringify({ pid: process.pid, startedAt }), { mode: 0o600 });
      return file;
    } catch {
      return undefined;
    }
  }

  /** The create's outcome is known: forget it, unless the engine that would record it is gone. */
  end(file: string | undefined): void {
    if (!file) return;
    try {
      if (this.engineGone()) {
        const entry = JSON.parse(fs.readFileSync(file, "utf8")) as { pid: number; startedAt: number };
        fs.writeFileSync(file, JSON.stringify({ ...entry, engineGone: true }), { mode: 0o600 });
      } else {
        fs.rmSync(file, { force: true });
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
        const entry = JSON.parse(fs.readFileSync(file, "utf8")) as { pid: number; startedAt: number; engineGone?: boolean };
        if (entry.pid === process.pid) continue;
        if (entry.engineGone || !alive(entry.pid)) found.push({ file, pid: entry.pid, startedAt: entry.startedAt, engineGone: entry.engineGone });
      } catch {
        // torn or foreign: not a create we can reason about
      }
    }
    return found.sort((a, b) => a.startedAt - b.startedAt);
  }

  forget(entry: JournalEntry): void {
    try {
      fs.rmSync(entry.file, { force: true });
    } catch {
      // already gone
    }
  }

  private engineGone(): boolean {
    return process.ppid !== this.engine || !alive(this.engine);
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
