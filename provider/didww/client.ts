/**
 * DIDWW API v3 client for outbound trunks: the only place that talks to DIDWW.
 *
 * The client holds no connection state of its own; what is shared per process is the rate
 * limiter for the API key and got's keep-alive agent. crud.ts keeps one client per settings.
 */
import { bounded, codeForStatus, describeBody, VendorApiError, type VendorProblem } from "../common/errors";
import type { HttpResponse, SendOptions } from "../common/http";
import { isObject, jsonOrUndefined, VendorTransport } from "../common/transport";
import { limiterFor } from "../common/rate-limit";
import { setting } from "../common/config";
import { preview } from "../common/response";
import type { JsonApiResource } from "./mapping";
import { AUTH_SUBFIELD_LIST, TRUNK_FIELDS } from "./fields";

export const DIDWW_API_VERSION = "2026-04-16";
export const DIDWW_PRODUCTION_URL = "https://api.didww.com/v3";
export const DIDWW_RATE_PER_SECOND = 20;
/** Default total time of one logical request, retries included (seconds). */
export const DIDWW_REQUEST_TIMEOUT_S = 60;
const MEDIA_TYPE = "application/vnd.api+json";
const TRUNKS = "/voice_out_trunks";
/** What every read and write asks DIDWW to include, so one answer carries the DID linkage. */
const INCLUDE = "include=dids,emergency_dids";

export interface DidwwSettings {
  apiKey: string;
  /** Base URL including `/v3`, without a trailing slash. */
  baseUrl: string;
  requestsPerSecond: number;
  /** Total time budget of one logical request in milliseconds (default 60 s). */
  requestTimeoutMs?: number;
}

export const MISSING_KEY_MESSAGE =
  "didww.OutboundTrunk: no DIDWW API key. Set it with `pulumi config set --secret didww:apiKey <key>` " +
  "or the DIDWW_API_KEY environment variable.";

function positive(text: string | undefined, fallback: number): number {
  const n = Number(text ?? fallback);
  return Number.isFinite(n) && n > 0 ? n : fallback;
}

/** Settings from stack config (`didww:apiKey`, `didww:apiUrl`, ...) or env (`DIDWW_API_KEY`, `DIDWW_API_URL`, ...). */
export function didwwSettings(): DidwwSettings {
  const apiKey = setting("didww:apiKey", "DIDWW_API_KEY");
  if (!apiKey) throw new Error(MISSING_KEY_MESSAGE);
  const baseUrl = (setting("didww:apiUrl", "DIDWW_API_URL") ?? DIDWW_PRODUCTION_URL).replace(/\/+$/, "");
  return {
    apiKey,
    baseUrl,
    requestsPerSecond: positive(setting("didww:requestsPerSecond", "DIDWW_REQUESTS_PER_SECOND"), DIDWW_RATE_PER_SECOND),
    requestTimeoutMs: positive(setting("didww:requestTimeout", "DIDWW_REQUEST_TIMEOUT"), DIDWW_REQUEST_TIMEOUT_S) * 1000,
  };
}

/** Maps a JSON:API `source.pointer` to the resource input it is about. */
export function propertyForPointer(pointer: string | undefined): string | undefined {
  if (!pointer) return undefined;
  const parts = pointer.split("/").filter(Boolean);
  if (parts[0] !== "data") return undefined;
  if (parts[1] === "relationships" && parts[2]) return TRUNK_FIELDS.find((f) => f.relationship && f.api === parts[2])?.input ?? parts[2];
  if (parts[1] !== "attributes" || !parts[2]) return undefined;
  if (parts[2] === "authentication_method") {
    const leaf = parts[3] === "attributes" ? parts[4] : parts[3];
    if (!leaf) return "authenticationMethod";
    if (leaf === "type") return "authenticationMethod.type";
    return `authenticationMethod.${AUTH_SUBFIELD_LIST.find((f) => f.api === leaf)?.input ?? leaf}`;
  }
  return TRUNK_FIELDS.find((f) => f.api === parts[2])?.input ?? parts[2];
}

const HINTS: Record<number, string> = {
  401: "Check the API key: `pulumi config set --secret didww:apiKey <key>` or DIDWW_API_KEY (keys can be restricted to source IPs).",
  403: "The DIDWW account may not use outbound trunks through the API (no outbound plan, or the Outbound API feature is off).",
  429: "DIDWW kept answering 429 (20 requests per second per key) after every retry; lower didww:requestsPerSecond or retry later.",
};

/** The error for a non-2xx DIDWW response: each JSON:API error's detail and pointer, in DIDWW's words, bounded. */
export function didwwError(method: string, url: string, response: Pick<HttpResponse, "status" | "text">): VendorApiError {
  const body = jsonOrUndefined(response.text);
  const errors = (body as { errors?: unknown } | undefined)?.errors;
  const problems: VendorProblem[] = Array.isArray(errors)
    ? errors.map((raw: unknown) => {
        const e = (raw !== null && typeof raw === "object" ? raw : { detail: String(raw) }) as Record<string, unknown>;
        const pointer = typeof (e.source as { pointer?: unknown } | undefined)?.pointer === "string" ? (e.source as { pointer: string }).pointer : undefined;
        return {
          detail: String(e.detail ?? e.title ?? "error"),
          title: e.title === undefined ? undefined : bounded(String(e.title), 100),
          vendorCode: e.code === undefined ? undefined : bounded(String(e.code), 20),
          pointer,
          property: propertyForPointer(pointer),
        };
      })
    : [{ detail: describeBody(response.text, response.status) }];
  const hint = HINTS[response.status] ?? (response.status >= 500 ? "DIDWW had a server error; the request was retried where that is safe." : undefined);
  return new VendorApiError({ vendor: "DIDWW", method, url, status: response.status, code: codeForStatus(response.status), problems, hint, responseBody: body });
}

export interface TrunkDocument {
  data: JsonApiResource;
  included?: JsonApiResource[];
  meta?: Record<string, unknown>;
}

/** Why a JSON:API resource object is unusable as a trunk, or `undefined` when its shape is right. */
export function trunkShapeProblem(data: unknown): string | undefined {
  if (!isObject(data)) return `"data" is ${preview(data)}, not a resource object`;
  if (typeof data.id !== "string" || data.id === "") return `"data.id" is ${preview(data.id)}, not an id`;
  if (data.type !== "voice_out_trunks") return `"data.type" is ${preview(data.type)}, not "voice_out_trunks"`;
  if (data.attributes !== undefined && !isObject(data.attributes)) return `"data.attributes" is ${preview(data.attributes)}, not an object`;
  if (data.relationships !== undefined && !isObject(data.relationships)) return `"data.relationships" is ${preview(data.relationships)}, not an object`;
  for (const [name, rel] of Object.entries((data.relationships ?? {}) as Record<string, unknown>)) {
    const linkage = isObject(rel) ? rel.data : undefined;
    if (linkage === undefined || linkage === null) continue;
    const items = Array.isArray(linkage) ? linkage : [linkage];
    if (!items.every((d) => isObject(d) && typeof d.id === "string")) return `relationship "${name}" has malformed linkage ${preview(linkage)}`;
  }
  return undefined;
}

export class DidwwClient {
  private readonly transport: VendorTransport;

  constructor(private readonly settings: DidwwSettings, sendOptions: SendOptions = {}) {
    this.transport = new VendorTransport({
      vendor: "DIDWW",
      baseUrl: settings.baseUrl,
      sendOptions: { limiter: limiterFor("didww", settings.apiKey, settings.requestsPerSecond), budgetMs: settings.requestTimeoutMs, ...sendOptions },
      timeoutSetting: "didww:requestTimeout seconds (DIDWW_REQUEST_TIMEOUT, default 60)",
    });
  }

  private headers(withBody: boolean): Record<string, string> {
    const h: Record<string, string> = {
      "Api-Key": this.settings.apiKey,
      Accept: MEDIA_TYPE,
      "X-DIDWW-API-Version": DIDWW_API_VERSION,
      "User-Agent": "pulumi-sip-trunks",
    };
    if (withBody) h["Content-Type"] = MEDIA_TYPE;
    return h;
  }

  private url(path: string): string {
    return this.transport.url(path);
  }

  /** Sends one request; returns the response for any status, throws a VendorApiError when no response came. */
  raw(method: string, path: string, body?: unknown): Promise<HttpResponse> {
    return this.transport.request(method, path, this.headers(body !== undefined), body === undefined ? undefined : JSON.stringify(body));
  }

  /** An answer DIDWW sent with a success status that cannot be used (not JSON, wrong shape). */
  unusable(method: string, path: string, response: HttpResponse, why: string): VendorApiError {
    return this.transport.unusable(method, path, response, why);
  }

  /** A single-trunk document from a 2xx answer, its shape checked. */
  parseTrunkDocument(method: string, path: string, response: HttpResponse): TrunkDocument {
    const body = this.transport.jsonObject(method, path, response, "a JSON:API document");
    const data = body.data;
    const problem = trunkShapeProblem(data);
    if (problem) return this.throwUnusable(method, path, response, problem);
    return { ...body, data: data as JsonApiResource };
  }

  private throwUnusable(method: string, path: string, response: HttpResponse, why: string): never {
    throw this.unusable(method, path, response, why);
  }

  /** A single trunk document, or the error for its status. */
  private async trunkCall(method: string, path: string, body?: unknown, okStatuses: number[] = [200]): Promise<TrunkDocument> {
    const response = await this.raw(method, path, body);
    if (!okStatuses.includes(response.status)) throw didwwError(method, this.url(path), response);
    return this.parseTrunkDocument(method, path, response);
  }

  /** The trunk with its DID linkage, or `undefined` when DIDWW has no such trunk. */
  async getTrunk(id: string): Promise<TrunkDocument | undefined> {
    const path = `${TRUNKS}/${encodeURIComponent(id)}?${INCLUDE}`;
    const response = await this.raw("GET", path);
    if (response.status === 404) return undefined;
    if (response.status !== 200) throw didwwError("GET", this.url(path), response);
    return this.parseTrunkDocument("GET", path, response);
  }

  /**
   * Trunks created at or after `since` (epoch ms), newest first, with their DID linkage.
   * Used to find what an ambiguous create may have made: sorting by creation time rather than
   * filtering by name, because DIDWW reads a comma in `filter[name]` as "any of these names".
   */
  async listRecentTrunks(since: number): Promise<JsonApiResource[]> {
    const out: JsonApiResource[] = [];
    for (let page = 1; page <= 100; page++) {
      const path = `${TRUNKS}?sort=-created_at&page[number]=${page}&page[size]=100&${INCLUDE}`;
      const response = await this.raw("GET", path);
      if (response.status !== 200) throw didwwError("GET", this.url(path), response);
      const body = jsonOrUndefined(response.text);
      const data = isObject(body) ? body.data : undefined;
      if (!Array.isArray(data)) this.throwUnusable("GET", path, response, "the body is not a JSON:API collection");
      let older = false;
      for (const item of data) {
        const problem = trunkShapeProblem(item);
        if (problem) this.throwUnusable("GET", path, response, problem);
        const created = Date.parse(String((item as JsonApiResource).attributes?.created_at ?? ""));
        if (Number.isFinite(created) && created < since) older = true;
        else out.push(item as JsonApiResource);
      }
      if (older || data.length < 100) break;
    }
    return out;
  }

  /**
   * POST a new trunk (with the DID linkage included in the answer). Returns the raw response so
   * the caller can reconcile an ambiguous outcome instead of retrying blindly.
   */
  async postTrunk(payload: unknown): Promise<HttpResponse> {
    return this.raw("POST", `${TRUNKS}?${INCLUDE}`, payload);
  }

  /** The path postTrunk uses, for error messages. */
  readonly createPath = `${TRUNKS}?${INCLUDE}`;

  responseError(method: string, path: string, response: HttpResponse): VendorApiError {
    return didwwError(method, this.url(path), response);
  }

  async patchTrunk(id: string, payload: unknown): Promise<TrunkDocument> {
    return this.trunkCall("PATCH", `${TRUNKS}/${encodeURIComponent(id)}?${INCLUDE}`, payload);
  }

  /**
   * A PATCH that changes nothing. DIDWW answers writes with the credentials in full, while a GET
   * may show them masked; this is how credentials are learned after a rotation or an adoption.
   * `undefined` when the trunk does not exist.
   */
  async touchTrunk(id: string): Promise<TrunkDocument | undefined> {
    const path = `${TRUNKS}/${encodeURIComponent(id)}?${INCLUDE}`;
    const response = await this.raw("PATCH", path, { data: { id, type: "voice_out_trunks" } });
    if (response.status === 404) return undefined;
    if (response.status !== 200) throw didwwError("PATCH", this.url(path), response);
    return this.parseTrunkDocument("PATCH", path, response);
  }

  /** Deletes the trunk; `false` when it was already gone. */
  async deleteTrunk(id: string): Promise<boolean> {
    const path = `${TRUNKS}/${encodeURIComponent(id)}`;
    const response = await this.raw("DELETE", path);
    if (response.status === 404) return false;
    if (response.status !== 204 && response.status !== 200) throw didwwError("DELETE", this.url(path), response);
    return true;
  }

  /** Asks DIDWW for new SIP credentials; read them back from the trunk afterwards. */
  async regenerateCredentials(id: string): Promise<void> {
    const path = "/voice_out_trunk_regenerate_credentials";
    const response = await this.raw("POST", path, {
      data: { type: "voice_out_trunk_regenerate_credentials", relationships: { voice_out_trunk: { data: { type: "voice_out_trunks", id } } } },
    });
    if (response.status !== 200 && response.status !== 201) throw didwwError("POST", this.url(path), response);
  }
}
