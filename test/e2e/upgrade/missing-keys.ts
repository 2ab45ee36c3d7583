/**
 * The second upgrade state, `state-missing-keys.json`: `state.json` as a version older than the
 * first would have written it, one that did not record `rtpPing`, `status` and `rtpTimeout` in a
 * trunk's outputs (say, a version from before DIDWW documented `rtp_ping`). Derived from
 * `state.json` by deleting those keys from the trunks' outputs, where their value is DIDWW's
 * documented default; nothing else differs (the secrets, the `__provider` shims and the URNs are
 * the first version's). See README.md in this directory.
 *
 * Run once to write the file (the upgrade test checks that the checked-in file is exactly this
 * derivation of `state.json`):
 *
 *   node -r ts-node/register/transpile-only test/e2e/upgrade/missing-keys.ts
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { UPGRADE_FILES } from "./fixture";

/** A resource of a `pulumi stack export`, as far as the derivation needs it. */
interface ExportedResource {
  urn: string;
  type: string;
  outputs?: Record<string, unknown>;
}
interface Exported {
  deployment: { resources?: ExportedResource[] };
}

const TRUNK_TYPE = "pulumi-nodejs:dynamic/didww:OutboundTrunk";

/**
 * Output keys removed, per trunk (resource name), with the value each has in `state.json`, which is
 * DIDWW's documented default (README input table): `rtpPing` false, `status` "active",
 * `rtpTimeout` 30. The `twilio` trunk keeps `rtpTimeout` (60, its program sets it).
 */
export const REMOVED_OUTPUTS: Readonly<Record<string, Readonly<Record<string, unknown>>>> = {
  pbx: { rtpPing: false, status: "active", rtpTimeout: 30 },
  twilio: { rtpPing: false, status: "active" },
};

const nameOf = (urn: string): string => urn.slice(urn.lastIndexOf("::") + 2);

/** `state` (a parsed `state.json`) without the keys of {@link REMOVED_OUTPUTS}; throws if one is not there with its default. */
export function withoutKeys<T extends Exported>(state: T): T {
  const copy = structuredClone(state);
  const seen = new Set<string>();
  for (const r of copy.deployment.resources ?? []) {
    if (r.type !== TRUNK_TYPE) continue;
    const name = nameOf(r.urn);
    const removed = REMOVED_OUTPUTS[name];
    if (!removed) continue;
    seen.add(name);
    for (const [key, value] of Object.entries(removed)) {
      if (JSON.stringify(r.outputs?.[key]) !== JSON.stringify(value)) {
        throw new Error(`${name}.outputs.${key} is ${JSON.stringify(r.outputs?.[key])} in the source state, expected ${JSON.stringify(value)}`);
      }
      delete r.outputs![key];
    }
  }
  const missing = Object.keys(REMOVED_OUTPUTS).filter((n) => !seen.has(n));
  if (missing.length) throw new Error(`no trunk named ${missing.join(", ")} in the source state`);
  return copy;
}

/** The derivation's text: the `pulumi stack export` layout (4 spaces, final newline) that `state.json` has. */
export function deriveText(stateJsonText: string): string {
  return `${JSON.stringify(withoutKeys(JSON.parse(stateJsonText) as Exported), null, 4)}\n`;
}

if (require.main === module) {
  const source = path.join(__dirname, UPGRADE_FILES.state);
  const target = path.join(__dirname, UPGRADE_FILES.stateMissingKeys);
  fs.writeFileSync(target, deriveText(fs.readFileSync(source, "utf8")));
  console.log(`wrote ${target}`);
}
