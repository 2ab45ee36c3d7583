/**
 * DIDWW's route table: `voice_out_trunks`, `voice_out_trunk_regenerate_credentials` and `dids`
 * under `/v3`, with DIDWW's authentication, content negotiation, version header and envelopes.
 */
import { randomUUID } from "node:crypto";
import type { EmulatorReply, EmulatorRequest, Route, Vendor, ErrorKind } from "../server";
import type { FaultEngine } from "../faults";
import {
  API_VERSION,
  INTERNAL_SERVER_ERROR,
  KNOWN_API_VERSIONS,
  MEDIA_TYPE,
  MSG,
  NO_OUTBOUND_PLAN,
  TOO_MANY_REQUESTS,
  UNAUTHORIZED,
  errorsDocument,
  invalidJson,
  notAcceptable,
  proxyErrorHtml,
  recordNotFound,
  routeNotFound,
  unsupportedApiVersion,
  unsupportedMediaType,
  validationError,
  type JsonApiError,
} from "./messages";
import { DID_ATTRIBUTE_ORDER, DID_RELATIONSHIPS, TRUNK_ATTRIBUTE_ORDER, TRUNK_RELATIONSHIPS, type DidwwDid, type DidwwTrunk } from "./model";
import { generateCredential } from "./normalize";
import { paginationLinks, parseQuery, selectPage, type ParsedQuery, type ResourceQuerySpec } from "./query";
import { collectionDocument, includedDids, serializeDid, serializeTrunk, singleDocument, type SerializeOptions } from "./serialize";
import type { DidwwStore } from "./store";
import { TRUNK_WRITE_RELATIONSHIPS, WRITABLE_ATTRIBUTES, applyTrunkWrite, parseDocument, type Outcome } from "./validate";
import { didwwAdminRoutes } from "./admin";

export interface DidwwVendorOptions {
  store: DidwwStore;
  faults: FaultEngine;
  /** Accepted keys; absent = any non-empty key. */
  apiKeys?: readonly string[];
  /** Mask username/password on GET (default true). POST/PATCH/PUT always return them in full. */
  maskCredentials: boolean;
  /** Largest `page[size]` (DOCS: 100; OAS: 1000). */
  maxPageSize: number;
}

const PREFIX = "/v3";

const T = (r: unknown) => r as DidwwTrunk;
const D = (r: unknown) => r as DidwwDid;

const FIELDS = {
  voice_out_trunks: [...TRUNK_ATTRIBUTE_ORDER, ...TRUNK_RELATIONSHIPS],
  dids: [...DID_ATTRIBUTE_ORDER, ...DID_RELATIONSHIPS],
};

/** Filters: OAS `VoiceOutTrunkFilter` plus seed 000's `emergency_enable_all`. */
export const TRUNK_QUERY: ResourceQuerySpec = {
  type: "voice_out_trunks",
  filters: {
    id: { kind: "exact", get: (r) => T(r).id },
    name: { kind: "exact", allowBlank: true, get: (r) => T(r).name },
    name_contains: { kind: "contains", allowBlank: true, get: (r) => T(r).name },
    external_reference_id: { kind: "exact", get: (r) => T(r).external_reference_id },
    on_cli_mismatch_action: { kind: "exact", allowBlank: true, get: (r) => T(r).on_cli_mismatch_action },
    allow_any_did_as_cli: { kind: "boolean", get: (r) => T(r).allow_any_did_as_cli },
    status: { kind: "exact", get: (r) => T(r).status },
    threshold_reached: { kind: "boolean", get: (r) => T(r).threshold_reached },
    default_dst_action: { kind: "exact", get: (r) => T(r).default_dst_action },
    media_encryption_mode: { kind: "exact", get: (r) => T(r).media_encryption_mode },
    "authentication_method.type": { kind: "exact", get: (r) => T(r).authentication_method.type },
    emergency_enable_all: { kind: "boolean", get: (r) => T(r).emergency_enable_all },
    /** Accepted (OAS) but never matches: the emulator does not model `default_did`. */
    "default_did.id": { kind: "exact", get: () => undefined },
  },
  sorts: {
    name: (r) => T(r).name,
    created_at: (r) => T(r).created_at,
    allow_any_did_as_cli: (r) => T(r).allow_any_did_as_cli,
    threshold_reached: (r) => T(r).threshold_reached,
    external_reference_id: (r) => T(r).external_reference_id,
  },
  includes: ["dids", "emergency_dids"],
  fields: FIELDS,
};

/** DIDs: the filters the reference names (`id`, `number`, `emergency_enabled`) and a few flags. */
export const DID_QUERY: ResourceQuerySpec = {
  type: "dids",
  filters: {
    id: { kind: "exact", get: (r) => D(r).id },
    number: { kind: "exact", get: (r) => D(r).number },
    emergency_enabled: { kind: "boolean", get: (r) => D(r).emergency_enabled },
    blocked: { kind: "boolean", get: (r) => D(r).blocked },
    terminated: { kind: "boolean", get: (r) => D(r).terminated },
    awaiting_registration: { kind: "boolean", get: (r) => D(r).awaiting_registration },
    description: { kind: "exact", get: (r) => D(r).description },
  },
  sorts: { number: (r) => D(r).number, created_at: (r) => D(r).created_at, expires_at: (r) => D(r).expires_at },
  includes: [],
  fields: { dids: FIELDS.dids },
};

const jsonApi = (status: number, body?: unknown): EmulatorReply => ({ status, body, contentType: MEDIA_TYPE });
const errorReply = (status: number, errors: JsonApiError[]): EmulatorReply => jsonApi(status, errorsDocument(...errors));

function header(req: EmulatorRequest, name: string): string | undefined {
  const v = req.headers[name];
  return Array.isArray(v) ? v.join(", ") : v;
}

function parseJsonBody(req: EmulatorRequest): Outcome<unknown> {
  const text = req.body.toString("utf8");
  if (text.trim() === "") return { ok: true, value: undefined };
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch (e) {
    return { ok: false, status: 400, errors: [invalidJson((e as Error).message)] };
  }
}

export function createDidwwVendor(opts: DidwwVendorOptions): Vendor {
  const { store } = opts;

  const apiBase = (req: EmulatorRequest) => `${req.baseUrl}${PREFIX}`;
  const serializeOpts = (req: EmulatorRequest, q: ParsedQuery, mask: boolean): SerializeOptions => ({
    apiBase: apiBase(req),
    mask,
    include: q.include,
    fields: q.fields,
  });

  const query = (req: EmulatorRequest, spec: ResourceQuerySpec, collection: boolean) =>
    parseQuery(req.url.searchParams, spec, { maxPageSize: opts.maxPageSize, collection });

  const trunkDocument = (req: EmulatorRequest, t: DidwwTrunk, q: ParsedQuery, mask: boolean) => {
    const o = serializeOpts(req, q, mask);
    return singleDocument(serializeTrunk(t, o), includedDids([t], o, store._peekDid));
  };

  /** Awaits durability; a failed write is a 500 (the change was never acknowledged). */
  const commit = async (): Promise<EmulatorReply | undefined> => {
    try {
      await store.commit();
      return undefined;
    } catch {
      return errorReply(500, [INTERNAL_SERVER_ERROR]);
    }
  };

  const listTrunks: Route = {
    method: "GET",
    path: `${PREFIX}/voice_out_trunks`,
    tags: ["voice_out_trunks"],
    handler(req) {
      const q = query(req, TRUNK_QUERY, true);
      if (!q.ok) return errorReply(400, q.errors);
      const { all, page } = selectPage(store._allTrunks(), q.value, TRUNK_QUERY);
      const o = serializeOpts(req, q.value, opts.maskCredentials);
      return jsonApi(
        200,
        collectionDocument(
          page.map((t) => serializeTrunk(t, o)),
          all.length,
          paginationLinks(`${apiBase(req)}/voice_out_trunks`, q.value, all.length),
          includedDids(page, o, store._peekDid),
        ),
      );
    },
  };

  const showTrunk: Route = {
    method: "GET",
    path: `${PREFIX}/voice_out_trunks/:id`,
    tags: ["voice_out_trunks"],
    handler(req) {
      const q = query(req, TRUNK_QUERY, false);
      if (!q.ok) return errorReply(400, q.errors);
      const t = store._peekTrunk(req.params.id);
      if (!t) return errorReply(404, [recordNotFound(req.params.id)]);
      return jsonApi(200, trunkDocument(req, t, q.value, opts.maskCredentials));
    },
  };

  const createTrunk: Route = {
    method: "POST",
    path: `${PREFIX}/voice_out_trunks`,
    tags: ["voice_out_trunks"],
    async handler(req) {
      const q = query(req, TRUNK_QUERY, false);
      if (!q.ok) return errorReply(400, q.errors);
      const body = parseJsonBody(req);
      if (!body.ok) return errorReply(body.status, body.errors);
      const doc = parseDocument(body.value, { type: "voice_out_trunks", mode: "create", attributes: WRITABLE_ATTRIBUTES, relationships: TRUNK_WRITE_RELATIONSHIPS });
      if (!doc.ok) return errorReply(doc.status, doc.errors);
      const result = applyTrunkWrite(
        { attributes: doc.value.attributes, relationships: doc.value.relationships as { dids?: string[]; emergency_dids?: string[] } },
        { mode: "create", getDid: store._peekDid },
      );
      if (!result.ok) return errorReply(result.status, result.errors);
      const trunk: DidwwTrunk = { id: randomUUID(), created_at: new Date().toISOString(), ...result.value };
      store._save(trunk);
      const failed = await commit();
      if (failed) return failed;
      return jsonApi(201, trunkDocument(req, trunk, q.value, false));
    },
  };

  const updateTrunk: Route = {
    method: ["PATCH", "PUT"],
    path: `${PREFIX}/voice_out_trunks/:id`,
    tags: ["voice_out_trunks"],
    async handler(req) {
      const q = query(req, TRUNK_QUERY, false);
      if (!q.ok) return errorReply(400, q.errors);
      const body = parseJsonBody(req);
      if (!body.ok) return errorReply(body.status, body.errors);
      const doc = parseDocument(body.value, {
        type: "voice_out_trunks",
        mode: "update",
        pathId: req.params.id,
        attributes: WRITABLE_ATTRIBUTES,
        relationships: TRUNK_WRITE_RELATIONSHIPS,
      });
      if (!doc.ok) return errorReply(doc.status, doc.errors);
      // Read, validate and write without yielding: concurrent requests never interleave here.
      const existing = store._peekTrunk(req.params.id);
      if (!existing) return errorReply(404, [recordNotFound(req.params.id)]);
      const result = applyTrunkWrite(
        { attributes: doc.value.attributes, relationships: doc.value.relationships as { dids?: string[]; emergency_dids?: string[] } },
        { mode: "update", existing, getDid: store._peekDid },
      );
      if (!result.ok) return errorReply(result.status, result.errors);
      const trunk: DidwwTrunk = { id: existing.id, created_at: existing.created_at, ...result.value };
      store._save(trunk);
      const failed = await commit();
      if (failed) return failed;
      return jsonApi(200, trunkDocument(req, trunk, q.value, false));
    },
  };

  const deleteTrunk: Route = {
    method: "DELETE",
    path: `${PREFIX}/voice_out_trunks/:id`,
    tags: ["voice_out_trunks"],
    async handler(req) {
      if (!store._remove(req.params.id)) return errorReply(404, [recordNotFound(req.params.id)]);
      const failed = await commit();
      if (failed) return failed;
      return { status: 204 };
    },
  };

  const regenerate: Route = {
    method: "POST",
    path: `${PREFIX}/voice_out_trunk_regenerate_credentials`,
    tags: ["voice_out_trunks"],
    async handler(req) {
      const body = parseJsonBody(req);
      if (!body.ok) return errorReply(body.status, body.errors);
      const doc = parseDocument(body.value, {
        type: "voice_out_trunk_regenerate_credentials",
        mode: "create",
        attributes: [],
        relationships: { voice_out_trunk: { kind: "one", type: "voice_out_trunks" } },
      });
      if (!doc.ok) return errorReply(doc.status, doc.errors);
      const pointer = "/data/relationships/voice_out_trunk";
      const id = doc.value.relationships.voice_out_trunk;
      const trunk = typeof id === "string" ? store._peekTrunk(id) : undefined;
      if (!trunk) return errorReply(422, [validationError("voice_out_trunk", MSG.blank, pointer)]);
      const auth = trunk.authentication_method;
      if (auth.type !== "credentials_and_ip") return errorReply(422, [validationError("voice_out_trunk", MSG.noCredentialsToRotate, pointer)]);
      const updated: DidwwTrunk = {
        ...trunk,
        authentication_method: { type: "credentials_and_ip", attributes: { ...auth.attributes, username: generateCredential(), password: generateCredential() } },
      };
      store._save(updated);
      const failed = await commit();
      if (failed) return failed;
      return jsonApi(201, singleDocument({ id: trunk.id, type: "voice_out_trunk_regenerate_credentials" }));
    },
  };

  const relationshipLinkage: Route = {
    method: "GET",
    path: `${PREFIX}/voice_out_trunks/:id/relationships/:relationship`,
    tags: ["voice_out_trunks"],
    handler(req) {
      const rel = req.params.relationship as "dids" | "emergency_dids";
      if (!(TRUNK_RELATIONSHIPS as readonly string[]).includes(rel)) return errorReply(404, [routeNotFound(req.method, req.path)]);
      const t = store._peekTrunk(req.params.id);
      if (!t) return errorReply(404, [recordNotFound(req.params.id)]);
      const base = `${apiBase(req)}/voice_out_trunks/${t.id}`;
      return jsonApi(200, {
        links: { self: `${base}/relationships/${rel}`, related: `${base}/${rel}` },
        data: t[rel].map((id) => ({ type: "dids", id })),
        meta: { api_version: API_VERSION },
      });
    },
  };

  const relatedDids: Route = {
    method: "GET",
    path: `${PREFIX}/voice_out_trunks/:id/:relationship`,
    tags: ["voice_out_trunks"],
    handler(req) {
      const rel = req.params.relationship as "dids" | "emergency_dids";
      if (!(TRUNK_RELATIONSHIPS as readonly string[]).includes(rel)) return errorReply(404, [routeNotFound(req.method, req.path)]);
      const t = store._peekTrunk(req.params.id);
      if (!t) return errorReply(404, [recordNotFound(req.params.id)]);
      const dids = t[rel].map((id) => store._peekDid(id)).filter((d): d is DidwwDid => d !== undefined);
      return jsonApi(200, { data: dids.map((d) => serializeDid(d, { apiBase: apiBase(req), fields: {} })), meta: { total_records: dids.length, api_version: API_VERSION } });
    },
  };

  const listDids: Route = {
    method: "GET",
    path: `${PREFIX}/dids`,
    handler(req) {
      const q = query(req, DID_QUERY, true);
      if (!q.ok) return errorReply(400, q.errors);
      const { all, page } = selectPage(store._allDids(), q.value, DID_QUERY);
      const o = { apiBase: apiBase(req), fields: q.value.fields };
      return jsonApi(200, collectionDocument(page.map((d) => serializeDid(d, o)), all.length, paginationLinks(`${apiBase(req)}/dids`, q.value, all.length)));
    },
  };

  const showDid: Route = {
    method: "GET",
    path: `${PREFIX}/dids/:id`,
    handler(req) {
      const q = query(req, DID_QUERY, false);
      if (!q.ok) return errorReply(400, q.errors);
      const d = store._peekDid(req.params.id);
      if (!d) return errorReply(404, [recordNotFound(req.params.id)]);
      return jsonApi(200, singleDocument(serializeDid(d, { apiBase: apiBase(req), fields: q.value.fields })));
    },
  };

  return {
    name: "didww",
    prefix: PREFIX,
    routes: [listTrunks, createTrunk, showTrunk, updateTrunk, deleteTrunk, regenerate, relationshipLinkage, relatedDids, listDids, showDid],
    adminRoutes: didwwAdminRoutes(store),

    authenticate(req) {
      const key = header(req, "api-key")?.trim();
      // DIDWW: "Send only the key as the header value, do not add a Bearer prefix".
      if (!key || /^bearer\s/i.test(key) || (opts.apiKeys && !opts.apiKeys.includes(key))) {
        return { reply: errorReply(401, [UNAUTHORIZED]) };
      }
      return { key };
    },

    gate(req, route) {
      const accept = header(req, "accept");
      if (accept !== undefined && accept.trim() !== "") {
        const types = accept.split(",").map((t) => t.trim());
        if (!types.some((t) => t === MEDIA_TYPE || t.startsWith("*/*"))) return errorReply(406, [notAcceptable(accept)]);
      }
      const version = header(req, "x-didww-api-version")?.trim();
      if (version !== undefined && version !== "") {
        if (!(KNOWN_API_VERSIONS as readonly string[]).includes(version)) return errorReply(400, [unsupportedApiVersion(version)]);
        // Older than the account default (2026-04-16 here) is ignored, as documented.
      }
      if (["POST", "PATCH", "PUT"].includes(req.method)) {
        const ct = (header(req, "content-type") ?? "").trim();
        if (ct.toLowerCase() !== MEDIA_TYPE) return errorReply(415, [unsupportedMediaType(ct)]);
      }
      if (opts.faults.noOutboundPlan && route.tags?.includes("voice_out_trunks")) return errorReply(403, [NO_OUTBOUND_PLAN]);
      return undefined;
    },

    errorReply(kind: ErrorKind, status: number, req: EmulatorRequest, detail?: string): EmulatorReply {
      switch (kind) {
        case "rateLimited":
          return errorReply(429, [TOO_MANY_REQUESTS(opts.faults.perSecond ?? 20)]);
        case "notFound":
          return errorReply(404, [routeNotFound(req.method, req.path)]);
        case "internal":
          return errorReply(500, [INTERNAL_SERVER_ERROR]);
        case "badRequest":
          return errorReply(status, [{ title: "Bad Request", detail: detail ?? "Bad Request", code: "400", status: String(status) }]);
        case "injected":
          if (status === 429) return errorReply(429, [TOO_MANY_REQUESTS(opts.faults.perSecond ?? 20)]);
          if (status === 502) return { status, body: proxyErrorHtml(502, "Bad Gateway"), contentType: "text/html" };
          if (status === 503) return { status, body: proxyErrorHtml(503, "Service Temporarily Unavailable"), contentType: "text/html" };
          return errorReply(status, [{ ...INTERNAL_SERVER_ERROR, status: String(status), code: String(status) }]);
      }
    },

    reset() {
      store.reset();
    },
  };
}
