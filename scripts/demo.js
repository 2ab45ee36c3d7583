#!/usr/bin/env node
// `npm run demo`: the repository root as a Pulumi project, run for real against the local emulator.
// Starts the emulator, runs `pulumi up`, prints the outputs, changes a trunk behind Pulumi's back,
// shows the drift that `preview --refresh` finds, repairs it with `up --refresh`, and destroys.
"use strict";
const fs = require("node:fs");
const path = require("node:path");
const { ROOT, ensurePulumi, pulumiEnv, runPulumi } = require("./lib/pulumi");

const STACK = "demo";
const DEMO_KEY = "demo-api-key";

function banner(text) {
  process.stdout.write(`\n=== ${text}\n`);
}

async function step(title, args, env, { allowFail = false } = {}) {
  banner(`${title}\n$ pulumi ${args.join(" ")}`);
  const r = await runPulumi(args, { env, echo: true });
  if (r.code !== 0 && !allowFail) throw new Error(`pulumi ${args[0]} failed (exit ${r.code})`);
  return r;
}

async function main() {
  let bin;
  try {
    bin = ensurePulumi({ build: process.env.SIP_TRUNKS_DEMO_BUILD_CLI !== "0" });
  } catch (err) {
    if (err.code === "NO_PULUMI") {
      process.stderr.write(`\n${err.message}\n`);
      process.exit(2);
    }
    throw err;
  }
  const { startEmulator, DEFAULT_DID_IDS } = require(path.join(ROOT, "dist/emulator"));
  const emu = await startEmulator({ port: 0, apiKeys: [DEMO_KEY] });
  process.stdout.write(`DIDWW emulator listening on ${emu.didwwUrl}\n`);
  const stateDir = path.join(ROOT, ".state", "demo");
  const stackConfigFile = path.join(ROOT, `Pulumi.${STACK}.yaml`);
  // Every run starts from nothing: a fresh local backend and no stack config from an earlier run.
  fs.rmSync(stateDir, { recursive: true, force: true });
  fs.rmSync(stackConfigFile, { force: true });
  const env = pulumiEnv(bin, stateDir);
  try {
    await step("Create the demo stack (local file backend)", ["stack", "init", STACK], env);
    for (const args of [
      ["config", "set", "didww:apiUrl", emu.didwwUrl],
      ["config", "set", "--secret", "didww:apiKey", DEMO_KEY],
      ["config", "set", "--path", "callerIdDids[0]", DEFAULT_DID_IDS.plain[0]],
      ["config", "set", "--path", "callerIdDids[1]", DEFAULT_DID_IDS.plain[1]],
      ["config", "set", "--path", "emergencyDids[0]", DEFAULT_DID_IDS.emergency[0]],
    ]) {
      const r = await runPulumi(args, { env });
      if (r.code !== 0) throw new Error(`pulumi ${args.join(" ")} failed: ${r.stderr}`);
    }
    await step("1. pulumi up: create the trunks", ["up", "--yes", "--skip-preview"], env);
    const outputs = await runPulumi(["stack", "output", "--json"], { env });
    banner("Stack outputs (secrets stay encrypted in state and hidden here)");
    process.stdout.write(outputs.stdout);
    const ids = JSON.parse(outputs.stdout);
    const live = emu.store.didww.getTrunk(ids.pbxTrunkId);
    process.stdout.write(`\nThe emulator holds ${emu.store.didww.listTrunks().length} trunks; pbx is ${live.status} with capacity ${live.capacity_limit}.\n`);

    await step("2. A second preview finds nothing to do", ["preview", "--expect-no-changes"], env);

    banner("3. Someone changes the pbx trunk in the DIDWW panel: status blocked, capacity 5");
    emu.store.didww.updateTrunk(ids.pbxTrunkId, { status: "blocked", capacity_limit: 5 });
    await emu.store.flush();

    const drift = await step("4. preview --refresh shows the drift", ["preview", "--refresh", "--diff"], env);
    if (!/status/.test(drift.stdout) || !/blocked/.test(drift.stdout)) throw new Error("the preview did not show the changed status");

    await step("5. up --refresh repairs it", ["up", "--refresh", "--yes", "--skip-preview"], env);
    const repaired = emu.store.didww.getTrunk(ids.pbxTrunkId);
    process.stdout.write(`\npbx is ${repaired.status} with capacity ${repaired.capacity_limit} again.\n`);
    if (repaired.status !== "active" || repaired.capacity_limit !== 30) throw new Error("drift was not repaired");

    await step("6. Nothing left to do", ["preview", "--refresh", "--expect-no-changes"], env);
    await step("7. pulumi destroy", ["destroy", "--yes", "--skip-preview"], env);
    const left = emu.store.didww.listTrunks().length;
    process.stdout.write(`\nTrunks left in the emulator: ${left}\n`);
    if (left !== 0) throw new Error("destroy left trunks behind");
    banner("Demo finished: create, no-op, drift found, drift repaired, destroy.");
  } finally {
    await emu.close();
    fs.rmSync(stackConfigFile, { force: true });
  }
}

main().catch((err) => {
  process.stderr.write(`\ndemo failed: ${err.message}\n`);
  process.exit(1);
});
