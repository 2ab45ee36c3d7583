/**
 * What runs inside the Pulumi dynamic provider host for `didww.OutboundTrunk`: check, diff,
 * create (and adoption), read, update, delete. Loaded by package name from the serialized
 * provider (see provider/dynamic.ts), so the state never embeds this code.
 */
import { createHash } from "node:crypto";
import { InputError, VendorApiError } from "../common/errors";
import { setStackConfig } from "../common/config";
import { containsUnknown, isUnknown } from "../common/unknown";
import { DidwwClient, didwwSettings, type TrunkDocument } from "./client";
import { buildCreatePayload, buildPatchPayload, diffTrunk, inputsFromOutputs, outputsFromApi, type FieldChange } from "./mapping";
import { validateTrunkInputs } from "./schema";
import type { OutboundTrunkInputs, OutboundTrunkOutputs } from "./types";

export const RESOURCE_NAME = "didww.OutboundTrunk";

/** How far `created_at` of a trunk found after an ambiguous POST may be from our clock. */
const RECONCILE_WINDOW_MS = 15 * 60 * 1000;

type Props = Record<string, unknown>;

const clients = new Map<string, DidwwClient>();

/** One client per process and settings (settings are read each time: config can arrive after load). */
function client(): DidwwClient {
  const settings = didwwSettings();
  const key = `${settings.baseUrl}\n${settings.requestsPerSecond}\n${createHash("sha256").update(settings.apiKey).digest("hex")}`;
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

/** Control inputs never compared against DIDWW when adopting. */
function trunkChanges(outputs: object, inputs: object): FieldChange[] {
  return diffTrunk(outputs as Props, inputs as Props).filter((c) => c.property !== "credentialsRotation");
}

/**
 * Error carrying the id of a trunk that exists, so the engine records it instead of losing it.
 * The properties keep `__provider`: the host passes them through as the stored outputs, and
 * refresh and delete of that state need it.
 */
function partialCreate(id: string, outs: Props, inputs: Props, cause: unknown): Error {
  const err = new Error(
    `${RESOURCE_NAME}: trunk ${id} was created but reading it back failed: ${(cause as Error).message}\n` +
      "It is recorded in the stack; run `pulumi refresh` or `pulumi up` again to finish.",
  ) as Error & { id: string; properties: Props; reasons: string[] };
  err.id = id;
  err.properties = { ...outs, __provider: inputs.__provider };
  err.reasons = [(cause as Error).message];
  return err;
}

async function readBack(c: DidwwClient, id: string, prior: Props, controls: Props): Promise<OutboundTrunkOutputs> {
  const doc = await c.getTrunk(id);
  if (!doc) throw new Error(`${RESOURCE_NAME}: trunk ${id} disappeared right after it was written`);
  return learnCredentials(c, id, outputsFromApi(doc.data, prior, controls), controls);
}

/**
 * When the outputs lack credentials DIDWW has (it showed them masked), asks for them with a
 * PATCH that changes nothing: write responses carry them in full.
 */
async function learnCredentials(c: DidwwClient, id: string, outs: OutboundTrunkOutputs, controls: Props): Promise<OutboundTrunkOutputs> {
  if (outs.authenticationMethod?.type !== "credentials_and_ip" || (outs.username !== null && outs.password !== null)) return outs;
  const touched = await c.touchTrunk(id);
  return outputsFromApi(touched.data, outs as unknown as Props, controls);
}

/**
 * POST the trunk; if the outcome is ambiguous (5xx, or the connection failed after sending),
 * look for the trunk the request may have created before trying again, so a lost response
 * never leaves an orphan or a duplicate.
 */
async function postWithReconcile(c: DidwwClient, inputs: OutboundTrunkInputs): Promise<TrunkDocument> {
  const payload = buildCreatePayload(inputs);
  for (let attempt = 1; attempt <= 2; attempt++) {
    const startedAt = Date.now();
    let failure: unknown;
    try {
      const response = await c.postTrunk(payload);
      if (response.status === 201 || response.status === 200) return c.parseDocument("POST", "/voice_out_trunks", response);
      if (response.status < 500) throw c.responseError("POST", "/voice_out_trunks", response);
      failure = c.responseError("POST", "/voice_out_trunks", response);
    } catch (err) {
      const maybeApplied = (err as { maybeApplied?: boolean }).maybeApplied;
      if (!(err instanceof VendorApiError) || err.code !== "NETWORK" || maybeApplied === false) throw err;
      failure = err;
    }
    const found = (await c.listTrunks({ name: inputs.name })).filter((t) => {
      const created = Date.parse(String(t.attributes?.created_at ?? ""));
      return Number.isFinite(created) && Math.abs(created - startedAt) < RECONCILE_WINDOW_MS && trunkChanges(outputsFromApi(t), inputs as unknown as Props).length === 0;
    });
    if (found.length === 1) return { data: found[0] };
    if (found.length > 1) {
      throw new Error(
        `${RESOURCE_NAME}: the create request for "${inputs.name}" failed ambiguously (${(failure as Error).message.split("\n")[0]}), ` +
          `and ${found.length} matching trunks created just now exist: ${found.map((t) => t.id).join(", ")}. ` +
          "Delete the extra ones, then adopt the right one with the `import` option.",
      );
    }
    if (attempt === 2) throw failure;
  }
  throw new Error("unreachable");
}

async function adopt(c: DidwwClient, inputs: OutboundTrunkInputs): Promise<{ id: string; outs: OutboundTrunkOutputs }> {
  const id = inputs.importId as string;
  const doc = await c.getTrunk(id);
  if (!doc) throw new Error(`${RESOURCE_NAME}: cannot import DIDWW trunk ${id}: no such outbound trunk in this account`);
  const controls = inputs as unknown as Props;
  const live = outputsFromApi(doc.data, {}, controls);
  const changes = trunkChanges(live as unknown as Props, controls);
  if (changes.length === 0) return { id, outs: await learnCredentials(c, id, live, controls) };
  if (inputs.onImportMismatch !== "update") throw importMismatchError(id, changes);
  const payload = buildPatchPayload(id, inputs, changes);
  const patched = payload ? await c.patchTrunk(id, payload) : doc;
  const afterPatch = outputsFromApi(patched.data, live as unknown as Props, controls);
  return { id, outs: await readBack(c, id, afterPatch as unknown as Props, controls) };
}

export const outboundTrunkRuntime = {
  async configure(req: { config: { get(key: string): string | undefined } }): Promise<void> {
    setStackConfig((key) => req.config.get(key));
  },

  async check(olds: Props, news: Props): Promise<{ inputs: Props; failures: { property: string; reason: string }[] }> {
    const failures = validateTrunkInputs(news);
    const isNew = !olds || Object.keys(olds).filter((k) => k !== "__provider").length === 0;
    // Adoption is checked at preview too, so a GitOps preview shows the mismatch before merge.
    if (!failures.length && isNew && typeof news.importId === "string" && !isUnknown(news.importId) && news.onImportMismatch !== "update" && !containsUnknown(news)) {
      try {
        const doc = await client().getTrunk(news.importId);
        if (!doc) failures.push({ property: "importId", reason: `no DIDWW outbound trunk ${news.importId} exists in this account` });
        else {
          for (const ch of trunkChanges(outputsFromApi(doc.data) as unknown as Props, news)) {
            failures.push({ property: ch.property, reason: `import of ${news.importId}: live trunk has ${show(ch.live)}, the program says ${show(ch.desired)} (match it, or set onImportMismatch: "update")` });
          }
        }
      } catch (err) {
        failures.push({ property: "importId", reason: `cannot read DIDWW trunk ${news.importId} to import it: ${(err as Error).message}` });
      }
    }
    return { inputs: news, failures };
  },

  async diff(_id: string, olds: Props, news: Props): Promise<{ changes: boolean; replaces: string[]; deleteBeforeReplace: boolean }> {
    return { changes: diffTrunk(olds, news).length > 0, replaces: [], deleteBeforeReplace: false };
  },

  async create(inputs: Props): Promise<{ id: string; outs: Props }> {
    const failures = validateTrunkInputs(inputs);
    if (failures.length) throw new InputError(RESOURCE_NAME, failures);
    const typed = inputs as unknown as OutboundTrunkInputs;
    const c = client();
    if (typed.importId) {
      const adopted = await adopt(c, typed);
      return { id: adopted.id, outs: adopted.outs as unknown as Props };
    }
    const created = await postWithReconcile(c, typed);
    const id = created.data.id;
    const fromPost = outputsFromApi(created.data, {}, inputs);
    try {
      return { id, outs: (await readBack(c, id, fromPost as unknown as Props, inputs)) as unknown as Props };
    } catch (err) {
      throw partialCreate(id, fromPost as unknown as Props, inputs, err);
    }
  },

  async read(id: string, props: Props = {}): Promise<{ id: string; props: Props; inputs: Props }> {
    const doc = await client().getTrunk(id);
    if (!doc) return { id: "", props: {}, inputs: {} };
    const outs = outputsFromApi(doc.data, props, {});
    return { id, props: outs as unknown as Props, inputs: inputsFromOutputs(outs as unknown as Props) };
  },

  async update(id: string, olds: Props, news: Props): Promise<{ outs: Props }> {
    const failures = validateTrunkInputs(news);
    if (failures.length) throw new InputError(RESOURCE_NAME, failures);
    const typed = news as unknown as OutboundTrunkInputs;
    const c = client();
    const changes = diffTrunk(olds, news);
    let prior: Props = olds;
    const payload = buildPatchPayload(id, typed, changes);
    if (payload) {
      const patched = await c.patchTrunk(id, payload);
      prior = outputsFromApi(patched.data, olds, news) as unknown as Props;
    }
    if (changes.some((ch) => ch.property === "credentialsRotation")) {
      const type = (news.authenticationMethod as { type?: string } | undefined)?.type;
      if (type === "credentials_and_ip") {
        await c.regenerateCredentials(id);
        // The old pair is void now; only what DIDWW shows next is true.
        prior = { ...prior, username: null, password: null };
      }
    }
    return { outs: (await readBack(c, id, prior, news)) as unknown as Props };
  },

  async delete(id: string): Promise<void> {
    await client().deleteTrunk(id);
  },
};
