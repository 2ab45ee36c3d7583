/**
 * The one ajv schema for `didww.OutboundTrunk` inputs, built from the field table, and the
 * translation of ajv's errors into failures that name the input and quote its rule.
 *
 * A failure inside a nested value (an auth attribute, a list element) is reported on the
 * top-level input, because the engine looks the property up in the inputs to print its value;
 * the path and the offending value go into the reason, with the rule of the element itself.
 */
import Ajv, { type ErrorObject, type ValidateFunction } from "ajv";
import { canonicalDecimal } from "../common/decimal";
import type { InputFailure } from "../common/errors";
import { isIpOrCidr } from "../common/ip";
import { preview } from "../common/response";
import { isUnknown } from "../common/unknown";
import { AUTH_METHOD_RULE, AUTH_SUBFIELD_LIST, AUTH_TYPE_RULE, AUTH_TYPES, CONTROL_FIELDS, CROSS_RULES, TRUNK_FIELDS, type AuthSubField } from "./fields";
import type { AuthType } from "./types";

/** Keys the engine or this package put into the inputs; never user-facing. */
const ENGINE_KEYS = ["__provider"];

export function isHttpUrl(value: string): boolean {
  try {
    const u = new URL(value);
    return (u.protocol === "http:" || u.protocol === "https:") && u.hostname.length > 0;
  } catch {
    return false;
  }
}

function authSchema(): Record<string, unknown> {
  const properties: Record<string, unknown> = { type: { enum: Object.keys(AUTH_TYPES) } };
  for (const sub of AUTH_SUBFIELD_LIST) properties[sub.input] = sub.schema;
  const types = Object.entries(AUTH_TYPES) as [AuthType, readonly AuthSubField[]][];
  return {
    type: "object",
    required: ["type"],
    additionalProperties: false,
    properties,
    allOf: types.map(([type, subs]) => ({
      if: { properties: { type: { const: type } }, required: ["type"] },
      then: {
        required: subs.filter((s) => s.required).map((s) => s.input),
        // An attribute of another type is refused, never silently dropped.
        properties: Object.fromEntries(AUTH_SUBFIELD_LIST.filter((s) => !subs.includes(s)).map((s) => [s.input, false])),
      },
    })),
  };
}

export function buildTrunkSchema(): Record<string, unknown> {
  const properties: Record<string, unknown> = {};
  for (const f of TRUNK_FIELDS) properties[f.input] = f.schema;
  properties.authenticationMethod = authSchema();
  for (const [name, spec] of Object.entries(CONTROL_FIELDS)) properties[name] = spec.schema;
  for (const k of ENGINE_KEYS) properties[k] = true;
  return {
    type: "object",
    required: [...TRUNK_FIELDS.filter((f) => f.required).map((f) => f.input), "authenticationMethod"],
    additionalProperties: false,
    properties,
    allOf: CROSS_RULES.map((r) => r.schema),
  };
}

let compiled: ValidateFunction | undefined;

function validator(): ValidateFunction {
  if (compiled) return compiled;
  const ajv = new Ajv({ allErrors: true, strict: false });
  ajv.addFormat("ip-or-cidr", { type: "string", validate: (v: string) => isUnknown(v) || isIpOrCidr(v) });
  ajv.addFormat("http-url", { type: "string", validate: (v: string) => isUnknown(v) || isHttpUrl(v) });
  ajv.addKeyword({
    keyword: "decimalRange",
    schemaType: "array",
    validate: (range: [number, number], data: unknown) => {
      if (data === null || isUnknown(data)) return true;
      if (typeof data !== "number" && typeof data !== "string") return false;
      const c = canonicalDecimal(data);
      if (c === undefined) return false;
      const n = Number(c);
      return n >= range[0] && n <= range[1];
    },
  });
  compiled = ajv.compile(buildTrunkSchema());
  return compiled;
}

function segments(instancePath: string): string[] {
  return instancePath.split("/").slice(1).map((s) => s.replace(/~1/g, "/").replace(/~0/g, "~"));
}

function valueAt(root: unknown, path: string[]): { value: unknown; unknownOnPath: boolean } {
  let cur: unknown = root;
  for (const seg of path) {
    if (isUnknown(cur)) return { value: cur, unknownOnPath: true };
    if (cur === null || typeof cur !== "object") return { value: undefined, unknownOnPath: false };
    cur = (cur as Record<string, unknown>)[seg];
  }
  return { value: cur, unknownOnPath: isUnknown(cur) };
}

function displayPath(path: string[]): string {
  return path.reduce((acc, seg) => (/^\d+$/.test(seg) ? `${acc}[${seg}]` : acc ? `${acc}.${seg}` : seg), "");
}

/** The rule of the value at `path`: an element's own rule when the path ends in an index. */
function ruleFor(path: string[]): string {
  const named = path.filter((seg) => !/^\d+$/.test(seg));
  const isElement = path.length > named.length;
  const [top, sub] = named;
  if (top === "authenticationMethod") {
    if (sub === "type") return AUTH_TYPE_RULE;
    const spec = AUTH_SUBFIELD_LIST.find((s) => s.input === sub);
    if (!spec) return AUTH_METHOD_RULE;
    return isElement && spec.itemRule ? spec.itemRule : spec.rule;
  }
  if (top in CONTROL_FIELDS) return CONTROL_FIELDS[top as keyof typeof CONTROL_FIELDS].rule;
  const field = TRUNK_FIELDS.find((f) => f.input === top);
  if (!field) return "is not valid";
  return isElement && field.itemRule ? field.itemRule : field.rule;
}

/**
 * Every failing rule in `inputs`, one failure per top-level property, in field-table order.
 * Values that are unknown during preview never fail.
 */
export function validateTrunkInputs(inputs: unknown): InputFailure[] {
  if (inputs === null || typeof inputs !== "object" || Array.isArray(inputs)) {
    return [{ property: "args", reason: "must be an object of trunk arguments" }];
  }
  const validate = validator();
  if (validate(inputs)) return [];
  const byPath = new Map<string, { top: string; nested: boolean; reason: string }>();
  const add = (path: string[], reason: string) => {
    const key = displayPath(path);
    if (!byPath.has(key)) byPath.set(key, { top: path[0], nested: path.length > 1, reason: path.length > 1 ? `${key} ${reason}` : reason });
  };
  const auth = (inputs as Record<string, unknown>).authenticationMethod as Record<string, unknown> | undefined;
  for (const e of (validate.errors ?? []) as ErrorObject[]) {
    if (e.keyword === "if" || (e.keyword === "anyOf" && e.instancePath === "")) continue;
    const path = segments(e.instancePath);
    const at = valueAt(inputs, path);
    if (at.unknownOnPath) continue;
    if (e.keyword === "required") {
      const missing = String((e.params as { missingProperty: string }).missingProperty);
      const forType = path[0] === "authenticationMethod" && typeof auth?.type === "string" ? ` for type ${auth.type}` : "";
      add([...path, missing], `is required${forType}: it ${ruleFor([...path, missing])}`);
      continue;
    }
    if (e.keyword === "additionalProperties") {
      const extra = String((e.params as { additionalProperty: string }).additionalProperty);
      const known = path.length ? AUTH_SUBFIELD_LIST.map((s) => s.input) : [...TRUNK_FIELDS.map((f) => f.input), "authenticationMethod"];
      const hint = !path.length && AUTH_SUBFIELD_LIST.some((s) => s.input === extra) ? ` (it belongs inside authenticationMethod)` : "";
      add([...path, extra], `is not an input of ${path.length ? "authenticationMethod" : "didww.OutboundTrunk"}${hint}; known inputs: ${known.join(", ")}`);
      continue;
    }
    if (e.keyword === "false schema" && path[0] === "authenticationMethod") {
      add(path, `does not apply to authenticationMethod type ${preview(auth?.type)} (got ${preview(at.value)})`);
      continue;
    }
    const cross = /^#\/allOf\/(\d+)\//.exec(e.schemaPath);
    if (cross) {
      const rule = CROSS_RULES[Number(cross[1])];
      add([rule.property], `${rule.rule} (got ${preview(at.value, 80)})`);
      continue;
    }
    add(path, `${ruleFor(path)} (got ${preview(at.value, 80)})`);
  }
  // A failure on a list element makes the list-level anyOf fail too; keep the precise one.
  const keys = [...byPath.keys()];
  for (const key of keys) {
    if (keys.some((k) => k !== key && (k.startsWith(`${key}[`) || k.startsWith(`${key}.`)))) byPath.delete(key);
  }
  // One failure per top-level input (the engine shows one line per property), its reasons joined.
  const byTop = new Map<string, string[]>();
  for (const { top, reason } of byPath.values()) byTop.set(top, [...(byTop.get(top) ?? []), reason]);
  return [...byTop.entries()].map(([property, reasons]) => ({ property, reason: reasons.join("; ") }));
}
