/**
 * The outbound trunk declared once, as data. For every member of a stored trunk: where it sits in
 * a JSON:API document, the JSON type the data file stores, its create default, the 422 rules a
 * client write goes through, and the filters and sorts the list offers on it. Serialisation
 * order, validation, the data-file schema, the out-of-band edit API and the list query all derive
 * from {@link TRUNK_FIELDS}; adding an attribute is one entry here.
 */
import { MSG } from "./messages";
import { ENUMS, type DidwwDid, type DidwwTrunk } from "./model";
import { DST_PREFIX, compareDecimals, isHttpUrl, normalizeCidrList, parseDecimal, parseInteger } from "./normalize";

/** Checks and normalises one client value: the stored value, or the 422 message. */
export type Check = (value: unknown) => { value: unknown } | { message: string };

/** What a client may send for an attribute. */
export interface WriteRule {
  /** Position on DIDWW's PATCH page; several 422s come in this order. */
  rank: number;
  nullable: boolean;
  /** POST must carry it (OAS + create page). */
  requiredOnCreate?: boolean;
  /** Message for an explicit null on a non-nullable attribute. */
  nullMessage?: string;
  /** Absent for `authentication_method`, whose nested rules need the stored trunk (validate.ts). */
  check?: Check;
}

/** A to-many relationship a client may replace (`[]` clears). */
export interface LinkRule {
  /** The linkage type it carries. */
  type: "dids";
  /** The flag that makes the set "managed automatically": explicit ids are then refused. */
  managedBy: "allow_any_did_as_cli" | "emergency_enable_all";
  /** Which DIDs the API accepts in it (out-of-band edits skip this). */
  eligible?(did: DidwwDid): boolean;
}

/** One `filter[<name>]` over a member. */
export interface FilterRule {
  /** Exact text, case-insensitive substring, Rails boolean. */
  kind: "exact" | "contains" | "boolean";
  /** Documented "Allow Blank: Yes" (seed 000): an empty value is a value, not an error. */
  allowBlank?: boolean;
  /** The compared part of the value, when not the value itself. */
  of?(value: unknown): unknown;
}

export interface TrunkField {
  /** Where the member appears in a JSON:API resource object. */
  in: "attributes" | "meta" | "relationships";
  /** JSON Schema of the stored value (data file). */
  schema: Record<string, unknown>;
  /** Value of a new trunk when the client does not send one (recorded defaults). */
  default?: unknown;
  write?: WriteRule;
  link?: LinkRule;
  filters?: Record<string, FilterRule>;
  /**
   * `sort=<name>` offered. `"sequenced"`: ties resolve in creation order, standing in for the
   * microseconds DIDWW's database keeps but its millisecond timestamps do not show.
   */
  sort?: "value" | "sequenced";
}

const enumCheck = (values: readonly string[]): Check => (v) =>
  typeof v === "string" && values.includes(v) ? { value: v } : { message: MSG.inclusion };

const booleanCheck: Check = (v) => (typeof v === "boolean" ? { value: v } : { message: MSG.inclusion });

const integerRange = (min: number, max: number): Check => (v) => {
  const n = parseInteger(v);
  if (n === "nan") return { message: MSG.notANumber };
  if (n === "fraction") return { message: MSG.notAnInteger };
  if (n < min) return { message: MSG.greaterOrEqual(min) };
  if (n > max) return { message: MSG.lessOrEqual(max) };
  return { value: n };
};

const decimalRange = (min: string, max: string): Check => {
  const low = parseDecimal(min)!;
  const high = parseDecimal(max)!;
  return (v) => {
    const d = parseDecimal(v);
    if (!d) return { message: MSG.notANumber };
    if (compareDecimals(d, low) < 0) return { message: MSG.greaterOrEqual(low.text) };
    if (compareDecimals(d, high) > 0) return { message: MSG.lessOrEqual(high.text) };
    return { value: d.text };
  };
};

const cidrListCheck: Check = (v) => {
  const list = normalizeCidrList(v);
  return list ? { value: list } : { message: MSG.invalid };
};

const nameCheck: Check = (v) => (typeof v !== "string" ? { message: MSG.invalid } : v.trim() === "" ? { message: MSG.blank } : { value: v });

const maxLength = (max: number): Check => (v) =>
  typeof v !== "string" ? { message: MSG.invalid } : v.length > max ? { message: MSG.tooLong(max) } : { value: v };

const dstPrefixesCheck: Check = (v) =>
  Array.isArray(v) && v.every((p) => typeof p === "string" && DST_PREFIX.test(p)) ? { value: [...(v as string[])] } : { message: MSG.invalid };

const urlCheck: Check = (v) => (typeof v === "string" && isHttpUrl(v) ? { value: v } : { message: MSG.invalid });

const json = (type: string, nullable = false) => ({ type: nullable ? [type, "null"] : type });
const stringList = (nullable = false) => {
  const list = { type: "array", items: { type: "string" } };
  return nullable ? { anyOf: [list, { type: "null" }] } : list;
};

const flag = (rank: number, def = false): TrunkField => ({
  in: "attributes",
  schema: json("boolean"),
  default: def,
  write: { rank, nullable: false, nullMessage: MSG.inclusion, check: booleanCheck },
});

/**
 * Every stored member but `id`, in the order the 2026-04-16 recordings serialise attributes;
 * `satisfies` makes the compiler hold this table and the {@link DidwwTrunk} type to the same keys.
 */
export const TRUNK_FIELDS = {
  allowed_rtp_ips: { in: "attributes", schema: stringList(true), default: null, write: { rank: 3, nullable: true, check: cidrListCheck } },
  allow_any_did_as_cli: { ...flag(7), filters: { allow_any_did_as_cli: { kind: "boolean" } }, sort: "value" },
  status: {
    in: "attributes",
    schema: json("string"),
    default: "active",
    write: { rank: 8, nullable: false, nullMessage: MSG.blank, check: enumCheck(ENUMS.status) },
    filters: { status: { kind: "exact" } },
  },
  on_cli_mismatch_action: {
    in: "attributes",
    schema: json("string"),
    write: { rank: 5, nullable: false, requiredOnCreate: true, nullMessage: MSG.blank, check: enumCheck(ENUMS.on_cli_mismatch_action) },
    filters: { on_cli_mismatch_action: { kind: "exact", allowBlank: true } },
  },
  name: {
    in: "attributes",
    schema: json("string"),
    write: { rank: 1, nullable: false, requiredOnCreate: true, nullMessage: MSG.blank, check: nameCheck },
    filters: { name: { kind: "exact", allowBlank: true }, name_contains: { kind: "contains", allowBlank: true } },
    sort: "value",
  },
  capacity_limit: { in: "attributes", schema: json("integer", true), default: null, write: { rank: 6, nullable: true, check: integerRange(0, 32767) } },
  created_at: { in: "attributes", schema: json("string"), sort: "sequenced" },
  threshold_reached: { in: "attributes", schema: json("boolean"), default: false, filters: { threshold_reached: { kind: "boolean" } }, sort: "value" },
  threshold_amount: { in: "attributes", schema: json("string", true), default: "3000.0", write: { rank: 9, nullable: true, check: decimalRange("0", "100000") } },
  media_encryption_mode: {
    in: "attributes",
    schema: json("string"),
    default: "disabled",
    write: { rank: 13, nullable: false, nullMessage: MSG.blank, check: enumCheck(ENUMS.media_encryption_mode) },
    filters: { media_encryption_mode: { kind: "exact" } },
  },
  default_dst_action: {
    in: "attributes",
    schema: json("string"),
    default: "allow_all",
    write: { rank: 10, nullable: false, nullMessage: MSG.blank, check: enumCheck(ENUMS.default_dst_action) },
    filters: { default_dst_action: { kind: "exact" } },
  },
  dst_prefixes: { in: "attributes", schema: stringList(true), default: [], write: { rank: 11, nullable: true, check: dstPrefixesCheck } },
  force_symmetric_rtp: flag(15),
  rtp_ping: flag(16),
  callback_url: { in: "attributes", schema: json("string", true), default: null, write: { rank: 14, nullable: true, check: urlCheck } },
  external_reference_id: {
    in: "attributes",
    schema: json("string", true),
    default: null,
    write: { rank: 2, nullable: true, check: maxLength(100) },
    filters: { external_reference_id: { kind: "exact" } },
    sort: "value",
  },
  authentication_method: {
    in: "attributes",
    schema: {
      type: "object",
      required: ["type", "attributes"],
      properties: { type: { enum: ENUMS.authentication_type }, attributes: { type: "object" } },
    },
    write: { rank: 4, nullable: false, requiredOnCreate: true, nullMessage: MSG.blank },
    filters: { "authentication_method.type": { kind: "exact", of: (v) => (v as DidwwTrunk["authentication_method"]).type } },
  },
  emergency_enable_all: { ...flag(12), filters: { emergency_enable_all: { kind: "boolean" } } },
  rtp_timeout: { in: "attributes", schema: json("integer", true), default: 30, write: { rank: 17, nullable: true, check: integerRange(30, 600) } },
  spent_amount: { in: "meta", schema: json("string"), default: "0.0" },
  dids: { in: "relationships", schema: stringList(), default: [], link: { type: "dids", managedBy: "allow_any_did_as_cli" } },
  emergency_dids: {
    in: "relationships",
    schema: stringList(),
    default: [],
    link: { type: "dids", managedBy: "emergency_enable_all", eligible: (did) => did.emergency_enabled },
  },
} satisfies Record<Exclude<keyof DidwwTrunk, "id">, TrunkField>;

export type TrunkMember = keyof typeof TRUNK_FIELDS;

const ENTRIES = Object.entries(TRUNK_FIELDS) as Array<[TrunkMember, TrunkField]>;
const namesIn = (place: TrunkField["in"]) => ENTRIES.filter(([, f]) => f.in === place).map(([name]) => name);

/** Attributes in the recorded serialisation order. */
export const TRUNK_ATTRIBUTE_ORDER: readonly TrunkMember[] = namesIn("attributes");
/** Members of `data.meta`. */
export const TRUNK_META: readonly TrunkMember[] = namesIn("meta");
/** Relationships, in the recorded order. */
export const TRUNK_RELATIONSHIPS = namesIn("relationships") as ReadonlyArray<"dids" | "emergency_dids">;

/** Client-writable attributes in PATCH-page order (the order of several 422s). */
export const WRITE_RULES: ReadonlyArray<{ name: TrunkMember; rule: WriteRule }> = ENTRIES.flatMap(([name, f]) => (f.write ? [{ name, rule: f.write }] : [])).sort(
  (a, b) => a.rule.rank - b.rule.rank,
);

/** Attribute names a client may send (anything else is "Param not allowed"). */
export const WRITABLE_ATTRIBUTES: readonly string[] = WRITE_RULES.map((w) => w.name);

/** Relationships a client may replace, with their rules. */
export const LINK_RULES: ReadonlyArray<{ name: "dids" | "emergency_dids"; rule: LinkRule }> = ENTRIES.flatMap(([name, f]) =>
  f.link ? [{ name: name as "dids" | "emergency_dids", rule: f.link }] : [],
);

/**
 * Server defaults on create, as recorded (vot_create_credentials_and_ip.json and friends):
 * attributes and `spent_amount`; relationships start empty.
 */
export const CREATE_DEFAULTS = Object.freeze(
  Object.fromEntries(
    ENTRIES.filter(([, f]) => f.default !== undefined && f.in !== "relationships").map(([name, f]) => [name, Array.isArray(f.default) ? Object.freeze([...f.default]) : f.default]),
  ),
) as Readonly<Omit<DidwwTrunk, "id" | "name" | "on_cli_mismatch_action" | "authentication_method" | "created_at" | "dids" | "emergency_dids">>;

/** A new trunk's starting point: every default, copied (relationships included). */
export const newTrunkDefaults = (): Partial<DidwwTrunk> =>
  structuredClone(Object.fromEntries(ENTRIES.filter(([, f]) => f.default !== undefined).map(([name, f]) => [name, f.default])));

/** JSON Schema of one stored trunk (the data file). */
export const TRUNK_RECORD_SCHEMA = {
  type: "object",
  required: ["id", ...ENTRIES.map(([name]) => name)],
  additionalProperties: false,
  properties: { id: { type: "string", minLength: 1 }, ...Object.fromEntries(ENTRIES.map(([name, f]) => [name, f.schema])) },
};

/** Members only an out-of-band edit may set (read-only to clients), plus the id. */
export const STORE_ONLY_KEYS: readonly string[] = ["id", ...ENTRIES.filter(([, f]) => !f.write).map(([name]) => name)];

/** `filter[...]` the list offers on stored members, with how each reads its record. */
export const TRUNK_FILTERS: Record<string, FilterRule & { member: TrunkMember }> = Object.fromEntries(
  ENTRIES.flatMap(([member, f]) => Object.entries(f.filters ?? {}).map(([filter, rule]) => [filter, { ...rule, member }])),
);

/** `sort=...` keys the list offers on stored members. */
export const TRUNK_SORTS: Record<string, { member: TrunkMember; sequenced: boolean }> = Object.fromEntries(
  ENTRIES.flatMap(([member, f]) => (f.sort ? [[member, { member, sequenced: f.sort === "sequenced" }]] : [])),
);
