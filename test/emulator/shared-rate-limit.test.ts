/**
 * Three provider-host-like processes, one DIDWW API key, an emulator enforcing 20 requests per
 * second per key: with the shared window (provider/common/shared-window.ts) no request is
 * refused; with SIP_TRUNKS_SHARED_RATE_LIMIT=0 each process keeps only its own 20 per second
 * and the emulator refuses the surplus (the control that shows this test can fail).
 */
import * as assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { randomUUID } from "node:crypto";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { SHARED_RATE_LIMIT_ENV } from "../../provider/common/shared-window";
import { JSONAPI, start, stopAll } from "./helpers";

const ROOT = path.resolve(__dirname, "../..");
const RATE_LIMIT_MODULE = path.join(ROOT, "provider/common/rate-limit.ts");

/**
 * A child process: says "ready", waits for a line on stdin (so all start together), sends its
 * requests through `limiterFor` as the DIDWW client does (slot held until the response), and
 * prints the statuses as JSON.
 */
const CHILD = `
const { limiterFor } = require(${JSON.stringify(RATE_LIMIT_MODULE)});
const [url, key, count] = [process.env.T_URL, process.env.T_KEY, Number(process.env.T_COUNT)];
const limiter = limiterFor("didww", key, 20);
process.stdin.once("data", async () => {
  const statuses = await Promise.all(Array.from({ length: count }, async () => {
    const release = await limiter.acquire();
    try {
      const res = await fetch(url + "/v3/voice_out_trunks", { headers: { "Api-Key": key, Accept: ${JSON.stringify(JSONAPI)} } });
      await res.text();
      return res.status;
    } catch (e) {
      return String(e && e.code || e);
    } finally {
      release();
    }
  }));
  process.stdout.write(JSON.stringify(statuses) + "\\n");
  process.stdin.destroy();
});
process.stdout.write("ready\\n");
`;

interface Child {
  ready: Promise<void>;
  go(): void;
  statuses: Promise<Array<number | string>>;
}

function child(env: Record<string, string>): Child {
  const proc = spawn(process.execPath, ["-r", "ts-node/register/transpile-only", "-e", CHILD], {
    cwd: ROOT,
    env: { ...process.env, TS_NODE_TRANSPILE_ONLY: "1", ...env },
    stdio: ["pipe", "pipe", "pipe"],
  });
  let out = "";
  let err = "";
  let onReady: () => void = () => undefined;
  const ready = new Promise<void>((r) => (onReady = r));
  proc.stdout.on("data", (d) => {
    out += String(d);
    if (out.includes("ready\n")) onReady();
  });
  proc.stderr.on("data", (d) => (err += String(d)));
  const statuses = new Promise<Array<number | string>>((resolve, reject) => {
    proc.on("error", reject);
    proc.on("exit", (code) => {
      const line = out.split("\n").find((l) => l.startsWith("["));
      if (code !== 0 || !line) reject(new Error(`child exited ${code}: ${err || out}`));
      else resolve(JSON.parse(line));
    });
  });
  return { ready, go: () => proc.stdin.write("go\n"), statuses };
}

/** Runs `processes` children of `count` requests each against `url`; the statuses and the wall time. */
async function run(url: string, processes: number, count: number, env: Record<string, string>) {
  const key = `shared-${randomUUID()}`;
  const children = Array.from({ length: processes }, () => child({ T_URL: url, T_KEY: key, T_COUNT: String(count), ...env }));
  await Promise.all(children.map((c) => c.ready));
  const started = Date.now();
  children.forEach((c) => c.go());
  const statuses = (await Promise.all(children.map((c) => c.statuses))).flat();
  return { statuses, ms: Date.now() - started };
}

describe("shared rate limit: three processes, one key, 20 requests per second", function () {
  this.timeout(30_000);
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "sip-trunks-rate-"));
  });
  afterEach(async () => {
    await stopAll();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it("sharing the window, 3 × 40 requests all succeed: not one 429", async () => {
    const emu = await start({ faults: { rateLimit: { perSecond: 20 } } });
    const { statuses, ms } = await run(emu.url, 3, 40, { [SHARED_RATE_LIMIT_ENV]: dir });
    const refused = statuses.filter((s) => s === 429).length;
    console.log(`      shared: ${statuses.length} requests in ${ms} ms (floor ~${Math.ceil(statuses.length / 20) - 1} s plus round trips), ${refused} answered 429`);
    assert.equal(statuses.length, 120);
    assert.equal(refused, 0, "no request refused");
    assert.equal(emu.faults.stats.rateLimited, 0);
    assert.deepEqual([...new Set(statuses)], [200]);
    assert.deepEqual(fs.readdirSync(dir).filter((f) => !f.endsWith(".json")), [], "no lock or temp file left");
  });

  it("control: with SIP_TRUNKS_SHARED_RATE_LIMIT=0 the same processes collect 429s", async () => {
    const emu = await start({ faults: { rateLimit: { perSecond: 20 } } });
    const { statuses, ms } = await run(emu.url, 3, 20, { [SHARED_RATE_LIMIT_ENV]: "0" });
    const refused = statuses.filter((s) => s === 429).length;
    console.log(`      not shared: ${statuses.length} requests in ${ms} ms, ${refused} answered 429`);
    assert.ok(refused > 0, "each process alone fills the key's second");
    assert.deepEqual(fs.readdirSync(dir), []);
  });
});
