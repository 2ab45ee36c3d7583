/**
 * A process-wide request limiter per API key, so a large `pulumi up` (which runs many
 * resource operations in parallel inside one provider host process) stays under a vendor's
 * documented rate (DIDWW: 20 requests per second per key) instead of collecting 429s.
 *
 * Keys are identified by a SHA-256 digest, never by the key itself.
 */
import { createHash } from "node:crypto";

/** A sliding one-second window: at most `perSecond` request starts in any 1000 ms. */
export class SlidingWindowLimiter {
  private readonly starts: number[] = [];
  private queue: Promise<void> = Promise.resolve();

  constructor(
    readonly perSecond: number,
    private readonly now: () => number = Date.now,
    private readonly sleep: (ms: number) => Promise<void> = (ms) => new Promise((r) => setTimeout(r, ms)),
  ) {}

  /** Resolves when one more request may start; callers are served in arrival order. */
  acquire(): Promise<void> {
    const turn = this.queue.then(() => this.waitForSlot());
    this.queue = turn.catch(() => undefined);
    return turn;
  }

  private async waitForSlot(): Promise<void> {
    for (;;) {
      const t = this.now();
      while (this.starts.length && this.starts[0] <= t - 1000) this.starts.shift();
      if (this.starts.length < this.perSecond) {
        this.starts.push(t);
        return;
      }
      await this.sleep(this.starts[0] + 1000 - t + 1);
    }
  }
}

const limiters = new Map<string, SlidingWindowLimiter>();

/** The shared limiter for one vendor and API key in this process. */
export function limiterFor(vendor: string, apiKey: string, perSecond: number): SlidingWindowLimiter {
  const id = `${vendor}:${createHash("sha256").update(apiKey).digest("hex")}:${perSecond}`;
  let limiter = limiters.get(id);
  if (!limiter) {
    limiter = new SlidingWindowLimiter(perSecond);
    limiters.set(id, limiter);
  }
  return limiter;
}
