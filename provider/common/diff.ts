/**
 * Diff and read-back by comparison kind, for any field table.
 *
 * The engine hands `diff` the old outputs (what the vendor last reported) and the new inputs
 * (what the program says). An omitted input means the vendor's documented default; a value
 * still unknown at preview counts as a change; an output key missing from state written by an
 * older version means the vendor's default. `read` writes the live resource back as inputs in
 * the program's own spelling when the meaning is unchanged, so a refresh without drift changes
 * nothing.
 */
import { canonical, equivalent, same, type FieldSpec } from "./fields";
import { containsUnknown } from "./unknown";

/**
 * Output key holding the inputs last applied (what the program said, in its own spelling).
 * `read` uses it to write back unchanged values as the program wrote them. The CLI hides `__` keys.
 */
export const APPLIED_INPUTS_KEY = "__appliedInputs";

/** One property whose live value differs from the desired one. */
export interface FieldChange {
  /** Input name, dotted for nested values (`authenticationMethod.type`). */
  property: string;
  live: unknown;
  desired: unknown;
}

type Bag = { readonly [key: string]: unknown };

/** The value an input stands for: what was given, else the documented default, else `undefined` (server-managed). */
export function desiredValue(field: FieldSpec, inputs: Bag): unknown {
  const given = inputs[field.input];
  return given !== undefined ? given : field.default;
}

/** Whether the vendor manages this field itself for these inputs (so it is neither sent nor compared). */
export function isManaged(field: FieldSpec, inputs: Bag): boolean {
  return field.managedWhen !== undefined && inputs[field.managedWhen] === true;
}

/**
 * The inputs with every omitted field set to what omitting it means (the documented default).
 * `check` returns these, so the engine compares old outputs with values, not with absences: a
 * drifted value previews as `"blocked" => "active"`, not as a removal. Server-managed fields,
 * fields the vendor manages for these inputs, and fields whose switch is still unknown stay omitted.
 */
export function withDefaults<I extends Bag>(fields: readonly FieldSpec[], inputs: I): I {
  const out: Record<string, unknown> = { ...inputs };
  for (const field of fields) {
    if (out[field.input] !== undefined || field.default === undefined) continue;
    if (field.managedWhen && (out[field.managedWhen] === true || containsUnknown(out[field.managedWhen]))) continue;
    out[field.input] = structuredClone(field.default);
  }
  return out as I;
}

/** What must change in the fields of `fields` for the vendor's resource (`outputs`) to match `inputs`. */
export function diffFields(fields: readonly FieldSpec[], outputs: Bag, inputs: Bag): FieldChange[] {
  const changes: FieldChange[] = [];
  for (const field of fields) {
    if (isManaged(field, inputs)) continue;
    if (field.managedWhen && containsUnknown(inputs[field.managedWhen])) {
      if (inputs[field.input] !== undefined) changes.push({ property: field.input, live: outputs[field.input], desired: inputs[field.input] });
      continue;
    }
    const desired = desiredValue(field, inputs);
    if (desired === undefined) continue; // server-managed and omitted
    const live = outputs[field.input];
    if (containsUnknown(desired)) {
      changes.push({ property: field.input, live, desired });
      continue;
    }
    if (live === undefined) {
      // State written by an older version that did not record this field: the vendor has its
      // documented default unless the program asks for something else, so only that is a change.
      // Stryker disable next-line ConditionalExpression: desired is defined here, and nothing defined is equivalent to an undefined default
      if (field.default !== undefined && equivalent(field.compare, desired, field.default)) continue;
      changes.push({ property: field.input, live: null, desired });
      continue;
    }
    if (!equivalent(field.compare, desired, live)) changes.push({ property: field.input, live, desired });
  }
  return changes;
}

/** The input names among `changes` that replace the resource (a `replaceOnChange` field). */
export function replacedBy(fields: readonly FieldSpec[], changes: readonly FieldChange[]): string[] {
  const top = new Set(changes.map((c) => c.property.split(".")[0]));
  return fields.filter((f) => f.replaceOnChange && top.has(f.input)).map((f) => f.input);
}

/**
 * The fields of a live resource written as inputs. A value that still means what the program
 * last applied keeps the program's spelling; a value equal to the documented default is left
 * out where the program left it out.
 */
export function fieldsAsInputs(fields: readonly FieldSpec[], outputs: Bag, applied: Bag | undefined): Record<string, unknown> {
  const inputs: Record<string, unknown> = {};
  for (const field of fields) {
    const value = outputs[field.input];
    if (value === undefined) continue;
    if (field.managedWhen && outputs[field.managedWhen] === true) {
      if (applied?.[field.input] !== undefined) inputs[field.input] = applied[field.input];
      continue;
    }
    const said = applied?.[field.input];
    // Stryker disable next-line ConditionalExpression: an undefined said canonicalises to undefined, which is never the same JSON as the defined value
    if (said !== undefined && same(canonical(field.compare, said), canonical(field.compare, value))) {
      inputs[field.input] = said;
      continue;
    }
    if (said === undefined && field.serverManaged && applied) continue; // omitted on purpose: the vendor's value, not compared
    if (said === undefined && field.default !== undefined && equivalent(field.compare, value, field.default)) continue;
    // null where the field cannot be null means the response left the attribute out: leave it out too.
    if (value === null && (field.serverManaged || !field.nullable)) continue;
    inputs[field.input] = value;
  }
  return inputs;
}

/** The applied-inputs snapshot for new outputs: the inputs just applied, else the previous snapshot. */
export function appliedSnapshot(applied: Bag, prior: Bag): Bag | undefined {
  const { __provider: _provider, ...rest } = applied;
  return Object.keys(rest).length ? rest : (prior[APPLIED_INPUTS_KEY] as Bag | undefined);
}

function show(value: unknown): string {
  return value === undefined ? "(not set)" : JSON.stringify(value);
}

/** "property: live X, program Y" lines, one per difference. */
export function describeChanges(changes: readonly FieldChange[]): string {
  return changes.map((c) => `  - ${c.property}: live ${show(c.live)}, program ${show(c.desired)}`).join("\n");
}

/** One difference as a sentence, for failures that name a property (`noun`: what is live, e.g. "trunk"). */
export function describeChange(change: FieldChange, noun: string): string {
  return `${change.property} is ${show(change.live)} on the live ${noun}, the program says ${show(change.desired)}`;
}
