/**
 * What runs inside the Pulumi dynamic provider host for `twilio.Trunk`: the hooks of the shared
 * runtime (provider/common/runtime.ts). Loaded by package name from the serialized provider.
 *
 * API calls of `twilio.Trunk` (the floor, kept): create 1 (POST); update 1 (POST with the changed
 * parameters); refresh 1 (GET) plus one list per association the program manages; delete 1;
 * adoption 1 plus those lists; a no-op preview 0. A non-default recording costs one Recording
 * POST, each association change one add or remove call; when any of these ran, one GET reads
 * back what they changed on the trunk (`auth_type`, `date_updated`).
 */
import { createWithReconcile, defineRuntime, PartialCreateError } from "../common/runtime";
import { twilioClient, twilioSettings, type TwilioClient } from "./client";
import { createForm, paramNames, updateForm } from "./mapping";
import { ASSOCIATIONS, TRUNK_FIELDS, TRUNK_RESOURCE, validateTrunkInputs, type AssociationName, type AssociationSpec } from "./trunk-fields";
import { associationDelta, desiredRecording, diffTrunk, isAssociationManaged, trunkAsInputs, trunkOutputs, trunkWithDefaults, type FieldChange, type TrunkIn, type TrunkOut } from "./trunk-mapping";
import type { TrunkOutputs } from "./trunk-types";

/** How far `date_created` of a trunk found after an ambiguous create may be from our clock. */
const RECONCILE_WINDOW_MS = 15 * 60 * 1000;
const TRUNKS = "/v1/Trunks";
const TRUNK_PARAMS = paramNames(TRUNK_FIELDS);
/** Twilio codes that are about one input: 21248 "Trunk Domain already taken". */
const TRUNK_CODES = { 21248: "domainName" };

const client = twilioClient;

const trunkPath = (sid: string) => `${TRUNKS}/${encodeURIComponent(sid)}`;

async function listAssociation(c: TwilioClient, sid: string, a: AssociationSpec): Promise<string[]> {
  const records = await c.list("trunking", `${trunkPath(sid)}/${a.path}`, a.key);
  return records.map((r) => String(r.sid));
}

/** The SIDs of every association managed by `inputs` (or, for a refresh, by the stored outputs). */
async function readAssociations(c: TwilioClient, sid: string, managed: readonly AssociationSpec[]): Promise<Partial<Record<AssociationName, string[]>>> {
  const out: Partial<Record<AssociationName, string[]>> = {};
  for (const a of managed) out[a.input] = await listAssociation(c, sid, a);
  return out;
}

/**
 * Attaches one SID. An add is not repeated blindly: when it fails in any way (a lost answer, a
 * 5xx after Twilio attached it, "already associated" after such a loss), the association is
 * listed, and present means done. One more call, only on failure.
 */
async function addAssociation(c: TwilioClient, sid: string, a: AssociationSpec, s: string): Promise<void> {
  try {
    await c.add("trunking", `${trunkPath(sid)}/${a.path}`, { [a.param]: s }, { [a.param]: a.input });
  } catch (err) {
    let attached: string[];
    try {
      attached = await listAssociation(c, sid, a);
    } catch {
      throw err;
    }
    if (!attached.includes(s)) throw err;
  }
}

/** The live trunk as outputs, or `undefined` when Twilio has no such trunk. */
async function fetchTrunk(c: TwilioClient, sid: string, managed: readonly AssociationSpec[], prior: TrunkOut, applied: TrunkIn): Promise<TrunkOutputs | undefined> {
  const record = await c.fetch("trunking", trunkPath(sid));
  if (!record) return undefined;
  return trunkOutputs(record, await readAssociations(c, sid, managed), prior, applied);
}

/**
 * Applies the recording and association changes that need calls of their own, starting from
 * `outs`; returns the new outputs (read back with one GET when anything was sent).
 */
async function applySubResources(c: TwilioClient, sid: string, outs: TrunkOutputs, inputs: TrunkIn, changes: readonly FieldChange[]): Promise<TrunkOutputs> {
  let sent = false;
  const props = new Set(changes.map((ch) => ch.property.split(".")[0]));
  const recording = desiredRecording(inputs);
  if (props.has("recording") && recording) {
    await c.update("trunking", `${trunkPath(sid)}/Recording`, { Mode: recording.mode, Trim: recording.trim }, { Mode: "recording.mode", Trim: "recording.trim" });
    sent = true;
  }
  const associations: Partial<Record<AssociationName, string[]>> = {};
  for (const a of ASSOCIATIONS) {
    const desired = inputs[a.input];
    if (!props.has(a.input) || desired === undefined) continue;
    const live = Array.isArray(outs[a.input]) ? (outs[a.input] as string[]) : await listAssociation(c, sid, a);
    const { remove, add } = associationDelta(live, desired);
    const now = new Set(live);
    try {
      for (const s of remove) {
        await c.remove("trunking", `${trunkPath(sid)}/${a.path}/${encodeURIComponent(s)}`);
        now.delete(s);
        sent = true;
      }
      for (const s of add) {
        await addAssociation(c, sid, a, s);
        now.add(s);
        sent = true;
      }
    } finally {
      associations[a.input] = [...now];
    }
  }
  if (!sent) return { ...outs, ...sortedAssociations(associations) };
  const fresh = await c.fetch("trunking", trunkPath(sid));
  if (!fresh) throw new Error(`${TRUNK_RESOURCE}: trunk ${sid} disappeared while it was being written`);
  return trunkOutputs(fresh, associations, outs, inputs);
}

function sortedAssociations(a: Partial<Record<AssociationName, string[]>>): Partial<Record<AssociationName, string[]>> {
  return Object.fromEntries(Object.entries(a).map(([k, v]) => [k, [...(v as string[])].sort()]));
}

/** Trunks made around `startedAt` that are exactly the one the program describes (the domain name, when given, is unique). */
async function findCreatedTrunks(c: TwilioClient, inputs: TrunkIn, startedAt: number): Promise<Record<string, unknown>[]> {
  const all = await c.list("trunking", TRUNKS, "trunks");
  return all.filter((r) => {
    const created = Date.parse(String(r.date_created ?? ""));
    if (!Number.isFinite(created) || Math.abs(created - startedAt) >= RECONCILE_WINDOW_MS) return false;
    try {
      return diffTrunk(trunkOutputs(r, {}), { ...inputs, recording: undefined, phoneNumberSids: undefined, credentialListSids: undefined, ipAccessControlListSids: undefined }).length === 0;
    } catch {
      return false;
    }
  });
}

async function createTrunk(inputs: TrunkIn): Promise<{ id: string; outs: TrunkOutputs }> {
  const c = client();
  const label = String(inputs.domainName ?? inputs.friendlyName ?? "(unnamed)");
  const { result: record } = await createWithReconcile({
    resource: TRUNK_RESOURCE,
    label,
    noun: "trunk",
    attempt: () => c.createOutcome("trunking", TRUNKS, createForm(TRUNK_FIELDS, inputs), TRUNK_PARAMS, (r) => void trunkOutputs(r, {}), TRUNK_CODES),
    find: (startedAt) => findCreatedTrunks(c, inputs, startedAt),
    idOf: (r) => String(r.sid),
  });
  const sid = String(record.sid);
  // A new trunk has no associations; those the program manages start empty.
  const empty = Object.fromEntries(ASSOCIATIONS.filter((a) => isAssociationManaged(a, inputs)).map((a) => [a.input, [] as string[]]));
  const created = trunkOutputs(record, empty, {}, inputs);
  try {
    return { id: sid, outs: await applySubResources(c, sid, created, inputs, diffTrunk(created, inputs)) };
  } catch (err) {
    throw new PartialCreateError(TRUNK_RESOURCE, "trunk", sid, { ...created, __provider: inputs.__provider }, err);
  }
}

async function updateTrunk(sid: string, olds: TrunkOut, news: TrunkIn, changes: FieldChange[]): Promise<TrunkOutputs> {
  const c = client();
  const form = updateForm(TRUNK_FIELDS, news, changes);
  let outs: TrunkOutputs;
  if (Object.keys(form).length) {
    outs = trunkOutputs(await c.update("trunking", trunkPath(sid), form, TRUNK_PARAMS, TRUNK_CODES), {}, olds, news);
  } else {
    outs = { ...(olds as TrunkOutputs), ...snapshotOf(news) };
  }
  return applySubResources(c, sid, outs, news, changes);
}

function snapshotOf(news: TrunkIn): Partial<TrunkOut> {
  const { __provider: _p, ...applied } = news;
  const out: Partial<TrunkOut> = { __appliedInputs: applied };
  if (news.importId !== undefined) out.importId = news.importId;
  if (news.onImportMismatch !== undefined) out.onImportMismatch = news.onImportMismatch;
  return out;
}

/** Associations to read: those the program manages, or (refresh) those the stored outputs hold. */
function managedBy(prior: TrunkOut | undefined, inputs: TrunkIn): AssociationSpec[] {
  return ASSOCIATIONS.filter((a) => isAssociationManaged(a, inputs) || Array.isArray(prior?.[a.input]));
}

export const trunkRuntime = defineRuntime<TrunkIn, TrunkOut>({
  resource: TRUNK_RESOURCE,
  vendor: "Twilio",
  noun: "trunk",
  validate: validateTrunkInputs,
  settings: () => void twilioSettings(),
  withDefaults: trunkWithDefaults,
  diff: diffTrunk,
  adoptionChanges: diffTrunk,
  importId: (inputs) => String(inputs.importId),
  label: (inputs) => String(inputs.domainName ?? inputs.friendlyName ?? "(unnamed)"),
  fetch: (sid, prior, inputs) => fetchTrunk(client(), sid, managedBy(prior, inputs), prior ?? {}, prior ? {} : inputs),
  create: createTrunk,
  update: updateTrunk,
  inputsFromOutputs: trunkAsInputs,
  async delete(sid) {
    await client().remove("trunking", trunkPath(sid));
  },
});
