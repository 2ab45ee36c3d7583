/**
 * End to end: `examples/twilio-byoc` run as a user runs it, with the real CLI against the
 * emulator: up, a no-op preview, the drift alarm quiet, destroy, and nothing left in the emulator.
 */
import * as assert from "node:assert/strict";
import * as path from "node:path";
import { DEFAULT_TWILIO_ACCOUNT, DEFAULT_TWILIO_NUMBERS, startEmulator, type EmulatorHandle } from "../../emulator";
import { ALARM, REPO_ROOT_DIR, Workspace, describeWithPulumi, expectOk, explain, randomSuffix } from "./support";

const KEY = `e2e-byoc-key-${randomSuffix()}${randomSuffix()}`;

describeWithPulumi("e2e: examples/twilio-byoc against the emulator", (bin) => {
  let emu: EmulatorHandle;
  let ws: Workspace;
  const STACK = `e2e-byoc-${randomSuffix()}`;
  const number = DEFAULT_TWILIO_NUMBERS[0];

  before(async function () {
    this.timeout(120_000);
    emu = await startEmulator({ port: 0, apiKeys: [KEY] });
    ws = new Workspace(bin(), "byoc", path.join(REPO_ROOT_DIR, "examples", "twilio-byoc"));
    ws.forbidden.add(DEFAULT_TWILIO_ACCOUNT.authToken);
    await ws.initStack(STACK, emu.didwwUrl, KEY);
    for (const args of [
      ["config", "set", "twilio:accountSid", DEFAULT_TWILIO_ACCOUNT.accountSid],
      ["config", "set", "--secret", "twilio:authToken", DEFAULT_TWILIO_ACCOUNT.authToken],
      ["config", "set", "twilio:trunkingUrl", emu.twilioTrunkingUrl],
      ["config", "set", "twilio:apiUrl", emu.twilioApiUrl],
      ["config", "set", "domainName", `byoc-${randomSuffix()}.pstn.twilio.com`],
      ["config", "set", "phoneNumber", number.phone_number],
      ["config", "set", "pbxSipUrl", "sip:pbx.example.com:5060"],
    ]) {
      await ws.ok(args, STACK);
    }
  });

  after(async function () {
    this.timeout(120_000);
    if (ws) {
      await ws.pulumi(["destroy", "--yes", "--skip-preview"], STACK).catch(() => undefined);
      ws.cleanup();
    }
    await emu?.close();
  });

  it("up wires the Twilio account SID into the DIDWW trunk; preview after it is empty; the alarm is quiet", async function () {
    this.timeout(300_000);
    await ws.step(["up", "--yes", "--skip-preview"], STACK, "up of the example");
    const outputs = await ws.outputs(STACK);
    const trunks = emu.store.twilio.listTrunks(DEFAULT_TWILIO_ACCOUNT.accountSid);
    assert.equal(trunks.length, 1);
    assert.equal(outputs.twilioTrunkSid, trunks[0].sid);
    assert.equal(outputs.answeredNumber, number.phone_number);
    assert.deepEqual(emu.store.twilio.trunkLinks(trunks[0].sid).phone_numbers, [number.sid]);
    assert.equal(emu.store.twilio.list("origination_urls").length, 1);
    const didwwTrunk = emu.store.didww.listTrunks().find((t) => t.id === outputs.didwwTrunkId);
    assert.ok(didwwTrunk, "the DIDWW trunk exists");
    assert.deepEqual(didwwTrunk.authentication_method, { type: "twilio", attributes: { twilio_account_sid: DEFAULT_TWILIO_ACCOUNT.accountSid } });
    const preview = expectOk(await ws.pulumi(["preview", "--expect-no-changes"], STACK), "preview after up");
    assert.doesNotMatch(preview.stdout, /to (create|update|delete|replace)/, explain(preview));
    expectOk(await ws.pulumi(ALARM, STACK), "drift alarm right after up");
  });

  it("destroy leaves nothing in the emulator", async function () {
    this.timeout(300_000);
    await ws.step(["destroy", "--yes", "--skip-preview"], STACK, "destroy of the example");
    assert.equal(emu.store.twilio.listTrunks(DEFAULT_TWILIO_ACCOUNT.accountSid).length, 0);
    assert.equal(emu.store.twilio.list("origination_urls").length, 0);
    assert.equal(emu.store.didww.listTrunks().length, 0);
  });
});
