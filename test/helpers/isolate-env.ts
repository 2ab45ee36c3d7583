/**
 * Loaded before every test file (.mocharc.json): the files the provider shares across processes
 * (the per-key rate budget, the journal of creates) go to a directory of this test run, so runs
 * never see each other's files, while the processes of one run (provider hosts, the CLI, plugins,
 * which inherit the environment) share them as a user's do. A value already set is kept.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";

const base = fs.mkdtempSync(path.join(os.tmpdir(), `sip-trunks-test-${process.pid}-`));
process.env.SIP_TRUNKS_SHARED_RATE_LIMIT ??= path.join(base, "rate");
process.env.SIP_TRUNKS_CREATE_JOURNAL ??= path.join(base, "creates");
process.on("exit", () => fs.rmSync(base, { recursive: true, force: true }));
