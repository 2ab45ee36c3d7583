/**
 * The vocabulary every resource's field table is written in, and how two values of a field
 * compare. A resource declares its inputs once, as data (see provider/didww/fields.ts); the
 * schema, the diff, the payloads, the read-back, the README's tables and the TSDoc check are
 * all derived from that table.
 */
import { canonicalDecimal } from "./decimal";
import { normaliseCidr } from "./ip";
import type { WireKind } from "./response";

/**
 * How the program's value and the vendor's value of a field compare:
 * - `exact`: as JSON;
 * - `decimal`: as decimal numbers (`"100.0"` equals `100`);
 * - `ipSet`: as a set of CIDRs (a bare address equals its /32 or /128);
 * - `stringSet` / `idSet`: as sets (ids case-insensitively); null equals the empty set;
 * - `caseless`: strings case-insensitively (`""` equals null);
 * - `emptyIsNull`: `""` and absent equal null;
 * - `sipUri`: SIP URIs with scheme and host case-insensitive and `sip://` equal to `sip:` (user part and parameters exact).
 */
export type CompareKind = "exact" | "decimal" | "ipSet" | "stringSet" | "idSet" | "caseless" | "emptyIsNull" | "sipUri";

/**
 * A resource's own comparable form of a value (never called with `undefined`): for values whose
 * meaning the kinds above do not capture, e.g. a list of objects the vendor re-orders, or a codec
 * list the vendor re-spells. Two values compare equal when their forms are the same JSON.
 */
export type CanonicalForm = (value: unknown) => unknown;

/** How a field compares: one of the shared kinds, or the resource's own {@link CanonicalForm}. */
export type Compare = CompareKind | CanonicalForm;

/** One input of a resource as data. `T` is the input's type (its default must have it). */
export interface FieldDef<T, Switch extends string = string> {
  /** The vendor's name for it (attribute, form parameter, relationship). */
  api: string;
  /** JSON Schema of the input value (null included exactly when `nullable`). */
  schema: Record<string, unknown>;
  /** The rule in words; error messages, the README and the TSDoc quote it. */
  rule: string;
  /** For lists: the rule of one element, quoted when one element is wrong. */
  itemRule?: string;
  /** The input accepts null (and the vendor may answer null). */
  nullable: boolean;
  /** Documented value the vendor gives an omitted input on create; an omitted input means this value. */
  default?: T;
  /** Omitted means "whatever the vendor has" (it depends on the account): not sent, not compared. */
  serverManaged?: boolean;
  required?: boolean;
  compare: Compare;
  /** The JSON type the vendor answers with; responses are checked (and harmless spellings coerced) against it. */
  wire: WireKind;
  /** While this boolean input is true, the vendor manages the field itself: it is neither sent nor compared. */
  managedWhen?: Switch;
  /** A change of this input replaces the resource instead of updating it in place. */
  replaceOnChange?: boolean;
  /** A limit this provider sets where the vendor documents none (marked as such in the README). */
  providerRule?: string;
  /** A secret (a password): validation messages never quote its value. */
  secret?: boolean;
  /** One line for the README and the TSDoc. */
  doc: string;
}

/** A field with its input name, as the runtime walks them. */
export type FieldSpec<Name extends string = string, Switch extends string = string> = FieldDef<unknown, Switch> & {
  /** The resource input (camelCase). */
  input: Name;
};

/** An attribute of a nested input (an object, or the objects of a list). */
export interface SubField<Name extends string = string> {
  input: Name;
  api: string;
  schema: Record<string, unknown>;
  rule: string;
  itemRule?: string;
  required: boolean;
  compare: Compare;
  nullable: boolean;
  wire: WireKind;
  providerRule?: string;
  /** A secret (a password): validation messages never quote its value. */
  secret?: boolean;
  /** What an omitted attribute means (shown in the README). */
  default?: unknown;
  /** One line for the README (optional for nested attributes). */
  doc?: string;
}

/** An input that steers the provider rather than the vendor's resource (import, rotation …). */
export interface ControlField {
  schema: Record<string, unknown>;
  rule: string;
  doc: string;
}

/**
 * The adoption controls of a resource (common/runtime.ts reads them): the id the `import` option
 * adopts, with the vendor's id schema and rule, and what a live resource that differs means.
 */
export function adoptionControls(importId: { schema: Record<string, unknown>; rule: string }): Record<"importId" | "onImportMismatch", ControlField> {
  return {
    importId: { ...importId, doc: "Set by the `import` resource option: adopt this resource instead of creating one." },
    onImportMismatch: {
      schema: { enum: ["fail", "update"] },
      rule: 'must be "fail" or "update"',
      doc: 'With `import`: "fail" (default) stops when the live resource differs from the arguments; "update" makes it match.',
    },
  };
}

/** The list form of a typed field table (`{ input: def }`), in declaration order. */
export function fieldList<Name extends string, Switch extends string = string>(table: Record<Name, FieldDef<any, Switch>>): FieldSpec<Name, Switch>[] {
  return (Object.entries(table) as [Name, FieldDef<unknown, Switch>][]).map(([input, def]) => ({ input, ...def }));
}

/** The field of one input name (the name is checked by the compiler, so it always exists). */
export function fieldIn<Name extends string, F extends { input: Name }>(fields: readonly F[], input: Name): F {
  const found = fields.find((f) => f.input === input);
  if (!found) throw new Error(`no field ${input}`);
  return found;
}

const quoted = (values: readonly string[]) => values.map((v) => `"${v}"`);

/** The rule text of an enumeration: `must be "a" or "b"`, `must be one of "a", "b", "c"`. */
export function oneOf(values: readonly string[]): string {
  return values.length === 2 ? `must be ${quoted(values).join(" or ")}` : `must be one of ${quoted(values).join(", ")}`;
}

export function sortedUnique(values: string[]): string[] {
  return [...new Set(values)].sort();
}

/** Comparable form of one value under a comparison rule. */
export function canonical(compare: Compare, value: unknown): unknown {
  if (value === undefined) return undefined;
  if (typeof compare === "function") return compare(value);
  switch (compare) {
    case "exact":
      return value;
    case "decimal":
      return value === null ? null : canonicalDecimal(value as string | number) ?? value;
    case "ipSet":
      return value === null ? null : sortedUnique((value as string[]).map(normaliseCidr));
    case "stringSet":
      // Stryker disable next-line ConditionalExpression: new Set(null) is empty, so sortedUnique(null) is [] as well
      return value === null ? [] : sortedUnique(value as string[]);
    case "idSet":
      return value === null ? [] : sortedUnique((value as string[]).map((v) => v.toLowerCase()));
    case "caseless":
      return value === "" ? null : typeof value === "string" ? value.toLowerCase() : value;
    case "emptyIsNull":
      return value === "" ? null : value;
    case "sipUri":
      return typeof value === "string" ? canonicalSipUri(value) : value;
  }
}

/**
 * `SIP:User@PBX.Example.com:5060;transport=tcp` → `sip:User@pbx.example.com:5060;transport=tcp`:
 * the scheme and the host lower-cased (RFC 3261 §19.1.4 compares them without case), `//` after
 * the scheme dropped (Twilio's own examples write `sip://host`); the user part and the
 * parameters are left as written. A string that is not a SIP URI is returned as it is.
 */
export function canonicalSipUri(uri: string): string {
  const m = /^(sips?):(?:\/\/)?(?:([^@]*)@)?([^;?]*)(.*)$/is.exec(uri);
  if (!m) return uri;
  const [, scheme, user, hostport, rest] = m;
  return `${scheme.toLowerCase()}:${user !== undefined ? `${user}@` : ""}${hostport.toLowerCase()}${rest}`;
}

/** Whether two values are the same JSON. */
export function same(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/** Whether the program's and the vendor's value mean the same under `compare`. */
export function equivalent(compare: Compare, a: unknown, b: unknown): boolean {
  return same(canonical(compare, a), canonical(compare, b));
}
