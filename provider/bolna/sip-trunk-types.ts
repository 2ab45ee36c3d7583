/**
 * Types of `bolna.SipTrunk`: what a program passes (args, which may hold Outputs), what the
 * provider receives (plain inputs), and what it stores (outputs).
 *
 * Each input's TSDoc quotes its line, its rule and what omitting it means from the field table
 * (sip-trunk-fields.ts); a unit test (test/unit/bolna-sip-trunk.test.ts) checks that they agree.
 */
import type * as pulumi from "@pulumi/pulumi";

export type BolnaAuthType = "userpass" | "ip-based";
export type BolnaTransport = "transport-udp" | "transport-tcp" | "transport-tls";
export type BolnaMediaEncryption = "no" | "sdes";

/** One gateway: a carrier SIP host Bolna sends outbound calls to. */
export interface Gateway {
  /** Your carrier's SIP host. Rule: must be a host name or an IP address, without a scheme or a port (e.g. "sip.zadarma.com"). Required. */
  gatewayAddress: string;
  /** The SIP port of the gateway. Rule: must be an integer from 1 to 65535. Omitted: 5060. */
  port?: number;
  /** Bolna tries gateways in ascending priority. Rule: must be an integer of at least 0 (lower is tried first). Omitted: 1. */
  priority?: number;
}

/** One carrier source address (ip-based trunks). */
export interface IpIdentifier {
  /** A carrier address or block; a bare address equals its /32 (or /128). Rule: must be an IPv4/IPv6 address or CIDR. Required. */
  ipAddress: string;
}

/** One DID on the trunk. */
export interface PhoneNumber {
  /**
   * The DID, as your carrier delivers it; Bolna stores it verbatim.
   * Rule: must be a phone number of at most 15 digits, with or without a leading "+" (the two spellings are the same number). Required.
   * @example "+919876543210"
   */
  phoneNumber: string;
  /** A label for the number (Bolna cannot rename a number: a new name removes and adds it). Rule: must be a string, or null. Omitted: null. */
  name?: string | null;
}

/** Plain (resolved) inputs of `bolna.SipTrunk`, as the provider receives them. */
export interface SipTrunkInputs {
  /**
   * The trunk's name; unique per account (a lost create is found again by it).
   * Rule: must be a string with at least one non-space character, unique among the account's trunks. Required.
   */
  name: string;
  /**
   * The carrier's label; it has no effect on routing. Immutable in Bolna's API.
   * Rule: must be a string with at least one non-space character (a label such as "twilio", "plivo" or "zadarma"). Required. A change replaces the trunk.
   */
  provider: string;
  /** A note for your own reference. Rule: must be a string, or null. Omitted: null. */
  description?: string | null;
  /**
   * How the carrier knows Bolna: "userpass" (SIP credentials) or "ip-based" (source addresses). Immutable in Bolna's API.
   * Rule: must be "userpass" or "ip-based". Required. A change replaces the trunk.
   */
  authType: BolnaAuthType;
  /**
   * The SIP username the carrier issued (userpass trunks).
   * Rule: must be a non-empty string (required when authType is "userpass", omitted when "ip-based"), or null. Omitted: null.
   */
  authUsername?: string | null;
  /**
   * The SIP password: secret and write-only (Bolna never returns it). State keeps a salted hash of it, so a changed password is sent (one PATCH); a change made outside Pulumi cannot be seen and is never reported.
   * Rule: must be a non-empty string (required when authType is "userpass", omitted when "ip-based").
   * @example config.requireSecret("carrierSipPassword")
   */
  authPassword?: string | null;
  /**
   * Where Bolna sends outbound calls. Compared by priority, not list order; a change sends the whole list (Bolna replaces it).
   * Rule: must be a non-empty list of { gatewayAddress, port?, priority? } objects. Required.
   * @example [{ gatewayAddress: "sip.zadarma.com" }, { gatewayAddress: "sip2.zadarma.com", priority: 2 }]
   */
  gateways: Gateway[];
  /**
   * The carrier's source addresses (ip-based trunks). Compared as a set of CIDRs; a change sends the whole list (Bolna replaces it).
   * Rule: must be a list of { ipAddress } objects, at least one when authType is "ip-based". Omitted: [].
   */
  ipIdentifiers?: IpIdentifier[];
  /**
   * Codecs offered, in order of preference; compared as Bolna stores it: lower case, blanks and empty items dropped, order kept.
   * Rule: must be a comma-separated list of codec names with at least one name. Omitted: "ulaw,alaw".
   */
  allow?: string;
  /**
   * Codecs refused before `allow` applies; compared as Bolna stores it: lower case, blanks and empty items dropped, order kept.
   * Rule: must be a comma-separated list of codec names with at least one name. Omitted: "all".
   */
  disallow?: string;
  /** SIP signalling transport. Rule: must be one of "transport-udp", "transport-tcp", "transport-tls". Omitted: "transport-udp". */
  transport?: BolnaTransport;
  /** SRTP keyed by SDES; "sdes" needs transport "transport-tls". Rule: must be "no" or "sdes". Omitted: "no". */
  mediaEncryption?: BolnaMediaEncryption;
  /** Fall back to plain RTP when the far end cannot encrypt. Rule: must be a boolean. Omitted: false. */
  mediaEncryptionOptimistic?: boolean;
  /** RTP directly between the endpoints (typically false); not in Bolna's PATCH schema ([O]). Rule: must be a boolean. Omitted: false. A change replaces the trunk. */
  directMedia?: boolean;
  /** Symmetric RTP, for NAT; not in Bolna's PATCH schema ([O]). Rule: must be a boolean. Omitted: true. A change replaces the trunk. */
  rtpSymmetric?: boolean;
  /** Answer to the source port, for NAT; not in Bolna's PATCH schema ([O]). Rule: must be a boolean. Omitted: true. A change replaces the trunk. */
  forceRport?: boolean;
  /**
   * ICE in media negotiation; not in Bolna's OpenAPI at all ([O]; only the BYOT guide [G] creates and patches it).
   * Rule: must be a boolean. Omitted: true. A change replaces the trunk.
   */
  iceSupport?: boolean;
  /** How often Bolna pings the gateways with SIP OPTIONS. Rule: must be an integer number of seconds, 0 or more (0 disables the OPTIONS ping). Omitted: 60. */
  qualifyFrequency?: number;
  /** Whether the trunk takes inbound calls. Rule: must be a boolean. Omitted: false. */
  inboundEnabled?: boolean;
  /** Prefix "+" to the numbers Bolna dials out. Rule: must be a boolean. Omitted: true. */
  outboundLeadingPlusEnabled?: boolean;
  /**
   * Whether the trunk carries calls. Bolna's create does not take it: a new trunk is active, and false is one PATCH after the create.
   * Rule: must be a boolean. Omitted: true.
   */
  isActive?: boolean;
  /**
   * The DIDs on the trunk: a set keyed by number (with or without "+"), reconciled by add and remove calls (`/numbers`).
   * Rule: must be a list of { phoneNumber, name? } objects, each number once. Omitted: [] (no numbers).
   */
  phoneNumbers?: PhoneNumber[];
  /** Set by the resource class from the `import` option. Rule: must be the id of an existing Bolna SIP trunk (letters, digits, - and _). */
  importId?: string;
  /** With `import`: "fail" (default) stops when the live trunk differs from the arguments; "update" makes it match. Rule: must be "fail" or "update". */
  onImportMismatch?: "fail" | "update";
}

type Inputify<T> = { [K in keyof T]: pulumi.Input<T[K]> };

/** Arguments of `new bolna.SipTrunk(name, args, opts)`; each property's TSDoc is on {@link SipTrunkInputs}. */
export interface SipTrunkArgs extends Omit<Inputify<SipTrunkInputs>, "importId" | "gateways" | "ipIdentifiers" | "phoneNumbers"> {
  gateways: pulumi.Input<pulumi.Input<Inputify<Gateway>>[]>;
  ipIdentifiers?: pulumi.Input<pulumi.Input<Inputify<IpIdentifier>>[]>;
  phoneNumbers?: pulumi.Input<pulumi.Input<Inputify<PhoneNumber>>[]>;
}

/** A gateway as Bolna reports it. */
export interface GatewayOutput {
  gatewayAddress: string;
  port: number;
  priority: number;
}

/** A number on the trunk as Bolna reports it. */
export interface PhoneNumberOutput {
  /** Bolna's id of the number (`phone_number_id`: what `/inbound/setup` maps an agent to). */
  id: string;
  /** As Bolna stores it (verbatim). */
  phoneNumber: string;
  name: string | null;
}

/**
 * What the provider stores for a `bolna.SipTrunk`: every property as Bolna last reported it. A
 * property an answer leaves out (the seed's GET has no media_encryption pair) keeps the value last
 * sent or read; the trunk's id is the resource's `id`.
 */
export interface SipTrunkOutputs {
  name: string;
  provider: string;
  description: string | null;
  authType: BolnaAuthType;
  /** Null for ip-based trunks (Bolna shows a username only for userpass). */
  authUsername: string | null;
  gateways: GatewayOutput[];
  ipIdentifiers: IpIdentifier[];
  allow: string;
  disallow: string;
  transport: BolnaTransport;
  mediaEncryption?: BolnaMediaEncryption;
  mediaEncryptionOptimistic?: boolean;
  directMedia: boolean;
  rtpSymmetric: boolean;
  forceRport: boolean;
  iceSupport?: boolean;
  qualifyFrequency: number;
  inboundEnabled: boolean;
  outboundLeadingPlusEnabled: boolean;
  isActive: boolean;
  /** Sorted by number; soft-deleted numbers left out. */
  phoneNumbers: PhoneNumberOutput[];
  /** `scrypt$<salt>$<hash>` of the password last sent; null when this provider never sent one (ip-based, or not yet). */
  authPasswordHash: string | null;
  createdAt: string | null;
  updatedAt: string | null;
  importId?: string | null;
  onImportMismatch?: "fail" | "update" | null;
}
