/**
 * The README tables of every resource, for scripts/gen-readme.js. Not loaded by the package at
 * run time.
 */
import type { DocTable } from "./common/doc-table";
import { AUTH_SUBFIELD_LIST, AUTH_TYPE_RULE, CONTROL_FIELDS, TRUNK_FIELDS } from "./didww/fields";
import * as twilioTrunk from "./twilio/trunk-fields";
import * as twilioCredentialList from "./twilio/credential-list-fields";
import * as twilioIpAcl from "./twilio/ip-access-control-list-fields";
import * as twilioOriginationUrl from "./twilio/origination-url-fields";
import * as bolnaSipTrunk from "./bolna/sip-trunk-fields";

export { renderInputTable } from "./common/doc-table";

export const DOC_TABLES: readonly DocTable[] = [
  {
    marker: "didww-inputs",
    vendor: "DIDWW",
    fields: TRUNK_FIELDS,
    apiName: (f) => ((f as { relationship?: boolean }).relationship ? `relationships.${f.api}` : f.api),
    nested: [
      {
        input: "authenticationMethod",
        api: "authentication_method",
        omitted: "required",
        rule: AUTH_TYPE_RULE,
        note: "In-place update on any change, type switches included.",
        children: AUTH_SUBFIELD_LIST,
        requiredChild: "required for its type",
      },
    ],
    controls: CONTROL_FIELDS,
  },
  {
    marker: "twilio-trunk-inputs",
    vendor: "Twilio",
    fields: [...twilioTrunk.TRUNK_FIELDS, ...twilioTrunk.ASSOCIATIONS],
    serverManagedText: "not managed",
    nested: [
      {
        input: "recording",
        api: "/Recording",
        omitted: `\`${JSON.stringify(twilioTrunk.RECORDING_DEFAULTS)}\``,
        rule: twilioTrunk.RECORDING.rule,
        note: twilioTrunk.RECORDING.doc ?? "",
        children: twilioTrunk.RECORDING_CHILDREN,
      },
    ],
    controls: twilioTrunk.TRUNK_CONTROLS,
  },
  {
    marker: "twilio-origination-url-inputs",
    vendor: "Twilio",
    fields: twilioOriginationUrl.ORIGINATION_URL_FIELDS,
    apiName: (f) => (f.input === "trunkSid" ? "/v1/Trunks/{TrunkSid}" : f.api),
    controls: twilioOriginationUrl.ORIGINATION_URL_CONTROLS,
  },
  {
    marker: "twilio-credential-list-inputs",
    vendor: "Twilio",
    fields: twilioCredentialList.CREDENTIAL_LIST_FIELDS,
    nested: [
      {
        input: "credentials",
        list: true,
        api: "/Credentials",
        omitted: "`[]` (no credentials)",
        rule: twilioCredentialList.CREDENTIALS.rule,
        note: `${twilioCredentialList.CREDENTIALS.doc ?? ""} Passwords are write-only: kept as salted hashes, drift never reported.`,
        children: twilioCredentialList.CREDENTIAL_CHILDREN,
      },
    ],
    controls: twilioCredentialList.CREDENTIAL_LIST_CONTROLS,
  },
  {
    marker: "twilio-ip-acl-inputs",
    vendor: "Twilio",
    fields: twilioIpAcl.IP_ACL_FIELDS,
    nested: [
      {
        input: "ipAddresses",
        list: true,
        api: "/IpAddresses",
        omitted: "`[]` (no entries)",
        rule: twilioIpAcl.IP_ADDRESSES.rule,
        note: twilioIpAcl.IP_ADDRESSES.doc ?? "",
        children: twilioIpAcl.IP_ADDRESS_CHILDREN,
      },
    ],
    controls: twilioIpAcl.IP_ACL_CONTROLS,
  },
  {
    marker: "bolna-sip-trunk-inputs",
    vendor: "Bolna",
    fields: bolnaSipTrunk.SIP_TRUNK_INPUT_FIELDS.filter((f) => f.input !== "gateways" && f.input !== "ipIdentifiers"),
    nested: [
      { input: "gateways", list: true, api: "gateways", omitted: "required", rule: bolnaSipTrunk.GATEWAYS.rule, note: bolnaSipTrunk.GATEWAYS.doc ?? "", children: bolnaSipTrunk.GATEWAY_CHILDREN },
      { input: "ipIdentifiers", list: true, api: "ip_identifiers", omitted: "`[]`", rule: bolnaSipTrunk.IP_IDENTIFIERS.rule, note: bolnaSipTrunk.IP_IDENTIFIERS.doc ?? "", children: bolnaSipTrunk.IP_IDENTIFIER_CHILDREN },
      {
        input: "phoneNumbers",
        list: true,
        api: "/numbers",
        omitted: "`[]` (no numbers)",
        rule: bolnaSipTrunk.PHONE_NUMBERS.rule,
        note: bolnaSipTrunk.PHONE_NUMBERS.doc ?? "",
        children: bolnaSipTrunk.PHONE_NUMBER_CHILDREN,
      },
    ],
    controls: bolnaSipTrunk.SIP_TRUNK_CONTROLS,
  },
];
