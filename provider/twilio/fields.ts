/**
 * What every Twilio field table shares: SID rules, the form-parameter → answer-member naming,
 * and the adoption controls. Each resource's own table is in `<resource>-fields.ts`.
 */
import { adoptionControls, type ControlField } from "../common/fields";

export const sidPattern = (prefix: string) => `^${prefix}[0-9a-fA-F]{32}$`;
export const sidRule = (prefix: string, what: string) => `must be ${what} SID ("${prefix}" followed by 32 hexadecimal characters)`;

/** Twilio's answer member for a form parameter: `CnamLookupEnabled` → `cnam_lookup_enabled`. */
export function member(param: string): string {
  return param.replace(/([a-z0-9])([A-Z])/g, "$1_$2").toLowerCase();
}

/** The adoption controls every Twilio resource has; `prefix`/`what` name the SID it adopts. */
export function importControls(prefix: string, what: string): Record<"importId" | "onImportMismatch", ControlField> {
  return adoptionControls({
    schema: { type: "string", pattern: sidPattern(prefix) },
    rule: `must be the SID of an existing Twilio ${what} ("${prefix}" followed by 32 hexadecimal characters)`,
  });
}
