/**
 * End to end in plugin mode: the real `pulumi` CLI with the provider plugin
 * (`plugin/pulumi-resource-siptrunks`, found through the project's `plugins.providers` entry) on
 * test/e2e/plugin-project, against fresh DIDWW emulators.
 *
 * - the lifecycle of the dynamic suite: up, no-op preview, in-place auth switch, drift alarm and
 *   a detailed drift diff, out-of-band delete, destroy;
 * - `pulumi import` by type token and id, and the `import` resource option (`= import` in
 *   preview, a mismatch refused);
 * - two DIDWW accounts in one program through two explicit providers;
 * - a stack of dynamic trunks moved to plugin mode by an alias: nothing replaced.
 */
import * as assert from "node:assert/strict";
import { startEmulator, type EmulatorHandle } from "../../emulator";
import { TWILIO_SID, Workspace, describeWithPulumi, events, expectFail, expectUpdatedInPlace, explain, randomSuffix, summary, urnName, type Run, type StateExport } from "./support";
import * as path from "node:path";

const PROJECT = path.join(__dirname, "plugin-project");
const PLUGIN_TYPE = "siptrunks:didww:OutboundTrunk";
const DYNAMIC_TYPE = "pulumi-nodejs:dynamic/didww:OutboundTrunk";

const credArgs = (name: string, extra: Record<string, unknown> = {}) => ({
  name,
  onCliMismatchAction: "reject_call",
  authenticationMethod: { type: "credentials_and_ip", allowedSipIps: ["203.0.113.10"] },
  capacityLimit: 10,
  ...extra,
});
const twilioArgs = (name: string) => ({ name, onCliMismatchAction: "send_original_cli", authenticationMethod: { type: "twilio", twilioAccountSid: TWILIO_SID } });

/** The trunks of a state export (either type), by resource name. */
function trunksOf(state: StateExport): Record<string, { type: string; id?: string; inputs?: Record<string, unknown>; outputs?: Record<string, unknown> }> {
  const out: Record<string, { type: string; id?: string; inputs?: Record<string, unknown>; outputs?: Record<string, unknown> }> = {};
  for (const r of state.deployment.resources ?? []) if (r.type === PLUGIN_TYPE || r.type === DYNAMIC_TYPE) out[urnName(r.urn)] = r;
  return out;
}

/** Step operations a `--json` run reported for `name`, of any type: `preview --json` prints one document of steps, `up --json` events. */
function ops(run: Run, name: string): string[] {
  const seen = new Set<string>();
  if (run.stdout.trimStart().startsWith("{\n")) {
    try {
      const doc = JSON.parse(run.stdout) as { steps?: Array<{ op: string; urn: string }> };
      for (const s of doc.steps ?? []) if (s.urn.endsWith(`::${name}`)) seen.add(s.op);
      return [...seen].sort();
    } catch {
      /* event lines */
    }
  }
  for (const ev of events(run)) {
    const md = (ev.resourcePreEvent ?? ev.resOutputsEvent)?.metadata;
    if (md && typeof md.urn === "string" && md.urn.endsWith(`::${name}`)) seen.add(md.op);
  }
  return [...seen].sort();
}

describeWithPulumi("e2e: plugin mode (pulumi-resource-siptrunks) through the pulumi CLI", (bin) => {
  const KEY = `plugin-e2e-${randomSuffix()}${randomSuffix()}`;
  let emu: EmulatorHandle;
  let ws: Workspace;

  before(async function () {
    this.timeout(60_000);
    emu = await startEmulator({ port: 0, apiKeys: [KEY] });
    ws = new Workspace(bin(), "plugin", PROJECT);
    ws.forbidden.add(KEY);
  });
  after(async () => {
    await emu?.close();
    ws?.cleanup();
  });

  /** A stack whose default siptrunks provider (and dynamic provider, for the move) point at the emulator. */
  async function initStack(stack: string): Promise<void> {
    await ws.ok(["stack", "init", stack]);
    await ws.ok(["config", "set", "siptrunks:didwwApiUrl", emu.didwwUrl], stack);
    await ws.ok(["config", "set", "--secret", "siptrunks:didwwApiKey", KEY], stack);
  }
  const setTrunks = (stack: string, specs: Record<string, unknown>) => ws.ok(["config", "set", "trunks", JSON.stringify(specs)], stack);

  describe("lifecycle", () => {
    const STACK = "life";
    let ids: Record<string, string> = {};

    it("up creates two trunks through the plugin: siptrunks types, credentials secret, no API key in state or output", async () => {
      await initStack(STACK);
      await setTrunks(STACK, { pbx: { args: credArgs("plugin pbx") }, origin: { args: twilioArgs("plugin origin") } });
      const { run, state } = await ws.step(["up", "--yes", "--json"], STACK, "up");
      assert.equal(summary(run)?.resourceChanges?.create, 3, `the stack and two trunks${explain(run)}`);
      for (const name of ["pbx", "origin"]) assert.deepEqual(ops(run, name), ["create"], explain(run));
      const trunks = trunksOf(state);
      assert.deepEqual(Object.keys(trunks).sort(), ["origin", "pbx"]);
      for (const t of Object.values(trunks)) {
        assert.equal(t.type, PLUGIN_TYPE);
        assert.equal(t.outputs?.__provider, undefined, "plugin-mode state carries no serialized provider");
        assert.ok(emu.store.didww.getTrunk(t.id as string), `${t.id} not at the emulator`);
      }
      ids = { pbx: trunks.pbx.id as string, origin: trunks.origin.id as string };
      assert.equal(typeof (await ws.outputs(STACK, true)).trunks.pbx.password, "string");
    });

    it("a second preview changes nothing (--expect-no-changes), and the drift alarm is quiet", async () => {
      await ws.ok(["preview", "--expect-no-changes"], STACK);
      await ws.ok(["refresh", "--preview-only", "--expect-no-changes"], STACK);
    });

    it("switching pbx from credentials_and_ip to twilio auth is an in-place update, shown property by property", async () => {
      await setTrunks(STACK, { pbx: { args: { ...twilioArgs("plugin pbx"), capacityLimit: 10 } }, origin: { args: twilioArgs("plugin origin") } });
      const preview = await ws.ok(["preview", "--diff"], STACK);
      assert.match(preview.stdout, /~ siptrunks:didww:OutboundTrunk: \(update\)/);
      assert.match(preview.stdout, /~ type\s*: "credentials_and_ip" => "twilio"/, explain(preview));
      assert.doesNotMatch(preview.stdout, /replace/, explain(preview));
      const { run } = await ws.step(["up", "--yes", "--json"], STACK, "auth switch");
      expectUpdatedInPlace(run, "pbx", PLUGIN_TYPE);
      assert.equal(emu.store.didww.getTrunk(ids.pbx)?.authentication_method?.type, "twilio");
    });

    it("drift: the alarm fails on an out-of-band change; after refresh, preview --diff shows ~ status: \"blocked\" => \"active\"; up repairs it", async () => {
      emu.store.didww.updateTrunk(ids.origin, { status: "blocked" } as never);
      expectFail(await ws.pulumi(["refresh", "--preview-only", "--expect-no-changes"], STACK), "the drift alarm");
      await ws.step(["refresh", "--yes"], STACK, "refresh");
      const preview = await ws.ok(["preview", "--diff"], STACK);
      assert.match(preview.stdout, /~ status\s*: "blocked" => "active"/, explain(preview));
      await ws.step(["up", "--yes"], STACK, "repair");
      assert.equal(emu.store.didww.getTrunk(ids.origin)?.status, "active");
      await ws.ok(["refresh", "--preview-only", "--expect-no-changes"], STACK);
    });

    it("a trunk deleted out of band: refresh drops it from the state, up creates it again", async () => {
      emu.store.didww.deleteTrunk(ids.origin);
      const { state } = await ws.step(["refresh", "--yes"], STACK, "refresh after delete");
      assert.deepEqual(Object.keys(trunksOf(state)), ["pbx"]);
      const { run, state: after } = await ws.step(["up", "--yes", "--json"], STACK, "recreate");
      assert.deepEqual(ops(run, "origin"), ["create"], explain(run));
      ids.origin = trunksOf(after).origin.id as string;
      assert.ok(emu.store.didww.getTrunk(ids.origin));
    });

    it("destroy deletes both trunks at the emulator", async () => {
      await ws.step(["destroy", "--yes"], STACK, "destroy");
      assert.equal(emu.store.didww.getTrunk(ids.pbx), undefined);
      assert.equal(emu.store.didww.getTrunk(ids.origin), undefined);
    });
  });

  describe("import", () => {
    const STACK = "imp";
    const liveTrunk = async (name: string): Promise<string> => {
      const res = await fetch(`${emu.didwwUrl}/voice_out_trunks`, {
        method: "POST",
        headers: { "Api-Key": KEY, "Content-Type": "application/vnd.api+json", Accept: "application/vnd.api+json" },
        body: JSON.stringify({
          data: {
            type: "voice_out_trunks",
            attributes: {
              name,
              on_cli_mismatch_action: "reject_call",
              capacity_limit: 10,
              authentication_method: { type: "credentials_and_ip", attributes: { allowed_sip_ips: ["203.0.113.10"] } },
            },
          },
        }),
      });
      assert.equal(res.status, 201, await res.clone().text());
      return ((await res.json()) as { data: { id: string } }).data.id;
    };

    it("pulumi import siptrunks:didww:OutboundTrunk <name> <id> imports a live trunk: the same inputs and outputs as a trunk created with those arguments", async () => {
      await initStack(STACK);
      await setTrunks(STACK, { twin: { args: credArgs("twin") } });
      await ws.step(["up", "--yes"], STACK, "twin");
      const id = await liveTrunk("imported by CLI");
      const run = await ws.ok(["import", PLUGIN_TYPE, "cli", id, "--yes", "--generate-code=false", "--protect=false"], STACK);
      assert.match(run.stdout, /= 1 imported/, explain(run));
      const trunks = trunksOf(await ws.checkState(STACK, "import"));
      const [cli, twin] = [trunks.cli, trunks.twin];
      assert.equal(cli.id, id);
      assert.equal(cli.type, PLUGIN_TYPE);
      // Inputs in full, as a created trunk's: every input the twin has (plus the account-dependent threshold, which a program omits).
      assert.deepEqual(Object.keys(cli.inputs ?? {}).sort(), [...Object.keys(twin.inputs ?? {}), "thresholdAmount"].sort());
      const sameMeaning = ["status", "capacityLimit", "onCliMismatchAction", "defaultDstAction", "mediaEncryptionMode", "rtpTimeout", "dstPrefixes", "didIds"];
      for (const k of sameMeaning) assert.deepEqual(cli.inputs?.[k], twin.inputs?.[k], `inputs.${k}`);
      // Outputs: every output a created trunk has, but the applied-inputs snapshot an import has no program for; credentials learnt, as secrets.
      assert.deepEqual(Object.keys(cli.outputs ?? {}).sort(), Object.keys(twin.outputs ?? {}).filter((k) => k !== "__appliedInputs").sort());
      const pw = (await ws.outputs(STACK, true)).trunks;
      assert.ok(pw.twin.password);
      await ws.ok(["state", "delete", `urn:pulumi:${STACK}::sip-trunks-e2e-plugin::${PLUGIN_TYPE}::cli`, "--yes"], STACK);
      await fetch(`${emu.didwwUrl}/voice_out_trunks/${id}`, { method: "DELETE", headers: { "Api-Key": KEY } });
    });

    it("the import option: preview shows = import and creates nothing; up adopts; afterwards the option changes nothing", async () => {
      const id = await liveTrunk("adopted");
      const before = emu.store.didww.listTrunks().length;
      await setTrunks(STACK, { twin: { args: credArgs("twin") }, adopted: { args: credArgs("adopted"), import: id } });
      const preview = await ws.ok(["preview", "--json"], STACK);
      assert.deepEqual(ops(preview, "adopted"), ["import"], explain(preview));
      const up = await ws.ok(["up", "--yes", "--json"], STACK);
      assert.deepEqual(ops(up, "adopted"), ["import"], explain(up));
      assert.equal(emu.store.didww.listTrunks().length, before, "an adoption created a trunk");
      assert.equal(trunksOf(await ws.checkState(STACK, "adopt")).adopted.id, id);
      await setTrunks(STACK, { twin: { args: credArgs("twin") }, adopted: { args: credArgs("adopted") } });
      await ws.ok(["preview", "--expect-no-changes"], STACK);
    });

    it("the import option with arguments the live trunk does not match: the preview says = import then ~ update of exactly name (the engine's contract), and up does that", async () => {
      const id = await liveTrunk("live name");
      await setTrunks(STACK, { twin: { args: credArgs("twin") }, adopted: { args: credArgs("adopted") }, differs: { args: credArgs("program name"), import: id } });
      const preview = await ws.ok(["preview", "--diff"], STACK);
      assert.match(preview.stdout, /= siptrunks:didww:OutboundTrunk: \(import\)/, explain(preview));
      assert.match(preview.stdout, /~ name\s*: "live name" => "program name"/, explain(preview));
      assert.match(preview.stdout, /= 1 to import/, explain(preview));
      assert.match(preview.stdout, /~ 1 to update/, explain(preview));
      const before = emu.store.didww.listTrunks().length;
      const up = await ws.ok(["up", "--yes", "--json"], STACK);
      assert.deepEqual(ops(up, "differs"), ["import", "update"], explain(up));
      assert.equal(emu.store.didww.getTrunk(id)?.name, "program name");
      assert.equal(emu.store.didww.listTrunks().length, before, "the import created a trunk");
      await ws.ok(["preview", "--expect-no-changes"], STACK);
      await setTrunks(STACK, {});
      await ws.step(["destroy", "--yes"], STACK, "destroy");
      assert.equal(emu.store.didww.getTrunk(id), undefined, "destroy deletes the imported trunk");
    });
  });

  describe("two DIDWW accounts in one program", () => {
    const STACK = "accounts";
    const KEY_US = `plugin-e2e-us-${randomSuffix()}`;
    let us: EmulatorHandle;
    before(async () => {
      us = await startEmulator({ port: 0, apiKeys: [KEY_US] });
      ws.forbidden.add(KEY_US);
    });
    after(async () => {
      await us?.close();
    });

    it("two explicit siptrunks.Providers with their own keys: each trunk lands in its own account; the keys are secrets in state", async () => {
      await initStack(STACK);
      await ws.ok(["config", "set", "accounts", JSON.stringify({ eu: emu.didwwUrl, us: us.didwwUrl })], STACK);
      await ws.ok(["config", "set", "--secret", "key-eu", KEY], STACK);
      await ws.ok(["config", "set", "--secret", "key-us", KEY_US], STACK);
      await setTrunks(STACK, { "eu-pbx": { args: credArgs("eu pbx"), account: "eu" }, "us-pbx": { args: credArgs("us pbx"), account: "us" } });
      const { state } = await ws.step(["up", "--yes"], STACK, "two accounts");
      const trunks = trunksOf(state);
      assert.ok(emu.store.didww.getTrunk(trunks["eu-pbx"].id as string) && !us.store.didww.getTrunk(trunks["eu-pbx"].id as string), "eu-pbx belongs to the eu account only");
      assert.ok(us.store.didww.getTrunk(trunks["us-pbx"].id as string) && !emu.store.didww.getTrunk(trunks["us-pbx"].id as string), "us-pbx belongs to the us account only");
      const providers = (state.deployment.resources ?? []).filter((r) => r.type === "pulumi:providers:siptrunks" && !r.urn.endsWith("::default") && !urnName(r.urn).startsWith("default"));
      assert.equal(providers.length, 2);
      await ws.ok(["preview", "--expect-no-changes"], STACK);
      await ws.step(["destroy", "--yes"], STACK, "destroy");
      assert.equal(emu.store.didww.getTrunk(trunks["eu-pbx"].id as string), undefined);
      assert.equal(us.store.didww.listTrunks().length, 0);
    });
  });

  describe("moving a stack of dynamic trunks to plugin mode", () => {
    const STACK = "move";

    it("the alias from the dynamic type moves both trunks: preview and up change nothing, ids kept, the state now of siptrunks type", async () => {
      await initStack(STACK);
      await ws.ok(["config", "set", "didww:apiUrl", emu.didwwUrl], STACK);
      await ws.ok(["config", "set", "--secret", "didww:apiKey", KEY], STACK);
      await ws.ok(["config", "set", "mode", "dynamic"], STACK);
      await setTrunks(STACK, { pbx: { args: credArgs("move pbx") }, origin: { args: twilioArgs("move origin") } });
      const { state: before } = await ws.step(["up", "--yes"], STACK, "dynamic up");
      const was = trunksOf(before);
      assert.ok(Object.values(was).every((t) => t.type === DYNAMIC_TYPE));
      const count = emu.store.didww.listTrunks().length;

      await ws.ok(["config", "set", "mode", "plugin"], STACK);
      // Everything the same: the stack and both trunks (the preview document lists only steps that change something).
      const preview = await ws.ok(["preview", "--json"], STACK);
      assert.deepEqual((JSON.parse(preview.stdout) as { changeSummary: unknown }).changeSummary, { same: 3 }, explain(preview));
      const up = await ws.ok(["up", "--yes", "--json"], STACK);
      assert.deepEqual(summary(up)?.resourceChanges, { same: 3 }, explain(up));
      const now = trunksOf(await ws.checkState(STACK, "moved"));
      for (const name of ["pbx", "origin"]) {
        assert.equal(now[name].type, PLUGIN_TYPE);
        assert.equal(now[name].id, was[name].id);
      }
      assert.equal(emu.store.didww.listTrunks().length, count, "no trunk created or deleted");
      await ws.ok(["preview", "--expect-no-changes"], STACK);
      // Once moved, the aliases can go.
      await ws.ok(["config", "set", "noAliases", "true"], STACK);
      await ws.ok(["preview", "--expect-no-changes"], STACK);
      await ws.ok(["refresh", "--preview-only", "--expect-no-changes"], STACK);
      await ws.step(["destroy", "--yes"], STACK, "destroy");
      for (const name of ["pbx", "origin"]) assert.equal(emu.store.didww.getTrunk(was[name].id as string), undefined);
    });
  });
});
