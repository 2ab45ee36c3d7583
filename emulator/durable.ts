/**
 * Atomic JSON file persistence: every write goes to a temporary file in the same directory, is
 * fsync'ed, renamed over the target and the directory is fsync'ed, so after a crash (kill -9,
 * power loss) the file holds either the previous or the new state, never a mix.
 *
 * Writes go through one queue. Each caller gets a promise that resolves once a snapshot taken
 * *after* its change is on disk; concurrent changes share one write (coalescing), and the order
 * of snapshots is the order of changes.
 *
 * A lock file (`<file>.lock`, holding the owner's pid) keeps two emulators off one file; a lock
 * left by a dead process (kill -9) is taken over.
 */
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

/** Reads and parses the file. Missing = `{ exists: false }`; unreadable or not JSON = DataFileError. */
export function loadJsonFile(file: string): LoadResult {
  let text: string;
  try {
    text = fs.readFileSync(file, "utf8");
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    if (err.code === "ENOENT") return { exists: false };
    throw new DataFileError(file, `cannot read data file ${file} (${err.code ?? err.message}); refusing to start, the file was left untouched`);
  }
  try {
    return { exists: true, data: JSON.parse(text) };
  } catch (e) {
    throw new DataFileError(
      file,
      `data file ${file} is not valid JSON (${(e as Error).message}); refusing to start so it is not overwritten. Fix or move it, or point --data at a new file`,
    );
  }
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

export class DurableJsonFile {
  readonly file: string;
  private readonly tmp: string;
  private readonly lockFile: string;
  private requested = 0;
  private written = 0;
  private running = false;
  private waiters: Array<{ gen: number; resolve: () => void; reject: (e: Error) => void }> = [];
  private locked = false;
  private idle: Promise<void> = Promise.resolve();
  private resolveIdle: (() => void) | undefined;

  constructor(
    file: string,
    private readonly snapshot: () => unknown,
  ) {
    this.file = path.resolve(file);
    this.tmp = `${this.file}.tmp`;
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

  unlock(): void {
    if (!this.locked) return;
    this.locked = false;
    HELD_IN_PROCESS.delete(this.file);
    try {
      const owner = Number(fs.readFileSync(this.lockFile, "utf8").trim());
      if (owner === process.pid) fs.rmSync(this.lockFile, { force: true });
    } catch {
      /* already gone */
    }
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

  /** Writes synchronously (start-up only, before serving). */
  writeNowSync(): void {
    const text = `${JSON.stringify(this.snapshot(), null, 2)}\n`;
    const fd = fs.openSync(this.tmp, "w");
    try {
      fs.writeSync(fd, text);
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
    fs.renameSync(this.tmp, this.file);
    this.syncDirSync();
  }

  private async drain(): Promise<void> {
    this.running = true;
    this.idle = new Promise<void>((r) => (this.resolveIdle = r));
    try {
      while (this.written < this.requested) {
        const gen = this.requested;
        const text = `${JSON.stringify(this.snapshot(), null, 2)}\n`;
        try {
          await this.writeAtomic(text);
          this.written = gen;
          this.settle(gen, undefined);
        } catch (e) {
          this.written = gen; // these changes are not durable; their requests get the error
          this.settle(gen, e as Error);
        }
      }
    } finally {
      this.running = false;
      this.resolveIdle?.();
    }
  }

  private settle(gen: number, error: Error | undefined): void {
    const done = this.waiters.filter((w) => w.gen <= gen);
    this.waiters = this.waiters.filter((w) => w.gen > gen);
    for (const w of done) (error ? w.reject(error) : w.resolve());
  }

  private async writeAtomic(text: string): Promise<void> {
    const handle = await fs.promises.open(this.tmp, "w");
    try {
      await handle.writeFile(text, "utf8");
      await handle.sync();
    } finally {
      await handle.close();
    }
    await fs.promises.rename(this.tmp, this.file);
    await this.syncDir();
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
