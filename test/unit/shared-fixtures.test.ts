/**
 * The fixture suites never pass silently without the recordings: with SIP_TRUNKS_FIXTURES
 * pointing at a folder that does not exist, each suite still registers one test per exchange of
 * test/fixtures/manifest.json; under CI=true every one of them fails (mocha exits non-zero),
 * elsewhere every one is pending and a banner on stderr says why. Checked by running mocha on the
 * two replay suites in a child process, as CI would.
 */
import { strict as assert } from "node:assert";
import { spawn } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { manifest } from "../helpers/shared-fixtures";

const REPO_ROOT = path.resolve(__dirname, "..", "..");
const MOCHA = require.resolve("mocha/bin/mocha.js", { paths: [REPO_ROOT] });

/** The suites that replay recorded DIDWW exchanges, and how their per-exchange tests are titled without the recordings. */
const SUITES = [
  { file: "test/fixtures/didww-provider.test.ts", title: "recorded DIDWW exchanges → provider outputs", what: "replayed through the provider's mapping", banner: "SKIPPED provider fixture replay (DIDWW)" },
  { file: "test/emulator/fixtures-replay.test.ts", title: "DIDWW fixture replay", what: "replayed against the emulator", banner: "SKIPPED emulator fixture replay (DIDWW)" },
];

interface MochaJsonTest {
  title: string;
  fullTitle: string;
  err: { message?: string };
}
interface MochaJson {
  stats: { tests: number; passes: number; pending: number; failures: number };
  passes: MochaJsonTest[];
  pending: MochaJsonTest[];
  failures: MochaJsonTest[];
}

interface Outcome {
  code: number | null;
  stderr: string;
  report: MochaJson;
}

/** Runs mocha on the replay suites with the recordings missing; `ci` sets or removes CI. */
async function runWithoutFixtures(dir: string, ci: boolean): Promise<Outcome> {
  const reportFile = path.join(dir, `report-${ci ? "ci" : "local"}.json`);
  const env: NodeJS.ProcessEnv = { ...process.env, SIP_TRUNKS_FIXTURES: path.join(dir, "no-such-fixtures") };
  if (ci) env.CI = "true";
  else delete env.CI;
  const args = [MOCHA, "--reporter", "json", "--reporter-option", `output=${reportFile}`, ...SUITES.map((s) => s.file)];
  const child = spawn(process.execPath, args, { cwd: REPO_ROOT, env, stdio: ["ignore", "pipe", "pipe"] });
  let stderr = "";
  child.stderr.setEncoding("utf8").on("data", (d: string) => (stderr += d));
  child.stdout.resume();
  const code = await new Promise<number | null>((resolve, reject) => {
    child.once("error", reject);
    child.once("close", (c) => resolve(c));
  });
  assert.ok(fs.existsSync(reportFile), `mocha wrote no report (exit ${code}); stderr:\n${stderr.slice(-4000)}`);
  return { code, stderr, report: JSON.parse(fs.readFileSync(reportFile, "utf8")) as MochaJson };
}

/** The per-exchange titles every suite must register, as `<suite> <exchange>: <what>`. */
function expectedTitles(): string[] {
  const exchanges = manifest("didww");
  return SUITES.flatMap((s) => exchanges.map((f) => `${s.title} ${f}: ${s.what}`)).sort();
}

describe("fixture suites without the recorded exchanges (SIP_TRUNKS_FIXTURES → a missing folder)", function () {
  // Two mocha child processes compiling the suites with ts-node: a few seconds each on a busy machine.
  this.timeout(120_000);
  let dir: string;
  let ci: Outcome;
  let local: Outcome;

  before(async function () {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "sip-trunks-missing-fixtures-"));
    [ci, local] = await Promise.all([runWithoutFixtures(dir, true), runWithoutFixtures(dir, false)]);
  });

  after(() => {
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  it("the manifest lists the DIDWW exchanges", () => {
    assert.ok(manifest("didww").length >= 30, `manifest lists ${manifest("didww").length} DIDWW exchanges`);
  });

  it("under CI=true: one failing test per exchange in each suite, nothing passes or is pending, mocha exits non-zero", () => {
    const { stats } = ci.report;
    assert.notEqual(ci.code, 0, "mocha must exit non-zero");
    assert.deepEqual(
      { passes: stats.passes, pending: stats.pending, failures: stats.failures },
      { passes: 0, pending: 0, failures: SUITES.length * manifest("didww").length },
      `stats ${JSON.stringify(stats)}; stderr:\n${ci.stderr.slice(-2000)}`,
    );
    assert.deepEqual(ci.report.failures.map((t) => t.fullTitle).sort(), expectedTitles());
    for (const t of ci.report.failures) {
      assert.match(t.err.message ?? "", /^FAILED under CI=true: .*recorded fixtures not found at .*no-such-fixtures/, t.fullTitle);
    }
  });

  it("without CI: the same tests, every one pending, each suite's reason printed, mocha exits 0", () => {
    const { stats } = local.report;
    assert.equal(local.code, 0, `exit code; stderr:\n${local.stderr.slice(-2000)}`);
    assert.deepEqual(
      { passes: stats.passes, pending: stats.pending, failures: stats.failures },
      { passes: 0, pending: SUITES.length * manifest("didww").length, failures: 0 },
      JSON.stringify(stats),
    );
    assert.deepEqual(local.report.pending.map((t) => t.fullTitle).sort(), expectedTitles());
    for (const s of SUITES) {
      assert.ok(local.stderr.includes(s.banner), `the banner "${s.banner}" is printed for ${s.file}; stderr:\n${local.stderr.slice(-2000)}`);
    }
    assert.match(local.stderr, /recorded fixtures not found at .*no-such-fixtures \(set SIP_TRUNKS_FIXTURES/);
  });
});
