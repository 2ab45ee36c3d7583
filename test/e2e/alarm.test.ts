/**
 * End to end: the drift alarm when the provider configuration changed since the last `up`.
 *
 * A plain `pulumi refresh` runs the providers with the configuration recorded at the last `up`.
 * Here the API moves (the old address stops answering) and the stack config follows it: the
 * plain alarm then fails, and must say why; the documented alarm command (with --run-program)
 * reads the current config and stays quiet; a real drift still sets it off.
 */
import * as assert from "node:assert/strict";
import * as http from "node:http";
import type { AddressInfo } from "node:net";
import { startEmulator, type EmulatorHandle } from "../../emulator";
import { ALARM, TWILIO_SID, Workspace, describeWithPulumi, explain, randomSuffix } from "./support";

const KEY = `e2e-alarm-key-${randomSuffix()}${randomSuffix()}`;

/** A forwarding proxy: the "old address" of the API, which is later shut down. */
async function forwarder(target: string): Promise<{ url: string; close(): Promise<void> }> {
  const to = new URL(target);
  const server = http.createServer((req, res) => {
    const upstream = http.request({ host: to.hostname, port: to.port, path: req.url, method: req.method, headers: req.headers }, (up) => {
      res.writeHead(up.statusCode ?? 502, up.headers);
      up.pipe(res);
    });
    upstream.on("error", () => res.destroy());
    req.pipe(upstream);
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, close: () => new Promise((r) => { server.closeAllConnections(); server.close(() => r()); }) };
}

describeWithPulumi("e2e: the drift alarm after a change of provider configuration", (bin) => {
  let emu: EmulatorHandle;
  let ws: Workspace;
  const STACK = `e2e-alarm-${randomSuffix()}`;
  let trunkId = "";

  before(async function () {
    this.timeout(180_000);
    emu = await startEmulator({ port: 0, apiKeys: [KEY] });
    ws = new Workspace(bin(), "alarm");
    const old = await forwarder(emu.url);
    await ws.initStack(STACK, `${old.url}/v3`, KEY);
    await ws.setTrunks(STACK, { alarmed: { args: { name: "alarm trunk", onCliMismatchAction: "reject_call", authenticationMethod: { type: "twilio", twilioAccountSid: TWILIO_SID } } } });
    await ws.step(["up", "--yes", "--skip-preview"], STACK, "up through the old address");
    trunkId = emu.store.didww.listTrunks()[0].id;
    await old.close(); // the old address is gone ...
    await ws.configure(STACK, emu.didwwUrl, KEY); // ... and the stack config points at the new one
  });

  after(async function () {
    this.timeout(120_000);
    if (ws) {
      await ws.pulumi(["destroy", "--yes", "--skip-preview", "--run-program"], STACK).catch(() => undefined);
      ws.cleanup();
    }
    await emu?.close();
  });

  it("a plain refresh uses the recorded configuration, fails, and says so", async function () {
    this.timeout(180_000);
    const r = await ws.pulumi(["refresh", "--preview-only", "--expect-no-changes"], STACK);
    assert.notEqual(r.code, 0, explain(r));
    const text = r.stdout + r.stderr;
    assert.match(text, /configuration recorded at the last `pulumi up`/, `the error says why the old address is used${explain(r)}`);
    assert.match(text, /--run-program/, explain(r));
    // One clean message per failure: no doubled text, no stack frames.
    assert.doesNotMatch(text, /: VendorApiError:/, `the message must not be printed twice${explain(r)}`);
    assert.doesNotMatch(text, /\n\s+at .*\.(ts|js):\d+/, `no stack frames${explain(r)}`);
    console.log(`      [e2e] plain refresh after the move: ${text.split("\n").length} lines of output`);
  });

  it("the documented alarm (refresh --preview-only --expect-no-changes --run-program) is quiet, then fires on drift", async function () {
    this.timeout(180_000);
    const quiet = await ws.pulumi(ALARM, STACK);
    assert.equal(quiet.code, 0, `no drift: the alarm exits 0${explain(quiet)}`);
    emu.store.didww.updateTrunk(trunkId, { status: "blocked" });
    await emu.store.flush();
    const loud = await ws.pulumi(ALARM, STACK);
    assert.notEqual(loud.code, 0, `drift: the alarm exits non-zero${explain(loud)}`);
  });
});
