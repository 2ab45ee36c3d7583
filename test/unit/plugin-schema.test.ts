/**
 * The provider plugin's schema against the field tables it is built from: every input of every
 * resource, its secret flag and whether it is required, every output, every setting; and the
 * JSON Schema → Pulumi type mapping on the shapes the tables use. plugin/schema.json itself is
 * checked to be fresh by `npm test` (scripts/gen-schema.js --check).
 */
import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as path from "node:path";
import { CATALOG, SETTINGS } from "../../provider/catalog";
import type { FieldSpec } from "../../provider/common/fields";
import { DOC_TABLES } from "../../provider/docs";
import { buildSchema, nestedTypeName, pulumiType } from "../../provider/plugin-host/schema";
import { tsdocMembers } from "../helpers/tsdoc";

const schema = buildSchema("1.2.3");

describe("plugin schema: built from the field tables", () => {
  it("plugin/schema.json is this schema at the package's version", () => {
    const file = path.join(__dirname, "..", "..", "plugin", "schema.json");
    const version = (JSON.parse(fs.readFileSync(path.join(__dirname, "..", "..", "package.json"), "utf8")) as { version: string }).version;
    assert.deepEqual(JSON.parse(fs.readFileSync(file, "utf8")), buildSchema(version));
  });

  it("has one resource per catalog entry, token siptrunks:<vendor>:<Resource>, and the Node.js module of the plugin-mode classes", () => {
    assert.deepEqual(Object.keys(schema.resources), CATALOG.map((e) => e.token));
    for (const e of CATALOG) assert.equal(e.token, `siptrunks:${e.runtime}`);
    assert.equal(schema.name, "siptrunks");
    assert.equal(schema.language.nodejs.packageName, "pulumi-sip-trunks/plugin");
  });

  for (const entry of CATALOG) {
    const table = DOC_TABLES.find((t) => t.marker === entry.docMarker);
    describe(entry.token, () => {
      const res = schema.resources[entry.token];
      it("every field of the table is an input and an output, secret and required exactly as the table says", () => {
        assert.ok(table);
        for (const f of table.fields as readonly FieldSpec[]) {
          const p = res.inputProperties[f.input];
          assert.ok(p, `${f.input} missing`);
          assert.equal(p.secret === true, f.secret === true, `${f.input}: secret`);
          assert.equal(res.requiredInputs.includes(f.input), f.required === true, `${f.input}: required`);
          assert.ok(res.properties[f.input], `${f.input} missing from the outputs`);
        }
      });
      it("every nested input refers to an object type with exactly its attributes; a list is an array of it", () => {
        assert.ok(table);
        for (const n of table.nested ?? []) {
          const token = `siptrunks:${entry.runtime.split(":")[0]}:${nestedTypeName(n)}`;
          const type = schema.types[token];
          assert.ok(type, `${token} missing`);
          assert.deepEqual(Object.keys(type.properties), n.children.map((c) => c.input));
          for (const c of n.children) assert.equal(type.properties[c.input].secret === true, c.secret === true, `${n.input}.${c.input}: secret`);
          const p = res.inputProperties[n.input];
          const ref = n.list ? (p.items as { $ref?: string }).$ref : p.$ref;
          assert.equal(p.type, n.list ? "array" : undefined);
          assert.equal(ref, `#/types/${token}`);
          assert.equal(p.secret === true, n.children.some((c) => c.secret), `${n.input}: secret when an attribute is`);
        }
      });
      it("inputs are exactly the fields, nested inputs and controls, less the dynamic-only adoption controls", () => {
        assert.ok(table);
        const expected = [...table.fields.map((f) => f.input), ...(table.nested ?? []).map((n) => n.input), ...Object.keys(table.controls ?? {})].filter(
          (k) => k !== "importId" && k !== "onImportMismatch",
        );
        assert.deepEqual(Object.keys(res.inputProperties).sort(), expected.sort());
      });
      it("outputs are the inputs plus the catalog's computed outputs; the catalog's secret outputs are secret", () => {
        assert.deepEqual(Object.keys(res.properties).sort(), [...Object.keys(res.inputProperties), ...Object.keys(entry.outputs)].sort());
        for (const k of entry.secretOutputs) if (res.properties[k]) assert.equal(res.properties[k].secret, true, `${k}: secret`);
      });
    });
  }

  it("config and provider inputs: one per setting, secret as the table says, with the environment variable in the description", () => {
    assert.deepEqual(Object.keys(schema.config.variables), SETTINGS.map((s) => s.plugin));
    assert.deepEqual(schema.provider.inputProperties, schema.config.variables);
    for (const s of SETTINGS) {
      const v = schema.config.variables[s.plugin];
      assert.equal(v.secret === true, s.secret === true);
      assert.equal(v.type, s.type);
      assert.match(v.description ?? "", new RegExp(s.env));
    }
    assert.deepEqual(SETTINGS.filter((s) => s.secret).map((s) => s.plugin), ["didwwApiKey", "twilioAuthToken", "twilioApiSecret", "bolnaApiKey"]);
  });

  it("siptrunks.Provider's argument type declares exactly the settings, each documented", () => {
    const members = tsdocMembers("provider/plugin/index.ts", "ProviderArgs");
    assert.deepEqual([...members.keys()], SETTINGS.map((s) => s.plugin));
    for (const s of SETTINGS) {
      assert.ok(members.get(s.plugin)?.doc, `${s.plugin}: no TSDoc`);
      assert.match(members.get(s.plugin)?.typeText ?? "", new RegExp(`pulumi\\.Input<${s.type}>`), `${s.plugin}: type`);
    }
  });

  it("JSON Schema → Pulumi types: nullable, enums, unions with null, arrays, anything else as Any", () => {
    assert.deepEqual(pulumiType({ type: ["string", "null"], maxLength: 3 }), { type: "string" });
    assert.deepEqual(pulumiType({ enum: ["a", "b"] }), { type: "string" });
    assert.deepEqual(pulumiType({ anyOf: [{ type: "null" }, { type: "array", items: { type: "string" } }] }), { type: "array", items: { type: "string" } });
    assert.deepEqual(pulumiType({ type: ["integer", "null"] }), { type: "integer" });
    assert.deepEqual(pulumiType({ anyOf: [{ type: "null" }, { type: "number" }, { type: "string" }] }), { $ref: "pulumi.json#/Any" });
    assert.deepEqual(pulumiType({ type: ["string", "number"] }), { $ref: "pulumi.json#/Any" });
    assert.deepEqual(pulumiType({ type: "array" }), { type: "array", items: { $ref: "pulumi.json#/Any" } });
    assert.deepEqual(pulumiType({ enum: [1, "a"] }), { $ref: "pulumi.json#/Any" });
  });
});
