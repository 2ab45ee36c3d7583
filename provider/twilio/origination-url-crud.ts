/**
 * What runs inside the Pulumi dynamic provider host for `twilio.OriginationUrl`: the hooks of the
 * shared runtime (provider/common/runtime.ts). Loaded by package name from the serialized provider.
 *
 * An origination URL lives under its trunk (`/v1/Trunks/{TK}/OriginationUrls/{OU}`), so every
 * call needs the trunk's SID as well as the id (`OU…`): from the inputs (create, adoption, a
 * `get` with `trunkSid`), else from the stored outputs (refresh, update, delete).
 *
 * API calls (the floor, kept): create 1 (POST; an ambiguous outcome adds one list of the trunk's
 * URLs before any retry); update 1 (POST with the changed parameters; 0 when only the adoption
 * controls changed); refresh 1 (GET); delete 1 (a 404 means already gone); adoption 1 (GET; an
 * `onImportMismatch: "update"` adoption adds the update's POST); a no-op preview 0; a `trunkSid`
 * change is a replacement (create on the new trunk, then delete on the old one). The adoption's
 * preview in `check` reads the URL once more (1 GET).
 */
import { VendorApiError } from "../common/errors";
import { createWithReconcile, defineRuntime } from "../common/runtime";
import { twilioClient, twilioSettings, type TwilioClient } from "./client";
import { paramNames } from "./mapping";
import { ORIGINATION_URL_FORM_FIELDS, ORIGINATION_URL_RESOURCE, validateOriginationUrlInputs } from "./origination-url-fields";
import {
  APPLIED_INPUTS_KEY,
  diffOriginationUrl,
  originationUrlAsInputs,
  originationUrlCreateForm,
  originationUrlOutputs,
  originationUrlReplaces,
  originationUrlUpdateForm,
  originationUrlWithDefaults,
  type FieldChange,
  type OriginationUrlIn,
  type OriginationUrlOut,
} from "./origination-url-mapping";
import type { OriginationUrlOutputs } from "./origination-url-types";

/** How far `date_created` of a URL found after an ambiguous create may be from our clock. */
const RECONCILE_WINDOW_MS = 15 * 60 * 1000;
const PARAMS = paramNames(ORIGINATION_URL_FORM_FIELDS);

const client = twilioClient;

const collectionPath = (trunkSid: string) => `/v1/Trunks/${encodeURIComponent(trunkSid)}/OriginationUrls`;
const instancePath = (trunkSid: string, sid: string) => `${collectionPath(trunkSid)}/${encodeURIComponent(sid)}`;

const labelOf = (inputs: OriginationUrlIn) => String(inputs.friendlyName ?? inputs.sipUrl ?? "(unnamed)");

/** The trunk an origination URL is under: the inputs', else the stored outputs' (or their applied inputs'). */
function trunkOf(id: string, inputs: OriginationUrlIn, stored: OriginationUrlOut | undefined): string {
  const sid = inputs.trunkSid ?? stored?.trunkSid ?? stored?.[APPLIED_INPUTS_KEY]?.trunkSid;
  if (typeof sid === "string" && sid) return sid;
  throw new Error(
    `${ORIGINATION_URL_RESOURCE}: cannot reach origination URL ${id} without its trunk: Twilio addresses it as /v1/Trunks/{TK}/OriginationUrls/${id}. ` +
      "Give the trunkSid argument (with `OriginationUrl.get`, pass it in the args).",
  );
}

/** The live origination URL as outputs, or `undefined` when the trunk has no such URL (or no longer exists). */
async function fetchOriginationUrl(c: TwilioClient, sid: string, prior: OriginationUrlOut | undefined, inputs: OriginationUrlIn): Promise<OriginationUrlOutputs | undefined> {
  const record = await c.fetch("trunking", instancePath(trunkOf(sid, inputs, prior), sid));
  if (!record) return undefined;
  return originationUrlOutputs(record, prior ?? {}, prior ? {} : inputs);
}

/** URLs on the trunk made around `startedAt` that are exactly the one the program describes. */
async function findCreated(c: TwilioClient, inputs: OriginationUrlIn, startedAt: number): Promise<Record<string, unknown>[]> {
  const all = await c.list("trunking", collectionPath(String(inputs.trunkSid)), "origination_urls");
  return all.filter((r) => {
    const created = Date.parse(String(r.date_created ?? ""));
    if (!Number.isFinite(created) || Math.abs(created - startedAt) >= RECONCILE_WINDOW_MS) return false;
    try {
      return diffOriginationUrl(originationUrlOutputs(r), inputs).length === 0;
    } catch {
      return false;
    }
  });
}

async function createOriginationUrl(inputs: OriginationUrlIn): Promise<{ id: string; outs: OriginationUrlOutputs }> {
  const c = client();
  const trunkSid = String(inputs.trunkSid);
  const label = labelOf(inputs);
  try {
    const { result: record } = await createWithReconcile({
      resource: ORIGINATION_URL_RESOURCE,
      label,
      noun: "origination URL",
      attempt: () => c.createOutcome("trunking", collectionPath(trunkSid), originationUrlCreateForm(inputs), PARAMS, (r) => void originationUrlOutputs(r)),
      find: (startedAt) => findCreated(c, inputs, startedAt),
      idOf: (r) => String(r.sid),
    });
    return { id: String(record.sid), outs: originationUrlOutputs(record, {}, inputs) };
  } catch (err) {
    // Twilio answers 404 for a POST under a trunk that does not exist: say which input that is.
    if (err instanceof VendorApiError && err.code === "NOT_FOUND") {
      throw new Error(`${ORIGINATION_URL_RESOURCE} "${label}": trunkSid ${trunkSid}: no such trunk in this Twilio account; create the trunk first or fix trunkSid.\n${err.message}`);
    }
    throw err;
  }
}

async function updateOriginationUrl(sid: string, olds: OriginationUrlOut, news: OriginationUrlIn, changes: FieldChange[]): Promise<OriginationUrlOutputs> {
  const form = originationUrlUpdateForm(news, changes);
  if (!Object.keys(form).length) {
    // Nothing of Twilio's changed (e.g. only onImportMismatch): keep the outputs, record the inputs.
    const { __provider: _p, ...applied } = news;
    return originationUrlOutputs(outputsAsRecord(olds), olds, applied);
  }
  const record = await client().update("trunking", instancePath(trunkOf(sid, news, olds), sid), form, PARAMS);
  return originationUrlOutputs(record, olds, news);
}

/** Stored outputs back in the record's shape, so outputs are always built by one function. */
function outputsAsRecord(o: OriginationUrlOut): Record<string, unknown> {
  return {
    sid: o.sid, account_sid: o.accountSid, trunk_sid: o.trunkSid, sip_url: o.sipUrl, friendly_name: o.friendlyName,
    weight: o.weight, priority: o.priority, enabled: o.enabled, date_created: o.dateCreated, date_updated: o.dateUpdated, url: o.url,
  };
}

export const originationUrlRuntime = defineRuntime<OriginationUrlIn, OriginationUrlOut>({
  resource: ORIGINATION_URL_RESOURCE,
  vendor: "Twilio",
  noun: "origination URL",
  validate: validateOriginationUrlInputs,
  settings: () => void twilioSettings(),
  withDefaults: originationUrlWithDefaults,
  diff: diffOriginationUrl,
  replaces: originationUrlReplaces,
  adoptionChanges: diffOriginationUrl,
  importId: (inputs) => String(inputs.importId),
  label: labelOf,
  fetch: (sid, prior, inputs) => fetchOriginationUrl(client(), sid, prior, inputs),
  create: createOriginationUrl,
  update: updateOriginationUrl,
  inputsFromOutputs: originationUrlAsInputs,
  async delete(sid, props) {
    await client().remove("trunking", instancePath(trunkOf(sid, {}, props), sid));
  },
});
