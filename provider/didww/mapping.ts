/**
 * Pure mapping between `didww.OutboundTrunk` inputs/outputs and DIDWW's JSON:API documents,
 * and the diff the provider's `diff`, `update` and adoption all share.
 */
import { apiDecimal } from "../common/decimal";
import { containsUnknown } from "../common/unknown";
import { canonical, CONTROL_FIELDS, TRUNK_FIELDS, type FieldSpec } from "./fields";
import type { AuthenticationMethodOutput, OutboundTrunkInputs, OutboundTrunkOutputs } from "./types";

export const TRUNK_TYPE = "voice_out_trunks";

/**
 * Output key holding the inputs last applied (what the program said, in its own spelling).
 * `read` uses it to write back unchanged values as the program wrote them, so a refresh with no
 * drift changes nothing, not even `"1.2.3.4"` into `"1.2.3.4/32"`. The CLI hides `__` keys.
 */
export const APPLIED_INPUTS_KEY = "__appliedInputs";
export const DID_TYPE = "dids";

/** A JSON:API resource object as DIDWW sends it. */
export interface JsonApiResource {
  id: string;
  type: string;
  attributes?: Record<string, unknown>;
  relationships?: Record<string, { data?: { type: string; id: string }[] | { type: string; id: string } | null; links?: unknown }>;
  meta?: Record<string, unknown>;
}

/** One property whose live value differs from the desired one. */
export interface FieldChange {
  /** Input name, dotted for nested values (`authenticationMethod.type`). */
  property: string;
  live: unknown;
  desired: unknown;
}

type Inputs = Partial<OutboundTrunkInputs> & Record<string, unknown>;
type Outputs = Partial<OutboundTrunkOutputs> & Record<string, unknown>;

/** A masked credential as the documentation shows GET responses (`554******`). */
export function isMasked(value: unknown): boolean {
  return typeof value === "string" && /\*{3,}$/.test(value);
}

/** The value an input stands for: what was given, else the documented default, else `undefined` (server-managed). */
export function desiredValue(field: FieldSpec, inputs: Inputs): unknown {
  const given = inputs[field.input];
  if (given !== undefined) return given;
  return field.default;
}

/** Whether DIDWW manages this field itself for these inputs (so it is neither sent nor compared). */
export function isManaged(field: FieldSpec, inputs: Inputs): boolean {
  return field.managedWhen !== undefined && inputs[field.managedWhen] === true;
}

function canonicalAuth(auth: unknown): unknown {
  if (auth === null || typeof auth !== "object") return auth;
  const a = auth as Record<string, unknown>;
  const out: Record<string, unknown> = { type: a.type };
  if (a.type === "twilio") {
    out.twilioAccountSid = typeof a.twilioAccountSid === "string" ? a.twilioAccountSid.toLowerCase() : a.twilioAccountSid;
  } else {
    out.allowedSipIps = Array.isArray(a.allowedSipIps) ? canonical("ipSet", a.allowedSipIps) : a.allowedSipIps ?? null;
    // An empty prefix is no prefix (some SDK fixtures render it as "").
    out.techPrefix = a.techPrefix === "" || a.techPrefix === undefined ? null : a.techPrefix;
  }
  return out;
}

function same(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/**
 * What must change for the trunk DIDWW last reported (`outputs`) to match `inputs`.
 * Empty means no update. A value still unknown (preview) counts as a change.
 */
export function diffTrunk(outputs: Outputs, inputs: Inputs): FieldChange[] {
  const changes: FieldChange[] = [];
  for (const field of TRUNK_FIELDS) {
    if (isManaged(field, inputs)) continue;
    if (field.managedWhen && containsUnknown(inputs[field.managedWhen])) {
      if (inputs[field.input] !== undefined) changes.push({ property: field.input, live: outputs[field.input], desired: inputs[field.input] });
      continue;
    }
    const desired = desiredValue(field, inputs);
    if (desired === undefined) continue; // server-managed and omitted
    const live = outputs[field.input];
    if (containsUnknown(desired)) {
      changes.push({ property: field.input, live, desired });
      continue;
    }
    // A value missing from old outputs (state of an older version) compares as null.
    if (!same(canonical(field.compare, desired), canonical(field.compare, live === undefined ? null : live))) {
      changes.push({ property: field.input, live: live ?? null, desired });
    }
  }
  const desiredAuth = inputs.authenticationMethod as Record<string, unknown> | undefined;
  const liveAuth = (outputs.authenticationMethod ?? null) as Record<string, unknown> | null;
  if (desiredAuth !== undefined) {
    if (containsUnknown(desiredAuth) || liveAuth === null) {
      changes.push({ property: "authenticationMethod", live: liveAuth, desired: desiredAuth });
    } else if (!same(canonicalAuth(desiredAuth), canonicalAuth(liveAuth))) {
      if (desiredAuth.type !== liveAuth.type) {
        changes.push({ property: "authenticationMethod.type", live: liveAuth.type, desired: desiredAuth.type });
      } else {
        const d = canonicalAuth(desiredAuth) as Record<string, unknown>;
        const l = canonicalAuth(liveAuth) as Record<string, unknown>;
        for (const key of Object.keys(d)) {
          if (!same(d[key], l[key])) changes.push({ property: `authenticationMethod.${key}`, live: liveAuth[key] ?? null, desired: desiredAuth[key] ?? null });
        }
      }
    }
  }
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
export function apiAuthenticationMethod(auth: OutboundTrunkInputs["authenticationMethod"]): Record<string, unknown> {
  if (auth.type === "twilio") return { type: "twilio", attributes: { twilio_account_sid: auth.twilioAccountSid } };
  const attributes: Record<string, unknown> = { allowed_sip_ips: auth.allowedSipIps };
  if (auth.techPrefix !== undefined) attributes.tech_prefix = auth.techPrefix;
  return { type: auth.type, attributes };
}

function relationshipData(ids: unknown): { data: { type: string; id: string }[] } {
  return { data: ((ids as string[] | null) ?? []).map((id) => ({ type: DID_TYPE, id })) };
}

/**
 * The POST body for a new trunk. Every attribute with a documented default is sent
 * explicitly, so the trunk DIDWW creates is exactly the one the program describes.
 */
export function buildCreatePayload(inputs: OutboundTrunkInputs): { data: Record<string, unknown> } {
  const attributes: Record<string, unknown> = {};
  const relationships: Record<string, unknown> = {};
  const all = inputs as unknown as Inputs;
  for (const field of TRUNK_FIELDS) {
    if (isManaged(field, all)) continue;
    const value = desiredValue(field, all);
    if (value === undefined) continue;
    if (field.relationship) relationships[field.api] = relationshipData(value);
    else attributes[field.api] = apiValue(field, value);
  }
  attributes.authentication_method = apiAuthenticationMethod(inputs.authenticationMethod);
  const data: Record<string, unknown> = { type: TRUNK_TYPE, attributes };
  if (Object.keys(relationships).length) data.relationships = relationships;
  return { data };
}

/** The PATCH body that applies `changes`, or `undefined` when nothing is left to send. */
export function buildPatchPayload(id: string, inputs: OutboundTrunkInputs, changes: FieldChange[]): { data: Record<string, unknown> } | undefined {
  const attributes: Record<string, unknown> = {};
  const relationships: Record<string, unknown> = {};
  const all = inputs as unknown as Inputs;
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
      const rtp = TRUNK_FIELDS.find((f) => f.input === "allowedRtpIps") as FieldSpec;
      attributes.allowed_rtp_ips = apiValue(rtp, desiredValue(rtp, all));
    }
  }
  if (!Object.keys(attributes).length && !Object.keys(relationships).length) return undefined;
  const data: Record<string, unknown> = { id, type: TRUNK_TYPE };
  if (Object.keys(attributes).length) data.attributes = attributes;
  if (Object.keys(relationships).length) data.relationships = relationships;
  return { data };
}

function camel(snake: string): string {
  return snake.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());
}

function authFromApi(raw: unknown): AuthenticationMethodOutput {
  const method = (raw ?? {}) as { type?: string; attributes?: Record<string, unknown> };
  const out: AuthenticationMethodOutput = { type: method.type ?? "unknown" };
  for (const [key, value] of Object.entries(method.attributes ?? {})) {
    if (key === "username" || key === "password") continue; // secret outputs of their own
    (out as unknown as Record<string, unknown>)[camel(key)] = value ?? null;
  }
  return out;
}

function credentialFromApi(value: unknown, prior: unknown, priorType: unknown): string | null {
  if (typeof value !== "string" || value === "") return null;
  if (!isMasked(value)) return value;
  // Masked: keep what create/update/rotation told us, as long as the visible prefix still matches it.
  if (priorType === "credentials_and_ip" && typeof prior === "string" && prior.startsWith(value.replace(/\*+$/, ""))) return prior;
  return null;
}

/**
 * Outputs from a trunk document. `prior` (the previous outputs) supplies what a response may
 * leave out: full credentials behind masked ones, and relationship ids when no linkage came back.
 */
export function outputsFromApi(resource: JsonApiResource, prior: Outputs = {}, applied: Inputs = {}): OutboundTrunkOutputs {
  const controls = applied;
  const attrs = resource.attributes ?? {};
  const out: Record<string, unknown> = {};
  for (const field of TRUNK_FIELDS) {
    if (field.relationship) {
      const rel = resource.relationships?.[field.api];
      const data = rel?.data;
      out[field.input] = Array.isArray(data) ? data.map((d) => d.id).sort() : (prior[field.input] as string[] | undefined) ?? [];
      continue;
    }
    const value = attrs[field.api];
    out[field.input] = value === undefined ? (prior[field.input] ?? null) : value;
  }
  if (out.dstPrefixes === null) out.dstPrefixes = [];
  if (Array.isArray(out.allowedRtpIps)) out.allowedRtpIps = (out.allowedRtpIps as string[]).map(String);
  const authRaw = attrs.authentication_method as { type?: string; attributes?: Record<string, unknown> } | undefined;
  const auth = authRaw ? authFromApi(authRaw) : ((prior.authenticationMethod as AuthenticationMethodOutput | undefined) ?? { type: "unknown" });
  out.authenticationMethod = auth;
  const priorType = (prior.authenticationMethod as AuthenticationMethodOutput | undefined)?.type;
  if (auth.type === "credentials_and_ip") {
    out.username = credentialFromApi(authRaw?.attributes?.username, prior.username, priorType);
    out.password = credentialFromApi(authRaw?.attributes?.password, prior.password, priorType);
  } else {
    out.username = null;
    out.password = null;
  }
  out.thresholdReached = attrs.threshold_reached ?? prior.thresholdReached ?? false;
  out.createdAt = attrs.created_at ?? prior.createdAt ?? null;
  out.spentAmount = (resource.meta?.spent_amount as string | undefined) ?? prior.spentAmount ?? null;
  for (const key of Object.keys(CONTROL_FIELDS)) {
    const v = controls[key] !== undefined ? controls[key] : prior[key];
    if (v !== undefined && v !== null) out[key] = v;
  }
  const { __provider: _provider, ...appliedInputs } = applied;
  const snapshot = Object.keys(appliedInputs).length ? appliedInputs : prior[APPLIED_INPUTS_KEY];
  if (snapshot !== undefined) out[APPLIED_INPUTS_KEY] = snapshot;
  return JSON.parse(JSON.stringify(out)) as OutboundTrunkOutputs;
}

/**
 * The live trunk written as inputs (what `read` returns as `inputs`), so that after a refresh
 * the CLI shows drift as a difference from the program. A value that still means what the
 * program last applied keeps the program's spelling; a value equal to the documented default
 * is left out where the program left it out. So a refresh without drift changes no input.
 */
export function inputsFromOutputs(outputs: Outputs): Record<string, unknown> {
  const applied = (outputs[APPLIED_INPUTS_KEY] ?? undefined) as Inputs | undefined;
  const inputs: Record<string, unknown> = {};
  for (const field of TRUNK_FIELDS) {
    const value = outputs[field.input];
    if (value === undefined) continue;
    if (field.managedWhen && outputs[field.managedWhen] === true) {
      if (applied?.[field.input] !== undefined) inputs[field.input] = applied[field.input];
      continue;
    }
    const said = applied?.[field.input];
    if (said !== undefined && same(canonical(field.compare, said), canonical(field.compare, value))) {
      inputs[field.input] = said;
      continue;
    }
    if (said === undefined && field.serverManaged && applied) continue; // omitted on purpose: DIDWW's value, not compared
    if (field.default !== undefined && same(canonical(field.compare, value), canonical(field.compare, field.default))) continue;
    // null where the field cannot be null means the response left the attribute out: leave it out too.
    if (value === null && (field.serverManaged || !schemaAllowsNull(field))) continue;
    inputs[field.input] = value;
  }
  const auth = outputs.authenticationMethod as AuthenticationMethodOutput | undefined;
  const saidAuth = applied?.authenticationMethod;
  if (saidAuth !== undefined && auth && same(canonicalAuth(saidAuth), canonicalAuth(auth))) {
    inputs.authenticationMethod = saidAuth;
  } else if (auth) {
    if (auth.type === "twilio") inputs.authenticationMethod = { type: auth.type, twilioAccountSid: auth.twilioAccountSid };
    else {
      const a: Record<string, unknown> = { type: auth.type, allowedSipIps: auth.allowedSipIps ?? [] };
      if (auth.techPrefix !== undefined && auth.techPrefix !== null && auth.techPrefix !== "") a.techPrefix = auth.techPrefix;
      inputs.authenticationMethod = a;
    }
  }
  for (const key of Object.keys(CONTROL_FIELDS)) {
    if (outputs[key] !== undefined && outputs[key] !== null) inputs[key] = outputs[key];
  }
  return inputs;
}

function schemaAllowsNull(field: FieldSpec): boolean {
  const text = JSON.stringify(field.schema);
  return text.includes('"null"');
}
