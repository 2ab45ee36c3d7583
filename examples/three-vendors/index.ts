/**
 * Three vendors, one program.
 *
 * - Twilio Elastic SIP trunk: its termination domain is the gateway of a Bolna trunk, so Bolna's
 *   agents call out through Twilio. Its credential list holds one SIP credential, and the very
 *   same secret (stack config `sipPassword`, set with --secret) is the Bolna trunk's userpass
 *   auth: one secret, two vendors, never in plain text.
 * - Its IP access control list holds Bolna's edge, and its origination URL sends inbound calls to
 *   Bolna's SIP edge.
 * - A DIDWW outbound trunk accepts calls authenticated as coming from that same Twilio account.
 * - The numbers are declared once (stack config `numbers`: each its E.164 value and its DIDWW DID
 *   id) and attached on every side: to the Twilio trunk (looked up to their `PN…` SIDs), to the
 *   Bolna trunk, and as the caller IDs the DIDWW trunk allows.
 */
import * as pulumi from "@pulumi/pulumi";
import { bolna, didww, twilio } from "pulumi-sip-trunks";

/** Bolna's SIP edge for legacy `/sip-trunks` trunks (bolna-ai/skills references/twilio-elastic.md). */
export const BOLNA_LEGACY_EDGE = { host: "sip.bolna.ai", ip: "13.200.45.61" };

const config = new pulumi.Config();
/** One number, as each vendor knows it. */
interface NumberSpec {
  e164: string;
  /** The same number's DID id in DIDWW. */
  didId: string;
}
const numbers = config.requireObject<NumberSpec[]>("numbers");
const sipUsername = config.get("sipUsername") ?? "bolna-agents";
const sipPassword = config.requireSecret("sipPassword");

const credentials = new twilio.SipCredentialList("bolna-credentials", {
  friendlyName: "Bolna agents",
  credentials: [{ username: sipUsername, password: sipPassword }],
});

const bolnaEdge = new twilio.SipIpAccessControlList("bolna-edge", {
  friendlyName: "Bolna SIP edge",
  ipAddresses: [{ ipAddress: BOLNA_LEGACY_EDGE.ip, friendlyName: "sip.bolna.ai" }],
});

const twilioNumbers = numbers.map((n) => pulumi.output(twilio.getIncomingPhoneNumber({ phoneNumber: n.e164 })));

const trunk = new twilio.Trunk("voice", {
  friendlyName: "Bolna through Twilio",
  domainName: config.require("domainName"),
  credentialListSids: [credentials.sid],
  ipAccessControlListSids: [bolnaEdge.sid],
  phoneNumberSids: twilioNumbers.map((n) => n.sid),
});

new twilio.OriginationUrl("to-bolna", {
  trunkSid: trunk.sid,
  friendlyName: "Bolna SIP edge",
  sipUrl: `sip:${BOLNA_LEGACY_EDGE.host}:5060`,
});

const agents = new bolna.SipTrunk("twilio", {
  name: "Twilio termination",
  provider: "twilio",
  authType: "userpass",
  authUsername: sipUsername,
  authPassword: sipPassword,
  gateways: [{ gatewayAddress: trunk.domainName.apply((d) => d ?? ""), port: 5060, priority: 1 }],
  phoneNumbers: numbers.map((n) => ({ phoneNumber: n.e164 })),
});

const termination = new didww.OutboundTrunk("twilio-byoc", {
  name: "Twilio BYOC",
  onCliMismatchAction: "send_original_cli",
  authenticationMethod: trunk.accountSid.apply((sid) => ({ type: "twilio" as const, twilioAccountSid: sid ?? "" })),
  didIds: numbers.map((n) => n.didId),
});

export const twilioTrunkSid = trunk.sid;
export const bolnaTrunkId = agents.id;
export const didwwTrunkId = termination.id;
