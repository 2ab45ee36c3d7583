/**
 * The writable parameters of every Twilio resource, declared once, as data: the form name a
 * client sends (PascalCase), the member it sets (snake_case), its type and rule, whether create
 * and update take it, and the create default. validate.ts reads these tables; nothing else
 * decides what a write accepts. Parameters not in a table are ignored, as Twilio ignores unknown
 * parameters (its code 20001 is a warning, not an error).
 *
 * Sources: [T] twilio_trunking_v1.json, [A] twilio_api_v2010.json, [ref] shared/reference
 * twilio-bolna.md §1 and twilio-children.md; where the spec's schema and its parameter text
 * disagree, the text is followed and the reference says so.
 */
import { CODES, MSG } from "./messages";
import { ENUMS } from "./model";
import type { SidPrefix } from "./sids";

export type FieldType = "string" | "boolean" | "integer" | "enum" | "url" | "sid";

/** `required`: must be sent (non-empty); `optional`: may be sent; absent: not accepted (ignored). */
export type Presence = "required" | "optional";

export interface WriteField {
  /** The form parameter, as sent. */
  form: string;
  /** The stored member it sets. */
  member: string;
  type: FieldType;
  onCreate?: Presence;
  onUpdate?: Presence;
  /** Value of a new record when the parameter is absent on create. */
  default?: unknown;
  /** An empty value stores null (clears an optional text). */
  emptyIsNull?: boolean;
  maxLength?: number;
  min?: number;
  max?: number;
  values?: readonly string[];
  /** Enum values compared without case and stored in the listed spelling. */
  caseInsensitive?: boolean;
  sidPrefix?: SidPrefix;
  /** A further rule on the parsed value: the 400 message, or undefined. */
  check?: (value: unknown) => string | undefined;
}

export interface ResourceWrites {
  /** The code of every 400 about this resource's parameters. */
  code: number;
  fields: readonly WriteField[];
}

/** `sip:` URIs only; `sip://host` (the form the spec's examples send) is accepted as written. */
export const isSipUrl = (v: unknown) => (typeof v === "string" && /^sip:[^\s]+$/i.test(v) ? undefined : MSG.sipUrl);

const DOMAIN = /^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+pstn\.twilio\.com$/i;

/** Twilio documents that the termination URI ends in `pstn.twilio.com`; it must have a label of its own before that. */
export const isTrunkDomain = (v: unknown) => (typeof v === "string" && DOMAIN.test(v) ? undefined : MSG.domainSuffix);

/** [A] CreateSipCredential: "at least 12 characters long, contain at least one digit, mixed case". */
export const isStrongPassword = (v: unknown) =>
  typeof v === "string" && v.length >= 12 && /[0-9]/.test(v) && /[a-z]/.test(v) && /[A-Z]/.test(v) ? undefined : MSG.weakPassword;

/** [A] "dotted decimal", IPv4 only; [D] a complete address, no wildcards. Leading zeros are refused (they read as octal in some parsers). */
export function isIpv4(v: unknown): string | undefined {
  if (typeof v !== "string") return MSG.ipv4;
  const parts = v.split(".");
  if (parts.length !== 4) return MSG.ipv4;
  for (const p of parts) if (!/^(0|[1-9][0-9]{0,2})$/.test(p) || Number(p) > 255) return MSG.ipv4;
  return undefined;
}

/** [T] Trunk Create/Update: the same eight parameters, none required. Defaults [T text / I]. */
export const TRUNK_WRITES: ResourceWrites = {
  code: CODES.trunkValidation,
  fields: [
    { form: "FriendlyName", member: "friendly_name", type: "string", onCreate: "optional", onUpdate: "optional", default: null, maxLength: 64 },
    { form: "DomainName", member: "domain_name", type: "string", onCreate: "optional", onUpdate: "optional", default: null, emptyIsNull: true, check: isTrunkDomain },
    { form: "DisasterRecoveryUrl", member: "disaster_recovery_url", type: "url", onCreate: "optional", onUpdate: "optional", default: null, emptyIsNull: true },
    {
      form: "DisasterRecoveryMethod",
      member: "disaster_recovery_method",
      type: "enum",
      values: ENUMS.method,
      caseInsensitive: true,
      onCreate: "optional",
      onUpdate: "optional",
      default: "POST",
    },
    { form: "TransferMode", member: "transfer_mode", type: "enum", values: ENUMS.transferMode, onCreate: "optional", onUpdate: "optional", default: "disable-all" },
    {
      form: "TransferCallerId",
      member: "transfer_caller_id",
      type: "enum",
      values: ENUMS.transferCallerId,
      onCreate: "optional",
      onUpdate: "optional",
      default: "from-transferee",
    },
    { form: "Secure", member: "secure", type: "boolean", onCreate: "optional", onUpdate: "optional", default: false },
    { form: "CnamLookupEnabled", member: "cnam_lookup_enabled", type: "boolean", onCreate: "optional", onUpdate: "optional", default: false },
  ],
};

/** [T] UpdateRecording: `Mode`, `Trim`, both optional; defaults do-not-record / do-not-trim. */
export const RECORDING_WRITES: ResourceWrites = {
  code: CODES.trunkValidation,
  fields: [
    { form: "Mode", member: "mode", type: "enum", values: ENUMS.recordingMode, onUpdate: "optional", default: "do-not-record" },
    { form: "Trim", member: "trim", type: "enum", values: ENUMS.recordingTrim, onUpdate: "optional", default: "do-not-trim" },
  ],
};

/**
 * [T] OriginationUrl: all five required on create ([ref] twilio-children.md, bold in both
 * tables), all optional on update. Ranges from the parameter text: Weight 1–65535, Priority
 * 0–65535 (the schema's `default: 0` contradicts the text and is not followed).
 */
export const ORIGINATION_URL_WRITES: ResourceWrites = {
  code: CODES.trunkValidation,
  fields: [
    { form: "Weight", member: "weight", type: "integer", onCreate: "required", onUpdate: "optional", min: 1, max: 65535 },
    { form: "Priority", member: "priority", type: "integer", onCreate: "required", onUpdate: "optional", min: 0, max: 65535 },
    { form: "Enabled", member: "enabled", type: "boolean", onCreate: "required", onUpdate: "optional" },
    { form: "FriendlyName", member: "friendly_name", type: "string", onCreate: "required", onUpdate: "optional", maxLength: 64 },
    { form: "SipUrl", member: "sip_url", type: "string", onCreate: "required", onUpdate: "optional", check: isSipUrl },
  ],
};

/** [T] the three trunk associations: one required SID each, no update. */
export const TRUNK_CREDENTIAL_LIST_WRITES: ResourceWrites = {
  code: CODES.trunkValidation,
  fields: [{ form: "CredentialListSid", member: "sid", type: "sid", sidPrefix: "CL", onCreate: "required" }],
};
export const TRUNK_IP_ACCESS_CONTROL_LIST_WRITES: ResourceWrites = {
  code: CODES.trunkValidation,
  fields: [{ form: "IpAccessControlListSid", member: "sid", type: "sid", sidPrefix: "AL", onCreate: "required" }],
};
export const TRUNK_PHONE_NUMBER_WRITES: ResourceWrites = {
  code: CODES.trunkValidation,
  fields: [{ form: "PhoneNumberSid", member: "sid", type: "sid", sidPrefix: "PN", onCreate: "required" }],
};

/** [A] SIP CredentialList: FriendlyName required on create and update, up to 64 characters. */
export const CREDENTIAL_LIST_WRITES: ResourceWrites = {
  code: CODES.credentialListValidation,
  fields: [{ form: "FriendlyName", member: "friendly_name", type: "string", onCreate: "required", onUpdate: "required", maxLength: 64 }],
};

/** [A] SIP Credential: Username (≤32) and Password on create; Password only on update. */
export const CREDENTIAL_WRITES: ResourceWrites = {
  code: CODES.credentialValidation,
  fields: [
    { form: "Username", member: "username", type: "string", onCreate: "required", maxLength: 32 },
    { form: "Password", member: "password", type: "string", onCreate: "required", onUpdate: "optional", check: isStrongPassword },
  ],
};

/** [A] SIP IpAccessControlList: FriendlyName required on create and update ("Rename"), up to 255 characters. */
export const IP_ACCESS_CONTROL_LIST_WRITES: ResourceWrites = {
  code: CODES.ipAccessControlListValidation,
  fields: [{ form: "FriendlyName", member: "friendly_name", type: "string", onCreate: "required", onUpdate: "required", maxLength: 255 }],
};

/** [A] SIP IpAddress: FriendlyName and IpAddress required on create; CidrPrefixLength defaults to the whole address (32). */
export const IP_ADDRESS_WRITES: ResourceWrites = {
  code: CODES.ipAddressValidation,
  fields: [
    { form: "FriendlyName", member: "friendly_name", type: "string", onCreate: "required", onUpdate: "optional", maxLength: 255 },
    { form: "IpAddress", member: "ip_address", type: "string", onCreate: "required", onUpdate: "optional", check: isIpv4 },
    { form: "CidrPrefixLength", member: "cidr_prefix_length", type: "integer", onCreate: "optional", onUpdate: "optional", default: 32, min: 0, max: 32 },
  ],
};

/** Account-level and per-list limits ([D] Twilio's SIP and trunking limit pages). */
export const LIMITS = {
  credentialListsPerAccount: 100,
  credentialsPerList: 1000,
  ipAccessControlListsPerAccount: 1000,
  ipAddressesPerList: 100,
} as const;
