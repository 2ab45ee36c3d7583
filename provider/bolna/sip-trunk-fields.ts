/**
 * `bolna.SipTrunk` declared once, as data: Bolna's legacy SIP trunk (`/sip-trunks/trunks`). `api`
 * is the JSON member a request sends and an answer carries (snake_case). Validation, diffing,
 * request bodies, read-back, the README's table and the TSDoc check all read this table.
 *
 * Sources (../shared/reference/bolna-trunk-api.md): [O] the OpenAPI of bolna-ai/skills (create
 * and PATCH schemas), [G] the BYOT guide, [K] the setup skill, [M] the MCP server, and the
 * recorded examples (../shared/fixtures/bolna).
 *
 * Immutables, decided from [O]'s PATCH schema (`SIPTrunkUpdateRequest`: the create fields minus
 * provider, auth_type, direct_media, rtp_symmetric, force_rport and phone_numbers, plus
 * is_active): `provider` and `authType` ([M] also calls them immutable), `directMedia`,
 * `rtpSymmetric` and `forceRport` replace the trunk on change, and so does `iceSupport`, which [O]
 * does not know at all (only [G], a guide on an unmerged branch, creates and patches it). A PATCH
 * that the published schema does not take would be ignored and come back as the same difference
 * on every run; a replacement is what the API can do.
 */
import type { InputFailure } from "../common/errors";
import { adoptionControls, fieldList, oneOf, type FieldDef, type FieldSpec, type SubField } from "../common/fields";
import { normaliseCidr } from "../common/ip";
import { withDuplicateFailures } from "../common/keyed-set";
import { InputValidator, objectListSchema, type CrossRule, type NestedInput } from "../common/schema";
import type { Gateway, IpIdentifier, PhoneNumber, SipTrunkInputs } from "./sip-trunk-types";

export const SIP_TRUNK_RESOURCE = "bolna.SipTrunk";

export const AUTH_TYPES = ["userpass", "ip-based"] as const;
export const TRANSPORTS = ["transport-udp", "transport-tcp", "transport-tls"] as const;
export const MEDIA_ENCRYPTIONS = ["no", "sdes"] as const;

/** [O] gateway defaults. */
export const DEFAULT_PORT = 5060;
export const DEFAULT_PRIORITY = 1;

// ------------------------------------------------------------------------------------------------
// How values compare: as Bolna stores them
// ------------------------------------------------------------------------------------------------

/**
 * A codec list as Bolna stores it: split on commas, each item trimmed and lower-cased, empty
 * items dropped, order and repeats kept (`" ULAW, alaw ,"` → `"ulaw,alaw"`). No source says what
 * Bolna does with the text; the emulator normalises so (docs/emulator.md) and Asterisk, which gets
 * the list, reads codec names without case and blanks; order is the preference, so it counts.
 */
export function canonicalCodecs(value: unknown): unknown {
  if (typeof value !== "string") return value;
  return value
    .split(",")
    .map((c) => c.trim().toLowerCase())
    .filter((c) => c !== "")
    .join(",");
}

const isBag = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === "object" && !Array.isArray(v);

/**
 * Gateways as Bolna uses them: each with its defaults (port 5060, priority 1), the host without
 * case, ordered by priority (then address and port): Bolna tries them lowest priority first, so
 * the order of the program's list means nothing, the priorities everything.
 */
export function canonicalGateways(value: unknown): unknown {
  if (!Array.isArray(value)) return value === null ? [] : value;
  const gateways = value.map((g) =>
    isBag(g)
      ? {
          gatewayAddress: typeof g.gatewayAddress === "string" ? g.gatewayAddress.toLowerCase().replace(/\.$/, "") : g.gatewayAddress,
          port: g.port ?? DEFAULT_PORT,
          priority: g.priority ?? DEFAULT_PRIORITY,
        }
      : g,
  );
  const key = (g: unknown) => (isBag(g) ? [String(g.priority).padStart(12, "0"), g.gatewayAddress, String(g.port).padStart(5, "0")].join("\n") : JSON.stringify(g));
  return gateways.sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
}

/** IP identifiers as a set of CIDRs: a bare address equals its /32 (or /128), order and repeats mean nothing. */
export function canonicalIpIdentifiers(value: unknown): unknown {
  if (!Array.isArray(value)) return value === null ? [] : value;
  const cidrs = value.map((e) => (isBag(e) && typeof e.ipAddress === "string" ? normaliseCidr(e.ipAddress) : JSON.stringify(e)));
  return [...new Set(cidrs)].sort();
}

/** A phone number's identity: its digits, so `+919876543210` and `919876543210` are the same number (Bolna stores either verbatim). */
export function numberDigits(phoneNumber: unknown): string {
  return typeof phoneNumber === "string" ? phoneNumber.replace(/^\+/, "") : String(phoneNumber);
}

// ------------------------------------------------------------------------------------------------
// Nested inputs
// ------------------------------------------------------------------------------------------------

export const GATEWAY_CHILDREN: readonly SubField<keyof Gateway>[] = [
  {
    input: "gatewayAddress", api: "gateway_address", required: true, compare: "caseless", nullable: false, wire: "string",
    schema: { type: "string", format: "host" },
    rule: 'must be a host name or an IP address, without a scheme or a port (e.g. "sip.zadarma.com")',
    doc: "Your carrier's SIP host.",
  },
  {
    input: "port", api: "port", required: false, compare: "exact", nullable: false, wire: "integer", default: DEFAULT_PORT,
    schema: { type: "integer", minimum: 1, maximum: 65535 },
    rule: "must be an integer from 1 to 65535",
    doc: "The SIP port of the gateway.",
  },
  {
    input: "priority", api: "priority", required: false, compare: "exact", nullable: false, wire: "integer", default: DEFAULT_PRIORITY,
    schema: { type: "integer", minimum: 0 },
    rule: "must be an integer of at least 0 (lower is tried first)",
    providerRule: "the lower bound 0",
    doc: "Bolna tries gateways in ascending priority.",
  },
];

export const IP_IDENTIFIER_CHILDREN: readonly SubField<keyof IpIdentifier>[] = [
  {
    input: "ipAddress", api: "ip_address", required: true, compare: "ipSet", nullable: false, wire: "string",
    schema: { type: "string", format: "ip-or-cidr" },
    rule: "must be an IPv4/IPv6 address or CIDR",
    doc: "A carrier address or block; a bare address equals its /32 (or /128).",
  },
];

export const PHONE_NUMBER_PATTERN = "^\\+?[0-9]{1,15}$";

export const PHONE_NUMBER_CHILDREN: readonly SubField<keyof PhoneNumber>[] = [
  {
    input: "phoneNumber", api: "phone_number", required: true, compare: "exact", nullable: false, wire: "string",
    schema: { type: "string", pattern: PHONE_NUMBER_PATTERN },
    rule: 'must be a phone number of at most 15 digits, with or without a leading "+" (the two spellings are the same number)',
    providerRule: "the digits-only format",
    doc: "The DID, as your carrier delivers it; Bolna stores it verbatim.",
  },
  {
    input: "name", api: "name", required: false, compare: "emptyIsNull", nullable: true, wire: "string", default: null,
    schema: { type: ["string", "null"] },
    rule: "must be a string, or null",
    doc: "A label for the number (Bolna cannot rename a number: a new name removes and adds it).",
  },
];

// ------------------------------------------------------------------------------------------------
// The trunk's fields
// ------------------------------------------------------------------------------------------------

/** A Bolna field: `patchOnly` where Bolna's create does not take it ([O]: is_active is PATCH only). */
type BolnaFieldDef<T> = FieldDef<T> & { patchOnly?: true };
export type SipTrunkField = FieldSpec<SipTrunkFieldName> & { patchOnly?: true };

export type SipTrunkFieldName = Exclude<keyof SipTrunkInputs, "phoneNumbers" | "importId" | "onImportMismatch">;

const NAME_PATTERN = "\\S";
const CODEC_LIST_PATTERN = "^[\\s,]*[A-Za-z0-9_.+-]+([\\s]*,[\\s,]*[A-Za-z0-9_.+-]+)*[\\s,]*$";
const CODEC_RULE = "must be a comma-separated list of codec names with at least one name";
const sameAsStored = "compared as Bolna stores it: lower case, blanks and empty items dropped, order kept";
const notPatchable = "not in Bolna's PATCH schema ([O])";

const TABLE = {
  name: {
    api: "name", required: true, nullable: false, compare: "exact", wire: "string",
    schema: { type: "string", minLength: 1, pattern: NAME_PATTERN },
    rule: "must be a string with at least one non-space character, unique among the account's trunks",
    doc: "The trunk's name; unique per account (a lost create is found again by it).",
  },
  provider: {
    api: "provider", required: true, nullable: false, compare: "exact", wire: "string", replaceOnChange: true,
    schema: { type: "string", minLength: 1, pattern: NAME_PATTERN },
    rule: 'must be a string with at least one non-space character (a label such as "twilio", "plivo" or "zadarma")',
    doc: "The carrier's label; it has no effect on routing. Immutable in Bolna's API.",
  },
  description: {
    api: "description", default: null, nullable: true, compare: "emptyIsNull", wire: "string",
    schema: { type: ["string", "null"] },
    rule: "must be a string, or null",
    doc: "A note for your own reference.",
  },
  authType: {
    api: "auth_type", required: true, nullable: false, compare: "exact", wire: "string", replaceOnChange: true,
    schema: { enum: [...AUTH_TYPES] }, rule: oneOf(AUTH_TYPES),
    doc: 'How the carrier knows Bolna: "userpass" (SIP credentials) or "ip-based" (source addresses). Immutable in Bolna\'s API.',
  },
  authUsername: {
    api: "auth_username", default: null, nullable: true, compare: "exact", wire: "string",
    schema: { anyOf: [{ type: "null" }, { type: "string", minLength: 1, pattern: NAME_PATTERN }] },
    rule: 'must be a non-empty string (required when authType is "userpass", omitted when "ip-based"), or null',
    doc: "The SIP username the carrier issued (userpass trunks).",
  },
  authPassword: {
    api: "auth_password", nullable: true, compare: "exact", wire: "string", secret: true,
    schema: { anyOf: [{ type: "null" }, { type: "string", minLength: 1, pattern: NAME_PATTERN }] },
    rule: 'must be a non-empty string (required when authType is "userpass", omitted when "ip-based")',
    doc:
      "The SIP password: secret and write-only (Bolna never returns it). State keeps a salted hash of it, so a changed password is sent " +
      "(one PATCH); a change made outside Pulumi cannot be seen and is never reported.",
  },
  gateways: {
    api: "gateways", required: true, nullable: false, compare: canonicalGateways, wire: "objects",
    schema: objectListSchema(GATEWAY_CHILDREN, { minItems: 1 }),
    rule: "must be a non-empty list of { gatewayAddress, port?, priority? } objects",
    itemRule: "must be an object { gatewayAddress, port?, priority? }",
    doc: "Where Bolna sends outbound calls. Compared by priority, not list order; a change sends the whole list (Bolna replaces it).",
  },
  ipIdentifiers: {
    api: "ip_identifiers", default: [], nullable: false, compare: canonicalIpIdentifiers, wire: "objects",
    schema: objectListSchema(IP_IDENTIFIER_CHILDREN),
    rule: 'must be a list of { ipAddress } objects, at least one when authType is "ip-based"',
    itemRule: "must be an object { ipAddress }",
    doc: "The carrier's source addresses (ip-based trunks). Compared as a set of CIDRs; a change sends the whole list (Bolna replaces it).",
  },
  allow: {
    api: "allow", default: "ulaw,alaw", nullable: false, compare: canonicalCodecs, wire: "string",
    schema: { type: "string", pattern: CODEC_LIST_PATTERN },
    rule: CODEC_RULE,
    doc: `Codecs offered, in order of preference; ${sameAsStored}.`,
  },
  disallow: {
    api: "disallow", default: "all", nullable: false, compare: canonicalCodecs, wire: "string",
    schema: { type: "string", pattern: CODEC_LIST_PATTERN },
    rule: CODEC_RULE,
    doc: `Codecs refused before \`allow\` applies; ${sameAsStored}.`,
  },
  transport: {
    api: "transport", default: "transport-udp", nullable: false, compare: "exact", wire: "string",
    schema: { enum: [...TRANSPORTS] }, rule: oneOf(TRANSPORTS),
    doc: "SIP signalling transport.",
  },
  mediaEncryption: {
    api: "media_encryption", default: "no", nullable: false, compare: "exact", wire: "string",
    schema: { enum: [...MEDIA_ENCRYPTIONS] }, rule: oneOf(MEDIA_ENCRYPTIONS),
    doc: 'SRTP keyed by SDES; "sdes" needs transport "transport-tls".',
  },
  mediaEncryptionOptimistic: {
    api: "media_encryption_optimistic", default: false, nullable: false, compare: "exact", wire: "boolean",
    schema: { type: "boolean" }, rule: "must be a boolean",
    doc: "Fall back to plain RTP when the far end cannot encrypt.",
  },
  directMedia: {
    api: "direct_media", default: false, nullable: false, compare: "exact", wire: "boolean", replaceOnChange: true,
    schema: { type: "boolean" }, rule: "must be a boolean",
    doc: `RTP directly between the endpoints (typically false); ${notPatchable}.`,
  },
  rtpSymmetric: {
    api: "rtp_symmetric", default: true, nullable: false, compare: "exact", wire: "boolean", replaceOnChange: true,
    schema: { type: "boolean" }, rule: "must be a boolean",
    doc: `Symmetric RTP, for NAT; ${notPatchable}.`,
  },
  forceRport: {
    api: "force_rport", default: true, nullable: false, compare: "exact", wire: "boolean", replaceOnChange: true,
    schema: { type: "boolean" }, rule: "must be a boolean",
    doc: `Answer to the source port, for NAT; ${notPatchable}.`,
  },
  iceSupport: {
    api: "ice_support", default: true, nullable: false, compare: "exact", wire: "boolean", replaceOnChange: true,
    schema: { type: "boolean" }, rule: "must be a boolean",
    doc: "ICE in media negotiation; not in Bolna's OpenAPI at all ([O]; only the BYOT guide [G] creates and patches it).",
  },
  qualifyFrequency: {
    api: "qualify_frequency", default: 60, nullable: false, compare: "exact", wire: "integer",
    schema: { type: "integer", minimum: 0 },
    rule: "must be an integer number of seconds, 0 or more (0 disables the OPTIONS ping)",
    doc: "How often Bolna pings the gateways with SIP OPTIONS.",
  },
  inboundEnabled: {
    api: "inbound_enabled", default: false, nullable: false, compare: "exact", wire: "boolean",
    schema: { type: "boolean" }, rule: "must be a boolean",
    doc: "Whether the trunk takes inbound calls.",
  },
  outboundLeadingPlusEnabled: {
    api: "outbound_leading_plus_enabled", default: true, nullable: false, compare: "exact", wire: "boolean",
    schema: { type: "boolean" }, rule: "must be a boolean",
    doc: 'Prefix "+" to the numbers Bolna dials out.',
  },
  isActive: {
    api: "is_active", default: true, nullable: false, compare: "exact", wire: "boolean", patchOnly: true,
    schema: { type: "boolean" }, rule: "must be a boolean",
    doc: "Whether the trunk carries calls. Bolna's create does not take it: a new trunk is active, and false is one PATCH after the create.",
  },
} satisfies { [K in SipTrunkFieldName]-?: BolnaFieldDef<Exclude<SipTrunkInputs[K], undefined>> };

/** Every field in declaration order, the password included (validation, the README). */
export const SIP_TRUNK_INPUT_FIELDS: readonly SipTrunkField[] = fieldList<SipTrunkFieldName>(TABLE as Record<SipTrunkFieldName, BolnaFieldDef<unknown>>);

/** The fields Bolna reports (everything but the write-only password): diffed, read back, in the outputs. */
export const SIP_TRUNK_FIELDS: readonly SipTrunkField[] = SIP_TRUNK_INPUT_FIELDS.filter((f) => !f.secret);

/** The fields a create takes. */
export const CREATE_FIELDS: readonly SipTrunkField[] = SIP_TRUNK_FIELDS.filter((f) => !f.patchOnly);

/** The write-only password. */
export const AUTH_PASSWORD: SipTrunkField = SIP_TRUNK_INPUT_FIELDS.find((f) => f.input === "authPassword") as SipTrunkField;

/** The attributes of the objects of a list field, for reading answers and writing bodies. */
export const LIST_CHILDREN: Readonly<Record<string, readonly SubField[]>> = { gateways: GATEWAY_CHILDREN, ipIdentifiers: IP_IDENTIFIER_CHILDREN };

const nestedOf = (input: "gateways" | "ipIdentifiers"): NestedInput => {
  const f = TABLE[input];
  return { input, schema: f.schema, rule: f.rule, itemRule: f.itemRule, required: "required" in f, children: LIST_CHILDREN[input], doc: f.doc };
};

export const GATEWAYS: NestedInput = nestedOf("gateways");
export const IP_IDENTIFIERS: NestedInput = nestedOf("ipIdentifiers");

export const PHONE_NUMBERS: NestedInput = {
  input: "phoneNumbers",
  schema: objectListSchema(PHONE_NUMBER_CHILDREN),
  rule: "must be a list of { phoneNumber, name? } objects, each number once",
  itemRule: "must be an object { phoneNumber, name? }",
  children: PHONE_NUMBER_CHILDREN,
  doc: "The DIDs on the trunk: a set keyed by number (with or without \"+\"), reconciled by add and remove calls (`/numbers`).",
};

export const SIP_TRUNK_CONTROLS = adoptionControls({
  schema: { type: "string", pattern: "^[A-Za-z0-9_-]{1,64}$" },
  rule: "must be the id of an existing Bolna SIP trunk (letters, digits, - and _)",
});

const when = (authType: string) => ({ if: { properties: { authType: { const: authType } }, required: ["authType"] } });

/** The documented rules that tie inputs together ([O][G]; sdes ⇒ TLS from [K]). */
export const CROSS_RULES: readonly CrossRule<SipTrunkFieldName>[] = [
  {
    property: "authUsername",
    rule: 'is required when authType is "userpass": a non-empty string',
    schema: { ...when("userpass"), then: { required: ["authUsername"], properties: { authUsername: { type: "string" } } } },
  },
  {
    property: "authPassword",
    rule: 'is required when authType is "userpass": a non-empty string',
    schema: { ...when("userpass"), then: { required: ["authPassword"], properties: { authPassword: { type: "string" } } } },
  },
  {
    property: "authUsername",
    rule: 'must be omitted when authType is "ip-based" (Bolna knows such a trunk by its ipIdentifiers, not by credentials)',
    schema: { ...when("ip-based"), then: { properties: { authUsername: { type: "null" } } } },
  },
  {
    property: "authPassword",
    rule: 'must be omitted when authType is "ip-based" (Bolna knows such a trunk by its ipIdentifiers, not by credentials)',
    schema: { ...when("ip-based"), then: { properties: { authPassword: { type: "null" } } } },
  },
  {
    property: "ipIdentifiers",
    rule: 'must hold at least one { ipAddress } when authType is "ip-based"',
    schema: { ...when("ip-based"), then: { required: ["ipIdentifiers"], properties: { ipIdentifiers: { minItems: 1 } } } },
  },
  {
    property: "transport",
    rule: 'must be "transport-tls" when mediaEncryption is "sdes" (Bolna refuses SDES without TLS: "media_encryption=\'sdes\' requires transport=\'transport-tls\'")',
    schema: {
      if: { properties: { mediaEncryption: { const: "sdes" } }, required: ["mediaEncryption"] },
      then: { required: ["transport"], properties: { transport: { const: "transport-tls" } } },
    },
  },
];

const NESTED_NAMES = new Set(["gateways", "ipIdentifiers"]);

const VALIDATOR = new InputValidator({
  resource: SIP_TRUNK_RESOURCE,
  fields: SIP_TRUNK_INPUT_FIELDS.filter((f) => !NESTED_NAMES.has(f.input)),
  nested: [GATEWAYS, IP_IDENTIFIERS, PHONE_NUMBERS],
  controls: SIP_TRUNK_CONTROLS,
  crossRules: CROSS_RULES,
});

/** Every failing rule of `bolna.SipTrunk` inputs (a number twice included), one failure per top-level property; the password is never quoted. */
export function validateSipTrunkInputs(inputs: unknown): InputFailure[] {
  const failures = VALIDATOR.validate(inputs);
  return withDuplicateFailures(failures, inputs, "phoneNumbers", (n) => (typeof n.phoneNumber === "string" ? numberDigits(n.phoneNumber) : undefined), "number");
}
