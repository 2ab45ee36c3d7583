/**
 * Behaviours that mutation testing (`npm run test:mutation`, stryker.config.json) found no test
 * pinning down: each block names the module and the rule. The emulator's parsers and validation
 * are called directly here (no HTTP), so a 400 or 422 is checked exactly, envelope included.
 */
import { strict as assert } from "node:assert";
import {
  MSG,
  invalidDataFormat,
  invalidLinksObject,
  invalidResource,
  keyNotIncludedInUrl,
  missingKey,
  parameterMissing,
  validationError,
} from "../../emulator/didww/messages";
import type { DidwwDid, DidwwTrunk } from "../../emulator/didww/model";
import { compareDecimals, isHttpUrl, normalizeCidr, parseDecimal, parseInteger, type Decimal } from "../../emulator/didww/normalize";
import { TRUNK_WRITE_RELATIONSHIPS, applyTrunkWrite, parseDocument, type DocumentSpec, type WriteContext } from "../../emulator/didww/validate";
import { VendorResponseError } from "../../provider/common/response";
import { canonical, canonicalSipUri, fieldIn } from "../../provider/common/fields";
import { APPLIED_INPUTS_KEY, describeChange, describeChanges, fieldsAsInputs } from "../../provider/common/diff";
import { InputValidator, isHttpUrl as isHttpUrlInput, objectSchema, type NestedInput } from "../../provider/common/schema";
import { UNKNOWN } from "../../provider/common/unknown";
import { CONTROL_FIELDS, CROSS_RULES, TRUNK_FIELDS, fieldOf } from "../../provider/didww/fields";
import { apiValue, buildCreatePayload, buildPatchPayload, diffTrunk, inputsFromOutputs, isMasked, outputsFromApi, type JsonApiResource } from "../../provider/didww/mapping";
import { AUTHENTICATION_METHOD, RESOURCE_NAME, validateTrunkInputs } from "../../provider/didww/schema";
import { masked, modelCreate } from "../helpers/didww-model";
import { credentialsTrunk, DID_A, DID_B, twilioTrunk, TWILIO_SID } from "../helpers/trunks";

/** The emulator tests' two DIDs: the first may take emergency calls, the second may not. */
const DID_EMERGENCY = DID_A;
const DID_NO_EMERGENCY = DID_B;
const SID = TWILIO_SID;

describe("emulator normalize: allow-list entries (normalizeCidr)", () => {
  it("refuses a value that is not a string instead of throwing", () => {
    assert.equal(normalizeCidr(5), undefined);
    assert.equal(normalizeCidr(null), undefined);
  });

  it("reads an entry with surrounding spaces", () => {
    assert.equal(normalizeCidr(" 10.0.0.1 "), "10.0.0.1/32");
    assert.equal(normalizeCidr(" 10.0.0.0/8 "), "10.0.0.0/8");
  });

  it("refuses a prefix with anything but its digits", () => {
    for (const text of ["10.0.0.1/x8", "10.0.0.1/8x", "10.0.0.1/-8", "10.0.0.1/+8", "2001:db8::/x64"]) {
      assert.equal(normalizeCidr(text), undefined, text);
    }
  });
});

describe("emulator normalize: decimals (parseDecimal, compareDecimals)", () => {
  it("refuses what is neither a number nor a string", () => {
    for (const value of [null, undefined, true, {}, ["1"]]) assert.equal(parseDecimal(value), undefined, String(value));
  });

  it("reads a string with surrounding spaces", () => {
    assert.equal(parseDecimal(" 7.50 ")?.text, "7.5");
  });

  it("reads a number JavaScript prints with a positive exponent exactly", () => {
    assert.deepEqual(parseDecimal(1e21), { units: 10n ** 21n, scale: 0, text: "1000000000000000000000.0" });
    assert.equal(parseDecimal(2.5e22)?.text, "25000000000000000000000.0");
  });

  const d = (text: string): Decimal => parseDecimal(text) as Decimal;
  /** [a, b, sign of compareDecimals(a, b)]: amounts of different scales, both ways round. */
  const order: [string, string, number][] = [
    ["0.15", "0.2", -1],
    ["0.2", "0.15", 1],
    ["1", "0.5", 1],
    ["0.5", "1", -1],
    ["100000", "100000.01", -1],
    ["100000.01", "100000", 1],
    ["-0.25", "-0.3", 1],
    ["1.50", "1.5", 0],
    ["0", "0.0", 0],
  ];
  for (const [a, b, expected] of order) {
    it(`compares ${a} with ${b} → ${expected}`, () => assert.equal(compareDecimals(d(a), d(b)), expected));
  }
});

describe("emulator normalize: integers (parseInteger)", () => {
  const table: [unknown, number | "nan" | "fraction"][] = [
    [42, 42],
    [1.5, "fraction"],
    [Number.NaN, "nan"],
    [Number.POSITIVE_INFINITY, "nan"],
    ["42", 42],
    [" 42 ", 42],
    ["-5", -5],
    ["+5", 5],
    ["2.0", 2],
    ["-2.0", -2],
    ["+12.00", 12],
    ["2.5", "fraction"],
    ["x5", "nan"],
    ["5x", "nan"],
    ["x2.5", "nan"],
    ["2.5x", "nan"],
    ["2.", "nan"],
    [".5", "nan"],
    ["", "nan"],
    [true, "nan"],
    [null, "nan"],
  ];
  for (const [value, expected] of table) {
    const shown = typeof value === "number" && !Number.isFinite(value) ? String(value) : JSON.stringify(value);
    it(`${shown} → ${JSON.stringify(expected)}`, () => assert.equal(parseInteger(value), expected));
  }
});

describe("emulator normalize: callback URLs (isHttpUrl)", () => {
  it("answers false, not undefined, for text that is not a URL", () => {
    assert.equal(isHttpUrl("hooks"), false);
    assert.equal(isHttpUrl(""), false);
  });
});

describe("emulator validate: parsing a document (the 400s)", () => {
  const create: DocumentSpec = { type: "voice_out_trunks", mode: "create", attributes: ["name"], relationships: TRUNK_WRITE_RELATIONSHIPS };
  const update: DocumentSpec = { ...create, mode: "update", pathId: "t1" };
  const fail = (...errors: unknown[]) => ({ ok: false, status: 400, errors });

  it("a body that is null, or a data member that is null or undefined, is a missing data parameter", () => {
    assert.deepEqual(parseDocument(null, create), fail(parameterMissing("data")));
    assert.deepEqual(parseDocument({ data: null }, create), fail(parameterMissing("data")));
    assert.deepEqual(parseDocument({ data: undefined }, create), fail(parameterMissing("data")));
  });

  it("an update whose id is null misses its key", () => {
    assert.deepEqual(parseDocument({ data: { id: null, type: "voice_out_trunks" } }, update), fail(missingKey()));
  });

  it("an update without a path id takes the document's key as it is", () => {
    const spec: DocumentSpec = { ...create, mode: "update" };
    assert.deepEqual(parseDocument({ data: { id: "t9", type: "voice_out_trunks" } }, spec), { ok: true, value: { attributes: {}, relationships: {} } });
    assert.deepEqual(parseDocument({ data: { id: "t9", type: "voice_out_trunks" } }, update), fail(keyNotIncludedInUrl("t9")));
  });

  it("a type that is null is a missing type parameter, another type an invalid resource", () => {
    assert.deepEqual(parseDocument({ data: { type: null } }, create), fail(parameterMissing("type")));
    assert.deepEqual(parseDocument({ data: { type: "dids" } }, create), fail(invalidResource("dids")));
  });

  it("attributes or relationships that are not objects are an invalid data format", () => {
    for (const data of [
      { type: "voice_out_trunks", attributes: "name" },
      { type: "voice_out_trunks", attributes: ["name"] },
      { type: "voice_out_trunks", attributes: {}, relationships: [] },
      { type: "voice_out_trunks", relationships: "dids" },
    ]) {
      assert.deepEqual(parseDocument({ data }, create), fail(invalidDataFormat()), JSON.stringify(data));
    }
  });

  const toMany = (dids: unknown) => parseDocument({ data: { type: "voice_out_trunks", relationships: { dids } } }, create);

  it("to-many linkage: an empty list or { data: [...] }; anything else is an invalid links object", () => {
    assert.deepEqual(toMany([]), { ok: true, value: { attributes: {}, relationships: { dids: [] } } });
    assert.deepEqual(toMany({ data: [{ type: "dids", id: DID_EMERGENCY.toUpperCase() }] }), { ok: true, value: { attributes: {}, relationships: { dids: [DID_EMERGENCY] } } });
    for (const dids of [[{ type: "dids", id: DID_EMERGENCY }], null, "x", { data: null }]) {
      assert.deepEqual(toMany(dids), fail(invalidLinksObject()), JSON.stringify(dids));
    }
  });

  it("a linkage item must be an object of exactly type and id", () => {
    for (const item of [null, "x", { type: "dids" }, { id: DID_EMERGENCY }, { type: "dids", id: DID_EMERGENCY, meta: {} }]) {
      assert.deepEqual(toMany({ data: [item] }), fail(invalidLinksObject()), JSON.stringify(item));
    }
  });

  // The credentials-regeneration document links one trunk (a to-one relationship).
  const regenerate: DocumentSpec = { type: "regenerate", mode: "create", attributes: [], relationships: { voice_out_trunk: { kind: "one", type: "voice_out_trunks" } } };
  const toOne = (link: unknown) => parseDocument({ data: { type: "regenerate", relationships: { voice_out_trunk: link } } }, regenerate);

  it("to-one linkage: { data: {type, id} }, { data: null } or null", () => {
    assert.deepEqual(toOne({ data: { type: "voice_out_trunks", id: "t1" } }), { ok: true, value: { attributes: {}, relationships: { voice_out_trunk: "t1" } } });
    assert.deepEqual(toOne({ data: null }), { ok: true, value: { attributes: {}, relationships: { voice_out_trunk: null } } });
    assert.deepEqual(toOne(null), { ok: true, value: { attributes: {}, relationships: { voice_out_trunk: null } } });
  });

  it("to-one linkage that is malformed is an invalid links object", () => {
    for (const link of ["t1", {}, { data: { type: "voice_out_trunks" } }, { data: { type: "voice_out_trunks", id: "t1", extra: 1 } }]) {
      assert.deepEqual(toOne(link), fail(invalidLinksObject()), JSON.stringify(link));
    }
  });
});

describe("emulator validate: writing a trunk (the 422s)", () => {
  const did = (id: string, emergency: boolean): DidwwDid => ({
    id, blocked: false, capacity_limit: null, description: null, terminated: false, awaiting_registration: false, number: "4420000000",
    expires_at: null, channels_included_count: 0, created_at: "2026-01-01T00:00:00.000Z", pending_removal: false, dedicated_channels_count: 0,
    emergency_enabled: emergency,
  });
  const DIDS = new Map([[DID_EMERGENCY, did(DID_EMERGENCY, true)], [DID_NO_EMERGENCY, did(DID_NO_EMERGENCY, false)]]);
  const ctx = (mode: WriteContext["mode"], existing?: DidwwTrunk): WriteContext => ({ mode, existing, getDid: (id) => DIDS.get(id) });
  const AUTH = "/data/attributes/authentication_method";
  const base = { name: "pbx", on_cli_mismatch_action: "reject_call", authentication_method: { type: "twilio", attributes: { twilio_account_sid: SID } } };
  const write = (attributes: Record<string, unknown>, mode: WriteContext["mode"] = "create", relationships: Record<string, string[]> = {}) =>
    applyTrunkWrite({ attributes: { ...base, ...attributes }, relationships }, ctx(mode));
  const errorsOf = (r: ReturnType<typeof write>) => (r.ok ? [] : r.errors);
  const invalidAuth = [validationError("authentication_method", MSG.invalid, AUTH)];

  it("an attribute present with the value undefined counts as absent", () => {
    const r = write({ capacity_limit: undefined, rtp_timeout: undefined });
    assert.equal(r.ok, true, JSON.stringify(errorsOf(r)));
    assert.equal(r.ok && r.value.capacity_limit, null);
    assert.equal(r.ok && r.value.rtp_timeout, 30);
  });

  it("an out-of-band edit may link a DID that is not emergency-enabled; the API may not", () => {
    const api = write({}, "create", { emergency_dids: [DID_NO_EMERGENCY] });
    assert.deepEqual(errorsOf(api), [validationError("emergency_dids", MSG.invalid, "/data/relationships/emergency_dids")]);
    const store = write({}, "store", { emergency_dids: [DID_NO_EMERGENCY] });
    assert.equal(store.ok, true, JSON.stringify(errorsOf(store)));
    assert.deepEqual(store.ok && store.value.emergency_dids, [DID_NO_EMERGENCY]);
  });

  it("an authentication type that is null or empty is blank; of another JSON type, not in the list", () => {
    const typeError = (message: string) => [validationError("type", message, `${AUTH}/type`)];
    assert.deepEqual(errorsOf(write({ authentication_method: { type: null } })), typeError(MSG.blank));
    assert.deepEqual(errorsOf(write({ authentication_method: { type: "" } })), typeError(MSG.blank));
    assert.deepEqual(errorsOf(write({ authentication_method: { type: 5 } })), typeError(MSG.inclusion));
  });

  it("authentication_method refuses members besides type and attributes, and attributes that are not an object", () => {
    assert.deepEqual(errorsOf(write({ authentication_method: { type: "twilio", attributes: { twilio_account_sid: SID }, extra: 1 } })), invalidAuth);
    assert.deepEqual(errorsOf(write({ authentication_method: { type: "twilio", attributes: [] } })), invalidAuth);
    assert.deepEqual(errorsOf(write({ authentication_method: { type: "credentials_and_ip", attributes: [] } })), invalidAuth);
  });

  it("a twilio SID that is null is blank; one that is not a string is invalid, even a list holding a valid SID", () => {
    const pointer = `${AUTH}/attributes/twilio_account_sid`;
    assert.deepEqual(errorsOf(write({ authentication_method: { type: "twilio", attributes: { twilio_account_sid: null } } })), [validationError("twilio_account_sid", MSG.blank, pointer)]);
    assert.deepEqual(errorsOf(write({ authentication_method: { type: "twilio", attributes: { twilio_account_sid: [SID] } } })), [validationError("twilio_account_sid", MSG.invalid, pointer)]);
  });

  it("a tech prefix must be a string: the number 5 is refused although \"5\" is accepted", () => {
    const auth = (tech_prefix: unknown) => ({ authentication_method: { type: "credentials_and_ip", attributes: { allowed_sip_ips: ["10.0.0.1"], tech_prefix } } });
    assert.deepEqual(errorsOf(write(auth(5))), invalidAuth);
    assert.equal(write(auth("5")).ok, true);
  });

  it("an out-of-band ip_only method takes no credentials; credentials_and_ip takes non-empty strings only", () => {
    const ipOnly = { type: "ip_only", attributes: { allowed_sip_ips: ["10.0.0.1"], username: "someone" } };
    assert.deepEqual(errorsOf(write({ authentication_method: ipOnly }, "store")), invalidAuth);
    const creds = (attributes: Record<string, unknown>) => ({ authentication_method: { type: "credentials_and_ip", attributes: { allowed_sip_ips: ["10.0.0.1"], ...attributes } } });
    for (const bad of [{ username: "" }, { password: "" }, { username: 5 }, { password: null }]) {
      assert.deepEqual(errorsOf(write(creds(bad), "store")), invalidAuth, JSON.stringify(bad));
    }
    const ok = write(creds({ username: "alice", password: "s3cret" }), "store");
    assert.equal(ok.ok, true);
    assert.deepEqual(ok.ok && ok.value.authentication_method, {
      type: "credentials_and_ip",
      attributes: { allowed_sip_ips: ["10.0.0.1/32"], tech_prefix: null, username: "alice", password: "s3cret" },
    });
  });
});

// -----------------------------------------------------------------------------------------------
// Provider: comparison rules, diff and read-back, the DIDWW mapping, the input validator
// -----------------------------------------------------------------------------------------------

describe("provider fields: comparison rules (canonical)", () => {
  it("an absent value stays absent, a null decimal stays null", () => {
    for (const compare of ["exact", "decimal", "ipSet", "stringSet", "idSet", "caseless", "emptyIsNull", "sipUri"] as const) {
      assert.equal(canonical(compare, undefined), undefined, compare);
    }
    assert.equal(canonical("decimal", null), null);
  });

  it("a set of strings keeps its spelling; a set of ids does not", () => {
    assert.deepEqual(canonical("stringSet", ["b", "B", "a", "b"]), ["B", "a", "b"]);
    assert.deepEqual(canonical("idSet", [DID_A.toUpperCase(), DID_A]), [DID_A]);
    assert.deepEqual(canonical("stringSet", null), []);
    assert.deepEqual(canonical("idSet", null), []);
  });

  it("caseless: lower case, and an empty string is null", () => {
    assert.equal(canonical("caseless", "AC0A"), "ac0a");
    assert.equal(canonical("caseless", ""), null);
    assert.equal(canonical("caseless", null), null);
  });

  it("a SIP URI is compared with its scheme and host in lower case, user and parameters as written", () => {
    assert.equal(canonicalSipUri("SIP://Alice@PBX.Example.com:5060;Transport=TCP"), "sip:Alice@pbx.example.com:5060;Transport=TCP");
    assert.equal(canonicalSipUri("SIPS:PBX.Example.com"), "sips:pbx.example.com");
    assert.equal(canonicalSipUri("xsip:Alice@PBX"), "xsip:Alice@PBX", "not a SIP URI: unchanged");
    assert.deepEqual(canonical("sipUri", ["SIP:Alice@PBX"]), ["SIP:Alice@PBX"], "only strings are read as URIs");
  });

  it("looking up a field that does not exist is an error naming it", () => {
    assert.throws(() => fieldIn<string, { input: string }>(TRUNK_FIELDS, "nope"), /no field nope/);
  });
});

describe("provider diff: read-back and change descriptions", () => {
  const stored = modelCreate(buildCreatePayload(credentialsTrunk()));
  const live = () => outputsFromApi(stored) as unknown as Record<string, unknown>;

  it("an output missing from old state is missing from the inputs too", () => {
    const { rtpPing: _gone, ...old } = live();
    assert.equal("rtpPing" in fieldsAsInputs(TRUNK_FIELDS, old, undefined), false);
  });

  it("a list DIDWW manages (allowAnyDidAsCli) is left out unless the program gave it", () => {
    const outs = { ...live(), allowAnyDidAsCli: true, didIds: [DID_A] };
    assert.equal("didIds" in fieldsAsInputs(TRUNK_FIELDS, outs, undefined), false);
    assert.deepEqual(fieldsAsInputs(TRUNK_FIELDS, outs, { didIds: [] }).didIds, []);
  });

  it("a value the program gave that drifted reads back as the live value", () => {
    const outs = { ...live(), status: "blocked", thresholdAmount: "250.0" };
    const back = fieldsAsInputs(TRUNK_FIELDS, outs, { status: "active", thresholdAmount: "100" });
    assert.equal(back.status, "blocked");
    assert.equal(back.thresholdAmount, "250.0", "even for a server-managed field the program gave");
  });

  it("a drift back to the documented default shows when the program asked for something else", () => {
    const back = fieldsAsInputs(TRUNK_FIELDS, { ...live(), status: "active" }, { status: "blocked" });
    assert.equal(back.status, "active");
  });

  it("describes a value that is not set as such", () => {
    assert.equal(describeChanges([{ property: "rtpPing", live: undefined, desired: true }]), "  - rtpPing: live (not set), program true");
    assert.equal(
      describeChange({ property: "status", live: "blocked", desired: "active" }, "trunk"),
      'status is "blocked" on the live trunk, the program says "active"',
    );
    assert.equal(describeChange({ property: "status", live: undefined, desired: "active" }, "trunk"), 'status is (not set) on the live trunk, the program says "active"');
  });
});

describe("DIDWW mapping: diff edges", () => {
  const inputs = credentialsTrunk({ didIds: [DID_A] });
  const outs = () => outputsFromApi(modelCreate(buildCreatePayload(inputs)), {}, inputs as never) as any;
  const props = (o: any, i: any) => diffTrunk(o, i).map((c) => c.property);

  it("an unknown switch with its list left out changes the switch only", () => {
    const { didIds: _omitted, ...rest } = inputs;
    assert.deepEqual(props(outs(), { ...rest, allowAnyDidAsCli: UNKNOWN }), ["allowAnyDidAsCli"]);
  });

  it("a list still unknown at preview is a change (not a comparison)", () => {
    assert.deepEqual(diffTrunk(outs(), { ...inputs, allowedRtpIps: UNKNOWN } as any), [{ property: "allowedRtpIps", live: null, desired: UNKNOWN }]);
  });

  it("no authentication method in the inputs (old state) is no change of it", () => {
    const { authenticationMethod: _omitted, ...rest } = inputs;
    assert.deepEqual(diffTrunk(outs(), rest as any), []);
  });

  it("no authentication method in the outputs is a change of the whole method", () => {
    const o = { ...outs(), authenticationMethod: undefined };
    assert.deepEqual(diffTrunk(o, inputs as any), [{ property: "authenticationMethod", live: null, desired: inputs.authenticationMethod }]);
  });

  it("a live allow-list that is not a list is a change, not a crash", () => {
    const o = { ...outs(), authenticationMethod: { type: "credentials_and_ip", allowedSipIps: "203.0.113.10/32" } };
    assert.deepEqual(props(o, inputs), ["authenticationMethod.allowedSipIps"]);
  });

  it("a change inside the method reports the live and desired attribute", () => {
    const withPrefix = credentialsTrunk({ authenticationMethod: { type: "credentials_and_ip", allowedSipIps: ["203.0.113.10"], techPrefix: "9" } });
    const o = outputsFromApi(modelCreate(buildCreatePayload(withPrefix)), {}, withPrefix as never) as any;
    const next = credentialsTrunk({ authenticationMethod: { type: "credentials_and_ip", allowedSipIps: ["203.0.113.10"], techPrefix: "8" } });
    assert.deepEqual(diffTrunk(o, next as any), [{ property: "authenticationMethod.techPrefix", live: "9", desired: "8" }]);
  });

  it("a rotation value equal to the last one, or left out, rotates nothing; a new one names the old", () => {
    const o = { ...outs(), credentialsRotation: 1 };
    assert.deepEqual(props(o, { ...inputs, credentialsRotation: 1 }), []);
    assert.deepEqual(props(o, inputs), []);
    assert.deepEqual(diffTrunk(o, { ...inputs, credentialsRotation: 2 } as any), [{ property: "credentialsRotation", live: 1, desired: 2 }]);
  });
});

describe("DIDWW mapping: payloads", () => {
  it("a create payload has a type and no id", () => {
    const { data } = buildCreatePayload(credentialsTrunk());
    assert.equal(data.type, "voice_out_trunks");
    assert.equal("id" in data, false);
  });

  it("an absent or null value is sent as null", () => {
    assert.equal(apiValue(fieldOf("thresholdAmount"), null), null);
    assert.equal(apiValue(fieldOf("thresholdAmount"), undefined), null);
    assert.equal(apiValue(fieldOf("capacityLimit"), undefined), null);
    assert.equal(apiValue(fieldOf("thresholdAmount"), 5), "5.0");
  });

  it("a null list of DIDs is sent as an empty linkage", () => {
    const next = { ...credentialsTrunk(), didIds: null as never };
    const patch = buildPatchPayload("t1", next, [{ property: "didIds", live: [DID_A], desired: null }]) as any;
    assert.deepEqual(patch.data.relationships, { dids: { data: [] } });
  });

  it("allowed_rtp_ips goes with every type change, even alongside other changes, and with a whole new method", () => {
    const inputs = credentialsTrunk({ allowedRtpIps: ["10.0.0.1"] });
    const outs = outputsFromApi(modelCreate(buildCreatePayload(inputs)), {}, inputs as never) as any;
    const next = { ...twilioTrunk({ allowedRtpIps: ["10.0.0.1"] }), name: "renamed" };
    const patch = buildPatchPayload("t1", next, diffTrunk(outs, next as any)) as any;
    assert.deepEqual(patch.data.attributes.allowed_rtp_ips, ["10.0.0.1"]);
    assert.equal(patch.data.attributes.name, "renamed");
    const whole = buildPatchPayload("t1", inputs, diffTrunk({ ...outs, authenticationMethod: undefined }, inputs as any)) as any;
    assert.deepEqual(whole.data.attributes.allowed_rtp_ips, ["10.0.0.1"]);
  });
});

describe("DIDWW mapping: outputs from a response", () => {
  const inputs = credentialsTrunk();
  const stored = () => modelCreate(buildCreatePayload(inputs)) as unknown as JsonApiResource & { attributes: Record<string, any>; meta: Record<string, any> };
  const refused = (attribute: string) => (e: unknown) => e instanceof VendorResponseError && e.attribute === attribute;

  it("threshold_reached: read when present, the prior value when absent, refused when null or not a boolean", () => {
    const t = stored();
    t.attributes.threshold_reached = true;
    assert.equal(outputsFromApi(t).thresholdReached, true);
    delete t.attributes.threshold_reached;
    assert.equal(outputsFromApi(t, { thresholdReached: true }).thresholdReached, true);
    assert.equal(outputsFromApi(t).thresholdReached, false);
    for (const bad of [null, "yes"]) {
      t.attributes.threshold_reached = bad;
      assert.throws(() => outputsFromApi(t), refused("threshold_reached"), String(bad));
    }
  });

  it("created_at: may be null, the prior value when absent, refused when not a string", () => {
    const t = stored();
    t.attributes.created_at = null;
    assert.equal(outputsFromApi(t).createdAt, null);
    delete t.attributes.created_at;
    assert.equal(outputsFromApi(t, { createdAt: "2026-01-01T00:00:00Z" }).createdAt, "2026-01-01T00:00:00Z");
    assert.equal(outputsFromApi(t).createdAt, null);
    t.attributes.created_at = 5;
    assert.throws(() => outputsFromApi(t), refused("created_at"));
  });

  it("meta.spent_amount: may be null, refused when not a decimal", () => {
    const t = stored();
    t.meta.spent_amount = null;
    assert.equal(outputsFromApi(t).spentAmount, null);
    t.meta.spent_amount = "lots";
    assert.throws(() => outputsFromApi(t), refused("meta.spent_amount"));
  });

  it("an attribute the response leaves out keeps its prior value; dst_prefixes null reads as []", () => {
    const t = stored();
    delete t.attributes.capacity_limit;
    t.attributes.dst_prefixes = null;
    const o = outputsFromApi(t, { capacityLimit: 7 });
    assert.equal(o.capacityLimit, 7);
    assert.deepEqual(o.dstPrefixes, []);
  });

  it("a response without authentication_method keeps the prior method, else reads as type unknown", () => {
    const t = stored();
    const full = outputsFromApi(t);
    delete t.attributes.authentication_method;
    const kept = outputsFromApi(t, full);
    assert.deepEqual(kept.authenticationMethod, full.authenticationMethod);
    assert.deepEqual(outputsFromApi(t).authenticationMethod, { type: "unknown" });
  });

  it("an authentication_method that is not an object with a type is refused", () => {
    for (const bad of [null, "credentials_and_ip", {}, { type: 5 }]) {
      const t = stored();
      t.attributes.authentication_method = bad;
      assert.throws(
        () => outputsFromApi(t),
        (e: unknown) => refused("authentication_method")(e) && (e as Error).message.includes("which is not an object with a type") && (e as Error).message.startsWith("DIDWW answered"),
        JSON.stringify(bad),
      );
    }
  });

  it("a method without attributes, or without tech_prefix, reads without them", () => {
    const t = stored();
    t.attributes.authentication_method = { type: "credentials_and_ip" };
    const bare = outputsFromApi(t);
    assert.deepEqual(bare.authenticationMethod, { type: "credentials_and_ip" });
    assert.deepEqual([bare.username, bare.password], [null, null]);
    t.attributes.authentication_method = { type: "credentials_and_ip", attributes: { allowed_sip_ips: ["10.0.0.1/32"] } };
    assert.deepEqual(outputsFromApi(t).authenticationMethod, { type: "credentials_and_ip", allowedSipIps: ["10.0.0.1/32"] });
  });

  it("credentials come only with credentials_and_ip, only as non-empty strings", () => {
    const t = stored();
    t.attributes.authentication_method = { type: "ip_only", attributes: { allowed_sip_ips: ["10.0.0.1/32"], tech_prefix: null, username: "someone", password: "secret" } };
    assert.deepEqual([outputsFromApi(t).username, outputsFromApi(t).password], [null, null]);
    t.attributes.authentication_method = { type: "credentials_and_ip", attributes: { allowed_sip_ips: ["10.0.0.1/32"], username: "", password: 5 } };
    assert.deepEqual([outputsFromApi(t).username, outputsFromApi(t).password], [null, null]);
  });

  it("a masked credential keeps the prior one only after credentials_and_ip, and only a string", () => {
    const t = masked(stored() as never) as any;
    const user = t.attributes.authentication_method.attributes.username as string; // "Ab0******"
    const full = `${user.replace(/\*+$/, "")}cdefgh`;
    const priorAuth = { type: "credentials_and_ip", allowedSipIps: ["203.0.113.10/32"] } as any;
    assert.equal(outputsFromApi(t, { authenticationMethod: priorAuth, username: full }).username, full);
    assert.equal(outputsFromApi(t, { authenticationMethod: { type: "twilio", twilioAccountSid: TWILIO_SID } as any, username: full }).username, null);
    assert.equal(outputsFromApi(t, { authenticationMethod: priorAuth, username: null as any }).username, null);
  });

  it("a visible prefix may itself hold a star: only the trailing run is the mask", () => {
    const t = stored();
    t.attributes.authentication_method.attributes.password = "a*b******";
    const prior = { authenticationMethod: { type: "credentials_and_ip", allowedSipIps: ["203.0.113.10/32"] } as any, password: "a*bcdefgh" };
    assert.equal(outputsFromApi(t, prior).password, "a*bcdefgh");
  });

  it("control inputs: the applied value, else the prior one, never a null", () => {
    const t = stored();
    assert.equal(outputsFromApi(t, { importId: DID_A }, {}).importId, DID_A);
    assert.equal(outputsFromApi(t, { importId: DID_A }, { importId: DID_A.toUpperCase() }).importId, DID_A.toUpperCase());
    assert.equal("onImportMismatch" in outputsFromApi(t, { onImportMismatch: null as any }), false);
  });
});

describe("DIDWW mapping: live trunk as inputs (inputsFromOutputs)", () => {
  const inputs = credentialsTrunk();
  const outs = () => outputsFromApi(modelCreate(buildCreatePayload(inputs))) as any;

  it("an ip_only method reads back with its allow-list and prefix", () => {
    const o = { ...outs(), authenticationMethod: { type: "ip_only", allowedSipIps: ["10.0.0.1/32"], techPrefix: "7" } };
    assert.deepEqual(inputsFromOutputs(o).authenticationMethod, { type: "ip_only", allowedSipIps: ["10.0.0.1/32"], techPrefix: "7" });
  });

  it("an allow-list missing from old state reads as []; a null or absent prefix is left out", () => {
    const o = { ...outs(), authenticationMethod: { type: "credentials_and_ip", techPrefix: null } };
    assert.deepStrictEqual(inputsFromOutputs(o).authenticationMethod, { type: "credentials_and_ip", allowedSipIps: [] });
    const o2 = { ...outs(), authenticationMethod: { type: "credentials_and_ip", allowedSipIps: ["10.0.0.1/32"] } };
    assert.deepStrictEqual(inputsFromOutputs(o2).authenticationMethod, { type: "credentials_and_ip", allowedSipIps: ["10.0.0.1/32"] });
  });

  it("a method that drifted from the program's reads back as the live one", () => {
    const o = { ...outs(), authenticationMethod: { type: "twilio", twilioAccountSid: TWILIO_SID }, [APPLIED_INPUTS_KEY]: inputs };
    assert.deepEqual(inputsFromOutputs(o).authenticationMethod, { type: "twilio", twilioAccountSid: TWILIO_SID });
  });

  it("no method in the outputs, no method in the inputs", () => {
    assert.equal("authenticationMethod" in inputsFromOutputs({ ...outs(), authenticationMethod: undefined }), false);
  });

  it("control inputs in the outputs come back, nulls do not", () => {
    assert.equal(inputsFromOutputs({ ...outs(), importId: DID_A }).importId, DID_A);
    assert.equal("importId" in inputsFromOutputs({ ...outs(), importId: null }), false);
  });
});

describe("DIDWW mapping: masked credentials (isMasked)", () => {
  const table: [unknown, boolean][] = [
    ["554******", true],
    ["554***", true],
    ["554**", false],
    ["***554", false],
    ["5*5*4*", false],
    [["554******"], false],
    [null, false],
  ];
  for (const [value, expected] of table) {
    it(`${JSON.stringify(value)} → ${expected}`, () => assert.equal(isMasked(value), expected));
  }
});

describe("DIDWW check: messages of the trunk validator", () => {
  it("a value that is not an object is refused as the args, naming the resource", () => {
    for (const inputs of ["pbx", 5, [], null]) {
      assert.deepEqual(validateTrunkInputs(inputs), [{ property: "args", reason: "must be an object of didww.OutboundTrunk arguments" }], JSON.stringify(inputs));
    }
  });

  it("thresholdAmount may be null; a boolean is a failure, not a crash", () => {
    assert.deepEqual(validateTrunkInputs(credentialsTrunk({ thresholdAmount: null })), []);
    assert.deepEqual(validateTrunkInputs(credentialsTrunk({ thresholdAmount: true as never })).map((f) => f.property), ["thresholdAmount"]);
  });

  it("authenticationMethod null is a failure on it, not a crash", () => {
    assert.deepEqual(validateTrunkInputs({ ...credentialsTrunk(), authenticationMethod: null }).map((f) => f.property), ["authenticationMethod"]);
  });

  it("a sub-field of another type names the type the program chose", () => {
    const [f] = validateTrunkInputs(credentialsTrunk({ authenticationMethod: { type: "credentials_and_ip", allowedSipIps: ["1.2.3.4"], twilioAccountSid: TWILIO_SID } as never }));
    assert.equal(f.reason, `authenticationMethod.twilioAccountSid does not apply to authenticationMethod type "credentials_and_ip" (got "${TWILIO_SID}")`);
  });

  it("a sub-field of another type is refused as not applying, even when its value is malformed too", () => {
    const [f] = validateTrunkInputs(credentialsTrunk({ authenticationMethod: { type: "credentials_and_ip", allowedSipIps: ["1.2.3.4"], twilioAccountSid: "bad" } as never }));
    assert.equal(f.reason, 'authenticationMethod.twilioAccountSid does not apply to authenticationMethod type "credentials_and_ip" (got "bad")');
  });

  it("a missing sub-field gives one reason, the sub-field's", () => {
    const [f] = validateTrunkInputs(twilioTrunk({ authenticationMethod: { type: "twilio" } as never }));
    assert.equal(f.reason, 'authenticationMethod.twilioAccountSid is required for type twilio: it must be "AC" followed by 32 hexadecimal characters');
  });

  it("an element past the tenth is named by its index and judged by the element rule", () => {
    const ips = Array.from({ length: 11 }, (_, i) => `10.0.0.${i}`);
    ips[10] = "10.0.0.300";
    const [f] = validateTrunkInputs(credentialsTrunk({ allowedRtpIps: ips }));
    assert.equal(f.reason, 'allowedRtpIps[10] must be an IPv4/IPv6 address or CIDR (got "10.0.0.300")');
  });

  it("a cross rule quotes the offending list", () => {
    const [f] = validateTrunkInputs(credentialsTrunk({ allowAnyDidAsCli: true, didIds: [DID_A] }));
    assert.equal(f.reason, `must be empty while allowAnyDidAsCli is true (DIDWW then manages the dids relationship itself) (got ["${DID_A}"])`);
  });
});

describe("input validator (provider/common/schema.ts), built fresh", () => {
  const child = (input: string, schema: Record<string, unknown>, rule: string) =>
    ({ input, api: input, schema, rule, required: false, compare: "exact", nullable: false, wire: "string" }) as const;
  const field = (input: string, schema: Record<string, unknown>, rule: string, extra: Record<string, unknown> = {}) =>
    ({ input, api: input, schema, rule, nullable: true, compare: "exact", wire: "string", doc: "", ...extra }) as never;
  const FIELDS = [
    field("name", { type: "string", minLength: 1 }, "must be a name", { required: true }),
    field("ip", { type: "string", format: "ip-or-cidr" }, "must be an address or CIDR"),
    field("v4", { type: "string", format: "ipv4" }, "must be an IPv4 address"),
    field("url", { type: ["string", "null"], format: "http-url" }, "must be an http(s) URL"),
    field("amount", { anyOf: [{ type: "null" }, { type: "number" }, { type: "string" }], decimalRange: [0, 10] }, "must be from 0 to 10"),
    field("meta", objectSchema([child("note", { type: "string" }, "must be a note")]), "must be a meta object"),
    field("host", { type: "string", format: "host" }, "must be a host name or address"),
    field("bare", { decimalRange: [0, 10] }, "must be a decimal from 0 to 10"),
    field("pin", { type: "string", pattern: "^[0-9]{4}$" }, "must be 4 digits", { secret: true }),
  ];
  const RADIUS = child("radius", { type: "number" }, "must be a number");
  const SIDE = { ...child("side", { type: "number" }, "must be a number"), secret: true };
  const SHAPES: NestedInput = {
    input: "shapes",
    rule: "must be a list of shapes",
    itemRule: "must be a shape",
    children: [RADIUS, SIDE],
    discriminator: { name: "kind", rule: 'must be "circle" or "square"' },
    schema: {
      type: "array",
      items: {
        type: "object",
        required: ["kind"],
        additionalProperties: false,
        properties: { kind: { enum: ["circle", "square"] }, radius: RADIUS.schema, side: SIDE.schema },
        allOf: [
          { if: { properties: { kind: { const: "circle" } }, required: ["kind"] }, then: { required: ["radius"], properties: { side: false } } },
          { if: { properties: { kind: { const: "square" } }, required: ["kind"] }, then: { required: ["side"], properties: { radius: false } } },
        ],
      },
    },
  };
  /** An object input with a rule of its own (at least two attributes) besides its attributes' rules. */
  const POINT: NestedInput = {
    input: "point",
    rule: "must be a point { x, y }",
    children: [child("x", { type: "number" }, "must be a number"), child("y", { type: "number" }, "must be a number")],
    schema: { type: "object", additionalProperties: false, minProperties: 2, properties: { x: { type: "number" }, y: { type: "number" } } },
  };
  const flat = () => new InputValidator({ resource: "test.Flat", fields: FIELDS });
  const shapes = (required = false) => new InputValidator({ resource: "test.Shapes", fields: FIELDS, nested: [{ ...SHAPES, required }, POINT] });
  const reasons = (v: InputValidator, inputs: unknown) => Object.fromEntries(v.validate(inputs).map((f) => [f.property, f.reason]));

  it("accepts valid values, unknown ones and the engine's own keys included", () => {
    const valid = { name: "n", ip: "10.0.0.0/8", v4: "10.0.0.1", url: "https://x.test/h", amount: "10.0", meta: { note: "x" }, host: "pbx.example.com", bare: 3, pin: "1234" };
    assert.deepEqual(flat().validate(valid), []);
    assert.deepEqual(flat().validate({ name: "n", ip: UNKNOWN, v4: UNKNOWN, url: UNKNOWN, amount: UNKNOWN, host: UNKNOWN }), []);
    assert.deepEqual(flat().validate({ name: "n", url: null, amount: null }), []);
    assert.deepEqual(flat().validate({ name: "n", __provider: "serialized provider" }), []);
  });

  it("required inputs, plain or nested, are required; optional nested ones are not", () => {
    assert.deepEqual(reasons(flat(), {}), { name: "is required: it must be a name" });
    assert.deepEqual(shapes().validate({ name: "n" }), []);
    assert.deepEqual(reasons(shapes(true), { name: "n" }), { shapes: "is required: it must be a list of shapes" });
  });

  it("a host must be a host name or address; a bare range refuses what is not a decimal", () => {
    assert.deepEqual(reasons(flat(), { name: "n", host: "10.0.0.0/8", bare: true }), {
      host: 'must be a host name or address (got "10.0.0.0/8")',
      bare: "must be a decimal from 0 to 10 (got true)",
    });
  });

  it("a secret's value is never quoted; its siblings' are", () => {
    assert.deepEqual(reasons(flat(), { name: "n", pin: "12" }), { pin: 'must be 4 digits (got "[secret]")' });
    assert.deepEqual(reasons(shapes(), { name: "n", shapes: [{ kind: "circle", radius: "big" }] }), { shapes: 'shapes[0].radius must be a number (got "big")' });
    assert.deepEqual(reasons(shapes(), { name: "n", shapes: [{ kind: "square", side: "big" }] }), { shapes: 'shapes[0].side must be a number (got "[secret]")' });
  });

  it("a failure inside an object input replaces the object's own failure (the precise one is kept)", () => {
    assert.deepEqual(reasons(shapes(), { name: "n", point: { x: "1" } }), { point: 'point.x must be a number (got "1")' });
    assert.deepEqual(reasons(shapes(), { name: "n", point: { x: 1 } }), { point: "must be a point { x, y } (got {\"x\":1})" });
  });

  it("reports every failing rule at once, in the field's own words", () => {
    assert.deepEqual(reasons(flat(), { name: "", ip: "10.0.0.300", v4: "10.0.0.0/8", url: "ftp://x.test", amount: "10.5" }), {
      name: 'must be a name (got "")',
      ip: 'must be an address or CIDR (got "10.0.0.300")',
      v4: 'must be an IPv4 address (got "10.0.0.0/8")',
      url: 'must be an http(s) URL (got "ftp://x.test")',
      amount: 'must be from 0 to 10 (got "10.5")',
    });
  });

  it("an amount of the wrong type, or not a decimal, fails on the range rule too", () => {
    assert.deepEqual(reasons(flat(), { name: "n", amount: true }), { amount: "must be from 0 to 10 (got true)" });
    assert.deepEqual(reasons(flat(), { name: "n", amount: "ten" }), { amount: 'must be from 0 to 10 (got "ten")' });
    assert.deepEqual(reasons(flat(), { name: "n", amount: -1 }), { amount: "must be from 0 to 10 (got -1)" });
  });

  it("an unknown input lists exactly the known ones; one inside an object input lists that object's", () => {
    assert.deepEqual(reasons(flat(), { name: "n", colour: "red" }), { colour: "is not an input of test.Flat; known inputs: name, ip, v4, url, amount, meta, host, bare, pin" });
    assert.deepEqual(reasons(flat(), { name: "n", meta: { note: "x", extra: 1 } }), { meta: "meta.extra is not an input of meta; known inputs: " });
  });

  it("an element's discriminator decides which attributes it needs and which do not apply", () => {
    assert.deepEqual(reasons(shapes(), { name: "n", shapes: [{ kind: "square", side: 1 }, { kind: "circle" }] }), {
      shapes: "shapes[1].radius is required for kind circle: it must be a number",
    });
    assert.deepEqual(reasons(shapes(), { name: "n", shapes: [{ kind: "circle", radius: 1, side: 2 }] }), {
      shapes: 'shapes[0].side does not apply to shapes kind "circle" (got "[secret]")',
    });
  });

  it("a field table whose decimalRange is not a [min, max] pair is refused when the validator compiles", () => {
    const broken = new InputValidator({ resource: "test.Broken", fields: [field("amount", { decimalRange: "0..10" }, "must be from 0 to 10")] });
    assert.throws(() => broken.validate({ amount: 1 }), /decimalRange/);
  });

  it("ruleFor names the rule of any path, and says so when it knows none", () => {
    const v = shapes();
    assert.equal(v.ruleFor(["name"]), "must be a name");
    assert.equal(v.ruleFor(["shapes"]), "must be a list of shapes");
    assert.equal(v.ruleFor(["shapes", "0"]), "must be a shape");
    assert.equal(v.ruleFor(["shapes", "0", "kind"]), 'must be "circle" or "square"');
    assert.equal(v.ruleFor(["shapes", "0", "radius"]), "must be a number");
    assert.equal(v.ruleFor(["shapes", "0", "colour"]), "must be a list of shapes", "an attribute the input does not declare: the input's rule");
    assert.equal(v.ruleFor(["colour"]), "is not valid");
  });

  it("the DIDWW trunk's inputs through a fresh validator give the same answers as check", () => {
    const fresh = new InputValidator({ resource: RESOURCE_NAME, fields: TRUNK_FIELDS, nested: [AUTHENTICATION_METHOD], controls: CONTROL_FIELDS, crossRules: CROSS_RULES });
    const cases = [
      credentialsTrunk(),
      credentialsTrunk({ name: "", capacityLimit: -1, thresholdAmount: "100000.5", callbackUrl: "ftp://x", allowedRtpIps: ["1.2.3.400"] }),
      credentialsTrunk({ allowAnyDidAsCli: true, didIds: [DID_A], importId: "42" }),
      twilioTrunk({ authenticationMethod: { type: "twilio" } as never }),
    ];
    for (const inputs of cases) assert.deepEqual(fresh.validate(inputs), validateTrunkInputs(inputs), JSON.stringify(inputs));
  });
});

describe("provider check: callback URLs (isHttpUrl)", () => {
  it("answers false, not undefined, for text that is not a URL", () => {
    assert.equal(isHttpUrlInput("hooks"), false);
    assert.equal(isHttpUrlInput("https://hooks.example.com/x"), true);
  });
});
