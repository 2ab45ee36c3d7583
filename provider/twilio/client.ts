/**
 * The Twilio client: the only code that talks to Twilio (Trunking v1 and API v2010).
 *
 * Form-encoded PascalCase requests, snake_case JSON answers, HTTP Basic with the account SID and
 * auth token or an API key and secret. Twilio limits concurrent requests per account, so every
 * request of a process for one account passes a shared concurrency cap (and 429s are retried
 * with jitter by the shared send path). Lists are followed page by page to the end.
 */
import { bounded, codeForStatus, describeBody, VendorApiError, type VendorProblem } from "../common/errors";
import type { HttpResponse, SendOptions } from "../common/http";
import { concurrencyLimiterFor } from "../common/rate-limit";
import { clientCache, type CreateOutcome } from "../common/runtime";
import { positiveSetting as positive, setting, type ConfigGetter } from "../common/config";
import { createOutcomeOf, isObject, jsonOrUndefined, VendorTransport } from "../common/transport";

export const TWILIO_TRUNKING_URL = "https://trunking.twilio.com";
export const TWILIO_API_URL = "https://api.twilio.com";
/** Concurrent requests per account this provider allows itself by default. */
export const TWILIO_MAX_CONCURRENCY = 10;
/** Default total time of one logical request, retries included (seconds). */
export const TWILIO_REQUEST_TIMEOUT_S = 60;
/** The most pages a list is followed for (1000 records each): a guard against a server that never ends a list. */
const MAX_PAGES = 100;

export const ACCOUNT_SID_PATTERN = "^AC[0-9a-fA-F]{32}$";

export interface TwilioSettings {
  accountSid: string;
  /** HTTP Basic user: the account SID, or an API key SID (SK…). */
  username: string;
  /** HTTP Basic password: the auth token, or the API key's secret. */
  password: string;
  trunkingUrl: string;
  apiUrl: string;
  maxConcurrency: number;
  requestTimeoutMs: number;
}

export const MISSING_CREDENTIALS_MESSAGE =
  "twilio: no Twilio credentials. Set `pulumi config set twilio:accountSid AC…` and `pulumi config set --secret twilio:authToken <token>` " +
  "(or twilio:apiKey with a secret twilio:apiSecret), or the TWILIO_ACCOUNT_SID and TWILIO_AUTH_TOKEN (or TWILIO_API_KEY and TWILIO_API_SECRET) environment variables.";

/**
 * Settings from stack config (`twilio:accountSid`, …) or the environment (`TWILIO_ACCOUNT_SID`, …).
 * `from`: another reader of the stack config (lookups read it through the program's `pulumi.Config`).
 */
export function twilioSettings(from?: ConfigGetter): TwilioSettings {
  const get = (key: string, env: string) => (from ? setting(key, env, from) : setting(key, env));
  const accountSid = get("twilio:accountSid", "TWILIO_ACCOUNT_SID");
  const authToken = get("twilio:authToken", "TWILIO_AUTH_TOKEN");
  const apiKey = get("twilio:apiKey", "TWILIO_API_KEY");
  const apiSecret = get("twilio:apiSecret", "TWILIO_API_SECRET");
  if (!accountSid || !((apiKey && apiSecret) || authToken)) throw new Error(MISSING_CREDENTIALS_MESSAGE);
  if (!new RegExp(ACCOUNT_SID_PATTERN).test(accountSid)) {
    throw new Error(`twilio:accountSid (TWILIO_ACCOUNT_SID) must be "AC" followed by 32 hexadecimal characters`);
  }
  const useKey = Boolean(apiKey && apiSecret);
  return {
    accountSid,
    username: useKey ? (apiKey as string) : accountSid,
    password: useKey ? (apiSecret as string) : (authToken as string),
    trunkingUrl: (get("twilio:trunkingUrl", "TWILIO_TRUNKING_URL") ?? TWILIO_TRUNKING_URL).replace(/\/+$/, ""),
    apiUrl: (get("twilio:apiUrl", "TWILIO_API_URL") ?? TWILIO_API_URL).replace(/\/+$/, ""),
    maxConcurrency: Math.floor(positive(get("twilio:maxConcurrency", "TWILIO_MAX_CONCURRENCY"), TWILIO_MAX_CONCURRENCY)),
    requestTimeoutMs: positive(get("twilio:requestTimeout", "TWILIO_REQUEST_TIMEOUT"), TWILIO_REQUEST_TIMEOUT_S) * 1000,
  };
}

/** A form value as Twilio reads it: booleans `true`/`false`, null as empty (clears an optional value), lists as repeated keys. */
export type FormValue = string | number | boolean | null | readonly string[];

export function encodeForm(params: Readonly<Record<string, FormValue | undefined>>): string {
  const form = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    if (value === undefined) continue;
    if (Array.isArray(value)) for (const v of value) form.append(key, String(v));
    else form.append(key, value === null ? "" : String(value));
  }
  return form.toString();
}

const HINTS: Record<number, string> = {
  401: "Check the credentials: twilio:accountSid with a secret twilio:authToken, or twilio:apiKey with a secret twilio:apiSecret (or the TWILIO_* environment variables).",
  403: "The Twilio account may not use this API (a trial account, or a feature not enabled).",
  429: "Twilio kept answering 429 (too many concurrent requests) after every retry; lower twilio:maxConcurrency or retry later.",
};

/**
 * The error for a non-2xx Twilio answer: Twilio's `code`, `message`, `more_info` and `status`, the
 * input it is about when the code is one of a parameter's own (`codes`: Twilio code → input) or
 * the message names one of the request's parameters (`params`: form name → input), in any of the
 * spellings `DomainName`, `domain_name`, `Domain Name`; bounded like every vendor message.
 */
export function twilioError(
  method: string,
  url: string,
  response: Pick<HttpResponse, "status" | "text">,
  params: Readonly<Record<string, string>> = {},
  codes: Readonly<Record<number, string>> = {},
): VendorApiError {
  const body = jsonOrUndefined(response.text);
  let problems: VendorProblem[];
  let moreInfo: string | undefined;
  if (isObject(body) && (typeof body.message === "string" || typeof body.code === "number")) {
    const message = String(body.message ?? "error");
    moreInfo = typeof body.more_info === "string" ? bounded(body.more_info, 200) : undefined;
    const property = (typeof body.code === "number" ? codes[body.code] : undefined) ?? inputNamed(message, params);
    problems = [{ detail: message, vendorCode: body.code === undefined ? undefined : bounded(String(body.code), 20), property }];
  } else {
    problems = [{ detail: describeBody(response.text, response.status) }];
  }
  const code = isObject(body) ? body.code : undefined;
  const hint = [
    code !== undefined ? `Twilio error ${bounded(String(code), 20)}${moreInfo ? `: ${moreInfo}` : ""}` : undefined,
    HINTS[response.status] ?? (response.status >= 500 ? "Twilio had a server error; the request was retried where that is safe." : undefined),
  ].filter(Boolean).join("\n");
  return new VendorApiError({ vendor: "Twilio", method, url, status: response.status, code: codeForStatus(response.status), problems, hint: hint || undefined, responseBody: body });
}

/** The input a Twilio message names through one of its form parameters. */
function inputNamed(message: string, params: Readonly<Record<string, string>>): string | undefined {
  for (const [param, input] of Object.entries(params)) {
    const words = param.replace(/([a-z0-9])([A-Z])/g, "$1 $2");
    const spellings = [param, words.replace(/ /g, "_").toLowerCase(), words].map((w) => w.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"));
    if (new RegExp(`\\b(${spellings.join("|")})\\b`, "i").test(message)) return input;
  }
  return undefined;
}

/** Which Twilio host a path belongs to. */
export type TwilioApi = "trunking" | "api";

export class TwilioClient {
  private readonly transports: Record<TwilioApi, VendorTransport>;

  constructor(readonly settings: TwilioSettings, sendOptions: SendOptions = {}) {
    const shared: SendOptions = {
      limiter: concurrencyLimiterFor("twilio", settings.accountSid, settings.maxConcurrency),
      budgetMs: settings.requestTimeoutMs,
      ...sendOptions,
    };
    const transport = (baseUrl: string) =>
      new VendorTransport({ vendor: "Twilio", baseUrl, sendOptions: shared, timeoutSetting: "twilio:requestTimeout seconds (TWILIO_REQUEST_TIMEOUT, default 60)" });
    this.transports = { trunking: transport(settings.trunkingUrl), api: transport(settings.apiUrl) };
  }

  /** The v2010 path prefix of this account. */
  get accountPath(): string {
    return `/2010-04-01/Accounts/${this.settings.accountSid}`;
  }

  private headers(withBody: boolean): Record<string, string> {
    const h: Record<string, string> = {
      Authorization: `Basic ${Buffer.from(`${this.settings.username}:${this.settings.password}`).toString("base64")}`,
      Accept: "application/json",
      "User-Agent": "pulumi-sip-trunks",
    };
    if (withBody) h["Content-Type"] = "application/x-www-form-urlencoded";
    return h;
  }

  url(api: TwilioApi, path: string): string {
    return this.transports[api].url(path);
  }

  /** One request; any status is returned, a missing answer throws a VendorApiError. */
  raw(api: TwilioApi, method: string, path: string, form?: Readonly<Record<string, FormValue | undefined>>, idempotent?: boolean): Promise<HttpResponse> {
    return this.transports[api].request(method, path, this.headers(form !== undefined), form === undefined ? undefined : encodeForm(form), idempotent);
  }

  /** The JSON object of a 2xx answer, or the "unusable answer" error. */
  record(api: TwilioApi, method: string, path: string, response: HttpResponse): Record<string, unknown> {
    const body = this.transports[api].jsonObject(method, path, response, "a Twilio resource");
    if (typeof body.sid !== "string" && path.indexOf("/Recording") < 0) throw this.transports[api].unusable(method, path, response, `"sid" is ${JSON.stringify(body.sid) ?? "missing"}`);
    return body;
  }

  unusable(api: TwilioApi, method: string, path: string, response: HttpResponse, why: string): VendorApiError {
    return this.transports[api].unusable(method, path, response, why);
  }

  error(api: TwilioApi, method: string, path: string, response: HttpResponse, params?: Readonly<Record<string, string>>, codes?: Readonly<Record<number, string>>): VendorApiError {
    return twilioError(method, this.url(api, path), response, params, codes);
  }

  /** GET one resource; `undefined` on 404. */
  async fetch(api: TwilioApi, path: string): Promise<Record<string, unknown> | undefined> {
    const response = await this.raw(api, "GET", path);
    if (response.status === 404) return undefined;
    if (response.status !== 200) throw this.error(api, "GET", path, response);
    return this.record(api, "GET", path, response);
  }

  /** POST to an existing resource (Twilio's update); `params` names the inputs for error messages. Retried like a PUT. */
  async update(
    api: TwilioApi,
    path: string,
    form: Readonly<Record<string, FormValue | undefined>>,
    params?: Readonly<Record<string, string>>,
    codes?: Readonly<Record<number, string>>,
  ): Promise<Record<string, unknown>> {
    // A POST to an existing resource sets the values sent; sending it again sets them again, so it
    // is retried like a PUT (on 5xx and on a connection lost after sending).
    const response = await this.raw(api, "POST", path, form, true);
    if (response.status !== 200 && response.status !== 201) throw this.error(api, "POST", path, response, params, codes);
    return this.record(api, "POST", path, response);
  }

  /** A POST that adds something (an association): never repeated blindly; the caller checks what happened when it fails. */
  async add(api: TwilioApi, path: string, form: Readonly<Record<string, FormValue | undefined>>, params?: Readonly<Record<string, string>>): Promise<void> {
    const response = await this.raw(api, "POST", path, form, false);
    if (response.status !== 200 && response.status !== 201) throw this.error(api, "POST", path, response, params);
  }

  /**
   * A create POST, classified for reconciliation: the record (after `accept` checked it), or an
   * ambiguous failure that may have created it (a 5xx, an unusable 2xx, a connection that failed
   * after sending). Any other status is thrown as Twilio's error, naming the input (`params`).
   */
  async createOutcome(
    api: TwilioApi,
    path: string,
    form: Readonly<Record<string, FormValue | undefined>>,
    params: Readonly<Record<string, string>>,
    accept: (record: Record<string, unknown>) => void,
    codes?: Readonly<Record<number, string>>,
  ): Promise<CreateOutcome<Record<string, unknown>>> {
    return createOutcomeOf(
      () => this.raw(api, "POST", path, form),
      (response) => {
        const record = this.record(api, "POST", path, response);
        accept(record); // refuses wrongly typed members before anything is recorded
        return record;
      },
      (response) => this.error(api, "POST", path, response, params, codes),
    );
  }

  /** DELETE; `false` when it was already gone. */
  async remove(api: TwilioApi, path: string): Promise<boolean> {
    const response = await this.raw(api, "DELETE", path);
    if (response.status === 404) return false;
    if (response.status !== 204 && response.status !== 200) throw this.error(api, "DELETE", path, response);
    return true;
  }

  /**
   * Every record of a list, following `meta.next_page_url` (v1) or `next_page_uri` (v2010) to
   * the end. Pages are read on this client's own base URL: credentials never go to another host.
   */
  async list(api: TwilioApi, path: string, key: string): Promise<Record<string, unknown>[]> {
    const out: Record<string, unknown>[] = [];
    const base = this.settings[api === "trunking" ? "trunkingUrl" : "apiUrl"];
    let next: string | undefined = `${path}${path.includes("?") ? "&" : "?"}PageSize=1000`;
    for (let page = 0; next !== undefined; page++) {
      if (page >= MAX_PAGES) throw new Error(`Twilio list ${path} did not end after ${MAX_PAGES} pages`);
      const current: string = next;
      const response = await this.raw(api, "GET", current);
      if (response.status !== 200) throw this.error(api, "GET", current, response);
      const body = this.transports[api].jsonObject("GET", current, response, "a Twilio list page");
      const items = body[key];
      if (!Array.isArray(items) || !items.every(isObject)) throw this.unusable(api, "GET", current, response, `"${key}" is not a list of records`);
      out.push(...(items as Record<string, unknown>[]));
      const meta = isObject(body.meta) ? body.meta : undefined;
      const link = (meta ? meta.next_page_url : body.next_page_uri) ?? null;
      if (link === null || link === "") next = undefined;
      else if (typeof link !== "string") throw this.unusable(api, "GET", current, response, "the next-page link is not a string");
      else next = relativeTo(base, link);
    }
    return out;
  }
}

/** A next-page link as a path on `base` (absolute links are cut to their path and query). */
function relativeTo(base: string, link: string): string {
  if (link.startsWith(base)) return link.slice(base.length);
  if (link.startsWith("/")) {
    const prefix = new URL(base).pathname.replace(/\/+$/, "");
    return prefix && link.startsWith(`${prefix}/`) ? link.slice(prefix.length) : link;
  }
  const u = new URL(link);
  return `${u.pathname}${u.search}`;
}

const clientFor = clientCache(
  (settings: TwilioSettings) => new TwilioClient(settings),
  (s) => ({ plain: [s.accountSid, s.username, s.trunkingUrl, s.apiUrl, s.maxConcurrency, s.requestTimeoutMs], secret: s.password }),
);

/** The client for the current settings: one per process and settings (settings are read each time: config can arrive after load). */
export function twilioClient(from?: ConfigGetter): TwilioClient {
  return clientFor(twilioSettings(from));
}
