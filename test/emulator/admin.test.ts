/**
 * Seams for tests and drift rehearsals: the request log, out-of-band edits through `store` and
 * through the admin routes, seeds and the default DIDs.
 */
import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { DEFAULT_DIDS, DEFAULT_DID_IDS, DidwwStoreError, startEmulator } from "../../emulator";
import { API_KEY, AUTH, api, createTrunk, patchDoc, start, stopAll } from "./helpers";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const twilioTrunk = (name: string) => ({ name, on_cli_mismatch_action: "send_original_cli", authentication_method: AUTH.twilio });

describe("emulator seams", function () {
  afterEach(stopAll);

  describe("handle", function () {
    it("url, didwwUrl, port 0 picks a free port, 127.0.0.1 by default", async function () {
      const a = await start();
      const b = await start();
      assert.notEqual(a.port, b.port);
      assert.equal(a.url, `http://127.0.0.1:${a.port}`);
      assert.equal(a.didwwUrl, `${a.url}/v3`);
      assert.equal(a.host, "127.0.0.1");
      assert.match(a.adminToken, /^[0-9a-f]{32}$/);
      assert.notEqual(a.adminToken, b.adminToken);
    });

    it("close() stops listening and can be called twice", async function () {
      const emu = await startEmulator({ port: 0 });
      await emu.close();
      await emu.close();
      await assert.rejects(fetch(`${emu.url}/v3/dids`));
    });
  });

  describe("request log", function () {
    it("records method, path (with query), status and time of every API request, never the key", async function () {
      const emu = await start();
      const t = await createTrunk(emu);
      await api(emu, "GET", `/v3/voice_out_trunks/${t.id}?include=dids`);
      await api(emu, "GET", "/v3/dids", { headers: { "Api-Key": undefined } });
      await api(emu, "PATCH", `/v3/voice_out_trunks/${t.id}`, { body: patchDoc(t.id, { capacity_limit: -5 }) });
      assert.deepEqual(
        emu.requests.map(({ method, path, status }) => [method, path, status]),
        [
          ["POST", "/v3/voice_out_trunks", 201],
          ["GET", `/v3/voice_out_trunks/${t.id}?include=dids`, 200],
          ["GET", "/v3/dids", 401],
          ["PATCH", `/v3/voice_out_trunks/${t.id}`, 422],
        ],
      );
      for (const e of emu.requests) assert.ok(!Number.isNaN(Date.parse(e.at)));
      assert.ok(!JSON.stringify(emu.requests.list()).includes(API_KEY));
      assert.equal(emu.requests.filter((r) => r.method === "GET").length, 2, "array methods work");
    });

    it("clear() empties it, admin routes are not logged, and GET /_emulator/requests serves it", async function () {
      const emu = await start();
      await api(emu, "GET", "/v3/dids");
      emu.requests.clear();
      assert.equal(emu.requests.length, 0);
      await api(emu, "GET", "/v3/voice_out_trunks");
      const res = await api(emu, "GET", "/_emulator/requests", { headers: { "X-Emulator-Token": emu.adminToken } });
      assert.deepEqual(res.body.requests.map((r: any) => r.path), ["/v3/voice_out_trunks"]);
      assert.equal(emu.requests.length, 1, "the admin call itself is not logged");
      assert.equal((await api(emu, "DELETE", "/_emulator/requests", { headers: { "X-Emulator-Token": emu.adminToken } })).status, 204);
      assert.equal(emu.requests.length, 0);
    });

    it("keeps the newest requestLogLimit entries", async function () {
      const emu = await start({ requestLogLimit: 3 });
      for (let i = 0; i < 5; i++) await api(emu, "GET", `/v3/dids?page[number]=${i + 1}`);
      assert.deepEqual(emu.requests.map((r) => r.path), [3, 4, 5].map((n) => `/v3/dids?page[number]=${n}`));
    });
  });

  describe("store.didww (out-of-band edits)", function () {
    it("updateTrunk changes what the API returns, with the API's normalisation", async function () {
      const emu = await start();
      const t = await createTrunk(emu);
      const updated = emu.store.didww.updateTrunk(t.id, { status: "blocked", threshold_amount: 250, allowed_rtp_ips: ["198.51.100.7"], dids: [DEFAULT_DID_IDS.plain[0]] });
      assert.equal(updated.threshold_amount, "250.0");
      assert.deepEqual(updated.allowed_rtp_ips, ["198.51.100.7/32"]);
      const res = await api(emu, "GET", `/v3/voice_out_trunks/${t.id}?include=dids`);
      assert.equal(res.body.data.attributes.status, "blocked");
      assert.equal(res.body.data.attributes.threshold_amount, "250.0");
      assert.deepEqual(res.body.data.relationships.dids.data, [{ type: "dids", id: DEFAULT_DID_IDS.plain[0] }]);
    });

    it("may do what only DIDWW staff can: ip_only, explicit credentials, read-only fields", async function () {
      const emu = await start({ maskCredentials: false });
      const t = await createTrunk(emu);
      emu.store.didww.updateTrunk(t.id, { authentication_method: { type: "ip_only", attributes: { allowed_sip_ips: ["11.0.0.0"] } }, threshold_reached: true, spent_amount: "12.5" });
      let res = await api(emu, "GET", `/v3/voice_out_trunks/${t.id}`);
      assert.deepEqual(res.body.data.attributes.authentication_method, { type: "ip_only", attributes: { allowed_sip_ips: ["11.0.0.0/32"], tech_prefix: null } });
      assert.equal(res.body.data.attributes.threshold_reached, true);
      assert.equal(res.body.data.meta.spent_amount, "12.5");
      emu.store.didww.updateTrunk(t.id, { authentication_method: { type: "credentials_and_ip", attributes: { allowed_sip_ips: ["10.0.0.1"], username: "rotated1", password: "rotated2" } } });
      res = await api(emu, "GET", `/v3/voice_out_trunks/${t.id}`);
      assert.equal(res.body.data.attributes.authentication_method.attributes.password, "rotated2");
    });

    it("rejects invalid edits with the API's own error texts, and unknown trunks/attributes", async function () {
      const emu = await start();
      const t = await createTrunk(emu);
      assert.throws(() => emu.store.didww.updateTrunk(t.id, { capacity_limit: -1 }), (e: unknown) => {
        assert.ok(e instanceof DidwwStoreError);
        assert.deepEqual(e.errors.map((x) => x.detail), ["capacity_limit - must be greater than or equal to 0"]);
        return true;
      });
      assert.throws(() => emu.store.didww.updateTrunk(t.id, { colour: "red" }), /unknown trunk attribute\(s\): colour/);
      assert.throws(() => emu.store.didww.updateTrunk("nope", { name: "x" }), /not found/);
      assert.throws(() => emu.store.didww.updateTrunk(t.id, { id: "another" }), /cannot change/);
      assert.throws(() => emu.store.didww.updateTrunk(t.id, { dids: ["00000000-0000-4000-8000-000000000000"] }), /dids - is invalid/);
      assert.equal(emu.store.didww.getTrunk(t.id)!.capacity_limit, null, "nothing changed");
    });

    it("returns copies: mutating a result does not change the state", async function () {
      const emu = await start();
      const t = await createTrunk(emu);
      const copy = emu.store.didww.getTrunk(t.id)!;
      copy.name = "mutated";
      copy.dids.push("x");
      assert.equal(emu.store.didww.getTrunk(t.id)!.name, "t");
      assert.deepEqual(emu.store.didww.getTrunk(t.id)!.dids, []);
    });

    it("putTrunk inserts with defaults or replaces; deleteTrunk makes the API say 404", async function () {
      const emu = await start();
      const t = emu.store.didww.putTrunk(twilioTrunk("put"));
      assert.match(t.id, UUID);
      assert.equal(t.threshold_amount, "3000.0");
      assert.equal(t.rtp_timeout, 30);
      const replaced = emu.store.didww.putTrunk({ ...twilioTrunk("replaced"), id: t.id, capacity_limit: 2 });
      assert.equal(replaced.name, "replaced");
      assert.equal(emu.store.didww.listTrunks().length, 1);
      assert.throws(() => emu.store.didww.putTrunk({ name: "incomplete" }), /authentication_method is required|on_cli_mismatch_action is required/);
      assert.equal(emu.store.didww.deleteTrunk(t.id), true);
      assert.equal(emu.store.didww.deleteTrunk(t.id), false);
      assert.equal((await api(emu, "GET", `/v3/voice_out_trunks/${t.id}`)).status, 404);
    });

    it("addDid / listDids / deleteDid (which also drops the DID from trunks)", async function () {
      const emu = await start();
      const did = emu.store.didww.addDid({ number: "4420700000000", emergency_enabled: true });
      assert.match(did.id, UUID);
      assert.equal(emu.store.didww.listDids().length, DEFAULT_DIDS.length + 1);
      const t = await createTrunk(emu, {}, { relationships: { emergency_dids: { data: [{ type: "dids", id: did.id }] } } });
      assert.equal(emu.store.didww.deleteDid(did.id), true);
      assert.deepEqual(emu.store.didww.getTrunk(t.id)!.emergency_dids, []);
      assert.throws(() => emu.store.didww.addDid({ number: "" }), /needs a number/);
    });

    it("reset() returns to the default DIDs and no trunks (plus the seed)", async function () {
      const emu = await start();
      await createTrunk(emu);
      emu.store.didww.deleteDid(DEFAULT_DIDS[0].id);
      emu.store.didww.reset();
      assert.equal(emu.store.didww.listTrunks().length, 0);
      assert.deepEqual(emu.store.didww.listDids(), DEFAULT_DIDS.map((d) => ({ ...d })));
    });
  });

  describe("admin routes", function () {
    it("need X-Emulator-Token (except /_emulator/health)", async function () {
      const emu = await start({ adminToken: "s3cret" });
      assert.equal(emu.adminToken, "s3cret");
      assert.equal((await api(emu, "GET", "/_emulator/health")).status, 200);
      for (const headers of [{}, { "X-Emulator-Token": "wrong" }, { "X-Emulator-Token": API_KEY }]) {
        const res = await api(emu, "GET", "/_emulator/didww/trunks", { headers });
        assert.equal(res.status, 401);
      }
      assert.equal((await api(emu, "GET", "/_emulator/didww/trunks", { headers: { "X-Emulator-Token": "s3cret" } })).status, 200);
      assert.equal((await api(emu, "GET", "/_emulator/nothing", { headers: { "X-Emulator-Token": "s3cret" } })).status, 404);
    });

    it("edit trunks and DIDs out of band over HTTP", async function () {
      const emu = await start();
      const h = { "X-Emulator-Token": emu.adminToken, "Content-Type": "application/json" };
      const t = await createTrunk(emu);
      let res = await api(emu, "PATCH", `/_emulator/didww/trunks/${t.id}`, { headers: h, body: { status: "blocked", name: "drifted" } });
      assert.equal(res.status, 200);
      assert.equal(res.body.trunk.status, "blocked");
      assert.equal((await api(emu, "GET", `/v3/voice_out_trunks/${t.id}`)).body.data.attributes.name, "drifted");
      res = await api(emu, "PATCH", `/_emulator/didww/trunks/${t.id}`, { headers: h, body: { rtp_timeout: 5 } });
      assert.equal(res.status, 400);
      assert.deepEqual(res.body.errors.map((e: any) => e.detail), ["rtp_timeout - must be greater than or equal to 30"]);
      assert.equal((await api(emu, "PATCH", "/_emulator/didww/trunks/missing", { headers: h, body: { name: "x" } })).status, 404);
      res = await api(emu, "GET", `/_emulator/didww/trunks/${t.id}`, { headers: h });
      assert.match(res.body.trunk.authentication_method.attributes.password, /^[A-Za-z0-9]{16}$/, "full credentials");
      res = await api(emu, "POST", "/_emulator/didww/trunks", { headers: h, body: twilioTrunk("posted") });
      assert.equal(res.status, 201);
      const posted = res.body.trunk.id;
      res = await api(emu, "PUT", `/_emulator/didww/trunks/${posted}`, { headers: h, body: twilioTrunk("put") });
      assert.equal(res.body.trunk.name, "put");
      assert.deepEqual((await api(emu, "GET", "/_emulator/didww/trunks", { headers: h })).body.trunks.map((x: any) => x.name), ["drifted", "put"]);
      assert.equal((await api(emu, "DELETE", `/_emulator/didww/trunks/${posted}`, { headers: h })).status, 204);
      assert.equal((await api(emu, "GET", `/v3/voice_out_trunks/${posted}`)).status, 404);
      res = await api(emu, "POST", "/_emulator/didww/dids", { headers: h, body: { number: "15550009999", emergency_enabled: true } });
      assert.equal(res.status, 201);
      assert.equal((await api(emu, "GET", `/v3/dids/${res.body.did.id}`)).body.data.attributes.number, "15550009999");
      assert.equal((await api(emu, "DELETE", `/_emulator/didww/dids/${res.body.did.id}`, { headers: h })).status, 204);
      assert.equal((await api(emu, "POST", "/_emulator/didww/trunks", { headers: h, body: "{oops" })).status, 400);
      assert.equal((await api(emu, "POST", "/_emulator/reset", { headers: h })).status, 204);
      assert.equal(emu.store.didww.listTrunks().length, 0);
    });
  });

  describe("default DIDs and seeds", function () {
    it("DEFAULT_DIDS: at least 6, at least 3 emergency-enabled, stable UUIDs, E.164 numbers without +", function () {
      assert.ok(DEFAULT_DIDS.length >= 6);
      assert.ok(DEFAULT_DIDS.filter((d) => d.emergency_enabled).length >= 3);
      for (const d of DEFAULT_DIDS) {
        assert.match(d.id, UUID);
        assert.match(d.number, /^[1-9]\d{7,14}$/);
      }
      assert.equal(new Set(DEFAULT_DIDS.map((d) => d.id)).size, DEFAULT_DIDS.length);
      // The ids DIDWW's own examples use, so those exchanges replay unchanged.
      assert.deepEqual(DEFAULT_DIDS.slice(0, 3).map((d) => d.id), ["0b5d4ca6-7002-4f19-a678-f5be95538e9b", "f10d40c7-fd0b-4d63-bb9b-27810a1a8f5c", "a2b3c4d5-e6f7-8901-abcd-ef1234567890"]);
      assert.ok(Object.isFrozen(DEFAULT_DIDS) && Object.isFrozen(DEFAULT_DIDS[0]));
    });

    it("a seed object adds DIDs and trunks (flat or JSON:API form) to the defaults", async function () {
      const emu = await start({
        seed: {
          dids: [{ id: "5eed0000-0000-4000-8000-00000000d1d1", number: "15551230000", emergency_enabled: true }],
          voice_out_trunks: [
            { id: "5eed0000-0000-4000-8000-000000000001", ...twilioTrunk("flat"), emergency_dids: ["5eed0000-0000-4000-8000-00000000d1d1"] },
            { id: "5eed0000-0000-4000-8000-000000000002", type: "voice_out_trunks", attributes: { ...twilioTrunk("jsonapi"), capacity_limit: 3 } },
          ],
        },
      });
      assert.equal(emu.store.didww.listDids().length, DEFAULT_DIDS.length + 1);
      const res = await api(emu, "GET", "/v3/voice_out_trunks?include=emergency_dids");
      assert.deepEqual(res.body.data.map((t: any) => [t.id, t.attributes.name]), [
        ["5eed0000-0000-4000-8000-000000000001", "flat"],
        ["5eed0000-0000-4000-8000-000000000002", "jsonapi"],
      ]);
      assert.equal(res.body.included[0].attributes.number, "15551230000");
      assert.equal(res.body.data[1].attributes.capacity_limit, 3);
    });

    it("a seed file works the same; default_dids: false drops the defaults; errors name the item", async function () {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), "sip-emu-"));
      try {
        const seedFile = path.join(dir, "seed.json");
        fs.writeFileSync(seedFile, JSON.stringify({ didww: { default_dids: false, dids: [{ number: "15550000001" }], trunks: [twilioTrunk("from file")] } }));
        const emu = await start({ seed: seedFile });
        assert.deepEqual(emu.store.didww.listDids().map((d) => d.number), ["15550000001"]);
        assert.deepEqual(emu.store.didww.listTrunks().map((t) => t.name), ["from file"]);
        fs.writeFileSync(seedFile, JSON.stringify({ voice_out_trunks: [twilioTrunk("ok"), { ...twilioTrunk("bad"), rtp_timeout: 1 }] }));
        await assert.rejects(startEmulator({ port: 0, seed: seedFile }), /seed file .*voice_out_trunks\[1\].*rtp_timeout - must be greater than or equal to 30/);
        fs.writeFileSync(seedFile, "[");
        await assert.rejects(startEmulator({ port: 0, seed: seedFile }), /is not valid JSON/);
        await assert.rejects(startEmulator({ port: 0, seed: path.join(dir, "missing.json") }), /cannot read seed file/);
      } finally {
        fs.rmSync(dir, { recursive: true, force: true });
      }
    });
  });
});
