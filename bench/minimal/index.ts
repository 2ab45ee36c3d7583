/**
 * bench/cli.ts's baseline: the smallest dynamic provider that makes the same DIDWW calls as
 * didww.OutboundTrunk (one POST, PATCH, GET or DELETE per operation, same JSON:API body), with no
 * validation, retries or pacing. Its `__provider` is written by Pulumi's closure serializer, as for
 * any hand-written dynamic provider. URL and key come from BENCH_MIN_URL / BENCH_MIN_KEY, the trunks from trunks.json beside it.
 */
import * as fs from "node:fs";
import * as pulumi from "@pulumi/pulumi";

type Args = Record<string, any>;
const FIELDS = ["name", "onCliMismatchAction", "authenticationMethod", "capacityLimit", "thresholdAmount", "dstPrefixes", "didIds", "emergencyDidIds"];
const snake = (o: Args): Args => Object.fromEntries(Object.entries(o).map(([k, v]) => [k.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`), v]));
const rel = (ids: string[] | undefined) => ({ data: (ids ?? []).map((id) => ({ type: "dids", id })) });

function body(a: Args, id?: string): Args {
  const picked: Args = Object.fromEntries(FIELDS.filter((k) => a[k] !== undefined).map((k) => [k, a[k]]));
  const { didIds, emergencyDidIds, authenticationMethod, ...rest } = picked;
  const { type, ...auth } = authenticationMethod ?? {};
  const attributes = { ...snake(rest), ...(type ? { authentication_method: { type, attributes: snake(auth) } } : {}) };
  return { data: { type: "voice_out_trunks", ...(id ? { id } : {}), attributes, relationships: { dids: rel(didIds), emergency_dids: rel(emergencyDidIds) } } };
}

async function call(method: string, path: string, payload?: Args): Promise<any> {
  const headers = { "Api-Key": process.env.BENCH_MIN_KEY ?? "", Accept: "application/vnd.api+json", "Content-Type": "application/vnd.api+json", "X-DIDWW-API-Version": "2026-04-16" };
  const res = await fetch(`${process.env.BENCH_MIN_URL}/voice_out_trunks${path}`, { method, headers, body: payload && JSON.stringify(payload) });
  const text = await res.text();
  if (!res.ok && !(method === "DELETE" && res.status === 404)) throw new Error(`${method} ${path}: ${res.status} ${text}`);
  return text ? JSON.parse(text) : undefined;
}

const provider: pulumi.dynamic.ResourceProvider = {
  async create(inputs: Args) {
    const doc = await call("POST", "?include=dids,emergency_dids", body(inputs));
    return { id: doc.data.id, outs: { ...inputs, status: doc.data.attributes.status } };
  },
  async diff(_id: string, olds: Args, news: Args) {
    return { changes: FIELDS.some((k) => JSON.stringify(olds[k]) !== JSON.stringify(news[k])) };
  },
  async update(id: string, _olds: Args, news: Args) {
    const doc = await call("PATCH", `/${id}?include=dids,emergency_dids`, body(news, id));
    return { outs: { ...news, status: doc.data.attributes.status } };
  },
  async read(id: string, props: Args) {
    const doc = await call("GET", `/${id}?include=dids,emergency_dids`);
    return { id, props: { ...props, name: doc.data.attributes.name, capacityLimit: doc.data.attributes.capacity_limit, status: doc.data.attributes.status } };
  },
  async delete(id: string) {
    await call("DELETE", `/${id}`);
  },
};

class MinimalTrunk extends pulumi.dynamic.Resource {
  constructor(name: string, args: Args, opts?: pulumi.CustomResourceOptions) {
    super(provider, name, { ...args, status: undefined }, opts, "minimal", "OutboundTrunk");
  }
}

const specs: Record<string, Args> = fs.existsSync("trunks.json") ? JSON.parse(fs.readFileSync("trunks.json", "utf8")) : {};
for (const [name, args] of Object.entries(specs)) new MinimalTrunk(name, args);
