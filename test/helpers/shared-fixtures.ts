/**
 * Locates the recorded vendor exchanges (../shared/fixtures beside the clone, or
 * SIP_TRUNKS_FIXTURES). Suites that replay them call `requireFixtures(this)`: when the folder
 * is missing they print a banner and skip with the reason, never pass silently.
 */
import * as fs from "node:fs";
import * as path from "node:path";

export interface Exchange {
  file: string;
  source: string;
  request: { method: string; path: string; headers?: Record<string, string>; body: any };
  response: { status: number; body: any };
}

export function fixturesDir(): string {
  return process.env.SIP_TRUNKS_FIXTURES ?? path.resolve(__dirname, "../../../shared/fixtures");
}

export function fixturesAvailable(): boolean {
  return fs.existsSync(path.join(fixturesDir(), "didww"));
}

const warned = new Set<string>();

/** Call in a `before` hook: skips the suite loudly when the recorded fixtures are absent. */
export function requireFixtures(ctx: Mocha.Context, suite: string): void {
  if (fixturesAvailable()) return;
  const reason = `SKIPPED ${suite}: recorded fixtures not found at ${fixturesDir()} (set SIP_TRUNKS_FIXTURES or place the shared folder beside the clone)`;
  if (!warned.has(suite)) {
    warned.add(suite);
    console.warn(`\n${"!".repeat(100)}\n!! ${reason}\n${"!".repeat(100)}\n`);
  }
  ctx.skip();
}

export function loadExchanges(vendor: string): Exchange[] {
  const dir = path.join(fixturesDir(), vendor);
  return fs
    .readdirSync(dir)
    .filter((f) => f.endsWith(".json"))
    .sort()
    .map((f) => ({ file: f, ...JSON.parse(fs.readFileSync(path.join(dir, f), "utf8")) }));
}
