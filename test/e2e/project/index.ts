/**
 * The end-to-end suite's Pulumi program. Data-driven: the stack config `trunks` is a JSON object
 * keyed by resource name, each entry `{ args?, import?, get? }`:
 *   - `args` (+ optional `import`: a trunk id to adopt) → `new didww.OutboundTrunk(name, args, { import })`
 *   - `get` (a trunk id) → `didww.OutboundTrunk.get(name, id)`, a read-only view
 * It exports, per resource, the id, status, authentication type and the (secret) SIP credentials.
 */
import * as pulumi from "@pulumi/pulumi";
import { didww } from "pulumi-sip-trunks";

interface TrunkSpec {
  args?: didww.OutboundTrunkArgs;
  import?: string;
  get?: string;
}

const config = new pulumi.Config();
const specs = config.getObject<Record<string, TrunkSpec>>("trunks") ?? {};

const out: Record<string, Record<string, pulumi.Output<unknown>>> = {};
for (const [name, spec] of Object.entries(specs)) {
  let trunk: didww.OutboundTrunk;
  if (spec.get !== undefined) {
    trunk = didww.OutboundTrunk.get(name, spec.get);
  } else {
    if (!spec.args) throw new Error(`trunks.${name}: needs "args" or "get"`);
    trunk = new didww.OutboundTrunk(name, spec.args, spec.import !== undefined ? { import: spec.import } : {});
  }
  out[name] = {
    id: trunk.id,
    name: trunk.name,
    status: trunk.status,
    authType: trunk.authenticationMethod.apply((a) => a?.type ?? null),
    capacityLimit: trunk.capacityLimit,
    username: trunk.username,
    password: trunk.password,
  };
}

export const trunks = out;
