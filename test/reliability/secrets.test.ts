/**
 * Reliability, the final check: no secret of the suite appears in plain text anywhere the suite
 * can see. It runs after every other case of test/reliability (it imports them, so mocha registers
 * them first whatever order it loads the files in) and scans:
 *   - the stdout and stderr of every `pulumi` command the suite ran (RecordingWorkspace records
 *     them all, the killed `up` included), except `--show-secrets` runs, whose purpose is to show
 *     them (they serve as the scan's positive control instead);
 *   - every file of every Workspace's state directory (stack checkpoints, history, backups, locks,
 *     PULUMI_HOME) and project copy (`Pulumi.<stack>.yaml`), read before the Workspace was removed;
 *   - the messages of the suite's failed tests.
 * The secrets: the API keys (DIDWW, Bolna), the Twilio auth token (and its HTTP Basic form), the
 * Bolna SIP passwords the stack sets, and the SIP usernames and passwords DIDWW generated (read
 * from the emulator, checked against `pulumi stack output --show-secrets` by the faults case).
 */
import * as assert from "node:assert/strict";
import { createHash } from "node:crypto";
import "./faults.test";
import "./kill.test";
import "./rate.test";
import { ledger, log } from "./support";

/** Every place `secret` occurs in `text`, reported with its surroundings and the secret itself masked. */
function occurrences(texts: Array<{ where: string; text: string }>, secrets: Array<[string, string]>): string[] {
  const findings: string[] = [];
  for (const { where, text } of texts) {
    for (const [secret, what] of secrets) {
      const at = text.indexOf(secret);
      if (at < 0) continue;
      const context = text.slice(Math.max(0, at - 160), at + secret.length + 60).split(secret).join("«secret»").replace(/\s+/g, " ");
      findings.push(`${what} in ${where}: …${context}…`);
    }
  }
  return findings;
}

/**
 * `pulumi … --json` output without the debug-severity events in which @pulumi/pulumi logs a
 * RegisterResource/ReadResource answer: the SDK writes every output there decrypted, whatever
 * provider produced it. Everything else of the output is kept and scanned.
 */
function withoutSdkDebugEvents(stdout: string, setApart: () => void): string {
  return stdout
    .split("\n")
    .filter((line) => {
      if (!line.startsWith("{")) return true;
      try {
        const d = (JSON.parse(line) as { diagnosticEvent?: { severity?: string; message?: string } }).diagnosticEvent;
        if (d?.severity === "debug" && /^(RegisterResource|ReadResource) RPC finished: /.test(d.message ?? "")) {
          setApart();
          return false;
        }
      } catch {
        // not an event
      }
      return true;
    })
    .join("\n");
}

/** Texts, identical ones once (a checkpoint is in stacks/, history/ and backups/ alike). */
function distinct(items: Array<{ where: string; text: string }>): Array<{ where: string; text: string }> {
  const seen = new Set<string>();
  return items.filter(({ text }) => {
    const h = createHash("sha1").update(text).digest("hex");
    if (seen.has(h) || text.length === 0) return false;
    seen.add(h);
    return true;
  });
}

function expectNone(kind: string, texts: Array<{ where: string; text: string }>): void {
  const t0 = Date.now();
  const findings = occurrences(texts, [...ledger.secrets]);
  const bytes = texts.reduce((n, t) => n + t.text.length, 0);
  log(`secrets scan of ${kind}: ${texts.length} distinct texts, ${(bytes / 1e6).toFixed(1)} MB, ${findings.length} findings, ${Date.now() - t0} ms`);
  assert.ok(findings.length === 0, `secrets in plain text in ${kind} (${findings.length}):\n  ${findings.slice(0, 40).join("\n  ")}`);
}

describe("reliability: no secret in plain text in any state file, CLI output or error of the suite", function () {
  this.timeout(300_000);

  before(function () {
    assert.ok(ledger.suites.size > 0 && ledger.runs.length > 0, "the suite's other cases ran no pulumi command: nothing to scan (run the whole of test/reliability)");
    const kinds = new Set([...ledger.secrets.values()].map((what) => what.replace(/ of .*$/, "")));
    log(`secrets scan: ${ledger.secrets.size} secrets (${[...kinds].join(", ")}); ${ledger.runs.length} commands, ${ledger.stateFiles.length} state files, ${ledger.errors.length} error messages`);
    if (ledger.suites.has("faults")) {
      for (const k of ["DIDWW API key", "Bolna API key", "Twilio auth token", "DIDWW SIP password", "Bolna SIP password"]) assert.ok(kinds.has(k), `the scan knows no ${k}`);
    }
    // Positive control: the scan finds the SIP passwords where they are meant to be shown.
    const shown = ledger.runs.filter((r) => r.revealsSecrets);
    if (shown.length) {
      const found = [...ledger.secrets].filter(([s, what]) => what.startsWith("DIDWW SIP password") && shown.some((r) => r.stdout.includes(s))).length;
      assert.ok(found > 0, "positive control: the scan should find the DIDWW SIP passwords in the --show-secrets output");
      log(`secrets scan: positive control found ${found} DIDWW SIP passwords in ${shown.length} --show-secrets output(s)`);
    }
  });

  it("1. no state file holds a secret (checkpoints, history, backups, locks, PULUMI_HOME, stack config)", function () {
    assert.ok(ledger.stateFiles.length > 0, "no state file was collected");
    expectNone("state files", distinct(ledger.stateFiles.map((f) => ({ where: `[${f.suite}] ${f.file}`, text: f.text }))));
  });

  it("2. no CLI output holds a secret (stdout and stderr of every command but --show-secrets; the SDK's own debug lines set apart)", function () {
    let upstream = 0;
    const texts = ledger.runs
      .filter((r) => !r.revealsSecrets)
      .flatMap((r) => [
        { where: `[${r.suite}] stdout of pulumi ${r.args.join(" ")}`, text: withoutSdkDebugEvents(r.stdout, () => upstream++) },
        { where: `[${r.suite}] stderr of pulumi ${r.args.join(" ")}`, text: r.stderr },
      ]);
    expectNone("CLI output", distinct(texts));
    if (upstream) {
      log(
        `secrets scan: set apart ${upstream} debug-severity events of \`--json\` output in which @pulumi/pulumi itself logs "RegisterResource RPC finished: … resp: …" ` +
          "with every output decrypted (the SDK's debug log, not this package's; see README, Known limits)",
      );
    }
  });

  it("3. no error message of the suite holds a secret", function () {
    expectNone("error messages", distinct(ledger.errors.map((e) => ({ where: `[${e.suite}] error message`, text: e.message }))));
  });
});
