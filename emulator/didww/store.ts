/**
 * The DIDWW state: trunks and DIDs in insertion order, plus the out-of-band edit API that drift
 * tests use (`handle.store.didww`). Every method is synchronous on the in-memory state, so two
 * requests can never interleave a read-modify-write; durability is a separate, queued step
 * (`flush()`; the HTTP handlers await it before acknowledging a write).
 */
import { ChangeLog, CommitQueue, TrackedMap, isObject, type RecordChange } from "../store-kit";
import { randomUUID } from "node:crypto";
import { LINK_RULES, STORE_ONLY_KEYS, WRITABLE_ATTRIBUTES } from "./fields";
import { cloneDid, cloneTrunk, DID_ATTRIBUTE_ORDER, type DidwwDid, type DidwwTrunk } from "./model";
import { canonicalId } from "./normalize";
import { applyTrunkWrite } from "./validate";
import type { JsonApiError } from "./messages";

/** What the persisted file and seed files hold for DIDWW. */
export interface DidwwState {
  trunks: DidwwTrunk[];
  dids: DidwwDid[];
}

/** Members whose input is wider than what is stored: the API's normalisation makes them fit. */
type Normalised = "status" | "capacity_limit" | "threshold_amount" | "authentication_method" | "rtp_timeout";

/**
 * A trunk for {@link DidwwStore.putTrunk} and seed files: the stored members (API attribute
 * names, see {@link DidwwTrunk}), all optional. Everything but `name`, `on_cli_mismatch_action`
 * and `authentication_method` defaults as on create. `capacity_limit`/`rtp_timeout` may be digits
 * as text and `threshold_amount` a number (`100`, `"100"`, `"100.00"` all become `"100.0"`);
 * `authentication_method` is `{ type, attributes }`, `ip_only` and explicit username/password
 * allowed; `dids`/`emergency_dids` are DID ids. A JSON:API resource object (`{ id, type,
 * attributes, relationships }`, e.g. pasted from a GET) is accepted too. Ids may be in any case.
 */
export type DidwwTrunkInput = Partial<Omit<DidwwTrunk, Normalised>> & {
  status?: string;
  capacity_limit?: number | string | null;
  threshold_amount?: number | string | null;
  authentication_method?: unknown;
  rtp_timeout?: number | string | null;
  [key: string]: unknown;
};

/** Attribute changes for {@link DidwwStore.updateTrunk}: API names, plus read-only ones and relationship id lists. */
export type DidwwTrunkPatch = DidwwTrunkInput;

/** A DID for {@link DidwwStore.addDid}: `number` is required, the rest defaults. */
export type DidwwDidInput = Partial<DidwwDid> & { number: string; [key: string]: unknown };

/** Thrown by out-of-band edits that fail validation; `errors` are the API's own error objects. */
export class DidwwStoreError extends Error {
  readonly errors: JsonApiError[];
  constructor(message: string, errors: JsonApiError[] = []) {
    super(errors.length > 0 ? `${message}: ${errors.map((e) => e.detail).join("; ")}` : message);
    this.name = "DidwwStoreError";
    this.errors = errors;
  }
}

/** Turns a JSON:API resource object into the flat input form; flat input passes through. */
function flattenResource(input: Record<string, unknown>): Record<string, unknown> {
  if (!isObject(input.attributes)) return input;
  const flat: Record<string, unknown> = { ...input.attributes };
  if (input.id !== undefined) flat.id = input.id;
  if (isObject(input.meta) && input.meta.spent_amount !== undefined) flat.spent_amount = input.meta.spent_amount;
  if (isObject(input.relationships)) {
    for (const [name, rel] of Object.entries(input.relationships)) {
      if (isObject(rel) && Array.isArray(rel.data)) flat[name] = rel.data.map((l) => (isObject(l) ? String(l.id) : String(l)));
    }
  }
  return flat;
}

export interface DidwwStoreHooks {
  /** Called after every mutation; resolves when the change is durable. */
  persist(): Promise<void>;
}

export class DidwwStore {
  private readonly changes = new ChangeLog();
  private trunks = TrackedMap.of<DidwwTrunk>(this.changes, "trunks");
  private dids = TrackedMap.of<DidwwDid>(this.changes, "dids");
  private readonly hooks: DidwwStoreHooks;
  private initial: DidwwState;
  private readonly queue = new CommitQueue(() => this.hooks.persist());

  constructor(initial: DidwwState, hooks: DidwwStoreHooks = { persist: () => Promise.resolve() }) {
    this.hooks = hooks;
    this.initial = structuredClone(initial);
    this.load(initial);
  }

  /** Replaces the whole state (used at start-up from the data file or seed). */
  load(state: DidwwState): void {
    const trunk = (t: DidwwTrunk): DidwwTrunk => ({
      ...cloneTrunk(t),
      id: canonicalId(t.id),
      dids: t.dids.map(canonicalId),
      emergency_dids: t.emergency_dids.map(canonicalId),
    });
    this.trunks = TrackedMap.of(this.changes, "trunks", state.trunks.map((t) => [canonicalId(t.id), trunk(t)] as const));
    this.dids = TrackedMap.of(this.changes, "dids", state.dids.map((d) => [canonicalId(d.id), { ...cloneDid(d), id: canonicalId(d.id) }] as const));
    this.changes.replaced();
  }

  /** Internal (data file journal): records changes from now on. */
  _trackChanges(): void {
    this.changes.enabled = true;
  }

  /** Internal (data file journal): the record changes since the last call, or "full" (see ChangeLog). */
  _drainChanges(): RecordChange[] | "full" {
    return this.changes.drain((collection, key) => (collection === "trunks" ? this.trunks : this.dids).get(key));
  }

  /** A deep copy of the whole state, for persistence. */
  snapshot(): DidwwState {
    return { trunks: [...this.trunks.values()].map(cloneTrunk), dids: [...this.dids.values()].map(cloneDid) };
  }

  /** Records a mutation for persistence; returns when it is durable (immediately in memory mode). */
  commit(): Promise<void> {
    return this.queue.commit();
  }

  /** Persists an out-of-band edit in the background; a failure surfaces on the next flush(). */
  private commitInBackground(): void {
    this.queue.inBackground();
  }


  /** Resolves once every change made so far is durable; rejects if a background write failed. */
  flush(): Promise<void> {
    return this.queue.flush();
  }

  // --------------------------------------------------------------------------------------------
  // Reads (copies: callers cannot mutate the state by accident). Ids in any case (canonicalId).
  // --------------------------------------------------------------------------------------------

  getTrunk(id: string): DidwwTrunk | undefined {
    const t = this.trunks.get(canonicalId(id));
    return t && cloneTrunk(t);
  }

  listTrunks(): DidwwTrunk[] {
    return [...this.trunks.values()].map(cloneTrunk);
  }

  getDid(id: string): DidwwDid | undefined {
    const d = this.dids.get(canonicalId(id));
    return d && cloneDid(d);
  }

  listDids(): DidwwDid[] {
    return [...this.dids.values()].map(cloneDid);
  }

  /** Internal: the live record (handlers only; never handed out). */
  _peekTrunk(id: string): DidwwTrunk | undefined {
    return this.trunks.get(canonicalId(id));
  }

  /** Internal: live DID lookup for validation. */
  _peekDid = (id: string): DidwwDid | undefined => this.dids.get(canonicalId(id));

  /** Internal: iteration without copying, for list queries; creation order. */
  _allTrunks(): DidwwTrunk[] {
    return [...this.trunks.values()];
  }

  _allDids(): DidwwDid[] {
    return [...this.dids.values()];
  }

  /** Internal: stores a trunk the handlers validated (its id already canonical). */
  _save(trunk: DidwwTrunk): void {
    this.trunks.set(trunk.id, trunk);
  }

  /** Internal: removes a trunk; `true` if it existed. */
  _remove(id: string): boolean {
    return this.trunks.delete(canonicalId(id));
  }

  // --------------------------------------------------------------------------------------------
  // Out-of-band edits (drift tests, admin route). Synchronous; durability via flush().
  // --------------------------------------------------------------------------------------------

  /**
   * Changes attributes of a trunk as if someone edited it in the DIDWW panel. API attribute names;
   * the API's normalisation applies (IPs to CIDR, decimals to "100.0", credentials generated on a
   * switch to credentials_and_ip). Business rules that only the public API enforces are skipped:
   * `ip_only` may be set, username/password may be given, read-only fields (`created_at`,
   * `threshold_reached`, `spent_amount`) may be changed, `dids`/`emergency_dids` take id lists.
   * Throws {@link DidwwStoreError} for an unknown trunk or an invalid value.
   */
  updateTrunk(id: string, patch: DidwwTrunkPatch): DidwwTrunk {
    const existing = this.trunks.get(canonicalId(id));
    if (!existing) throw new DidwwStoreError(`voice_out_trunk ${id} not found`);
    const flat = flattenResource(patch);
    if (flat.id !== undefined && canonicalId(String(flat.id)) !== existing.id) {
      throw new DidwwStoreError(`updateTrunk: the id of a trunk cannot change (${id} → ${String(flat.id)})`);
    }
    const trunk = this.buildTrunk(flat, existing);
    this.trunks.set(trunk.id, trunk);
    this.commitInBackground();
    return cloneTrunk(trunk);
  }

  /**
   * Inserts or replaces a whole trunk (id generated when absent). Missing attributes take the
   * create defaults; `name`, `on_cli_mismatch_action` and `authentication_method` are required.
   */
  putTrunk(input: DidwwTrunkInput): DidwwTrunk {
    const flat = flattenResource(input);
    for (const required of ["name", "on_cli_mismatch_action", "authentication_method"]) {
      if (flat[required] === undefined) throw new DidwwStoreError(`putTrunk: ${required} is required`);
    }
    const trunk = this.buildTrunk(flat, undefined);
    this.trunks.set(trunk.id, trunk);
    this.commitInBackground();
    return cloneTrunk(trunk);
  }

  /** Deletes a trunk out of band; `true` if it existed. */
  deleteTrunk(id: string): boolean {
    const existed = this.trunks.delete(canonicalId(id));
    if (existed) this.commitInBackground();
    return existed;
  }

  /** Adds (or replaces, same id) a DID the account owns. Returns the stored DID. */
  addDid(input: DidwwDidInput): DidwwDid {
    const did = normalizeDid(input);
    this.dids.set(did.id, did);
    this.commitInBackground();
    return cloneDid(did);
  }

  /** Removes a DID and every trunk reference to it; `true` if it existed. */
  deleteDid(id: string): boolean {
    const key = canonicalId(id);
    if (!this.dids.delete(key)) return false;
    for (const t of this.trunks.values()) {
      if (!t.dids.includes(key) && !t.emergency_dids.includes(key)) continue;
      t.dids = t.dids.filter((d) => d !== key);
      t.emergency_dids = t.emergency_dids.filter((d) => d !== key);
      this.trunks.set(t.id, t); // changed in place: recorded for the journal
    }
    this.commitInBackground();
    return true;
  }

  /** Back to the start-up state (default DIDs plus the seed; not the data file's content). */
  reset(): void {
    this.load(this.initial);
    this.commitInBackground();
  }

  /** Internal: the state reset() returns to. */
  _setInitial(state: DidwwState): void {
    this.initial = structuredClone(state);
  }

  private buildTrunk(flat: Record<string, unknown>, existing: DidwwTrunk | undefined): DidwwTrunk {
    const unknown = Object.keys(flat).filter((k) => !WRITABLE_ATTRIBUTES.includes(k) && !STORE_ONLY_KEYS.includes(k));
    if (unknown.length > 0) throw new DidwwStoreError(`unknown trunk attribute(s): ${unknown.join(", ")}`);
    const attributes: Record<string, unknown> = {};
    for (const k of WRITABLE_ATTRIBUTES) if (flat[k] !== undefined) attributes[k] = flat[k];
    const relationships: { dids?: string[]; emergency_dids?: string[] } = {};
    for (const { name } of LINK_RULES) {
      const v = flat[name];
      if (v === undefined) continue;
      if (!Array.isArray(v) || !v.every((x) => typeof x === "string")) throw new DidwwStoreError(`${name} must be an array of DID ids`);
      relationships[name] = [...new Set((v as string[]).map(canonicalId))];
    }
    const result = applyTrunkWrite({ attributes, relationships }, { mode: "store", existing, getDid: this._peekDid });
    if (!result.ok) throw new DidwwStoreError("invalid trunk", result.errors);
    const id = flat.id !== undefined ? canonicalId(String(flat.id)) : existing?.id ?? randomUUID();
    const created_at = flat.created_at !== undefined ? String(flat.created_at) : existing?.created_at ?? new Date().toISOString();
    const trunk: DidwwTrunk = { id, created_at, ...result.value };
    if (flat.threshold_reached !== undefined) {
      if (typeof flat.threshold_reached !== "boolean") throw new DidwwStoreError("threshold_reached must be a boolean");
      trunk.threshold_reached = flat.threshold_reached;
    }
    if (flat.spent_amount !== undefined) trunk.spent_amount = String(flat.spent_amount);
    if (Number.isNaN(Date.parse(trunk.created_at))) throw new DidwwStoreError(`created_at is not a date: ${trunk.created_at}`);
    return trunk;
  }
}

/** Fills a DID's defaults and checks its types. */
export function normalizeDid(input: Record<string, unknown>): DidwwDid {
  const flat = flattenResource(input);
  const known = new Set<string>(["id", ...DID_ATTRIBUTE_ORDER]);
  const unknown = Object.keys(flat).filter((k) => !known.has(k) && k !== "type" && k !== "relationships");
  if (unknown.length > 0) throw new DidwwStoreError(`unknown DID attribute(s): ${unknown.join(", ")}`);
  if (typeof flat.number !== "string" || flat.number === "") throw new DidwwStoreError("a DID needs a number (E.164 without +)");
  const did: DidwwDid = {
    id: flat.id !== undefined ? canonicalId(String(flat.id)) : randomUUID(),
    blocked: false,
    capacity_limit: null,
    description: null,
    terminated: false,
    awaiting_registration: false,
    number: flat.number,
    expires_at: null,
    channels_included_count: 0,
    created_at: new Date().toISOString(),
    pending_removal: false,
    dedicated_channels_count: 0,
    emergency_enabled: false,
  };
  const types: Record<string, string> = {
    blocked: "boolean", terminated: "boolean", awaiting_registration: "boolean", pending_removal: "boolean", emergency_enabled: "boolean",
    channels_included_count: "number", dedicated_channels_count: "number",
  };
  for (const key of DID_ATTRIBUTE_ORDER) {
    const v = flat[key];
    if (v === undefined || key === "number") continue;
    const expected = types[key];
    if (expected && typeof v !== expected) throw new DidwwStoreError(`DID ${key} must be a ${expected}`);
    (did as unknown as Record<string, unknown>)[key] = v;
  }
  return did;
}
