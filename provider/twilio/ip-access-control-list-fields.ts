/**
 * `twilio.SipIpAccessControlList` declared once, as data: the list's name, its entries (a nested
 * list of { ipAddress, cidrPrefixLength?, friendlyName? }) and the adoption controls.
 * Validation, diffing, form building, the README's table and the TSDoc check all read this table.
 *
 * Sources: twilio_api_v2010.json (twilio/twilio-oai) CreateSipIpAccessControlList /
 * CreateSipIpAddress and their parameter texts (../shared/reference/twilio-children.md).
 */
import type { InputFailure } from "../common/errors";
import { fieldList, type FieldDef, type FieldSpec, type SubField } from "../common/fields";
import { InputValidator, objectListSchema, type NestedInput } from "../common/schema";
import { withDuplicateFailures } from "./children";
import { importControls } from "./fields";
import type { SipIpAccessControlListInputs, SipIpAddress } from "./ip-access-control-list-types";

export const IP_ACL_RESOURCE = "twilio.SipIpAccessControlList";
/** [D] up to 100 entries per list. */
export const MAX_IP_ADDRESSES = 100;
/** A bare address is its own /32. */
export const DEFAULT_PREFIX = 32;

const IP_ACL_TABLE = {
  friendlyName: {
    api: "FriendlyName", required: true, nullable: false, compare: "exact", wire: "string",
    schema: { type: "string", minLength: 1, maxLength: 255 },
    rule: "must be a string of 1 to 255 characters",
    doc: "The list's name; Twilio requires one.",
  },
} satisfies { [K in "friendlyName"]-?: FieldDef<Exclude<SipIpAccessControlListInputs[K], undefined>> };

export const IP_ACL_FIELDS: readonly FieldSpec<"friendlyName">[] = fieldList<"friendlyName">(IP_ACL_TABLE);

export const IP_ADDRESS_CHILDREN: readonly SubField<keyof SipIpAddress>[] = [
  {
    input: "ipAddress", api: "IpAddress", required: true, compare: "exact", nullable: false, wire: "string",
    schema: { type: "string", format: "ipv4" },
    rule: "must be an IPv4 address in dotted decimal form, without a prefix length (IPv4 only)",
    doc: "An IPv4 address (Twilio takes no IPv6 here); with cidrPrefixLength, the block it starts.",
  },
  {
    input: "cidrPrefixLength", api: "CidrPrefixLength", required: false, compare: "exact", nullable: false, wire: "integer",
    schema: { type: "integer", minimum: 0, maximum: 32 }, default: DEFAULT_PREFIX,
    rule: "must be an integer from 0 to 32",
    doc: "The prefix length of the block; 32 is the address alone, so a bare address equals its /32.",
  },
  {
    input: "friendlyName", api: "FriendlyName", required: false, compare: "exact", nullable: false, wire: "string",
    schema: { type: "string", minLength: 1, maxLength: 255 }, default: "<ipAddress>",
    rule: "must be a string of 1 to 255 characters",
    doc: 'A name for the entry; Twilio requires one, so omitted means the address itself (e.g. "203.0.113.10").',
  },
];

export const IP_ADDRESSES: NestedInput = {
  input: "ipAddresses",
  schema: objectListSchema(IP_ADDRESS_CHILDREN, { maxItems: MAX_IP_ADDRESSES }),
  rule: `must be a list of at most ${MAX_IP_ADDRESSES} { ipAddress, cidrPrefixLength?, friendlyName? } objects, each address and prefix length once`,
  itemRule: "must be an object { ipAddress, cidrPrefixLength?, friendlyName? }",
  children: IP_ADDRESS_CHILDREN,
  doc:
    "The addresses and blocks the list allows: a set keyed by address and prefix length, reconciled entry by entry " +
    "(a new name or prefix length of an address is updated in place; a changed address is deleted and created).",
};

export const IP_ACL_CONTROLS = importControls("AL", "IP access control list");

const IP_ACL_VALIDATOR = new InputValidator({
  resource: IP_ACL_RESOURCE,
  fields: IP_ACL_FIELDS,
  nested: [IP_ADDRESSES],
  controls: IP_ACL_CONTROLS,
});

/** An entry's identity: `address/prefix`, a bare address being its /32. */
export function ipIdentity(entry: { ipAddress?: unknown; cidrPrefixLength?: unknown }): string {
  return `${String(entry.ipAddress)}/${entry.cidrPrefixLength ?? DEFAULT_PREFIX}`;
}

/** Every failing rule of `twilio.SipIpAccessControlList` inputs (repeated entries included), one failure per top-level property. */
export function validateIpAclInputs(inputs: unknown): InputFailure[] {
  const failures = IP_ACL_VALIDATOR.validate(inputs);
  return withDuplicateFailures(failures, inputs, "ipAddresses", (e) => (typeof e.ipAddress === "string" ? ipIdentity(e) : undefined), "address/prefix");
}
