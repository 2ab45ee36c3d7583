/**
 * End to end: the real `pulumi` CLI (up, preview, refresh, destroy) on the data-driven project in
 * test/e2e/project, against a fresh DIDWW emulator. The steps of the main stack build on each
 * other, in order: create, no perpetual diff, in-place updates (auth type switches included), drift
 * (out-of-band change and delete), adoption and `get`, then destroy. Invalid inputs run on a stack
 * of their own. After every step that writes state, Workspace.checkState looks at `pulumi stack
 * export` (no API key, secret credentials, `__provider` under 8 KiB).
 */
import * as assert from "node:assert/strict";
import { DEFAULT_DID_IDS, startEmulator, type EmulatorHandle } from "../../emulator";
import {
  TWILIO_SID,
  TWILIO_SID_2,
  Workspace,
  describeWithPulumi,
  expectFail,
  expectUpdatedInPlace,
  explain,
  opsFor,
  randomSuffix,
  type Run,
  type TrunkSpecs,
} from "./support";

const KEY = `e2e-key-${randomSuffix()}${randomSuffix()}`;
const PLAIN = DEFAULT_DID_IDS.plain;
const EMERGENCY = DEFAULT_DID_IDS.emergency;

/** The pbx trunk's arguments (credentials_and_ip), with overrides. */
function pbxArgs(extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    name: "e2e pbx",
    onCliMismatchAction: "reject_call",
    authenticationMethod: { type: "credentials_and_ip", allowedSipIps: ["203.0.113.10", "198.51.100.0/24"], techPrefix: "99#" },
    capacityLimit: 30,
    thresholdAmount: "250.00",
    dstPrefixes: ["44", "1"],
    didIds: [PLAIN[0], PLAIN[1]],
    emergencyDidIds: [EMERGENCY[0]],
    ...extra,
  };
}

/** The twilio trunk's arguments, with overrides. */
function twilioArgs(extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    name: "e2e twilio origination",
    onCliMismatchAction: "send_original_cli",
    authenticationMethod: { type: "twilio", twilioAccountSid: TWILIO_SID },
    allowAnyDidAsCli: true,
    rtpTimeout: 60,
    ...extra,
  };
}

const sorted = (xs: readonly string[] | null | undefined): string[] => [...(xs ?? [])].sort();

describeWithPulumi("e2e: didww.OutboundTrunk through the pulumi CLI", (bin) => {
  let emu: EmulatorHandle;
  let ws: Workspace;
  let suiteStart = Date.now();

  before(async function () {
    this.timeout(120_000);
    suiteStart = Date.now();
    emu = await startEmulator({ port: 0, apiKeys: [KEY] });
    ws = new Workspace(bin(), "lifecycle");
    console.log(`      [e2e] emulator ${emu.didwwUrl}, state ${ws.stateDir}, project ${ws.projectDir}`);
  });

  after(async function () {
    this.timeout(60_000);
    await emu?.close();
    if (ws) {
      const sizes = ws.providerSizes.map((s) => s.bytes);
      if (sizes.length) console.log(`      [e2e] __provider size: min ${Math.min(...sizes)} / max ${Math.max(...sizes)} bytes over ${sizes.length} observations`);
      ws.cleanup();
    }
    console.log(`      [e2e] lifecycle suite: ${((Date.now() - suiteStart) / 1000).toFixed(1)} s`);
  });

  describe("main stack", function () {
    this.timeout(300_000);
    const STACK = `e2e-${randomSuffix()}`;
    let specs: TrunkSpecs;
    let pbxId = "";
    let twilioId = "";

    /** Sets the program's trunks and runs `up --json`, checking the state afterwards. */
    async function upWith(next: TrunkSpecs, label: string, extra: string[] = []): Promise<Run> {
      specs = next;
      await ws.setTrunks(STACK, specs);
      const { run } = await ws.step(["up", "--yes", "--skip-preview", "--json", ...extra], STACK, label);
      return run;
    }

    async function expectNoChanges(label: string): Promise<void> {
      const r = await ws.pulumi(["preview", "--expect-no-changes"], STACK);
      assert.equal(r.code, 0, `${label}: a second preview must find nothing to do (no perpetual diff)${explain(r)}`);
    }

    async function idsFromOutputs(): Promise<Record<string, string>> {
      const out = await ws.outputs(STACK);
      return Object.fromEntries(Object.entries(out.trunks ?? {}).map(([k, v]) => [k, (v as { id: string }).id]));
    }

    before(async () => {
      await ws.initStack(STACK, emu.didwwUrl, KEY);
    });

    it("1. up from scratch creates exactly the declared trunks", async () => {
      const run = await upWith({ pbx: { args: pbxArgs() }, twilio: { args: twilioArgs() } }, "up (create)");
      assert.deepEqual(opsFor(run, "pbx"), ["create"], explain(run));
      assert.deepEqual(opsFor(run, "twilio"), ["create"], explain(run));
      const ids = await idsFromOutputs();
      pbxId = ids.pbx;
      twilioId = ids.twilio;
      const live = emu.store.didww.listTrunks();
      assert.deepEqual(sorted(live.map((t) => t.id)), sorted([pbxId, twilioId]), `the emulator should hold exactly the two trunks${explain(run)}`);

      const pbx = emu.store.didww.getTrunk(pbxId)!;
      assert.equal(pbx.name, "e2e pbx");
      assert.equal(pbx.on_cli_mismatch_action, "reject_call");
      assert.equal(pbx.authentication_method.type, "credentials_and_ip");
      const auth = pbx.authentication_method.attributes as { allowed_sip_ips: string[]; tech_prefix: string | null; username: string; password: string };
      assert.deepEqual(sorted(auth.allowed_sip_ips), sorted(["203.0.113.10/32", "198.51.100.0/24"]));
      assert.equal(auth.tech_prefix, "99#");
      assert.equal(pbx.capacity_limit, 30);
      assert.equal(pbx.threshold_amount, "250.0");
      assert.deepEqual(sorted(pbx.dst_prefixes), ["1", "44"]);
      assert.deepEqual(sorted(pbx.dids), sorted([PLAIN[0], PLAIN[1]]));
      assert.deepEqual(pbx.emergency_dids, [EMERGENCY[0]]);
      assert.equal(pbx.status, "active");

      const tw = emu.store.didww.getTrunk(twilioId)!;
      assert.equal(tw.name, "e2e twilio origination");
      assert.equal(tw.on_cli_mismatch_action, "send_original_cli");
      assert.deepEqual(tw.authentication_method, { type: "twilio", attributes: { twilio_account_sid: TWILIO_SID } });
      assert.equal(tw.allow_any_did_as_cli, true);
      assert.equal(tw.rtp_timeout, 60);

      // The SIP credentials reach the program (as secrets) and are DIDWW's real ones, not the masked GET values.
      const shown = await ws.outputs(STACK, true);
      assert.equal(shown.trunks.pbx.username, auth.username);
      assert.equal(shown.trunks.pbx.password, auth.password);
      assert.equal(shown.trunks.pbx.authType, "credentials_and_ip");
      assert.equal(shown.trunks.twilio.username, null);
      const hidden = await ws.outputs(STACK);
      assert.equal(hidden.trunks.pbx.password, "[secret]");
    });

    it("2. a second preview --expect-no-changes exits 0", async () => {
      await expectNoChanges("after create");
    });

    it("3a. attribute changes update in place (same ids, new values in DIDWW)", async () => {
      const run = await upWith(
        {
          pbx: { args: pbxArgs({ capacityLimit: 45, dstPrefixes: ["49"], mediaEncryptionMode: "srtp_sdes", didIds: [PLAIN[2]], emergencyDidIds: [EMERGENCY[0], EMERGENCY[1]] }) },
          twilio: { args: twilioArgs({ rtpTimeout: 120, externalReferenceId: "ticket-42", authenticationMethod: { type: "twilio", twilioAccountSid: TWILIO_SID_2 } }) },
        },
        "up (attribute changes)",
      );
      expectUpdatedInPlace(run, "pbx");
      expectUpdatedInPlace(run, "twilio");
      assert.deepEqual(await idsFromOutputs(), { pbx: pbxId, twilio: twilioId });
      const pbx = emu.store.didww.getTrunk(pbxId)!;
      assert.equal(pbx.capacity_limit, 45);
      assert.deepEqual(pbx.dst_prefixes, ["49"]);
      assert.equal(pbx.media_encryption_mode, "srtp_sdes");
      assert.deepEqual(pbx.dids, [PLAIN[2]]);
      assert.deepEqual(sorted(pbx.emergency_dids), sorted([EMERGENCY[0], EMERGENCY[1]]));
      const tw = emu.store.didww.getTrunk(twilioId)!;
      assert.equal(tw.rtp_timeout, 120);
      assert.equal(tw.external_reference_id, "ticket-42");
      assert.deepEqual(tw.authentication_method, { type: "twilio", attributes: { twilio_account_sid: TWILIO_SID_2 } });
      assert.equal(emu.store.didww.listTrunks().length, 2);
      await expectNoChanges("after the attribute changes");
    });

    it("3b. credentials_and_ip → twilio is an in-place update (same id, credentials gone)", async () => {
      const run = await upWith(
        {
          pbx: { args: { ...specs.pbx.args, authenticationMethod: { type: "twilio", twilioAccountSid: TWILIO_SID } } },
          twilio: specs.twilio,
        },
        "up (pbx to twilio)",
      );
      expectUpdatedInPlace(run, "pbx");
      assert.deepEqual(opsFor(run, "twilio"), ["same"], explain(run));
      assert.equal((await idsFromOutputs()).pbx, pbxId);
      const pbx = emu.store.didww.getTrunk(pbxId)!;
      assert.deepEqual(pbx.authentication_method, { type: "twilio", attributes: { twilio_account_sid: TWILIO_SID } });
      const shown = await ws.outputs(STACK, true);
      assert.equal(shown.trunks.pbx.authType, "twilio");
      assert.equal(shown.trunks.pbx.username, null);
      assert.equal(shown.trunks.pbx.password, null);
      await expectNoChanges("after the switch to twilio");
    });

    it("3c. twilio → credentials_and_ip is an in-place update (same id, new credentials)", async () => {
      const run = await upWith(
        {
          pbx: { args: { ...specs.pbx.args, authenticationMethod: pbxArgs().authenticationMethod } },
          twilio: specs.twilio,
        },
        "up (pbx back to credentials_and_ip)",
      );
      expectUpdatedInPlace(run, "pbx");
      assert.equal((await idsFromOutputs()).pbx, pbxId);
      const pbx = emu.store.didww.getTrunk(pbxId)!;
      assert.equal(pbx.authentication_method.type, "credentials_and_ip");
      const auth = pbx.authentication_method.attributes as { allowed_sip_ips: string[]; tech_prefix: string | null; username: string; password: string };
      assert.deepEqual(sorted(auth.allowed_sip_ips), sorted(["203.0.113.10/32", "198.51.100.0/24"]));
      assert.equal(auth.tech_prefix, "99#");
      const shown = await ws.outputs(STACK, true);
      assert.equal(shown.trunks.pbx.authType, "credentials_and_ip");
      assert.equal(shown.trunks.pbx.username, auth.username, "the new SIP username is in the outputs");
      assert.equal(shown.trunks.pbx.password, auth.password, "the new SIP password is in the outputs");
      assert.equal(emu.store.didww.listTrunks().length, 2);
      await expectNoChanges("after the switch back to credentials_and_ip");
    });

    it("4. out-of-band change: refresh records it, preview --refresh --diff shows it, up repairs it", async () => {
      // The scheduled drift alarm: quiet while nothing drifted (refresh writes back the same inputs) ...
      const quiet = await ws.pulumi(["refresh", "--preview-only", "--expect-no-changes"], STACK);
      assert.equal(quiet.code, 0, `a refresh with no drift must report no change${explain(quiet)}`);
      emu.store.didww.updateTrunk(pbxId, { status: "blocked" });
      await emu.store.flush();
      // ... and loud once something did.
      const alarm = await ws.pulumi(["refresh", "--preview-only", "--expect-no-changes"], STACK);
      assert.notEqual(alarm.code, 0, `a refresh after drift must fail --expect-no-changes${explain(alarm)}`);

      const { run: refresh, state } = await ws.step(["refresh", "--yes", "--skip-preview"], STACK, "refresh (drift)");
      const pbxState = Workspace.trunks(state).pbx;
      assert.equal(pbxState?.outputs?.status, "blocked", `refresh should record status blocked in the pbx outputs${explain(refresh)}`);

      const diff = await ws.pulumi(["preview", "--refresh", "--diff"], STACK);
      assert.equal(diff.code, 0, explain(diff));
      const resourceDiff = diff.stdout.split("--outputs:--")[0];
      // Check fills in what an omitted input means, so the drift reads as the value being restored,
      // not as a removal ("- status").
      assert.match(resourceDiff, /^\s*~\s*status\s*:\s*"blocked"\s*=>\s*"active"/m, `preview --refresh --diff should show status "blocked" => "active"${explain(diff)}`);
      const changed = [...resourceDiff.matchAll(/^\s*[-+~]\s+(\w+)\s*:/gm)].map((m) => m[1]).filter((p) => p !== "pulumi");
      assert.deepEqual(changed, ["status"], `only the drifted property should be marked as changed${explain(diff)}`);

      const run = await upWith(specs, "up (repair drift)");
      expectUpdatedInPlace(run, "pbx");
      assert.equal(emu.store.didww.getTrunk(pbxId)!.status, "active", `up should have set status back to active${explain(run)}`);
      await expectNoChanges("after repairing the drift");
      const again = await ws.pulumi(["preview", "--refresh", "--expect-no-changes"], STACK);
      assert.equal(again.code, 0, `preview --refresh after the repair should find nothing${explain(again)}`);
    });

    it("5. out-of-band delete: up --refresh creates the trunk again (new id)", async () => {
      assert.equal(emu.store.didww.deleteTrunk(twilioId), true);
      await emu.store.flush();
      const run = await upWith(specs, "up --refresh (recreate)", ["--refresh"]);
      assert.ok(opsFor(run, "twilio").includes("create"), `the deleted trunk should be created again: steps [${opsFor(run, "twilio").join(", ")}]${explain(run)}`);
      const ids = await idsFromOutputs();
      assert.notEqual(ids.twilio, twilioId, "a recreated trunk has a new id");
      assert.equal(ids.pbx, pbxId);
      const tw = emu.store.didww.getTrunk(ids.twilio);
      assert.ok(tw, `the emulator should hold the recreated trunk ${ids.twilio}${explain(run)}`);
      assert.equal(tw.rtp_timeout, 120);
      assert.equal(emu.store.didww.getTrunk(twilioId), undefined);
      assert.equal(emu.store.didww.listTrunks().length, 2);
      twilioId = ids.twilio;
      await expectNoChanges("after the recreate");
    });

    // 6. Adoption and get (flat: mocha runs a suite's own tests before its child suites).
    {
      let legacyId = "";
      const legacyArgs = () => ({
        name: "legacy pbx",
        onCliMismatchAction: "replace_cli",
        authenticationMethod: { type: "credentials_and_ip", allowedSipIps: ["192.0.2.20"], techPrefix: "7" },
        capacityLimit: 12,
        didIds: [PLAIN[3]],
        emergencyDidIds: [EMERGENCY[2]],
        defaultDstAction: "reject_all",
        dstPrefixes: ["33"],
      });

      it("6a. import with matching args adopts the trunk: no POST, no change to it", async () => {
        const legacy = emu.store.didww.putTrunk({
          name: "legacy pbx",
          on_cli_mismatch_action: "replace_cli",
          authentication_method: { type: "credentials_and_ip", attributes: { allowed_sip_ips: ["192.0.2.20"], tech_prefix: "7" } },
          capacity_limit: 12,
          dids: [PLAIN[3]],
          emergency_dids: [EMERGENCY[2]],
          default_dst_action: "reject_all",
          dst_prefixes: ["33"],
          threshold_amount: "500.0",
        });
        legacyId = legacy.id;
        await emu.store.flush();
        // The preview says it is an adoption: which trunk, and that nothing is created.
        await ws.setTrunks(STACK, { ...specs, legacy: { args: legacyArgs(), import: legacyId } });
        const preview = await ws.pulumi(["preview"], STACK);
        assert.equal(preview.code, 0, explain(preview));
        const shownPreview = preview.stdout + preview.stderr;
        assert.ok(shownPreview.includes(`adopts the existing DIDWW trunk ${legacyId}`), `preview should name the adopted trunk${explain(preview)}`);
        assert.match(shownPreview, /no trunk is created/, `preview should say nothing is created${explain(preview)}`);
        assert.match(shownPreview, /matches the program; nothing is changed/, explain(preview));
        console.log(`      [e2e] adoption preview: ${shownPreview.split("\n").find((l) => l.includes("adopts the existing"))?.trim()}`);
        emu.requests.clear();
        const run = await upWith({ ...specs, legacy: { args: legacyArgs(), import: legacyId } }, "up (adopt)");
        const log = emu.requests.list();
        assert.deepEqual(log.filter((r) => r.method === "POST" || r.method === "DELETE"), [], `adoption must not create (POST) or delete anything${explain(run)}`);
        // The only write allowed is the attribute-less PATCH that learns the SIP credentials DIDWW masks on GET
        // (provider/didww/crud.ts learnCredentials); the trunk itself must come out unchanged (checked below).
        assert.deepEqual(
          log.filter((r) => r.method === "PATCH").map((r) => r.path.split("?")[0]),
          log.filter((r) => r.method === "PATCH").map(() => `/v3/voice_out_trunks/${legacyId}`),
          `adoption may PATCH only the adopted trunk${explain(run)}`,
        );
        console.log(`      [e2e] adoption requests: ${log.map((r) => `${r.method} ${r.path}`).join(", ")}`);
        assert.ok(emu.requests.list().some((r) => r.path.includes(legacyId)), "the adopted trunk was read");
        assert.equal((await idsFromOutputs()).legacy, legacyId);
        const state = await ws.exportState(STACK);
        assert.equal(Workspace.trunks(state).legacy?.id, legacyId, "the state holds the adopted trunk's id");
        assert.equal(emu.store.didww.listTrunks().length, 3);
        assert.deepEqual(emu.store.didww.getTrunk(legacyId), legacy, "the adopted trunk is unchanged (credentials included)");
        const shown = await ws.outputs(STACK, true);
        const creds = legacy.authentication_method.attributes as { username: string; password: string };
        assert.equal(shown.trunks.legacy.username, creds.username, "the adopted trunk's credentials are learned");
        assert.equal(shown.trunks.legacy.password, creds.password);
        await expectNoChanges("after the adoption");
      });

      it("6b. removing the import option afterwards changes nothing", async () => {
        specs = { ...specs, legacy: { args: legacyArgs() } };
        await ws.setTrunks(STACK, specs);
        await expectNoChanges("without the import option");
        emu.requests.clear();
        const run = await upWith(specs, "up (import option removed)");
        assert.deepEqual(opsFor(run, "legacy"), ["same"], explain(run));
        assert.deepEqual(emu.requests.list().filter((r) => r.method !== "GET"), [], `no write${explain(run)}`);
        assert.equal((await idsFromOutputs()).legacy, legacyId);
      });

      it("6c. import with differing args: preview fails naming each differing property with both values", async () => {
        const other = emu.store.didww.putTrunk({
          name: "live name",
          on_cli_mismatch_action: "send_original_cli",
          authentication_method: { type: "twilio", attributes: { twilio_account_sid: TWILIO_SID } },
          capacity_limit: 5,
          rtp_timeout: 90,
        });
        await emu.store.flush();
        const declared = {
          name: "declared name",
          onCliMismatchAction: "send_original_cli",
          authenticationMethod: { type: "twilio", twilioAccountSid: TWILIO_SID },
          capacityLimit: 7,
          rtpTimeout: 90,
        };
        await ws.setTrunks(STACK, { ...specs, mismatch: { args: declared, import: other.id } });
        emu.requests.clear();
        const r = expectFail(await ws.pulumi(["preview"], STACK), "preview of an import with differing arguments");
        const text = r.stdout + r.stderr;
        for (const [prop, live, mine] of [
          ["name", "live name", "declared name"],
          ["capacityLimit", "5", "7"],
        ]) {
          const line = text.split("\n").find((l) => l.includes(prop) && l.includes(live) && l.includes(mine));
          assert.ok(line, `the failure should name ${prop} with the live value ${live} and the program's ${mine}${explain(r)}`);
          console.log(`      [e2e] mismatch reported: ${line.trim()}`);
        }
        assert.ok(!/rtpTimeout/.test(text), `rtpTimeout matches and should not be reported${explain(r)}`);
        assert.deepEqual(emu.requests.list().filter((x) => x.method !== "GET"), [], "a preview never writes");
        assert.deepEqual(emu.store.didww.getTrunk(other.id)?.name, "live name");
        // Back to the program without it; the trunk is the test's own fixture.
        await ws.setTrunks(STACK, specs);
        emu.store.didww.deleteTrunk(other.id);
        await expectNoChanges("after dropping the mismatching import");
      });

      it('6e. onImportMismatch: "update": the preview lists every property the adoption will change, live and program values', async () => {
        const live = emu.store.didww.putTrunk({
          name: "production trunk",
          on_cli_mismatch_action: "send_original_cli",
          authentication_method: { type: "twilio", attributes: { twilio_account_sid: TWILIO_SID } },
          rtp_timeout: 120,
        });
        await emu.store.flush();
        // The program omits rtpTimeout: omitted means DIDWW's documented default, 30.
        const declared = { name: "declared trunk", onCliMismatchAction: "send_original_cli", authenticationMethod: { type: "twilio", twilioAccountSid: TWILIO_SID }, onImportMismatch: "update" };
        await ws.setTrunks(STACK, { ...specs, converge: { args: declared, import: live.id } });
        emu.requests.clear();
        const r = await ws.pulumi(["preview"], STACK);
        assert.equal(r.code, 0, explain(r));
        const text = r.stdout + r.stderr;
        assert.ok(text.includes(`adopts the existing DIDWW trunk ${live.id}`), `the preview names the adopted trunk${explain(r)}`);
        assert.match(text, /will change 2 properties/, explain(r));
        assert.match(text, /name: live "production trunk", program "declared trunk"/, `the preview lists the rename${explain(r)}`);
        assert.match(text, /rtpTimeout: live 120, program 30/, `the preview lists the rtp_timeout reset${explain(r)}`);
        assert.deepEqual(emu.requests.list().filter((x) => x.method !== "GET"), [], "a preview never writes");
        assert.equal(emu.store.didww.getTrunk(live.id)?.rtp_timeout, 120);
        await ws.setTrunks(STACK, specs);
        emu.store.didww.deleteTrunk(live.id);
        await emu.store.flush();
      });

      it("6d. OutboundTrunk.get reads an existing trunk: its outputs are in stack output", async () => {
        const external = emu.store.didww.putTrunk({
          name: "managed elsewhere",
          on_cli_mismatch_action: "randomize_cli",
          status: "blocked",
          capacity_limit: 3,
          authentication_method: { type: "twilio", attributes: { twilio_account_sid: TWILIO_SID_2 } },
        });
        await emu.store.flush();
        const run = await upWith({ ...specs, external: { get: external.id } }, "up (get)");
        assert.deepEqual(opsFor(run, "external"), ["read"], explain(run));
        const out = await ws.outputs(STACK);
        assert.deepEqual(out.trunks.external, {
          id: external.id,
          name: "managed elsewhere",
          status: "blocked",
          authType: "twilio",
          capacityLimit: 3,
          username: "[secret]",
          password: "[secret]",
        });
        const state = await ws.exportState(STACK);
        assert.equal(Workspace.trunks(state).external?.external, true, "a get() resource is external (read-only) in state");

        // Dropping the get() leaves the trunk alone.
        const dropped = await upWith(
          Object.fromEntries(Object.entries(specs).filter(([k]) => k !== "external")),
          "up (get removed)",
        );
        assert.ok(emu.store.didww.getTrunk(external.id), `removing a get() must not delete the trunk${explain(dropped)}`);
        assert.equal(emu.store.didww.getTrunk(external.id)!.status, "blocked");
        emu.store.didww.deleteTrunk(external.id); // the test's own fixture
        await emu.store.flush();
      });
    }

    it("8. destroy leaves no trunk in the emulator", async () => {
      const managed = Object.values(await idsFromOutputs());
      assert.deepEqual(sorted(emu.store.didww.listTrunks().map((t) => t.id)), sorted(managed), "before destroy the emulator holds exactly the stack's trunks");
      const { run, state } = await ws.step(["destroy", "--yes", "--skip-preview"], STACK, "destroy");
      assert.deepEqual(emu.store.didww.listTrunks(), [], `destroy should delete every trunk${explain(run)}`);
      assert.deepEqual(Object.keys(Workspace.trunks(state)), [], "no trunk left in state");
    });
  });

  describe("7. invalid inputs fail at preview, before any API call", function () {
    this.timeout(300_000);
    const STACK = `e2e-bad-${randomSuffix()}`;
    before(async () => {
      await ws.initStack(STACK, emu.didwwUrl, KEY);
    });

    const cases: Array<{ title: string; args: Record<string, unknown>; expect: RegExp[] }> = [
      { title: "rtpTimeout 5", args: twilioArgs({ rtpTimeout: 5 }), expect: [/rtpTimeout/, /30 to 600/] },
      {
        title: "a bad IP in allowedSipIps",
        args: pbxArgs({ authenticationMethod: { type: "credentials_and_ip", allowedSipIps: ["203.0.113.10", "300.1.2.3"] } }),
        expect: [/authenticationMethod\.allowedSipIps/, /300\.1\.2\.3/],
      },
      {
        title: "authentication type ip_only",
        args: pbxArgs({ authenticationMethod: { type: "ip_only", allowedSipIps: ["203.0.113.10"] } }),
        expect: [/authenticationMethod/, /ip_only/],
      },
      { title: "capacityLimit -1 and a bad callbackUrl (both named)", args: twilioArgs({ capacityLimit: -1, callbackUrl: "ftp://x" }), expect: [/capacityLimit/, /callbackUrl/] },
    ];
    for (const c of cases) {
      it(`${c.title}: preview fails naming the input, and the emulator saw no request`, async () => {
        await ws.setTrunks(STACK, { bad: { args: c.args } });
        const trunksBefore = emu.store.didww.listTrunks().length;
        emu.requests.clear();
        const r = expectFail(await ws.pulumi(["preview"], STACK), `preview with ${c.title}`);
        const text = r.stdout + r.stderr;
        for (const re of c.expect) assert.match(text, re, `the failure should mention ${re}${explain(r)}`);
        // The engine prints the value of the property named; a nested path would read as missing.
        assert.doesNotMatch(text, /value \{<nil>\}/, `a failure should name a property the engine can find${explain(r)}`);
        const reported = text.split("\n").filter((l) => c.expect[0].test(l)).map((l) => l.trim());
        console.log(`      [e2e] reported: ${[...new Set(reported)].slice(0, 2).join(" | ")}`);
        assert.deepEqual(emu.requests.list(), [], `no API request at all for an invalid program${explain(r)}`);
        const up = expectFail(await ws.pulumi(["up", "--yes", "--skip-preview"], STACK), `up with ${c.title}`);
        assert.deepEqual(emu.requests.list(), [], `up must not call the API either${explain(up)}`);
        assert.equal(emu.store.didww.listTrunks().length, trunksBefore, "nothing was created");
      });
    }

    after(async function () {
      if (!ws) return;
      await ws.checkState(STACK, "invalid-input runs").catch(() => undefined);
    });
  });
});
