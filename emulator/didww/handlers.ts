/**
 * DIDWW's request handlers, one function per route: `(api, req) → reply`. Each reads and changes
 * the store without yielding and awaits durability only before answering, so concurrent requests
 * never interleave a read-modify-write and no write is acknowledged before it is on disk.
 */
import { randomUUID } from "node:crypto";
import type { EmulatorReply, EmulatorRequest } from "../server";
import { TRUNK_ATTRIBUTE_ORDER, TRUNK_FILTERS, TRUNK_RELATIONSHIPS, TRUNK_SORTS, WRITABLE_ATTRIBUTES } from "./fields";
import { API_VERSION, INTERNAL_SERVER_ERROR, MEDIA_TYPE, MSG, errorsDocument, invalidJson, recordNotFound, routeNotFound, validationError, type JsonApiError } from "./messages";
import { DID_ATTRIBUTE_ORDER, DID_RELATIONSHIPS, type DidwwDid, type DidwwTrunk } from "./model";
import { generateCredential } from "./normalize";
import { paginationLinks, parseQuery, selectPage, type FilterSpec, type ParsedQuery, type ResourceQuerySpec } from "./query";
import { collectionDocument, includedDids, serializeDid, serializeTrunk, singleDocument } from "./serialize";
import type { DidwwStore } from "./store";
import { TRUNK_WRITE_RELATIONSHIPS, applyTrunkWrite, parseDocument, type Outcome } from "./validate";

/** What the handlers need: the account's state and the vendor options that shape answers. */
export interface DidwwApi {
  store: DidwwStore;
  /** Mask username/password on GET. */
  maskCredentials: boolean;
  /** Mask them on POST/PATCH/PUT responses too. */
  maskCredentialsOnWrites: boolean;
  /** Largest `page[size]`. */
  maxPageSize: number;
}

export const PREFIX = "/v3";

const T = (r: unknown) => r as DidwwTrunk;
const D = (r: unknown) => r as DidwwDid;

const FIELDS = {
  voice_out_trunks: [...TRUNK_ATTRIBUTE_ORDER, ...TRUNK_RELATIONSHIPS],
  dids: [...DID_ATTRIBUTE_ORDER, ...DID_RELATIONSHIPS],
};

/** Filters: OAS `VoiceOutTrunkFilter` plus seed 000's `emergency_enable_all` (declared in fields.ts). */
const TRUNK_QUERY: ResourceQuerySpec = {
  type: "voice_out_trunks",
  filters: {
    id: { kind: "id", get: (r) => T(r).id },
    ...Object.fromEntries(
      Object.entries(TRUNK_FILTERS).map(([name, f]): [string, FilterSpec] => [
        name,
        { kind: f.kind, allowBlank: f.allowBlank, get: (r) => (f.of ? f.of(T(r)[f.member]) : T(r)[f.member]) },
      ]),
    ),
    /** Accepted (OAS) but never matches: the emulator does not model `default_did`. */
    "default_did.id": { kind: "id", get: () => undefined },
  },
  sorts: Object.fromEntries(Object.entries(TRUNK_SORTS).map(([name, s]) => [name, { get: (r: unknown) => T(r)[s.member], sequenced: s.sequenced }])),
  includes: TRUNK_RELATIONSHIPS,
  fields: FIELDS,
};

/** DIDs: the filters the reference names (`id`, `number`, `emergency_enabled`) and a few flags. */
const DID_QUERY: ResourceQuerySpec = {
  type: "dids",
  filters: {
    id: { kind: "id", get: (r) => D(r).id },
    number: { kind: "exact", get: (r) => D(r).number },
    emergency_enabled: { kind: "boolean", get: (r) => D(r).emergency_enabled },
    blocked: { kind: "boolean", get: (r) => D(r).blocked },
    terminated: { kind: "boolean", get: (r) => D(r).terminated },
    awaiting_registration: { kind: "boolean", get: (r) => D(r).awaiting_registration },
    description: { kind: "exact", get: (r) => D(r).description },
  },
  sorts: {
    number: { get: (r) => D(r).number },
    created_at: { get: (r) => D(r).created_at, sequenced: true },
    expires_at: { get: (r) => D(r).expires_at },
  },
  includes: [],
  fields: { dids: FIELDS.dids },
};

const jsonApi = (status: number, body?: unknown): EmulatorReply => ({ status, body, contentType: MEDIA_TYPE });
export const errorReply = (status: number, errors: JsonApiError[]): EmulatorReply => jsonApi(status, errorsDocument(...errors));

const apiBase = (req: EmulatorRequest) => `${req.baseUrl}${PREFIX}`;

function parseJsonBody(req: EmulatorRequest): Outcome<unknown> {
  const text = req.body.toString("utf8");
  if (text.trim() === "") return { ok: true, value: undefined };
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch (e) {
    return { ok: false, status: 400, errors: [invalidJson((e as Error).message)] };
  }
}

const query = (api: DidwwApi, req: EmulatorRequest, spec: ResourceQuerySpec, collection: boolean) =>
  parseQuery(req.url.searchParams, spec, { maxPageSize: api.maxPageSize, collection });

/** One trunk with what `include` asked for: the same document for GET, POST and PATCH. */
function trunkDocument(api: DidwwApi, req: EmulatorRequest, t: DidwwTrunk, q: ParsedQuery, mask: boolean) {
  const o = { apiBase: apiBase(req), mask, include: q.include, fields: q.fields };
  return singleDocument(serializeTrunk(t, o), includedDids([t], o, api.store._peekDid));
}

/** Awaits durability; a failed write is a 500 (the change was never acknowledged). */
async function commit(api: DidwwApi): Promise<EmulatorReply | undefined> {
  try {
    await api.store.commit();
    return undefined;
  } catch {
    return errorReply(500, [INTERNAL_SERVER_ERROR]);
  }
}

// -----------------------------------------------------------------------------------------------
// voice_out_trunks
// -----------------------------------------------------------------------------------------------

export function listTrunks(api: DidwwApi, req: EmulatorRequest): EmulatorReply {
  const q = query(api, req, TRUNK_QUERY, true);
  if (!q.ok) return errorReply(400, q.errors);
  const { all, page } = selectPage(api.store._allTrunks(), q.value, TRUNK_QUERY);
  const o = { apiBase: apiBase(req), mask: api.maskCredentials, include: q.value.include, fields: q.value.fields };
  return jsonApi(
    200,
    collectionDocument(
      page.map((t) => serializeTrunk(t, o)),
      all.length,
      paginationLinks(`${apiBase(req)}/voice_out_trunks`, q.value, all.length),
      includedDids(page, o, api.store._peekDid),
    ),
  );
}

export function showTrunk(api: DidwwApi, req: EmulatorRequest): EmulatorReply {
  const q = query(api, req, TRUNK_QUERY, false);
  if (!q.ok) return errorReply(400, q.errors);
  const t = api.store._peekTrunk(req.params.id);
  if (!t) return errorReply(404, [recordNotFound(req.params.id)]);
  return jsonApi(200, trunkDocument(api, req, t, q.value, api.maskCredentials));
}

/**
 * POST and PATCH/PUT: the query (`include`, `fields`) is checked first, as jsonapi-resources
 * parses it before the body, so a bad include changes nothing; the answer is the document a GET
 * with the same query would give.
 */
async function writeTrunk(api: DidwwApi, req: EmulatorRequest, mode: "create" | "update"): Promise<EmulatorReply> {
  const q = query(api, req, TRUNK_QUERY, false);
  if (!q.ok) return errorReply(400, q.errors);
  const body = parseJsonBody(req);
  if (!body.ok) return errorReply(body.status, body.errors);
  const doc = parseDocument(body.value, {
    type: "voice_out_trunks",
    mode,
    pathId: mode === "update" ? req.params.id : undefined,
    attributes: WRITABLE_ATTRIBUTES,
    relationships: TRUNK_WRITE_RELATIONSHIPS,
  });
  if (!doc.ok) return errorReply(doc.status, doc.errors);
  const existing = mode === "update" ? api.store._peekTrunk(req.params.id) : undefined;
  if (mode === "update" && !existing) return errorReply(404, [recordNotFound(req.params.id)]);
  const result = applyTrunkWrite(
    { attributes: doc.value.attributes, relationships: doc.value.relationships as { dids?: string[]; emergency_dids?: string[] } },
    { mode, existing, getDid: api.store._peekDid },
  );
  if (!result.ok) return errorReply(result.status, result.errors);
  const trunk: DidwwTrunk = { id: existing?.id ?? randomUUID(), created_at: existing?.created_at ?? new Date().toISOString(), ...result.value };
  api.store._save(trunk);
  const failed = await commit(api);
  if (failed) return failed;
  return jsonApi(mode === "create" ? 201 : 200, trunkDocument(api, req, trunk, q.value, api.maskCredentialsOnWrites));
}

export const createTrunk = (api: DidwwApi, req: EmulatorRequest) => writeTrunk(api, req, "create");
export const updateTrunk = (api: DidwwApi, req: EmulatorRequest) => writeTrunk(api, req, "update");

export async function deleteTrunk(api: DidwwApi, req: EmulatorRequest): Promise<EmulatorReply> {
  if (!api.store._remove(req.params.id)) return errorReply(404, [recordNotFound(req.params.id)]);
  const failed = await commit(api);
  if (failed) return failed;
  return { status: 204 };
}

export async function regenerateCredentials(api: DidwwApi, req: EmulatorRequest): Promise<EmulatorReply> {
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
  const trunk = typeof id === "string" ? api.store._peekTrunk(id) : undefined;
  if (!trunk) return errorReply(422, [validationError("voice_out_trunk", MSG.blank, pointer)]);
  const auth = trunk.authentication_method;
  if (auth.type !== "credentials_and_ip") return errorReply(422, [validationError("voice_out_trunk", MSG.noCredentialsToRotate, pointer)]);
  api.store._save({
    ...trunk,
    authentication_method: { type: "credentials_and_ip", attributes: { ...auth.attributes, username: generateCredential(), password: generateCredential() } },
  });
  const failed = await commit(api);
  if (failed) return failed;
  return jsonApi(201, singleDocument({ id: trunk.id, type: "voice_out_trunk_regenerate_credentials" }));
}

/** The trunk and relationship a relationship route names, or its 404. */
function relationshipOf(api: DidwwApi, req: EmulatorRequest): { trunk: DidwwTrunk; rel: "dids" | "emergency_dids" } | { reply: EmulatorReply } {
  const rel = req.params.relationship as "dids" | "emergency_dids";
  if (!TRUNK_RELATIONSHIPS.includes(rel)) return { reply: errorReply(404, [routeNotFound(req.method, req.path)]) };
  const trunk = api.store._peekTrunk(req.params.id);
  if (!trunk) return { reply: errorReply(404, [recordNotFound(req.params.id)]) };
  return { trunk, rel };
}

export function relationshipLinkage(api: DidwwApi, req: EmulatorRequest): EmulatorReply {
  const found = relationshipOf(api, req);
  if ("reply" in found) return found.reply;
  const { trunk, rel } = found;
  const base = `${apiBase(req)}/voice_out_trunks/${trunk.id}`;
  return jsonApi(200, {
    links: { self: `${base}/relationships/${rel}`, related: `${base}/${rel}` },
    data: trunk[rel].map((id) => ({ type: "dids", id })),
    meta: { api_version: API_VERSION },
  });
}

export function relatedDids(api: DidwwApi, req: EmulatorRequest): EmulatorReply {
  const found = relationshipOf(api, req);
  if ("reply" in found) return found.reply;
  const dids = found.trunk[found.rel].map((id) => api.store._peekDid(id)).filter((d): d is DidwwDid => d !== undefined);
  return jsonApi(200, {
    data: dids.map((d) => serializeDid(d, { apiBase: apiBase(req), fields: {} })),
    meta: { total_records: dids.length, api_version: API_VERSION },
  });
}

// -----------------------------------------------------------------------------------------------
// dids
// -----------------------------------------------------------------------------------------------

export function listDids(api: DidwwApi, req: EmulatorRequest): EmulatorReply {
  const q = query(api, req, DID_QUERY, true);
  if (!q.ok) return errorReply(400, q.errors);
  const { all, page } = selectPage(api.store._allDids(), q.value, DID_QUERY);
  const o = { apiBase: apiBase(req), fields: q.value.fields };
  return jsonApi(200, collectionDocument(page.map((d) => serializeDid(d, o)), all.length, paginationLinks(`${apiBase(req)}/dids`, q.value, all.length)));
}

export function showDid(api: DidwwApi, req: EmulatorRequest): EmulatorReply {
  const q = query(api, req, DID_QUERY, false);
  if (!q.ok) return errorReply(400, q.errors);
  const d = api.store._peekDid(req.params.id);
  if (!d) return errorReply(404, [recordNotFound(req.params.id)]);
  return jsonApi(200, singleDocument(serializeDid(d, { apiBase: apiBase(req), fields: q.value.fields })));
}
