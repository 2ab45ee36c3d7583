/**
 * Shared machinery of the end-to-end suite: the real `pulumi` CLI (scripts/lib/pulumi.js, offline
 * file backend, passphrase secrets) driving the data-driven project in test/e2e/project against the
 * DIDWW emulator.
 *
 * Every suite gets a fresh state directory under os.tmpdir() and a private copy of the project under
 * test/e2e/.runs/ (it must live inside the repository: the program and the provider host load
 * `pulumi-sip-trunks` by package self-reference, and `pulumi` writes `Pulumi.<stack>.yaml` next to
 * the project's Pulumi.yaml, so concurrent runs never share a stack config file). Both are removed
 * in `after()`.
 */
import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { randomBytes } from "node:crypto";

// scripts/lib/pulumi.js is plain CommonJS shared with the demo.
interface PulumiResult {
  code: number | null;
  stdout: string;
  stderr: string;
}
interface PulumiLib {
  ROOT: string;
  HOW_TO_GET_PULUMI: string;
  findPulumiBin(): string | undefined;
  pulumiEnv(binDir: string, stateDir: string, extra?: Record<string, string>): NodeJS.ProcessEnv;
  runPulumi(args: string[], opts: { cwd?: string; env?: NodeJS.ProcessEnv; echo?: boolean; input?: string }): Promise<PulumiResult>;
}
// eslint-disable-next-line @typescript-eslint/no-require-imports
export const pulumiLib = require("../../scripts/lib/pulumi.js") as PulumiLib;

export const E2E_DIR = __dirname;
export const REPO_ROOT_DIR = path.resolve(__dirname, "..", "..");
/** The drift alarm command the README documents. */
export const ALARM = ["refresh", "--preview-only", "--expect-no-changes", "--run-program"];
export const PROJECT_DIR = path.join(E2E_DIR, "project");
export const RUNS_DIR = path.join(E2E_DIR, ".runs");
export const UPGRADE_DIR = path.join(E2E_DIR, "upgrade");
/** Marker of a secret value in a state export. */
export const SECRET_SIG_KEY = "4dabf18193072939515e22adb298388d";
export const SECRET_SIG = "1b47061264138c4ac30d75fd1eb44270";
export const TRUNK_TYPE = "pulumi-nodejs:dynamic/didww:OutboundTrunk";
export const PROVIDER_LIMIT_BYTES = 8 * 1024;
export const TWILIO_SID = "AC0123456789abcdef0123456789abcdef";
export const TWILIO_SID_2 = "ACfedcba9876543210fedcba9876543210";

/** One entry of the `trunks` stack config the project reads. */
export interface TrunkSpec {
  args?: Record<string, unknown>;
  import?: string;
  get?: string;
}
export type TrunkSpecs = Record<string, TrunkSpec>;

/** A resource of a `pulumi stack export`. */
export interface StateResource {
  urn: string;
  type: string;
  id?: string;
  custom?: boolean;
  external?: boolean;
  inputs?: Record<string, unknown>;
  outputs?: Record<string, unknown>;
}
export interface StateExport {
  version: number;
  deployment: { resources?: StateResource[]; secrets_providers?: unknown };
}

/** A finished CLI run, with what is needed to explain a failure. */
export interface Run extends PulumiResult {
  args: string[];
  stack?: string;
  ms: number;
}

export const isCI = (): boolean => /^(1|true|yes)$/i.test(process.env.CI ?? "");

export const randomSuffix = (): string => randomBytes(4).toString("hex");

const LIMIT = 12_000;
function tail(text: string): string {
  return text.length > LIMIT ? `…(${text.length - LIMIT} characters cut)…\n${text.slice(-LIMIT)}` : text;
}

/** The stdout of a `--json` run without the engine's debug diagnostics (they drown everything else). */
function readable(stdout: string): string {
  const lines = stdout.split("\n");
  if (!lines.some((l) => l.startsWith('{"sequence"'))) return stdout;
  return lines
    .filter((l) => {
      if (!l.startsWith("{")) return l.trim() !== "";
      try {
        const ev = JSON.parse(l) as { diagnosticEvent?: { severity?: string } };
        return !(ev.diagnosticEvent && ev.diagnosticEvent.severity === "debug");
      } catch {
        return true;
      }
    })
    .join("\n");
}

/** `$ pulumi …` with the exit code, stdout and stderr: appended to every assertion message about a run. */
export function explain(run: Run): string {
  return (
    `\n$ pulumi ${run.args.join(" ")}${run.stack ? ` (stack ${run.stack})` : ""} → exit ${run.code} in ${run.ms} ms` +
    `\n----- stdout -----\n${tail(readable(run.stdout))}\n----- stderr -----\n${tail(run.stderr)}\n------------------`
  );
}

export function expectOk(run: Run, what = "the command"): Run {
  assert.equal(run.code, 0, `${what} should succeed${explain(run)}`);
  return run;
}

export function expectFail(run: Run, what = "the command"): Run {
  assert.notEqual(run.code, 0, `${what} should fail${explain(run)}`);
  return run;
}

/** Engine events of a `--json` run (one JSON object a line). */
export function events(run: Run): Array<Record<string, any>> {
  const out: Array<Record<string, any>> = [];
  for (const line of run.stdout.split("\n")) {
    if (!line.startsWith("{")) continue;
    try {
      out.push(JSON.parse(line));
    } catch {
      /* not an event */
    }
  }
  return out;
}

/** The step operations (`create`, `update`, `replace`, `same`, …) a `--json` run reported for the resource named `name`. */
export function opsFor(run: Run, name: string, type: string = TRUNK_TYPE): string[] {
  const ops = new Set<string>();
  for (const ev of events(run)) {
    const md = (ev.resourcePreEvent ?? ev.resOutputsEvent)?.metadata;
    if (md && typeof md.urn === "string" && md.urn.endsWith(`::${name}`) && md.type === type) ops.add(md.op);
  }
  return [...ops].sort();
}

/** The summary event of a `--json` run: `{ resourceChanges: { update: 1, same: 2, … }, result }`. */
export function summary(run: Run): Record<string, any> | undefined {
  return events(run).find((e) => e.summaryEvent)?.summaryEvent;
}

/** Asserts that `name` was updated in place: an `update` step, never a replacement, create or delete. */
export function expectUpdatedInPlace(run: Run, name: string, type: string = TRUNK_TYPE): void {
  const ops = opsFor(run, name, type);
  assert.ok(ops.includes("update"), `expected an in-place update of ${name}, got steps [${ops.join(", ")}]${explain(run)}`);
  for (const op of ops) {
    assert.ok(op === "update" || op === "same", `${name} must be updated in place, but the engine did "${op}" (steps [${ops.join(", ")}])${explain(run)}`);
  }
  const changes = summary(run)?.resourceChanges ?? {};
  for (const k of ["replace", "create-replacement", "delete-replaced", "create", "delete"]) {
    assert.ok(!changes[k], `no resource should be ${k}d: summary ${JSON.stringify(changes)}${explain(run)}`);
  }
}

/** Walks a JSON value, calling `visit(key, value, path)` for every object property. */
function walk(value: unknown, visit: (key: string, v: unknown, at: string) => void, at = ""): void {
  if (Array.isArray(value)) value.forEach((v, i) => walk(v, visit, `${at}[${i}]`));
  else if (value && typeof value === "object") {
    for (const [k, v] of Object.entries(value)) {
      visit(k, v, `${at}.${k}`);
      walk(v, visit, `${at}.${k}`);
    }
  }
}

export const isSecretObject = (v: unknown): boolean =>
  !!v && typeof v === "object" && (v as Record<string, unknown>)[SECRET_SIG_KEY] === SECRET_SIG && typeof (v as Record<string, unknown>).ciphertext === "string";

/** Short name of a resource from its URN. */
export const urnName = (urn: string): string => urn.slice(urn.lastIndexOf("::") + 2);

/** A fresh, isolated environment for one suite: state dir, private project copy, CLI env. */
export class Workspace {
  readonly stateDir: string;
  readonly projectDir: string;
  readonly env: NodeJS.ProcessEnv;
  /** Strings that must never appear in state or CLI output (API keys). */
  readonly forbidden = new Set<string>();
  /** `__provider` sizes seen, per step, for the final report. */
  readonly providerSizes: Array<{ step: string; resource: string; bytes: number }> = [];
  private steps = 0;

  /** `source`: the Pulumi project copied into the run (its Pulumi.yaml and index.ts); default the suite's own. */
  constructor(readonly bin: string, label: string, source: string = PROJECT_DIR) {
    this.stateDir = fs.mkdtempSync(path.join(os.tmpdir(), `sip-trunks-e2e-${label}-`));
    fs.mkdirSync(RUNS_DIR, { recursive: true });
    Workspace.sweepStaleRuns();
    this.projectDir = fs.mkdtempSync(path.join(RUNS_DIR, `${process.pid}-${label}-`));
    for (const f of ["Pulumi.yaml", "index.ts"]) fs.copyFileSync(path.join(source, f), path.join(this.projectDir, f));
    // The programs' types are checked once, by `npm run typecheck` (tsconfig.check.json covers test/
    // and examples/), instead of by ts-node at every run of every program; the user-path test
    // (package.test.ts: a packed tarball in a fresh project) keeps the CLI's own type check.
    this.env = pulumiLib.pulumiEnv(bin, this.stateDir, { PULUMI_NODEJS_TRANSPILE_ONLY: "true" });
  }

  /** Removes project copies left by runs whose process is gone (a killed run cannot clean up after itself). */
  static sweepStaleRuns(): void {
    let entries: string[] = [];
    try {
      entries = fs.readdirSync(RUNS_DIR);
    } catch {
      return;
    }
    for (const entry of entries) {
      const pid = Number(entry.split("-")[0]);
      if (!Number.isInteger(pid) || pid <= 0 || pid === process.pid) continue;
      let alive = true;
      try {
        process.kill(pid, 0);
      } catch (e) {
        alive = (e as NodeJS.ErrnoException).code === "EPERM";
      }
      if (!alive) fs.rmSync(path.join(RUNS_DIR, entry), { recursive: true, force: true });
    }
  }

  /** Runs `pulumi args… [--stack stack]`; never throws on a non-zero exit. Checks that no API key leaks into the output. */
  async pulumi(args: string[], stack?: string): Promise<Run> {
    const full = stack ? [...args, "--stack", stack] : args;
    const t0 = Date.now();
    const r = await pulumiLib.runPulumi(full, { cwd: this.projectDir, env: this.env });
    const run: Run = { ...r, args: full, stack, ms: Date.now() - t0 };
    for (const secret of this.forbidden) {
      assert.ok(!run.stdout.includes(secret) && !run.stderr.includes(secret), `the API key appears in the CLI output${explain(run)}`);
    }
    return run;
  }

  async ok(args: string[], stack?: string): Promise<Run> {
    return expectOk(await this.pulumi(args, stack), `pulumi ${args.join(" ")}`);
  }

  /** `pulumi stack init` and the provider configuration. */
  async initStack(stack: string, apiUrl: string, apiKey: string): Promise<void> {
    this.forbidden.add(apiKey);
    await this.ok(["stack", "init", stack]);
    await this.configure(stack, apiUrl, apiKey);
  }

  async configure(stack: string, apiUrl: string, apiKey: string): Promise<void> {
    this.forbidden.add(apiKey);
    await this.ok(["config", "set", "didww:apiUrl", apiUrl], stack);
    await this.ok(["config", "set", "--secret", "didww:apiKey", apiKey], stack);
  }

  /** Rewrites the `trunks` stack config the program reads. */
  async setTrunks(stack: string, specs: TrunkSpecs): Promise<void> {
    await this.ok(["config", "set", "trunks", JSON.stringify(specs)], stack);
  }

  async exportState(stack: string): Promise<StateExport> {
    const r = await this.ok(["stack", "export"], stack);
    return JSON.parse(r.stdout) as StateExport;
  }

  /** `pulumi stack output --json [--show-secrets]`. */
  async outputs(stack: string, showSecrets = false): Promise<Record<string, any>> {
    const r = await this.ok(["stack", "output", "--json", ...(showSecrets ? ["--show-secrets"] : [])], stack);
    return JSON.parse(r.stdout);
  }

  /** The trunk resources of a state export, by resource name. */
  static trunks(state: StateExport): Record<string, StateResource> {
    const out: Record<string, StateResource> = {};
    for (const r of state.deployment.resources ?? []) if (r.type === TRUNK_TYPE) out[urnName(r.urn)] = r;
    return out;
  }

  /**
   * The checks run after every step that writes state: the API key appears nowhere, every non-null
   * `username`/`password` output is a secret object, and each resource's `__provider` is logged and
   * stays under 8 KiB. Returns the export.
   */
  async checkState(stack: string, step: string): Promise<StateExport> {
    const r = await this.ok(["stack", "export"], stack);
    const text = r.stdout;
    for (const secret of this.forbidden) assert.ok(!text.includes(secret), `after ${step}: the API key appears in the state export`);
    const state = JSON.parse(text) as StateExport;
    const sizes: string[] = [];
    for (const res of state.deployment.resources ?? []) {
      const name = urnName(res.urn);
      walk(res.outputs ?? {}, (key, v, at) => {
        if ((key === "username" || key === "password") && v !== null && v !== undefined) {
          assert.ok(isSecretObject(v), `after ${step}: ${name} outputs${at} must be a secret, got ${JSON.stringify(v)}`);
        }
      });
      if (res.type === TRUNK_TYPE) {
        for (const where of ["inputs", "outputs"] as const) {
          const p = res[where]?.__provider;
          if (p === undefined) continue;
          assert.equal(typeof p, "string", `after ${step}: ${name} ${where}.__provider should be a string`);
          const bytes = Buffer.byteLength(p as string, "utf8");
          assert.ok(bytes < PROVIDER_LIMIT_BYTES, `after ${step}: ${name} ${where}.__provider is ${bytes} bytes (limit ${PROVIDER_LIMIT_BYTES})`);
          if (where === "outputs" || res.outputs?.__provider === undefined) {
            this.providerSizes.push({ step, resource: name, bytes });
            sizes.push(`${name}=${bytes}`);
          }
        }
      }
    }
    this.steps++;
    console.log(`      [e2e] state after ${step}: ${sizes.length ? `__provider bytes ${sizes.join(" ")}` : "no trunk resources"}`);
    return state;
  }

  /** Runs a state-changing command, requires success, then runs {@link checkState}. */
  async step(args: string[], stack: string, label = args.slice(0, 1).join(" ")): Promise<{ run: Run; state: StateExport }> {
    const run = await this.ok(args, stack);
    const state = await this.checkState(stack, label);
    return { run, state };
  }

  cleanup(): void {
    fs.rmSync(this.projectDir, { recursive: true, force: true });
    fs.rmSync(this.stateDir, { recursive: true, force: true });
    try {
      if (fs.readdirSync(RUNS_DIR).length === 0) fs.rmdirSync(RUNS_DIR);
    } catch {
      /* another run is using it */
    }
  }
}

/**
 * `describe` for a suite that needs the Pulumi CLI. Without it: with CI=true the suite fails (one
 * failing test saying how to get the CLI); otherwise it prints a loud banner and skips.
 */
export function describeWithPulumi(title: string, body: (bin: () => string) => void): void {
  const bin = pulumiLib.findPulumiBin();
  if (!bin) {
    describe(title, function () {
      if (isCI()) {
        it("needs the Pulumi CLI (CI=true: the end-to-end suite never skips there)", () => {
          throw new Error(pulumiLib.HOW_TO_GET_PULUMI);
        });
      } else {
        before(function () {
          const line = "!".repeat(100);
          console.warn(`\n${line}\n!!! END-TO-END SUITE SKIPPED: no Pulumi CLI.\n${pulumiLib.HOW_TO_GET_PULUMI}\n!!! (with CI=true this is a failure)\n${line}\n`);
          this.skip();
        });
        body(() => "");
      }
    });
    return;
  }
  describe(title, function () {
    body(() => bin);
  });
}
