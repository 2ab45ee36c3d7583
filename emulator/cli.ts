#!/usr/bin/env node
/**
 * `sip-trunks-emulator`: runs the emulator in the foreground and prints where it listens.
 */
import * as fs from "node:fs";
import { parseArgs } from "node:util";
import { normalizeFaultConfig, type FaultConfig } from "./faults";
import { startEmulator, type EmulatorOptions } from "./index";

export const USAGE = `Usage: sip-trunks-emulator [options]

Local emulator of the DIDWW API v3 outbound trunks (voice_out_trunks, dids).

Options:
  --port N             TCP port (default 8787; 0 picks a free port)
  --host ADDR          interface to bind (default 127.0.0.1)
  --data FILE          keep state in FILE (durable; created from the seed when missing)
  --seed FILE          JSON with "dids" and "voice_out_trunks" to start with
  --api-key KEY        accept only this Api-Key (repeatable; default: any non-empty key)
  --admin-token TOKEN  token for /_emulator/... (header X-Emulator-Token; default random)
  --unmask-credentials return SIP username/password in full on GET (default: masked "abc******")
  --mask-credentials-on-writes
                       mask them on POST/PATCH/PUT responses too (default: in full)
  --max-page-size N    largest page[size] (default 100)
  --rate-limit N       enforce N requests/second per API key (DIDWW documents 20)
  --no-outbound-plan   answer 403 "no outbound plan" on every voice_out_trunks endpoint
  --faults JSON|FILE   fault configuration: rules, sequence (JSON form, as PUT /_emulator/faults)
  --random-seed N      seed for probabilistic faults
  --help               show this help

Point the DIDWW provider at the printed DIDWW base URL. Admin routes (out-of-band edits,
faults, request log) are described in docs/emulator.md.
`;

function intOption(name: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new Error(`--${name} needs a non-negative integer, got ${JSON.stringify(value)}`);
  return n;
}

/** `--faults`: inline JSON (starts with `{` or `[`) or a file holding it; checked like the admin route's body. */
function faultsOption(value: string | undefined): FaultConfig {
  if (value === undefined) return {};
  let text = value;
  if (!/^\s*[[{]/.test(value)) {
    try {
      text = fs.readFileSync(value, "utf8");
    } catch (e) {
      throw new Error(`--faults: cannot read ${value} (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
    }
  }
  try {
    return normalizeFaultConfig(JSON.parse(text));
  } catch (e) {
    throw new Error(`--faults: ${(e as Error).message}`);
  }
}

export function parseCli(argv: string[]): { help: true } | { help: false; options: EmulatorOptions } {
  const { values } = parseArgs({
    args: argv,
    options: {
      port: { type: "string" },
      host: { type: "string" },
      data: { type: "string" },
      seed: { type: "string" },
      "api-key": { type: "string", multiple: true },
      "admin-token": { type: "string" },
      "unmask-credentials": { type: "boolean" },
      "mask-credentials-on-writes": { type: "boolean" },
      "max-page-size": { type: "string" },
      "rate-limit": { type: "string" },
      "no-outbound-plan": { type: "boolean" },
      faults: { type: "string" },
      "random-seed": { type: "string" },
      help: { type: "boolean", short: "h" },
    },
    strict: true,
    allowPositionals: false,
  });
  if (values.help) return { help: true };
  const rateLimit = intOption("rate-limit", values["rate-limit"]);
  const options: EmulatorOptions = {
    port: intOption("port", values.port) ?? 8787,
    host: values.host,
    dataFile: values.data,
    seed: values.seed,
    apiKeys: values["api-key"],
    adminToken: values["admin-token"],
    maskCredentials: !values["unmask-credentials"],
    ...(values["mask-credentials-on-writes"] ? { maskCredentialsOnWrites: true } : {}),
    maxPageSize: intOption("max-page-size", values["max-page-size"]),
    randomSeed: intOption("random-seed", values["random-seed"]),
    faults: {
      ...faultsOption(values.faults),
      ...(rateLimit ? { rateLimit: { perSecond: rateLimit } } : {}),
      ...(values["no-outbound-plan"] ? { noOutboundPlan: true } : {}),
    },
  };
  return { help: false, options };
}

async function main(): Promise<void> {
  let parsed;
  try {
    parsed = parseCli(process.argv.slice(2));
  } catch (e) {
    process.stderr.write(`sip-trunks-emulator: ${(e as Error).message}\n\n${USAGE}`);
    process.exit(2);
  }
  if (parsed.help) {
    process.stdout.write(USAGE);
    return;
  }
  let emu;
  try {
    emu = await startEmulator(parsed.options);
  } catch (e) {
    process.stderr.write(`sip-trunks-emulator: ${(e as Error).message}\n`);
    process.exit(1);
  }
  process.stdout.write(
    [
      `Listening on ${emu.url}`,
      `  DIDWW base URL: ${emu.didwwUrl}  (Api-Key: ${parsed.options.apiKeys ? "one of --api-key" : "any non-empty value"})`,
      `  admin: ${emu.url}/_emulator/  (X-Emulator-Token: ${emu.adminToken})`,
      `  state: ${emu.dataFile ? `${emu.dataFile} (${emu.startedFrom === "dataFile" ? "loaded" : "created"})` : "in memory"}`,
      "",
    ].join("\n"),
  );
  const stop = () => {
    void emu.close().then(() => process.exit(0));
  };
  process.once("SIGINT", stop);
  process.once("SIGTERM", stop);
}

if (require.main === module) void main();
