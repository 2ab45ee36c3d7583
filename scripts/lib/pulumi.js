// Finding and running the Pulumi CLI offline, shared by `npm run demo` and the end-to-end suite.
"use strict";
const { spawn, spawnSync } = require("node:child_process");
const fs = require("node:fs");
const os = require("node:os");
const path = require("node:path");

const ROOT = path.resolve(__dirname, "../..");

function pinnedVersion() {
  return require(path.join(ROOT, "node_modules/@pulumi/pulumi/package.json")).version;
}

function cacheRoot() {
  return process.env.PULUMI_SIP_TRUNKS_CACHE || path.join(os.homedir(), ".cache", "pulumi-sip-trunks");
}

/** The CLI version asked of scripts/build-pulumi-cli.sh: PULUMI_CLI_VERSION, else that of the pinned SDK. */
function wantedVersion() {
  return process.env.PULUMI_CLI_VERSION || `v${pinnedVersion()}`;
}

/**
 * The bin directory scripts/build-pulumi-cli.sh built for the wanted version, or undefined when it has not.
 * The build names its directory after what it built (CLI and language-host versions, which may be fallbacks),
 * and records that name in `<cache>/for-<wanted version>`.
 */
function cacheBinDir() {
  let name;
  try {
    name = fs.readFileSync(path.join(cacheRoot(), `for-${wantedVersion()}`), "utf8").trim();
  } catch {
    return undefined;
  }
  if (!/^pulumi-v[0-9][^/\\]*$/.test(name)) return undefined;
  return path.join(cacheRoot(), name, "bin");
}

function onPath(name) {
  for (const dir of (process.env.PATH || "").split(path.delimiter)) {
    const candidate = path.join(dir, name);
    try {
      fs.accessSync(candidate, fs.constants.X_OK);
      return dir;
    } catch {
      /* keep looking */
    }
  }
  return undefined;
}

/**
 * The directory holding `pulumi` and `pulumi-language-nodejs`, or undefined: a CLI on PATH first
 * (a user's own installation), then the one scripts/build-pulumi-cli.sh cached.
 */
function findPulumiBin() {
  const dir = onPath("pulumi");
  if (dir && (fs.existsSync(path.join(dir, "pulumi-language-nodejs")) || onPath("pulumi-language-nodejs"))) return dir;
  const cached = cacheBinDir();
  if (cached && fs.existsSync(path.join(cached, "pulumi")) && fs.existsSync(path.join(cached, "pulumi-language-nodejs"))) return cached;
  return undefined;
}

const HOW_TO_GET_PULUMI = `The Pulumi CLI was not found (neither on PATH nor built for ${wantedVersion()} in ${cacheRoot()}).
Get it one of these ways:
  - npm run pulumi:build      builds the Pulumi CLI and its Node.js language host from Go modules: ${pinnedVersion()} when
                              the module proxy serves it, else the newest release it does (see README)
                              (needs Go and the Go module proxy; cached outside the repo, minutes the first time)
  - install the Pulumi CLI ${pinnedVersion()} from pulumi.com and put it on PATH`;

/** Returns the bin dir, building the CLI first when allowed and needed. */
function ensurePulumi({ build = true, log = (m) => process.stderr.write(`${m}\n`) } = {}) {
  const found = findPulumiBin();
  if (found) return found;
  if (!build || !onPath("go")) {
    const err = new Error(HOW_TO_GET_PULUMI);
    err.code = "NO_PULUMI";
    throw err;
  }
  log(`No Pulumi CLI found; building pulumi ${pinnedVersion()} from Go modules (scripts/build-pulumi-cli.sh)...`);
  const r = spawnSync("bash", [path.join(ROOT, "scripts/build-pulumi-cli.sh")], { stdio: ["ignore", "pipe", "inherit"], encoding: "utf8" });
  if (r.status !== 0) {
    const err = new Error(`Building the Pulumi CLI failed (exit ${r.status}).\n${HOW_TO_GET_PULUMI}`);
    err.code = "NO_PULUMI";
    throw err;
  }
  return r.stdout.trim().split("\n").pop();
}

/** Environment for an offline run: local file backend, passphrase secrets, no update checks or plugin downloads. */
function pulumiEnv(binDir, stateDir, extra = {}) {
  fs.mkdirSync(path.join(stateDir, "backend"), { recursive: true });
  fs.mkdirSync(path.join(stateDir, "home"), { recursive: true });
  const env = { ...process.env };
  for (const k of ["DIDWW_API_KEY", "DIDWW_API_URL"]) delete env[k];
  return {
    ...env,
    PATH: [binDir, path.join(ROOT, "node_modules/.bin"), process.env.PATH].join(path.delimiter),
    PULUMI_HOME: path.join(stateDir, "home"),
    PULUMI_BACKEND_URL: `file://${path.join(stateDir, "backend")}`,
    PULUMI_CONFIG_PASSPHRASE: process.env.PULUMI_CONFIG_PASSPHRASE ?? "",
    PULUMI_SKIP_UPDATE_CHECK: "true",
    PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION: "true",
    PULUMI_SKIP_CHECKPOINTS: "false",
    PULUMI_AUTOMATION_API_SKIP_VERSION_CHECK: "true",
    NO_COLOR: "1",
    ...extra,
  };
}

/** Runs `pulumi args...`; resolves { code, stdout, stderr } (never rejects on a non-zero exit). */
function runPulumi(args, { cwd = ROOT, env, echo = false, input } = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn("pulumi", [...args, "--non-interactive", "--color", "never"], { cwd, env, stdio: ["pipe", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d) => { stdout += d; if (echo) process.stdout.write(d); });
    child.stderr.on("data", (d) => { stderr += d; if (echo) process.stderr.write(d); });
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout, stderr }));
    if (input !== undefined) child.stdin.end(input);
    else child.stdin.end();
  });
}

module.exports = { ROOT, HOW_TO_GET_PULUMI, pinnedVersion, wantedVersion, cacheRoot, cacheBinDir, findPulumiBin, ensurePulumi, pulumiEnv, runPulumi };
