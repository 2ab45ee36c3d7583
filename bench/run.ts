/**
 * `npm run bench`: how fast the pure parts are, how a large `up` behaves against the API's
 * rate limit, and how big the per-resource state overhead is. Prints measurements; asserts nothing.
 */
import { performance } from "node:perf_hooks";
import { startEmulator, DEFAULT_BOLNA_API_KEY, DEFAULT_DIDS, DEFAULT_TWILIO_ACCOUNT, DEFAULT_TWILIO_NUMBER_SIDS, type EmulatorHandle } from "../emulator";
import { sipTrunkRuntime } from "../provider/bolna/sip-trunk-crud";
import { setStackConfig } from "../provider/common/config";
import type { Runtime } from "../provider/common/runtime";
import { credentialListRuntime } from "../provider/twilio/credential-list-crud";
import { ipAccessControlListRuntime } from "../provider/twilio/ip-access-control-list-crud";
import { originationUrlRuntime } from "../provider/twilio/origination-url-crud";
import { trunkRuntime } from "../provider/twilio/trunk-crud";
import { outboundTrunkRuntime } from "../provider/didww/crud";
import { buildCreatePayload, diffTrunk, outputsFromApi } from "../provider/didww/mapping";
import { validateTrunkInputs } from "../provider/didww/schema";
import { shimSource } from "../provider/shim";
import type { OutboundTrunkInputs } from "../provider/didww/types";
import { spawn } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { cliBench } from "./cli";
import { emulatorCapacity, printTable as printCapacity } from "./emulator-capacity";

const QUICK = process.argv.includes("--quick");
/** Everything measured, written to bench/results/ as JSON at the end. */
const RESULTS: Record<string, unknown> & { callsPerOperation: Array<{ label: string; calls: number; floor: number }> } = { callsPerOperation: [] };
const ROOT = path.resolve(__dirname, "..", "..");

/** Milliseconds from spawning `command` to the first line of its stdout (the port a provider prints). */
function timeToPort(command: string, args: string[]): Promise<number> {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const env = { ...process.env, PATH: `${path.dirname(process.execPath)}${path.delimiter}${process.env.PATH ?? ""}` };
    const child = spawn(command, args, { cwd: ROOT, env, stdio: ["ignore", "pipe", "inherit"] });
    child.stdout.once("data", () => {
      const ms = performance.now() - t0;
      child.kill();
      resolve(ms);
    });
    child.once("error", reject);
  });
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/** Start-up of the provider plugin against the dynamic provider host, alternated in one run. */
async function providerStartup(): Promise<void> {
  console.log("\n## Provider start-up (spawn to port printed; median of alternated runs)");
  const runs = QUICK ? 3 : 11;
  const plugin: number[] = [];
  const dynamic: number[] = [];
  const dynamicHost = require.resolve("@pulumi/pulumi/cmd/dynamic-provider");
  for (let i = 0; i < runs; i++) {
    plugin.push(await timeToPort(path.join(ROOT, "plugin", "pulumi-resource-siptrunks"), []));
    dynamic.push(await timeToPort(process.execPath, [dynamicHost, "unused"]));
  }
  const p = median(plugin);
  const d = median(dynamic);
  console.log(`plugin pulumi-resource-siptrunks: ${p.toFixed(0)} ms; dynamic provider host: ${d.toFixed(0)} ms; ratio ${(p / d).toFixed(2)} (target: well under 1 s)`);
  RESULTS.providerStartupMs = { plugin: Math.round(p), dynamicHost: Math.round(d), runs };
}

function trunk(i: number): OutboundTrunkInputs {
  return {
    name: `bench-${i}`,
    onCliMismatchAction: "reject_call",
    authenticationMethod: { type: "credentials_and_ip", allowedSipIps: [`10.1.${i % 250}.${(i * 7) % 250}`, "2001:db8::1"], techPrefix: "9" },
    capacityLimit: i % 100,
    thresholdAmount: "250.00",
    dstPrefixes: ["44", "1", "49"],
    didIds: [DEFAULT_DIDS[3].id, DEFAULT_DIDS[4].id],
    emergencyDidIds: [DEFAULT_DIDS[0].id],
  };
}

function timeIt(label: string, n: number, fn: (i: number) => void): void {
  for (let i = 0; i < Math.min(n, 200); i++) fn(i); // warm-up
  const t0 = performance.now();
  for (let i = 0; i < n; i++) fn(i);
  const ms = performance.now() - t0;
  console.log(`${label.padEnd(44)} ${n.toString().padStart(7)} ops  ${(ms / n * 1000).toFixed(1).padStart(8)} µs/op  ${Math.round(n / (ms / 1000)).toString().padStart(9)} ops/s`);
}

async function pool<T>(items: T[], concurrency: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(Array.from({ length: concurrency }, async () => {
    while (next < items.length) await fn(items[next++]);
  }));
}

function maxPerWindow(times: number[], windowMs: number): number {
  const t = [...times].sort((a, b) => a - b);
  let best = 0;
  let lo = 0;
  for (let hi = 0; hi < t.length; hi++) {
    while (t[hi] - t[lo] >= windowMs) lo++;
    best = Math.max(best, hi - lo + 1);
  }
  return best;
}

async function main(): Promise<void> {
  console.log("## Pure functions (per trunk)");
  const inputs = Array.from({ length: 1000 }, (_, i) => trunk(i));
  timeIt("check (ajv schema + rule mapping)", 20000, (i) => validateTrunkInputs(inputs[i % 1000]));
  const resource = { id: "x", type: "voice_out_trunks", attributes: { ...(buildCreatePayload(inputs[0]).data.attributes as object), created_at: "2026-01-01T00:00:00.000Z" } };
  const outs = outputsFromApi(resource as never, {}, {});
  timeIt("diff against last outputs", 20000, (i) => diffTrunk(outs as never, inputs[i % 1000] as never));
  timeIt("create payload", 20000, (i) => buildCreatePayload(inputs[i % 1000]));
  timeIt("outputs from a JSON:API document", 20000, () => outputsFromApi(resource as never, outs as never, {}));

  console.log("\n## State overhead per resource");
  console.log(`__provider: ${Buffer.byteLength(shimSource("didww:OutboundTrunk"))} bytes (stored in inputs and outputs; target under 1024)`);

  await callsPerOperation();
  await twilioCallsPerOperation();
  await bolnaCallsPerOperation();
  await providerStartup();
  console.log(`\n## Emulator capacity (16 keep-alive clients on loopback${QUICK ? ", --quick" : ""})`);
  const capacity = await emulatorCapacity({ quick: QUICK });
  printCapacity(capacity);
  RESULTS.emulatorCapacity = capacity;

  const N = Number(process.env.BENCH_TRUNKS ?? (QUICK ? 20 : 120));
  const CONCURRENCY = 32;
  console.log(`\n## A large up against the emulator: ${N} trunks, ${CONCURRENCY} operations in flight (the engine's default parallelism is higher)`);
  const emu = await startEmulator({ port: 0, apiKeys: ["bench-key"], faults: { rateLimit: { perSecond: 20 } } });
  process.env.DIDWW_API_KEY = "bench-key";
  process.env.DIDWW_API_URL = emu.didwwUrl;
  try {
    const ids: string[] = [];
    let t0 = performance.now();
    await pool(inputs.slice(0, N), CONCURRENCY, async (t) => { ids.push((await outboundTrunkRuntime.create(t as never)).id); });
    let ms = performance.now() - t0;
    const createMs = ms;
    const log = emu.requests.list();
    const createRequests = log.length;
    const rejected = log.filter((r) => r.status === 429).length;
    console.log(`create: ${ms.toFixed(0)} ms, ${log.length} requests (${(log.length / N).toFixed(1)} per trunk), ${rejected} answered 429, busiest second: ${maxPerWindow(log.map((r) => Date.parse(String(r.at))), 1000)} requests`);
    emu.requests.clear();
    t0 = performance.now();
    await pool(ids, CONCURRENCY, async (id) => { await outboundTrunkRuntime.read(id, {}); });
    ms = performance.now() - t0;
    const refreshMs = ms;
    console.log(`refresh (read all): ${ms.toFixed(0)} ms, ${emu.requests.list().length} requests, ${emu.requests.list().filter((r) => r.status === 429).length} answered 429`);
    emu.requests.clear();
    t0 = performance.now();
    await pool(ids, CONCURRENCY, async (id) => { await outboundTrunkRuntime.delete(id); });
    ms = performance.now() - t0;
    console.log(`destroy: ${ms.toFixed(0)} ms, ${emu.requests.list().length} requests; trunks left: ${emu.store.didww.listTrunks().length}`);
    RESULTS.largeUpInProcess = { trunks: N, concurrency: CONCURRENCY, createMs: Math.round(createMs), createRequests: createRequests, createAnswered429: rejected, refreshMs: Math.round(refreshMs), destroyMs: Math.round(ms) };
  } finally {
    await emu.close();
  }
}

/**
 * API calls each operation makes, counted at the emulator, next to the floor (one call per
 * create, update, refresh, delete and adoption; none for a no-op preview, whose diff is local).
 */
async function callsPerOperation(): Promise<void> {
  console.log("\n## API calls per operation (counted at the emulator)");
  const emu = await startEmulator({ port: 0, apiKeys: ["calls-key"] });
  process.env.DIDWW_API_KEY = "calls-key";
  process.env.DIDWW_API_URL = emu.didwwUrl;
  const rows: [string, number, number][] = [];
  const count = async (label: string, floor: number, fn: () => Promise<unknown>) => {
    emu.requests.clear();
    await fn();
    rows.push([label, emu.requests.list().length, floor]);
  };
  try {
    const t = trunk(1);
    let created: { id: string; outs: Record<string, unknown> } = { id: "", outs: {} };
    await count("create", 1, async () => { created = (await outboundTrunkRuntime.create(t as never)) as never; });
    await count("no-op preview (check + diff)", 0, async () => {
      const checked = await outboundTrunkRuntime.check(t as never, t as never);
      await outboundTrunkRuntime.diff(created.id, created.outs as never, checked.inputs);
    });
    await count("update (capacityLimit)", 1, async () => { created.outs = (await outboundTrunkRuntime.update(created.id, created.outs as never, { ...t, capacityLimit: 77 } as never)).outs as never; });
    await count("refresh", 1, () => outboundTrunkRuntime.read(created.id, created.outs as never));
    await count("adoption (create with import)", 1, () => outboundTrunkRuntime.create({ ...t, capacityLimit: 77, importId: created.id } as never));
    await count("delete", 1, () => outboundTrunkRuntime.delete(created.id));
  } finally {
    await emu.close();
  }
  for (const [label, calls, floor] of rows) RESULTS.callsPerOperation.push({ label: `didww.OutboundTrunk: ${label}`, calls, floor });
  for (const [label, calls, floor] of rows) console.log(`${label.padEnd(44)} ${String(calls).padStart(3)} calls   floor ${floor}${calls > floor ? "   ABOVE THE FLOOR" : ""}`);
}

type Row = { label: string; calls: number; floor: number; note?: string };

function printRows(rows: Row[]): void {
  for (const r of rows) {
    RESULTS.callsPerOperation.push({ label: r.label, calls: r.calls, floor: r.floor });
    const mark = r.calls > r.floor ? "   ABOVE THE FLOOR" : "";
    console.log(`${r.label.padEnd(58)} ${String(r.calls).padStart(3)} calls   floor ${r.floor}${mark}${r.note ? `   (${r.note})` : ""}`);
  }
}

/**
 * The same count for every Twilio resource. The floor is one call per thing that must change or
 * be read: a trunk's recording and each association are sub-resources of their own, and a list's
 * entries are children of their own, so those cost one call each.
 */
async function twilioCallsPerOperation(): Promise<void> {
  console.log("\n## Twilio: API calls per operation (counted at the emulator)");
  const emu: EmulatorHandle = await startEmulator({ port: 0 });
  const a = DEFAULT_TWILIO_ACCOUNT;
  setStackConfig((k) => ({ "twilio:accountSid": a.accountSid, "twilio:authToken": a.authToken, "twilio:trunkingUrl": emu.twilioTrunkingUrl, "twilio:apiUrl": emu.twilioApiUrl })[k]);
  const rows: Row[] = [];
  // The runtimes take their own input types; the bench hands them plain objects as the engine does.
  const run = (rt: unknown) => rt as Runtime<Record<string, unknown>, Record<string, unknown>>;
  const count = async <T>(label: string, floor: number, fn: () => Promise<T>, note?: string): Promise<T> => {
    emu.requests.clear();
    const result = await fn();
    rows.push({ label, calls: emu.requests.list().length, floor, note });
    return result;
  };
  /** create, no-op preview, update, refresh, adoption, delete of one resource. */
  async function lifecycle(name: string, rt: Runtime<Record<string, unknown>, Record<string, unknown>>, args: Record<string, unknown>, change: Record<string, unknown>, floors: { create: number; update: number; refresh: number; adoption: number }, notes: Partial<Record<keyof typeof floors, string>> = {}): Promise<void> {
    const inputs = (await rt.check({}, args)).inputs;
    const created = await count(`${name}: create`, floors.create, () => rt.create(inputs), notes.create);
    await count(`${name}: no-op preview (check + diff)`, 0, async () => rt.diff(created.id, created.outs, (await rt.check(inputs, args)).inputs));
    const next = (await rt.check(inputs, { ...args, ...change })).inputs;
    const updated = await count(`${name}: update (${Object.keys(change).join(", ")})`, floors.update, () => rt.update(created.id, created.outs, next), notes.update);
    await count(`${name}: refresh`, floors.refresh, () => rt.read(created.id, updated.outs), notes.refresh);
    await count(`${name}: adoption (create with import)`, floors.adoption, () => rt.create({ ...next, importId: created.id }), notes.adoption);
    await count(`${name}: delete`, 1, () => rt.delete(created.id, updated.outs));
  }
  try {
    await lifecycle("twilio.Trunk", run(trunkRuntime), { friendlyName: "bench", domainName: "bench-plain.pstn.twilio.com" }, { friendlyName: "bench 2" }, { create: 1, update: 1, refresh: 1, adoption: 1 });
    const cl = emu.store.twilio.put("credential_lists", { friendly_name: "bench cl" } as never).sid;
    await lifecycle(
      "twilio.Trunk with recording, a list and a number",
      run(trunkRuntime),
      { domainName: "bench-full.pstn.twilio.com", recording: { mode: "record-from-answer" }, credentialListSids: [cl], phoneNumberSids: [DEFAULT_TWILIO_NUMBER_SIDS[0]] },
      { phoneNumberSids: [DEFAULT_TWILIO_NUMBER_SIDS[1]] },
      { create: 4, update: 2, refresh: 3, adoption: 3 },
      { create: "+1 GET reads back auth_type and date_updated", update: "remove + add, +1 GET read-back", refresh: "the trunk and one list per managed association", adoption: "the trunk and its managed lists" },
    );
    const trunk = await trunkRuntime.create((await trunkRuntime.check({}, { domainName: "bench-ou.pstn.twilio.com" })).inputs);
    await lifecycle("twilio.OriginationUrl", run(originationUrlRuntime), { trunkSid: trunk.id, friendlyName: "pbx", sipUrl: "sip:pbx.example.com" }, { priority: 5 }, { create: 1, update: 1, refresh: 1, adoption: 1 });
    await lifecycle(
      "twilio.SipCredentialList (2 credentials)",
      run(credentialListRuntime),
      { friendlyName: "bench creds", credentials: [{ username: "alice", password: "BenchPassw0rdA" }, { username: "bob", password: "BenchPassw0rdB" }] },
      { credentials: [{ username: "alice", password: "BenchPassw0rdA" }, { username: "bob", password: "BenchPassw0rdC" }] },
      { create: 3, update: 1, refresh: 2, adoption: 4 },
      { create: "the list, then one per credential", refresh: "the list and its credentials", adoption: "2 reads, then each password is set: it cannot be read" },
    );
    await lifecycle(
      "twilio.SipIpAccessControlList (2 addresses)",
      run(ipAccessControlListRuntime),
      { friendlyName: "bench acl", ipAddresses: [{ ipAddress: "203.0.113.10" }, { ipAddress: "198.51.100.0", cidrPrefixLength: 24 }] },
      { ipAddresses: [{ ipAddress: "203.0.113.10" }, { ipAddress: "198.51.100.0", cidrPrefixLength: 24 }, { ipAddress: "192.0.2.1" }] },
      { create: 3, update: 1, refresh: 2, adoption: 2 },
      { create: "the list, then one per address", refresh: "the list and its addresses" },
    );
  } finally {
    setStackConfig(undefined);
    await emu.close();
  }
  printRows(rows);
}

/** The same count for `bolna.SipTrunk`. */
async function bolnaCallsPerOperation(): Promise<void> {
  console.log("\n## Bolna: API calls per operation (counted at the emulator)");
  const emu: EmulatorHandle = await startEmulator({ port: 0 });
  setStackConfig((k) => ({ "bolna:apiKey": DEFAULT_BOLNA_API_KEY, "bolna:apiUrl": emu.bolnaUrl })[k]);
  const rows: Row[] = [];
  const rt = sipTrunkRuntime as unknown as Runtime<Record<string, unknown>, Record<string, unknown>>;
  const count = async <T>(label: string, floor: number, fn: () => Promise<T>, note?: string): Promise<T> => {
    emu.requests.clear();
    const result = await fn();
    rows.push({ label, calls: emu.requests.list().length, floor, note });
    return result;
  };
  try {
    const args = {
      name: "bench", provider: "custom", authType: "userpass", authUsername: "bench", authPassword: "bench-password-1",
      gateways: [{ gatewayAddress: "sip.example.com" }], phoneNumbers: [{ phoneNumber: "+14155550100" }],
    };
    const inputs = (await rt.check({}, args)).inputs;
    const created = await count("bolna.SipTrunk: create (numbers inline)", 1, () => rt.create(inputs));
    await count("bolna.SipTrunk: no-op preview (check + diff)", 0, async () => rt.diff(created.id, created.outs, (await rt.check(inputs, args)).inputs));
    const next = (await rt.check(inputs, { ...args, qualifyFrequency: 30, gateways: [{ gatewayAddress: "sip2.example.com" }] })).inputs;
    const updated = await count("bolna.SipTrunk: update (qualifyFrequency, gateways)", 1, () => rt.update(created.id, created.outs, next));
    const pw = (await rt.check(next, { ...args, qualifyFrequency: 30, gateways: [{ gatewayAddress: "sip2.example.com" }], authPassword: "bench-password-2" })).inputs;
    const rotated = await count("bolna.SipTrunk: password change", 1, () => rt.update(created.id, updated.outs, pw));
    const withNumber = (await rt.check(pw, { ...args, qualifyFrequency: 30, gateways: [{ gatewayAddress: "sip2.example.com" }], authPassword: "bench-password-2", phoneNumbers: [{ phoneNumber: "+14155550100" }, { phoneNumber: "+14155550101" }] })).inputs;
    const added = await count("bolna.SipTrunk: a number added", 1, () => rt.update(created.id, rotated.outs, withNumber));
    await count("bolna.SipTrunk: refresh", 1, () => rt.read(created.id, added.outs));
    await count("bolna.SipTrunk: adoption (create with import)", 2, () => rt.create({ ...withNumber, importId: created.id }), "a GET, then the password is set: it cannot be read");
    await count("bolna.SipTrunk: delete (numbers go with it)", 1, () => rt.delete(created.id, added.outs));
  } finally {
    setStackConfig(undefined);
    await emu.close();
  }
  printRows(rows);
}

/** bench/results/bench-<time>.json (the folder is ignored by git). */
function writeResults(): void {
  const dir = path.join(ROOT, "bench", "results");
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `bench-${new Date().toISOString().replace(/[:.]/g, "-")}${QUICK ? "-quick" : ""}.json`);
  fs.writeFileSync(file, `${JSON.stringify({ date: new Date().toISOString(), quick: QUICK, cpus: os.cpus().length, node: process.version, ...RESULTS }, null, 2)}\n`);
  console.log(`\nresults: ${path.relative(ROOT, file)}`);
}

/** The real-CLI part (bench/cli.ts): through `pulumi`, against a minimal provider, the API floor and DIDWW's Python SDK. */
async function cli(): Promise<void> {
  RESULTS.cli = await cliBench({ quick: QUICK, ...(QUICK ? { n: 20 } : {}) });
}

main().then(cli).then(writeResults).catch((e) => {
  console.error(e);
  process.exit(1);
});
