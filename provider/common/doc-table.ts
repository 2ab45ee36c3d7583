/**
 * The README's input table of a resource, rendered from its field table (scripts/gen-readme.js
 * writes it between markers and `npm test` fails when it is stale), so the documentation can
 * never disagree with what check, diff and create do.
 */
import type { ControlField, FieldSpec, SubField } from "./fields";

export interface DocNested {
  input: string;
  /** The vendor's name for it. */
  api: string;
  /** Shown in "when omitted". */
  omitted: string;
  rule: string;
  note: string;
  children: readonly SubField[];
  /** "when omitted" of a required child, e.g. "required for its type". */
  requiredChild?: string;
  /** A list of such objects (otherwise one object). */
  list?: boolean;
}

export interface DocTable {
  /** The README marker: `<!-- <marker>:start … -->` … `<!-- <marker>:end -->`. */
  marker: string;
  /** The vendor as the rule notes name it. */
  vendor: string;
  fields: readonly FieldSpec[];
  /** How a field's API name is shown (e.g. `relationships.dids`); default the name itself. */
  apiName?: (field: FieldSpec) => string;
  nested?: readonly DocNested[];
  controls?: Readonly<Record<string, ControlField>>;
  /** "when omitted" of a server-managed field; default "<vendor>'s value, not compared". */
  serverManagedText?: string;
}

const cell = (s: unknown) => String(s).replace(/\|/g, "\\|");

export function renderInputTable(t: DocTable): string {
  // A limit the vendor does not document is marked as this provider's own.
  const rule = (f: { rule: string; providerRule?: string }) =>
    cell(f.rule) + (f.providerRule ? ` (${cell(f.providerRule)} is this provider's own; ${t.vendor} documents none)` : "");
  const omitted = (f: FieldSpec) =>
    f.required ? "required" : f.serverManaged ? (t.serverManagedText ?? `${t.vendor}'s value, not compared`) : f.default === undefined ? "not sent" : `\`${JSON.stringify(f.default)}\``;
  const notes = (f: FieldSpec) => cell(f.doc) + (f.replaceOnChange ? " A change replaces the resource." : "");
  const rows = ["| input | API attribute | when omitted | rule | notes |", "|---|---|---|---|---|"];
  for (const f of t.fields) rows.push(`| \`${f.input}\` | \`${t.apiName ? t.apiName(f) : f.api}\` | ${omitted(f)} | ${rule(f)} | ${notes(f)} |`);
  for (const n of t.nested ?? []) {
    rows.push(`| \`${n.input}\` | \`${n.api}\` | ${n.omitted} | ${cell(n.rule)} | ${cell(n.note)} |`);
    for (const c of n.children) {
      const when = c.required ? (n.requiredChild ?? "required") : `\`${JSON.stringify(c.default ?? null)}\``;
      rows.push(`| \`${n.input}.${c.input}\` | \`${c.api}\` | ${when} | ${rule(c)} |${c.doc ? ` ${cell(c.doc)} ` : " "}|`);
    }
  }
  for (const [name, spec] of Object.entries(t.controls ?? {})) rows.push(`| \`${name}\` | (provider) | not used | ${cell(spec.rule)} | ${cell(spec.doc)} |`);
  return rows.join("\n");
}
