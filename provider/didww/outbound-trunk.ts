/**
 * `didww.OutboundTrunk`: a DIDWW API v3 outbound trunk (`/v3/voice_out_trunks`, API version 2026-04-16).
 *
 * In the order every resource module of this package follows: types, provider object,
 * resource class. The logic lives in pure modules beside this one (fields, schema, mapping)
 * and the I/O in crud.ts and client.ts.
 *
 * @example
 * const trunk = new didww.OutboundTrunk("pbx", {
 *   name: "PBX outbound",
 *   onCliMismatchAction: "reject_call",
 *   authenticationMethod: { type: "credentials_and_ip", allowedSipIps: ["203.0.113.10"] },
 *   didIds: [did.id],
 * });
 * export const sipUser = trunk.username; // a secret output
 */
import * as pulumi from "@pulumi/pulumi";
import { announce, QuietCustomResource, registration, type AdoptableOptions, type ResourceClassSpec } from "../common/resource";
import { makeProvider, shimSource } from "../shim";
import { catalogEntry, type CatalogEntry } from "../catalog";
import { TRUNK_FIELDS } from "./fields";
import { APPLIED_INPUTS_KEY } from "./mapping";
import type { AuthenticationMethodOutput, DefaultDstAction, MediaEncryptionMode, OnCliMismatchAction, OutboundTrunkArgs, TrunkStatus } from "./types";

export type { AuthenticationMethodInput, AuthenticationMethodOutput, CredentialsAndIpAuth, OutboundTrunkArgs, OutboundTrunkInputs, OutboundTrunkOutputs, TwilioAuth } from "./types";

/**
 * The dynamic provider behind {@link OutboundTrunk}, exported so tests and tools can drive it
 * directly (`await outboundTrunkProvider.create(inputs)`), exactly as the engine does.
 */
export const outboundTrunkProvider: pulumi.dynamic.ResourceProvider = makeProvider("didww:OutboundTrunk");

/** The resource's type token: what `pulumi state` commands and stack exports call it. */
export const OUTBOUND_TRUNK_TYPE = "pulumi-nodejs:dynamic/didww:OutboundTrunk";

const CATALOG_ENTRY = catalogEntry("didww:OutboundTrunk") as CatalogEntry;
/** Outputs the engine must store encrypted (the SIP credentials). */
export const SECRET_OUTPUTS = CATALOG_ENTRY.secretOutputs.filter((k) => k !== APPLIED_INPUTS_KEY);

const CLASS_SPEC: ResourceClassSpec = {
  type: OUTBOUND_TRUNK_TYPE,
  shim: shimSource("didww:OutboundTrunk"),
  keys: [...TRUNK_FIELDS.map((f) => f.input), "authenticationMethod", ...Object.keys(CATALOG_ENTRY.outputs), APPLIED_INPUTS_KEY],
  // The snapshot of applied inputs is stored encrypted as well: an input the program marked
  // secret would otherwise sit in plain text inside it (the engine re-marks only same-named outputs).
  secretOutputs: CATALOG_ENTRY.secretOutputs,
  credentialConfig: ["didww:apiKey"],
  vendor: "DIDWW",
  noun: "trunk",
  canonicalId: (id) => id.toLowerCase(),
};

/** `import`: adopt an existing trunk by id (see {@link AdoptableOptions}). */
export type OutboundTrunkOptions = AdoptableOptions;

export class OutboundTrunk extends QuietCustomResource {
  declare readonly name: pulumi.Output<string>;
  declare readonly externalReferenceId: pulumi.Output<string | null>;
  declare readonly status: pulumi.Output<TrunkStatus>;
  declare readonly capacityLimit: pulumi.Output<number | null>;
  declare readonly thresholdAmount: pulumi.Output<string | null>;
  declare readonly allowAnyDidAsCli: pulumi.Output<boolean>;
  declare readonly onCliMismatchAction: pulumi.Output<OnCliMismatchAction>;
  declare readonly defaultDstAction: pulumi.Output<DefaultDstAction>;
  declare readonly dstPrefixes: pulumi.Output<string[]>;
  declare readonly mediaEncryptionMode: pulumi.Output<MediaEncryptionMode>;
  declare readonly allowedRtpIps: pulumi.Output<string[] | null>;
  declare readonly forceSymmetricRtp: pulumi.Output<boolean>;
  declare readonly rtpPing: pulumi.Output<boolean>;
  declare readonly rtpTimeout: pulumi.Output<number | null>;
  declare readonly callbackUrl: pulumi.Output<string | null>;
  declare readonly emergencyEnableAll: pulumi.Output<boolean>;
  declare readonly didIds: pulumi.Output<string[]>;
  declare readonly emergencyDidIds: pulumi.Output<string[]>;
  declare readonly authenticationMethod: pulumi.Output<AuthenticationMethodOutput>;
  /** The 24-hour threshold was reached (read-only). */
  declare readonly thresholdReached: pulumi.Output<boolean>;
  declare readonly createdAt: pulumi.Output<string | null>;
  declare readonly spentAmount: pulumi.Output<string | null>;
  /** SIP digest username (credentials_and_ip); secret. */
  declare readonly username: pulumi.Output<string | null>;
  /** SIP digest password (credentials_and_ip); secret. */
  declare readonly password: pulumi.Output<string | null>;

  constructor(name: string, args: OutboundTrunkArgs, opts: OutboundTrunkOptions = {}) {
    const r = registration(CLASS_SPEC, args, opts);
    super(OUTBOUND_TRUNK_TYPE, name, r.props, r.opts);
    announce(CLASS_SPEC, this, r.importId);
  }

  /** A read-only view of an existing trunk, refreshed from DIDWW on every run. */
  static get(name: string, id: pulumi.Input<pulumi.ID>, opts: pulumi.CustomResourceOptions = {}): OutboundTrunk {
    return new OutboundTrunk(name, undefined as unknown as OutboundTrunkArgs, { ...opts, id });
  }
}
