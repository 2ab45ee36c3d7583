/**
 * The DIDWW outbound trunk, declared once as data.
 *
 * Each entry says how one input maps to the API (`api`), what it accepts (`schema`, for ajv),
 * the rule in words (used in every error message), what the server does when it is omitted
 * (`default`, or `serverManaged`), and how two values compare (`compare`). Validation,
 * diffing, payload building, read-back and the README's input table all read this table.
 */
import { canonicalDecimal } from "../common/decimal";
import { normaliseCidr } from "../common/ip";

export type Compare = "exact" | "decimal" | "ipSet" | "stringSet" | "idSet";

export interface FieldSpec {
  /** The resource input (camelCase of the API attribute). */
  input: string;
  /** The JSON:API attribute, or the relationship name when `relationship` is set. */
  api: string;
  /** JSON Schema of the input value (null included when the field is nullable). */
  schema: Record<string, unknown>;
  /** The rule in words; error messages quote it. */
  rule: string;
  /** Documented value the API gives an omitted attribute on create; an omitted input means this value. */
  default?: unknown;
  /** Omitted means "whatever DIDWW has" (the default depends on the account): not sent, not compared. */
  serverManaged?: boolean;
  required?: boolean;
  compare: Compare;
  /** A to-many relationship of `dids` rather than an attribute. */
  relationship?: boolean;
  /** While this boolean input is true, DIDWW manages the field itself: it is neither sent nor compared. */
  managedWhen?: string;
  /** One line for the README. */
  doc: string;
}

export const UUID_PATTERN = "^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$";
export const TWILIO_ACCOUNT_SID_PATTERN = "^AC[0-9a-fA-F]{32}$";
export const TECH_PREFIX_PATTERN = "^[0-9#]{1,8}$";

export const ON_CLI_MISMATCH_ACTIONS = ["send_original_cli", "reject_call", "replace_cli", "randomize_cli"] as const;
export const MEDIA_ENCRYPTION_MODES = ["disabled", "srtp_sdes", "srtp_dtls", "zrtp"] as const;
export const AUTH_TYPES_WRITABLE = ["credentials_and_ip", "twilio"] as const;

const ipList = (max: number) => ({ type: "array", maxItems: max, items: { type: "string", format: "ip-or-cidr" } });

export const TRUNK_FIELDS: readonly FieldSpec[] = [
  {
    input: "name", api: "name", required: true, compare: "exact",
    schema: { type: "string", minLength: 1, maxLength: 255, pattern: "\\S" },
    // DIDWW (a Rails API) calls a name of only spaces blank: "name - can't be blank".
    rule: "must be a string of at most 255 characters with at least one non-space character",
    doc: "Trunk name shown in the DIDWW panel.",
  },
  {
    input: "externalReferenceId", api: "external_reference_id", default: null, compare: "exact",
    schema: { type: ["string", "null"], maxLength: 100 },
    rule: "must be a string of at most 100 characters, or null",
    doc: "Your own identifier for the trunk (at most 100 characters).",
  },
  {
    input: "status", api: "status", default: "active", compare: "exact",
    schema: { enum: ["active", "blocked"] },
    rule: 'must be "active" or "blocked"',
    doc: "`blocked` stops outbound traffic without deleting the trunk.",
  },
  {
    input: "capacityLimit", api: "capacity_limit", default: null, compare: "exact",
    schema: { type: ["integer", "null"], minimum: 0, maximum: 32767 },
    rule: "must be an integer from 0 to 32767, or null for no limit",
    doc: "Concurrent call limit; null means unlimited.",
  },
  {
    input: "thresholdAmount", api: "threshold_amount", serverManaged: true, compare: "decimal",
    schema: { anyOf: [{ type: "null" }, { type: "number" }, { type: "string" }], decimalRange: [0, 100000] },
    rule: 'must be a decimal from 0 to 100000 (a number or a string such as "100.0"), or null',
    doc: "24-hour spending threshold. Omitted: DIDWW's account default is kept and not compared.",
  },
  {
    input: "allowAnyDidAsCli", api: "allow_any_did_as_cli", default: false, compare: "exact",
    schema: { type: "boolean" },
    rule: "must be a boolean",
    doc: "Any eligible DID may be the caller ID; `didIds` must then be empty.",
  },
  {
    input: "onCliMismatchAction", api: "on_cli_mismatch_action", required: true, compare: "exact",
    schema: { enum: [...ON_CLI_MISMATCH_ACTIONS] },
    rule: `must be one of ${ON_CLI_MISMATCH_ACTIONS.map((v) => `"${v}"`).join(", ")}`,
    doc: "What DIDWW does when the caller ID is not an allowed DID.",
  },
  {
    input: "defaultDstAction", api: "default_dst_action", default: "allow_all", compare: "exact",
    schema: { enum: ["allow_all", "reject_all"] },
    rule: 'must be "allow_all" or "reject_all"',
    doc: "Destinations allowed unless listed in `dstPrefixes`, or rejected unless listed.",
  },
  {
    input: "dstPrefixes", api: "dst_prefixes", default: [], compare: "stringSet",
    schema: { type: ["array", "null"], items: { type: "string", pattern: "^[0-9]{1,20}$" } },
    rule: "must be a list of destination prefixes of 1 to 20 digits each (compared as a set)",
    doc: "Destination prefixes excepted from `defaultDstAction`; order does not matter.",
  },
  {
    input: "mediaEncryptionMode", api: "media_encryption_mode", default: "disabled", compare: "exact",
    schema: { enum: [...MEDIA_ENCRYPTION_MODES] },
    rule: `must be one of ${MEDIA_ENCRYPTION_MODES.map((v) => `"${v}"`).join(", ")}`,
    doc: "Media encryption.",
  },
  {
    input: "allowedRtpIps", api: "allowed_rtp_ips", default: null, compare: "ipSet",
    schema: { anyOf: [{ type: "null" }, ipList(60)] },
    rule: "must be null (no restriction) or a list of at most 60 IPv4/IPv6 addresses or CIDRs",
    doc: "Media source allow-list; null means any address. Bare addresses equal their /32 or /128.",
  },
  {
    input: "forceSymmetricRtp", api: "force_symmetric_rtp", default: false, compare: "exact",
    schema: { type: "boolean" }, rule: "must be a boolean", doc: "Symmetric RTP (COMEDIA).",
  },
  {
    input: "rtpPing", api: "rtp_ping", default: false, compare: "exact",
    schema: { type: "boolean" }, rule: "must be a boolean", doc: "Send an empty RTP packet after the call is answered.",
  },
  {
    input: "rtpTimeout", api: "rtp_timeout", default: 30, compare: "exact",
    schema: { type: ["integer", "null"], minimum: 30, maximum: 600 },
    rule: "must be an integer number of seconds from 30 to 600, or null",
    doc: "Hang up when no RTP arrives for this many seconds.",
  },
  {
    input: "callbackUrl", api: "callback_url", default: null, compare: "exact",
    schema: { type: ["string", "null"], format: "http-url" },
    rule: "must be an http:// or https:// URL, or null",
    doc: "Notified when the threshold is reached.",
  },
  {
    input: "emergencyEnableAll", api: "emergency_enable_all", default: false, compare: "exact",
    schema: { type: "boolean" },
    rule: "must be a boolean",
    doc: "Every eligible DID may place emergency calls; `emergencyDidIds` must then be empty.",
  },
  {
    input: "didIds", api: "dids", relationship: true, default: [], compare: "idSet", managedWhen: "allowAnyDidAsCli",
    schema: { type: "array", items: { type: "string", pattern: UUID_PATTERN } },
    rule: "must be a list of DID ids (UUIDs)",
    doc: "DIDs allowed as caller ID (a set). Not managed while `allowAnyDidAsCli` is true.",
  },
  {
    input: "emergencyDidIds", api: "emergency_dids", relationship: true, default: [], compare: "idSet", managedWhen: "emergencyEnableAll",
    schema: { type: "array", items: { type: "string", pattern: UUID_PATTERN } },
    rule: "must be a list of DID ids (UUIDs)",
    doc: "DIDs enabled for emergency calls (a set). Not managed while `emergencyEnableAll` is true.",
  },
];

/** Rules that tie two inputs together; `schema` is an if/then pair evaluated by ajv. */
export interface CrossRule {
  property: string;
  rule: string;
  schema: Record<string, unknown>;
}

export const CROSS_RULES: readonly CrossRule[] = [
  {
    property: "didIds",
    rule: "must be empty while allowAnyDidAsCli is true (DIDWW then manages the dids relationship itself)",
    schema: {
      if: { properties: { allowAnyDidAsCli: { const: true } }, required: ["allowAnyDidAsCli"] },
      then: { properties: { didIds: { maxItems: 0 } } },
    },
  },
  {
    property: "emergencyDidIds",
    rule: "must be empty while emergencyEnableAll is true (every eligible DID is then enabled)",
    schema: {
      if: { properties: { emergencyEnableAll: { const: true } }, required: ["emergencyEnableAll"] },
      then: { properties: { emergencyDidIds: { maxItems: 0 } } },
    },
  },
];

/** Sub-fields of `authenticationMethod`, per writable type. */
export const AUTH_FIELDS = {
  type: {
    rule: 'must be "credentials_and_ip" or "twilio" (ip_only is read-only: only DIDWW staff set it, and the API refuses it on create and update)',
  },
  allowedSipIps: {
    api: "allowed_sip_ips",
    rule: "must be a non-empty list of at most 60 IPv4/IPv6 addresses or CIDRs",
  },
  techPrefix: {
    api: "tech_prefix",
    rule: "must be null or 1 to 8 characters, digits and # only",
  },
  twilioAccountSid: {
    api: "twilio_account_sid",
    rule: 'must be "AC" followed by 32 hexadecimal characters',
  },
} as const;

/** Inputs that steer the provider itself rather than the trunk. */
export const CONTROL_FIELDS = {
  importId: {
    rule: "must be the id (UUID) of an existing DIDWW outbound trunk",
    doc: "Set by the `import` resource option: adopt this trunk instead of creating one.",
  },
  onImportMismatch: {
    rule: 'must be "fail" or "update"',
    doc: 'With `import`: "fail" (default) stops when the live trunk differs from the arguments; "update" makes it match.',
  },
  credentialsRotation: {
    rule: "must be a string or a number",
    doc: "Change this value to have DIDWW generate new SIP credentials (credentials_and_ip only).",
  },
} as const;

/** Comparable form of one value under a field's comparison rule. */
export function canonical(compare: Compare, value: unknown): unknown {
  if (value === undefined) return undefined;
  switch (compare) {
    case "exact":
      return value;
    case "decimal":
      return value === null ? null : canonicalDecimal(value as string | number) ?? value;
    case "ipSet":
      return value === null ? null : sortedUnique((value as string[]).map(normaliseCidr));
    case "stringSet":
      return value === null ? [] : sortedUnique(value as string[]);
    case "idSet":
      return value === null ? [] : sortedUnique((value as string[]).map((v) => v.toLowerCase()));
  }
}

export function sortedUnique(values: string[]): string[] {
  return [...new Set(values)].sort();
}
