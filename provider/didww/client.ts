/**
 * DIDWW API v3 client for outbound trunks: the only place that talks to DIDWW.
 *
 * One client per call site is cheap (no connection state here); what is shared per process
 * is the rate limiter for the API key and got's keep-alive agent.
 */
import { codeForStatus, redactUrl, VendorApiError, type VendorProblem } from "../common/errors";
import { send, NetworkFailure, type HttpResponse, type SendOptions } from "../common/http";
import { limiterFor } from "../common/rate-limit";
import { setting } from "../common/config";
import type { JsonApiResource } from "./mapping";
import { TRUNK_FIELDS } from "./fields";

export const DIDWW_API_VERSION = "2026-04-16";
export const DIDWW_PRODUCTION_URL = "https://api.didww.com/v3";
export const DIDWW_RATE_PER_SECOND = 20;
const MEDIA_TYPE = "application/vnd.api+json";

export interface DidwwSettings {
  apiKey: string;
  /** Base URL including `/v3`, without a trailing slash. */
  baseUrl: string;
  requestsPerSecond: number;
}

/** Settings from stack config (`didww:apiKey`, `didww:apiUrl`) or env (`DIDWW_API_KEY`, `DIDWW_API_URL`). */
export function didwwSettings(): DidwwSettings {
  const apiKey = setting("didww:apiKey", "DIDWW_API_KEY");
  if (!apiKey) {
    throw new Error(
      "didww.OutboundTrunk: no DIDWW API key. Set it with `pulumi config set --secret didww:apiKey <key>` " +
        "or the DIDWW_API_KEY environment variable.",
    );
  }
  const baseUrl = (setting("didww:apiUrl", "DIDWW_API_URL") ?? DIDWW_PRODUCTION_URL).replace(/\/+$/, "");
  const rate = Number(setting("didww:requestsPerSecond", "DIDWW_REQUESTS_PER_SECOND") ?? DIDWW_RATE_PER_SECOND);
  return { apiKey, baseUrl, requestsPerSecond: Number.isFinite(rate) && rate > 0 ? rate : DIDWW_RATE_PER_SECOND };
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
    const sub: Record<string, string> = { type: "type", allowed_sip_ips: "allowedSipIps", tech_prefix: "techPrefix", twilio_account_sid: "twilioAccountSid" };
    return leaf ? `authenticationMethod.${sub[leaf] ?? leaf}` : "authenticationMethod";
  }
  return TRUNK_FIELDS.find((f) => f.api === parts[2])?.input ?? parts[2];
}

const HINTS: Record<number, string> = {
  401: "Check the API key: `pulumi config set --secret didww:apiKey <key>` or DIDWW_API_KEY (keys can be restricted to source IPs).",
  403: "The DIDWW account may not use outbound trunks through the API (no outbound plan, or the Outbound API feature is off).",
  429: "DIDWW kept answering 429 (20 requests per second per key) after every retry; lower didww:requestsPerSecond or retry later.",
};

/** The error for a non-2xx DIDWW response: each JSON:API error's detail and pointer, in DIDWW's words. */
export function didwwError(method: string, url: string, response: Pick<HttpResponse, "status" | "text">): VendorApiError {
  let body: unknown;
  try {
    body = response.text ? JSON.parse(response.text) : undefined;
  } catch {
    body = undefined;
  }
  const errors = (body as { errors?: unknown })?.errors;
  const problems: VendorProblem[] = Array.isArray(errors)
    ? errors.map((e: Record<string, unknown>) => {
        const pointer = (e.source as { pointer?: string } | undefined)?.pointer;
        return {
          detail: String(e.detail ?? e.title ?? "error"),
          title: e.title === undefined ? undefined : String(e.title),
          vendorCode: e.code === undefined ? undefined : String(e.code),
          pointer,
          property: propertyForPointer(pointer),
        };
      })
    : [{ detail: response.text ? response.text.slice(0, 300) : "(empty body)" }];
  const hint = HINTS[response.status] ?? (response.status >= 500 ? "DIDWW had a server error; the request was retried where that is safe." : undefined);
  return new VendorApiError({ vendor: "DIDWW", method, url, status: response.status, code: codeForStatus(response.status), problems, hint, responseBody: body });
}

export interface TrunkDocument {
  data: JsonApiResource;
  included?: JsonApiResource[];
  meta?: Record<string, unknown>;
}

export class DidwwClient {
  private readonly sendOptions: SendOptions;

  constructor(private readonly settings: DidwwSettings, sendOptions: SendOptions = {}) {
    this.sendOptions = { limiter: limiterFor("didww", settings.apiKey, settings.requestsPerSecond), ...sendOptions };
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

  /** Sends one request; returns the response for any status, throws a VendorApiError when no response came. */
  async raw(method: string, path: string, body?: unknown): Promise<HttpResponse> {
    const url = `${this.settings.baseUrl}${path}`;
    try {
      return await send({ method, url, headers: this.headers(body !== undefined), body: body === undefined ? undefined : JSON.stringify(body) }, this.sendOptions);
    } catch (err) {
      if (err instanceof NetworkFailure) {
        const e = new VendorApiError({
          vendor: "DIDWW", method, url, code: "NETWORK",
          problems: [{ detail: `no response (${err.networkErrorCode})` }],
          hint: err.maybeApplied ? "The request may have reached DIDWW before the connection failed." : `Is ${redactUrl(this.settings.baseUrl)} reachable?`,
          cause: err,
        });
        Object.defineProperty(e, "maybeApplied", { value: err.maybeApplied, enumerable: false });
        throw e;
      }
      throw err;
    }
  }

  private parse<T>(method: string, path: string, response: HttpResponse): T {
    try {
      return JSON.parse(response.text) as T;
    } catch {
      throw new VendorApiError({ vendor: "DIDWW", method, url: `${this.settings.baseUrl}${path}`, status: response.status, code: "UNEXPECTED", problems: [{ detail: "the response body is not JSON" }] });
    }
  }

  private async call<T>(method: string, path: string, body?: unknown, okStatuses: number[] = [200]): Promise<T> {
    const response = await this.raw(method, path, body);
    if (!okStatuses.includes(response.status)) throw didwwError(method, `${this.settings.baseUrl}${path}`, response);
    return this.parse<T>(method, path, response);
  }

  /** The trunk with its DID linkage, or `undefined` when DIDWW has no such trunk. */
  async getTrunk(id: string): Promise<TrunkDocument | undefined> {
    const path = `/voice_out_trunks/${encodeURIComponent(id)}?include=dids,emergency_dids`;
    const response = await this.raw("GET", path);
    if (response.status === 404) return undefined;
    if (response.status !== 200) throw didwwError("GET", `${this.settings.baseUrl}${path}`, response);
    return this.parse<TrunkDocument>("GET", path, response);
  }

  /** Trunks matching `filter` (e.g. `{ name: "x" }`), every page, with their DID linkage. */
  async listTrunks(filter: Record<string, string> = {}): Promise<JsonApiResource[]> {
    const out: JsonApiResource[] = [];
    for (let page = 1; page <= 1000; page++) {
      const q = new URLSearchParams();
      for (const [k, v] of Object.entries(filter)) q.set(`filter[${k}]`, v);
      q.set("page[number]", String(page));
      q.set("page[size]", "100");
      q.set("include", "dids,emergency_dids");
      const doc = await this.call<{ data: JsonApiResource[]; meta?: { total_records?: number } }>("GET", `/voice_out_trunks?${q.toString()}`);
      out.push(...doc.data);
      const total = doc.meta?.total_records;
      if (!doc.data.length || (total !== undefined && out.length >= total)) break;
    }
    return out;
  }

  /**
   * POST a new trunk. Returns the raw response so the caller can reconcile an ambiguous
   * failure (5xx or a lost connection after the request was sent) instead of retrying blindly.
   */
  async postTrunk(payload: unknown): Promise<HttpResponse> {
    return this.raw("POST", "/voice_out_trunks", payload);
  }

  responseError(method: string, path: string, response: HttpResponse): VendorApiError {
    return didwwError(method, `${this.settings.baseUrl}${path}`, response);
  }

  parseDocument(method: string, path: string, response: HttpResponse): TrunkDocument {
    return this.parse<TrunkDocument>(method, path, response);
  }

  async patchTrunk(id: string, payload: unknown): Promise<TrunkDocument> {
    return this.call<TrunkDocument>("PATCH", `/voice_out_trunks/${encodeURIComponent(id)}`, payload);
  }

  /**
   * A PATCH that changes nothing. DIDWW answers writes with the credentials in full, while a GET
   * may show them masked; this is how credentials are learned after a rotation or an adoption.
   */
  async touchTrunk(id: string): Promise<TrunkDocument> {
    return this.patchTrunk(id, { data: { id, type: "voice_out_trunks" } });
  }

  /** Deletes the trunk; `false` when it was already gone. */
  async deleteTrunk(id: string): Promise<boolean> {
    const path = `/voice_out_trunks/${encodeURIComponent(id)}`;
    const response = await this.raw("DELETE", path);
    if (response.status === 404) return false;
    if (response.status !== 204 && response.status !== 200) throw didwwError("DELETE", `${this.settings.baseUrl}${path}`, response);
    return true;
  }

  /** Asks DIDWW for new SIP credentials; read them back from the trunk afterwards. */
  async regenerateCredentials(id: string): Promise<void> {
    await this.call("POST", "/voice_out_trunk_regenerate_credentials", {
      data: { type: "voice_out_trunk_regenerate_credentials", relationships: { voice_out_trunk: { data: { type: "voice_out_trunks", id } } } },
    }, [200, 201]);
  }
}
