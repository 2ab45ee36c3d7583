/** Input builders shared by the unit tests. */
import type { OutboundTrunkInputs } from "../../provider/didww/types";

export const DID_A = "0b6c7a1e-8f1d-4d5e-9a51-0c2a3b4c5d61";
export const DID_B = "1c7d8b2f-9a2e-4e6f-8b62-1d3b4c5d6e72";
export const TWILIO_SID = "AC0123456789abcdef0123456789abcdef";

export function credentialsTrunk(extra: Partial<OutboundTrunkInputs> = {}): OutboundTrunkInputs {
  return {
    name: "pbx",
    onCliMismatchAction: "reject_call",
    authenticationMethod: { type: "credentials_and_ip", allowedSipIps: ["203.0.113.10"] },
    ...extra,
  };
}

export function twilioTrunk(extra: Partial<OutboundTrunkInputs> = {}): OutboundTrunkInputs {
  return {
    name: "twilio",
    onCliMismatchAction: "send_original_cli",
    authenticationMethod: { type: "twilio", twilioAccountSid: TWILIO_SID },
    ...extra,
  };
}
