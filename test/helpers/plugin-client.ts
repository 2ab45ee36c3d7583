/**
 * The engine's side of the provider protocol, for the provider plugin: spawns the shipped
 * executable `plugin/pulumi-resource-siptrunks` exactly as the engine does (it prints its port)
 * and offers one promise method per gRPC call, with plain-JSON arguments and results. Every
 * response is scanned for the strings registered with `forbid()`.
 *
 * The plugin runs the BUILT package: run `npm run build` first.
 */
import { spawn, type ChildProcessWithoutNullStreams } from "node:child_process";
import { once } from "node:events";
import * as path from "node:path";
import { REPO_ROOT, SECRET_SIG, SECRET_SIG_VALUE, type Props } from "./engine";

/* eslint-disable @typescript-eslint/no-require-imports, @typescript-eslint/no-explicit-any */
const pulumiDir = path.dirname(require.resolve("@pulumi/pulumi/package.json", { paths: [REPO_ROOT] }));
const fromPulumi = (id: string) => require(require.resolve(id, { paths: [pulumiDir] }));
const grpc = fromPulumi("@grpc/grpc-js");
const structpb = fromPulumi("google-protobuf/google/protobuf/struct_pb");
const emptypb = fromPulumi("google-protobuf/google/protobuf/empty_pb");
const providerGrpc = require(path.join(pulumiDir, "proto", "provider_grpc_pb.js"));
const providerPb = require(path.join(pulumiDir, "proto", "provider_pb.js"));
const statusPb = require(path.join(pulumiDir, "proto", "status_pb.js"));

export const PLUGIN_EXECUTABLE = path.join(REPO_ROOT, "plugin", "pulumi-resource-siptrunks");

export interface PluginDiff {
  changes: number;
  replaces: string[];
  deleteBeforeReplace: boolean;
  diffs: string[];
  hasDetailedDiff: boolean;
  detailedDiff: Record<string, { kind: number; inputDiff: boolean }>;
}

export class PluginError extends Error {
  constructor(
    readonly rpc: string,
    message: string,
    /** The engine's record of a resource created but not finished (ErrorResourceInitFailed). */
    readonly initFailure?: { id: string; properties: Props; reasons: string[] },
  ) {
    super(message);
  }
}

const struct = (props: Props) => structpb.Struct.fromJavaScript(JSON.parse(JSON.stringify(props)));
const js = (s: any): Props => (s ? s.toJavaScript() : {});

export class PluginClient {
  stderr = "";
  private readonly forbidden: string[] = [];

  private constructor(
    private readonly child: ChildProcessWithoutNullStreams,
    private readonly client: any,
    readonly port: number,
  ) {}

  static async start(env: Record<string, string | undefined> = {}): Promise<PluginClient> {
    const base: Record<string, string> = {};
    for (const [k, v] of Object.entries(process.env)) if (v !== undefined) base[k] = v;
    // The wrapper runs `node` from PATH, as it does for users: this test's Node comes first.
    base.PATH = `${path.dirname(process.execPath)}${path.delimiter}${base.PATH ?? ""}`;
    for (const k of Object.keys(base)) if (/^(DIDWW|TWILIO|BOLNA)_/.test(k) || k === "PULUMI_CONFIG") delete base[k];
    for (const [k, v] of Object.entries(env)) {
      if (v === undefined) delete base[k];
      else base[k] = v;
    }
    const child = spawn(PLUGIN_EXECUTABLE, [], { cwd: REPO_ROOT, env: base, stdio: ["pipe", "pipe", "pipe"] });
    let stderr = "";
    child.stderr.setEncoding("utf8");
    child.stderr.on("data", (d: string) => (stderr += d));
    child.stdout.setEncoding("utf8");
    const port = await new Promise<number>((resolve, reject) => {
      let text = "";
      child.stdout.on("data", (d: string) => {
        text += d;
        const nl = text.indexOf("\n");
        if (nl < 0) return;
        const p = Number(text.slice(0, nl).trim());
        if (Number.isInteger(p) && p > 0) resolve(p);
        else reject(new Error(`the plugin printed "${text.slice(0, nl)}" instead of a port; stderr: ${stderr}`));
      });
      child.once("exit", (code, signal) => reject(new Error(`the plugin exited (${code ?? signal}) before printing its port; stderr: ${stderr}`)));
    });
    const client = new providerGrpc.ResourceProviderClient(`127.0.0.1:${port}`, grpc.credentials.createInsecure());
    const plugin = new PluginClient(child, client, port);
    child.stderr.on("data", (d: string) => (plugin.stderr += d));
    plugin.stderr = stderr;
    return plugin;
  }

  forbid(secret: string): void {
    this.forbidden.push(secret);
  }

  async close(): Promise<void> {
    this.client.close();
    if (this.child.exitCode === null && this.child.signalCode === null) {
      const exited = once(this.child, "exit");
      this.child.kill("SIGTERM");
      await exited;
    }
  }

  private call<T>(rpc: string, request: unknown, convert: (res: any) => T): Promise<T> {
    return new Promise((resolve, reject) => {
      this.client[rpc](request, (err: any, res: any) => {
        if (err) {
          let initFailure: PluginError["initFailure"];
          const bin = err.metadata?.get("grpc-status-details-bin")?.[0];
          if (bin) {
            const status = statusPb.Status.deserializeBinary(bin);
            for (const any of status.getDetailsList()) {
              const detail = any.unpack(providerPb.ErrorResourceInitFailed.deserializeBinary, "pulumirpc.ErrorResourceInitFailed");
              if (detail) initFailure = { id: detail.getId(), properties: js(detail.getProperties()), reasons: detail.getReasonsList() };
            }
          }
          const failure = new PluginError(rpc, String(err.details ?? err.message), initFailure);
          for (const s of this.forbidden) if (failure.message.includes(s) || JSON.stringify(initFailure ?? {}).includes(s)) reject(new Error(`${rpc}: error contains a forbidden string`));
          reject(failure);
          return;
        }
        const out = convert(res);
        // A value inside a secret envelope goes back to the engine encrypted: only plain text counts.
        const text = JSON.stringify(out, (_k, v) => (v && typeof v === "object" && v[SECRET_SIG] === SECRET_SIG_VALUE ? "[secret]" : v)) ?? "";
        for (const s of this.forbidden) if (text.includes(s)) return reject(new Error(`${rpc}: response contains a forbidden string: ${text.slice(0, 500)}`));
        resolve(out);
      });
    });
  }

  getPluginInfo(): Promise<{ version: string }> {
    return this.call("getPluginInfo", new emptypb.Empty(), (r) => ({ version: r.getVersion() }));
  }

  getSchema(): Promise<string> {
    return this.call("getSchema", new providerPb.GetSchemaRequest(), (r) => r.getSchema());
  }

  checkConfig(news: Props): Promise<{ inputs: Props; failures: Array<{ property: string; reason: string }> }> {
    const req = new providerPb.CheckRequest().setUrn("urn:pulumi:s::p::pulumi:providers:siptrunks::p").setNews(struct(news)).setOlds(struct({}));
    return this.call("checkConfig", req, (r) => ({ inputs: js(r.getInputs()), failures: r.getFailuresList().map((f: any) => ({ property: f.getProperty(), reason: f.getReason() })) }));
  }

  diffConfig(olds: Props, news: Props): Promise<{ changes: number; replaces: string[]; diffs: string[] }> {
    const req = new providerPb.DiffRequest().setUrn("urn:pulumi:s::p::pulumi:providers:siptrunks::p").setOlds(struct(olds)).setOldInputs(struct(olds)).setNews(struct(news));
    return this.call("diffConfig", req, (r) => ({ changes: r.getChanges(), replaces: r.getReplacesList(), diffs: r.getDiffsList() }));
  }

  configure(args: Props): Promise<{ acceptSecrets: boolean; supportsPreview: boolean }> {
    const req = new providerPb.ConfigureRequest().setArgs(struct(args)).setAcceptsecrets(true).setAcceptresources(true);
    return this.call("configure", req, (r) => ({ acceptSecrets: r.getAcceptsecrets(), supportsPreview: r.getSupportspreview() }));
  }

  check(type: string, olds: Props, news: Props): Promise<{ inputs: Props; failures: Array<{ property: string; reason: string }> }> {
    const req = new providerPb.CheckRequest().setUrn(`urn:pulumi:s::p::${type}::r`).setType(type).setName("r").setOlds(struct(olds)).setNews(struct(news));
    return this.call("check", req, (r) => ({ inputs: js(r.getInputs()), failures: r.getFailuresList().map((f: any) => ({ property: f.getProperty(), reason: f.getReason() })) }));
  }

  diff(type: string, id: string, olds: Props, news: Props): Promise<PluginDiff> {
    const req = new providerPb.DiffRequest().setUrn(`urn:pulumi:s::p::${type}::r`).setType(type).setName("r").setId(id).setOlds(struct(olds)).setNews(struct(news));
    return this.call("diff", req, (r) => {
      const detailedDiff: PluginDiff["detailedDiff"] = {};
      r.getDetaileddiffMap().forEach((v: any, k: string) => (detailedDiff[k] = { kind: v.getKind(), inputDiff: v.getInputdiff() }));
      return {
        changes: r.getChanges(),
        replaces: r.getReplacesList(),
        deleteBeforeReplace: r.getDeletebeforereplace(),
        diffs: r.getDiffsList(),
        hasDetailedDiff: r.getHasdetaileddiff(),
        detailedDiff,
      };
    });
  }

  create(type: string, properties: Props, preview = false): Promise<{ id: string; properties: Props }> {
    const req = new providerPb.CreateRequest().setUrn(`urn:pulumi:s::p::${type}::r`).setType(type).setName("r").setProperties(struct(properties)).setPreview(preview);
    return this.call("create", req, (r) => ({ id: r.getId(), properties: js(r.getProperties()) }));
  }

  read(type: string, id: string, properties?: Props, inputs?: Props): Promise<{ id: string; properties: Props; inputs: Props }> {
    const req = new providerPb.ReadRequest().setUrn(`urn:pulumi:s::p::${type}::r`).setType(type).setName("r").setId(id);
    if (properties) req.setProperties(struct(properties));
    if (inputs) req.setInputs(struct(inputs));
    return this.call("read", req, (r) => ({ id: r.getId(), properties: js(r.getProperties()), inputs: js(r.getInputs()) }));
  }

  update(type: string, id: string, olds: Props, news: Props, preview = false): Promise<Props> {
    const req = new providerPb.UpdateRequest().setUrn(`urn:pulumi:s::p::${type}::r`).setType(type).setName("r").setId(id).setOlds(struct(olds)).setNews(struct(news)).setPreview(preview);
    return this.call("update", req, (r) => js(r.getProperties()));
  }

  delete(type: string, id: string, properties: Props): Promise<void> {
    const req = new providerPb.DeleteRequest().setUrn(`urn:pulumi:s::p::${type}::r`).setType(type).setName("r").setId(id).setProperties(struct(properties));
    return this.call("delete", req, () => undefined);
  }

  cancel(): Promise<void> {
    return this.call("cancel", new emptypb.Empty(), () => undefined);
  }
}
