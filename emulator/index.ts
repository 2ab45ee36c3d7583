/**
 * `pulumi-sip-trunks/emulator`: a local stand-in for the vendor APIs (DIDWW today; Twilio and
 * Bolna slot in as further vendors of the same server).
 *
 * ```ts
 * import { startEmulator, DEFAULT_DIDS } from "pulumi-sip-trunks/emulator";
 * const emu = await startEmulator({ port: 0 });
 * // point the DIDWW provider at emu.didwwUrl with any Api-Key
 * await emu.close();
 * ```
 */
import { randomBytes, randomInt } from "node:crypto";
import { DataFileError, DurableJsonFile, loadJsonFile } from "./durable";
import { FaultEngine, type FaultConfig, type FaultController, type FaultRule } from "./faults";
import { EmulatorServer, RequestLog, adminJson, type Route, type Vendor } from "./server";
import { STATE_FORMAT, buildSeedState, parseStateFile, type EmulatorSeed, type EmulatorState } from "./state";
import { createDidwwVendor } from "./didww/routes";
import { DidwwStore } from "./didww/store";

export interface EmulatorOptions {
  /** TCP port; 0 (the default) picks a free one. */
  port?: number;
  /** Interface to bind; default `127.0.0.1`. */
  host?: string;
  /**
   * JSON file that makes the state durable: every acknowledged write is on disk (temp file, fsync,
   * rename, directory fsync) before the response is sent. Created from the seed when missing; a
   * corrupt or unreadable file stops start-up and is never overwritten. Absent: in memory only.
   */
  dataFile?: string;
  /** Accepted DIDWW `Api-Key` values. Absent: any non-empty key is accepted. */
  apiKeys?: readonly string[];
  /** Initial fault configuration (also changeable at runtime through `handle.faults`). */
  faults?: FaultConfig | FaultRule[] | FaultRule;
  /** Seed file path or object: DIDs and trunks to start with (ignored when the data file exists). */
  seed?: string | EmulatorSeed;
  /** DIDWW: mask username/password on GET as the documented examples do (default true). */
  maskCredentials?: boolean;
  /**
   * DIDWW: mask them on POST/PATCH/PUT responses too (default false). No recording shows a
   * masked write response; this rehearses a DIDWW that never shows credentials in full.
   */
  maskCredentialsOnWrites?: boolean;
  /** Token for the admin routes (`X-Emulator-Token`); default: random, see `handle.adminToken`. */
  adminToken?: string;
  /** Seed of the fault PRNG, for reproducible probabilistic faults; default random (see `handle.randomSeed`). */
  randomSeed?: number;
  /** DIDWW's largest `page[size]`; default 100 (the pagination docs; the OpenAPI says 1000). */
  maxPageSize?: number;
  /** Entries kept in the request log; default 10 000. */
  requestLogLimit?: number;
  /** Millisecond clock for the rate limiter (tests inject a fake one). Default `Date.now`. */
  clock?: () => number;
  /** Called with unexpected handler errors (default: printed to stderr). */
  onError?: (error: unknown) => void;
}

/** Direct access to the emulated accounts, for out-of-band edits (drift tests). */
export interface EmulatorStore {
  didww: DidwwStore;
  /** Resolves when every change so far is durable (immediately without a data file). */
  flush(): Promise<void>;
  /** Every vendor back to its start-up state (defaults + seed). */
  reset(): void;
}

export interface EmulatorHandle {
  /** `http://127.0.0.1:<port>` */
  url: string;
  /** `${url}/v3`: the DIDWW base URL to give the provider. */
  didwwUrl: string;
  port: number;
  host: string;
  /** Token for `/_emulator/...` (header `X-Emulator-Token`). */
  adminToken: string;
  /** Seed of the fault PRNG (pass it back as `randomSeed` to reproduce a run). */
  randomSeed: number;
  /** Absolute path of the data file, if any. */
  dataFile?: string;
  /** Where the state came from: an existing data file, or the seed/defaults. */
  startedFrom: "dataFile" | "seed";
  store: EmulatorStore;
  faults: FaultController;
  /** Every API request served (admin routes excluded): `{ method, path, status, at, vendor, fault?, handledStatus? }`; `clear()` empties it. */
  requests: RequestLog;
  /** Stops listening, drops open connections, waits for pending writes, releases the data file. */
  close(): Promise<void>;
}

export async function startEmulator(options: EmulatorOptions = {}): Promise<EmulatorHandle> {
  const host = options.host ?? "127.0.0.1";
  const adminToken = options.adminToken ?? randomBytes(16).toString("hex");
  const randomSeed = options.randomSeed ?? randomInt(2 ** 31);
  // Faults first: a bad fault configuration must fail before the data file is locked.
  const faults = new FaultEngine(options.faults, { randomSeed, clock: options.clock ?? Date.now });
  const state = openState(options);
  const requests = new RequestLog();
  if (options.requestLogLimit !== undefined) requests.limit = options.requestLogLimit;
  const vendors: Vendor[] = [
    createDidwwVendor({
      store: state.didww,
      faults,
      apiKeys: options.apiKeys,
      maskCredentials: options.maskCredentials ?? true,
      maskCredentialsOnWrites: options.maskCredentialsOnWrites ?? false,
      maxPageSize: options.maxPageSize ?? 100,
    }),
  ];
  const store = emulatorStore(state, vendors);
  const server = new EmulatorServer({
    vendors,
    faults,
    requests,
    adminToken,
    adminRoutes: coreAdminRoutes(faults, requests, store),
    onError: options.onError ?? ((e) => console.error("[sip-trunks-emulator]", e)),
  });

  let port: number;
  try {
    port = (await server.listen(options.port ?? 0, host)).port;
  } catch (e) {
    state.durable?.unlock();
    throw e;
  }
  const url = `http://${host.includes(":") ? `[${host}]` : host}:${port}`;
  let closed: Promise<void> | undefined;
  return {
    url,
    didwwUrl: `${url}/v3`,
    port,
    host,
    adminToken,
    randomSeed,
    dataFile: state.durable?.file,
    startedFrom: state.startedFrom,
    store,
    faults,
    requests,
    close() {
      closed ??= (async () => {
        await server.close();
        await store.flush();
        state.durable?.unlock();
      })();
      return closed;
    },
  };
}

/** The DIDWW state and, with a data file, the file that keeps it. */
interface OpenState {
  didww: DidwwStore;
  durable?: DurableJsonFile;
  startedFrom: "dataFile" | "seed";
}

/**
 * Builds the store from the data file when it exists, else from the seed; with a data file, locks
 * it and writes the seed state at once, so a start-up that cannot persist fails here, not at the
 * first write. The lock is released on any failure.
 */
function openState(options: EmulatorOptions): OpenState {
  const seedState = buildSeedState(options.seed);
  if (!options.dataFile) {
    const didww = new DidwwStore(seedState);
    return { didww, startedFrom: "seed" };
  }
  let didww: DidwwStore | undefined;
  const durable = new DurableJsonFile(options.dataFile, (): EmulatorState => ({ format: STATE_FORMAT, savedAt: new Date().toISOString(), didww: didww!.snapshot() }));
  durable.lock();
  try {
    const loaded = loadJsonFile(durable.file);
    const startedFrom = loaded.exists ? "dataFile" : "seed";
    const initial = loaded.exists ? parseStateFile(durable.file, loaded.data).didww : seedState;
    didww = new DidwwStore(initial, { persist: () => durable.persist() });
    didww._setInitial(seedState);
    if (startedFrom === "seed") writeSeedNow(durable);
    return { didww, durable, startedFrom };
  } catch (e) {
    durable.unlock();
    throw e;
  }
}

function writeSeedNow(durable: DurableJsonFile): void {
  try {
    durable.writeNowSync();
  } catch (e) {
    throw new DataFileError(durable.file, `cannot write data file ${durable.file} (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
  }
}

function emulatorStore(state: OpenState, vendors: Vendor[]): EmulatorStore {
  return {
    didww: state.didww,
    flush: async () => {
      await state.didww.flush();
      await state.durable?.whenIdle();
    },
    reset: () => vendors.forEach((v) => v.reset()),
  };
}

/** `/_emulator/requests`, `/_emulator/faults` and `/_emulator/reset` (vendors add their own). */
function coreAdminRoutes(faults: FaultEngine, requests: RequestLog, store: EmulatorStore): Route[] {
  const current = () => ({ faults: faults.get() });
  return [
    { method: "GET", path: "/_emulator/requests", handler: () => ({ status: 200, body: { requests: requests.list() } }) },
    { method: "DELETE", path: "/_emulator/requests", handler: () => (requests.clear(), { status: 204 }) },
    { method: "GET", path: "/_emulator/faults", handler: () => ({ status: 200, body: { ...current(), stats: faults.stats } }) },
    { method: "PUT", path: "/_emulator/faults", handler: (req) => (faults.set(adminJson(req) as FaultConfig), { status: 200, body: current() }) },
    { method: "PATCH", path: "/_emulator/faults", handler: (req) => (faults.update(adminJson(req) as FaultConfig), { status: 200, body: current() }) },
    { method: "POST", path: "/_emulator/faults/rules", handler: (req) => (faults.add(adminJson(req) as FaultRule), { status: 201, body: current() }) },
    { method: "DELETE", path: "/_emulator/faults", handler: () => (faults.clear(), { status: 204 }) },
    {
      method: "POST",
      path: "/_emulator/reset",
      handler: async () => {
        store.reset();
        await store.flush();
        return { status: 204 };
      },
    },
  ];
}

export { DEFAULT_DIDS, DEFAULT_DID_IDS } from "./didww/model";
export { CREATE_DEFAULTS } from "./didww/fields";
export type { DidwwTrunk, DidwwDid, AuthenticationMethod } from "./didww/model";
export { DidwwStore, DidwwStoreError } from "./didww/store";
export type { DidwwTrunkInput, DidwwTrunkPatch, DidwwDidInput, DidwwState } from "./didww/store";
export { DataFileError } from "./durable";
export type { FaultConfig, FaultController, FaultRule, FaultStep, FaultSequence, FaultMatch, FaultAction, FaultStats } from "./faults";
export type { RequestLog, RequestLogEntry } from "./server";
export type { EmulatorSeed, DidwwSeed, EmulatorState } from "./state";
export * as didwwMessages from "./didww/messages";
