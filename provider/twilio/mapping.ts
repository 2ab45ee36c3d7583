/**
 * What every Twilio resource's mapping shares: records to outputs by field table (wire types
 * checked), create and update forms, and parameter names for error messages. Each resource's
 * own mapping is in `<resource>-mapping.ts`.
 */
import type { FieldChange } from "../common/diff";
import type { FieldSpec } from "../common/fields";
import { createPayload, updatePayload } from "../common/payload";
import { wireMember, type VendorResponseError, type WireKind } from "../common/response";
import type { FormValue } from "./client";
import { member } from "./fields";

/** A record member in its declared wire type, or a {@link VendorResponseError} naming Twilio, the resource and the member. */
export function wireValue(subject: string, record: Readonly<Record<string, unknown>>, key: string, kind: WireKind): unknown {
  return wireMember("Twilio", subject, record, key, kind);
}

/** The fields of a record as outputs (members missing from the answer read as null: every Twilio member is nullable). */
export function fieldOutputs(fields: readonly FieldSpec[], record: Readonly<Record<string, unknown>>, subject: string): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const f of fields) out[f.input] = wireValue(subject, record, member(f.api), f.wire);
  return out;
}

/** A create form (common/payload.ts): every field the program means (defaults included); nulls are left to Twilio's own null. */
export function createForm(fields: readonly FieldSpec[], inputs: Readonly<Record<string, unknown>>): Record<string, FormValue> {
  return createPayload(fields, inputs) as Record<string, FormValue>;
}

/** An update form with the changed fields only; a cleared value is sent empty, which is how Twilio clears it. */
export function updateForm(fields: readonly FieldSpec[], inputs: Readonly<Record<string, unknown>>, changes: readonly FieldChange[]): Record<string, FormValue> {
  return updatePayload(fields, inputs, changes) as Record<string, FormValue>;
}

/** Form parameter → input name, so a Twilio error that names a parameter names the input. */
export function paramNames(fields: readonly { api: string; input: string }[]): Record<string, string> {
  return Object.fromEntries(fields.map((f) => [f.api, f.input]));
}
