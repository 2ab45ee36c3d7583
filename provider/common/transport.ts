/**
 * A vendor's end of the HTTP path: its base URL, its time budget and limiter, and the turning
 * of "no usable answer" into a {@link VendorApiError} that names the vendor and says what to do.
 * Each vendor client holds one and adds its own headers, body encoding and error envelope.
 */
import { describeBody, redactUrl, VendorApiError } from "./errors";
import { BudgetExhausted, NetworkFailure, send, type HttpResponse, type SendOptions } from "./http";
import { VendorResponseError } from "./response";
import type { CreateOutcome } from "./runtime";

export interface TransportOptions {
  /** The vendor as messages name it, e.g. `DIDWW`. */
  vendor: string;
  /** Base URL without a trailing slash. */
  baseUrl: string;
  /** Limiter, time budget and retry policy of this vendor's requests. */
  sendOptions: SendOptions;
  /** Where the time budget is set, for the message when it runs out, e.g. `didww:requestTimeout seconds (DIDWW_REQUEST_TIMEOUT, default 60)`. */
  timeoutSetting: string;
}

export function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}

/** The parsed JSON of a body, or `undefined` when it is empty or not JSON. */
export function jsonOrUndefined(text: string): unknown {
  try {
    return text ? JSON.parse(text) : undefined;
  } catch {
    return undefined;
  }
}

export class VendorTransport {
  constructor(readonly options: TransportOptions) {}

  get vendor(): string {
    return this.options.vendor;
  }

  url(path: string): string {
    return `${this.options.baseUrl}${path}`;
  }

  /** Sends one logical request; returns the response for any status, throws a VendorApiError when no response came. */
  async request(method: string, path: string, headers: Record<string, string>, body?: string, idempotent?: boolean): Promise<HttpResponse> {
    const url = this.url(path);
    try {
      return await send({ method, url, headers, body, idempotent }, this.options.sendOptions);
    } catch (err) {
      if (!(err instanceof NetworkFailure)) throw err;
      const budget = err instanceof BudgetExhausted;
      const hint = budget
        ? `Each ${this.vendor} request may take at most ${this.options.timeoutSetting}, retries included.`
        : err.maybeApplied
          ? `The request may have reached ${this.vendor} before the connection failed.`
          : `Is ${redactUrl(this.options.baseUrl)} reachable?`;
      throw new VendorApiError({
        vendor: this.vendor, method, url, code: "NETWORK",
        problems: [{ detail: budget ? `no usable answer: ${err.message}` : `no response (${err.networkErrorCode})` }],
        hint, cause: err, maybeApplied: err.maybeApplied,
      });
    }
  }

  /** An answer sent with a success status that cannot be used (not JSON, wrong shape). */
  unusable(method: string, path: string, response: HttpResponse, why: string): VendorApiError {
    return new VendorApiError({
      vendor: this.vendor, method, url: this.url(path), status: response.status, code: "UNEXPECTED",
      problems: [{ detail: `unusable answer: ${why}` }],
      hint: `Nothing was recorded from it. Run the command again; if it persists, ${this.vendor} or a proxy in between is misbehaving.`,
    });
  }

  /** The JSON object of a 2xx answer, or the "unusable answer" error. */
  jsonObject(method: string, path: string, response: HttpResponse, what: string): Record<string, unknown> {
    const body = jsonOrUndefined(response.text);
    if (!isObject(body)) throw this.unusable(method, path, response, `the body is ${response.text ? describeBody(response.text, response.status) : "empty"}, not ${what}`);
    return body;
  }
}

/**
 * A create request classified for reconciliation (common/runtime.ts createWithReconcile): what
 * `read` makes of a 2xx answer, or an ambiguous failure that may have created the resource (a
 * 5xx, a 2xx whose answer `read` refuses as unusable or wrongly typed, a connection that failed
 * after sending). Any other status is thrown as `refuse` words it.
 */
export async function createOutcomeOf<R>(
  post: () => Promise<HttpResponse>,
  read: (response: HttpResponse) => R,
  refuse: (response: HttpResponse) => VendorApiError,
): Promise<CreateOutcome<R>> {
  let response: HttpResponse;
  try {
    response = await post();
  } catch (err) {
    if (err instanceof VendorApiError && err.code === "NETWORK" && err.maybeApplied) return { ambiguous: err };
    throw err;
  }
  if (response.status >= 200 && response.status < 300) {
    try {
      return { done: read(response) };
    } catch (err) {
      if (err instanceof VendorApiError || err instanceof VendorResponseError) return { ambiguous: err };
      throw err;
    }
  }
  if (response.status >= 500) return { ambiguous: refuse(response) };
  throw refuse(response);
}
