/**
 * Types of the Twilio resources: what a program passes (args, which may hold Outputs), what the
 * provider receives (plain inputs), and what it stores (outputs).
 *
 * Each input's TSDoc quotes its line and rule from the field tables (fields.ts); a unit test
 * (test/unit/tsdoc.test.ts) checks that they agree.
 */
import type * as pulumi from "@pulumi/pulumi";

export type TransferMode = "disable-all" | "enable-all" | "sip-only";
export type TransferCallerId = "from-transferee" | "from-transferor";
export type RecordingMode = "do-not-record" | "record-from-ringing" | "record-from-answer" | "record-from-ringing-dual" | "record-from-answer-dual";
export type RecordingTrim = "do-not-trim" | "trim-silence";
export type HttpMethod = "GET" | "POST";

/** Call recording of a trunk (Twilio's `/Recording` sub-resource). */
export interface RecordingSettings {
  /** Whether and from when calls are recorded. Rule: must be one of "do-not-record", "record-from-ringing", "record-from-answer", "record-from-ringing-dual", "record-from-answer-dual". Omitted: "do-not-record". */
  mode?: RecordingMode;
  /** Whether silence is trimmed from recordings. Rule: must be "do-not-trim" or "trim-silence". Omitted: "do-not-trim". */
  trim?: RecordingTrim;
}

/** Plain (resolved) inputs of `twilio.Trunk`, as the provider receives them. */
export interface TrunkInputs {
  /** A name for the trunk. Rule: must be a string of at most 64 characters, or null. Omitted: null. */
  friendlyName?: string | null;
  /**
   * The termination URI's host; callers send SIP to it. Unique across all of Twilio.
   * Rule: must be a host name ending in ".pstn.twilio.com" (unique across Twilio), or null. Omitted: null.
   */
  domainName?: string | null;
  /** Called when Twilio cannot reach your origination URLs. Rule: must be an http:// or https:// URL, or null. Omitted: null. */
  disasterRecoveryUrl?: string | null;
  /** The HTTP method of the disaster recovery request. Rule: must be "GET" or "POST". Omitted: "POST". */
  disasterRecoveryMethod?: HttpMethod;
  /** Whether calls on the trunk may be transferred (SIP REFER). Rule: must be one of "disable-all", "enable-all", "sip-only". Omitted: "disable-all". */
  transferMode?: TransferMode;
  /** The caller ID of a transferred call. Rule: must be "from-transferee" or "from-transferor". Omitted: "from-transferee". */
  transferCallerId?: TransferCallerId;
  /** Secure trunking: SRTP media and TLS signalling. Rule: must be a boolean. Omitted: false. */
  secure?: boolean;
  /** Look up the caller's name (CNAM) on inbound calls. Rule: must be a boolean. Omitted: false. */
  cnamLookupEnabled?: boolean;
  /** Call recording, applied through the trunk's Recording sub-resource. Rule: must be an object { mode?, trim? }. Omitted: { mode: "do-not-record", trim: "do-not-trim" }. */
  recording?: RecordingSettings;
  /**
   * Phone numbers that route to the trunk (a set, reconciled by add/remove; omitted: not managed).
   * Rule: must be a list of phone number SIDs ("PN" followed by 32 hexadecimal characters).
   */
  phoneNumberSids?: string[];
  /**
   * Credential lists that authenticate termination (a set, reconciled by add/remove; omitted: not managed).
   * Rule: must be a list of credential list SIDs ("CL" followed by 32 hexadecimal characters).
   */
  credentialListSids?: string[];
  /**
   * IP access control lists that authenticate termination (a set, reconciled by add/remove; omitted: not managed).
   * Rule: must be a list of IP access control list SIDs ("AL" followed by 32 hexadecimal characters).
   */
  ipAccessControlListSids?: string[];
  /** Set by the resource class from the `import` option. Rule: must be the SID of an existing Twilio trunk ("TK" followed by 32 hexadecimal characters). */
  importId?: string;
  /** With `import`: "fail" (default) stops when the live trunk differs from the arguments; "update" makes it match. Rule: must be "fail" or "update". */
  onImportMismatch?: "fail" | "update";
}

type Inputify<T> = { [K in keyof T]: pulumi.Input<T[K]> };
type ListArgs<T, K extends keyof T> = { [P in K]?: pulumi.Input<pulumi.Input<string>[]> };

/** Arguments of `new twilio.Trunk(name, args, opts)`; each property's TSDoc is on {@link TrunkInputs}. */
export interface TrunkArgs
  extends Omit<Inputify<TrunkInputs>, "importId" | "recording" | "phoneNumberSids" | "credentialListSids" | "ipAccessControlListSids">,
    ListArgs<TrunkInputs, "phoneNumberSids" | "credentialListSids" | "ipAccessControlListSids"> {
  /** Call recording: `{ mode?, trim? }`. */
  recording?: pulumi.Input<RecordingSettings>;
}

/** What the provider stores for a `twilio.Trunk`: every property as Twilio last reported it. */
export interface TrunkOutputs {
  friendlyName: string | null;
  domainName: string | null;
  disasterRecoveryUrl: string | null;
  disasterRecoveryMethod: HttpMethod | null;
  transferMode: TransferMode | null;
  transferCallerId: TransferCallerId | null;
  secure: boolean | null;
  cnamLookupEnabled: boolean | null;
  /** Both settings, as the Recording sub-resource reports them. */
  recording: Required<RecordingSettings>;
  /** Sorted; null when the program does not manage the trunk's numbers. */
  phoneNumberSids: string[] | null;
  credentialListSids: string[] | null;
  ipAccessControlListSids: string[] | null;
  /** Read-only: the trunk's SID (also its id). */
  sid: string;
  accountSid: string | null;
  /** Read-only: `IP_ACL` and/or `CREDENTIAL_LIST`, from the attached lists; "" when none. */
  authType: string | null;
  authTypeSet: string[];
  symmetricRtpEnabled: boolean | null;
  dateCreated: string | null;
  dateUpdated: string | null;
  url: string | null;
  importId?: string | null;
  onImportMismatch?: "fail" | "update" | null;
}
