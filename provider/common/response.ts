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
export type WireKind = "string" | "integer" | "boolean" | "decimal" | "strings" | "objects";

const EXPECTED: Record<WireKind, string> = {
  string: "a string",
  integer: "an integer",
  boolean: "a boolean",
  decimal: "a decimal (string or number)",
  strings: "a list of strings",
  objects: "a list of objects",
};

export type Coerced = { ok: true; value: unknown } | { ok: false; expected: string };

/** The value in its declared type, or why it cannot be. `null` passes only when `nullable` (a null list reads as `[]`). */
export function coerceWire(kind: WireKind, value: unknown, nullable: boolean): Coerced {
  const fail = (): Coerced => ({ ok: false, expected: `${EXPECTED[kind]}${nullable ? " or null" : ""}` });
  if (value === null) {
    if (nullable) return { ok: true, value: null };
    return kind === "strings" || kind === "objects" ? { ok: true, value: [] } : fail();
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
    case "objects":
      // Each object's members are checked by the caller, against the attributes it declares (see objectsFromWire).
      return Array.isArray(value) && value.every((item) => item !== null && typeof item === "object" && !Array.isArray(item)) ? { ok: true, value } : fail();
  }
}

/** A record member in its declared wire type (a missing member reads as null), or a {@link VendorResponseError} naming the vendor, the subject and the member. */
export function wireMember(vendor: string, subject: string, record: Readonly<Record<string, unknown>>, key: string, kind: WireKind, nullable = true): unknown {
  const value = record[key];
  if (value === undefined) return null;
  const c = coerceWire(kind, value, nullable);
  if (!c.ok) throw new VendorResponseError(vendor, subject, key, value, c.expected);
  return c.value;
}

/** One attribute of the objects of a list, as {@link objectsFromWire} reads it. */
export interface WireAttribute {
  /** The name in the outputs. */
  input: string;
  /** The vendor's member name. */
  api: string;
  wire: WireKind;
  nullable: boolean;
}

/**
 * A list of objects from an answer (`gateways: [{ gateway_address, port, priority }]`), each
 * object reduced to the declared attributes in their wire types (a missing one reads as null;
 * members not declared are dropped), or a {@link VendorResponseError} naming the list and the item.
 */
export function objectsFromWire(vendor: string, subject: string, key: string, value: unknown, attributes: readonly WireAttribute[]): Record<string, unknown>[] {
  const c = coerceWire("objects", value, false);
  if (!c.ok) throw new VendorResponseError(vendor, subject, key, value, c.expected);
  return (c.value as Record<string, unknown>[]).map((item, i) => {
    const out: Record<string, unknown> = {};
    for (const a of attributes) {
      const member = item[a.api];
      if (member === undefined) {
        out[a.input] = null;
        continue;
      }
      const coerced = coerceWire(a.wire, member, a.nullable);
      if (!coerced.ok) throw new VendorResponseError(vendor, subject, `${key}[${i}].${a.api}`, member, coerced.expected);
      out[a.input] = coerced.value;
    }
    return out;
  });
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
