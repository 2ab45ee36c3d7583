/**
 * Bolna voice agents calling out through DIDWW (BYOT on Bolna's legacy `/sip-trunks` API).
 *
 * - `didww.OutboundTrunk` (credentials_and_ip): DIDWW generates the SIP username and password,
 *   and accepts calls only from Bolna's edge addresses.
 * - `bolna.SipTrunk` (userpass): Bolna sends its calls to DIDWW's outbound SIP hosts, with the
 *   credentials DIDWW generated. They flow as secrets, from one provider's outputs into the
 *   other's inputs, and are never written in plain text.
 * - The numbers are declared once (stack config `numbers`: DID id and E.164) and attached on both
 *   sides: as DIDWW caller-ID DIDs and as Bolna trunk numbers.
 */
import * as pulumi from "@pulumi/pulumi";
import { bolna, didww } from "pulumi-sip-trunks";

/** Bolna's SIP edge for legacy `/sip-trunks` trunks (bolna-ai/skills references/twilio-elastic.md; sip.bolna.ai). */
export const BOLNA_LEGACY_EDGE_IPS = ["13.200.45.61/32"];
/**
 * DIDWW's outbound SIP load balancers, tried in this order (DIDWW SIP connectivity reference;
 * digest realm out.didww.com; 5060 for UDP/TCP, 5061 for TLS).
 */
export const DIDWW_OUTBOUND_HOSTS = [
  { gatewayAddress: "fra.eu.out.didww.com", port: 5060, priority: 1 },
  { gatewayAddress: "ams.eu.out.didww.com", port: 5060, priority: 2 },
];

interface NumberSpec {
  /** The DID's id in DIDWW. */
  didId: string;
  /** The same number in E.164. */
  e164: string;
}

const config = new pulumi.Config();
const numbers = config.requireObject<NumberSpec[]>("numbers");

const carrier = new didww.OutboundTrunk("bolna-carrier", {
  name: "Bolna agents",
  onCliMismatchAction: "reject_call",
  authenticationMethod: { type: "credentials_and_ip", allowedSipIps: BOLNA_LEGACY_EDGE_IPS },
  didIds: numbers.map((n) => n.didId),
});

const agents = new bolna.SipTrunk("didww", {
  name: "DIDWW outbound",
  provider: "custom",
  description: "BYOT: DIDWW termination",
  authType: "userpass",
  authUsername: carrier.username.apply((u) => u ?? ""),
  authPassword: carrier.password.apply((p) => p ?? ""),
  gateways: DIDWW_OUTBOUND_HOSTS,
  phoneNumbers: numbers.map((n) => ({ phoneNumber: n.e164, name: `DID ${n.e164}` })),
});

export const didwwTrunkId = carrier.id;
export const bolnaTrunkId = agents.id;
export const bolnaNumbers = agents.phoneNumbers;
