/**
 * The Bolna vendor (legacy `/sip-trunks`) route by route: the handle and options, Bearer
 * authentication, create with its defaults and response shape, every validation refusal with
 * its status and text, name uniqueness, the partial PATCH that replaces lists whole, immutable
 * members, codec normalisation, numbers and their conflicts, the delete cascade, unknown routes,
 * the OpenAPI error format, the visibility delay of new numbers and the CLI flags.
 */
import * as assert from "node:assert/strict";
import { DEFAULT_BOLNA_API_KEY, startEmulator, type EmulatorHandle } from "../../emulator";
import { EMSG, MSG, NUMBER_REMOVED, trunkDeleted } from "../../emulator/bolna/messages";
import { parseCli } from "../../emulator/cli";
import { start, stopAll } from "./helpers";
import {
  GATEWAY_KEYS,
  ISO_SECONDS,
  NUMBER_KEYS,
  TRUNKS,
  TRUNK_KEYS_IP_BASED,
  TRUNK_KEYS_USERPASS,
  ULID,
  addNumber,
  bo,
  createTrunk,
  errorOf,
  ipBased,
  numbersPath,
  trunkPath,
  userpass,
} from "./bolna-helpers";

const without = (o: Record<string, unknown>, ...keys: string[]) => Object.fromEntries(Object.entries(o).filter(([k]) => !keys.includes(k)));

describe("Bolna emulator: routes", function () {
  afterEach(stopAll);

  describe("handle and options", function () {
    it("bolnaUrl stands for https://api.bolna.ai; the default key is fixed and documented", async function () {
      const emu = await start();
      assert.equal(emu.bolnaUrl, `${emu.url}/bolna`);
      assert.equal(DEFAULT_BOLNA_API_KEY, "emulator-bolna-key");
      assert.deepEqual(emu.bolnaApiKeys, [DEFAULT_BOLNA_API_KEY]);
      assert.deepEqual(emu.store.bolna.listTrunks(), []);
      assert.equal((await bo(emu, "GET", TRUNKS)).status, 200);
    });

    it("refuses malformed Bolna options at start", async function () {
      await assert.rejects(startEmulator({ bolnaApiKeys: [] }), /bolnaApiKeys/);
      await assert.rejects(startEmulator({ bolnaApiKeys: [""] }), /bolnaApiKeys/);
      await assert.rejects(startEmulator({ bolnaApiKeys: ["a b"] }), /bolnaApiKeys/);
      await assert.rejects(startEmulator({ bolnaErrorFormat: "xml" as never }), /bolnaErrorFormat/);
      await assert.rejects(startEmulator({ bolnaRetryAfterSeconds: -1 }), /bolnaRetryAfterSeconds/);
      await assert.rejects(startEmulator({ bolnaNumberVisibilityDelayMs: 1.5 }), /bolnaNumberVisibilityDelayMs/);
    });
  });

  describe("authentication", function () {
    it("no header or another scheme: 403 Not authenticated; a wrong key: 403 Invalid API key; never 401; nothing processed", async function () {
      const emu = await start();
      const cases: Array<[Record<string, unknown>, string]> = [
        [{ key: null }, EMSG.notAuthenticated],
        [{ key: null, headers: { Authorization: `Basic ${Buffer.from("a:b").toString("base64")}` } }, EMSG.notAuthenticated],
        [{ key: null, headers: { Authorization: "Bearer" } }, EMSG.notAuthenticated],
        [{ key: "bn-wrong" }, EMSG.invalidApiKey],
      ];
      for (const [options, detail] of cases) {
        const res = await bo(emu, "POST", TRUNKS, { ...options, body: userpass() });
        assert.deepEqual([res.status, res.body], [403, { detail }], JSON.stringify(options));
        assert.match(res.headers.get("content-type") ?? "", /^application\/json/);
      }
      assert.deepEqual(emu.store.bolna.listTrunks(), [], "a refused POST creates nothing");
      assert.equal((await bo(emu, "GET", TRUNKS, { key: null, headers: { authorization: `bearer ${DEFAULT_BOLNA_API_KEY}` } })).status, 200, "the scheme is case-insensitive");
    });

    it("bolnaApiKeys replaces the default key; every configured key works; auth failures stay {detail} in the openapi format", async function () {
      const emu = await start({ bolnaApiKeys: ["bn-one", "bn-two"], bolnaErrorFormat: "openapi" });
      assert.deepEqual(emu.bolnaApiKeys, ["bn-one", "bn-two"]);
      assert.deepEqual(errorOf(await bo(emu, "GET", TRUNKS)), [403, EMSG.invalidApiKey]);
      assert.equal((await bo(emu, "GET", TRUNKS, { key: "bn-one" })).status, 200);
      assert.equal((await bo(emu, "GET", TRUNKS, { key: "bn-two" })).status, 200);
    });
  });

  describe("create, get, list", function () {
    it("a userpass trunk: 201, every documented member in order, the documented defaults, no auth_password", async function () {
      const emu = await start();
      const sent = userpass({ description: "Main trunk for outbound sales" });
      const res = await bo(emu, "POST", TRUNKS, { body: sent });
      assert.equal(res.status, 201, res.text);
      const t = res.body;
      assert.deepEqual(Object.keys(t), TRUNK_KEYS_USERPASS);
      assert.match(t.id, ULID);
      assert.ok(!res.text.includes("sip-secret-1") && !("auth_password" in t), "the password is write-only");
      assert.deepEqual(without(t, "id", "gateways", "created_at", "updated_at"), {
        name: sent.name,
        provider: "zadarma",
        description: "Main trunk for outbound sales",
        auth_type: "userpass",
        auth_username: "sip-user",
        ip_identifiers: [],
        phone_numbers: [],
        allow: "ulaw,alaw",
        disallow: "all",
        transport: "transport-udp",
        direct_media: false,
        rtp_symmetric: true,
        force_rport: true,
        ice_support: true,
        media_encryption: "no",
        media_encryption_optimistic: false,
        qualify_frequency: 60,
        inbound_enabled: false,
        outbound_leading_plus_enabled: true,
        is_active: true,
      });
      assert.equal(t.gateways.length, 1);
      assert.deepEqual(Object.keys(t.gateways[0]), GATEWAY_KEYS);
      assert.match(t.gateways[0].id, ULID);
      assert.deepEqual([t.gateways[0].gateway_address, t.gateways[0].port, t.gateways[0].priority], ["sip.zadarma.com", 5060, 1]);
      for (const d of [t.created_at, t.updated_at, t.gateways[0].created_at]) assert.match(d, ISO_SECONDS);

      const stored = emu.store.bolna.getTrunk(t.id)!;
      assert.equal(stored.auth_password, "sip-secret-1", "kept internally");
      assert.deepEqual((await bo(emu, "GET", trunkPath(t.id))).body, t, "GET answers what create answered");
      assert.deepEqual((await bo(emu, "GET", TRUNKS)).body, [t], "the list is a bare array");
    });

    it("gateway port and priority default to 5060 and 1; description to null", async function () {
      const emu = await start();
      const t = await createTrunk(emu, userpass({ gateways: [{ gateway_address: "a.example.com" }, { gateway_address: "b.example.com", port: 5080, priority: 2 }] }));
      assert.deepEqual(t.gateways.map((g: any) => [g.gateway_address, g.port, g.priority]), [["a.example.com", 5060, 1], ["b.example.com", 5080, 2]]);
      assert.equal(t.description, null);
      assert.notEqual(t.gateways[0].id, t.gateways[1].id);
    });

    it("an ip-based trunk: no auth_username member; ip_identifiers stored exactly as sent (a bare address stays bare)", async function () {
      const emu = await start();
      const ips = [{ ip_address: "15.207.90.192/31" }, { ip_address: "204.89.151.128/27" }, { ip_address: "203.0.113.5" }, { ip_address: "2001:db8::/32" }];
      const t = await createTrunk(emu, ipBased({ ip_identifiers: ips, auth_username: "ignored", auth_password: "ignored", inbound_enabled: true }));
      assert.deepEqual(Object.keys(t), TRUNK_KEYS_IP_BASED);
      assert.deepEqual(t.ip_identifiers, ips);
      assert.equal(t.inbound_enabled, true);
      const stored = emu.store.bolna.getTrunk(t.id)!;
      assert.deepEqual([stored.auth_username, stored.auth_password], [null, null], "credentials mean nothing on an ip-based trunk");
    });

    it("a userpass trunk may carry ip_identifiers too (the documented GET example does)", async function () {
      const emu = await start();
      const t = await createTrunk(emu, userpass({ ip_identifiers: [{ ip_address: "15.207.90.192/31" }] }));
      assert.deepEqual(t.ip_identifiers, [{ ip_address: "15.207.90.192/31" }]);
    });

    it("every optional member is taken on create", async function () {
      const emu = await start();
      const t = await createTrunk(
        emu,
        userpass({
          transport: "transport-tls",
          media_encryption: "sdes",
          media_encryption_optimistic: true,
          direct_media: true,
          rtp_symmetric: false,
          force_rport: false,
          ice_support: false,
          qualify_frequency: 0,
          inbound_enabled: true,
          outbound_leading_plus_enabled: false,
          allow: "alaw",
          disallow: "g729",
          is_active: false,
        }),
      );
      assert.deepEqual(
        [t.transport, t.media_encryption, t.media_encryption_optimistic, t.direct_media, t.rtp_symmetric, t.force_rport, t.ice_support, t.qualify_frequency],
        ["transport-tls", "sdes", true, true, false, false, false, 0],
      );
      assert.deepEqual([t.inbound_enabled, t.outbound_leading_plus_enabled, t.allow, t.disallow], [true, false, "alaw", "g729"]);
      assert.equal(t.is_active, true, "is_active is not a create member: a new trunk is active");
    });

    it("codec lists are normalised: items trimmed and lower-cased, blanks dropped, order and repeats kept", async function () {
      const emu = await start();
      const t = await createTrunk(emu, userpass({ allow: " ULAW , Alaw,,g722 ,ulaw", disallow: " ALL " }));
      assert.deepEqual([t.allow, t.disallow], ["ulaw,alaw,g722,ulaw", "all"]);
      const p = await bo(emu, "PATCH", trunkPath(t.id), { body: { allow: "OPUS, ulaw", disallow: "" } });
      assert.deepEqual([p.body.allow, p.body.disallow], ["opus,ulaw", ""]);
      assert.deepEqual(errorOf(await bo(emu, "PATCH", trunkPath(t.id), { body: { allow: " , " } })), [422, EMSG.noCodec("allow")]);
    });

    it("inline phone_numbers are added with the trunk; a conflict refuses the whole create", async function () {
      const emu = await start();
      const t = await createTrunk(emu, userpass({ phone_numbers: [{ phone_number: "919876543210", name: "Mumbai" }, { phone_number: "+14155550100" }] }));
      assert.deepEqual(t.phone_numbers.map((n: any) => [n.phone_number, n.name, n.byot_trunk_id]), [["919876543210", "Mumbai", t.id], ["+14155550100", null, t.id]]);
      for (const n of t.phone_numbers) assert.deepEqual(Object.keys(n), NUMBER_KEYS);
      assert.deepEqual(emu.store.bolna.listNumbers(t.id).map((n) => n.id), t.phone_numbers.map((n: any) => n.id));

      const dup = await bo(emu, "POST", TRUNKS, { body: userpass({ phone_numbers: [{ phone_number: "+919876543210" }] }) });
      assert.deepEqual(errorOf(dup), [409, MSG.numberOnOtherTrunk]);
      const twice = await bo(emu, "POST", TRUNKS, { body: userpass({ phone_numbers: [{ phone_number: "15550001" }, { phone_number: "+15550001" }] }) });
      assert.deepEqual(errorOf(twice), [409, EMSG.numberOnThisTrunk]);
      assert.equal(emu.store.bolna.listTrunks().length, 1, "neither refused create left a trunk");
    });

    it("GET of an unknown trunk is 404 {detail}; the list filters on is_active", async function () {
      const emu = await start();
      assert.deepEqual(errorOf(await bo(emu, "GET", trunkPath("01HZZZZZZZZZZZZZZZZZZZZZZZ"))), [404, EMSG.trunkNotFound]);
      const a = await createTrunk(emu);
      const b = await createTrunk(emu, ipBased());
      await bo(emu, "PATCH", trunkPath(b.id), { body: { is_active: false } });
      const ids = async (q: string) => (await bo(emu, "GET", `${TRUNKS}${q}`)).body.map((t: any) => t.id);
      assert.deepEqual(await ids(""), [a.id, b.id], "creation order");
      assert.deepEqual(await ids("?is_active=true"), [a.id]);
      assert.deepEqual(await ids("?is_active=false"), [b.id]);
      assert.deepEqual(await ids("?is_active=0"), [b.id], "FastAPI's boolean spellings");
      assert.deepEqual(errorOf(await bo(emu, "GET", `${TRUNKS}?is_active=maybe`)), [422, EMSG.isActiveQuery]);
    });
  });

  describe("create validation", function () {
    const cases: Array<[string, (b: Record<string, unknown>) => Record<string, unknown> | string, number, string]> = [
      ["body not JSON", () => "{not json", 422, EMSG.bodyNotJson],
      ["body an array", () => JSON.stringify([userpass()]), 422, EMSG.bodyNotObject],
      ["name missing", (b) => without(b, "name"), 400, MSG.nameRequired],
      ["name empty", (b) => ({ ...b, name: "  " }), 400, MSG.nameRequired],
      ["name null", (b) => ({ ...b, name: null }), 400, MSG.nameRequired],
      ["name not a string", (b) => ({ ...b, name: 7 }), 422, EMSG.notString("name")],
      ["provider missing", (b) => without(b, "provider"), 400, MSG.providerRequired],
      ["auth_type missing", (b) => without(b, "auth_type"), 400, MSG.authType],
      ["auth_type unknown", (b) => ({ ...b, auth_type: "digest" }), 400, MSG.authType],
      ["auth_type not a string", (b) => ({ ...b, auth_type: 1 }), 400, MSG.authType],
      ["gateways missing", (b) => without(b, "gateways"), 400, MSG.gatewayRequired],
      ["gateways empty", (b) => ({ ...b, gateways: [] }), 400, MSG.gatewayRequired],
      ["gateways not an array", (b) => ({ ...b, gateways: { gateway_address: "x" } }), 422, EMSG.notArray("gateways")],
      ["a gateway not an object", (b) => ({ ...b, gateways: ["sip.example.com"] }), 422, EMSG.notObject("gateways[0]")],
      ["a gateway without address", (b) => ({ ...b, gateways: [{ port: 5060 }] }), 400, EMSG.gatewayAddressRequired],
      ["port 0", (b) => ({ ...b, gateways: [{ gateway_address: "x", port: 0 }] }), 422, EMSG.outOfRange("gateways[0].port", 1, 65535)],
      ["port 65536", (b) => ({ ...b, gateways: [{ gateway_address: "x", port: 65536 }] }), 422, EMSG.outOfRange("gateways[0].port", 1, 65535)],
      ["port as text", (b) => ({ ...b, gateways: [{ gateway_address: "x", port: "5060" }] }), 422, EMSG.notInteger("gateways[0].port")],
      ["priority negative", (b) => ({ ...b, gateways: [{ gateway_address: "x", priority: -1 }] }), 422, EMSG.outOfRange("gateways[0].priority", 0)],
      ["userpass without password", (b) => without(b, "auth_password"), 400, MSG.credentialsRequired],
      ["userpass with an empty username", (b) => ({ ...b, auth_username: "" }), 400, MSG.credentialsRequired],
      ["ip-based without ip_identifiers", (b) => ({ ...without(b, "auth_username", "auth_password"), auth_type: "ip-based" }), 400, MSG.ipIdentifiersRequired],
      ["ip-based with []", (b) => ({ ...b, auth_type: "ip-based", ip_identifiers: [] }), 400, MSG.ipIdentifiersRequired],
      ["an ip_identifier without address", (b) => ({ ...b, ip_identifiers: [{}] }), 400, EMSG.ipAddressRequired],
      ["an ip_identifier that is a host name", (b) => ({ ...b, ip_identifiers: [{ ip_address: "sip.example.com" }] }), 400, EMSG.ipAddressInvalid("sip.example.com")],
      ["a prefix beyond /32", (b) => ({ ...b, ip_identifiers: [{ ip_address: "10.0.0.0/33" }] }), 400, EMSG.ipAddressInvalid("10.0.0.0/33")],
      ["an octet beyond 255", (b) => ({ ...b, ip_identifiers: [{ ip_address: "192.168.1.300" }] }), 400, EMSG.ipAddressInvalid("192.168.1.300")],
      ["a leading zero", (b) => ({ ...b, ip_identifiers: [{ ip_address: "01.2.3.4" }] }), 400, EMSG.ipAddressInvalid("01.2.3.4")],
      ["transport unknown", (b) => ({ ...b, transport: "udp" }), 422, EMSG.notOneOf("transport", ["transport-udp", "transport-tcp", "transport-tls"])],
      ["media_encryption unknown", (b) => ({ ...b, media_encryption: "dtls" }), 422, EMSG.notOneOf("media_encryption", ["no", "sdes"])],
      ["sdes over udp", (b) => ({ ...b, media_encryption: "sdes" }), 422, MSG.sdesNeedsTls],
      ["sdes over tcp", (b) => ({ ...b, media_encryption: "sdes", transport: "transport-tcp" }), 422, MSG.sdesNeedsTls],
      ["a boolean as text", (b) => ({ ...b, inbound_enabled: "true" }), 422, EMSG.notBoolean("inbound_enabled")],
      ["qualify_frequency negative", (b) => ({ ...b, qualify_frequency: -1 }), 422, EMSG.outOfRange("qualify_frequency", 0)],
      ["qualify_frequency fractional", (b) => ({ ...b, qualify_frequency: 1.5 }), 422, EMSG.notInteger("qualify_frequency")],
      ["allow empty", (b) => ({ ...b, allow: "" }), 422, EMSG.noCodec("allow")],
      ["a number without phone_number", (b) => ({ ...b, phone_numbers: [{ name: "x" }] }), 400, EMSG.phoneNumberRequired],
      ["a number failing its E.164 check", (b) => ({ ...b, phone_numbers: [{ phone_number: "919876543210", e164_check_enabled: true }] }), 400, EMSG.notE164("919876543210")],
      ["type errors answer before the handler's rules", (b) => ({ ...without(b, "name"), inbound_enabled: 1 }), 422, EMSG.notBoolean("inbound_enabled")],
    ];
    for (const [what, make, status, detail] of cases) {
      it(`${what}: ${status}`, async function () {
        const emu = await start();
        const res = await bo(emu, "POST", TRUNKS, { body: make(userpass()) });
        assert.deepEqual(errorOf(res), [status, detail]);
        assert.deepEqual(Object.keys(res.body), ["detail"]);
        assert.deepEqual(emu.store.bolna.listTrunks(), [], "nothing created");
      });
    }

    it("names are unique per account (400, exact and case-sensitive); a deleted trunk frees its name", async function () {
      const emu = await start();
      const t = await createTrunk(emu, userpass({ name: "Zadarma Production" }));
      assert.deepEqual(errorOf(await bo(emu, "POST", TRUNKS, { body: ipBased({ name: "Zadarma Production" }) })), [400, EMSG.nameTaken("Zadarma Production")]);
      assert.equal((await bo(emu, "POST", TRUNKS, { body: userpass({ name: "zadarma production" }) })).status, 201);
      await bo(emu, "DELETE", trunkPath(t.id));
      assert.equal((await bo(emu, "POST", TRUNKS, { body: userpass({ name: "Zadarma Production" }) })).status, 201);
    });

    it("unknown members are ignored", async function () {
      const emu = await start();
      const t = await createTrunk(emu, userpass({ user_id: "someone", channels: 5 }));
      assert.ok(!("user_id" in t) && !("channels" in t));
    });

    it("the openapi error format: {error: <status>, message}", async function () {
      const emu = await start({ bolnaErrorFormat: "openapi" });
      const res = await bo(emu, "POST", TRUNKS, { body: without(userpass(), "name") });
      assert.deepEqual([res.status, res.body], [400, { error: 400, message: MSG.nameRequired }]);
      assert.deepEqual((await bo(emu, "GET", trunkPath("nope"))).body, { error: 404, message: EMSG.trunkNotFound });
      assert.deepEqual((await bo(emu, "GET", "/nowhere")).body, { error: 404, message: EMSG.notFound });
    });
  });

  describe("update (PATCH)", function () {
    async function trunk(emu: EmulatorHandle, body: Record<string, unknown> = userpass()) {
      return createTrunk(emu, body);
    }

    it("only sent members change; the whole trunk comes back; updated_at moves, created_at does not", async function () {
      const emu = await start();
      const t = await trunk(emu, userpass({ description: "before", ip_identifiers: [{ ip_address: "10.0.0.1" }] }));
      await new Promise((r) => setTimeout(r, 1100)); // dates are shown in seconds
      const res = await bo(emu, "PATCH", trunkPath(t.id), { body: { description: "after", qualify_frequency: 30, is_active: false } });
      assert.equal(res.status, 200, res.text);
      assert.deepEqual(Object.keys(res.body), TRUNK_KEYS_USERPASS);
      assert.deepEqual(without(res.body, "description", "qualify_frequency", "is_active", "updated_at"), without(t, "description", "qualify_frequency", "is_active", "updated_at"));
      assert.deepEqual([res.body.description, res.body.qualify_frequency, res.body.is_active], ["after", 30, false]);
      assert.equal(res.body.created_at, t.created_at);
      assert.ok(res.body.updated_at > t.updated_at);
      assert.deepEqual((await bo(emu, "GET", trunkPath(t.id))).body, res.body);
    });

    it("gateways and ip_identifiers sent are replaced whole (new gateway ids); omitted ones are kept", async function () {
      const emu = await start();
      const t = await trunk(emu, userpass({ gateways: [{ gateway_address: "a", priority: 1 }, { gateway_address: "b", priority: 2 }], ip_identifiers: [{ ip_address: "10.0.0.1" }, { ip_address: "10.0.0.2" }] }));
      const g = await bo(emu, "PATCH", trunkPath(t.id), { body: { gateways: [{ gateway_address: "c", port: 5061 }] } });
      assert.deepEqual(g.body.gateways.map((x: any) => [x.gateway_address, x.port, x.priority]), [["c", 5061, 1]], "not merged");
      assert.ok(!t.gateways.some((x: any) => x.id === g.body.gateways[0].id), "a replaced gateway is a new record");
      assert.deepEqual(g.body.ip_identifiers, t.ip_identifiers, "omitted: kept");
      const i = await bo(emu, "PATCH", trunkPath(t.id), { body: { ip_identifiers: [{ ip_address: "192.0.2.0/24" }] } });
      assert.deepEqual(i.body.ip_identifiers, [{ ip_address: "192.0.2.0/24" }]);
      assert.deepEqual(i.body.gateways, g.body.gateways, "omitted: kept, ids included");
      const cleared = await bo(emu, "PATCH", trunkPath(t.id), { body: { ip_identifiers: [] } });
      assert.deepEqual(cleared.body.ip_identifiers, [], "a userpass trunk may drop every IP");
    });

    it("provider and auth_type are immutable: sent values are ignored (200, unchanged)", async function () {
      const emu = await start();
      const t = await trunk(emu);
      const res = await bo(emu, "PATCH", trunkPath(t.id), { body: { provider: "twilio", auth_type: "ip-based", name: "renamed" } });
      assert.equal(res.status, 200);
      assert.deepEqual([res.body.provider, res.body.auth_type, res.body.name], ["zadarma", "userpass", "renamed"]);
      assert.equal((await bo(emu, "PATCH", trunkPath(t.id), { body: { auth_type: "digest", phone_numbers: [{ phone_number: "1" }] } })).status, 200, "not even validated");
      assert.deepEqual(emu.store.bolna.listNumbers(t.id), [], "phone_numbers is not a PATCH member");
    });

    it("credentials: the username shows, the password is stored and never shown; on an ip-based trunk both are ignored", async function () {
      const emu = await start();
      const t = await trunk(emu);
      const res = await bo(emu, "PATCH", trunkPath(t.id), { body: { auth_username: "new_user", auth_password: "NewSecurePassword456" } });
      assert.equal(res.body.auth_username, "new_user");
      assert.ok(!res.text.includes("NewSecurePassword456"));
      assert.equal(emu.store.bolna.getTrunk(t.id)!.auth_password, "NewSecurePassword456");
      const only = await bo(emu, "PATCH", trunkPath(t.id), { body: { auth_password: "third-one" } });
      assert.equal(only.body.auth_username, "new_user", "one credential alone is taken");
      assert.equal(emu.store.bolna.getTrunk(t.id)!.auth_password, "third-one");
      assert.deepEqual(errorOf(await bo(emu, "PATCH", trunkPath(t.id), { body: { auth_password: "" } })), [400, MSG.credentialsRequired]);

      const ip = await trunk(emu, ipBased());
      const r = await bo(emu, "PATCH", trunkPath(ip.id), { body: { auth_username: "u", auth_password: "p" } });
      assert.equal(r.status, 200);
      assert.ok(!("auth_username" in r.body));
      assert.deepEqual([emu.store.bolna.getTrunk(ip.id)!.auth_username, emu.store.bolna.getTrunk(ip.id)!.auth_password], [null, null]);
    });

    it("the sdes rule is checked on the trunk as it would become", async function () {
      const emu = await start();
      const t = await trunk(emu);
      assert.deepEqual(errorOf(await bo(emu, "PATCH", trunkPath(t.id), { body: { media_encryption: "sdes" } })), [422, MSG.sdesNeedsTls]);
      assert.equal((await bo(emu, "PATCH", trunkPath(t.id), { body: { media_encryption: "sdes", transport: "transport-tls" } })).status, 200);
      assert.deepEqual(errorOf(await bo(emu, "PATCH", trunkPath(t.id), { body: { transport: "transport-tcp" } })), [422, MSG.sdesNeedsTls], "nor can TLS be dropped under sdes");
      assert.equal((await bo(emu, "PATCH", trunkPath(t.id), { body: { media_encryption: "sdes" } })).status, 200, "sdes alone on a TLS trunk");
    });

    it("refusals: 404 unknown trunk, 422 types and nulls, 400 empty name, empty gateways, no IPs on ip-based, bad IP, a taken name", async function () {
      const emu = await start();
      const t = await trunk(emu);
      const other = await trunk(emu, ipBased());
      const cases: Array<[string, unknown, number, string]> = [
        [t.id, "{", 422, EMSG.bodyNotJson],
        ["01HZZZZZZZZZZZZZZZZZZZZZZZ", { name: "x" }, 404, EMSG.trunkNotFound],
        [t.id, { name: null }, 422, EMSG.notNull("name")],
        [t.id, { inbound_enabled: null }, 422, EMSG.notNull("inbound_enabled")],
        [t.id, { qualify_frequency: "60" }, 422, EMSG.notInteger("qualify_frequency")],
        [t.id, { transport: "tls" }, 422, EMSG.notOneOf("transport", ["transport-udp", "transport-tcp", "transport-tls"])],
        [t.id, { gateways: [{ gateway_address: "x", port: 70000 }] }, 422, EMSG.outOfRange("gateways[0].port", 1, 65535)],
        [t.id, { name: "" }, 400, MSG.nameRequired],
        [t.id, { gateways: [] }, 400, MSG.gatewayRequired],
        [t.id, { gateways: [{ gateway_address: "" }] }, 400, EMSG.gatewayAddressRequired],
        [other.id, { ip_identifiers: [] }, 400, MSG.ipIdentifiersRequired],
        [t.id, { ip_identifiers: [{ ip_address: "10.0.0.0/8/8" }] }, 400, EMSG.ipAddressInvalid("10.0.0.0/8/8")],
        [t.id, { name: other.name }, 400, EMSG.nameTaken(other.name)],
      ];
      for (const [id, body, status, detail] of cases) {
        assert.deepEqual(errorOf(await bo(emu, "PATCH", trunkPath(id), { body })), [status, detail], JSON.stringify(body));
      }
      assert.deepEqual((await bo(emu, "GET", trunkPath(t.id))).body, t, "no refused PATCH changed anything");
      assert.equal((await bo(emu, "PATCH", trunkPath(t.id), { body: { name: t.name } })).status, 200, "a trunk keeps its own name");
      assert.equal((await bo(emu, "PATCH", trunkPath(t.id), { body: { description: null } })).body.description, null, "description is nullable");
      assert.equal((await bo(emu, "PATCH", trunkPath(t.id), { body: {} })).status, 200, "an empty PATCH is fine");
    });
  });

  describe("delete", function () {
    it("200 {message} counting the numbers removed with it; gateways, IPs and numbers are gone; a second delete is 404", async function () {
      const emu = await start();
      const t = await createTrunk(emu, userpass({ phone_numbers: [{ phone_number: "1001" }, { phone_number: "1002" }] }));
      await addNumber(emu, t.id, { phone_number: "1003" });
      const keep = await createTrunk(emu, ipBased({ phone_numbers: [{ phone_number: "2001" }] }));
      const res = await bo(emu, "DELETE", trunkPath(t.id));
      assert.deepEqual([res.status, res.body], [200, { message: trunkDeleted(3) }]);
      assert.equal(res.body.message, "Trunk deleted successfully. 3 phone number(s) removed.");
      assert.equal(emu.store.bolna.getTrunk(t.id), undefined);
      assert.deepEqual(emu.store.bolna.listNumbers().map((n) => n.phone_number), ["2001"], "the cascade takes only this trunk's numbers");
      assert.deepEqual(errorOf(await bo(emu, "GET", trunkPath(t.id))), [404, EMSG.trunkNotFound]);
      assert.deepEqual(errorOf(await bo(emu, "GET", numbersPath(t.id))), [404, EMSG.trunkNotFound]);
      assert.deepEqual(errorOf(await bo(emu, "DELETE", trunkPath(t.id))), [404, EMSG.trunkNotFound]);
      assert.deepEqual((await bo(emu, "DELETE", trunkPath(keep.id))).body, { message: trunkDeleted(1) });
      const none = await createTrunk(emu);
      assert.deepEqual((await bo(emu, "DELETE", trunkPath(none.id))).body, { message: trunkDeleted(0) });
      assert.equal((await addNumber(emu, (await createTrunk(emu)).id, { phone_number: "1001" })).phone_number, "1001", "a removed number can be added again");
    });
  });

  describe("numbers", function () {
    it("add: 201 with the number (stored verbatim, name null by default); list: bare array; the trunk shows them", async function () {
      const emu = await start();
      const t = await createTrunk(emu);
      const res = await bo(emu, "POST", numbersPath(t.id), { body: { phone_number: "919876543210", name: "Mumbai Support Line", e164_check_enabled: false } });
      assert.equal(res.status, 201, res.text);
      assert.deepEqual(Object.keys(res.body), NUMBER_KEYS);
      assert.match(res.body.id, ULID);
      assert.deepEqual(without(res.body, "id", "created_at", "updated_at"), {
        phone_number: "919876543210",
        name: "Mumbai Support Line",
        byot_trunk_id: t.id,
        telephony_provider: "sip-trunk",
        deleted: false,
      });
      const plus = await addNumber(emu, t.id, { phone_number: "+14155550100", e164_check_enabled: true, is_active: true });
      assert.deepEqual([plus.phone_number, plus.name], ["+14155550100", null]);
      const list = await bo(emu, "GET", numbersPath(t.id));
      assert.deepEqual([list.status, list.body], [200, [res.body, plus]]);
      assert.deepEqual((await bo(emu, "GET", trunkPath(t.id))).body.phone_numbers, [res.body, plus]);
    });

    it("refusals: 404 unknown trunk, 400 missing number or failed E.164 check, 422 types, 409 conflicts", async function () {
      const emu = await start();
      const t = await createTrunk(emu);
      const other = await createTrunk(emu, ipBased());
      await addNumber(emu, other.id, { phone_number: "+919876543210" });
      const cases: Array<[string, unknown, number, string]> = [
        ["01HZZZZZZZZZZZZZZZZZZZZZZZ", { phone_number: "1" }, 404, EMSG.trunkNotFound],
        [t.id, {}, 400, EMSG.phoneNumberRequired],
        [t.id, { phone_number: "" }, 400, EMSG.phoneNumberRequired],
        [t.id, { phone_number: 919876543210 }, 422, EMSG.notString("phone_number")],
        [t.id, { phone_number: "1", name: 5 }, 422, EMSG.notString("name")],
        [t.id, { phone_number: "1", e164_check_enabled: "yes" }, 422, EMSG.notBoolean("e164_check_enabled")],
        [t.id, { phone_number: "0044123", e164_check_enabled: true }, 400, EMSG.notE164("0044123")],
        [t.id, { phone_number: "+919876543210" }, 409, MSG.numberOnOtherTrunk],
        [t.id, { phone_number: "919876543210" }, 409, MSG.numberOnOtherTrunk],
      ];
      for (const [id, body, status, detail] of cases) assert.deepEqual(errorOf(await bo(emu, "POST", numbersPath(id), { body })), [status, detail], JSON.stringify(body));
      await addNumber(emu, t.id, { phone_number: "15550001" });
      assert.deepEqual(errorOf(await bo(emu, "POST", numbersPath(t.id), { body: { phone_number: "+15550001" } })), [409, EMSG.numberOnThisTrunk]);
      assert.deepEqual(emu.store.bolna.listNumbers(t.id).map((n) => n.phone_number), ["15550001"]);

      await bo(emu, "PATCH", trunkPath(other.id), { body: { is_active: false } });
      assert.equal((await bo(emu, "POST", numbersPath(t.id), { body: { phone_number: "+919876543210" } })).status, 201, "a number on an inactive trunk is no conflict");
    });

    it("remove: 200 {message}; 404 for an unknown number, a number of another trunk, or a second remove", async function () {
      const emu = await start();
      const t = await createTrunk(emu);
      const other = await createTrunk(emu, ipBased());
      const n = await addNumber(emu, t.id, { phone_number: "1001" });
      const elsewhere = await addNumber(emu, other.id, { phone_number: "2001" });
      assert.deepEqual(errorOf(await bo(emu, "DELETE", `${numbersPath(t.id)}/${elsewhere.id}`)), [404, EMSG.numberNotFound]);
      assert.deepEqual(errorOf(await bo(emu, "DELETE", `${numbersPath(t.id)}/01HZZZZZZZZZZZZZZZZZZZZZZZ`)), [404, EMSG.numberNotFound]);
      assert.deepEqual(errorOf(await bo(emu, "DELETE", `${numbersPath("01HZZZZZZZZZZZZZZZZZZZZZZZ")}/${n.id}`)), [404, EMSG.trunkNotFound]);
      const res = await bo(emu, "DELETE", `${numbersPath(t.id)}/${n.id}`);
      assert.deepEqual([res.status, res.body], [200, { message: NUMBER_REMOVED }]);
      assert.deepEqual((await bo(emu, "GET", numbersPath(t.id))).body, []);
      assert.deepEqual(errorOf(await bo(emu, "DELETE", `${numbersPath(t.id)}/${n.id}`)), [404, EMSG.numberNotFound]);
      assert.deepEqual(emu.store.bolna.listNumbers().map((x) => x.id), [elsewhere.id]);
    });

    it("bolnaNumberVisibilityDelayMs: a new number is missing from its list and 500 on remove until the delay passes", async function () {
      let now = 1_000_000;
      const emu = await start({ clock: () => now, bolnaNumberVisibilityDelayMs: 3000 });
      const t = await createTrunk(emu);
      const n = await addNumber(emu, t.id, { phone_number: "1001" });
      assert.deepEqual((await bo(emu, "GET", numbersPath(t.id))).body, [], "not yet visible");
      const early = await bo(emu, "DELETE", `${numbersPath(t.id)}/${n.id}`);
      assert.deepEqual([early.status, early.text], [500, EMSG.internalServerError]);
      assert.match(early.headers.get("content-type") ?? "", /^text\/plain/);
      assert.deepEqual(errorOf(await bo(emu, "POST", numbersPath(t.id), { body: { phone_number: "1001" } })), [409, EMSG.numberOnThisTrunk], "it exists all the same");
      now += 3000;
      assert.deepEqual((await bo(emu, "GET", numbersPath(t.id))).body.map((x: any) => x.id), [n.id]);
      assert.equal((await bo(emu, "DELETE", `${numbersPath(t.id)}/${n.id}`)).status, 200);
    });
  });

  describe("routing", function () {
    it("unknown paths are 404 {detail: Not Found}; a known path with another method is 405 with Allow", async function () {
      const emu = await start();
      const t = await createTrunk(emu);
      assert.deepEqual(errorOf(await bo(emu, "GET", "/trunk/trunks")), [404, EMSG.notFound], "the current /trunk API is not emulated");
      const put = await bo(emu, "PUT", trunkPath(t.id), { body: {} });
      assert.deepEqual(errorOf(put), [405, EMSG.methodNotAllowed]);
      assert.equal(put.headers.get("allow"), "GET, PATCH, DELETE");
      assert.deepEqual(errorOf(await bo(emu, "PATCH", numbersPath(t.id), { body: {} })), [405, EMSG.methodNotAllowed]);
      assert.equal(emu.requests.filter((r) => r.vendor === "bolna").length, 4);
    });
  });

  describe("CLI flags", function () {
    it("--bolna-api-key (repeatable), --bolna-error-format, --bolna-retry-after, --bolna-number-visibility-delay", function () {
      const parsed = parseCli(["--bolna-api-key", "k1", "--bolna-api-key", "k2", "--bolna-error-format", "openapi", "--bolna-retry-after", "5", "--bolna-number-visibility-delay", "2000"]);
      assert.ok(!parsed.help);
      if (parsed.help) return;
      assert.deepEqual(
        [parsed.options.bolnaApiKeys, parsed.options.bolnaErrorFormat, parsed.options.bolnaRetryAfterSeconds, parsed.options.bolnaNumberVisibilityDelayMs],
        [["k1", "k2"], "openapi", 5, 2000],
      );
      const defaults = parseCli([]);
      assert.ok(!defaults.help && !("bolnaApiKeys" in defaults.options) && !("bolnaErrorFormat" in defaults.options));
      assert.throws(() => parseCli(["--bolna-error-format", "xml"]), /--bolna-error-format needs detail or openapi/);
      assert.throws(() => parseCli(["--bolna-retry-after", "soon"]), /--bolna-retry-after needs a non-negative integer/);
    });
  });
});
