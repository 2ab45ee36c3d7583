/**
 * `twilio.Trunk` declared once, as data. `api` is the form parameter a request sends
 * (PascalCase); the answer's member is its snake_case twin. Validation, diffing, form building,
 * read-back, the README's table and the TSDoc check all read this table.
 *
 * Sources: twilio_trunking_v1.json (twilio/twilio-oai), its parameter texts for ranges and
 * defaults, and the recorded examples (../shared/fixtures/twilio).
 */
import { fieldList, oneOf, type FieldDef, type FieldSpec, type SubField } from "../common/fields";
import type { InputFailure } from "../common/errors";
import { InputValidator, type NestedInput } from "../common/schema";
import { importControls, sidPattern, sidRule } from "./fields";
import type { RecordingSettings, TrunkInputs } from "./trunk-types";

export const TRUNK_RESOURCE = "twilio.Trunk";

export const TRANSFER_MODES = ["disable-all", "enable-all", "sip-only"] as const;
export const TRANSFER_CALLER_IDS = ["from-transferee", "from-transferor"] as const;
export const HTTP_METHODS = ["GET", "POST"] as const;
export const RECORDING_MODES = ["do-not-record", "record-from-ringing", "record-from-answer", "record-from-ringing-dual", "record-from-answer-dual"] as const;
export const RECORDING_TRIMS = ["do-not-trim", "trim-silence"] as const;

/** A host name with at least one label of its own before `pstn.twilio.com`. */
export const TRUNK_DOMAIN_PATTERN = "^(?=.{1,253}$)([a-zA-Z0-9]([a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?\\.)+pstn\\.twilio\\.com$";

export type TrunkFieldName = "friendlyName" | "domainName" | "disasterRecoveryUrl" | "disasterRecoveryMethod" | "transferMode" | "transferCallerId" | "secure" | "cnamLookupEnabled";
export type AssociationName = "phoneNumberSids" | "credentialListSids" | "ipAccessControlListSids";

const TRUNK_TABLE = {
  friendlyName: {
    api: "FriendlyName", default: null, nullable: true, compare: "emptyIsNull", wire: "string",
    schema: { type: ["string", "null"], maxLength: 64 },
    rule: "must be a string of at most 64 characters, or null",
    doc: "A name for the trunk.",
  },
  domainName: {
    api: "DomainName", default: null, nullable: true, compare: "caseless", wire: "string",
    schema: { anyOf: [{ type: "null" }, { type: "string", pattern: TRUNK_DOMAIN_PATTERN }] },
    rule: 'must be a host name ending in ".pstn.twilio.com" (unique across Twilio), or null',
    doc: "The termination URI's host; callers send SIP to it. Unique across all of Twilio.",
  },
  disasterRecoveryUrl: {
    api: "DisasterRecoveryUrl", default: null, nullable: true, compare: "emptyIsNull", wire: "string",
    schema: { anyOf: [{ type: "null" }, { type: "string", format: "http-url" }] },
    rule: "must be an http:// or https:// URL, or null",
    doc: "Called when Twilio cannot reach your origination URLs.",
  },
  disasterRecoveryMethod: {
    api: "DisasterRecoveryMethod", default: "POST", nullable: false, compare: "exact", wire: "string",
    schema: { enum: [...HTTP_METHODS] }, rule: oneOf(HTTP_METHODS),
    doc: "The HTTP method of the disaster recovery request.",
  },
  transferMode: {
    api: "TransferMode", default: "disable-all", nullable: false, compare: "exact", wire: "string",
    schema: { enum: [...TRANSFER_MODES] }, rule: oneOf(TRANSFER_MODES),
    doc: "Whether calls on the trunk may be transferred (SIP REFER).",
  },
  transferCallerId: {
    api: "TransferCallerId", default: "from-transferee", nullable: false, compare: "exact", wire: "string",
    schema: { enum: [...TRANSFER_CALLER_IDS] }, rule: oneOf(TRANSFER_CALLER_IDS),
    doc: "The caller ID of a transferred call.",
  },
  secure: {
    api: "Secure", default: false, nullable: false, compare: "exact", wire: "boolean",
    schema: { type: "boolean" }, rule: "must be a boolean", doc: "Secure trunking: SRTP media and TLS signalling.",
  },
  cnamLookupEnabled: {
    api: "CnamLookupEnabled", default: false, nullable: false, compare: "exact", wire: "boolean",
    schema: { type: "boolean" }, rule: "must be a boolean", doc: "Look up the caller's name (CNAM) on inbound calls.",
  },
} satisfies { [K in TrunkFieldName]-?: FieldDef<Exclude<TrunkInputs[K], undefined>> };

export const TRUNK_FIELDS: readonly FieldSpec<TrunkFieldName>[] = fieldList<TrunkFieldName>(TRUNK_TABLE);

/** A trunk association: a set of SIDs kept by add/remove calls on a trunk sub-collection. */
export type AssociationSpec = FieldSpec<AssociationName> & {
  /** The sub-collection under `/v1/Trunks/{TK}/`. */
  path: string;
  /** The form parameter of the add call. */
  param: string;
  /** The list member of a page. */
  key: string;
  prefix: string;
};

function association(input: AssociationName, path: string, param: string, key: string, prefix: string, what: string, doc: string): AssociationSpec {
  return {
    input, path, param, key, prefix,
    api: path, serverManaged: true, nullable: false, compare: "stringSet", wire: "strings",
    schema: { type: "array", items: { type: "string", pattern: sidPattern(prefix) } },
    rule: `must be a list of ${what} SIDs ("${prefix}" followed by 32 hexadecimal characters)`,
    itemRule: sidRule(prefix, `a ${what}`),
    doc: `${doc} (a set, reconciled by add/remove; omitted: not managed).`,
  };
}

export const ASSOCIATIONS: readonly AssociationSpec[] = [
  association("phoneNumberSids", "PhoneNumbers", "PhoneNumberSid", "phone_numbers", "PN", "phone number", "Phone numbers that route to the trunk"),
  association("credentialListSids", "CredentialLists", "CredentialListSid", "credential_lists", "CL", "credential list", "Credential lists that authenticate termination"),
  association("ipAccessControlListSids", "IpAccessControlLists", "IpAccessControlListSid", "ip_access_control_lists", "AL", "IP access control list", "IP access control lists that authenticate termination"),
];

export const RECORDING_DEFAULTS: Required<RecordingSettings> = { mode: "do-not-record", trim: "do-not-trim" };

export const RECORDING_CHILDREN: readonly SubField<keyof RecordingSettings>[] = [
  {
    input: "mode", api: "Mode", required: false, compare: "exact", nullable: false, wire: "string",
    schema: { enum: [...RECORDING_MODES] }, rule: oneOf(RECORDING_MODES),
    default: RECORDING_DEFAULTS.mode, doc: "Whether and from when calls are recorded.",
  },
  {
    input: "trim", api: "Trim", required: false, compare: "exact", nullable: false, wire: "string",
    schema: { enum: [...RECORDING_TRIMS] }, rule: oneOf(RECORDING_TRIMS),
    default: RECORDING_DEFAULTS.trim, doc: "Whether silence is trimmed from recordings.",
  },
];

export const RECORDING: NestedInput = {
  input: "recording",
  schema: { type: "object", additionalProperties: false, properties: Object.fromEntries(RECORDING_CHILDREN.map((c) => [c.input, c.schema])) },
  rule: "must be an object { mode?, trim? }",
  children: RECORDING_CHILDREN,
  doc: "Call recording, applied through the trunk's Recording sub-resource.",
};

export const TRUNK_CONTROLS = importControls("TK", "trunk");

const TRUNK_VALIDATOR = new InputValidator({
  resource: TRUNK_RESOURCE,
  fields: [...TRUNK_FIELDS, ...ASSOCIATIONS],
  nested: [RECORDING],
  controls: TRUNK_CONTROLS,
});

/** Every failing rule of `twilio.Trunk` inputs, one failure per top-level property; unknown values never fail. */
export function validateTrunkInputs(inputs: unknown): InputFailure[] {
  return TRUNK_VALIDATOR.validate(inputs);
}
