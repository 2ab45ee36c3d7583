#!/usr/bin/env node
// Writes plugin/schema.json, the provider plugin's Pulumi package schema, from the field tables
// (provider/plugin-host/schema.ts). `--check` exits 1 when the file is stale. Needs `npm run build`.
"use strict";
const fs = require("node:fs");
const path = require("node:path");

const ROOT = path.resolve(__dirname, "..");
const { buildSchema } = require(path.join(ROOT, "dist/provider/plugin-host/schema.js"));
const { version } = require(path.join(ROOT, "package.json"));
const file = path.join(ROOT, "plugin", "schema.json");
const next = `${JSON.stringify(buildSchema(version), null, 2)}\n`;
const current = fs.existsSync(file) ? fs.readFileSync(file, "utf8") : "";
if (process.argv.includes("--check")) {
  if (next !== current) {
    process.stderr.write("plugin/schema.json is stale: run `npm run build && node scripts/gen-schema.js`\n");
    process.exit(1);
  }
} else if (next !== current) {
  fs.writeFileSync(file, next);
}
