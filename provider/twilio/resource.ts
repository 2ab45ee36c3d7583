/**
 * What every Twilio resource class shares: its registration spec, and what runs after `super()`
 * (the program-side announcements, and the SID and account outputs a preview can know).
 */
import type * as pulumi from "@pulumi/pulumi";
import { APPLIED_INPUTS_KEY } from "../common/diff";
import { announce, idOutput, knownFromConfig, type ResourceClassSpec } from "../common/resource";
import { shimSource } from "../shim";

/** The registration spec of `twilio.<resource>`: every key registered, the applied-inputs snapshot stored encrypted. */
export function twilioClassSpec(resource: string, noun: string, keys: readonly string[], secretOutputs: readonly string[] = []): ResourceClassSpec {
  return {
    type: `pulumi-nodejs:dynamic/twilio:${resource}`,
    shim: shimSource(`twilio:${resource}`),
    keys: [...keys, "sid", "accountSid", APPLIED_INPUTS_KEY],
    secretOutputs: [...new Set([...secretOutputs, APPLIED_INPUTS_KEY])],
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
