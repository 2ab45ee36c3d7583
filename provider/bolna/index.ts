export {
  SipTrunk,
  SIP_TRUNK_SECRET_OUTPUTS,
  SIP_TRUNK_TYPE,
  sipTrunkProvider,
  type BolnaAuthType,
  type BolnaMediaEncryption,
  type BolnaTransport,
  type Gateway,
  type GatewayOutput,
  type IpIdentifier,
  type PhoneNumber,
  type PhoneNumberOutput,
  type SipTrunkArgs,
  type SipTrunkInputs,
  type SipTrunkOptions,
  type SipTrunkOutputs,
} from "./sip-trunk";
export { getSipTrunk, getSipTrunks, type SipTrunkNumberSummary, type SipTrunkSummary } from "./lookups";
