/**
 * What every vendor's store and admin routes share: persisting mutations in order (a write
 * answers once it is durable; an out-of-band edit persists in the background and reports a
 * failure at the next flush), and the admin routes' body parsing and answers.
 */
import type { EmulatorReply } from "./server";

export const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

/** Mutations of one store, persisted one after another through `persist`. */
export class CommitQueue {
  private pending: Promise<void> = Promise.resolve();
  private backgroundError: Error | undefined;

  constructor(private readonly persist: () => Promise<void>) {}

  /** Records a mutation; resolves when it is durable (at once in memory mode). */
  commit(): Promise<void> {
    const p = this.persist();
    this.pending = p.catch(() => undefined);
    return p;
  }

  /** Persists an out-of-band edit in the background; a failure surfaces on the next flush(). */
  inBackground(): void {
    this.commit().catch((e: unknown) => {
      this.backgroundError = e as Error;
    });
  }

  /** Resolves once every change so far is durable; rejects if a background write failed. */
  async flush(): Promise<void> {
    await this.pending;
    const error = this.backgroundError;
    this.backgroundError = undefined;
    if (error) throw error;
  }
}

/** An admin request's JSON body, which must be an object. */
export function objectBody(raw: unknown): Record<string, unknown> {
  if (!isObject(raw)) throw new Error("request body must be a JSON object");
  return raw;
}

/**
 * The answers of a vendor's admin routes: `done` once the store is durable, and `attempt`, which
 * turns the store's own errors (`toReply` answers them; anything else is rethrown) into replies.
 */
export function adminReplies(store: { flush(): Promise<void> }, toReply: (e: unknown) => EmulatorReply | undefined) {
  const done = async (status: number, body?: unknown): Promise<EmulatorReply> => {
    await store.flush();
    return { status, body };
  };
  const storeError = (e: unknown): EmulatorReply => {
    const reply = toReply(e);
    if (reply) return reply;
    throw e;
  };
  const attempt = async (status: number, fn: () => unknown): Promise<EmulatorReply> => {
    try {
      return await done(status, fn());
    } catch (e) {
      return storeError(e);
    }
  };
  return { done, attempt, storeError };
}

/** A store error as an admin reply: 404 when it says "… not found", 400 otherwise. */
export function storeErrorReply(message: string, extra: Record<string, unknown> = {}): EmulatorReply {
  return { status: / not found$/.test(message) ? 404 : 400, body: { error: message, ...extra } };
}

/** One change a store made to one record: `record` is its value now (a put), or absent (a delete). */
export interface RecordChange {
  collection: string;
  key: string;
  record?: unknown;
}

/**
 * The record-level changes of one store since the last `drain()`, for the data file's journal:
 * every `set`/`delete` on a {@link TrackedMap}, in order; or "full" when the whole state was
 * replaced (load, reset), which only a snapshot describes. Off (records nothing) until enabled,
 * so an emulator without a data file keeps no log.
 */
export class ChangeLog {
  private ops: Array<{ collection: string; key: string; deleted: boolean }> = [];
  private whole = false;
  enabled = false;

  put(collection: string, key: string): void {
    if (this.enabled && !this.whole) this.ops.push({ collection, key, deleted: false });
  }

  del(collection: string, key: string): void {
    if (this.enabled && !this.whole) this.ops.push({ collection, key, deleted: true });
  }

  /** The whole state was replaced. */
  replaced(): void {
    if (!this.enabled) return;
    this.whole = true;
    this.ops = [];
  }

  /**
   * The changes since the last drain, with each put's record as it is now (`current`), or "full".
   * Replaying them in order over the previous state gives the current state, insertion order
   * included: a put is kept only where it can insert (the first since the key's last delete),
   * and a put of a key deleted later in the batch is left out (its delete follows).
   */
  drain(current: (collection: string, key: string) => unknown): RecordChange[] | "full" {
    const ops = this.ops;
    const whole = this.whole;
    this.ops = [];
    this.whole = false;
    if (whole) return "full";
    const out: RecordChange[] = [];
    const put = new Set<string>();
    for (const op of ops) {
      const id = `${op.collection}\u0000${op.key}`;
      if (op.deleted) {
        put.delete(id);
        out.push({ collection: op.collection, key: op.key });
      } else if (!put.has(id)) {
        const record = current(op.collection, op.key);
        if (record === undefined) continue;
        put.add(id);
        out.push({ collection: op.collection, key: op.key, record });
      }
    }
    return out;
  }
}

const NO_KEYS: ReadonlySet<string> = new Set();

/**
 * A secondary index of a {@link TrackedMap}: the keys of the records under each value of `by`
 * (a record for which `by` gives `undefined` is left out). The map keeps it in step on every
 * `set`, `delete` and `clear`, so a lookup costs O(1) however many records there are. Within a
 * value, keys come in the order they entered it.
 */
export class MapIndex<V> {
  private readonly groups = new Map<string, Set<string>>();

  constructor(private readonly by: (record: V) => string | undefined) {}

  /** The keys of the records whose value is `value`. */
  keys(value: string): ReadonlySet<string> {
    return this.groups.get(value) ?? NO_KEYS;
  }

  /** Internal (TrackedMap): the record under `key` went from `before` to `after`. */
  _change(key: string, before: V | undefined, after: V | undefined): void {
    const was = before === undefined ? undefined : this.by(before);
    const now = after === undefined ? undefined : this.by(after);
    if (was === now && (was === undefined || this.groups.get(was)?.has(key))) return;
    if (was !== undefined) {
      const group = this.groups.get(was);
      group?.delete(key);
      if (group?.size === 0) this.groups.delete(was);
    }
    if (now !== undefined) {
      let group = this.groups.get(now);
      if (!group) this.groups.set(now, (group = new Set()));
      group.add(key);
    }
  }

  /** Internal (TrackedMap). */
  _clear(): void {
    this.groups.clear();
  }
}

/** A Map whose `set`/`delete`/`clear` are recorded in a {@link ChangeLog} under its collection's name. */
export class TrackedMap<V> extends Map<string, V> {
  private log: ChangeLog | undefined;
  private collection: string | undefined;
  private indexes: Map<string, MapIndex<V>> | undefined;

  /** A tracked map of `collection` holding `entries` (their insertion is not a change). */
  static of<V>(log: ChangeLog, collection: string, entries: Iterable<readonly [string, V]> = []): TrackedMap<V> {
    const map = new TrackedMap<V>(entries);
    map.log = log;
    map.collection = collection;
    return map;
  }

  /**
   * This map's index called `name`, of its records by `by`: made on first use from the records it
   * holds, then kept in step. A store whose load() replaces its maps gets fresh indexes with them.
   */
  index(name: string, by: (record: V) => string | undefined): MapIndex<V> {
    let index = this.indexes?.get(name);
    if (!index) {
      index = new MapIndex(by);
      for (const [key, record] of this) index._change(key, undefined, record);
      (this.indexes ??= new Map()).set(name, index);
    }
    return index;
  }

  override set(key: string, value: V): this {
    // The Map constructor calls set() for its entries before the fields exist: nothing is indexed yet then.
    const before = this.indexes ? super.get(key) : undefined;
    super.set(key, value);
    this.log?.put(this.collection!, key);
    if (this.indexes) for (const index of this.indexes.values()) index._change(key, before, value);
    return this;
  }

  override delete(key: string): boolean {
    const before = this.indexes ? super.get(key) : undefined;
    const existed = super.delete(key);
    if (existed) {
      this.log?.del(this.collection!, key);
      if (this.indexes) for (const index of this.indexes.values()) index._change(key, before, undefined);
    }
    return existed;
  }

  override clear(): void {
    if (this.size > 0) this.log?.replaced();
    super.clear();
    if (this.indexes) for (const index of this.indexes.values()) index._clear();
  }
}
