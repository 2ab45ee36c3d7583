#!/usr/bin/env node
// Regenerates the README's input tables from the field tables (listed in provider/docs.ts),
// so the documentation can never disagree with what check/diff/create do.
// `node scripts/gen-readme.js` rewrites README.md; `--check` exits 1 when it is stale.
"use strict";
const fs = require("node:fs");
const path = require("node:path");

const ROOT = path.resolve(__dirname, "..");

function render(readme) {
  const { DOC_TABLES, renderInputTable } = require(path.join(ROOT, "dist/provider/docs.js"));
  let out = readme;
  for (const t of DOC_TABLES) {
    const start = out.indexOf(`<!-- ${t.marker}:start`);
    const startEnd = start < 0 ? -1 : out.indexOf("-->", start);
    const end = out.indexOf(`<!-- ${t.marker}:end -->`);
    if (start < 0 || startEnd < 0 || end < 0) throw new Error(`README.md lacks the generated-table markers of ${t.marker}`);
    out = `${out.slice(0, startEnd + 3)}\n${renderInputTable(t)}\n${out.slice(end)}`;
  }
  return replaceBetween(out, "plugin-settings", renderSettings());
}

/** The plugin's settings (provider/catalog.ts SETTINGS): config key, Provider argument, environment variable. */
function renderSettings() {
  const { SETTINGS } = require(path.join(ROOT, "dist/provider/catalog.js"));
  const rows = ["| plugin config / `siptrunks.Provider` argument | dynamic-mode config | environment | meaning |", "|---|---|---|---|"];
  for (const s of SETTINGS) {
    rows.push(`| \`siptrunks:${s.plugin}\` / \`${s.plugin}\`${s.secret ? " (secret)" : ""} | \`${s.key}\` | \`${s.env}\` | ${s.doc.replace(/\|/g, "\\|")} |`);
  }
  return rows.join("\n");
}

function replaceBetween(text, marker, body) {
  const start = text.indexOf(`<!-- ${marker}:start`);
  const startEnd = start < 0 ? -1 : text.indexOf("-->", start);
  const end = text.indexOf(`<!-- ${marker}:end -->`);
  if (start < 0 || startEnd < 0 || end < 0) throw new Error(`README.md lacks the generated-table markers of ${marker}`);
  return `${text.slice(0, startEnd + 3)}\n${body}\n${text.slice(end)}`;
}

const file = path.join(ROOT, "README.md");
const current = fs.readFileSync(file, "utf8");
const next = render(current);
if (process.argv.includes("--check")) {
  if (next !== current) {
    process.stderr.write("README.md's input tables are stale: run `node scripts/gen-readme.js`\n");
    process.exit(1);
  }
} else if (next !== current) {
  fs.writeFileSync(file, next);
}
module.exports = { render };
