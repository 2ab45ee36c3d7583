/**
 * The plugin's Pulumi package schema, built from the field tables (through the README's input
 * tables in provider/docs.ts), the catalog's outputs and the settings table, so that it can never
 * disagree with what the resources check, diff and send. `scripts/gen-schema.js` writes it to
 * `plugin/schema.json`; `npm test` fails when that file is stale.
 */
import { CATALOG, SETTINGS, type SchemaType } from "../catalog";
import type { ControlField, FieldSpec, SubField } from "../common/fields";
import type { DocNested } from "../common/doc-table";
import { DOC_TABLES } from "../docs";

/** Node.js package the generated code imports (the plugin-mode classes). */
export const PLUGIN_MODULE = "pulumi-sip-trunks/plugin";
/** Controls of the dynamic mode only: in plugin mode the engine imports natively. */
const DYNAMIC_ONLY_CONTROLS = new Set(["importId", "onImportMismatch"]);

export interface PropertySpec {
  type?: string;
  items?: SchemaType | PropertySpec;
  $ref?: string;
  description?: string;
  secret?: true;
}

const ANY: PropertySpec = { $ref: "pulumi.json#/Any" };

/** The Pulumi type of a JSON Schema (the validator's): the non-null alternative, enums as their values' type. */
export function pulumiType(schema: Record<string, unknown>): PropertySpec {
  const enumValues = schema.enum as unknown[] | undefined;
  if (enumValues) {
    const kinds = new Set(enumValues.filter((v) => v !== null).map((v) => typeof v));
    return kinds.size === 1 && kinds.has("string") ? { type: "string" } : kinds.size === 1 && kinds.has("boolean") ? { type: "boolean" } : ANY;
  }
  for (const key of ["anyOf", "oneOf"] as const) {
    const options = (schema[key] as Record<string, unknown>[] | undefined)?.filter((o) => o.type !== "null");
    if (options) return options.length === 1 ? pulumiType(options[0]) : ANY;
  }
  const declared = schema.type;
  const types = (Array.isArray(declared) ? declared : declared === undefined ? [] : [declared]).filter((t) => t !== "null");
  if (types.length !== 1) return ANY;
  const [type] = types as string[];
  if (type === "array") return { type: "array", items: schema.items ? pulumiType(schema.items as Record<string, unknown>) : ANY };
  if (type === "string" || type === "integer" || type === "number" || type === "boolean") return { type };
  return ANY;
}

const described = (spec: PropertySpec, doc: string | undefined, secret?: boolean): PropertySpec => ({
  ...spec,
  ...(doc ? { description: doc } : {}),
  ...(secret ? { secret: true as const } : {}),
});

/** A nested input's object type name: `authenticationMethod` → `AuthenticationMethod`, `gateways` → `Gateway`. */
export function nestedTypeName(nested: Pick<DocNested, "input" | "list">): string {
  const base = nested.input[0].toUpperCase() + nested.input.slice(1);
  return nested.list ? base.replace(/s$/, "") : base;
}

interface ResourceSpec {
  description: string;
  inputProperties: Record<string, PropertySpec>;
  requiredInputs: string[];
  properties: Record<string, PropertySpec>;
  required: string[];
}

interface ObjectTypeSpec {
  type: "object";
  description: string;
  properties: Record<string, PropertySpec>;
  required: string[];
}

export interface PackageSchema {
  name: string;
  displayName: string;
  version: string;
  description: string;
  license: string;
  language: { nodejs: { packageName: string } };
  config: { variables: Record<string, PropertySpec> };
  provider: { description: string; inputProperties: Record<string, PropertySpec> };
  types: Record<string, ObjectTypeSpec>;
  resources: Record<string, ResourceSpec>;
}

const settingSpec = (s: (typeof SETTINGS)[number]): PropertySpec =>
  described({ type: s.type }, `${s.doc} Falls back to the ${s.env} environment variable.`, s.secret === true);

export function buildSchema(version: string): PackageSchema {
  const types: Record<string, ObjectTypeSpec> = {};
  const resources: Record<string, ResourceSpec> = {};
  for (const entry of CATALOG) {
    const table = DOC_TABLES.find((t) => t.marker === entry.docMarker);
    if (!table) throw new Error(`${entry.token}: no input table ${entry.docMarker} in provider/docs.ts`);
    const vendor = entry.token.split(":")[1];
    const inputs: Record<string, PropertySpec> = {};
    const required: string[] = [];
    for (const f of table.fields as readonly FieldSpec[]) {
      inputs[f.input] = described(pulumiType(f.schema), f.doc, f.secret);
      if (f.required) required.push(f.input);
    }
    for (const n of table.nested ?? []) {
      const typeToken = `siptrunks:${vendor}:${nestedTypeName(n)}`;
      types[typeToken] = {
        type: "object",
        description: n.note || n.rule,
        properties: Object.fromEntries(n.children.map((c: SubField) => [c.input, described(pulumiType(c.schema), c.doc ?? c.rule, c.secret)])),
        required: n.children.filter((c) => c.required && n.requiredChild === undefined).map((c) => c.input),
      };
      const ref = { $ref: `#/types/${typeToken}` };
      inputs[n.input] = described(n.list ? { type: "array", items: ref } : ref, n.note || n.rule, n.children.some((c) => c.secret));
      if (n.omitted === "required") required.push(n.input);
    }
    for (const [name, control] of Object.entries((table.controls ?? {}) as Record<string, ControlField>)) {
      if (!DYNAMIC_ONLY_CONTROLS.has(name)) inputs[name] = described(pulumiType(control.schema), control.doc);
    }
    const properties: Record<string, PropertySpec> = { ...inputs };
    for (const [name, out] of Object.entries(entry.outputs)) properties[name] = described(out.type as PropertySpec, out.doc, out.secret === true || entry.secretOutputs.includes(name));
    for (const name of entry.secretOutputs) if (properties[name]) properties[name] = { ...properties[name], secret: true };
    resources[entry.token] = {
      description: `${table.vendor} ${entry.runtime.split(":")[1]} (${entry.runtime.replace(":", ".")} in dynamic mode).`,
      inputProperties: inputs,
      requiredInputs: required,
      properties,
      required: [],
    };
  }
  const config = Object.fromEntries(SETTINGS.map((s) => [s.plugin, settingSpec(s)]));
  return {
    name: "siptrunks",
    displayName: "SIP trunks",
    version,
    description: "SIP trunks as code: DIDWW outbound trunks, Twilio Elastic SIP Trunking and Bolna SIP trunks.",
    license: "Apache-2.0",
    language: { nodejs: { packageName: PLUGIN_MODULE } },
    config: { variables: config },
    provider: { description: "Credentials and endpoints of the three vendors; each falls back to its environment variable.", inputProperties: config },
    types,
    resources,
  };
}
