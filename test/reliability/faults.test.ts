/**
 * Reliability, faults at scale: one stack of DIDWW, Twilio and Bolna trunks taken through create,
 * an update of every trunk, refresh and destroy by the real `pulumi` CLI, while the emulator
 * misbehaves on about 10% of the requests (5xx, 429, dropped connections, writes that commit and
 * then answer 5xx or nothing) and delays some more, from a fixed random seed. A failed command is
 * re-run as a user would (at most RELIABILITY_TRIES times, each attempt printed). After every step
 * the state (`pulumi stack export`) and the emulator must agree exactly: no trunk lost, none
 * duplicated, none orphaned; after destroy the emulator holds none.
 *
 * Sizes: RELIABILITY_TRUNKS DIDWW trunks (default 150), RELIABILITY_TWILIO_TRUNKS and
 * RELIABILITY_BOLNA_TRUNKS (default 25 each: 200 trunks in all); RELIABILITY_SEED (default 20260611) and
 * RELIABILITY_FAULT_RATE (percent of requests that fail, default 10).
 */
import * as assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { startEmulator, type EmulatorHandle, type FaultRule } from "../../emulator";
import { describeWithPulumi, expectOk, randomSuffix, summary, type StateExport } from "../e2e/support";
import { RecordingWorkspace, TYPES, addSecret, envInt, expectStateMatchesVendor, ledger, log, resourcesOf, untilOk, type LiveTrunk } from "./support";

const N_DIDWW = envInt("RELIABILITY_TRUNKS", 150);
const N_TWILIO = envInt("RELIABILITY_TWILIO_TRUNKS", 25);
const N_BOLNA = envInt("RELIABILITY_BOLNA_TRUNKS", 25);
const TRIES = envInt("RELIABILITY_TRIES", 6);
const SEED = envInt("RELIABILITY_SEED", 20260611);
const RATE = envInt("RELIABILITY_FAULT_RATE", 10) / 100;

/** About RATE of the requests fail, spread over seven kinds; a tenth more are delayed. */
function faultRules(): FaultRule[] {
  const p = RATE / 7;
  return [
    { kind: "status", status: 500, probability: p },
    { kind: "status", status: 503, probability: p },
    { kind: "status", status: 429, probability: p },
    { kind: "drop", probability: p },
    { kind: "lostResponse", probability: p },
    { kind: "statusAfterCommit", status: 502, probability: p },
    { kind: "statusAfterCommit", status: 500, probability: p },
    { kind: "latency", ms: 150, probability: 0.1 },
  ];
}

const UP = ["up", "--yes", "--skip-preview"];

describeWithPulumi("reliability: faults at scale through the pulumi CLI", (bin) => {
  let emu: EmulatorHandle;
  let ws: RecordingWorkspace;
  const STACK = `rel-faults-${randomSuffix()}`;
  const DIDWW_KEY = `rel-didww-${randomBytes(12).toString("hex")}`;
  const BOLNA_KEY = `rel-bolna-${randomBytes(12).toString("hex")}`;
  const TWILIO = { accountSid: `AC${randomBytes(16).toString("hex")}`, authToken: randomBytes(16).toString("hex") };
  const run = randomSuffix();
  const bolnaPasswords: Record<string, string> = {};
  const retries: Record<string, number> = {};
  const times: Record<string, number> = {};
  /** Faults injected and requests served, per step (the emulator's counters restart at every step). */
  const injected: Record<string, Record<string, number>> = {};

  /** Starts a step with fresh counters and the fault rules on. */
  function faultsOn(): void {
    emu.faults.clear();
    emu.requests.clear();
    emu.faults.set(faultRules());
  }
  /** Ends a step: faults off, its counters kept and printed. */
  function faultsOff(step: string): void {
    const stats = { ...emu.faults.stats, requests: emu.requests.list().length };
    emu.faults.clear();
    injected[step] = stats;
    const { requests, ...kinds } = stats;
    log(`${step}: ${requests} requests served, faults injected ${JSON.stringify(kinds)}`);
  }
  let suiteStart = 0;
  let baseline: { didww: Set<string>; twilio: Set<string>; bolna: Set<string> };

  /** The program's trunks; `generation` 1 is the update of every one. */
  function specs(generation: 0 | 1) {
    const didwwTrunks: Record<string, unknown> = {};
    for (let i = 0; i < N_DIDWW; i++) {
      didwwTrunks[`d${i}`] = {
        name: `rel ${run} didww ${i}`,
        onCliMismatchAction: "reject_call",
        authenticationMethod: { type: "credentials_and_ip", allowedSipIps: [`203.0.113.${(i % 250) + 1}`] },
        capacityLimit: 10 + i + generation * 100,
      };
    }
    const twilioTrunks: Record<string, unknown> = {};
    for (let i = 0; i < N_TWILIO; i++) {
      twilioTrunks[`t${i}`] = { friendlyName: `rel ${run} twilio ${i}${generation ? " v2" : ""}`, domainName: `rel-${run}-${i}.pstn.twilio.com` };
    }
    const bolnaTrunks: Record<string, unknown> = {};
    for (let i = 0; i < N_BOLNA; i++) {
      bolnaTrunks[`b${i}`] = {
        name: `rel ${run} bolna ${i}`,
        provider: "twilio",
        authType: "userpass",
        authUsername: `agent${i}`,
        gateways: [{ gatewayAddress: `gw${i}.example.com`, port: generation ? 5080 : 5060, priority: 1 }],
      };
    }
    return { didwwTrunks, twilioTrunks, bolnaTrunks };
  }
  const names = (vendor: "didww" | "twilio" | "bolna", generation: 0 | 1): string[] => {
    const s = specs(generation);
    const m = vendor === "didww" ? s.didwwTrunks : vendor === "twilio" ? s.twilioTrunks : s.bolnaTrunks;
    return Object.values(m).map((a) => String((a as Record<string, unknown>)[vendor === "twilio" ? "friendlyName" : "name"]));
  };

  const live = {
    didww: (): LiveTrunk[] => emu.store.didww.listTrunks().filter((t) => !baseline.didww.has(t.id)).map((t) => ({ id: t.id, name: t.name })),
    twilio: (): LiveTrunk[] =>
      emu.store.twilio.listTrunks(TWILIO.accountSid).filter((t) => !baseline.twilio.has(t.sid)).map((t) => ({ id: t.sid, name: String(t.friendly_name) })),
    bolna: (): LiveTrunk[] => emu.store.bolna.listTrunks().filter((t) => !baseline.bolna.has(t.id)).map((t) => ({ id: t.id, name: t.name })),
  };

  /** State and emulator agree for every vendor; `generation` says which names must exist (undefined: none). */
  function expectAgreement(label: string, state: StateExport, generation: 0 | 1 | undefined): void {
    expectStateMatchesVendor(`${label} (DIDWW)`, state, TYPES.didww, live.didww(), "name", generation === undefined ? [] : names("didww", generation));
    expectStateMatchesVendor(`${label} (Twilio)`, state, TYPES.twilio, live.twilio(), "friendlyName", generation === undefined ? [] : names("twilio", generation));
    expectStateMatchesVendor(`${label} (Bolna)`, state, TYPES.bolna, live.bolna(), "name", generation === undefined ? [] : names("bolna", generation));
  }

  /** The DIDWW SIP passwords the emulator generated go into the secrets scan. */
  function collectSipPasswords(): void {
    for (const t of emu.store.didww.listTrunks()) {
      const a = t.authentication_method?.attributes as { username?: string; password?: string } | undefined;
      addSecret(a?.password, `DIDWW SIP password of ${t.name}`);
      addSecret(a?.username, `DIDWW SIP username of ${t.name}`);
    }
  }

  async function timed<T>(label: string, body: () => Promise<T>): Promise<T> {
    const t0 = Date.now();
    try {
      return await body();
    } finally {
      times[label] = Date.now() - t0;
      log(`${label}: ${((Date.now() - t0) / 1000).toFixed(1)} s`);
    }
  }

  before(async function () {
    this.timeout(180_000);
    suiteStart = Date.now();
    emu = await startEmulator({
      port: 0,
      apiKeys: [DIDWW_KEY],
      bolnaApiKeys: [BOLNA_KEY],
      twilioAccounts: [TWILIO],
      randomSeed: SEED,
    });
    baseline = {
      didww: new Set(emu.store.didww.listTrunks().map((t) => t.id)),
      twilio: new Set(emu.store.twilio.listTrunks(TWILIO.accountSid).map((t) => t.sid)),
      bolna: new Set(emu.store.bolna.listTrunks().map((t) => t.id)),
    };
    for (let i = 0; i < N_BOLNA; i++) bolnaPasswords[`b${i}`] = `Bolna-${randomBytes(9).toString("base64url")}`;
    addSecret(DIDWW_KEY, "DIDWW API key");
    addSecret(BOLNA_KEY, "Bolna API key");
    addSecret(TWILIO.authToken, "Twilio auth token");
    addSecret(Buffer.from(`${TWILIO.accountSid}:${TWILIO.authToken}`).toString("base64"), "Twilio HTTP Basic credentials (base64)");
    for (const [n, pw] of Object.entries(bolnaPasswords)) addSecret(pw, `Bolna SIP password of ${n}`);
    ws = new RecordingWorkspace(bin(), "faults");
    for (const s of [BOLNA_KEY, TWILIO.authToken]) ws.forbidden.add(s);
    log(`faults at scale: N = ${N_DIDWW} DIDWW + ${N_TWILIO} Twilio + ${N_BOLNA} Bolna trunks, fault rate ${RATE * 100}%, seed ${SEED}, at most ${TRIES} runs per command`);
    log(`emulator ${emu.url}, state ${ws.stateDir}`);
    await ws.initStack(STACK, emu.didwwUrl, DIDWW_KEY);
    for (const args of [
      ["config", "set", "twilio:accountSid", TWILIO.accountSid],
      ["config", "set", "--secret", "twilio:authToken", TWILIO.authToken],
      ["config", "set", "twilio:trunkingUrl", emu.twilioTrunkingUrl],
      ["config", "set", "twilio:apiUrl", emu.twilioApiUrl],
      ["config", "set", "--secret", "bolna:apiKey", BOLNA_KEY],
      ["config", "set", "bolna:apiUrl", emu.bolnaUrl],
      ["config", "set", "--secret", "bolnaPasswords", JSON.stringify(bolnaPasswords)],
    ]) {
      await ws.ok(args, STACK);
    }
  });

  async function setSpecs(generation: 0 | 1): Promise<void> {
    const s = specs(generation);
    await ws.ok(["config", "set", "didwwTrunks", JSON.stringify(s.didwwTrunks)], STACK);
    await ws.ok(["config", "set", "twilioTrunks", JSON.stringify(s.twilioTrunks)], STACK);
    await ws.ok(["config", "set", "bolnaTrunks", JSON.stringify(s.bolnaTrunks)], STACK);
  }

  afterEach(function () {
    if (this.currentTest?.state === "failed") ledger.errors.push({ suite: "faults", message: String(this.currentTest.err?.message ?? "") });
  });

  after(async function () {
    this.timeout(300_000);
    if (emu) {
      emu.faults.clear();
      collectSipPasswords();
    }
    if (ws) {
      // Whatever a failed case left behind goes, without faults.
      const left = await ws.exportState(STACK).catch(() => ({ version: 3, deployment: {} }) as StateExport);
      if (emu && Object.values(TYPES).some((type) => resourcesOf(left, type).length > 0)) {
        await ws.pulumi(["destroy", "--yes", "--skip-preview"], STACK).catch(() => undefined);
      }
      ws.cleanup();
    }
    await emu?.close();
    const total = Object.values(retries).reduce((a, b) => a + b, 0);
    log(`faults at scale: requests and faults per step ${JSON.stringify(injected)}`);
    log(`faults at scale: attempts per step ${JSON.stringify(retries)} (${total} in all), times ${JSON.stringify(Object.fromEntries(Object.entries(times).map(([k, v]) => [k, `${(v / 1000).toFixed(1)} s`])))}`);
    log(`faults at scale: whole suite ${((Date.now() - suiteStart) / 1000).toFixed(1)} s`);
  });

  it(`1. up creates all trunks under faults, re-run until it succeeds; state and vendors agree exactly`, async function () {
    this.timeout(900_000);
    await setSpecs(0);
    faultsOn();
    const { attempts } = await timed("create", () => untilOk(ws, UP, STACK, TRIES, "up (create)"));
    faultsOff("create");
    retries.create = attempts;
    collectSipPasswords();
    const state = await ws.checkState(STACK, "up (create)");
    expectAgreement("after create", state, 0);
    // The SIP passwords the secrets scan looks for are the ones the stack holds (as secrets).
    const shown = await ws.outputs(STACK, true);
    for (const [name, out] of Object.entries(shown.didwwTrunks as Record<string, { id: string; password: string; username: string }>)) {
      const a = emu.store.didww.getTrunk(out.id)?.authentication_method?.attributes as { username?: string; password?: string } | undefined;
      assert.ok(out.password && out.password === a?.password, `${name}: the stack's SIP password is DIDWW's`);
      assert.equal(out.username, a?.username, `${name}: the stack's SIP username is DIDWW's`);
    }
  });

  it("2. an update of every trunk converges under faults; nothing is replaced", async function () {
    this.timeout(900_000);
    await setSpecs(1);
    faultsOn();
    const { run, attempts } = await timed("update", () => untilOk(ws, [...UP, "--json"], STACK, TRIES, "up (update)"));
    faultsOff("update");
    retries.update = attempts;
    if (attempts === 1) {
      const changes = (summary(run)?.resourceChanges ?? {}) as Record<string, number>;
      assert.equal(changes.update, N_DIDWW + N_TWILIO + N_BOLNA, `every trunk is updated in place: ${JSON.stringify(changes)}`);
      for (const k of ["create", "delete", "replace"]) assert.ok(!changes[k], `nothing is ${k}d: ${JSON.stringify(changes)}`);
    }
    collectSipPasswords();
    const state = await ws.checkState(STACK, "up (update)");
    expectAgreement("after update", state, 1);
    for (const t of emu.store.didww.listTrunks().filter((t) => !baseline.didww.has(t.id))) {
      const i = Number(t.name.split(" ").pop());
      assert.equal(t.capacity_limit, 110 + i, `DIDWW ${t.name}: capacity limit updated`);
    }
    for (const t of emu.store.bolna.listTrunks().filter((t) => !baseline.bolna.has(t.id))) {
      assert.deepEqual(
        (t as unknown as { gateways: Array<{ port: number }> }).gateways.map((g) => g.port),
        [5080],
        `Bolna ${t.name}: gateway port updated`,
      );
    }
    // Converged: a preview without faults has nothing left to do.
    expectOk(await ws.pulumi(["preview", "--expect-no-changes"], STACK), "a preview after the update converged");
  });

  it("3. refresh under faults keeps state and vendors in agreement", async function () {
    this.timeout(900_000);
    faultsOn();
    const { attempts } = await timed("refresh", () => untilOk(ws, ["refresh", "--yes", "--skip-preview"], STACK, TRIES, "refresh"));
    faultsOff("refresh");
    retries.refresh = attempts;
    const state = await ws.checkState(STACK, "refresh");
    expectAgreement("after refresh", state, 1);
  });

  it("4. destroy under faults, re-run until it succeeds, leaves no trunk at any vendor", async function () {
    this.timeout(900_000);
    collectSipPasswords();
    faultsOn();
    const { attempts } = await timed("destroy", () => untilOk(ws, ["destroy", "--yes", "--skip-preview"], STACK, TRIES, "destroy"));
    faultsOff("destroy");
    retries.destroy = attempts;
    const state = await ws.checkState(STACK, "destroy");
    expectAgreement("after destroy", state, undefined);
    assert.deepEqual(live.didww(), [], "DIDWW holds none of the suite's trunks");
    assert.deepEqual(live.twilio(), [], "Twilio holds none of the suite's trunks");
    assert.deepEqual(live.bolna(), [], "Bolna holds none of the suite's trunks");
    const all = Object.values(injected).reduce((n, st) => n + st.status + st.drop + st.lostResponse + st.statusAfterCommit, 0);
    assert.ok(all > 0, `the emulator should have injected faults: ${JSON.stringify(injected)}`);
  });
});
