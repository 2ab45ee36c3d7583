/**
 * Engine contract of `twilio.SipCredentialList` and `twilio.SipIpAccessControlList`: the real
 * dynamic provider host from @pulumi/pulumi, driven over gRPC the way the engine drives it,
 * against the emulator's Twilio vendor. Lifecycle in the Terraform order (create, empty plan,
 * in-place changes of entries, drift in refresh, deletion outside Pulumi, adoption, destroy), the
 * API calls of each step counted against the floor, and a scan that no host answer and no host
 * log holds a plain password or the auth token.
 *
 * Needs the built package (`npx tsc -p tsconfig.json`): the serialized provider loads it by name.
 */
import { strict as assert } from "node:assert";
import { randomBytes } from "node:crypto";
import { DEFAULT_TWILIO_ACCOUNT, startEmulator, type EmulatorHandle } from "../../emulator";
import { matchesSecret } from "../../provider/common/secret-hash";
import { shimSource } from "../../provider/shim";
import { SIP_CREDENTIAL_LIST_SECRET_OUTPUTS, SIP_CREDENTIAL_LIST_TYPE, SipCredentialList } from "../../provider/twilio/credential-list";
import { SIP_IP_ACCESS_CONTROL_LIST_TYPE } from "../../provider/twilio/ip-access-control-list";
import { DIFF_NONE, DIFF_SOME, Engine, HostError, PROVIDER_KEY, ProviderHost, SECRET_SIG, secretValue, type Props, type ResourceState } from "../helpers/engine";
import { registeredUnderMocks } from "../helpers/registration";

/** Passwords used in this suite; none may appear in any host answer (check's echo of the inputs aside) or log. */
const PASSWORDS: string[] = [];
function password(): string {
  const p = `Pw-${randomBytes(6).toString("hex")}-Xy9`;
  PASSWORDS.push(p);
  return p;
}

let counter = 0;
const uniqueName = (label: string) => `contract ${label} ${++counter} ${randomBytes(3).toString("hex")}`;

interface Cred {
  sid: string;
  username: string;
  passwordHash: string | null;
}
interface IpEntry {
  sid: string;
  ipAddress: string;
  cidrPrefixLength: number;
  friendlyName: string;
}

describe("engine contract: twilio SIP lists through @pulumi/pulumi's dynamic provider host", function () {
  this.timeout(60_000);
  let emu: EmulatorHandle;
  let host: ProviderHost;
  let creds: Engine;
  let acls: Engine;

  before(async function () {
    emu = await startEmulator({ port: 0 });
    host = await ProviderHost.start();
    host.forbid(DEFAULT_TWILIO_ACCOUNT.authToken);
    await host.configure({
      "twilio:accountSid": DEFAULT_TWILIO_ACCOUNT.accountSid,
      "twilio:authToken": secretValue(DEFAULT_TWILIO_ACCOUNT.authToken),
      "twilio:apiUrl": emu.twilioApiUrl,
      "twilio:trunkingUrl": emu.twilioTrunkingUrl,
    });
    creds = new Engine(host, shimSource("twilio:SipCredentialList"), SIP_CREDENTIAL_LIST_TYPE, [...SIP_CREDENTIAL_LIST_SECRET_OUTPUTS]);
    acls = new Engine(host, shimSource("twilio:SipIpAccessControlList"), SIP_IP_ACCESS_CONTROL_LIST_TYPE, ["__appliedInputs"]);
  });

  after(async function () {
    await host?.close();
    await emu?.close();
  });

  const store = () => emu.store.twilio;
  /** `METHOD path status` of each request since the last call, account prefix and query cut, SIDs shortened. */
  function served(): string[] {
    const out = emu.requests.map((r) =>
      `${r.method} ${r.path.split("?")[0].replace(/^\/twilio-api\/2010-04-01\/Accounts\/AC[0-9a-f]{32}\/SIP/, "")} ${r.status}`.replace(/([A-Z]{2})[0-9a-f]{32}/g, "$1…"),
    );
    emu.requests.clear();
    return out;
  }

  describe("twilio.SipCredentialList", function () {
    const entries = (state: ResourceState) => state.outputs.credentials as Cred[];

    it("lifecycle: create 1 + 1 per credential; no-op; refresh; add/remove; a new password is one call; a new username is delete + create; rename; destroy", async function () {
      const name = uniqueName("users");
      const [p1, p2, p3] = [password(), password(), password()];
      served();
      let { state, trace } = await creds.up(name, { friendlyName: name, credentials: [{ username: "pbx1", password: p1 }, { username: "pbx2", password: p2 }] });
      assert.equal(trace.op, "create");
      assert.deepEqual(trace.check.failures, []);
      assert.deepEqual(served(), ["POST /CredentialLists.json 201", "POST /CredentialLists/CL…/Credentials.json 201", "POST /CredentialLists/CL…/Credentials.json 201"], "create: 1 + 1 per credential");
      assert.match(state.id, /^CL[0-9a-f]{32}$/);
      assert.equal(state.outputs[PROVIDER_KEY], creds.provider);
      assert.deepEqual(entries(state).map((c) => c.username), ["pbx1", "pbx2"]);
      assert.ok(matchesSecret(p1, entries(state)[0].passwordHash) && matchesSecret(p2, entries(state)[1].passwordHash));
      assert.deepEqual([...state.secretOutputs].sort(), ["__appliedInputs", "credentials"]);
      assert.ok(!JSON.stringify(state.outputs).includes(p1) && !JSON.stringify(state.outputs).includes(p2), "no plain password in the outputs");
      const live = store().list("credentials", { credential_list_sid: state.id });
      assert.deepEqual(live.map((c) => [c.username, c.password]).sort(), [["pbx1", p1], ["pbx2", p2]]);

      const args = (over: Props = {}) => ({ friendlyName: name, credentials: [{ username: "pbx1", password: p1 }, { username: "pbx2", password: p2 }], ...over });
      let again = await creds.up(name, args(), state);
      assert.equal(again.trace.diff?.changes, DIFF_NONE, "the same passwords: no change");
      assert.deepEqual(served(), [], "a no-op up makes no call");

      const refreshed = await creds.refresh(state);
      assert.deepEqual(served(), ["GET /CredentialLists/CL….json 200", "GET /CredentialLists/CL…/Credentials.json 200"], "refresh: 1 GET + 1 list");
      assert.deepEqual(refreshed.read.properties, state.outputs, "refresh without drift changes nothing");
      assert.ok(refreshed.state);
      again = await creds.up(name, args(), refreshed.state);
      assert.equal(again.trace.diff?.changes, DIFF_NONE);
      state = again.state;

      // Add pbx3, remove pbx2: one POST, one DELETE.
      ({ state, trace } = await creds.up(name, args({ credentials: [{ username: "pbx1", password: p1 }, { username: "pbx3", password: p3 }] }), state));
      assert.equal(trace.diff?.changes, DIFF_SOME);
      assert.deepEqual(served(), ["DELETE /CredentialLists/CL…/Credentials/CR….json 204", "POST /CredentialLists/CL…/Credentials.json 201"]);
      assert.deepEqual(entries(state).map((c) => c.username), ["pbx1", "pbx3"]);

      // A new password for pbx1: exactly one call, the credential's POST.
      const p1b = password();
      const pbx1 = entries(state)[0].sid;
      ({ state, trace } = await creds.up(name, args({ credentials: [{ username: "pbx1", password: p1b }, { username: "pbx3", password: p3 }] }), state));
      assert.equal(trace.diff?.changes, DIFF_SOME);
      assert.deepEqual(served(), ["POST /CredentialLists/CL…/Credentials/CR….json 200"], "a new password is one call");
      assert.equal(store().list("credentials", { sid: pbx1 })[0].password, p1b);
      assert.equal(entries(state)[0].sid, pbx1, "the same credential");
      assert.ok(matchesSecret(p1b, entries(state)[0].passwordHash));

      // A new username: delete + create.
      ({ state } = await creds.up(name, args({ credentials: [{ username: "pbx1", password: p1b }, { username: "pbx4", password: p3 }] }), state));
      assert.deepEqual(served(), ["DELETE /CredentialLists/CL…/Credentials/CR….json 204", "POST /CredentialLists/CL…/Credentials.json 201"]);

      // A new name: one POST of the list.
      const final = args({ friendlyName: `${name} renamed`, credentials: [{ username: "pbx1", password: p1b }, { username: "pbx4", password: p3 }] });
      ({ state } = await creds.up(name, final, state));
      assert.deepEqual(served(), ["POST /CredentialLists/CL….json 200"]);
      assert.equal(state.outputs.friendlyName, `${name} renamed`);
      assert.equal((await creds.up(name, final, state)).trace.diff?.changes, DIFF_NONE);

      await creds.destroy(state);
      assert.deepEqual(served(), ["DELETE /CredentialLists/CL….json 204"], "destroy: 1 call (the credentials go with the list)");
      assert.equal(store().get(state.id), undefined);
      assert.equal(store().list("credentials", { credential_list_sid: state.id }).length, 0);
    });

    it("drift: a new name and an extra credential show in refresh and are fixed by up; a password changed outside Pulumi is never reported", async function () {
      const name = uniqueName("drift");
      const p = password();
      const args = { friendlyName: name, credentials: [{ username: "alice", password: p }] };
      let { state } = await creds.up(name, args);
      const alice = (state.outputs.credentials as Cred[])[0];
      store().update(state.id, { friendly_name: `${name} (console)` });
      store().put("credentials", { credential_list_sid: state.id, username: "intruder", password: "Intruder-Pass-1" });
      store().update(alice.sid, { password: "Changed-In-Console-1" });
      served();
      const refreshed = await creds.refresh(state);
      assert.equal(refreshed.read.properties.friendlyName, `${name} (console)`);
      assert.deepEqual((refreshed.read.properties.credentials as Cred[]).map((c) => c.username), ["alice", "intruder"]);
      assert.equal((refreshed.read.properties.credentials as Cred[])[0].passwordHash, alice.passwordHash, "the hash of alice's password is kept: its drift cannot be seen");
      assert.equal((refreshed.read.properties.credentials as Cred[])[1].passwordHash, null);
      assert.equal(refreshed.read.inputs?.friendlyName, `${name} (console)`);
      assert.deepEqual((refreshed.read.inputs?.credentials as Props[]).map((c) => c.username), ["alice", "intruder"]);
      served();
      const fixed = await creds.up(name, args, refreshed.state);
      assert.equal(fixed.trace.diff?.changes, DIFF_SOME);
      assert.deepEqual(served(), ["POST /CredentialLists/CL….json 200", "DELETE /CredentialLists/CL…/Credentials/CR….json 204"], "the name restored, the extra credential removed; alice untouched");
      assert.equal(store().list("credentials", { sid: alice.sid })[0].password, "Changed-In-Console-1", "password drift is not reported, so not reverted");
      state = fixed.state;
      assert.equal((await creds.up(name, args, state)).trace.diff?.changes, DIFF_NONE);

      // Deleted outside Pulumi: refresh says gone.
      store().delete(state.id);
      served();
      const gone = await creds.refresh(state);
      assert.equal(gone.read.id, "", "an empty id tells the engine the list is gone");
      assert.equal(gone.state, undefined);
      assert.deepEqual(served(), ["GET /CredentialLists/CL….json 404"]);
      await creds.destroy(state);
      assert.deepEqual(served(), ["DELETE /CredentialLists/CL….json 404"], "destroying what is already gone succeeds");
    });

    it("a failure after the list exists reaches the engine as a partial create (id and outputs so far), and the next up finishes", async function () {
      const name = uniqueName("partial");
      const [p1, p2] = [password(), password()];
      const args = { friendlyName: name, credentials: [{ username: "a1", password: p1 }, { username: "b2", password: p2 }] };
      emu.faults.set({ sequence: { match: { method: "POST", path: /Credentials\.json/ }, steps: [{ kind: "pass" }, { kind: "status", status: 503 }, { kind: "status", status: 503 }] } });
      let failure: HostError | undefined;
      try {
        await creds.up(name, args);
      } catch (err) {
        failure = err as HostError;
      } finally {
        emu.faults.clear();
      }
      assert.ok(failure instanceof HostError && failure.initFailure, `a partial create, got ${String(failure)}`);
      const { id, properties, reasons } = failure.initFailure;
      assert.match(id, /^CL[0-9a-f]{32}$/);
      assert.deepEqual((properties.credentials as Cred[]).map((c) => c.username), ["a1"]);
      assert.match(reasons[0], /was created but/);
      served();
      const state: ResourceState = { urn: creds.urn(name), id, inputs: creds.news(args), outputs: properties, secretOutputs: [...SIP_CREDENTIAL_LIST_SECRET_OUTPUTS] };
      const next = await creds.up(name, args, state);
      assert.equal(next.trace.op, "update");
      assert.deepEqual(served(), ["POST /CredentialLists/CL…/Credentials.json 201"], "the next up makes only what is missing");
      assert.equal((await creds.up(name, args, next.state)).trace.diff?.changes, DIFF_NONE);
      await creds.destroy(next.state);
    });

    it("adoption: a matching list is adopted (passwords set, one call each); a mismatch fails at preview naming the entry", async function () {
      const name = uniqueName("adopt");
      const list = store().put("credential_lists", { friendly_name: name });
      store().put("credentials", { credential_list_sid: list.sid, username: "legacy", password: "Console-Pass-1" });
      const p = password();
      served();
      const mismatch = { friendlyName: name, credentials: [{ username: "other", password: p }], importId: list.sid };
      await assert.rejects(creds.up(`${name}-m`, mismatch), (e: Error & { trace?: { check: { failures: { property: string; reason: string }[] } } }) => {
        const failures = e.trace?.check.failures ?? [];
        assert.deepEqual([...new Set(failures.map((f) => f.property))], ["credentials"]);
        assert.match(failures[0].reason, new RegExp(`^import of ${list.sid}: credentials is \\{"username":"legacy"\\} on the live credential list, the program says null`));
        return true;
      });
      assert.deepEqual(served(), ["GET /CredentialLists/CL….json 200", "GET /CredentialLists/CL…/Credentials.json 200"], "preview of an adoption: 2 GETs, no write");

      const args = { friendlyName: name, credentials: [{ username: "legacy", password: p }], importId: list.sid };
      const { state, trace } = await creds.up(name, args);
      assert.equal(trace.op, "create");
      assert.equal(state.id, list.sid, "adopted, not created");
      assert.deepEqual(served(), [
        "GET /CredentialLists/CL….json 200", "GET /CredentialLists/CL…/Credentials.json 200",
        "GET /CredentialLists/CL….json 200", "GET /CredentialLists/CL…/Credentials.json 200", "POST /CredentialLists/CL…/Credentials/CR….json 200",
      ], "check reads (2), create reads (2) and sets the one password it cannot compare (1)");
      assert.equal(store().list("credentials", { credential_list_sid: list.sid })[0].password, p);
      assert.equal(store().list("credential_lists", { friendly_name: name }).length, 1);
      assert.equal((await creds.up(name, args, state)).trace.diff?.changes, DIFF_NONE);
      const { importId: _i, ...withoutImport } = args;
      assert.equal((await creds.up(name, withoutImport, state)).trace.diff?.changes, DIFF_NONE, "removing the import option changes nothing");
      await creds.destroy(state);
    });
  });

  describe("twilio.SipIpAccessControlList", function () {
    const entries = (state: ResourceState) => (state.outputs.ipAddresses as IpEntry[]).map(({ sid: _s, ...e }) => e);

    it("lifecycle: create 1 + 1 per entry; no-op; refresh; a new name or prefix is one POST, a new address delete + create; destroy", async function () {
      const name = uniqueName("office");
      served();
      const args = (ipAddresses: Props[], friendlyName = name) => ({ friendlyName, ipAddresses });
      let { state, trace } = await acls.up(name, args([{ ipAddress: "203.0.113.10" }, { ipAddress: "198.51.100.0", cidrPrefixLength: 24, friendlyName: "branch" }]));
      assert.equal(trace.op, "create");
      assert.deepEqual(trace.check.inputs.ipAddresses, [
        { ipAddress: "203.0.113.10", cidrPrefixLength: 32, friendlyName: "203.0.113.10" },
        { ipAddress: "198.51.100.0", cidrPrefixLength: 24, friendlyName: "branch" },
      ], "check says what omitting means: /32 and the address as the name");
      assert.deepEqual(served(), ["POST /IpAccessControlLists.json 201", "POST /IpAccessControlLists/AL…/IpAddresses.json 201", "POST /IpAccessControlLists/AL…/IpAddresses.json 201"]);
      assert.match(state.id, /^AL[0-9a-f]{32}$/);
      assert.deepEqual(entries(state), [
        { ipAddress: "198.51.100.0", cidrPrefixLength: 24, friendlyName: "branch" },
        { ipAddress: "203.0.113.10", cidrPrefixLength: 32, friendlyName: "203.0.113.10" },
      ]);
      const same = args([{ ipAddress: "198.51.100.0", cidrPrefixLength: 24, friendlyName: "branch" }, { ipAddress: "203.0.113.10", cidrPrefixLength: 32 }]);
      assert.equal((await acls.up(name, same, state)).trace.diff?.changes, DIFF_NONE, "order and the spelled-out /32 change nothing");
      assert.deepEqual(served(), []);
      const refreshed = await acls.refresh(state);
      assert.deepEqual(served(), ["GET /IpAccessControlLists/AL….json 200", "GET /IpAccessControlLists/AL…/IpAddresses.json 200"]);
      assert.deepEqual(refreshed.read.properties, state.outputs);

      ({ state } = await acls.up(name, args([{ ipAddress: "203.0.113.10", cidrPrefixLength: 31 }, { ipAddress: "198.51.100.0", cidrPrefixLength: 24, friendlyName: "branch office" }]), state));
      assert.deepEqual(served(), ["POST /IpAccessControlLists/AL…/IpAddresses/IP….json 200", "POST /IpAccessControlLists/AL…/IpAddresses/IP….json 200"], "a new prefix and a new name: one POST each, in place");
      const sids = (state.outputs.ipAddresses as IpEntry[]).map((e) => e.sid);

      ({ state } = await acls.up(name, args([{ ipAddress: "203.0.113.10", cidrPrefixLength: 31 }, { ipAddress: "198.51.100.128", cidrPrefixLength: 25, friendlyName: "branch office" }, { ipAddress: "192.0.2.1" }]), state));
      assert.deepEqual(served(), ["DELETE /IpAccessControlLists/AL…/IpAddresses/IP….json 204", "POST /IpAccessControlLists/AL…/IpAddresses.json 201", "POST /IpAccessControlLists/AL…/IpAddresses.json 201"], "a new address: delete + create; an added one: create");
      assert.ok((state.outputs.ipAddresses as IpEntry[]).some((e) => e.sid === sids[1]), "the unchanged entry kept its SID");

      const final = args([{ ipAddress: "192.0.2.1" }], `${name} renamed`);
      ({ state } = await acls.up(name, final, state));
      assert.deepEqual(served(), ["POST /IpAccessControlLists/AL….json 200", "DELETE /IpAccessControlLists/AL…/IpAddresses/IP….json 204", "DELETE /IpAccessControlLists/AL…/IpAddresses/IP….json 204"]);
      assert.equal((await acls.up(name, final, state)).trace.diff?.changes, DIFF_NONE);

      await acls.destroy(state);
      assert.deepEqual(served(), ["DELETE /IpAccessControlLists/AL….json 204"]);
      assert.equal(store().list("ip_addresses", { ip_access_control_list_sid: state.id }).length, 0);
    });

    it("drift shows in refresh and up fixes it with one call; deleted outside Pulumi reads as gone", async function () {
      const name = uniqueName("drift-acl");
      const args = { friendlyName: name, ipAddresses: [{ ipAddress: "192.0.2.10" }] };
      const { state } = await acls.up(name, args);
      const entry = (state.outputs.ipAddresses as IpEntry[])[0];
      store().update(entry.sid, { friendly_name: "edited", cidr_prefix_length: 30 });
      served();
      const refreshed = await acls.refresh(state);
      assert.deepEqual((refreshed.read.properties.ipAddresses as IpEntry[]).map(({ sid: _s, ...e }) => e), [{ ipAddress: "192.0.2.10", cidrPrefixLength: 30, friendlyName: "edited" }]);
      assert.deepEqual(refreshed.read.inputs?.ipAddresses, [{ ipAddress: "192.0.2.10", cidrPrefixLength: 30, friendlyName: "edited" }]);
      served();
      const fixed = await acls.up(name, args, refreshed.state);
      assert.equal(fixed.trace.diff?.changes, DIFF_SOME);
      assert.deepEqual(served(), ["POST /IpAccessControlLists/AL…/IpAddresses/IP….json 200"]);
      const stored = store().list("ip_addresses", { sid: entry.sid })[0];
      assert.deepEqual([stored.cidr_prefix_length, stored.friendly_name], [32, "192.0.2.10"]);

      store().delete(state.id);
      served();
      const gone = await acls.refresh(fixed.state);
      assert.equal(gone.read.id, "");
      assert.deepEqual(served(), ["GET /IpAccessControlLists/AL….json 404"]);
    });

    it("adoption: a match is adopted with reads only; a mismatch fails at preview; onImportMismatch: update makes it match", async function () {
      const name = uniqueName("adopt-acl");
      const list = store().put("ip_access_control_lists", { friendly_name: name });
      store().put("ip_addresses", { ip_access_control_list_sid: list.sid, ip_address: "192.0.2.20", friendly_name: "192.0.2.20", cidr_prefix_length: 32 });
      served();
      const mismatch = { friendlyName: name, ipAddresses: [{ ipAddress: "192.0.2.21" }], importId: list.sid };
      await assert.rejects(acls.up(`${name}-m`, mismatch), (e: Error & { trace?: { check: { failures: { property: string; reason: string }[] } } }) => {
        assert.deepEqual([...new Set((e.trace?.check.failures ?? []).map((f) => f.property))], ["ipAddresses"]);
        return true;
      });
      served();
      const args = { friendlyName: name, ipAddresses: [{ ipAddress: "192.0.2.20" }], importId: list.sid };
      const { state } = await acls.up(name, args);
      assert.equal(state.id, list.sid);
      assert.deepEqual(served(), ["GET /IpAccessControlLists/AL….json 200", "GET /IpAccessControlLists/AL…/IpAddresses.json 200", "GET /IpAccessControlLists/AL….json 200", "GET /IpAccessControlLists/AL…/IpAddresses.json 200"], "adoption: reads only");
      assert.equal((await acls.up(name, args, state)).trace.diff?.changes, DIFF_NONE);
      await acls.destroy(state);

      const list2 = store().put("ip_access_control_lists", { friendly_name: `${name} 2` });
      served();
      const updating = await acls.up(`${name}-u`, { ...mismatch, friendlyName: `${name} 2`, importId: list2.sid, onImportMismatch: "update" });
      assert.equal(updating.state.id, list2.sid);
      assert.deepEqual(served().slice(4), ["POST /IpAccessControlLists/AL…/IpAddresses.json 201"], "after the reads, the one call that makes it match");
      await acls.destroy(updating.state);
    });
  });

  describe("the program side", function () {
    it("SipCredentialList registers each password as a secret, with credentials and __appliedInputs as additionalSecretOutputs", async function () {
      const p = password();
      const registered = await registeredUnderMocks(() => new SipCredentialList("class-shape", { friendlyName: "users", credentials: [{ username: "pbx1", password: p }] }));
      const [record] = registered;
      assert.equal(record.type, SIP_CREDENTIAL_LIST_TYPE);
      assert.deepEqual([...record.secrets].sort(), ["__appliedInputs", "credentials"]);
      const [entry] = record.object.credentials as Props[];
      assert.equal(entry.username, "pbx1");
      assert.deepEqual(Object.keys(entry.password as Props).sort(), [SECRET_SIG, "value"].sort(), "the password goes to the engine as a secret");
      assert.equal(record.object[PROVIDER_KEY], creds.provider);
    });
  });

  // Mocha runs a suite's own tests before its sub-suites: this scan is a sub-suite of its own, so it runs last.
  describe("secrets", function () {
    it("no host answer (check's echo of the program's inputs aside) and no host log holds a plain password or the token", function () {
      assert.ok(PASSWORDS.length >= 5);
      assert.ok(host.transcript.length > 40);
      const rpcs = new Set(host.transcript.map((t) => t.rpc));
      for (const rpc of ["check", "create", "read", "update", "diff", "delete"]) assert.ok(rpcs.has(rpc), `${rpc} answers were scanned`);
      for (const entry of host.transcript) {
        // A successful check returns the inputs it was given (the engine stores them as the
        // resource's inputs, encrypted: the class marks passwords secret); only its failures are the provider's own words.
        const text = entry.rpc === "check" && entry.ok ? JSON.stringify((JSON.parse(entry.text) as { failures: unknown }).failures) : entry.text;
        for (const p of PASSWORDS) assert.ok(!text.includes(p), `${entry.rpc} answer holds a plain password: ${text.slice(0, 300)}`);
      }
      for (const p of PASSWORDS) {
        assert.ok(!host.stdout.includes(p), "host stdout holds a plain password");
        assert.ok(!host.stderr.includes(p), "host stderr holds a plain password");
      }
      assert.deepEqual(host.leaks(host.stdout + host.stderr), [], "the host's logs do not hold the auth token");
    });
  });
});
