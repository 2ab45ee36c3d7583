/**
 * `twilio.OriginationUrl` without a server: every input rule (each failure names the property
 * and quotes its rule, before any call), the defaults check fills in, the diff (defaults, `sip:`
 * spellings, replacement on `trunkSid`), the forms, the TSDoc, outputs from every recorded
 * origination URL exchange (../shared/fixtures/twilio, replayed by a local stub through the
 * runtime), and fast-check properties (create → diff empty, read → diff empty, update
 * convergence, quiet refresh).
 */
import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as http from "node:http";
import type { AddressInfo } from "node:net";
import * as path from "node:path";
import { isDeepStrictEqual } from "node:util";
import fc from "fast-check";
import { canonical, canonicalSipUri, equivalent } from "../../provider/common/fields";
import { InputError } from "../../provider/common/errors";
import { renderInputTable } from "../../provider/common/doc-table";
import { UNKNOWN } from "../../provider/common/unknown";
import { TwilioClient } from "../../provider/twilio/client";
import {
  ORIGINATION_URL_CONTROLS,
  ORIGINATION_URL_FIELDS,
  validateOriginationUrlInputs,
} from "../../provider/twilio/origination-url-fields";
import {
  diffOriginationUrl,
  originationUrlAsInputs,
  originationUrlCreateForm,
  originationUrlOutputs,
  originationUrlReplaces,
  originationUrlUpdateForm,
  originationUrlWithDefaults,
  type OriginationUrlIn,
  type OriginationUrlOut,
} from "../../provider/twilio/origination-url-mapping";
import { originationUrlRuntime } from "../../provider/twilio/origination-url-crud";
import type { OriginationUrlInputs } from "../../provider/twilio/origination-url-types";
import { fixturesDir, manifest, requireFixtures, type Exchange } from "../helpers/shared-fixtures";
import { oneLine, tsdocOf } from "../helpers/tsdoc";

const TK = "TK" + "0123456789abcdef".repeat(2);
const TK_2 = "TK" + "fedcba9876543210".repeat(2);
const OU = "OU" + "00112233445566778899aabbccddeeff";
const AC = "AC" + "ab".repeat(16);

const base = (extra: Partial<OriginationUrlInputs> = {}): OriginationUrlIn => ({ trunkSid: TK, friendlyName: "PBX primary", sipUrl: "sip:pbx.example.com:5060", ...extra });

/** What Twilio stores and answers for a create form (the emulator's model: members as sent, the trunk's account, dates). */
function modelCreate(trunkSid: string, form: Record<string, unknown>): Record<string, unknown> {
  return {
    sid: OU, account_sid: AC, trunk_sid: trunkSid,
    weight: form.Weight, priority: form.Priority, enabled: form.Enabled, friendly_name: form.FriendlyName, sip_url: form.SipUrl,
    date_created: "2026-01-02T03:04:05Z", date_updated: "2026-01-02T03:04:05Z",
    url: `https://trunking.twilio.com/v1/Trunks/${trunkSid}/OriginationUrls/${OU}`,
  };
}

/** An update form applied to a stored record. */
function modelUpdate(record: Record<string, unknown>, form: Record<string, unknown>): Record<string, unknown> {
  const members: Record<string, string> = { Weight: "weight", Priority: "priority", Enabled: "enabled", FriendlyName: "friendly_name", SipUrl: "sip_url" };
  const out: Record<string, unknown> = { ...record, date_updated: "2026-01-02T03:05:00Z" };
  for (const [k, v] of Object.entries(form)) out[members[k]] = v;
  return out;
}

const created = (inputs: OriginationUrlIn): OriginationUrlOut => originationUrlOutputs(modelCreate(String(inputs.trunkSid), originationUrlCreateForm(inputs)), {}, inputs);
const changed = (outs: OriginationUrlOut, inputs: OriginationUrlIn) => diffOriginationUrl(outs, inputs).map((c) => c.property);

describe("twilio.OriginationUrl: input rules (check, before any call)", () => {
  it("accepts the minimal inputs (the three required ones)", () => {
    assert.deepEqual(validateOriginationUrlInputs(base()), []);
  });

  it("accepts every boundary value the parameter text documents", () => {
    for (const extra of [{ weight: 1 }, { weight: 65535 }, { priority: 0 }, { priority: 65535 }, { enabled: false }, { friendlyName: "x".repeat(64) }, { friendlyName: "x" }]) {
      assert.deepEqual(validateOriginationUrlInputs(base(extra)), [], JSON.stringify(extra));
    }
  });

  it("accepts sip: URIs in the spellings Twilio's own examples and SIP allow", () => {
    for (const sipUrl of ["sip://sip-box.com:1234", "sip:169.10.1.35", "SIP:PBX.example.com", "sip:alice@pbx.example.com;transport=tcp", "sip:[2001:db8::1]:5060"]) {
      assert.deepEqual(validateOriginationUrlInputs(base({ sipUrl })), [], sipUrl);
    }
  });

  const field = (name: string) => ORIGINATION_URL_FIELDS.find((f) => f.input === name)!;
  /** [property, bad value]: each must fail on that property alone, quoting the field's rule and the value. */
  const bad: [string, unknown][] = [
    ["trunkSid", "TK123"],
    ["trunkSid", "PN" + "0".repeat(32)],
    ["trunkSid", 42],
    ["trunkSid", null],
    ["sipUrl", "sips:pbx.example.com"],
    ["sipUrl", "https://pbx.example.com"],
    ["sipUrl", "pbx.example.com"],
    ["sipUrl", "sip:"],
    ["sipUrl", "sip:pbx example.com"],
    ["sipUrl", null],
    ["friendlyName", ""],
    ["friendlyName", "x".repeat(65)],
    ["friendlyName", null],
    ["weight", 0],
    ["weight", 65536],
    ["weight", 1.5],
    ["weight", "10"],
    ["priority", -1],
    ["priority", 65536],
    ["priority", 2.5],
    ["priority", null],
    ["enabled", "true"],
    ["enabled", 1],
  ];
  for (const [property, value] of bad) {
    it(`${property}: ${JSON.stringify(value)} fails with the rule "${field(property).rule}"`, () => {
      const failures = validateOriginationUrlInputs({ ...base(), [property]: value });
      assert.equal(failures.length, 1, JSON.stringify(failures));
      assert.equal(failures[0].property, property);
      assert.ok(failures[0].reason.includes(field(property).rule), failures[0].reason);
      assert.ok(failures[0].reason.includes(JSON.stringify(value).slice(0, 40)), `the value is quoted: ${failures[0].reason}`);
    });
  }

  for (const property of ["trunkSid", "sipUrl", "friendlyName"]) {
    it(`${property} is required, and the failure says what it must be`, () => {
      const { [property]: _dropped, ...rest } = base() as Record<string, unknown>;
      const failures = validateOriginationUrlInputs(rest);
      assert.deepEqual(failures, [{ property, reason: `is required: it ${field(property).rule}` }]);
    });
  }

  it("names every failing property at once, in field-table order", () => {
    const failures = validateOriginationUrlInputs({ trunkSid: "x", sipUrl: "sips:a", friendlyName: "", weight: 0, priority: -1, enabled: "no" });
    assert.deepEqual(failures.map((f) => f.property), ["trunkSid", "sipUrl", "friendlyName", "weight", "priority", "enabled"]);
  });

  it("refuses an unknown input and lists the known ones", () => {
    const [f] = validateOriginationUrlInputs({ ...base(), url: "sip:x" });
    assert.equal(f.property, "url");
    assert.match(f.reason, /is not an input of twilio\.OriginationUrl; known inputs: trunkSid, sipUrl, friendlyName, weight, priority, enabled/);
  });

  it("checks the adoption controls", () => {
    const failures = validateOriginationUrlInputs({ ...base(), importId: "TK" + "0".repeat(32), onImportMismatch: "ignore" });
    assert.deepEqual(failures.map((f) => f.property), ["importId", "onImportMismatch"]);
    assert.ok(failures[0].reason.includes(ORIGINATION_URL_CONTROLS.importId.rule));
    assert.deepEqual(validateOriginationUrlInputs({ ...base(), importId: OU, onImportMismatch: "update" }), []);
  });

  it("never fails on values still unknown at preview", () => {
    const all = { trunkSid: UNKNOWN, sipUrl: UNKNOWN, friendlyName: UNKNOWN, weight: UNKNOWN, priority: UNKNOWN, enabled: UNKNOWN };
    assert.deepEqual(validateOriginationUrlInputs(all), []);
  });

  it("create refuses bad inputs with every failure before any request", async () => {
    let requests = 0;
    const server = http.createServer((_req, res) => {
      requests += 1;
      res.writeHead(500).end();
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const restore = useTwilioEnv(`http://127.0.0.1:${(server.address() as AddressInfo).port}`);
    try {
      await assert.rejects(originationUrlRuntime.create({ ...base(), weight: 0, sipUrl: "sips:x" }), (err: unknown) => {
        assert.ok(err instanceof InputError, String(err));
        assert.deepEqual(err.failures.map((f) => f.property), ["sipUrl", "weight"]);
        assert.match(err.message, /^twilio\.OriginationUrl: invalid arguments:/);
        return true;
      });
      const checked = await originationUrlRuntime.check({}, { ...base(), friendlyName: "" } as OriginationUrlIn);
      assert.deepEqual(checked.failures.map((f) => f.property), ["friendlyName"]);
      assert.equal(requests, 0, "no request was sent");
    } finally {
      restore();
      server.close();
    }
  });
});

describe("twilio.OriginationUrl: defaults (check fills in what omitted means)", () => {
  it("fills weight 10, priority 10, enabled true (the parameter text, not the schema's default: 0)", () => {
    assert.deepEqual(originationUrlWithDefaults(base()), { ...base(), weight: 10, priority: 10, enabled: true });
  });

  it("never overwrites a given value, and leaves the required inputs alone", () => {
    const given = base({ weight: 1, priority: 0, enabled: false });
    assert.deepEqual(originationUrlWithDefaults(given), given);
    assert.deepEqual(originationUrlWithDefaults({}), { weight: 10, priority: 10, enabled: true });
  });
});

describe("twilio.OriginationUrl: sip: comparison (no perpetual diff from Twilio's spelling)", () => {
  const same: [string, string][] = [
    ["SIP:pbx.example.com", "sip:pbx.example.com"],
    ["sip:PBX.Example.COM:5060", "sip:pbx.example.com:5060"],
    ["Sip:alice@PBX.example.com;transport=tcp", "sip:alice@pbx.example.com;transport=tcp"],
    ["sip://sip-box.com:1234", "sip:sip-box.com:1234"],
    ["sip:[2001:DB8::1]:5060", "sip:[2001:db8::1]:5060"],
  ];
  for (const [a, b] of same) {
    it(`${a} equals ${b}`, () => {
      assert.ok(equivalent("sipUri", a, b));
      assert.equal(canonicalSipUri(a), canonicalSipUri(b));
    });
  }

  const different: [string, string][] = [
    ["sip:Alice@pbx.example.com", "sip:alice@pbx.example.com"],
    ["sip:pbx.example.com:5060", "sip:pbx.example.com:5061"],
    ["sip:pbx.example.com;transport=tcp", "sip:pbx.example.com;transport=udp"],
    ["sip:pbx.example.com", "sips:pbx.example.com"],
    ["sip:a.example.com", "sip:b.example.com"],
  ];
  for (const [a, b] of different) {
    it(`${a} differs from ${b}`, () => assert.ok(!equivalent("sipUri", a, b)));
  }

  it("keeps what is not a SIP URI, null and undefined as they are", () => {
    assert.equal(canonicalSipUri("https://x"), "https://x");
    assert.equal(canonical("sipUri", null), null);
    assert.equal(canonical("sipUri", undefined), undefined);
  });

  it("a respelled sip_url in the answer is no change, and read keeps the program's spelling", () => {
    const inputs = base({ sipUrl: "SIP:PBX.Example.com:5060" });
    const first = created(inputs);
    const respelled = originationUrlOutputs({ ...modelCreate(TK, originationUrlCreateForm(inputs)), sip_url: "sip:pbx.example.com:5060" }, first);
    assert.equal(respelled.sipUrl, "sip:pbx.example.com:5060", "outputs are what Twilio reports");
    assert.deepEqual(diffOriginationUrl(respelled, inputs), []);
    assert.equal(originationUrlAsInputs(respelled).sipUrl, "SIP:PBX.Example.com:5060");
  });
});

describe("twilio.OriginationUrl: diff", () => {
  const inputs = base();
  const outs = () => created(inputs);

  it("is empty right after create, with or without the defaults check filled in", () => {
    assert.deepEqual(diffOriginationUrl(outs(), inputs), []);
    assert.deepEqual(diffOriginationUrl(outs(), originationUrlWithDefaults(inputs)), []);
  });

  const cases: [string, (o: OriginationUrlOut) => OriginationUrlOut, OriginationUrlIn, string[]][] = [
    ["drift of an omitted input (weight) is corrected", (o) => ({ ...o, weight: 5 }), inputs, ["weight"]],
    ["drift of enabled", (o) => ({ ...o, enabled: false }), inputs, ["enabled"]],
    ["a new priority", (o) => o, base({ priority: 0 }), ["priority"]],
    ["a new name", (o) => o, base({ friendlyName: "PBX backup" }), ["friendlyName"]],
    ["a new host", (o) => o, base({ sipUrl: "sip:pbx2.example.com:5060" }), ["sipUrl"]],
    ["a new trunk", (o) => o, base({ trunkSid: TK_2 }), ["trunkSid"]],
    ["an unknown value at preview", (o) => o, base({ weight: UNKNOWN as unknown as number }), ["weight"]],
    ["an unknown trunk at preview", (o) => o, base({ trunkSid: UNKNOWN }), ["trunkSid"]],
  ];
  for (const [title, mutate, next, expected] of cases) {
    it(title, () => assert.deepEqual(changed(mutate(outs()), next), expected));
  }

  it("replaces on trunkSid only (also when it is still unknown); every other change is in place", () => {
    assert.deepEqual(originationUrlReplaces(diffOriginationUrl(outs(), base({ trunkSid: TK_2, weight: 3 }))), ["trunkSid"]);
    assert.deepEqual(originationUrlReplaces(diffOriginationUrl(outs(), base({ trunkSid: UNKNOWN }))), ["trunkSid"]);
    assert.deepEqual(originationUrlReplaces(diffOriginationUrl(outs(), base({ weight: 3, priority: 4, enabled: false, friendlyName: "n", sipUrl: "sip:n" }))), []);
  });

  it("outputs written by an older version (a key missing) mean the default, so only another value is a change", () => {
    const { weight: _w, ...older } = outs();
    assert.deepEqual(diffOriginationUrl(older, inputs), []);
    assert.deepEqual(diffOriginationUrl(older, originationUrlWithDefaults(inputs)), []);
    assert.deepEqual(diffOriginationUrl(older, base({ weight: 20 })), [{ property: "weight", live: null, desired: 20 }]);
  });
});

describe("twilio.OriginationUrl: forms", () => {
  it("create sends all five parameters Twilio requires, defaults included, never the path's TrunkSid", () => {
    assert.deepEqual(originationUrlCreateForm(base()), { SipUrl: "sip:pbx.example.com:5060", FriendlyName: "PBX primary", Weight: 10, Priority: 10, Enabled: true });
    assert.deepEqual(originationUrlCreateForm(base({ weight: 1, priority: 0, enabled: false })), {
      SipUrl: "sip:pbx.example.com:5060", FriendlyName: "PBX primary", Weight: 1, Priority: 0, Enabled: false,
    });
  });

  it("update sends the changed parameters only", () => {
    const outs = created(base());
    const next = base({ priority: 20 });
    assert.deepEqual(originationUrlUpdateForm(next, diffOriginationUrl(outs, next)), { Priority: 20 });
    const drifted = { ...outs, enabled: false, friendlyName: "renamed in the console" };
    assert.deepEqual(originationUrlUpdateForm(base(), diffOriginationUrl(drifted, base())), { FriendlyName: "PBX primary", Enabled: true });
  });

  it("update never sends TrunkSid, even when asked to (that is a replacement)", () => {
    const outs = created(base());
    const next = base({ trunkSid: TK_2, weight: 2 });
    assert.deepEqual(originationUrlUpdateForm(next, diffOriginationUrl(outs, next)), { Weight: 2 });
  });
});

describe("twilio.OriginationUrl: outputs", () => {
  it("are plain JSON, with the adoption controls and the applied-inputs snapshot", () => {
    const applied = { ...base(), importId: OU, onImportMismatch: "update" as const, __provider: "shim" };
    const o = originationUrlOutputs(modelCreate(TK, originationUrlCreateForm(base())), {}, applied);
    assert.deepEqual(JSON.parse(JSON.stringify(o)), o);
    assert.equal(o.importId, OU);
    assert.equal(o.onImportMismatch, "update");
    const snapshot = (o as OriginationUrlOut).__appliedInputs;
    assert.deepEqual(snapshot, { ...base(), importId: OU, onImportMismatch: "update" }, "the snapshot leaves __provider out");
  });

  it("keep the previous snapshot and controls on a refresh (nothing applied)", () => {
    const first = created(base({ weight: 7 }));
    const again = originationUrlOutputs(modelCreate(TK, originationUrlCreateForm(base({ weight: 7 }))), first);
    assert.deepEqual((again as OriginationUrlOut).__appliedInputs, first.__appliedInputs);
  });

  it("refuse a member of the wrong type, naming Twilio, the URL and the member", () => {
    const record = { ...modelCreate(TK, originationUrlCreateForm(base())), weight: "heavy" };
    assert.throws(() => originationUrlOutputs(record), /Twilio answered with weight "heavy" for origination URL OU[0-9a-f]{32}, which is not an integer/);
  });

  it("coerce the harmless spellings (\"10\", \"true\")", () => {
    const o = originationUrlOutputs({ ...modelCreate(TK, originationUrlCreateForm(base())), weight: "10", enabled: "true" });
    assert.equal(o.weight, 10);
    assert.equal(o.enabled, true);
  });

  it("written back as inputs leave out the defaults the program left out, and show drift", () => {
    const outs = created(base());
    assert.deepEqual(originationUrlAsInputs(outs), base());
    const drifted = originationUrlAsInputs({ ...outs, priority: 3 });
    assert.equal(drifted.priority, 3);
    assert.deepEqual(diffOriginationUrl({ ...outs, priority: 3 }, drifted), []);
  });
});

describe("twilio.OriginationUrl: README table and TSDoc agree with the field table", () => {
  it("the README table marks the required inputs, the defaults and the replacement", () => {
    const table = renderInputTable({ marker: "x", vendor: "Twilio", fields: ORIGINATION_URL_FIELDS, controls: ORIGINATION_URL_CONTROLS });
    assert.match(table, /\| `trunkSid` \| `TrunkSid` \| required \| .* A change replaces the resource\. \|/);
    assert.match(table, /\| `weight` \| `Weight` \| `10` \|/);
    assert.match(table, /\| `priority` \| `Priority` \| `10` \|/);
    assert.match(table, /\| `enabled` \| `Enabled` \| `true` \|/);
    assert.match(table, /\| `friendlyName` \| `FriendlyName` \| required \|/);
  });

  const docs = tsdocOf("provider/twilio/origination-url-types.ts", "OriginationUrlInputs");

  for (const f of ORIGINATION_URL_FIELDS) {
    it(`${f.input}: its TSDoc quotes the doc line, the rule and what omitted means`, () => {
      const doc = docs.get(f.input);
      assert.ok(doc !== undefined, `${f.input} is not a property of OriginationUrlInputs`);
      assert.ok(doc.includes(oneLine(f.doc)), `doc line missing:\n  ${f.doc}\n  ${doc}`);
      assert.ok(doc.includes(`Rule: ${oneLine(f.rule)}`), `rule missing:\n  ${f.rule}\n  ${doc}`);
      assert.ok(doc.includes(f.required ? "Required" : `Omitted: ${JSON.stringify(f.default)}.`), `omitted/required missing: ${doc}`);
    });
  }

  for (const [name, control] of Object.entries(ORIGINATION_URL_CONTROLS)) {
    it(`${name}: its TSDoc quotes the rule`, () => assert.ok(docs.get(name)?.includes(oneLine(control.rule)), docs.get(name)));
  }

  it("every input is a field or a control", () => {
    const known = new Set([...ORIGINATION_URL_FIELDS.map((f) => f.input), ...Object.keys(ORIGINATION_URL_CONTROLS)]);
    assert.deepEqual([...docs.keys()].filter((k) => !known.has(k)), []);
  });
});

// ------------------------------------------------------------------------------------------------
// Recorded exchanges, replayed through the runtime by a stub that answers what was recorded
// ------------------------------------------------------------------------------------------------

const SUITE = "twilio.OriginationUrl fixture replay";
const FIXTURE_FILES = manifest("twilio").filter((f) => /origination_url/.test(f));

function loadExchange(file: string): Exchange {
  return { file, ...JSON.parse(fs.readFileSync(path.join(fixturesDir(), "twilio", file), "utf8")) };
}

/** Points the Twilio settings at `url`; returns the undo. */
function useTwilioEnv(url: string): () => void {
  const keys = ["TWILIO_ACCOUNT_SID", "TWILIO_AUTH_TOKEN", "TWILIO_API_KEY", "TWILIO_API_SECRET", "TWILIO_TRUNKING_URL", "TWILIO_API_URL"] as const;
  const saved = Object.fromEntries(keys.map((k) => [k, process.env[k]]));
  Object.assign(process.env, { TWILIO_ACCOUNT_SID: "AC" + "a".repeat(32), TWILIO_AUTH_TOKEN: "fixture-token", TWILIO_TRUNKING_URL: url, TWILIO_API_URL: url });
  delete process.env.TWILIO_API_KEY;
  delete process.env.TWILIO_API_SECRET;
  return () => {
    for (const k of keys) {
      if (saved[k] === undefined) delete process.env[k];
      else process.env[k] = saved[k];
    }
  };
}

interface Served {
  method: string;
  path: string;
  form: Record<string, string>;
}

/** A server that answers one recorded exchange to a request of its method and path (query ignored), and logs what it got. */
async function replay(exchange: Exchange): Promise<{ url: string; served: Served[]; close(): Promise<void> }> {
  const served: Served[] = [];
  const server = http.createServer((req, res) => {
    let body = "";
    req.setEncoding("utf8").on("data", (d: string) => (body += d));
    req.on("end", () => {
      const p = String(req.url).split("?")[0];
      served.push({ method: String(req.method), path: p, form: Object.fromEntries(new URLSearchParams(body)) });
      if (req.method !== exchange.request.method || p !== exchange.request.path.split("?")[0]) {
        res.writeHead(599).end("unexpected request");
        return;
      }
      const r = exchange.response;
      if (r.body === null || r.body === undefined) res.writeHead(r.status).end();
      else res.writeHead(r.status, { "content-type": "application/json" }).end(JSON.stringify(r.body));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, served, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

/** The outputs a record maps to, written out here (not derived from the field table). */
function expectedOutputs(r: Record<string, any>): Record<string, unknown> {
  return {
    trunkSid: r.trunk_sid, sipUrl: r.sip_url, friendlyName: r.friendly_name, weight: r.weight, priority: r.priority, enabled: r.enabled,
    sid: r.sid, accountSid: r.account_sid, dateCreated: r.date_created, dateUpdated: r.date_updated, url: r.url,
  };
}

const withoutSnapshot = (o: object) => {
  const { __appliedInputs: _s, ...rest } = o as Record<string, unknown>;
  return rest;
};

/** The program inputs a recorded create or update request stands for. */
function inputsOfRequest(trunkSid: string, body: Record<string, unknown>): OriginationUrlIn {
  return {
    trunkSid,
    friendlyName: String(body.FriendlyName),
    sipUrl: String(body.SipUrl),
    weight: Number(body.Weight),
    priority: Number(body.Priority),
    enabled: String(body.Enabled) === "true",
  };
}

const trunkInPath = (p: string) => /\/Trunks\/([^/?]+)/.exec(p)![1];
const sidInPath = (p: string) => /\/OriginationUrls\/([^/?]+)/.exec(p)![1];
const stringForm = (body: Record<string, unknown>) => Object.fromEntries(Object.entries(body).map(([k, v]) => [k, String(v)]));

/** One check per recorded exchange; each says what the runtime sent and what it made of the answer. */
const REPLAYS: Record<string, (x: Exchange, stub: Awaited<ReturnType<typeof replay>>) => Promise<void>> = {
  async "origination_url_create.json"(x, stub) {
    const inputs = inputsOfRequest(trunkInPath(x.request.path), x.request.body);
    const { id, outs } = await originationUrlRuntime.create(inputs);
    assert.deepEqual(stub.served.map((s) => [s.method, s.path]), [["POST", x.request.path]], "one POST");
    assert.deepEqual(stub.served[0].form, stringForm(x.request.body), "the form is the recorded one");
    assert.equal(id, x.response.body.sid);
    assert.deepEqual(withoutSnapshot(outs), expectedOutputs(x.response.body));
    assert.deepEqual(diffOriginationUrl(outs, inputs), [], "sip://host as Twilio's example writes it: no diff");
  },
  async "origination_url_create_py2015.json"(x, stub) {
    const inputs = inputsOfRequest(trunkInPath(x.request.path), x.request.body);
    const { outs } = await originationUrlRuntime.create(inputs);
    assert.deepEqual(stub.served[0].form, stringForm(x.request.body), "the form is the recorded one (Enabled as \"true\")");
    assert.deepEqual(withoutSnapshot(outs), expectedOutputs(x.response.body));
    // The hand-made SDK fixture answers priority 20 to a request for 10: the next diff shows it, as drift.
    assert.deepEqual(diffOriginationUrl(outs, inputs), [{ property: "priority", live: 20, desired: 10 }]);
  },
  async "origination_url_fetch.json"(x, stub) {
    const read = await originationUrlRuntime.read(sidInPath(x.request.path), { trunkSid: trunkInPath(x.request.path) });
    assert.deepEqual(stub.served.map((s) => [s.method, s.path]), [["GET", x.request.path]], "one GET");
    assert.equal(read.id, x.response.body.sid);
    assert.deepEqual(withoutSnapshot(read.props), expectedOutputs(x.response.body));
    assert.equal((read.inputs as OriginationUrlIn).enabled, false, "a non-default value is written back as an input");
    assert.equal((read.inputs as OriginationUrlIn).weight, 1);
  },
  async "origination_url_update.json"(x, stub) {
    const trunkSid = trunkInPath(x.request.path);
    const olds = created({ trunkSid, friendlyName: "friendly_name", sipUrl: "sip://sip-box.com:1234", weight: 1, priority: 1, enabled: true });
    const news = inputsOfRequest(trunkSid, x.request.body);
    const { outs } = await originationUrlRuntime.update(sidInPath(x.request.path), olds, news);
    assert.deepEqual(stub.served.map((s) => [s.method, s.path]), [["POST", x.request.path]], "one POST");
    assert.deepEqual(stub.served[0].form, stringForm(x.request.body), "the five changed parameters, as recorded");
    assert.deepEqual(withoutSnapshot(outs), expectedOutputs(x.response.body));
    assert.deepEqual(diffOriginationUrl(outs, news), []);
  },
  async "origination_url_delete.json"(x, stub) {
    await originationUrlRuntime.delete(sidInPath(x.request.path), { trunkSid: trunkInPath(x.request.path) });
    assert.deepEqual(stub.served.map((s) => [s.method, s.path]), [["DELETE", x.request.path]], "one DELETE");
  },
  async "origination_url_list.json"(x, stub) {
    const c = new TwilioClient({ accountSid: "AC" + "a".repeat(32), username: "u", password: "p", trunkingUrl: stub.url, apiUrl: stub.url, maxConcurrency: 2, requestTimeoutMs: 5000 });
    const records = await c.list("trunking", x.request.path.split("?")[0], "origination_urls");
    assert.equal(records.length, x.response.body.origination_urls.length);
    for (const [i, r] of records.entries()) assert.deepEqual(withoutSnapshot(originationUrlOutputs(r)), expectedOutputs(x.response.body.origination_urls[i]));
  },
  async "origination_url_list_empty.json"(x, stub) {
    const c = new TwilioClient({ accountSid: "AC" + "a".repeat(32), username: "u", password: "p", trunkingUrl: stub.url, apiUrl: stub.url, maxConcurrency: 2, requestTimeoutMs: 5000 });
    assert.deepEqual(await c.list("trunking", x.request.path.split("?")[0], "origination_urls"), []);
  },
  async "error_404_origination_url_fetch_sdk_go.json"(x, stub) {
    const read = await originationUrlRuntime.read(sidInPath(x.request.path), { trunkSid: trunkInPath(x.request.path) });
    assert.deepEqual(stub.served.map((s) => [s.method, s.path]), [["GET", x.request.path]]);
    assert.deepEqual(read, { id: "", props: {}, inputs: {} }, "a 404 means gone");
  },
};

describe("twilio.OriginationUrl: recorded exchanges through the runtime (../shared/fixtures/twilio)", () => {
  it("the manifest lists every recorded origination URL exchange, and each has a replay", function () {
    assert.deepEqual([...FIXTURE_FILES].sort(), Object.keys(REPLAYS).sort());
    requireFixtures(this, SUITE, "twilio");
    const onDisk = fs.readdirSync(path.join(fixturesDir(), "twilio")).filter((f) => /origination_url/.test(f));
    assert.deepEqual(onDisk.sort(), [...FIXTURE_FILES].sort());
  });

  for (const file of FIXTURE_FILES) {
    it(`${file}: replayed through the runtime and the mapping`, async function () {
      requireFixtures(this, SUITE, "twilio");
      const exchange = loadExchange(file);
      const stub = await replay(exchange);
      const restore = useTwilioEnv(stub.url);
      try {
        await REPLAYS[file](exchange, stub);
      } finally {
        restore();
        await stub.close();
      }
    });
  }
});

// ------------------------------------------------------------------------------------------------
// Properties
// ------------------------------------------------------------------------------------------------

const host = fc.stringMatching(/^[a-z][a-z0-9-]{0,12}(\.[a-z][a-z0-9-]{0,12}){1,3}$/);
const sipUrl = fc
  .tuple(fc.constantFrom("sip:", "SIP:", "Sip:", "sip://"), fc.option(fc.stringMatching(/^[A-Za-z0-9_.]{1,8}$/), { nil: undefined }), host, fc.option(fc.integer({ min: 1, max: 65535 }), { nil: undefined }), fc.constantFrom("", ";transport=tcp", ";transport=udp"))
  .chain(([scheme, user, h, port, params]) =>
    fc.boolean().map((upper) => `${scheme}${user ? `${user}@` : ""}${upper ? h.toUpperCase() : h}${port ? `:${port}` : ""}${params}`),
  );
const validInputs: fc.Arbitrary<OriginationUrlIn> = fc.record(
  {
    trunkSid: fc.constantFrom(TK, TK_2),
    sipUrl,
    friendlyName: fc.string({ minLength: 1, maxLength: 64 }),
    weight: fc.integer({ min: 1, max: 65535 }),
    priority: fc.integer({ min: 0, max: 65535 }),
    enabled: fc.boolean(),
  },
  { requiredKeys: ["trunkSid", "sipUrl", "friendlyName"] },
);

/** Twilio's possible respelling of what it stored: scheme and host lower-cased, `//` dropped. */
const respell = (record: Record<string, unknown>) => ({ ...record, sip_url: canonicalSipUri(String(record.sip_url)) });

describe("twilio.OriginationUrl: properties (fast-check)", () => {
  it("generated inputs are valid", () => {
    fc.assert(fc.property(validInputs, (i) => validateOriginationUrlInputs(i).length === 0), { numRuns: 300 });
  });

  it("create then diff is empty (with and without the defaults check fills in)", () => {
    fc.assert(fc.property(validInputs, (i) => diffOriginationUrl(created(i), i).length === 0 && diffOriginationUrl(created(i), originationUrlWithDefaults(i)).length === 0), { numRuns: 300 });
  });

  it("a read of a respelled sip_url then diff is empty, and read's inputs are exactly the program's (quiet refresh)", () => {
    fc.assert(
      fc.property(validInputs, (i) => {
        const record = modelCreate(String(i.trunkSid), originationUrlCreateForm(i));
        const afterCreate = originationUrlOutputs(record, {}, i);
        const afterRefresh = originationUrlOutputs(respell(record), afterCreate);
        return diffOriginationUrl(afterRefresh, i).length === 0 && isDeepStrictEqual(originationUrlAsInputs(afterRefresh), JSON.parse(JSON.stringify(i)));
      }),
      { numRuns: 300 },
    );
  });

  it("update to any other valid inputs on the same trunk converges: POST of the diff, then diff is empty; a new trunk always replaces", () => {
    fc.assert(
      fc.property(validInputs, validInputs, (a, b) => {
        const record = modelCreate(String(a.trunkSid), originationUrlCreateForm(a));
        const outsA = originationUrlOutputs(record, {}, a);
        const changes = diffOriginationUrl(outsA, b);
        if (a.trunkSid !== b.trunkSid) return isDeepStrictEqual(originationUrlReplaces(changes), ["trunkSid"]);
        if (originationUrlReplaces(changes).length) return false;
        const after = modelUpdate(record, originationUrlUpdateForm(b, changes));
        return diffOriginationUrl(originationUrlOutputs(after, outsA, b), b).length === 0;
      }),
      { numRuns: 300 },
    );
  });

  it("outputs written back as inputs diff clean against those outputs", () => {
    fc.assert(
      fc.property(validInputs, fc.integer({ min: 1, max: 65535 }), (i, driftedWeight) => {
        const outs = { ...created(i), weight: driftedWeight };
        return diffOriginationUrl(outs, originationUrlAsInputs(outs)).length === 0;
      }),
      { numRuns: 300 },
    );
  });

  it("the sip: comparison is idempotent and ignores the scheme's and the host's case", () => {
    fc.assert(
      fc.property(sipUrl, (u) => {
        const c = canonicalSipUri(u);
        const upper = u.replace(/^[^:]+/, (s) => s.toUpperCase());
        return canonicalSipUri(c) === c && equivalent("sipUri", u, upper) && equivalent("sipUri", u, c);
      }),
      { numRuns: 300 },
    );
  });
});
