/**
 * DIDWW protocol behaviour: authentication, content negotiation, the version header, create
 * defaults, credentials (generation, masking, transitions, regeneration), links, DIDs, routes.
 */
import * as assert from "node:assert/strict";
import * as http from "node:http";
import { CREATE_DEFAULTS, DEFAULT_DIDS, DEFAULT_DID_IDS } from "../../emulator";
import { UNAUTHORIZED } from "../../emulator/didww/messages";
import { API_KEY, AUTH, JSONAPI, api, createTrunk, patchDoc, start, stopAll, trunkDoc } from "./helpers";

const MASKED = /^.{3}\*{6}$/;
const [E1, E2] = DEFAULT_DID_IDS.emergency;
const [P1] = DEFAULT_DID_IDS.plain;
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

    it("maskCredentialsOnWrites: POST, PATCH, PUT and an attribute-less PATCH answer masked; the account keeps the real pair", async function () {
      const emu = await start({ maskCredentialsOnWrites: true });
      const created = await createTrunk(emu);
      const shown = created.attributes.authentication_method.attributes;
      const real = emu.store.didww.getTrunk(created.id)!.authentication_method;
      assert.equal(real.type, "credentials_and_ip");
      if (real.type !== "credentials_and_ip") return;
      assert.match(real.attributes.password, GENERATED);
      assert.deepEqual([shown.username, shown.password], [`${real.attributes.username.slice(0, 3)}******`, `${real.attributes.password.slice(0, 3)}******`]);
      const path = `/v3/voice_out_trunks/${created.id}`;
      for (const [method, attributes] of [["PATCH", { name: "n" }], ["PUT", { name: "m" }], ["PATCH", {}]] as const) {
        const res = await api(emu, method, path, { body: patchDoc(created.id, attributes) });
        assert.equal(res.status, 200, res.text);
        assert.match(res.body.data.attributes.authentication_method.attributes.password, MASKED, `${method} ${JSON.stringify(attributes)}`);
      }
      const switched = await api(emu, "PATCH", path, { body: patchDoc(created.id, { authentication_method: { type: "credentials_and_ip", attributes: { allowed_sip_ips: ["0.0.0.0/0"] } } }) });
      assert.match(switched.body.data.attributes.authentication_method.attributes.username, MASKED);
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

  describe("ids in any case (read as PostgreSQL reads a uuid)", function () {
    const upper = (id: string) => id.toUpperCase();
    const mixed = (id: string) => id.replace(/[a-f]/g, (c, i: number) => (i % 2 ? c.toUpperCase() : c));

    it("path ids in upper or mixed case name the same trunk; answers carry the lower-case id", async function () {
      const emu = await start();
      const t = await createTrunk(emu, {}, { relationships: { emergency_dids: { data: [{ type: "dids", id: E1 }] } } });
      assert.match(t.id, /^[0-9a-f-]{36}$/);
      const one = await api(emu, "GET", `/v3/voice_out_trunks/${upper(t.id)}`);
      assert.equal(one.status, 200, one.text);
      assert.equal(one.body.data.id, t.id);
      assert.ok(one.body.data.relationships.dids.links.self.includes(`/voice_out_trunks/${t.id}/`), "links use the stored id");
      const patched = await api(emu, "PATCH", `/v3/voice_out_trunks/${mixed(t.id)}`, { body: patchDoc(upper(t.id), { name: "renamed" }) });
      assert.equal(patched.status, 200, patched.text);
      assert.equal(patched.body.data.id, t.id);
      assert.equal(emu.store.didww.getTrunk(t.id)!.name, "renamed");
      const linkage = await api(emu, "GET", `/v3/voice_out_trunks/${upper(t.id)}/relationships/emergency_dids`);
      assert.deepEqual(linkage.body.data, [{ type: "dids", id: E1 }]);
      assert.equal((await api(emu, "GET", `/v3/voice_out_trunks/${upper(t.id)}/emergency_dids`)).body.data[0].id, E1);
      assert.equal((await api(emu, "DELETE", `/v3/voice_out_trunks/${upper(t.id)}`)).status, 204);
      assert.equal(emu.store.didww.listTrunks().length, 0);
    });

    it("DID ids in relationship linkage (POST and PATCH) are stored and answered in lower case, once each", async function () {
      const emu = await start();
      const t = await createTrunk(emu, {}, { relationships: { emergency_dids: { data: [{ type: "dids", id: upper(E1) }, { type: "dids", id: E1 }, { type: "dids", id: mixed(E2) }] } } });
      assert.deepEqual(emu.store.didww.getTrunk(t.id)!.emergency_dids, [E1, E2]);
      const res = await api(emu, "PATCH", `/v3/voice_out_trunks/${t.id}?include=dids,emergency_dids`, {
        body: patchDoc(t.id, {}, { relationships: { dids: { data: [{ type: "dids", id: upper(P1) }] } } }),
      });
      assert.equal(res.status, 200, res.text);
      assert.deepEqual(res.body.data.relationships.dids.data, [{ type: "dids", id: P1 }]);
      assert.deepEqual(res.body.data.relationships.emergency_dids.data, [{ type: "dids", id: E1 }, { type: "dids", id: E2 }]);
      assert.deepEqual(res.body.included.map((d: any) => d.id), [P1, E1, E2]);
    });

    it("filter[id] on trunks and DIDs, GET /v3/dids/{id} and regenerate take any case", async function () {
      const emu = await start({ maskCredentials: false });
      const [a, b] = [await createTrunk(emu, { name: "a" }), await createTrunk(emu, { name: "b" })];
      const list = await api(emu, "GET", `/v3/voice_out_trunks?filter[id]=${upper(b.id)},${mixed(a.id)}`);
      assert.deepEqual(list.body.data.map((t: any) => t.id), [a.id, b.id]);
      const dids = await api(emu, "GET", `/v3/dids?filter[id]=${upper(E1)}`);
      assert.deepEqual(dids.body.data.map((d: any) => d.id), [E1]);
      const did = await api(emu, "GET", `/v3/dids/${upper(E1)}`);
      assert.equal(did.status, 200);
      assert.equal(did.body.data.id, E1);
      const regenerated = await api(emu, "POST", "/v3/voice_out_trunk_regenerate_credentials", {
        body: { data: { type: "voice_out_trunk_regenerate_credentials", relationships: { voice_out_trunk: { data: { type: "voice_out_trunks", id: upper(a.id) } } } } },
      });
      assert.equal(regenerated.status, 201, regenerated.text);
      assert.equal(regenerated.body.data.id, a.id);
      const now = emu.store.didww.getTrunk(a.id)!.authentication_method;
      assert.ok(now.type === "credentials_and_ip" && now.attributes.password !== a.attributes.authentication_method.attributes.password, "new credentials");
    });

    it("out-of-band edits take any case and store lower case; text that is not a UUID is left alone", async function () {
      const emu = await start();
      const id = "5EED0000-0000-4000-8000-0000000000AB";
      const put = emu.store.didww.putTrunk({ id, name: "x", on_cli_mismatch_action: "send_original_cli", authentication_method: AUTH.twilio, dids: [upper(P1)] });
      assert.equal(put.id, id.toLowerCase());
      assert.deepEqual(put.dids, [P1]);
      assert.equal(emu.store.didww.getTrunk(id)!.id, id.toLowerCase());
      assert.equal(emu.store.didww.updateTrunk(mixed(id.toLowerCase()), { name: "y" }).name, "y");
      assert.equal((await api(emu, "GET", `/v3/voice_out_trunks/${id}`)).body.data.id, id.toLowerCase());
      const notUuid = await api(emu, "GET", "/v3/voice_out_trunks/NOT-A-UUID");
      assert.equal(notUuid.status, 404);
      assert.equal(notUuid.body.errors[0].detail, "The record identified by NOT-A-UUID could not be found.");
    });
  });

  describe("include on writes (as on GET)", function () {
    it("POST ?include=dids,emergency_dids answers the document a GET with that include gives", async function () {
      const emu = await start({ maskCredentials: false });
      const res = await api(emu, "POST", "/v3/voice_out_trunks?include=dids,emergency_dids", {
        body: trunkDoc(
          { name: "inc", on_cli_mismatch_action: "send_original_cli", authentication_method: AUTH.credentials },
          { relationships: { dids: { data: [{ type: "dids", id: P1 }] }, emergency_dids: { data: [{ type: "dids", id: E1 }, { type: "dids", id: E2 }] } } },
        ),
      });
      assert.equal(res.status, 201, res.text);
      assert.deepEqual(res.body.data.relationships.dids.data, [{ type: "dids", id: P1 }]);
      assert.deepEqual(res.body.included.map((d: any) => d.id), [P1, E1, E2]);
      const read = await api(emu, "GET", `/v3/voice_out_trunks/${res.body.data.id}?include=dids,emergency_dids`);
      assert.deepEqual(res.body, read.body);
    });

    it("PATCH ?include=emergency_dids answers the document a GET with that include gives", async function () {
      const emu = await start({ maskCredentials: false });
      const t = await createTrunk(emu);
      const res = await api(emu, "PATCH", `/v3/voice_out_trunks/${t.id}?include=emergency_dids`, {
        body: patchDoc(t.id, { name: "p" }, { relationships: { emergency_dids: { data: [{ type: "dids", id: E2 }] } } }),
      });
      assert.equal(res.status, 200, res.text);
      assert.deepEqual(res.body.data.relationships.emergency_dids.data, [{ type: "dids", id: E2 }]);
      assert.equal(res.body.data.relationships.dids.data, undefined, "dids not asked for");
      assert.deepEqual(res.body, (await api(emu, "GET", `/v3/voice_out_trunks/${t.id}?include=emergency_dids`)).body);
    });

    it("a bad include is the GET's 400 and the write does not happen", async function () {
      const emu = await start();
      const t = await createTrunk(emu);
      const expected = { errors: [{ title: "Invalid include", detail: "default_did is not a valid includable relationship of voice_out_trunks", code: "112", status: "400" }] };
      const post = await api(emu, "POST", "/v3/voice_out_trunks?include=default_did", { body: trunkDoc({ name: "no", on_cli_mismatch_action: "send_original_cli", authentication_method: AUTH.twilio }) });
      assert.deepEqual([post.status, post.body], [400, expected]);
      const patch = await api(emu, "PATCH", `/v3/voice_out_trunks/${t.id}?include=default_did`, { body: patchDoc(t.id, { name: "no" }) });
      assert.deepEqual([patch.status, patch.body], [400, expected]);
      assert.deepEqual(emu.store.didww.listTrunks().map((x) => x.name), ["t"]);
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
