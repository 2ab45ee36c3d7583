/**
 * Engine contract against a DIDWW that never shows SIP credentials in full: the emulator with
 * `maskCredentialsOnWrites: true` masks username/password (`3qL******`) in POST and PATCH answers
 * as well as in GETs. No recording shows such a DIDWW; this pins down what the provider does if it
 * ever is one (README, Known limits): the lifecycle still works, `username`/`password` stay `null`
 * (never the masked text), nothing diffs forever, every operation stays at its floor (a write that
 * masked the pair is not followed by another write that would mask it too; only a rotation reads
 * the new pair with one attribute-less PATCH), refresh never writes, and the pair DIDWW holds
 * appears in no answer of the host, no log and no state.
 *
 * Needs `npm run build` (the serialized provider loads the built package by name).
 */
import { strict as assert } from "node:assert";
import { DEFAULT_DIDS, startEmulator } from "../../emulator";
import { shimSource } from "../../provider/shim";
import { DIFF_NONE, DIFF_SOME, Engine, ProviderHost, type Props, type ResourceState } from "../helpers/engine";
import {
  RecordingProxy,
  TYPE,
  TWILIO_SID,
  didww,
  emptyPatchBodies,
  newApiKey,
  served,
  stackConfig,
  uniqueName,
  writesServed,
  type ContractEnv,
} from "./support";

const PLAIN_DIDS = DEFAULT_DIDS.filter((d) => !d.emergency_enabled).map((d) => d.id);
const MASKED = /^.{3}\*{6}$/;

function credentialsArgs(name: string, extra: Props = {}): Props {
  return {
    name,
    onCliMismatchAction: "reject_call",
    authenticationMethod: { type: "credentials_and_ip", allowedSipIps: ["203.0.113.10"] },
    ...extra,
  };
}

/** Like support.ts's startContractEnv, with an emulator that masks credentials on writes too. */
async function startMaskingEnv(): Promise<ContractEnv> {
  const apiKey = newApiKey("masked-writes-key");
  const emulator = await startEmulator({ port: 0, apiKeys: [apiKey], maskCredentials: true, maskCredentialsOnWrites: true });
  const cleanup: Array<() => Promise<void>> = [() => emulator.close()];
  try {
    const proxy = await RecordingProxy.start(emulator.didwwUrl);
    cleanup.unshift(() => proxy.close());
    const providerText = shimSource("didww:OutboundTrunk");
    const host = await ProviderHost.start();
    cleanup.unshift(() => host.close());
    host.forbid(apiKey);
    await host.configure(stackConfig(apiKey, proxy.url));
    const engine = new Engine(host, providerText, TYPE, [...didww.SECRET_OUTPUTS]);
    return {
      apiKey,
      emulator,
      proxy,
      host,
      engine,
      providerText,
      close: async () => {
        for (const c of cleanup) await c().catch(() => undefined);
      },
    };
  } catch (err) {
    for (const c of cleanup) await c().catch(() => undefined);
    throw err;
  }
}

describe("engine contract: a DIDWW that masks credentials on writes too (emulator maskCredentialsOnWrites)", function () {
  this.timeout(60_000);
  let env: ContractEnv;
  /** Every pair DIDWW generated in this suite: none may appear in any answer, log or state. */
  const pairs: Array<{ username: string; password: string }> = [];

  before(async function () {
    env = await startMaskingEnv();
  });

  after(async function () {
    await env?.close();
  });

  /** Every request body the provider sent, kept across the log clearing of each step. */
  const sentBodies: unknown[] = [];
  const clearLogs = (e: ContractEnv): void => {
    sentBodies.push(...e.proxy.log.map((r) => r.body));
    e.emulator.requests.clear();
    e.proxy.clear();
  };

  const store = () => env.emulator.store.didww;
  const up = (name: string, args: Props, prior?: ResourceState) => env.engine.up(name, args, prior);

  /** The pair the emulator holds for a trunk (full, 16 characters each), remembered for the leak checks. */
  function livePair(id: string): { username: string; password: string } {
    const auth = store().getTrunk(id)?.authentication_method as { type: string; attributes: { username?: string; password?: string } } | undefined;
    assert.equal(auth?.type, "credentials_and_ip");
    const pair = { username: String(auth.attributes.username), password: String(auth.attributes.password) };
    assert.match(pair.username, /^[A-Za-z0-9]{16}$/);
    assert.match(pair.password, /^[A-Za-z0-9]{16}$/);
    if (!pairs.some((p) => p.password === pair.password)) pairs.push(pair);
    return pair;
  }

  /** `username`/`password` are present in the outputs, `null`, and the outputs hold neither the live pair nor a masked value. */
  function assertCredentialsUnknown(outputs: Props, id: string, when: string): void {
    assert.ok("username" in outputs && "password" in outputs, `${when}: the outputs keep both keys`);
    assert.equal(outputs.username, null, `${when}: username is null (DIDWW never showed it in full)`);
    assert.equal(outputs.password, null, `${when}: password is null (DIDWW never showed it in full)`);
    const text = JSON.stringify(outputs);
    const live = livePair(id);
    assert.ok(!text.includes(live.username) && !text.includes(live.password), `${when}: the live pair is in no output`);
    assert.ok(!/\*{6}/.test(text), `${when}: no masked credential entered the outputs`);
  }

  /** Bodies of the PATCHes the provider sent to one trunk, in order. */
  function patchBodies(id: string): unknown[] {
    return env.proxy.log.filter((r) => r.method === "PATCH" && r.path.split("?")[0].endsWith(`/voice_out_trunks/${id}`)).map((r) => r.body);
  }

  it("the emulator under test masks credentials in write answers (what the rest of this suite relies on)", async function () {
    const id = store().putTrunk({
      name: uniqueName("probe"),
      on_cli_mismatch_action: "reject_call",
      authentication_method: { type: "credentials_and_ip", attributes: { allowed_sip_ips: ["203.0.113.10"] } },
    }).id;
    const live = livePair(id);
    const response = await fetch(`${env.emulator.didwwUrl}/voice_out_trunks/${id}`, {
      method: "PATCH",
      headers: { "Api-Key": env.apiKey, Accept: "application/vnd.api+json", "Content-Type": "application/vnd.api+json" },
      body: JSON.stringify({ data: { id, type: "voice_out_trunks" } }),
    });
    assert.equal(response.status, 200);
    const shown = ((await response.json()) as { data: { attributes: { authentication_method: { attributes: { username: string; password: string } } } } }).data.attributes.authentication_method.attributes;
    assert.match(shown.username, MASKED);
    assert.match(shown.password, MASKED);
    assert.notEqual(shown.password, live.password);
    store().deleteTrunk(id);
  });

  describe("one credentials_and_ip trunk through its lifecycle", function () {
    let name: string;
    let args: Props;
    let state: ResourceState;

    before(() => {
      name = uniqueName("masked-writes");
      args = credentialsArgs(name, { didIds: [PLAIN_DIDS[0]], capacityLimit: 4 });
    });

    it("create is one POST (no second write asking for a pair the POST masked) and leaves username/password null", async function () {
      clearLogs(env);
      const created = await up(name, args);
      state = created.state;
      assert.equal(created.trace.op, "create");
      assert.deepEqual(served(env), ["POST /v3/voice_out_trunks 201"], "create: the POST only");
      assert.equal(store().listTrunks().filter((t) => t.name === name).length, 1, "one trunk, no duplicate");
      assert.equal(state.outputs.name, name);
      assert.equal(state.outputs.capacityLimit, 4);
      assert.deepEqual(state.outputs.authenticationMethod, { type: "credentials_and_ip", allowedSipIps: ["203.0.113.10/32"], techPrefix: null });
      assertCredentialsUnknown(state.outputs, state.id, "after create");
      // Were they ever known, the engine would store them encrypted (additionalSecretOutputs).
      assert.deepEqual([...state.secretOutputs].sort(), ["password", "username"]);
    });

    it("no perpetual diff: the next up is DIFF_NONE and calls DIDWW not at all", async function () {
      clearLogs(env);
      const again = await up(name, args, state);
      assert.equal(again.trace.op, "same");
      assert.equal(again.trace.diff?.changes, DIFF_NONE, "diff right after create");
      assert.deepEqual(served(env), [], "a no-op up makes no API call");
      state = again.state;
    });

    it("refresh: one GET each time, never a write, credentials still null, and the up after it is DIFF_NONE", async function () {
      for (let round = 1; round <= 3; round++) {
        clearLogs(env);
        const refreshed = await env.engine.refresh(state);
        assert.ok(refreshed.state, "the trunk is still there");
        assert.deepEqual(served(env), [`GET /v3/voice_out_trunks/${state.id} 200`], `refresh ${round}: exactly one GET, no write`);
        assertCredentialsUnknown(refreshed.read.properties, state.id, `after refresh ${round}`);
        state = refreshed.state;
        clearLogs(env);
        const next = await up(name, args, state);
        assert.equal(next.trace.diff?.changes, DIFF_NONE, `up after refresh ${round}`);
        assert.deepEqual(served(env), [], `up after refresh ${round} calls nothing`);
        state = next.state;
      }
    });

    it("an in-place update is one PATCH (the pair stays unknown), then DIFF_NONE", async function () {
      for (const capacityLimit of [5, 6]) {
        args = { ...args, capacityLimit };
        clearLogs(env);
        const updated = await up(name, args, state);
        assert.equal(updated.trace.op, "update");
        assert.equal(updated.trace.diff?.changes, DIFF_SOME);
        assert.deepEqual(writesServed(env), [`PATCH /v3/voice_out_trunks/${state.id} 200`], `update to ${capacityLimit}: one PATCH`);
        assert.deepEqual(served(env).filter((s) => s.startsWith("GET ")), [], "no read-back");
        const [change] = patchBodies(state.id) as Array<{ data: { attributes?: Record<string, unknown> } }>;
        assert.deepEqual(change.data.attributes, { capacity_limit: capacityLimit }, "the PATCH carries the change");
        assert.equal(store().getTrunk(state.id)?.capacity_limit, capacityLimit);
        assertCredentialsUnknown(updated.state.outputs, state.id, `after the update to ${capacityLimit}`);
        state = updated.state;
        clearLogs(env);
        assert.equal((await up(name, args, state)).trace.diff?.changes, DIFF_NONE, `no perpetual diff after the update to ${capacityLimit}`);
        assert.deepEqual(served(env), []);
      }
    });

    it("credentialsRotation: regenerate plus one attribute-less PATCH, the new pair unknown too", async function () {
      const before = livePair(state.id);
      args = { ...args, credentialsRotation: "2026-12-01" };
      clearLogs(env);
      const rotated = await up(name, args, state);
      assert.equal(rotated.trace.op, "update");
      assert.deepEqual(writesServed(env), ["POST /v3/voice_out_trunk_regenerate_credentials 201", `PATCH /v3/voice_out_trunks/${state.id} 200`]);
      assert.deepEqual(emptyPatchBodies(env, state.id), [{ data: { id: state.id, type: "voice_out_trunks" } }]);
      assert.notEqual(livePair(state.id).password, before.password, "DIDWW generated a new pair");
      assertCredentialsUnknown(rotated.state.outputs, state.id, "after the rotation");
      assert.equal(rotated.state.outputs.credentialsRotation, "2026-12-01");
      state = rotated.state;
      clearLogs(env);
      assert.equal((await up(name, args, state)).trace.diff?.changes, DIFF_NONE);
      assert.deepEqual(served(env), []);
    });

    it("destroy: one DELETE", async function () {
      clearLogs(env);
      await env.engine.destroy(state);
      assert.deepEqual(served(env), [`DELETE /v3/voice_out_trunks/${state.id} 204`]);
      assert.equal(store().getTrunk(state.id), undefined);
    });
  });

  describe("the other operations that ask for the pair", function () {
    it("adoption of a matching trunk: one attribute-less PATCH, nothing changed, credentials null", async function () {
      const name = uniqueName("masked-adopt");
      const id = store().putTrunk({
        name,
        on_cli_mismatch_action: "reject_call",
        authentication_method: { type: "credentials_and_ip", attributes: { allowed_sip_ips: ["203.0.113.10"], tech_prefix: null } },
      }).id;
      const args = credentialsArgs(name, { importId: id });
      clearLogs(env);
      const { state, trace } = await up(name, args);
      assert.deepEqual(trace.check.failures, []);
      assert.equal(state.id, id);
      assert.deepEqual(writesServed(env), [`PATCH /v3/voice_out_trunks/${id} 200`]);
      assert.equal(emptyPatchBodies(env, id).length, 1, "the PATCH carries no attribute");
      assertCredentialsUnknown(state.outputs, id, "after the adoption");
      clearLogs(env);
      assert.equal((await up(name, args, state)).trace.diff?.changes, DIFF_NONE);
      assert.deepEqual(served(env), []);
      await env.engine.destroy(state);
    });

    it("a switch from twilio to credentials_and_ip: one PATCH, credentials null, then DIFF_NONE", async function () {
      const name = uniqueName("masked-switch");
      const twilio: Props = { name, onCliMismatchAction: "reject_call", authenticationMethod: { type: "twilio", twilioAccountSid: TWILIO_SID } };
      const { state: first } = await up(name, twilio);
      assert.equal(first.outputs.username, null);
      const args = credentialsArgs(name);
      clearLogs(env);
      const { state, trace } = await up(name, args, first);
      assert.equal(trace.op, "update");
      assert.deepEqual(writesServed(env), [`PATCH /v3/voice_out_trunks/${first.id} 200`]);
      assert.equal(emptyPatchBodies(env, first.id).length, 0);
      assertCredentialsUnknown(state.outputs, first.id, "after the switch");
      assert.equal((await up(name, args, state)).trace.diff?.changes, DIFF_NONE);
      await env.engine.destroy(state);
    });
  });

  // Last: mocha runs a suite's own tests before its nested suites, so this scan sits in one of its own.
  describe("secrets", function () {
    it("the pairs DIDWW generated appear in no host answer, no host log line and no request the provider sent; neither does the API key", function () {
      assert.ok(pairs.length >= 4, `the suite saw the pairs it generated (${pairs.length})`);
      const secrets = pairs.flatMap((p) => [p.username, p.password]);
      const rpcs = new Set(env.host.transcript.map((t) => t.rpc));
      for (const rpc of ["configure", "check", "diff", "create", "read", "update", "delete"]) assert.ok(rpcs.has(rpc), `the suite exercised ${rpc}`);
      for (const entry of env.host.transcript) {
        for (const s of secrets) assert.ok(!entry.text.includes(s), `a ${entry.rpc} answer of the host contains a live credential`);
        assert.deepEqual(env.host.leaks(entry.text), [], `${entry.rpc} answer contains the API key`);
      }
      const sent = JSON.stringify([...sentBodies, ...env.proxy.log.map((r) => r.body)]);
      for (const [where, text] of [["host stdout", env.host.stdout], ["host stderr", env.host.stderr], ["requests sent", sent]] as const) {
        for (const s of secrets) assert.ok(!text.includes(s), `${where} contains a live credential`);
        assert.deepEqual(env.host.leaks(text), [], `${where} contains the API key`);
      }
      console.log(`      (${env.host.transcript.length} host answers scanned for ${secrets.length} live credentials)`);
    });
  });
});
