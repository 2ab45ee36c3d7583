/**
 * A stand-in for the Pulumi engine's side of the dynamic-provider protocol.
 *
 * `ProviderHost` spawns the real dynamic provider host shipped in @pulumi/pulumi
 * (`cmd/dynamic-provider`) as a child process, exactly as the engine's plugin shim does
 * (cwd = the project directory, which here is the repository root so that the serialized
 * `__provider` can load `pulumi-sip-trunks/dynamic` by package name), and offers one promise
 * method per gRPC call the engine makes. Every response (payloads, gRPC error messages and
 * details) is recorded in a transcript, checked to be plain JSON, and scanned for the strings
 * registered with `forbid()` (API keys): a hit fails the call that produced it.
 *
 * `Engine` adds the engine's data flow on top: what goes into each call and what it keeps in
 * state afterwards (see docs: /work/shared/reference/pulumi-dynamic.md §1 and §4).
 *
 * The host must run the BUILT package: run `npm run build` first.
 */
import { spawn, type ChildProcessWithoutNullStreams } from "node:child_process";
import * as path from "node:path";
import { once } from "node:events";

/** The repository root (this file is test/helpers/engine.ts). */
export const REPO_ROOT = path.resolve(__dirname, "..", "..");

/** What the engine sends for a value not known yet at preview. */
export const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

/** Wire form of a secret config value or property (sdk/go/common/resource/sig). */
export const SECRET_SIG = "4dabf18193072939515e22adb298388d";
export const SECRET_SIG_VALUE = "1b47061264138c4ac30d75fd1eb44270";
export function secretValue(value: unknown): Record<string, unknown> {
  return { [SECRET_SIG]: SECRET_SIG_VALUE, value };
}

/** `DiffResponse.DiffChanges` values. */
export const DIFF_UNKNOWN = 0;
export const DIFF_NONE = 1;
export const DIFF_SOME = 2;

export const PROVIDER_KEY = "__provider";

const pulumiDir = path.dirname(require.resolve("@pulumi/pulumi/package.json", { paths: [REPO_ROOT] }));
/* eslint-disable @typescript-eslint/no-require-imports */
const fromPulumi = (id: string) => require(require.resolve(id, { paths: [pulumiDir] }));
const grpc = fromPulumi("@grpc/grpc-js");
const structpb = fromPulumi("google-protobuf/google/protobuf/struct_pb");
const providerGrpc = require(path.join(pulumiDir, "proto", "provider_grpc_pb.js"));
const providerPb = require(path.join(pulumiDir, "proto", "provider_pb.js"));
const statusPb = require(path.join(pulumiDir, "proto", "status_pb.js"));
const emptyPb = fromPulumi("google-protobuf/google/protobuf/empty_pb");

export type Props = Record<string, unknown>;

/** Throws unless `value` survives a JSON round trip unchanged (what the engine can store). */
export function assertPlainJson(label: string, value: unknown): void {
  let text: string;
  try {
    text = JSON.stringify(value);
  } catch (err) {
    throw new Error(`${label}: not JSON-serialisable: ${(err as Error).message}`);
  }
  if (text === undefined) throw new Error(`${label}: JSON.stringify returned undefined`);
  const back = JSON.parse(text);
  if (!deepEqual(back, value)) throw new Error(`${label}: does not survive a JSON round trip: ${text.slice(0, 500)}`);
}

function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== typeof b || a === null || b === null || typeof a !== "object") return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a)) return a.length === (b as unknown[]).length && a.every((x, i) => deepEqual(x, (b as unknown[])[i]));
  if (Object.getPrototypeOf(b) !== Object.prototype && Object.getPrototypeOf(b) !== null) return false;
  const ka = Object.keys(a as object);
  const kb = Object.keys(b as object);
  return ka.length === kb.length && ka.every((k) => deepEqual((a as Props)[k], (b as Props)[k]));
}

/** Drops keys whose value is `undefined` (the SDK never sends them), recursively. */
export function defined<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}

/** A copy without the engine's `__provider` key. */
export function withoutProvider(props: Props | undefined): Props {
  const { [PROVIDER_KEY]: _omit, ...rest } = props ?? {};
  return rest;
}

/** A gRPC failure from the host, with the partial-create details when the host sent them. */
export class HostError extends Error {
  constructor(
    readonly rpc: string,
    readonly code: number,
    readonly details: string,
    /** `ErrorResourceInitFailed` from `grpc-status-details-bin`: a resource that exists but failed to initialise. */
    readonly initFailure?: { id: string; properties: Props; reasons: string[] },
  ) {
    super(`${rpc} failed (gRPC code ${code}): ${details}`);
    this.name = "HostError";
  }
}

export interface CheckResult {
  inputs: Props;
  failures: { property: string; reason: string }[];
}
export interface DiffResult {
  changes: number;
  replaces: string[];
  stables: string[];
  deleteBeforeReplace: boolean;
  diffs: string[];
}
export interface CreateResult {
  id: string;
  properties: Props;
}
export interface ReadResult {
  id: string;
  properties: Props;
  /** `undefined` when the host did not send inputs. */
  inputs: Props | undefined;
}
export interface UpdateResult {
  properties: Props;
}

export interface TranscriptEntry {
  rpc: string;
  ok: boolean;
  /** The response payload (or the error text) as JSON, exactly what was scanned. */
  text: string;
}

export interface HostOptions {
  /** PULUMI_NODEJS_PROJECT (also PULUMI_PROJECT); default "contract". */
  project?: string;
  /** Extra environment for the host. */
  env?: Record<string, string | undefined>;
}

/**
 * The dynamic provider host as a child process, driven over gRPC.
 */
export class ProviderHost {
  readonly transcript: TranscriptEntry[] = [];
  /** Everything the host wrote to stdout after the port line, and to stderr. */
  stdout = "";
  stderr = "";
  private readonly forbidden: string[] = [];

  private constructor(
    private readonly child: ChildProcessWithoutNullStreams,
    private readonly client: any,
    readonly port: number,
  ) {}

  /** Spawns `node <@pulumi/pulumi/cmd/dynamic-provider> unused` with cwd = repository root. */
  static async start(options: HostOptions = {}): Promise<ProviderHost> {
    const node = path.join(REPO_ROOT, "node_modules", ".bin", "node");
    const entry = require.resolve("@pulumi/pulumi/cmd/dynamic-provider", { paths: [REPO_ROOT] });
    const env: Record<string, string> = {};
    for (const [k, v] of Object.entries(process.env)) if (v !== undefined) env[k] = v;
    // Config reaches the provider through Configure only, like stack config does.
    for (const k of ["DIDWW_API_URL", "DIDWW_API_KEY", "DIDWW_REQUESTS_PER_SECOND", "PULUMI_CONFIG"]) delete env[k];
    const project = options.project ?? "contract";
    env.PULUMI_NODEJS_PROJECT = project;
    env.PULUMI_PROJECT = project;
    for (const [k, v] of Object.entries(options.env ?? {})) {
      if (v === undefined) delete env[k];
      else env[k] = v;
    }
    const child = spawn(node, [entry, "unused"], { cwd: REPO_ROOT, env, stdio: ["pipe", "pipe", "pipe"] });
    let stderr = "";
    child.stderr.setEncoding("utf8");
    child.stderr.on("data", (d: string) => (stderr += d));
    child.stdout.setEncoding("utf8");
    let firstLine = "";
    let rest = "";
    const port = await new Promise<number>((resolve, reject) => {
      const onData = (d: string) => {
        if (firstLine.includes("\n")) {
          rest += d;
          return;
        }
        firstLine += d;
        const nl = firstLine.indexOf("\n");
        if (nl >= 0) {
          rest += firstLine.slice(nl + 1);
          firstLine = firstLine.slice(0, nl);
          const p = Number(firstLine.trim());
          if (Number.isInteger(p) && p > 0) resolve(p);
          else reject(new Error(`dynamic provider host printed "${firstLine}" instead of a port; stderr: ${stderr}`));
        }
      };
      child.stdout.on("data", onData);
      child.once("error", reject);
      child.once("exit", (code, signal) => reject(new Error(`dynamic provider host exited (${code ?? signal}) before printing its port; stderr: ${stderr}`)));
    });
    const client = new providerGrpc.ResourceProviderClient(`127.0.0.1:${port}`, grpc.credentials.createInsecure());
    const host = new ProviderHost(child, client, port);
    host.stdout = rest;
    host.stderr = stderr;
    child.stdout.on("data", (d: string) => (host.stdout += d));
    child.stderr.on("data", (d: string) => (host.stderr += d));
    return host;
  }

  /** Any response containing `secret` (payload or error text) makes the call fail. */
  forbid(secret: string): void {
    if (secret) this.forbidden.push(secret);
  }

  /** The forbidden strings found in `text` (for the host's logs, checked by tests). */
  leaks(text: string): string[] {
    return this.forbidden.filter((s) => text.includes(s));
  }

  /** kill -9, as a killed `pulumi up` leaves its provider host: no signal handler runs. */
  kill(): Promise<void> {
    return this.stop("SIGKILL");
  }

  close(): Promise<void> {
    return this.stop("SIGTERM");
  }

  private async stop(signal: NodeJS.Signals): Promise<void> {
    try {
      this.client.close();
    } catch {
      /* already closed */
    }
    if (this.child.exitCode === null && this.child.signalCode === null) {
      const exited = once(this.child, "exit");
      this.child.kill(signal);
      await exited;
    }
  }

  private record(rpc: string, ok: boolean, payload: unknown): void {
    const text = ok ? JSON.stringify(payload) : String(payload);
    this.transcript.push({ rpc, ok, text });
    const hits = this.leaks(text);
    if (hits.length) {
      throw new Error(`${rpc}: the host's ${ok ? "response" : "error"} contains a forbidden string (API key): ${text.slice(0, 2000)}`);
    }
    if (ok) assertPlainJson(`${rpc} response`, payload);
  }

  private call<T>(rpc: string, request: unknown, convert: (response: any) => T): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.client[rpc](request, (err: any, response: any) => {
        try {
          if (err) {
            const failure = toHostError(rpc, err);
            const detailText = failure.initFailure ? `\n${JSON.stringify(failure.initFailure)}` : "";
            this.record(rpc, false, `${err.message ?? ""}\n${err.details ?? ""}${detailText}`);
            reject(failure);
            return;
          }
          const result = convert(response);
          this.record(rpc, true, result);
          resolve(result);
        } catch (e) {
          reject(e);
        }
      });
    });
  }

  /** Configure with the stack config (namespaced keys); values may be secret-wrapped as the engine sends them. */
  configure(config: Props): Promise<{ acceptSecrets: boolean; supportsPreview: boolean }> {
    const req = new providerPb.ConfigureRequest();
    req.setArgs(toStruct(config));
    const vars = req.getVariablesMap();
    for (const [k, v] of Object.entries(config)) {
      const plain = v !== null && typeof v === "object" && SECRET_SIG in (v as Props) ? (v as Props).value : v;
      vars.set(k, typeof plain === "string" ? plain : JSON.stringify(plain));
    }
    req.setAcceptsecrets(true);
    req.setAcceptresources(true);
    return this.call("configure", req, (r) => ({ acceptSecrets: r.getAcceptsecrets(), supportsPreview: r.getSupportspreview() }));
  }

  check(urn: string, olds: Props, news: Props): Promise<CheckResult> {
    const req = new providerPb.CheckRequest();
    req.setUrn(urn);
    req.setName(nameOf(urn));
    req.setType(typeOf(urn));
    req.setOlds(toStruct(olds));
    req.setNews(toStruct(news));
    req.setRandomseed(Buffer.alloc(32, 7));
    return this.call("check", req, (r) => ({
      inputs: fromStruct(r.getInputs()),
      failures: (r.getFailuresList() as any[]).map((f) => ({ property: f.getProperty(), reason: f.getReason() })),
    }));
  }

  /** `olds` are the old OUTPUTS (the engine sends old inputs separately as `oldInputs`). */
  diff(id: string, urn: string, olds: Props, news: Props, oldInputs?: Props): Promise<DiffResult> {
    const req = new providerPb.DiffRequest();
    req.setId(id);
    req.setUrn(urn);
    req.setName(nameOf(urn));
    req.setType(typeOf(urn));
    req.setOlds(toStruct(olds));
    req.setNews(toStruct(news));
    if (oldInputs) req.setOldInputs(toStruct(oldInputs));
    return this.call("diff", req, (r) => ({
      changes: r.getChanges(),
      replaces: r.getReplacesList(),
      stables: r.getStablesList(),
      deleteBeforeReplace: r.getDeletebeforereplace(),
      diffs: r.getDiffsList(),
    }));
  }

  create(urn: string, properties: Props, preview = false): Promise<CreateResult> {
    const req = new providerPb.CreateRequest();
    req.setUrn(urn);
    req.setName(nameOf(urn));
    req.setType(typeOf(urn));
    req.setProperties(toStruct(properties));
    req.setPreview(preview);
    return this.call("create", req, (r) => ({ id: r.getId(), properties: fromStruct(r.getProperties()) }));
  }

  /** Refresh: properties = old outputs, inputs = old inputs. Get: both = `{__provider}` (plus the program's props). */
  read(id: string, urn: string, properties: Props | undefined, inputs: Props | undefined): Promise<ReadResult> {
    const req = new providerPb.ReadRequest();
    req.setId(id);
    req.setUrn(urn);
    req.setName(nameOf(urn));
    req.setType(typeOf(urn));
    if (properties) req.setProperties(toStruct(properties));
    if (inputs) req.setInputs(toStruct(inputs));
    return this.call("read", req, (r) => ({
      id: r.getId(),
      properties: fromStruct(r.getProperties()),
      inputs: r.hasInputs() ? fromStruct(r.getInputs()) : undefined,
    }));
  }

  update(id: string, urn: string, olds: Props, news: Props, oldInputs?: Props): Promise<UpdateResult> {
    const req = new providerPb.UpdateRequest();
    req.setId(id);
    req.setUrn(urn);
    req.setName(nameOf(urn));
    req.setType(typeOf(urn));
    req.setOlds(toStruct(olds));
    req.setNews(toStruct(news));
    if (oldInputs) req.setOldInputs(toStruct(oldInputs));
    return this.call("update", req, (r) => ({ properties: fromStruct(r.getProperties()) }));
  }

  delete(id: string, urn: string, properties: Props, oldInputs?: Props): Promise<void> {
    const req = new providerPb.DeleteRequest();
    req.setId(id);
    req.setUrn(urn);
    req.setName(nameOf(urn));
    req.setType(typeOf(urn));
    req.setProperties(toStruct(properties));
    if (oldInputs) req.setOldInputs(toStruct(oldInputs));
    return this.call("delete", req, () => ({}) as Props).then(() => undefined);
  }

  getPluginInfo(): Promise<{ version: string }> {
    return this.call("getPluginInfo", new emptyPb.Empty(), (r) => ({ version: r.getVersion() }));
  }
}

function toStruct(value: Props): unknown {
  assertPlainJson("request", value);
  return structpb.Struct.fromJavaScript(value);
}

function fromStruct(s: any): Props {
  return s ? (s.toJavaScript() as Props) : {};
}

function nameOf(urn: string): string {
  return urn.split("::").pop() ?? "";
}

function typeOf(urn: string): string {
  const parts = urn.split("::");
  return parts[parts.length - 2]?.split("$").pop() ?? "";
}

function toHostError(rpc: string, err: any): HostError {
  let initFailure: HostError["initFailure"];
  const raw = err?.metadata?.get?.("grpc-status-details-bin")?.[0];
  if (raw) {
    const status = statusPb.Status.deserializeBinary(new Uint8Array(raw));
    for (const any of status.getDetailsList() as any[]) {
      if (!String(any.getTypeUrl()).endsWith("pulumirpc.ErrorResourceInitFailed")) continue;
      const detail = providerPb.ErrorResourceInitFailed.deserializeBinary(any.getValue_asU8());
      initFailure = { id: detail.getId(), properties: fromStruct(detail.getProperties()), reasons: detail.getReasonsList() };
    }
  }
  return new HostError(rpc, Number(err?.code ?? -1), String(err?.details ?? err?.message ?? err), initFailure);
}

// ------------------------------------------------------------------------------------------------
// The engine's data flow
// ------------------------------------------------------------------------------------------------

/** One resource as the engine keeps it in the state file. */
export interface ResourceState {
  urn: string;
  id: string;
  inputs: Props;
  outputs: Props;
  /** Output keys the engine stores encrypted (additionalSecretOutputs, plus outputs named like secret inputs). */
  secretOutputs: string[];
}

export interface StepTrace {
  op: "create" | "update" | "same" | "failed-check";
  check: CheckResult;
  diff?: DiffResult;
}

/**
 * The engine's sequencing of the calls for one dynamic resource type: what it sends and what it
 * stores (repo: pkg/resource/deploy/step_generator.go, step.go; sdk/go/common/resource/plugin/provider_plugin.go).
 */
export class Engine {
  constructor(
    readonly host: ProviderHost,
    /** The serialized provider (`__provider`). */
    readonly provider: string,
    /** `pulumi-nodejs:dynamic/<module>:<type>`. */
    readonly type: string,
    /** What the resource class passes as `additionalSecretOutputs`. */
    readonly additionalSecretOutputs: string[],
    readonly stack = "contract",
    readonly project = "contract",
  ) {}

  urn(name: string): string {
    return `urn:pulumi:${this.stack}::${this.project}::${this.type}::${name}`;
  }

  /** What the SDK sends as the resource's inputs: the args without undefined keys, plus `__provider`. */
  news(args: Props): Props {
    return { ...defined(args), [PROVIDER_KEY]: this.provider };
  }

  /** `pulumi up` for one resource: Check, then Create, or Diff and (on changes) Update. Replacement is not expected. */
  async up(name: string, args: Props, prior?: ResourceState): Promise<{ state: ResourceState; trace: StepTrace }> {
    const urn = prior?.urn ?? this.urn(name);
    const news = this.news(args);
    const check = await this.host.check(urn, prior?.inputs ?? {}, news);
    if (check.failures.length) {
      throw Object.assign(new Error(`check failed: ${JSON.stringify(check.failures)}`), { trace: { op: "failed-check", check } });
    }
    if (!prior) {
      const created = await this.host.create(urn, check.inputs);
      if (!created.id) throw new Error("create returned an empty id");
      return { state: this.stateOf(urn, created.id, check.inputs, created.properties), trace: { op: "create", check } };
    }
    const diff = await this.host.diff(prior.id, urn, prior.outputs, check.inputs, prior.inputs);
    if (diff.replaces.length) throw new Error(`unexpected replacement of ${urn}: ${diff.replaces.join(", ")}`);
    if (diff.changes === DIFF_NONE) {
      // A "same" step keeps the old outputs and records the new inputs.
      return { state: { ...prior, inputs: check.inputs }, trace: { op: "same", check, diff } };
    }
    if (diff.changes === DIFF_UNKNOWN) throw new Error("the provider answered DIFF_UNKNOWN; the engine would diff inputs itself");
    const updated = await this.host.update(prior.id, urn, prior.outputs, check.inputs, prior.inputs);
    return { state: this.stateOf(urn, prior.id, check.inputs, updated.properties), trace: { op: "update", check, diff } };
  }

  /** `pulumi refresh`: Read(id, properties = old outputs, inputs = old inputs); an empty id deletes the resource from state. */
  async refresh(state: ResourceState): Promise<{ state: ResourceState | undefined; read: ReadResult }> {
    const read = await this.host.read(state.id, state.urn, state.outputs, state.inputs);
    if (!read.id) return { state: undefined, read };
    return { state: this.stateOf(state.urn, read.id, read.inputs ?? state.inputs, read.properties), read };
  }

  /** `OutboundTrunk.get(name, id)`: a ReadStep with Inputs = State = the program's props (`{__provider}` only). */
  async get(name: string, id: string): Promise<{ state: ResourceState | undefined; read: ReadResult }> {
    const props = { [PROVIDER_KEY]: this.provider };
    const urn = this.urn(name);
    const read = await this.host.read(id, urn, props, props);
    if (!read.id) return { state: undefined, read };
    return { state: this.stateOf(urn, read.id, read.inputs ?? props, read.properties), read };
  }

  /** `pulumi destroy`: Delete(id, properties = old outputs) runs the code stored in state. */
  async destroy(state: ResourceState): Promise<void> {
    await this.host.delete(state.id, state.urn, state.outputs, state.inputs);
  }

  private stateOf(urn: string, id: string, inputs: Props, outputs: Props): ResourceState {
    // annotateSecrets: outputs named like a secret input; here no input is secret (acceptSecrets=false),
    // so only additionalSecretOutputs apply.
    return { urn, id, inputs, outputs, secretOutputs: [...this.additionalSecretOutputs] };
  }
}
