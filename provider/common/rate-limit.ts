/**
 * A process-wide request limiter per API key, so a large `pulumi up` (which runs many
 * resource operations in parallel inside one provider host process) stays under a vendor's
 * documented rate (DIDWW: 20 requests per second per key) instead of collecting 429s.
 *
 * Keys are identified by a SHA-256 digest, never by the key itself.
 *
 * Pulumi runs one provider host process per pass of a command (preview, then update, then the
 * next command), so the rate limiters of `limiterFor` also book each request in a window file
 * shared by every process on the machine, one per vendor and key (shared-window.ts):
 * `$XDG_CACHE_HOME/pulumi-sip-trunks/rate/`, else `~/.cache/pulumi-sip-trunks/rate/`, else
 * `<os.tmpdir()>/pulumi-sip-trunks-<uid>/rate/`, named by the first 32 hex digits of
 * sha256(vendor + "\0" + key), holding only process ids and times. `SIP_TRUNKS_SHARED_RATE_LIMIT=0`
 * turns that off, `SIP_TRUNKS_SHARED_RATE_LIMIT=<directory>` puts the files there. When the
 * file cannot be used, the in-process limiter works alone; a request never fails because of it.
 */
import { createHash } from "node:crypto";
import { SharedWindow, sharedRateDir, windowFile, type Reservation } from "./shared-window";

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

const NOT_SHARED: Reservation = { kind: "off" };

/**
 * At most `perSecond` requests in any 1000 ms, as the server counts them.
 *
 * The server sees a request arrive some time between our start and our response, so counting
 * our own start times is not enough (a burst held up by connection set-up arrives late and
 * collides with the next second's burst). A request therefore holds its slot from start until
 * one second after its response: then any one-second window at the server can only hold
 * requests whose slots overlapped, and there are never more than `perSecond` of those.
 *
 * With a `shared` window (other processes using the same key), a slot is also booked there: the
 * request starts when both have room. Only the request at the head of this process's queue
 * asks the shared window, so it is consulted once per request (plus once per wait), not polled
 * by every waiting request.
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
    /** The window shared with other processes; absent: this process only. */
    readonly shared?: { reserve(): Promise<Reservation> },
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
        const booking = this.shared ? await this.bookShared(this.shared) : NOT_SHARED;
        if (booking.kind === "wait") {
          // Another process holds the rest of the key's second: wait for its first tail to end.
          await Promise.race([this.sleep(booking.ms), new Promise<void>((r) => (this.wake = r))]);
          this.wake = undefined;
          continue;
        }
        const releaseShared = booking.kind === "granted" ? booking.release : undefined;
        this.inFlight++;
        let done = false;
        return () => {
          if (done) return;
          done = true;
          releaseShared?.();
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

  private async bookShared(shared: { reserve(): Promise<Reservation> }): Promise<Reservation> {
    try {
      return await shared.reserve();
    } catch {
      return { kind: "off" }; // never a reason to fail a request
    }
  }
}

const limiters = new Map<string, SlidingWindowLimiter>();

/**
 * The shared limiter for one vendor and API key in this process, booking in the key's window
 * file too (unless SIP_TRUNKS_SHARED_RATE_LIMIT=0 or no directory is writable).
 */
export function limiterFor(vendor: string, apiKey: string, perSecond: number): SlidingWindowLimiter {
  const dir = sharedRateDir();
  const id = `${vendor}:${createHash("sha256").update(apiKey).digest("hex")}:${perSecond}:${dir ?? ""}`;
  let limiter = limiters.get(id);
  if (!limiter) {
    const shared = dir === undefined ? undefined : new SharedWindow(windowFile(dir, vendor, apiKey), perSecond);
    limiter = new SlidingWindowLimiter(perSecond, Date.now, undefined, shared);
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
