/**
 * Request parsing (the 400s jsonapi-resources raises before any model code runs) and attribute
 * validation (the 422s, collected so several failing rules give several errors).
 *
 * The rules themselves are data in fields.ts (nullability, whether POST requires an attribute,
 * how it is checked and normalised); this file applies them. The same code serves the API and the
 * out-of-band store edits (which skip only the business rules, see `mode: "store"`).
 */
import { isObject } from "../store-kit";
import {
  MSG,
  invalidDataFormat,
  invalidLinksObject,
  invalidResource,
  keyNotIncludedInUrl,
  missingKey,
  paramNotAllowed,
  parameterMissing,
  typeMismatch,
  validationError,
  type JsonApiError,
} from "./messages";
import { LINK_RULES, WRITE_RULES, newTrunkDefaults } from "./fields";
import { ENUMS, type AuthenticationMethod, type DidwwDid, type DidwwTrunk } from "./model";
import { TECH_PREFIX, TWILIO_ACCOUNT_SID, canonicalId, generateCredential, normalizeCidrList } from "./normalize";

export type Outcome<T> = { ok: true; value: T } | { ok: false; status: number; errors: JsonApiError[] };

const fail = (status: number, ...errors: JsonApiError[]): { ok: false; status: number; errors: JsonApiError[] } => ({ ok: false, status, errors });

// -----------------------------------------------------------------------------------------------
// Document parsing (400s)
// -----------------------------------------------------------------------------------------------

export interface RelationshipSpec {
  kind: "one" | "many";
  /** The resource type its linkage must carry. */
  type: string;
}

export interface DocumentSpec {
  type: string;
  mode: "create" | "update";
  /** Path id for update (PATCH/PUT), checked against `data.id` (ids in any case, see canonicalId). */
  pathId?: string;
  attributes: readonly string[];
  relationships: Readonly<Record<string, RelationshipSpec>>;
}

export interface ParsedDocument {
  attributes: Record<string, unknown>;
  /** To-many: ids (lower-cased UUIDs, deduplicated, in order). To-one: id or null. */
  relationships: Record<string, string[] | string | null>;
}

/**
 * Parses `{ data: { type, id?, attributes?, relationships? } }` the way jsonapi-resources'
 * RequestParser does, in the same order (format, key, URL key, type, permitted params, linkage).
 */
export function parseDocument(body: unknown, spec: DocumentSpec): Outcome<ParsedDocument> {
  if (!isObject(body) || !("data" in body) || body.data === undefined || body.data === null) {
    return fail(400, parameterMissing("data"));
  }
  const data = body.data;
  if (!isObject(data)) return fail(400, invalidDataFormat());

  if (spec.mode === "update") {
    if (data.id === undefined || data.id === null) return fail(400, missingKey());
    const key = String(data.id);
    if (spec.pathId !== undefined && canonicalId(key) !== canonicalId(spec.pathId)) return fail(400, keyNotIncludedInUrl(key));
  }
  if (data.type === undefined || data.type === null) return fail(400, parameterMissing("type"));
  if (data.type !== spec.type) return fail(400, invalidResource(String(data.type)));

  const notAllowed: string[] = [];
  for (const key of Object.keys(data)) {
    if (key === "type" || key === "attributes" || key === "relationships") continue;
    if (key === "id") {
      if (spec.mode === "create") notAllowed.push("id");
      continue;
    }
    notAllowed.push(key);
  }
  const attributes = data.attributes ?? {};
  const relationships = data.relationships ?? {};
  if (!isObject(attributes) || !isObject(relationships)) return fail(400, invalidDataFormat());
  for (const key of Object.keys(attributes)) if (!spec.attributes.includes(key)) notAllowed.push(key);
  for (const key of Object.keys(relationships)) if (!(key in spec.relationships)) notAllowed.push(key);
  if (notAllowed.length > 0) return fail(400, ...notAllowed.map(paramNotAllowed));

  const parsedRelationships: Record<string, string[] | string | null> = {};
  for (const [name, value] of Object.entries(relationships)) {
    const rel = spec.relationships[name];
    const parsed = rel.kind === "many" ? parseToMany(value, rel.type) : parseToOne(value, rel.type);
    if (!parsed.ok) return parsed;
    parsedRelationships[name] = parsed.value;
  }
  return { ok: true, value: { attributes: { ...attributes }, relationships: parsedRelationships } };
}

function parseLinkage(raw: unknown): Outcome<{ type: string; id: string }> {
  if (!isObject(raw)) return fail(400, invalidLinksObject());
  const keys = Object.keys(raw);
  if (keys.length !== 2 || !("type" in raw) || !("id" in raw)) return fail(400, invalidLinksObject());
  return { ok: true, value: { type: String(raw.type), id: canonicalId(String(raw.id)) } };
}

function parseToOne(value: unknown, type: string): Outcome<string | null> {
  const linkage = value === null ? null : isObject(value) ? value.data : undefined;
  // Stryker disable next-line ConditionalExpression: parseLinkage(undefined) below answers the same invalid-links error
  if (linkage === undefined) return fail(400, invalidLinksObject());
  if (linkage === null) return { ok: true, value: null };
  const parsed = parseLinkage(linkage);
  if (!parsed.ok) return parsed;
  if (parsed.value.type !== type) return fail(400, typeMismatch(parsed.value.type));
  return { ok: true, value: parsed.value.id };
}

function parseToMany(value: unknown, type: string): Outcome<string[]> {
  let linkage: unknown;
  if (Array.isArray(value) && value.length === 0) linkage = [];
  else if (isObject(value)) linkage = value.data;
  else return fail(400, invalidLinksObject());
  if (!Array.isArray(linkage)) return fail(400, invalidLinksObject());
  const ids: string[] = [];
  for (const item of linkage) {
    const parsed = parseLinkage(item);
    if (!parsed.ok) return parsed;
    if (parsed.value.type !== type) return fail(400, typeMismatch(parsed.value.type));
    if (!ids.includes(parsed.value.id)) ids.push(parsed.value.id);
  }
  return { ok: true, value: ids };
}

/** Relationships a client may send on a trunk. */
export const TRUNK_WRITE_RELATIONSHIPS: Readonly<Record<string, RelationshipSpec>> = Object.fromEntries(
  LINK_RULES.map(({ name, rule }) => [name, { kind: "many", type: rule.type }]),
);

// -----------------------------------------------------------------------------------------------
// Attribute rules (422s)
// -----------------------------------------------------------------------------------------------

const ATTR = (name: string) => `/data/attributes/${name}`;
const AUTH = "/data/attributes/authentication_method";
const REL = (name: string) => `/data/relationships/${name}`;

/**
 * `create` and `update` are the API; `store` is an out-of-band edit (drift tests, admin route,
 * seed files): same formats and normalisation, but no create-only requirements, `ip_only` allowed,
 * username/password settable, DID emergency eligibility not enforced.
 */
export type WriteMode = "create" | "update" | "store";

export interface WriteContext {
  mode: WriteMode;
  existing?: DidwwTrunk;
  getDid(id: string): DidwwDid | undefined;
}

export interface TrunkWrite {
  attributes: Record<string, unknown>;
  relationships: { dids?: string[]; emergency_dids?: string[] };
}

/**
 * Validates a write and computes the resulting trunk (without id/created_at for creates: the
 * caller fills those). Returns every 422 at once, like Rails' `errors.full_messages`.
 */
export function applyTrunkWrite(input: TrunkWrite, ctx: WriteContext): Outcome<Omit<DidwwTrunk, "id" | "created_at">> {
  const errors: JsonApiError[] = [];
  const attrs = input.attributes;
  const base = (
    ctx.existing
      ? (({ id: _id, created_at: _c, ...rest }) => structuredClone(rest))(ctx.existing)
      : { ...newTrunkDefaults(), name: "", on_cli_mismatch_action: "", authentication_method: undefined as unknown as AuthenticationMethod }
  ) as Omit<DidwwTrunk, "id" | "created_at">;
  const next = base as unknown as Record<string, unknown>;

  for (const { name, rule } of WRITE_RULES) {
    const present = Object.prototype.hasOwnProperty.call(attrs, name) && attrs[name] !== undefined;
    if (!present) {
      if (rule.requiredOnCreate && ctx.mode === "create") errors.push(validationError(name, MSG.blank, ATTR(name)));
      continue;
    }
    const value = attrs[name];
    if (!rule.check) {
      // authentication_method: nested rules and pointers, and credentials that depend on the stored method.
      const auth = checkAuthenticationMethod(value, ctx);
      if ("errors" in auth) errors.push(...auth.errors);
      else next.authentication_method = auth.value;
      continue;
    }
    if (value === null) {
      if (rule.nullable) next[name] = null;
      else errors.push(validationError(name, rule.nullMessage ?? MSG.blank, ATTR(name)));
      continue;
    }
    const checked = rule.check(value);
    if ("message" in checked) errors.push(validationError(name, checked.message, ATTR(name)));
    else next[name] = checked.value;
  }

  // Relationships: whole-set replacement; a flag that makes a set "managed automatically" wins.
  for (const { name, rule } of LINK_RULES) {
    const flagOn = next[rule.managedBy] === true;
    const ids = input.relationships[name];
    if (ids === undefined) {
      if (flagOn) next[name] = [];
      continue;
    }
    if (flagOn && ids.length > 0) {
      errors.push(validationError(name, MSG.mustBeBlank, REL(name)));
      continue;
    }
    const bad = ids.some((id) => {
      const did = ctx.getDid(id);
      if (!did) return true;
      return ctx.mode !== "store" && rule.eligible !== undefined && !rule.eligible(did);
    });
    if (bad) errors.push(validationError(name, MSG.invalid, REL(name)));
    else next[name] = [...ids];
  }

  if (errors.length > 0) return fail(422, ...errors);
  return { ok: true, value: base };
}

/**
 * `authentication_method` replaces the whole method. Same type keeps generated credentials;
 * a switch to credentials_and_ip generates new ones; other types carry none.
 */
function checkAuthenticationMethod(value: unknown, ctx: WriteContext): { value: AuthenticationMethod } | { errors: JsonApiError[] } {
  const invalid = { errors: [validationError("authentication_method", MSG.invalid, AUTH)] };
  if (value === null) return { errors: [validationError("authentication_method", MSG.blank, AUTH)] };
  if (!isObject(value)) return invalid;
  const type = value.type;
  if (type === undefined || type === null || type === "") {
    return { errors: [validationError("type", MSG.blank, `${AUTH}/type`)] };
  }
  // Stryker disable next-line ConditionalExpression: a list of strings includes no non-string, so the type check cannot change the answer
  if (typeof type !== "string" || !(ENUMS.authentication_type as readonly string[]).includes(type)) {
    return { errors: [validationError("type", MSG.inclusion, `${AUTH}/type`)] };
  }
  if (type === "ip_only" && ctx.mode !== "store") {
    const message = ctx.mode === "create" ? MSG.notAllowedForCreation : MSG.notAllowedForUpdate;
    return { errors: [validationError("type", message, `${AUTH}/type`)] };
  }
  const extraKeys = Object.keys(value).filter((k) => k !== "type" && k !== "attributes");
  if (extraKeys.length > 0) return invalid;
  const attributes = value.attributes ?? {};
  if (!isObject(attributes)) return invalid;

  if (type === "twilio") {
    if (Object.keys(attributes).some((k) => k !== "twilio_account_sid")) return invalid;
    const sid = attributes.twilio_account_sid;
    const pointer = `${AUTH}/attributes/twilio_account_sid`;
    if (sid === undefined || sid === null || sid === "") return { errors: [validationError("twilio_account_sid", MSG.blank, pointer)] };
    if (typeof sid !== "string" || !TWILIO_ACCOUNT_SID.test(sid)) return { errors: [validationError("twilio_account_sid", MSG.invalid, pointer)] };
    return { value: { type: "twilio", attributes: { twilio_account_sid: sid } } };
  }

  // credentials_and_ip and ip_only share the allow-list rules (recorded: any failure is
  // "authentication_method - is invalid" at the method's pointer).
  const allowedKeys = ["allowed_sip_ips", "tech_prefix", ...(type === "credentials_and_ip" ? ["username", "password"] : [])];
  if (Object.keys(attributes).some((k) => !allowedKeys.includes(k))) return invalid;
  const ips = normalizeCidrList(attributes.allowed_sip_ips);
  if (!ips || ips.length === 0) return invalid;
  const techPrefix = attributes.tech_prefix ?? null;
  if (techPrefix !== null && (typeof techPrefix !== "string" || !TECH_PREFIX.test(techPrefix))) return invalid;
  if (type === "ip_only") return { value: { type: "ip_only", attributes: { allowed_sip_ips: ips, tech_prefix: techPrefix } } };

  const previous = ctx.existing?.authentication_method;
  let username: string;
  let password: string;
  if (previous?.type === "credentials_and_ip") {
    ({ username, password } = previous.attributes);
  } else {
    username = generateCredential();
    password = generateCredential();
  }
  if (ctx.mode === "store") {
    // Out-of-band edits may set credentials explicitly (e.g. "someone regenerated them").
    for (const key of ["username", "password"] as const) {
      const v = attributes[key];
      if (v === undefined) continue;
      if (typeof v !== "string" || v === "") return invalid;
      if (key === "username") username = v;
      else password = v;
    }
  }
  return { value: { type: "credentials_and_ip", attributes: { allowed_sip_ips: ips, tech_prefix: techPrefix, username, password } } };
}
