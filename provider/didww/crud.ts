/**
 * What runs inside the Pulumi dynamic provider host for `didww.OutboundTrunk`: check, diff,
 * create (and adoption), read, update, delete. Loaded by package name from the serialized
 * provider (see provider/dynamic.ts), so the state never embeds this code.
 *
 * API calls per operation (the floor, kept): create 1 (POST with the DID linkage included),
 * update 1 (PATCH, likewise), refresh 1 (GET), delete 1, adoption 1 (an attribute-less PATCH,
 * which answers with the credentials in full), a no-op preview 0. More only when DIDWW's answer
 * lacks what the outputs need (no linkage, masked credentials) or when a create was ambiguous.
 */
import { clientCache, createWithReconcile, defineRuntime, PartialCreateError, type CreateOutcome } from "../common/runtime";
import { VendorApiError } from "../common/errors";
import { VendorResponseError } from "../common/response";
import { DidwwClient, didwwSettings, type TrunkDocument } from "./client";
import { CONTROL_FIELDS, TRUNK_FIELDS, type ControlInputName } from "./fields";
import { APPLIED_INPUTS_KEY, buildCreatePayload, buildPatchPayload, diffTrunk, inputsFromOutputs, isManaged, outputsFromApi, withDefaults, type FieldChange, type Inputs, type JsonApiResource, type Outputs } from "./mapping";
import { RESOURCE_NAME, validateTrunkInputs } from "./schema";
import type { OutboundTrunkInputs, OutboundTrunkOutputs } from "./types";

export { RESOURCE_NAME } from "./schema";
export { describeChanges } from "../common/diff";

/** How far `created_at` of a trunk found after an ambiguous POST may be from our clock. */
const RECONCILE_WINDOW_MS = 15 * 60 * 1000;

/** One client per process and settings (settings are read each time: config can arrive after load). */
const clientFor = clientCache(
  (settings: ReturnType<typeof didwwSettings>) => new DidwwClient(settings),
  (s) => ({ plain: [s.baseUrl, s.requestsPerSecond, s.requestTimeoutMs], secret: s.apiKey }),
);
const client = (): DidwwClient => clientFor(didwwSettings());

/** Differences between a live trunk and the program; control inputs are never compared with DIDWW. */
function trunkChanges(outputs: Outputs, inputs: Inputs): FieldChange[] {
  return diffTrunk(outputs, inputs).filter((c) => c.property !== "credentialsRotation");
}

/** Whether a write's answer carries everything the outputs need (the DID linkage this trunk manages). */
function hasLinkage(doc: TrunkDocument, inputs: Inputs): boolean {
  return TRUNK_FIELDS.every((f) => !f.relationship || isManaged(f, inputs) || Array.isArray(doc.data.relationships?.[f.api]?.data));
}

/**
 * Outputs from a write's answer; a GET only when the answer lacks the linkage. Credentials are
 * what the write answer shows: if it masked them, another write would mask them too, so none is sent.
 */
async function outputsAfterWrite(c: DidwwClient, id: string, doc: TrunkDocument, prior: Outputs, inputs: Inputs): Promise<OutboundTrunkOutputs> {
  const outs = outputsFromApi(doc.data, prior, inputs);
  if (hasLinkage(doc, inputs)) return outs;
  const fresh = await c.getTrunk(id);
  if (!fresh) throw new Error(`${RESOURCE_NAME}: trunk ${id} disappeared right after it was written`);
  return outputsFromApi(fresh.data, outs, inputs);
}

/**
 * When the outputs lack credentials DIDWW has (it showed them masked), asks for them with a
 * PATCH that changes nothing: write responses carry them in full.
 */
async function learnCredentials(c: DidwwClient, id: string, outs: OutboundTrunkOutputs, inputs: Inputs): Promise<OutboundTrunkOutputs> {
  if (outs.authenticationMethod?.type !== "credentials_and_ip" || (outs.username !== null && outs.password !== null)) return outs;
  const touched = await c.touchTrunk(id);
  if (!touched) throw new Error(`${RESOURCE_NAME}: trunk ${id} disappeared right after it was written`);
  return outputsFromApi(touched.data, outs, inputs);
}

/** What a POST came to: the trunk DIDWW answered with, or a failure that may or may not have created it. */
async function postOnce(c: DidwwClient, payload: unknown, inputs: Inputs): Promise<CreateOutcome<TrunkDocument>> {
  let response;
  try {
    response = await c.postTrunk(payload);
  } catch (err) {
    if (err instanceof VendorApiError && err.code === "NETWORK" && err.maybeApplied) return { ambiguous: err };
    throw err;
  }
  if (response.status === 201 || response.status === 200) {
    try {
      const doc = c.parseTrunkDocument("POST", c.createPath, response);
      outputsFromApi(doc.data, {}, inputs); // refuses wrongly typed attributes before anything is recorded
      return { done: doc };
    } catch (err) {
      // A success status with an unusable body may still have created the trunk: as ambiguous as a lost answer.
      if (err instanceof VendorApiError || err instanceof VendorResponseError) return { ambiguous: err };
      throw err;
    }
  }
  if (response.status >= 500) return { ambiguous: c.responseError("POST", c.createPath, response) };
  throw c.responseError("POST", c.createPath, response);
}

/** Trunks created around `startedAt` that are exactly the one the program describes (name compared exactly). */
async function findCreated(c: DidwwClient, inputs: Inputs, startedAt: number): Promise<JsonApiResource[]> {
  const recent = await c.listRecentTrunks(startedAt - RECONCILE_WINDOW_MS);
  return recent.filter((t) => {
    if (t.attributes?.name !== inputs.name) return false;
    const created = Date.parse(String(t.attributes?.created_at ?? ""));
    if (!Number.isFinite(created) || Math.abs(created - startedAt) >= RECONCILE_WINDOW_MS) return false;
    try {
      return trunkChanges(outputsFromApi(t), inputs).length === 0;
    } catch {
      return false;
    }
  });
}

async function createTrunk(inputs: OutboundTrunkInputs & Inputs): Promise<{ id: string; outs: OutboundTrunkOutputs }> {
  const c = client();
  const payload = buildCreatePayload(inputs);
  const { result: doc, reconciled } = await createWithReconcile<TrunkDocument>({
    resource: RESOURCE_NAME,
    label: inputs.name,
    noun: "trunk",
    attempt: () => postOnce(c, payload, inputs),
    find: async (startedAt) => (await findCreated(c, inputs, startedAt)).map((data) => ({ data })),
    idOf: (d) => d.data.id,
  });
  const id = doc.data.id;
  const fromPost = outputsFromApi(doc.data, {}, inputs);
  try {
    // A reconciled trunk came from a list: its credentials may be masked.
    const outs = reconciled ? await learnCredentials(c, id, fromPost, inputs) : await outputsAfterWrite(c, id, doc, {}, inputs);
    return { id, outs };
  } catch (err) {
    throw new PartialCreateError(RESOURCE_NAME, "trunk", id, { ...fromPost, __provider: inputs.__provider }, err);
  }
}

async function updateTrunk(id: string, olds: Outputs, news: OutboundTrunkInputs & Inputs, changes: FieldChange[]): Promise<OutboundTrunkOutputs> {
  const c = client();
  const payload = buildPatchPayload(id, news, changes);
  const rotate = changes.some((ch) => ch.property === "credentialsRotation") && news.authenticationMethod.type === "credentials_and_ip";
  let outs: OutboundTrunkOutputs = payload ? await outputsAfterWrite(c, id, await c.patchTrunk(id, payload), olds, news) : outputsFromApiless(olds, news);
  if (rotate) {
    await c.regenerateCredentials(id);
    // The old pair is void now; only what DIDWW shows next is true.
    outs = await learnCredentials(c, id, { ...outs, username: null, password: null }, news);
  }
  return outs;
}

export const outboundTrunkRuntime = defineRuntime<Inputs, Outputs>({
  resource: RESOURCE_NAME,
  vendor: "DIDWW",
  noun: "trunk",
  validate: validateTrunkInputs,
  settings: () => void didwwSettings(),
  withDefaults,
  diff: diffTrunk,
  adoptionChanges: trunkChanges,
  importId: (inputs) => String(inputs.importId).toLowerCase(),
  label: (inputs) => String(inputs.name),
  async fetch(id, prior) {
    const doc = await client().getTrunk(id);
    return doc ? outputsFromApi(doc.data, prior ?? {}, {}) : undefined;
  },
  // One call: an attribute-less PATCH reads the trunk, credentials as a write shows them, and changes nothing.
  async fetchForAdoption(id, inputs) {
    const doc = await client().touchTrunk(id);
    return doc ? outputsFromApi(doc.data, {}, inputs) : undefined;
  },
  // Both run on inputs the runtime has validated.
  create: (inputs) => createTrunk(inputs as OutboundTrunkInputs & Inputs),
  update: (id, olds, news, changes) => updateTrunk(id, olds, news as OutboundTrunkInputs & Inputs, changes),
  inputsFromOutputs,
  async delete(id) {
    await client().deleteTrunk(id);
  },
});

/** Outputs when nothing was sent: the old ones, with the new control inputs and applied snapshot. */
function outputsFromApiless(olds: Outputs, news: Inputs): OutboundTrunkOutputs {
  const { __provider: _p, ...applied } = news;
  const out: Outputs = { ...olds, [APPLIED_INPUTS_KEY]: applied };
  for (const key of Object.keys(CONTROL_FIELDS) as ControlInputName[]) {
    if (news[key] !== undefined) out[key] = news[key] as never;
  }
  return out as OutboundTrunkOutputs;
}
