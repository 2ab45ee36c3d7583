/**
 * Types of `didww.OutboundTrunk`: what a program passes (args, which may hold Outputs),
 * what the provider receives (plain inputs), and what it stores (outputs).
 *
 * Each input's TSDoc quotes its line and rule from the field table (fields.ts); a unit test
 * (test/unit/tsdoc.test.ts) checks that they agree, so an editor hover says what `check` enforces.
 */
import type * as pulumi from "@pulumi/pulumi";

/** The authentication types a program can declare. */
export type AuthType = "credentials_and_ip" | "twilio";

/** SIP digest credentials plus a source-IP allow-list; DIDWW generates the username and password. */
export interface CredentialsAndIpAuth {
  type: "credentials_and_ip";
  /**
   * Addresses or CIDRs allowed to send SIP, e.g. `["203.0.113.10", "198.51.100.0/24"]`. Compared as a set;
   * `1.2.3.4` equals `1.2.3.4/32`. Rule: must be a non-empty list of at most 60 IPv4/IPv6 addresses or CIDRs.
   */
  allowedSipIps: string[];
  /** Prepended to the dialled number, e.g. `"99#"`. Rule: must be null or 1 to 8 characters, digits and # only. */
  techPrefix?: string | null;
}

/** Calls authenticated as coming from a Twilio account (Twilio Elastic SIP Trunking origination). */
export interface TwilioAuth {
  type: "twilio";
  /** The Twilio Account SID. Rule: must be "AC" followed by 32 hexadecimal characters. */
  twilioAccountSid: string;
}

export type AuthenticationMethodInput = CredentialsAndIpAuth | TwilioAuth;

/** The authentication method as DIDWW reports it; `ip_only` appears only on trunks DIDWW staff configured. */
export interface AuthenticationMethodOutput {
  type: AuthType | "ip_only";
  allowedSipIps?: string[];
  techPrefix?: string | null;
  twilioAccountSid?: string;
}

export type TrunkStatus = "active" | "blocked";
export type OnCliMismatchAction = "send_original_cli" | "reject_call" | "replace_cli" | "randomize_cli";
export type DefaultDstAction = "allow_all" | "reject_all";
export type MediaEncryptionMode = "disabled" | "srtp_sdes" | "srtp_dtls" | "zrtp";

/** Plain (resolved) inputs, as the provider receives them. */
export interface OutboundTrunkInputs {
  /** Trunk name shown in the DIDWW panel. Rule: must be a string of at most 255 characters with at least one non-space character. */
  name: string;
  /** What DIDWW does when the caller ID is not an allowed DID. Rule: must be one of "send_original_cli", "reject_call", "replace_cli", "randomize_cli". */
  onCliMismatchAction: OnCliMismatchAction;
  /**
   * How DIDWW recognises your calls. Rule: must be "credentials_and_ip" or "twilio" (ip_only is read-only: only DIDWW staff
   * set it, and the API refuses it on create and update). Any change, a type switch included, is an in-place update.
   */
  authenticationMethod: AuthenticationMethodInput;
  /** Your own identifier for the trunk (at most 100 characters). Rule: must be a string of at most 100 characters, or null. Omitted: null. */
  externalReferenceId?: string | null;
  /** `blocked` stops outbound traffic without deleting the trunk. Rule: must be "active" or "blocked". Omitted: "active". */
  status?: TrunkStatus;
  /** Concurrent call limit; null means unlimited. Rule: must be an integer from 0 to 32767, or null for no limit. Omitted: null. */
  capacityLimit?: number | null;
  /**
   * 24-hour spending threshold. Omitted: DIDWW's account default is kept and not compared.
   * Rule: must be a decimal from 0 to 100000 (a number or a string such as "100.0"), or null.
   */
  thresholdAmount?: string | number | null;
  /** Any eligible DID may be the caller ID; `didIds` must then be empty. Rule: must be a boolean. Omitted: false. */
  allowAnyDidAsCli?: boolean;
  /** Destinations allowed unless listed in `dstPrefixes`, or rejected unless listed. Rule: must be "allow_all" or "reject_all". Omitted: "allow_all". */
  defaultDstAction?: DefaultDstAction;
  /**
   * Destination prefixes excepted from `defaultDstAction`; order does not matter.
   * Rule: must be a list of destination prefixes of 1 to 20 digits each (compared as a set). Omitted: [].
   */
  dstPrefixes?: string[] | null;
  /** Media encryption. Rule: must be one of "disabled", "srtp_sdes", "srtp_dtls", "zrtp". Omitted: "disabled". */
  mediaEncryptionMode?: MediaEncryptionMode;
  /**
   * Media source allow-list; null means any address. Bare addresses equal their /32 or /128.
   * Rule: must be null (no restriction) or a list of at most 60 IPv4/IPv6 addresses or CIDRs. Omitted: null.
   */
  allowedRtpIps?: string[] | null;
  /** Symmetric RTP (COMEDIA). Rule: must be a boolean. Omitted: false. */
  forceSymmetricRtp?: boolean;
  /** Send an empty RTP packet after the call is answered. Rule: must be a boolean. Omitted: false. */
  rtpPing?: boolean;
  /** Hang up when no RTP arrives for this many seconds. Rule: must be an integer number of seconds from 30 to 600, or null. Omitted: 30. */
  rtpTimeout?: number | null;
  /** Notified when the threshold is reached. Rule: must be an http:// or https:// URL, or null. Omitted: null. */
  callbackUrl?: string | null;
  /** Every eligible DID may place emergency calls; `emergencyDidIds` must then be empty. Rule: must be a boolean. Omitted: false. */
  emergencyEnableAll?: boolean;
  /** DIDs allowed as caller ID (a set). Not managed while `allowAnyDidAsCli` is true. Rule: must be a list of DID ids (UUIDs). Omitted: []. */
  didIds?: string[];
  /**
   * DIDs enabled for emergency calls (a set). Not managed while `emergencyEnableAll` is true.
   * Rule: must be a list of DID ids (UUIDs). Omitted: [].
   */
  emergencyDidIds?: string[];
  /** Set by the resource class from the `import` option; see README "Import". Rule: must be the id (UUID) of an existing DIDWW outbound trunk. */
  importId?: string;
  /**
   * With `import`: "fail" (default) stops when the live trunk differs from the arguments; "update" makes it match.
   * Rule: must be "fail" or "update".
   */
  onImportMismatch?: "fail" | "update";
  /**
   * Change this value to have DIDWW generate new SIP credentials (credentials_and_ip only; ignored for twilio).
   * Rule: must be a string or a number.
   */
  credentialsRotation?: string | number;
}

type Inputify<T> = { [K in keyof T]: pulumi.Input<T[K]> };

/** Arguments of `new didww.OutboundTrunk(name, args, opts)`; each property's TSDoc is on {@link OutboundTrunkInputs}. */
export interface OutboundTrunkArgs extends Omit<Inputify<OutboundTrunkInputs>, "importId" | "authenticationMethod" | "didIds" | "emergencyDidIds" | "dstPrefixes" | "allowedRtpIps"> {
  /** How DIDWW recognises your calls: `{ type: "credentials_and_ip", allowedSipIps, techPrefix? }` or `{ type: "twilio", twilioAccountSid }`. */
  authenticationMethod: pulumi.Input<AuthenticationMethodInput>;
  /** DIDs allowed as caller ID (a set). Not managed while `allowAnyDidAsCli` is true. Rule: must be a list of DID ids (UUIDs). */
  didIds?: pulumi.Input<pulumi.Input<string>[]>;
  /** DIDs enabled for emergency calls (a set). Not managed while `emergencyEnableAll` is true. Rule: must be a list of DID ids (UUIDs). */
  emergencyDidIds?: pulumi.Input<pulumi.Input<string>[]>;
  /** Destination prefixes excepted from `defaultDstAction`; order does not matter. Rule: must be a list of destination prefixes of 1 to 20 digits each (compared as a set). */
  dstPrefixes?: pulumi.Input<pulumi.Input<string>[] | null>;
  /** Media source allow-list; null means any address. Rule: must be null (no restriction) or a list of at most 60 IPv4/IPv6 addresses or CIDRs. */
  allowedRtpIps?: pulumi.Input<pulumi.Input<string>[] | null>;
}

/** What the provider stores: every attribute as DIDWW last reported it. */
export interface OutboundTrunkOutputs {
  /** Trunk name shown in the DIDWW panel. */
  name: string;
  /** Your own identifier for the trunk. */
  externalReferenceId: string | null;
  /** `blocked` stops outbound traffic without deleting the trunk. */
  status: TrunkStatus;
  /** Concurrent call limit; null means unlimited. */
  capacityLimit: number | null;
  /** 24-hour spending threshold as DIDWW renders it (a decimal string such as "100.0"). */
  thresholdAmount: string | null;
  /** Any eligible DID may be the caller ID. */
  allowAnyDidAsCli: boolean;
  /** What DIDWW does when the caller ID is not an allowed DID. */
  onCliMismatchAction: OnCliMismatchAction;
  /** Destinations allowed unless listed in `dstPrefixes`, or rejected unless listed. */
  defaultDstAction: DefaultDstAction;
  /** Destination prefixes excepted from `defaultDstAction`. */
  dstPrefixes: string[];
  /** Media encryption. */
  mediaEncryptionMode: MediaEncryptionMode;
  /** Media source allow-list as DIDWW stores it (CIDRs); null means any address. */
  allowedRtpIps: string[] | null;
  /** Symmetric RTP (COMEDIA). */
  forceSymmetricRtp: boolean;
  /** Send an empty RTP packet after the call is answered. */
  rtpPing: boolean;
  /** Hang up when no RTP arrives for this many seconds. */
  rtpTimeout: number | null;
  /** Notified when the threshold is reached. */
  callbackUrl: string | null;
  /** Every eligible DID may place emergency calls. */
  emergencyEnableAll: boolean;
  /** DIDs allowed as caller ID, lower-case ids, sorted. */
  didIds: string[];
  /** DIDs enabled for emergency calls, lower-case ids, sorted. */
  emergencyDidIds: string[];
  /** The authentication method: its type and that type's attributes (never the credentials). */
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
  onImportMismatch?: "fail" | "update" | null;
  credentialsRotation?: string | number | null;
}
