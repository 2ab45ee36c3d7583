/**
 * Pure mapping of `twilio.SipIpAccessControlList`: its entries as a keyed set (by address and
 * prefix length; a bare address is its /32), their forms and outputs, and the list resource as
 * data for the shared list engine (children.ts).
 *
 * An entry whose address and prefix length match nothing is paired with a live entry of the same
 * address, so a new prefix length (or name) is one POST to that entry; a changed address is a
 * delete and a create.
 */
import { isUnknown } from "../common/unknown";
import { requiredMember, subjectOf, type ChildKind, type Form, type ListSpec } from "./children";
import { wireValue } from "./mapping";
import { DEFAULT_PREFIX, IP_ACL_CONTROLS, IP_ACL_FIELDS, IP_ACL_RESOURCE, ipIdentity, validateIpAclInputs } from "./ip-access-control-list-fields";
import type { SipIpAddress, SipIpAddressOutput } from "./ip-access-control-list-types";

/** An entry with what omitting means: prefix 32, the address as its name (unknown values stay as they are). */
export function ipEntryWithDefaults(e: SipIpAddress): SipIpAddress {
  const out: SipIpAddress = { ...e, cidrPrefixLength: e.cidrPrefixLength ?? DEFAULT_PREFIX };
  if (out.friendlyName === undefined && !isUnknown(e.ipAddress)) out.friendlyName = e.ipAddress;
  return out;
}

const octets = (ip: string) => ip.split(".").map(Number);

/** By address (numerically), then prefix length. */
export function compareIpEntries(a: SipIpAddressOutput, b: SipIpAddressOutput): number {
  const [x, y] = [octets(a.ipAddress), octets(b.ipAddress)];
  for (let i = 0; i < 4; i++) if (x[i] !== y[i]) return (x[i] ?? 0) - (y[i] ?? 0);
  return (a.cidrPrefixLength ?? DEFAULT_PREFIX) - (b.cidrPrefixLength ?? DEFAULT_PREFIX);
}

const entry = (e: SipIpAddress) => `ipAddresses[${JSON.stringify(ipIdentity(e))}]`;

export const IP_ADDRESS_KIND: ChildKind<SipIpAddress, SipIpAddressOutput> = {
  input: "ipAddresses",
  noun: "IP address",
  segment: "IpAddresses",
  key: "ip_addresses",
  identity: ipIdentity,
  pairKey: (e) => e.ipAddress,
  withDefaults: ipEntryWithDefaults,
  updateForm(live, desired) {
    const want = ipEntryWithDefaults(desired);
    const form: Form = {};
    if (want.ipAddress !== live.ipAddress) form.IpAddress = want.ipAddress;
    if (want.cidrPrefixLength !== (live.cidrPrefixLength ?? DEFAULT_PREFIX)) form.CidrPrefixLength = want.cidrPrefixLength as number;
    if (want.friendlyName !== live.friendlyName) form.FriendlyName = want.friendlyName as string;
    return Object.keys(form).length ? form : undefined;
  },
  createForm(desired) {
    const want = ipEntryWithDefaults(desired);
    return { FriendlyName: want.friendlyName as string, IpAddress: want.ipAddress, CidrPrefixLength: want.cidrPrefixLength as number };
  },
  params: (e) => ({ FriendlyName: `${entry(e)}.friendlyName`, IpAddress: `${entry(e)}.ipAddress`, CidrPrefixLength: `${entry(e)}.cidrPrefixLength` }),
  fromRecord(record) {
    const subject = subjectOf("IP address", record);
    return {
      sid: requiredMember(subject, record, "sid", "string") as string,
      ipAddress: requiredMember(subject, record, "ip_address", "string") as string,
      cidrPrefixLength: wireValue(subject, record, "cidr_prefix_length", "integer") as number | null,
      friendlyName: wireValue(subject, record, "friendly_name", "string") as string | null,
    };
  },
  appliedEntry: (e) => e,
  asInput(live, said) {
    // The program's own spelling when it still means the live entry (the same name too).
    if (said && ipEntryWithDefaults(said as unknown as SipIpAddress).friendlyName === live.friendlyName) return said;
    const out: Record<string, unknown> = { ipAddress: live.ipAddress };
    if ((live.cidrPrefixLength ?? DEFAULT_PREFIX) !== DEFAULT_PREFIX) out.cidrPrefixLength = live.cidrPrefixLength;
    if (live.friendlyName !== live.ipAddress) out.friendlyName = live.friendlyName;
    return out;
  },
  describe: (e) => ({ ipAddress: e.ipAddress, cidrPrefixLength: e.cidrPrefixLength ?? DEFAULT_PREFIX, friendlyName: e.friendlyName ?? e.ipAddress }),
  compare: compareIpEntries,
};

export const IP_ACL_SPEC: ListSpec<SipIpAddress, SipIpAddressOutput> = {
  resource: IP_ACL_RESOURCE,
  noun: "IP access control list",
  segment: "IpAccessControlLists",
  key: "ip_access_control_lists",
  fields: IP_ACL_FIELDS,
  controls: IP_ACL_CONTROLS,
  child: IP_ADDRESS_KIND,
  validate: validateIpAclInputs,
};
