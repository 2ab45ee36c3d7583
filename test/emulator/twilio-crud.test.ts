/**
 * The Twilio vendor route by route: lifecycles, paging to the end, validation codes, the trunk
 * quota, domain uniqueness across accounts, one trunk per number, write-only passwords,
 * authentication, cascades on delete, the CLI flags and the handle.
 */
import * as assert from "node:assert/strict";
import { DEFAULT_TWILIO_ACCOUNT, DEFAULT_TWILIO_NUMBERS, DEFAULT_TWILIO_NUMBER_SIDS, startEmulator } from "../../emulator";
import { parseCli } from "../../emulator/cli";
import { AUTHENTICATE, CODES, TOO_MANY_REQUESTS } from "../../emulator/twilio/messages";
import { start, stopAll } from "./helpers";
import {
  ACCOUNT,
  STRONG_PASSWORD,
  createCredentialList,
  createIpAccessControlList,
  createTrunk,
  errorOf,
  tw,
  uniqueDomain,
  v1,
  v2010,
  type Credentials,
} from "./twilio-helpers";

const SID = (prefix: string) => new RegExp(`^${prefix}[0-9a-f]{32}$`);
const ISO_SECONDS = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/;
const RFC_2822 = /^[A-Z][a-z]{2}, \d\d [A-Z][a-z]{2} \d{4} \d\d:\d\d:\d\d \+0000$/;

const OTHER: Credentials = { user: "AC0000000000000000000000000000000b", password: "other-token" };
const TWO_ACCOUNTS = [
  { accountSid: ACCOUNT.accountSid, authToken: ACCOUNT.authToken, apiKeys: [...ACCOUNT.apiKeys] },
  { accountSid: OTHER.user, authToken: OTHER.password },
];

/** Follows `next` links from `first` and returns every page's items and the page count. */
async function walk(first: string, key: string, next: (body: any) => string | null, auth?: Credentials): Promise<{ items: any[]; pages: number }> {
  const items: any[] = [];
  let url: string | null = first;
  let pages = 0;
  while (url) {
    const res = await tw(url, "GET", { auth });
    assert.equal(res.status, 200, res.text);
    items.push(...res.body[key]);
    pages++;
    url = next(res.body);
    assert.ok(pages < 50, "paging terminates");
  }
  return { items, pages };
}

describe("Twilio emulator: routes", function () {
  afterEach(stopAll);

  describe("handle and defaults", function () {
    it("twilioTrunkingUrl / twilioApiUrl stand for the two real hosts; the default account is documented and fixed", async function () {
      const emu = await start();
      assert.equal(emu.twilioTrunkingUrl, `${emu.url}/twilio-trunking`);
      assert.equal(emu.twilioApiUrl, `${emu.url}/twilio-api`);
      assert.deepEqual(emu.twilioAccounts, [DEFAULT_TWILIO_ACCOUNT]);
      assert.equal(DEFAULT_TWILIO_ACCOUNT.accountSid, "ACe0000000000000000000000000000001");
      assert.equal(DEFAULT_TWILIO_ACCOUNT.authToken, "emulator-auth-token");
      assert.deepEqual(DEFAULT_TWILIO_ACCOUNT.apiKeys, [{ sid: "SKe0000000000000000000000000000001", secret: "emulator-api-key-secret" }]);
      assert.equal(DEFAULT_TWILIO_NUMBERS.length, 6);
      for (const sid of DEFAULT_TWILIO_NUMBER_SIDS) assert.match(sid, /^PN[0-9a-f]{32}$/);
      assert.deepEqual(emu.store.twilio.listPhoneNumbers().map((n) => [n.sid, n.account_sid, n.trunk_sid]), DEFAULT_TWILIO_NUMBER_SIDS.map((s) => [s, ACCOUNT.accountSid, null]));
    });

    it("refuses malformed accounts and concurrency limits at start", async function () {
      await assert.rejects(startEmulator({ twilioAccounts: [{ accountSid: "AC123", authToken: "t" }] }), /accountSid must be AC followed by 32 hex digits/);
      await assert.rejects(startEmulator({ twilioAccounts: [] }), /non-empty array/);
      await assert.rejects(startEmulator({ twilioAccounts: [{ accountSid: OTHER.user, authToken: "t", apiKeys: [{ sid: "SK1", secret: "s" }] }] }), /apiKeys\[0\]/);
      await assert.rejects(startEmulator({ twilioMaxConcurrency: 0 }), /twilioMaxConcurrency/);
    });
  });

  describe("authentication", function () {
    it("401 20003 without credentials, with a wrong token, or with an unknown account; WWW-Authenticate Basic", async function () {
      const emu = await start();
      for (const auth of [null, { user: ACCOUNT.accountSid, password: "wrong" }, OTHER, { user: ACCOUNT.apiKeys[0].sid, password: ACCOUNT.authToken }]) {
        const res = await tw(v1(emu, "/Trunks"), "GET", { auth });
        assert.equal(res.status, 401, JSON.stringify(auth));
        assert.deepEqual(res.body, AUTHENTICATE);
        assert.match(res.headers.get("www-authenticate") ?? "", /^Basic realm=/);
      }
      const bearer = await fetch(v1(emu, "/Trunks"), { headers: { Authorization: `Bearer ${ACCOUNT.authToken}` } });
      assert.equal(bearer.status, 401);
    });

    it("account SID + auth token, or API key SID + secret, reach the same account", async function () {
      const emu = await start();
      const t = await createTrunk(emu);
      const viaKey = await tw(v1(emu, `/Trunks/${t.sid}`), "GET", { auth: { user: ACCOUNT.apiKeys[0].sid, password: ACCOUNT.apiKeys[0].secret } });
      assert.equal(viaKey.status, 200);
      assert.equal(viaKey.body.account_sid, ACCOUNT.accountSid);
    });

    it("a v2010 path must name the caller's own account (401); another account's resources are 404", async function () {
      const emu = await start({ twilioAccounts: TWO_ACCOUNTS });
      const foreign = await tw(v2010(emu, "/SIP/CredentialLists.json", OTHER.user), "GET");
      assert.deepEqual(errorOf(foreign), [401, CODES.authenticate, 401]);
      const mine = await tw(v2010(emu, "/SIP/CredentialLists.json", OTHER.user), "GET", { auth: OTHER });
      assert.equal(mine.status, 200);
      const t = await createTrunk(emu);
      const other = await tw(v1(emu, `/Trunks/${t.sid}`), "GET", { auth: OTHER });
      assert.deepEqual(errorOf(other), [404, CODES.notFound, 404]);
      assert.equal(other.body.message, `The requested resource /Trunks/${t.sid} was not found`);
      const list = await tw(v1(emu, "/Trunks"), "GET", { auth: OTHER });
      assert.deepEqual(list.body.trunks, []);
    });
  });

  describe("Trunks", function () {
    it("lifecycle: create 201 with the documented defaults, fetch, update (POST), list, delete 204, then 404 20404", async function () {
      const emu = await start();
      const create = await tw(v1(emu, "/Trunks"), "POST", { form: { FriendlyName: "pbx", DomainName: "pbx.pstn.twilio.com" } });
      assert.equal(create.status, 201, create.text);
      const t = create.body;
      assert.match(t.sid, SID("TK"));
      assert.match(t.date_created, ISO_SECONDS);
      assert.deepEqual(
        { ...t, sid: "", date_created: "", date_updated: "", url: "", links: {} },
        {
          sid: "",
          account_sid: ACCOUNT.accountSid,
          domain_name: "pbx.pstn.twilio.com",
          disaster_recovery_method: "POST",
          disaster_recovery_url: null,
          friendly_name: "pbx",
          secure: false,
          cnam_lookup_enabled: false,
          symmetric_rtp_enabled: false,
          recording: { mode: "do-not-record", trim: "do-not-trim" },
          transfer_mode: "disable-all",
          transfer_caller_id: "from-transferee",
          auth_type: "",
          auth_type_set: [],
          date_created: "",
          date_updated: "",
          url: "",
          links: {},
        },
      );
      assert.equal(t.url, v1(emu, `/Trunks/${t.sid}`));
      assert.deepEqual(Object.keys(t.links), ["origination_urls", "credential_lists", "ip_access_control_lists", "phone_numbers"]);
      assert.equal(t.links.phone_numbers, `${t.url}/PhoneNumbers`);

      const fetched = await tw(t.url, "GET");
      assert.deepEqual(fetched.body, t);

      const updated = await tw(t.url, "POST", {
        form: { FriendlyName: "renamed", Secure: "True", CnamLookupEnabled: "true", TransferMode: "sip-only", TransferCallerId: "from-transferor", DisasterRecoveryUrl: "https://dr.example.com/x", DisasterRecoveryMethod: "get" },
      });
      assert.equal(updated.status, 200, updated.text);
      assert.deepEqual(
        [updated.body.friendly_name, updated.body.secure, updated.body.cnam_lookup_enabled, updated.body.transfer_mode, updated.body.transfer_caller_id, updated.body.disaster_recovery_url, updated.body.disaster_recovery_method, updated.body.domain_name],
        ["renamed", true, true, "sip-only", "from-transferor", "https://dr.example.com/x", "GET", "pbx.pstn.twilio.com"],
      );
      const cleared = await tw(t.url, "POST", { form: { DomainName: "", DisasterRecoveryUrl: "" } });
      assert.deepEqual([cleared.body.domain_name, cleared.body.disaster_recovery_url, cleared.body.friendly_name], [null, null, "renamed"]);

      const list = await tw(v1(emu, "/Trunks"), "GET");
      assert.deepEqual(list.body.trunks.map((x: any) => x.sid), [t.sid]);

      const del = await tw(t.url, "DELETE");
      assert.equal(del.status, 204);
      assert.equal(del.text, "");
      const gone = await tw(t.url, "GET");
      assert.deepEqual(gone.body, { code: 20404, message: `The requested resource /Trunks/${t.sid} was not found`, more_info: "https://www.twilio.com/docs/errors/20404", status: 404 });
      assert.equal((await tw(t.url, "DELETE")).status, 404, "a second delete is a 404");
      assert.equal((await tw(v1(emu, "/Trunks/not-a-sid"), "GET")).status, 404);
    });

    const invalid: Array<[string, Record<string, string>, RegExp]> = [
      ["a domain outside pstn.twilio.com", { DomainName: "pbx.example.com" }, /pstn\.twilio\.com/],
      ["the bare pstn.twilio.com", { DomainName: "pstn.twilio.com" }, /pstn\.twilio\.com/],
      ["FriendlyName over 64 characters", { FriendlyName: "x".repeat(65) }, /at most 64/],
      ["an unknown TransferMode", { TransferMode: "all" }, /TransferMode must be one of disable-all, enable-all, sip-only/],
      ["an unknown TransferCallerId", { TransferCallerId: "caller" }, /TransferCallerId/],
      ["a DisasterRecoveryMethod other than GET/POST", { DisasterRecoveryMethod: "PUT" }, /DisasterRecoveryMethod/],
      ["a DisasterRecoveryUrl that is not http(s)", { DisasterRecoveryUrl: "ftp://x" }, /DisasterRecoveryUrl must be an http/],
      ["a boolean that is not true/false", { Secure: "yes" }, /Secure must be true or false/],
    ];
    for (const [name, form, message] of invalid) {
      it(`400 ${CODES.trunkValidation} for ${name}, and nothing is created`, async function () {
        const emu = await start();
        const res = await tw(v1(emu, "/Trunks"), "POST", { form });
        assert.deepEqual(errorOf(res), [400, CODES.trunkValidation, 400]);
        assert.match(res.body.message, message);
        assert.equal(res.body.more_info, `https://www.twilio.com/docs/errors/${CODES.trunkValidation}`);
        assert.equal(emu.store.twilio.listTrunks().length, 0);
      });
    }

    it("unknown form parameters are ignored (Twilio's 20001 is a warning); symmetric_rtp_enabled is read-only", async function () {
      const emu = await start();
      const t = await createTrunk(emu, { SymmetricRtpEnabled: "true", Bogus: "x" });
      assert.equal(t.symmetric_rtp_enabled, false);
    });

    it("a JSON body is not a form: the parameters are not seen", async function () {
      const emu = await start();
      const res = await tw(v1(emu, "/Trunks"), "POST", { headers: { "Content-Type": "application/json" } });
      assert.equal(res.status, 201);
      const json = await fetch(v1(emu, "/Trunks"), {
        method: "POST",
        headers: { Authorization: `Basic ${Buffer.from(`${ACCOUNT.accountSid}:${ACCOUNT.authToken}`).toString("base64")}`, "Content-Type": "application/json" },
        body: JSON.stringify({ FriendlyName: "json" }),
      });
      assert.equal(((await json.json()) as any).friendly_name, null);
    });

    it("domain names are unique across all accounts (21248), case-insensitively; a deleted trunk frees its domain", async function () {
      const emu = await start({ twilioAccounts: TWO_ACCOUNTS });
      const a = await createTrunk(emu, { DomainName: "shared.pstn.twilio.com" });
      const clash = await tw(v1(emu, "/Trunks"), "POST", { form: { DomainName: "SHARED.pstn.twilio.com" }, auth: OTHER });
      assert.deepEqual(errorOf(clash), [400, CODES.trunkDomainTaken, 400]);
      const b = await createTrunk(emu, { DomainName: "other.pstn.twilio.com" });
      const rename = await tw(v1(emu, `/Trunks/${b.sid}`), "POST", { form: { DomainName: "shared.pstn.twilio.com" } });
      assert.deepEqual(errorOf(rename), [400, CODES.trunkDomainTaken, 400]);
      assert.equal((await tw(v1(emu, `/Trunks/${a.sid}`), "POST", { form: { DomainName: "shared.pstn.twilio.com" } })).status, 200, "keeping its own domain is fine");
      await tw(v1(emu, `/Trunks/${a.sid}`), "DELETE");
      assert.equal((await tw(v1(emu, "/Trunks"), "POST", { form: { DomainName: "shared.pstn.twilio.com" }, auth: OTHER })).status, 201);
    });

    it("the per-account trunk quota (21244): 100 by default, maxTrunks per account (1 = trial)", async function () {
      const emu = await start({ twilioAccounts: [{ ...TWO_ACCOUNTS[0], maxTrunks: 2 }, { ...TWO_ACCOUNTS[1], maxTrunks: 1 }] });
      await createTrunk(emu);
      await createTrunk(emu);
      const third = await tw(v1(emu, "/Trunks"), "POST", { form: { DomainName: uniqueDomain() } });
      assert.deepEqual(errorOf(third), [400, CODES.maxTrunks, 400]);
      assert.match(third.body.message, /Maximum Number of Trunks reached/);
      await createTrunk(emu, {}, OTHER);
      assert.equal((await tw(v1(emu, "/Trunks"), "POST", { auth: OTHER })).body.code, CODES.maxTrunks);

      const big = await start();
      for (let i = 0; i < 100; i++) big.store.twilio.put("trunks", { friendly_name: `t${i}` });
      assert.equal((await tw(v1(big, "/Trunks"), "POST")).body.code, CODES.maxTrunks, "the 101st");
    });

    it("paging: PageSize/Page/PageToken, meta links followed to the end, each trunk once; previous links; 400 on bad values", async function () {
      const emu = await start();
      for (let i = 0; i < 7; i++) emu.store.twilio.put("trunks", { friendly_name: `t${i}` });
      const all = emu.store.twilio.listTrunks().map((t) => t.sid);
      const first = v1(emu, "/Trunks?PageSize=3");
      const { items, pages } = await walk(first, "trunks", (b) => b.meta.next_page_url);
      assert.deepEqual(items.map((t) => t.sid), all);
      assert.equal(pages, 3);

      const p0 = await tw(first, "GET");
      assert.deepEqual(p0.body.meta, {
        first_page_url: v1(emu, "/Trunks?PageSize=3&Page=0"),
        key: "trunks",
        next_page_url: v1(emu, `/Trunks?PageSize=3&Page=1&PageToken=PA${all[2]}`),
        page: 0,
        page_size: 3,
        previous_page_url: null,
        url: v1(emu, "/Trunks?PageSize=3&Page=0"),
      });
      const p1 = await tw(p0.body.meta.next_page_url, "GET");
      assert.equal(p1.body.meta.url, p0.body.meta.next_page_url);
      assert.equal(p1.body.meta.previous_page_url, v1(emu, `/Trunks?PageSize=3&Page=0&PageToken=PB${all[3]}`));
      const back = await tw(p1.body.meta.previous_page_url, "GET");
      assert.deepEqual(back.body.trunks.map((t: any) => t.sid), all.slice(0, 3));

      // A token keeps its place when a record before it disappears (no skipped trunk).
      emu.store.twilio.delete(all[0]);
      const after = await tw(p0.body.meta.next_page_url, "GET");
      assert.deepEqual(after.body.trunks.map((t: any) => t.sid), all.slice(3, 6));

      const defaults = await tw(v1(emu, "/Trunks"), "GET");
      assert.deepEqual([defaults.body.meta.page_size, defaults.body.meta.page], [50, 0]);
      for (const q of ["PageSize=0", "PageSize=1001", "PageSize=x", "Page=-1"]) {
        const bad = await tw(v1(emu, `/Trunks?${q}`), "GET");
        assert.deepEqual(errorOf(bad), [400, CODES.invalidParameter, 400], q);
      }
    });
  });

  describe("Recording", function () {
    it("GET the defaults, POST Mode/Trim (partial), the trunk shows it; bad values 21245; unknown trunk 404", async function () {
      const emu = await start();
      const t = await createTrunk(emu);
      const rec = `${t.url}/Recording`;
      assert.deepEqual((await tw(rec, "GET")).body, { mode: "do-not-record", trim: "do-not-trim" });
      const set = await tw(rec, "POST", { form: { Mode: "record-from-answer-dual" } });
      assert.deepEqual([set.status, set.body], [200, { mode: "record-from-answer-dual", trim: "do-not-trim" }]);
      assert.deepEqual((await tw(rec, "POST", { form: { Trim: "trim-silence" } })).body, { mode: "record-from-answer-dual", trim: "trim-silence" });
      assert.deepEqual((await tw(t.url, "GET")).body.recording, { mode: "record-from-answer-dual", trim: "trim-silence" });
      assert.deepEqual(errorOf(await tw(rec, "POST", { form: { Mode: "always" } })), [400, CODES.trunkValidation, 400]);
      assert.equal((await tw(v1(emu, "/Trunks/TK00000000000000000000000000000000/Recording"), "GET")).status, 404);
    });
  });

  describe("OriginationUrls", function () {
    it("lifecycle: create (all five required), fetch, update, list, delete", async function () {
      const emu = await start();
      const t = await createTrunk(emu);
      const form = { FriendlyName: "bolna", SipUrl: "sip:trunk.bolna.ai:5060", Priority: 10, Weight: 10, Enabled: true };
      const created = await tw(t.links.origination_urls, "POST", { form });
      assert.equal(created.status, 201, created.text);
      const o = created.body;
      assert.match(o.sid, SID("OU"));
      assert.deepEqual([o.friendly_name, o.sip_url, o.priority, o.weight, o.enabled, o.trunk_sid, o.account_sid], ["bolna", "sip:trunk.bolna.ai:5060", 10, 10, true, t.sid, ACCOUNT.accountSid]);
      assert.equal(o.url, `${t.links.origination_urls}/${o.sid}`);
      assert.deepEqual((await tw(o.url, "GET")).body, o);
      const updated = await tw(o.url, "POST", { form: { Enabled: false, Priority: 0 } });
      assert.deepEqual([updated.body.enabled, updated.body.priority, updated.body.weight], [false, 0, 10]);
      assert.deepEqual((await tw(t.links.origination_urls, "GET")).body.origination_urls.map((x: any) => x.sid), [o.sid]);
      assert.equal((await tw(o.url, "DELETE")).status, 204);
      assert.equal((await tw(o.url, "GET")).status, 404);
      assert.equal((await tw(v1(emu, `/Trunks/TK00000000000000000000000000000000/OriginationUrls`), "GET")).status, 404);
    });

    const cases: Array<[string, Record<string, unknown>, RegExp]> = [
      ["a missing SipUrl", { FriendlyName: "f", Priority: 1, Weight: 1, Enabled: true }, /Missing required parameter SipUrl/],
      ["a missing Weight", { FriendlyName: "f", SipUrl: "sip:a", Priority: 1, Enabled: true }, /Missing required parameter Weight/],
      ["Weight 0", { FriendlyName: "f", SipUrl: "sip:a", Priority: 1, Weight: 0, Enabled: true }, /Weight must be between 1 and 65535/],
      ["Priority 65536", { FriendlyName: "f", SipUrl: "sip:a", Priority: 65536, Weight: 1, Enabled: true }, /Priority must be between 0 and 65535/],
      ["a non-integer Weight", { FriendlyName: "f", SipUrl: "sip:a", Priority: 1, Weight: 1.5, Enabled: true }, /Weight must be an integer/],
      ["a sips: URI", { FriendlyName: "f", SipUrl: "sips:a", Priority: 1, Weight: 1, Enabled: true }, /sip: URI/],
      ["an http URL", { FriendlyName: "f", SipUrl: "http://a", Priority: 1, Weight: 1, Enabled: true }, /sip: URI/],
    ];
    for (const [name, form, message] of cases) {
      it(`400 ${CODES.trunkValidation} for ${name}`, async function () {
        const emu = await start();
        const t = await createTrunk(emu);
        const res = await tw(t.links.origination_urls, "POST", { form });
        assert.deepEqual(errorOf(res), [400, CODES.trunkValidation, 400]);
        assert.match(res.body.message, message);
      });
    }
  });

  describe("trunk associations", function () {
    it("credential lists and IP ACLs: associate (sid = the list's), list, fetch, delete; auth_type follows", async function () {
      const emu = await start();
      const t = await createTrunk(emu);
      const cl = await createCredentialList(emu, "users");
      const al = await createIpAccessControlList(emu, "edges");
      const c = await tw(t.links.credential_lists, "POST", { form: { CredentialListSid: cl.sid } });
      assert.equal(c.status, 201, c.text);
      assert.deepEqual([c.body.sid, c.body.trunk_sid, c.body.friendly_name, c.body.url], [cl.sid, t.sid, "users", `${t.links.credential_lists}/${cl.sid}`]);
      assert.equal((await tw(t.url, "GET")).body.auth_type, "CREDENTIAL_LIST");
      const a = await tw(t.links.ip_access_control_lists, "POST", { form: { IpAccessControlListSid: al.sid } });
      assert.equal(a.status, 201);
      const trunk = (await tw(t.url, "GET")).body;
      assert.deepEqual([trunk.auth_type, trunk.auth_type_set], ["IP_ACL,CREDENTIAL_LIST", ["IP_ACL", "CREDENTIAL_LIST"]]);
      assert.deepEqual((await tw(t.links.credential_lists, "GET")).body.credential_lists.map((x: any) => x.sid), [cl.sid]);
      assert.deepEqual((await tw(`${t.links.ip_access_control_lists}/${al.sid}`, "GET")).body.friendly_name, "edges");

      // The list's name shows through the association.
      await tw(v2010(emu, `/SIP/CredentialLists/${cl.sid}.json`), "POST", { form: { FriendlyName: "renamed" } });
      assert.equal((await tw(`${t.links.credential_lists}/${cl.sid}`, "GET")).body.friendly_name, "renamed");

      assert.deepEqual(errorOf(await tw(t.links.credential_lists, "POST", { form: { CredentialListSid: cl.sid } })), [400, CODES.trunkValidation, 400], "a duplicate");
      assert.equal((await tw(`${t.links.credential_lists}/${cl.sid}`, "DELETE")).status, 204);
      assert.equal((await tw(`${t.links.credential_lists}/${cl.sid}`, "GET")).status, 404);
      assert.equal((await tw(`${t.links.credential_lists}/${cl.sid}`, "DELETE")).status, 404);
      assert.equal((await tw(t.url, "GET")).body.auth_type, "IP_ACL");
    });

    it("association POSTs: missing, malformed, unknown or another account's SID are 400 21245", async function () {
      const emu = await start({ twilioAccounts: TWO_ACCOUNTS });
      const t = await createTrunk(emu);
      const foreign = (await tw(v2010(emu, "/SIP/CredentialLists.json", OTHER.user), "POST", { form: { FriendlyName: "x" }, auth: OTHER })).body;
      for (const form of [{}, { CredentialListSid: "CL123" }, { CredentialListSid: "CL00000000000000000000000000000000" }, { CredentialListSid: foreign.sid }]) {
        const res = await tw(t.links.credential_lists, "POST", { form });
        assert.deepEqual(errorOf(res), [400, CODES.trunkValidation, 400], JSON.stringify(form));
      }
      const pn = await tw(t.links.phone_numbers, "POST", { form: { PhoneNumberSid: "PN00000000000000000000000000000000" } });
      assert.deepEqual(errorOf(pn), [400, CODES.trunkValidation, 400]);
    });

    it("phone numbers: on one trunk at most; the association is the number's trunk_sid; the voice application is cleared", async function () {
      const emu = await start();
      const a = await createTrunk(emu);
      const b = await createTrunk(emu);
      const pn = DEFAULT_TWILIO_NUMBER_SIDS[0];
      emu.store.twilio.update(pn, { voice_application_sid: "AP00000000000000000000000000000000" });
      const added = await tw(a.links.phone_numbers, "POST", { form: { PhoneNumberSid: pn } });
      assert.equal(added.status, 201, added.text);
      assert.deepEqual([added.body.sid, added.body.trunk_sid, added.body.phone_number, added.body.voice_application_sid], [pn, a.sid, "+14155550101", ""]);
      assert.equal(added.body.links.phone_number, v2010(emu, `/IncomingPhoneNumbers/${pn}`));
      assert.deepEqual(Object.keys(added.body.capabilities), ["voice", "sms", "mms"]);

      const elsewhere = await tw(b.links.phone_numbers, "POST", { form: { PhoneNumberSid: pn } });
      assert.deepEqual(errorOf(elsewhere), [400, CODES.trunkValidation, 400]);
      assert.match(elsewhere.body.message, new RegExp(`already associated with another trunk \\(${a.sid}\\)`));
      assert.deepEqual(errorOf(await tw(a.links.phone_numbers, "POST", { form: { PhoneNumberSid: pn } })), [400, CODES.trunkValidation, 400], "twice on the same trunk");
      assert.equal((await tw(`${b.links.phone_numbers}/${pn}`, "GET")).status, 404);
      assert.deepEqual((await tw(a.links.phone_numbers, "GET")).body.phone_numbers.map((n: any) => n.sid), [pn]);

      // The v2010 number shows its trunk; the link in the v1 answer is fetchable.
      const incoming = await tw(added.body.links.phone_number, "GET");
      assert.deepEqual([incoming.status, incoming.body.trunk_sid], [200, a.sid]);

      assert.equal((await tw(`${a.links.phone_numbers}/${pn}`, "DELETE")).status, 204);
      assert.equal((await tw(b.links.phone_numbers, "POST", { form: { PhoneNumberSid: pn } })).status, 201, "free again: it can move");
    });

    it("deleting a trunk removes its origination URLs and associations and takes its numbers off it; the lists stay", async function () {
      const emu = await start();
      const t = await createTrunk(emu);
      const keep = await createTrunk(emu);
      const cl = await createCredentialList(emu, "users");
      const al = await createIpAccessControlList(emu, "edges");
      await tw(t.links.origination_urls, "POST", { form: { FriendlyName: "o", SipUrl: "sip:a", Priority: 1, Weight: 1, Enabled: true } });
      await tw(keep.links.origination_urls, "POST", { form: { FriendlyName: "k", SipUrl: "sip:b", Priority: 1, Weight: 1, Enabled: true } });
      await tw(t.links.credential_lists, "POST", { form: { CredentialListSid: cl.sid } });
      await tw(keep.links.credential_lists, "POST", { form: { CredentialListSid: cl.sid } });
      await tw(t.links.ip_access_control_lists, "POST", { form: { IpAccessControlListSid: al.sid } });
      await tw(t.links.phone_numbers, "POST", { form: { PhoneNumberSid: DEFAULT_TWILIO_NUMBER_SIDS[1] } });

      // A list a trunk uses cannot be deleted (21241 / 21236).
      assert.deepEqual(errorOf(await tw(v2010(emu, `/SIP/CredentialLists/${cl.sid}.json`), "DELETE")), [400, CODES.credentialListDependencies, 400]);
      assert.deepEqual(errorOf(await tw(v2010(emu, `/SIP/IpAccessControlLists/${al.sid}.json`), "DELETE")), [400, CODES.ipAccessControlListDependencies, 400]);

      assert.equal((await tw(t.url, "DELETE")).status, 204);
      const state = emu.store.twilio.snapshot();
      assert.deepEqual(state.origination_urls.map((o) => o.trunk_sid), [keep.sid]);
      assert.deepEqual(state.trunk_credential_lists.map((l) => l.trunk_sid), [keep.sid]);
      assert.deepEqual(state.trunk_ip_access_control_lists, []);
      assert.equal(state.phone_numbers.find((n) => n.sid === DEFAULT_TWILIO_NUMBER_SIDS[1])!.trunk_sid, null);
      assert.deepEqual([state.credential_lists.length, state.ip_access_control_lists.length], [1, 1]);
      assert.equal((await tw(`${t.links.origination_urls}`, "GET")).status, 404);
      assert.equal((await tw(v2010(emu, `/SIP/IpAccessControlLists/${al.sid}.json`), "DELETE")).status, 204, "no longer used");
    });
  });

  describe("v2010 SIP credential lists and credentials", function () {
    it("lifecycle, RFC 2822 dates, relative uris; credentials never show a password", async function () {
      const emu = await start();
      const created = await tw(v2010(emu, "/SIP/CredentialLists.json"), "POST", { form: { FriendlyName: "users" } });
      assert.equal(created.status, 201);
      const cl = created.body;
      assert.match(cl.sid, SID("CL"));
      assert.match(cl.date_created, RFC_2822);
      assert.equal(cl.uri, `/2010-04-01/Accounts/${ACCOUNT.accountSid}/SIP/CredentialLists/${cl.sid}.json`);
      assert.deepEqual((await tw(`${emu.twilioApiUrl}${cl.uri}`, "GET")).body, cl, "uri is relative to twilioApiUrl");
      const renamed = await tw(`${emu.twilioApiUrl}${cl.uri}`, "POST", { form: { FriendlyName: "people" } });
      assert.equal(renamed.body.friendly_name, "people");

      const creds = `${emu.twilioApiUrl}${cl.subresource_uris.credentials}`;
      const cr = await tw(creds, "POST", { form: { Username: "alice", Password: STRONG_PASSWORD } });
      assert.equal(cr.status, 201, cr.text);
      assert.match(cr.body.sid, SID("CR"));
      assert.deepEqual(Object.keys(cr.body).sort(), ["account_sid", "credential_list_sid", "date_created", "date_updated", "sid", "uri", "username"]);
      const changed = await tw(`${emu.twilioApiUrl}${cr.body.uri}`, "POST", { form: { Password: "An0therStrongOne", Username: "ignored" } });
      assert.deepEqual([changed.status, changed.body.username], [200, "alice"], "Username is create-only (ignored on update)");
      assert.equal((emu.store.twilio.get(cr.body.sid) as any).password, "An0therStrongOne");
      const answers = [cr, changed, await tw(creds, "GET"), await tw(`${emu.twilioApiUrl}${cr.body.uri}`, "GET")];
      for (const a of answers) {
        assert.ok(!a.text.includes(STRONG_PASSWORD) && !a.text.includes("An0therStrongOne") && !a.text.includes('"password"'), a.text);
      }
      assert.equal((await tw(`${emu.twilioApiUrl}${cr.body.uri}`, "DELETE")).status, 204);
      assert.equal((await tw(`${emu.twilioApiUrl}${cl.uri}`, "DELETE")).status, 204);
      assert.equal((await tw(creds, "GET")).status, 404, "the entries went with the list");
      assert.deepEqual(emu.store.twilio.list("credentials"), []);
    });

    const passwords: Array<[string, string]> = [
      ["11 characters", "Abcdefghij1"],
      ["no digit", "Abcdefghijkl"],
      ["no upper case", "abcdefghijk1"],
      ["no lower case", "ABCDEFGHIJK1"],
      ["empty", ""],
    ];
    for (const [name, password] of passwords) {
      it(`a password with ${name} is refused: 400 ${CODES.credentialValidation}`, async function () {
        const emu = await start();
        const cl = await createCredentialList(emu, "users");
        const res = await tw(`${emu.twilioApiUrl}${cl.subresource_uris.credentials}`, "POST", { form: { Username: "bob", Password: password } });
        assert.deepEqual(errorOf(res), [400, CODES.credentialValidation, 400]);
        assert.deepEqual(emu.store.twilio.list("credentials"), []);
      });
    }

    it("Username: required, at most 32 characters, unique in its list; FriendlyName unique per account (21240), required on update", async function () {
      const emu = await start();
      const cl = await createCredentialList(emu, "users");
      const creds = `${emu.twilioApiUrl}${cl.subresource_uris.credentials}`;
      assert.match((await tw(creds, "POST", { form: { Password: STRONG_PASSWORD } })).body.message, /Missing required parameter Username/);
      assert.deepEqual(errorOf(await tw(creds, "POST", { form: { Username: "u".repeat(33), Password: STRONG_PASSWORD } })), [400, CODES.credentialValidation, 400]);
      assert.equal((await tw(creds, "POST", { form: { Username: "u".repeat(32), Password: STRONG_PASSWORD } })).status, 201);
      assert.deepEqual(errorOf(await tw(creds, "POST", { form: { Username: "u".repeat(32), Password: STRONG_PASSWORD } })), [400, CODES.credentialValidation, 400]);
      const dup = await tw(v2010(emu, "/SIP/CredentialLists.json"), "POST", { form: { FriendlyName: "users" } });
      assert.deepEqual(errorOf(dup), [400, CODES.credentialListValidation, 400]);
      assert.deepEqual(errorOf(await tw(`${emu.twilioApiUrl}${cl.uri}`, "POST", {})), [400, CODES.credentialListValidation, 400]);
      assert.deepEqual(errorOf(await tw(v2010(emu, "/SIP/CredentialLists.json"), "POST", { form: { FriendlyName: "x".repeat(65) } })), [400, CODES.credentialListValidation, 400]);
    });

    it("paging in the v2010 envelope: next_page_uri (relative to twilioApiUrl) followed to the end", async function () {
      const emu = await start();
      for (let i = 0; i < 5; i++) emu.store.twilio.put("credential_lists", { friendly_name: `l${i}` });
      const all = emu.store.twilio.list("credential_lists").map((l) => l.sid);
      const first = v2010(emu, "/SIP/CredentialLists.json?PageSize=2");
      const { items, pages } = await walk(first, "credential_lists", (b) => (b.next_page_uri ? `${emu.twilioApiUrl}${b.next_page_uri}` : null));
      assert.deepEqual(items.map((l) => l.sid), all);
      assert.equal(pages, 3);
      const p1 = await tw(`${emu.twilioApiUrl}${(await tw(first, "GET")).body.next_page_uri}`, "GET");
      const base = `/2010-04-01/Accounts/${ACCOUNT.accountSid}/SIP/CredentialLists.json`;
      assert.deepEqual(
        { ...p1.body, credential_lists: p1.body.credential_lists.length },
        {
          credential_lists: 2,
          end: 3,
          first_page_uri: `${base}?PageSize=2&Page=0`,
          next_page_uri: `${base}?PageSize=2&Page=2&PageToken=PA${all[3]}`,
          page: 1,
          page_size: 2,
          previous_page_uri: `${base}?PageSize=2&Page=0&PageToken=PB${all[2]}`,
          start: 2,
          uri: `${base}?PageSize=2&Page=1&PageToken=PA${all[1]}`,
        },
      );
    });

    it("the 100 credential lists per account limit (21239)", async function () {
      const emu = await start();
      for (let i = 0; i < 100; i++) emu.store.twilio.put("credential_lists", { friendly_name: `l${i}` });
      assert.deepEqual(errorOf(await tw(v2010(emu, "/SIP/CredentialLists.json"), "POST", { form: { FriendlyName: "one more" } })), [400, CODES.maxCredentialLists, 400]);
    });
  });

  describe("v2010 SIP IP access control lists and IP addresses", function () {
    it("lifecycle; CidrPrefixLength defaults to 32; IPv4 only, dotted decimal", async function () {
      const emu = await start();
      const al = await createIpAccessControlList(emu, "edges");
      assert.match(al.sid, SID("AL"));
      assert.equal(al.subresource_uris.ip_addresses, `/2010-04-01/Accounts/${ACCOUNT.accountSid}/SIP/IpAccessControlLists/${al.sid}/IpAddresses.json`);
      const ips = `${emu.twilioApiUrl}${al.subresource_uris.ip_addresses}`;
      const ip = await tw(ips, "POST", { form: { FriendlyName: "bolna", IpAddress: "13.200.45.61" } });
      assert.equal(ip.status, 201, ip.text);
      assert.match(ip.body.sid, SID("IP"));
      assert.deepEqual([ip.body.ip_address, ip.body.cidr_prefix_length, ip.body.ip_access_control_list_sid], ["13.200.45.61", 32, al.sid]);
      const wide = await tw(ips, "POST", { form: { FriendlyName: "range", IpAddress: "10.0.0.0", CidrPrefixLength: 8 } });
      assert.equal(wide.body.cidr_prefix_length, 8);
      const moved = await tw(`${emu.twilioApiUrl}${ip.body.uri}`, "POST", { form: { IpAddress: "15.252.21.46" } });
      assert.deepEqual([moved.body.ip_address, moved.body.friendly_name], ["15.252.21.46", "bolna"]);
      assert.deepEqual((await tw(ips, "GET")).body.ip_addresses.map((x: any) => x.sid), [ip.body.sid, wide.body.sid]);
      for (const [form, what] of [
        [{ FriendlyName: "x", IpAddress: "192.168.1.*" }, "a wildcard"],
        [{ FriendlyName: "x", IpAddress: "192.168.1.0/24" }, "a prefix in the address"],
        [{ FriendlyName: "x", IpAddress: "2001:db8::1" }, "IPv6"],
        [{ FriendlyName: "x", IpAddress: "256.1.1.1" }, "an octet over 255"],
        [{ FriendlyName: "x", IpAddress: "01.2.3.4" }, "a leading zero"],
        [{ FriendlyName: "x", IpAddress: "1.2.3.4", CidrPrefixLength: 33 }, "a prefix over 32"],
        [{ IpAddress: "1.2.3.4" }, "no FriendlyName"],
      ] as Array<[Record<string, unknown>, string]>) {
        assert.deepEqual(errorOf(await tw(ips, "POST", { form })), [400, CODES.ipAddressValidation, 400], what);
      }
      assert.deepEqual(errorOf(await tw(`${emu.twilioApiUrl}${al.uri}`, "POST", { form: { FriendlyName: "" } })), [400, CODES.ipAccessControlListValidation, 400]);
      assert.equal((await tw(`${emu.twilioApiUrl}${ip.body.uri}`, "DELETE")).status, 204);
      assert.equal((await tw(`${emu.twilioApiUrl}${al.uri}`, "DELETE")).status, 204);
      assert.deepEqual(emu.store.twilio.list("ip_addresses"), []);
    });

    it("the 100 addresses per list limit (21237)", async function () {
      const emu = await start();
      const al = await createIpAccessControlList(emu, "edges");
      for (let i = 0; i < 100; i++) emu.store.twilio.put("ip_addresses", { ip_access_control_list_sid: al.sid, ip_address: `10.0.${Math.floor(i / 250)}.${i % 250}` });
      const res = await tw(`${emu.twilioApiUrl}${al.subresource_uris.ip_addresses}`, "POST", { form: { FriendlyName: "x", IpAddress: "10.1.1.1" } });
      assert.deepEqual(errorOf(res), [400, CODES.maxIpAddresses, 400]);
    });

    it("an entry route under another list, or an unknown list, is 404", async function () {
      const emu = await start();
      const a = await createIpAccessControlList(emu, "a");
      const b = await createIpAccessControlList(emu, "b");
      const ip = (await tw(`${emu.twilioApiUrl}${a.subresource_uris.ip_addresses}`, "POST", { form: { FriendlyName: "x", IpAddress: "1.2.3.4" } })).body;
      assert.equal((await tw(v2010(emu, `/SIP/IpAccessControlLists/${b.sid}/IpAddresses/${ip.sid}.json`), "GET")).status, 404);
      const unknown = await tw(v2010(emu, "/SIP/IpAccessControlLists/AL00000000000000000000000000000000/IpAddresses.json"), "GET");
      assert.deepEqual(errorOf(unknown), [404, CODES.notFound, 404]);
      assert.equal(unknown.body.message, `The requested resource /2010-04-01/Accounts/${ACCOUNT.accountSid}/SIP/IpAccessControlLists/AL00000000000000000000000000000000/IpAddresses.json was not found`);
    });
  });

  describe("v2010 IncomingPhoneNumbers", function () {
    it("lists the seeded numbers, filters by PhoneNumber (+ encoded or not, partial, * wildcard), fetches one", async function () {
      const emu = await start();
      const list = await tw(v2010(emu, "/IncomingPhoneNumbers.json"), "GET");
      assert.deepEqual(list.body.incoming_phone_numbers.map((n: any) => n.phone_number), DEFAULT_TWILIO_NUMBERS.map((n) => n.phone_number));
      const n = list.body.incoming_phone_numbers[0];
      assert.match(n.date_created, RFC_2822);
      assert.equal(n.uri, `/2010-04-01/Accounts/${ACCOUNT.accountSid}/IncomingPhoneNumbers/${n.sid}.json`);
      assert.deepEqual(n.capabilities, { voice: true, sms: true, mms: true, fax: false });
      assert.equal(n.trunk_sid, null);

      for (const q of ["PhoneNumber=%2B14155550103", "PhoneNumber=+14155550103", "PhoneNumber=5550103", "PhoneNumber=55501*3"]) {
        const res = await tw(v2010(emu, `/IncomingPhoneNumbers.json?${q}`), "GET");
        assert.deepEqual(res.body.incoming_phone_numbers.map((x: any) => x.phone_number), ["+14155550103"], q);
      }
      const filtered = await tw(v2010(emu, "/IncomingPhoneNumbers.json?PhoneNumber=%2B14155550103&PageSize=5"), "GET");
      assert.equal(filtered.body.first_page_uri, `/2010-04-01/Accounts/${ACCOUNT.accountSid}/IncomingPhoneNumbers.json?PhoneNumber=%2B14155550103&PageSize=5&Page=0`);
      assert.deepEqual((await tw(v2010(emu, "/IncomingPhoneNumbers.json?PhoneNumber=%2B19998887777"), "GET")).body.incoming_phone_numbers, []);
      assert.deepEqual((await tw(v2010(emu, `/IncomingPhoneNumbers/${n.sid}.json`), "GET")).body, n);
      assert.equal((await tw(v2010(emu, "/IncomingPhoneNumbers/PN00000000000000000000000000000000.json"), "GET")).status, 404);
    });

    it("seeds add numbers (to the first account unless they name one) or drop the defaults", async function () {
      const emu = await start({
        twilioAccounts: TWO_ACCOUNTS,
        seed: { twilio: { default_phone_numbers: false, phone_numbers: [{ phone_number: "+15005550006" }, { phone_number: "+15005550007", account_sid: OTHER.user }] } },
      });
      assert.deepEqual(emu.store.twilio.listPhoneNumbers().map((n) => [n.phone_number, n.account_sid]), [["+15005550006", ACCOUNT.accountSid], ["+15005550007", OTHER.user]]);
      const mine = await tw(v2010(emu, "/IncomingPhoneNumbers.json"), "GET");
      assert.deepEqual(mine.body.incoming_phone_numbers.map((n: any) => n.phone_number), ["+15005550006"]);
      await assert.rejects(startEmulator({ seed: { twilio: { phone_numbers: [{ phone_number: "5005550006" }] } } }), /twilio\.phone_numbers\[0\]/);
    });
  });

  describe("envelopes", function () {
    it("an unknown route under either host is Twilio's 404; a 429 uses the recorded body", async function () {
      const emu = await start({ faults: [{ kind: "status", status: 429, match: { path: "/twilio-api" } }] });
      const unknown = await tw(v1(emu, "/Services"), "GET");
      assert.deepEqual(unknown.body, { code: 20404, message: "The requested resource /Services was not found", more_info: "https://www.twilio.com/docs/errors/20404", status: 404 });
      assert.match(unknown.headers.get("content-type") ?? "", /^application\/json/);
      const limited = await tw(v2010(emu, "/IncomingPhoneNumbers.json"), "GET");
      assert.deepEqual([limited.status, limited.body], [429, TOO_MANY_REQUESTS]);
    });

    it("the request log records Twilio requests with vendor twilio, never the Authorization header", async function () {
      const emu = await start();
      await createTrunk(emu);
      await tw(v2010(emu, "/IncomingPhoneNumbers.json"), "GET", { auth: null });
      assert.deepEqual(
        emu.requests.map((r) => [r.method, r.path, r.status, r.vendor]),
        [
          ["POST", "/twilio-trunking/v1/Trunks", 201, "twilio"],
          ["GET", `/twilio-api/2010-04-01/Accounts/${ACCOUNT.accountSid}/IncomingPhoneNumbers.json`, 401, "twilio"],
        ],
      );
      assert.ok(!JSON.stringify(emu.requests.list()).includes(ACCOUNT.authToken));
    });
  });

  describe("CLI flags", function () {
    it("--twilio-account, --twilio-api-key, --twilio-max-trunks, --twilio-max-concurrency map onto the options", function () {
      const parsed = parseCli([
        "--twilio-account", `${OTHER.user}:${OTHER.password}`,
        "--twilio-account", `${ACCOUNT.accountSid}:tok:with:colons`,
        "--twilio-api-key", `${OTHER.user}:SK0000000000000000000000000000000b:se:cret`,
        "--twilio-max-trunks", "1",
        "--twilio-max-concurrency", "5",
      ]);
      assert.ok(!parsed.help);
      if (parsed.help) return;
      assert.deepEqual(parsed.options.twilioAccounts, [
        { accountSid: OTHER.user, authToken: OTHER.password, apiKeys: [{ sid: "SK0000000000000000000000000000000b", secret: "se:cret" }], maxTrunks: 1 },
        { accountSid: ACCOUNT.accountSid, authToken: "tok:with:colons", maxTrunks: 1 },
      ]);
      assert.equal(parsed.options.twilioMaxConcurrency, 5);
    });

    it("without Twilio flags the options carry none; --twilio-max-trunks alone keeps the default account", function () {
      const none = parseCli([]);
      assert.ok(!none.help && !("twilioAccounts" in none.options) && !("twilioMaxConcurrency" in none.options));
      const trial = parseCli(["--twilio-max-trunks", "1"]);
      assert.ok(!trial.help);
      if (trial.help) return;
      assert.deepEqual(trial.options.twilioAccounts, [{ ...DEFAULT_TWILIO_ACCOUNT, apiKeys: [...DEFAULT_TWILIO_ACCOUNT.apiKeys], maxTrunks: 1 }]);
      assert.throws(() => parseCli(["--twilio-account", "ACnocolon"]), /ACCOUNT_SID:AUTH_TOKEN/);
      assert.throws(() => parseCli(["--twilio-api-key", `${OTHER.user}:SK1:x`]), /not a Twilio account of this emulator/);
    });
  });
});
