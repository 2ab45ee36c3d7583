/**
 * `bolna.SipTrunk`: a Bolna SIP trunk of the legacy API (`/sip-trunks/trunks`, Beta, enterprise
 * access) with its gateways, IP identifiers and phone numbers, for bringing your own carrier to
 * Bolna's voice agents.
 *
 * The password is secret and write-only: the class marks it secret, Bolna never returns it, and
 * the provider keeps only a salted hash of it, so a changed password is sent (one PATCH) while a
 * change made outside Pulumi is never reported.
 *
 * In the order every resource module of this package follows: types, provider object, resource class.
 *
 * @example
 * const trunk = new bolna.SipTrunk("zadarma", {
 *   name: "Zadarma Production",
 *   provider: "zadarma",
 *   authType: "userpass",
 *   authUsername: "12345",
 *   authPassword: config.requireSecret("zadarmaSipPassword"),
 *   gateways: [{ gatewayAddress: "sip.zadarma.com" }],
 *   inboundEnabled: true,
 *   phoneNumbers: [{ phoneNumber: "+919876543210", name: "Support" }],
 * });
 */
import * as pulumi from "@pulumi/pulumi";
import { APPLIED_INPUTS_KEY } from "../common/diff";
import { announce, QuietCustomResource, registration, type AdoptableOptions, type ResourceClassSpec } from "../common/resource";
import { catalogEntry, type CatalogEntry } from "../catalog";
import { makeProvider, shimSource } from "../shim";
import { SIP_TRUNK_INPUT_FIELDS } from "./sip-trunk-fields";
import type {
  BolnaAuthType,
  BolnaMediaEncryption,
  BolnaTransport,
  GatewayOutput,
  IpIdentifier,
  PhoneNumberOutput,
  SipTrunkArgs,
} from "./sip-trunk-types";

export type {
  BolnaAuthType,
  BolnaMediaEncryption,
  BolnaTransport,
  Gateway,
  GatewayOutput,
  IpIdentifier,
  PhoneNumber,
  PhoneNumberOutput,
  SipTrunkArgs,
  SipTrunkInputs,
  SipTrunkOutputs,
} from "./sip-trunk-types";

/** The dynamic provider behind {@link SipTrunk}, exported so tests and tools can drive it as the engine does. */
export const sipTrunkProvider: pulumi.dynamic.ResourceProvider = makeProvider("bolna:SipTrunk");

const CATALOG_ENTRY = catalogEntry("bolna:SipTrunk") as CatalogEntry;

/** Outputs the engine stores encrypted: the password's hash and the applied inputs (which hold it). */
export const SIP_TRUNK_SECRET_OUTPUTS = CATALOG_ENTRY.secretOutputs;

const CLASS_SPEC: ResourceClassSpec = {
  type: "pulumi-nodejs:dynamic/bolna:SipTrunk",
  shim: shimSource("bolna:SipTrunk"),
  keys: [...SIP_TRUNK_INPUT_FIELDS.map((f) => f.input), "phoneNumbers", ...Object.keys(CATALOG_ENTRY.outputs), APPLIED_INPUTS_KEY],
  secretOutputs: SIP_TRUNK_SECRET_OUTPUTS,
  credentialConfig: ["bolna:apiKey"],
  vendor: "Bolna",
  noun: "SIP trunk",
};

/** The resource's type token, as `pulumi state` commands and stack exports call it. */
export const SIP_TRUNK_TYPE = CLASS_SPEC.type;

/** `import`: adopt an existing trunk by its id. */
export type SipTrunkOptions = AdoptableOptions;

export class SipTrunk extends QuietCustomResource {
  declare readonly name: pulumi.Output<string>;
  declare readonly provider: pulumi.Output<string>;
  declare readonly description: pulumi.Output<string | null>;
  declare readonly authType: pulumi.Output<BolnaAuthType>;
  /** Null for ip-based trunks. */
  declare readonly authUsername: pulumi.Output<string | null>;
  /** As Bolna lists them; the priorities, not the order, say which is tried first. */
  declare readonly gateways: pulumi.Output<GatewayOutput[]>;
  declare readonly ipIdentifiers: pulumi.Output<IpIdentifier[]>;
  declare readonly allow: pulumi.Output<string>;
  declare readonly disallow: pulumi.Output<string>;
  declare readonly transport: pulumi.Output<BolnaTransport>;
  declare readonly mediaEncryption: pulumi.Output<BolnaMediaEncryption | undefined>;
  declare readonly mediaEncryptionOptimistic: pulumi.Output<boolean | undefined>;
  declare readonly directMedia: pulumi.Output<boolean>;
  declare readonly rtpSymmetric: pulumi.Output<boolean>;
  declare readonly forceRport: pulumi.Output<boolean>;
  declare readonly iceSupport: pulumi.Output<boolean | undefined>;
  declare readonly qualifyFrequency: pulumi.Output<number>;
  declare readonly inboundEnabled: pulumi.Output<boolean>;
  declare readonly outboundLeadingPlusEnabled: pulumi.Output<boolean>;
  declare readonly isActive: pulumi.Output<boolean>;
  /** Sorted by number; each with its id (`phone_number_id`, what Bolna's `/inbound/setup` maps an agent to). */
  declare readonly phoneNumbers: pulumi.Output<PhoneNumberOutput[]>;
  /** A salted hash of the password last sent (never the password); null when none was sent. Secret. */
  declare readonly authPasswordHash: pulumi.Output<string | null>;
  declare readonly createdAt: pulumi.Output<string | null>;
  declare readonly updatedAt: pulumi.Output<string | null>;

  constructor(name: string, args: SipTrunkArgs, opts: SipTrunkOptions = {}) {
    const authPassword = args?.authPassword === undefined ? undefined : pulumi.secret(args.authPassword);
    const r = registration(CLASS_SPEC, { ...args, authPassword }, opts);
    super(SIP_TRUNK_TYPE, name, r.props, r.opts);
    announce(CLASS_SPEC, this, r.importId);
  }

  /** A read-only view of an existing trunk, refreshed from Bolna on every run. */
  static get(name: string, id: pulumi.Input<pulumi.ID>, opts: pulumi.CustomResourceOptions = {}): SipTrunk {
    return new SipTrunk(name, {} as SipTrunkArgs, { ...opts, id });
  }
}
