/**
 * The real-CLI benchmark (issue "Fast at scale"): N `didww.OutboundTrunk`s driven by the real
 * `pulumi` CLI against an in-process DIDWW emulator, next to a minimal dynamic provider making the
 * same calls (bench/minimal) and to plain scripts on DIDWW's official Python SDK (bench/python).
 *
 *   1. provider overhead: up / no-op preview / update / refresh / destroy, ours vs minimal,
 *      alternated, emulator rate limit off (ours with `didww:requestsPerSecond` raised so that its
 *      own pacing is off too);
 *   2. near the rate-limit floor: ours with the emulator at 20 req/s per key and the default
 *      pacing: create, update all N, refresh (with and without preview), destroy, against
 *      max(calls / 20 s, the minimal provider's time for the step) and the 429s seen;
 *   3. state cost: `pulumi stack export` bytes per trunk at 1, 100 and N trunks (and 1,000 with
 *      BENCH_CLI_BIG=1), with the up, no-op preview and destroy times of those stacks; `__provider`
 *      bytes, peak RSS (VmHWM) of the dynamic provider host and the program;
 *   4. profile: `up` with PULUMI_SKIP_CHECKPOINTS=true vs false, and the provider host's CPU profile
 *      (NODE_OPTIONS=--cpu-prof) split into our code, the SDK, gRPC, Node internals;
 *   5. the Python SDK: create N then delete them, naive and paced to 20 calls/s, next to ours (as is,
 *      without the engine's checkpoint writes, and with --skip-preview) and to the minimal provider
 *      with no limit at all.
 *
 * `TS_NODE_TRANSPILE_ONLY=1 node -r ts-node/register bench/cli.ts [--quick] [--n N]`, or
 * `cliBench()` from bench/run.ts. N: --n, else BENCH_CLI_TRUNKS, else 200 (quick: 40).
 * BENCH_CLI_SECTIONS (e.g. `3`) runs only the sections listed. Prints tables, returns the numbers;
 * standalone, also writes them to bench/results/cli[-quick].json.
 * Ratios are of runs alternated in the same process (the machine is shared: absolute times are noise).
 * Both programs run with PULUMI_NODEJS_TRANSPILE_ONLY=true (no type check per program run).
 */
import { spawn, spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { performance } from "node:perf_hooks";
import { DEFAULT_DID_IDS, startEmulator, type EmulatorHandle } from "../emulator";

// ---------------------------------------------------------------------------------------------
// Paths and the Pulumi CLI helpers (scripts/lib/pulumi.js, plain CommonJS)

function findRoot(): string {
  for (let d = __dirname; d !== path.dirname(d); d = path.dirname(d)) {
    try {
      if (JSON.parse(fs.readFileSync(path.join(d, "package.json"), "utf8")).name === "pulumi-sip-trunks") return d;
    } catch {
      /* keep going up */
    }
  }
  throw new Error("bench/cli.ts: cannot find the pulumi-sip-trunks repository root");
}

const ROOT = findRoot();
interface PulumiLib {
  HOW_TO_GET_PULUMI: string;
  findPulumiBin(): string | undefined;
  pulumiEnv(binDir: string, stateDir: string, extra?: Record<string, string>): NodeJS.ProcessEnv;
}
// eslint-disable-next-line @typescript-eslint/no-require-imports
const lib = require(path.join(ROOT, "scripts", "lib", "pulumi.js")) as PulumiLib;

const RESULTS_DIR = path.join(ROOT, "bench", "results");
const RUNS_DIR = path.join(RESULTS_DIR, "runs");
const MINIMAL_DIR = path.join(ROOT, "bench", "minimal");
const PY_SCRIPT = path.join(ROOT, "bench", "python", "didww_trunks.py");
const PY_TARGET = path.join(ROOT, "bench", ".python");
const PY_SDK = "didww==3.2.0";
const RATE = 20;

/** Our project: the same data-driven shape as the minimal one, no stack outputs (neither has any). */
const OURS_PROGRAM = `import * as fs from "node:fs";
import { didww } from "pulumi-sip-trunks";

// trunks.json beside the program (stack config cannot hold 1,000 trunks: the language host passes it in one environment variable).
const specs: Record<string, didww.OutboundTrunkArgs> = fs.existsSync("trunks.json") ? JSON.parse(fs.readFileSync("trunks.json", "utf8")) : {};
for (const [name, args] of Object.entries(specs)) new didww.OutboundTrunk(name, args);
`;
const OURS_YAML = `name: sip-trunks-bench-ours
description: bench/cli.ts - N didww.OutboundTrunk from trunks.json; pulumi-sip-trunks resolves by package self-reference.
runtime:
  name: nodejs
main: index.ts
`;

// ---------------------------------------------------------------------------------------------
// Small helpers

const median = (xs: number[]): number => {
  if (xs.length === 0) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const secs = (ms: number): string => (Number.isFinite(ms) ? (ms / 1000).toFixed(2) : "-");
const ratio = (a: number, b: number): string => (Number.isFinite(a) && Number.isFinite(b) && b > 0 ? `${(a / b).toFixed(2)}×` : "-");
const round2 = (x: number): number => Math.round(x * 100) / 100;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function table(headers: string[], rows: Array<Array<string | number>>): void {
  const cells = [headers, ...rows.map((r) => r.map(String))];
  const widths = headers.map((_, i) => Math.max(...cells.map((r) => (r[i] ?? "").length)));
  const line = (r: string[]) => `| ${r.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join(" | ")} |`;
  console.log(line(headers));
  console.log(`|${widths.map((w, i) => (i === 0 ? "-".repeat(w + 2) : `${"-".repeat(w + 1)}:`)).join("|")}|`);
  for (const r of cells.slice(1)) console.log(line(r));
}

function trunkArgs(i: number, bump = 0): Record<string, unknown> {
  return {
    name: `bench-${i}`,
    onCliMismatchAction: "reject_call",
    authenticationMethod: { type: "credentials_and_ip", allowedSipIps: [`10.1.${i % 250}.${(i * 7) % 250}`, "2001:db8::1"], techPrefix: "9" },
    capacityLimit: (i % 100) + bump,
    thresholdAmount: "250.00",
    dstPrefixes: ["44", "1", "49"],
    didIds: [DEFAULT_DID_IDS.plain[2], DEFAULT_DID_IDS.plain[3]],
    emergencyDidIds: [DEFAULT_DID_IDS.emergency[0]],
  };
}

function specs(n: number, bump = 0): Record<string, Record<string, unknown>> {
  const out: Record<string, Record<string, unknown>> = {};
  for (let i = 0; i < n; i++) out[`t${i}`] = trunkArgs(i, bump);
  return out;
}

// ---------------------------------------------------------------------------------------------
// Process sampling: peak RSS of the provider host(s) and the program under one `pulumi` process

interface Peaks {
  /** Largest VmHWM (KiB) of a dynamic provider host, and how many hosts were seen. */
  providerHwmKb: number;
  providerHosts: number;
  programHwmKb: number;
}

function readProc(pid: string, file: string): string | undefined {
  try {
    return fs.readFileSync(`/proc/${pid}/${file}`, "utf8");
  } catch {
    return undefined;
  }
}

/** Polls /proc every 200 ms for descendants of `root` whose command line names the provider host or the program runner. */
function sampler(root: number): { stop(): Peaks } {
  const hosts = new Map<string, number>();
  const programs = new Map<string, number>();
  const tick = () => {
    let pids: string[] = [];
    try {
      pids = fs.readdirSync("/proc").filter((p) => /^\d+$/.test(p));
    } catch {
      return;
    }
    const parent = new Map<string, string>();
    for (const pid of pids) {
      const stat = readProc(pid, "stat");
      if (!stat) continue;
      const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      parent.set(pid, fields[1]);
    }
    const descends = (pid: string): boolean => {
      for (let p: string | undefined = pid, hops = 0; p && p !== "0" && hops < 20; p = parent.get(p), hops++) if (p === String(root)) return true;
      return false;
    };
    for (const pid of parent.keys()) {
      const argv = readProc(pid, "cmdline")?.split("\0") ?? [];
      // The script node runs (not the `node -e "require.resolve('…/dynamic-provider')"` of the plugin's shell wrapper).
      const script = argv.includes("-e") || argv.includes("--eval") ? "" : (argv.slice(1).find((a) => !a.startsWith("-")) ?? "");
      const which = /cmd[/\\]dynamic-provider/.test(script) ? hosts : /cmd[/\\]run/.test(script) ? programs : undefined;
      if (!which || !descends(pid)) continue;
      const m = /VmHWM:\s+(\d+)/.exec(readProc(pid, "status") ?? "");
      if (m) which.set(pid, Math.max(which.get(pid) ?? 0, Number(m[1])));
    }
  };
  const timer = setInterval(tick, 200);
  tick();
  return {
    stop() {
      clearInterval(timer);
      return {
        providerHwmKb: Math.max(0, ...hosts.values()),
        providerHosts: hosts.size,
        programHwmKb: Math.max(0, ...programs.values()),
      };
    },
  };
}

// ---------------------------------------------------------------------------------------------
// A contender: a project copy, a state dir, a stack

interface RunResult {
  code: number | null;
  stdout: string;
  stderr: string;
  ms: number;
  peaks?: Peaks;
  requests: number;
  rejected: number;
  byMethod: Record<string, number>;
}

class Contender {
  readonly projectDir: string;
  readonly stateDir: string;
  readonly env: NodeJS.ProcessEnv;
  readonly stack = "bench";
  readonly project: string;

  constructor(
    readonly label: "ours" | "minimal",
    bin: string,
    files: Record<string, string>,
    private readonly emu: EmulatorHandle,
    extraEnv: Record<string, string>,
  ) {
    fs.mkdirSync(RUNS_DIR, { recursive: true });
    this.projectDir = fs.mkdtempSync(path.join(RUNS_DIR, `${process.pid}-${label}-`));
    for (const [name, text] of Object.entries(files)) fs.writeFileSync(path.join(this.projectDir, name), text);
    this.project = /^name:\s*(\S+)/m.exec(files["Pulumi.yaml"])?.[1] ?? label;
    this.stateDir = fs.mkdtempSync(path.join(os.tmpdir(), `sip-trunks-bench-${label}-`));
    // Both programs run transpile-only: ts-node's type check would otherwise add the same 2 s or so to
    // every program run of both contenders (more here than in a user's project, since it finds the
    // repository's tsconfig.json), which says nothing about a provider and pulls every ratio toward 1.
    this.env = { ...lib.pulumiEnv(bin, this.stateDir), PULUMI_NODEJS_TRANSPILE_ONLY: "true", ...extraEnv };
  }

  /** `pulumi args…` in the project; counts the emulator's requests it caused. Throws on a non-zero exit unless `allowFail`. */
  async run(args: string[], opts: { env?: Record<string, string>; sample?: boolean; allowFail?: boolean; stack?: boolean } = {}): Promise<RunResult> {
    const full = [...args, ...(opts.stack === false ? [] : ["--stack", this.stack]), "--non-interactive", "--color", "never"];
    this.emu.requests.clear();
    const t0 = performance.now();
    const child = spawn("pulumi", full, { cwd: this.projectDir, env: { ...this.env, ...opts.env }, stdio: ["ignore", "pipe", "pipe"] });
    const s = opts.sample && child.pid ? sampler(child.pid) : undefined;
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d) => (stdout += d));
    child.stderr.on("data", (d) => (stderr += d));
    const code = await new Promise<number | null>((resolve, reject) => {
      child.on("error", reject);
      child.on("close", resolve);
    });
    const ms = performance.now() - t0;
    const peaks = s?.stop();
    const log = this.emu.requests.list();
    const byMethod: Record<string, number> = {};
    for (const r of log) if (r.status !== 429) byMethod[r.method] = (byMethod[r.method] ?? 0) + 1;
    const result: RunResult = { code, stdout, stderr, ms, peaks, requests: log.filter((r) => r.status !== 429).length, rejected: log.filter((r) => r.status === 429).length, byMethod };
    if (code !== 0 && !opts.allowFail) {
      const tail = (t: string) => t.slice(-6000);
      throw new Error(`[${this.label}] pulumi ${full.join(" ")} → exit ${code}\n--- stdout ---\n${tail(stdout)}\n--- stderr ---\n${tail(stderr)}`);
    }
    return result;
  }

  config(key: string, value: string, secret = false): Promise<RunResult> {
    return this.run(["config", "set", ...(secret ? ["--secret"] : []), key, value]);
  }

  async setTrunks(s: Record<string, unknown>): Promise<void> {
    // A file the program reads, not stack config: the language host hands the program its config in
    // one environment variable, and 1,000 trunks are more than one may hold (128 KiB).
    fs.writeFileSync(path.join(this.projectDir, "trunks.json"), JSON.stringify(s));
  }

  async exportState(): Promise<string> {
    return (await this.run(["stack", "export"])).stdout;
  }

  cleanup(): void {
    fs.rmSync(this.projectDir, { recursive: true, force: true });
    fs.rmSync(this.stateDir, { recursive: true, force: true });
  }
}

// ---------------------------------------------------------------------------------------------
// State cost

interface StateCost {
  n: number;
  totalBytes: number;
  bytesPerTrunk: number;
  /** Mean bytes of one trunk's resource object (pretty-printed as the export prints it). */
  resourceBytes: number;
  /** `__provider` bytes of one resource, inputs and outputs (it is stored in both). */
  providerInputBytes: number;
  providerOutputBytes: number;
}

function stateCost(text: string, type: string): StateCost {
  const state = JSON.parse(text) as { deployment: { resources?: Array<Record<string, any>> } };
  const trunks = (state.deployment.resources ?? []).filter((r) => r.type === type);
  const n = trunks.length;
  const resBytes = trunks.reduce((a, r) => a + Buffer.byteLength(JSON.stringify(r, null, 4)), 0);
  const pBytes = (where: "inputs" | "outputs") => {
    const p = trunks[0]?.[where]?.__provider;
    return typeof p === "string" ? Buffer.byteLength(p) : 0;
  };
  const totalBytes = Buffer.byteLength(text);
  return { n, totalBytes, bytesPerTrunk: n ? Math.round(totalBytes / n) : 0, resourceBytes: n ? Math.round(resBytes / n) : 0, providerInputBytes: pBytes("inputs"), providerOutputBytes: pBytes("outputs") };
}

// ---------------------------------------------------------------------------------------------
// CPU profiles

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number; scriptId: string | number };
  children?: number[];
}
interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
  startTime: number;
  endTime: number;
}

type Category = "ours" | "__provider (eval'd)" | "@pulumi/pulumi" | "grpc/protobuf" | "other node_modules" | "node internals" | "GC/idle/program" | "other";
/** Categories that own the time of the library and runtime code they call (see `attributed`). */
const OWNERS: readonly Category[] = ["ours", "__provider (eval'd)", "@pulumi/pulumi"];

function categorize(url: string, fn: string, scriptId: string): Category {
  if (url.includes("/dist/provider/")) return "ours";
  if (url === "" && /^\(?(garbage collector|idle|program|root)\)?$/.test(fn)) return "GC/idle/program";
  // Code compiled at run time has no file name: ajv's validators (`validate10`, …, compiled from
  // our schema), and `__provider`, which the host loads with require-from-string (for the minimal
  // provider all its code; for ours, the 10-line shim).
  if (url === "" && scriptId !== "0") return /^validate\d*$/.test(fn) ? "ours" : "__provider (eval'd)";
  if (url.includes("node_modules/@pulumi/pulumi/")) return "@pulumi/pulumi";
  if (url.includes("node_modules/@grpc/") || url.includes("google-protobuf") || url.includes("node_modules/protobufjs")) return "grpc/protobuf";
  if (url.includes("node_modules/")) return "other node_modules";
  if (url.startsWith("node:") || url === "") return "node internals";
  return "other";
}

interface ProfileSummary {
  file: string;
  kind: "provider host" | "program" | "other";
  totalMs: number;
  /** Self time by the category of the function a sample is in. */
  byCategory: Record<string, number>;
  /**
   * Self time by owner: the nearest function up the stack that is ours, `__provider` code or the
   * SDK (so fs, got, JSON work our code asks for counts as ours); else the leaf's category.
   */
  attributed: Record<string, number>;
  top: Array<{ fn: string; where: string; category: Category; selfMs: number }>;
}

function summarizeProfile(file: string): ProfileSummary {
  const p = JSON.parse(fs.readFileSync(file, "utf8")) as CpuProfile;
  const byId = new Map(p.nodes.map((n) => [n.id, n]));
  const self = new Map<number, number>();
  for (let i = 0; i < p.samples.length; i++) self.set(p.samples[i], (self.get(p.samples[i]) ?? 0) + (p.timeDeltas[i] ?? 0) / 1000);
  const urls = p.nodes.map((n) => n.callFrame.url);
  const kind = urls.some((u) => u.includes("cmd/dynamic-provider")) ? "provider host" : urls.some((u) => /cmd\/run/.test(u)) ? "program" : "other";
  const parent = new Map<number, number>();
  for (const n of p.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const cat = (n: ProfileNode) => categorize(n.callFrame.url, n.callFrame.functionName, String(n.callFrame.scriptId));
  const byCategory: Record<string, number> = {};
  const attributed: Record<string, number> = {};
  const byFn = new Map<string, { fn: string; where: string; category: Category; selfMs: number }>();
  for (const [id, ms] of self) {
    const n = byId.get(id);
    if (!n) continue;
    const { functionName, url, lineNumber } = n.callFrame;
    const category = cat(n);
    byCategory[category] = (byCategory[category] ?? 0) + ms;
    let owner: Category = category;
    for (let a: ProfileNode | undefined = n; a; a = byId.get(parent.get(a.id) ?? -1)) {
      const c = cat(a);
      if (OWNERS.includes(c)) {
        owner = c;
        break;
      }
    }
    attributed[owner] = (attributed[owner] ?? 0) + ms;
    const where = url ? `${url.replace(/^file:\/\//, "").replace(`${ROOT}/`, "").replace(/.*node_modules\//, "")}:${lineNumber + 1}` : "";
    const key = `${functionName}@${where}`;
    const e = byFn.get(key) ?? { fn: functionName || "(anonymous)", where, category, selfMs: 0 };
    e.selfMs += ms;
    byFn.set(key, e);
  }
  for (const k of Object.keys(byCategory)) byCategory[k] = Math.round(byCategory[k]);
  for (const k of Object.keys(attributed)) attributed[k] = Math.round(attributed[k]);
  const top = [...byFn.values()].sort((a, b) => b.selfMs - a.selfMs).map((e) => ({ ...e, selfMs: Math.round(e.selfMs * 10) / 10 }));
  return { file: path.basename(file), kind, totalMs: Math.round((p.endTime - p.startTime) / 1000), byCategory, attributed, top };
}

/** What loading our runtime costs a fresh provider host: the SDK, then our module graph, then the first and next check(). */
function moduleLoadCost(cwd: string, url: string, runs: number): { runs: number; sdkMs: number; oursLoadMs: number; firstCheckMs: number; nextCheckMs: number } {
  const script = `
const { performance } = require("node:perf_hooks");
const t0 = performance.now();
require("@pulumi/pulumi");
const t1 = performance.now();
const p = require("node:module").createRequire(require("node:path").join(process.cwd(), "index.js"))("pulumi-sip-trunks/dynamic").provider("didww:OutboundTrunk", 2);
const t2 = performance.now();
const a = ${JSON.stringify(trunkArgs(1))};
(async () => {
  await p.check({}, a);
  const t3 = performance.now();
  await p.check({}, { ...a, name: "other" });
  const t4 = performance.now();
  console.log(JSON.stringify([t1 - t0, t2 - t1, t3 - t2, t4 - t3]));
})();`;
  const rows: number[][] = [];
  for (let i = 0; i < runs; i++) {
    const r = spawnSync(process.execPath, ["-e", script], { cwd, env: { ...process.env, DIDWW_API_KEY: "unused", DIDWW_API_URL: url }, encoding: "utf8" });
    if (r.status !== 0) throw new Error(`module load measurement failed: ${r.stderr}`);
    rows.push(JSON.parse(r.stdout.trim()));
  }
  const col = (j: number) => median(rows.map((r) => r[j]));
  return { runs, sdkMs: col(0), oursLoadMs: col(1), firstCheckMs: col(2), nextCheckMs: col(3) };
}

// ---------------------------------------------------------------------------------------------
// Python SDK

function pythonReady(): { ok: boolean; note: string } {
  const py = process.env.BENCH_PYTHON ?? "python3";
  const probe = () => spawnSync(py, ["-c", "import didww, importlib.metadata as m; print(m.version('didww'))"], { env: { ...process.env, PYTHONPATH: PY_TARGET }, encoding: "utf8" });
  let r = probe();
  if (r.status !== 0) {
    console.log(`(installing ${PY_SDK} into bench/.python with pip)`);
    const inst = spawnSync(py, ["-m", "pip", "install", "--quiet", "--target", PY_TARGET, PY_SDK], { encoding: "utf8" });
    if (inst.status !== 0) return { ok: false, note: `pip install ${PY_SDK} failed: ${(inst.stderr ?? "").slice(-500)}` };
    r = probe();
  }
  return r.status === 0 ? { ok: true, note: `didww ${r.stdout.trim()} (${py})` } : { ok: false, note: `the didww SDK does not import: ${(r.stderr ?? "").slice(-500)}` };
}

interface PyResult {
  wallMs: number;
  createMs: number;
  deleteMs: number;
  created: number;
  failedCalls: number;
  rejected429AtEmulator: number;
  failedByStatus: Record<string, number>;
  trunksLeft: number;
}

async function runPython(emu: EmulatorHandle, key: string, trunksFile: string, rate: number): Promise<PyResult> {
  const py = process.env.BENCH_PYTHON ?? "python3";
  emu.requests.clear();
  const before = new Set(emu.store.didww.listTrunks().map((t) => t.id));
  const t0 = performance.now();
  const child = spawn(py, [PY_SCRIPT, "--url", emu.didwwUrl, "--key", key, "--trunks", trunksFile, "--rate", String(rate)], { stdio: ["ignore", "pipe", "pipe"] });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (d) => (stdout += d));
  child.stderr.on("data", (d) => (stderr += d));
  const code = await new Promise<number | null>((resolve) => child.on("close", resolve));
  const wallMs = performance.now() - t0;
  if (code !== 0) throw new Error(`python ${PY_SCRIPT} → exit ${code}\n${stderr.slice(-3000)}`);
  const out = JSON.parse(stdout.trim().split("\n").pop() as string);
  const left = emu.store.didww.listTrunks().filter((t) => !before.has(t.id));
  for (const t of left) emu.store.didww.deleteTrunk(t.id); // out of band, so the next contender starts clean
  return {
    wallMs,
    createMs: out.createMs,
    deleteMs: out.deleteMs,
    created: out.created,
    failedCalls: out.failed.create + out.failed.delete,
    rejected429AtEmulator: emu.requests.list().filter((r) => r.status === 429).length,
    failedByStatus: out.failedByStatus,
    trunksLeft: left.length,
  };
}

// ---------------------------------------------------------------------------------------------
// The benchmark

type StepName = "up" | "preview" | "update" | "refresh" | "refresh --skip-preview" | "destroy";
const STEP_ARGS: Record<StepName, string[]> = {
  up: ["up", "--yes"],
  preview: ["preview", "--expect-no-changes"],
  update: ["up", "--yes"],
  refresh: ["refresh", "--yes"],
  "refresh --skip-preview": ["refresh", "--yes", "--skip-preview"],
  destroy: ["destroy", "--yes"],
};

export async function cliBench(opts: { quick: boolean; n?: number }): Promise<Record<string, unknown>> {
  const quick = opts.quick;
  const N = Number(process.env.BENCH_CLI_TRUNKS ?? opts.n ?? (quick ? 40 : 200));
  const big = !quick && process.env.BENCH_CLI_BIG === "1";
  const rounds = quick ? 1 : 2;
  // BENCH_CLI_SECTIONS=3 (say) runs only the state section: a 1,000-trunk run without the rest.
  const only = new Set((process.env.BENCH_CLI_SECTIONS ?? "1,2,3,4,5").split(",").map((x) => x.trim()));
  const startedAt = performance.now();
  const results: Record<string, unknown> = { n: N, quick, rounds };
  const bin = lib.findPulumiBin();
  if (!bin) {
    console.log(`\n## Real-CLI benchmark skipped: no Pulumi CLI.\n${lib.HOW_TO_GET_PULUMI}`);
    return { ...results, skipped: "no Pulumi CLI" };
  }
  console.log(`\n## Real-CLI benchmark: ${N} trunks through \`pulumi\` (${path.basename(path.dirname(bin))}), ${rounds} alternated round(s), programs transpile-only${quick ? ", --quick" : ""}`);

  const key = `bench-cli-${randomBytes(8).toString("hex")}`;
  const emu = await startEmulator({ port: 0, apiKeys: [key], requestLogLimit: 1_000_000 });
  // A shared-window file of our rate limiter per run (none of another run's bookings).
  const rateDir = fs.mkdtempSync(path.join(os.tmpdir(), "sip-trunks-bench-rate-"));
  const ours = new Contender("ours", bin, { "Pulumi.yaml": OURS_YAML, "index.ts": OURS_PROGRAM }, emu, { SIP_TRUNKS_SHARED_RATE_LIMIT: rateDir });
  const minimal = new Contender(
    "minimal",
    bin,
    { "Pulumi.yaml": fs.readFileSync(path.join(MINIMAL_DIR, "Pulumi.yaml"), "utf8"), "index.ts": fs.readFileSync(path.join(MINIMAL_DIR, "index.ts"), "utf8") },
    emu,
    { BENCH_MIN_URL: emu.didwwUrl, BENCH_MIN_KEY: key },
  );
  const both = [ours, minimal];
  const profDirs: string[] = [];
  let clean = false;
  try {
    // ---- set-up (untimed)
    for (const c of both) {
      await c.run(["stack", "init", c.stack], { stack: false });
      await c.setTrunks({});
    }
    await ours.config("didww:apiUrl", emu.didwwUrl);
    await ours.config("didww:apiKey", key, true);
    // Warm-up (first runs fill the page cache): one trunk up and down each; --quick: an empty preview each.
    for (const c of both) {
      await c.setTrunks(quick ? {} : specs(1));
      await c.run(quick ? ["preview"] : STEP_ARGS.up);
      if (!quick) await c.run(STEP_ARGS.destroy);
    }

    // ---- 1. provider overhead, rate limit off
    await ours.config("didww:requestsPerSecond", "100000");
    const steps1: StepName[] = !only.has("1") ? [] : quick ? ["up", "preview", "destroy"] : ["up", "preview", "update", "refresh", "refresh --skip-preview", "destroy"];
    const times: Record<string, Record<string, number[]>> = { ours: {}, minimal: {} };
    const peaks: Record<string, Peaks[]> = { ours: [], minimal: [] };
    const calls1: Record<string, Record<string, Record<string, number>>> = { ours: {}, minimal: {} };
    const exports: Record<string, string> = {};
    console.log(`\n### 1. Provider overhead vs a minimal dynamic provider (${N} trunks, emulator rate limit off; ours with didww:requestsPerSecond=100000)`);
    if (!only.has("1")) console.log("  not selected (BENCH_CLI_SECTIONS)");
    for (let r = 0; r < (steps1.length ? rounds : 0); r++) {
      const order = r % 2 === 0 ? [ours, minimal] : [minimal, ours];
      for (const c of both) await c.setTrunks(specs(N));
      for (const step of steps1) {
        for (const c of order) {
          if (step === "update") await c.setTrunks(specs(N, 1));
          const res = await c.run(STEP_ARGS[step], { sample: step === "up" });
          (times[c.label][step] ??= []).push(res.ms);
          calls1[c.label][step] = res.byMethod;
          if (res.peaks) peaks[c.label].push(res.peaks);
          if (res.rejected) console.log(`  (!) ${c.label} ${step}: ${res.rejected} answered 429 with the limit off?`);
          if (step === "up" && r === rounds - 1) exports[c.label] = await c.exportState();
        }
      }
      console.log(`  round ${r + 1}/${rounds} done (${secs(performance.now() - startedAt)} s)`);
    }
    const rows1 = steps1.map((s) => {
      const o = median(times.ours[s]);
      const m = median(times.minimal[s]);
      const perRound = times.ours[s].map((x, i) => ratio(x, times.minimal[s][i])).join(" ");
      return [s, secs(o), secs(m), ratio(o, m), perRound, JSON.stringify(calls1.ours[s]), JSON.stringify(calls1.minimal[s])];
    });
    table(["step", "ours s", "minimal s", "ours/minimal", "per round", "ours calls", "minimal calls"], rows1);
    console.log("  target: ≤ 1.15× per step");
    results.overhead = Object.fromEntries(
      steps1.map((s) => [s, { oursMs: times.ours[s].map(Math.round), minimalMs: times.minimal[s].map(Math.round), ratio: round2(median(times.ours[s]) / median(times.minimal[s])), oursCalls: calls1.ours[s], minimalCalls: calls1.minimal[s] }]),
    );

    // ---- 2. near the rate-limit floor (ours only; the minimal provider has no pacing and would fail)
    console.log(`\n### 2. Near the rate-limit floor: ours, emulator at ${RATE} req/s per key, default pacing (${N} trunks)`);
    await ours.run(["config", "rm", "didww:requestsPerSecond"]);
    emu.faults.update({ rateLimit: { perSecond: RATE } });
    await ours.setTrunks(specs(N));
    const steps2: Array<{ step: StepName; ref: StepName }> = !only.has("2")
      ? []
      : [
          { step: "up", ref: "up" },
          { step: "update", ref: "update" },
          { step: "refresh", ref: "refresh" },
          { step: "refresh --skip-preview", ref: "refresh --skip-preview" },
          { step: "destroy", ref: "destroy" },
        ];
    const rows2: Array<Array<string | number>> = [];
    const floor: Record<string, unknown> = {};
    const sec2: Partial<Record<StepName, RunResult>> = {};
    for (const { step, ref } of steps2) {
      if (step === "update") await ours.setTrunks(specs(N, 1));
      const res = await ours.run(STEP_ARGS[step]);
      sec2[step] = res;
      const apiFloor = (res.requests / RATE) * 1000;
      const minRef = median(times.minimal[ref] ?? []);
      const target = Math.max(apiFloor, Number.isFinite(minRef) ? minRef : 0);
      rows2.push([step, secs(res.ms), res.requests, secs(apiFloor), ratio(res.ms, apiFloor), Number.isFinite(minRef) ? secs(minRef) : "n/a", ratio(res.ms, target), res.rejected]);
      floor[step] = { ms: Math.round(res.ms), calls: res.requests, byMethod: res.byMethod, floorMs: Math.round(apiFloor), minimalMs: Number.isFinite(minRef) ? Math.round(minRef) : null, ratio: round2(res.ms / target), rejected429: res.rejected };
    }
    table(["step", "ours s", "calls", `floor s (calls/${RATE})`, "ours/floor", "minimal s (limit off)", "ours/max(floor,minimal)", "429s"], rows2);
    console.log("  `refresh --yes` reads every trunk twice (its preview pass reads too), the minimal provider as well; the floor counts the calls made.");
    if (quick) console.log("  (--quick: the minimal provider's update/refresh are not run; those rows compare with the API floor only)");
    results.rateLimited = floor;

    // ---- 5. the Python SDK, same emulator, same limit (runs here, while the limit is on)
    console.log(`\n### 5. A plain script on DIDWW's Python SDK: create ${N} then delete them (emulator at ${RATE} req/s)`);
    const py = only.has("5") ? pythonReady() : { ok: false, note: "not selected (BENCH_CLI_SECTIONS)" };
    if (!py.ok) {
      console.log(`  skipped: ${py.note}`);
      results.python = { skipped: py.note };
    } else {
      const file = path.join(ours.projectDir, ".py-trunks.json");
      fs.writeFileSync(file, JSON.stringify(Array.from({ length: N }, (_, i) => trunkArgs(i))));
      const naive = await runPython(emu, key, file, 0);
      await sleep(1100);
      const paced = await runPython(emu, key, file, RATE);
      await sleep(1100);
      // Ours again right after the paced script, create + destroy, same limit. --quick takes section
      // 2's up and destroy instead (same N, same limit, same calls), two CLI runs fewer.
      const reuse = quick && sec2.up && sec2.destroy;
      if (!reuse) await ours.setTrunks(specs(N));
      const up = reuse ? sec2.up! : await ours.run(STEP_ARGS.up);
      const down = reuse ? sec2.destroy! : await ours.run(STEP_ARGS.destroy);
      const oursMs = up.ms + down.ms;
      const left = emu.store.didww.listTrunks().length;
      // The same without the engine's checkpoint writes (the local backend rewrites the whole state
      // file after every step): what is left is our provider plus the engine's own stepping.
      // Not in --quick (two more CLI runs, and the row is left out).
      const skipEnv = { PULUMI_SKIP_CHECKPOINTS: "true" };
      const noRun = { ms: 0, rejected: 0 };
      const upSkip = quick ? noRun : await ours.run(STEP_ARGS.up, { env: skipEnv });
      const downSkip = quick ? noRun : await ours.run(STEP_ARGS.destroy, { env: skipEnv });
      const skipMs = upSkip.ms + downSkip.ms;
      // Without the preview pass of each command, as a pipeline that previewed on the pull request
      // may run on merge: the program runs once instead of twice. Not in --quick either.
      const upNoPreview = quick ? noRun : await ours.run([...STEP_ARGS.up, "--skip-preview"]);
      const downNoPreview = quick ? noRun : await ours.run([...STEP_ARGS.destroy, "--skip-preview"]);
      const noPreviewMs = upNoPreview.ms + downNoPreview.ms;
      const floorMs = ((2 * N) / RATE) * 1000;
      const rows5: Array<Array<string | number>> = [
        ["python SDK, naive (no pacing)", secs(naive.wallMs), `${secs(naive.createMs)} + ${secs(naive.deleteMs)}`, naive.failedCalls, naive.rejected429AtEmulator, naive.trunksLeft, ratio(naive.wallMs, paced.wallMs)],
        [`python SDK, paced ${RATE}/s`, secs(paced.wallMs), `${secs(paced.createMs)} + ${secs(paced.deleteMs)}`, paced.failedCalls, paced.rejected429AtEmulator, paced.trunksLeft, "1.00×"],
        [`ours: pulumi up + destroy${reuse ? " (section 2's)" : ""}`, secs(oursMs), `${secs(up.ms)} + ${secs(down.ms)}`, up.rejected + down.rejected, up.rejected + down.rejected, left, ratio(oursMs, paced.wallMs)],
        ...(quick
          ? []
          : [
              ["ours, PULUMI_SKIP_CHECKPOINTS=true", secs(skipMs), `${secs(upSkip.ms)} + ${secs(downSkip.ms)}`, upSkip.rejected + downSkip.rejected, upSkip.rejected + downSkip.rejected, "", ratio(skipMs, paced.wallMs)],
              ["ours, both with --skip-preview", secs(noPreviewMs), `${secs(upNoPreview.ms)} + ${secs(downNoPreview.ms)}`, upNoPreview.rejected + downNoPreview.rejected, upNoPreview.rejected + downNoPreview.rejected, emu.store.didww.listTrunks().length, ratio(noPreviewMs, paced.wallMs)],
            ]),
        [`API floor (${2 * N} calls at ${RATE}/s)`, secs(floorMs), "", "", "", "", ratio(floorMs, paced.wallMs)],
      ];
      // The engine's own share: the minimal provider's up + destroy from section 1, with no limit at all.
      const minUp = median(times.minimal.up ?? []);
      const minDown = median(times.minimal.destroy ?? []);
      if (Number.isFinite(minUp) && Number.isFinite(minDown)) {
        rows5.push(["minimal provider, no limit (section 1)", secs(minUp + minDown), `${secs(minUp)} + ${secs(minDown)}`, "", "", "", ratio(minUp + minDown, paced.wallMs)]);
      }
      table(["contender", "wall s", "create + delete s", "failed calls", "429s at emulator", "trunks left", "this/paced"], rows5);
      console.log(`  ${py.note}; python wall time includes interpreter start-up and SDK import, as ours includes the CLI's. Target: ours ≤ 1.2× the paced script.`);
      if (!quick) console.log("  The checkpoint row is not a recommendation (a crash then leaves no record of what was done); it shows what the local backend's state writes add.");
      results.python = {
        sdk: py.note,
        naive,
        paced,
        ours: { upMs: Math.round(up.ms), destroyMs: Math.round(down.ms), rejected429: up.rejected + down.rejected, trunksLeft: left },
        // --quick runs neither: null, not a zero that reads like a measurement.
        oursSkipCheckpoints: quick ? null : { upMs: Math.round(upSkip.ms), destroyMs: Math.round(downSkip.ms), rejected429: upSkip.rejected + downSkip.rejected },
        oursSkipPreview: quick ? null : { upMs: Math.round(upNoPreview.ms), destroyMs: Math.round(downNoPreview.ms), rejected429: upNoPreview.rejected + downNoPreview.rejected },
        floorMs,
        oursOverPaced: round2(oursMs / paced.wallMs),
        oursSkipCheckpointsOverPaced: quick ? null : round2(skipMs / paced.wallMs),
        oursSkipPreviewOverPaced: quick ? null : round2(noPreviewMs / paced.wallMs),
        minimalNoLimitOverPaced: round2((median(times.minimal.up ?? []) + median(times.minimal.destroy ?? [])) / paced.wallMs),
      };
    }
    emu.faults.update({ rateLimit: null });
    await ours.config("didww:requestsPerSecond", "100000");

    // ---- 3. state cost
    console.log("\n### 3. State cost (pulumi stack export)");
    const costs: Record<string, StateCost[]> = { ours: [], minimal: [] };
    const types = { ours: "pulumi-nodejs:dynamic/didww:OutboundTrunk", minimal: "pulumi-nodejs:dynamic/minimal:OutboundTrunk" };
    // 1 and 100 always (not in --quick), 1,000 with BENCH_CLI_BIG=1; N's figures come from section 1's export.
    // --quick: only the N-trunk export of section 1 (each further size is four CLI runs per contender).
    const sizes = only.has("3") && !quick ? [1, ...(N === 100 ? [] : [100]), ...(big ? [1000] : [])] : [];
    const sizeTimes: Array<Array<string | number>> = [];
    const timesBySize: Record<string, Record<string, { upMs: number; previewMs: number; destroyMs: number }>> = { ours: {}, minimal: {} };
    for (const n of sizes) {
      for (const c of both) {
        await c.setTrunks(specs(n));
        const up = await c.run(STEP_ARGS.up);
        costs[c.label].push(stateCost(await c.exportState(), types[c.label]));
        const preview = await c.run(STEP_ARGS.preview);
        const destroy = await c.run(STEP_ARGS.destroy);
        timesBySize[c.label][n] = { upMs: Math.round(up.ms), previewMs: Math.round(preview.ms), destroyMs: Math.round(destroy.ms) };
      }
      const o = timesBySize.ours[n];
      const m = timesBySize.minimal[n];
      sizeTimes.push([n, `${secs(o.upMs)} / ${secs(m.upMs)}`, `${secs(o.previewMs)} / ${secs(m.previewMs)}`, ratio(o.previewMs, m.previewMs), `${secs(o.destroyMs)} / ${secs(m.destroyMs)}`, ratio(o.destroyMs, m.destroyMs)]);
    }
    for (const c of both) if (exports[c.label]) costs[c.label].push(stateCost(exports[c.label], types[c.label]));
    for (const c of both) costs[c.label].sort((a, b) => a.n - b.n);
    const rows3: Array<Array<string | number>> = [];
    for (let i = 0; i < costs.ours.length; i++) {
      const o = costs.ours[i];
      const m = costs.minimal[i];
      rows3.push([o.n, o.totalBytes, m.totalBytes, o.bytesPerTrunk, m.bytesPerTrunk, ratio(o.bytesPerTrunk, m.bytesPerTrunk), o.resourceBytes, m.resourceBytes, `${o.providerInputBytes}/${o.providerOutputBytes}`, `${m.providerInputBytes}/${m.providerOutputBytes}`]);
    }
    table(["trunks", "ours bytes", "minimal bytes", "ours B/trunk", "minimal B/trunk", "ours/minimal", "ours B/resource*", "minimal B/resource*", "ours __provider in/out", "minimal __provider in/out"], rows3);
    console.log("  B/trunk: the whole export over the trunks; *: one trunk's resource object alone (JSON, 4-space indent).");
    if (sizeTimes.length) {
      console.log("  The same stacks' times, one run each, emulator rate limit off (the local backend rewrites the whole state after every step: a step's cost grows with N):");
      table(["trunks", "up s ours / minimal", "no-op preview s ours / minimal", "preview ours/minimal", "destroy s ours / minimal", "destroy ours/minimal"], sizeTimes);
    }
    const pk = (label: string) => {
      const ps = peaks[label];
      return { providerHwmMb: Math.max(0, ...ps.map((p) => p.providerHwmKb)) / 1024, programHwmMb: Math.max(0, ...ps.map((p) => p.programHwmKb)) / 1024, hosts: ps.map((p) => p.providerHosts) };
    };
    const po = pk("ours");
    const pm = pk("minimal");
    table(
      ["peak RSS (VmHWM) during the N-trunk up", "ours MiB", "minimal MiB", "ours/minimal"],
      [
        ["dynamic provider host", po.providerHwmMb.toFixed(1), pm.providerHwmMb.toFixed(1), ratio(po.providerHwmMb, pm.providerHwmMb)],
        ["program (language host's node)", po.programHwmMb.toFixed(1), pm.programHwmMb.toFixed(1), ratio(po.programHwmMb, pm.programHwmMb)],
      ],
    );
    console.log(`  provider hosts seen per up: ours ${po.hosts.join(",")}, minimal ${pm.hosts.join(",")} (sampled every 200 ms)`);
    results.state = { ...costs, timesBySize, peakRss: { ours: po, minimal: pm } };

    // ---- 4. profile
    console.log(`\n### 4. Where the time goes (${N} trunks, rate limit off)`);
    const skip: Record<string, Record<string, number>> = { ours: {}, minimal: {} };
    // --quick leaves the profile and the checkpoint runs out (it keeps the whole bench under two minutes).
    if (quick) console.log("  --quick: no profile and no run without checkpoints (run without --quick)");
    const profContenders = quick || !only.has("4") ? [] : both;
    for (const c of profContenders) await c.setTrunks(specs(N));
    for (const env of [{ PULUMI_SKIP_CHECKPOINTS: "true" }, { PULUMI_SKIP_CHECKPOINTS: "false" }]) {
      for (const step of ["up", "destroy"] as const) {
        for (const c of profContenders) {
          const res = await c.run(STEP_ARGS[step], { env });
          skip[c.label][`${step} ${env.PULUMI_SKIP_CHECKPOINTS === "true" ? "skip" : "write"}`] = res.ms;
        }
      }
    }
    const rows4a = profContenders.flatMap((c) =>
      (["up", "destroy"] as const).map((s) => {
        const w = skip[c.label][`${s} write`];
        const k = skip[c.label][`${s} skip`];
        return [`${c.label} ${s}`, secs(w), secs(k), secs(w - k), ratio(w, k)];
      }),
    );
    if (rows4a.length) table(["run", "checkpoints written s", "PULUMI_SKIP_CHECKPOINTS s", "difference s", "written/skipped"], rows4a);
    results.checkpoints = skip;

    // CPU profiles of every node process of one up (program, provider hosts), per contender.
    const profiles: Record<string, { wallMs: number; hosts: ProfileSummary[]; programs: ProfileSummary[] }> = {};
    const profiled = quick || !only.has("4") ? [] : both;
    for (const c of profiled) {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), `sip-trunks-bench-prof-${c.label}-`));
      profDirs.push(dir);
      await c.setTrunks(specs(N));
      // The engine stops a provider host with SIGINT, which kills Node before --cpu-prof writes
      // anything: the preload turns that SIGINT into a normal exit, in the provider host only.
      const preload = path.join(dir, "exit-on-sigint.js");
      fs.writeFileSync(preload, 'if (/dynamic-provider/.test(process.argv[1] || "")) process.once("SIGINT", () => process.exit(0));\n');
      const res = await c.run(STEP_ARGS.up, { env: { NODE_OPTIONS: `--cpu-prof --cpu-prof-dir=${dir} --require ${preload}` } });
      await c.run(STEP_ARGS.destroy);
      const all = fs.readdirSync(dir).filter((f) => f.endsWith(".cpuprofile")).map((f) => summarizeProfile(path.join(dir, f)));
      profiles[c.label] = { wallMs: res.ms, hosts: all.filter((p) => p.kind === "provider host"), programs: all.filter((p) => p.kind === "program") };
    }
    const cats: Category[] = ["ours", "__provider (eval'd)", "@pulumi/pulumi", "grpc/protobuf", "other node_modules", "node internals", "GC/idle/program", "other"];
    const sumCat = (ps: ProfileSummary[], cat: string, by: "byCategory" | "attributed") => ps.reduce((a, p) => a + (p[by][cat] ?? 0), 0);
    const rows4b: Array<Array<string | number>> = [];
    for (const cat of cats) {
      const vals = profiled.flatMap((c) => [sumCat(profiles[c.label].hosts, cat, "byCategory"), sumCat(profiles[c.label].hosts, cat, "attributed"), sumCat(profiles[c.label].programs, cat, "byCategory")]);
      if (vals.some((v) => v > 0)) rows4b.push([cat, ...vals]);
    }
    rows4b.push(["profiled span (wall)", ...profiled.flatMap((c) => [profiles[c.label].hosts.reduce((a, p) => a + p.totalMs, 0), "", profiles[c.label].programs.reduce((a, p) => a + p.totalMs, 0)])]);
    if (profiled.length) {
      console.log(`  CPU self time (ms) by module, NODE_OPTIONS=--cpu-prof on one up of ${N}; provider hosts profiled: ${profiled.map((c) => `${c.label} ${profiles[c.label].hosts.length} (${secs(profiles[c.label].wallMs)} s wall)`).join(", ")}`);
      table(["CPU ms", ...profiled.flatMap((c) => [`${c.label}: host self`, `${c.label}: host by owner`, `${c.label}: program self`])], rows4b);
      console.log("  (self: by the module of the function sampled; by owner: the nearest ours / __provider / SDK function up the stack, so the fs, got and JSON work our code asks for counts as ours)");
    }
    for (const c of profiled) {
      const top = profiles[c.label].hosts.flatMap((p) => p.top);
      const merged = new Map<string, { fn: string; where: string; category: Category; selfMs: number }>();
      for (const t of top) {
        const k = `${t.fn}@${t.where}`;
        const e = merged.get(k) ?? { ...t, selfMs: 0 };
        e.selfMs += t.selfMs;
        merged.set(k, e);
      }
      const list = [...merged.values()].filter((t) => t.category !== "GC/idle/program").sort((a, b) => b.selfMs - a.selfMs);
      console.log(`  ${c.label}: provider host, top self time`);
      table(["function", "where", "module", "ms"], list.slice(0, 12).map((t) => [t.fn, t.where.slice(-60), t.category, t.selfMs.toFixed(1)]));
      if (c.label === "ours") {
        console.log("  ours: provider host, top self time in dist/provider/");
        table(["function", "where", "ms"], list.filter((t) => t.category === "ours").slice(0, 12).map((t) => [t.fn, t.where, t.selfMs.toFixed(1)]));
      }
      const progTop = profiles[c.label].programs.flatMap((p) => p.top).filter((t) => t.category !== "GC/idle/program");
      const progMerged = new Map<string, { fn: string; where: string; category: Category; selfMs: number }>();
      for (const t of progTop) {
        const k = `${t.fn}@${t.where}`;
        const e = progMerged.get(k) ?? { ...t, selfMs: 0 };
        e.selfMs += t.selfMs;
        progMerged.set(k, e);
      }
      console.log(`  ${c.label}: program (preview and update passes), top self time`);
      table(["function", "where", "module", "ms"], [...progMerged.values()].sort((a, b) => b.selfMs - a.selfMs).slice(0, 8).map((t) => [t.fn, t.where.slice(-60), t.category, t.selfMs.toFixed(1)]));
      profiles[c.label].hosts = profiles[c.label].hosts.map((p) => ({ ...p, top: p.top.slice(0, 40) }));
      profiles[c.label].programs = profiles[c.label].programs.map((p) => ({ ...p, top: p.top.slice(0, 20) }));
    }
    results.profiles = profiles;

    const load = moduleLoadCost(ours.projectDir, emu.didwwUrl, quick ? 3 : 7);
    console.log(`  ours, fixed cost per provider host process (an up starts ${Math.max(...(peaks.ours.map((p) => p.providerHosts) ?? [0]))}), median of ${load.runs} fresh \`node\`s:`);
    table(
      ["what", "ms"],
      [
        ["require(\"@pulumi/pulumi\") (the host loads it for ours and minimal alike)", load.sdkMs.toFixed(0)],
        ["require(\"pulumi-sip-trunks/dynamic\").provider(\"didww:OutboundTrunk\") after it", load.oursLoadMs.toFixed(0)],
        ["first check() (schema compiled)", load.firstCheckMs.toFixed(0)],
        ["next check()", load.nextCheckMs.toFixed(2)],
      ],
    );
    results.moduleLoad = load;

    const total = performance.now() - startedAt;
    console.log(`\nreal-CLI benchmark: ${secs(total)} s in all`);
    results.totalMs = Math.round(total);
    clean = true;
    return results;
  } finally {
    emu.faults.update({ rateLimit: null });
    for (const c of both) {
      // After a failure, leave nothing behind at the emulator (the stacks are empty after a full run).
      if (!clean) await c.run(STEP_ARGS.destroy, { allowFail: true }).catch(() => undefined);
      c.cleanup();
    }
    for (const d of [rateDir, ...profDirs]) fs.rmSync(d, { recursive: true, force: true });
    try {
      if (fs.readdirSync(RUNS_DIR).length === 0) fs.rmdirSync(RUNS_DIR);
    } catch {
      /* another run is using it */
    }
    await emu.close();
  }
}

if (require.main === module) {
  const argv = process.argv.slice(2);
  const quick = argv.includes("--quick");
  const i = argv.indexOf("--n");
  const n = i >= 0 ? Number(argv[i + 1]) : undefined;
  cliBench({ quick, n })
    .then((r) => {
      fs.mkdirSync(RESULTS_DIR, { recursive: true });
      const file = path.join(RESULTS_DIR, quick ? "cli-quick.json" : "cli.json");
      fs.writeFileSync(file, `${JSON.stringify(r, null, 2)}\n`);
      console.log(`results: ${path.relative(process.cwd(), file)}`);
    })
    .catch((e) => {
      console.error(e);
      process.exit(1);
    });
}
