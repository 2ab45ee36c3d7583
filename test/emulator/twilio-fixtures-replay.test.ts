/**
 * Replays every recorded Twilio exchange in shared/fixtures/twilio against the emulator: the
 * recorded request (path on the emulated host, form body) after the parents it needs were put in
 * the store with the recording's own SIDs, then the answer compared with the recording:
 * - always: status; same keys, same JSON types, recursively; for errors the same `code`;
 *   structural values equal (URLs, URIs, SIDs, paging numbers, after mapping the emulated hosts
 *   onto the real ones and a generated SID onto the recorded one); dates in the recorded format;
 * - `exact`: a read of state seeded from the recording answers the recording, value for value;
 * - `echo`: a write answers what was sent (for every member the recording also echoes).
 *
 * Where the emulator cannot, or by its rules must not, reproduce a recording, the case says why in
 * `note` (and docs/emulator.md lists it): nothing is skipped silently.
 */
import * as assert from "node:assert/strict";
import type { EmulatorHandle, EmulatorOptions, TwilioRecordOf } from "../../emulator";
import { CODES } from "../../emulator/twilio/messages";
import { loadExchanges, manifest, registerMissingExchanges, requireFixtures, type Exchange } from "../helpers/shared-fixtures";
import { start, stopAll } from "./helpers";
import { STRONG_PASSWORD, tw } from "./twilio-helpers";

const SUITE = "Twilio fixture replay";

const AC = "ACaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";
/** The account of error_404_v2010_delete_twice.json. */
const AC_GO = "AC58f1e8f2b1c6b88ca90a012a4be0c279";
const TK = "TKaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";
const OU = "OUaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";
const CL = "CLaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";
const CR = "CRaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";
const AL = "ALaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";
const IP = "IPaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";
const PN = "PNaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";

const ACCOUNTS = [
  { accountSid: AC, authToken: "token-of-the-examples" },
  { accountSid: AC_GO, authToken: "token-of-kevinburke" },
];

const REAL_TRUNKING = "https://trunking.twilio.com";
const REAL_API = "https://api.twilio.com";

interface ReplayCase {
  /** Why the replay departs from the recording, if it does (also listed in docs/emulator.md). */
  note?: string;
  options?: EmulatorOptions;
  setup?(emu: EmulatorHandle, fx: Exchange): void;
  /** The path to replay, when the recorded one cannot be used as is. */
  path?(fx: Exchange): string;
  /** The form to send, when the recorded one cannot be used as is. */
  body?(fx: Exchange): Record<string, unknown> | null;
  /** The account to authenticate as (default: the examples' ACaaaa…). */
  account?: string;
  /** The server generates this resource's SID: check its format, map it onto the recorded one. */
  generated?: boolean;
  /** Compare every value (a read of state seeded from the recording). */
  exact?: boolean;
  /** Member names compared by type only, also in `exact` mode (dates of things the replay creates now). */
  loose?: string[];
  /** Check that the response echoes each sent parameter (except these form names). */
  echo?: boolean | { except: string[] };
  after?(emu: EmulatorHandle, res: { status: number; body: any }, fx: Exchange): void | Promise<void>;
}

// -----------------------------------------------------------------------------------------------
// Seeding the recorded state (the out-of-band store API takes the recording's SIDs and dates)
// -----------------------------------------------------------------------------------------------

const iso = (date: string) => new Date(date).toISOString();

/** A trunk record from a recorded trunk body (or the examples' defaults). */
function putTrunk(emu: EmulatorHandle, body: any = {}, sid = TK) {
  emu.store.twilio.put("trunks", {
    sid,
    account_sid: AC,
    friendly_name: body.friendly_name ?? "friendly_name",
    domain_name: body.domain_name ?? "test.pstn.twilio.com",
    disaster_recovery_method: body.disaster_recovery_method ?? "POST",
    disaster_recovery_url: body.disaster_recovery_url ?? "http://disaster-recovery.com",
    secure: body.secure ?? false,
    cnam_lookup_enabled: body.cnam_lookup_enabled ?? false,
    symmetric_rtp_enabled: body.symmetric_rtp_enabled ?? false,
    recording: body.recording ?? { mode: "do-not-record", trim: "do-not-trim" },
    transfer_mode: body.transfer_mode ?? "disable-all",
    transfer_caller_id: body.transfer_caller_id ?? "from-transferee",
    ...(body.date_created ? { date_created: iso(body.date_created), date_updated: iso(body.date_updated) } : {}),
  });
}

function putOriginationUrl(emu: EmulatorHandle, body: any) {
  const { url: _url, ...rest } = body;
  emu.store.twilio.put("origination_urls", { ...rest, date_created: iso(body.date_created), date_updated: iso(body.date_updated) });
}

function putCredentialList(emu: EmulatorHandle, body: any = {}) {
  emu.store.twilio.put("credential_lists", {
    sid: body.sid ?? CL,
    account_sid: AC,
    friendly_name: body.friendly_name ?? "friendly_name",
    ...(body.date_created ? { date_created: iso(body.date_created), date_updated: iso(body.date_updated) } : {}),
  });
}

function putCredential(emu: EmulatorHandle, body: any) {
  emu.store.twilio.put("credentials", {
    sid: body.sid,
    account_sid: AC,
    credential_list_sid: body.credential_list_sid,
    username: body.username,
    password: STRONG_PASSWORD,
    date_created: iso(body.date_created),
    date_updated: iso(body.date_updated),
  });
}

function putIpAccessControlList(emu: EmulatorHandle, body: any = {}) {
  emu.store.twilio.put("ip_access_control_lists", {
    sid: body.sid ?? AL,
    account_sid: AC,
    friendly_name: body.friendly_name ?? "friendly_name",
    ...(body.date_created ? { date_created: iso(body.date_created), date_updated: iso(body.date_updated) } : {}),
  });
}

function putIpAddress(emu: EmulatorHandle, body: any) {
  const { uri: _uri, ...rest } = body;
  emu.store.twilio.put("ip_addresses", { ...rest, date_created: iso(body.date_created), date_updated: iso(body.date_updated) });
}

/** A number from a recorded trunk PhoneNumber body (v1 shape: capabilities without fax). */
function putPhoneNumber(emu: EmulatorHandle, body: any, trunkSid: string | null) {
  const { url: _url, links: _links, capabilities, ...rest } = body;
  const input: Partial<TwilioRecordOf["phone_numbers"]> & { phone_number: string } = {
    ...rest,
    trunk_sid: trunkSid,
    capabilities: { ...capabilities, fax: false },
    date_created: iso(body.date_created),
    date_updated: iso(body.date_updated),
  };
  emu.store.twilio.addPhoneNumber(input);
}

const firstOf = (fx: Exchange, key: string) => fx.response.body[key][0];

/** The responses in the fixtures that are the canonical body of a resource, for setups. */
const RECORDED = {
  trunk: (fx: Exchange) => fx.response.body,
};

const WEAK_PASSWORD_NOTE =
  "The recording sends Password=password, which breaks the documented rule (12+ characters, a digit, mixed case; the spec's examples are not validated): the emulator answers that with 400 21243, asserted, then the exchange is replayed with a compliant password and compared.";
const NOT_ECHOED_V2010 = "The v2010 example responses do not reflect the FriendlyName/Username sent (fixtures README); the emulator echoes what was sent, asserted, and the recording is compared by shape.";

const CASES: Record<string, ReplayCase> = {
  "error_404_origination_url_fetch_sdk_go.json": {
    note: "Third-party mock (RJPearson94/twilio-sdk-go): one body answers every 404 there, so its message (/Trunks/TK71) does not name the request path. Compared by code, status, more_info and shape; the emulator's message names the path it was sent, without /v1, in the recorded form.",
    after(_emu, res) {
      assert.equal(res.body.message, "The requested resource /Trunks/TKXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXX/OriginationUrls/OU71 was not found");
    },
  },
  "error_404_v2010_delete_twice.json": {
    note: "Recorded on a Transcription, which the emulator does not serve: the same path is an unknown route, answered with the same 404 (the account is configured so that authentication passes).",
    account: AC_GO,
    exact: true,
  },
  "error_429_too_many_requests.json": {
    note: "Recorded on Verify v2 (verify.twilio.com), not emulated; the same envelope is replayed on POST /v1/Trunks under an injected 429 (the concurrency limit's 429 is the same body, see twilio-faults.test.ts).",
    options: { faults: [{ kind: "status", status: 429 }] },
    path: () => "/v1/Trunks",
    exact: true,
  },

  // --- trunks ---------------------------------------------------------------------------------
  "trunk_create.json": {
    generated: true,
    note: "The example sends DisasterRecoveryMethod=GET and shows POST (as published); the emulator stores what was sent (asserted).",
    echo: true,
  },
  "trunk_fetch.json": { setup: (emu, fx) => putTrunk(emu, RECORDED.trunk(fx)), exact: true },
  "trunk_update.json": {
    note: "The example's symmetric_rtp_enabled flips to true, but it is read-only (not an Update parameter): the emulator keeps false (asserted); compared by shape.",
    setup: (emu) => putTrunk(emu, { date_created: "2015-01-02T11:23:45Z", date_updated: "2015-01-02T11:23:45Z" }),
    echo: true,
    after(_emu, res) {
      assert.equal(res.body.symmetric_rtp_enabled, false);
    },
  },
  "trunk_delete.json": {
    setup: (emu) => putTrunk(emu),
    after(emu) {
      assert.equal(emu.store.twilio.getTrunk(TK), undefined);
    },
  },
  "trunk_list_empty.json": { exact: true },
  "trunk_list_full.json": { setup: (emu, fx) => putTrunk(emu, firstOf(fx, "trunks")), exact: true },
  "recording_fetch.json": { setup: (emu) => putTrunk(emu), exact: true },
  "recording_update.json": {
    setup: (emu) => putTrunk(emu, { recording: { mode: "record-from-answer", trim: "trim-silence" } }),
    exact: true,
    after(emu) {
      assert.deepEqual(emu.store.twilio.getTrunk(TK)!.recording, { mode: "do-not-record", trim: "do-not-trim" });
    },
  },

  // --- origination URLs -----------------------------------------------------------------------
  "origination_url_create.json": { setup: (emu) => putTrunk(emu), generated: true, echo: true },
  "origination_url_create_py2015.json": {
    note: "Hand-made 2015 SDK fixture: it sent Priority=10 and shows 20; the emulator stores what was sent (asserted). Enabled sent as the string \"true\" and the sip: form are accepted.",
    setup: (emu) => putTrunk(emu, {}, "TK11111111111111111111111111111111"),
    generated: true,
    echo: true,
  },
  "origination_url_fetch.json": { setup: (emu, fx) => (putTrunk(emu), putOriginationUrl(emu, fx.response.body)), exact: true },
  "origination_url_list.json": { setup: (emu, fx) => (putTrunk(emu), putOriginationUrl(emu, firstOf(fx, "origination_urls"))), exact: true },
  "origination_url_list_empty.json": { setup: (emu) => putTrunk(emu), exact: true },
  "origination_url_update.json": {
    setup(emu) {
      putTrunk(emu);
      putOriginationUrl(emu, { sid: OU, account_sid: AC, trunk_sid: TK, weight: 1, priority: 1, enabled: true, sip_url: "sip://sip-box.com:1234", friendly_name: "friendly_name", date_created: "2018-05-07T20:50:58Z", date_updated: "2018-05-07T20:50:58Z" });
    },
    echo: true,
    loose: ["date_updated"],
  },
  "origination_url_delete.json": {
    setup(emu) {
      putTrunk(emu);
      putOriginationUrl(emu, { sid: OU, account_sid: AC, trunk_sid: TK, weight: 1, priority: 1, enabled: true, sip_url: "sip://sip-box.com:1234", friendly_name: "f", date_created: "2018-05-07T20:50:58Z", date_updated: "2018-05-07T20:50:58Z" });
    },
    after(emu) {
      assert.equal(emu.store.twilio.get(OU), undefined);
    },
  },

  // --- trunk associations ---------------------------------------------------------------------
  "trunk_credential_list_create.json": {
    setup: (emu) => (putTrunk(emu), putCredentialList(emu)),
    after(emu) {
      assert.deepEqual(emu.store.twilio.trunkLinks(TK).credential_lists, [CL]);
    },
  },
  "trunk_credential_list_fetch.json": {
    setup: (emu) => (putTrunk(emu), putCredentialList(emu), emu.store.twilio.associate(TK, CL)),
    exact: true,
    loose: ["date_created", "date_updated"],
  },
  "trunk_credential_list_list.json": {
    setup: (emu) => (putTrunk(emu), putCredentialList(emu), emu.store.twilio.associate(TK, CL)),
    exact: true,
    loose: ["date_created", "date_updated"],
  },
  "trunk_credential_list_list_empty.json": { setup: (emu) => (putTrunk(emu), putCredentialList(emu)), exact: true },
  "trunk_credential_list_delete.json": {
    setup: (emu) => (putTrunk(emu), putCredentialList(emu), emu.store.twilio.associate(TK, CL)),
    after(emu) {
      assert.deepEqual(emu.store.twilio.trunkLinks(TK).credential_lists, []);
      assert.ok(emu.store.twilio.get(CL), "the list itself stays");
    },
  },
  "trunk_ip_acl_create.json": {
    setup: (emu) => (putTrunk(emu), putIpAccessControlList(emu)),
    after(emu) {
      assert.deepEqual(emu.store.twilio.trunkLinks(TK).ip_access_control_lists, [AL]);
    },
  },
  "trunk_ip_acl_fetch.json": {
    setup: (emu) => (putTrunk(emu), putIpAccessControlList(emu), emu.store.twilio.associate(TK, AL)),
    exact: true,
    loose: ["date_created", "date_updated"],
  },
  "trunk_ip_acl_list.json": {
    setup: (emu) => (putTrunk(emu), putIpAccessControlList(emu), emu.store.twilio.associate(TK, AL)),
    exact: true,
    loose: ["date_created", "date_updated"],
  },
  "trunk_ip_acl_list_empty.json": { setup: (emu) => (putTrunk(emu), putIpAccessControlList(emu)), exact: true },
  "trunk_ip_acl_delete.json": {
    setup: (emu) => (putTrunk(emu), putIpAccessControlList(emu), emu.store.twilio.associate(TK, AL)),
    after(emu) {
      assert.deepEqual(emu.store.twilio.trunkLinks(TK).ip_access_control_lists, []);
    },
  },
  "trunk_phone_number_create.json": {
    note: "The example's number already carries voice_application_sid \"\" and trunk_sid; the number is seeded off any trunk from the recorded body, and date_updated becomes the association's time.",
    setup: (emu, fx) => (putTrunk(emu), putPhoneNumber(emu, fx.response.body, null)),
    exact: true,
    loose: ["date_updated"],
  },
  "trunk_phone_number_fetch.json": { setup: (emu, fx) => (putTrunk(emu), putPhoneNumber(emu, fx.response.body, TK)), exact: true },
  "trunk_phone_number_list.json": { setup: (emu, fx) => (putTrunk(emu), putPhoneNumber(emu, firstOf(fx, "phone_numbers"), TK)), exact: true },
  "trunk_phone_number_list_empty.json": { setup: (emu) => putTrunk(emu), exact: true },
  "trunk_phone_number_delete.json": {
    setup: (emu) => (putTrunk(emu), emu.store.twilio.addPhoneNumber({ sid: PN, account_sid: AC, phone_number: "+14158675309", trunk_sid: TK })),
    after(emu) {
      const n = emu.store.twilio.get(PN) as TwilioRecordOf["phone_numbers"];
      assert.equal(n.trunk_sid, null, "off the trunk, still owned");
    },
  },

  // --- v2010 credential lists and credentials -------------------------------------------------
  "sip_credential_list_create.json": { generated: true, note: NOT_ECHOED_V2010, echo: true },
  "sip_credential_list_fetch.json": { setup: (emu, fx) => putCredentialList(emu, fx.response.body), exact: true },
  "sip_credential_list_list.json": { setup: (emu, fx) => putCredentialList(emu, firstOf(fx, "credential_lists")), exact: true },
  "sip_credential_list_list_empty.json": { exact: true },
  "sip_credential_list_update.json": {
    note: NOT_ECHOED_V2010,
    setup: (emu, fx) => putCredentialList(emu, fx.response.body),
    echo: true,
  },
  "sip_credential_list_delete.json": {
    setup: (emu) => putCredentialList(emu),
    after(emu) {
      assert.equal(emu.store.twilio.get(CL), undefined);
    },
  },
  "sip_cl_credential_create.json": {
    note: WEAK_PASSWORD_NOTE + " " + NOT_ECHOED_V2010,
    setup: (emu) => putCredentialList(emu),
    generated: true,
    echo: true,
  },
  "sip_cl_credential_fetch.json": { setup: (emu, fx) => (putCredentialList(emu), putCredential(emu, fx.response.body)), exact: true },
  "sip_cl_credential_list.json": { setup: (emu, fx) => (putCredentialList(emu), putCredential(emu, firstOf(fx, "credentials"))), exact: true },
  "sip_cl_credential_list_empty.json": { setup: (emu) => putCredentialList(emu), exact: true },
  "sip_cl_credential_update.json": {
    note: WEAK_PASSWORD_NOTE,
    setup: (emu, fx) => (putCredentialList(emu), putCredential(emu, fx.response.body)),
    exact: true,
    loose: ["date_updated"],
    after(emu) {
      assert.equal((emu.store.twilio.get(CR) as TwilioRecordOf["credentials"]).password, `${STRONG_PASSWORD}2`, "the new password is stored");
    },
  },
  "sip_cl_credential_delete.json": {
    setup: (emu) => (putCredentialList(emu), putCredential(emu, { sid: CR, credential_list_sid: CL, username: "u", date_created: "2015-08-19T19:48:45Z", date_updated: "2015-08-19T19:48:45Z" })),
    after(emu) {
      assert.equal(emu.store.twilio.get(CR), undefined);
    },
  },

  // --- v2010 IP access control lists and addresses --------------------------------------------
  "sip_ip_acl_create.json": { generated: true, note: NOT_ECHOED_V2010, echo: true },
  "sip_ip_acl_fetch.json": { setup: (emu, fx) => putIpAccessControlList(emu, fx.response.body), exact: true },
  "sip_ip_acl_list.json": { setup: (emu, fx) => putIpAccessControlList(emu, firstOf(fx, "ip_access_control_lists")), exact: true },
  "sip_ip_acl_list_empty.json": { exact: true },
  "sip_ip_acl_update.json": { note: NOT_ECHOED_V2010, setup: (emu, fx) => putIpAccessControlList(emu, fx.response.body), echo: true },
  "sip_ip_acl_delete.json": {
    setup: (emu) => putIpAccessControlList(emu),
    after(emu) {
      assert.equal(emu.store.twilio.get(AL), undefined);
    },
  },
  "sip_ip_address_create.json": { setup: (emu) => putIpAccessControlList(emu), generated: true, echo: true },
  "sip_ip_address_fetch.json": { setup: (emu, fx) => (putIpAccessControlList(emu), putIpAddress(emu, fx.response.body)), exact: true },
  "sip_ip_address_list.json": { setup: (emu, fx) => (putIpAccessControlList(emu), putIpAddress(emu, firstOf(fx, "ip_addresses"))), exact: true },
  "sip_ip_address_list_empty.json": { setup: (emu) => putIpAccessControlList(emu), exact: true },
  "sip_ip_address_update.json": {
    setup: (emu, fx) => (putIpAccessControlList(emu), putIpAddress(emu, { ...fx.response.body, ip_address: "10.0.0.1", cidr_prefix_length: 24 })),
    exact: true,
    loose: ["date_updated"],
    echo: true,
  },
  "sip_ip_address_delete.json": {
    setup: (emu) => (putIpAccessControlList(emu), putIpAddress(emu, { sid: IP, account_sid: AC, ip_access_control_list_sid: AL, friendly_name: "f", ip_address: "192.168.1.1", cidr_prefix_length: 32, date_created: "2015-07-20T17:27:10Z", date_updated: "2015-07-20T17:27:10Z" })),
    after(emu) {
      assert.equal(emu.store.twilio.get(IP), undefined);
    },
  },
};

// -----------------------------------------------------------------------------------------------
// Comparison
// -----------------------------------------------------------------------------------------------

const jsonType = (v: unknown) => (v === null ? "null" : Array.isArray(v) ? "array" : typeof v);
const SID = /^[A-Z]{2}[0-9a-fA-F]{32}$/;
const STRUCTURAL_NUMBERS = new Set(["page", "page_size", "start", "end", "code", "status"]);
const ISO_SECONDS = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/;
const RFC_2822 = /^(Mon|Tue|Wed|Thu|Fri|Sat|Sun), \d\d (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) \d{4} \d\d:\d\d:\d\d \+0000$/;

const structural = (key: string, v: unknown) =>
  typeof v === "string" ? /^https?:\/\//.test(v) || v.startsWith("/2010-04-01/") || SID.test(v) : typeof v === "number" && STRUCTURAL_NUMBERS.has(key);

/** Every difference between the answer and the recording, as `path: what`. */
function differences(actual: unknown, expected: unknown, c: ReplayCase, where = "$", key = ""): string[] {
  const ta = jsonType(actual);
  const te = jsonType(expected);
  if (ta !== te) return [`${where}: ${ta} where the recording has ${te} (${JSON.stringify(actual)?.slice(0, 80)})`];
  if (te === "object") {
    const a = actual as Record<string, unknown>;
    const e = expected as Record<string, unknown>;
    const missing = Object.keys(e).filter((k) => !(k in a));
    const extra = Object.keys(a).filter((k) => !(k in e));
    const out = [...missing.map((k) => `${where}.${k}: missing`), ...extra.map((k) => `${where}.${k}: not in the recording`)];
    for (const k of Object.keys(e)) if (k in a) out.push(...differences(a[k], e[k], c, `${where}.${k}`, k));
    return out;
  }
  if (te === "array") {
    const a = actual as unknown[];
    const e = expected as unknown[];
    if (a.length !== e.length) return [`${where}: ${a.length} items where the recording has ${e.length}`];
    return e.flatMap((item, i) => differences(a[i], item, c, `${where}[${i}]`, key));
  }
  if (key.startsWith("date_") && typeof expected === "string") {
    const format = ISO_SECONDS.test(expected) ? ISO_SECONDS : RFC_2822;
    assert.match(expected, format, `${where}: the recording's date is in a known format`);
    if (!format.test(actual as string)) return [`${where}: ${String(actual)} is not in the recorded format (${expected})`];
  }
  const compareValue = (c.exact && !(c.loose ?? []).includes(key)) || structural(key, expected);
  if (compareValue && actual !== expected) return [`${where}: ${JSON.stringify(actual)} where the recording has ${JSON.stringify(expected)}`];
  return [];
}

const snake = (pascal: string) => pascal.replace(/([a-z0-9])([A-Z])/g, "$1_$2").toLowerCase();

/** What a sent form value reads as in JSON (the recording's body types are the spec's). */
const asSent = (v: unknown, recorded: unknown) =>
  typeof recorded === "boolean" ? String(v).toLowerCase() === "true" : typeof recorded === "number" ? Number(v) : String(v);

/** The real host's path → the emulated URL. */
function emulatedUrl(emu: EmulatorHandle, path: string): string {
  if (path.startsWith("/v1/")) return `${emu.twilioTrunkingUrl}${path}`;
  if (path.startsWith("/2010-04-01/")) return `${emu.twilioApiUrl}${path}`;
  throw new Error(`no emulated host for ${path}`);
}

async function replay(emu: EmulatorHandle, fx: Exchange, c: ReplayCase, body: Record<string, unknown> | null) {
  const account = ACCOUNTS.find((a) => a.accountSid === (c.account ?? AC))!;
  const path = c.path ? c.path(fx) : fx.request.path;
  return tw(emulatedUrl(emu, path), fx.request.method, {
    auth: { user: account.accountSid, password: account.authToken },
    ...(body ? { form: body } : {}),
  });
}

describe("Twilio fixture replay", function () {
  if (registerMissingExchanges("twilio", SUITE, "replayed against the emulator")) return;
  const exchanges = loadExchanges("twilio");
  afterEach(stopAll);

  it("holds exactly the exchanges the manifest lists, and has a replay case for each", function () {
    requireFixtures(this, SUITE, "twilio");
    assert.deepEqual(exchanges.map((e) => e.file), manifest("twilio"));
    assert.deepEqual(exchanges.map((e) => e.file).filter((f) => !(f in CASES)), [], "a new fixture needs a case");
    assert.deepEqual(Object.keys(CASES).filter((f) => !exchanges.some((e) => e.file === f)), [], "cases without a fixture file");
  });

  for (const fx of exchanges) {
    const c: ReplayCase = CASES[fx.file] ?? {};
    it(`${fx.file}${c.note ? ` (${c.note.slice(0, 50)}…)` : ""}`, async function () {
      requireFixtures(this, SUITE, "twilio");
      assert.ok(fx.file in CASES, `no replay case for ${fx.file}`);
      const emu = await start({ twilioAccounts: ACCOUNTS, ...(c.options ?? {}) });
      c.setup?.(emu, fx);

      let body = c.body ? c.body(fx) : (fx.request.body as Record<string, unknown> | null);
      if (body && body.Password === "password") {
        // The documented rule, asserted before the compliant replay (WEAK_PASSWORD_NOTE).
        const refused = await replay(emu, fx, c, body);
        assert.deepEqual([refused.status, refused.body.code], [400, CODES.credentialValidation], refused.text);
        body = { ...body, Password: fx.request.method === "POST" && fx.file.includes("update") ? `${STRONG_PASSWORD}2` : STRONG_PASSWORD };
      }
      const res = await replay(emu, fx, c, body);

      assert.equal(res.status, fx.response.status, `status (body: ${res.text.slice(0, 400)})`);
      let text = res.text.split(emu.twilioTrunkingUrl).join(REAL_TRUNKING).split(emu.twilioApiUrl).join(REAL_API);
      if (c.generated) {
        const ours = res.body.sid as string;
        const theirs = fx.response.body.sid as string;
        assert.match(ours, new RegExp(`^${theirs.slice(0, 2)}[0-9a-f]{32}$`), "a generated SID of the recorded type");
        assert.notEqual(ours, theirs);
        text = text.split(ours).join(theirs);
      }
      const actual = text === "" ? null : JSON.parse(text);
      if (fx.response.status === 204) assert.equal(res.text, "", "204 has no body");
      else assert.match(res.headers.get("content-type") ?? "", /^application\/json/);

      const diffs = differences(actual, fx.response.body, c);
      assert.deepEqual(diffs, [], `the answer departs from the recording:\n  ${diffs.join("\n  ")}`);
      if (fx.response.status >= 400) assert.equal(actual.code, fx.response.body.code, "error code");
      assert.ok(!/"password"/.test(res.text), "no password in any answer");

      if (c.echo && body) {
        const except = typeof c.echo === "object" ? c.echo.except : [];
        for (const [param, sent] of Object.entries(body)) {
          if (except.includes(param) || param === "Password") continue;
          const member = snake(param);
          assert.ok(member in res.body, `${param} has a member ${member} in the answer`);
          assert.deepEqual(res.body[member], asSent(sent, fx.response.body[member]), `${member} echoes the ${param} sent`);
        }
      }
      await c.after?.(emu, res, fx);
    });
  }
});
