/**
 * The Twilio vendor under the shared engine: the per-account concurrency limit (429 / 20429),
 * injected statuses before and after commit, dropped and lost responses, the data file (round
 * trip, old files without a Twilio section, reset), out-of-band edits through the store and the
 * admin routes, and the CLI process.
 */
import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { DEFAULT_TWILIO_NUMBER_SIDS, startEmulator, type EmulatorHandle } from "../../emulator";
import { BAD_GATEWAY, CODES, INTERNAL_SERVER_ERROR, SERVICE_UNAVAILABLE, TOO_MANY_REQUESTS } from "../../emulator/twilio/messages";
import { startCli } from "./cli-process";
import { AUTH, api, start, stopAll, trunkDoc } from "./helpers";
import { ACCOUNT, STRONG_PASSWORD, createCredentialList, createIpAccessControlList, createTrunk, errorOf, tw, uniqueDomain, v1, v2010, type Credentials } from "./twilio-helpers";

const OTHER: Credentials = { user: "AC0000000000000000000000000000000b", password: "other-token" };
const TWO_ACCOUNTS = [
  { accountSid: ACCOUNT.accountSid, authToken: ACCOUNT.authToken },
  { accountSid: OTHER.user, authToken: OTHER.password },
];

/** Resolves once `n` Twilio requests had their latency applied (they are in flight, holding a slot). */
async function inFlight(emu: EmulatorHandle, n: number): Promise<void> {
  for (let i = 0; i < 500 && emu.faults.stats.latency < n; i++) await new Promise((r) => setTimeout(r, 5));
  assert.equal(emu.faults.stats.latency, n);
}

let dir: string;
const file = () => path.join(dir, "state.json");
const admin = (emu: EmulatorHandle, method: string, p: string, body?: unknown) =>
  fetch(`${emu.url}/_emulator/twilio${p}`, {
    method,
    headers: { "X-Emulator-Token": emu.adminToken, ...(body !== undefined ? { "Content-Type": "application/json" } : {}) },
    body: body !== undefined ? JSON.stringify(body) : undefined,
  }).then(async (r) => ({ status: r.status, body: r.status === 204 ? null : ((await r.json()) as any) }));

describe("Twilio emulator: faults, durability, out-of-band edits", function () {
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "sip-emu-twilio-"));
  });
  afterEach(async () => {
    await stopAll();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  describe("concurrency limit (twilioMaxConcurrency)", function () {
    it("one request more than the limit in flight for an account is 429 20429 (the recorded body); slots free when answers go out", async function () {
      const emu = await start({ twilioAccounts: TWO_ACCOUNTS, twilioMaxConcurrency: 2, faults: [{ kind: "latency", ms: 1500, match: { vendor: "twilio" }, times: 2 }] });
      const slow = [tw(v1(emu, "/Trunks"), "GET"), tw(v1(emu, "/Trunks"), "GET")];
      await inFlight(emu, 2); // both hold a slot, sleeping in their latency
      const refused = await Promise.all([tw(v1(emu, "/Trunks"), "POST"), tw(v2010(emu, "/IncomingPhoneNumbers.json"), "GET")]);
      for (const r of refused) assert.deepEqual([r.status, r.body], [429, TOO_MANY_REQUESTS]);
      assert.equal(emu.store.twilio.listTrunks().length, 0, "a refused POST is not processed");
      // Another account, DIDWW, and requests that fail authentication are not held to this account's slots.
      assert.equal((await tw(v1(emu, "/Trunks"), "GET", { auth: OTHER })).status, 200);
      assert.equal((await api(emu, "GET", "/v3/voice_out_trunks")).status, 200);
      assert.equal((await tw(v1(emu, "/Trunks"), "GET", { auth: null })).status, 401);

      assert.deepEqual((await Promise.all(slow)).map((r) => r.status), [200, 200]);
      assert.equal((await tw(v1(emu, "/Trunks"), "POST", { form: { DomainName: uniqueDomain() } })).status, 201, "free again");
      assert.equal(emu.faults.stats.rateLimited, 2);
      assert.deepEqual(
        emu.requests.filter((r) => r.status === 429).map((r) => [r.method, r.fault, r.vendor]),
        [
          ["POST", "rateLimited", "twilio"],
          ["GET", "rateLimited", "twilio"],
        ],
      );
    });

    it("a burst beyond the limit: exactly `limit` succeed at once, the others get 20429", async function () {
      const emu = await start({ twilioMaxConcurrency: 3, faults: [{ kind: "latency", ms: 1500, match: { vendor: "twilio" }, times: 3 }] });
      const held = Array.from({ length: 3 }, () => tw(v1(emu, "/Trunks"), "GET"));
      await inFlight(emu, 3);
      const results = [...(await Promise.all(Array.from({ length: 5 }, () => tw(v1(emu, "/Trunks"), "GET")))), ...(await Promise.all(held))];
      assert.equal(results.filter((r) => r.status === 200).length, 3);
      for (const r of results.filter((x) => x.status !== 200)) assert.deepEqual([r.status, r.body.code], [429, CODES.tooManyRequests]);
    });

    it("the shared per-second rate limit answers in Twilio's envelope too", async function () {
      let now = 1_000_000;
      const emu = await start({ clock: () => now, faults: { rateLimit: { perSecond: 2 } } });
      const s = [];
      for (let i = 0; i < 3; i++) s.push(await tw(v1(emu, "/Trunks"), "GET"));
      assert.deepEqual(s.map((r) => r.status), [200, 200, 429]);
      assert.deepEqual(s[2].body, TOO_MANY_REQUESTS);
      now += 1000;
      assert.equal((await tw(v1(emu, "/Trunks"), "GET")).status, 200);
    });
  });

  describe("injected faults", function () {
    for (const [status, body] of [
      [500, INTERNAL_SERVER_ERROR],
      [502, BAD_GATEWAY],
      [503, SERVICE_UNAVAILABLE],
    ] as const) {
      it(`${status} in Twilio's envelope; the POST is not processed`, async function () {
        const emu = await start({ faults: [{ kind: "status", status, match: { vendor: "twilio", method: "POST" } }] });
        const res = await tw(v1(emu, "/Trunks"), "POST", { form: { FriendlyName: "x" } });
        assert.deepEqual([res.status, res.body], [status, body]);
        assert.deepEqual(Object.keys(res.body), ["code", "message", "more_info", "status"]);
        assert.equal(emu.store.twilio.listTrunks().length, 0);
        assert.equal((await api(emu, "POST", "/v3/voice_out_trunks", { body: trunkDoc({ name: "d", on_cli_mismatch_action: "send_original_cli", authentication_method: AUTH.twilio }) })).status, 201, "DIDWW does not match the rule");
      });
    }

    it("statusAfterCommit: the trunk is created (durably), the client gets a 500; a blind retry makes a second trunk", async function () {
      const emu = await start({ dataFile: file(), faults: [{ kind: "statusAfterCommit", status: 500, match: { path: "/twilio-trunking/v1/Trunks", method: "POST" }, times: 1 }] });
      const res = await tw(v1(emu, "/Trunks"), "POST", { form: { FriendlyName: "ghost" } });
      assert.deepEqual([res.status, res.body], [500, INTERNAL_SERVER_ERROR]);
      const [trunk] = emu.store.twilio.listTrunks();
      assert.equal(trunk.friendly_name, "ghost", "committed although the client saw 500");
      const onDisk = JSON.parse(fs.readFileSync(file(), "utf8"));
      assert.deepEqual(onDisk.twilio.trunks.map((t: any) => t.sid), [trunk.sid], "and durable before the 500 went out");
      const entry = emu.requests.find((r) => r.method === "POST")!;
      assert.deepEqual([entry.status, entry.fault, entry.handledStatus], [500, "statusAfterCommit", 201]);
      assert.equal((await tw(v1(emu, "/Trunks"), "POST", { form: { FriendlyName: "ghost" } })).status, 201);
      assert.equal(emu.store.twilio.listTrunks().length, 2);
    });

    it("drop: nothing processed; lostResponse: the association commits, the client hears nothing", async function () {
      const emu = await start({
        faults: [
          { kind: "drop", match: { method: "DELETE" }, times: 1 },
          { kind: "lostResponse", match: { pathRegex: "/PhoneNumbers$" }, times: 1 },
        ],
      });
      const t = await createTrunk(emu);
      await assert.rejects(tw(t.url, "DELETE"));
      assert.ok(emu.store.twilio.getTrunk(t.sid), "the dropped DELETE did nothing");
      await assert.rejects(tw(t.links.phone_numbers, "POST", { form: { PhoneNumberSid: DEFAULT_TWILIO_NUMBER_SIDS[0] } }));
      assert.deepEqual(emu.store.twilio.trunkLinks(t.sid).phone_numbers, [DEFAULT_TWILIO_NUMBER_SIDS[0]]);
      const again = await tw(t.links.phone_numbers, "POST", { form: { PhoneNumberSid: DEFAULT_TWILIO_NUMBER_SIDS[0] } });
      assert.deepEqual(errorOf(again), [400, CODES.trunkValidation, 400], "the retry learns it is already there");
    });
  });

  describe("durability", function () {
    it("every API and out-of-band change survives a restart on the data file, passwords included", async function () {
      let emu = await start({ dataFile: file() });
      const t = await createTrunk(emu, { FriendlyName: "kept" });
      const gone = await createTrunk(emu, { FriendlyName: "deleted" });
      await tw(`${t.url}/Recording`, "POST", { form: { Mode: "record-from-answer" } });
      await tw(t.links.origination_urls, "POST", { form: { FriendlyName: "o", SipUrl: "sip:trunk.bolna.ai", Priority: 10, Weight: 10, Enabled: true } });
      const cl = await createCredentialList(emu, "users");
      const cr = await tw(`${emu.twilioApiUrl}${cl.subresource_uris.credentials}`, "POST", { form: { Username: "alice", Password: STRONG_PASSWORD } });
      const al = await createIpAccessControlList(emu, "edges");
      await tw(`${emu.twilioApiUrl}${al.subresource_uris.ip_addresses}`, "POST", { form: { FriendlyName: "bolna", IpAddress: "13.200.45.61" } });
      await tw(t.links.credential_lists, "POST", { form: { CredentialListSid: cl.sid } });
      await tw(t.links.ip_access_control_lists, "POST", { form: { IpAccessControlListSid: al.sid } });
      await tw(t.links.phone_numbers, "POST", { form: { PhoneNumberSid: DEFAULT_TWILIO_NUMBER_SIDS[2] } });
      await tw(gone.url, "DELETE");
      emu.store.twilio.update(t.sid, { symmetric_rtp_enabled: true });
      emu.store.twilio.addPhoneNumber({ phone_number: "+15005550006" });
      const before = emu.store.twilio.snapshot();
      const fetched = (await tw(t.url, "GET")).body;
      await emu.close();

      const onDisk = JSON.parse(fs.readFileSync(file(), "utf8"));
      assert.equal(onDisk.format, "sip-trunks-emulator/v1");
      assert.deepEqual(Object.keys(onDisk), ["format", "savedAt", "didww", "twilio"]);

      emu = await start({ dataFile: file() });
      assert.equal(emu.startedFrom, "dataFile");
      assert.deepEqual(emu.store.twilio.snapshot(), before);
      assert.equal((emu.store.twilio.get(cr.body.sid) as any).password, STRONG_PASSWORD);
      const again = (await tw(v1(emu, `/Trunks/${t.sid}`), "GET")).body;
      assert.deepEqual(again, JSON.parse(JSON.stringify(fetched).split(new URL(fetched.url).origin).join(emu.url)));
      assert.deepEqual([again.auth_type, again.symmetric_rtp_enabled, again.recording.mode], ["IP_ACL,CREDENTIAL_LIST", true, "record-from-answer"]);
    });

    it("a data file written before the Twilio vendor (no twilio section) loads, with the Twilio seed state", async function () {
      fs.writeFileSync(file(), JSON.stringify({ format: "sip-trunks-emulator/v1", savedAt: "2026-01-01T00:00:00.000Z", didww: { trunks: [], dids: [] } }));
      const emu = await start({ dataFile: file() });
      assert.equal(emu.startedFrom, "dataFile");
      assert.deepEqual(emu.store.didww.listDids(), [], "the DIDWW section is the file's");
      assert.deepEqual(emu.store.twilio.listPhoneNumbers().map((n) => n.sid), DEFAULT_TWILIO_NUMBER_SIDS);
      await createTrunk(emu);
      await emu.close();
      assert.equal(JSON.parse(fs.readFileSync(file(), "utf8")).twilio.trunks.length, 1, "the next write adds the section");
    });

    it("a malformed twilio section stops start-up and leaves the file untouched", async function () {
      const text = JSON.stringify({ format: "sip-trunks-emulator/v1", didww: { trunks: [], dids: [] }, twilio: { trunks: [{ sid: "TK1" }] } });
      fs.writeFileSync(file(), text);
      await assert.rejects(startEmulator({ port: 0, dataFile: file() }), /is not an emulator state file/);
      assert.equal(fs.readFileSync(file(), "utf8"), text);
    });

    it("reset (API and admin route) returns Twilio to the seed state, durably", async function () {
      const emu = await start({ dataFile: file(), seed: { twilio: { phone_numbers: [{ phone_number: "+15005550006" }] } } });
      await createTrunk(emu);
      emu.store.twilio.delete(DEFAULT_TWILIO_NUMBER_SIDS[0]);
      const reset = await fetch(`${emu.url}/_emulator/reset`, { method: "POST", headers: { "X-Emulator-Token": emu.adminToken } });
      assert.equal(reset.status, 204);
      assert.deepEqual(emu.store.twilio.listTrunks(), []);
      assert.equal(emu.store.twilio.listPhoneNumbers().length, 7);
      assert.deepEqual(JSON.parse(fs.readFileSync(file(), "utf8")).twilio.trunks, []);
      await createTrunk(emu);
      assert.equal((await admin(emu, "POST", "/reset")).status, 204);
      assert.deepEqual(emu.store.twilio.listTrunks(), []);
    });
  });

  describe("out-of-band edits", function () {
    it("through the store: a rename, a delete, a new number and an association show on the API (drift)", async function () {
      const emu = await start();
      const t = await createTrunk(emu, { FriendlyName: "mine" });
      emu.store.twilio.update(t.sid, { friendly_name: "edited in the console", recording: { trim: "trim-silence" } });
      const read = (await tw(t.url, "GET")).body;
      assert.deepEqual([read.friendly_name, read.recording], ["edited in the console", { mode: "do-not-record", trim: "trim-silence" }]);
      const n = emu.store.twilio.addPhoneNumber({ phone_number: "+15005550006" });
      emu.store.twilio.associate(t.sid, n.sid);
      assert.deepEqual((await tw(t.links.phone_numbers, "GET")).body.phone_numbers.map((x: any) => x.phone_number), ["+15005550006"]);
      assert.throws(() => emu.store.twilio.update(t.sid, { transfer_mode: "sometimes" }), /invalid trunks record/);
      assert.throws(() => emu.store.twilio.update("TK00000000000000000000000000000000", {}), /not found/);
      assert.throws(() => emu.store.twilio.put("origination_urls", { trunk_sid: "TK00000000000000000000000000000000", sip_url: "sip:a" }), /trunk_sid .* not found/);
      assert.ok(emu.store.twilio.delete(t.sid));
      assert.equal((await tw(t.url, "GET")).status, 404);
      assert.equal(emu.store.twilio.get(n.sid) && (emu.store.twilio.get(n.sid) as any).trunk_sid, null);
    });

    it("through the admin routes: list, get, patch, delete by SID, add a number, associate; token required", async function () {
      const emu = await start();
      const t = await createTrunk(emu, { FriendlyName: "mine" });
      const cl = await createCredentialList(emu, "users");
      assert.equal((await fetch(`${emu.url}/_emulator/twilio/resources`)).status, 401);

      const all = await admin(emu, "GET", "/resources");
      assert.deepEqual(all.body.trunks.map((x: any) => x.sid), [t.sid]);
      assert.deepEqual((await admin(emu, "GET", "/trunks")).body.trunks.map((x: any) => x.friendly_name), ["mine"]);
      assert.equal((await admin(emu, "GET", `/resources/${cl.sid}`)).body.friendly_name, "users");

      const patched = await admin(emu, "PATCH", `/resources/${t.sid}`, { friendly_name: "renamed out of band", secure: true });
      assert.deepEqual([patched.status, patched.body.friendly_name], [200, "renamed out of band"]);
      const read = (await tw(t.url, "GET")).body;
      assert.deepEqual([read.friendly_name, read.secure], ["renamed out of band", true]);
      assert.equal((await admin(emu, "PATCH", `/resources/${t.sid}`, { secure: "yes" })).status, 400);
      assert.equal((await admin(emu, "PATCH", "/resources/TK00000000000000000000000000000000", {})).status, 404);

      const number = await admin(emu, "POST", "/phone_numbers", { phone_number: "+15005550006", friendly_name: "test number" });
      assert.equal(number.status, 201);
      assert.equal((await admin(emu, "PUT", `/trunks/${t.sid}/links/${cl.sid}`)).status, 204);
      assert.equal((await admin(emu, "PUT", `/trunks/${t.sid}/links/${number.body.sid}`)).status, 204);
      assert.equal((await tw(t.url, "GET")).body.auth_type, "CREDENTIAL_LIST");
      assert.equal((await tw(`${t.links.phone_numbers}/${number.body.sid}`, "GET")).body.friendly_name, "test number");
      assert.equal((await admin(emu, "DELETE", `/trunks/${t.sid}/links/${cl.sid}`)).status, 204);
      assert.equal((await tw(t.url, "GET")).body.auth_type, "");

      assert.equal((await admin(emu, "DELETE", `/resources/${t.sid}`)).status, 204);
      assert.equal((await tw(t.url, "GET")).status, 404);
      assert.equal((await admin(emu, "DELETE", `/resources/${t.sid}`)).status, 404);
      assert.equal((await admin(emu, "GET", "/nonsense")).status, 404);
    });
  });

  describe("CLI", function () {
    this.timeout(60_000);
    it("prints the two Twilio base URLs and serves them with --twilio-account and --twilio-max-concurrency", async function () {
      const cli = await startCli(["--port", "0", "--twilio-account", `${OTHER.user}:${OTHER.password}`, "--twilio-max-concurrency", "4"]);
      try {
        assert.match(cli.stdout(), /Twilio trunking base URL: http:\/\/127\.0\.0\.1:\d+\/twilio-trunking/);
        assert.match(cli.stdout(), /Twilio API base URL: http:\/\/127\.0\.0\.1:\d+\/twilio-api/);
        assert.ok(!cli.stdout().includes(OTHER.password), "a configured token is not printed");
        const emu = { twilioTrunkingUrl: `${cli.url}/twilio-trunking` } as EmulatorHandle;
        assert.equal((await tw(v1(emu, "/Trunks"), "GET", { auth: OTHER })).status, 200);
        assert.equal((await tw(v1(emu, "/Trunks"), "GET")).status, 401, "the default account is replaced");
      } finally {
        cli.child.kill("SIGTERM");
        await cli.exited;
      }
    });
  });
});
