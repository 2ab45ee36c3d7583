/**
 * The one engine that reads a JSON body against the field tables (fields.ts), in the order a
 * FastAPI service answers, one error at a time:
 *
 * 1. 422: the body is not a JSON object, or a member has the wrong JSON type, a value outside its
 *    enum or range, an empty `allow` (the request schema, checked before any handler code runs);
 * 2. 422: `media_encryption: "sdes"` without `transport: "transport-tls"` ([K], a model rule; on
 *    PATCH checked on the trunk as it would become);
 * 3. 400: the handler's rules [G]: required members, `auth_type`, credentials or IPs for the auth
 *    type, gateway addresses, IP/CIDR syntax, phone numbers.
 *
 * Unknown members are ignored (pydantic's default), and so are members the operation does not
 * take (`provider`, `auth_type`, `phone_numbers` on PATCH; credentials on PATCH of an ip-based
 * trunk, which "are used only when the trunk uses userpass authentication" [O]). Conflicts with
 * other records (name taken, number on another trunk) are the handlers'.
 */
import { isObject } from "../store-kit";
import { E164, GATEWAY_FIELDS, IP_IDENTIFIER_FIELDS, NUMBER_FIELDS, TRUNK_FIELDS, isIpOrCidr, type SubField, type TrunkField } from "./fields";
import { EMSG, MSG, fail, type BolnaFailure } from "./messages";
import { normalizeCodecs, type BolnaTrunkRecord } from "./model";

export type Outcome<T> = { ok: true; value: T } | { ok: false; error: BolnaFailure };

const ok = <T>(value: T): Outcome<T> => ({ ok: true, value });
const refuse = (status: number, detail: string): { ok: false; error: BolnaFailure } => ({ ok: false, error: fail(status, detail) });

/** A gateway as a client writes it (the store adds `id` and `created_at`). */
export interface GatewayWrite {
  gateway_address: string;
  port: number;
  priority: number;
}

/** A number as a client writes it. */
export interface NumberWrite {
  phone_number: string;
  name: string | null;
}

/** The stored members a create sets (everything but id and dates), gateways without their ids. */
export type TrunkValues = Omit<BolnaTrunkRecord, "id" | "created_at" | "updated_at" | "gateways"> & { gateways: GatewayWrite[] };

/** The members a PATCH changes. */
export type TrunkPatch = Partial<TrunkValues>;

/** Parses a request body: a JSON object, or the 422. An empty body is not an object. */
export function parseJsonObject(body: Buffer): Outcome<Record<string, unknown>> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body.toString("utf8"));
  } catch {
    return refuse(422, EMSG.bodyNotJson);
  }
  return isObject(parsed) ? ok(parsed) : refuse(422, EMSG.bodyNotObject);
}

// -----------------------------------------------------------------------------------------------
// Phase 1: JSON types, enums, ranges (422)
// -----------------------------------------------------------------------------------------------

function checkScalar(kind: "string" | "boolean" | "integer", where: string, value: unknown, min?: number, max?: number): BolnaFailure | undefined {
  switch (kind) {
    case "string":
      return typeof value === "string" ? undefined : fail(422, EMSG.notString(where));
    case "boolean":
      return typeof value === "boolean" ? undefined : fail(422, EMSG.notBoolean(where));
    case "integer":
      if (typeof value !== "number" || !Number.isInteger(value)) return fail(422, EMSG.notInteger(where));
      if ((min !== undefined && value < min) || (max !== undefined && value > max)) return fail(422, EMSG.outOfRange(where, min ?? Number.MIN_SAFE_INTEGER, max));
      return undefined;
  }
}

/**
 * Reads one item of a nested list against its sub-fields: the stored members (defaults filled in)
 * or the 422. `null` is read as absent; requiredness is phase 3's.
 */
function readItem(fields: readonly SubField[], where: string, raw: unknown): Outcome<Record<string, unknown>> {
  if (!isObject(raw)) return refuse(422, EMSG.notObject(where));
  const out: Record<string, unknown> = {};
  for (const f of fields) {
    const value = raw[f.name];
    if (value === undefined || (value === null && !f.nullable)) {
      if ("default" in f) out[f.name] = f.default;
      continue;
    }
    if (value !== null) {
      const bad = checkScalar(f.kind, where ? `${where}.${f.name}` : f.name, value, f.min, f.max);
      if (bad) return { ok: false, error: bad };
    }
    out[f.name] = value;
  }
  return ok(out);
}

function readList(fields: readonly SubField[], name: string, raw: unknown): Outcome<Array<Record<string, unknown>>> {
  if (!Array.isArray(raw)) return refuse(422, EMSG.notArray(name));
  const items: Array<Record<string, unknown>> = [];
  for (const [i, entry] of raw.entries()) {
    const item = readItem(fields, `${name}[${i}]`, entry);
    if (!item.ok) return item;
    items.push(item.value);
  }
  return ok(items);
}

/** One sent, non-null value of a trunk member: what it stores, or the 422. Phase-3 enums pass through as sent. */
function readValue(f: TrunkField, value: unknown): Outcome<unknown> {
  switch (f.kind) {
    case "string":
    case "boolean":
    case "integer": {
      const bad = checkScalar(f.kind, f.name, value, f.min, f.max);
      return bad ? { ok: false, error: bad } : ok(value);
    }
    case "enum":
      if (f.invalid) return ok(value); // checked with the handler's rules (phase 3)
      return typeof value === "string" && (f.values ?? []).includes(value) ? ok(value) : refuse(422, EMSG.notOneOf(f.name, f.values ?? []));
    case "codecs": {
      if (typeof value !== "string") return refuse(422, EMSG.notString(f.name));
      const codecs = normalizeCodecs(value);
      return f.nonEmpty && codecs === "" ? refuse(422, EMSG.noCodec(f.name)) : ok(codecs);
    }
    case "gateways":
      return readList(GATEWAY_FIELDS, f.name, value);
    case "ip_identifiers":
      return readList(IP_IDENTIFIER_FIELDS, f.name, value);
    case "numbers":
      return readList(NUMBER_FIELDS, f.name, value);
  }
}

// -----------------------------------------------------------------------------------------------
// Phase 3: the handler's rules (400)
// -----------------------------------------------------------------------------------------------

const blank = (v: unknown) => typeof v !== "string" || v.trim() === "";

function checkGateways(gateways: Array<Record<string, unknown>>): BolnaFailure | undefined {
  if (gateways.length === 0) return fail(400, MSG.gatewayRequired);
  for (const g of gateways) if (blank(g.gateway_address)) return fail(400, GATEWAY_FIELDS[0].missing!);
  return undefined;
}

function checkIpIdentifiers(ips: Array<Record<string, unknown>>): BolnaFailure | undefined {
  for (const ip of ips) {
    if (blank(ip.ip_address)) return fail(400, IP_IDENTIFIER_FIELDS[0].missing!);
    if (!isIpOrCidr(ip.ip_address as string)) return fail(400, EMSG.ipAddressInvalid(ip.ip_address as string));
  }
  return undefined;
}

/** A number body after phase 1: phone_number present; E.164 when asked. */
function checkNumber(n: Record<string, unknown>): BolnaFailure | undefined {
  if (typeof n.phone_number !== "string" || n.phone_number === "") return fail(400, EMSG.phoneNumberRequired);
  if (n.e164_check_enabled === true && !E164.test(n.phone_number)) return fail(400, EMSG.notE164(n.phone_number));
  return undefined;
}

const numberWrite = (n: Record<string, unknown>): NumberWrite => ({ phone_number: n.phone_number as string, name: (n.name as string | null) ?? null });

const sdesWithoutTls = (t: { media_encryption?: unknown; transport?: unknown }) => t.media_encryption === "sdes" && t.transport !== "transport-tls";

// -----------------------------------------------------------------------------------------------
// The three writes
// -----------------------------------------------------------------------------------------------

/** `POST /sip-trunks/trunks`: the new trunk's members (defaults filled in) and its inline numbers. */
export function readTrunkCreate(body: Record<string, unknown>): Outcome<{ values: TrunkValues; numbers: NumberWrite[] }> {
  const values: Record<string, unknown> = {};
  let numbers: Array<Record<string, unknown>> = [];
  for (const f of TRUNK_FIELDS) {
    const sent = f.create ? body[f.name] : undefined;
    if (sent === undefined || sent === null) {
      if (!f.notStored && "default" in f) values[f.name] = structuredClone(f.default);
      continue;
    }
    const read = readValue(f, sent);
    if (!read.ok) return read;
    if (f.kind === "numbers") numbers = read.value as Array<Record<string, unknown>>;
    else values[f.name] = read.value;
  }
  if (sdesWithoutTls(values)) return refuse(422, MSG.sdesNeedsTls);

  for (const f of TRUNK_FIELDS) {
    if (f.create === "required" && blank(values[f.name]) && f.kind !== "gateways") return refuse(400, f.missing!);
    if (f.invalid && !(f.values ?? []).includes(values[f.name] as string)) return { ok: false, error: f.invalid };
  }
  const gateways = (values.gateways as Array<Record<string, unknown>> | undefined) ?? [];
  const badGateway = checkGateways(gateways);
  if (badGateway) return { ok: false, error: badGateway };
  if (values.auth_type === "userpass") {
    if (blank(values.auth_username) || blank(values.auth_password)) return refuse(400, MSG.credentialsRequired);
  } else {
    // Credentials mean nothing on an ip-based trunk; it stores none.
    values.auth_username = null;
    values.auth_password = null;
    if ((values.ip_identifiers as unknown[]).length === 0) return refuse(400, MSG.ipIdentifiersRequired);
  }
  const badIp = checkIpIdentifiers(values.ip_identifiers as Array<Record<string, unknown>>);
  if (badIp) return { ok: false, error: badIp };
  for (const n of numbers) {
    const bad = checkNumber(n);
    if (bad) return { ok: false, error: bad };
  }
  return ok({ values: values as unknown as TrunkValues, numbers: numbers.map(numberWrite) });
}

/** `PATCH /sip-trunks/trunks/{id}`: the members to change on `existing` (only those sent; lists replace whole). */
export function readTrunkUpdate(body: Record<string, unknown>, existing: BolnaTrunkRecord): Outcome<TrunkPatch> {
  const patch: Record<string, unknown> = {};
  for (const f of TRUNK_FIELDS) {
    if (!f.update || !(f.name in body)) continue;
    if (f.onlyFor && existing.auth_type !== f.onlyFor) continue;
    const sent = body[f.name];
    if (sent === null) {
      if (!f.nullable) return refuse(422, EMSG.notNull(f.name));
      patch[f.name] = null;
      continue;
    }
    const read = readValue(f, sent);
    if (!read.ok) return read;
    patch[f.name] = read.value;
  }
  if (sdesWithoutTls({ ...existing, ...patch })) return refuse(422, MSG.sdesNeedsTls);

  if ("name" in patch && blank(patch.name)) return refuse(400, MSG.nameRequired);
  if (patch.gateways) {
    const bad = checkGateways(patch.gateways as unknown as Array<Record<string, unknown>>);
    if (bad) return { ok: false, error: bad };
  }
  if (("auth_username" in patch && blank(patch.auth_username)) || ("auth_password" in patch && blank(patch.auth_password))) {
    return refuse(400, MSG.credentialsRequired);
  }
  if (patch.ip_identifiers) {
    const ips = patch.ip_identifiers as unknown as Array<Record<string, unknown>>;
    if (existing.auth_type === "ip-based" && ips.length === 0) return refuse(400, MSG.ipIdentifiersRequired);
    const bad = checkIpIdentifiers(ips);
    if (bad) return { ok: false, error: bad };
  }
  return ok(patch as TrunkPatch);
}

/** `POST /sip-trunks/trunks/{id}/numbers`: the number to add. */
export function readNumberCreate(body: Record<string, unknown>): Outcome<NumberWrite> {
  const item = readItem(NUMBER_FIELDS, "", body);
  if (!item.ok) return item;
  const bad = checkNumber(item.value);
  return bad ? { ok: false, error: bad } : ok(numberWrite(item.value));
}
