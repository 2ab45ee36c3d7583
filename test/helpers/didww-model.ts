/**
 * A tiny model of how DIDWW turns a request body into the trunk it stores, written from the
 * recorded exchanges (defaults of vot_create_credentials_and_ip, CIDR normalisation, decimal
 * rendering, generated 16-character credentials). Used by the property tests of the pure
 * mapping; the emulator is the full, independent stand-in.
 *
 * It is an oracle: it must share no code with the provider it judges (a normaliser both used
 * would make a bug in it invisible). So it imports nothing from provider/: addresses and decimals
 * go through the emulator's own readers (emulator/didww/normalize.ts, built on `node:net` and
 * BigInt, apart from provider/common on purpose), and the document type is spelled out here.
 * test/unit/oracle.test.ts fails if an import from provider/ comes back.
 */
import { normalizeCidr, parseDecimal } from "../../emulator/didww/normalize";

/** A JSON:API trunk resource as DIDWW answers it (structurally the provider's `ModelTrunk`). */
export interface ModelTrunk {
  id: string;
  type: string;
  attributes: Record<string, unknown>;
  /** Optional, as in any JSON:API resource (tests delete it to simulate an answer without linkage). */
  relationships?: Record<string, { data?: { type: string; id: string }[] }>;
  meta?: Record<string, unknown>;
}

/** DIDWW stores allow-list entries as CIDRs; the model is only ever given valid ones. */
function cidr(value: string): string {
  const normalized = normalizeCidr(value);
  if (normalized === undefined) throw new Error(`didww-model: ${JSON.stringify(value)} is not an address or CIDR (DIDWW would refuse the request)`);
  return normalized;
}

/** DIDWW renders amounts with at least one fractional digit (`100` → `"100.0"`). */
function decimal(value: string | number): string {
  const parsed = parseDecimal(value);
  if (parsed === undefined) throw new Error(`didww-model: ${JSON.stringify(value)} is not a decimal (DIDWW would refuse the request)`);
  return parsed.text;
}

export const RECORDED_DEFAULTS: Record<string, unknown> = {
  external_reference_id: null, status: "active", capacity_limit: null, threshold_amount: "3000.0", allow_any_did_as_cli: false,
  default_dst_action: "allow_all", dst_prefixes: [], media_encryption_mode: "disabled", allowed_rtp_ips: null,
  force_symmetric_rtp: false, rtp_ping: false, rtp_timeout: 30, callback_url: null, emergency_enable_all: false,
};

let counter = 0;
function credential(): string {
  counter++;
  return `Ab${String(counter).padStart(14, "0")}`;
}

function normaliseAttrs(attrs: Record<string, unknown>): Record<string, unknown> {
  const out = { ...attrs };
  if (Array.isArray(out.allowed_rtp_ips)) out.allowed_rtp_ips = (out.allowed_rtp_ips as string[]).map(cidr);
  if (out.threshold_amount !== undefined && out.threshold_amount !== null) out.threshold_amount = decimal(out.threshold_amount as string | number);
  return out;
}

function applyAuth(current: any, requested: any): any {
  if (!requested) return current;
  const attrs = { ...(requested.attributes ?? {}) };
  if (requested.type === "credentials_and_ip") {
    attrs.allowed_sip_ips = (attrs.allowed_sip_ips as string[]).map(cidr);
    attrs.tech_prefix = attrs.tech_prefix ?? null;
    const keep = current?.type === "credentials_and_ip";
    attrs.username = keep ? current.attributes.username : credential();
    attrs.password = keep ? current.attributes.password : credential();
  }
  return { type: requested.type, attributes: attrs };
}

/** The stored trunk after a POST of `body`. */
export function modelCreate(body: any, id = "9e0c7b4a-1111-4222-8333-444455556666"): ModelTrunk {
  const { authentication_method, ...rest } = body.data.attributes;
  const attributes: Record<string, unknown> = { ...RECORDED_DEFAULTS, ...normaliseAttrs(rest), threshold_reached: false, created_at: "2026-11-22T10:00:00.000Z" };
  attributes.authentication_method = applyAuth(undefined, authentication_method);
  const relationships: Record<string, any> = {};
  for (const rel of ["dids", "emergency_dids"]) relationships[rel] = { data: body.data.relationships?.[rel]?.data ?? [] };
  return { id, type: "voice_out_trunks", attributes, relationships, meta: { spent_amount: "0.0" } };
}

/** The stored trunk after a PATCH of `body`. */
export function modelPatch(current: ModelTrunk, body: any): ModelTrunk {
  const { authentication_method, ...rest } = body.data.attributes ?? {};
  const attributes: Record<string, unknown> = { ...current.attributes, ...normaliseAttrs(rest) };
  attributes.authentication_method = applyAuth(current.attributes?.authentication_method, authentication_method);
  const relationships: Record<string, any> = { ...current.relationships };
  for (const rel of ["dids", "emergency_dids"]) if (body.data.relationships?.[rel]) relationships[rel] = { data: body.data.relationships[rel].data };
  return { ...current, attributes, relationships };
}

/** A GET as the documentation shows it: credentials masked to three characters. */
export function masked(resource: ModelTrunk): ModelTrunk {
  const copy = JSON.parse(JSON.stringify(resource));
  const a = copy.attributes.authentication_method?.attributes;
  if (a?.username) a.username = `${a.username.slice(0, 3)}******`;
  if (a?.password) a.password = `${a.password.slice(0, 3)}******`;
  return copy;
}
