/**
 * The reliability suite's Pulumi program. Data-driven by three stack config objects, each keyed by
 * resource name (any of them may be absent):
 *   - `didwwTrunks`: name → didww.OutboundTrunkArgs
 *   - `twilioTrunks`: name → twilio.TrunkArgs
 *   - `bolnaTrunks`: name → bolna.SipTrunkArgs without `authPassword`; the password of a trunk
 *     comes from the secret config `bolnaPasswords` (name → password) when it has one
 * It exports, per resource, the id, name and — for DIDWW — the (secret) SIP credentials.
 */
import * as pulumi from "@pulumi/pulumi";
import { bolna, didww, twilio } from "pulumi-sip-trunks";

const config = new pulumi.Config();
const didwwSpecs = config.getObject<Record<string, didww.OutboundTrunkArgs>>("didwwTrunks") ?? {};
const twilioSpecs = config.getObject<Record<string, twilio.TrunkArgs>>("twilioTrunks") ?? {};
const bolnaSpecs = config.getObject<Record<string, Omit<bolna.SipTrunkArgs, "authPassword">>>("bolnaTrunks") ?? {};
const bolnaPasswords = config.getSecretObject<Record<string, string>>("bolnaPasswords");

const didwwOut: Record<string, Record<string, pulumi.Output<unknown>>> = {};
for (const [name, args] of Object.entries(didwwSpecs)) {
  const t = new didww.OutboundTrunk(name, args);
  didwwOut[name] = { id: t.id, name: t.name, username: t.username, password: t.password };
}

const twilioOut: Record<string, Record<string, pulumi.Output<unknown>>> = {};
for (const [name, args] of Object.entries(twilioSpecs)) {
  const t = new twilio.Trunk(name, args);
  twilioOut[name] = { id: t.id, friendlyName: t.friendlyName };
}

const bolnaOut: Record<string, Record<string, pulumi.Output<unknown>>> = {};
for (const [name, args] of Object.entries(bolnaSpecs)) {
  const password = bolnaPasswords?.apply((p) => p[name]);
  const t = new bolna.SipTrunk(name, { ...args, ...(password ? { authPassword: password } : {}) });
  bolnaOut[name] = { id: t.id, name: t.name };
}

export const didwwTrunks = didwwOut;
export const twilioTrunks = twilioOut;
export const bolnaTrunks = bolnaOut;
