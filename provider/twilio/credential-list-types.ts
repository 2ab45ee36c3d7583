/**
 * Types of `twilio.SipCredentialList`: what a program passes (args, which may hold Outputs), what
 * the provider receives (plain inputs), and what it stores (outputs).
 *
 * Each input's TSDoc quotes its line and rule from the field table (credential-list-fields.ts);
 * a unit test (test/unit/twilio-sip-lists.test.ts) checks that they agree.
 */
import type * as pulumi from "@pulumi/pulumi";

/** One SIP credential of a list. */
export interface SipCredential {
  /**
   * The SIP username a device authenticates with; it identifies the credential (a changed username deletes the credential and creates a new one).
   * Rule: must be a string of 1 to 32 characters. Required.
   */
  username: string;
  /**
   * The SIP password: secret and write-only (Twilio never returns it). State keeps a salted hash of it, so a changed password is sent again; a change made outside Pulumi cannot be seen and is never reported.
   * Rule: must be a string of at least 12 characters with at least one digit, one lower-case and one upper-case letter. Required.
   * @example pulumi.secret(config.requireSecret("pbxPassword"))
   */
  password: string;
}

/** Plain (resolved) inputs of `twilio.SipCredentialList`, as the provider receives them. */
export interface SipCredentialListInputs {
  /**
   * The list's name; Twilio requires one and refuses a second list of the same name in the account (error 21240).
   * Rule: must be a string of 1 to 64 characters, unique among the account's credential lists. Required.
   */
  friendlyName: string;
  /**
   * The list's SIP credentials: a set keyed by username, reconciled entry by entry.
   * Rule: must be a list of at most 1000 { username, password } objects, each username once. Omitted: [] (no credentials).
   */
  credentials?: SipCredential[];
  /** Set by the resource class from the `import` option. Rule: must be the SID of an existing Twilio credential list ("CL" followed by 32 hexadecimal characters). */
  importId?: string;
  /** With `import`: "fail" (default) stops when the live list differs from the arguments; "update" makes it match. Rule: must be "fail" or "update". */
  onImportMismatch?: "fail" | "update";
}

/** One credential as a program passes it (the class marks the password secret). */
export interface SipCredentialArgs {
  username: pulumi.Input<string>;
  password: pulumi.Input<string>;
}

/** Arguments of `new twilio.SipCredentialList(name, args, opts)`; each property's TSDoc is on {@link SipCredentialListInputs}. */
export interface SipCredentialListArgs {
  friendlyName: pulumi.Input<string>;
  credentials?: pulumi.Input<pulumi.Input<SipCredentialArgs>[]>;
  onImportMismatch?: pulumi.Input<"fail" | "update">;
}

/** One credential as stored: never the password, only a salted hash of the one last sent. */
export interface SipCredentialOutput {
  /** The credential's SID (`CR…`). */
  sid: string;
  username: string;
  /** `scrypt$<salt>$<hash>` of the password last sent; null when this provider never sent it (made outside Pulumi). */
  passwordHash: string | null;
}

/** What the provider stores for a `twilio.SipCredentialList`: the list as Twilio last reported it. */
export interface SipCredentialListOutputs {
  /** The list's SID (`CL…`), also its id. */
  sid: string;
  accountSid: string | null;
  friendlyName: string | null;
  /** RFC 2822, as Twilio writes it. */
  dateCreated: string | null;
  dateUpdated: string | null;
  /** Sorted by username. */
  credentials: SipCredentialOutput[];
  importId?: string | null;
  onImportMismatch?: "fail" | "update" | null;
}
