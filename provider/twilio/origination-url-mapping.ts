/**
 * Pure mapping of `twilio.OriginationUrl`: its diff and replacement, its forms, outputs from an
 * origination URL record, and the live URL written back as inputs.
 */
import { appliedSnapshot, APPLIED_INPUTS_KEY, diffFields, fieldsAsInputs, replacedBy, withDefaults as fillDefaults, type FieldChange } from "../common/diff";
import type { FormValue } from "./client";
import { createForm, fieldOutputs, updateForm, wireValue } from "./mapping";
import { ORIGINATION_URL_CONTROLS, ORIGINATION_URL_FIELDS, ORIGINATION_URL_FORM_FIELDS } from "./origination-url-fields";
import type { OriginationUrlInputs, OriginationUrlOutputs } from "./origination-url-types";

export { APPLIED_INPUTS_KEY, type FieldChange } from "../common/diff";

/** Inputs as the runtime sees them: possibly partial, possibly holding engine keys. */
export type OriginationUrlIn = Partial<OriginationUrlInputs> & { __provider?: string };
/** Outputs as stored: possibly written by an older version (keys missing). */
export type OriginationUrlOut = Partial<OriginationUrlOutputs> & { __provider?: string; [APPLIED_INPUTS_KEY]?: OriginationUrlIn };

/** The inputs with the documented defaults filled in (check returns these): weight 10, priority 10, enabled true. */
export function originationUrlWithDefaults(inputs: OriginationUrlIn): OriginationUrlIn {
  return fillDefaults(ORIGINATION_URL_FIELDS, inputs);
}

/** What must change for the origination URL Twilio last reported (`outputs`) to match `inputs`. */
export function diffOriginationUrl(outputs: OriginationUrlOut, inputs: OriginationUrlIn): FieldChange[] {
  return diffFields(ORIGINATION_URL_FIELDS, outputs, inputs);
}

/** The inputs among `changes` that replace the origination URL (`trunkSid`: Twilio cannot move one to another trunk). */
export function originationUrlReplaces(changes: readonly FieldChange[]): string[] {
  return replacedBy(ORIGINATION_URL_FIELDS, changes);
}

/** The create form: all five parameters Twilio requires, defaults included. */
export function originationUrlCreateForm(inputs: OriginationUrlIn): Record<string, FormValue> {
  return createForm(ORIGINATION_URL_FORM_FIELDS, inputs);
}

/** The update form: the changed parameters only (never `trunkSid`, which is the path and replaces). */
export function originationUrlUpdateForm(inputs: OriginationUrlIn, changes: readonly FieldChange[]): Record<string, FormValue> {
  return updateForm(ORIGINATION_URL_FORM_FIELDS, inputs, changes);
}

/**
 * Outputs from an origination URL record (a create, update, fetch or list answer): every field
 * as Twilio reports it, checked against its wire type, plus the read-only members, the adoption
 * controls and the applied-inputs snapshot (`applied`, else `prior`'s).
 */
export function originationUrlOutputs(
  record: Readonly<Record<string, unknown>>,
  prior: OriginationUrlOut = {},
  applied: OriginationUrlIn = {},
): OriginationUrlOutputs {
  const sid = record.sid;
  const subject = `origination URL ${typeof sid === "string" ? sid : "(no sid)"}`;
  const out: Record<string, unknown> = fieldOutputs(ORIGINATION_URL_FIELDS, record, subject);
  out.sid = wireValue(subject, record, "sid", "string");
  out.accountSid = wireValue(subject, record, "account_sid", "string");
  out.dateCreated = wireValue(subject, record, "date_created", "string");
  out.dateUpdated = wireValue(subject, record, "date_updated", "string");
  out.url = wireValue(subject, record, "url", "string");
  for (const key of Object.keys(ORIGINATION_URL_CONTROLS) as (keyof typeof ORIGINATION_URL_CONTROLS)[]) {
    const v = applied[key] !== undefined ? applied[key] : prior[key];
    if (v !== undefined && v !== null) out[key] = v;
  }
  const snapshot = appliedSnapshot(applied, prior);
  if (snapshot !== undefined) out[APPLIED_INPUTS_KEY] = snapshot;
  return JSON.parse(JSON.stringify(out)) as OriginationUrlOutputs;
}

/**
 * The live origination URL written as inputs (what `read` returns), in the program's spelling
 * where the meaning is unchanged (`SIP:PBX.example.com` stays as the program wrote it when
 * Twilio reports `sip:pbx.example.com`), defaults left out where the program left them out.
 */
export function originationUrlAsInputs(outputs: OriginationUrlOut): OriginationUrlIn {
  const inputs: Record<string, unknown> = fieldsAsInputs(ORIGINATION_URL_FIELDS, outputs, outputs[APPLIED_INPUTS_KEY]);
  for (const key of Object.keys(ORIGINATION_URL_CONTROLS) as (keyof typeof ORIGINATION_URL_CONTROLS)[]) {
    if (outputs[key] !== undefined && outputs[key] !== null) inputs[key] = outputs[key];
  }
  return inputs as OriginationUrlIn;
}
