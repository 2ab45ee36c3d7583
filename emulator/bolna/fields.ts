/**
 * The legacy `/sip-trunks` trunk declared once, as data: for every member, its JSON type, whether
 * create and PATCH take it, its create default, its range or values, whether it is write-only or
 * shown for one auth type only, and where that comes from. validate.ts (what a write accepts),
 * serialize.ts (what an answer shows, in this order) and the data-file schema all read
 * {@link TRUNK_FIELDS}; adding a member is one entry here (plus its member in `BolnaTrunkRecord`).
 *
 * Sources: [O] bolna-ai/skills openapi.yml, [G] the BYOT guide (bolna-ai/bolna docs), [K] the
 * setup-sip-trunk skill, [M] bolna-ai/mcp sip-trunks tool, [R] a fixture in shared/fixtures/bolna;
 * [I] the emulator's own choice (docs/emulator.md says why).
 */
import { isIP } from "node:net";
import { EMSG, MSG, type BolnaFailure } from "./messages";
import { ENUMS, type BolnaTrunkRecord } from "./model";

export type FieldKind = "string" | "boolean" | "integer" | "enum" | "codecs" | "gateways" | "ip_identifiers" | "numbers";

/** Members of a stored trunk a client may write, plus `phone_numbers` (create only, stored as number records). */
export type TrunkMember = Exclude<keyof BolnaTrunkRecord, "id" | "created_at" | "updated_at"> | "phone_numbers";

export interface TrunkField {
  name: TrunkMember;
  kind: FieldKind;
  /** On create: `required` (400 `missing` when absent, null or empty), `optional`, or absent = not taken (the default applies). */
  create?: "required" | "optional";
  /** On PATCH: `optional`, or absent = ignored when sent (unknown to the update schema, or immutable). */
  update?: "optional";
  /** Value of a new trunk when create does not set it. */
  default?: unknown;
  /** The API takes and shows `null` (a nullable text). */
  nullable?: boolean;
  /** Stored as `null` where the API leaves the member out (credentials of ip-based trunks). */
  storedNullable?: boolean;
  values?: readonly string[];
  min?: number;
  max?: number;
  /** The answer to a value outside `values` (default: 422, one of). */
  invalid?: BolnaFailure;
  /** 400 text for a required member that is absent, null or empty. */
  missing?: string;
  /** A codec list that must name at least one codec. */
  nonEmpty?: boolean;
  /** Taken on writes, never in an answer. */
  writeOnly?: boolean;
  /** Shown, and taken on PATCH, only for trunks of this auth type. */
  onlyFor?: "userpass";
  /** Not a member of the stored trunk record. */
  notStored?: boolean;
  source: string;
}

/** In response order (the GET example's order [R], with [O]'s media_encryption pair after ice_support). */
export const TRUNK_FIELDS: readonly TrunkField[] = [
  { name: "name", kind: "string", create: "required", update: "optional", missing: MSG.nameRequired, source: "[O][G] required, unique per account" },
  { name: "provider", kind: "string", create: "required", missing: MSG.providerRequired, source: "[O][G] required; immutable [M]: ignored on PATCH [I]" },
  { name: "description", kind: "string", create: "optional", update: "optional", default: null, nullable: true, source: "[G] default null" },
  {
    name: "auth_type",
    kind: "enum",
    values: ENUMS.authType,
    create: "required",
    missing: MSG.authType,
    invalid: { status: 400, detail: MSG.authType },
    source: "[O][G] required; immutable [M]: ignored on PATCH [I]",
  },
  { name: "auth_username", kind: "string", create: "optional", update: "optional", default: null, storedNullable: true, onlyFor: "userpass", source: "[O] userpass only" },
  { name: "auth_password", kind: "string", create: "optional", update: "optional", default: null, storedNullable: true, onlyFor: "userpass", writeOnly: true, source: "[G] never returned" },
  { name: "gateways", kind: "gateways", create: "required", update: "optional", missing: MSG.gatewayRequired, source: "[O][G] ≥1; PATCH replaces the list" },
  { name: "ip_identifiers", kind: "ip_identifiers", create: "optional", update: "optional", default: [], source: "[O][G] default []; PATCH replaces the list" },
  { name: "phone_numbers", kind: "numbers", create: "optional", notStored: true, source: "[O] create only" },
  { name: "allow", kind: "codecs", create: "optional", update: "optional", default: "ulaw,alaw", nonEmpty: true, source: "[O][G] default" },
  { name: "disallow", kind: "codecs", create: "optional", update: "optional", default: "all", source: "[O][G] default" },
  { name: "transport", kind: "enum", values: ENUMS.transport, create: "optional", update: "optional", default: "transport-udp", source: "[O] enum, default" },
  { name: "direct_media", kind: "boolean", create: "optional", update: "optional", default: false, source: "[O] default; PATCH [G]" },
  { name: "rtp_symmetric", kind: "boolean", create: "optional", update: "optional", default: true, source: "[O] default; PATCH [G]" },
  { name: "force_rport", kind: "boolean", create: "optional", update: "optional", default: true, source: "[O] default; PATCH [G]" },
  { name: "ice_support", kind: "boolean", create: "optional", update: "optional", default: true, source: "[G] default; in the GET example [R]" },
  { name: "media_encryption", kind: "enum", values: ENUMS.mediaEncryption, create: "optional", update: "optional", default: "no", source: "[O] enum, default" },
  { name: "media_encryption_optimistic", kind: "boolean", create: "optional", update: "optional", default: false, source: "[O] default; in the PATCH example [R]" },
  { name: "qualify_frequency", kind: "integer", min: 0, create: "optional", update: "optional", default: 60, source: "[O] default 60, 0 disables" },
  { name: "inbound_enabled", kind: "boolean", create: "optional", update: "optional", default: false, source: "[O] default" },
  { name: "outbound_leading_plus_enabled", kind: "boolean", create: "optional", update: "optional", default: true, source: "[O] default" },
  { name: "is_active", kind: "boolean", update: "optional", default: true, source: "[O] PATCH only; new trunks active" },
];

/** A member of a gateway item or a number body. */
export interface SubField {
  name: string;
  kind: "string" | "integer" | "boolean";
  required?: boolean;
  missing?: string;
  default?: unknown;
  nullable?: boolean;
  min?: number;
  max?: number;
  /** Taken and type-checked, not stored. */
  notStored?: boolean;
}

/** [O] SIPTrunkGateway: `gateway_address` required, `port` 5060, `priority` 1 (lower first). Port range [I]. */
export const GATEWAY_FIELDS: readonly SubField[] = [
  { name: "gateway_address", kind: "string", required: true, missing: EMSG.gatewayAddressRequired },
  { name: "port", kind: "integer", default: 5060, min: 1, max: 65535 },
  { name: "priority", kind: "integer", default: 1, min: 0 },
];

/** [O] SIPTrunkIPIdentifier: `ip_address` required, an IP address or CIDR range. */
export const IP_IDENTIFIER_FIELDS: readonly SubField[] = [{ name: "ip_address", kind: "string", required: true, missing: EMSG.ipAddressRequired }];

/** [O] SIPTrunkPhoneNumberRequest (+ [G] `is_active`, taken and not modelled). */
export const NUMBER_FIELDS: readonly SubField[] = [
  { name: "phone_number", kind: "string", required: true, missing: EMSG.phoneNumberRequired },
  { name: "name", kind: "string", default: null, nullable: true },
  { name: "e164_check_enabled", kind: "boolean", default: false, notStored: true },
  { name: "is_active", kind: "boolean", default: true, notStored: true },
];

/**
 * An IP address or CIDR range (IPv4 or IPv6), as [O] "IP address or CIDR range": `node:net`
 * validates the address (it refuses leading zeros), the prefix is 0–32 / 0–128 without leading
 * zeros; no zone id, no whitespace. The text is stored exactly as sent: a bare address stays bare
 * (nothing documents a host prefix being added on the legacy API), host bits under a prefix stay.
 */
export function isIpOrCidr(text: string): boolean {
  const [address, prefix, ...rest] = text.split("/");
  if (rest.length > 0 || address.includes("%")) return false;
  const family = isIP(address);
  if (family === 0) return false;
  if (prefix === undefined) return true;
  if (!/^(0|[1-9][0-9]{0,2})$/.test(prefix)) return false;
  return Number(prefix) <= (family === 4 ? 32 : 128);
}

/** `+` then 2 to 15 digits, no leading zero: what `e164_check_enabled: true` enforces ([O] "E.164 format validation"). */
export const E164 = /^\+[1-9][0-9]{1,14}$/;

/** The phone number as compared for conflicts: without a leading `+` ([G] inbound lookup is `+`-tolerant). */
export const numberKey = (phoneNumber: string) => phoneNumber.replace(/^\+/, "");

// ---------------------------------------------------------------------------------------------
// JSON Schemas of the stored records (data file, out-of-band edits)
// ---------------------------------------------------------------------------------------------

const date = { type: "string", minLength: 1 };

const subSchema = (fields: readonly SubField[], extra: Record<string, unknown> = {}) => {
  const stored = fields.filter((f) => !f.notStored);
  return {
    type: "object",
    additionalProperties: false,
    required: [...stored.map((f) => f.name), ...Object.keys(extra)],
    properties: {
      ...extra,
      ...Object.fromEntries(
        stored.map((f) => [
          f.name,
          f.kind === "integer"
            ? { type: "integer", ...(f.min !== undefined ? { minimum: f.min } : {}), ...(f.max !== undefined ? { maximum: f.max } : {}) }
            : { type: f.nullable ? [f.kind, "null"] : f.kind },
        ]),
      ),
    },
  };
};

export const GATEWAY_RECORD_SCHEMA = subSchema(GATEWAY_FIELDS, { id: { type: "string", minLength: 1 }, created_at: date });
export const IP_IDENTIFIER_RECORD_SCHEMA = subSchema(IP_IDENTIFIER_FIELDS);

function fieldSchema(f: TrunkField): Record<string, unknown> {
  const nullable = f.nullable || f.storedNullable;
  switch (f.kind) {
    case "string":
    case "codecs":
      return { type: nullable ? ["string", "null"] : "string" };
    case "boolean":
      return { type: "boolean" };
    case "integer":
      return { type: "integer", ...(f.min !== undefined ? { minimum: f.min } : {}), ...(f.max !== undefined ? { maximum: f.max } : {}) };
    case "enum":
      return { type: "string", enum: [...(f.values ?? [])] };
    case "gateways":
      return { type: "array", items: GATEWAY_RECORD_SCHEMA };
    case "ip_identifiers":
      return { type: "array", items: IP_IDENTIFIER_RECORD_SCHEMA };
    case "numbers":
      throw new Error("phone_numbers are not stored on the trunk");
  }
}

const STORED = TRUNK_FIELDS.filter((f) => !f.notStored);

export const TRUNK_RECORD_SCHEMA = {
  type: "object",
  additionalProperties: false,
  required: ["id", ...STORED.map((f) => f.name), "created_at", "updated_at"],
  properties: {
    id: { type: "string", minLength: 1 },
    ...Object.fromEntries(STORED.map((f) => [f.name, fieldSchema(f)])),
    created_at: date,
    updated_at: date,
  },
};

export const NUMBER_RECORD_SCHEMA = subSchema(NUMBER_FIELDS, {
  id: { type: "string", minLength: 1 },
  byot_trunk_id: { type: "string", minLength: 1 },
  telephony_provider: { const: "sip-trunk" },
  deleted: { type: "boolean" },
  created_at: date,
  updated_at: date,
});

/** JSON Schema of the data file's `bolna` section. */
export const BOLNA_STATE_SCHEMA = {
  type: "object",
  required: ["trunks", "phone_numbers"],
  properties: {
    trunks: { type: "array", items: TRUNK_RECORD_SCHEMA },
    phone_numbers: { type: "array", items: NUMBER_RECORD_SCHEMA },
  },
};
