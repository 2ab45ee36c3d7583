/**
 * `twilio.Trunk`: a Twilio Elastic SIP Trunking trunk (Trunking v1 `/v1/Trunks`), with its
 * recording settings and the numbers, credential lists and IP access control lists attached to it.
 *
 * In the order every resource module of this package follows: types, provider object, resource class.
 *
 * @example
 * const trunk = new twilio.Trunk("pbx", {
 *   friendlyName: "PBX",
 *   domainName: "pbx-example.pstn.twilio.com",
 *   recording: { mode: "record-from-answer" },
 *   credentialListSids: [creds.sid],
 * });
 */
import * as pulumi from "@pulumi/pulumi";
import { QuietCustomResource, registration, type AdoptableOptions } from "../common/resource";
import { finishTwilioResource, twilioClassSpec } from "./resource";
import { makeProvider } from "../shim";
import { ASSOCIATIONS, TRUNK_FIELDS } from "./trunk-fields";
import type { HttpMethod, RecordingSettings, TransferCallerId, TransferMode, TrunkArgs } from "./trunk-types";

export type { RecordingSettings, TrunkArgs, TrunkInputs, TrunkOutputs } from "./trunk-types";

/** The dynamic provider behind {@link Trunk}, exported so tests and tools can drive it as the engine does. */
export const trunkProvider: pulumi.dynamic.ResourceProvider = makeProvider("twilio:Trunk");

const CLASS_SPEC = twilioClassSpec("Trunk", "trunk", [...TRUNK_FIELDS.map((f) => f.input), "recording", ...ASSOCIATIONS.map((a) => a.input)]);

/** The resource's type token, as `pulumi state` commands and stack exports call it. */
export const TRUNK_TYPE = CLASS_SPEC.type;

/** `import`: adopt an existing trunk by SID (`TK…`). */
export type TrunkOptions = AdoptableOptions;

export class Trunk extends QuietCustomResource {
  declare readonly friendlyName: pulumi.Output<string | null>;
  declare readonly domainName: pulumi.Output<string | null>;
  declare readonly disasterRecoveryUrl: pulumi.Output<string | null>;
  declare readonly disasterRecoveryMethod: pulumi.Output<HttpMethod | null>;
  declare readonly transferMode: pulumi.Output<TransferMode | null>;
  declare readonly transferCallerId: pulumi.Output<TransferCallerId | null>;
  declare readonly secure: pulumi.Output<boolean | null>;
  declare readonly cnamLookupEnabled: pulumi.Output<boolean | null>;
  declare readonly recording: pulumi.Output<Required<RecordingSettings>>;
  /** Sorted SIDs; null when the program does not manage them. */
  declare readonly phoneNumberSids: pulumi.Output<string[] | null>;
  declare readonly credentialListSids: pulumi.Output<string[] | null>;
  declare readonly ipAccessControlListSids: pulumi.Output<string[] | null>;
  /** The SID, which is also the id: known in a preview of an update. */
  declare readonly sid: pulumi.Output<string>;
  /** The account (`twilio:accountSid`): known in a preview of an update. */
  declare readonly accountSid: pulumi.Output<string | null>;
  /** `IP_ACL` and/or `CREDENTIAL_LIST`, from the attached lists; "" when none. */
  declare readonly authType: pulumi.Output<string | null>;
  declare readonly authTypeSet: pulumi.Output<string[]>;
  declare readonly symmetricRtpEnabled: pulumi.Output<boolean | null>;
  declare readonly dateCreated: pulumi.Output<string | null>;
  declare readonly dateUpdated: pulumi.Output<string | null>;
  declare readonly url: pulumi.Output<string | null>;

  constructor(name: string, args: TrunkArgs = {}, opts: TrunkOptions = {}) {
    const r = registration(CLASS_SPEC, args, opts);
    super(TRUNK_TYPE, name, r.props, r.opts);
    finishTwilioResource(this, CLASS_SPEC, r.importId);
  }

  /** A read-only view of an existing trunk, refreshed from Twilio on every run. */
  static get(name: string, sid: pulumi.Input<pulumi.ID>, opts: pulumi.CustomResourceOptions = {}): Trunk {
    return new Trunk(name, {}, { ...opts, id: sid });
  }
}
