/**
 * Request bodies from a field table, for any vendor: a create sends every value the program
 * means, an update only the changed ones. How a value is spelled on the wire (a form value, a
 * JSON object) is the vendor's: `toApi` converts one field's value.
 */
import { desiredValue, isManaged, type FieldChange } from "./diff";
import type { FieldSpec } from "./fields";

type Bag = Readonly<Record<string, unknown>>;
/** One field's value as the vendor's API spells it (default: as it is). */
export type ApiValue = (field: FieldSpec, value: unknown) => unknown;
const asIs: ApiValue = (_field, value) => value;

/** A create body: every field the program means (defaults included), so the resource is exactly the one described; nulls are left to the vendor's own null. */
export function createPayload(fields: readonly FieldSpec[], inputs: Bag, toApi: ApiValue = asIs): Record<string, unknown> {
  const body: Record<string, unknown> = {};
  for (const f of fields) {
    if (isManaged(f, inputs)) continue;
    const value = desiredValue(f, inputs);
    if (value === undefined || value === null) continue;
    body[f.api] = toApi(f, value);
  }
  return body;
}

/** An update body with the changed fields only (each whole); a cleared value is sent as null, which is how a vendor clears it. */
export function updatePayload(fields: readonly FieldSpec[], inputs: Bag, changes: readonly FieldChange[], toApi: ApiValue = asIs): Record<string, unknown> {
  const changed = new Set(changes.map((c) => c.property.split(".")[0]));
  const body: Record<string, unknown> = {};
  for (const f of fields) {
    if (!changed.has(f.input)) continue;
    const value = desiredValue(f, inputs);
    if (value !== undefined) body[f.api] = value === null ? null : toApi(f, value);
  }
  return body;
}
