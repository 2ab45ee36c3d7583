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
import { createHash } from "node:crypto";
import { InputError, VendorApiError } from "../common/errors";
import { setStackConfig } from "../common/config";
import { notice } from "../common/notice";
import { VendorResponseError } from "../common/response";
import { containsUnknown, isUnknown } from "../common/unknown";
import { DidwwClient, didwwSettings, type TrunkDocument } from "./client";
import { CONTROL_FIELDS, TRUNK_FIELDS, type ControlInputName } from "./fields";
import { APPLIED_INPUTS_KEY, buildCreatePayload, buildPatchPayload, diffTrunk, inputsFromOutputs, isManaged, outputsFromApi, withDefaults, type FieldChange, type Inputs, type JsonApiResource, type Outputs } from "./mapping";
import { validateTrunkInputs } from "./schema";
import type { OutboundTrunkInputs, OutboundTrunkOutputs } from "./types";

export const RESOURCE_NAME = "didww.OutboundTrunk";

/** How far `created_at` of a trunk found after an ambiguous POST may be from our clock. */
const RECONCILE_WINDOW_MS = 15 * 60 * 1000;

const clients = new Map<string, DidwwClient>();

/** One client per process and settings (settings are read each time: config can arrive after load). */
function client(): DidwwClient {
  const settings = didwwSettings();
  const key = [settings.baseUrl, settings.requestsPerSecond, settings.requestTimeoutMs, createHash("sha256").update(settings.apiKey).digest("hex")].join("\n");
  let c = clients.get(key);
  if (!c) {
    c = new DidwwClient(settings);
    clients.set(key, c);
  }
  return c;
}

function show(value: unknown): string {
  return value === undefined ? "(not set)" : JSON.stringify(value);
}

/** "property: live X, program Y" lines, one per difference. */
export function describeChanges(changes: FieldChange[]): string {
  return changes.map((c) => `  - ${c.property}: live ${show(c.live)}, program ${show(c.desired)}`).join("\n");
}

function importMismatchError(id: string, changes: FieldChange[]): Error {
  return new Error(
    `${RESOURCE_NAME}: cannot import DIDWW trunk ${id}: the live trunk differs from the program's arguments in ${changes.length} ` +
      `propert${changes.length === 1 ? "y" : "ies"}:\n${describeChanges(changes)}\n` +
      `Change the arguments to match the live trunk, or set onImportMismatch: "update" to make the trunk match the program.`,
  );
}

/** Differences between a live trunk and the program; control inputs are never compared with DIDWW. */
function trunkChanges(outputs: Outputs, inputs: Inputs): FieldChange[] {
  return diffTrunk(outputs, inputs).filter((c) => c.property !== "credentialsRotation");
}

/** The error a failed create throws when the trunk exists: the engine records it instead of losing it. */
class PartialCreateError extends Error {
  constructor(
    readonly id: string,
    /** Passed through by the host as the stored outputs; they keep `__provider`, which refresh and delete need. */
    readonly properties: Record<string, unknown>,
    cause: unknown,
  ) {
    super(
      `${RESOURCE_NAME}: trunk ${id} was created but reading it back failed: ${(cause as Error).message}\n` +
        "It is recorded in the stack; run `pulumi refresh` or `pulumi up` again to finish.",
    );
    this.name = "PartialCreateError";
  }
  get reasons(): string[] {
    return [this.message];
  }
}

/** Whether a write's answer carries everything the outputs need (the DID linkage this trunk manages). */
function hasLinkage(doc: TrunkDocument, inputs: Inputs): boolean {
  return TRUNK_FIELDS.every((f) => !f.relationship || isManaged(f, inputs) || Array.isArray(doc.data.relationships?.[f.api]?.data));
}

/** Outputs from a write's answer; a GET only when the answer lacks the linkage, a touch only when credentials are masked. */
async function outputsAfterWrite(c: DidwwClient, id: string, doc: TrunkDocument, prior: Outputs, inputs: Inputs): Promise<OutboundTrunkOutputs> {
  let outs = outputsFromApi(doc.data, prior, inputs);
  if (!hasLinkage(doc, inputs)) {
    const fresh = await c.getTrunk(id);
    if (!fresh) throw new Error(`${RESOURCE_NAME}: trunk ${id} disappeared right after it was written`);
    outs = outputsFromApi(fresh.data, outs, inputs);
  }
  return learnCredentials(c, id, outs, inputs);
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
type PostOutcome = { doc: TrunkDocument } | { ambiguous: Error };

async function postOnce(c: DidwwClient, payload: unknown, inputs: Inputs): Promise<PostOutcome> {
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
      return { doc };
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

/**
 * POST the trunk; if the outcome is ambiguous (5xx, an unusable success answer, or a connection
 * that failed after sending), look for the trunk the request may have created before trying
 * again, so a lost response never leaves an orphan or a duplicate.
 */
async function postWithReconcile(c: DidwwClient, inputs: OutboundTrunkInputs): Promise<{ doc: TrunkDocument; reconciled: boolean }> {
  const payload = buildCreatePayload(inputs);
  for (let attempt = 1; ; attempt++) {
    const startedAt = Date.now();
    const outcome = await postOnce(c, payload, inputs);
    if ("doc" in outcome) return { doc: outcome.doc, reconciled: false };
    const found = await findCreated(c, inputs, startedAt);
    if (found.length === 1) return { doc: { data: found[0] }, reconciled: true };
    if (found.length > 1) {
      throw new Error(
        `${RESOURCE_NAME}: the create request for "${inputs.name}" failed ambiguously (${outcome.ambiguous.message.split("\n")[0]}), ` +
          `and ${found.length} matching trunks created just now exist: ${found.map((t) => t.id).join(", ")}. ` +
          "Delete the extra ones, then adopt the right one with the `import` option.",
      );
    }
    if (attempt === 2) throw outcome.ambiguous;
  }
}

async function adopt(c: DidwwClient, inputs: OutboundTrunkInputs): Promise<{ id: string; outs: OutboundTrunkOutputs }> {
  const id = (inputs.importId as string).toLowerCase();
  // One call: an attribute-less PATCH reads the trunk, credentials in full, and changes nothing.
  const doc = await c.touchTrunk(id);
  if (!doc) throw new Error(`${RESOURCE_NAME}: cannot import DIDWW trunk ${id}: no such outbound trunk in this account`);
  const live = outputsFromApi(doc.data, {}, inputs);
  const changes = trunkChanges(live, inputs);
  if (changes.length === 0) return { id, outs: await learnCredentials(c, id, live, inputs) };
  if (inputs.onImportMismatch !== "update") throw importMismatchError(id, changes);
  const payload = buildPatchPayload(id, inputs, changes);
  if (!payload) return { id, outs: live };
  const patched = await c.patchTrunk(id, payload);
  return { id, outs: await outputsAfterWrite(c, id, patched, live, inputs) };
}

function isNewResource(olds: Inputs | undefined): boolean {
  return !olds || Object.keys(olds).filter((k) => k !== "__provider").length === 0;
}

/**
 * At preview (and again at `up`), an adoption says what it will do: which trunk, that nothing
 * is created, and every property it would change, live value against the program's.
 */
async function previewAdoption(news: Inputs, failures: { property: string; reason: string }[]): Promise<void> {
  const importId = String(news.importId).toLowerCase();
  let doc: TrunkDocument | undefined;
  try {
    doc = await client().getTrunk(importId);
  } catch (err) {
    failures.push({ property: "importId", reason: `cannot read DIDWW trunk ${importId} to import it: ${(err as Error).message}` });
    return;
  }
  if (!doc) {
    failures.push({ property: "importId", reason: `no DIDWW outbound trunk ${importId} exists in this account` });
    return;
  }
  const changes = trunkChanges(outputsFromApi(doc.data), news);
  const head = `${RESOURCE_NAME} "${String(news.name)}": adopts the existing DIDWW trunk ${importId} (import option); no trunk is created.`;
  if (news.onImportMismatch === "update") {
    notice(changes.length
      ? `${head} The adoption will change ${changes.length} propert${changes.length === 1 ? "y" : "ies"} of the live trunk:\n${describeChanges(changes)}`
      : `${head} It already matches the program; nothing is changed.`);
    return;
  }
  if (changes.length === 0) {
    notice(`${head} It matches the program; nothing is changed.`);
    return;
  }
  for (const ch of changes) {
    failures.push({ property: ch.property.split(".")[0], reason: `import of ${importId}: ${ch.property} is ${show(ch.live)} on the live trunk, the program says ${show(ch.desired)} (match it, or set onImportMismatch: "update")` });
  }
}

type CheckResult = { inputs: Inputs; failures: { property: string; reason: string }[] };

export const outboundTrunkRuntime = {
  async configure(req: { config: { get(key: string): string | undefined } }): Promise<void> {
    setStackConfig((key) => req.config.get(key));
  },

  async check(olds: Inputs, news: Inputs): Promise<CheckResult> {
    const failures = validateTrunkInputs(news);
    if (failures.length) return { inputs: news, failures };
    didwwSettings(); // a missing API key fails the preview, not only the `up`
    const inputs = withDefaults(news);
    if (isNewResource(olds) && typeof news.importId === "string" && !isUnknown(news.importId) && !containsUnknown(news)) {
      await previewAdoption(inputs, failures);
    }
    return { inputs, failures };
  },

  async diff(_id: string, olds: Outputs, news: Inputs): Promise<{ changes: boolean; replaces: string[]; deleteBeforeReplace: boolean }> {
    return { changes: diffTrunk(olds, news).length > 0, replaces: [], deleteBeforeReplace: false };
  },

  async create(inputs: Inputs): Promise<{ id: string; outs: OutboundTrunkOutputs }> {
    const failures = validateTrunkInputs(inputs);
    if (failures.length) throw new InputError(RESOURCE_NAME, failures);
    const typed = inputs as OutboundTrunkInputs;
    const c = client();
    if (typed.importId) return adopt(c, typed);
    const { doc, reconciled } = await postWithReconcile(c, typed);
    const id = doc.data.id;
    const fromPost = outputsFromApi(doc.data, {}, inputs);
    try {
      // A reconciled trunk came from a list: its credentials may be masked.
      const outs = reconciled ? await learnCredentials(c, id, fromPost, inputs) : await outputsAfterWrite(c, id, doc, {}, inputs);
      return { id, outs };
    } catch (err) {
      throw new PartialCreateError(id, { ...fromPost, __provider: inputs.__provider }, err);
    }
  },

  async read(id: string, props: Outputs = {}): Promise<{ id: string; props: Outputs; inputs: Inputs }> {
    const doc = await client().getTrunk(id);
    if (!doc) return { id: "", props: {}, inputs: {} };
    const outs = outputsFromApi(doc.data, props, {});
    return { id, props: outs, inputs: inputsFromOutputs(outs) };
  },

  async update(id: string, olds: Outputs, news: Inputs): Promise<{ outs: OutboundTrunkOutputs }> {
    const failures = validateTrunkInputs(news);
    if (failures.length) throw new InputError(RESOURCE_NAME, failures);
    const typed = news as OutboundTrunkInputs;
    const c = client();
    const changes = diffTrunk(olds, news);
    const payload = buildPatchPayload(id, typed, changes);
    const rotate = changes.some((ch) => ch.property === "credentialsRotation") && typed.authenticationMethod.type === "credentials_and_ip";
    let outs: OutboundTrunkOutputs = payload ? await outputsAfterWrite(c, id, await c.patchTrunk(id, payload), olds, news) : outputsFromApiless(olds, news);
    if (rotate) {
      await c.regenerateCredentials(id);
      // The old pair is void now; only what DIDWW shows next is true.
      outs = await learnCredentials(c, id, { ...outs, username: null, password: null }, news);
    }
    return { outs };
  },

  async delete(id: string): Promise<void> {
    await client().deleteTrunk(id);
  },
};

/** Outputs when nothing was sent: the old ones, with the new control inputs and applied snapshot. */
function outputsFromApiless(olds: Outputs, news: Inputs): OutboundTrunkOutputs {
  const { __provider: _p, ...applied } = news;
  const out: Outputs = { ...olds, [APPLIED_INPUTS_KEY]: applied };
  for (const key of Object.keys(CONTROL_FIELDS) as ControlInputName[]) {
    if (news[key] !== undefined) out[key] = news[key] as never;
  }
  return out as OutboundTrunkOutputs;
}
