/**
 * The Twilio state: every resource of every emulated account, in creation order, plus the
 * out-of-band edit API drift tests use (`handle.store.twilio`). Like the DIDWW store, every
 * method is synchronous on the in-memory state (no request can interleave a read-modify-write)
 * and durability is a separate, queued step (`flush()`; handlers await `commit()` before
 * acknowledging a write).
 *
 * Cascades live here, once, for the API and for out-of-band deletes alike: deleting a trunk
 * removes its origination URLs and list associations and takes its numbers off it; deleting a
 * credential list or IP access control list removes its entries (and, out of band only, its
 * trunk associations: the API refuses to delete a list a trunk uses).
 */
import { ChangeLog, CommitQueue, TrackedMap, type MapIndex, type RecordChange } from "../store-kit";
import Ajv, { type ValidateFunction } from "ajv";
import {
  COLLECTIONS,
  COLLECTION_BY_PREFIX,
  DEFAULT_TWILIO_ACCOUNT,
  RECORD_SCHEMAS,
  emptyTwilioState,
  phoneNumberDefaults,
  type PhoneNumberRecord,
  type TrunkLinkRecord,
  type TrunkRecord,
  type TwilioCollection,
  type TwilioPhoneNumberInput,
  type TwilioRecord,
  type TwilioRecordOf,
  type TwilioState,
} from "./model";
import { newSid, sidPrefixOf, type SidPrefix } from "./sids";
import { isIpv4 } from "./fields";

/** Thrown by out-of-band edits that name nothing or break a record's schema or references. */
export class TwilioStoreError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "TwilioStoreError";
  }
}

export interface TwilioStoreHooks {
  /** Called after every mutation; resolves when the change is durable. */
  persist(): Promise<void>;
}

export interface TwilioStoreOptions {
  /** The account records are given when an out-of-band `put` names none and has no parent (default: {@link DEFAULT_TWILIO_ACCOUNT}). */
  defaultAccountSid?: string;
}

/** The collections whose records have a SID of their own (associations have not). */
export type TwilioEntityCollection = Exclude<TwilioCollection, "trunk_credential_lists" | "trunk_ip_access_control_lists">;

/** Input for {@link TwilioStore.put}: the record's members (snake_case), all optional but the ones a record cannot do without. */
export type TwilioRecordInput<C extends TwilioEntityCollection> = Partial<TwilioRecordOf[C]> & Record<string, unknown>;

type Maps = { [C in TwilioCollection]: TrackedMap<TwilioRecordOf[C]> };

const PREFIX_OF: Readonly<Record<TwilioEntityCollection, SidPrefix>> = {
  trunks: "TK",
  origination_urls: "OU",
  credential_lists: "CL",
  credentials: "CR",
  ip_access_control_lists: "AL",
  ip_addresses: "IP",
  phone_numbers: "PN",
};

/** Which member of a record names its parent, and in which collection. */
const PARENT: Partial<Record<TwilioCollection, { member: string; collection: TwilioEntityCollection }>> = {
  origination_urls: { member: "trunk_sid", collection: "trunks" },
  credentials: { member: "credential_list_sid", collection: "credential_lists" },
  ip_addresses: { member: "ip_access_control_list_sid", collection: "ip_access_control_lists" },
};

const ajv = new Ajv({ allErrors: true });
const VALIDATORS = Object.fromEntries(COLLECTIONS.map((c) => [c, ajv.compile(RECORD_SCHEMAS[c])])) as Record<TwilioCollection, ValidateFunction>;

export const linkKey = (trunkSid: string, sid: string) => `${trunkSid}/${sid}`;

const keyOf = (collection: TwilioCollection, r: TwilioRecord): string =>
  collection === "trunk_credential_lists" || collection === "trunk_ip_access_control_lists" ? linkKey((r as TrunkLinkRecord).trunk_sid, r.sid) : r.sid;

export class TwilioStore {
  private readonly changes = new ChangeLog();
  private maps: Maps = TwilioStore.emptyMaps(this.changes);
  private readonly hooks: TwilioStoreHooks;
  private initial: TwilioState;
  private readonly queue = new CommitQueue(() => this.hooks.persist());
  private readonly defaultAccountSid: string;

  constructor(initial: TwilioState, hooks: TwilioStoreHooks = { persist: () => Promise.resolve() }, options: TwilioStoreOptions = {}) {
    this.hooks = hooks;
    this.defaultAccountSid = options.defaultAccountSid ?? DEFAULT_TWILIO_ACCOUNT.accountSid;
    this.initial = structuredClone(initial);
    this.load(initial);
  }

  private static emptyMaps(log: ChangeLog): Maps {
    return Object.fromEntries(COLLECTIONS.map((c) => [c, TrackedMap.of(log, c)])) as unknown as Maps;
  }

  /** Replaces the whole state (start-up from the data file or seed). */
  load(state: TwilioState): void {
    const maps = Object.fromEntries(
      COLLECTIONS.map((c) => [c, TrackedMap.of(this.changes, c, (state[c] ?? []).map((r: TwilioRecord) => [keyOf(c, r), structuredClone(r)] as const))]),
    ) as unknown as Maps;
    this.maps = maps;
    this.changes.replaced();
  }

  /** Internal (data file journal): records changes from now on. */
  _trackChanges(): void {
    this.changes.enabled = true;
  }

  /** Internal (data file journal): the record changes since the last call, or "full" (see ChangeLog). */
  _drainChanges(): RecordChange[] | "full" {
    return this.changes.drain((collection, key) => (this.maps[collection as TwilioCollection] as Map<string, TwilioRecord>).get(key));
  }

  /** A deep copy of the whole state, for persistence. */
  snapshot(): TwilioState {
    const out = emptyTwilioState();
    for (const c of COLLECTIONS) (out[c] as TwilioRecord[]) = [...(this.maps[c] as Map<string, TwilioRecord>).values()].map((r) => structuredClone(r));
    return out;
  }

  /** Records a mutation for persistence; resolves when it is durable (at once in memory mode). */
  commit(): Promise<void> {
    return this.queue.commit();
  }

  private commitInBackground(): void {
    this.queue.inBackground();
  }

  /** Resolves once every change so far is durable; rejects if a background write failed. */
  flush(): Promise<void> {
    return this.queue.flush();
  }

  /** Back to the start-up state (default numbers plus the seed; not the data file's content). */
  reset(): void {
    this.load(this.initial);
    this.commitInBackground();
  }

  /** Internal: the state reset() returns to. */
  _setInitial(state: TwilioState): void {
    this.initial = structuredClone(state);
  }

  // --------------------------------------------------------------------------------------------
  // Reads (copies, passwords included: this is the test seam, not the API)
  // --------------------------------------------------------------------------------------------

  /** Every record of a collection, in creation order; `where` keeps those whose members equal it. */
  list<C extends TwilioCollection>(collection: C, where: Partial<TwilioRecordOf[C]> = {}): TwilioRecordOf[C][] {
    const entries = Object.entries(where);
    return [...(this.maps[collection] as Map<string, TwilioRecordOf[C]>).values()]
      .filter((r) => entries.every(([k, v]) => (r as unknown as Record<string, unknown>)[k] === v))
      .map((r) => structuredClone(r));
  }

  /** The resource a SID names (its collection comes from the prefix), or undefined. */
  get(sid: string): TwilioRecord | undefined {
    const found = this.locate(sid);
    return found && structuredClone(found.record);
  }

  getTrunk(sid: string): TrunkRecord | undefined {
    const t = this.maps.trunks.get(sid);
    return t && structuredClone(t);
  }

  listTrunks(accountSid?: string): TrunkRecord[] {
    return this.list("trunks", accountSid ? { account_sid: accountSid } : {});
  }

  listPhoneNumbers(accountSid?: string): PhoneNumberRecord[] {
    return this.list("phone_numbers", accountSid ? { account_sid: accountSid } : {});
  }

  /** The SIDs of the credential lists, IP access control lists and numbers on a trunk. */
  trunkLinks(trunkSid: string): { credential_lists: string[]; ip_access_control_lists: string[]; phone_numbers: string[] } {
    // In O(the trunk's links), not O(every link of the account): a trunk is serialized on every answer.
    const sidsOf = <C extends "trunk_credential_lists" | "trunk_ip_access_control_lists" | "phone_numbers">(c: C) =>
      [...this.index(c, "trunk", (r) => (r as { trunk_sid?: string | null }).trunk_sid ?? undefined).keys(trunkSid)].map((k) => (this.maps[c] as Map<string, TwilioRecord>).get(k)!.sid);
    return {
      credential_lists: sidsOf("trunk_credential_lists"),
      ip_access_control_lists: sidsOf("trunk_ip_access_control_lists"),
      phone_numbers: sidsOf("phone_numbers"),
    };
  }

  // --------------------------------------------------------------------------------------------
  // Out-of-band edits (drift tests, admin routes). Synchronous; durability via flush().
  // Business rules only the public API enforces (quotas, domain uniqueness, password strength,
  // enum-free text) are skipped; record schemas and references are not.
  // --------------------------------------------------------------------------------------------

  /**
   * Inserts or replaces a record, as if created in the Twilio console. The SID is generated when
   * absent, dates default to now, `account_sid` to the parent's (or the default account), other
   * members to what the API's create would store. Throws {@link TwilioStoreError}.
   */
  put<C extends TwilioEntityCollection>(collection: C, input: TwilioRecordInput<C>): TwilioRecordOf[C] {
    if (!(collection in PREFIX_OF)) throw new TwilioStoreError(`unknown collection ${String(collection)}`);
    const existing = typeof input.sid === "string" ? (this.maps[collection] as Map<string, TwilioRecord>).get(input.sid) : undefined;
    const record = this.build(collection, { ...(existing ?? {}), ...input } as Record<string, unknown>, existing === undefined);
    this.checkReferences(collection, record);
    (this.maps[collection] as Map<string, TwilioRecord>).set(record.sid, record);
    this.commitInBackground();
    return structuredClone(record) as TwilioRecordOf[C];
  }

  /** Adds (or replaces, same SID) a phone number the account owns. */
  addPhoneNumber(input: TwilioPhoneNumberInput): PhoneNumberRecord {
    return this.put("phone_numbers", input);
  }

  /**
   * Changes members of the resource a SID names (any collection but the associations), as an
   * edit in the console would. `date_updated` becomes now unless the patch sets it. The SID and
   * the parent cannot change. Throws {@link TwilioStoreError}.
   */
  update(sid: string, patch: Record<string, unknown>): TwilioRecord {
    const found = this.locate(sid);
    if (!found) throw new TwilioStoreError(`${sid} not found`);
    if (patch.sid !== undefined && patch.sid !== sid) throw new TwilioStoreError(`the sid of ${sid} cannot change`);
    const parent = PARENT[found.collection];
    if (parent && patch[parent.member] !== undefined && patch[parent.member] !== (found.record as unknown as Record<string, unknown>)[parent.member]) {
      throw new TwilioStoreError(`${parent.member} of ${sid} cannot change`);
    }
    const merged = { ...structuredClone(found.record), date_updated: new Date().toISOString(), ...patch } as Record<string, unknown>;
    if (found.collection === "trunks" && patch.recording !== undefined && typeof patch.recording === "object" && patch.recording !== null) {
      merged.recording = { ...(found.record as TrunkRecord).recording, ...(patch.recording as object) };
    }
    const record = this.build(found.collection, merged, false);
    this.checkReferences(found.collection, record);
    (this.maps[found.collection] as Map<string, TwilioRecord>).set(sid, record);
    this.commitInBackground();
    return structuredClone(record);
  }

  /** Deletes the resource a SID names, with the API's cascades; `true` if it existed. */
  delete(sid: string): boolean {
    const existed = this._delete(sid);
    if (existed) this.commitInBackground();
    return existed;
  }

  /** Attaches a credential list (CL), IP access control list (AL) or number (PN) to a trunk, skipping the API's checks but not the references. */
  associate(trunkSid: string, sid: string): void {
    const trunk = this.maps.trunks.get(trunkSid);
    if (!trunk) throw new TwilioStoreError(`trunk ${trunkSid} not found`);
    const found = this.locate(sid);
    if (!found || !["credential_lists", "ip_access_control_lists", "phone_numbers"].includes(found.collection)) {
      throw new TwilioStoreError(`${sid} is not a credential list, IP access control list or phone number of the emulator`);
    }
    const now = new Date().toISOString();
    if (found.collection === "phone_numbers") {
      const n = found.record as PhoneNumberRecord;
      this.maps.phone_numbers.set(sid, { ...n, trunk_sid: trunkSid, voice_application_sid: "", date_updated: now });
    } else {
      const links = found.collection === "credential_lists" ? this.maps.trunk_credential_lists : this.maps.trunk_ip_access_control_lists;
      const key = linkKey(trunkSid, sid);
      if (!links.has(key)) links.set(key, { trunk_sid: trunkSid, sid, account_sid: trunk.account_sid, date_created: now, date_updated: now });
    }
    this.commitInBackground();
  }

  /** Takes a list or number off a trunk; `true` if it was on it. */
  dissociate(trunkSid: string, sid: string): boolean {
    const done = this._dissociate(trunkSid, sid);
    if (done) this.commitInBackground();
    return done;
  }

  // --------------------------------------------------------------------------------------------
  // Internal (handlers): live records, no copies, no persistence of their own.
  // --------------------------------------------------------------------------------------------

  /** Internal: the live records of a collection, creation order. */
  _all<C extends TwilioCollection>(collection: C): TwilioRecordOf[C][] {
    return [...(this.maps[collection] as Map<string, TwilioRecordOf[C]>).values()];
  }

  /** Internal: one live record by key (SID; `trunkSid/sid` for associations). */
  _get<C extends TwilioCollection>(collection: C, key: string): TwilioRecordOf[C] | undefined {
    return (this.maps[collection] as Map<string, TwilioRecordOf[C]>).get(key);
  }

  /** The index called `name` of `collection`'s records by `by` (see TrackedMap.index). */
  private index<C extends TwilioCollection>(collection: C, name: string, by: (r: TwilioRecordOf[C]) => string | undefined): MapIndex<TwilioRecordOf[C]> {
    return (this.maps[collection] as unknown as TrackedMap<TwilioRecordOf[C]>).index(name, by);
  }

  /** Internal: the SIDs of the trunks with this domain name (compared without case), in O(1). */
  _trunkSidsByDomain(domain: string): ReadonlySet<string> {
    return this.index("trunks", "domain", (t) => t.domain_name?.toLowerCase() ?? undefined).keys(domain.toLowerCase());
  }

  /** Internal: how many trunks an account holds, in O(1). */
  _trunkCount(accountSid: string): number {
    return this.index("trunks", "account", (t) => t.account_sid).keys(accountSid).size;
  }

  /** Internal: stores a record the handlers built and validated. */
  _save<C extends TwilioCollection>(collection: C, record: TwilioRecordOf[C]): void {
    (this.maps[collection] as Map<string, TwilioRecordOf[C]>).set(keyOf(collection, record), record);
  }

  /** Internal: deletes with the cascades; `true` if it existed. */
  _delete(sid: string): boolean {
    const found = this.locate(sid);
    if (!found) return false;
    const now = new Date().toISOString();
    switch (found.collection) {
      case "trunks":
        for (const [k, o] of this.maps.origination_urls) if (o.trunk_sid === sid) this.maps.origination_urls.delete(k);
        for (const [k, l] of this.maps.trunk_credential_lists) if (l.trunk_sid === sid) this.maps.trunk_credential_lists.delete(k);
        for (const [k, l] of this.maps.trunk_ip_access_control_lists) if (l.trunk_sid === sid) this.maps.trunk_ip_access_control_lists.delete(k);
        for (const [k, n] of this.maps.phone_numbers) if (n.trunk_sid === sid) this.maps.phone_numbers.set(k, { ...n, trunk_sid: null, date_updated: now });
        break;
      case "credential_lists":
        for (const [k, c] of this.maps.credentials) if (c.credential_list_sid === sid) this.maps.credentials.delete(k);
        for (const [k, l] of this.maps.trunk_credential_lists) if (l.sid === sid) this.maps.trunk_credential_lists.delete(k);
        break;
      case "ip_access_control_lists":
        for (const [k, a] of this.maps.ip_addresses) if (a.ip_access_control_list_sid === sid) this.maps.ip_addresses.delete(k);
        for (const [k, l] of this.maps.trunk_ip_access_control_lists) if (l.sid === sid) this.maps.trunk_ip_access_control_lists.delete(k);
        break;
      default:
        break;
    }
    (this.maps[found.collection] as Map<string, TwilioRecord>).delete(sid);
    return true;
  }

  /** Internal: takes a list or number off a trunk; `true` if it was on it. */
  _dissociate(trunkSid: string, sid: string): boolean {
    const prefix = sidPrefixOf(sid);
    if (prefix === "PN") {
      const n = this.maps.phone_numbers.get(sid);
      if (!n || n.trunk_sid !== trunkSid) return false;
      this.maps.phone_numbers.set(sid, { ...n, trunk_sid: null, date_updated: new Date().toISOString() });
      return true;
    }
    const links = prefix === "CL" ? this.maps.trunk_credential_lists : prefix === "AL" ? this.maps.trunk_ip_access_control_lists : undefined;
    return links?.delete(linkKey(trunkSid, sid)) ?? false;
  }

  private locate(sid: string): { collection: TwilioEntityCollection; record: TwilioRecord } | undefined {
    const prefix = sidPrefixOf(sid);
    const collection = prefix ? COLLECTION_BY_PREFIX[prefix] : undefined;
    if (!collection) return undefined;
    const record = (this.maps[collection] as Map<string, TwilioRecord>).get(sid);
    return record ? { collection, record } : undefined;
  }

  /** Fills what a create would and checks the result against the record's schema. */
  private build(collection: TwilioEntityCollection, input: Record<string, unknown>, isNew: boolean): TwilioRecord {
    const now = new Date().toISOString();
    const parent = PARENT[collection];
    const parentRecord = parent && typeof input[parent.member] === "string" ? this.locate(String(input[parent.member])) : undefined;
    const base: Record<string, unknown> = {
      sid: newSid(PREFIX_OF[collection]),
      account_sid: (parentRecord?.record as { account_sid?: string } | undefined)?.account_sid ?? this.defaultAccountSid,
      date_created: now,
      date_updated: now,
    };
    if (isNew) Object.assign(base, CREATE_DEFAULTS[collection](input));
    const record = { ...base, ...input } as Record<string, unknown>;
    const validate = VALIDATORS[collection];
    if (!validate(record)) {
      const problems = (validate.errors ?? []).slice(0, 5).map((e) => `${e.instancePath || "/"} ${e.message}`).join("; ");
      throw new TwilioStoreError(`invalid ${collection} record: ${problems}`);
    }
    for (const d of ["date_created", "date_updated"]) {
      if (Number.isNaN(Date.parse(String(record[d])))) throw new TwilioStoreError(`${d} is not a date: ${String(record[d])}`);
    }
    if (collection === "ip_addresses" && isIpv4(record.ip_address)) throw new TwilioStoreError(`ip_address ${String(record.ip_address)} is not an IPv4 address`);
    return record as unknown as TwilioRecord;
  }

  private checkReferences(collection: TwilioEntityCollection, record: TwilioRecord): void {
    const parent = PARENT[collection];
    if (parent) {
      const parentSid = (record as unknown as Record<string, string>)[parent.member];
      const p = (this.maps[parent.collection] as Map<string, TwilioRecord>).get(parentSid);
      if (!p) throw new TwilioStoreError(`${parent.member} ${parentSid} not found`);
      if ((p as { account_sid: string }).account_sid !== (record as { account_sid: string }).account_sid) {
        throw new TwilioStoreError(`${record.sid} must belong to the account of its parent ${parentSid}`);
      }
    }
    if (collection === "phone_numbers") {
      const n = record as PhoneNumberRecord;
      if (n.trunk_sid !== null && !this.maps.trunks.has(n.trunk_sid)) throw new TwilioStoreError(`trunk_sid ${n.trunk_sid} not found`);
    }
  }
}

/** Members a new record gets when the input leaves them out (what the API's create stores). */
const CREATE_DEFAULTS: Record<TwilioEntityCollection, (input: Record<string, unknown>) => Record<string, unknown>> = {
  trunks: () => ({
    friendly_name: null,
    domain_name: null,
    disaster_recovery_url: null,
    disaster_recovery_method: "POST",
    transfer_mode: "disable-all",
    transfer_caller_id: "from-transferee",
    secure: false,
    cnam_lookup_enabled: false,
    symmetric_rtp_enabled: false,
    recording: { mode: "do-not-record", trim: "do-not-trim" },
  }),
  origination_urls: () => ({ weight: 10, priority: 10, enabled: true, friendly_name: "" }),
  credential_lists: () => ({ friendly_name: "" }),
  credentials: () => ({}),
  ip_access_control_lists: () => ({ friendly_name: "" }),
  ip_addresses: (input) => ({ friendly_name: typeof input.ip_address === "string" ? input.ip_address : "", cidr_prefix_length: 32 }),
  phone_numbers: (input) => {
    const phone = typeof input.phone_number === "string" ? input.phone_number : "";
    const { date_created: _c, date_updated: _u, ...rest } = phoneNumberDefaults(phone, "");
    return rest;
  },
};
