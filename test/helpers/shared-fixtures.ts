/**
 * Locates the recorded vendor exchanges (../shared/fixtures beside the clone, or
 * SIP_TRUNKS_FIXTURES), for every suite that replays them.
 *
 * When the folder is missing, the suites still register one test per recorded exchange (named
 * in test/fixtures/manifest.json): under CI=true each of them fails; elsewhere they print a
 * banner and skip with the reason. Never a silent pass.
 */
import * as fs from "node:fs";
import * as path from "node:path";

export interface Exchange {
  file: string;
  source: string;
  request: { method: string; path: string; headers?: Record<string, string>; body: any };
  response: { status: number; body: any };
}

export type Vendor = "didww" | "twilio" | "bolna";

export const isCI = (): boolean => /^(1|true|yes)$/i.test(process.env.CI ?? "");

/** `SIP_TRUNKS_FIXTURES` when set and not empty (an empty value would name the working directory), else ../shared/fixtures. */
export function fixturesDir(): string {
  return process.env.SIP_TRUNKS_FIXTURES || path.resolve(__dirname, "../../../shared/fixtures");
}

export function fixturesAvailable(vendor: Vendor = "didww"): boolean {
  return fs.existsSync(path.join(fixturesDir(), vendor));
}

/** The exchanges each vendor's suites expect, by file name. */
export function manifest(vendor: Vendor): string[] {
  const all = JSON.parse(fs.readFileSync(path.resolve(__dirname, "../fixtures/manifest.json"), "utf8")) as Record<string, string[]>;
  return all[vendor] ?? [];
}

const warned = new Set<string>();

function missingReason(suite: string): string {
  return `${suite}: recorded fixtures not found at ${fixturesDir()} (set SIP_TRUNKS_FIXTURES or place the shared folder beside the clone)`;
}

/** Call in a `before` hook or a test: fails under CI=true, otherwise skips loudly, when the fixtures are absent. */
export function requireFixtures(ctx: Mocha.Context, suite: string, vendor: Vendor = "didww"): void {
  if (fixturesAvailable(vendor)) return;
  const reason = missingReason(suite);
  if (isCI()) throw new Error(`FAILED under CI=true: ${reason}`);
  if (!warned.has(suite)) {
    warned.add(suite);
    console.warn(`\n${"!".repeat(100)}\n!! SKIPPED ${reason}\n${"!".repeat(100)}\n`);
  }
  ctx.skip();
}

/**
 * With the fixtures absent, registers one test per expected exchange that fails under CI and
 * skips loudly elsewhere; returns true when it did (the caller then registers nothing else).
 */
export function registerMissingExchanges(vendor: Vendor, suite: string, what: string): boolean {
  if (fixturesAvailable(vendor)) return false;
  for (const file of manifest(vendor)) {
    it(`${file}: ${what}`, function () {
      requireFixtures(this, suite, vendor);
    });
  }
  return true;
}

export function loadExchanges(vendor: Vendor): Exchange[] {
  const dir = path.join(fixturesDir(), vendor);
  return fs
    .readdirSync(dir)
    .filter((f) => f.endsWith(".json"))
    .sort()
    .map((f) => ({ file: f, ...JSON.parse(fs.readFileSync(path.join(dir, f), "utf8")) }));
}
