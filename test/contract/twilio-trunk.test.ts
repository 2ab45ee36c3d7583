/**
 * Engine contract of `twilio.Trunk`: the real dynamic provider host from @pulumi/pulumi, driven
 * over gRPC the way the engine drives it, against the emulator's Twilio vendor. Every operation's
 * API calls are counted in the emulator's request log against the floor the README states.
 *
 * Needs `npm run build` (the serialized provider loads the built package by name).
 */
import { strict as assert } from "node:assert";
import { randomBytes } from "node:crypto";
import { DEFAULT_TWILIO_NUMBER_SIDS, startEmulator } from "../../emulator";
import { shimSource } from "../../provider/shim";
import { DIFF_NONE, DIFF_SOME, Engine, HostError, ProviderHost, secretValue, type Props, type ResourceState } from "../helpers/engine";

const TYPE = "pulumi-nodejs:dynamic/twilio:Trunk";
const ACCOUNT = `AC${randomBytes(16).toString("hex")}`;
const TOKEN = `contract-token-${randomBytes(12).toString("hex")}`;
const [PN1, PN2] = DEFAULT_TWILIO_NUMBER_SIDS;

type Emulator = Awaited<ReturnType<typeof startEmulator>>;

describe("engine contract: twilio.Trunk through the dynamic provider host", function () {
  this.timeout(60_000);
  let emu: Emulator;
  let host: ProviderHost;
  let engine: Engine;
  let counter = 0;
  const domain = () => `contract-${++counter}-${randomBytes(3).toString("hex")}.pstn.twilio.com`;
  /** `METHOD path-without-prefix-and-query status` for each request the emulator served. */
  const served = () => Array.from(emu.requests, (r) => `${r.method} ${r.path.split("?")[0].replace(/^\/twilio-(trunking|api)/, "")} ${r.status}`);
  const clear = () => emu.requests.clear();
  const store = () => emu.store.twilio;

  before(async function () {
    this.timeout(120_000);
    emu = await startEmulator({ port: 0, twilioAccounts: [{ accountSid: ACCOUNT, authToken: TOKEN }] });
    for (const [i, sid] of DEFAULT_TWILIO_NUMBER_SIDS.entries()) {
      // The default numbers belong to the default account; give this account its own copies.
      store().addPhoneNumber({ sid, phone_number: `+1415555${String(1000 + i)}`, account_sid: ACCOUNT });
    }
    host = await ProviderHost.start();
    host.forbid(TOKEN);
    const configured = await host.configure({
      "twilio:accountSid": ACCOUNT,
      "twilio:authToken": secretValue(TOKEN),
      "twilio:trunkingUrl": emu.twilioTrunkingUrl,
      "twilio:apiUrl": emu.twilioApiUrl,
    });
    assert.equal(configured.acceptSecrets, false);
    engine = new Engine(host, shimSource("twilio:Trunk"), TYPE, ["__appliedInputs"]);
  });

  after(async () => {
    await host?.close();
    await emu?.close();
  });

  function newList(collection: "credential_lists" | "ip_access_control_lists"): string {
    return store().put(collection, { account_sid: ACCOUNT, friendly_name: `contract ${collection} ${randomBytes(3).toString("hex")}` } as never).sid;
  }

  it("check names every bad input with its rule, and calls Twilio not at all", async () => {
    clear();
    const check = await host.check(engine.urn("bad"), {}, engine.news({
      domainName: "pbx.example.com",
      transferMode: "sometimes",
      recording: { mode: "always" },
      phoneNumberSids: [PN1, "PN123"],
      friendlyName: "x".repeat(65),
    }));
    const byProperty = Object.fromEntries(check.failures.map((f) => [f.property, f.reason]));
    assert.deepEqual(Object.keys(byProperty).sort(), ["domainName", "friendlyName", "phoneNumberSids", "recording", "transferMode"]);
    assert.match(byProperty.domainName, /must be a host name ending in "\.pstn\.twilio\.com"/);
    assert.match(byProperty.recording, /^recording\.mode must be one of "do-not-record"/);
    assert.match(byProperty.phoneNumberSids, /^phoneNumberSids\[1\] must be a phone number SID \("PN" followed by 32 hexadecimal characters\) \(got "PN123"\)/);
    assert.deepEqual(served(), []);
  });

  describe("a trunk with recording, a number and both kinds of list", () => {
    let state: ResourceState;
    let args: Props;
    let cl: string;
    let al: string;

    before(() => {
      cl = newList("credential_lists");
      al = newList("ip_access_control_lists");
      args = {
        friendlyName: "contract trunk",
        domainName: domain(),
        disasterRecoveryUrl: "https://dr.example.com/hook",
        recording: { mode: "record-from-answer" },
        phoneNumberSids: [PN1],
        credentialListSids: [cl],
        ipAccessControlListSids: [al],
      };
    });

    it("create: the trunk POST, the Recording POST, one add per association, one GET reading back what they changed", async () => {
      clear();
      const { state: created, trace } = await engine.up("main", args);
      state = created;
      assert.equal(trace.op, "create");
      const sid = state.id;
      assert.match(sid, /^TK[0-9a-f]{32}$/);
      assert.deepEqual(served(), [
        "POST /v1/Trunks 201",
        `POST /v1/Trunks/${sid}/Recording 200`,
        `POST /v1/Trunks/${sid}/PhoneNumbers 201`,
        `POST /v1/Trunks/${sid}/CredentialLists 201`,
        `POST /v1/Trunks/${sid}/IpAccessControlLists 201`,
        `GET /v1/Trunks/${sid} 200`,
      ]);
      assert.deepEqual(state.outputs.recording, { mode: "record-from-answer", trim: "do-not-trim" });
      assert.deepEqual(state.outputs.phoneNumberSids, [PN1]);
      assert.equal(state.outputs.sid, sid);
      assert.equal(state.outputs.accountSid, ACCOUNT);
      assert.deepEqual(String(state.outputs.authType).split(",").sort(), ["CREDENTIAL_LIST", "IP_ACL"], "auth_type as Twilio shows it after the lists were attached");
      assert.deepEqual([...(state.outputs.authTypeSet as string[])].sort(), ["CREDENTIAL_LIST", "IP_ACL"]);
      assert.equal(Math.floor(Date.parse(String(store().getTrunk(sid)?.date_updated)) / 1000), Date.parse(String(state.outputs.dateUpdated)) / 1000, "date_updated after the last write");
      assert.deepEqual(store().trunkLinks(sid), { credential_lists: [cl], ip_access_control_lists: [al], phone_numbers: [PN1] });
      // check filled in what omitting means, so a later drift previews as a value restored
      assert.equal(trace.check.inputs.transferMode, "disable-all");
      assert.deepEqual(trace.check.inputs.recording, { mode: "record-from-answer", trim: "do-not-trim" });
    });

    it("no perpetual diff: the next up is DIFF_NONE and calls nothing", async () => {
      clear();
      const again = await engine.up("main", args, state);
      assert.equal(again.trace.diff?.changes, DIFF_NONE);
      assert.deepEqual(served(), []);
      state = again.state;
    });

    it("refresh: one GET plus one list per managed association; inputs unchanged; the up after it is DIFF_NONE", async () => {
      clear();
      const { state: refreshed, read } = await engine.refresh(state);
      assert.ok(refreshed);
      assert.deepEqual(served(), [
        `GET /v1/Trunks/${state.id} 200`,
        `GET /v1/Trunks/${state.id}/PhoneNumbers 200`,
        `GET /v1/Trunks/${state.id}/CredentialLists 200`,
        `GET /v1/Trunks/${state.id}/IpAccessControlLists 200`,
      ]);
      const { __provider: _a, ...before } = state.inputs;
      const { __provider: _b, ...after } = read.inputs ?? {};
      assert.deepEqual(after, before, "a refresh without drift changes no input");
      assert.deepEqual(read.properties, state.outputs, "nor any output");
      clear();
      assert.equal((await engine.up("main", args, refreshed)).trace.diff?.changes, DIFF_NONE);
      assert.deepEqual(served(), []);
      state = refreshed;
    });

    it("an attribute change is one POST of that parameter", async () => {
      args = { ...args, friendlyName: "contract trunk renamed", transferMode: "enable-all" };
      clear();
      const { state: updated, trace } = await engine.up("main", args, state);
      assert.equal(trace.op, "update");
      assert.equal(trace.diff?.changes, DIFF_SOME);
      assert.deepEqual(served(), [`POST /v1/Trunks/${state.id} 200`]);
      assert.equal(store().getTrunk(state.id)?.friendly_name, "contract trunk renamed");
      assert.equal(updated.outputs.transferMode, "enable-all");
      state = updated;
      assert.equal((await engine.up("main", args, state)).trace.diff?.changes, DIFF_NONE);
    });

    it("clearing an optional value (removing disasterRecoveryUrl) sends it empty, and Twilio has null", async () => {
      const { disasterRecoveryUrl: _gone, ...rest } = args;
      args = rest;
      clear();
      const { state: updated } = await engine.up("main", args, state);
      assert.deepEqual(served(), [`POST /v1/Trunks/${state.id} 200`]);
      assert.equal(store().getTrunk(state.id)?.disaster_recovery_url, null);
      assert.equal(updated.outputs.disasterRecoveryUrl, null);
      state = updated;
      assert.equal((await engine.up("main", args, state)).trace.diff?.changes, DIFF_NONE);
    });

    it("moving to another number: one remove, one add, one GET; the trunk is not replaced", async () => {
      args = { ...args, phoneNumberSids: [PN2] };
      clear();
      const { state: updated, trace } = await engine.up("main", args, state);
      assert.equal(trace.op, "update");
      assert.deepEqual(served(), [
        `DELETE /v1/Trunks/${state.id}/PhoneNumbers/${PN1} 204`,
        `POST /v1/Trunks/${state.id}/PhoneNumbers 201`,
        `GET /v1/Trunks/${state.id} 200`,
      ]);
      assert.deepEqual(store().trunkLinks(state.id).phone_numbers, [PN2]);
      assert.equal(updated.id, state.id);
      state = updated;
    });

    it("recording back to the defaults (input removed) is one Recording POST and a GET", async () => {
      const { recording: _r, ...rest } = args;
      args = rest;
      clear();
      const { state: updated } = await engine.up("main", args, state);
      assert.deepEqual(served(), [`POST /v1/Trunks/${state.id}/Recording 200`, `GET /v1/Trunks/${state.id} 200`]);
      assert.deepEqual(updated.outputs.recording, { mode: "do-not-record", trim: "do-not-trim" });
      state = updated;
      assert.equal((await engine.up("main", args, state)).trace.diff?.changes, DIFF_NONE);
    });

    it("drift: an out-of-band edit and a detached list show in refresh, and up restores both", async () => {
      store().update(state.id, { transfer_mode: "sip-only", secure: true });
      store().dissociate(state.id, cl);
      const { state: refreshed, read } = await engine.refresh(state);
      assert.ok(refreshed);
      assert.equal(read.properties.transferMode, "sip-only");
      assert.equal(read.inputs?.transferMode, "sip-only", "the live value becomes the input, so the preview shows it being restored");
      assert.equal(read.inputs?.secure, true);
      assert.deepEqual(read.properties.credentialListSids, []);
      clear();
      const { state: restored, trace } = await engine.up("main", args, refreshed);
      assert.equal(trace.op, "update");
      assert.deepEqual(served(), [
        `POST /v1/Trunks/${state.id} 200`,
        `POST /v1/Trunks/${state.id}/CredentialLists 201`,
        `GET /v1/Trunks/${state.id} 200`,
      ]);
      assert.equal(store().getTrunk(state.id)?.transfer_mode, "enable-all");
      assert.equal(store().getTrunk(state.id)?.secure, false);
      assert.deepEqual(store().trunkLinks(state.id).credential_lists, [cl]);
      state = restored;
      assert.equal((await engine.up("main", args, state)).trace.diff?.changes, DIFF_NONE);
    });

    it("adoption of the same trunk by another stack: one GET plus the managed lists, nothing written", async () => {
      const adoptArgs = { ...args, importId: state.id };
      clear();
      const { state: adopted, trace } = await engine.up("adopted", adoptArgs);
      assert.deepEqual(trace.check.failures, []);
      assert.equal(adopted.id, state.id);
      assert.deepEqual(served().filter((l) => !l.startsWith("GET ")), [], "an adoption that matches writes nothing");
      assert.equal(served().filter((l) => l === `GET /v1/Trunks/${state.id} 200`).length, 2, "one GET at check (the preview), one at create");
    });

    it("adoption that differs fails at check, listing each property with the live and the program value", async () => {
      const check = await host.check(engine.urn("mismatch"), {}, engine.news({ ...args, friendlyName: "other name", importId: state.id }));
      assert.equal(check.failures.length, 1);
      assert.equal(check.failures[0].property, "friendlyName");
      assert.match(check.failures[0].reason, /friendlyName is "contract trunk renamed" on the live trunk, the program says "other name"/);
    });

    it("destroy: one DELETE, and the trunk's associations go with it", async () => {
      clear();
      await engine.destroy(state);
      assert.deepEqual(served(), [`DELETE /v1/Trunks/${state.id} 204`]);
      assert.equal(store().getTrunk(state.id), undefined);
      assert.equal(store().listPhoneNumbers(ACCOUNT).find((n) => n.sid === PN2)?.trunk_sid ?? null, null);
    });

    it("a trunk deleted outside Pulumi reads as gone, and deleting it again succeeds", async () => {
      const { state: again } = await engine.up("gone", { domainName: domain() });
      store().delete(again.id);
      const { state: refreshed, read } = await engine.refresh(again);
      assert.equal(refreshed, undefined);
      assert.equal(read.id, "");
      await engine.destroy(again);
    });
  });

  describe("errors and secrets (last: mocha runs nested suites after top-level tests)", () => {
    it("a Twilio refusal names the input: a domain name another trunk holds", async () => {
      const taken = domain();
      await engine.up("first", { domainName: taken });
      try {
        await engine.up("second", { domainName: taken });
        assert.fail("the second create should fail");
      } catch (err) {
        assert.ok(err instanceof HostError, String(err));
        assert.match(err.message, /Twilio API POST \/.*Trunks failed \(HTTP 4\d\d\)/);
        assert.match(err.message, /domainName: /, "the problem is tied to the input");
        assert.ok(!err.message.includes(TOKEN));
      }
    });

    it("an association add whose answer is lost after Twilio made it is found by one list, not repeated", async () => {
      const { state } = await engine.up("assoc", { domainName: domain() });
      emu.faults.set([{ kind: "statusAfterCommit", status: 502, match: { path: `/twilio-trunking/v1/Trunks/${state.id}/PhoneNumbers`, method: "POST" }, times: 1 }]);
      try {
        clear();
        const { state: updated } = await engine.up("assoc", { domainName: state.inputs.domainName, phoneNumberSids: [PN1] }, state);
        assert.deepEqual(served(), [
          `GET /v1/Trunks/${state.id}/PhoneNumbers 200`,
          `POST /v1/Trunks/${state.id}/PhoneNumbers 502`,
          `GET /v1/Trunks/${state.id}/PhoneNumbers 200`,
          `GET /v1/Trunks/${state.id} 200`,
        ]);
        assert.deepEqual(updated.outputs.phoneNumberSids, [PN1]);
        assert.deepEqual(store().trunkLinks(state.id).phone_numbers, [PN1]);
        await engine.destroy(updated);
      } finally {
        emu.faults.clear();
      }
    });

    it("an update whose answer is a 5xx is sent again (it only sets values)", async () => {
      const { state } = await engine.up("retry", { domainName: domain(), friendlyName: "before" });
      emu.faults.set([{ kind: "statusAfterCommit", status: 500, match: { path: `/twilio-trunking/v1/Trunks/${state.id}`, method: "POST" }, times: 1 }]);
      try {
        clear();
        const { state: updated } = await engine.up("retry", { domainName: state.inputs.domainName, friendlyName: "after" }, state);
        assert.deepEqual(served(), [`POST /v1/Trunks/${state.id} 500`, `POST /v1/Trunks/${state.id} 200`]);
        assert.equal(updated.outputs.friendlyName, "after");
        await engine.destroy(updated);
      } finally {
        emu.faults.clear();
      }
    });

    it("no host answer and no host log line contained the auth token", () => {
      assert.ok(host.transcript.length > 20);
      for (const entry of host.transcript) assert.deepEqual(host.leaks(entry.text), [], `${entry.rpc} answer contains the token`);
      assert.ok(!host.stdout.includes(TOKEN) && !host.stderr.includes(TOKEN));
    });
  });
});
