/**
 * ONE-OFF: wrote the checked-in upgrade fixture in this directory (see README.md). Kept to document
 * how the fixture was made, NOT to be run again: the fixture's whole point is that it was written by
 * an old version. It refuses to run while state.json exists.
 *
 *   node -r ts-node/register/transpile-only test/e2e/upgrade/make-fixture.ts
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { execFileSync } from "node:child_process";
import { DEFAULT_DID_IDS, startEmulator } from "../../../emulator";
import { TWILIO_SID, UPGRADE_DIR, Workspace, expectOk, pulumiLib } from "../support";
import { UPGRADE_STACK, UPGRADE_FILES } from "./fixture";

async function main(): Promise<void> {
  const target = (f: string) => path.join(UPGRADE_DIR, f);
  if (fs.existsSync(target(UPGRADE_FILES.state))) {
    throw new Error(`${target(UPGRADE_FILES.state)} exists: the upgrade fixture must never be regenerated (see README.md)`);
  }
  const bin = pulumiLib.findPulumiBin();
  if (!bin) throw new Error(pulumiLib.HOW_TO_GET_PULUMI);
  const key = "upgrade-fixture-key-0001";
  const ws = new Workspace(bin, "make-upgrade-fixture");
  const dataFile = path.join(ws.stateDir, "emulator-data.json");
  const emu = await startEmulator({ port: 0, apiKeys: [key], dataFile });
  try {
    await ws.initStack(UPGRADE_STACK, emu.didwwUrl, key);
    await ws.setTrunks(UPGRADE_STACK, {
      pbx: {
        args: {
          name: "upgrade pbx",
          onCliMismatchAction: "reject_call",
          authenticationMethod: { type: "credentials_and_ip", allowedSipIps: ["203.0.113.10", "2001:db8::/48"], techPrefix: "99#" },
          capacityLimit: 30,
          thresholdAmount: "250.00",
          mediaEncryptionMode: "srtp_sdes",
          dstPrefixes: ["44", "1"],
          allowedRtpIps: ["203.0.113.0/24"],
          didIds: [DEFAULT_DID_IDS.plain[0], DEFAULT_DID_IDS.plain[1]],
          emergencyDidIds: [DEFAULT_DID_IDS.emergency[0]],
        },
      },
      twilio: {
        args: {
          name: "upgrade twilio origination",
          onCliMismatchAction: "send_original_cli",
          authenticationMethod: { type: "twilio", twilioAccountSid: TWILIO_SID },
          allowAnyDidAsCli: true,
          rtpTimeout: 60,
          externalReferenceId: "upgrade-fixture",
        },
      },
    });
    await ws.step(["up", "--yes", "--skip-preview"], UPGRADE_STACK, "fixture up");
    expectOk(await ws.pulumi(["preview", "--expect-no-changes"], UPGRADE_STACK), "fixture preview");
    const exported = await ws.ok(["stack", "export"], UPGRADE_STACK);
    await emu.close();

    fs.writeFileSync(target(UPGRADE_FILES.state), exported.stdout.endsWith("\n") ? exported.stdout : `${exported.stdout}\n`);
    fs.copyFileSync(path.join(ws.projectDir, `Pulumi.${UPGRADE_STACK}.yaml`), target(UPGRADE_FILES.stackConfig));
    fs.copyFileSync(dataFile, target(UPGRADE_FILES.emulatorData));

    const git = (...a: string[]) => execFileSync("git", a, { cwd: pulumiLib.ROOT, encoding: "utf8" }).trim();
    const pkg = JSON.parse(fs.readFileSync(path.join(pulumiLib.ROOT, "package.json"), "utf8")) as { version: string };
    const sdk = JSON.parse(fs.readFileSync(path.join(pulumiLib.ROOT, "node_modules/@pulumi/pulumi/package.json"), "utf8")) as { version: string };
    const cli = (await ws.ok(["version"])).stdout.trim();
    const dirty = git("status", "--porcelain").split("\n").filter(Boolean).length;
    const provenance = {
      writtenAt: new Date().toISOString(),
      package: `pulumi-sip-trunks ${pkg.version}`,
      gitCommit: git("rev-parse", "HEAD"),
      gitDirtyFiles: dirty,
      pulumiCli: cli,
      pulumiSdk: `@pulumi/pulumi ${sdk.version}`,
      node: process.version,
      stack: UPGRADE_STACK,
      project: "sip-trunks-e2e",
    };
    fs.writeFileSync(target(UPGRADE_FILES.provenance), `${JSON.stringify(provenance, null, 2)}\n`);
    console.log(JSON.stringify(provenance, null, 2));
  } finally {
    await emu.close();
    ws.cleanup();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
