/**
 * Twilio v2010 SIP lists with their entries, once for both: a credential list with its
 * credentials, an IP access control list with its IP addresses. What differs per resource is
 * data (a {@link ListSpec} with its {@link ChildKind}: paths, the entry's identity, its forms and
 * outputs); everything else is here:
 *
 * - pure: the entries as a keyed set (planned by common/keyed-set.ts as remove / update in place /
 *   create), the diff, the outputs, the applied-inputs snapshot and the read-back as inputs;
 * - I/O: the calls a plan needs (common/keyed-set.ts orders them: removes first, so a freed name or
 *   slot can be taken again, then updates, then creates reconciled when ambiguous), and the runtime
 *   hooks of the list resource: create (list POST reconciled by name, then one POST per entry),
 *   read (one GET and one list), update (only what changed), delete (one DELETE: Twilio, and the
 *   emulator, delete a list's entries with it), adoption.
 *
 * A failure after the list exists reports what exists so far (PartialCreateError on create,
 * {@link PartialUpdateError} on update), so the engine records it and the next `up` finishes.
 */
import { appliedSnapshot, APPLIED_INPUTS_KEY, diffFields, fieldsAsInputs, withDefaults as fillDefaults, type FieldChange } from "../common/diff";
import { VendorApiError, type InputFailure } from "../common/errors";
import { applyPlan, ChildWriteError, planChanges, planChildren, type ChildPlan, type KeyedSet } from "../common/keyed-set";
import type { ControlField, FieldSpec } from "../common/fields";
import { createWithReconcile, defineRuntime, PartialCreateError, PartialUpdateError, type Runtime } from "../common/runtime";

export { PartialUpdateError } from "../common/runtime";
export { ChildWriteError, planChanges, planChildren, planIsEmpty, withDuplicateFailures, type ChildPlan } from "../common/keyed-set";
import { VendorResponseError, type WireKind } from "../common/response";
import { containsUnknown } from "../common/unknown";
import { twilioClient, twilioSettings, type FormValue, type TwilioClient } from "./client";
import { createForm, fieldOutputs, paramNames, updateForm, wireValue } from "./mapping";

type Bag = Record<string, unknown>;
export type Form = Record<string, FormValue>;

/** The output form every entry has: its own SID. */
export interface ChildOut {
  sid: string;
}

/** One kind of list entry as data: where it lives, what identifies it (the shared {@link KeyedSet}), how it is written and read. */
export interface ChildKind<D extends object, L extends ChildOut> extends KeyedSet<D, L, Form> {
  /** What one entry is called in messages, e.g. `credential`. */
  noun: string;
  /** The collection under the list, e.g. `Credentials` (`…/{list}/Credentials.json`). */
  segment: string;
  /** The member of a list page holding the records, e.g. `credentials`. */
  key: string;
  /** An entry with its documented defaults filled in (values still unknown stay as they are). */
  withDefaults(entry: D): D;
  createForm(desired: D): Form;
  /** Form parameter → input name, so a Twilio error about one entry names it. */
  params(desired: D): Record<string, string>;
  /** A record as an output entry; `sent` is the entry just written (its secrets are hashed), `prior` the output entry it replaces. */
  fromRecord(record: Bag, sent: D | undefined, prior: L | undefined): L;
  /** The entry as the applied-inputs snapshot keeps it (secrets replaced by what `written` holds). */
  appliedEntry(entry: D, written: L | undefined): unknown;
  /** A live entry written as an input; `said` is the applied entry of the same identity, when there is one. */
  asInput(live: L, said: Bag | undefined): unknown;
  /** The order of output entries. */
  compare(a: L, b: L): number;
}

/** A member an entry cannot do without (its SID, its identity), in its wire type; a missing one is an unusable answer. */
export function requiredMember(subject: string, record: Readonly<Bag>, key: string, kind: WireKind): unknown {
  const value = wireValue(subject, record, key, kind);
  if (value === null) throw new VendorResponseError("Twilio", subject, key, record[key], `present (a ${kind})`);
  return value;
}

/** `noun SID` of a record, for messages about its members. */
export function subjectOf(noun: string, record: Readonly<Bag>): string {
  return `${noun} ${typeof record.sid === "string" ? record.sid : "(no sid)"}`;
}

// ------------------------------------------------------------------------------------------------
// Pure: the list resource's inputs and outputs
// ------------------------------------------------------------------------------------------------

/** Inputs of a list resource as the runtime sees them: possibly partial, possibly holding engine keys. */
export interface ListIn {
  friendlyName?: string;
  importId?: string;
  onImportMismatch?: "fail" | "update";
  __provider?: string;
  [input: string]: unknown;
}

/** Outputs of a list resource as stored. */
export interface ListOut {
  sid?: string;
  accountSid?: string | null;
  friendlyName?: string | null;
  dateCreated?: string | null;
  dateUpdated?: string | null;
  importId?: string | null;
  onImportMismatch?: "fail" | "update" | null;
  [APPLIED_INPUTS_KEY]?: Bag;
  __provider?: string;
  [output: string]: unknown;
}

/** One list resource as data. */
export interface ListSpec<D extends object, L extends ChildOut> {
  /** `twilio.SipCredentialList`. */
  resource: string;
  /** What one list is called in messages, e.g. `credential list`. */
  noun: string;
  /** The collection under `…/Accounts/{AC}/SIP/`, e.g. `CredentialLists`. */
  segment: string;
  /** The member of a page of lists, e.g. `credential_lists`. */
  key: string;
  /** The list's own fields (its friendly name). */
  fields: readonly FieldSpec[];
  controls: Readonly<Record<string, ControlField>>;
  child: ChildKind<D, L>;
  validate(inputs: unknown): InputFailure[];
  /** Twilio's error code for a create refused because the name is taken, where names are unique per account. */
  nameTakenCode?: number;
}

/** The desired entries with their defaults, or `undefined` while any of them is unknown. Omitted means none. */
export function desiredChildren<D extends object>(kind: ChildKind<D, ChildOut>, inputs: ListIn): D[] | undefined {
  const given = inputs[kind.input];
  if (given === undefined || given === null) return [];
  if (containsUnknown(given)) return undefined;
  return (given as D[]).map((e) => kind.withDefaults(e));
}

export function liveChildren<L extends ChildOut>(kind: ChildKind<object, L>, outputs: ListOut): L[] {
  const live = outputs[kind.input];
  return Array.isArray(live) ? (live as L[]) : [];
}

/** The inputs with what omitting means filled in: no entries; each entry's documented defaults. */
export function listWithDefaults<D extends object, L extends ChildOut>(spec: ListSpec<D, L>, inputs: ListIn): ListIn {
  const out: ListIn = fillDefaults(spec.fields, inputs);
  const given = inputs[spec.child.input];
  if (given === undefined || given === null) out[spec.child.input] = [];
  else if (Array.isArray(given)) out[spec.child.input] = given.map((e) => (e !== null && typeof e === "object" ? spec.child.withDefaults(e as D) : e));
  return out;
}

/**
 * What must change for the list Twilio last reported (`outputs`) to match `inputs`: its fields,
 * then one entry per entry call. `readableOnly` leaves out what a read cannot see (adoption).
 */
export function diffList<D extends object, L extends ChildOut>(spec: ListSpec<D, L>, outputs: ListOut, inputs: ListIn, readableOnly = false): FieldChange[] {
  const changes = diffFields(spec.fields, outputs, inputs);
  const desired = desiredChildren(spec.child, inputs);
  if (desired === undefined) return [...changes, { property: spec.child.input, live: outputs[spec.child.input] ?? null, desired: inputs[spec.child.input] }];
  return [...changes, ...planChanges(spec.child, planChildren(spec.child, liveChildren(spec.child, outputs), desired, readableOnly))];
}

/** The list's own members of a record (sid, account, fields, dates), checked against their wire types. */
export function listRecordOutputs<D extends object, L extends ChildOut>(spec: ListSpec<D, L>, record: Readonly<Bag>): Bag {
  const subject = subjectOf(spec.noun, record);
  return {
    ...fieldOutputs(spec.fields, record, subject),
    sid: wireValue(subject, record, "sid", "string"),
    accountSid: wireValue(subject, record, "account_sid", "string"),
    dateCreated: wireValue(subject, record, "date_created", "string"),
    dateUpdated: wireValue(subject, record, "date_updated", "string"),
  };
}

/** The applied-inputs snapshot: the inputs just applied, entries as {@link ChildKind.appliedEntry} keeps them (never a secret). */
export function appliedInputs<D extends object, L extends ChildOut>(spec: ListSpec<D, L>, inputs: ListIn, children: readonly L[]): Bag {
  const { __provider: _provider, ...rest } = inputs;
  const entries = rest[spec.child.input];
  if (!Array.isArray(entries) || containsUnknown(entries)) return rest;
  const written = new Map(children.map((l) => [spec.child.identity(l), l]));
  return { ...rest, [spec.child.input]: entries.map((e: D) => spec.child.appliedEntry(e, written.get(spec.child.identity(spec.child.withDefaults(e))))) };
}

/**
 * The full outputs: the list's members (from a record, or the prior outputs), its entries sorted,
 * the adoption controls, and the applied-inputs snapshot (`applied` when any, else the prior one).
 */
export function listOutputs<D extends object, L extends ChildOut>(spec: ListSpec<D, L>, list: Bag, children: readonly L[], prior: ListOut, applied: ListIn): ListOut {
  const out: Bag = { ...list, [spec.child.input]: [...children].sort(spec.child.compare) };
  for (const key of Object.keys(spec.controls) as ("importId" | "onImportMismatch")[]) {
    const v = applied[key] !== undefined ? applied[key] : prior[key];
    if (v !== undefined && v !== null) out[key] = v;
  }
  const hasApplied = Object.keys(applied).some((k) => k !== "__provider");
  const snapshot = hasApplied ? appliedInputs(spec, applied, children) : appliedSnapshot({}, prior);
  if (snapshot !== undefined) out[APPLIED_INPUTS_KEY] = snapshot;
  return JSON.parse(JSON.stringify(out)) as ListOut;
}

/** The list's own members of prior outputs (when nothing of the list itself was written). */
function priorListPart(outputs: ListOut, spec: ListSpec<object, ChildOut>): Bag {
  const keys = [...spec.fields.map((f) => f.input), "sid", "accountSid", "dateCreated", "dateUpdated"];
  return Object.fromEntries(keys.map((k) => [k, outputs[k] ?? null]));
}

/** The live list written as inputs (what `read` returns), in the program's spelling where the meaning is unchanged. */
export function listAsInputs<D extends object, L extends ChildOut>(spec: ListSpec<D, L>, outputs: ListOut): ListIn {
  const applied = outputs[APPLIED_INPUTS_KEY];
  const inputs: ListIn = fieldsAsInputs(spec.fields, outputs, applied);
  const said = new Map<string, Bag>();
  const saidEntries = applied?.[spec.child.input];
  if (Array.isArray(saidEntries)) {
    for (const e of saidEntries as Bag[]) if (e !== null && typeof e === "object") said.set(spec.child.identity(spec.child.withDefaults(e as D)), e);
  }
  inputs[spec.child.input] = liveChildren(spec.child, outputs).map((l) => spec.child.asInput(l, said.get(spec.child.identity(l))));
  for (const key of Object.keys(spec.controls)) {
    if (outputs[key] !== undefined && outputs[key] !== null) inputs[key] = outputs[key];
  }
  return inputs;
}

// ------------------------------------------------------------------------------------------------
// I/O: entry calls
// ------------------------------------------------------------------------------------------------

const SIP = (c: TwilioClient) => `${c.accountPath}/SIP`;
const listPath = (c: TwilioClient, spec: ListSpec<object, ChildOut>, sid: string) => `${SIP(c)}/${spec.segment}/${encodeURIComponent(sid)}`;
const childrenPath = (c: TwilioClient, spec: ListSpec<object, ChildOut>, sid: string) => `${listPath(c, spec, sid)}/${spec.child.segment}`;

/** Every entry of a list as outputs; a prior output entry of the same SID passes on what a read cannot see. */
export async function readChildren<D extends object, L extends ChildOut>(c: TwilioClient, spec: ListSpec<D, L>, sid: string, prior: readonly L[]): Promise<L[]> {
  const bySid = new Map(prior.map((l) => [l.sid, l]));
  const records = await c.list("api", `${childrenPath(c, spec, sid)}.json`, spec.child.key);
  return records.map((r) => spec.child.fromRecord(r, undefined, bySid.get(String(r.sid))));
}

/** One entry POST; an ambiguous outcome is reconciled by listing the entries and finding the one of that identity. */
async function createChild<D extends object, L extends ChildOut>(c: TwilioClient, spec: ListSpec<D, L>, sid: string, desired: D): Promise<L> {
  const kind = spec.child;
  const collection = `${childrenPath(c, spec, sid)}.json`;
  const { result } = await createWithReconcile({
    resource: spec.resource,
    label: JSON.stringify(kind.describe(desired)),
    noun: kind.noun,
    attempt: () => c.createOutcome("api", collection, kind.createForm(desired), kind.params(desired), (r) => void kind.fromRecord(r, undefined, undefined)),
    find: async () => (await c.list("api", collection, kind.key)).filter((r) => kind.identity(kind.fromRecord(r, undefined, undefined)) === kind.identity(desired)),
    idOf: (r) => String(r.sid),
  });
  return kind.fromRecord(result, desired, undefined);
}

/**
 * Makes the calls of `plan` on list `sid` (common/keyed-set.ts orders them: removes, in-place
 * updates, creates; a removed entry already gone is fine). Returns every entry as it is now;
 * throws a {@link ChildWriteError} holding the same when a call fails.
 */
export function applyChildren<D extends object, L extends ChildOut>(c: TwilioClient, spec: ListSpec<D, L>, sid: string, plan: ChildPlan<D, L, Form>): Promise<L[]> {
  const kind = spec.child;
  const entryPath = (l: L) => `${childrenPath(c, spec, sid)}/${encodeURIComponent(l.sid)}.json`;
  return applyPlan(plan, {
    idOf: (l) => l.sid,
    remove: async (l) => void (await c.remove("api", entryPath(l))),
    update: async (u) => kind.fromRecord(await c.update("api", entryPath(u.live), u.form, kind.params(u.desired)), u.desired, u.live),
    create: (d) => createChild(c, spec, sid, d),
  });
}

// ------------------------------------------------------------------------------------------------
// I/O: the list resource
// ------------------------------------------------------------------------------------------------

/** How far `date_created` of a list found after an ambiguous create may be from our clock. */
const RECONCILE_WINDOW_MS = 15 * 60 * 1000;

async function fetchList<D extends object, L extends ChildOut>(spec: ListSpec<D, L>, sid: string, prior: ListOut | undefined, inputs: ListIn): Promise<ListOut | undefined> {
  const c = twilioClient();
  const record = await c.fetch("api", `${listPath(c, spec, sid)}.json`);
  if (!record) return undefined;
  const children = await readChildren(c, spec, sid, liveChildren(spec.child, prior ?? {}));
  return listOutputs(spec, listRecordOutputs(spec, record), children, prior ?? {}, prior ? {} : inputs);
}

/** Lists of the program's name made around `startedAt` (the name is the only thing a new list has). */
async function findCreatedLists(c: TwilioClient, spec: ListSpec<object, ChildOut>, name: unknown, startedAt: number): Promise<Bag[]> {
  const all = await c.list("api", `${SIP(c)}/${spec.segment}.json`, spec.key);
  return all.filter((r) => {
    const created = Date.parse(String(r.date_created ?? ""));
    return r.friendly_name === name && Number.isFinite(created) && Math.abs(created - startedAt) < RECONCILE_WINDOW_MS;
  });
}

/** A create refused because the name is taken says which list has it and how to adopt it. */
async function explainNameTaken(c: TwilioClient, spec: ListSpec<object, ChildOut>, name: unknown, err: unknown): Promise<unknown> {
  if (!(err instanceof VendorApiError) || spec.nameTakenCode === undefined || !err.problems.some((p) => p.vendorCode === String(spec.nameTakenCode))) return err;
  const holder = (await c.list("api", `${SIP(c)}/${spec.segment}.json`, spec.key).catch(() => [])).find((r) => r.friendly_name === name);
  if (!holder) return err;
  return new Error(
    `${spec.resource}: a ${spec.noun} named ${JSON.stringify(name)} already exists in this Twilio account (${String(holder.sid)}); Twilio allows one ${spec.noun} per name.\n` +
      `Adopt it with the resource option \`import: "${String(holder.sid)}"\`, or choose another friendlyName.\n${err.message}`,
  );
}

async function createList<D extends object, L extends ChildOut>(spec: ListSpec<D, L>, inputs: ListIn): Promise<{ id: string; outs: ListOut }> {
  const c = twilioClient();
  const params = paramNames(spec.fields);
  let record: Bag;
  try {
    ({ result: record } = await createWithReconcile({
      resource: spec.resource,
      label: String(inputs.friendlyName),
      noun: spec.noun,
      attempt: () => c.createOutcome("api", `${SIP(c)}/${spec.segment}.json`, createForm(spec.fields, inputs), params, (r) => void listRecordOutputs(spec, r)),
      find: (startedAt) => findCreatedLists(c, spec, inputs.friendlyName, startedAt),
      idOf: (r) => String(r.sid),
    }));
  } catch (err) {
    throw await explainNameTaken(c, spec, inputs.friendlyName, err);
  }
  const sid = String(record.sid);
  const list = listRecordOutputs(spec, record);
  // A new list has no entries: each desired entry is one POST.
  const plan = planChildren(spec.child, [], desiredChildren(spec.child, inputs) ?? []);
  try {
    return { id: sid, outs: listOutputs(spec, list, await applyChildren(c, spec, sid, plan), {}, inputs) };
  } catch (err) {
    const done = err instanceof ChildWriteError ? (err.children as L[]) : [];
    const cause = err instanceof ChildWriteError ? err.failure : err;
    throw new PartialCreateError(spec.resource, spec.noun, sid, { ...listOutputs(spec, list, done, {}, inputs), __provider: inputs.__provider }, cause, "adding its entries");
  }
}

async function updateList<D extends object, L extends ChildOut>(spec: ListSpec<D, L>, sid: string, olds: ListOut, news: ListIn, changes: FieldChange[]): Promise<ListOut> {
  const c = twilioClient();
  const form = updateForm(spec.fields, news, changes);
  const list = Object.keys(form).length ? listRecordOutputs(spec, await c.update("api", `${listPath(c, spec, sid)}.json`, form, paramNames(spec.fields))) : priorListPart(olds, spec);
  const plan = planChildren(spec.child, liveChildren(spec.child, olds), desiredChildren(spec.child, news) ?? []);
  try {
    return listOutputs(spec, list, await applyChildren(c, spec, sid, plan), olds, news);
  } catch (err) {
    if (!(err instanceof ChildWriteError)) throw err;
    // The list's own change (if any) and the entry calls made so far are recorded; the snapshot stays the old one.
    throw new PartialUpdateError(spec.resource, spec.noun, sid, { ...listOutputs(spec, list, err.children as L[], olds, {}), __provider: news.__provider }, err.failure);
  }
}

/** The runtime of a list resource: the shared sequencing (common/runtime.ts) with the hooks above. */
export function defineListRuntime<D extends object, L extends ChildOut>(spec: ListSpec<D, L>): Runtime<ListIn, ListOut> {
  return defineRuntime<ListIn, ListOut>({
    resource: spec.resource,
    vendor: "Twilio",
    noun: spec.noun,
    validate: spec.validate,
    settings: () => void twilioSettings(),
    withDefaults: (inputs) => listWithDefaults(spec, inputs),
    diff: (olds, news) => diffList(spec, olds, news),
    // A read cannot see write-only values (passwords): they are no mismatch, and `adopted` sets them.
    adoptionChanges: (live, inputs) => diffList(spec, live, inputs, true),
    importId: (inputs) => String(inputs.importId),
    label: (inputs) => String(inputs.friendlyName ?? "(unnamed)"),
    fetch: (sid, prior, inputs) => fetchList(spec, sid, prior, inputs),
    async adopted(sid, live, inputs) {
      const rest = diffList(spec, live, inputs);
      return rest.length ? updateList(spec, sid, live, inputs, rest) : listOutputs(spec, priorListPart(live, spec), liveChildren(spec.child, live), live, inputs);
    },
    create: (inputs) => createList(spec, inputs),
    update: (sid, olds, news, changes) => updateList(spec, sid, olds, news, changes),
    inputsFromOutputs: (outs) => listAsInputs(spec, outs),
    async delete(sid) {
      // One call: deleting a list deletes its entries (the emulator models it so; a 404 means already gone).
      const c = twilioClient();
      await c.remove("api", `${listPath(c, spec, sid)}.json`);
    },
  });
}
