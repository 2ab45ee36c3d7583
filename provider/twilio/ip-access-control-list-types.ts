/**
 * Types of `twilio.SipIpAccessControlList`: what a program passes (args, which may hold Outputs),
 * what the provider receives (plain inputs), and what it stores (outputs).
 *
 * Each input's TSDoc quotes its line and rule from the field table
 * (ip-access-control-list-fields.ts); a unit test (test/unit/twilio-sip-lists.test.ts) checks that they agree.
 */
import type * as pulumi from "@pulumi/pulumi";

/** One entry of an IP access control list: an address, or the block it starts. */
export interface SipIpAddress {
  /**
   * An IPv4 address (Twilio takes no IPv6 here); with cidrPrefixLength, the block it starts.
   * Rule: must be an IPv4 address in dotted decimal form, without a prefix length (IPv4 only). Required.
   * @example "203.0.113.10"
   */
  ipAddress: string;
  /**
   * The prefix length of the block; 32 is the address alone, so a bare address equals its /32.
   * Rule: must be an integer from 0 to 32. Omitted: 32.
   */
  cidrPrefixLength?: number;
  /**
   * A name for the entry; Twilio requires one, so omitted means the address itself (e.g. "203.0.113.10").
   * Rule: must be a string of 1 to 255 characters. Omitted: the ipAddress text.
   */
  friendlyName?: string;
}

/** Plain (resolved) inputs of `twilio.SipIpAccessControlList`, as the provider receives them. */
export interface SipIpAccessControlListInputs {
  /** The list's name; Twilio requires one. Rule: must be a string of 1 to 255 characters. Required. */
  friendlyName: string;
  /**
   * The addresses and blocks the list allows: a set keyed by address and prefix length, reconciled entry by entry (a new name or prefix length of an address is updated in place; a changed address is deleted and created).
   * Rule: must be a list of at most 100 { ipAddress, cidrPrefixLength?, friendlyName? } objects, each address and prefix length once. Omitted: [] (no entries).
   */
  ipAddresses?: SipIpAddress[];
  /** Set by the resource class from the `import` option. Rule: must be the SID of an existing Twilio IP access control list ("AL" followed by 32 hexadecimal characters). */
  importId?: string;
  /** With `import`: "fail" (default) stops when the live list differs from the arguments; "update" makes it match. Rule: must be "fail" or "update". */
  onImportMismatch?: "fail" | "update";
}

type Inputify<T> = { [K in keyof T]: pulumi.Input<T[K]> };

/** Arguments of `new twilio.SipIpAccessControlList(name, args, opts)`; each property's TSDoc is on {@link SipIpAccessControlListInputs}. */
export interface SipIpAccessControlListArgs {
  friendlyName: pulumi.Input<string>;
  ipAddresses?: pulumi.Input<pulumi.Input<Inputify<SipIpAddress>>[]>;
  onImportMismatch?: pulumi.Input<"fail" | "update">;
}

/** One entry as Twilio reports it. */
export interface SipIpAddressOutput {
  /** The entry's SID (`IP…`). */
  sid: string;
  ipAddress: string;
  cidrPrefixLength: number | null;
  friendlyName: string | null;
}

/** What the provider stores for a `twilio.SipIpAccessControlList`: the list as Twilio last reported it. */
export interface SipIpAccessControlListOutputs {
  /** The list's SID (`AL…`), also its id. */
  sid: string;
  accountSid: string | null;
  friendlyName: string | null;
  /** RFC 2822, as Twilio writes it. */
  dateCreated: string | null;
  dateUpdated: string | null;
  /** Sorted by address, then prefix length. */
  ipAddresses: SipIpAddressOutput[];
  importId?: string | null;
  onImportMismatch?: "fail" | "update" | null;
}
