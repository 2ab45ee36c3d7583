/**
 * Engine contract of `twilio.OriginationUrl`: the real dynamic provider host from @pulumi/pulumi,
 * driven over gRPC the way the engine drives it, against the Twilio emulator, in the Terraform
 * order: create → no-op diff → refresh equals outputs → in-place update → replacement on a new
 * trunk → drift → disappears → adopt (match, mismatch, update) → destroy. Every step counts the
 * API calls the emulator served and asserts the floor of each operation.
 *
 * The host sees Twilio only through a recording proxy (the emulator's log has no bodies; which
 * parameters an update sends is part of the contract). Needs `npm run build` first.
 */
import { strict as assert } from "node:assert";
import { DEFAULT_TWILIO_ACCOUNT } from "../../emulator";
import { shimSource } from "../../provider/shim";
import { DIFF_NONE, DIFF_SOME, Engine, HostError, PROVIDER_KEY, ProviderHost, secretValue, type Props, type ResourceState } from "../helpers/engine";
import { RecordingProxy, type Emulator } from "./support";
import { startEmulator } from "../../emulator";

const TYPE = "pulumi-nodejs:dynamic/twilio:OriginationUrl";
const DEFAULTS = { weight: 10, priority: 10, enabled: true };

describe("engine contract: twilio.OriginationUrl through @pulumi/pulumi's dynamic provider host", function () {
  this.timeout(60_000);
  let emulator: Emulator;
  let proxy: RecordingProxy;
  let host: ProviderHost;
  let engine: Engine;
  const providerText = shimSource("twilio:OriginationUrl");

  before(async function () {
    emulator = await startEmulator({ port: 0 });
    proxy = await RecordingProxy.start(emulator.twilioTrunkingUrl);
    host = await ProviderHost.start();
    host.forbid(DEFAULT_TWILIO_ACCOUNT.authToken);
    await host.configure({
      "twilio:accountSid": DEFAULT_TWILIO_ACCOUNT.accountSid,
      "twilio:authToken": secretValue(DEFAULT_TWILIO_ACCOUNT.authToken),
      "twilio:trunkingUrl": proxy.url,
      "twilio:apiUrl": emulator.twilioApiUrl,
    });
    engine = new Engine(host, providerText, TYPE, ["__appliedInputs"]);
  });

  after(async function () {
    await host?.close();
    await proxy?.close();
    await emulator?.close();
  });

  const store = () => emulator.store.twilio;
  let counter = 0;
  /** A trunk made out of band (the console), so each test has its own. */
  const newTrunk = () => store().put("trunks", { friendly_name: `contract ${++counter}` }).sid;
  const args = (trunkSid: string, extra: Props = {}): Props => ({ trunkSid, friendlyName: "PBX primary", sipUrl: "sip:pbx.example.com:5060", ...extra });

  function clearLogs(): void {
    emulator.requests.clear();
    proxy.clear();
  }
  /** `METHOD path status` of every Twilio request served, the emulated host's prefix and the query left out. */
  const served = () => emulator.requests.list().map((r) => `${r.method} ${r.path.split("?")[0].replace(/^\/twilio-trunking/, "")} ${r.status}`);
  /** The form of each POST the provider sent. */
  const posted = () => proxy.log.filter((r) => r.method === "POST").map((r) => Object.fromEntries(new URLSearchParams(String(r.body ?? ""))));
  const ouPath = (tk: string, ou = "") => `/v1/Trunks/${tk}/OriginationUrls${ou ? `/${ou}` : ""}`;

  async function create(trunkSid: string, extra: Props = {}): Promise<ResourceState> {
    const { state } = await engine.up(`ou-${++counter}`, args(trunkSid, extra));
    return state;
  }

  it("create: check fills the documented defaults, one POST with all five parameters, outputs as Twilio reports them", async function () {
    const tk = newTrunk();
    const name = `ou-${++counter}`;
    clearLogs();
    const { state, trace } = await engine.up(name, args(tk));
    assert.equal(trace.op, "create");
    assert.deepEqual(trace.check.inputs, { ...args(tk), ...DEFAULTS, [PROVIDER_KEY]: providerText });
    assert.deepEqual(served(), [`POST ${ouPath(tk)} 201`], "create takes exactly one call");
    assert.deepEqual(posted(), [{ SipUrl: "sip:pbx.example.com:5060", FriendlyName: "PBX primary", Weight: "10", Priority: "10", Enabled: "true" }]);

    const stored = store().get(state.id);
    assert.ok(stored, "the URL exists under the id create returned");
    assert.match(state.id, /^OU[0-9a-f]{32}$/);
    const o = state.outputs;
    assert.deepEqual(
      { trunkSid: o.trunkSid, sipUrl: o.sipUrl, friendlyName: o.friendlyName, weight: o.weight, priority: o.priority, enabled: o.enabled, sid: o.sid, accountSid: o.accountSid },
      { trunkSid: tk, sipUrl: "sip:pbx.example.com:5060", friendlyName: "PBX primary", ...DEFAULTS, sid: state.id, accountSid: DEFAULT_TWILIO_ACCOUNT.accountSid },
    );
    assert.match(String(o.url), new RegExp(`${ouPath(tk, state.id)}$`));
    assert.equal(o[PROVIDER_KEY], providerText);

    clearLogs();
    const again = await engine.up(name, args(tk), state);
    assert.equal(again.trace.op, "same");
    assert.equal(again.trace.diff?.changes, DIFF_NONE, "a second up with the same arguments is a no-op");
    assert.deepEqual(served(), [], "a no-op preview/up makes no call");
  });

  it("create whose answer is lost after Twilio made the URL: one list finds it, no duplicate, no retry", async function () {
    const tk = newTrunk();
    emulator.faults.add({ kind: "lostResponse", match: { method: "POST", path: `/twilio-trunking${ouPath(tk)}` }, times: 1 });
    try {
      clearLogs();
      const state = await create(tk);
      assert.deepEqual(served().map((l) => l.split(" ").slice(0, 2).join(" ")), [`POST ${ouPath(tk)}`, `GET ${ouPath(tk)}`]);
      const urls = store().list("origination_urls", { trunk_sid: tk });
      assert.deepEqual(urls.map((u) => u.sid), [state.id], "exactly one URL, the one in state");
    } finally {
      emulator.faults.clear();
    }
  });

  it("create answered 500 before Twilio made anything: the list finds nothing, one more POST creates it", async function () {
    const tk = newTrunk();
    emulator.faults.add({ kind: "status", status: 500, match: { method: "POST", path: `/twilio-trunking${ouPath(tk)}` }, times: 1 });
    try {
      clearLogs();
      const state = await create(tk);
      assert.deepEqual(served(), [`POST ${ouPath(tk)} 500`, `GET ${ouPath(tk)} 200`, `POST ${ouPath(tk)} 201`]);
      assert.deepEqual(store().list("origination_urls", { trunk_sid: tk }).map((u) => u.sid), [state.id]);
    } finally {
      emulator.faults.clear();
    }
  });

  it("refresh: one GET; outputs and inputs unchanged, and a diff after it is empty", async function () {
    const tk = newTrunk();
    const state = await create(tk, { sipUrl: "SIP:PBX.Example.com:5060" });
    clearLogs();
    const { state: refreshed, read } = await engine.refresh(state);
    assert.deepEqual(served(), [`GET ${ouPath(tk, state.id)} 200`]);
    assert.ok(refreshed);
    assert.deepEqual(read.properties, state.outputs, "read equals the outputs of create");
    const diff = await host.diff(state.id, state.urn, refreshed.outputs, state.inputs, refreshed.inputs);
    assert.equal(diff.changes, DIFF_NONE);
  });

  it("update in place: one POST of the changed parameter only; a diff after it is empty", async function () {
    const tk = newTrunk();
    const state = await create(tk);
    clearLogs();
    const { state: updated, trace } = await engine.up(state.urn.split("::").pop()!, args(tk, { priority: 0 }), state);
    assert.equal(trace.op, "update");
    assert.deepEqual(trace.diff?.replaces, []);
    assert.deepEqual(served(), [`POST ${ouPath(tk, state.id)} 200`], "update takes exactly one call");
    assert.deepEqual(posted(), [{ Priority: "0" }]);
    assert.equal(updated.outputs.priority, 0);
    assert.equal((store().get(state.id) as { priority: number }).priority, 0);
    const diff = await host.diff(updated.id, updated.urn, updated.outputs, updated.inputs);
    assert.equal(diff.changes, DIFF_NONE);
  });

  it("a new trunkSid replaces: diff says replace, create on the new trunk (1 POST), delete on the old one (1 DELETE)", async function () {
    const tk = newTrunk();
    const tk2 = newTrunk();
    const state = await create(tk);
    clearLogs();
    const check = await host.check(state.urn, state.inputs, engine.news(args(tk2)));
    assert.deepEqual(check.failures, []);
    const diff = await host.diff(state.id, state.urn, state.outputs, check.inputs, state.inputs);
    assert.equal(diff.changes, DIFF_SOME);
    assert.deepEqual(diff.replaces, ["trunkSid"]);
    assert.equal(diff.deleteBeforeReplace, false, "create before delete: the trunk keeps an origination URL throughout");
    assert.deepEqual(served(), [], "check and diff make no call");

    const replacement = await host.create(state.urn, check.inputs);
    await host.delete(state.id, state.urn, state.outputs, state.inputs);
    assert.deepEqual(served(), [`POST ${ouPath(tk2)} 201`, `DELETE ${ouPath(tk, state.id)} 204`]);
    assert.equal(store().get(state.id), undefined, "the old URL is gone");
    assert.equal((store().get(replacement.id) as { trunk_sid: string }).trunk_sid, tk2);
  });

  it("drift (edited in the console) shows in refresh; a respelled sip: URL does not; the next up restores the program's values", async function () {
    const tk = newTrunk();
    const state = await create(tk);
    store().update(state.id, { weight: 50, enabled: false, sip_url: "SIP:PBX.EXAMPLE.COM:5060" });
    clearLogs();
    const { state: refreshed, read } = await engine.refresh(state);
    assert.deepEqual(served(), [`GET ${ouPath(tk, state.id)} 200`]);
    assert.ok(refreshed && read.inputs);
    assert.equal(read.properties.weight, 50);
    assert.equal(read.properties.sipUrl, "SIP:PBX.EXAMPLE.COM:5060", "outputs are what Twilio reports");
    assert.equal(read.inputs.weight, 50, "drift shows in refresh");
    assert.equal(read.inputs.enabled, false);
    assert.equal(read.inputs.sipUrl, "sip:pbx.example.com:5060", "an equivalent spelling keeps the program's");

    clearLogs();
    const { state: restored, trace } = await engine.up(state.urn.split("::").pop()!, args(tk), refreshed);
    assert.equal(trace.op, "update");
    assert.equal(trace.diff?.changes, DIFF_SOME);
    assert.deepEqual(served(), [`POST ${ouPath(tk, state.id)} 200`]);
    assert.deepEqual(posted(), [{ Weight: "10", Enabled: "true" }], "the drifted values only, back to the defaults");
    assert.equal(restored.outputs.weight, 10);
  });

  it("deleted out of band: refresh says gone (1 GET); destroying it anyway succeeds (1 DELETE, 404)", async function () {
    const tk = newTrunk();
    const state = await create(tk);
    assert.ok(store().delete(state.id));
    clearLogs();
    const { state: after, read } = await engine.refresh(state);
    assert.equal(after, undefined);
    assert.equal(read.id, "");
    assert.deepEqual(served(), [`GET ${ouPath(tk, state.id)} 404`]);
    clearLogs();
    await engine.destroy(state);
    assert.deepEqual(served(), [`DELETE ${ouPath(tk, state.id)} 404`]);
  });

  it("the trunk deleted out of band takes its URLs with it: refresh says gone", async function () {
    const tk = newTrunk();
    const state = await create(tk);
    assert.ok(store().delete(tk));
    const { state: after } = await engine.refresh(state);
    assert.equal(after, undefined);
  });

  it("adopt a matching URL (import): a GET in check, a GET in create, no write; outputs as a create's", async function () {
    const tk = newTrunk();
    const live = store().put("origination_urls", { trunk_sid: tk, friendly_name: "PBX primary", sip_url: "sip:PBX.example.com:5060", weight: 10, priority: 10, enabled: true });
    clearLogs();
    const { state, trace } = await engine.up(`ou-${++counter}`, { ...args(tk), importId: live.sid });
    assert.equal(trace.op, "create");
    assert.deepEqual(trace.check.failures, []);
    assert.deepEqual(served(), [`GET ${ouPath(tk, live.sid)} 200`, `GET ${ouPath(tk, live.sid)} 200`], "one GET to preview the adoption, one to adopt");
    assert.equal(state.id, live.sid);
    assert.equal(state.outputs.sipUrl, "sip:PBX.example.com:5060");
    assert.equal(state.outputs.importId, live.sid);
    assert.deepEqual(store().get(live.sid), live, "nothing was changed");
    const { read } = await engine.refresh(state);
    assert.deepEqual(read.properties, state.outputs, "the adopted state is what a read of the live URL gives");
    assert.deepEqual(read.inputs, state.inputs, "and the program's arguments read back unchanged");

    clearLogs();
    const again = await engine.up(state.urn.split("::").pop()!, { ...args(tk), importId: live.sid }, state);
    assert.equal(again.trace.diff?.changes, DIFF_NONE, "adopted: the next up is a no-op");
    const withoutImport = await engine.up(state.urn.split("::").pop()!, args(tk), again.state);
    assert.equal(withoutImport.trace.diff?.changes, DIFF_NONE, "removing the import option changes nothing");
    assert.deepEqual(served(), []);
  });

  it("adopt a URL that differs: check fails naming each property (1 GET, no write); with onImportMismatch: \"update\" one POST makes it match", async function () {
    const tk = newTrunk();
    const live = store().put("origination_urls", { trunk_sid: tk, friendly_name: "legacy", sip_url: "sip:pbx.example.com:5060", weight: 10, priority: 5, enabled: true });
    const name = `ou-${++counter}`;
    clearLogs();
    await assert.rejects(engine.up(name, { ...args(tk), importId: live.sid }), (err: Error & { trace?: { check: { failures: { property: string; reason: string }[] } } }) => {
      const failures = err.trace?.check.failures ?? [];
      assert.deepEqual(failures.map((f) => f.property).sort(), ["friendlyName", "priority"]);
      assert.match(failures.find((f) => f.property === "priority")!.reason, /priority is 5 on the live origination URL, the program says 10/);
      return true;
    });
    assert.deepEqual(served(), [`GET ${ouPath(tk, live.sid)} 200`]);

    clearLogs();
    const { state } = await engine.up(name, { ...args(tk), importId: live.sid, onImportMismatch: "update" });
    assert.deepEqual(served(), [`GET ${ouPath(tk, live.sid)} 200`, `GET ${ouPath(tk, live.sid)} 200`, `POST ${ouPath(tk, live.sid)} 200`]);
    assert.deepEqual(posted(), [{ FriendlyName: "PBX primary", Priority: "10" }]);
    assert.equal(state.id, live.sid);
    assert.equal((store().get(live.sid) as { priority: number }).priority, 10);
  });

  it("adopt needs the URL's own trunk: an OU on another trunk is not found, before anything is created", async function () {
    const tk = newTrunk();
    const other = newTrunk();
    const live = store().put("origination_urls", { trunk_sid: other, friendly_name: "PBX primary", sip_url: "sip:pbx.example.com:5060" });
    clearLogs();
    await assert.rejects(engine.up(`ou-${++counter}`, { ...args(tk), importId: live.sid }), (err: Error & { trace?: { check: { failures: { property: string; reason: string }[] } } }) => {
      assert.deepEqual(err.trace?.check.failures.map((f) => f.property), ["importId"]);
      return true;
    });
    assert.deepEqual(served(), [`GET ${ouPath(tk, live.sid)} 404`]);
  });

  it("get (a read by id) needs trunkSid in its props; with it, one GET", async function () {
    const tk = newTrunk();
    const state = await create(tk);
    clearLogs();
    const props = { [PROVIDER_KEY]: providerText, trunkSid: tk };
    const read = await host.read(state.id, engine.urn(`get-${++counter}`), props, props);
    assert.equal(read.id, state.id);
    assert.equal(read.properties.sipUrl, "sip:pbx.example.com:5060");
    assert.deepEqual(served(), [`GET ${ouPath(tk, state.id)} 200`]);
    const bare = { [PROVIDER_KEY]: providerText };
    await assert.rejects(host.read(state.id, engine.urn(`get-${++counter}`), bare, bare), (err: unknown) => {
      assert.ok(err instanceof HostError);
      assert.match(err.details, /without its trunk.*Give the trunkSid argument/s);
      return true;
    });
  });

  it("bad arguments fail check with every property and its rule, and no call", async function () {
    clearLogs();
    const check = await host.check(engine.urn(`bad-${++counter}`), {}, engine.news({ trunkSid: "TK1", sipUrl: "sips:pbx.example.com", friendlyName: "", weight: 0 }));
    assert.deepEqual(check.failures.map((f) => f.property), ["trunkSid", "sipUrl", "friendlyName", "weight"]);
    assert.match(check.failures[1].reason, /must be a SIP URI starting with "sip:" \("sips:" is not supported\)/);
    assert.deepEqual(served(), []);
  });

  it("destroy: one DELETE, and nothing is left", async function () {
    const tk = newTrunk();
    const state = await create(tk);
    clearLogs();
    await engine.destroy(state);
    assert.deepEqual(served(), [`DELETE ${ouPath(tk, state.id)} 204`]);
    assert.equal(store().get(state.id), undefined);
    assert.deepEqual(store().list("origination_urls", { trunk_sid: tk }), []);
  });

  it("no response of the host carried the auth token, and its logs are clean", function () {
    assert.ok(host.transcript.length > 20, "every call went through the scanned path");
    assert.deepEqual(host.leaks(host.stdout + host.stderr), []);
  });
});
