/**
 * The emulator's whole state as one JSON document (what the data file holds), its JSON Schema,
 * and seed files (`--seed FILE`: DIDs, trunks, Twilio numbers and Bolna trunks to start with).
 */
import * as fs from "node:fs";
import Ajv from "ajv";
import { DataFileError, type JournalOp } from "./durable";
import type { RecordChange } from "./store-kit";
import { canonicalId } from "./didww/normalize";
import { TRUNK_RECORD_SCHEMA } from "./didww/fields";
import { DEFAULT_DIDS, type DidwwDid } from "./didww/model";
import { DidwwStore, DidwwStoreError, normalizeDid, type DidwwDidInput, type DidwwState, type DidwwTrunkInput } from "./didww/store";
import { COLLECTIONS as TWILIO_COLLECTIONS, DEFAULT_TWILIO_NUMBERS, TWILIO_STATE_SCHEMA, emptyTwilioState, type TwilioPhoneNumberInput, type TwilioState } from "./twilio/model";
import { TwilioStore, linkKey } from "./twilio/store";
import { BOLNA_STATE_SCHEMA } from "./bolna/fields";
import { emptyBolnaState, type BolnaState } from "./bolna/model";
import { BolnaStore, type BolnaTrunkInput } from "./bolna/store";

export const STATE_FORMAT = "sip-trunks-emulator/v1";

/** The data file: one section per vendor. */
export interface EmulatorState {
  format: typeof STATE_FORMAT;
  savedAt: string;
  didww: DidwwState;
  /** Absent in files written before the Twilio vendor existed: they load with the Twilio seed state. */
  twilio?: TwilioState;
  /**
   * Absent in files written before the Bolna vendor existed (they load with the Bolna seed state),
   * and in files of an emulator whose Bolna state was never anything but empty.
   */
  bolna?: BolnaState;
}

const nullable = (type: string) => ({ type: [type, "null"] });

const didSchema = {
  type: "object",
  required: ["id", "number", "emergency_enabled"],
  properties: {
    id: { type: "string", minLength: 1 },
    number: { type: "string" },
    emergency_enabled: { type: "boolean" },
    blocked: { type: "boolean" },
    terminated: { type: "boolean" },
    awaiting_registration: { type: "boolean" },
    pending_removal: { type: "boolean" },
    capacity_limit: nullable("integer"),
    description: nullable("string"),
    expires_at: nullable("string"),
    created_at: { type: "string" },
    channels_included_count: { type: "integer" },
    dedicated_channels_count: { type: "integer" },
  },
};

/** JSON Schema of the data file. */
export const STATE_SCHEMA = {
  type: "object",
  required: ["format", "didww"],
  properties: {
    format: { const: STATE_FORMAT },
    savedAt: { type: "string" },
    didww: {
      type: "object",
      required: ["trunks", "dids"],
      properties: { trunks: { type: "array", items: TRUNK_RECORD_SCHEMA }, dids: { type: "array", items: didSchema } },
    },
    twilio: TWILIO_STATE_SCHEMA,
    bolna: BOLNA_STATE_SCHEMA,
  },
};

const ajv = new Ajv({ allErrors: true });
const validateState = ajv.compile(STATE_SCHEMA);

/** Checks a parsed data file; throws DataFileError naming what is wrong. */
export function parseStateFile(file: string, data: unknown): EmulatorState {
  if (!validateState(data)) {
    const problems = (validateState.errors ?? []).slice(0, 5).map((e) => `${e.instancePath || "/"} ${e.message}`).join("; ");
    throw new DataFileError(file, `data file ${file} is not an emulator state file (${problems}); refusing to start so it is not overwritten`);
  }
  const state = data as unknown as EmulatorState;
  return {
    format: STATE_FORMAT,
    savedAt: state.savedAt ?? "",
    didww: { trunks: state.didww.trunks, dids: state.didww.dids.map((d) => normalizeDid(d as unknown as Record<string, unknown>)) },
    ...(state.twilio ? { twilio: state.twilio } : {}),
    ...(state.bolna ? { bolna: state.bolna } : {}),
  };
}

/** How each store keys the records of each collection of its data file section (the journal's keys). */
const RECORD_KEYS: Record<string, Record<string, (r: Record<string, unknown>) => string>> = {
  didww: { trunks: (r) => canonicalId(String(r.id)), dids: (r) => canonicalId(String(r.id)) },
  twilio: Object.fromEntries(
    TWILIO_COLLECTIONS.map((c) => [
      c,
      c === "trunk_credential_lists" || c === "trunk_ip_access_control_lists" ? (r: Record<string, unknown>) => linkKey(String(r.trunk_sid), String(r.sid)) : (r: Record<string, unknown>) => String(r.sid),
    ]),
  ),
  bolna: { trunks: (r) => String(r.id), phone_numbers: (r) => String(r.id) },
};

/**
 * The data file's state with its journal replayed (each change in order, as the stores made it:
 * a put replaces a record in place or appends it, a delete removes it), checked like a data file.
 * `state` is the data file as {@link parseStateFile} returned it.
 */
export function applyJournal(file: string, journalFile: string, state: EmulatorState, ops: readonly JournalOp[]): EmulatorState {
  const refuse = (what: string) =>
    new DataFileError(file, `journal ${journalFile} of data file ${file} does not apply (${what}); refusing to start so it is not overwritten. Fix or move it, or point --data at a new file`);
  const data = state as unknown as Record<string, Record<string, Array<Record<string, unknown>>>>;
  const touched = new Map<string, Map<string, unknown>>();
  for (const [i, op] of ops.entries()) {
    const keyOf = RECORD_KEYS[op.vendor]?.[op.collection];
    if (!keyOf) throw refuse(`change ${i}: unknown collection ${op.vendor}.${op.collection}`);
    if (!data[op.vendor]) throw refuse(`change ${i}: the data file has no ${op.vendor} section`);
    const id = `${op.vendor}.${op.collection}`;
    let records = touched.get(id);
    if (!records) {
      records = new Map((data[op.vendor][op.collection] ?? []).map((r) => [keyOf(r), r] as const));
      touched.set(id, records);
    }
    if (op.record === undefined) records.delete(op.key);
    else records.set(op.key, op.record);
  }
  const replayed: Record<string, unknown> = { ...state };
  for (const [id, records] of touched) {
    const [vendor, collection] = id.split(".");
    replayed[vendor] = { ...(replayed[vendor] as object), [collection]: [...records.values()] };
  }
  try {
    return parseStateFile(file, replayed);
  } catch (e) {
    throw e instanceof DataFileError ? refuse(e.message) : e;
  }
}

/** Each vendor's store, as far as the data file's journal is concerned. */
interface JournaledStores {
  didww: { _trackChanges(): void; _drainChanges(): RecordChange[] | "full" };
  twilio: { _trackChanges(): void; _drainChanges(): RecordChange[] | "full" };
  bolna: { _trackChanges(): void; _drainChanges(): RecordChange[] | "full" };
}

/** Starts recording the stores' record changes (for the journal; only with a data file). */
export function trackStoreChanges(stores: JournaledStores): void {
  for (const vendor of ["didww", "twilio", "bolna"] as const) stores[vendor]._trackChanges();
}

/** Every store's record changes since the last call, as journal changes; "full" if any store's state was replaced. */
export function drainStoreChanges(stores: JournaledStores): JournalOp[] | "full" {
  const ops: JournalOp[] = [];
  let full = false;
  for (const vendor of ["didww", "twilio", "bolna"] as const) {
    const changes = stores[vendor]._drainChanges();
    if (changes === "full") full = true;
    else for (const c of changes) ops.push({ vendor, collection: c.collection, key: c.key, record: c.record });
  }
  return full ? "full" : ops;
}

/**
 * A seed: DIDs and trunks to start with when there is no data file yet (and what `reset()`
 * returns to). Trunks and DIDs use API attribute names; JSON:API resource objects work too.
 * The default DIDs are kept unless `default_dids` is false.
 */
export interface EmulatorSeed {
  didww?: DidwwSeed;
  twilio?: TwilioSeed;
  bolna?: BolnaSeed;
  /** Shorthand for `didww.dids`. */
  dids?: DidwwDidInput[];
  /** Shorthand for `didww.voice_out_trunks`. */
  voice_out_trunks?: DidwwTrunkInput[];
}

export interface DidwwSeed {
  dids?: DidwwDidInput[];
  voice_out_trunks?: DidwwTrunkInput[];
  /** Alias of `voice_out_trunks`. */
  trunks?: DidwwTrunkInput[];
  /** Keep {@link DEFAULT_DIDS} (default true). */
  default_dids?: boolean;
}

/**
 * Twilio numbers to start with. Each belongs to `account_sid` when given, otherwise to the first
 * Twilio account (the default one unless `twilioAccounts` says otherwise).
 */
export interface TwilioSeed {
  phone_numbers?: TwilioPhoneNumberInput[];
  /** Keep {@link DEFAULT_TWILIO_NUMBERS} (default true). */
  default_phone_numbers?: boolean;
}

/**
 * Bolna trunks to start with, in the stored form (`handle.store.bolna.putTrunk` input: API member
 * names, `name`, `provider` and `auth_type` required, the rest defaulting as on create;
 * `phone_numbers` inline).
 */
export interface BolnaSeed {
  trunks?: BolnaTrunkInput[];
}

/** Reads a seed file, or takes a seed object; `label` names it in error messages. */
function readSeed(seed: string | EmulatorSeed | undefined): { source: EmulatorSeed; label: string } {
  let source: EmulatorSeed = {};
  let label = "seed";
  if (typeof seed === "string") {
    label = `seed file ${seed}`;
    let text: string;
    try {
      text = fs.readFileSync(seed, "utf8");
    } catch (e) {
      throw new Error(`cannot read ${label} (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
    }
    try {
      source = JSON.parse(text) as EmulatorSeed;
    } catch (e) {
      throw new Error(`${label} is not valid JSON (${(e as Error).message})`);
    }
  } else if (seed) {
    source = seed;
  }
  if (typeof source !== "object" || source === null || Array.isArray(source)) throw new Error(`${label} must be a JSON object`);
  return { source, label };
}

/** Reads a seed file (or takes a seed object) and builds the DIDWW state it describes. */
export function buildSeedState(seed: string | EmulatorSeed | undefined): DidwwState {
  const { source, label } = readSeed(seed);
  const didww: DidwwSeed = { ...(source.didww ?? {}) };
  if (source.dids) didww.dids = [...(didww.dids ?? []), ...source.dids];
  if (source.voice_out_trunks) didww.voice_out_trunks = [...(didww.voice_out_trunks ?? []), ...source.voice_out_trunks];
  const trunks = [...(didww.voice_out_trunks ?? []), ...(didww.trunks ?? [])];

  const dids = new Map<string, DidwwDid>();
  if (didww.default_dids !== false) for (const d of DEFAULT_DIDS) dids.set(d.id, { ...d });
  (didww.dids ?? []).forEach((d, i) => {
    try {
      const did = normalizeDid(d);
      dids.set(did.id, did);
    } catch (e) {
      throw new Error(`${label}: dids[${i}]: ${(e as Error).message}`);
    }
  });
  const store = new DidwwStore({ trunks: [], dids: [...dids.values()] });
  trunks.forEach((t, i) => {
    try {
      store.putTrunk(t);
    } catch (e) {
      const msg = e instanceof DidwwStoreError ? e.message : (e as Error).message;
      throw new Error(`${label}: voice_out_trunks[${i}]: ${msg}`);
    }
  });
  return store.snapshot();
}

/** The Twilio state a seed describes: the default numbers (unless dropped) and the seed's numbers, owned by `accountSid` unless they say otherwise. */
export function buildTwilioSeedState(seed: string | EmulatorSeed | undefined, accountSid: string): TwilioState {
  const { source, label } = readSeed(seed);
  const twilio: TwilioSeed = source.twilio ?? {};
  if (typeof twilio !== "object" || twilio === null || Array.isArray(twilio)) throw new Error(`${label}: twilio must be a JSON object`);
  const store = new TwilioStore(emptyTwilioState(), undefined, { defaultAccountSid: accountSid });
  const numbers = [...(twilio.default_phone_numbers === false ? [] : DEFAULT_TWILIO_NUMBERS), ...(twilio.phone_numbers ?? [])];
  numbers.forEach((n, i) => {
    try {
      store.addPhoneNumber({ account_sid: accountSid, ...n });
    } catch (e) {
      throw new Error(`${label}: twilio.phone_numbers[${i - (twilio.default_phone_numbers === false ? 0 : DEFAULT_TWILIO_NUMBERS.length)}]: ${(e as Error).message}`);
    }
  });
  return store.snapshot();
}

/** The Bolna state a seed describes (empty without a `bolna` section). */
export function buildBolnaSeedState(seed: string | EmulatorSeed | undefined): BolnaState {
  const { source, label } = readSeed(seed);
  const bolna: BolnaSeed = source.bolna ?? {};
  if (typeof bolna !== "object" || bolna === null || Array.isArray(bolna)) throw new Error(`${label}: bolna must be a JSON object`);
  if (bolna.trunks !== undefined && !Array.isArray(bolna.trunks)) throw new Error(`${label}: bolna.trunks must be an array`);
  const store = new BolnaStore(emptyBolnaState());
  (bolna.trunks ?? []).forEach((t, i) => {
    try {
      store.putTrunk(t);
    } catch (e) {
      throw new Error(`${label}: bolna.trunks[${i}]: ${(e as Error).message}`);
    }
  });
  return store.snapshot();
}
