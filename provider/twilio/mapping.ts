/**
 * What every Twilio resource's mapping shares: records to outputs by field table (wire types
 * checked), create and update forms, and parameter names for error messages. Each resource's
 * own mapping is in `<resource>-mapping.ts`.
 */
import { desiredValue, isManaged, type FieldChange } from "../common/diff";
import type { FieldSpec } from "../common/fields";
import { coerceWire, VendorResponseError, type WireKind } from "../common/response";
import type { FormValue } from "./client";
import { member } from "./fields";

/** A record member in its declared wire type, or a {@link VendorResponseError} naming Twilio, the resource and the member. */
export function wireValue(subject: string, record: Readonly<Record<string, unknown>>, key: string, kind: WireKind): unknown {
  const value = record[key];
  if (value === undefined) return null;
  const c = coerceWire(kind, value, true);
  if (!c.ok) throw new VendorResponseError("Twilio", subject, key, value, c.expected);
  return c.value;
}

/** The fields of a record as outputs (members missing from the answer read as null: every Twilio member is nullable). */
export function fieldOutputs(fields: readonly FieldSpec[], record: Readonly<Record<string, unknown>>, subject: string): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const f of fields) out[f.input] = wireValue(subject, record, member(f.api), f.wire);
  return out;
}

/** A create form: every field the program means (defaults included), so the resource is exactly the one described; nulls are left to Twilio's own null. */
export function createForm(fields: readonly FieldSpec[], inputs: Readonly<Record<string, unknown>>): Record<string, FormValue> {
  const form: Record<string, FormValue> = {};
  for (const f of fields) {
    if (isManaged(f, inputs)) continue;
    const value = desiredValue(f, inputs);
    if (value === undefined || value === null) continue;
    form[f.api] = value as FormValue;
  }
  return form;
}

/** An update form with the changed fields only; a cleared value is sent empty, which is how Twilio clears it. */
export function updateForm(fields: readonly FieldSpec[], inputs: Readonly<Record<string, unknown>>, changes: readonly FieldChange[]): Record<string, FormValue> {
  const changed = new Set(changes.map((c) => c.property.split(".")[0]));
  const form: Record<string, FormValue> = {};
  for (const f of fields) {
    if (!changed.has(f.input)) continue;
    const value = desiredValue(f, inputs);
    if (value !== undefined) form[f.api] = (value ?? null) as FormValue;
  }
  return form;
}

/** Form parameter → input name, so a Twilio error that names a parameter names the input. */
export function paramNames(fields: readonly { api: string; input: string }[]): Record<string, string> {
  return Object.fromEntries(fields.map((f) => [f.api, f.input]));
}
