/**
 * The one HTTP path every vendor client uses: `got` for the transport, our own retry loop
 * (see retry.ts) and the per-key limiter (see rate-limit.ts).
 *
 * `got` is ESM-only, so it is loaded with a dynamic `import()` on first use; nothing is
 * created at module load, which keeps the serialized provider free of live objects.
 */
import { DEFAULT_RETRY_POLICY, isRetryable, mayHaveReachedServer, parseRetryAfter, retryDelayMs, type Outcome, type RetryPolicy } from "./retry";
import type { Limiter } from "./rate-limit";

export interface HttpRequest {
  method: string;
  url: string;
  headers: Record<string, string>;
  /** Request body, already encoded. */
  body?: string;
  /** Repeating the request has the effect of sending it once (default: what the method implies). */
  idempotent?: boolean;
  timeoutMs?: number;
}

export interface HttpResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  /** Raw body text ("" for none). */
  text: string;
  /** How many attempts it took. */
  attempts: number;
}

/** No HTTP response could be had, after every allowed retry. */
export class NetworkFailure extends Error {
  /** True when the last attempt may have reached the server (so a POST may have taken effect). */
  readonly maybeApplied: boolean;
  readonly networkErrorCode: string;
  constructor(code: string, message: string, maybeApplied: boolean) {
    super(message);
    this.name = "NetworkFailure";
    this.networkErrorCode = code;
    this.maybeApplied = maybeApplied;
  }
}

export interface SendOptions {
  limiter?: Limiter;
  /**
   * Total time one logical request may take, every attempt and wait included (default 60 s).
   * Each attempt's own timeout is the smaller of 30 s and what is left of it.
   */
  budgetMs?: number;
  /** Millisecond clock; injected in tests. */
  now?: () => number;
  policy?: RetryPolicy;
  /** Injected in tests. */
  random?: () => number;
  sleep?: (ms: number) => Promise<void>;
  /** Called before each retry; used for debug logging (never receives headers). */
  onRetry?: (info: { attempt: number; delayMs: number; outcome: Outcome }) => void;
}

const DEFAULT_TIMEOUT_MS = 30_000;
export const DEFAULT_BUDGET_MS = 60_000;

/** The time budget of a logical request ran out. */
export class BudgetExhausted extends NetworkFailure {
  constructor(budgetMs: number, attempts: number, last: string, maybeApplied: boolean) {
    super("BUDGET_EXHAUSTED", `gave up after ${Math.round(budgetMs / 1000)} s and ${attempts} attempt${attempts === 1 ? "" : "s"} (last: ${last})`, maybeApplied);
    this.name = "BudgetExhausted";
  }
}

type GotFn = (url: string, options: Record<string, unknown>) => Promise<{ statusCode: number; headers: Record<string, string | string[] | undefined>; body: string }>;
let gotPromise: Promise<GotFn> | undefined;

function loadGot(): Promise<GotFn> {
  gotPromise ??= import("got").then((m) => m.default as unknown as GotFn);
  return gotPromise;
}

/**
 * Sends one logical request, retrying what retry.ts allows. Any HTTP status is returned
 * (the caller turns statuses into errors); only a missing response throws {@link NetworkFailure}.
 */
export async function send(request: HttpRequest, options: SendOptions = {}): Promise<HttpResponse> {
  const got = await loadGot();
  const policy = options.policy ?? DEFAULT_RETRY_POLICY;
  const random = options.random ?? Math.random;
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  const now = options.now ?? Date.now;
  const budgetMs = options.budgetMs ?? DEFAULT_BUDGET_MS;
  let deadline: number | undefined;
  let maybeApplied = false;
  let last = "no attempt";
  for (let attempt = 1; ; attempt++) {
    const release = (await options.limiter?.acquire()) ?? (() => undefined);
    deadline ??= now() + budgetMs; // the clock starts with the first attempt, not the queue before it
    const left = deadline - now();
    if (left <= 0) {
      release();
      throw new BudgetExhausted(budgetMs, attempt - 1, last, maybeApplied);
    }
    let outcome: Outcome;
    let response: HttpResponse | undefined;
    try {
      const r = await got(request.url, {
        method: request.method,
        headers: request.headers,
        body: request.body,
        throwHttpErrors: false,
        retry: { limit: 0 },
        followRedirect: false,
        timeout: { request: Math.max(1, Math.min(request.timeoutMs ?? DEFAULT_TIMEOUT_MS, left)) },
        responseType: "text",
      });
      release();
      response = { status: r.statusCode, headers: r.headers, text: r.body ?? "", attempts: attempt };
      outcome = { status: r.statusCode };
      last = `HTTP ${r.statusCode}`;
    } catch (err) {
      release();
      const code = String((err as { code?: unknown }).code ?? "UNKNOWN");
      outcome = { networkErrorCode: code };
      maybeApplied ||= mayHaveReachedServer(outcome);
      last = code;
      if (attempt >= policy.maxAttempts || !isRetryable(request.method, outcome, request.idempotent)) {
        if (deadline - now() <= 0) throw new BudgetExhausted(budgetMs, attempt, last, maybeApplied);
        throw new NetworkFailure(code, `${(err as Error).message ?? code}`, mayHaveReachedServer(outcome));
      }
    }
    if (response && (attempt >= policy.maxAttempts || !isRetryable(request.method, outcome, request.idempotent))) return response;
    const retryAfter = response ? parseRetryAfter(headerValue(response.headers, "retry-after"), now()) : undefined;
    const delayMs = retryDelayMs(attempt, policy, random(), retryAfter);
    if (now() + delayMs >= deadline) {
      // No time left for another attempt: the last answer stands, or the budget is reported.
      if (response) return response;
      throw new BudgetExhausted(budgetMs, attempt, last, maybeApplied);
    }
    options.onRetry?.({ attempt, delayMs, outcome });
    await sleep(delayMs);
  }
}

export function headerValue(headers: HttpResponse["headers"], name: string): string | undefined {
  const v = headers[name.toLowerCase()];
  return Array.isArray(v) ? v[0] : v;
}
