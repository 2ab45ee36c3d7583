/**
 * DIDWW as a {@link Vendor} of the shared server: the route table under `/v3` (handlers in
 * handlers.ts), and what happens around every handler: `Api-Key` authentication, content
 * negotiation, the version header, the outbound-plan toggle and DIDWW's error envelopes.
 */
import type { EmulatorReply, EmulatorRequest, Route, Vendor, ErrorKind } from "../server";
import type { FaultEngine } from "../faults";
import {
  INTERNAL_SERVER_ERROR,
  KNOWN_API_VERSIONS,
  MEDIA_TYPE,
  NO_OUTBOUND_PLAN,
  TOO_MANY_REQUESTS,
  UNAUTHORIZED,
  notAcceptable,
  proxyErrorHtml,
  routeNotFound,
  unsupportedApiVersion,
  unsupportedMediaType,
} from "./messages";
import {
  PREFIX,
  createTrunk,
  deleteTrunk,
  errorReply,
  listDids,
  listTrunks,
  regenerateCredentials,
  relatedDids,
  relationshipLinkage,
  showDid,
  showTrunk,
  updateTrunk,
  type DidwwApi,
} from "./handlers";
import type { DidwwStore } from "./store";
import { didwwAdminRoutes } from "./admin";

export interface DidwwVendorOptions {
  store: DidwwStore;
  faults: FaultEngine;
  /** Accepted keys; absent = any non-empty key. */
  apiKeys?: readonly string[];
  /** Mask username/password on GET (the documented examples do). */
  maskCredentials: boolean;
  /** Mask them on POST/PATCH/PUT responses too (default false: the recordings show them in full). */
  maskCredentialsOnWrites?: boolean;
  /** Largest `page[size]` (DOCS: 100; OAS: 1000). */
  maxPageSize: number;
}

type Handler = (api: DidwwApi, req: EmulatorRequest) => EmulatorReply | Promise<EmulatorReply>;

/** [method, path, handler, tags]: `voice_out_trunks` marks what the outbound-plan toggle closes. */
const ROUTES: ReadonlyArray<[string | string[], string, Handler, string[]?]> = [
  ["GET", `${PREFIX}/voice_out_trunks`, listTrunks, ["voice_out_trunks"]],
  ["POST", `${PREFIX}/voice_out_trunks`, createTrunk, ["voice_out_trunks"]],
  ["GET", `${PREFIX}/voice_out_trunks/:id`, showTrunk, ["voice_out_trunks"]],
  [["PATCH", "PUT"], `${PREFIX}/voice_out_trunks/:id`, updateTrunk, ["voice_out_trunks"]],
  ["DELETE", `${PREFIX}/voice_out_trunks/:id`, deleteTrunk, ["voice_out_trunks"]],
  ["POST", `${PREFIX}/voice_out_trunk_regenerate_credentials`, regenerateCredentials, ["voice_out_trunks"]],
  ["GET", `${PREFIX}/voice_out_trunks/:id/relationships/:relationship`, relationshipLinkage, ["voice_out_trunks"]],
  ["GET", `${PREFIX}/voice_out_trunks/:id/:relationship`, relatedDids, ["voice_out_trunks"]],
  ["GET", `${PREFIX}/dids`, listDids],
  ["GET", `${PREFIX}/dids/:id`, showDid],
];

function header(req: EmulatorRequest, name: string): string | undefined {
  const v = req.headers[name];
  return Array.isArray(v) ? v.join(", ") : v;
}

function authenticate(opts: DidwwVendorOptions, req: EmulatorRequest): { key: string } | { reply: EmulatorReply } {
  const key = header(req, "api-key")?.trim();
  // DIDWW wants the bare key in this header; a "Bearer " prefix is refused.
  if (!key || /^bearer\s/i.test(key) || (opts.apiKeys && !opts.apiKeys.includes(key))) {
    return { reply: errorReply(401, [UNAUTHORIZED]) };
  }
  return { key };
}

/** Content negotiation and version header as jsonapi-resources and DIDWW check them, then the plan toggle. */
function gate(opts: DidwwVendorOptions, req: EmulatorRequest, route: Route): EmulatorReply | undefined {
  const accept = header(req, "accept");
  if (accept !== undefined && accept.trim() !== "") {
    const types = accept.split(",").map((t) => t.trim());
    if (!types.some((t) => t === MEDIA_TYPE || t.startsWith("*/*"))) return errorReply(406, [notAcceptable(accept)]);
  }
  const version = header(req, "x-didww-api-version")?.trim();
  // Known versions older than the account default (2026-04-16 here) are ignored, as documented.
  if (version && !(KNOWN_API_VERSIONS as readonly string[]).includes(version)) return errorReply(400, [unsupportedApiVersion(version)]);
  if (["POST", "PATCH", "PUT"].includes(req.method)) {
    const ct = (header(req, "content-type") ?? "").trim();
    if (ct.toLowerCase() !== MEDIA_TYPE) return errorReply(415, [unsupportedMediaType(ct)]);
  }
  if (opts.faults.noOutboundPlan && route.tags?.includes("voice_out_trunks")) return errorReply(403, [NO_OUTBOUND_PLAN]);
  return undefined;
}

/** DIDWW's answers to what the shared server produces: faults, 429, unknown routes, crashes. */
function vendorErrorReply(opts: DidwwVendorOptions, kind: ErrorKind, status: number, req: EmulatorRequest, detail?: string): EmulatorReply {
  const tooMany = () => errorReply(429, [TOO_MANY_REQUESTS(opts.faults.perSecond ?? 20)]);
  switch (kind) {
    case "rateLimited":
      return tooMany();
    case "notFound":
      return errorReply(404, [routeNotFound(req.method, req.path)]);
    case "internal":
      return errorReply(500, [INTERNAL_SERVER_ERROR]);
    case "badRequest":
      return errorReply(status, [{ title: "Bad Request", detail: detail ?? "Bad Request", code: "400", status: String(status) }]);
    case "injected":
      // 502/503 come from DIDWW's edge, not the JSON:API app, hence a proxy's HTML page.
      if (status === 429) return tooMany();
      if (status === 502) return { status, body: proxyErrorHtml(502, "Bad Gateway"), contentType: "text/html" };
      if (status === 503) return { status, body: proxyErrorHtml(503, "Service Temporarily Unavailable"), contentType: "text/html" };
      return errorReply(status, [{ ...INTERNAL_SERVER_ERROR, status: String(status), code: String(status) }]);
  }
}

export function createDidwwVendor(opts: DidwwVendorOptions): Vendor {
  const api: DidwwApi = {
    store: opts.store,
    maskCredentials: opts.maskCredentials,
    maskCredentialsOnWrites: opts.maskCredentialsOnWrites ?? false,
    maxPageSize: opts.maxPageSize,
  };
  return {
    name: "didww",
    prefix: PREFIX,
    routes: ROUTES.map(([method, path, handler, tags]) => ({ method, path, tags, handler: (req: EmulatorRequest) => handler(api, req) })),
    adminRoutes: didwwAdminRoutes(opts.store),
    authenticate: (req) => authenticate(opts, req),
    gate: (req, route) => gate(opts, req, route),
    errorReply: (kind, status, req, detail) => vendorErrorReply(opts, kind, status, req, detail),
    reset: () => opts.store.reset(),
  };
}
