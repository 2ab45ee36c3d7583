/**
 * The TSDoc of `OutboundTrunkInputs` (what an editor shows on hover) agrees with the field table
 * that `check` enforces: every trunk field's comment quotes its `doc` and its `rule`, every
 * control input's its `rule`. Parsed with the TypeScript compiler API, not with regexes.
 */
import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as path from "node:path";
import * as ts from "typescript";
import { CONTROL_FIELDS, TRUNK_FIELDS } from "../../provider/didww/fields";

const TYPES_FILE = path.join(__dirname, "../../provider/didww/types.ts");
const source = ts.createSourceFile(TYPES_FILE, fs.readFileSync(TYPES_FILE, "utf8"), ts.ScriptTarget.ES2022, true);

function findInterface(name: string): ts.InterfaceDeclaration {
  let found: ts.InterfaceDeclaration | undefined;
  source.forEachChild((node) => {
    if (ts.isInterfaceDeclaration(node) && node.name.text === name) found = node;
  });
  assert.ok(found, `interface ${name} not found in provider/didww/types.ts`);
  return found;
}

interface Member {
  name: string;
  /** The TSDoc text, whitespace collapsed (comments wrap lines). */
  doc: string;
  /** The declared type as written. */
  typeText: string;
}

const oneLine = (text: string) => text.replace(/\s+/g, " ").trim();

function membersOf(name: string): Map<string, Member> {
  const out = new Map<string, Member>();
  for (const m of findInterface(name).members) {
    if (!ts.isPropertySignature(m) || !m.name) continue;
    const key = ts.isIdentifier(m.name) || ts.isStringLiteral(m.name) ? m.name.text : m.name.getText(source);
    const docs = ts.getJSDocCommentsAndTags(m).filter(ts.isJSDoc);
    const doc = oneLine(docs.map((d) => ts.getTextOfJSDocComment(d.comment) ?? "").join(" "));
    out.set(key, { name: key, doc, typeText: m.type ? m.type.getText(source) : "" });
  }
  return out;
}

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
