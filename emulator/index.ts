/**
 * `pulumi-sip-trunks/emulator`: a local stand-in for the vendor APIs (DIDWW, Twilio and Bolna's
 * legacy `/sip-trunks`), served by one server.
 *
 * ```ts
 * import { startEmulator, DEFAULT_DIDS, DEFAULT_TWILIO_ACCOUNT, DEFAULT_BOLNA_API_KEY } from "pulumi-sip-trunks/emulator";
 * const emu = await startEmulator({ port: 0 });
 * // point the DIDWW provider at emu.didwwUrl with any Api-Key;
 * // Twilio clients at emu.twilioTrunkingUrl / emu.twilioApiUrl with DEFAULT_TWILIO_ACCOUNT's SID and token;
 * // Bolna clients at emu.bolnaUrl with `Authorization: Bearer ${DEFAULT_BOLNA_API_KEY}`
 * await emu.close();
 * ```
 */
import { randomBytes, randomInt } from "node:crypto";
import { DataFileError, DurableJsonFile } from "./durable";
import { FaultEngine, type FaultConfig, type FaultController, type FaultRule } from "./faults";
import { EmulatorServer, RequestLog, adminJson, type Route, type Vendor } from "./server";
import {
  STATE_FORMAT,
  applyJournal,
  buildBolnaSeedState,
  buildSeedState,
  buildTwilioSeedState,
  drainStoreChanges,
  parseStateFile,
  trackStoreChanges,
  type EmulatorSeed,
  type EmulatorState,
} from "./state";
import { createDidwwVendor } from "./didww/routes";
import { DidwwStore } from "./didww/store";
import { API_PREFIX, TRUNKING_PREFIX } from "./twilio/handlers";
import { DEFAULT_TWILIO_ACCOUNT, type TwilioAccount } from "./twilio/model";
import { createTwilioVendor } from "./twilio/routes";
import { isSid } from "./twilio/sids";
import { TwilioStore } from "./twilio/store";
import { BOLNA_PREFIX } from "./bolna/handlers";
import type { BolnaErrorFormat } from "./bolna/messages";
import { DEFAULT_BOLNA_API_KEY } from "./bolna/model";
import { createBolnaVendor } from "./bolna/routes";
import { BolnaStore } from "./bolna/store";

export interface EmulatorOptions {
  /** TCP port; 0 (the default) picks a free one. */
  port?: number;
  /** Interface to bind; default `127.0.0.1`. */
  host?: string;
  /**
   * JSON file that makes the state durable: every acknowledged write is on disk and fsync'ed
   * before the response is sent, as a record in `<dataFile>.journal` (one fsync per batch of
   * concurrent writes), compacted into the file now and then (temp file, fsync, rename, directory
   * fsync) and at close. Created from the seed when missing; a corrupt or unreadable file or
   * journal stops start-up and is never overwritten. Absent: in memory only.
   */
  dataFile?: string;
  /** Accepted DIDWW `Api-Key` values. Absent: any non-empty key is accepted. */
  apiKeys?: readonly string[];
  /** Initial fault configuration (also changeable at runtime through `handle.faults`). */
  faults?: FaultConfig | FaultRule[] | FaultRule;
  /** Seed file path or object: DIDs, trunks, Twilio numbers and Bolna trunks to start with (ignored when the data file exists). */
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
  /**
   * Twilio accounts that exist, each reachable with HTTP Basic `accountSid:authToken` or
   * `apiKeySid:secret`. Default: one account, {@link DEFAULT_TWILIO_ACCOUNT}. The first account
   * owns the default phone numbers and the seed's numbers that name no account.
   */
  twilioAccounts?: readonly TwilioAccount[];
  /**
   * Twilio: requests of one account in flight at once; one more is answered 429 / 20429 (Twilio
   * limits concurrency, not rate). Default: no limit.
   */
  twilioMaxConcurrency?: number;
  /**
   * Accepted Bolna API keys (`Authorization: Bearer <key>`). Default: {@link DEFAULT_BOLNA_API_KEY}
   * only. A missing header or another key is answered 403 `{"detail": ...}`, as the live API does.
   */
  bolnaApiKeys?: readonly string[];
  /**
   * Bolna's JSON error bodies: `"detail"` (default; `{"detail": "..."}`, FastAPI's, the shape
   * observed live) or `"openapi"` (`{"error": <status>, "message": "..."}`, the OpenAPI's `Error`
   * schema), to rehearse a client against both. Auth failures are `{detail}` either way.
   */
  bolnaErrorFormat?: BolnaErrorFormat;
  /** Bolna: seconds in the `Retry-After` header of every 429 (rate limit or injected). Default 1. */
  bolnaRetryAfterSeconds?: number;
  /**
   * Bolna: how long a number added through the API stays out of `GET …/numbers` and answers 500
   * to its `DELETE` (Bolna's MCP authors observed a few seconds live). Default 0: at once.
   */
  bolnaNumberVisibilityDelayMs?: number;
  /** Millisecond clock for the rate limiter and Bolna's number visibility delay (tests inject a fake one). Default `Date.now`. */
  clock?: () => number;
  /** Called with unexpected handler errors (default: printed to stderr). */
  onError?: (error: unknown) => void;
}

/** Direct access to the emulated accounts, for out-of-band edits (drift tests). */
export interface EmulatorStore {
  didww: DidwwStore;
  twilio: TwilioStore;
  bolna: BolnaStore;
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
  /**
   * `${url}/twilio-trunking`: stands for `https://trunking.twilio.com`; append the real paths
   * (`/v1/Trunks`, `/v1/Trunks/{TK}/OriginationUrls`, …).
   */
  twilioTrunkingUrl: string;
  /**
   * `${url}/twilio-api`: stands for `https://api.twilio.com`; append the real paths
   * (`/2010-04-01/Accounts/{AC}/SIP/CredentialLists.json`, …) and the `uri`/`next_page_uri`
   * values v2010 answers carry.
   */
  twilioApiUrl: string;
  /** The Twilio accounts in effect (the default one unless `twilioAccounts` was given), credentials included. */
  twilioAccounts: readonly TwilioAccount[];
  /**
   * `${url}/bolna`: stands for `https://api.bolna.ai`; append the real paths (`/sip-trunks/trunks`,
   * `/sip-trunks/trunks/{id}/numbers`, …) and send `Authorization: Bearer <one of bolnaApiKeys>`.
   */
  bolnaUrl: string;
  /** The Bolna API keys in effect ({@link DEFAULT_BOLNA_API_KEY} unless `bolnaApiKeys` was given). */
  bolnaApiKeys: readonly string[];
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
  const twilioAccounts = checkTwilioAccounts(options.twilioAccounts);
  if (options.twilioMaxConcurrency !== undefined && !(Number.isInteger(options.twilioMaxConcurrency) && options.twilioMaxConcurrency > 0)) {
    throw new TypeError("twilioMaxConcurrency must be a positive integer");
  }
  const bolna = checkBolnaOptions(options);
  const state = openState(options, twilioAccounts[0].accountSid);
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
    createTwilioVendor({ store: state.twilio, accounts: twilioAccounts, maxConcurrency: options.twilioMaxConcurrency }),
    createBolnaVendor({ store: state.bolna, ...bolna, clock: options.clock ?? Date.now }),
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
    twilioTrunkingUrl: `${url}${TRUNKING_PREFIX}`,
    twilioApiUrl: `${url}${API_PREFIX}`,
    twilioAccounts,
    bolnaUrl: `${url}${BOLNA_PREFIX}`,
    bolnaApiKeys: bolna.apiKeys,
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

/** Checks the Twilio accounts (or supplies the default one); frozen copies. */
function checkTwilioAccounts(accounts: readonly TwilioAccount[] | undefined): readonly TwilioAccount[] {
  if (accounts === undefined) return Object.freeze([DEFAULT_TWILIO_ACCOUNT]);
  if (!Array.isArray(accounts) || accounts.length === 0) throw new TypeError("twilioAccounts must be a non-empty array");
  const seen = new Set<string>();
  return Object.freeze(
    accounts.map((a, i) => {
      const where = `twilioAccounts[${i}]`;
      if (!isSid("AC", a?.accountSid)) throw new TypeError(`${where}.accountSid must be AC followed by 32 hex digits`);
      if (typeof a.authToken !== "string" || a.authToken === "") throw new TypeError(`${where}.authToken must be a non-empty string`);
      for (const [j, k] of (a.apiKeys ?? []).entries()) {
        if (!isSid("SK", k?.sid) || typeof k.secret !== "string" || k.secret === "") throw new TypeError(`${where}.apiKeys[${j}] needs sid SK… and a non-empty secret`);
        if (seen.has(k.sid)) throw new TypeError(`${where}.apiKeys[${j}]: ${k.sid} appears twice`);
        seen.add(k.sid);
      }
      if (a.maxTrunks !== undefined && !(Number.isInteger(a.maxTrunks) && a.maxTrunks >= 0)) throw new TypeError(`${where}.maxTrunks must be a non-negative integer`);
      if (seen.has(a.accountSid)) throw new TypeError(`${where}: ${a.accountSid} appears twice`);
      seen.add(a.accountSid);
      return Object.freeze({ ...a, ...(a.apiKeys ? { apiKeys: Object.freeze(a.apiKeys.map((k: { sid: string; secret: string }) => Object.freeze({ ...k }))) } : {}) });
    }),
  );
}

/** Checks the Bolna options (or supplies the defaults). */
function checkBolnaOptions(options: EmulatorOptions): { apiKeys: readonly string[]; errorFormat: BolnaErrorFormat; retryAfterSeconds: number; numberVisibilityDelayMs: number } {
  const keys = options.bolnaApiKeys ?? [DEFAULT_BOLNA_API_KEY];
  if (!Array.isArray(keys) || keys.length === 0 || keys.some((k) => typeof k !== "string" || k === "" || /\s/.test(k))) {
    throw new TypeError("bolnaApiKeys must be a non-empty array of non-empty strings without whitespace");
  }
  const errorFormat = options.bolnaErrorFormat ?? "detail";
  if (errorFormat !== "detail" && errorFormat !== "openapi") throw new TypeError('bolnaErrorFormat must be "detail" or "openapi"');
  const retryAfterSeconds = options.bolnaRetryAfterSeconds ?? 1;
  if (!(Number.isInteger(retryAfterSeconds) && retryAfterSeconds >= 0)) throw new TypeError("bolnaRetryAfterSeconds must be a non-negative integer");
  const numberVisibilityDelayMs = options.bolnaNumberVisibilityDelayMs ?? 0;
  if (!(Number.isInteger(numberVisibilityDelayMs) && numberVisibilityDelayMs >= 0)) throw new TypeError("bolnaNumberVisibilityDelayMs must be a non-negative integer");
  return { apiKeys: Object.freeze([...keys]), errorFormat, retryAfterSeconds, numberVisibilityDelayMs };
}

/** Each vendor's state and, with a data file, the file that keeps them all. */
interface OpenState {
  didww: DidwwStore;
  twilio: TwilioStore;
  bolna: BolnaStore;
  durable?: DurableJsonFile;
  startedFrom: "dataFile" | "seed";
}

/**
 * Builds the store from the data file when it exists, else from the seed; with a data file, locks
 * it and writes the seed state at once, so a start-up that cannot persist fails here, not at the
 * first write. The lock is released on any failure.
 */
function openState(options: EmulatorOptions, firstTwilioAccount: string): OpenState {
  const seedState = buildSeedState(options.seed);
  const twilioSeed = buildTwilioSeedState(options.seed, firstTwilioAccount);
  const bolnaSeed = buildBolnaSeedState(options.seed);
  const twilioOptions = { defaultAccountSid: firstTwilioAccount };
  if (!options.dataFile) {
    const didww = new DidwwStore(seedState);
    const twilio = new TwilioStore(twilioSeed, undefined, twilioOptions);
    const bolna = new BolnaStore(bolnaSeed);
    return { didww, twilio, bolna, startedFrom: "seed" };
  }
  let didww: DidwwStore | undefined;
  let twilio: TwilioStore | undefined;
  let bolna: BolnaStore | undefined;
  // The bolna section is written once Bolna holds or held anything (or the file had one): a file of
  // an emulator that never used Bolna looks like one written before the vendor existed.
  let bolnaSection = false;
  const durable = new DurableJsonFile(
    options.dataFile,
    (): EmulatorState => ({
      format: STATE_FORMAT,
      savedAt: new Date().toISOString(),
      didww: didww!.snapshot(),
      twilio: twilio!.snapshot(),
      ...(bolnaSection || bolna!.changed || !bolna!.isEmpty() ? { bolna: bolna!.snapshot() } : {}),
    }),
    // Each commit journals the records it changed (see durable.ts), not the whole state.
    { changes: () => drainStoreChanges({ didww: didww!, twilio: twilio!, bolna: bolna! }) },
  );
  durable.lock();
  try {
    const loaded = durable.load();
    const startedFrom = loaded.exists ? "dataFile" : "seed";
    let parsed = loaded.exists ? parseStateFile(durable.file, loaded.data) : undefined;
    const replayed = loaded.exists && parsed !== undefined && loaded.journal.length > 0;
    if (replayed) parsed = applyJournal(durable.file, durable.journalFile, parsed!, loaded.journal);
    const persist = { persist: () => durable.persist() };
    didww = new DidwwStore(parsed?.didww ?? seedState, persist);
    didww._setInitial(seedState);
    // A file written before the Twilio vendor existed has no twilio section: it starts from the seed.
    twilio = new TwilioStore(parsed?.twilio ?? twilioSeed, persist, twilioOptions);
    twilio._setInitial(twilioSeed);
    // A file written before the Bolna vendor existed has no bolna section: it starts from the seed.
    bolnaSection = parsed?.bolna !== undefined;
    bolna = new BolnaStore(parsed?.bolna ?? bolnaSeed, persist);
    bolna._setInitial(bolnaSeed);
    trackStoreChanges({ didww, twilio, bolna });
    // A replayed journal is folded into a new snapshot before serving.
    if (startedFrom === "seed" || replayed) writeSeedNow(durable);
    return { didww, twilio, bolna, durable, startedFrom };
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
    twilio: state.twilio,
    bolna: state.bolna,
    flush: async () => {
      await state.didww.flush();
      await state.twilio.flush();
      await state.bolna.flush();
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
export type { EmulatorSeed, DidwwSeed, TwilioSeed, EmulatorState } from "./state";
export * as didwwMessages from "./didww/messages";
export { DEFAULT_TWILIO_ACCOUNT, DEFAULT_TWILIO_NUMBERS, DEFAULT_TWILIO_NUMBER_SIDS } from "./twilio/model";
export type {
  TwilioAccount,
  TwilioState,
  TwilioCollection,
  TwilioRecord,
  TwilioRecordOf,
  TwilioPhoneNumberInput,
  TrunkRecord as TwilioTrunkRecord,
  OriginationUrlRecord as TwilioOriginationUrlRecord,
  TrunkLinkRecord as TwilioTrunkLinkRecord,
  CredentialListRecord as TwilioCredentialListRecord,
  CredentialRecord as TwilioCredentialRecord,
  IpAccessControlListRecord as TwilioIpAccessControlListRecord,
  IpAddressRecord as TwilioIpAddressRecord,
  PhoneNumberRecord as TwilioPhoneNumberRecord,
} from "./twilio/model";
export { TwilioStore, TwilioStoreError } from "./twilio/store";
export type { TwilioEntityCollection, TwilioRecordInput } from "./twilio/store";
export * as twilioMessages from "./twilio/messages";
export { DEFAULT_BOLNA_API_KEY } from "./bolna/model";
export type { BolnaState, BolnaTrunk, BolnaTrunkRecord, BolnaNumberRecord, BolnaGateway, BolnaIpIdentifier } from "./bolna/model";
export { BolnaStore, BolnaStoreError } from "./bolna/store";
export type { BolnaTrunkInput, BolnaTrunkPatch, BolnaNumberInput, BolnaGatewayInput } from "./bolna/store";
export type { BolnaErrorFormat } from "./bolna/messages";
export type { BolnaSeed } from "./state";
export * as bolnaMessages from "./bolna/messages";
