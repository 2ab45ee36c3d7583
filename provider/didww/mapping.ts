/**
 * Pure mapping between `didww.OutboundTrunk` inputs/outputs and DIDWW's JSON:API documents,
 * and the diff the provider's `diff`, `update` and adoption all share.
 */
import { apiDecimal } from "../common/decimal";
import { appliedSnapshot, APPLIED_INPUTS_KEY, desiredValue, diffFields, fieldsAsInputs, isManaged, withDefaults as fillDefaults, type FieldChange } from "../common/diff";
import { canonical, same } from "../common/fields";
import { coerceWire, VendorResponseError } from "../common/response";
import { containsUnknown } from "../common/unknown";
import { AUTH_TYPES, CONTROL_FIELDS, fieldOf, TRUNK_FIELDS, type AuthSubField, type ControlInputName, type FieldSpec } from "./fields";
import type { AuthenticationMethodInput, AuthenticationMethodOutput, AuthType, OutboundTrunkInputs, OutboundTrunkOutputs } from "./types";

export const TRUNK_TYPE = "voice_out_trunks";

export { APPLIED_INPUTS_KEY, desiredValue, isManaged, type FieldChange } from "../common/diff";
export const DID_TYPE = "dids";

/** A JSON:API resource object as DIDWW sends it. */
export interface JsonApiResource {
  id: string;
  type: string;
  attributes?: Record<string, unknown>;
  relationships?: Record<string, { data?: { type: string; id: string }[] | { type: string; id: string } | null; links?: unknown }>;
  meta?: Record<string, unknown>;
}

/** Inputs as the runtime sees them: possibly partial (old state), possibly holding engine keys. */
export type Inputs = Partial<OutboundTrunkInputs> & { __provider?: string };
/** Outputs as stored: possibly written by an older version (keys missing). */
export type Outputs = Partial<OutboundTrunkOutputs> & { __provider?: string; [APPLIED_INPUTS_KEY]?: Inputs };

/** A masked credential as the documentation shows GET responses (`554******`). */
export function isMasked(value: unknown): boolean {
  return typeof value === "string" && /\*{3,}$/.test(value);
}

/**
 * The inputs with every omitted attribute set to what omitting it means (DIDWW's documented
 * default). `check` returns these, so a drifted `status: "blocked"` previews as
 * `"blocked" => "active"`, not as a removal.
 */
export function withDefaults(inputs: Inputs): Inputs {
  return fillDefaults(TRUNK_FIELDS, inputs);
}

function subFieldsOf(type: unknown): readonly AuthSubField[] {
  // Stryker disable next-line ConditionalExpression,ArrayDeclaration: a non-string type is no key of AUTH_TYPES anyway; a stand-in element has no input or api, so every caller skips it like an empty list
  return typeof type === "string" && type in AUTH_TYPES ? AUTH_TYPES[type as AuthType] : [];
}

/** Comparable form of an auth attribute; absent is null, and an empty prefix is no prefix (some SDK fixtures render it as ""). */
function canonicalSub(sub: AuthSubField, value: unknown): unknown {
  if (value === undefined || value === null) return null;
  if (sub.compare === "ipSet" && !Array.isArray(value)) return value;
  return canonical(sub.compare, value);
}

function canonicalAuth(auth: unknown): unknown {
  // Stryker disable next-line ConditionalExpression,LogicalOperator: one side is always the program's method, a checked object; a non-object on the other side differs from it either way
  if (auth === null || typeof auth !== "object") return auth;
  const a = auth as Record<string, unknown>;
  // Stryker disable next-line ObjectLiteral: one side is always the program's method (credentials_and_ip or twilio), whose attributes no other type has, so without the type two methods of different types still differ
  const out: Record<string, unknown> = { type: a.type };
  for (const sub of subFieldsOf(a.type)) out[sub.input] = canonicalSub(sub, a[sub.input]);
  return out;
}

function authChanges(desiredAuth: Record<string, unknown> | undefined, liveAuth: Record<string, unknown> | null): FieldChange[] {
  if (desiredAuth === undefined) return [];
  if (containsUnknown(desiredAuth) || liveAuth === null) return [{ property: "authenticationMethod", live: liveAuth, desired: desiredAuth }];
  // Stryker disable next-line ConditionalExpression: equal methods have the same type and equal attributes, so the per-attribute comparison below also answers []
  if (same(canonicalAuth(desiredAuth), canonicalAuth(liveAuth))) return [];
  if (desiredAuth.type !== liveAuth.type) return [{ property: "authenticationMethod.type", live: liveAuth.type, desired: desiredAuth.type }];
  const d = canonicalAuth(desiredAuth) as Record<string, unknown>;
  const l = canonicalAuth(liveAuth) as Record<string, unknown>;
  return subFieldsOf(desiredAuth.type)
    .filter((sub) => !same(d[sub.input], l[sub.input]))
    .map((sub) => ({ property: `authenticationMethod.${sub.input}`, live: liveAuth[sub.input] ?? null, desired: desiredAuth[sub.input] ?? null }));
}

/**
 * What must change for the trunk DIDWW last reported (`outputs`) to match `inputs`.
 * Empty means no update. A value still unknown (preview) counts as a change.
 */
export function diffTrunk(outputs: Outputs, inputs: Inputs): FieldChange[] {
  const changes = diffFields(TRUNK_FIELDS, outputs, inputs);
  changes.push(...authChanges(inputs.authenticationMethod as Record<string, unknown> | undefined, (outputs.authenticationMethod ?? null) as Record<string, unknown> | null));
  const rotation = inputs.credentialsRotation;
  if (rotation !== undefined && !same(rotation, outputs.credentialsRotation ?? undefined)) {
    changes.push({ property: "credentialsRotation", live: outputs.credentialsRotation ?? null, desired: rotation });
  }
  return changes;
}

/** The API form of one input value. */
export function apiValue(field: FieldSpec, value: unknown): unknown {
  if (value === null || value === undefined) return value ?? null;
  if (field.compare === "decimal") return apiDecimal(value as string | number) ?? value;
  return value;
}

/** The `authentication_method` object DIDWW expects; always the whole object (it replaces the method). */
export function apiAuthenticationMethod(auth: AuthenticationMethodInput): Record<string, unknown> {
  const given: Record<string, unknown> = { ...auth };
  const attributes: Record<string, unknown> = {};
  for (const sub of subFieldsOf(auth.type)) {
    if (given[sub.input] !== undefined) attributes[sub.api] = given[sub.input];
  }
  return { type: auth.type, attributes };
}

/** DID linkage; ids lower-cased, as DIDWW stores UUIDs. */
function relationshipData(ids: unknown): { data: { type: string; id: string }[] } {
  return { data: ((ids as string[] | null) ?? []).map((id) => ({ type: DID_TYPE, id: id.toLowerCase() })) };
}

function document(id: string | undefined, attributes: Record<string, unknown>, relationships: Record<string, unknown>): { data: Record<string, unknown> } {
  const data: Record<string, unknown> = id === undefined ? { type: TRUNK_TYPE } : { id, type: TRUNK_TYPE };
  if (Object.keys(attributes).length) data.attributes = attributes;
  if (Object.keys(relationships).length) data.relationships = relationships;
  return { data };
}

/**
 * The POST body for a new trunk. Every attribute with a documented default is sent
 * explicitly, so the trunk DIDWW creates is exactly the one the program describes.
 */
export function buildCreatePayload(inputs: OutboundTrunkInputs): { data: Record<string, unknown> } {
  const attributes: Record<string, unknown> = {};
  const relationships: Record<string, unknown> = {};
  const all: Inputs = inputs;
  for (const field of TRUNK_FIELDS) {
    if (isManaged(field, all)) continue;
    const value = desiredValue(field, all);
    if (value === undefined) continue;
    if (field.relationship) relationships[field.api] = relationshipData(value);
    else attributes[field.api] = apiValue(field, value);
  }
  attributes.authentication_method = apiAuthenticationMethod(inputs.authenticationMethod);
  return document(undefined, attributes, relationships);
}

/** The PATCH body that applies `changes`, or `undefined` when nothing is left to send. */
export function buildPatchPayload(id: string, inputs: OutboundTrunkInputs, changes: FieldChange[]): { data: Record<string, unknown> } | undefined {
  const attributes: Record<string, unknown> = {};
  const relationships: Record<string, unknown> = {};
  const all: Inputs = inputs;
  const changed = new Set(changes.map((c) => c.property.split(".")[0]));
  for (const field of TRUNK_FIELDS) {
    if (!changed.has(field.input)) continue;
    const value = desiredValue(field, all);
    if (field.relationship) relationships[field.api] = relationshipData(value);
    else attributes[field.api] = apiValue(field, value);
  }
  if (changed.has("authenticationMethod")) {
    attributes.authentication_method = apiAuthenticationMethod(inputs.authenticationMethod);
    // DIDWW's update page asks for allowed_rtp_ips whenever the type changes to credentials_and_ip,
    // and its own example sends it on a change to twilio: send the desired value on every type change.
    if (changes.some((c) => c.property === "authenticationMethod.type" || c.property === "authenticationMethod")) {
      const rtp = fieldOf("allowedRtpIps");
      attributes.allowed_rtp_ips = apiValue(rtp, desiredValue(rtp, all));
    }
  }
  if (!Object.keys(attributes).length && !Object.keys(relationships).length) return undefined;
  return document(id, attributes, relationships);
}

function checked(subject: string, attribute: string, kind: Parameters<typeof coerceWire>[0], value: unknown, nullable: boolean): unknown {
  const c = coerceWire(kind, value, nullable);
  if (!c.ok) throw new VendorResponseError("DIDWW", subject, attribute, value, c.expected);
  return c.value;
}

function authFromApi(raw: unknown, subject: string): AuthenticationMethodOutput {
  if (raw === null || typeof raw !== "object" || typeof (raw as { type?: unknown }).type !== "string") {
    throw new VendorResponseError("DIDWW", subject, "authentication_method", raw, "an object with a type");
  }
  const method = raw as { type: string; attributes?: Record<string, unknown> | null };
  // The type is checked to be a string above; any value DIDWW reports is kept (ip_only included).
  const values: Record<string, unknown> = {};
  const attrs = method.attributes ?? {};
  // Only the attributes of the reported type; credentials are secret outputs of their own.
  const subs = method.type === "ip_only" ? AUTH_TYPES.credentials_and_ip : subFieldsOf(method.type);
  for (const sub of subs) {
    if (attrs[sub.api] === undefined) continue;
    values[sub.input] = checked(subject, `authentication_method.${sub.api}`, sub.wire, attrs[sub.api], sub.nullable);
  }
  return { type: method.type as AuthenticationMethodOutput["type"], ...values };
}

function credentialFromApi(value: unknown, prior: unknown, priorType: unknown): string | null {
  if (typeof value !== "string" || value === "") return null;
  if (!isMasked(value)) return value;
  // Masked: keep what create/update/rotation told us, as long as the visible prefix still matches it.
  if (priorType === "credentials_and_ip" && typeof prior === "string" && prior.startsWith(value.replace(/\*+$/, ""))) return prior;
  return null;
}

function relationshipIds(resource: JsonApiResource, field: FieldSpec, prior: Outputs): string[] {
  const data = resource.relationships?.[field.api]?.data;
  if (Array.isArray(data)) return data.map((d) => d.id.toLowerCase()).sort();
  return (prior[field.input] as string[] | undefined) ?? [];
}

/**
 * Outputs from a trunk document. `prior` (the previous outputs) supplies what a response may
 * leave out: full credentials behind masked ones, and relationship ids when no linkage came back.
 * Every attribute is checked against the field table's wire type; a wrong one throws
 * {@link VendorResponseError} rather than entering the outputs.
 */
export function outputsFromApi(resource: JsonApiResource, prior: Outputs = {}, applied: Inputs = {}): OutboundTrunkOutputs {
  const subject = `trunk ${resource.id}`;
  const attrs = resource.attributes ?? {};
  const out: Record<string, unknown> = {};
  for (const field of TRUNK_FIELDS) {
    if (field.relationship) {
      out[field.input] = relationshipIds(resource, field, prior);
      continue;
    }
    const value = attrs[field.api];
    out[field.input] = value === undefined ? (prior[field.input] ?? null) : checked(subject, field.api, field.wire, value, field.nullable);
  }
  if (out.dstPrefixes === null) out.dstPrefixes = [];
  const authRaw = attrs.authentication_method as { type?: string; attributes?: Record<string, unknown> } | undefined;
  const auth = authRaw !== undefined ? authFromApi(authRaw, subject) : (prior.authenticationMethod ?? ({ type: "unknown" } as unknown as AuthenticationMethodOutput));
  out.authenticationMethod = auth;
  const priorType = prior.authenticationMethod?.type;
  if (auth.type === "credentials_and_ip") {
    out.username = credentialFromApi(authRaw?.attributes?.username, prior.username, priorType);
    out.password = credentialFromApi(authRaw?.attributes?.password, prior.password, priorType);
  } else {
    out.username = null;
    out.password = null;
  }
  out.thresholdReached = attrs.threshold_reached === undefined ? (prior.thresholdReached ?? false) : checked(subject, "threshold_reached", "boolean", attrs.threshold_reached, false);
  out.createdAt = attrs.created_at === undefined ? (prior.createdAt ?? null) : checked(subject, "created_at", "string", attrs.created_at, true);
  const spent = resource.meta?.spent_amount;
  out.spentAmount = spent === undefined ? (prior.spentAmount ?? null) : checked(subject, "meta.spent_amount", "decimal", spent, true);
  for (const key of Object.keys(CONTROL_FIELDS) as ControlInputName[]) {
    const v = applied[key] !== undefined ? applied[key] : prior[key];
    if (v !== undefined && v !== null) out[key] = v;
  }
  const snapshot = appliedSnapshot(applied, prior);
  // Stryker disable next-line ConditionalExpression: an undefined snapshot is dropped by the JSON round-trip of the outputs below
  if (snapshot !== undefined) out[APPLIED_INPUTS_KEY] = snapshot;
  return JSON.parse(JSON.stringify(out)) as OutboundTrunkOutputs;
}

function authAsInputs(auth: AuthenticationMethodOutput): Record<string, unknown> {
  const out: Record<string, unknown> = { type: auth.type };
  const given: Record<string, unknown> = { ...auth };
  const subs = auth.type === "ip_only" ? AUTH_TYPES.credentials_and_ip : subFieldsOf(auth.type);
  for (const sub of subs) {
    const v = given[sub.input];
    if (sub.input === "allowedSipIps") out[sub.input] = v ?? [];
    else if (v !== undefined && v !== null && v !== "") out[sub.input] = v;
  }
  return out;
}

/**
 * The live trunk written as inputs (what `read` returns as `inputs`), so that after a refresh
 * the CLI shows drift as a difference from the program. A value that still means what the
 * program last applied keeps the program's spelling; a value equal to the documented default
 * is left out where the program left it out. So a refresh without drift changes no input.
 */
export function inputsFromOutputs(outputs: Outputs): Record<string, unknown> {
  const applied = (outputs[APPLIED_INPUTS_KEY] ?? undefined) as Inputs | undefined;
  const inputs = fieldsAsInputs(TRUNK_FIELDS, outputs, applied);
  const auth = outputs.authenticationMethod;
  const saidAuth = applied?.authenticationMethod;
  // Stryker disable next-line ConditionalExpression: same() is false whenever saidAuth or auth is undefined, so the two guards cannot change the answer
  if (saidAuth !== undefined && auth && same(canonicalAuth(saidAuth), canonicalAuth(auth))) inputs.authenticationMethod = saidAuth;
  else if (auth) inputs.authenticationMethod = authAsInputs(auth);
  for (const key of Object.keys(CONTROL_FIELDS) as ControlInputName[]) {
    if (outputs[key] !== undefined && outputs[key] !== null) inputs[key] = outputs[key];
  }
  return inputs;
}
