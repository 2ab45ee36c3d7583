/**
 * `twilio.OriginationUrl`: where a Twilio Elastic SIP trunk sends its inbound calls (Trunking v1
 * `/v1/Trunks/{TK}/OriginationUrls`). A trunk may have several, tried by priority (lowest first)
 * and shared by weight within a priority. Moving one to another trunk replaces it.
 *
 * In the order every resource module of this package follows: types, provider object, resource class.
 *
 * @example
 * const primary = new twilio.OriginationUrl("pbx-primary", {
 *   trunkSid: trunk.sid,
 *   friendlyName: "PBX primary",
 *   sipUrl: "sip:pbx.example.com:5060",
 *   priority: 10,
 *   weight: 10,
 * });
 */
import * as pulumi from "@pulumi/pulumi";
import { QuietCustomResource, registration, type AdoptableOptions } from "../common/resource";
import { finishTwilioResource, twilioClassSpec } from "./resource";
import { makeProvider } from "../shim";
import { ORIGINATION_URL_FIELDS } from "./origination-url-fields";
import type { OriginationUrlArgs } from "./origination-url-types";

export type { OriginationUrlArgs, OriginationUrlInputs, OriginationUrlOutputs } from "./origination-url-types";

/** The dynamic provider behind {@link OriginationUrl}, exported so tests and tools can drive it as the engine does. */
export const originationUrlProvider: pulumi.dynamic.ResourceProvider = makeProvider("twilio:OriginationUrl");

const CLASS_SPEC = twilioClassSpec("OriginationUrl", "origination URL", ORIGINATION_URL_FIELDS.map((f) => f.input));

/** The resource's type token, as `pulumi state` commands and stack exports call it. */
export const ORIGINATION_URL_TYPE = CLASS_SPEC.type;

/** `import`: adopt an existing origination URL by SID (`OU…`); `trunkSid` says which trunk it is on. */
export type OriginationUrlOptions = AdoptableOptions;

export class OriginationUrl extends QuietCustomResource {
  /** The trunk's SID (`TK…`). */
  declare readonly trunkSid: pulumi.Output<string | null>;
  declare readonly sipUrl: pulumi.Output<string | null>;
  declare readonly friendlyName: pulumi.Output<string | null>;
  declare readonly weight: pulumi.Output<number | null>;
  declare readonly priority: pulumi.Output<number | null>;
  declare readonly enabled: pulumi.Output<boolean | null>;
  /** The SID, which is also the id: known in a preview of an update. */
  declare readonly sid: pulumi.Output<string>;
  /** The account (`twilio:accountSid`): known in a preview of an update. */
  declare readonly accountSid: pulumi.Output<string | null>;
  declare readonly dateCreated: pulumi.Output<string | null>;
  declare readonly dateUpdated: pulumi.Output<string | null>;
  declare readonly url: pulumi.Output<string | null>;

  constructor(name: string, args: OriginationUrlArgs, opts: OriginationUrlOptions = {}) {
    const r = registration(CLASS_SPEC, args, opts);
    super(ORIGINATION_URL_TYPE, name, r.props, r.opts);
    finishTwilioResource(this, CLASS_SPEC, r.importId);
  }

  /**
   * A read-only view of an existing origination URL, refreshed from Twilio on every run. Twilio
   * addresses it under its trunk, so the trunk's SID is needed as well as the URL's.
   */
  static get(name: string, sid: pulumi.Input<pulumi.ID>, trunkSid: pulumi.Input<string>, opts: pulumi.CustomResourceOptions = {}): OriginationUrl {
    return new OriginationUrl(name, { trunkSid } as OriginationUrlArgs, { ...opts, id: sid });
  }
}
