#!/usr/bin/env node
/**
 * `sip-trunks-emulator`: runs the emulator in the foreground and prints where it listens.
 */
import * as fs from "node:fs";
import { parseArgs } from "node:util";
import { normalizeFaultConfig, type FaultConfig } from "./faults";
import { DEFAULT_BOLNA_API_KEY, DEFAULT_TWILIO_ACCOUNT, startEmulator, type EmulatorOptions, type TwilioAccount } from "./index";

export const USAGE = `Usage: sip-trunks-emulator [options]

Local emulator of the DIDWW API v3 outbound trunks (voice_out_trunks, dids), of Twilio
Elastic SIP Trunking v1 with the API v2010 SIP lists and IncomingPhoneNumbers, and of Bolna's
legacy SIP trunk API (/sip-trunks).

Options:
  --port N             TCP port (default 8787; 0 picks a free port)
  --host ADDR          interface to bind (default 127.0.0.1)
  --data FILE          keep state in FILE (durable; created from the seed when missing)
  --seed FILE          JSON with "dids" and "voice_out_trunks" (and "twilio": {"phone_numbers"},
                       "bolna": {"trunks"}) to start with
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
  --twilio-account AC…:TOKEN
                       a Twilio account and its auth token (repeatable; default: one
                       account, ${DEFAULT_TWILIO_ACCOUNT.accountSid}:${DEFAULT_TWILIO_ACCOUNT.authToken})
  --twilio-api-key AC…:SK…:SECRET
                       an API key of that account (repeatable)
  --twilio-max-trunks N
                       trunks each Twilio account may have (default 100; 1 = a trial account)
  --twilio-max-concurrency N
                       Twilio requests of one account in flight at once; beyond it 429 / 20429
                       (default: no limit)
  --bolna-api-key KEY  accept this Bolna Bearer key (repeatable; default: ${DEFAULT_BOLNA_API_KEY})
  --bolna-error-format detail|openapi
                       Bolna error bodies: {"detail"} (default, as observed live) or the
                       OpenAPI's {"error", "message"}
  --bolna-retry-after N
                       seconds in the Retry-After header of Bolna's 429s (default 1)
  --bolna-number-visibility-delay MS
                       a number added through the Bolna API is missing from its list (and
                       500 on remove) for MS milliseconds (default 0)
  --help               show this help

Point the DIDWW provider at the printed DIDWW base URL, Twilio and Bolna clients at the printed
base URLs. Admin routes (out-of-band edits, faults, request log) are described in
docs/emulator.md.
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

/** `--twilio-account` / `--twilio-api-key` / `--twilio-max-trunks` as `twilioAccounts`; undefined when none is given. */
function twilioAccountsOption(accounts: string[] | undefined, keys: string[] | undefined, maxTrunks: number | undefined): TwilioAccount[] | undefined {
  if (!accounts && !keys && maxTrunks === undefined) return undefined;
  const list: Array<{ accountSid: string; authToken: string; apiKeys?: Array<{ sid: string; secret: string }>; maxTrunks?: number }> = accounts
    ? accounts.map((text) => {
        const colon = text.indexOf(":");
        if (colon < 0 || colon === text.length - 1) throw new Error(`--twilio-account needs ACCOUNT_SID:AUTH_TOKEN, got ${JSON.stringify(text)}`);
        return { accountSid: text.slice(0, colon), authToken: text.slice(colon + 1) };
      })
    : [{ accountSid: DEFAULT_TWILIO_ACCOUNT.accountSid, authToken: DEFAULT_TWILIO_ACCOUNT.authToken, apiKeys: DEFAULT_TWILIO_ACCOUNT.apiKeys.map((k) => ({ ...k })) }];
  for (const text of keys ?? []) {
    const [account, sid, ...secret] = text.split(":");
    const target = list.find((a) => a.accountSid === account);
    if (!sid || secret.length === 0 || secret.join(":") === "") throw new Error(`--twilio-api-key needs ACCOUNT_SID:KEY_SID:SECRET, got ${JSON.stringify(text)}`);
    if (!target) throw new Error(`--twilio-api-key: ${account} is not a Twilio account of this emulator (add it with --twilio-account)`);
    target.apiKeys = [...(target.apiKeys ?? []), { sid, secret: secret.join(":") }];
  }
  if (maxTrunks !== undefined) for (const a of list) a.maxTrunks = maxTrunks;
  return list;
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
      "twilio-account": { type: "string", multiple: true },
      "twilio-api-key": { type: "string", multiple: true },
      "twilio-max-trunks": { type: "string" },
      "twilio-max-concurrency": { type: "string" },
      "bolna-api-key": { type: "string", multiple: true },
      "bolna-error-format": { type: "string" },
      "bolna-retry-after": { type: "string" },
      "bolna-number-visibility-delay": { type: "string" },
      help: { type: "boolean", short: "h" },
    },
    strict: true,
    allowPositionals: false,
  });
  if (values.help) return { help: true };
  const rateLimit = intOption("rate-limit", values["rate-limit"]);
  const twilioAccounts = twilioAccountsOption(values["twilio-account"], values["twilio-api-key"], intOption("twilio-max-trunks", values["twilio-max-trunks"]));
  const twilioMaxConcurrency = intOption("twilio-max-concurrency", values["twilio-max-concurrency"]);
  const bolnaErrorFormat = values["bolna-error-format"];
  if (bolnaErrorFormat !== undefined && bolnaErrorFormat !== "detail" && bolnaErrorFormat !== "openapi") {
    throw new Error(`--bolna-error-format needs detail or openapi, got ${JSON.stringify(bolnaErrorFormat)}`);
  }
  const bolnaRetryAfter = intOption("bolna-retry-after", values["bolna-retry-after"]);
  const bolnaDelay = intOption("bolna-number-visibility-delay", values["bolna-number-visibility-delay"]);
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
    ...(twilioAccounts ? { twilioAccounts } : {}),
    ...(twilioMaxConcurrency !== undefined ? { twilioMaxConcurrency } : {}),
    ...(values["bolna-api-key"] ? { bolnaApiKeys: values["bolna-api-key"] } : {}),
    ...(bolnaErrorFormat !== undefined ? { bolnaErrorFormat } : {}),
    ...(bolnaRetryAfter !== undefined ? { bolnaRetryAfterSeconds: bolnaRetryAfter } : {}),
    ...(bolnaDelay !== undefined ? { bolnaNumberVisibilityDelayMs: bolnaDelay } : {}),
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
      `  Twilio trunking base URL: ${emu.twilioTrunkingUrl}  (for https://trunking.twilio.com)`,
      `  Twilio API base URL: ${emu.twilioApiUrl}  (for https://api.twilio.com)`,
      `  Twilio accounts (HTTP Basic): ${
        parsed.options.twilioAccounts?.some((a) => a.authToken !== DEFAULT_TWILIO_ACCOUNT.authToken || a.accountSid !== DEFAULT_TWILIO_ACCOUNT.accountSid)
          ? emu.twilioAccounts.map((a) => a.accountSid).join(", ") + " (tokens as given by --twilio-account)"
          : `${DEFAULT_TWILIO_ACCOUNT.accountSid}:${DEFAULT_TWILIO_ACCOUNT.authToken}`
      }`,
      `  Bolna base URL: ${emu.bolnaUrl}  (for https://api.bolna.ai; Authorization: Bearer ${
        parsed.options.bolnaApiKeys ? "one of --bolna-api-key" : DEFAULT_BOLNA_API_KEY
      })`,
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
