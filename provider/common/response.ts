/**
 * Checks of what a vendor answered, before anything of it reaches the outputs.
 *
 * A value of the wrong JSON type written into outputs would be compared with the program's
 * value on every later run (a perpetual diff) or break the next payload. So each attribute is
 * checked against the type the field table declares: harmless spellings are coerced (`"30"`
 * for an integer, `"true"` for a boolean, `7` in a list of strings), anything else is refused
 * with an error that names the vendor, the resource and the attribute.
 */

/** The JSON type of an attribute on the wire. */
export type WireKind = "string" | "integer" | "boolean" | "decimal" | "strings";

const EXPECTED: Record<WireKind, string> = {
  string: "a string",
  integer: "an integer",
  boolean: "a boolean",
  decimal: "a decimal (string or number)",
  strings: "a list of strings",
};

export type Coerced = { ok: true; value: unknown } | { ok: false; expected: string };

/** The value in its declared type, or why it cannot be. `null` passes only when `nullable` (a null list reads as `[]`). */
export function coerceWire(kind: WireKind, value: unknown, nullable: boolean): Coerced {
  const fail = (): Coerced => ({ ok: false, expected: `${EXPECTED[kind]}${nullable ? " or null" : ""}` });
  if (value === null) {
    if (nullable) return { ok: true, value: null };
    return kind === "strings" ? { ok: true, value: [] } : fail();
  }
  switch (kind) {
    case "string":
      return typeof value === "string" ? { ok: true, value } : fail();
    case "integer":
      if (typeof value === "number" && Number.isSafeInteger(value)) return { ok: true, value };
      if (typeof value === "string" && /^-?\d{1,15}$/.test(value.trim())) return { ok: true, value: Number(value.trim()) };
      return fail();
    case "boolean":
      if (typeof value === "boolean") return { ok: true, value };
      if (value === "true" || value === "false") return { ok: true, value: value === "true" };
      return fail();
    case "decimal":
      if (typeof value === "number" && Number.isFinite(value)) return { ok: true, value: String(value) };
      return typeof value === "string" && /^-?\d+(\.\d+)?$/.test(value.trim()) ? { ok: true, value: value.trim() } : fail();
    case "strings": {
      if (!Array.isArray(value)) return fail();
      const out: string[] = [];
      for (const item of value) {
        if (typeof item === "string") out.push(item);
        else if (typeof item === "number" && Number.isFinite(item)) out.push(String(item));
        else return fail();
      }
      return { ok: true, value: out };
    }
  }
}

/** A short, bounded rendering of a value for an error message. */
export function preview(value: unknown, max = 60): string {
  let text: string;
  try {
    text = JSON.stringify(value) ?? String(value);
  } catch {
    text = String(value);
  }
  return text.length > max ? `${text.slice(0, max - 3)}...` : text;
}

/** A success answer whose content cannot be used: the wrong type where the field table says otherwise. */
export class VendorResponseError extends Error {
  readonly code = "UNEXPECTED";
  constructor(
    readonly vendor: string,
    /** What the answer was about, e.g. `trunk 0f3c…`. */
    readonly subject: string,
    readonly attribute: string,
    got: unknown,
    expected: string,
  ) {
    super(
      `${vendor} answered with ${attribute} ${preview(got)} for ${subject}, which is not ${expected}; nothing was recorded from that answer. ` +
        `Run the command again; if it persists, ${vendor} or a proxy in between is misbehaving.`,
    );
    this.name = "VendorResponseError";
  }
}
