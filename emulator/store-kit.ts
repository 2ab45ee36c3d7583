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
