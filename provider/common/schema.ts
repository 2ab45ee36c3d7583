/**
 * One ajv schema per resource, built from its field table, and the translation of ajv's errors
 * into failures that name the input and quote its rule.
 *
 * A failure inside a nested value (an attribute of an object input, a list element) is reported
 * on the top-level input, because the engine looks the property up in the inputs to print its
 * value; the path and the offending value go into the reason, with the rule of the element itself.
 * Values still unknown at preview never fail.
 */
import Ajv, { type ErrorObject, type ValidateFunction } from "ajv";
import { canonicalDecimal } from "./decimal";
import type { InputFailure } from "./errors";
import type { ControlField, FieldSpec, SubField } from "./fields";
import { isHostOrIp, isIpOrCidr, isIpv4Address } from "./ip";
import { preview } from "./response";
import { isUnknown } from "./unknown";

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

/** An input whose value is an object, or a list of objects, with attributes of its own. */
export interface NestedInput {
  input: string;
  /** The full JSON Schema of the input. */
  schema: Record<string, unknown>;
  /** The rule of the whole value (quoted when it is of the wrong shape). */
  rule: string;
  /** For a list of objects: the rule of one element. */
  itemRule?: string;
  required?: boolean;
  children: readonly SubField[];
  /** The attribute that selects which children apply (e.g. `type`), and its rule. */
  discriminator?: { name: string; rule: string };
  doc?: string;
}

/** A rule tying two inputs together; `schema` is an if/then pair evaluated by ajv. */
export interface CrossRule<Name extends string = string> {
  property: Name;
  rule: string;
  schema: Record<string, unknown>;
}

/** Everything a resource's validation is built from. */
export interface InputSpec {
  /** `vendor.Resource`, as error messages name it. */
  resource: string;
  fields: readonly FieldSpec[];
  nested?: readonly NestedInput[];
  controls?: Readonly<Record<string, ControlField>>;
  crossRules?: readonly CrossRule[];
}

/** The schema of a list of objects built from sub-fields (every attribute known, required ones required). */
export function objectListSchema(children: readonly SubField[], extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { type: "array", items: objectSchema(children), ...extra };
}

/** The schema of an object built from sub-fields. */
export function objectSchema(children: readonly SubField[]): Record<string, unknown> {
  return {
    type: "object",
    additionalProperties: false,
    required: children.filter((c) => c.required).map((c) => c.input),
    properties: Object.fromEntries(children.map((c) => [c.input, c.schema])),
  };
}

export function buildSchema(spec: InputSpec): Record<string, unknown> {
  const properties: Record<string, unknown> = {};
  for (const f of spec.fields) properties[f.input] = f.schema;
  for (const n of spec.nested ?? []) properties[n.input] = n.schema;
  for (const [name, control] of Object.entries(spec.controls ?? {})) properties[name] = control.schema;
  for (const k of ENGINE_KEYS) properties[k] = true;
  const schema: Record<string, unknown> = {
    type: "object",
    required: [...spec.fields.filter((f) => f.required), ...(spec.nested ?? []).filter((n) => n.required)].map((f) => f.input),
    additionalProperties: false,
    properties,
  };
  if (spec.crossRules?.length) schema.allOf = spec.crossRules.map((r) => r.schema);
  return schema;
}

function newAjv(): Ajv {
  const ajv = new Ajv({ allErrors: true, strict: false });
  ajv.addFormat("ip-or-cidr", { type: "string", validate: (v: string) => isUnknown(v) || isIpOrCidr(v) });
  ajv.addFormat("ipv4", { type: "string", validate: (v: string) => isUnknown(v) || isIpv4Address(v) });
  ajv.addFormat("http-url", { type: "string", validate: (v: string) => isUnknown(v) || isHttpUrl(v) });
  ajv.addFormat("host", { type: "string", validate: (v: string) => isUnknown(v) || isHostOrIp(v) });
  ajv.addKeyword({
    keyword: "decimalRange",
    schemaType: "array",
    validate: (range: [number, number], data: unknown) => {
      if (data === null || isUnknown(data)) return true;
      if (typeof data !== "number" && typeof data !== "string") return false;
      const c = canonicalDecimal(data);
      // Stryker disable next-line ConditionalExpression: Number(undefined) is NaN, which fails both bounds below
      if (c === undefined) return false;
      const n = Number(c);
      return n >= range[0] && n <= range[1];
    },
  });
  return ajv;
}

function segments(instancePath: string): string[] {
  // Stryker disable next-line StringLiteral: every property name in these schemas is an identifier, so no instance path holds an escaped ~0 or ~1
  return instancePath.split("/").slice(1).map((s) => s.replace(/~1/g, "/").replace(/~0/g, "~"));
}

function valueAt(root: unknown, path: string[]): { value: unknown; unknownOnPath: boolean } {
  let cur: unknown = root;
  for (const seg of path) {
    // Stryker disable next-line ConditionalExpression,ObjectLiteral,BooleanLiteral: ajv reports paths that exist in the data, so every value before the last segment is an object or a list, never an unknown (a string)
    if (isUnknown(cur)) return { value: cur, unknownOnPath: true };
    // Stryker disable next-line ConditionalExpression,LogicalOperator,ObjectLiteral,BooleanLiteral: ajv reports paths that exist in the data, so every value before the last segment is an object or a list
    if (cur === null || typeof cur !== "object") return { value: undefined, unknownOnPath: false };
    cur = (cur as Record<string, unknown>)[seg];
  }
  return { value: cur, unknownOnPath: isUnknown(cur) };
}

/** `a.b[2].c` from path segments. */
export function displayPath(path: string[]): string {
  return path.reduce((acc, seg) => (/^\d+$/.test(seg) ? `${acc}[${seg}]` : acc ? `${acc}.${seg}` : seg), "");
}

const isIndex = (seg: string | undefined) => seg !== undefined && /^\d+$/.test(seg);

/** What a message shows instead of a secret's value. */
export const SECRET_SHOWN = "[secret]";

/** Validation of one resource's inputs, compiled once. */
export class InputValidator {
  readonly schema: Record<string, unknown>;
  private compiled: ValidateFunction | undefined;

  constructor(readonly spec: InputSpec) {
    this.schema = buildSchema(spec);
  }

  private validator(): ValidateFunction {
    this.compiled ??= newAjv().compile(this.schema);
    return this.compiled;
  }

  private nested(name: string | undefined): NestedInput | undefined {
    return this.spec.nested?.find((n) => n.input === name);
  }

  /** The rule of the value at `path`: an element's own rule when the path ends in an index. */
  ruleFor(path: string[]): string {
    const named = path.filter((seg) => !isIndex(seg));
    const isElement = isIndex(path[path.length - 1]);
    const [top, sub] = named;
    const nested = this.nested(top);
    if (nested) {
      if (sub === undefined) return isElement && nested.itemRule ? nested.itemRule : nested.rule;
      if (sub === nested.discriminator?.name) return nested.discriminator.rule;
      const child = nested.children.find((c) => c.input === sub);
      if (!child) return nested.rule;
      return isElement && child.itemRule ? child.itemRule : child.rule;
    }
    const control = this.spec.controls?.[top];
    if (control) return control.rule;
    const field = this.spec.fields.find((f) => f.input === top);
    if (!field) return "is not valid";
    return isElement && field.itemRule ? field.itemRule : field.rule;
  }

  /** Whether the value at `path` is (or holds) a secret, whose value no message may quote. */
  isSecret(path: string[]): boolean {
    const [top, sub] = path.filter((seg) => !isIndex(seg));
    const nested = this.nested(top);
    if (nested) return sub === undefined ? nested.children.some((c) => c.secret) : Boolean(nested.children.find((c) => c.input === sub)?.secret);
    return Boolean(this.spec.fields.find((f) => f.input === top)?.secret);
  }

  /** `(got <value>)` for a message, the value bounded, a secret never shown, an omitted value said so. */
  private got(path: string[], value: unknown): string {
    if (value === undefined) return "(omitted)";
    return `(got ${preview(this.isSecret(path) ? SECRET_SHOWN : value, 80)})`;
  }

  /** Every failing rule in `inputs`, one failure per top-level property, in field-table order. */
  validate(inputs: unknown): InputFailure[] {
    if (inputs === null || typeof inputs !== "object" || Array.isArray(inputs)) {
      return [{ property: "args", reason: `must be an object of ${this.spec.resource} arguments` }];
    }
    const validate = this.validator();
    if (validate(inputs)) return [];
    const byPath = new Map<string, { top: string; reason: string }>();
    const add = (path: string[], reason: string) => {
      const key = displayPath(path);
      if (!byPath.has(key)) byPath.set(key, { top: path[0], reason: path.length > 1 ? `${key} ${reason}` : reason });
    };
    for (const e of (validate.errors ?? []) as ErrorObject[]) {
      // Stryker disable next-line ConditionalExpression,LogicalOperator,StringLiteral,EqualityOperator: ajv reports an if's or anyOf's own error after the errors of its branches, at the same path (the first reason is kept) or a parent path (pruned below), so letting it through changes no failure
      if (e.keyword === "if" || (e.keyword === "anyOf" && e.instancePath === "")) continue;
      const path = segments(e.instancePath);
      const at = valueAt(inputs, path);
      if (at.unknownOnPath) continue;
      // A cross rule is reported on its property with its own rule, whatever keyword failed (a `required` in its `then` too).
      const cross = /^#\/allOf\/(\d+)\//.exec(e.schemaPath);
      // Stryker disable next-line OptionalChaining: a top-level allOf exists only when the spec has cross rules (buildSchema), so crossRules is set whenever cross matched
      const crossRule = cross && path.length <= 1 ? this.spec.crossRules?.[Number(cross[1])] : undefined;
      if (crossRule) {
        add([crossRule.property], `${crossRule.rule} ${this.got([crossRule.property], valueAt(inputs, [crossRule.property]).value)}`);
        continue;
      }
      const nested = this.nested(path[0]);
      // The discriminator's value of the object holding this path (e.g. authenticationMethod.type).
      const selector = nested?.discriminator ? valueAt(inputs, path.length > 1 && !isIndex(path[1]) ? [path[0]] : path.slice(0, 2)).value : undefined;
      const selected = nested?.discriminator ? (selector as Record<string, unknown> | undefined)?.[nested.discriminator.name] : undefined;
      if (e.keyword === "required") {
        const missing = String((e.params as { missingProperty: string }).missingProperty);
        // Stryker disable next-line OptionalChaining: selected is only a string when nested has a discriminator
        const forType = path.length && typeof selected === "string" ? ` for ${nested?.discriminator?.name} ${selected}` : "";
        add([...path, missing], `is required${forType}: it ${this.ruleFor([...path, missing])}`);
        continue;
      }
      if (e.keyword === "additionalProperties") {
        const extra = String((e.params as { additionalProperty: string }).additionalProperty);
        if (path.length) {
          // Stryker disable next-line ArrayDeclaration: a stand-in element has no input, and [undefined].join() is "" like [].join()
          const known = (nested?.children ?? []).map((c) => c.input);
          add([...path, extra], `is not an input of ${displayPath(path)}; known inputs: ${known.join(", ")}`);
        } else {
          const known = [...this.spec.fields.map((f) => f.input), ...(this.spec.nested ?? []).map((n) => n.input)];
          const home = (this.spec.nested ?? []).find((n) => n.children.some((c) => c.input === extra));
          const hint = home ? ` (it belongs inside ${home.input})` : "";
          add([extra], `is not an input of ${this.spec.resource}${hint}; known inputs: ${known.join(", ")}`);
        }
        continue;
      }
      if (e.keyword === "false schema" && nested?.discriminator) {
        add(path, `does not apply to ${path[0]} ${nested.discriminator.name} ${preview(selected)} (got ${preview(this.isSecret(path) ? SECRET_SHOWN : at.value)})`);
        continue;
      }
      add(path, `${this.ruleFor(path)} ${this.got(path, at.value)}`);
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
}
