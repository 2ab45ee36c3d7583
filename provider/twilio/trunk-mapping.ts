/**
 * Pure mapping of `twilio.Trunk`: its diff (fields, recording, associations), outputs from a
 * trunk record, and the live trunk written back as inputs.
 */
import { appliedSnapshot, APPLIED_INPUTS_KEY, diffFields, fieldsAsInputs, withDefaults as fillDefaults, type FieldChange } from "../common/diff";
import { equivalent, sortedUnique } from "../common/fields";
import { VendorResponseError } from "../common/response";
import { containsUnknown } from "../common/unknown";
import { member } from "./fields";
import { fieldOutputs, wireValue } from "./mapping";
import { ASSOCIATIONS, RECORDING_CHILDREN, RECORDING_DEFAULTS, TRUNK_CONTROLS, TRUNK_FIELDS, type AssociationName, type AssociationSpec } from "./trunk-fields";
import type { RecordingSettings, TrunkInputs, TrunkOutputs } from "./trunk-types";

export { APPLIED_INPUTS_KEY, type FieldChange } from "../common/diff";

/** Inputs as the runtime sees them: possibly partial, possibly holding engine keys. */
export type TrunkIn = Partial<TrunkInputs> & { __provider?: string };
/** Outputs as stored: possibly written by an older version (keys missing). */
export type TrunkOut = Partial<TrunkOutputs> & { __provider?: string; [APPLIED_INPUTS_KEY]?: TrunkIn };


/** The recording the program means: its settings over the defaults. */
export function desiredRecording(inputs: TrunkIn): Required<RecordingSettings> | undefined {
  const given = inputs.recording;
  if (given === undefined || given === null) return { ...RECORDING_DEFAULTS };
  if (containsUnknown(given)) return undefined;
  return { ...RECORDING_DEFAULTS, ...Object.fromEntries(Object.entries(given).filter(([, v]) => v !== undefined)) };
}

/** The inputs with the documented defaults filled in (check returns these). Associations stay omitted: omitted means not managed. */
export function trunkWithDefaults(inputs: TrunkIn): TrunkIn {
  const out = fillDefaults(TRUNK_FIELDS, inputs);
  const recording = desiredRecording(inputs);
  if (recording) out.recording = recording;
  return out;
}

export function isAssociationManaged(a: AssociationSpec, inputs: TrunkIn): boolean {
  return inputs[a.input] !== undefined;
}

/** What must change for the trunk Twilio last reported (`outputs`) to match `inputs`. */
export function diffTrunk(outputs: TrunkOut, inputs: TrunkIn): FieldChange[] {
  const changes = diffFields(TRUNK_FIELDS, outputs, inputs);
  const recording = desiredRecording(inputs);
  const live = outputs.recording ?? RECORDING_DEFAULTS;
  if (recording === undefined) changes.push({ property: "recording", live, desired: inputs.recording });
  else {
    for (const c of RECORDING_CHILDREN) {
      if (!equivalent(c.compare, recording[c.input], live[c.input])) changes.push({ property: `recording.${c.input}`, live: live[c.input] ?? null, desired: recording[c.input] });
    }
  }
  for (const a of ASSOCIATIONS) {
    const desired = inputs[a.input];
    if (desired === undefined) continue;
    const was = outputs[a.input];
    // Not read before (the program did not manage it): unknown, so reconciled by reading it.
    if (containsUnknown(desired) || !Array.isArray(was) || !equivalent(a.compare, desired, was)) changes.push({ property: a.input, live: was ?? null, desired });
  }
  return changes;
}

/** The SIDs to remove and to add for one association. */
export function associationDelta(live: readonly string[], desired: readonly string[]): { remove: string[]; add: string[] } {
  const want = new Set(desired);
  const have = new Set(live);
  return { remove: sortedUnique(live.filter((s) => !want.has(s))), add: sortedUnique(desired.filter((s) => !have.has(s))) };
}

/** The recording as outputs from a trunk record or a Recording answer. */
export function recordingFrom(raw: unknown, subject: string, prior: Required<RecordingSettings> | undefined): Required<RecordingSettings> {
  if (raw === undefined || raw === null) return prior ?? { ...RECORDING_DEFAULTS };
  if (typeof raw !== "object" || Array.isArray(raw)) throw new VendorResponseError("Twilio", subject, "recording", raw, "an object { mode, trim }");
  const r = raw as Record<string, unknown>;
  const out = { ...RECORDING_DEFAULTS, ...prior };
  for (const c of RECORDING_CHILDREN) {
    const v = wireValue(subject, r, member(c.api), c.wire);
    if (v !== null) (out as Record<string, unknown>)[c.input] = v;
  }
  return out;
}

/**
 * Outputs from a trunk record. `associations` holds the SIDs read or written for the managed
 * associations; the others keep what `prior` had (null when never managed).
 */
export function trunkOutputs(
  record: Readonly<Record<string, unknown>>,
  associations: Partial<Record<AssociationName, string[]>> = {},
  prior: TrunkOut = {},
  applied: TrunkIn = {},
): TrunkOutputs {
  const sid = record.sid;
  const subject = `trunk ${typeof sid === "string" ? sid : "(no sid)"}`;
  const out: Record<string, unknown> = fieldOutputs(TRUNK_FIELDS, record, subject);
  out.recording = recordingFrom(record.recording, subject, prior.recording);
  for (const a of ASSOCIATIONS) {
    const sids = associations[a.input];
    out[a.input] = sids !== undefined ? sortedUnique(sids) : (prior[a.input] ?? null);
  }
  out.sid = wireValue(subject, record, "sid", "string");
  out.accountSid = wireValue(subject, record, "account_sid", "string");
  out.authType = wireValue(subject, record, "auth_type", "string");
  out.authTypeSet = wireValue(subject, record, "auth_type_set", "strings") ?? [];
  out.symmetricRtpEnabled = wireValue(subject, record, "symmetric_rtp_enabled", "boolean");
  out.dateCreated = wireValue(subject, record, "date_created", "string");
  out.dateUpdated = wireValue(subject, record, "date_updated", "string");
  out.url = wireValue(subject, record, "url", "string");
  for (const key of Object.keys(TRUNK_CONTROLS) as (keyof typeof TRUNK_CONTROLS)[]) {
    const v = applied[key] !== undefined ? applied[key] : prior[key];
    if (v !== undefined && v !== null) out[key] = v;
  }
  const snapshot = appliedSnapshot(applied, prior);
  if (snapshot !== undefined) out[APPLIED_INPUTS_KEY] = snapshot;
  return JSON.parse(JSON.stringify(out)) as TrunkOutputs;
}

/**
 * The live trunk written as inputs (what `read` returns), in the program's spelling where the
 * meaning is unchanged, defaults left out where the program left them out, and associations
 * only where the program manages them.
 */
export function trunkAsInputs(outputs: TrunkOut): TrunkIn {
  const applied = outputs[APPLIED_INPUTS_KEY];
  const inputs: Record<string, unknown> = fieldsAsInputs(TRUNK_FIELDS, outputs, applied);
  const live = outputs.recording;
  if (live) {
    const said = applied?.recording;
    const saidFull = said !== undefined ? desiredRecording(applied ?? {}) : undefined;
    if (saidFull && equivalent("exact", saidFull, live)) inputs.recording = said;
    else if (said !== undefined || !equivalent("exact", live, RECORDING_DEFAULTS)) inputs.recording = live;
  }
  for (const a of ASSOCIATIONS) {
    const value = outputs[a.input];
    if (!Array.isArray(value)) continue;
    const said = applied?.[a.input];
    inputs[a.input] = said !== undefined && equivalent(a.compare, said, value) ? said : value;
  }
  for (const key of Object.keys(TRUNK_CONTROLS) as (keyof typeof TRUNK_CONTROLS)[]) {
    if (outputs[key] !== undefined && outputs[key] !== null) inputs[key] = outputs[key];
  }
  return inputs as TrunkIn;
}
