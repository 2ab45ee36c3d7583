/**
 * The README's "Quickstart" section as data, so that test/e2e/package.test.ts runs what the README tells a new user
 * to run: the files (fenced blocks whose info string names the file, e.g. "```json package.json"), the
 * `npm install` line, the emulator's `npx` line, the DID listing and the `pulumi` commands, in order.
 */
import * as assert from "node:assert/strict";

/** The values the README uses in its examples, replaced by the test with real ones. */
export const README_PLACEHOLDERS = {
  didId: "<DID id>",
  apiUrl: "http://127.0.0.1:8080/v3",
  apiKey: "my-key",
} as const;

export interface Quickstart {
  /** File name → content, from the fenced blocks that name a file. */
  files: Record<string, string>;
  /** Every line of the section's `sh` blocks, comments removed, blank lines dropped. */
  shellLines: string[];
}

/** The text of the `## <heading>` section (up to the next `## ` heading); default the Quickstart. */
export function quickstartSection(readme: string, heading = "Quickstart"): string {
  const start = readme.search(new RegExp(`^## ${heading}\\s*$`, "m"));
  assert.ok(start >= 0, `README.md has no '## ${heading}' section`);
  const rest = readme.slice(start + 1);
  const next = rest.search(/^## /m);
  return next < 0 ? rest : rest.slice(0, next);
}

export function parseQuickstart(readme: string, heading?: string): Quickstart {
  const section = quickstartSection(readme, heading);
  const files: Record<string, string> = {};
  const shellLines: string[] = [];
  const fence = /^```([^\n]*)\n([\s\S]*?)^```\s*$/gm;
  for (const m of section.matchAll(fence)) {
    const [lang, name] = m[1].trim().split(/\s+/);
    const body = m[2];
    if (name) {
      assert.ok(!(name in files), `README Quickstart: two blocks name ${name}`);
      files[name] = body;
    } else if (lang === "sh") {
      for (const raw of body.split("\n")) {
        const line = raw.replace(/\s+#\s.*$/, "").trim();
        if (line !== "" && !line.startsWith("#")) shellLines.push(line);
      }
    }
  }
  return { files, shellLines };
}

/** The one shell line starting with `prefix`. */
export function lineStartingWith(q: Quickstart, prefix: string): string {
  const found = q.shellLines.filter((l) => l === prefix || l.startsWith(`${prefix} `));
  assert.equal(found.length, 1, `README Quickstart: expected one command starting with "${prefix}", found ${JSON.stringify(found)}`);
  return found[0];
}

/** Splits a command line without quotes into words (the Quickstart's commands need no shell quoting). */
export function words(line: string): string[] {
  assert.ok(!/["'`$|;&<>]/.test(line), `README Quickstart: the test runs this line without a shell, keep it plain: ${line}`);
  return line.split(/\s+/);
}

/** The `pulumi …` commands in README order, as argument lists, with the placeholders replaced. */
export function pulumiCommands(q: Quickstart, apiUrl: string, apiKey: string): string[][] {
  const cmds = q.shellLines.filter((l) => l.startsWith("pulumi "));
  const text = cmds.join("\n");
  assert.ok(text.includes(README_PLACEHOLDERS.apiUrl), `README Quickstart: no pulumi command sets ${README_PLACEHOLDERS.apiUrl}`);
  assert.ok(text.includes(README_PLACEHOLDERS.apiKey), `README Quickstart: no pulumi command sets the key ${README_PLACEHOLDERS.apiKey}`);
  return cmds.map((l) =>
    words(l)
      .slice(1)
      .map((w) => (w === README_PLACEHOLDERS.apiUrl ? apiUrl : w === README_PLACEHOLDERS.apiKey ? apiKey : w)),
  );
}
