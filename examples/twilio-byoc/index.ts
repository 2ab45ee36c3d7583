/**
 * Bring your own carrier to Twilio: calls leave Twilio through DIDWW.
 *
 * - `twilio.Trunk` is the Elastic SIP trunk, with its termination domain, recording, and the
 *   number it answers (found by its E.164 value with `twilio.getIncomingPhoneNumber`).
 * - `twilio.OriginationUrl` sends the trunk's inbound calls to your PBX.
 * - `didww.OutboundTrunk` accepts calls authenticated as coming from that Twilio account: its
 *   `twilioAccountSid` is an output of the Twilio trunk, so the two can never disagree.
 *
 * Stack config: `domainName` (…pstn.twilio.com), `phoneNumber` (E.164, a number the Twilio
 * account owns), `pbxSipUrl` (sip:…); credentials `twilio:*` and `didww:*` as the README says.
 */
import * as pulumi from "@pulumi/pulumi";
import { didww, twilio } from "pulumi-sip-trunks";

const config = new pulumi.Config();

const number = pulumi.output(twilio.getIncomingPhoneNumber({ phoneNumber: config.require("phoneNumber") }));

const trunk = new twilio.Trunk("byoc", {
  friendlyName: "BYOC through DIDWW",
  domainName: config.require("domainName"),
  recording: { mode: "record-from-answer" },
  phoneNumberSids: [number.sid],
});

new twilio.OriginationUrl("pbx", {
  trunkSid: trunk.sid,
  friendlyName: "office PBX",
  sipUrl: config.require("pbxSipUrl"),
  weight: 10,
  priority: 10,
});

const carrier = new didww.OutboundTrunk("twilio-termination", {
  name: "Twilio BYOC termination",
  onCliMismatchAction: "send_original_cli",
  authenticationMethod: trunk.accountSid.apply((sid) => {
    if (!sid) throw new Error("the Twilio trunk reported no account SID");
    return { type: "twilio" as const, twilioAccountSid: sid };
  }),
});

export const twilioTrunkSid = trunk.sid;
export const terminationUri = trunk.domainName;
export const answeredNumber = number.phoneNumber;
export const didwwTrunkId = carrier.id;
export const didwwAuthentication = carrier.authenticationMethod;
