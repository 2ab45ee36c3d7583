/**
 * `twilio.SipIpAccessControlList`: a Twilio SIP IP access control list (API v2010
 * `/SIP/IpAccessControlLists`) with its IPv4 addresses and blocks, for trunks
 * (`ipAccessControlListSids`) and SIP domains to authenticate with.
 *
 * In the order every resource module of this package follows: types, provider object, resource class.
 *
 * @example
 * const office = new twilio.SipIpAccessControlList("office", {
 *   friendlyName: "office",
 *   ipAddresses: [{ ipAddress: "203.0.113.10" }, { ipAddress: "198.51.100.0", cidrPrefixLength: 24, friendlyName: "branch" }],
 * });
 * new twilio.Trunk("pbx", { ipAccessControlListSids: [office.sid] });
 */
import * as pulumi from "@pulumi/pulumi";
import { QuietCustomResource, registration, type AdoptableOptions } from "../common/resource";
import { finishTwilioResource, twilioClassSpec } from "./resource";
import { makeProvider } from "../shim";
import { IP_ACL_FIELDS } from "./ip-access-control-list-fields";
import type { SipIpAccessControlListArgs, SipIpAddressOutput } from "./ip-access-control-list-types";

export type { SipIpAccessControlListArgs, SipIpAccessControlListInputs, SipIpAccessControlListOutputs, SipIpAddress, SipIpAddressOutput } from "./ip-access-control-list-types";

/** The dynamic provider behind {@link SipIpAccessControlList}, exported so tests and tools can drive it as the engine does. */
export const sipIpAccessControlListProvider: pulumi.dynamic.ResourceProvider = makeProvider("twilio:SipIpAccessControlList");

const CLASS_SPEC = twilioClassSpec("SipIpAccessControlList", "IP access control list", [...IP_ACL_FIELDS.map((f) => f.input), "ipAddresses"]);

/** The resource's type token, as `pulumi state` commands and stack exports call it. */
export const SIP_IP_ACCESS_CONTROL_LIST_TYPE = CLASS_SPEC.type;

/** `import`: adopt an existing IP access control list by SID (`AL…`). */
export type SipIpAccessControlListOptions = AdoptableOptions;

export class SipIpAccessControlList extends QuietCustomResource {
  declare readonly friendlyName: pulumi.Output<string | null>;
  /** Sorted by address, then prefix length; each with its SID. */
  declare readonly ipAddresses: pulumi.Output<SipIpAddressOutput[]>;
  /** The SID, which is also the id: known in a preview of an update. */
  declare readonly sid: pulumi.Output<string>;
  /** The account (`twilio:accountSid`): known in a preview of an update. */
  declare readonly accountSid: pulumi.Output<string | null>;
  declare readonly dateCreated: pulumi.Output<string | null>;
  declare readonly dateUpdated: pulumi.Output<string | null>;

  constructor(name: string, args: SipIpAccessControlListArgs, opts: SipIpAccessControlListOptions = {}) {
    const r = registration(CLASS_SPEC, args, opts);
    super(SIP_IP_ACCESS_CONTROL_LIST_TYPE, name, r.props, r.opts);
    finishTwilioResource(this, CLASS_SPEC, r.importId);
  }

  /** A read-only view of an existing IP access control list, refreshed from Twilio on every run. */
  static get(name: string, sid: pulumi.Input<pulumi.ID>, opts: pulumi.CustomResourceOptions = {}): SipIpAccessControlList {
    return new SipIpAccessControlList(name, {} as SipIpAccessControlListArgs, { ...opts, id: sid });
  }
}
