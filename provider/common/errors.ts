/**
 * Errors raised by the provider.
 *
 * Every vendor failure is a {@link VendorApiError} with a stable `code`, the HTTP status, the
 * method and a URL with credentials stripped. The raw request and response are kept
 * non-enumerable so that nothing secret ends up in logs or in the engine's error output
 * when an error object is serialised.
 */

/** Removes userinfo and secret-looking query parameters from a URL before it is shown anywhere. */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    u.username = "";
    u.password = "";
    for (const key of [...u.searchParams.keys()]) {
      if (/key|token|secret|password|auth/i.test(key)) u.searchParams.set(key, "REDACTED");
    }
    return u.toString();
  } catch {
    return url.replace(/\/\/[^/@]*@/, "//");
  }
}

/** Stable error codes; tests and callers switch on these, never on message text. */
export type VendorErrorCode =
  | "VALIDATION" // 422 or the vendor's equivalent: the request was understood and refused
  | "BAD_REQUEST" // 400: a parameter the API does not accept
  | "UNAUTHORIZED" // 401: missing or wrong API key
  | "FORBIDDEN" // 403: the account may not use this endpoint
  | "NOT_FOUND" // 404
  | "CONFLICT" // 409
  | "RATE_LIMITED" // 429 after every retry was spent
  | "SERVER" // 5xx after every retry was spent
  | "NETWORK" // no HTTP response at all (refused, reset, timeout)
  | "UNEXPECTED"; // any other status or an unreadable body

export function codeForStatus(status: number): VendorErrorCode {
  if (status === 400) return "BAD_REQUEST";
  if (status === 401) return "UNAUTHORIZED";
  if (status === 403) return "FORBIDDEN";
  if (status === 404) return "NOT_FOUND";
  if (status === 409) return "CONFLICT";
  if (status === 422) return "VALIDATION";
  if (status === 429) return "RATE_LIMITED";
  if (status >= 500) return "SERVER";
  return "UNEXPECTED";
}

/** One problem reported by a vendor, in the vendor's own words. */
export interface VendorProblem {
  /** The vendor's own message, e.g. `twilio_account_sid - can't be blank`. */
  detail: string;
  /** Short title or code as the vendor sent it. */
  title?: string;
  /** The vendor's error code (JSON:API `code`, Twilio numeric `code`). */
  vendorCode?: string;
  /** JSON pointer into the request body (JSON:API `source.pointer`). */
  pointer?: string;
  /** The resource input this problem is about, when it can be told (camelCase, dotted). */
  property?: string;
}

/** Bounds of every message built from a response: a hostile or broken server must not flood the terminal. */
export const MESSAGE_LIMITS = { problems: 10, detail: 200, body: 150, total: 4000 } as const;

/** `text` cut to `max` characters, saying how much was left out. */
export function bounded(text: string, max: number): string {
  if (text.length <= max) return text;
  return `${text.slice(0, max)}... (${text.length - max} more characters left out)`;
}

const STATUS_TEXT: Record<number, string> = {
  400: "Bad Request", 401: "Unauthorized", 403: "Forbidden", 404: "Not Found", 408: "Request Timeout", 409: "Conflict",
  413: "Payload Too Large", 422: "Unprocessable Entity", 429: "Too Many Requests", 500: "Internal Server Error",
  502: "Bad Gateway", 503: "Service Unavailable", 504: "Gateway Timeout",
};

/**
 * One line about a body that is not the vendor's error format: an HTML page becomes
 * `HTML error page (502 Bad Gateway)`, anything else its first characters.
 */
export function describeBody(text: string, status?: number): string {
  const head = text.slice(0, 2048).trimStart().toLowerCase();
  if (head.startsWith("<!doctype html") || head.startsWith("<html") || /<(head|body|title)[\s>]/.test(head)) {
    const title = /<title[^>]*>([^<]{1,120})<\/title>/i.exec(text.slice(0, 8192))?.[1]?.trim();
    const label = title || (status !== undefined ? `${status} ${STATUS_TEXT[status] ?? ""}`.trim() : "no title");
    return `HTML error page (${label})`;
  }
  if (!text.trim()) return "(empty body)";
  // Cut first (a 20 MB body is not worth scanning), then tidy; the count is of the original text.
  const cut = text.slice(0, MESSAGE_LIMITS.body).replace(/\s+/g, " ").trim();
  return text.length > MESSAGE_LIMITS.body ? `${cut}... (${text.length - MESSAGE_LIMITS.body} more characters left out)` : cut;
}

export interface VendorApiErrorInit {
  vendor: string;
  method: string;
  url: string;
  status?: number;
  code: VendorErrorCode;
  problems?: VendorProblem[];
  hint?: string;
  cause?: unknown;
  responseBody?: unknown;
  /** For a failure without a usable answer: whether the request may have taken effect at the server. */
  maybeApplied?: boolean;
}

/** Base type for every failure of a vendor API call. */
export class VendorApiError extends Error {
  readonly vendor: string;
  readonly method: string;
  /** The request URL with credentials stripped. */
  readonly url: string;
  readonly status?: number;
  readonly code: VendorErrorCode;
  readonly problems: VendorProblem[];
  /** True when the request may have taken effect although no usable answer came (a POST must then be reconciled). */
  readonly maybeApplied: boolean;
  declare readonly responseBody?: unknown;

  constructor(init: VendorApiErrorInit) {
    const url = redactUrl(init.url);
    super(VendorApiError.compose(init, url));
    this.name = "VendorApiError";
    this.vendor = init.vendor;
    this.method = init.method;
    this.url = url;
    this.status = init.status;
    this.code = init.code;
    this.problems = init.problems ?? [];
    this.maybeApplied = init.maybeApplied ?? false;
    // Kept out of JSON.stringify and util.inspect's default enumeration.
    Object.defineProperty(this, "responseBody", { value: init.responseBody, enumerable: false });
    if (init.cause !== undefined) Object.defineProperty(this, "cause", { value: init.cause, enumerable: false });
  }

  private static compose(init: VendorApiErrorInit, url: string): string {
    let path = url;
    try {
      const u = new URL(url);
      path = u.pathname + u.search;
    } catch {
      /* keep the full text */
    }
    const status = init.status !== undefined ? ` (HTTP ${init.status})` : "";
    const head = `${init.vendor} API ${init.method} ${bounded(path, 300)} failed${status}`;
    const problems = init.problems ?? [];
    const hint = init.hint ? `\n${bounded(init.hint, 500)}` : "";
    // Lines are added while they fit; what does not fit is counted, never cut off mid-way.
    const reserve = head.length + hint.length + 60;
    const lines: string[] = [];
    let used = 0;
    for (const p of problems.slice(0, MESSAGE_LIMITS.problems)) {
      const where = p.property ? `${bounded(p.property, 100)}: ` : "";
      const pointer = p.pointer ? ` [source.pointer ${bounded(p.pointer, 100)}]` : "";
      const line = `  - ${where}${bounded(p.detail, MESSAGE_LIMITS.detail)}${pointer}`;
      if (used + line.length + 1 + reserve > MESSAGE_LIMITS.total) break;
      lines.push(line);
      used += line.length + 1;
    }
    if (problems.length > lines.length) lines.push(`  - ... and ${problems.length - lines.length} more errors left out`);
    return lines.length ? `${head}:\n${lines.join("\n")}${hint}` : `${head}${hint}`;
  }
}

/** One failed input rule, found before any API call. */
export interface InputFailure {
  /** The input's name as the user wrote it, dotted for nested values (`authenticationMethod.allowedSipIps[1]`). */
  property: string;
  /** The rule that failed, in words, with the offending value where it helps. */
  reason: string;
}

/** Bad input, reported before any API call; the message lists every failing property and rule. */
export class InputError extends Error {
  readonly failures: InputFailure[];
  constructor(resource: string, failures: InputFailure[]) {
    super(`${resource}: invalid arguments:\n${failures.map((f) => `  - ${f.property}: ${f.reason}`).join("\n")}`);
    this.name = "InputError";
    this.failures = failures;
  }
}
