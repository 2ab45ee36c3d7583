/**
 * The `sip-trunks-emulator` bin: flags, --help, start-up errors, and a real process serving requests.
 */
import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { USAGE, parseCli } from "../../emulator/cli";
import { api } from "./helpers";
import { REPO, runCli, startCli } from "./cli-process";

describe("sip-trunks-emulator CLI", function () {
  this.timeout(60_000);

  it("the source starts with a node shebang (the bin is dist/emulator/cli.js)", function () {
    assert.ok(fs.readFileSync(path.join(REPO, "emulator/cli.ts"), "utf8").startsWith("#!/usr/bin/env node\n"));
  });

  describe("parseCli", function () {
    it("maps every flag onto startEmulator options", function () {
      const rule = { kind: "statusAfterCommit", status: 502, match: { method: "POST" } };
      const parsed = parseCli([
        "--port", "0", "--host", "0.0.0.0", "--data", "s.json", "--seed", "seed.json", "--api-key", "k1", "--api-key", "k2",
        "--admin-token", "t", "--unmask-credentials", "--mask-credentials-on-writes", "--max-page-size", "1000", "--rate-limit", "20",
        "--no-outbound-plan", "--faults", JSON.stringify({ rules: [rule] }), "--random-seed", "7",
      ]);
      assert.deepEqual(parsed, {
        help: false,
        options: {
          port: 0, host: "0.0.0.0", dataFile: "s.json", seed: "seed.json", apiKeys: ["k1", "k2"], adminToken: "t", maskCredentials: false,
          maskCredentialsOnWrites: true, maxPageSize: 1000, randomSeed: 7, faults: { rules: [rule], rateLimit: { perSecond: 20 }, noOutboundPlan: true },
        },
      });
    });

    it("defaults: port 8787, masked credentials, no faults", function () {
      const parsed = parseCli([]);
      assert.ok(!parsed.help);
      if (parsed.help) return;
      assert.equal(parsed.options.port, 8787);
      assert.equal(parsed.options.maskCredentials, true);
      assert.deepEqual(parsed.options.faults, {});
    });

    it("--faults reads a file too (a bare array = rules) and refuses what PUT /_emulator/faults refuses", function () {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), "sip-emu-"));
      try {
        const file = path.join(dir, "faults.json");
        fs.writeFileSync(file, JSON.stringify([{ kind: "statusAfterCommit", status: 500, match: { pathRegex: "^/v3/voice_out_trunks" } }]));
        const parsed = parseCli(["--faults", file]);
        assert.ok(!parsed.help);
        if (parsed.help) return;
        assert.deepEqual(parsed.options.faults, { rules: [{ kind: "statusAfterCommit", status: 500, match: { pathRegex: "^/v3/voice_out_trunks" } }] });
        assert.throws(() => parseCli(["--faults", '[{"kind":"statusAfterCommit","status":429}]']), /--faults: .*statusAfterCommit needs status/);
        assert.throws(() => parseCli(["--faults", path.join(dir, "missing.json")]), /--faults: cannot read .*ENOENT/);
      } finally {
        fs.rmSync(dir, { recursive: true, force: true });
      }
    });

    it("rejects unknown flags and bad numbers", function () {
      assert.throws(() => parseCli(["--bogus"]));
      assert.throws(() => parseCli(["--port", "http"]), /--port needs a non-negative integer/);
      assert.deepEqual(parseCli(["--help"]), { help: true });
    });
  });

  describe("process", function () {
    it("--help prints the usage and exits 0", async function () {
      const p = runCli(["--help"]);
      assert.deepEqual(await p.exited, { code: 0, signal: null });
      assert.equal(p.stdout(), USAGE);
      for (const flag of ["--port", "--data", "--seed", "--api-key", "--help"]) assert.ok(USAGE.includes(flag));
    });

    it("a bad flag exits 2 with the usage on stderr", async function () {
      const p = runCli(["--nope"]);
      assert.equal((await p.exited).code, 2);
      assert.match(p.stderr(), /Usage: sip-trunks-emulator/);
    });

    it("a corrupt data file exits 1 with the reason", async function () {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), "sip-emu-"));
      try {
        fs.writeFileSync(path.join(dir, "s.json"), "{");
        const p = runCli(["--port", "0", "--data", path.join(dir, "s.json")]);
        assert.equal((await p.exited).code, 1);
        assert.match(p.stderr(), /is not valid JSON.*refusing to start/);
        assert.equal(fs.readFileSync(path.join(dir, "s.json"), "utf8"), "{");
      } finally {
        fs.rmSync(dir, { recursive: true, force: true });
      }
    });

    it("--faults applies from the first request: a POST under statusAfterCommit commits and answers 500", async function () {
      const rules = [{ kind: "statusAfterCommit", status: 500, match: { method: "POST" }, times: 1 }];
      const cli = await startCli(["--port", "0", "--admin-token", "tok", "--faults", JSON.stringify(rules)]);
      try {
        const emu = { url: cli.url };
        const body = { data: { type: "voice_out_trunks", attributes: { name: "f", on_cli_mismatch_action: "send_original_cli", authentication_method: { type: "twilio", attributes: { twilio_account_sid: `AC${"f".repeat(32)}` } } } } };
        assert.equal((await api(emu, "POST", "/v3/voice_out_trunks", { body })).status, 500);
        const trunks = await api(emu, "GET", "/_emulator/didww/trunks", { headers: { "X-Emulator-Token": "tok" } });
        assert.deepEqual(trunks.body.trunks.map((t: any) => t.name), ["f"]);
      } finally {
        cli.child.kill("SIGTERM");
        await cli.exited;
      }
    });

    it("prints where it listens, serves the API with --api-key and --seed, and stops on SIGTERM", async function () {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), "sip-emu-"));
      try {
        const seed = path.join(dir, "seed.json");
        fs.writeFileSync(seed, JSON.stringify({ voice_out_trunks: [{ name: "seeded", on_cli_mismatch_action: "send_original_cli", authentication_method: { type: "twilio", attributes: { twilio_account_sid: `AC${"f".repeat(32)}` } } }] }));
        const cli = await startCli(["--port", "0", "--api-key", "k1", "--seed", seed, "--admin-token", "tok"]);
        assert.match(cli.stdout(), /DIDWW base URL: http:\/\/127\.0\.0\.1:\d+\/v3/);
        assert.match(cli.stdout(), /X-Emulator-Token: tok/);
        const emu = { url: cli.url };
        assert.equal((await api(emu, "GET", "/v3/voice_out_trunks", { headers: { "Api-Key": "k2" } })).status, 401);
        const list = await api(emu, "GET", "/v3/voice_out_trunks", { headers: { "Api-Key": "k1" } });
        assert.deepEqual(list.body.data.map((t: any) => t.attributes.name), ["seeded"]);
        cli.child.kill("SIGTERM");
        assert.deepEqual(await cli.exited, { code: 0, signal: null });
      } finally {
        fs.rmSync(dir, { recursive: true, force: true });
      }
    });
  });
});
