export { Trunk, TRUNK_TYPE, trunkProvider, type RecordingSettings, type TrunkArgs, type TrunkInputs, type TrunkOptions, type TrunkOutputs } from "./trunk";
export {
  SipCredentialList,
  SIP_CREDENTIAL_LIST_TYPE,
  SIP_CREDENTIAL_LIST_SECRET_OUTPUTS,
  sipCredentialListProvider,
  type SipCredential,
  type SipCredentialArgs,
  type SipCredentialListArgs,
  type SipCredentialListInputs,
  type SipCredentialListOptions,
  type SipCredentialListOutputs,
  type SipCredentialOutput,
} from "./credential-list";
export {
  SipIpAccessControlList,
  SIP_IP_ACCESS_CONTROL_LIST_TYPE,
  sipIpAccessControlListProvider,
  type SipIpAccessControlListArgs,
  type SipIpAccessControlListInputs,
  type SipIpAccessControlListOptions,
  type SipIpAccessControlListOutputs,
  type SipIpAddress,
  type SipIpAddressOutput,
} from "./ip-access-control-list";
export { OriginationUrl, ORIGINATION_URL_TYPE, originationUrlProvider, type OriginationUrlArgs, type OriginationUrlInputs, type OriginationUrlOptions, type OriginationUrlOutputs } from "./origination-url";
export { getIncomingPhoneNumber, getTrunks, type IncomingPhoneNumber, type TrunkSummary } from "./lookups";
