/**
 * Reads the TSDoc of an interface's properties with the TypeScript compiler API (what an editor
 * shows on hover), so tests can check it against the field tables.
 */
import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as path from "node:path";
import * as ts from "typescript";

export interface TsdocMember {
  name: string;
  /** The TSDoc text, whitespace collapsed (comments wrap lines). */
  doc: string;
  /** The declared type as written. */
  typeText: string;
}

/** Whitespace collapsed to single spaces. */
export const oneLine = (text: string): string => text.replace(/\s+/g, " ").trim();

const sources = new Map<string, ts.SourceFile>();

/** The source file of a module under provider/ (path relative to the repository root). */
export function sourceOf(file: string): ts.SourceFile {
  const full = path.join(__dirname, "../..", file);
  let source = sources.get(full);
  if (!source) sources.set(full, (source = ts.createSourceFile(full, fs.readFileSync(full, "utf8"), ts.ScriptTarget.ES2022, true)));
  return source;
}

/** The properties of `iface` in `file`, with their TSDoc and declared type; fails when the interface is missing. */
export function tsdocMembers(file: string, iface: string): Map<string, TsdocMember> {
  const source = sourceOf(file);
  let found: ts.InterfaceDeclaration | undefined;
  source.forEachChild((node) => {
    if (ts.isInterfaceDeclaration(node) && node.name.text === iface) found = node;
  });
  assert.ok(found, `interface ${iface} not found in ${file}`);
  const out = new Map<string, TsdocMember>();
  for (const m of found.members) {
    if (!ts.isPropertySignature(m) || !m.name) continue;
    const name = ts.isIdentifier(m.name) || ts.isStringLiteral(m.name) ? m.name.text : m.name.getText(source);
    const doc = oneLine(ts.getJSDocCommentsAndTags(m).filter(ts.isJSDoc).map((d) => ts.getTextOfJSDocComment(d.comment) ?? "").join(" "));
    out.set(name, { name, doc, typeText: m.type ? m.type.getText(source) : "" });
  }
  return out;
}

/** `tsdocMembers` reduced to name → TSDoc text. */
export function tsdocOf(file: string, iface: string): Map<string, string> {
  return new Map([...tsdocMembers(file, iface)].map(([k, m]) => [k, m.doc]));
}
