/**
 * What every Twilio resource class shares: its registration spec, and what runs after `super()`
 * (the program-side announcements, and the SID and account outputs a preview can know).
 */
import type * as pulumi from "@pulumi/pulumi";
import { APPLIED_INPUTS_KEY } from "../common/diff";
import { announce, idOutput, knownFromConfig, type ResourceClassSpec } from "../common/resource";
import { catalogEntry, type CatalogEntry } from "../catalog";
import { shimSource } from "../shim";

/**
 * The registration spec of `twilio.<resource>`: its inputs and the catalog's outputs registered,
 * the catalog's secret outputs (the applied-inputs snapshot among them) stored encrypted.
 */
export function twilioClassSpec(resource: string, noun: string, inputs: readonly string[]): ResourceClassSpec {
  const entry = catalogEntry(`twilio:${resource}`) as CatalogEntry;
  return {
    type: entry.dynamicType,
    shim: shimSource(entry.runtime),
    keys: [...new Set([...inputs, ...Object.keys(entry.outputs), APPLIED_INPUTS_KEY])],
    secretOutputs: entry.secretOutputs,
    credentialConfig: ["twilio:authToken", "twilio:apiSecret"],
    vendor: "Twilio",
    noun,
  };
}

/** The identity outputs every Twilio resource has. */
interface TwilioIdentity {
  sid: pulumi.Output<string>;
  accountSid: pulumi.Output<string | null>;
}

/**
 * Runs after `super()`: the announcements (plain-text credentials, adoption), and `sid` and
 * `accountSid` taken from the id and the config, so that they are known in a preview of an
 * update (see idOutput): what is built from them does not preview as a change `up` never makes.
 */
export function finishTwilioResource(resource: pulumi.CustomResource, spec: ResourceClassSpec, importId: pulumi.ID | undefined): void {
  announce(spec, resource, importId);
  const identity = resource as unknown as TwilioIdentity;
  identity.sid = idOutput(resource);
  identity.accountSid = knownFromConfig(resource, identity.accountSid, "twilio:accountSid", "TWILIO_ACCOUNT_SID");
}
