/**
 * The end-to-end suite's Bolna program: one `bolna.SipTrunk` from the stack config `bolna`
 * (`{ args, import? }`), its password from the secret config `trunkPassword`, and the seed's
 * list call as a lookup.
 */
import * as pulumi from "@pulumi/pulumi";
import { bolna } from "pulumi-sip-trunks";

const config = new pulumi.Config();
const spec = config.requireObject<{ args: Omit<bolna.SipTrunkArgs, "authPassword">; import?: string }>("bolna");
const password = config.getSecret("trunkPassword");

const trunk = new bolna.SipTrunk("trunk", { ...spec.args, ...(password ? { authPassword: password } : {}) }, spec.import ? { import: spec.import } : {});

export const trunkId = trunk.id;
export const numbers = trunk.phoneNumbers;
export const activeTrunks = pulumi.output(bolna.getSipTrunks({ isActive: true })).apply((ts) => ts.length);
