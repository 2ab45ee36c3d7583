/**
 * End to end: an API key set without `--secret` is named in a warning that says how to fix it,
 * and the warning goes away once the key is a secret. The key itself never appears in the output
 * (the Workspace checks every command's output for it).
 */
import * as assert from "node:assert/strict";
import { startEmulator, type EmulatorHandle } from "../../emulator";
import { TWILIO_SID, Workspace, describeWithPulumi, expectOk, explain, randomSuffix } from "./support";

const KEY = `e2e-plain-key-${randomSuffix()}${randomSuffix()}`;
const WARNING = /didww:apiKey is stored in plain text in Pulumi\.[\w-]+\.yaml and in the stack state\. Make it a secret: pulumi config set --secret didww:apiKey <value>/;

describeWithPulumi("e2e: an API key stored in plain text", (bin) => {
  let emu: EmulatorHandle;
  let ws: Workspace;
  const STACK = `e2e-plain-${randomSuffix()}`;

  before(async function () {
    this.timeout(120_000);
    emu = await startEmulator({ port: 0, apiKeys: [KEY] });
    ws = new Workspace(bin(), "plainkey");
    ws.forbidden.add(KEY);
    await ws.ok(["stack", "init", STACK]);
    await ws.ok(["config", "set", "didww:apiUrl", emu.didwwUrl], STACK);
    await ws.ok(["config", "set", "didww:apiKey", KEY], STACK); // no --secret
    await ws.setTrunks(STACK, {
      plain: { args: { name: "plain key trunk", onCliMismatchAction: "reject_call", authenticationMethod: { type: "twilio", twilioAccountSid: TWILIO_SID } } },
      plain2: { args: { name: "plain key trunk 2", onCliMismatchAction: "reject_call", authenticationMethod: { type: "twilio", twilioAccountSid: TWILIO_SID } } },
    });
  });

  after(async function () {
    this.timeout(60_000);
    ws?.cleanup();
    await emu?.close();
  });

  it("preview warns once, names the key and gives the command that fixes it", async function () {
    this.timeout(120_000);
    const r = expectOk(await ws.pulumi(["preview"], STACK), "preview with a plain-text key");
    const text = r.stdout + r.stderr;
    assert.match(text, WARNING, `the warning is shown${explain(r)}`);
    // The progress line echoes it; the Diagnostics section lists each warning once.
    const diagnostics = r.stdout.slice(r.stdout.indexOf("Diagnostics:"));
    assert.equal(diagnostics.match(new RegExp(WARNING.source, "g"))?.length, 1, `one warning per run, not one per trunk${explain(r)}`);
  });

  it("once the key is a secret, the warning is gone", async function () {
    this.timeout(120_000);
    await ws.ok(["config", "set", "--secret", "didww:apiKey", KEY], STACK);
    const r = expectOk(await ws.pulumi(["preview"], STACK), "preview with a secret key");
    assert.doesNotMatch(r.stdout + r.stderr, /stored in plain text/, `no warning${explain(r)}`);
    assert.match(r.stdout, /\+ .*plain/, `the preview still plans the trunk${explain(r)}`);
  });
});
