/**
 * DIDWW protocol behaviour: authentication, content negotiation, the version header, create
 * defaults, credentials (generation, masking, transitions, regeneration), links, DIDs, routes.
 */
import * as assert from "node:assert/strict";
import * as http from "node:http";
import { CREATE_DEFAULTS, DEFAULT_DIDS } from "../../emulator";
import { UNAUTHORIZED } from "../../emulator/didww/messages";
import { API_KEY, AUTH, JSONAPI, api, createTrunk, patchDoc, start, stopAll, trunkDoc } from "./helpers";

const MASKED = /^.{3}\*{6}$/;
const GENERATED = /^[A-Za-z0-9]{16}$/;

function rawGet(url: string, path: string, headers: Record<string, string>): Promise<{ status: number; body: any }> {
  const u = new URL(url);
  return new Promise((resolve, reject) => {
    const req = http.request({ host: u.hostname, port: u.port, path, method: "GET", headers }, (res) => {
      let text = "";
      res.on("data", (c) => (text += c));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, body: JSON.parse(text) }));
    });
    req.on("error", reject);
    req.end();
  });
}

describe("DIDWW protocol", function () {
  afterEach(stopAll);

  describe("Api-Key", function () {
    const cases: Array<[string, Record<string, string | undefined>, string[] | undefined, number]> = [
      ["missing", { "Api-Key": undefined }, undefined, 401],
      ["empty", { "Api-Key": "" }, undefined, 401],
      ["with a Bearer prefix (DIDWW: send only the key)", { "Api-Key": `Bearer ${API_KEY}` }, undefined, 401],
      ["an Authorization header instead", { "Api-Key": undefined, Authorization: `Bearer ${API_KEY}` }, undefined, 401],
      ["any non-empty key when apiKeys is not set", { "Api-Key": "whatever" }, undefined, 200],
      ["a key not in apiKeys", { "Api-Key": "other" }, ["k1", "k2"], 401],
      ["a key in apiKeys", { "Api-Key": "k2" }, ["k1", "k2"], 200],
    ];
    for (const [name, headers, apiKeys, status] of cases) {
      it(`${name} → ${status}`, async function () {
        const emu = await start({ apiKeys });
        for (const path of ["/v3/voice_out_trunks", "/v3/dids"]) {
          const res = await api(emu, "GET", path, { headers });
          assert.equal(res.status, status);
          if (status === 401) assert.deepEqual(res.body, { errors: [UNAUTHORIZED] });
        }
      });
    }

    it("a 401 on a write changes nothing", async function () {
      const emu = await start({ apiKeys: ["k1"] });
      const res = await api(emu, "POST", "/v3/voice_out_trunks", { headers: { "Api-Key": "nope" }, body: trunkDoc({ name: "x", on_cli_mismatch_action: "send_original_cli", authentication_method: AUTH.twilio }) });
      assert.equal(res.status, 401);
      assert.equal(emu.store.didww.listTrunks().length, 0);
    });
  });

  describe("content negotiation", function () {
    const cases: Array<[string, string, Record<string, string | undefined>, number, string?]> = [
      ["POST with application/json", "POST", { "Content-Type": "application/json" }, 415, "application/json"],
      ["POST with a media type parameter", "POST", { "Content-Type": `${JSONAPI}; charset=utf-8` }, 415, `${JSONAPI}; charset=utf-8`],
      ["POST without Content-Type", "POST", { "Content-Type": undefined }, 415, ""],
      ["GET with Accept application/json", "GET", { Accept: "application/json" }, 406, "application/json"],
      ["GET with Accept carrying a parameter", "GET", { Accept: `${JSONAPI}; version=1` }, 406, `${JSONAPI}; version=1`],
      ["GET with Accept */*", "GET", { Accept: "*/*" }, 200],
      ["GET with a list that includes the JSON:API type", "GET", { Accept: `application/json, ${JSONAPI}` }, 200],
      ["GET without Accept", "GET", { Accept: undefined }, 200],
      ["GET without Content-Type", "GET", { "Content-Type": undefined }, 200],
    ];
    for (const [name, method, headers, status, specified] of cases) {
      it(`${name} → ${status}`, async function () {
        const emu = await start();
        const body = method === "POST" ? trunkDoc({ name: "x", on_cli_mismatch_action: "send_original_cli", authentication_method: AUTH.twilio }) : undefined;
        const res = await api(emu, method, "/v3/voice_out_trunks", { headers, body });
        assert.equal(res.status, status, res.text);
        if (status === 415) {
          assert.deepEqual(res.body.errors[0], {
            title: "Unsupported media type",
            detail: `All requests that create or update must use the '${JSONAPI}' Content-Type. This request specified '${specified}'.`,
            code: "415",
            status: "415",
          });
          assert.equal(emu.store.didww.listTrunks().length, 0);
        }
        if (status === 406) {
          assert.equal(res.body.errors[0].code, "406");
          assert.equal(res.body.errors[0].detail, `All requests must use the '${JSONAPI}' Accept without media type parameters. This request specified '${specified}'.`);
        }
        if (status !== 415 || method !== "POST") assert.equal(res.headers.get("content-type"), JSONAPI);
      });
    }
  });

  describe("X-DIDWW-API-Version", function () {
    const cases: Array<[string | undefined, number]> = [
      [undefined, 200],
      ["2026-04-16", 200],
      ["2022-05-10", 200],
      ["2021-12-15", 200],
      ["2026-11-19", 400],
      ["latest", 400],
    ];
    for (const [version, status] of cases) {
      it(`${version ?? "absent"} → ${status}${status === 200 ? ", meta.api_version 2026-04-16" : ""}`, async function () {
        const emu = await start();
        const t = await createTrunk(emu);
        for (const path of ["/v3/voice_out_trunks", `/v3/voice_out_trunks/${t.id}`, "/v3/dids"]) {
          const res = await api(emu, "GET", path, { headers: { "X-DIDWW-API-Version": version } });
          assert.equal(res.status, status);
          if (status === 200) assert.equal(res.body.meta.api_version, "2026-04-16");
          else assert.equal(res.body.errors[0].title, "Unsupported API version");
        }
      });
    }
  });

  describe("create", function () {
    it("fills the recorded defaults and returns generated 16-character credentials in full", async function () {
      const emu = await start();
      const res = await api(emu, "POST", "/v3/voice_out_trunks", {
        body: trunkDoc({ name: "Trunk credentials_and_ip", on_cli_mismatch_action: "send_original_cli", authentication_method: { type: "credentials_and_ip", attributes: { allowed_sip_ips: ["192.168.1.1"] } } }),
      });
      assert.equal(res.status, 201);
      const { attributes: a, meta, id } = res.body.data;
      for (const [k, value] of Object.entries(CREATE_DEFAULTS)) {
        if (k === "spent_amount") assert.equal(meta.spent_amount, value);
        else assert.deepEqual(a[k], value, k);
      }
      assert.equal(a.threshold_amount, "3000.0");
      assert.equal(a.rtp_timeout, 30);
      assert.match(a.created_at, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
      assert.deepEqual(Object.keys(a.authentication_method.attributes), ["allowed_sip_ips", "tech_prefix", "username", "password"]);
      assert.match(a.authentication_method.attributes.username, GENERATED);
      assert.match(a.authentication_method.attributes.password, GENERATED);
      assert.notEqual(a.authentication_method.attributes.username, a.authentication_method.attributes.password);
      assert.deepEqual(a.authentication_method.attributes.allowed_sip_ips, ["192.168.1.1/32"]);
      assert.equal(emu.store.didww.getTrunk(id)!.authentication_method.type, "credentials_and_ip");
    });

    it("every trunk gets its own id and credentials", async function () {
      const emu = await start();
      const [a, b] = await Promise.all([createTrunk(emu), createTrunk(emu)]);
      assert.notEqual(a.id, b.id);
      assert.notEqual(a.attributes.authentication_method.attributes.password, b.attributes.authentication_method.attributes.password);
    });
  });

  describe("credential masking", function () {
    it("GET one and GET list mask username/password (3 chars + ******) by default; POST and PATCH show them in full", async function () {
      const emu = await start();
      const created = await createTrunk(emu);
      const full = created.attributes.authentication_method.attributes;
      const one = (await api(emu, "GET", `/v3/voice_out_trunks/${created.id}`)).body.data.attributes.authentication_method.attributes;
      const list = (await api(emu, "GET", "/v3/voice_out_trunks")).body.data[0].attributes.authentication_method.attributes;
      for (const shown of [one, list]) {
        assert.match(shown.username, MASKED);
        assert.equal(shown.username, `${full.username.slice(0, 3)}******`);
        assert.equal(shown.password, `${full.password.slice(0, 3)}******`);
      }
      const patched = await api(emu, "PATCH", `/v3/voice_out_trunks/${created.id}`, { body: patchDoc(created.id, { name: "n" }) });
      assert.equal(patched.body.data.attributes.authentication_method.attributes.password, full.password);
      const put = await api(emu, "PUT", `/v3/voice_out_trunks/${created.id}`, { body: patchDoc(created.id, { name: "m" }) });
      assert.equal(put.body.data.attributes.authentication_method.attributes.password, full.password);
    });

    it("maskCredentials: false returns them in full on GET too (as the Postman recordings show)", async function () {
      const emu = await start({ maskCredentials: false });
      const created = await createTrunk(emu);
      const one = (await api(emu, "GET", `/v3/voice_out_trunks/${created.id}`)).body.data.attributes.authentication_method.attributes;
      assert.equal(one.password, created.attributes.authentication_method.attributes.password);
    });
  });

  describe("authentication_method transitions", function () {
    it("credentials_and_ip → twilio clears the credentials; → credentials_and_ip generates new ones", async function () {
      const emu = await start({ maskCredentials: false });
      const t = await createTrunk(emu);
      const first = t.attributes.authentication_method.attributes;
      let res = await api(emu, "PATCH", `/v3/voice_out_trunks/${t.id}`, { body: patchDoc(t.id, { authentication_method: AUTH.twilio }) });
      assert.equal(res.status, 200);
      assert.deepEqual(res.body.data.attributes.authentication_method, AUTH.twilio);
      assert.deepEqual(emu.store.didww.getTrunk(t.id)!.authentication_method, AUTH.twilio, "nothing of the old method is kept");
      res = await api(emu, "PATCH", `/v3/voice_out_trunks/${t.id}`, {
        body: patchDoc(t.id, { authentication_method: { type: "credentials_and_ip", attributes: { allowed_sip_ips: ["0.0.0.0/0"] } } }),
      });
      const second = res.body.data.attributes.authentication_method.attributes;
      assert.match(second.username, GENERATED);
      assert.notEqual(second.username, first.username);
      assert.notEqual(second.password, first.password);
      assert.deepEqual(second.allowed_sip_ips, ["0.0.0.0/0"]);
      assert.equal(second.tech_prefix, null);
    });

    it("the same type replaces the method wholly but keeps the credentials", async function () {
      const emu = await start({ maskCredentials: false });
      const t = await createTrunk(emu, { authentication_method: { type: "credentials_and_ip", attributes: { allowed_sip_ips: ["203.0.113.1"], tech_prefix: "9" } } });
      const before = t.attributes.authentication_method.attributes;
      const res = await api(emu, "PATCH", `/v3/voice_out_trunks/${t.id}`, {
        body: patchDoc(t.id, { authentication_method: { type: "credentials_and_ip", attributes: { allowed_sip_ips: ["192.0.2.10/32", "192.0.2.11"] } } }),
      });
      assert.deepEqual(res.body.data.attributes.authentication_method.attributes, {
        allowed_sip_ips: ["192.0.2.10/32", "192.0.2.11/32"],
        tech_prefix: null,
        username: before.username,
        password: before.password,
      });
    });

    it("username/password sent by a client are ignored (read-only), never set", async function () {
      const emu = await start({ maskCredentials: false });
      const t = await createTrunk(emu, { authentication_method: { type: "credentials_and_ip", attributes: { allowed_sip_ips: ["10.0.0.1"], username: "mine", password: "secret" } } });
      assert.match(t.attributes.authentication_method.attributes.username, GENERATED);
    });

    it("ip_only → credentials_and_ip and ip_only → twilio are allowed (recorded)", async function () {
      const emu = await start();
      for (const target of [{ type: "credentials_and_ip", attributes: { allowed_sip_ips: ["0.0.0.0/0"] } }, AUTH.twilio]) {
        const t = emu.store.didww.putTrunk({ name: "staff", on_cli_mismatch_action: "send_original_cli", authentication_method: { type: "ip_only", attributes: { allowed_sip_ips: ["192.168.1.2"] } } });
        const res = await api(emu, "PATCH", `/v3/voice_out_trunks/${t.id}`, { body: patchDoc(t.id, { authentication_method: target }) });
        assert.equal(res.status, 200, res.text);
        assert.equal(res.body.data.attributes.authentication_method.type, target.type);
      }
    });

    it("regenerate answers 201 {id, type} and the trunk has a new pair", async function () {
      const emu = await start({ maskCredentials: false });
      const t = await createTrunk(emu);
      const old = t.attributes.authentication_method.attributes;
      const res = await api(emu, "POST", "/v3/voice_out_trunk_regenerate_credentials", {
        body: { data: { type: "voice_out_trunk_regenerate_credentials", relationships: { voice_out_trunk: { data: { type: "voice_out_trunks", id: t.id } } } } },
      });
      assert.equal(res.status, 201);
      assert.deepEqual(res.body, { data: { id: t.id, type: "voice_out_trunk_regenerate_credentials" }, meta: { api_version: "2026-04-16" } });
      const now = (await api(emu, "GET", `/v3/voice_out_trunks/${t.id}`)).body.data.attributes.authentication_method.attributes;
      assert.match(now.username, GENERATED);
      assert.notEqual(now.username, old.username);
      assert.notEqual(now.password, old.password);
      assert.deepEqual(now.allowed_sip_ips, old.allowed_sip_ips);
    });
  });

  describe("links", function () {
    it("are built from the request's own Host (and X-Forwarded-Proto)", async function () {
      const emu = await start();
      const t = await createTrunk(emu);
      const res = await rawGet(emu.url, `/v3/voice_out_trunks/${t.id}`, { "Api-Key": API_KEY, Host: "didww.test:4443", "X-Forwarded-Proto": "https" });
      assert.equal(res.status, 200);
      assert.deepEqual(res.body.data.relationships.dids.links, {
        self: `https://didww.test:4443/v3/voice_out_trunks/${t.id}/relationships/dids`,
        related: `https://didww.test:4443/v3/voice_out_trunks/${t.id}/dids`,
      });
      const list = await rawGet(emu.url, "/v3/voice_out_trunks", { "Api-Key": API_KEY, Host: "localhost:1" });
      assert.equal(list.body.links.first, "http://localhost:1/v3/voice_out_trunks?page%5Bnumber%5D=1&page%5Bsize%5D=50");
    });

    it("relationship endpoints answer linkage and related DIDs", async function () {
      const emu = await start();
      const [d1, d2] = DEFAULT_DIDS;
      const t = await createTrunk(emu, {}, { relationships: { emergency_dids: { data: [{ type: "dids", id: d1.id }, { type: "dids", id: d2.id }] } } });
      const linkage = await api(emu, "GET", `/v3/voice_out_trunks/${t.id}/relationships/emergency_dids`);
      assert.equal(linkage.status, 200);
      assert.deepEqual(linkage.body.data, [{ type: "dids", id: d1.id }, { type: "dids", id: d2.id }]);
      assert.equal(linkage.body.links.self, t.relationships.emergency_dids.links.self);
      const related = await api(emu, "GET", t.relationships.emergency_dids.links.related.replace(emu.url, ""));
      assert.deepEqual(related.body.data.map((d: any) => d.attributes.number), [d1.number, d2.number]);
      assert.equal((await api(emu, "GET", `/v3/voice_out_trunks/${t.id}/relationships/bogus`)).status, 404);
    });
  });

  describe("delete and routes", function () {
    it("DELETE answers 204 with no body, then the trunk is gone (GET/DELETE 404)", async function () {
      const emu = await start();
      const t = await createTrunk(emu);
      const del = await api(emu, "DELETE", `/v3/voice_out_trunks/${t.id}`);
      assert.equal(del.status, 204);
      assert.equal(del.text, "");
      assert.equal((await api(emu, "GET", `/v3/voice_out_trunks/${t.id}`)).status, 404);
      const again = await api(emu, "DELETE", `/v3/voice_out_trunks/${t.id}`);
      assert.equal(again.status, 404);
      assert.equal(again.body.errors[0].detail, `The record identified by ${t.id} could not be found.`);
    });

    it("unknown routes and methods are JSON:API 404s", async function () {
      const emu = await start();
      for (const [method, path] of [["GET", "/v3/voice_in_trunks"], ["DELETE", "/v3/dids/x"], ["GET", "/v3/voice_out_trunk_regenerate_credentials"]]) {
        const res = await api(emu, method, path);
        assert.equal(res.status, 404);
        assert.equal(res.body.errors[0].detail, `No route matches ${method} ${path}`);
      }
      const outside = await api(emu, "GET", "/v2/anything");
      assert.equal(outside.status, 404);
    });
  });

  describe("DIDs", function () {
    it("GET /v3/dids lists the default DIDs with the recorded attribute set; GET one; unknown is 404", async function () {
      const emu = await start();
      const list = await api(emu, "GET", "/v3/dids");
      assert.equal(list.status, 200);
      assert.equal(list.body.meta.total_records, DEFAULT_DIDS.length);
      assert.deepEqual(list.body.data.map((d: any) => d.id), DEFAULT_DIDS.map((d) => d.id));
      assert.deepEqual(Object.keys(list.body.data[0].attributes), [
        "blocked", "capacity_limit", "description", "terminated", "awaiting_registration", "number", "expires_at",
        "channels_included_count", "created_at", "pending_removal", "dedicated_channels_count", "emergency_enabled",
      ]);
      const one = await api(emu, "GET", `/v3/dids/${DEFAULT_DIDS[0].id}`);
      assert.equal(one.body.data.attributes.number, DEFAULT_DIDS[0].number);
      assert.equal(one.body.data.relationships.voice_in_trunk.links.related, `${emu.didwwUrl}/dids/${DEFAULT_DIDS[0].id}/voice_in_trunk`);
      assert.equal((await api(emu, "GET", "/v3/dids/00000000-0000-4000-8000-000000000000")).status, 404);
    });

    it("filters DIDs by emergency_enabled and number; unknown filter is 400", async function () {
      const emu = await start();
      const emergency = await api(emu, "GET", "/v3/dids?filter[emergency_enabled]=true");
      assert.deepEqual(emergency.body.data.map((d: any) => d.id), DEFAULT_DIDS.filter((d) => d.emergency_enabled).map((d) => d.id));
      const byNumber = await api(emu, "GET", `/v3/dids?filter[number]=${DEFAULT_DIDS[3].number},${DEFAULT_DIDS[4].number}`);
      assert.equal(byNumber.body.meta.total_records, 2);
      const bad = await api(emu, "GET", "/v3/dids?filter[country]=US");
      assert.equal(bad.status, 400);
      assert.equal(bad.body.errors[0].detail, "country is not allowed.");
    });
  });
});
