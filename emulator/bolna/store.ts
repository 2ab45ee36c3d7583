/**
 * The Bolna state: trunks and their phone numbers in creation order, plus the out-of-band edit
 * API drift tests use (`handle.store.bolna`). Like the other vendors' stores, every method is
 * synchronous on the in-memory state (no request can interleave a read-modify-write) and
 * durability is a separate, queued step (`flush()`; handlers await `commit()` before
 * acknowledging a write).
 *
 * The cascade lives here, once, for the API and out-of-band deletes alike: deleting a trunk
 * removes its gateways and IP identifiers (they are part of the record) and its numbers.
 *
 * Out-of-band edits skip the rules only the public API enforces (name uniqueness, credentials or
 * IPs for the auth type, sdes over TLS, number conflicts, immutability of `provider` and
 * `auth_type`) but keep the record's JSON Schema, IP/CIDR syntax and codec normalisation.
 */
import { ChangeLog, CommitQueue, TrackedMap, isObject, type RecordChange } from "../store-kit";
import Ajv from "ajv";
import { NUMBER_RECORD_SCHEMA, TRUNK_FIELDS, TRUNK_RECORD_SCHEMA, isIpOrCidr, numberKey } from "./fields";
import { newUlid } from "./ids";
import {
  TELEPHONY_PROVIDER,
  emptyBolnaState,
  normalizeCodecs,
  type BolnaGateway,
  type BolnaIpIdentifier,
  type BolnaNumberRecord,
  type BolnaState,
  type BolnaTrunk,
  type BolnaTrunkRecord,
} from "./model";
import type { NumberWrite, TrunkPatch, TrunkValues } from "./validate";

/** Thrown by out-of-band edits that name nothing or break a record's schema. */
export class BolnaStoreError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "BolnaStoreError";
  }
}

export interface BolnaStoreHooks {
  /** Called after every mutation; resolves when the change is durable. */
  persist(): Promise<void>;
}

/** A gateway for out-of-band edits: `gateway_address` required, the rest defaults (new `id`, `created_at` now, 5060, 1). */
export type BolnaGatewayInput = Partial<BolnaGateway> & { gateway_address: string };

/** A number for {@link BolnaStore.addNumber} and `phone_numbers` of a put: `phone_number` required, the rest defaults. */
export type BolnaNumberInput = Partial<Omit<BolnaNumberRecord, "byot_trunk_id">> & { phone_number: string };

/**
 * A trunk for {@link BolnaStore.putTrunk} and seeds: the stored members (API names), all optional
 * but `name`, `provider` and `auth_type`; the rest defaults as the API's create would store it.
 * `phone_numbers`, when given, become the trunk's numbers.
 */
export type BolnaTrunkInput = Partial<Omit<BolnaTrunkRecord, "gateways">> & {
  gateways?: BolnaGatewayInput[];
  phone_numbers?: BolnaNumberInput[];
  [key: string]: unknown;
};

/** Member changes for {@link BolnaStore.updateTrunk} (any stored member but `id`; lists replace whole). */
export type BolnaTrunkPatch = Omit<BolnaTrunkInput, "id" | "phone_numbers">;

const ajv = new Ajv({ allErrors: true });
const validateTrunk = ajv.compile(TRUNK_RECORD_SCHEMA);
const validateNumber = ajv.compile(NUMBER_RECORD_SCHEMA);

const problems = (errors: typeof validateTrunk.errors) => (errors ?? []).slice(0, 5).map((e) => `${e.instancePath || "/"} ${e.message}`).join("; ");

/** What a new trunk holds when the input leaves a member out (the API's create defaults). */
const TRUNK_DEFAULTS: Record<string, unknown> = Object.fromEntries(TRUNK_FIELDS.filter((f) => !f.notStored && "default" in f).map((f) => [f.name, f.default]));

export class BolnaStore {
  private readonly changes = new ChangeLog();
  private trunks = TrackedMap.of<BolnaTrunkRecord>(this.changes, "trunks");
  private numbers = TrackedMap.of<BolnaNumberRecord>(this.changes, "phone_numbers");
  private readonly hooks: BolnaStoreHooks;
  private initial: BolnaState;
  private readonly queue = new CommitQueue(() => this.hooks.persist());
  private changedSinceStart = false;

  constructor(initial: BolnaState = emptyBolnaState(), hooks: BolnaStoreHooks = { persist: () => Promise.resolve() }) {
    this.hooks = hooks;
    this.initial = structuredClone(initial);
    this.load(initial);
  }

  /** Replaces the whole state (start-up from the data file or seed). */
  load(state: BolnaState): void {
    this.trunks = TrackedMap.of(this.changes, "trunks", state.trunks.map((t) => [t.id, structuredClone(t)] as const));
    this.numbers = TrackedMap.of(this.changes, "phone_numbers", state.phone_numbers.map((n) => [n.id, structuredClone(n)] as const));
    this.changes.replaced();
  }

  /** Internal (data file journal): records changes from now on. */
  _trackChanges(): void {
    this.changes.enabled = true;
  }

  /** Internal (data file journal): the record changes since the last call, or "full" (see ChangeLog). */
  _drainChanges(): RecordChange[] | "full" {
    return this.changes.drain((collection, key) => (collection === "trunks" ? this.trunks : this.numbers).get(key));
  }

  /** A deep copy of the whole state, for persistence (passwords included). */
  snapshot(): BolnaState {
    return { trunks: [...this.trunks.values()].map((t) => structuredClone(t)), phone_numbers: [...this.numbers.values()].map((n) => structuredClone(n)) };
  }

  /** No trunk and no number. */
  isEmpty(): boolean {
    return this.trunks.size === 0 && this.numbers.size === 0;
  }

  /** `true` once anything was changed since start-up (the data file then keeps a `bolna` section even when empty). */
  get changed(): boolean {
    return this.changedSinceStart;
  }

  /** Records a mutation for persistence; resolves when it is durable (at once in memory mode). */
  commit(): Promise<void> {
    this.changedSinceStart = true;
    return this.queue.commit();
  }

  private commitInBackground(): void {
    this.queue.inBackground();
  }

  /** Resolves once every change so far is durable; rejects if a background write failed. */
  flush(): Promise<void> {
    return this.queue.flush();
  }

  /** Back to the start-up state (the seed; not the data file's content). */
  reset(): void {
    this.load(this.initial);
    this.commitInBackground();
  }

  /** Internal: the state reset() returns to. */
  _setInitial(state: BolnaState): void {
    this.initial = structuredClone(state);
  }

  // --------------------------------------------------------------------------------------------
  // Reads (copies, passwords included: this is the test seam, not the API)
  // --------------------------------------------------------------------------------------------

  /** Every trunk with its numbers, in creation order. */
  listTrunks(): BolnaTrunk[] {
    return [...this.trunks.values()].map((t) => this.withNumbers(t));
  }

  /** The trunk with its numbers and `auth_password`, or undefined. */
  getTrunk(id: string): BolnaTrunk | undefined {
    const t = this.trunks.get(id);
    return t && this.withNumbers(t);
  }

  /** The numbers of one trunk (every number without an argument), in creation order. */
  listNumbers(trunkId?: string): BolnaNumberRecord[] {
    return this._numbers(trunkId).map((n) => structuredClone(n));
  }

  getNumber(id: string): BolnaNumberRecord | undefined {
    const n = this.numbers.get(id);
    return n && structuredClone(n);
  }

  private withNumbers(t: BolnaTrunkRecord): BolnaTrunk {
    return { ...structuredClone(t), phone_numbers: this.listNumbers(t.id) };
  }

  // --------------------------------------------------------------------------------------------
  // Out-of-band edits (drift tests, admin routes, seeds). Synchronous; durability via flush().
  // --------------------------------------------------------------------------------------------

  /**
   * Inserts a trunk as if made in Bolna's dashboard, or replaces the one with the same `id`. The
   * id is generated (a ULID) when absent, dates default to now, other members to the API's create
   * defaults; `phone_numbers`, when given, become its numbers. Throws {@link BolnaStoreError}.
   */
  putTrunk(input: BolnaTrunkInput): BolnaTrunk {
    if (!isObject(input)) throw new BolnaStoreError("a trunk must be an object");
    const { phone_numbers: numbers, ...rest } = input;
    if (numbers !== undefined && !Array.isArray(numbers)) throw new BolnaStoreError("phone_numbers must be an array");
    const now = new Date().toISOString();
    const record = this.build({ id: newUlid(), ...TRUNK_DEFAULTS, created_at: now, updated_at: now, ...structuredClone(rest) }, now);
    const built = (numbers ?? []).map((n, i) => {
      try {
        return this.buildNumber(record.id, n, now);
      } catch (e) {
        throw new BolnaStoreError(`phone_numbers[${i}]: ${(e as Error).message}`);
      }
    });
    this.trunks.set(record.id, record);
    if (numbers !== undefined) {
      for (const [k, n] of this.numbers) if (n.byot_trunk_id === record.id) this.numbers.delete(k);
      for (const n of built) this.numbers.set(n.id, n);
    }
    this.commitInBackground();
    return this.withNumbers(record);
  }

  /**
   * Changes members of a trunk, as an edit in the dashboard would (any stored member but `id`,
   * `provider` and `auth_type` included; `gateways`/`ip_identifiers` replace the lists). `updated_at`
   * becomes now unless the patch sets it. Throws {@link BolnaStoreError}.
   */
  updateTrunk(id: string, patch: BolnaTrunkPatch): BolnaTrunk {
    const existing = this.trunks.get(id);
    if (!existing) throw new BolnaStoreError(`trunk ${id} not found`);
    if (!isObject(patch)) throw new BolnaStoreError("a patch must be an object");
    if (patch.id !== undefined && patch.id !== id) throw new BolnaStoreError(`the id of trunk ${id} cannot change`);
    if ("phone_numbers" in patch) throw new BolnaStoreError("phone_numbers cannot be patched: use addNumber / deleteNumber");
    const now = new Date().toISOString();
    const record = this.build({ ...structuredClone(existing), updated_at: now, ...structuredClone(patch) }, now);
    this.trunks.set(id, record);
    this.commitInBackground();
    return this.withNumbers(record);
  }

  /** Deletes a trunk with its numbers (the API's cascade); `true` if it existed. */
  deleteTrunk(id: string): boolean {
    const removed = this._deleteTrunk(id);
    if (removed !== undefined) this.commitInBackground();
    return removed !== undefined;
  }

  /** Adds a number to a trunk, skipping the API's conflict checks. Throws {@link BolnaStoreError}. */
  addNumber(trunkId: string, input: BolnaNumberInput): BolnaNumberRecord {
    if (!this.trunks.has(trunkId)) throw new BolnaStoreError(`trunk ${trunkId} not found`);
    const n = this.buildNumber(trunkId, input, new Date().toISOString());
    this.numbers.set(n.id, n);
    this.commitInBackground();
    return structuredClone(n);
  }

  /** Changes a number's members (not its id or trunk); `updated_at` becomes now unless set. */
  updateNumber(id: string, patch: Partial<BolnaNumberRecord>): BolnaNumberRecord {
    const existing = this.numbers.get(id);
    if (!existing) throw new BolnaStoreError(`phone number ${id} not found`);
    if (!isObject(patch)) throw new BolnaStoreError("a patch must be an object");
    if (patch.id !== undefined && patch.id !== id) throw new BolnaStoreError(`the id of phone number ${id} cannot change`);
    if (patch.byot_trunk_id !== undefined && patch.byot_trunk_id !== existing.byot_trunk_id) throw new BolnaStoreError(`the trunk of phone number ${id} cannot change`);
    const n = this.buildNumber(existing.byot_trunk_id, { ...existing, updated_at: new Date().toISOString(), ...patch }, existing.created_at);
    this.numbers.set(id, n);
    this.commitInBackground();
    return structuredClone(n);
  }

  /** Removes a number; `true` if it existed. */
  deleteNumber(id: string): boolean {
    const existed = this.numbers.delete(id);
    if (existed) this.commitInBackground();
    return existed;
  }

  // --------------------------------------------------------------------------------------------
  // Internal (handlers): live records, no copies, no persistence of their own.
  // --------------------------------------------------------------------------------------------

  /** Internal: the live trunks, creation order. */
  _trunks(): BolnaTrunkRecord[] {
    return [...this.trunks.values()];
  }

  _trunk(id: string): BolnaTrunkRecord | undefined {
    return this.trunks.get(id);
  }

  /** Internal: the live numbers (of one trunk, found in O(its numbers)), creation order. */
  _numbers(trunkId?: string): BolnaNumberRecord[] {
    if (trunkId === undefined) return [...this.numbers.values()];
    return [...this.by().numbersOfTrunk.keys(trunkId)].map((id) => this.numbers.get(id)!);
  }

  /** Internal: the ids of the trunks named `name`, in O(1). */
  _trunkIdsNamed(name: string): ReadonlySet<string> {
    return this.by().trunkName.keys(name);
  }

  /** Internal: the live numbers equal to `phoneNumber` without a leading `+`, on any trunk, in O(1). */
  _numbersEqualTo(phoneNumber: string): BolnaNumberRecord[] {
    return [...this.by().numberKey.keys(numberKey(phoneNumber))].map((id) => this.numbers.get(id)!);
  }

  /** The maps' indexes (see TrackedMap.index). */
  private by() {
    return {
      trunkName: this.trunks.index("name", (t) => t.name),
      numbersOfTrunk: this.numbers.index("trunk", (n) => n.byot_trunk_id),
      numberKey: this.numbers.index("number", (n) => numberKey(n.phone_number)),
    };
  }

  _number(id: string): BolnaNumberRecord | undefined {
    return this.numbers.get(id);
  }

  /** Internal: a trunk a create validated, and its numbers; ids and dates issued here. */
  _createTrunk(values: TrunkValues, numbers: readonly NumberWrite[], now: string): BolnaTrunkRecord {
    const record: BolnaTrunkRecord = {
      id: newUlid(Date.parse(now)),
      ...structuredClone(values),
      gateways: values.gateways.map((g) => ({ id: newUlid(Date.parse(now)), ...g, created_at: now })),
      created_at: now,
      updated_at: now,
    };
    this.trunks.set(record.id, record);
    for (const n of numbers) this._addNumber(record.id, n, now);
    return record;
  }

  /** Internal: a validated PATCH; sent lists replace the stored ones (new gateways get new ids). */
  _patchTrunk(id: string, patch: TrunkPatch, now: string): BolnaTrunkRecord {
    const existing = this.trunks.get(id)!;
    const { gateways, ...rest } = structuredClone(patch);
    const record: BolnaTrunkRecord = {
      ...existing,
      ...rest,
      ...(gateways ? { gateways: gateways.map((g) => ({ id: newUlid(Date.parse(now)), ...g, created_at: now })) } : {}),
      updated_at: now,
    };
    this.trunks.set(id, record);
    return record;
  }

  _addNumber(trunkId: string, write: NumberWrite, now: string): BolnaNumberRecord {
    const n: BolnaNumberRecord = {
      id: newUlid(Date.parse(now)),
      phone_number: write.phone_number,
      name: write.name,
      byot_trunk_id: trunkId,
      telephony_provider: TELEPHONY_PROVIDER,
      deleted: false,
      created_at: now,
      updated_at: now,
    };
    this.numbers.set(n.id, n);
    return n;
  }

  /** Internal: deletes a trunk and its numbers; how many numbers went, or undefined when there was no such trunk. */
  _deleteTrunk(id: string): number | undefined {
    if (!this.trunks.delete(id)) return undefined;
    let removed = 0;
    for (const [k, n] of this.numbers) {
      if (n.byot_trunk_id === id) {
        this.numbers.delete(k);
        removed++;
      }
    }
    return removed;
  }

  _deleteNumber(id: string): boolean {
    return this.numbers.delete(id);
  }

  // --------------------------------------------------------------------------------------------

  /** Normalises lists and codecs of an out-of-band trunk and checks it against the record schema. */
  private build(input: Record<string, unknown>, now: string): BolnaTrunkRecord {
    const record = { ...input };
    if (Array.isArray(record.gateways)) {
      record.gateways = record.gateways.map((g: unknown) => (isObject(g) ? { id: newUlid(), port: 5060, priority: 1, created_at: now, ...g } : g));
    }
    for (const c of ["allow", "disallow"]) if (typeof record[c] === "string") record[c] = normalizeCodecs(record[c] as string);
    if (!validateTrunk(record)) throw new BolnaStoreError(`invalid trunk record: ${problems(validateTrunk.errors)}`);
    const trunk = record as unknown as BolnaTrunkRecord;
    for (const ip of trunk.ip_identifiers as BolnaIpIdentifier[]) {
      if (!isIpOrCidr(ip.ip_address)) throw new BolnaStoreError(`ip_address ${ip.ip_address} is not an IP address or CIDR range`);
    }
    checkDates(trunk as unknown as Record<string, unknown>, ["created_at", "updated_at"]);
    for (const g of trunk.gateways) checkDates(g as unknown as Record<string, unknown>, ["created_at"]);
    return trunk;
  }

  private buildNumber(trunkId: string, input: BolnaNumberInput, now: string): BolnaNumberRecord {
    if (!isObject(input)) throw new BolnaStoreError("a phone number must be an object");
    const record = {
      id: newUlid(),
      name: null,
      telephony_provider: TELEPHONY_PROVIDER,
      deleted: false,
      created_at: now,
      updated_at: now,
      ...structuredClone(input),
      byot_trunk_id: trunkId,
    };
    if (!validateNumber(record)) throw new BolnaStoreError(`invalid phone number record: ${problems(validateNumber.errors)}`);
    checkDates(record, ["created_at", "updated_at"]);
    return record as BolnaNumberRecord;
  }
}

function checkDates(record: Record<string, unknown>, members: string[]): void {
  for (const d of members) if (Number.isNaN(Date.parse(String(record[d])))) throw new BolnaStoreError(`${d} is not a date: ${String(record[d])}`);
}
