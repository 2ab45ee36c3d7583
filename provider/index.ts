/**
 * pulumi-sip-trunks: SIP trunks as code.
 *
 * @example
 * import { didww } from "pulumi-sip-trunks";
 * new didww.OutboundTrunk("pbx", { name: "PBX", onCliMismatchAction: "reject_call",
 *   authenticationMethod: { type: "twilio", twilioAccountSid: "AC…" } });
 */
export * as didww from "./didww";
export * as twilio from "./twilio";
export * as bolna from "./bolna";
