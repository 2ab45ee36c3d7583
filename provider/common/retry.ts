/**
 * When to retry a request, and how long to wait. Pure functions with table tests.
 *
 * Only requests that cannot have taken effect twice are retried blindly: every method on
 * 429 (the API refused before doing anything) and on a connection that was never
 * established; idempotent methods (GET, PUT, PATCH, DELETE) also on 5xx and on any other
 * network failure, known or not. A POST that may have reached the server is never retried here: the caller
 * reconciles it (see the DIDWW client's create).
 */

export interface RetryPolicy {
  /** How many attempts in all, the first included. */
  maxAttempts: number;
  /** The delay before the first retry, in milliseconds. */
  baseDelayMs: number;
  /** No single backoff wait is longer than this. */
  maxDelayMs: number;
  /** A server's `Retry-After` is honoured up to this long, never more (a hostile `Retry-After: 3600` must not stall an `up`). */
  maxRetryAfterMs: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = { maxAttempts: 6, baseDelayMs: 250, maxDelayMs: 10_000, maxRetryAfterMs: 20_000 };

/** Network error codes that mean the request never reached the server. */
const NOT_SENT = new Set(["ECONNREFUSED", "ENOTFOUND", "EAI_AGAIN", "EHOSTUNREACH", "ENETUNREACH"]);

export const IDEMPOTENT_METHODS = new Set(["GET", "HEAD", "OPTIONS", "PUT", "PATCH", "DELETE"]);

export type Outcome = { status: number } | { networkErrorCode: string };

/**
 * Whether the outcome of one attempt may be retried for this method. `idempotent` overrides what
 * the method implies, for a vendor whose POST to an existing resource only sets values (Twilio's
 * update): repeating it sets them again.
 */
export function isRetryable(method: string, outcome: Outcome, idempotent: boolean = IDEMPOTENT_METHODS.has(method.toUpperCase())): boolean {
  if ("status" in outcome) {
    if (outcome.status === 429) return true;
    if (outcome.status === 500 || outcome.status === 502 || outcome.status === 503 || outcome.status === 504) return idempotent;
    return false;
  }
  if (NOT_SENT.has(outcome.networkErrorCode)) return true;
  // Any other code (a reset, a timeout, or one we have never seen) may have reached the server.
  return idempotent;
}

/** Whether a failed attempt may have changed server state (so a POST must be reconciled, not repeated). */
export function mayHaveReachedServer(outcome: Outcome): boolean {
  if ("status" in outcome) return outcome.status >= 500;
  return !NOT_SENT.has(outcome.networkErrorCode);
}

/**
 * The wait before retry number `retry` (1 for the first retry): exponential backoff with
 * "full jitter" (a uniform draw between 0 and the exponential ceiling), floored at a tenth
 * of the base so retries never hammer. A `Retry-After` the server sent wins when it is longer.
 *
 * @param random a number in [0, 1); injectable so tests are exact.
 */
export function retryDelayMs(retry: number, policy: RetryPolicy, random: number, retryAfterMs?: number): number {
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** Math.max(0, retry - 1));
  const floor = Math.min(ceiling, policy.baseDelayMs / 10);
  const jittered = floor + (ceiling - floor) * Math.min(Math.max(random, 0), 1);
  // Stryker disable next-line ConditionalExpression: `undefined > jittered` is false, so the explicit undefined check cannot change the outcome
  const delay = retryAfterMs !== undefined && retryAfterMs > jittered ? Math.min(retryAfterMs, policy.maxRetryAfterMs) : jittered;
  return Math.round(delay);
}

/** Parses a `Retry-After` header (seconds or an HTTP date) into milliseconds from `now`. */
export function parseRetryAfter(header: string | undefined, now: number): number | undefined {
  if (!header) return undefined;
  if (/^\d+(\.\d+)?$/.test(header.trim())) return Math.round(Number(header) * 1000);
  const at = Date.parse(header);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}
