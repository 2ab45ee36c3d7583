/**
 * The TSDoc of `OutboundTrunkInputs` (what an editor shows on hover) agrees with the field table
 * that `check` enforces: every trunk field's comment quotes its `doc` and its `rule`, every
 * control input's its `rule`. Parsed with the TypeScript compiler API, not with regexes.
 */
import { strict as assert } from "node:assert";
import * as ts from "typescript";
import { CONTROL_FIELDS, TRUNK_FIELDS } from "../../provider/didww/fields";
import { ASSOCIATIONS, RECORDING, RECORDING_CHILDREN, TRUNK_CONTROLS, TRUNK_FIELDS as TWILIO_TRUNK_FIELDS } from "../../provider/twilio/trunk-fields";
import { oneLine, sourceOf, tsdocMembers } from "../helpers/tsdoc";

const TYPES_FILE = "provider/didww/types.ts";
const source = sourceOf(TYPES_FILE);
const membersOf = (name: string) => tsdocMembers(TYPES_FILE, name);

const inputs = membersOf("OutboundTrunkInputs");

describe("TSDoc of OutboundTrunkInputs agrees with the field table", () => {
  it("parses the interface (sanity: name, authenticationMethod and a control input are there)", () => {
    for (const key of ["name", "authenticationMethod", "credentialsRotation"]) assert.ok(inputs.has(key), key);
  });

  for (const field of TRUNK_FIELDS) {
    it(`${field.input}: its TSDoc quotes the doc line and the rule`, () => {
      const member = inputs.get(field.input);
      assert.ok(member, `${field.input} is not a property of OutboundTrunkInputs`);
      assert.ok(member.doc.includes(oneLine(field.doc)), `TSDoc of ${field.input} lacks its doc line:\n  doc:   ${field.doc}\n  TSDoc: ${member.doc}`);
      assert.ok(member.doc.includes(oneLine(field.rule)), `TSDoc of ${field.input} lacks its rule:\n  rule:  ${field.rule}\n  TSDoc: ${member.doc}`);
    });
  }

  for (const [name, spec] of Object.entries(CONTROL_FIELDS)) {
    it(`${name} (control input): its TSDoc quotes the rule`, () => {
      const member = inputs.get(name);
      assert.ok(member, `${name} is not a property of OutboundTrunkInputs`);
      assert.ok(member.doc.includes(oneLine(spec.rule)), `TSDoc of ${name} lacks its rule:\n  rule:  ${spec.rule}\n  TSDoc: ${member.doc}`);
    });
  }

  it("every input is a trunk field, a control input, or authenticationMethod", () => {
    const known = new Set<string>([...TRUNK_FIELDS.map((f) => f.input), ...Object.keys(CONTROL_FIELDS), "authenticationMethod"]);
    const strays = [...inputs.keys()].filter((k) => !known.has(k));
    assert.deepEqual(strays, []);
  });
});

describe("OutboundTrunkOutputs keeps literal enum types", () => {
  const outputs = membersOf("OutboundTrunkOutputs");
  const expected: [string, string][] = [
    ["status", "TrunkStatus"],
    ["onCliMismatchAction", "OnCliMismatchAction"],
    ["defaultDstAction", "DefaultDstAction"],
    ["mediaEncryptionMode", "MediaEncryptionMode"],
  ];
  for (const [key, typeText] of expected) {
    it(`${key} is ${typeText}, not string`, () => {
      const member = outputs.get(key);
      assert.ok(member, `${key} is not a property of OutboundTrunkOutputs`);
      assert.equal(member.typeText, typeText);
    });
  }

  it("TrunkStatus is the literal union of the two statuses", () => {
    let alias: ts.TypeAliasDeclaration | undefined;
    source.forEachChild((n) => {
      if (ts.isTypeAliasDeclaration(n) && n.name.text === "TrunkStatus") alias = n;
    });
    assert.ok(alias, "type TrunkStatus not found");
    assert.equal(oneLine(alias.type.getText(source)), '"active" | "blocked"');
  });
});

describe("TSDoc of twilio.Trunk's inputs agrees with its field table", () => {
  const FILE = "provider/twilio/trunk-types.ts";
  const docs = tsdocMembers(FILE, "TrunkInputs");
  for (const f of [...TWILIO_TRUNK_FIELDS, ...ASSOCIATIONS]) {
    it(`${f.input}: its TSDoc quotes the doc line, the rule and what omitted means`, () => {
      const doc = docs.get(f.input)?.doc ?? "";
      assert.ok(doc.includes(oneLine(f.doc.replace(/ \(a set.*\)\.$/, ""))), `doc line missing:\n  ${f.doc}\n  ${doc}`);
      assert.ok(doc.includes(`Rule: ${oneLine(f.rule)}`), `rule missing:\n  ${f.rule}\n  ${doc}`);
      if (f.serverManaged) assert.match(doc, /omitted: not managed/);
      else assert.ok(doc.includes(`Omitted: ${JSON.stringify(f.default)}.`), `omitted missing: ${doc}`);
    });
  }
  it("recording and its two settings quote their rules and defaults", () => {
    assert.ok(docs.get("recording")?.doc.includes(oneLine(RECORDING.rule)));
    const settings = tsdocMembers(FILE, "RecordingSettings");
    for (const c of RECORDING_CHILDREN) {
      const doc = settings.get(c.input)?.doc ?? "";
      assert.ok(doc.includes(`Rule: ${oneLine(c.rule)}`), `${c.input}: ${doc}`);
      assert.ok(doc.includes(`Omitted: ${JSON.stringify(c.default)}.`), `${c.input}: ${doc}`);
    }
  });
  for (const [name, control] of Object.entries(TRUNK_CONTROLS)) {
    it(`${name} (control input): its TSDoc quotes the rule`, () => assert.ok(docs.get(name)?.doc.includes(oneLine(control.rule)), docs.get(name)?.doc));
  }
  it("every input is a field, an association, recording or a control", () => {
    const known = new Set<string>([...[...TWILIO_TRUNK_FIELDS, ...ASSOCIATIONS].map((f) => f.input), "recording", ...Object.keys(TRUNK_CONTROLS)]);
    assert.deepEqual([...docs.keys()].filter((k) => !known.has(k)), []);
  });
});
