/**
 * The one ajv schema for `didww.OutboundTrunk` inputs, built from the field table, and the
 * translation of ajv's errors into failures that name the input and quote its rule.
 */
import Ajv, { type ErrorObject, type ValidateFunction } from "ajv";
import { canonicalDecimal } from "../common/decimal";
import type { InputFailure } from "../common/errors";
import { isIpOrCidr } from "../common/ip";
import { isUnknown } from "../common/unknown";
import { AUTH_FIELDS, CONTROL_FIELDS, CROSS_RULES, TECH_PREFIX_PATTERN, TRUNK_FIELDS, TWILIO_ACCOUNT_SID_PATTERN, UUID_PATTERN } from "./fields";

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

export function buildTrunkSchema(): Record<string, unknown> {
  const properties: Record<string, unknown> = {};
  for (const f of TRUNK_FIELDS) properties[f.input] = f.schema;
  properties.authenticationMethod = {
    type: "object",
    required: ["type"],
    additionalProperties: false,
    properties: {
      type: { enum: ["credentials_and_ip", "twilio"] },
      allowedSipIps: { type: "array", minItems: 1, maxItems: 60, items: { type: "string", format: "ip-or-cidr" } },
      techPrefix: { anyOf: [{ type: "null" }, { type: "string", pattern: TECH_PREFIX_PATTERN }] },
      twilioAccountSid: { type: "string", pattern: TWILIO_ACCOUNT_SID_PATTERN },
    },
    allOf: [
      {
        if: { properties: { type: { const: "credentials_and_ip" } }, required: ["type"] },
        then: { required: ["allowedSipIps"], properties: { twilioAccountSid: false } },
      },
      {
        if: { properties: { type: { const: "twilio" } }, required: ["type"] },
        then: { required: ["twilioAccountSid"], properties: { allowedSipIps: false, techPrefix: false } },
      },
    ],
  };
  properties.importId = { type: "string", pattern: UUID_PATTERN };
  properties.onImportMismatch = { enum: ["fail", "update"] };
  properties.credentialsRotation = { type: ["string", "number"] };
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

function valueAt(root: unknown, path: string[]): { found: boolean; value: unknown; unknownOnPath: boolean } {
  let cur: unknown = root;
  for (const seg of path) {
    if (isUnknown(cur)) return { found: true, value: cur, unknownOnPath: true };
    if (cur === null || typeof cur !== "object") return { found: false, value: undefined, unknownOnPath: false };
    cur = (cur as Record<string, unknown>)[seg];
  }
  return { found: cur !== undefined, value: cur, unknownOnPath: isUnknown(cur) };
}

function displayPath(path: string[]): string {
  return path.reduce((acc, seg) => (/^\d+$/.test(seg) ? `${acc}[${seg}]` : acc ? `${acc}.${seg}` : seg), "");
}

function show(value: unknown): string {
  const text = JSON.stringify(value);
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}

function ruleFor(path: string[]): string {
  const [top, sub] = path;
  if (top === "authenticationMethod") {
    if (sub && sub in AUTH_FIELDS) return AUTH_FIELDS[sub as keyof typeof AUTH_FIELDS].rule;
    return 'must be an object { type: "credentials_and_ip", allowedSipIps, techPrefix? } or { type: "twilio", twilioAccountSid }';
  }
  if (top in CONTROL_FIELDS) return CONTROL_FIELDS[top as keyof typeof CONTROL_FIELDS].rule;
  const field = TRUNK_FIELDS.find((f) => f.input === top);
  return field ? field.rule : "is not valid";
}

/**
 * Every failing rule in `inputs`, one failure per property, in field-table order.
 * Values that are unknown during preview never fail.
 */
export function validateTrunkInputs(inputs: unknown): InputFailure[] {
  if (inputs === null || typeof inputs !== "object" || Array.isArray(inputs)) {
    return [{ property: "args", reason: "must be an object of trunk arguments" }];
  }
  const validate = validator();
  if (validate(inputs)) return [];
  const byProperty = new Map<string, InputFailure>();
  const add = (path: string[], reason: string) => {
    const property = displayPath(path);
    if (!byProperty.has(property)) byProperty.set(property, { property, reason });
  };
  const auth = (inputs as Record<string, unknown>).authenticationMethod as Record<string, unknown> | undefined;
  for (const e of (validate.errors ?? []) as ErrorObject[]) {
    if (e.keyword === "if" || e.keyword === "anyOf" && e.instancePath === "") continue;
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
      const known = path.length ? Object.keys(AUTH_FIELDS) : [...TRUNK_FIELDS.map((f) => f.input), "authenticationMethod"];
      const hint = !path.length && extra in AUTH_FIELDS ? ` (it belongs inside authenticationMethod)` : "";
      add([...path, extra], `is not an input of ${path.length ? "authenticationMethod" : "didww.OutboundTrunk"}${hint}; known inputs: ${known.join(", ")}`);
      continue;
    }
    if (e.keyword === "false schema" && path[0] === "authenticationMethod") {
      add(path, `does not apply to authenticationMethod type ${show(auth?.type)}`);
      continue;
    }
    const cross = /^#\/allOf\/(\d+)\//.exec(e.schemaPath);
    if (cross) {
      const rule = CROSS_RULES[Number(cross[1])];
      add([rule.property], `${rule.rule} (got ${show(at.value)})`);
      continue;
    }
    // Errors inside a list name the element; the rule is the list's.
    const rulePath = path.filter((seg) => !/^\d+$/.test(seg));
    add(path, `${ruleFor(rulePath)} (got ${show(at.value)})`);
  }
  // A failure on a list element makes the list-level anyOf fail too; keep the precise one.
  for (const key of [...byProperty.keys()]) {
    if ([...byProperty.keys()].some((k) => k !== key && k.startsWith(`${key}[`))) byProperty.delete(key);
  }
  return [...byProperty.values()];
}
