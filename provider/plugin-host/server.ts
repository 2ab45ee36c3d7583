/**
 * The provider plugin `pulumi-resource-siptrunks`: a gRPC server on the engine's provider
 * protocol that serves every resource of the package through the same runtime as the dynamic
 * resources (`invoke(resource, method, args)`), so no vendor logic exists twice.
 *
 * What the plugin adds over the dynamic provider host, because the protocol allows it:
 * - `Read` answers `inputs` for an id alone, so `pulumi import` and the `import` option work;
 * - `Diff` answers a detailed diff (each property, update or replace), so a preview shows
 *   `~ status: "blocked" => "active"` rather than old outputs against new inputs;
 * - `Configure` takes the configuration of one provider instance, so a program holds several
 *   accounts of one vendor (the engine starts one plugin process per provider instance);
 * - previews of a create or an update answer the outputs they know (an id, a SID), not nothing.
 *
 * It loads neither `@pulumi/pulumi`'s SDK nor a vendor module until a resource needs it: only
 * the generated protocol classes and gRPC, so it starts in a fraction of a second.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { catalogEntry, SETTINGS, type CatalogEntry } from "../catalog";
import { setStackConfig } from "../common/config";
import { isUnknown } from "../common/unknown";
import { setNoticeSink } from "../common/notice";
import type { CheckResult, DiffResult } from "../common/runtime";
import { invoke } from "../dynamic";
import type { PackageSchema, PropertySpec } from "./schema";
import { plainJson, unwrap, wrap, type Props } from "./wire";

/* eslint-disable @typescript-eslint/no-explicit-any -- the generated protocol classes ship no usable types here */
const pulumiDir = path.dirname(require.resolve("@pulumi/pulumi/package.json"));
const fromPulumi = (id: string): any => require(require.resolve(id, { paths: [pulumiDir] }));
const grpc = fromPulumi("@grpc/grpc-js");
const structpb = fromPulumi("google-protobuf/google/protobuf/struct_pb");
const emptypb = fromPulumi("google-protobuf/google/protobuf/empty_pb");
const anypb = fromPulumi("google-protobuf/google/protobuf/any_pb");
const provrpc = require(path.join(pulumiDir, "proto", "provider_grpc_pb.js"));
const provpb = require(path.join(pulumiDir, "proto", "provider_pb.js"));
const pluginpb = require(path.join(pulumiDir, "proto", "plugin_pb.js"));
const statuspb = require(path.join(pulumiDir, "proto", "status_pb.js"));

/** The package root (this file is dist/provider/plugin-host/server.js). */
const PACKAGE_ROOT = path.resolve(__dirname, "..", "..", "..");
export const SCHEMA_FILE = path.join(PACKAGE_ROOT, "plugin", "schema.json");

const DIFF_NONE = 1;
const DIFF_SOME = 2;
const KIND_UPDATE = 4;
const KIND_UPDATE_REPLACE = 5;

/** Outputs a preview of an update can keep: set once at create, never changed by an update. */
const STABLE_OUTPUTS = new Set(["sid", "accountSid", "url", "createdAt", "dateCreated"]);

/**
 * A message in plugin mode's words: the runtime names dynamic mode's config keys
 * (`didww:apiKey`), the plugin's are `siptrunks:didwwApiKey`.
 */
export function pluginWording(message: string): string {
  let out = message;
  for (const s of SETTINGS) out = out.replace(new RegExp(`(?<![\\w:])${s.key.replace(":", "\\:")}(?![\\w])`, "g"), `siptrunks:${s.plugin}`);
  return out;
}

const toJs = (s: any): Props => (s ? (s.toJavaScript() as Props) : {});
const toStruct = (props: Props): any => structpb.Struct.fromJavaScript(plainJson(props));

/** An error the engine shows as is (its message is already short and names the input). */
interface ServedError extends Error {
  id?: string;
  properties?: Props;
  reasons?: string[];
  code?: number;
}

function grpcError(err: unknown): ServedError {
  const e = (err instanceof Error ? err : new Error(String(err))) as ServedError;
  const message = pluginWording(e.message);
  const metadata = new grpc.Metadata();
  if (e.id) {
    // Created (or changed) but not finished: the engine records the id and these outputs.
    const detail = new provpb.ErrorResourceInitFailed();
    detail.setId(e.id);
    detail.setProperties(toStruct(e.properties ?? {}));
    detail.setReasonsList((e.reasons ?? [e.message]).map(pluginWording));
    const any = new anypb.Any();
    any.pack(detail.serializeBinary(), "pulumirpc.ErrorResourceInitFailed");
    const status = new statuspb.Status();
    status.setCode(grpc.status.UNKNOWN);
    status.setMessage(message);
    status.addDetails(any);
    metadata.add("grpc-status-details-bin", Buffer.from(status.serializeBinary()));
  }
  return Object.assign(new Error(message), { code: e.code ?? grpc.status.UNKNOWN, details: message, metadata });
}

const unimplemented = (name: string) => (_call: unknown, callback: (err: unknown) => void) =>
  callback({ code: grpc.status.UNIMPLEMENTED, details: `${name} is not implemented by the siptrunks provider` });

/** One served method: errors become gRPC errors the engine shows. */
function handler<Req>(fn: (req: Req) => Promise<unknown>) {
  return (call: { request: Req }, callback: (err: unknown, res?: unknown) => void) => {
    fn(call.request).then(
      (res) => callback(null, res),
      (err) => callback(grpcError(err)),
    );
  };
}

export interface PluginOptions {
  version: string;
  /** Where notices go (the engine's log); default stderr. */
  notice?: (message: string) => void;
}

export class SipTrunksPlugin {
  private schemaText?: string;
  private schemaObject?: PackageSchema;
  /** Per type token: its top-level inputs the schema calls secret (fixed for the plugin's life). */
  private readonly schemaSecrets = new Map<string, string[]>();
  private cancelled = false;

  constructor(private readonly opts: PluginOptions) {
    const sink = opts.notice ?? ((m: string) => process.stderr.write(`${m}\n`));
    setNoticeSink((m) => sink(pluginWording(m)));
    // Until Configure, settings come from the environment only.
    setStackConfig(undefined);
  }

  schema(): string {
    if (this.schemaText === undefined) this.schemaText = fs.readFileSync(SCHEMA_FILE, "utf8");
    return this.schemaText;
  }

  private parsedSchema(): PackageSchema {
    if (!this.schemaObject) this.schemaObject = JSON.parse(this.schema()) as PackageSchema;
    return this.schemaObject;
  }

  private entry(type: string): CatalogEntry {
    const entry = type.startsWith("siptrunks:") ? catalogEntry(type) : undefined;
    if (!entry) throw new Error(`siptrunks: this version of pulumi-sip-trunks does not serve resource type ${type}; install a version that does`);
    return entry;
  }

  /** Everything that must go back to the engine encrypted, for a resource and the inputs it came with. */
  private secretKeys(entry: CatalogEntry, inputSecrets: Iterable<string> = []): Set<string> {
    let fromSchema = this.schemaSecrets.get(entry.token);
    if (!fromSchema) this.schemaSecrets.set(entry.token, (fromSchema = secretInputs(this.parsedSchema(), entry.token)));
    return new Set([...inputSecrets, ...fromSchema, ...entry.secretOutputs]);
  }

  private guard(): void {
    if (this.cancelled) throw new Error("siptrunks: the operation was cancelled");
  }

  /** The plugin's configuration: the provider's inputs, keyed as the schema says (`didwwApiKey`, …). */
  configure(config: Props): void {
    const plain = unwrap(config).plain;
    const byPluginKey = new Map(SETTINGS.map((s) => [s.plugin, s.key]));
    const values = new Map<string, string>();
    for (const [k, v] of Object.entries(plain)) {
      const name = k.split(":").pop() as string; // variables arrive as `siptrunks:config:<name>`
      const key = byPluginKey.get(name);
      if (key && v !== undefined && v !== null && v !== "") values.set(key, typeof v === "string" ? v : JSON.stringify(v));
    }
    setStackConfig((key) => values.get(key));
  }

  /** The provider's own inputs checked: unknown keys refused, numbers numeric. */
  checkConfig(news: Props): { inputs: Props; failures: { property: string; reason: string }[] } {
    const failures: { property: string; reason: string }[] = [];
    const known = new Map(SETTINGS.map((s) => [s.plugin, s]));
    const plain = unwrap(news).plain;
    for (const [k, v] of Object.entries(plain)) {
      if (k === "version" || k.startsWith("__")) continue;
      const spec = known.get(k);
      if (!spec) {
        failures.push({ property: k, reason: `siptrunks:${k} is not a setting of this provider; the settings are ${SETTINGS.map((s) => s.plugin).join(", ")}` });
        continue;
      }
      if (spec.type === "number" && v !== null && v !== undefined && !isUnknown(v) && !(Number(v) > 0)) {
        failures.push({ property: k, reason: `siptrunks:${k} must be a positive number` });
      }
    }
    return { inputs: news, failures };
  }

  async check(type: string, olds: Props, news: Props): Promise<{ inputs: Props; failures: { property: string; reason: string }[] }> {
    this.guard();
    const entry = this.entry(type);
    const n = unwrap(news);
    const result = (await invoke(entry.runtime, "check", [unwrap(olds).plain, n.plain], 2)) as CheckResult<Props>;
    const failures = result.failures.map((f) => ({ property: f.property, reason: pluginWording(f.reason) }));
    return { inputs: wrap(result.inputs, this.secretKeys(entry, n.secretKeys)), failures };
  }

  async diff(type: string, id: string, olds: Props, news: Props): Promise<DiffResult> {
    this.guard();
    const entry = this.entry(type);
    return (await invoke(entry.runtime, "diff", [id, unwrap(olds).plain, unwrap(news).plain], 2)) as DiffResult;
  }

  async create(type: string, news: Props, preview: boolean): Promise<{ id: string; properties: Props }> {
    this.guard();
    const entry = this.entry(type);
    const n = unwrap(news);
    if (preview) return { id: "", properties: wrap(n.plain, this.secretKeys(entry, n.secretKeys)) };
    try {
      const { id, outs } = (await invoke(entry.runtime, "create", [n.plain], 2)) as { id: string; outs: Props };
      return { id, properties: wrap(outs, this.secretKeys(entry, n.secretKeys)) };
    } catch (err) {
      throw this.wrapPartial(err, entry, n.secretKeys);
    }
  }

  async read(type: string, id: string, props: Props, inputs: Props): Promise<{ id: string; properties: Props; inputs: Props }> {
    this.guard();
    const entry = this.entry(type);
    const p = unwrap(props);
    const i = unwrap(inputs);
    // An import (or the first read of a `get`) knows nothing but the id.
    const known = Object.keys(p.plain).length > 0;
    const result = (await invoke(entry.runtime, known ? "read" : "importRead", known ? [id, p.plain] : [id], 2)) as { id: string; props: Props; inputs: Props };
    const keys = this.secretKeys(entry, [...p.secretKeys, ...i.secretKeys]);
    return { id: result.id, properties: wrap(result.props, keys), inputs: wrap(result.inputs, keys) };
  }

  async update(type: string, id: string, olds: Props, news: Props, preview: boolean): Promise<Props> {
    this.guard();
    const entry = this.entry(type);
    const o = unwrap(olds);
    const n = unwrap(news);
    const keys = this.secretKeys(entry, [...o.secretKeys, ...n.secretKeys]);
    if (preview) {
      const kept = Object.fromEntries(Object.entries(o.plain).filter(([k]) => STABLE_OUTPUTS.has(k)));
      return wrap({ ...kept, ...n.plain }, keys);
    }
    try {
      const { outs } = (await invoke(entry.runtime, "update", [id, o.plain, n.plain], 2)) as { outs: Props };
      return wrap(outs, keys);
    } catch (err) {
      throw this.wrapPartial(err, entry, keys);
    }
  }

  async delete(type: string, id: string, props: Props): Promise<void> {
    this.guard();
    const entry = this.entry(type);
    await invoke(entry.runtime, "delete", [id, unwrap(props).plain], 2);
  }

  cancel(): void {
    this.cancelled = true;
  }

  /** A partial create or update keeps its outputs for the engine, secrets wrapped. */
  private wrapPartial(err: unknown, entry: CatalogEntry, secretKeys: Iterable<string>): unknown {
    const e = err as ServedError;
    if (e && typeof e === "object" && e.id && e.properties) {
      const { __provider: _dropped, ...props } = e.properties;
      e.properties = wrap(props, this.secretKeys(entry, secretKeys));
    }
    return err;
  }

  /** The gRPC service implementation. */
  service(): Record<string, unknown> {
    const impl: Record<string, unknown> = {};
    for (const name of Object.keys(provrpc.ResourceProviderService)) impl[name] = unimplemented(name);
    Object.assign(impl, {
      getPluginInfo: handler(async () => new pluginpb.PluginInfo().setVersion(this.opts.version)),
      getSchema: handler(async () => new provpb.GetSchemaResponse().setSchema(this.schema())),
      checkConfig: handler(async (req: any) => {
        const { inputs, failures } = this.checkConfig(toJs(req.getNews()));
        return checkResponse(inputs, failures);
      }),
      diffConfig: handler(async (req: any) => {
        // A provider's settings change in place: new credentials manage the same resources.
        const olds = unwrap(toJs(req.getOldInputs() ?? req.getOlds())).plain;
        const news = unwrap(toJs(req.getNews())).plain;
        const changed = [...new Set([...Object.keys(olds), ...Object.keys(news)])].filter((k) => JSON.stringify(olds[k]) !== JSON.stringify(news[k]));
        return new provpb.DiffResponse().setChanges(changed.length ? DIFF_SOME : DIFF_NONE).setDiffsList(changed);
      }),
      configure: handler(async (req: any) => {
        const args = req.getArgs() ? toJs(req.getArgs()) : Object.fromEntries(req.getVariablesMap().toArray() as [string, string][]);
        this.configure(args);
        return new provpb.ConfigureResponse().setAcceptsecrets(true).setSupportspreview(true).setAcceptresources(false).setAcceptoutputs(false);
      }),
      check: handler(async (req: any) => {
        const { inputs, failures } = await this.check(req.getType(), toJs(req.getOlds()), toJs(req.getNews()));
        return checkResponse(inputs, failures);
      }),
      diff: handler(async (req: any) => {
        const d = await this.diff(req.getType(), req.getId(), toJs(req.getOlds()), toJs(req.getNews()));
        const res = new provpb.DiffResponse();
        res.setChanges(d.changes ? DIFF_SOME : DIFF_NONE);
        res.setReplacesList(d.replaces);
        res.setDeletebeforereplace(d.deleteBeforeReplace);
        res.setDiffsList([...new Set(d.properties.map((p) => p.split(".")[0]))]);
        res.setHasdetaileddiff(true);
        const detailed = res.getDetaileddiffMap();
        for (const property of d.properties) {
          const replaced = d.replaces.includes(property.split(".")[0]);
          detailed.set(property, new provpb.PropertyDiff().setKind(replaced ? KIND_UPDATE_REPLACE : KIND_UPDATE).setInputdiff(false));
        }
        return res;
      }),
      create: handler(async (req: any) => {
        const r = await this.create(req.getType(), toJs(req.getProperties()), req.getPreview());
        return new provpb.CreateResponse().setId(r.id).setProperties(toStruct(r.properties));
      }),
      read: handler(async (req: any) => {
        const r = await this.read(req.getType(), req.getId(), toJs(req.getProperties()), toJs(req.getInputs()));
        return new provpb.ReadResponse().setId(r.id).setProperties(toStruct(r.properties)).setInputs(toStruct(r.inputs));
      }),
      update: handler(async (req: any) => {
        const outs = await this.update(req.getType(), req.getId(), toJs(req.getOlds()), toJs(req.getNews()), req.getPreview());
        return new provpb.UpdateResponse().setProperties(toStruct(outs));
      }),
      delete: handler(async (req: any) => {
        await this.delete(req.getType(), req.getId(), toJs(req.getProperties()));
        return new emptypb.Empty();
      }),
      cancel: handler(async () => {
        this.cancel();
        return new emptypb.Empty();
      }),
    });
    return impl;
  }
}

/** The top-level inputs of a resource that are secret or hold a secret (from the schema). */
function secretInputs(schema: PackageSchema, token: string): string[] {
  const resource = schema.resources[token];
  if (!resource) return [];
  const typeHoldsSecret = (ref: string | undefined) =>
    ref !== undefined && Object.values(schema.types[ref.replace("#/types/", "")]?.properties ?? {}).some((p) => p.secret === true);
  return Object.entries(resource.inputProperties)
    .filter(([, p]) => p.secret === true || typeHoldsSecret(p.$ref) || typeHoldsSecret((p.items as PropertySpec | undefined)?.$ref))
    .map(([k]) => k);
}

function checkResponse(inputs: Props, failures: { property: string; reason: string }[]): unknown {
  const res = new provpb.CheckResponse().setInputs(toStruct(inputs));
  res.setFailuresList(failures.map((f) => new provpb.CheckFailure().setProperty(f.property).setReason(f.reason)));
  return res;
}

/** Starts the server on a free loopback port; resolves with the port (what the plugin prints for the engine). */
export async function serve(plugin: SipTrunksPlugin): Promise<{ port: number; server: any }> {
  const server = new grpc.Server({ "grpc.max_receive_message_length": 400 * 1024 * 1024 });
  server.addService(provrpc.ResourceProviderService, plugin.service());
  const port: number = await new Promise((resolve, reject) =>
    server.bindAsync("127.0.0.1:0", grpc.ServerCredentials.createInsecure(), (err: Error | null, p: number) => (err ? reject(err) : resolve(p))),
  );
  return { port, server };
}

/** The engine's log, for notices (adoption previews and the like); stderr when there is no engine. */
export function engineLog(engineAddress: string | undefined): ((message: string) => void) | undefined {
  if (!engineAddress) return undefined;
  const enginerpc = require(path.join(pulumiDir, "proto", "engine_grpc_pb.js"));
  const enginepb = require(path.join(pulumiDir, "proto", "engine_pb.js"));
  const client = new enginerpc.EngineClient(engineAddress, grpc.credentials.createInsecure());
  return (message) => {
    const req = new enginepb.LogRequest().setSeverity(enginepb.LogSeverity.INFO).setMessage(message);
    client.log(req, (err: Error | null) => {
      if (err) process.stderr.write(`${message}\n`);
    });
  };
}
