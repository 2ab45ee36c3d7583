/**
 * npm and the other command-line tools a new user runs, for test/e2e/package.test.ts. Every child gets the
 * environment of the test minus what `npm run` adds for its own script (the repository's prefix, the package's
 * fields), so an `npm install` in a temporary project cannot be steered back into the repository. npm's cache is
 * left where it is: every install here shares it, and what it already holds is not fetched again.
 */
import { spawn } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";

export interface Ran {
  cmd: string;
  code: number | null;
  stdout: string;
  stderr: string;
  ms: number;
}

const DROPPED_NPM_CONFIG = new Set(["npm_config_local_prefix", "npm_config_prefix", "npm_config_global_prefix", "npm_config_call", "npm_config_user_agent", "npm_config_npm_version"]);

/** The test's environment without the variables `npm run` sets for the repository's own script. */
export function userEnv(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) {
    const key = k.toLowerCase();
    if (key === "init_cwd" || DROPPED_NPM_CONFIG.has(key)) continue;
    if (key.startsWith("npm_") && !key.startsWith("npm_config_")) continue;
    env[k] = v;
  }
  return { ...env, ...extra };
}

const LIMIT = 8000;
const tail = (s: string): string => (s.length > LIMIT ? `…${s.slice(-LIMIT)}` : s);

/** What went wrong in a run, for assertion messages. */
export function describeRun(r: Ran): string {
  return `\n$ ${r.cmd} → exit ${r.code} in ${r.ms} ms\n----- stdout -----\n${tail(r.stdout)}\n----- stderr -----\n${tail(r.stderr)}\n------------------`;
}

/** Runs `file args…` in `cwd` (no shell); resolves with the exit code and output, never rejects on a non-zero exit. */
export function run(file: string, args: string[], cwd: string, env: NodeJS.ProcessEnv = userEnv()): Promise<Ran> {
  const t0 = Date.now();
  return new Promise((resolve, reject) => {
    const child = spawn(file, args, { cwd, env, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d) => (stdout += d));
    child.stderr.on("data", (d) => (stderr += d));
    child.on("error", reject);
    child.on("close", (code) => resolve({ cmd: [file, ...args].join(" "), code, stdout, stderr, ms: Date.now() - t0 }));
  });
}

export async function mustRun(what: string, file: string, args: string[], cwd: string, env?: NodeJS.ProcessEnv): Promise<Ran> {
  const r = await run(file, args, cwd, env);
  if (r.code !== 0) throw new Error(`${what} failed${describeRun(r)}`);
  return r;
}

/** One file of `npm pack --json`. */
export interface PackedFile {
  path: string;
  size: number;
}

/** `npm pack` of `repo` into `dest`: the tarball's absolute path and its file list. Runs the package's `prepack`. */
export async function npmPack(repo: string, dest: string): Promise<{ tarball: string; files: PackedFile[]; ms: number }> {
  const r = await mustRun("npm pack", "npm", ["pack", "--json", "--pack-destination", dest], repo);
  const json = r.stdout.slice(r.stdout.indexOf("[")); // lifecycle scripts may print before the JSON
  const [info] = JSON.parse(json) as Array<{ filename: string; files: PackedFile[] }>;
  const tarball = path.join(dest, info.filename);
  if (!fs.existsSync(tarball)) throw new Error(`npm pack reported ${info.filename}, but ${tarball} does not exist${describeRun(r)}`);
  return { tarball, files: info.files, ms: r.ms };
}

/** Every file under `dir`, as paths relative to it with forward slashes. */
export function listFiles(dir: string, prefix = ""): string[] {
  const out: string[] = [];
  for (const entry of fs.readdirSync(path.join(dir, prefix), { withFileTypes: true })) {
    const rel = prefix ? `${prefix}/${entry.name}` : entry.name;
    if (entry.isDirectory()) out.push(...listFiles(dir, rel));
    else out.push(rel);
  }
  return out.sort();
}
