/**
 * Engine contract of `bolna.SipTrunk`: the real dynamic provider host from @pulumi/pulumi, driven
 * over gRPC the way the engine drives it, against the emulator's Bolna vendor behind a recording
 * proxy (the emulator's own log has no bodies; PATCH bodies are part of the contract). Lifecycle in
 * the Terraform order: create, empty plan, refresh, in-place updates (fields, gateways, numbers,
 * the password), replacement, drift in refresh, deletion outside Pulumi, adoption, destroy; the
 * API calls of each step counted against the floor the README states, and a scan that no host
 * answer and no host log holds a plain password or the API key.
 *
 * Needs the built package (`npx tsc -p tsconfig.json`): the serialized provider loads it by name.
 */
import { strict as assert } from "node:assert";
import { randomBytes } from "node:crypto";
import { startEmulator, type EmulatorHandle } from "../../emulator";
import { isSecretHash, matchesSecret } from "../../provider/common/secret-hash";
import { SIP_TRUNK_SECRET_OUTPUTS, SIP_TRUNK_TYPE, SipTrunk } from "../../provider/bolna/sip-trunk";
import { shimSource } from "../../provider/shim";
import { DIFF_NONE, DIFF_SOME, Engine, HostError, PROVIDER_KEY, ProviderHost, SECRET_SIG, secretValue, type Props, type ResourceState } from "../helpers/engine";
import { registeredUnderMocks } from "../helpers/registration";
import { RecordingProxy } from "./support";

const API_KEY = `contract-bolna-${randomBytes(12).toString("hex")}`;

/** Passwords used in this suite; none may appear in any host answer (check's echo of the inputs aside) or log. */
const PASSWORDS: string[] = [];
function password(): string {
  const p = `Bolna-${randomBytes(6).toString("hex")}-Pw`;
  PASSWORDS.push(p);
  return p;
}

let counter = 0;
const uniqueName = (label: string) => `contract ${label} ${++counter} ${randomBytes(3).toString("hex")}`;

interface NumberOut {
  id: string;
  phoneNumber: string;
  name: string | null;
}

describe("engine contract: bolna.SipTrunk through @pulumi/pulumi's dynamic provider host", function () {
  this.timeout(60_000);
  let emu: EmulatorHandle;
  let proxy: RecordingProxy;
  let host: ProviderHost;
  let engine: Engine;

  before(async function () {
    this.timeout(120_000);
    emu = await startEmulator({ port: 0, bolnaApiKeys: [API_KEY] });
    proxy = await RecordingProxy.start(emu.bolnaUrl);
    host = await ProviderHost.start();
    host.forbid(API_KEY);
    await host.configure({ "bolna:apiKey": secretValue(API_KEY), "bolna:apiUrl": proxy.url });
    engine = new Engine(host, shimSource("bolna:SipTrunk"), SIP_TRUNK_TYPE, [...SIP_TRUNK_SECRET_OUTPUTS]);
  });

  after(async function () {
    await host?.close();
    await proxy?.close();
    await emu?.close();
  });

  const store = () => emu.store.bolna;
  /** `METHOD path status` of each request since the last call, base and query cut, ids shortened to `{id}`. */
  function served(): string[] {
    const out = emu.requests.map((r) => `${r.method} ${r.path.split("?")[0].replace(/^\/bolna/, "").replace(/\/[0-9A-HJKMNP-TV-Z]{26}/g, "/{id}")} ${r.status}`);
    emu.requests.clear();
    return out;
  }
  /** The request bodies the proxy saw since the last call, with their method. */
  function bodies(): { method: string; body: unknown }[] {
    const out = proxy.log.map((r) => ({ method: r.method, body: r.body }));
    proxy.clear();
    return out;
  }
  const clear = () => {
    served();
    bodies();
  };

  it("check names every bad input with its rule, never quotes the password, and calls Bolna not at all", async () => {
    clear();
    const p = password();
    const check = await host.check(engine.urn("bad"), {}, engine.news({
      name: "x", provider: "zadarma", authType: "ip-based", authPassword: p,
      gateways: [{ gatewayAddress: "sip.example.com", port: 70000 }], mediaEncryption: "sdes", phoneNumbers: [{ phoneNumber: "+1" }, { phoneNumber: "1" }],
    }));
    const byProperty = Object.fromEntries(check.failures.map((f) => [f.property, f.reason]));
    assert.deepEqual(Object.keys(byProperty).sort(), ["authPassword", "gateways", "ipIdentifiers", "phoneNumbers", "transport"]);
    assert.match(byProperty.authPassword, /must be omitted when authType is "ip-based" .* \(got "\[secret\]"\)/);
    assert.match(byProperty.gateways, /^gateways\[0\]\.port must be an integer from 1 to 65535 \(got 70000\)/);
    assert.match(byProperty.transport, /must be "transport-tls" when mediaEncryption is "sdes"/);
    assert.match(byProperty.phoneNumbers, /phoneNumbers\[1\] repeats number "1"/);
    assert.ok(!JSON.stringify(check.failures).includes(p));
    assert.deepEqual(served(), []);
  });

  describe("a userpass trunk, through its life", () => {
    let state: ResourceState;
    let args: Props;
    let pw: string;
    const numbers = (s: ResourceState) => s.outputs.phoneNumbers as NumberOut[];

    before(() => {
      pw = password();
      args = {
        name: uniqueName("userpass"),
        provider: "zadarma",
        description: "contract trunk",
        authType: "userpass",
        authUsername: "12345",
        authPassword: pw,
        gateways: [{ gatewayAddress: "sip2.zadarma.com", priority: 2 }, { gatewayAddress: "sip.zadarma.com" }],
        allow: " ULAW, alaw",
        inboundEnabled: true,
        phoneNumbers: [{ phoneNumber: "+919876543210", name: "Support" }],
      };
    });

    it("create: one POST with everything (numbers inline); outputs as Bolna reports them, the password only as its hash", async () => {
      clear();
      const { state: created, trace } = await engine.up("main", args);
      state = created;
      assert.equal(trace.op, "create");
      assert.deepEqual(served(), ["POST /sip-trunks/trunks 201"]);
      const [post] = bodies();
      assert.equal((post.body as Props).auth_password, pw, "the password went to Bolna");
      assert.deepEqual((post.body as Props).phone_numbers, [{ phone_number: "+919876543210", name: "Support" }]);
      const live = store().getTrunk(state.id)!;
      assert.equal(live.auth_password, pw);
      assert.equal(live.allow, "ulaw,alaw", "Bolna's own spelling");
      assert.equal(state.outputs.allow, "ulaw,alaw");
      assert.deepEqual(state.outputs.gateways, [
        { gatewayAddress: "sip2.zadarma.com", port: 5060, priority: 2 },
        { gatewayAddress: "sip.zadarma.com", port: 5060, priority: 1 },
      ], "as Bolna lists them (its order: the priorities say which is tried first)");
      assert.deepEqual(numbers(state), [{ id: live.phone_numbers[0].id, phoneNumber: "+919876543210", name: "Support" }]);
      assert.ok(isSecretHash(state.outputs.authPasswordHash) && matchesSecret(pw, state.outputs.authPasswordHash));
      assert.ok(!JSON.stringify(state.outputs).includes(pw), "no plain password in the outputs or the applied-inputs snapshot");
      assert.equal(typeof state.outputs.createdAt, "string");
      assert.equal("id" in state.outputs, false, "the trunk's id is the resource's id");
      // check filled in what omitting means, so a later drift previews as a value restored
      assert.equal(trace.check.inputs.transport, "transport-udp");
      assert.equal(trace.check.inputs.qualifyFrequency, 60);
    });

    it("no perpetual diff: the next up is DIFF_NONE and calls nothing", async () => {
      clear();
      const again = await engine.up("main", args, state);
      assert.equal(again.trace.diff?.changes, DIFF_NONE);
      assert.deepEqual(served(), []);
      state = again.state;
    });

    it("refresh: one GET; inputs unchanged but the password, which reads back as its hash; the up after it is DIFF_NONE", async () => {
      clear();
      const { state: refreshed, read } = await engine.refresh(state);
      assert.ok(refreshed);
      assert.deepEqual(served(), ["GET /sip-trunks/trunks/{id} 200"]);
      const { __provider: _a, authPassword: sent, ...before } = state.inputs;
      const { __provider: _b, authPassword: back, ...after } = read.inputs ?? {};
      assert.equal(sent, pw);
      assert.equal(back, state.outputs.authPasswordHash, "read never returns a password: the hash stands where it was");
      assert.deepEqual(after, before, "a refresh without drift changes no other input");
      assert.deepEqual(read.properties, state.outputs, "nor any output");
      clear();
      assert.equal((await engine.up("main", args, refreshed)).trace.diff?.changes, DIFF_NONE);
      assert.deepEqual(served(), []);
      state = refreshed;
    });

    it("respellings are no change: gateway order, codec case and blanks, a number's +", async () => {
      args = {
        ...args,
        gateways: [{ gatewayAddress: "SIP.zadarma.com", port: 5060 }, { gatewayAddress: "sip2.zadarma.com", priority: 2, port: 5060 }],
        allow: "ulaw , ALAW ,",
        phoneNumbers: [{ phoneNumber: "919876543210", name: "Support" }],
      };
      clear();
      const { state: same, trace } = await engine.up("main", args, state);
      assert.equal(trace.diff?.changes, DIFF_NONE);
      assert.deepEqual(served(), []);
      state = same;
    });

    it("a field change is one PATCH of the changed fields only", async () => {
      args = { ...args, description: "renamed trunk", inboundEnabled: false, transport: "transport-tcp" };
      clear();
      const { state: updated, trace } = await engine.up("main", args, state);
      assert.equal(trace.op, "update");
      assert.equal(trace.diff?.changes, DIFF_SOME);
      assert.deepEqual(served(), ["PATCH /sip-trunks/trunks/{id} 200"]);
      assert.deepEqual(bodies(), [{ method: "PATCH", body: { description: "renamed trunk", transport: "transport-tcp", inbound_enabled: false } }]);
      assert.equal(store().getTrunk(state.id)?.transport, "transport-tcp");
      state = updated;
      assert.equal((await engine.up("main", args, state)).trace.diff?.changes, DIFF_NONE);
    });

    it("a gateway change sends the whole list (Bolna replaces it), in one PATCH", async () => {
      args = { ...args, gateways: [{ gatewayAddress: "sip.zadarma.com" }, { gatewayAddress: "sip3.zadarma.com", port: 5080, priority: 3 }] };
      clear();
      const { state: updated } = await engine.up("main", args, state);
      assert.deepEqual(served(), ["PATCH /sip-trunks/trunks/{id} 200"]);
      assert.deepEqual(bodies(), [{ method: "PATCH", body: { gateways: [{ gateway_address: "sip.zadarma.com", port: 5060, priority: 1 }, { gateway_address: "sip3.zadarma.com", port: 5080, priority: 3 }] } }]);
      assert.deepEqual(store().getTrunk(state.id)?.gateways.map((g) => g.gateway_address), ["sip.zadarma.com", "sip3.zadarma.com"]);
      state = updated;
      assert.equal((await engine.up("main", args, state)).trace.diff?.changes, DIFF_NONE);
    });

    it("numbers: an added one is one POST, a removed one one DELETE by its id; the trunk is not replaced", async () => {
      const first = numbers(state)[0];
      args = { ...args, phoneNumbers: [{ phoneNumber: "+15550001001", name: "US" }] };
      clear();
      const { state: updated, trace } = await engine.up("main", args, state);
      assert.equal(trace.op, "update");
      assert.deepEqual(served(), ["DELETE /sip-trunks/trunks/{id}/numbers/{id} 200", "POST /sip-trunks/trunks/{id}/numbers 201"]);
      assert.deepEqual(store().listNumbers(state.id).map((n) => n.phone_number), ["+15550001001"]);
      assert.ok(!numbers(updated).some((n) => n.id === first.id));
      assert.equal(updated.id, state.id);
      state = updated;
      assert.equal((await engine.up("main", args, state)).trace.diff?.changes, DIFF_NONE);
    });

    it("a new password is one PATCH with auth_password only; the hash follows it; the old one no longer matches", async () => {
      const next = password();
      args = { ...args, authPassword: next };
      clear();
      const { state: updated, trace } = await engine.up("main", args, state);
      assert.equal(trace.diff?.changes, DIFF_SOME);
      assert.deepEqual(served(), ["PATCH /sip-trunks/trunks/{id} 200"]);
      assert.deepEqual(bodies(), [{ method: "PATCH", body: { auth_password: next } }]);
      assert.equal(store().getTrunk(state.id)?.auth_password, next);
      assert.ok(matchesSecret(next, updated.outputs.authPasswordHash) && !matchesSecret(pw, updated.outputs.authPasswordHash));
      pw = next;
      state = updated;
      assert.equal((await engine.up("main", args, state)).trace.diff?.changes, DIFF_NONE);
    });

    it("drift: out-of-band edits and a removed number show in refresh and are restored by one PATCH and one POST; a password changed outside is never reported", async () => {
      const [n] = store().listNumbers(state.id);
      store().updateTrunk(state.id, { qualify_frequency: 30, allow: "g729", auth_password: "Changed-In-Dashboard-1" });
      store().deleteNumber(n.id);
      clear();
      const { state: refreshed, read } = await engine.refresh(state);
      assert.ok(refreshed);
      assert.deepEqual(served(), ["GET /sip-trunks/trunks/{id} 200"]);
      assert.equal(read.properties.qualifyFrequency, 30);
      assert.equal(read.inputs?.allow, "g729", "the live value becomes the input, so the preview shows it being restored");
      assert.deepEqual(read.properties.phoneNumbers, []);
      assert.equal(read.properties.authPasswordHash, state.outputs.authPasswordHash, "the password's drift cannot be seen");
      clear();
      const { state: restored, trace } = await engine.up("main", args, refreshed);
      assert.equal(trace.op, "update");
      assert.deepEqual(served(), ["PATCH /sip-trunks/trunks/{id} 200", "POST /sip-trunks/trunks/{id}/numbers 201"]);
      const [patch] = bodies();
      assert.deepEqual(patch.body, { allow: "ulaw , ALAW ,", qualify_frequency: 60 }, "the changed fields, in the program's spelling");
      assert.equal(store().getTrunk(state.id)?.auth_password, "Changed-In-Dashboard-1", "password drift is not reported, so not reverted");
      state = restored;
      assert.equal((await engine.up("main", args, state)).trace.diff?.changes, DIFF_NONE);
    });

    it("provider and authType replace the trunk (deleting first: the name and the numbers are unique); a field change does not", async () => {
      const check = await host.check(state.urn, state.inputs, engine.news({ ...args, provider: "twilio" }));
      const diff = await host.diff(state.id, state.urn, state.outputs, check.inputs, state.inputs);
      assert.deepEqual([diff.changes, diff.replaces, diff.deleteBeforeReplace], [DIFF_SOME, ["provider"], true]);
      const ipArgs = { ...args, authType: "ip-based", authUsername: undefined, authPassword: undefined, ipIdentifiers: [{ ipAddress: "203.0.113.10" }] };
      const toIp = await host.diff(state.id, state.urn, state.outputs, (await host.check(state.urn, state.inputs, engine.news(ipArgs))).inputs, state.inputs);
      assert.deepEqual([toIp.replaces, toIp.deleteBeforeReplace], [["authType"], true]);
      const iceCheck = await host.check(state.urn, state.inputs, engine.news({ ...args, iceSupport: false }));
      assert.deepEqual((await host.diff(state.id, state.urn, state.outputs, iceCheck.inputs, state.inputs)).replaces, ["iceSupport"]);
      // The engine's delete-before-replace: delete the old trunk, then create the new one of the same name and numbers.
      clear();
      await engine.destroy(state);
      const { state: replaced } = await engine.up("main", { ...args, provider: "twilio" });
      assert.deepEqual(served(), ["DELETE /sip-trunks/trunks/{id} 200", "POST /sip-trunks/trunks 201"]);
      assert.notEqual(replaced.id, state.id);
      assert.equal(store().getTrunk(state.id), undefined);
      assert.equal(replaced.outputs.provider, "twilio");
      state = replaced;
    });

    it("adoption by another stack: one GET at check, one at create, and one PATCH setting the password it cannot read", async () => {
      const adoptPassword = password();
      const adoptArgs = { ...args, provider: "twilio", authPassword: adoptPassword, importId: state.id };
      clear();
      const { state: adopted, trace } = await engine.up("adopted", adoptArgs);
      assert.deepEqual(trace.check.failures, []);
      assert.equal(adopted.id, state.id);
      assert.deepEqual(served(), ["GET /sip-trunks/trunks/{id} 200", "GET /sip-trunks/trunks/{id} 200", "PATCH /sip-trunks/trunks/{id} 200"]);
      assert.deepEqual(bodies().filter((b) => b.method === "PATCH"), [{ method: "PATCH", body: { auth_password: adoptPassword } }]);
      assert.ok(matchesSecret(adoptPassword, adopted.outputs.authPasswordHash), "the stored hash is true");
      assert.equal(store().getTrunk(state.id)?.auth_password, adoptPassword);
      clear();
      assert.equal((await engine.up("adopted", adoptArgs, adopted)).trace.diff?.changes, DIFF_NONE);
      assert.deepEqual(served(), []);
      pw = adoptPassword;
      args = { ...args, provider: "twilio", authPassword: adoptPassword };
    });

    it("adoption that differs fails at check, naming each property with the live and the program value; no write", async () => {
      clear();
      const check = await host.check(engine.urn("mismatch"), {}, engine.news({ ...args, description: "other", importId: state.id }));
      assert.deepEqual(check.failures.map((f) => f.property), ["description"]);
      assert.match(check.failures[0].reason, /description is "renamed trunk" on the live SIP trunk, the program says "other"/);
      assert.deepEqual(served(), ["GET /sip-trunks/trunks/{id} 200"]);
    });

    it("destroy: one DELETE, and the trunk's numbers go with it", async () => {
      assert.equal(store().listNumbers(state.id).length, 1);
      clear();
      await engine.destroy(state);
      assert.deepEqual(served(), ["DELETE /sip-trunks/trunks/{id} 200"]);
      assert.equal(store().getTrunk(state.id), undefined);
      assert.deepEqual(store().listNumbers(state.id), []);
    });
  });

  describe("an ip-based trunk", () => {
    it("created inactive: the POST and one PATCH (Bolna's create does not take is_active); then nothing to do", async () => {
      const args = {
        name: uniqueName("ip"), provider: "plivo", authType: "ip-based",
        gateways: [{ gatewayAddress: "21467306465797919.zt.plivo.com" }],
        ipIdentifiers: [{ ipAddress: "15.207.90.192/31" }, { ipAddress: "204.89.151.130" }], isActive: false,
      };
      clear();
      const { state } = await engine.up("ip", args);
      assert.deepEqual(served(), ["POST /sip-trunks/trunks 201", "PATCH /sip-trunks/trunks/{id} 200"]);
      assert.deepEqual(bodies().map((b) => [b.method, b.method === "PATCH" ? b.body : "…"]), [["POST", "…"], ["PATCH", { is_active: false }]]);
      assert.equal(store().getTrunk(state.id)?.is_active, false);
      assert.equal(state.outputs.authUsername, null);
      assert.equal(state.outputs.authPasswordHash, null);
      // Bolna keeps a bare address bare; it is still the /32 the program may write.
      const again = await engine.up("ip", { ...args, ipIdentifiers: [{ ipAddress: "204.89.151.130/32" }, { ipAddress: "15.207.90.192/31" }] }, state);
      assert.equal(again.trace.diff?.changes, DIFF_NONE);
      clear();
      const ips = await engine.up("ip", { ...args, ipIdentifiers: [{ ipAddress: "15.207.90.192/31" }] }, again.state);
      assert.deepEqual(bodies(), [{ method: "PATCH", body: { ip_identifiers: [{ ip_address: "15.207.90.192/31" }] } }], "the whole list");
      served();
      await engine.destroy(ips.state);
    });

    it("deleted outside Pulumi: refresh says gone, and destroying it again succeeds", async () => {
      const { state } = await engine.up("gone", { name: uniqueName("gone"), provider: "plivo", authType: "ip-based", gateways: [{ gatewayAddress: "10.0.0.1" }], ipIdentifiers: [{ ipAddress: "10.0.0.2" }], phoneNumbers: [{ phoneNumber: "15550002002" }] });
      store().deleteTrunk(state.id);
      const { state: refreshed, read } = await engine.refresh(state);
      assert.equal(refreshed, undefined);
      assert.equal(read.id, "");
      clear();
      await engine.destroy(state);
      assert.deepEqual(served(), ["DELETE /sip-trunks/trunks/{id} 404"], "already gone is success, numbers and all");
    });

    it("onImportMismatch: \"update\" makes an adopted trunk match in one PATCH", async () => {
      const made = store().putTrunk({ name: uniqueName("dashboard"), provider: "plivo", auth_type: "ip-based", gateways: [{ gateway_address: "10.0.0.1" }], ip_identifiers: [{ ip_address: "10.0.0.2" }], qualify_frequency: 120 });
      const args = { name: made.name, provider: "plivo", authType: "ip-based", gateways: [{ gatewayAddress: "10.0.0.1" }], ipIdentifiers: [{ ipAddress: "10.0.0.2/32" }], importId: made.id, onImportMismatch: "update" };
      clear();
      const { state } = await engine.up("adopt-update", args);
      assert.deepEqual(served(), ["GET /sip-trunks/trunks/{id} 200", "GET /sip-trunks/trunks/{id} 200", "PATCH /sip-trunks/trunks/{id} 200"]);
      assert.deepEqual(bodies().filter((b) => b.method === "PATCH").map((b) => b.body), [{ qualify_frequency: 60 }]);
      assert.equal(store().getTrunk(made.id)?.qualify_frequency, 60);
      await engine.destroy(state);
    });
  });

  describe("ambiguous outcomes are reconciled, never repeated", () => {
    const ipArgs = (name: string, over: Props = {}) => ({ name, provider: "plivo", authType: "ip-based", gateways: [{ gatewayAddress: "10.0.0.1" }], ipIdentifiers: [{ ipAddress: "10.0.0.2" }], ...over });
    const TRUNKS_ONLY = /^\/bolna\/sip-trunks\/trunks$/;
    const calls = () => served().map((l) => l.split(" ").slice(0, 2).join(" "));

    for (const fault of [{ kind: "lostResponse" as const }, { kind: "statusAfterCommit" as const, status: 500 as const }]) {
      it(`a create answered by ${fault.kind}${"status" in fault ? ` ${fault.status}` : ""}: found again by name with one list; one trunk`, async () => {
        const name = uniqueName(fault.kind);
        emu.faults.add({ ...fault, match: { vendor: "bolna", method: "POST", path: TRUNKS_ONLY }, times: 1 });
        clear();
        const { state } = await engine.up(fault.kind, ipArgs(name, { phoneNumbers: [{ phoneNumber: "+15550004004" }] }));
        assert.deepEqual(calls(), ["POST /sip-trunks/trunks", "GET /sip-trunks/trunks"]);
        assert.equal(store().listTrunks().filter((t) => t.name === name).length, 1, "no duplicate");
        assert.deepEqual((state.outputs.phoneNumbers as NumberOut[]).map((n) => n.phoneNumber), ["+15550004004"]);
        assert.equal((await engine.up(fault.kind, ipArgs(name, { phoneNumbers: [{ phoneNumber: "+15550004004" }] }), state)).trace.diff?.changes, DIFF_NONE);
        await engine.destroy(state);
      });
    }

    it("a number added whose response is lost: found by listing the trunk's numbers", async () => {
      const name = uniqueName("lost-number");
      const { state } = await engine.up("lost-number", ipArgs(name));
      emu.faults.add({ kind: "lostResponse", match: { vendor: "bolna", method: "POST", path: /\/numbers$/ }, times: 1 });
      clear();
      const { state: updated } = await engine.up("lost-number", ipArgs(name, { phoneNumbers: [{ phoneNumber: "15550005005", name: "lost" }] }), state);
      assert.deepEqual(calls(), ["POST /sip-trunks/trunks/{id}/numbers", "GET /sip-trunks/trunks/{id}/numbers"]);
      assert.equal(store().listNumbers(state.id).length, 1);
      assert.deepEqual((updated.outputs.phoneNumbers as NumberOut[]).map((n) => [n.phoneNumber, n.name]), [["15550005005", "lost"]]);
      await engine.destroy(updated);
    });

    it("a number already on the trunk unseen by the state (an add listed late, or one made outside): Bolna's 409, then taken as it is", async () => {
      const name = uniqueName("late-number");
      const { state } = await engine.up("late-number", ipArgs(name));
      store().addNumber(state.id, { phone_number: "+15550006006", name: "late" });
      clear();
      const { state: updated } = await engine.up("late-number", ipArgs(name, { phoneNumbers: [{ phoneNumber: "15550006006", name: "late" }] }), state);
      assert.deepEqual(served(), ["POST /sip-trunks/trunks/{id}/numbers 409", "GET /sip-trunks/trunks/{id}/numbers 200"]);
      assert.deepEqual((updated.outputs.phoneNumbers as NumberOut[]).map((n) => n.phoneNumber), ["+15550006006"]);
      assert.equal((await engine.up("late-number", ipArgs(name, { phoneNumbers: [{ phoneNumber: "15550006006", name: "late" }] }), updated)).trace.diff?.changes, DIFF_NONE);
      await engine.destroy(updated);
    });

    it("a 429 on a refresh is retried after its Retry-After", async () => {
      const name = uniqueName("429");
      const { state } = await engine.up("429", ipArgs(name));
      emu.faults.add({ kind: "status", status: 429, match: { vendor: "bolna", method: "GET" }, times: 1 });
      clear();
      const started = Date.now();
      const { state: refreshed } = await engine.refresh(state);
      assert.ok(refreshed);
      assert.deepEqual(served(), ["GET /sip-trunks/trunks/{id} 429", "GET /sip-trunks/trunks/{id} 200"]);
      assert.ok(Date.now() - started >= 900, "waited for Retry-After (1 s)");
      await engine.destroy(state);
    });
  });

  describe("errors", () => {
    it("a name already taken says which trunk has it and how to adopt it", async () => {
      const taken = uniqueName("taken");
      const { state } = await engine.up("first", { name: taken, provider: "plivo", authType: "ip-based", gateways: [{ gatewayAddress: "10.0.0.1" }], ipIdentifiers: [{ ipAddress: "10.0.0.2" }] });
      try {
        await engine.up("second", { name: taken, provider: "plivo", authType: "ip-based", gateways: [{ gatewayAddress: "10.0.0.3" }], ipIdentifiers: [{ ipAddress: "10.0.0.4" }] });
        assert.fail("the second create should fail");
      } catch (err) {
        assert.ok(err instanceof HostError, String(err));
        assert.match(err.message, new RegExp(`a SIP trunk named "${taken}" already exists in this Bolna account \\(${state.id}\\)`));
        assert.match(err.message, new RegExp(`import: "${state.id}"`));
        assert.match(err.message, /Bolna API POST \/bolna\/sip-trunks\/trunks failed \(HTTP 400\)/);
      }
      await engine.destroy(state);
    });

    it("a number on another active trunk is refused naming the number's input", async () => {
      const a = await engine.up("num-a", { name: uniqueName("num-a"), provider: "p", authType: "ip-based", gateways: [{ gatewayAddress: "10.0.0.1" }], ipIdentifiers: [{ ipAddress: "10.0.0.2" }], phoneNumbers: [{ phoneNumber: "+15550003003" }] });
      const b = await engine.up("num-b", { name: uniqueName("num-b"), provider: "p", authType: "ip-based", gateways: [{ gatewayAddress: "10.0.0.1" }], ipIdentifiers: [{ ipAddress: "10.0.0.2" }] });
      await assert.rejects(
        engine.up("num-b", { name: b.state.outputs.name, provider: "p", authType: "ip-based", gateways: [{ gatewayAddress: "10.0.0.1" }], ipIdentifiers: [{ ipAddress: "10.0.0.2" }], phoneNumbers: [{ phoneNumber: "15550003003" }] }, b.state),
        (e: Error) => /HTTP 409/.test(e.message) && /phoneNumbers\["15550003003"\]: Phone number already exists on another active trunk/.test(e.message),
      );
      await engine.destroy(a.state);
      await engine.destroy(b.state);
    });
  });

  describe("the program side", function () {
    it("SipTrunk registers the password as a secret, with authPasswordHash and __appliedInputs as additionalSecretOutputs", async function () {
      const p = password();
      const registered = await registeredUnderMocks(
        () => new SipTrunk("class-shape", { name: "n", provider: "zadarma", authType: "userpass", authUsername: "u", authPassword: p, gateways: [{ gatewayAddress: "sip.zadarma.com" }] }),
      );
      const [record] = registered;
      assert.equal(record.type, SIP_TRUNK_TYPE);
      assert.deepEqual([...record.secrets].sort(), ["__appliedInputs", "authPasswordHash"]);
      assert.deepEqual(Object.keys(record.object.authPassword as Props).sort(), [SECRET_SIG, "value"].sort(), "the password goes to the engine as a secret");
      assert.equal(record.object[PROVIDER_KEY], engine.provider);
    });
  });

  // Mocha runs a suite's own tests before its sub-suites: this scan is a sub-suite of its own, so it runs last.
  describe("secrets", function () {
    it("no host answer (check's echo of the program's inputs aside) and no host log holds a plain password or the API key", function () {
      assert.ok(PASSWORDS.length >= 4);
      const rpcs = new Set(host.transcript.map((t) => t.rpc));
      for (const rpc of ["check", "create", "read", "update", "diff", "delete"]) assert.ok(rpcs.has(rpc), `${rpc} answers were scanned`);
      for (const entry of host.transcript) {
        // A successful check returns the inputs it was given (the engine stores them as the
        // resource's inputs, encrypted: the class marks the password secret); only its failures are the provider's own words.
        const text = entry.rpc === "check" && entry.ok ? JSON.stringify((JSON.parse(entry.text) as { failures: unknown }).failures) : entry.text;
        for (const p of PASSWORDS) assert.ok(!text.includes(p), `${entry.rpc} answer holds a plain password: ${text.slice(0, 300)}`);
        assert.deepEqual(host.leaks(entry.text), [], `${entry.rpc} answer holds the API key`);
      }
      for (const p of PASSWORDS) assert.ok(!host.stdout.includes(p) && !host.stderr.includes(p), "the host's logs hold a plain password");
      assert.deepEqual(host.leaks(host.stdout + host.stderr), [], "the host's logs do not hold the API key");
    });
  });
});
