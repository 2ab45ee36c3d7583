/**
 * Upgrade safety: stack state written by an earlier version (checked in under test/e2e/upgrade/,
 * never regenerated) must keep working with the code of today: import it into a fresh backend,
 * point it at a fresh emulator started from a temporary copy of the checked-in emulator data, then
 * refresh, preview (no changes), update in place and destroy. A second state, the first one without
 * some output keys (as a still older version would have written it), must preview and update
 * without a change and get the keys back from a refresh.
 */
import * as assert from "node:assert/strict";
import { createHash } from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import { startEmulator, type EmulatorHandle } from "../../emulator";
import { UPGRADE_DIR, Workspace, describeWithPulumi, expectUpdatedInPlace, explain, opsFor, randomSuffix, type StateExport, type TrunkSpecs } from "./support";
import { UPGRADE_FILES, UPGRADE_STACK } from "./upgrade/fixture";
import { REMOVED_OUTPUTS, deriveText } from "./upgrade/missing-keys";

const KEY = `e2e-key-${randomSuffix()}${randomSuffix()}`;
const fixture = (f: string) => path.join(UPGRADE_DIR, f);
const digest = (file: string) => createHash("sha256").update(fs.readFileSync(file)).digest("hex");

describeWithPulumi("e2e: upgrade — state written by pulumi-sip-trunks 0.1.0", (bin) => {
  let emu: EmulatorHandle;
  let ws: Workspace;
  let oldState: StateExport;
  let oldIds: Record<string, string>;
  const hashes: Record<string, string> = {};
  let suiteStart = Date.now();

  before(() => {
    suiteStart = Date.now();
    for (const f of Object.values(UPGRADE_FILES)) hashes[f] = digest(fixture(f));
    oldState = JSON.parse(fs.readFileSync(fixture(UPGRADE_FILES.state), "utf8")) as StateExport;
    oldIds = Object.fromEntries(Object.entries(Workspace.trunks(oldState)).map(([name, r]) => [name, String(r.id)]));
    assert.deepEqual(Object.keys(oldIds).sort(), ["pbx", "twilio"], "the fixture holds the pbx and twilio trunks");
  });

  after(() => {
    for (const [f, h] of Object.entries(hashes)) assert.equal(digest(fixture(f)), h, `the checked-in fixture ${f} must never be modified`);
    console.log(`      [e2e] upgrade suites: ${((Date.now() - suiteStart) / 1000).toFixed(1)} s`);
  });

  /** A fresh backend and a fresh emulator (from a temporary copy of the checked-in data), the old stack config in place. */
  async function setUp(label: string): Promise<void> {
    ws = new Workspace(bin(), label);
    // The emulator runs on a copy: the checked-in data file is never written.
    const dataFile = path.join(ws.stateDir, "emulator-data.json");
    fs.copyFileSync(fixture(UPGRADE_FILES.emulatorData), dataFile);
    emu = await startEmulator({ port: 0, apiKeys: [KEY], dataFile });
    assert.equal(emu.startedFrom, "dataFile");
    assert.deepEqual(
      emu.store.didww.listTrunks().map((t) => t.id).sort(),
      Object.values(oldIds).sort(),
      "the emulator data holds the trunks the state refers to",
    );
    // The stack config file carries the passphrase salt the state's secrets were encrypted with.
    fs.copyFileSync(fixture(UPGRADE_FILES.stackConfig), path.join(ws.projectDir, `Pulumi.${UPGRADE_STACK}.yaml`));
    console.log(`      [e2e] emulator ${emu.didwwUrl} (from a copy of ${UPGRADE_FILES.emulatorData}), state ${ws.stateDir}`);
  }

  async function tearDown(): Promise<void> {
    await emu?.close();
    ws?.cleanup();
  }

  /** `stack init` + `stack import` of a checked-in state, then the new emulator's URL and key. */
  async function importOldState(file: string = UPGRADE_FILES.state): Promise<StateExport> {
    await ws.ok(["stack", "init", UPGRADE_STACK]);
    await ws.ok(["stack", "import", "--file", fixture(file)], UPGRADE_STACK);
    await ws.configure(UPGRADE_STACK, emu.didwwUrl, KEY);
    const state = await ws.checkState(UPGRADE_STACK, "stack import (old state)");
    assert.deepEqual(
      Object.fromEntries(Object.entries(Workspace.trunks(state)).map(([n, r]) => [n, r.id])),
      oldIds,
    );
    return state;
  }

  describe("old stack: import, refresh, preview, update, destroy", function () {
    this.timeout(300_000);
    before(async function () {
      this.timeout(120_000);
      await setUp("upgrade");
    });
    after(async function () {
      this.timeout(60_000);
      await tearDown();
    });

    it("the old state imports into a fresh backend", async () => {
      await importOldState();
      // The secrets of the old state decrypt with the checked-in salt and the empty passphrase.
      const shown = await ws.outputs(UPGRADE_STACK, true);
      const pbx = emu.store.didww.getTrunk(oldIds.pbx)!;
      const creds = pbx.authentication_method.attributes as { username: string; password: string };
      assert.equal(shown.trunks.pbx.username, creds.username);
      assert.equal(shown.trunks.pbx.password, creds.password);
    });

    it("preview of the old state, before any refresh, proposes no change", async () => {
      const r = await ws.pulumi(["preview", "--expect-no-changes"], UPGRADE_STACK);
      assert.equal(r.code, 0, `upgrading the package must not make old state diff${explain(r)}`);
    });

    it("refresh works and finds no change (the old __provider runs with the code of today)", async () => {
      emu.requests.clear();
      // --run-program: without it, refresh (like destroy) configures the provider from the provider
      // config recorded in state, i.e. the fixture's long-gone emulator URL and key, not the stack config.
      const { run, state } = await ws.step(
        ["refresh", "--run-program", "--yes", "--skip-preview", "--expect-no-changes"],
        UPGRADE_STACK,
        "refresh --run-program (old state)",
      );
      const reads = emu.requests.list().filter((r) => r.method === "GET").map((r) => r.path);
      for (const id of Object.values(oldIds)) assert.ok(reads.some((p) => p.includes(id)), `refresh should read trunk ${id}${explain(run)}`);
      assert.deepEqual(emu.requests.list().filter((r) => r.method !== "GET").map((r) => `${r.method} ${r.path}`), [], `refresh must not write${explain(run)}`);
      const trunks = Workspace.trunks(state);
      assert.equal(trunks.pbx?.outputs?.status, "active");
      assert.equal(trunks.pbx?.outputs?.capacityLimit, 30);
      assert.equal(trunks.twilio?.outputs?.rtpTimeout, 60);
    });

    it("preview --expect-no-changes passes after the refresh", async () => {
      const r = await ws.pulumi(["preview", "--expect-no-changes"], UPGRADE_STACK);
      assert.equal(r.code, 0, explain(r));
    });

    it("an up with a changed attribute updates in place", async () => {
      const current = await ws.ok(["config", "get", "trunks"], UPGRADE_STACK);
      const specs = JSON.parse(current.stdout) as TrunkSpecs;
      specs.pbx.args = { ...specs.pbx.args, capacityLimit: 31 };
      specs.twilio.args = { ...specs.twilio.args, rtpTimeout: 90 };
      await ws.setTrunks(UPGRADE_STACK, specs);
      const { run, state } = await ws.step(["up", "--yes", "--skip-preview", "--json"], UPGRADE_STACK, "up (old state, changed attributes)");
      expectUpdatedInPlace(run, "pbx");
      expectUpdatedInPlace(run, "twilio");
      assert.deepEqual(
        Object.fromEntries(Object.entries(Workspace.trunks(state)).map(([n, r]) => [n, r.id])),
        oldIds,
        "same ids after the update",
      );
      assert.equal(emu.store.didww.getTrunk(oldIds.pbx)?.capacity_limit, 31, explain(run));
      assert.equal(emu.store.didww.getTrunk(oldIds.twilio)?.rtp_timeout, 90, explain(run));
      const r = await ws.pulumi(["preview", "--expect-no-changes"], UPGRADE_STACK);
      assert.equal(r.code, 0, `no perpetual diff after the update${explain(r)}`);
    });

    it("destroy leaves the emulator empty", async () => {
      const { run } = await ws.step(["destroy", "--yes", "--skip-preview"], UPGRADE_STACK, "destroy (old state)");
      assert.deepEqual(emu.store.didww.listTrunks(), [], `destroy should delete the trunks${explain(run)}`);
    });
  });

  describe("older stack whose trunk outputs lack keys (rtpPing, status, rtpTimeout): import, preview, up, refresh", function () {
    this.timeout(300_000);
    /** The emulator's trunks, to show that nothing was written to them. */
    let liveBefore: string;
    before(async function () {
      this.timeout(120_000);
      await setUp("upgrade-missing-keys");
      liveBefore = JSON.stringify(emu.store.didww.listTrunks());
    });
    after(async function () {
      this.timeout(60_000);
      await tearDown();
    });

    /** Non-GET requests the emulator served since the last clear, as `METHOD path`. */
    const writes = () => emu.requests.list().filter((r) => r.method !== "GET").map((r) => `${r.method} ${r.path}`);

    it("the checked-in state is state.json without exactly those keys (missing-keys.ts)", () => {
      const text = fs.readFileSync(fixture(UPGRADE_FILES.stateMissingKeys), "utf8");
      assert.equal(text, deriveText(fs.readFileSync(fixture(UPGRADE_FILES.state), "utf8")), "state-missing-keys.json is the documented derivation of state.json");
      const trunks = Workspace.trunks(JSON.parse(text) as StateExport);
      for (const [name, removed] of Object.entries(REMOVED_OUTPUTS)) {
        for (const key of Object.keys(removed)) assert.equal(key in (trunks[name]?.outputs ?? {}), false, `${name}.outputs.${key} is absent`);
      }
    });

    it("imports into a fresh backend with the keys still absent", async () => {
      const state = await importOldState(UPGRADE_FILES.stateMissingKeys);
      const trunks = Workspace.trunks(state);
      for (const [name, removed] of Object.entries(REMOVED_OUTPUTS)) {
        for (const key of Object.keys(removed)) assert.equal(key in (trunks[name]?.outputs ?? {}), false, `${name}.outputs.${key} is absent after the import`);
      }
    });

    it("preview proposes no change (a missing key means DIDWW's default, which the program asks for)", async () => {
      emu.requests.clear();
      const r = await ws.pulumi(["preview", "--expect-no-changes"], UPGRADE_STACK);
      assert.equal(r.code, 0, `missing output keys must not make old state diff${explain(r)}`);
      assert.deepEqual(writes(), [], `preview must not write${explain(r)}`);
    });

    it("up changes nothing: no PATCH (no write request at all), every trunk `same`", async () => {
      emu.requests.clear();
      const { run, state } = await ws.step(["up", "--yes", "--skip-preview", "--json"], UPGRADE_STACK, "up (state with missing keys)");
      assert.deepEqual(writes(), [], `up must send no write request${explain(run)}`);
      for (const name of Object.keys(REMOVED_OUTPUTS)) assert.deepEqual(opsFor(run, name), ["same"], `${name} is unchanged${explain(run)}`);
      assert.equal(JSON.stringify(emu.store.didww.listTrunks()), liveBefore, "the emulator's trunks are untouched");
      const trunks = Workspace.trunks(state);
      // A `same` step keeps the old outputs: the keys are still absent until a refresh reads them.
      for (const [name, removed] of Object.entries(REMOVED_OUTPUTS)) {
        for (const key of Object.keys(removed)) assert.equal(key in (trunks[name]?.outputs ?? {}), false, `${name}.outputs.${key} after the up`);
      }
      console.log(`      [e2e] up of the state with missing keys: ${emu.requests.list().length} API requests, 0 writes`);
    });

    it("refresh fills the missing keys from DIDWW, without writing, and reports no change", async () => {
      emu.requests.clear();
      // --expect-no-changes: the engine compares the inputs read returns, which a filled-in default leaves as they were.
      const { run, state } = await ws.step(["refresh", "--run-program", "--yes", "--skip-preview", "--expect-no-changes"], UPGRADE_STACK, "refresh --run-program (state with missing keys)");
      assert.deepEqual(writes(), [], `refresh must not write${explain(run)}`);
      const reads = emu.requests.list().filter((r) => r.method === "GET").map((r) => r.path);
      for (const id of Object.values(oldIds)) assert.equal(reads.filter((p) => p.includes(id)).length, 1, `refresh reads trunk ${id} once: ${reads.join(", ")}${explain(run)}`);
      const trunks = Workspace.trunks(state);
      for (const [name, removed] of Object.entries(REMOVED_OUTPUTS)) {
        for (const [key, value] of Object.entries(removed)) assert.deepEqual(trunks[name]?.outputs?.[key], value, `${name}.outputs.${key} is filled by the refresh${explain(run)}`);
      }
      assert.equal(trunks.twilio?.outputs?.rtpTimeout, 60, "the key that was kept keeps its value");
      assert.equal(JSON.stringify(emu.store.didww.listTrunks()), liveBefore, "the emulator's trunks are untouched");
    });

    it("preview --expect-no-changes after the refresh, and another up writes nothing", async () => {
      const r = await ws.pulumi(["preview", "--expect-no-changes"], UPGRADE_STACK);
      assert.equal(r.code, 0, explain(r));
      emu.requests.clear();
      const { run } = await ws.step(["up", "--yes", "--skip-preview", "--expect-no-changes"], UPGRADE_STACK, "up after the refresh (state with missing keys)");
      assert.deepEqual(writes(), [], `up must send no write request${explain(run)}`);
    });
  });

  describe("old stack: destroyed directly, with nothing run before", function () {
    this.timeout(300_000);
    before(async function () {
      this.timeout(120_000);
      await setUp("upgrade-destroy");
    });
    after(async function () {
      this.timeout(60_000);
      await tearDown();
    });

    it("destroy --run-program of the freshly imported old state deletes its trunks", async () => {
      await importOldState();
      emu.requests.clear();
      const { run } = await ws.step(["destroy", "--run-program", "--yes", "--skip-preview"], UPGRADE_STACK, "destroy --run-program (old state)");
      const deletes = emu.requests.list().filter((r) => r.method === "DELETE").map((r) => r.path).sort();
      assert.deepEqual(deletes, Object.values(oldIds).map((id) => `/v3/voice_out_trunks/${id}`).sort(), explain(run));
      assert.deepEqual(emu.store.didww.listTrunks(), [], `destroy should delete the trunks${explain(run)}`);
    });
  });
});
