/**
 * Checks of what DIDWW answers, before it reaches the outputs: `coerceWire` per wire kind,
 * `outputsFromApi` (coercion, refusal, DID ids) and the shape check of relationship linkage.
 * Expected values and messages are written out literally.
 */
import { strict as assert } from "node:assert";
import { coerceWire, VendorResponseError, type Coerced, type WireKind } from "../../provider/common/response";
import { VendorApiError } from "../../provider/common/errors";
import { DidwwClient, trunkShapeProblem } from "../../provider/didww/client";
import { buildCreatePayload, diffTrunk, outputsFromApi, type JsonApiResource } from "../../provider/didww/mapping";
import { modelCreate } from "../helpers/didww-model";
import { credentialsTrunk, DID_A, DID_B } from "../helpers/trunks";

const ok = (value: unknown): Coerced => ({ ok: true, value });
const no = (expected: string): Coerced => ({ ok: false, expected });

/** [kind, value, nullable, expected result] */
const table: [WireKind, unknown, boolean, Coerced][] = [
  // string
  ["string", "abc", false, ok("abc")],
  ["string", "", false, ok("")],
  ["string", 5, false, no("a string")],
  ["string", {}, false, no("a string")],
  ["string", ["a"], false, no("a string")],
  ["string", true, true, no("a string or null")],
  ["string", null, true, ok(null)],
  ["string", null, false, no("a string")],
  // integer
  ["integer", 30, false, ok(30)],
  ["integer", "30", true, ok(30)],
  ["integer", " 30 ", true, ok(30)],
  ["integer", "-5", false, ok(-5)],
  ["integer", 0, false, ok(0)],
  ["integer", "abc", true, no("an integer or null")],
  ["integer", 1.5, true, no("an integer or null")],
  ["integer", "1.5", false, no("an integer")],
  ["integer", "1e3", false, no("an integer")],
  ["integer", "", false, no("an integer")],
  ["integer", true, false, no("an integer")],
  ["integer", 2 ** 53, false, no("an integer")],
  ["integer", {}, false, no("an integer")],
  ["integer", null, true, ok(null)],
  ["integer", null, false, no("an integer")],
  // boolean
  ["boolean", true, false, ok(true)],
  ["boolean", false, false, ok(false)],
  ["boolean", "true", false, ok(true)],
  ["boolean", "false", false, ok(false)],
  ["boolean", "yes", false, no("a boolean")],
  ["boolean", "TRUE", false, no("a boolean")],
  ["boolean", 1, false, no("a boolean")],
  ["boolean", 0, false, no("a boolean")],
  ["boolean", null, false, no("a boolean")],
  ["boolean", null, true, ok(null)],
  // decimal
  ["decimal", "100.0", true, ok("100.0")],
  ["decimal", " 7.25 ", true, ok("7.25")],
  ["decimal", 100, true, ok("100")],
  ["decimal", 2.5, true, ok("2.5")],
  ["decimal", -3, false, ok("-3")],
  ["decimal", "abc", true, no("a decimal (string or number) or null")],
  ["decimal", "1e3", false, no("a decimal (string or number)")],
  ["decimal", Infinity, false, no("a decimal (string or number)")],
  ["decimal", NaN, false, no("a decimal (string or number)")],
  ["decimal", {}, false, no("a decimal (string or number)")],
  ["decimal", null, true, ok(null)],
  ["decimal", null, false, no("a decimal (string or number)")],
  // strings
  ["strings", ["a", "b"], false, ok(["a", "b"])],
  ["strings", [], false, ok([])],
  ["strings", [7, "a"], false, ok(["7", "a"])],
  ["strings", [1.5], false, ok(["1.5"])],
  ["strings", [["a"]], false, no("a list of strings")],
  ["strings", [{}], false, no("a list of strings")],
  ["strings", [null], false, no("a list of strings")],
  ["strings", [true], false, no("a list of strings")],
  ["strings", [NaN], false, no("a list of strings")],
  ["strings", "a", true, no("a list of strings or null")],
  ["strings", { 0: "a" }, false, no("a list of strings")],
  ["strings", null, false, ok([])],
  ["strings", null, true, ok(null)],
];

describe("wire: coerceWire per kind", () => {
  for (const [kind, value, nullable, expected] of table) {
    const shown = Number.isNaN(value) ? "NaN" : value === Infinity ? "Infinity" : JSON.stringify(value);
    it(`${kind}${nullable ? " (nullable)" : ""}: ${shown} → ${expected.ok ? JSON.stringify(expected.value) : `refused (${expected.expected})`}`, () => {
      assert.deepStrictEqual(coerceWire(kind, value, nullable), expected);
    });
  }
});

describe("wire: outputsFromApi checks every attribute", () => {
  const inputs = credentialsTrunk({ capacityLimit: 30 });
  const TRUNK_ID = "5a1f0c3e-2b4d-4c6e-8f10-123456789abc";
  const stored = (): JsonApiResource => modelCreate(buildCreatePayload(inputs), TRUNK_ID);
  const withAttr = (name: string, value: unknown): JsonApiResource => {
    const t = stored();
    (t.attributes as Record<string, unknown>)[name] = value;
    return t;
  };

  it('capacity_limit "30" is stored as the number 30, so there is no perpetual diff', () => {
    const outs = outputsFromApi(withAttr("capacity_limit", "30"), {}, inputs as never);
    assert.strictEqual(outs.capacityLimit, 30);
    assert.deepEqual(diffTrunk(outs, { ...inputs, capacityLimit: 30 }), []);
  });

  it('rtp_ping "true" and rtp_timeout "60" are stored in their declared types', () => {
    const t = stored();
    Object.assign(t.attributes as object, { rtp_ping: "true", rtp_timeout: "60" });
    const outs = outputsFromApi(t);
    assert.strictEqual(outs.rtpPing, true);
    assert.strictEqual(outs.rtpTimeout, 60);
  });

  it("numbers in a list of strings become strings; a numeric threshold becomes a decimal string", () => {
    const t = stored();
    Object.assign(t.attributes as object, { dst_prefixes: [44, "1"], threshold_amount: 250.5 });
    const outs = outputsFromApi(t);
    assert.deepStrictEqual(outs.dstPrefixes, ["44", "1"]);
    assert.strictEqual(outs.thresholdAmount, "250.5");
  });

  it('capacity_limit "abc" is refused with an error naming DIDWW, the trunk and the attribute', () => {
    assert.throws(
      () => outputsFromApi(withAttr("capacity_limit", "abc")),
      (e: unknown) =>
        e instanceof VendorResponseError &&
        e.message.includes("DIDWW") &&
        e.message.includes(`trunk ${TRUNK_ID}`) &&
        e.message.includes("capacity_limit") &&
        e.message.includes('"abc"') &&
        e.message.includes("an integer or null"),
    );
  });

  const refusals: [string, string, unknown, string][] = [
    ["capacity_limit 1.5", "capacity_limit", 1.5, "an integer or null"],
    ["name {}", "name", {}, "a string"],
    ["rtp_ping null (not nullable)", "rtp_ping", null, "a boolean"],
    ["force_symmetric_rtp 1", "force_symmetric_rtp", 1, "a boolean"],
    ["dst_prefixes nested", "dst_prefixes", [["44"]], "a list of strings or null"],
    ["threshold_amount \"lots\"", "threshold_amount", "lots", "a decimal (string or number) or null"],
  ];
  for (const [title, attr, value, expected] of refusals) {
    it(`refuses ${title}`, () => {
      assert.throws(
        () => outputsFromApi(withAttr(attr, value)),
        (e: unknown) => e instanceof VendorResponseError && e.attribute === attr && e.message.includes(`which is not ${expected};`),
      );
    });
  }

  it("refuses a wrongly typed authentication attribute", () => {
    const t = stored();
    (t.attributes as any).authentication_method.attributes.allowed_sip_ips = "203.0.113.10/32";
    assert.throws(() => outputsFromApi(t), (e: unknown) => e instanceof VendorResponseError && e.attribute === "authentication_method.allowed_sip_ips");
  });

  it("DID ids come back lower-cased and sorted", () => {
    const t = stored();
    t.relationships = {
      dids: { data: [{ type: "dids", id: DID_B.toUpperCase() }, { type: "dids", id: DID_A }] },
      emergency_dids: { data: [{ type: "dids", id: DID_B }, { type: "dids", id: DID_A.toUpperCase() }] },
    };
    const outs = outputsFromApi(t);
    assert.deepStrictEqual(outs.didIds, [DID_A, DID_B]);
    assert.deepStrictEqual(outs.emergencyDidIds, [DID_A, DID_B]);
  });
});

describe("wire: relationship linkage shape", () => {
  const base = (relationships: unknown) => ({ id: "t1", type: "voice_out_trunks", attributes: {}, relationships });

  it("accepts well-formed linkage, null and links-only relationships", () => {
    assert.equal(trunkShapeProblem(base({ dids: { data: [{ type: "dids", id: DID_A }] }, emergency_dids: { data: null }, other: { links: {} } })), undefined);
  });

  const bad: [string, unknown, string][] = [
    ["a numeric id", { dids: { data: [{ type: "dids", id: 5 }] } }, 'relationship "dids" has malformed linkage [{"type":"dids","id":5}]'],
    ["a missing id", { emergency_dids: { data: [{ type: "dids" }] } }, 'relationship "emergency_dids" has malformed linkage [{"type":"dids"}]'],
    ["a string as data", { dids: { data: "x" } }, 'relationship "dids" has malformed linkage "x"'],
    ["a number as data", { dids: { data: 7 } }, 'relationship "dids" has malformed linkage 7'],
    ["strings as linkage items", { dids: { data: [DID_A] } }, `relationship "dids" has malformed linkage ["${DID_A}"]`],
    ["an array as a linkage item", { dids: { data: [[{ type: "dids", id: "d1" }]] } }, 'relationship "dids" has malformed linkage [[{"type":"dids","id":"d1"}]]'],
  ];
  for (const [title, relationships, expected] of bad) {
    it(`refuses ${title}`, () => assert.equal(trunkShapeProblem(base(relationships)), expected));
  }

  const badDocuments: [string, unknown, string][] = [
    ["data null", null, '"data" is null, not a resource object'],
    ["data a list", [], '"data" is [], not a resource object'],
    ["data a string", "trunk", '"data" is "trunk", not a resource object'],
    ["a numeric id", { id: 5, type: "voice_out_trunks" }, '"data.id" is 5, not an id'],
    ["another type", { id: "t1", type: "dids" }, '"data.type" is "dids", not "voice_out_trunks"'],
    ["attributes a list", { id: "t1", type: "voice_out_trunks", attributes: [] }, '"data.attributes" is [], not an object'],
  ];
  for (const [title, data, expected] of badDocuments) {
    it(`refuses a document with ${title}`, () => assert.equal(trunkShapeProblem(data), expected));
  }

  it("a 200 whose linkage is malformed is an unusable answer, not outputs", () => {
    const c = new DidwwClient({ apiKey: "wire-shape-key", baseUrl: "http://127.0.0.1:9/v3", requestsPerSecond: 1000 });
    const text = JSON.stringify({ data: base({ dids: { data: [{ type: "dids", id: 5 }] } }) });
    assert.throws(
      () => c.parseTrunkDocument("GET", "/voice_out_trunks/t1", { status: 200, headers: {}, text, attempts: 1 }),
      (e: unknown) => e instanceof VendorApiError && e.code === "UNEXPECTED" && e.message.includes('unusable answer: relationship "dids" has malformed linkage'),
    );
  });
});
