/**
 * The value the Pulumi engine sends, during preview, for an input that is not known yet
 * (for example the output of a resource that has not been created).
 *
 * Validation and diffing must treat it as "anything": a rule that depends on an unknown
 * value cannot fail at preview, and a diff that touches one reports a change.
 */
export const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

/** True when `value` is the engine's unknown sentinel. */
export function isUnknown(value: unknown): boolean {
  return value === UNKNOWN;
}

/** True when `value` is, or contains at any depth, the unknown sentinel. */
export function containsUnknown(value: unknown): boolean {
  if (isUnknown(value)) return true;
  if (Array.isArray(value)) return value.some(containsUnknown);
  if (value !== null && typeof value === "object") return Object.values(value).some(containsUnknown);
  return false;
}
