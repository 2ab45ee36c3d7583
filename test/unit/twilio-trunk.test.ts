/**
 * `twilio.Trunk` without the network: every input rule, the diff (defaults, recording, managed
 * and unmanaged associations, unknowns, older outputs), the forms, outputs from every recorded
 * trunk exchange, Twilio's error envelope, the client's paging and settings, the concurrency cap
 * and the write-only secret hash.
 */
import { strict as assert } from "node:assert";
import * as http from "node:http";
import type { AddressInfo } from "node:net";
import { ConcurrencyLimiter } from "../../provider/common/rate-limit";
import { isRetryable } from "../../provider/common/retry";
import { VendorResponseError } from "../../provider/common/response";
import { hashSecret, isSecretHash, matchesSecret } from "../../provider/common/secret-hash";
import { setStackConfig } from "../../provider/common/config";
import { UNKNOWN } from "../../provider/common/unknown";
import { encodeForm, MISSING_CREDENTIALS_MESSAGE, TwilioClient, twilioError, twilioSettings } from "../../provider/twilio/client";
import { createForm, updateForm } from "../../provider/twilio/mapping";
import { TRUNK_FIELDS, validateTrunkInputs } from "../../provider/twilio/trunk-fields";
import { associationDelta, diffTrunk, trunkAsInputs, trunkOutputs, trunkWithDefaults, type TrunkIn, type TrunkOut } from "../../provider/twilio/trunk-mapping";
import { loadExchanges, manifest, registerMissingExchanges, requireFixtures } from "../helpers/shared-fixtures";

const PN = (n: number) => `PN${String(n).padStart(32, "0")}`;
const CL = (n: number) => `CL${String(n).padStart(32, "0")}`;
const TK = `TK${"a".repeat(32)}`;

function failures(inputs: unknown): Record<string, string> {
  return Object.fromEntries(validateTrunkInputs(inputs).map((f) => [f.property, f.reason]));
}

/** A trunk record as Twilio answers, with the documented defaults. */
function record(over: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    sid: TK, account_sid: `AC${"b".repeat(32)}`, domain_name: null, disaster_recovery_method: "POST", disaster_recovery_url: null,
    friendly_name: null, secure: false, cnam_lookup_enabled: false, symmetric_rtp_enabled: false,
    recording: { mode: "do-not-record", trim: "do-not-trim" }, transfer_mode: "disable-all", transfer_caller_id: "from-transferee",
    auth_type: "", auth_type_set: [], date_created: "2026-12-01T10:00:00Z", date_updated: "2026-12-01T10:00:00Z",
    url: `https://trunking.twilio.com/v1/Trunks/${TK}`, ...over,
  };
}

describe("twilio.Trunk inputs: every rule, before any call", () => {
  const cases: Array<[string, unknown, RegExp]> = [
    ["friendlyName", "x".repeat(65), /^must be a string of at most 64 characters, or null \(got "x{10}/],
    ["friendlyName", 7, /must be a string of at most 64 characters/],
    ["domainName", "pbx.example.com", /^must be a host name ending in "\.pstn\.twilio\.com" \(unique across Twilio\), or null/],
    ["domainName", "pstn.twilio.com", /ending in "\.pstn\.twilio\.com"/],
    ["disasterRecoveryUrl", "ftp://x.example.com", /^must be an http:\/\/ or https:\/\/ URL, or null/],
    ["disasterRecoveryMethod", "PUT", /^must be "GET" or "POST"/],
    ["transferMode", "always", /^must be one of "disable-all", "enable-all", "sip-only"/],
    ["transferCallerId", "me", /^must be "from-transferee" or "from-transferor"/],
    ["secure", "yes", /^must be a boolean/],
    ["cnamLookupEnabled", 1, /^must be a boolean/],
    ["recording", "on", /^must be an object \{ mode\?, trim\? \}/],
    ["recording", { mode: "always" }, /^recording\.mode must be one of "do-not-record"/],
    ["recording", { trim: "yes" }, /^recording\.trim must be "do-not-trim" or "trim-silence"/],
    ["recording", { channels: 2 }, /^recording\.channels is not an input of recording; known inputs: mode, trim/],
    ["phoneNumberSids", PN(1), /^must be a list of phone number SIDs/],
    ["phoneNumberSids", [PN(1), "PN1"], /^phoneNumberSids\[1\] must be a phone number SID \("PN" followed by 32 hexadecimal characters\) \(got "PN1"\)/],
    ["credentialListSids", [PN(1)], /^credentialListSids\[0\] must be a credential list SID/],
    ["ipAccessControlListSids", ["AL"], /^ipAccessControlListSids\[0\] must be an? IP access control list SID/],
    ["importId", "TK123", /^must be the SID of an existing Twilio trunk/],
    ["onImportMismatch", "ignore", /^must be "fail" or "update"/],
  ];
  for (const [property, value, reason] of cases) {
    it(`${property} = ${JSON.stringify(value).slice(0, 40)}: fails on ${property}`, () => {
      const f = failures({ [property]: value });
      assert.deepEqual(Object.keys(f), [property]);
      assert.match(f[property], reason);
    });
  }

  it("accepts every documented value, and no input at all (every one is optional)", () => {
    assert.deepEqual(failures({}), {});
    assert.deepEqual(
      failures({
        friendlyName: null, domainName: "a-b.pstn.twilio.com", disasterRecoveryUrl: "https://x.example.com/p?q=1", disasterRecoveryMethod: "GET",
        transferMode: "sip-only", transferCallerId: "from-transferor", secure: true, cnamLookupEnabled: true,
        recording: { mode: "record-from-ringing-dual", trim: "trim-silence" }, phoneNumberSids: [], credentialListSids: [CL(1)],
        ipAccessControlListSids: [`AL${"f".repeat(32)}`], importId: TK, onImportMismatch: "update",
      }),
      {},
    );
  });

  it("an unknown input is refused with the list of known ones; an unknown value never fails", () => {
    assert.match(failures({ name: "x" }).name, /^is not an input of twilio\.Trunk; known inputs: friendlyName, domainName/);
    assert.match(failures({ mode: "x" }).mode, /\(it belongs inside recording\)/);
    assert.deepEqual(failures({ domainName: UNKNOWN, phoneNumberSids: [UNKNOWN], recording: UNKNOWN }), {});
  });
});

describe("twilio.Trunk diff", () => {
  const live = (over: Record<string, unknown> = {}, assoc: Record<string, string[]> = {}): TrunkOut => trunkOutputs(record(over), assoc);

  it("check fills in what omitting means; associations stay omitted (not managed)", () => {
    assert.deepEqual(trunkWithDefaults({ recording: { mode: "record-from-answer" } }), {
      friendlyName: null, domainName: null, disasterRecoveryUrl: null, disasterRecoveryMethod: "POST", transferMode: "disable-all",
      transferCallerId: "from-transferee", secure: false, cnamLookupEnabled: false, recording: { mode: "record-from-answer", trim: "do-not-trim" },
    });
  });

  it("a new trunk with the defaults has no difference from omitted inputs", () => {
    assert.deepEqual(diffTrunk(live(), {}), []);
    assert.deepEqual(diffTrunk(live(), trunkWithDefaults({})), []);
  });

  it("each field compares by its kind: domain names case-insensitively, an empty text as null", () => {
    assert.deepEqual(diffTrunk(live({ domain_name: "PBX.pstn.twilio.com" }), { domainName: "pbx.pstn.twilio.com" }), []);
    assert.deepEqual(diffTrunk(live({ friendly_name: "" }), { friendlyName: null }), []);
    assert.deepEqual(diffTrunk(live({ secure: true }), {}), [{ property: "secure", live: true, desired: false }]);
  });

  it("recording: a partial input means the defaults for the rest; each setting is its own change", () => {
    assert.deepEqual(diffTrunk(live(), { recording: { mode: "record-from-answer" } }), [
      { property: "recording.mode", live: "do-not-record", desired: "record-from-answer" },
    ]);
    assert.deepEqual(diffTrunk(live({ recording: { mode: "record-from-answer", trim: "trim-silence" } }), {}), [
      { property: "recording.mode", live: "record-from-answer", desired: "do-not-record" },
      { property: "recording.trim", live: "trim-silence", desired: "do-not-trim" },
    ]);
    assert.equal(diffTrunk(live(), { recording: UNKNOWN as never }).length, 1, "an unknown recording is a change");
  });

  it("associations: compared as sets where managed; unmanaged ones are not read and not compared", () => {
    assert.deepEqual(diffTrunk(live({}, { phoneNumberSids: [PN(2), PN(1)] }), { phoneNumberSids: [PN(1), PN(2)] }), []);
    assert.deepEqual(diffTrunk(live({}, { phoneNumberSids: [PN(1)] }), { phoneNumberSids: [] }), [{ property: "phoneNumberSids", live: [PN(1)], desired: [] }]);
    assert.deepEqual(diffTrunk(live(), {}), [], "omitted: not managed");
    // Newly managed: never read, so it must be reconciled even when the program asks for none.
    assert.deepEqual(diffTrunk(live(), { credentialListSids: [] }), [{ property: "credentialListSids", live: null, desired: [] }]);
    assert.equal(diffTrunk(live({}, { phoneNumberSids: [] }), { phoneNumberSids: [UNKNOWN] }).length, 1);
  });

  it("outputs from an older version lacking a key: no diff when the program means the default", () => {
    const outs = live();
    delete (outs as Record<string, unknown>).cnamLookupEnabled;
    delete (outs as Record<string, unknown>).recording;
    assert.deepEqual(diffTrunk(outs, trunkWithDefaults({})), []);
    assert.deepEqual(diffTrunk(outs, { cnamLookupEnabled: true }), [{ property: "cnamLookupEnabled", live: null, desired: true }]);
  });

  it("associationDelta: what to remove and what to add, sorted", () => {
    assert.deepEqual(associationDelta([PN(3), PN(1)], [PN(2), PN(1)]), { remove: [PN(3)], add: [PN(2)] });
    assert.deepEqual(associationDelta([], []), { remove: [], add: [] });
  });

  it("read-back: the program's spelling where the meaning is unchanged; defaults and unmanaged associations left out", () => {
    const applied: TrunkIn = { domainName: "PBX.pstn.twilio.com", recording: { mode: "record-from-answer" }, phoneNumberSids: [PN(2), PN(1)] };
    const outs = trunkOutputs(record({ domain_name: "pbx.pstn.twilio.com", recording: { mode: "record-from-answer", trim: "do-not-trim" } }), { phoneNumberSids: [PN(1), PN(2)] }, {}, applied);
    assert.deepEqual(trunkAsInputs(outs), applied);
    // drift: the live values come back, so the engine shows them being restored
    const drifted = trunkOutputs(record({ domain_name: "pbx.pstn.twilio.com", transfer_mode: "sip-only" }), { phoneNumberSids: [PN(3)] }, outs);
    assert.deepEqual(trunkAsInputs(drifted), {
      domainName: "PBX.pstn.twilio.com", transferMode: "sip-only", recording: { mode: "do-not-record", trim: "do-not-trim" }, phoneNumberSids: [PN(3)],
    });
  });
});

describe("twilio.Trunk forms", () => {
  it("create sends every meant value (defaults included) and leaves nulls to Twilio", () => {
    assert.deepEqual(createForm(TRUNK_FIELDS, trunkWithDefaults({ friendlyName: "PBX" })), {
      FriendlyName: "PBX", DisasterRecoveryMethod: "POST", TransferMode: "disable-all", TransferCallerId: "from-transferee", Secure: false, CnamLookupEnabled: false,
    });
  });

  it("update sends only what changed; a cleared value goes empty, booleans as true/false", () => {
    const changes = diffTrunk(trunkOutputs(record({ disaster_recovery_url: "https://x.example.com" })), { disasterRecoveryUrl: null, secure: true });
    const form = updateForm(TRUNK_FIELDS, { disasterRecoveryUrl: null, secure: true }, changes);
    assert.deepEqual(form, { DisasterRecoveryUrl: null, Secure: true });
    assert.equal(encodeForm(form), "DisasterRecoveryUrl=&Secure=true");
    assert.equal(encodeForm({ PhoneNumberSid: [PN(1), PN(2)], Skipped: undefined }), `PhoneNumberSid=${PN(1)}&PhoneNumberSid=${PN(2)}`);
  });
});

describe("twilio.Trunk outputs: answers are checked before they are recorded", () => {
  it("a wrongly typed member is refused with Twilio, the trunk and the member named; harmless spellings are coerced", () => {
    assert.throws(() => trunkOutputs(record({ secure: "maybe" })), (e: unknown) => e instanceof VendorResponseError && /^Twilio answered with secure "maybe" for trunk TKa+, which is not a boolean or null; nothing was recorded/.test((e as Error).message));
    assert.throws(() => trunkOutputs(record({ recording: "on" })), VendorResponseError);
    assert.equal(trunkOutputs(record({ secure: "true" })).secure, true);
  });
});

describe("recorded Twilio trunk exchanges → twilio.Trunk outputs", function () {
  const files = ["trunk_create.json", "trunk_fetch.json", "trunk_update.json", "trunk_list_full.json"];
  if (registerMissingExchanges("twilio", "provider fixture replay (Twilio trunk)", "replayed through the trunk mapping")) return;
  const all = loadExchanges("twilio");

  it("the manifest lists the trunk exchanges this suite replays", function () {
    requireFixtures(this, "provider fixture replay (Twilio trunk)", "twilio");
    for (const f of files) assert.ok(manifest("twilio").includes(f), f);
  });

  for (const file of files) {
    it(`${file}: every trunk record parses, and its own values diff clean against themselves as inputs`, function () {
      requireFixtures(this, "provider fixture replay (Twilio trunk)", "twilio");
      const ex = all.find((e) => e.file === file)!;
      const body = ex.response.body as Record<string, unknown>;
      const records = (Array.isArray(body.trunks) ? body.trunks : [body]) as Record<string, unknown>[];
      assert.ok(records.length > 0);
      for (const r of records) {
        const outs = trunkOutputs(r, {});
        assert.equal(outs.sid, r.sid);
        assert.equal(outs.domainName, r.domain_name);
        assert.deepEqual(outs.recording, r.recording);
        const asInputs = trunkAsInputs({ ...outs, __appliedInputs: undefined });
        assert.deepEqual(diffTrunk(outs, asInputs), [], "the live trunk written as inputs has no difference from itself");
      }
    });
  }

  it("trunk_create.json: the recorded request is what our create form sends for those inputs", function () {
    requireFixtures(this, "provider fixture replay (Twilio trunk)", "twilio");
    const ex = all.find((e) => e.file === "trunk_create.json")!;
    const sent = ex.request.body as Record<string, unknown>;
    const inputs: TrunkIn = {
      domainName: sent.DomainName as string, friendlyName: sent.FriendlyName as string, disasterRecoveryMethod: sent.DisasterRecoveryMethod as "GET",
      disasterRecoveryUrl: sent.DisasterRecoveryUrl as string, transferMode: sent.TransferMode as "disable-all", transferCallerId: sent.TransferCallerId as "from-transferee",
      secure: sent.Secure as boolean, cnamLookupEnabled: sent.CnamLookupEnabled as boolean,
    };
    assert.deepEqual(validateTrunkInputs(inputs), []);
    assert.deepEqual(createForm(TRUNK_FIELDS, trunkWithDefaults(inputs)), sent);
    // As published, the example answers POST where GET was sent (fixtures README): the diff says so.
    assert.deepEqual(diffTrunk(trunkOutputs(ex.response.body as Record<string, unknown>, {}), inputs), [{ property: "disasterRecoveryMethod", live: "POST", desired: "GET" }]);
  });
});

describe("Twilio errors", () => {
  const url = "https://trunking.twilio.com/v1/Trunks";
  it("keeps code, message, more_info and status, and names the input the message is about (any spelling)", () => {
    for (const message of ["DomainName is invalid", "domain_name is invalid", "The Domain Name is invalid"]) {
      const err = twilioError("POST", url, { status: 400, text: JSON.stringify({ code: 21245, message, more_info: "https://www.twilio.com/docs/errors/21245", status: 400 }) }, { DomainName: "domainName" });
      assert.equal(err.code, "BAD_REQUEST");
      assert.equal(err.problems[0].property, "domainName", message);
      assert.equal(err.problems[0].vendorCode, "21245");
      assert.match(err.message, /Twilio API POST \/v1\/Trunks failed \(HTTP 400\):\n {2}- domainName: /);
      assert.match(err.message, /Twilio error 21245: https:\/\/www\.twilio\.com\/docs\/errors\/21245/);
    }
  });

  it("a code that belongs to one input names it even when the message does not", () => {
    const err = twilioError("POST", url, { status: 400, text: JSON.stringify({ code: 21248, message: "Trunk Domain already taken: x.pstn.twilio.com", status: 400 }) }, {}, { 21248: "domainName" });
    assert.equal(err.problems[0].property, "domainName");
  });

  it("an HTML page or a huge body stays one short line", () => {
    const html = twilioError("GET", url, { status: 502, text: "<html><head><title>502 Bad Gateway</title></head><body>x</body></html>" });
    assert.match(html.message, /HTML error page \(502 Bad Gateway\)/);
    assert.equal(html.code, "SERVER");
    const huge = twilioError("GET", url, { status: 500, text: "y".repeat(5_000_000) });
    assert.ok(huge.message.length < 1000, `${huge.message.length} characters`);
  });

  it("429 says to lower twilio:maxConcurrency", () => {
    const err = twilioError("GET", url, { status: 429, text: JSON.stringify({ code: 20429, message: "Too many requests", more_info: "https://www.twilio.com/docs/errors/20429", status: 429 }) });
    assert.equal(err.code, "RATE_LIMITED");
    assert.match(err.message, /twilio:maxConcurrency/);
  });
});

describe("Twilio settings", () => {
  afterEach(() => setStackConfig(undefined));
  const config = (values: Record<string, string>) => setStackConfig((k) => values[k]);
  const ACCOUNT = `AC${"1".repeat(32)}`;

  it("no credentials: the message says how to set them", () => {
    config({});
    const saved = { ...process.env };
    for (const k of ["TWILIO_ACCOUNT_SID", "TWILIO_AUTH_TOKEN", "TWILIO_API_KEY", "TWILIO_API_SECRET"]) delete process.env[k];
    try {
      assert.throws(() => twilioSettings(), { message: MISSING_CREDENTIALS_MESSAGE });
      config({ "twilio:accountSid": ACCOUNT });
      assert.throws(() => twilioSettings(), { message: MISSING_CREDENTIALS_MESSAGE }, "an account SID alone is not enough");
      config({ "twilio:accountSid": "AC1", "twilio:authToken": "t" });
      assert.throws(() => twilioSettings(), /twilio:accountSid .* must be "AC" followed by 32 hexadecimal characters/);
    } finally {
      Object.assign(process.env, saved);
    }
  });

  it("an API key and secret are preferred to the auth token; URLs lose their trailing slash", () => {
    config({ "twilio:accountSid": ACCOUNT, "twilio:authToken": "tok", "twilio:apiKey": "SKx", "twilio:apiSecret": "sec", "twilio:trunkingUrl": "http://h/twilio-trunking/" });
    const s = twilioSettings();
    assert.deepEqual([s.username, s.password, s.trunkingUrl, s.apiUrl, s.maxConcurrency], ["SKx", "sec", "http://h/twilio-trunking", "https://api.twilio.com", 10]);
    config({ "twilio:accountSid": ACCOUNT, "twilio:authToken": "tok" });
    assert.deepEqual([twilioSettings().username, twilioSettings().password], [ACCOUNT, "tok"]);
  });
});

describe("TwilioClient.list: every page, on our own host only", () => {
  let server: http.Server;
  let base = "";
  const seen: string[] = [];
  before(async () => {
    server = http.createServer((req, res) => {
      seen.push(`${req.url} ${req.headers.authorization ? "auth" : "none"}`);
      const u = new URL(req.url ?? "/", "http://x");
      const page = Number(u.searchParams.get("Page") ?? 0);
      res.setHeader("Content-Type", "application/json");
      if (u.pathname.endsWith("/v1/Trunks")) {
        // The next link points at another host: the client must stay on its own.
        const next = page < 2 ? `https://elsewhere.example.com/v1/Trunks?PageSize=1000&Page=${page + 1}` : null;
        res.end(JSON.stringify({ trunks: [{ sid: `TK${String(page).padStart(32, "0")}` }], meta: { next_page_url: next, key: "trunks" } }));
      } else {
        const next = page < 1 ? `/2010-04-01/Accounts/AC/SIP/CredentialLists.json?PageSize=1000&Page=${page + 1}` : null;
        res.end(JSON.stringify({ credential_lists: [{ sid: `CL${String(page).padStart(32, "0")}` }], next_page_uri: next }));
      }
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(() => new Promise<void>((r) => server.close(() => r())));

  it("follows meta.next_page_url (v1) and next_page_uri (v2010) to the end", async () => {
    const c = new TwilioClient({ accountSid: "AC", username: "AC", password: "p", trunkingUrl: `${base}/trunking`, apiUrl: `${base}/api`, maxConcurrency: 2, requestTimeoutMs: 5000 });
    const trunks = await c.list("trunking", "/v1/Trunks", "trunks");
    assert.deepEqual(trunks.map((t) => t.sid), [0, 1, 2].map((p) => `TK${String(p).padStart(32, "0")}`));
    const lists = await c.list("api", "/2010-04-01/Accounts/AC/SIP/CredentialLists.json", "credential_lists");
    assert.equal(lists.length, 2);
    assert.ok(seen.every((s) => s.endsWith(" auth") && s.startsWith("/")), "every page was read on the configured host");
    assert.deepEqual(seen.slice(0, 3).map((s) => s.split(" ")[0]), ["/trunking/v1/Trunks?PageSize=1000", "/trunking/v1/Trunks?PageSize=1000&Page=1", "/trunking/v1/Trunks?PageSize=1000&Page=2"]);
  });
});

describe("ConcurrencyLimiter", () => {
  it("lets at most max requests run at once, in arrival order", async () => {
    const limiter = new ConcurrencyLimiter(2);
    let running = 0;
    let peak = 0;
    const order: number[] = [];
    await Promise.all(
      Array.from({ length: 7 }, async (_, i) => {
        const release = await limiter.acquire();
        order.push(i);
        running++;
        peak = Math.max(peak, running);
        await new Promise((r) => setTimeout(r, 5));
        running--;
        release();
        release(); // a second call changes nothing
      }),
    );
    assert.equal(peak, 2);
    assert.deepEqual(order, [0, 1, 2, 3, 4, 5, 6]);
  });
});

describe("write-only secrets: salted hashes", () => {
  it("a hash matches its value only, never contains it, and differs per salt", () => {
    const password = "Sup3rSecretPassw0rd";
    const a = hashSecret(password);
    const b = hashSecret(password);
    assert.ok(isSecretHash(a));
    assert.notEqual(a, b, "a fresh salt per hash");
    assert.ok(!a.includes(password));
    assert.ok(matchesSecret(password, a) && matchesSecret(password, b));
    assert.equal(matchesSecret("Sup3rSecretPassw0rD", a), false);
    for (const bad of [undefined, null, 42, "", "scrypt$x", `sha256$${a.split("$")[1]}$${a.split("$")[2]}`, `scrypt$${a.split("$")[1]}$AAAA`]) {
      assert.equal(matchesSecret(password, bad), false, String(bad));
    }
  });
});

describe("Twilio writes: an update is retried like a PUT, an add never blindly", () => {
  let server: http.Server;
  let base = "";
  const hits: string[] = [];
  let failFirst = 0;
  before(async () => {
    server = http.createServer((req, res) => {
      hits.push(`${req.method} ${req.url}`);
      res.setHeader("Content-Type", "application/json");
      if (failFirst > 0) {
        failFirst--;
        res.statusCode = 500;
        res.end(JSON.stringify({ code: 20500, message: "Internal Server Error", status: 500 }));
        return;
      }
      res.statusCode = req.url?.endsWith("/PhoneNumbers") ? 201 : 200;
      res.end(JSON.stringify({ sid: TK }));
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(() => new Promise<void>((r) => server.close(() => r())));
  const client = () =>
    new TwilioClient({ accountSid: "AC", username: "AC", password: "p", trunkingUrl: base, apiUrl: base, maxConcurrency: 2, requestTimeoutMs: 10_000 }, { sleep: async () => undefined });

  it("isRetryable: a POST is retried on a 5xx only when the caller says it is idempotent", () => {
    assert.equal(isRetryable("POST", { status: 500 }), false);
    assert.equal(isRetryable("POST", { status: 500 }, true), true);
    assert.equal(isRetryable("POST", { networkErrorCode: "ECONNRESET" }, true), true);
    assert.equal(isRetryable("GET", { status: 500 }, false), false);
  });

  it("update: a 500 is retried (the POST sets values; sending it twice sets them twice)", async () => {
    hits.length = 0;
    failFirst = 1;
    await client().update("trunking", `/v1/Trunks/${TK}`, { FriendlyName: "x" });
    assert.deepEqual(hits, [`POST /v1/Trunks/${TK}`, `POST /v1/Trunks/${TK}`]);
  });

  it("add: a 500 is not retried: the caller lists what is attached instead", async () => {
    hits.length = 0;
    failFirst = 1;
    await assert.rejects(client().add("trunking", `/v1/Trunks/${TK}/PhoneNumbers`, { PhoneNumberSid: PN(1) }), /HTTP 500/);
    assert.deepEqual(hits, [`POST /v1/Trunks/${TK}/PhoneNumbers`]);
  });
});
