/**
 * A process-wide request limiter per API key, so a large `pulumi up` (which runs many
 * resource operations in parallel inside one provider host process) stays under a vendor's
 * documented rate (DIDWW: 20 requests per second per key) instead of collecting 429s.
 *
 * Keys are identified by a SHA-256 digest, never by the key itself.
 */
import { createHash } from "node:crypto";

/** What `send` asks before each attempt: resolves when the attempt may start, with the function to call when it ended. */
export interface Limiter {
  acquire(): Promise<() => void>;
}

/**
 * At most `max` requests in flight at once (Twilio limits concurrent requests per account and
 * answers 429 / 20429 beyond it). Callers are served in arrival order.
 */
export class ConcurrencyLimiter implements Limiter {
  private inFlight = 0;
  private readonly waiting: Array<() => void> = [];

  constructor(readonly max: number) {}

  acquire(): Promise<() => void> {
    return new Promise((resolve) => {
      const grant = () => {
        this.inFlight++;
        let done = false;
        resolve(() => {
          if (done) return;
          done = true;
          this.inFlight--;
          this.waiting.shift()?.();
        });
      };
      if (this.inFlight < this.max && this.waiting.length === 0) grant();
      else this.waiting.push(grant);
    });
  }
}

/**
 * At most `perSecond` requests in any 1000 ms, as the server counts them.
 *
 * The server sees a request arrive some time between our start and our response, so counting
 * our own start times is not enough (a burst held up by connection set-up arrives late and
 * collides with the next second's burst). A request therefore holds its slot from start until
 * one second after its response: then any one-second window at the server can only hold
 * requests whose slots overlapped, and there are never more than `perSecond` of those.
 */
export class SlidingWindowLimiter implements Limiter {
  /** Release times of finished requests still inside their one-second tail. */
  private readonly released: number[] = [];
  private inFlight = 0;
  private queue: Promise<void> = Promise.resolve();

  constructor(
    readonly perSecond: number,
    private readonly now: () => number = Date.now,
    private readonly sleep: (ms: number) => Promise<void> = (ms) => new Promise((r) => setTimeout(r, ms)),
  ) {}

  /**
   * Resolves when one more request may start, with the function to call when its response (or
   * failure) arrived. Callers are served in arrival order.
   */
  acquire(): Promise<() => void> {
    const turn = this.queue.then(() => this.waitForSlot());
    this.queue = turn.then(() => undefined, () => undefined);
    return turn;
  }

  private async waitForSlot(): Promise<() => void> {
    for (;;) {
      const t = this.now();
      while (this.released.length && this.released[0] <= t - 1000) this.released.shift();
      if (this.inFlight + this.released.length < this.perSecond) {
        this.inFlight++;
        let done = false;
        return () => {
          if (done) return;
          done = true;
          this.inFlight--;
          this.released.push(this.now());
          this.released.sort((a, b) => a - b);
          this.wake?.();
        };
      }
      // Wait for the oldest tail to expire, or for an in-flight request to finish.
      const waitMs = this.released.length ? this.released[0] + 1000 - t + 1 : 50;
      // Stryker disable next-line ArrowFunction: a release never frees a slot at once (it starts the slot's one-second tail), so waking only re-plans the wait; the 50 ms poll finds the same slot, later
      await Promise.race([this.sleep(waitMs), new Promise<void>((r) => (this.wake = r))]);
      this.wake = undefined;
    }
  }

  private wake?: () => void;
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

const concurrencyLimiters = new Map<string, ConcurrencyLimiter>();

/** The shared concurrency cap for one vendor account in this process. */
export function concurrencyLimiterFor(vendor: string, account: string, max: number): ConcurrencyLimiter {
  const id = `${vendor}:${createHash("sha256").update(account).digest("hex")}:${max}`;
  let limiter = concurrencyLimiters.get(id);
  if (!limiter) {
    limiter = new ConcurrencyLimiter(max);
    concurrencyLimiters.set(id, limiter);
  }
  return limiter;
}
