/**
 * What runs inside the Pulumi dynamic provider host for `bolna.SipTrunk`: the hooks of the shared
 * runtime (provider/common/runtime.ts). Loaded by package name from the serialized provider.
 *
 * API calls (the floor, kept): create 1 (POST with the numbers inline; an ambiguous outcome adds
 * one list of the trunks, reconciled by name; `isActive: false` adds one PATCH, which create does
 * not take); update 1 PATCH of the changed fields (`gateways`/`ip_identifiers` whole, the password
 * when it changed) plus 1 call per number added or removed; refresh 1 (GET, numbers included);
 * delete 1 (Bolna deletes the trunk's numbers with it; already gone is success); adoption 1 GET
 * (plus 1 at preview) and, for a userpass trunk, 1 PATCH setting the password it cannot read; a
 * no-op preview 0. A replacement (provider, authType, directMedia, rtpSymmetric, forceRport,
 * iceSupport) deletes first: the name and the numbers are unique per account.
 */
import { replacedBy } from "../common/diff";
import { VendorApiError } from "../common/errors";
import { applyPlan, ChildWriteError, planIsEmpty, type PlanCalls } from "../common/keyed-set";
import { createWithReconcile, defineRuntime, PartialCreateError, PartialUpdateError } from "../common/runtime";
import { hashSecret } from "../common/secret-hash";
import { bolnaClient, bolnaSettings, type BolnaClient } from "./client";
import { SIP_TRUNK_FIELDS, SIP_TRUNK_RESOURCE, numberDigits, validateSipTrunkInputs } from "./sip-trunk-fields";
import {
  createBody,
  diffSipTrunk,
  isTrunkOf,
  numberBody,
  numberOutput,
  numberPlan,
  patchBody,
  sentFields,
  sipTrunkAsInputs,
  sipTrunkOutputs,
  sipTrunkWithDefaults,
  type SipTrunkIn,
  type SipTrunkOut,
} from "./sip-trunk-mapping";
import type { PhoneNumber, PhoneNumberOutput, SipTrunkOutputs } from "./sip-trunk-types";

/** How far `created_at` of a trunk found after an ambiguous create may be from our clock. */
const RECONCILE_WINDOW_MS = 15 * 60 * 1000;
const TRUNKS = "/sip-trunks/trunks";
const NOUN = "SIP trunk";
const WHAT = "a Bolna SIP trunk";

const client = bolnaClient;
const trunkPath = (id: string) => `${TRUNKS}/${encodeURIComponent(id)}`;
const numbersPath = (id: string) => `${trunkPath(id)}/numbers`;
const labelOf = (inputs: SipTrunkIn) => String(inputs.name ?? "(unnamed)");

type Bag = Record<string, unknown>;

/** A trunk record with its numbers: the answer's own, else (an answer without `phone_numbers`) one list of `/numbers`. */
async function withNumbers(c: BolnaClient, id: string, record: Bag): Promise<Bag> {
  if ("phone_numbers" in record) return record;
  return { ...record, phone_numbers: await c.list(numbersPath(id)) };
}

/** The live trunk as outputs, or `undefined` when Bolna has no such trunk. */
async function fetchSipTrunk(c: BolnaClient, id: string, prior: SipTrunkOut | undefined, inputs: SipTrunkIn): Promise<SipTrunkOutputs | undefined> {
  const record = await c.get(trunkPath(id), WHAT);
  if (!record) return undefined;
  return sipTrunkOutputs(await withNumbers(c, id, record), { prior: prior ?? {}, applied: prior ? {} : inputs });
}

/**
 * One number added (`POST …/numbers`). An ambiguous outcome is reconciled by listing the trunk's
 * numbers for its digits; so is a 409 (the number already on this trunk: an earlier add whose
 * answer was lost, listed only later, since Bolna shows a new number after a delay [M]), when the
 * listed number has the program's name: it is taken as it is instead of failing on every run.
 */
async function addNumber(c: BolnaClient, id: string, desired: PhoneNumber): Promise<PhoneNumberOutput> {
  const property = `phoneNumbers[${JSON.stringify(desired.phoneNumber)}]`;
  const subject = `phone number ${desired.phoneNumber} of SIP trunk ${id}`;
  const listed = async () => (await c.list(numbersPath(id))).filter((r) => r.deleted !== true && numberDigits(r.phone_number) === numberDigits(desired.phoneNumber));
  try {
    const { result } = await createWithReconcile({
      resource: SIP_TRUNK_RESOURCE,
      label: desired.phoneNumber,
      noun: "phone number",
      attempt: () => c.createOutcome(numbersPath(id), numberBody(desired), "a Bolna phone number", (r) => void numberOutput(r, subject), property),
      find: listed,
      idOf: (r) => String(r.id),
    });
    return numberOutput(result, subject);
  } catch (err) {
    if (!(err instanceof VendorApiError) || err.status !== 409) throw err;
    const same = (await listed()).filter((r) => (r.name ?? null) === (desired.name ?? null));
    if (same.length !== 1) throw err;
    return numberOutput(same[0], subject);
  }
}

/** The number calls of trunk `id`: remove by `phone_number_id` (already gone is fine), add. Bolna has no update of a number. */
function numberCalls(c: BolnaClient, id: string): PlanCalls<PhoneNumber, PhoneNumberOutput, Bag> {
  return {
    idOf: (n) => n.id,
    remove: async (n) => void (await c.remove(`${numbersPath(id)}/${encodeURIComponent(n.id)}`)),
    update: async () => {
      throw new Error(`${SIP_TRUNK_RESOURCE}: Bolna cannot update a phone number in place`);
    },
    create: (n) => addNumber(c, id, n),
  };
}

/**
 * Makes trunk `id` (last reported as `olds`) what `news` says: one PATCH of what changed (the
 * password when it must be sent), then the number calls. Everything is recomputed from `olds` and
 * `news` (an adoption's differences leave out the password, which must still be set). A failure
 * after the PATCH records what was done (PartialUpdateError).
 */
async function applyChanges(c: BolnaClient, id: string, olds: SipTrunkOut, news: SipTrunkIn): Promise<SipTrunkOutputs> {
  const changes = diffSipTrunk(olds, news);
  const immutable = replacedBy(SIP_TRUNK_FIELDS, changes);
  if (immutable.length) {
    throw new Error(
      `${SIP_TRUNK_RESOURCE} "${labelOf(news)}": Bolna's API cannot change ${immutable.join(", ")} of SIP trunk ${id} in place ` +
        `(live ${immutable.map((p) => JSON.stringify((olds as Bag)[p] ?? null)).join(", ")}); change the arguments to match, or let Pulumi replace the trunk.`,
    );
  }
  const body = patchBody(olds, news, changes);
  let outs: SipTrunkOutputs;
  if (Object.keys(body).length) {
    const record = await c.patch(trunkPath(id), body, WHAT);
    const passwordHash = "auth_password" in body ? hashSecret(String(body.auth_password)) : undefined;
    outs = sipTrunkOutputs(record, { prior: olds, sent: sentFields(body, news), applied: news, passwordHash });
  } else {
    outs = sipTrunkOutputs(undefined, { prior: olds, applied: news });
  }
  const plan = numberPlan(outs, news);
  if (planIsEmpty(plan)) return outs;
  try {
    return sipTrunkOutputs(undefined, { prior: outs, numbers: await applyPlan(plan, numberCalls(c, id)) });
  } catch (err) {
    if (!(err instanceof ChildWriteError)) throw err;
    // What the PATCH set and the number calls made so far are recorded; the snapshot stays the old one.
    const done = sipTrunkOutputs(undefined, { prior: { ...outs, __appliedInputs: olds.__appliedInputs }, numbers: err.children as PhoneNumberOutput[] });
    throw new PartialUpdateError(SIP_TRUNK_RESOURCE, NOUN, id, { ...done, __provider: news.__provider }, err.failure);
  }
}

/** Trunks of the program's name made around `startedAt` that are exactly the one it describes (names are unique per account). */
async function findCreated(c: BolnaClient, inputs: SipTrunkIn, startedAt: number): Promise<Bag[]> {
  return (await c.list(TRUNKS)).filter((r) => {
    const created = Date.parse(String(r.created_at ?? ""));
    if (r.name !== inputs.name || !Number.isFinite(created) || Math.abs(created - startedAt) >= RECONCILE_WINDOW_MS) return false;
    try {
      return isTrunkOf(r, inputs);
    } catch {
      return false;
    }
  });
}

/** A create refused because the name is taken says which trunk has it and how to adopt it (one list, only then). */
async function explainNameTaken(c: BolnaClient, inputs: SipTrunkIn, err: unknown): Promise<unknown> {
  if (!(err instanceof VendorApiError) || (err.status !== 400 && err.status !== 409)) return err;
  const holder = (await c.list(TRUNKS).catch(() => [])).find((r) => r.name === inputs.name);
  if (!holder) return err;
  return new Error(
    `${SIP_TRUNK_RESOURCE}: a SIP trunk named ${JSON.stringify(inputs.name)} already exists in this Bolna account (${String(holder.id)}); names are unique per account.\n` +
      `Adopt it with the resource option \`import: "${String(holder.id)}"\`, or choose another name.\n${err.message}`,
  );
}

async function createSipTrunk(inputs: SipTrunkIn): Promise<{ id: string; outs: SipTrunkOutputs }> {
  const c = client();
  const body = createBody(inputs);
  let result: Bag;
  try {
    ({ result } = await createWithReconcile({
      resource: SIP_TRUNK_RESOURCE,
      label: labelOf(inputs),
      noun: NOUN,
      attempt: () => c.createOutcome(TRUNKS, body, WHAT, (r) => void sipTrunkOutputs(r)),
      find: (startedAt) => findCreated(c, inputs, startedAt),
      idOf: (r) => String(r.id),
    }));
  } catch (err) {
    throw await explainNameTaken(c, inputs, err);
  }
  const id = String(result.id);
  // The create sent the password: its hash is true from here on.
  const passwordHash = typeof inputs.authPassword === "string" ? hashSecret(inputs.authPassword) : null;
  let created = sipTrunkOutputs(result, { sent: sentFields(body, inputs), applied: inputs, passwordHash });
  try {
    if (body.phone_numbers !== undefined && !("phone_numbers" in result)) created = sipTrunkOutputs(await withNumbers(c, id, result), { prior: created });
    // What create does not take (is_active) or did not make: one PATCH, number calls; usually nothing.
    return { id, outs: await applyChanges(c, id, created, inputs) };
  } catch (err) {
    const done = err instanceof PartialUpdateError ? (err.properties as unknown as SipTrunkOutputs) : created;
    const cause = err instanceof PartialUpdateError ? new Error(err.message.split("\n")[0]) : err;
    throw new PartialCreateError(SIP_TRUNK_RESOURCE, NOUN, id, { ...done, __provider: inputs.__provider }, cause, "completing it (isActive, numbers)");
  }
}

export const sipTrunkRuntime = defineRuntime<SipTrunkIn, SipTrunkOut>({
  resource: SIP_TRUNK_RESOURCE,
  vendor: "Bolna",
  noun: NOUN,
  validate: validateSipTrunkInputs,
  settings: () => void bolnaSettings(),
  withDefaults: sipTrunkWithDefaults,
  diff: (olds, news) => diffSipTrunk(olds, news),
  replaces: (changes) => replacedBy(SIP_TRUNK_FIELDS, changes),
  deleteBeforeReplace: true,
  // A read cannot see the password: it is no mismatch, and `adopted` sets it.
  adoptionChanges: (live, inputs) => diffSipTrunk(live, inputs, true),
  importId: (inputs) => String(inputs.importId),
  label: labelOf,
  fetch: (id, prior, inputs) => fetchSipTrunk(client(), id, prior, inputs),
  adopted: (id, live, inputs) => applyChanges(client(), id, live, inputs),
  create: createSipTrunk,
  update: (id, olds, news) => applyChanges(client(), id, olds, news),
  inputsFromOutputs: sipTrunkAsInputs,
  async delete(id) {
    // One call: Bolna deletes the trunk's gateways and IPs and soft-deletes its numbers (a 404 means already gone).
    await client().remove(trunkPath(id));
  },
});
