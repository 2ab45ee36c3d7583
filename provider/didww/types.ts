/**
 * Types of `didww.OutboundTrunk`: what a program passes (args, which may hold Outputs),
 * what the provider receives (plain inputs), and what it stores (outputs).
 */
import type * as pulumi from "@pulumi/pulumi";

/** SIP digest credentials plus a source-IP allow-list; DIDWW generates the username and password. */
export interface CredentialsAndIpAuth {
  type: "credentials_and_ip";
  /** Addresses or CIDRs allowed to send SIP, e.g. `["203.0.113.10", "198.51.100.0/24"]`. Compared as a set; `1.2.3.4` equals `1.2.3.4/32`. */
  allowedSipIps: string[];
  /** Up to 8 digits or `#`, prepended to the dialled number, e.g. `"99#"`. */
  techPrefix?: string | null;
}

/** Calls authenticated as coming from a Twilio account (Twilio Elastic SIP Trunking origination). */
export interface TwilioAuth {
  type: "twilio";
  /** The Twilio Account SID: `AC` + 32 hex characters. */
  twilioAccountSid: string;
}

export type AuthenticationMethodInput = CredentialsAndIpAuth | TwilioAuth;

/** The authentication method as DIDWW reports it; `ip_only` appears only on trunks DIDWW staff configured. */
export interface AuthenticationMethodOutput {
  type: "credentials_and_ip" | "twilio" | "ip_only" | string;
  allowedSipIps?: string[];
  techPrefix?: string | null;
  twilioAccountSid?: string;
}

/** Plain (resolved) inputs, as the provider receives them. */
export interface OutboundTrunkInputs {
  name: string;
  onCliMismatchAction: "send_original_cli" | "reject_call" | "replace_cli" | "randomize_cli";
  authenticationMethod: AuthenticationMethodInput;
  externalReferenceId?: string | null;
  status?: "active" | "blocked";
  capacityLimit?: number | null;
  thresholdAmount?: string | number | null;
  allowAnyDidAsCli?: boolean;
  defaultDstAction?: "allow_all" | "reject_all";
  dstPrefixes?: string[] | null;
  mediaEncryptionMode?: "disabled" | "srtp_sdes" | "srtp_dtls" | "zrtp";
  allowedRtpIps?: string[] | null;
  forceSymmetricRtp?: boolean;
  rtpPing?: boolean;
  rtpTimeout?: number | null;
  callbackUrl?: string | null;
  emergencyEnableAll?: boolean;
  didIds?: string[];
  emergencyDidIds?: string[];
  /** Set by the resource class from the `import` option; see README "Import". */
  importId?: string;
  onImportMismatch?: "fail" | "update";
  credentialsRotation?: string | number;
}

type Inputify<T> = { [K in keyof T]: pulumi.Input<T[K]> };

/** Arguments of `new didww.OutboundTrunk(name, args, opts)`. */
export interface OutboundTrunkArgs extends Omit<Inputify<OutboundTrunkInputs>, "importId" | "authenticationMethod" | "didIds" | "emergencyDidIds" | "dstPrefixes" | "allowedRtpIps"> {
  authenticationMethod: pulumi.Input<AuthenticationMethodInput>;
  didIds?: pulumi.Input<pulumi.Input<string>[]>;
  emergencyDidIds?: pulumi.Input<pulumi.Input<string>[]>;
  dstPrefixes?: pulumi.Input<pulumi.Input<string>[] | null>;
  allowedRtpIps?: pulumi.Input<pulumi.Input<string>[] | null>;
}

/** What the provider stores: every attribute as DIDWW last reported it. */
export interface OutboundTrunkOutputs {
  name: string;
  externalReferenceId: string | null;
  status: string;
  capacityLimit: number | null;
  thresholdAmount: string | null;
  allowAnyDidAsCli: boolean;
  onCliMismatchAction: string;
  defaultDstAction: string;
  dstPrefixes: string[];
  mediaEncryptionMode: string;
  allowedRtpIps: string[] | null;
  forceSymmetricRtp: boolean;
  rtpPing: boolean;
  rtpTimeout: number | null;
  callbackUrl: string | null;
  emergencyEnableAll: boolean;
  didIds: string[];
  emergencyDidIds: string[];
  authenticationMethod: AuthenticationMethodOutput;
  /** Read-only: the 24-hour threshold was reached. */
  thresholdReached: boolean;
  /** Read-only: ISO 8601 creation time. */
  createdAt: string | null;
  /** Read-only: amount spent, a decimal string (`data.meta.spent_amount`). */
  spentAmount: string | null;
  /** SIP username (credentials_and_ip only); a secret output. Null when DIDWW has only shown it masked. */
  username: string | null;
  /** SIP password (credentials_and_ip only); a secret output. */
  password: string | null;
  importId?: string | null;
  onImportMismatch?: string | null;
  credentialsRotation?: string | number | null;
}
