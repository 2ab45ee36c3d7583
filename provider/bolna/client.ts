/**
 * The Bolna client: the only code that talks to Bolna (`https://api.bolna.ai`, legacy SIP trunks
 * under `/sip-trunks`).
 *
 * JSON both ways, `Authorization: Bearer <API key>`. Bolna's error bodies come in two shapes:
 * `{"detail": "..."}` (what the live API answers, FastAPI's; a request-schema failure has a list
 * of `{loc, msg}` there) and the OpenAPI's `{"error": <int>, "message": "..."}`; both become one
 * bounded message that names the input a text is about. A wrong key is 403, not 401 [E]. 429s and
 * 5xx of idempotent requests are retried by the shared send path, honouring `Retry-After`.
 */
import { positiveSetting, setting, type ConfigGetter } from "../common/config";
import { codeForStatus, describeBody, VendorApiError, type VendorProblem } from "../common/errors";
import type { HttpResponse, SendOptions } from "../common/http";
import { clientCache, type CreateOutcome } from "../common/runtime";
import { createOutcomeOf, isObject, jsonOrUndefined, VendorTransport } from "../common/transport";
import { LIST_CHILDREN, PHONE_NUMBER_CHILDREN, SIP_TRUNK_INPUT_FIELDS } from "./sip-trunk-fields";

export const BOLNA_API_URL = "https://api.bolna.ai";
/** Default total time of one logical request, retries included (seconds). */
export const BOLNA_REQUEST_TIMEOUT_S = 60;

export interface BolnaSettings {
  apiKey: string;
  /** Base URL without a trailing slash (`https://api.bolna.ai`; the emulator's `<url>/bolna`). */
  baseUrl: string;
  requestTimeoutMs: number;
}

export const MISSING_KEY_MESSAGE =
  "bolna: no Bolna API key. Set it with `pulumi config set --secret bolna:apiKey <key>` or the BOLNA_API_KEY environment variable.";

/**
 * Settings from stack config (`bolna:apiKey`, `bolna:apiUrl`, `bolna:requestTimeout`) or the
 * environment (`BOLNA_API_KEY`, …). `from`: another reader of the stack config (lookups read it
 * through the program's `pulumi.Config`).
 */
export function bolnaSettings(from?: ConfigGetter): BolnaSettings {
  const get = (key: string, env: string) => (from ? setting(key, env, from) : setting(key, env));
  const apiKey = get("bolna:apiKey", "BOLNA_API_KEY");
  if (!apiKey) throw new Error(MISSING_KEY_MESSAGE);
  return {
    apiKey,
    baseUrl: (get("bolna:apiUrl", "BOLNA_API_URL") ?? BOLNA_API_URL).replace(/\/+$/, ""),
    requestTimeoutMs: positiveSetting(get("bolna:requestTimeout", "BOLNA_REQUEST_TIMEOUT"), BOLNA_REQUEST_TIMEOUT_S) * 1000,
  };
}

const HINTS: Record<number, string> = {
  401: "Bolna did not accept the credentials: set the API key with `pulumi config set --secret bolna:apiKey <key>` or BOLNA_API_KEY.",
  403:
    "Bolna answers 403 for an API key it does not accept: check bolna:apiKey (BOLNA_API_KEY). " +
    "The /sip-trunks API is in Beta and needs enterprise access (enterprise@bolna.ai).",
  409: "Another record holds it: a trunk of that name, or the number on another active trunk (remove it there first).",
  429: "Bolna kept answering 429 (too many requests) after every retry, each after its Retry-After; run the command again later.",
};

/** snake_case member → the input it is (top-level, or `list.attribute` for an attribute of a list's objects). */
const INPUT_OF: ReadonlyMap<string, string> = new Map([
  ...SIP_TRUNK_INPUT_FIELDS.map((f) => [f.api, f.input] as const),
  ["phone_numbers", "phoneNumbers"],
  ...Object.entries(LIST_CHILDREN).flatMap(([list, children]) => children.map((c) => [c.api, `${list}.${c.input}`] as const)),
  ...PHONE_NUMBER_CHILDREN.filter((c) => c.api !== "name").map((c) => [c.api, `phoneNumbers.${c.input}`] as const),
]);
const CHILD_INPUT: ReadonlyMap<string, string> = new Map(
  [...Object.values(LIST_CHILDREN), PHONE_NUMBER_CHILDREN].flatMap((children) => children.map((c) => [c.api, c.input] as const)),
);

/** The input a Bolna path names (`gateways[0].port`, or FastAPI's `loc` `["body", "gateways", 0, "port"]`), camelCased. */
export function inputForPath(path: readonly (string | number)[]): string | undefined {
  const [top, ...rest] = path.filter((p) => p !== "body");
  const input = typeof top === "string" ? INPUT_OF.get(top) : undefined;
  if (!input || input.includes(".")) return input;
  let out = input;
  for (const seg of rest) out += typeof seg === "number" || /^\d+$/.test(seg) ? `[${seg}]` : `.${CHILD_INPUT.get(seg) ?? seg}`;
  return out;
}

/** The input a Bolna message is about: the first member it names (`gateways[0].port must be …`, `media_encryption='sdes' requires …`); quoted values are not names. */
export function inputNamedIn(message: string): string | undefined {
  const unquoted = message.replace(/'[^']*'|"[^"]*"/g, " ");
  for (const m of unquoted.matchAll(/\b([A-Za-z][A-Za-z0-9]*(?:_[A-Za-z0-9]+)*)((?:\[\d+\])?(?:\.[a-z][a-z0-9_]*)?)/g)) {
    const name = m[1].toLowerCase();
    if (!INPUT_OF.has(name)) continue;
    const tail = m[2].match(/\[(\d+)\]|\.([a-z][a-z0-9_]*)/g) ?? [];
    return inputForPath([name, ...tail.map((t) => (t.startsWith("[") ? t.slice(1, -1) : t.slice(1)))]);
  }
  return undefined;
}

/**
 * The error for a non-2xx Bolna answer: the texts of `{detail}` (a string, or FastAPI's list of
 * `{loc, msg}`) or `{error, message}`, each tied to the input it names (else to `property`, the
 * input the call is about), with a hint per status; bounded like every vendor message.
 */
export function bolnaError(method: string, url: string, response: Pick<HttpResponse, "status" | "text">, property?: string): VendorApiError {
  const body = jsonOrUndefined(response.text);
  const problem = (detail: string, named?: string): VendorProblem => ({ detail, property: named ?? inputNamedIn(detail) ?? property });
  let problems: VendorProblem[];
  if (isObject(body) && Array.isArray(body.detail)) {
    problems = body.detail.map((d) => {
      const item: Record<string, unknown> = isObject(d) ? d : { msg: d };
      const loc = Array.isArray(item.loc) ? (item.loc as (string | number)[]) : [];
      return problem(String(item.msg ?? JSON.stringify(d)), inputForPath(loc));
    });
  } else if (isObject(body) && typeof body.detail === "string") {
    problems = [problem(body.detail)];
  } else if (isObject(body) && typeof body.message === "string") {
    problems = [{ ...problem(body.message), vendorCode: typeof body.error === "number" || typeof body.error === "string" ? String(body.error).slice(0, 20) : undefined }];
  } else {
    problems = [{ detail: describeBody(response.text, response.status), property }];
  }
  const hint = HINTS[response.status] ?? (response.status >= 500 ? "Bolna had a server error; the request was retried where that is safe." : undefined);
  return new VendorApiError({ vendor: "Bolna", method, url, status: response.status, code: codeForStatus(response.status), problems, hint, responseBody: body });
}

type Body = Readonly<Record<string, unknown>>;
type Bag = Record<string, unknown>;

export class BolnaClient {
  private readonly transport: VendorTransport;

  constructor(readonly settings: BolnaSettings, sendOptions: SendOptions = {}) {
    this.transport = new VendorTransport({
      vendor: "Bolna",
      baseUrl: settings.baseUrl,
      sendOptions: { budgetMs: settings.requestTimeoutMs, ...sendOptions },
      timeoutSetting: "bolna:requestTimeout seconds (BOLNA_REQUEST_TIMEOUT, default 60)",
    });
  }

  private headers(withBody: boolean): Record<string, string> {
    const h: Record<string, string> = { Authorization: `Bearer ${this.settings.apiKey}`, Accept: "application/json", "User-Agent": "pulumi-sip-trunks" };
    if (withBody) h["Content-Type"] = "application/json";
    return h;
  }

  /** One request; any status is returned, a missing answer throws a VendorApiError. */
  raw(method: string, path: string, body?: Body): Promise<HttpResponse> {
    return this.transport.request(method, path, this.headers(body !== undefined), body === undefined ? undefined : JSON.stringify(body));
  }

  error(method: string, path: string, response: HttpResponse, property?: string): VendorApiError {
    return bolnaError(method, this.transport.url(path), response, property);
  }

  /** The record of a 2xx answer: a JSON object with a string `id`, or the "unusable answer" error. */
  record(method: string, path: string, response: HttpResponse, what: string): Bag {
    const body = this.transport.jsonObject(method, path, response, what);
    if (typeof body.id !== "string" || body.id === "") throw this.transport.unusable(method, path, response, `"id" is ${JSON.stringify(body.id) ?? "missing"}`);
    return body;
  }

  /** GET one record; `undefined` on 404. */
  async get(path: string, what: string): Promise<Bag | undefined> {
    const response = await this.raw("GET", path);
    if (response.status === 404) return undefined;
    if (response.status !== 200) throw this.error("GET", path, response);
    return this.record("GET", path, response, what);
  }

  /** GET a list: Bolna answers a bare JSON array (no envelope, no paging). */
  async list(path: string): Promise<Bag[]> {
    const response = await this.raw("GET", path);
    if (response.status !== 200) throw this.error("GET", path, response);
    const items = jsonOrUndefined(response.text);
    if (!Array.isArray(items) || !items.every(isObject)) {
      throw this.transport.unusable("GET", path, response, `the body is ${response.text ? describeBody(response.text, response.status) : "empty"}, not a JSON array of records`);
    }
    return items as Bag[];
  }

  /** PATCH a record (idempotent: retried like a GET); returns the record as Bolna answers it. */
  async patch(path: string, body: Body, what: string): Promise<Bag> {
    const response = await this.raw("PATCH", path, body);
    if (response.status < 200 || response.status >= 300) throw this.error("PATCH", path, response);
    return this.record("PATCH", path, response, what);
  }

  /**
   * A create POST, classified for reconciliation: the record (after `accept` checked it), or an
   * ambiguous failure that may have created it (common/transport.ts createOutcomeOf). Any 2xx is
   * a success (the legacy API answers 201, the current one 200). `property`: the input a refusal
   * is about when its text names none.
   */
  createOutcome(path: string, body: Body, what: string, accept: (record: Bag) => void, property?: string): Promise<CreateOutcome<Bag>> {
    return createOutcomeOf(
      () => this.raw("POST", path, body),
      (response) => {
        const record = this.record("POST", path, response, what);
        accept(record);
        return record;
      },
      (response) => this.error("POST", path, response, property),
    );
  }

  /** DELETE; `false` when it was already gone (Bolna answers 200 with a `{message}`). */
  async remove(path: string): Promise<boolean> {
    const response = await this.raw("DELETE", path);
    if (response.status === 404) return false;
    if (response.status < 200 || response.status >= 300) throw this.error("DELETE", path, response);
    return true;
  }
}

const clientFor = clientCache(
  (settings: BolnaSettings) => new BolnaClient(settings),
  (s) => ({ plain: [s.baseUrl, s.requestTimeoutMs], secret: s.apiKey }),
);

/** The client for the current settings: one per process and settings (read each time: config can arrive after load). */
export function bolnaClient(from?: ConfigGetter): BolnaClient {
  return clientFor(bolnaSettings(from));
}
