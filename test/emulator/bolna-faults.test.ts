/**
 * The Bolna vendor under the shared engine: injected statuses before and after commit (in the
 * bodies a FastAPI service behind a proxy sends), 429 with `Retry-After`, dropped and lost
 * responses, the data file (round trip, files without a Bolna section, a malformed section, seeds,
 * reset), out-of-band edits through the store and the admin routes, and the CLI process.
 */
import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { startEmulator, type EmulatorHandle } from "../../emulator";
import { EMSG, MSG } from "../../emulator/bolna/messages";
import { startCli } from "./cli-process";
import { API_KEY, api, start, stopAll } from "./helpers";
import { TRUNKS, addNumber, bo, createTrunk, errorOf, ipBased, numbersPath, trunkPath, userpass } from "./bolna-helpers";
import { createTrunk as createTwilioTrunk } from "./twilio-helpers";

let dir: string;
const file = () => path.join(dir, "state.json");
const admin = (emu: EmulatorHandle, method: string, p: string, body?: unknown) =>
  fetch(`${emu.url}/_emulator/bolna${p}`, {
    method,
    headers: { "X-Emulator-Token": emu.adminToken, ...(body !== undefined ? { "Content-Type": "application/json" } : {}) },
    body: body !== undefined ? JSON.stringify(body) : undefined,
  }).then(async (r) => ({ status: r.status, body: r.status === 204 ? null : ((await r.json()) as any) }));

const SEED_TRUNK = {
  id: "01HSEED0000000000000000000",
  name: "Seeded",
  provider: "didww",
  auth_type: "ip-based" as const,
  gateways: [{ gateway_address: "nl.sip.didww.com" }],
  ip_identifiers: [{ ip_address: "46.19.208.0/21" }],
  phone_numbers: [{ phone_number: "+15551230000", name: "seeded number" }],
};

describe("Bolna emulator: faults, durability, out-of-band edits", function () {
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "sip-emu-bolna-"));
  });
  afterEach(async () => {
    await stopAll();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  describe("injected faults", function () {
    it("500 is Starlette's plain text; 502/503 the edge's HTML; the POST is not processed; other vendors do not match", async function () {
      for (const [status, type, text] of [
        [500, /^text\/plain/, /^Internal Server Error$/],
        [502, /^text\/html/, /502 Bad Gateway/],
        [503, /^text\/html/, /503 Service Temporarily Unavailable/],
      ] as const) {
        const emu = await start({ faults: [{ kind: "status", status, match: { vendor: "bolna", method: "POST" } }] });
        const res = await bo(emu, "POST", TRUNKS, { body: userpass() });
        assert.equal(res.status, status);
        assert.match(res.headers.get("content-type") ?? "", type);
        assert.match(res.text, text);
        assert.deepEqual(emu.store.bolna.listTrunks(), []);
        assert.equal((await api(emu, "GET", "/v3/voice_out_trunks")).status, 200, "DIDWW does not match the rule");
        await stopAll();
      }
    });

    it("an injected 429 and the rate limiter's answer {detail} with Retry-After (bolnaRetryAfterSeconds)", async function () {
      let now = 5_000_000;
      const emu = await start({ clock: () => now, bolnaRetryAfterSeconds: 7, faults: { rules: [{ kind: "status", status: 429, match: { vendor: "bolna" }, times: 1 }], rateLimit: { perSecond: 2 } } });
      const injected = await bo(emu, "GET", TRUNKS);
      assert.deepEqual(errorOf(injected), [429, EMSG.tooManyRequests]);
      assert.equal(injected.headers.get("retry-after"), "7");
      const s = [];
      for (let i = 0; i < 3; i++) s.push(await bo(emu, "GET", TRUNKS));
      assert.deepEqual(s.map((r) => r.status), [200, 200, 429]);
      assert.deepEqual([s[2].body, s[2].headers.get("retry-after")], [{ detail: EMSG.tooManyRequests }, "7"]);
      assert.equal((await api(emu, "GET", "/v3/voice_out_trunks", { headers: { "Api-Key": API_KEY } })).status, 200, "DIDWW's key has its own window");
      now += 1000;
      assert.equal((await bo(emu, "GET", TRUNKS)).status, 200);
      assert.equal((await bo(emu, "GET", TRUNKS, { key: "bn-wrong" })).status, 403, "a refused key is not rate limited");
    });

    it("the default Retry-After is 1 second; in the openapi format the 429 is {error, message}", async function () {
      const emu = await start({ bolnaErrorFormat: "openapi", faults: [{ kind: "status", status: 429, match: { vendor: "bolna" } }] });
      const res = await bo(emu, "GET", TRUNKS);
      assert.deepEqual([res.status, res.body, res.headers.get("retry-after")], [429, { error: 429, message: EMSG.tooManyRequests }, "1"]);
    });

    it("statusAfterCommit: the trunk is created (durably) and the client sees a 500; a blind retry is refused as a taken name", async function () {
      const emu = await start({ dataFile: file(), faults: [{ kind: "statusAfterCommit", status: 500, match: { path: "/bolna/sip-trunks/trunks", method: "POST" }, times: 1 }] });
      const body = userpass({ name: "ghost" });
      const res = await bo(emu, "POST", TRUNKS, { body });
      assert.deepEqual([res.status, res.text], [500, "Internal Server Error"]);
      const [trunk] = emu.store.bolna.listTrunks();
      assert.equal(trunk.name, "ghost", "committed although the client saw 500");
      assert.deepEqual(JSON.parse(fs.readFileSync(file(), "utf8")).bolna.trunks.map((t: any) => t.id), [trunk.id], "and durable before the 500 went out");
      const entry = emu.requests.find((r) => r.vendor === "bolna" && r.method === "POST")!;
      assert.deepEqual([entry.status, entry.fault, entry.handledStatus], [500, "statusAfterCommit", 201]);
      assert.deepEqual(errorOf(await bo(emu, "POST", TRUNKS, { body })), [400, EMSG.nameTaken("ghost")], "the retry learns it exists");
      assert.equal(emu.store.bolna.listTrunks().length, 1);
    });

    it("drop: nothing processed; lostResponse: the number is added, the client hears nothing, the retry gets 409", async function () {
      const emu = await start({
        faults: [
          { kind: "drop", match: { vendor: "bolna", method: "DELETE" }, times: 1 },
          { kind: "lostResponse", match: { vendor: "bolna", pathRegex: "/numbers$" }, times: 1 },
        ],
      });
      const t = await createTrunk(emu);
      await assert.rejects(bo(emu, "DELETE", trunkPath(t.id)));
      assert.ok(emu.store.bolna.getTrunk(t.id), "the dropped DELETE did nothing");
      await assert.rejects(bo(emu, "POST", numbersPath(t.id), { body: { phone_number: "+919876543210" } }));
      assert.deepEqual(emu.store.bolna.listNumbers(t.id).map((n) => n.phone_number), ["+919876543210"]);
      assert.deepEqual(errorOf(await bo(emu, "POST", numbersPath(t.id), { body: { phone_number: "+919876543210" } })), [409, EMSG.numberOnThisTrunk]);
      assert.deepEqual(emu.requests.filter((r) => r.vendor === "bolna").map((r) => [r.method, r.status, r.fault]), [
        ["POST", 201, undefined],
        ["DELETE", 0, "drop"],
        ["POST", 201, "lostResponse"],
        ["POST", 409, undefined],
      ]);
    });

    it("a handler crash is Starlette's plain-text 500", async function () {
      const errors: unknown[] = [];
      const emu = await start({ onError: (e) => errors.push(e) });
      const t = await createTrunk(emu);
      const store = emu.store.bolna as unknown as { _trunk(id: string): unknown };
      const original = store._trunk;
      store._trunk = () => {
        throw new Error("boom");
      };
      try {
        const res = await bo(emu, "GET", trunkPath(t.id));
        assert.deepEqual([res.status, res.text], [500, "Internal Server Error"]);
        assert.equal(errors.length, 1);
      } finally {
        store._trunk = original;
      }
    });
  });

  describe("durability", function () {
    it("every API and out-of-band change survives a restart on the data file, passwords included", async function () {
      let emu = await start({ dataFile: file() });
      const t = await createTrunk(emu, userpass({ name: "kept", phone_numbers: [{ phone_number: "1001" }] }));
      const gone = await createTrunk(emu, ipBased({ phone_numbers: [{ phone_number: "2001" }] }));
      await bo(emu, "PATCH", trunkPath(t.id), { body: { auth_password: "rotated-secret", gateways: [{ gateway_address: "b.example.com", port: 5080 }], allow: "ALAW" } });
      const n = await addNumber(emu, t.id, { phone_number: "+919876543210", name: "Mumbai" });
      await bo(emu, "DELETE", trunkPath(gone.id));
      emu.store.bolna.updateTrunk(t.id, { description: "edited in the dashboard" });
      emu.store.bolna.updateNumber(n.id, { name: "renamed out of band" });
      const before = emu.store.bolna.snapshot();
      const fetched = (await bo(emu, "GET", trunkPath(t.id))).body;
      await emu.close();

      const onDisk = JSON.parse(fs.readFileSync(file(), "utf8"));
      assert.deepEqual(Object.keys(onDisk), ["format", "savedAt", "didww", "twilio", "bolna"]);
      assert.deepEqual(Object.keys(onDisk.bolna), ["trunks", "phone_numbers"]);
      assert.equal(onDisk.bolna.trunks[0].auth_password, "rotated-secret");

      emu = await start({ dataFile: file() });
      assert.equal(emu.startedFrom, "dataFile");
      assert.deepEqual(emu.store.bolna.snapshot(), before);
      const again = (await bo(emu, "GET", trunkPath(t.id))).body;
      assert.deepEqual(again, fetched);
      assert.deepEqual([again.description, again.allow, again.phone_numbers.map((x: any) => x.name)], ["edited in the dashboard", "alaw", [null, "renamed out of band"]]);
      assert.deepEqual(errorOf(await bo(emu, "POST", TRUNKS, { body: userpass({ name: "kept" }) })), [400, EMSG.nameTaken("kept")], "uniqueness holds across the restart");
    });

    it("a file written before the Bolna vendor (no bolna section) loads with the Bolna seed state; the next Bolna write adds the section", async function () {
      fs.writeFileSync(file(), JSON.stringify({ format: "sip-trunks-emulator/v1", savedAt: "2026-01-01T00:00:00.000Z", didww: { trunks: [], dids: [] } }));
      const emu = await start({ dataFile: file(), seed: { bolna: { trunks: [SEED_TRUNK] } } });
      assert.equal(emu.startedFrom, "dataFile");
      assert.deepEqual(emu.store.didww.listDids(), [], "the DIDWW section is the file's");
      assert.deepEqual(emu.store.bolna.listTrunks().map((t) => t.id), [SEED_TRUNK.id]);
      await createTrunk(emu);
      await emu.close();
      assert.equal(JSON.parse(fs.readFileSync(file(), "utf8")).bolna.trunks.length, 2);
    });

    it("an emulator that never holds Bolna state writes no bolna section (its files look like the earlier format); once changed, even an empty one is kept", async function () {
      let emu = await start({ dataFile: file() });
      await createTwilioTrunk(emu);
      await bo(emu, "GET", TRUNKS);
      await emu.close();
      assert.deepEqual(Object.keys(JSON.parse(fs.readFileSync(file(), "utf8"))), ["format", "savedAt", "didww", "twilio"]);

      emu = await start({ dataFile: file() });
      const t = await createTrunk(emu);
      await bo(emu, "DELETE", trunkPath(t.id));
      await emu.close();
      assert.deepEqual(JSON.parse(fs.readFileSync(file(), "utf8")).bolna, { trunks: [], phone_numbers: [] });
      emu = await start({ dataFile: file(), seed: { bolna: { trunks: [SEED_TRUNK] } } });
      assert.deepEqual(emu.store.bolna.listTrunks(), [], "the file's empty section wins over the seed");
    });

    it("a malformed bolna section stops start-up and leaves the file untouched", async function () {
      const text = JSON.stringify({ format: "sip-trunks-emulator/v1", didww: { trunks: [], dids: [] }, bolna: { trunks: [{ id: "x", name: "no provider" }], phone_numbers: [] } });
      fs.writeFileSync(file(), text);
      await assert.rejects(startEmulator({ port: 0, dataFile: file() }), /is not an emulator state file/);
      assert.equal(fs.readFileSync(file(), "utf8"), text);
    });

    it("seeds: bolna.trunks (ids, numbers) start the emulator; reset (API and admin route) returns to them, durably; bad entries stop start-up", async function () {
      const emu = await start({ dataFile: file(), seed: { bolna: { trunks: [SEED_TRUNK] } } });
      const seeded = (await bo(emu, "GET", trunkPath(SEED_TRUNK.id))).body;
      assert.deepEqual([seeded.name, seeded.gateways[0].port, seeded.phone_numbers.map((n: any) => n.phone_number)], ["Seeded", 5060, ["+15551230000"]]);
      await createTrunk(emu);
      await bo(emu, "DELETE", trunkPath(SEED_TRUNK.id));
      const reset = await fetch(`${emu.url}/_emulator/reset`, { method: "POST", headers: { "X-Emulator-Token": emu.adminToken } });
      assert.equal(reset.status, 204);
      assert.deepEqual(emu.store.bolna.listTrunks().map((t) => t.id), [SEED_TRUNK.id]);
      assert.deepEqual(JSON.parse(fs.readFileSync(file(), "utf8")).bolna.trunks.map((t: any) => t.id), [SEED_TRUNK.id]);
      await createTrunk(emu);
      assert.equal((await admin(emu, "POST", "/reset")).status, 204);
      assert.equal(emu.store.bolna.listTrunks().length, 1);
      await assert.rejects(startEmulator({ port: 0, seed: { bolna: { trunks: [{ name: "x", provider: "y", auth_type: "digest" as never }] } } }), /bolna\.trunks\[0\]: invalid trunk record/);
    });
  });

  describe("out-of-band edits", function () {
    it("through the store: put (id generated), update (drift shows on the API), numbers, delete with the cascade; schema errors throw", async function () {
      const emu = await start();
      const put = emu.store.bolna.putTrunk({ name: "dashboard", provider: "custom", auth_type: "userpass", auth_username: "u", auth_password: "p", gateways: [{ gateway_address: "g.example.com" }], allow: " ULAW " });
      assert.match(put.id, /^[0-7][0-9A-HJKMNP-TV-Z]{25}$/);
      assert.deepEqual([put.allow, put.gateways[0].port, put.gateways[0].priority, put.is_active, put.phone_numbers], ["ulaw", 5060, 1, true, []]);
      const viaApi = (await bo(emu, "GET", trunkPath(put.id))).body;
      assert.equal(viaApi.auth_username, "u");
      assert.ok(!("auth_password" in viaApi));

      emu.store.bolna.updateTrunk(put.id, { is_active: false, gateways: [{ gateway_address: "moved.example.com", port: 5070 }], provider: "changed in the dashboard" });
      const drifted = (await bo(emu, "GET", trunkPath(put.id))).body;
      assert.deepEqual([drifted.is_active, drifted.gateways.map((g: any) => g.gateway_address), drifted.provider], [false, ["moved.example.com"], "changed in the dashboard"]);
      assert.deepEqual((await bo(emu, "GET", `${TRUNKS}?is_active=true`)).body, []);

      const n = emu.store.bolna.addNumber(put.id, { phone_number: "1001" });
      assert.deepEqual((await bo(emu, "GET", numbersPath(put.id))).body.map((x: any) => x.id), [n.id]);
      assert.deepEqual(emu.store.bolna.listNumbers(put.id).map((x) => x.phone_number), ["1001"]);
      assert.ok(emu.store.bolna.deleteNumber(n.id));
      assert.ok(!emu.store.bolna.deleteNumber(n.id));

      assert.throws(() => emu.store.bolna.updateTrunk(put.id, { transport: "udp" as never }), /invalid trunk record/);
      assert.throws(() => emu.store.bolna.updateTrunk(put.id, { ip_identifiers: [{ ip_address: "nope" }] }), /not an IP address/);
      assert.throws(() => emu.store.bolna.updateTrunk("missing", {}), /not found/);
      assert.throws(() => emu.store.bolna.updateTrunk(put.id, { id: "other" }), /cannot change/);
      assert.throws(() => emu.store.bolna.addNumber("missing", { phone_number: "1" }), /not found/);
      assert.throws(() => emu.store.bolna.putTrunk({ name: "no provider" }), /invalid trunk record/);

      emu.store.bolna.addNumber(put.id, { phone_number: "1002" });
      assert.ok(emu.store.bolna.deleteTrunk(put.id));
      assert.deepEqual(emu.store.bolna.listNumbers(), [], "the cascade, out of band too");
      assert.deepEqual(errorOf(await bo(emu, "GET", trunkPath(put.id))), [404, EMSG.trunkNotFound], "disappeared: the API says gone");
      assert.ok(!emu.store.bolna.deleteTrunk(put.id));
    });

    it("out-of-band edits skip the API's business rules (uniqueness, credentials for the auth type, number conflicts)", async function () {
      const emu = await start();
      const a = emu.store.bolna.putTrunk({ name: "same", provider: "p", auth_type: "userpass", gateways: [] });
      const b = emu.store.bolna.putTrunk({ name: "same", provider: "p", auth_type: "ip-based", gateways: [{ gateway_address: "x" }] });
      emu.store.bolna.addNumber(a.id, { phone_number: "1001" });
      emu.store.bolna.addNumber(b.id, { phone_number: "1001" });
      assert.equal(emu.store.bolna.listNumbers().length, 2);
      assert.deepEqual(errorOf(await bo(emu, "POST", numbersPath(a.id), { body: { phone_number: "1001" } })), [409, EMSG.numberOnThisTrunk], "the API still refuses");
      assert.deepEqual(errorOf(await bo(emu, "PATCH", trunkPath(a.id), { body: { media_encryption: "sdes" } })), [422, MSG.sdesNeedsTls]);
    });

    it("through the admin routes: list, get, put, patch, numbers, delete; token required", async function () {
      const emu = await start();
      const t = await createTrunk(emu, userpass({ name: "mine" }));
      assert.equal((await fetch(`${emu.url}/_emulator/bolna/trunks`)).status, 401);

      assert.deepEqual((await admin(emu, "GET", "/trunks")).body.trunks.map((x: any) => x.name), ["mine"]);
      const got = await admin(emu, "GET", `/trunks/${t.id}`);
      assert.deepEqual([got.status, got.body.auth_password], [200, "sip-secret-1"], "the test seam shows the password");
      assert.deepEqual((await admin(emu, "GET", "/resources")).body.trunks.map((x: any) => x.id), [t.id]);

      const patched = await admin(emu, "PATCH", `/trunks/${t.id}`, { name: "renamed out of band", inbound_enabled: true });
      assert.deepEqual([patched.status, patched.body.name], [200, "renamed out of band"]);
      const read = (await bo(emu, "GET", trunkPath(t.id))).body;
      assert.deepEqual([read.name, read.inbound_enabled], ["renamed out of band", true]);
      assert.equal((await admin(emu, "PATCH", `/trunks/${t.id}`, { inbound_enabled: "yes" })).status, 400);
      assert.equal((await admin(emu, "PATCH", "/trunks/missing", {})).status, 404);

      const created = await admin(emu, "POST", "/trunks", { name: "from admin", provider: "custom", auth_type: "ip-based", gateways: [{ gateway_address: "a" }], ip_identifiers: [{ ip_address: "10.0.0.1" }] });
      assert.equal(created.status, 201);
      const replaced = await admin(emu, "PUT", `/trunks/${created.body.id}`, { name: "replaced", provider: "custom", auth_type: "ip-based", gateways: [] });
      assert.deepEqual([replaced.status, replaced.body.id, replaced.body.name, replaced.body.ip_identifiers], [200, created.body.id, "replaced", []]);

      const number = await admin(emu, "POST", `/trunks/${t.id}/numbers`, { phone_number: "+15005550006", name: "test number" });
      assert.equal(number.status, 201);
      assert.deepEqual((await admin(emu, "GET", `/trunks/${t.id}/numbers`)).body.phone_numbers.map((n: any) => n.id), [number.body.id]);
      assert.equal((await admin(emu, "GET", `/numbers/${number.body.id}`)).body.name, "test number");
      assert.equal((await admin(emu, "PATCH", `/numbers/${number.body.id}`, { name: "renamed" })).body.name, "renamed");
      assert.deepEqual((await bo(emu, "GET", numbersPath(t.id))).body.map((n: any) => n.name), ["renamed"]);
      assert.equal((await admin(emu, "DELETE", `/numbers/${number.body.id}`)).status, 204);
      assert.equal((await admin(emu, "DELETE", `/numbers/${number.body.id}`)).status, 404);
      assert.equal((await admin(emu, "GET", "/numbers")).body.phone_numbers.length, 0);

      assert.equal((await admin(emu, "DELETE", `/trunks/${t.id}`)).status, 204);
      assert.equal((await bo(emu, "GET", trunkPath(t.id))).status, 404);
      assert.equal((await admin(emu, "DELETE", `/trunks/${t.id}`)).status, 404);
      assert.equal((await admin(emu, "GET", `/trunks/${t.id}/numbers`)).status, 404);
      assert.equal(emu.requests.filter((r) => r.path.startsWith("/_emulator")).length, 0, "admin routes are not logged");
    });
  });

  describe("CLI", function () {
    this.timeout(60_000);
    it("prints the Bolna base URL and serves it with --bolna-api-key (the default key then refused)", async function () {
      const cli = await startCli(["--port", "0", "--bolna-api-key", "bn-cli-key"]);
      try {
        assert.match(cli.stdout(), /Bolna base URL: http:\/\/127\.0\.0\.1:\d+\/bolna {2}\(for https:\/\/api\.bolna\.ai; Authorization: Bearer one of --bolna-api-key\)/);
        assert.ok(!cli.stdout().includes("bn-cli-key"), "a configured key is not printed");
        const emu = { bolnaUrl: `${cli.url}/bolna` };
        assert.equal((await bo(emu, "GET", TRUNKS, { key: "bn-cli-key" })).status, 200);
        assert.equal((await bo(emu, "GET", TRUNKS)).status, 403);
      } finally {
        cli.child.kill("SIGTERM");
        await cli.exited;
      }
    });
  });
});
