/**
 * Types of `twilio.OriginationUrl`: what a program passes (args, which may hold Outputs), what the
 * provider receives (plain inputs), and what it stores (outputs).
 *
 * Each input's TSDoc quotes its line and rule from the field table (origination-url-fields.ts);
 * a unit test (test/unit/twilio-origination-url.test.ts) checks that they agree.
 */
import type * as pulumi from "@pulumi/pulumi";

/** Plain (resolved) inputs of `twilio.OriginationUrl`, as the provider receives them. */
export interface OriginationUrlInputs {
  /**
   * The trunk the URL belongs to; Twilio sends the trunk's inbound calls to its origination URLs.
   * Rule: must be a trunk SID ("TK" followed by 32 hexadecimal characters). Required; a change replaces the origination URL.
   * @example trunk.sid
   */
  trunkSid: string;
  /**
   * Where Twilio sends the trunk's inbound calls: your PBX or SBC.
   * Rule: must be a SIP URI starting with "sip:" ("sips:" is not supported), e.g. "sip:pbx.example.com:5060". Required.
   * Scheme and host compare without case, and `sip://host` equals `sip:host`.
   */
  sipUrl: string;
  /**
   * A name for the origination URL (Twilio requires one).
   * Rule: must be a string of 1 to 64 characters. Required.
   */
  friendlyName: string;
  /**
   * Share of the calls among URLs of the same priority: a URL of weight 20 gets twice the calls of one of weight 10.
   * Rule: must be an integer from 1 to 65535. Omitted: 10.
   */
  weight?: number;
  /**
   * Order of the URLs: Twilio tries the lowest number first, and higher ones only when those fail.
   * Rule: must be an integer from 0 to 65535. Omitted: 10.
   */
  priority?: number;
  /** Whether Twilio sends calls to this URL. Rule: must be a boolean. Omitted: true. */
  enabled?: boolean;
  /** Set by the resource class from the `import` option. Rule: must be the SID of an existing Twilio origination URL ("OU" followed by 32 hexadecimal characters). */
  importId?: string;
  /** With `import`: "fail" (default) stops when the live origination URL differs from the arguments; "update" makes it match. Rule: must be "fail" or "update". */
  onImportMismatch?: "fail" | "update";
}

type Inputify<T> = { [K in keyof T]: pulumi.Input<T[K]> };

/** Arguments of `new twilio.OriginationUrl(name, args, opts)`; each property's TSDoc is on {@link OriginationUrlInputs}. */
export type OriginationUrlArgs = Omit<Inputify<OriginationUrlInputs>, "importId">;

/** What the provider stores for a `twilio.OriginationUrl`: every property as Twilio last reported it. */
export interface OriginationUrlOutputs {
  trunkSid: string | null;
  sipUrl: string | null;
  friendlyName: string | null;
  weight: number | null;
  priority: number | null;
  enabled: boolean | null;
  /** Read-only: the origination URL's SID (`OU…`, also its id). */
  sid: string;
  accountSid: string | null;
  dateCreated: string | null;
  dateUpdated: string | null;
  url: string | null;
  importId?: string | null;
  onImportMismatch?: "fail" | "update" | null;
}
