/**
 * Reliability, the rate limit across processes: Pulumi runs a provider host for each pass of a
 * command (`up` previews, then updates; `refresh` reads in its preview and again in its update)
 * and for each command. Against the emulator's limiter (DIDWW's 20 requests per second per key),
 * back-to-back commands on RELIABILITY_RATE_TRUNKS trunks (default 200): `up --yes` three times
 * (a create, then an update of every trunk, twice), refresh, destroy. Not one request may be
 * answered 429: the hosts share the key's budget (provider/common/shared-window.ts), whatever
 * process sends.
 */
import * as assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { startEmulator, type EmulatorHandle } from "../../emulator";
import { describeWithPulumi, randomSuffix } from "../e2e/support";
import { RecordingWorkspace, addSecret, envInt, log } from "./support";

const N = envInt("RELIABILITY_RATE_TRUNKS", 200);
const PER_SECOND = 20;

describeWithPulumi("reliability: the per-key rate limit holds across the CLI's provider processes", (bin) => {
  let emu: EmulatorHandle;
  let ws: RecordingWorkspace;
  const STACK = `rel-rate-${randomSuffix()}`;
  const KEY = `rel-rate-${randomBytes(12).toString("hex")}`;
  const run = randomSuffix();
  const trunks = (generation: number) =>
    Object.fromEntries(
      Array.from({ length: N }, (_, i) => [
        `r${i}`,
        { name: `rel ${run} rate ${i}`, onCliMismatchAction: "reject_call", authenticationMethod: { type: "twilio", twilioAccountSid: "AC0123456789abcdef0123456789abcdef" }, capacityLimit: 1 + i + generation * 1000 },
      ]),
    );

  before(async function () {
    this.timeout(120_000);
    emu = await startEmulator({ port: 0, apiKeys: [KEY], faults: { rateLimit: { perSecond: PER_SECOND } } });
    addSecret(KEY, "DIDWW API key");
    ws = new RecordingWorkspace(bin(), "rate");
    await ws.initStack(STACK, emu.didwwUrl, KEY);
    log(`rate limit across processes: N = ${N} DIDWW trunks, emulator limit ${PER_SECOND}/s per key`);
  });
  after(async () => {
    await emu?.close();
    ws?.cleanup();
  });

  it(`up three times (create, update all, update all), refresh, destroy back to back: every request of every provider process within ${PER_SECOND}/s, none answered 429`, async function () {
    this.timeout(900_000);
    const steps: Array<{ label: string; args: string[]; generation?: number }> = [
      { label: "up (create)", args: ["up", "--yes"], generation: 0 },
      { label: "up (update all)", args: ["up", "--yes"], generation: 1 },
      { label: "up (update all again)", args: ["up", "--yes"], generation: 2 },
      { label: "refresh", args: ["refresh", "--yes"] },
      { label: "destroy", args: ["destroy", "--yes"] },
    ];
    const t0 = Date.now();
    for (const step of steps) {
      if (step.generation !== undefined) await ws.ok(["config", "set", "didwwTrunks", JSON.stringify(trunks(step.generation))], STACK);
      const s0 = Date.now();
      await ws.ok(step.args, STACK);
      log(`${step.label}: ${((Date.now() - s0) / 1000).toFixed(1)} s`);
    }
    const served = emu.requests.list().filter((r) => r.path.startsWith("/v3/"));
    const limited = served.filter((r) => r.status === 429).length;
    log(`${served.length} DIDWW requests in ${((Date.now() - t0) / 1000).toFixed(1)} s, ${limited} answered 429`);
    assert.ok(served.length >= 6 * N, `the commands made ${served.length} requests; expected at least ${6 * N}`);
    assert.equal(limited, 0, `${limited} of ${served.length} requests were answered 429: two provider processes shared a second`);
    assert.equal(emu.store.didww.listTrunks().filter((t) => t.name.startsWith(`rel ${run} `)).length, 0, "destroy left trunks");
  });
});
