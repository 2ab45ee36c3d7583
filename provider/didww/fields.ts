/**
 * The DIDWW outbound trunk, declared once as data.
 *
 * Each entry says how one input maps to the API (`api`), what it accepts (`schema`, for ajv),
 * the rule in words (used in every error message), what the server does when it is omitted
 * (`default`, or `serverManaged`), how two values compare (`compare`) and what type DIDWW
 * answers with (`wire`, checked on every response). Validation, diffing, payload building,
 * read-back, response checks, the README's input table and the TSDoc check all read this table.
 * The table is typed against {@link OutboundTrunkInputs} and {@link OutboundTrunkOutputs}: a
 * field missing here, or a default of the wrong type, does not compile.
 */
import { fieldIn, fieldList, oneOf, type ControlField, type FieldDef, type FieldSpec as CommonFieldSpec, type SubField } from "../common/fields";
import type { CrossRule } from "../common/schema";
import type { AuthType, OutboundTrunkInputs } from "./types";

export { canonical, sortedUnique, type Compare } from "../common/fields";

/** Inputs that steer the provider rather than the trunk. */
export type ControlInputName = "importId" | "onImportMismatch" | "credentialsRotation";
/** Inputs that are plain trunk attributes or relationships (everything but the auth method and controls). */
export type TrunkInputName = Exclude<keyof OutboundTrunkInputs, "authenticationMethod" | ControlInputName>;
/** The switches that hand a relationship to DIDWW. */
type Switch = "allowAnyDidAsCli" | "emergencyEnableAll";

/** One trunk attribute, or a to-many relationship of `dids` (`relationship: true`). */
type TrunkFieldDef<T> = FieldDef<T, Switch> & { relationship?: boolean };
export type FieldSpec = CommonFieldSpec<TrunkInputName, Switch> & { relationship?: boolean };

export const UUID_PATTERN = "^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$";
export const TWILIO_ACCOUNT_SID_PATTERN = "^AC[0-9a-fA-F]{32}$";
export const TECH_PREFIX_PATTERN = "^[0-9#]{1,8}$";
/** The provider's own cap on allow-lists (DIDWW documents none). */
export const MAX_IPS = 60;

export const ON_CLI_MISMATCH_ACTIONS = ["send_original_cli", "reject_call", "replace_cli", "randomize_cli"] as const;
export const MEDIA_ENCRYPTION_MODES = ["disabled", "srtp_sdes", "srtp_dtls", "zrtp"] as const;
export const TRUNK_STATUSES = ["active", "blocked"] as const;
export const DST_ACTIONS = ["allow_all", "reject_all"] as const;

const IP_ITEM_RULE = "must be an IPv4/IPv6 address or CIDR";
const DID_ITEM_RULE = "must be a DID id (a UUID)";
const ipList = (min: number) => ({ type: "array", minItems: min, maxItems: MAX_IPS, items: { type: "string", format: "ip-or-cidr" } });

type FieldTable = { [K in TrunkInputName]-?: TrunkFieldDef<Exclude<OutboundTrunkInputs[K], undefined>> };

const TABLE = {
  name: {
    api: "name", required: true, nullable: false, compare: "exact", wire: "string",
    schema: { type: "string", minLength: 1, maxLength: 255, pattern: "\\S" },
    // DIDWW (a Rails API) calls a name of only spaces blank: "name - can't be blank".
    rule: "must be a string of at most 255 characters with at least one non-space character",
    providerRule: "the 255-character limit",
    doc: "Trunk name shown in the DIDWW panel.",
  },
  externalReferenceId: {
    api: "external_reference_id", default: null, nullable: true, compare: "exact", wire: "string",
    schema: { type: ["string", "null"], maxLength: 100 },
    rule: "must be a string of at most 100 characters, or null",
    doc: "Your own identifier for the trunk (at most 100 characters).",
  },
  status: {
    api: "status", default: "active", nullable: false, compare: "exact", wire: "string",
    schema: { enum: [...TRUNK_STATUSES] },
    rule: oneOf(TRUNK_STATUSES),
    doc: "`blocked` stops outbound traffic without deleting the trunk.",
  },
  capacityLimit: {
    api: "capacity_limit", default: null, nullable: true, compare: "exact", wire: "integer",
    schema: { type: ["integer", "null"], minimum: 0, maximum: 32767 },
    rule: "must be an integer from 0 to 32767, or null for no limit",
    doc: "Concurrent call limit; null means unlimited.",
  },
  thresholdAmount: {
    api: "threshold_amount", serverManaged: true, nullable: true, compare: "decimal", wire: "decimal",
    schema: { anyOf: [{ type: "null" }, { type: "number" }, { type: "string" }], decimalRange: [0, 100000] },
    rule: 'must be a decimal from 0 to 100000 (a number or a string such as "100.0"), or null',
    doc: "24-hour spending threshold. Omitted: DIDWW's account default is kept and not compared.",
  },
  allowAnyDidAsCli: {
    api: "allow_any_did_as_cli", default: false, nullable: false, compare: "exact", wire: "boolean",
    schema: { type: "boolean" },
    rule: "must be a boolean",
    doc: "Any eligible DID may be the caller ID; `didIds` must then be empty.",
  },
  onCliMismatchAction: {
    api: "on_cli_mismatch_action", required: true, nullable: false, compare: "exact", wire: "string",
    schema: { enum: [...ON_CLI_MISMATCH_ACTIONS] },
    rule: oneOf(ON_CLI_MISMATCH_ACTIONS),
    doc: "What DIDWW does when the caller ID is not an allowed DID.",
  },
  defaultDstAction: {
    api: "default_dst_action", default: "allow_all", nullable: false, compare: "exact", wire: "string",
    schema: { enum: [...DST_ACTIONS] },
    rule: oneOf(DST_ACTIONS),
    doc: "Destinations allowed unless listed in `dstPrefixes`, or rejected unless listed.",
  },
  dstPrefixes: {
    api: "dst_prefixes", default: [], nullable: true, compare: "stringSet", wire: "strings",
    schema: { type: ["array", "null"], items: { type: "string", pattern: "^[0-9]{1,20}$" } },
    rule: "must be a list of destination prefixes of 1 to 20 digits each (compared as a set)",
    itemRule: "must be a destination prefix of 1 to 20 digits",
    providerRule: "the 1-to-20-digit format",
    doc: "Destination prefixes excepted from `defaultDstAction`; order does not matter.",
  },
  mediaEncryptionMode: {
    api: "media_encryption_mode", default: "disabled", nullable: false, compare: "exact", wire: "string",
    schema: { enum: [...MEDIA_ENCRYPTION_MODES] },
    rule: oneOf(MEDIA_ENCRYPTION_MODES),
    doc: "Media encryption.",
  },
  allowedRtpIps: {
    api: "allowed_rtp_ips", default: null, nullable: true, compare: "ipSet", wire: "strings",
    schema: { anyOf: [{ type: "null" }, ipList(0)] },
    rule: `must be null (no restriction) or a list of at most ${MAX_IPS} IPv4/IPv6 addresses or CIDRs`,
    itemRule: IP_ITEM_RULE,
    providerRule: `the limit of ${MAX_IPS} entries`,
    doc: "Media source allow-list; null means any address. Bare addresses equal their /32 or /128.",
  },
  forceSymmetricRtp: {
    api: "force_symmetric_rtp", default: false, nullable: false, compare: "exact", wire: "boolean",
    schema: { type: "boolean" }, rule: "must be a boolean", doc: "Symmetric RTP (COMEDIA).",
  },
  rtpPing: {
    api: "rtp_ping", default: false, nullable: false, compare: "exact", wire: "boolean",
    schema: { type: "boolean" }, rule: "must be a boolean", doc: "Send an empty RTP packet after the call is answered.",
  },
  rtpTimeout: {
    api: "rtp_timeout", default: 30, nullable: true, compare: "exact", wire: "integer",
    schema: { type: ["integer", "null"], minimum: 30, maximum: 600 },
    rule: "must be an integer number of seconds from 30 to 600, or null",
    doc: "Hang up when no RTP arrives for this many seconds.",
  },
  callbackUrl: {
    api: "callback_url", default: null, nullable: true, compare: "exact", wire: "string",
    schema: { type: ["string", "null"], format: "http-url" },
    rule: "must be an http:// or https:// URL, or null",
    doc: "Notified when the threshold is reached.",
  },
  emergencyEnableAll: {
    api: "emergency_enable_all", default: false, nullable: false, compare: "exact", wire: "boolean",
    schema: { type: "boolean" },
    rule: "must be a boolean",
    doc: "Every eligible DID may place emergency calls; `emergencyDidIds` must then be empty.",
  },
  didIds: {
    api: "dids", relationship: true, default: [], nullable: false, compare: "idSet", wire: "strings", managedWhen: "allowAnyDidAsCli",
    schema: { type: "array", items: { type: "string", pattern: UUID_PATTERN } },
    rule: "must be a list of DID ids (UUIDs)",
    itemRule: DID_ITEM_RULE,
    providerRule: "the UUID format",
    doc: "DIDs allowed as caller ID (a set). Not managed while `allowAnyDidAsCli` is true.",
  },
  emergencyDidIds: {
    api: "emergency_dids", relationship: true, default: [], nullable: false, compare: "idSet", wire: "strings", managedWhen: "emergencyEnableAll",
    schema: { type: "array", items: { type: "string", pattern: UUID_PATTERN } },
    rule: "must be a list of DID ids (UUIDs)",
    itemRule: DID_ITEM_RULE,
    providerRule: "the UUID format",
    doc: "DIDs enabled for emergency calls (a set). Not managed while `emergencyEnableAll` is true.",
  },
} satisfies FieldTable;

export const TRUNK_FIELDS: readonly FieldSpec[] = fieldList<TrunkInputName, Switch>(TABLE as Record<TrunkInputName, TrunkFieldDef<unknown>>);

/** The field of one input name. */
export function fieldOf(input: TrunkInputName): FieldSpec {
  return fieldIn(TRUNK_FIELDS, input);
}

function emptyWhileTrue(list: TrunkInputName, flag: TrunkInputName, rule: string): CrossRule<TrunkInputName> {
  return {
    property: list,
    rule,
    schema: {
      if: { properties: { [flag]: { const: true } }, required: [flag] },
      then: { properties: { [list]: { maxItems: 0 } } },
    },
  };
}

export const CROSS_RULES: readonly CrossRule<TrunkInputName>[] = [
  emptyWhileTrue("didIds", "allowAnyDidAsCli", "must be empty while allowAnyDidAsCli is true (DIDWW then manages the dids relationship itself)"),
  emptyWhileTrue("emergencyDidIds", "emergencyEnableAll", "must be empty while emergencyEnableAll is true (every eligible DID is then enabled)"),
];

/** One attribute of an authentication method: an IP set, a case-insensitive SID, or a prefix where "" equals null. */
export type AuthSubField = SubField<"allowedSipIps" | "techPrefix" | "twilioAccountSid">;

const AUTH_SUBFIELDS = {
  allowedSipIps: {
    input: "allowedSipIps", api: "allowed_sip_ips", required: true, compare: "ipSet", nullable: false, wire: "strings",
    schema: ipList(1),
    rule: `must be a non-empty list of at most ${MAX_IPS} IPv4/IPv6 addresses or CIDRs`,
    itemRule: IP_ITEM_RULE,
    providerRule: `the limit of ${MAX_IPS} entries`,
  },
  techPrefix: {
    input: "techPrefix", api: "tech_prefix", required: false, compare: "emptyIsNull", nullable: true, wire: "string",
    schema: { anyOf: [{ type: "null" }, { type: "string", pattern: TECH_PREFIX_PATTERN }] },
    rule: "must be null or 1 to 8 characters, digits and # only",
  },
  twilioAccountSid: {
    input: "twilioAccountSid", api: "twilio_account_sid", required: true, compare: "caseless", nullable: false, wire: "string",
    schema: { type: "string", pattern: TWILIO_ACCOUNT_SID_PATTERN },
    rule: 'must be "AC" followed by 32 hexadecimal characters',
  },
} as const satisfies Record<string, AuthSubField>;

/** The writable authentication types and their attributes; `ip_only` is read-only (DIDWW staff set it). */
export const AUTH_TYPES: Readonly<Record<AuthType, readonly AuthSubField[]>> = {
  credentials_and_ip: [AUTH_SUBFIELDS.allowedSipIps, AUTH_SUBFIELDS.techPrefix],
  twilio: [AUTH_SUBFIELDS.twilioAccountSid],
};

/** Every authentication attribute once, whatever the type. */
export const AUTH_SUBFIELD_LIST: readonly AuthSubField[] = Object.values(AUTH_SUBFIELDS);

export const AUTH_TYPE_RULE =
  'must be "credentials_and_ip" or "twilio" (ip_only is read-only: only DIDWW staff set it, and the API refuses it on create and update)';
export const AUTH_METHOD_RULE = 'must be an object { type: "credentials_and_ip", allowedSipIps, techPrefix? } or { type: "twilio", twilioAccountSid }';

/** Inputs that steer the provider itself rather than the trunk. */
export const CONTROL_FIELDS: Readonly<Record<ControlInputName, ControlField>> = {
  importId: {
    schema: { type: "string", pattern: UUID_PATTERN },
    rule: "must be the id (UUID) of an existing DIDWW outbound trunk",
    doc: "Set by the `import` resource option: adopt this trunk instead of creating one.",
  },
  onImportMismatch: {
    schema: { enum: ["fail", "update"] },
    rule: 'must be "fail" or "update"',
    doc: 'With `import`: "fail" (default) stops when the live trunk differs from the arguments; "update" makes it match.',
  },
  credentialsRotation: {
    schema: { type: ["string", "number"] },
    rule: "must be a string or a number",
    doc: "Change this value to have DIDWW generate new SIP credentials (credentials_and_ip only; ignored for twilio).",
  },
};
