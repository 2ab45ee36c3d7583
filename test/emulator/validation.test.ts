/**
 * Every validation rule, table-driven: the 422s (code "100", "<attribute> - <message>", pointer),
 * the 400s jsonapi-resources raises while parsing, and the relationship rules.
 */
import * as assert from "node:assert/strict";
import { DEFAULT_DID_IDS } from "../../emulator";
import { MSG } from "../../emulator/didww/messages";
import { AUTH, api, createTrunk, errorSummary, patchDoc, start, stopAll, trunkDoc } from "./helpers";

const BASE = { name: "Trunk", on_cli_mismatch_action: "send_original_cli", authentication_method: AUTH.credentials };
const A = (n: string) => `/data/attributes/${n}`;
const AUTHP = "/data/attributes/authentication_method";
const v = (attribute: string, message: string, pointer: string) => ({ detail: `${attribute} - ${message}`, pointer, code: "100", status: "422" });

/** [case, attributes merged over BASE (undefined deletes), expected errors] */
const CREATE_422: Array<[string, Record<string, unknown>, ReturnType<typeof v>[]]> = [
  ["name missing", { name: undefined }, [v("name", MSG.blank, A("name"))]],
  ["name empty", { name: "" }, [v("name", MSG.blank, A("name"))]],
  ["name blank", { name: "   " }, [v("name", MSG.blank, A("name"))]],
  ["name null", { name: null }, [v("name", MSG.blank, A("name"))]],
  ["name not a string", { name: 5 }, [v("name", MSG.invalid, A("name"))]],
  ["on_cli_mismatch_action missing", { on_cli_mismatch_action: undefined }, [v("on_cli_mismatch_action", MSG.blank, A("on_cli_mismatch_action"))]],
  ["on_cli_mismatch_action unknown", { on_cli_mismatch_action: "drop" }, [v("on_cli_mismatch_action", MSG.inclusion, A("on_cli_mismatch_action"))]],
  ["authentication_method missing", { authentication_method: undefined }, [v("authentication_method", MSG.blank, AUTHP)]],
  ["authentication_method null", { authentication_method: null }, [v("authentication_method", MSG.blank, AUTHP)]],
  ["authentication_method not an object", { authentication_method: "credentials_and_ip" }, [v("authentication_method", MSG.invalid, AUTHP)]],
  ["auth type missing", { authentication_method: { attributes: {} } }, [v("type", MSG.blank, `${AUTHP}/type`)]],
  ["auth type unknown", { authentication_method: { type: "digest", attributes: {} } }, [v("type", MSG.inclusion, `${AUTHP}/type`)]],
  ["auth type ip_only (recorded)", { authentication_method: { type: "ip_only", attributes: { allowed_sip_ips: ["192.168.1.1"] } } }, [v("type", MSG.notAllowedForCreation, `${AUTHP}/type`)]],
  ["credentials without allowed_sip_ips (recorded)", { authentication_method: { type: "credentials_and_ip", attributes: {} } }, [v("authentication_method", MSG.invalid, AUTHP)]],
  ["credentials without attributes", { authentication_method: { type: "credentials_and_ip" } }, [v("authentication_method", MSG.invalid, AUTHP)]],
  ["credentials with empty allowed_sip_ips", { authentication_method: { type: "credentials_and_ip", attributes: { allowed_sip_ips: [] } } }, [v("authentication_method", MSG.invalid, AUTHP)]],
  ["credentials with a bad IP", { authentication_method: { type: "credentials_and_ip", attributes: { allowed_sip_ips: ["192.168.1.300"] } } }, [v("authentication_method", MSG.invalid, AUTHP)]],
  ["credentials with an IPv4 prefix > 32", { authentication_method: { type: "credentials_and_ip", attributes: { allowed_sip_ips: ["10.0.0.0/33"] } } }, [v("authentication_method", MSG.invalid, AUTHP)]],
  ["credentials with an IPv6 prefix > 128", { authentication_method: { type: "credentials_and_ip", attributes: { allowed_sip_ips: ["2001:db8::/129"] } } }, [v("authentication_method", MSG.invalid, AUTHP)]],
  ["credentials with a host name", { authentication_method: { type: "credentials_and_ip", attributes: { allowed_sip_ips: ["sip.example.com"] } } }, [v("authentication_method", MSG.invalid, AUTHP)]],
  ["tech_prefix longer than 8", { authentication_method: { type: "credentials_and_ip", attributes: { allowed_sip_ips: ["10.0.0.1"], tech_prefix: "123456789" } } }, [v("authentication_method", MSG.invalid, AUTHP)]],
  ["tech_prefix with a letter", { authentication_method: { type: "credentials_and_ip", attributes: { allowed_sip_ips: ["10.0.0.1"], tech_prefix: "12a" } } }, [v("authentication_method", MSG.invalid, AUTHP)]],
  ["credentials with an unknown nested attribute", { authentication_method: { type: "credentials_and_ip", attributes: { allowed_sip_ips: ["10.0.0.1"], realm: "x" } } }, [v("authentication_method", MSG.invalid, AUTHP)]],
  ["twilio without sid (recorded)", { authentication_method: { type: "twilio", attributes: {} } }, [v("twilio_account_sid", MSG.blank, `${AUTHP}/attributes/twilio_account_sid`)]],
  ["twilio with empty sid", { authentication_method: { type: "twilio", attributes: { twilio_account_sid: "" } } }, [v("twilio_account_sid", MSG.blank, `${AUTHP}/attributes/twilio_account_sid`)]],
  ["twilio sid too short", { authentication_method: { type: "twilio", attributes: { twilio_account_sid: "AC123" } } }, [v("twilio_account_sid", MSG.invalid, `${AUTHP}/attributes/twilio_account_sid`)]],
  ["twilio sid wrong prefix", { authentication_method: { type: "twilio", attributes: { twilio_account_sid: `SK${"a".repeat(32)}` } } }, [v("twilio_account_sid", MSG.invalid, `${AUTHP}/attributes/twilio_account_sid`)]],
  ["twilio sid not hex", { authentication_method: { type: "twilio", attributes: { twilio_account_sid: `AC${"g".repeat(32)}` } } }, [v("twilio_account_sid", MSG.invalid, `${AUTHP}/attributes/twilio_account_sid`)]],
  ["twilio with allowed_sip_ips", { authentication_method: { type: "twilio", attributes: { twilio_account_sid: `AC${"a".repeat(32)}`, allowed_sip_ips: ["10.0.0.1"] } } }, [v("authentication_method", MSG.invalid, AUTHP)]],
  ["capacity_limit below 0", { capacity_limit: -1 }, [v("capacity_limit", MSG.greaterOrEqual(0), A("capacity_limit"))]],
  ["capacity_limit above 32767", { capacity_limit: 32768 }, [v("capacity_limit", MSG.lessOrEqual(32767), A("capacity_limit"))]],
  ["capacity_limit fraction", { capacity_limit: 1.5 }, [v("capacity_limit", MSG.notAnInteger, A("capacity_limit"))]],
  ["capacity_limit text", { capacity_limit: "many" }, [v("capacity_limit", MSG.notANumber, A("capacity_limit"))]],
  ["rtp_timeout below 30", { rtp_timeout: 29 }, [v("rtp_timeout", MSG.greaterOrEqual(30), A("rtp_timeout"))]],
  ["rtp_timeout above 600", { rtp_timeout: 601 }, [v("rtp_timeout", MSG.lessOrEqual(600), A("rtp_timeout"))]],
  ["rtp_timeout boolean", { rtp_timeout: true }, [v("rtp_timeout", MSG.notANumber, A("rtp_timeout"))]],
  ["threshold_amount negative", { threshold_amount: "-0.5" }, [v("threshold_amount", MSG.greaterOrEqual("0.0"), A("threshold_amount"))]],
  ["threshold_amount above 100000", { threshold_amount: 100000.01 }, [v("threshold_amount", MSG.lessOrEqual("100000.0"), A("threshold_amount"))]],
  ["threshold_amount text", { threshold_amount: "lots" }, [v("threshold_amount", MSG.notANumber, A("threshold_amount"))]],
  ["threshold_amount exponent", { threshold_amount: "1e3" }, [v("threshold_amount", MSG.notANumber, A("threshold_amount"))]],
  ["external_reference_id over 100", { external_reference_id: "x".repeat(101) }, [v("external_reference_id", MSG.tooLong(100), A("external_reference_id"))]],
  ["external_reference_id number", { external_reference_id: 42 }, [v("external_reference_id", MSG.invalid, A("external_reference_id"))]],
  ["callback_url ftp", { callback_url: "ftp://example.com/x" }, [v("callback_url", MSG.invalid, A("callback_url"))]],
  ["callback_url not a URL", { callback_url: "example.com/hook" }, [v("callback_url", MSG.invalid, A("callback_url"))]],
  ["status unknown", { status: "paused" }, [v("status", MSG.inclusion, A("status"))]],
  ["status null", { status: null }, [v("status", MSG.blank, A("status"))]],
  ["default_dst_action unknown", { default_dst_action: "deny_all" }, [v("default_dst_action", MSG.inclusion, A("default_dst_action"))]],
  ["media_encryption_mode unknown", { media_encryption_mode: "aes" }, [v("media_encryption_mode", MSG.inclusion, A("media_encryption_mode"))]],
  ["allow_any_did_as_cli as text", { allow_any_did_as_cli: "true" }, [v("allow_any_did_as_cli", MSG.inclusion, A("allow_any_did_as_cli"))]],
  ["emergency_enable_all null", { emergency_enable_all: null }, [v("emergency_enable_all", MSG.inclusion, A("emergency_enable_all"))]],
  ["force_symmetric_rtp number", { force_symmetric_rtp: 1 }, [v("force_symmetric_rtp", MSG.inclusion, A("force_symmetric_rtp"))]],
  ["rtp_ping null", { rtp_ping: null }, [v("rtp_ping", MSG.inclusion, A("rtp_ping"))]],
  ["dst_prefixes with a letter", { dst_prefixes: ["44", "1a"] }, [v("dst_prefixes", MSG.invalid, A("dst_prefixes"))]],
  ["dst_prefixes not a list", { dst_prefixes: "44" }, [v("dst_prefixes", MSG.invalid, A("dst_prefixes"))]],
  ["allowed_rtp_ips with a bad entry", { allowed_rtp_ips: ["1.2.3"] }, [v("allowed_rtp_ips", MSG.invalid, A("allowed_rtp_ips"))]],
  ["allowed_rtp_ips not a list", { allowed_rtp_ips: "1.2.3.4" }, [v("allowed_rtp_ips", MSG.invalid, A("allowed_rtp_ips"))]],
  [
    "several failing rules give several errors, in attribute order",
    { name: "", capacity_limit: 99999, status: "x", rtp_timeout: 5, authentication_method: { type: "ip_only", attributes: { allowed_sip_ips: ["10.0.0.1"] } } },
    [
      v("name", MSG.blank, A("name")),
      v("type", MSG.notAllowedForCreation, `${AUTHP}/type`),
      v("capacity_limit", MSG.lessOrEqual(32767), A("capacity_limit")),
      v("status", MSG.inclusion, A("status")),
      v("rtp_timeout", MSG.greaterOrEqual(30), A("rtp_timeout")),
    ],
  ],
];

/** [case, attribute, value sent, value returned] */
const ACCEPTED: Array<[string, string, unknown, unknown]> = [
  ["capacity_limit 0", "capacity_limit", 0, 0],
  ["capacity_limit 32767", "capacity_limit", 32767, 32767],
  ["capacity_limit as digits", "capacity_limit", "100", 100],
  ["capacity_limit null", "capacity_limit", null, null],
  ["rtp_timeout 30", "rtp_timeout", 30, 30],
  ["rtp_timeout 600", "rtp_timeout", 600, 600],
  ["rtp_timeout null", "rtp_timeout", null, null],
  ["threshold_amount string integer", "threshold_amount", "100", "100.0"],
  ["threshold_amount number", "threshold_amount", 100, "100.0"],
  ["threshold_amount trailing zeros", "threshold_amount", "100.50", "100.5"],
  ["threshold_amount zero", "threshold_amount", 0, "0.0"],
  ["threshold_amount max", "threshold_amount", "100000.0", "100000.0"],
  ["threshold_amount null", "threshold_amount", null, null],
  ["external_reference_id 100 chars", "external_reference_id", "x".repeat(100), "x".repeat(100)],
  ["callback_url https", "callback_url", "https://example.com/hook?x=1", "https://example.com/hook?x=1"],
  ["callback_url http", "callback_url", "http://10.0.0.1:8080/cb", "http://10.0.0.1:8080/cb"],
  ["on_cli_mismatch_action randomize_cli (OAS enum)", "on_cli_mismatch_action", "randomize_cli", "randomize_cli"],
  ["media_encryption_mode zrtp", "media_encryption_mode", "zrtp", "zrtp"],
  ["dst_prefixes kept in order", "dst_prefixes", ["44", "1", "370"], ["44", "1", "370"]],
  ["dst_prefixes null", "dst_prefixes", null, null],
  ["allowed_rtp_ips empty list", "allowed_rtp_ips", [], []],
  [
    "allowed_rtp_ips normalised to CIDR, order kept",
    "allowed_rtp_ips",
    ["192.168.1.1", "10.0.0.0/8", "2001:DB8:0:0::1", "::/0", "0.0.0.0/0"],
    ["192.168.1.1/32", "10.0.0.0/8", "2001:db8::1/128", "::/0", "0.0.0.0/0"],
  ],
  ["status blocked", "status", "blocked", "blocked"],
  [
    "auth tech_prefix digits and #",
    "authentication_method",
    { type: "credentials_and_ip", attributes: { allowed_sip_ips: ["203.0.113.0/24", "2001:db8::/32"], tech_prefix: "12#" } },
    { type: "credentials_and_ip", attributes: { allowed_sip_ips: ["203.0.113.0/24", "2001:db8::/32"], tech_prefix: "12#" } },
  ],
  [
    "twilio sid any case",
    "authentication_method",
    { type: "twilio", attributes: { twilio_account_sid: "AC39347AF064AF97E1682C3B7332DAAEE6" } },
    { type: "twilio", attributes: { twilio_account_sid: "AC39347AF064AF97E1682C3B7332DAAEE6" } },
  ],
];

/** [case, body, expected { code, detail }] for POST /v3/voice_out_trunks. */
const CREATE_400: Array<[string, unknown, Array<{ code: string; detail: string }>]> = [
  ["no body", undefined, [{ code: "106", detail: "The required parameter, data, is missing." }]],
  ["not JSON", "{oops", [{ code: "400", detail: "The request body is not valid JSON: " }]],
  ["data is a list", { data: [] }, [{ code: "122", detail: "Data must be a hash." }]],
  ["type missing", { data: { attributes: BASE } }, [{ code: "106", detail: "The required parameter, type, is missing." }]],
  ["wrong type", { data: { type: "voice_in_trunks", attributes: BASE } }, [{ code: "101", detail: "voice_in_trunks is not a valid resource." }]],
  ["client id", { data: { type: "voice_out_trunks", id: "x", attributes: BASE } }, [{ code: "105", detail: "id is not allowed." }]],
  ["read-only created_at", trunkDoc({ ...BASE, created_at: "2026-01-01T00:00:00.000Z" }), [{ code: "105", detail: "created_at is not allowed." }]],
  [
    "read-only threshold_reached and an unknown attribute: one error each",
    trunkDoc({ ...BASE, threshold_reached: true, capacity_pools_id: "x" }),
    [
      { code: "105", detail: "threshold_reached is not allowed." },
      { code: "105", detail: "capacity_pools_id is not allowed." },
    ],
  ],
  ["top-level username", trunkDoc({ ...BASE, username: "me" }), [{ code: "105", detail: "username is not allowed." }]],
  ["old flat allowed_sip_ips", trunkDoc({ ...BASE, allowed_sip_ips: ["10.0.0.1"] }), [{ code: "105", detail: "allowed_sip_ips is not allowed." }]],
  ["default_did relationship (not modelled)", trunkDoc(BASE, { relationships: { default_did: { data: null } } }), [{ code: "105", detail: "default_did is not allowed." }]],
  ["meta member", trunkDoc(BASE, { meta: {} }), [{ code: "105", detail: "meta is not allowed." }]],
  ["relationship not an object", trunkDoc(BASE, { relationships: { dids: "x" } }), [{ code: "115", detail: "Data is not a valid Links Object." }]],
  ["relationship data not a list", trunkDoc(BASE, { relationships: { dids: { data: { type: "dids", id: "x" } } } }), [{ code: "115", detail: "Data is not a valid Links Object." }]],
  ["linkage without type", trunkDoc(BASE, { relationships: { dids: { data: [{ id: "x" }] } } }), [{ code: "115", detail: "Data is not a valid Links Object." }]],
  ["linkage of another type", trunkDoc(BASE, { relationships: { emergency_dids: { data: [{ type: "numbers", id: "x" }] } } }), [{ code: "116", detail: "numbers is not a valid type for this operation." }]],
];

describe("DIDWW validation", function () {
  afterEach(stopAll);

  describe("POST /v3/voice_out_trunks → 422", function () {
    for (const [name, patch, expected] of CREATE_422) {
      it(name, async function () {
        const emu = await start();
        const attributes: Record<string, unknown> = { ...BASE };
        for (const [k, val] of Object.entries(patch)) {
          if (val === undefined) delete attributes[k];
          else attributes[k] = val;
        }
        const res = await api(emu, "POST", "/v3/voice_out_trunks", { body: trunkDoc(attributes) });
        assert.equal(res.status, 422, res.text);
        assert.deepEqual(errorSummary(res), expected);
        for (const e of res.body.errors) assert.equal(e.title, e.detail.split(" - ").slice(1).join(" - "), "title is the message");
        assert.equal(emu.store.didww.listTrunks().length, 0, "nothing was created");
      });
    }
  });

  describe("accepted values and their normalised form (POST, then GET)", function () {
    for (const [name, attribute, sent, returned] of ACCEPTED) {
      it(name, async function () {
        const emu = await start({ maskCredentials: false });
        const created = await createTrunk(emu, { [attribute]: sent });
        const shown = await api(emu, "GET", `/v3/voice_out_trunks/${created.id}`);
        for (const attrs of [created.attributes, shown.body.data.attributes]) {
          const value = attribute === "authentication_method" && attrs[attribute].type === "credentials_and_ip"
            ? { ...attrs[attribute], attributes: { allowed_sip_ips: attrs[attribute].attributes.allowed_sip_ips, tech_prefix: attrs[attribute].attributes.tech_prefix } }
            : attrs[attribute];
          assert.deepEqual(value, returned);
        }
      });
    }
  });

  describe("POST document errors → 400 (jsonapi-resources)", function () {
    for (const [name, body, expected] of CREATE_400) {
      it(name, async function () {
        const emu = await start();
        const res = await api(emu, "POST", "/v3/voice_out_trunks", { body });
        assert.equal(res.status, 400, res.text);
        const got = res.body.errors.map((e: any) => ({ code: e.code, detail: e.detail.startsWith("The request body is not valid JSON: ") ? "The request body is not valid JSON: " : e.detail }));
        assert.deepEqual(got, expected);
        for (const e of res.body.errors) assert.equal(e.status, "400");
        assert.equal(emu.store.didww.listTrunks().length, 0);
      });
    }
  });

  describe("PATCH /v3/voice_out_trunks/{id}", function () {
    it("needs data.id (400 code 109) and it must be the URL's (400 code 110)", async function () {
      const emu = await start();
      const t = await createTrunk(emu);
      const noId = await api(emu, "PATCH", `/v3/voice_out_trunks/${t.id}`, { body: { data: { type: "voice_out_trunks", attributes: { name: "x" } } } });
      assert.equal(noId.status, 400);
      assert.deepEqual(noId.body.errors.map((e: any) => [e.code, e.title]), [["109", "A key is required"]]);
      const other = await api(emu, "PATCH", `/v3/voice_out_trunks/${t.id}`, { body: patchDoc("0a161808-bb05-42b1-8398-7888abdfa9ef", { name: "x" }) });
      assert.equal(other.status, 400);
      assert.deepEqual(other.body.errors.map((e: any) => [e.code, e.detail]), [["110", "The URL does not support the key 0a161808-bb05-42b1-8398-7888abdfa9ef"]]);
      assert.equal(emu.store.didww.getTrunk(t.id)!.name, "t");
    });

    it("an unknown trunk is the recorded 404", async function () {
      const emu = await start();
      const id = "c3947e93-4a3b-4080-b9d3-cbcc633ab808";
      const res = await api(emu, "PATCH", `/v3/voice_out_trunks/${id}`, { body: patchDoc(id, { name: "x" }) });
      assert.equal(res.status, 404);
      assert.deepEqual(res.body, { errors: [{ title: "Record not found", detail: `The record identified by ${id} could not be found.`, code: "404", status: "404" }] });
    });

    it("rejects ip_only (recorded 422) and null for required attributes", async function () {
      const emu = await start();
      const t = await createTrunk(emu);
      const res = await api(emu, "PATCH", `/v3/voice_out_trunks/${t.id}`, {
        body: patchDoc(t.id, { authentication_method: { type: "ip_only", attributes: { allowed_sip_ips: ["192.168.1.1"] } }, name: null, on_cli_mismatch_action: null }),
      });
      assert.equal(res.status, 422);
      assert.deepEqual(errorSummary(res), [
        v("name", MSG.blank, A("name")),
        v("type", MSG.notAllowedForUpdate, `${AUTHP}/type`),
        v("on_cli_mismatch_action", MSG.blank, A("on_cli_mismatch_action")),
      ]);
    });

    it("does not require POST-only attributes and leaves absent ones alone", async function () {
      const emu = await start();
      const t = await createTrunk(emu, { capacity_limit: 10 });
      const res = await api(emu, "PATCH", `/v3/voice_out_trunks/${t.id}`, { body: patchDoc(t.id, { status: "blocked" }) });
      assert.equal(res.status, 200, res.text);
      assert.equal(res.body.data.attributes.status, "blocked");
      assert.equal(res.body.data.attributes.capacity_limit, 10);
      assert.equal(res.body.data.attributes.name, "t");
    });

    it("a switch to credentials_and_ip does not need allowed_rtp_ips (recorded 200s), and keeps what is set", async function () {
      // The PATCH page (seed 002) calls allowed_rtp_ips required for this switch; two Postman
      // recordings answer 200 without it. The recordings are the wire's truth (docs/emulator.md).
      const emu = await start();
      const toCredentials = { authentication_method: { type: "credentials_and_ip", attributes: { allowed_sip_ips: ["0.0.0.0/0"] } } };
      for (const [from, rtp] of [[AUTH.twilio, null], [{ type: "ip_only", attributes: { allowed_sip_ips: ["192.168.1.2"] } }, ["198.51.100.0/24"]]] as const) {
        const t = emu.store.didww.putTrunk({ name: "switch", on_cli_mismatch_action: "send_original_cli", authentication_method: from, allowed_rtp_ips: rtp === null ? null : [...rtp] });
        const res = await api(emu, "PATCH", `/v3/voice_out_trunks/${t.id}`, { body: patchDoc(t.id, toCredentials) });
        assert.equal(res.status, 200, res.text);
        assert.equal(res.body.data.attributes.authentication_method.type, "credentials_and_ip");
        assert.deepEqual(res.body.data.attributes.allowed_rtp_ips, rtp);
      }
    });

    it("other attributes of an ip_only trunk stay updatable; its method stays ip_only", async function () {
      const emu = await start();
      const t = emu.store.didww.putTrunk({ name: "legacy", on_cli_mismatch_action: "reject_call", authentication_method: { type: "ip_only", attributes: { allowed_sip_ips: ["11.0.0.0"] } } });
      const res = await api(emu, "PATCH", `/v3/voice_out_trunks/${t.id}`, { body: patchDoc(t.id, { name: "renamed", capacity_limit: 5 }) });
      assert.equal(res.status, 200, res.text);
      assert.deepEqual(res.body.data.attributes.authentication_method, { type: "ip_only", attributes: { allowed_sip_ips: ["11.0.0.0/32"], tech_prefix: null } });
      assert.equal(res.body.data.attributes.name, "renamed");
    });
  });

  describe("relationships", function () {
    const [E1, E2] = DEFAULT_DID_IDS.emergency;
    const [P1, P2] = DEFAULT_DID_IDS.plain;
    const link = (...ids: string[]) => ({ data: ids.map((id) => ({ type: "dids", id })) });
    const R = (n: string) => `/data/relationships/${n}`;

    /** [case, create attributes, relationships, expected errors] */
    const RULES: Array<[string, Record<string, unknown>, Record<string, unknown>, ReturnType<typeof v>[]]> = [
      ["unknown DID in dids", {}, { dids: link("00000000-0000-4000-8000-000000000000") }, [v("dids", MSG.invalid, R("dids"))]],
      ["unknown DID in emergency_dids", {}, { emergency_dids: link(E1, "00000000-0000-4000-8000-000000000000") }, [v("emergency_dids", MSG.invalid, R("emergency_dids"))]],
      ["a DID without emergency service in emergency_dids", {}, { emergency_dids: link(P1) }, [v("emergency_dids", MSG.invalid, R("emergency_dids"))]],
      ["dids while allow_any_did_as_cli", { allow_any_did_as_cli: true }, { dids: link(P1) }, [v("dids", MSG.mustBeBlank, R("dids"))]],
      ["emergency_dids while emergency_enable_all", { emergency_enable_all: true }, { emergency_dids: link(E1) }, [v("emergency_dids", MSG.mustBeBlank, R("emergency_dids"))]],
      [
        "both at once",
        { allow_any_did_as_cli: true, emergency_enable_all: true },
        { dids: link(P1), emergency_dids: link(E1) },
        [v("dids", MSG.mustBeBlank, R("dids")), v("emergency_dids", MSG.mustBeBlank, R("emergency_dids"))],
      ],
    ];
    for (const [name, attributes, relationships, expected] of RULES) {
      it(`POST rejects ${name}`, async function () {
        const emu = await start();
        const res = await api(emu, "POST", "/v3/voice_out_trunks", { body: trunkDoc({ ...BASE, ...attributes }, { relationships }) });
        assert.equal(res.status, 422, res.text);
        assert.deepEqual(errorSummary(res), expected);
      });
    }

    it("empty sets are accepted while the flags are on", async function () {
      const emu = await start();
      const t = await createTrunk(emu, { allow_any_did_as_cli: true, emergency_enable_all: true }, { relationships: { dids: { data: [] }, emergency_dids: [] } });
      assert.deepEqual(emu.store.didww.getTrunk(t.id)!.dids, []);
    });

    it("PATCH replaces the whole set, [] clears it, and linkage shows only with include", async function () {
      const emu = await start();
      const t = await createTrunk(emu, {}, { relationships: { dids: link(P1, P2), emergency_dids: link(E1) } });
      assert.equal(t.relationships.dids.data, undefined, "no linkage without include");
      assert.deepEqual(emu.store.didww.getTrunk(t.id)!.dids, [P1, P2]);
      let res = await api(emu, "PATCH", `/v3/voice_out_trunks/${t.id}?include=dids,emergency_dids`, { body: patchDoc(t.id, {}, { relationships: { dids: link(P2) } }) });
      assert.equal(res.status, 200, res.text);
      assert.deepEqual(res.body.data.relationships.dids.data, [{ type: "dids", id: P2 }]);
      assert.deepEqual(res.body.data.relationships.emergency_dids.data, [{ type: "dids", id: E1 }], "an absent relationship is left alone");
      res = await api(emu, "PATCH", `/v3/voice_out_trunks/${t.id}`, { body: patchDoc(t.id, {}, { relationships: { emergency_dids: { data: [] } } }) });
      assert.equal(res.status, 200);
      assert.deepEqual(emu.store.didww.getTrunk(t.id)!.emergency_dids, []);
    });

    it("PATCH checks the flags as stored, and turning a flag on clears the explicit set", async function () {
      const emu = await start();
      const t = await createTrunk(emu, {}, { relationships: { dids: link(P1), emergency_dids: link(E1, E2) } });
      let res = await api(emu, "PATCH", `/v3/voice_out_trunks/${t.id}`, { body: patchDoc(t.id, { allow_any_did_as_cli: true, emergency_enable_all: true }) });
      assert.equal(res.status, 200, res.text);
      const stored = emu.store.didww.getTrunk(t.id)!;
      assert.deepEqual([stored.dids, stored.emergency_dids], [[], []]);
      res = await api(emu, "PATCH", `/v3/voice_out_trunks/${t.id}`, { body: patchDoc(t.id, {}, { relationships: { dids: link(P1) } }) });
      assert.equal(res.status, 422);
      assert.deepEqual(errorSummary(res), [v("dids", MSG.mustBeBlank, R("dids"))]);
      res = await api(emu, "PATCH", `/v3/voice_out_trunks/${t.id}`, { body: patchDoc(t.id, { allow_any_did_as_cli: false }, { relationships: { dids: link(P1) } }) });
      assert.equal(res.status, 200, "turning the flag off in the same request allows a set");
      assert.deepEqual(emu.store.didww.getTrunk(t.id)!.dids, [P1]);
    });

    it("a failed PATCH changes nothing", async function () {
      const emu = await start();
      const t = await createTrunk(emu, { capacity_limit: 7 });
      const before = emu.store.didww.getTrunk(t.id);
      const res = await api(emu, "PATCH", `/v3/voice_out_trunks/${t.id}`, { body: patchDoc(t.id, { capacity_limit: 8, rtp_timeout: 1 }) });
      assert.equal(res.status, 422);
      assert.deepEqual(emu.store.didww.getTrunk(t.id), before);
    });
  });

  describe("POST /v3/voice_out_trunk_regenerate_credentials", function () {
    const regen = (id: string | null, extra: Record<string, unknown> = {}) => ({
      data: { type: "voice_out_trunk_regenerate_credentials", relationships: { voice_out_trunk: { data: id === null ? null : { type: "voice_out_trunks", id } } }, ...extra },
    });
    const P = "/data/relationships/voice_out_trunk";

    it("a trunk without credentials: 422 has no credentials to rotate", async function () {
      const emu = await start();
      const t = await createTrunk(emu, { authentication_method: AUTH.twilio });
      const res = await api(emu, "POST", "/v3/voice_out_trunk_regenerate_credentials", { body: regen(t.id) });
      assert.equal(res.status, 422);
      assert.deepEqual(errorSummary(res), [v("voice_out_trunk", MSG.noCredentialsToRotate, P)]);
    });

    it("an unknown or missing trunk: 422 voice_out_trunk can't be blank", async function () {
      const emu = await start();
      for (const body of [regen("c3947e93-4a3b-4080-b9d3-cbcc633ab808"), regen(null), { data: { type: "voice_out_trunk_regenerate_credentials" } }]) {
        const res = await api(emu, "POST", "/v3/voice_out_trunk_regenerate_credentials", { body });
        assert.equal(res.status, 422, JSON.stringify(body));
        assert.deepEqual(errorSummary(res), [v("voice_out_trunk", MSG.blank, P)]);
      }
    });

    it("document errors are 400s: wrong type, attributes, linkage type", async function () {
      const emu = await start();
      const t = await createTrunk(emu);
      const cases: Array<[unknown, string]> = [
        [{ data: { type: "voice_out_trunks", relationships: regen(t.id).data.relationships } }, "101"],
        [regen(t.id, { attributes: { force: true } }), "105"],
        [{ data: { type: "voice_out_trunk_regenerate_credentials", relationships: { voice_out_trunk: { data: { type: "dids", id: t.id } } } } }, "116"],
      ];
      for (const [body, code] of cases) {
        const res = await api(emu, "POST", "/v3/voice_out_trunk_regenerate_credentials", { body });
        assert.equal(res.status, 400);
        assert.equal(res.body.errors[0].code, code);
      }
    });
  });
});
