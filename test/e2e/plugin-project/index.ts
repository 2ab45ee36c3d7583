/**
 * The plugin-mode end-to-end project. Stack config:
 *   - `trunks`: `{ <name>: { args, import?, account? } }`, DIDWW outbound trunks;
 *   - `accounts`: `{ <name>: apiUrl }`, one explicit `siptrunks.Provider` per entry, its API key
 *     in the secret config `key-<name>`; a trunk with `account` uses that provider;
 *   - `mode`: "plugin" (default) or "dynamic" (the same trunks as dynamic resources; in plugin
 *     mode each carries an alias from the dynamic type, so a stack moves without replacement, unless
 *     `noAliases` is true).
 */
import * as pulumi from "@pulumi/pulumi";
import { didww } from "pulumi-sip-trunks";
import * as siptrunks from "pulumi-sip-trunks/plugin";

interface TrunkSpec {
  args: didww.OutboundTrunkArgs;
  import?: string;
  account?: string;
}

const config = new pulumi.Config();
const specs = config.getObject<Record<string, TrunkSpec>>("trunks") ?? {};
const accounts = config.getObject<Record<string, string>>("accounts") ?? {};
const mode = config.get("mode") ?? "plugin";
const aliases = config.getBoolean("noAliases") ? [] : [{ type: "pulumi-nodejs:dynamic/didww:OutboundTrunk" }];

const providers: Record<string, siptrunks.Provider> = {};
for (const [name, apiUrl] of Object.entries(accounts)) {
  providers[name] = new siptrunks.Provider(name, { didwwApiUrl: apiUrl, didwwApiKey: config.requireSecret(`key-${name}`) });
}

const out: Record<string, Record<string, pulumi.Output<unknown>>> = {};
for (const [name, spec] of Object.entries(specs)) {
  const trunk =
    mode === "dynamic"
      ? new didww.OutboundTrunk(name, spec.args, spec.import ? { import: spec.import } : {})
      : new siptrunks.didww.OutboundTrunk(name, spec.args, {
          ...(spec.import ? { import: spec.import } : {}),
          ...(spec.account ? { provider: providers[spec.account] } : {}),
          aliases,
        });
  out[name] = { id: trunk.id, status: trunk.status, authType: trunk.authenticationMethod.apply((a) => a?.type ?? null), password: trunk.password };
}

export const trunks = out;
