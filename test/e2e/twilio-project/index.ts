/**
 * The end-to-end suite's Twilio program: one trunk with recording, its origination URLs, a
 * credential list and an IP access control list attached to it, and a number found by its E.164
 * value. Data-driven by the stack config `twilio`:
 *   { trunk: { args, import? }, originationUrls: { <name>: args without trunkSid },
 *     credentialList: { friendlyName, usernames: [...] }, ipAcl: { friendlyName, ipAddresses: [...] },
 *     phoneNumber: "+1…" }
 * Passwords come from the secret config `sipPasswords` (username → password).
 */
import * as pulumi from "@pulumi/pulumi";
import { twilio } from "pulumi-sip-trunks";

interface Spec {
  trunk: { args: twilio.TrunkArgs; import?: string };
  originationUrls?: Record<string, Omit<twilio.OriginationUrlArgs, "trunkSid">>;
  credentialList?: { friendlyName: string; usernames: string[] };
  ipAcl?: { friendlyName: string; ipAddresses: { ipAddress: string; cidrPrefixLength?: number; friendlyName?: string }[] };
  phoneNumber?: string;
}

const config = new pulumi.Config();
const spec = config.requireObject<Spec>("twilio");
const passwords = config.getSecretObject<Record<string, string>>("sipPasswords") ?? pulumi.secret({} as Record<string, string>);

const creds = spec.credentialList
  ? new twilio.SipCredentialList("creds", {
      friendlyName: spec.credentialList.friendlyName,
      credentials: spec.credentialList.usernames.map((username) => ({ username, password: passwords.apply((p) => p[username]) })),
    })
  : undefined;
const acl = spec.ipAcl ? new twilio.SipIpAccessControlList("acl", spec.ipAcl) : undefined;
const number = spec.phoneNumber ? pulumi.output(twilio.getIncomingPhoneNumber({ phoneNumber: spec.phoneNumber })) : undefined;

const trunk = new twilio.Trunk(
  "trunk",
  {
    ...spec.trunk.args,
    ...(creds ? { credentialListSids: [creds.sid] } : {}),
    ...(acl ? { ipAccessControlListSids: [acl.sid] } : {}),
    ...(number ? { phoneNumberSids: [number.sid] } : {}),
  },
  spec.trunk.import ? { import: spec.trunk.import } : {},
);

const urls = Object.entries(spec.originationUrls ?? {}).map(([name, args]) => new twilio.OriginationUrl(name, { ...args, trunkSid: trunk.sid }));

export const trunkSid = trunk.sid;
export const authType = trunk.authType;
export const recording = trunk.recording;
export const originationUrlSids = pulumi.all(urls.map((u) => u.sid));
export const credentialListSid = creds?.sid;
export const usernames = creds?.credentials.apply((cs) => cs.map((c) => c.username));
export const ipAclSid = acl?.sid;
