/**
 * Emulator capacity: requests per second of each vendor's main create and list routes, alone and
 * mixed (3 creates : 1 list), in memory and with a data file, starting from 0 and from 10 000
 * existing trunks per vendor (2 000 with `--quick`, which measures the mix alone, at most 1 s a
 * cell). 16 keep-alive clients on loopback, Node's
 * `http` only. Rate limits, Twilio's concurrency limit and its trunk quota are off, so what is
 * measured is throughput, not 429s.
 *
 * Afterwards every acknowledged create is looked up in the store and, with a data file, again in
 * an emulator restarted on that file: a lost write throws.
 *
 *   TS_NODE_TRANSPILE_ONLY=1 node -r ts-node/register bench/emulator-capacity.ts [--quick]
 */
import * as fs from "node:fs";
import * as http from "node:http";
import * as os from "node:os";
import * as path from "node:path";
import { performance } from "node:perf_hooks";
import { startEmulator, DEFAULT_BOLNA_API_KEY, DEFAULT_TWILIO_ACCOUNT, type EmulatorHandle, type EmulatorOptions } from "../emulator";

export interface CapacityRow {
  vendor: string;
  route: string;
  durable: boolean;
  requestsPerSecond: number;
  trunksAtStart: number;
}

type Vendor = "didww" | "twilio" | "bolna";
const VENDORS: Vendor[] = ["didww", "twilio", "bolna"];
const CLIENTS = 16;

interface Call {
  method: "GET" | "POST";
  path: string;
  headers: Record<string, string>;
  body?: string;
}

let seq = 0;
const unique = () => `${process.pid}-${++seq}`;

const TWILIO_BASIC = `Basic ${Buffer.from(`${DEFAULT_TWILIO_ACCOUNT.accountSid}:${DEFAULT_TWILIO_ACCOUNT.authToken}`).toString("base64")}`;
const JSONAPI = { "Api-Key": "bench", Accept: "application/vnd.api+json", "Content-Type": "application/vnd.api+json" };

/** The create call of a vendor (a fresh unique name every time). */
function createCall(vendor: Vendor): Call {
  const name = `cap-${unique()}`;
  switch (vendor) {
    case "didww":
      return {
        method: "POST",
        path: "/v3/voice_out_trunks",
        headers: JSONAPI,
        body: JSON.stringify({
          data: {
            type: "voice_out_trunks",
            attributes: {
              name,
              on_cli_mismatch_action: "send_original_cli",
              authentication_method: { type: "credentials_and_ip", attributes: { allowed_sip_ips: ["192.0.2.10"] } },
              dst_prefixes: ["44", "1"],
            },
          },
        }),
      };
    case "twilio":
      return {
        method: "POST",
        path: "/twilio-trunking/v1/Trunks",
        headers: { Authorization: TWILIO_BASIC, "Content-Type": "application/x-www-form-urlencoded" },
        body: new URLSearchParams({ FriendlyName: name, DomainName: `${name}.pstn.twilio.com` }).toString(),
      };
    case "bolna":
      return {
        method: "POST",
        path: "/bolna/sip-trunks/trunks",
        headers: { Authorization: `Bearer ${DEFAULT_BOLNA_API_KEY}`, "Content-Type": "application/json" },
        body: JSON.stringify({
          name,
          provider: "zadarma",
          auth_type: "userpass",
          auth_username: "sip-user",
          auth_password: "sip-secret-1",
          gateways: [{ gateway_address: "sip.zadarma.com", port: 5060, priority: 1 }],
        }),
      };
  }
}

/** The list call of a vendor (its first page, default size). */
function listCall(vendor: Vendor): Call {
  switch (vendor) {
    case "didww":
      return { method: "GET", path: "/v3/voice_out_trunks", headers: { "Api-Key": "bench", Accept: "application/vnd.api+json" } };
    case "twilio":
      return { method: "GET", path: "/twilio-trunking/v1/Trunks", headers: { Authorization: TWILIO_BASIC } };
    case "bolna":
      return { method: "GET", path: "/bolna/sip-trunks/trunks", headers: { Authorization: `Bearer ${DEFAULT_BOLNA_API_KEY}` } };
  }
}

/** The id a create answer names. */
function createdId(vendor: Vendor, body: string): string {
  const parsed = JSON.parse(body);
  return vendor === "didww" ? parsed.data.id : vendor === "twilio" ? parsed.sid : parsed.id;
}

function request(agent: http.Agent, port: number, call: Call): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: "127.0.0.1", port, method: call.method, path: call.path, headers: call.headers, agent }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString("utf8") }));
      res.on("error", reject);
    });
    req.on("error", reject);
    req.end(call.body);
  });
}

type Mix = "create" | "list" | "mixed";

/**
 * 16 clients for at most `requests` requests or `maxMs`, whichever comes first; every created id
 * acknowledged (201) goes into `acked`. Anything but 200/201 throws.
 */
async function measure(emu: EmulatorHandle, vendor: Vendor, mix: Mix, requests: number, maxMs: number, acked: string[]): Promise<number> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: CLIENTS });
  let issued = 0;
  let done = 0;
  const t0 = performance.now();
  const deadline = t0 + maxMs;
  try {
    await Promise.all(
      Array.from({ length: CLIENTS }, async () => {
        while (issued < requests && performance.now() < deadline) {
          const n = issued++;
          const write = mix === "create" || (mix === "mixed" && n % 4 !== 3);
          const res = await request(agent, emu.port, write ? createCall(vendor) : listCall(vendor));
          if (res.status !== (write ? 201 : 200)) throw new Error(`${vendor} ${write ? "create" : "list"}: ${res.status} ${res.body.slice(0, 300)}`);
          if (write) acked.push(createdId(vendor, res.body));
          done++;
        }
      }),
    );
  } finally {
    agent.destroy();
  }
  return done / ((performance.now() - t0) / 1000);
}

/** Adds `n` trunks per vendor out of band and waits until they are durable. */
async function populate(emu: EmulatorHandle, n: number): Promise<void> {
  for (let i = 0; i < n; i++) {
    emu.store.didww.putTrunk({
      name: `pre-${i}`,
      on_cli_mismatch_action: "send_original_cli",
      authentication_method: { type: "credentials_and_ip", attributes: { allowed_sip_ips: ["192.0.2.10"] } },
      dst_prefixes: ["44", "1"],
    });
    emu.store.twilio.put("trunks", { friendly_name: `pre-${i}`, domain_name: `pre-${i}-${process.pid}.pstn.twilio.com` });
    emu.store.bolna.putTrunk({
      name: `pre-${i}`,
      provider: "zadarma",
      auth_type: "userpass",
      auth_username: "sip-user",
      auth_password: "sip-secret-1",
      gateways: [{ gateway_address: "sip.zadarma.com", port: 5060, priority: 1 }],
    });
  }
  await emu.store.flush();
}

function has(emu: EmulatorHandle, vendor: Vendor, id: string): boolean {
  if (vendor === "didww") return emu.store.didww.getTrunk(id) !== undefined;
  if (vendor === "twilio") return emu.store.twilio.getTrunk(id) !== undefined;
  return emu.store.bolna.getTrunk(id) !== undefined;
}

function checkNoneLost(emu: EmulatorHandle, acked: Record<Vendor, string[]>, where: string): void {
  for (const vendor of VENDORS) {
    const lost = acked[vendor].filter((id) => !has(emu, vendor, id));
    if (lost.length > 0) throw new Error(`${where}: ${lost.length} acknowledged ${vendor} create(s) lost, e.g. ${lost.slice(0, 3).join(", ")}`);
  }
}

const ROUTES: Record<Vendor, { create: string; list: string }> = {
  didww: { create: "POST /v3/voice_out_trunks", list: "GET /v3/voice_out_trunks" },
  twilio: { create: "POST /v1/Trunks", list: "GET /v1/Trunks" },
  bolna: { create: "POST /sip-trunks/trunks", list: "GET /sip-trunks/trunks" },
};

export async function emulatorCapacity(opts: { quick: boolean }): Promise<CapacityRow[]> {
  const big = opts.quick ? 2_000 : 10_000;
  const requests = opts.quick ? 1_000 : 5_000;
  const maxMs = opts.quick ? 1_000 : 5_000;
  const rows: CapacityRow[] = [];
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "sip-emu-capacity-"));
  const base: EmulatorOptions = {
    port: 0,
    // Throughput, not quotas: no trunk limit on the Twilio account, no concurrency limit, no rate limit.
    twilioAccounts: [{ ...DEFAULT_TWILIO_ACCOUNT, maxTrunks: Number.MAX_SAFE_INTEGER }],
    twilioMaxConcurrency: undefined,
    faults: { rateLimit: null },
    requestLogLimit: 1_000,
    onError: (e) => console.error("[emulator-capacity]", e),
  };
  try {
    for (const durable of [false, true]) {
      for (const trunksAtStart of [0, big]) {
        const dataFile = durable ? path.join(dir, `state-${trunksAtStart}.json`) : undefined;
        let emu = await startEmulator({ ...base, dataFile });
        const acked: Record<Vendor, string[]> = { didww: [], twilio: [], bolna: [] };
        try {
          await populate(emu, trunksAtStart);
          for (const vendor of VENDORS) {
            for (const mix of (opts.quick ? ["mixed"] : ["create", "list", "mixed"]) as Mix[]) {
              const rps = await measure(emu, vendor, mix, requests, maxMs, acked[vendor]);
              const route = mix === "create" ? ROUTES[vendor].create : mix === "list" ? ROUTES[vendor].list : "mixed 3 POST : 1 GET";
              rows.push({ vendor, route, durable, requestsPerSecond: Math.round(rps), trunksAtStart });
            }
          }
          checkNoneLost(emu, acked, "in the running emulator");
        } finally {
          await emu.close();
        }
        if (dataFile) {
          emu = await startEmulator({ ...base, dataFile });
          try {
            checkNoneLost(emu, acked, "after a restart on the data file");
          } finally {
            await emu.close();
          }
        }
      }
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
  return rows;
}

export function printTable(rows: CapacityRow[]): void {
  console.log(`${"vendor".padEnd(8)} ${"route".padEnd(28)} ${"durable".padEnd(8)} ${"trunks".padStart(7)} ${"req/s".padStart(8)}`);
  for (const r of rows) {
    console.log(`${r.vendor.padEnd(8)} ${r.route.padEnd(28)} ${String(r.durable).padEnd(8)} ${String(r.trunksAtStart).padStart(7)} ${String(r.requestsPerSecond).padStart(8)}`);
  }
}

if (require.main === module) {
  emulatorCapacity({ quick: process.argv.includes("--quick") }).then(printTable, (e) => {
    console.error(e);
    process.exitCode = 1;
  });
}
