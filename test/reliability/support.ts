/**
 * Shared machinery of the reliability suite (test/reliability/*.test.ts): the end-to-end suite's
 * Workspace (test/e2e/support.ts), extended so that every CLI run of the whole suite and every
 * state file is kept for the final secrets scan (secrets.test.ts), plus the helpers the cases
 * share: re-running a command as a user would, and comparing `pulumi stack export` with the
 * emulator's store.
 */
import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { Workspace, explain, urnName, type Run, type StateExport, type StateResource } from "../e2e/support";

export const RELIABILITY_DIR = __dirname;
export const PROJECT_DIR = path.join(__dirname, "project");

export const TYPES = {
  didww: "pulumi-nodejs:dynamic/didww:OutboundTrunk",
  twilio: "pulumi-nodejs:dynamic/twilio:Trunk",
  bolna: "pulumi-nodejs:dynamic/bolna:SipTrunk",
} as const;
export type Vendor = keyof typeof TYPES;

/** A positive integer from the environment, else `fallback`. */
export function envInt(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === "") return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 0) throw new Error(`${name} must be a non-negative integer, got ${JSON.stringify(raw)}`);
  return n;
}

/** What the final secrets scan looks at, filled by every case of the suite. */
export const ledger = {
  /** Every CLI run: its arguments and output. `revealsSecrets`: `--show-secrets`, whose output is meant to show them. */
  runs: [] as Array<{ suite: string; args: string[]; stdout: string; stderr: string; revealsSecrets: boolean }>,
  /** Every file of every Workspace's state directory (backend, history, backups, PULUMI_HOME), read before cleanup. */
  stateFiles: [] as Array<{ suite: string; file: string; text: string }>,
  /** Messages of failed tests and of errors the cases caught. */
  errors: [] as Array<{ suite: string; message: string }>,
  /** Values that must never appear in plain text: API keys, auth tokens, SIP passwords, with what they are. */
  secrets: new Map<string, string>(),
  /** Suites that ran (to tell an empty scan from a clean one). */
  suites: new Set<string>(),
};

export function addSecret(value: string | null | undefined, what: string): void {
  if (typeof value === "string" && value.length >= 6) ledger.secrets.set(value, what);
}

/** A Workspace whose every run is recorded in the ledger; the state directory is read into it before cleanup. */
export class RecordingWorkspace extends Workspace {
  constructor(
    bin: string,
    readonly suite: string,
    source: string = PROJECT_DIR,
  ) {
    super(bin, suite, source);
    ledger.suites.add(suite);
  }

  override async pulumi(args: string[], stack?: string): Promise<Run> {
    try {
      const run = await super.pulumi(args, stack);
      ledger.runs.push({ suite: this.suite, args: run.args, stdout: run.stdout, stderr: run.stderr, revealsSecrets: args.includes("--show-secrets") });
      return run;
    } catch (e) {
      ledger.errors.push({ suite: this.suite, message: String((e as Error)?.message ?? e) });
      throw e;
    }
  }

  /** Records a run made outside {@link pulumi} (the one the kill case spawns itself). */
  record(args: string[], stdout: string, stderr: string): void {
    ledger.runs.push({ suite: this.suite, args, stdout, stderr, revealsSecrets: false });
  }

  /** Reads every file of the state directory into the ledger, then removes the workspace. */
  override cleanup(): void {
    const walk = (dir: string): void => {
      let entries: fs.Dirent[] = [];
      try {
        entries = fs.readdirSync(dir, { withFileTypes: true });
      } catch {
        return;
      }
      for (const e of entries) {
        const p = path.join(dir, e.name);
        if (e.isDirectory()) walk(p);
        else if (e.isFile() && fs.statSync(p).size < 64 * 1024 * 1024) ledger.stateFiles.push({ suite: this.suite, file: p, text: fs.readFileSync(p, "latin1") });
      }
    };
    walk(this.stateDir);
    // The project copy holds Pulumi.<stack>.yaml: the stack config, secrets encrypted.
    walk(this.projectDir);
    super.cleanup();
  }
}

/** Prints a line in the suite's log style. */
export const log = (msg: string): void => console.log(`      [reliability] ${msg}`);

/**
 * Runs `args` as a user would re-run a failed `pulumi up`/`destroy`: until it exits 0, at most
 * `tries` times, printing each failed attempt's first error lines. Returns the successful run and
 * how many attempts it took; fails the test with the last run's output when none succeeded.
 */
export async function untilOk(ws: Workspace, args: string[], stack: string, tries: number, label: string): Promise<{ run: Run; attempts: number; failures: string[] }> {
  const failures: string[] = [];
  let last: Run | undefined;
  for (let i = 1; i <= tries; i++) {
    const run = await ws.pulumi(args, stack);
    last = run;
    if (run.code === 0) {
      log(`${label}: attempt ${i} succeeded in ${(run.ms / 1000).toFixed(1)} s`);
      return { run, attempts: i, failures };
    }
    const errs = errorLines(run);
    failures.push(...errs);
    log(`${label}: attempt ${i}/${tries} failed (exit ${run.code}, ${(run.ms / 1000).toFixed(1)} s); re-running. ${errs.length} error line(s):`);
    for (const e of errs.slice(0, 8)) log(`    ${e}`);
    if (errs.length > 8) log(`    … ${errs.length - 8} more`);
  }
  assert.fail(`${label}: still failing after ${tries} attempts${explain(last!)}`);
}

/** The lines of a run's output that say what went wrong (diagnostics of resources, CLI errors). */
export function errorLines(run: Run): string[] {
  const lines = `${run.stdout}\n${run.stderr}`.split("\n").map((l) => l.trim());
  return lines.filter((l) => /^error:|error: |failed|\berror\b/i.test(l) && l.length > 0).map((l) => (l.length > 240 ? `${l.slice(0, 240)}…` : l));
}

/** The resources of `type` in a state export, with their short names. */
export function resourcesOf(state: StateExport, type: string): Array<{ name: string; res: StateResource }> {
  return (state.deployment.resources ?? []).filter((r) => r.type === type).map((res) => ({ name: urnName(res.urn), res }));
}

/** `pending_operations` of a state export (the engine records an operation there before it starts it). */
export function pendingOperations(state: StateExport): Array<{ type: string; resource: { urn: string; id?: string } }> {
  return ((state.deployment as Record<string, unknown>).pending_operations as Array<{ type: string; resource: { urn: string; id?: string } }> | undefined) ?? [];
}

/** One live trunk as the comparison needs it. */
export interface LiveTrunk {
  id: string;
  name: string;
}

/**
 * Compares what the state says exists with what the vendor holds: same ids, each with the name
 * the state records, no vendor trunk twice under one name, and (when given) exactly the expected
 * names. `label` says which step; every mismatch is listed in the message.
 */
export function expectStateMatchesVendor(
  label: string,
  state: StateExport,
  type: string,
  live: LiveTrunk[],
  nameOutput: string,
  expectedNames?: readonly string[],
): void {
  const inState = resourcesOf(state, type).map(({ name, res }) => ({ resource: name, id: String(res.id ?? ""), name: String(res.outputs?.[nameOutput] ?? "") }));
  const problems: string[] = [];
  const liveById = new Map(live.map((t) => [t.id, t]));
  const stateById = new Map(inState.map((t) => [t.id, t]));
  for (const s of inState) {
    const l = liveById.get(s.id);
    if (!l) problems.push(`lost: state has ${s.resource} = ${s.id} (${JSON.stringify(s.name)}), the vendor does not`);
    else if (l.name !== s.name) problems.push(`name mismatch for ${s.id}: state ${JSON.stringify(s.name)}, vendor ${JSON.stringify(l.name)}`);
  }
  for (const l of live) if (!stateById.has(l.id)) problems.push(`orphan: the vendor has ${l.id} (${JSON.stringify(l.name)}), the state does not`);
  const byName = new Map<string, string[]>();
  for (const l of live) byName.set(l.name, [...(byName.get(l.name) ?? []), l.id]);
  for (const [name, ids] of byName) if (ids.length > 1) problems.push(`duplicate: ${ids.length} trunks named ${JSON.stringify(name)}: ${ids.join(", ")}`);
  if (inState.length !== new Set(inState.map((s) => s.id)).size) problems.push(`the state records one id for two resources`);
  if (expectedNames) {
    const want = [...expectedNames].sort();
    const have = inState.map((s) => s.name).sort();
    if (JSON.stringify(want) !== JSON.stringify(have)) {
      const missing = want.filter((n) => !have.includes(n));
      const extra = have.filter((n) => !want.includes(n));
      problems.push(`the state's trunks are not the declared ones: missing [${missing.join(", ")}], extra [${extra.join(", ")}]`);
    }
  }
  log(`${label}: state ${inState.length}, vendor ${live.length}, problems ${problems.length}`);
  assert.ok(problems.length === 0, `${label}: the state and the vendor disagree (${problems.length} problems):\n  ${problems.join("\n  ")}`);
}
