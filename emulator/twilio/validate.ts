/**
 * The one engine that reads a form against a resource's field table (fields.ts): presence on
 * create or update, type, range, length, enum, SID format and the field's own rule. The first
 * failing parameter answers, in table order, as Twilio answers one error at a time.
 */
import { parseFormBoolean, parseFormInteger, type FormBody } from "../form";
import { MSG, twilioError, type TwilioError } from "./messages";
import { isSid } from "./sids";
import type { ResourceWrites, WriteField } from "./fields";

export type WriteMode = "create" | "update";

export type Outcome<T> = { ok: true; value: T } | { ok: false; error: TwilioError };

export const fail = (status: number, code: number, message: string): { ok: false; error: TwilioError } => ({ ok: false, error: twilioError(status, code, message) });

const isHttpUrl = (text: string) => {
  try {
    const u = new URL(text);
    return (u.protocol === "http:" || u.protocol === "https:") && u.hostname !== "";
  } catch {
    return false;
  }
};

/** Parses one sent value: the stored value, or the 400 message. */
function parseValue(field: WriteField, text: string): { value: unknown } | { message: string } {
  if (text === "" && field.emptyIsNull) return { value: null };
  switch (field.type) {
    case "string": {
      if (field.maxLength !== undefined && text.length > field.maxLength) return { message: MSG.tooLong(field.form, field.maxLength) };
      return { value: text };
    }
    case "url":
      return isHttpUrl(text) ? { value: text } : { message: MSG.notUrl(field.form) };
    case "boolean": {
      const b = parseFormBoolean(text);
      return b === undefined ? { message: MSG.notBoolean(field.form) } : { value: b };
    }
    case "integer": {
      const n = parseFormInteger(text);
      if (n === undefined) return { message: MSG.notInteger(field.form) };
      if ((field.min !== undefined && n < field.min) || (field.max !== undefined && n > field.max)) {
        return { message: MSG.outOfRange(field.form, field.min ?? Number.MIN_SAFE_INTEGER, field.max ?? Number.MAX_SAFE_INTEGER) };
      }
      return { value: n };
    }
    case "enum": {
      const values = field.values ?? [];
      const found = field.caseInsensitive ? values.find((v) => v.toLowerCase() === text.trim().toLowerCase()) : values.find((v) => v === text);
      return found === undefined ? { message: MSG.notOneOf(field.form, values) } : { value: found };
    }
    case "sid":
      return isSid(field.sidPrefix!, text) ? { value: text } : { message: MSG.notSid(field.form, field.sidPrefix!) };
  }
}

/**
 * The members a write sets: on create, every field the table accepts on create (absent ones
 * take their default, when they have one); on update, only what was sent. A required field sent
 * empty counts as missing.
 */
export function readWrite(spec: ResourceWrites, form: FormBody, mode: WriteMode): Outcome<Record<string, unknown>> {
  const out: Record<string, unknown> = {};
  for (const field of spec.fields) {
    const presence = mode === "create" ? field.onCreate : field.onUpdate;
    if (presence === undefined) continue;
    const text = form.get(field.form);
    if (text === undefined || (text === "" && presence === "required")) {
      if (presence === "required") return fail(400, spec.code, MSG.missing(field.form));
      if (mode === "create" && "default" in field) out[field.member] = structuredClone(field.default);
      continue;
    }
    const parsed = parseValue(field, text);
    if ("message" in parsed) return fail(400, spec.code, parsed.message);
    if (parsed.value !== null && field.check) {
      const message = field.check(parsed.value);
      if (message) return fail(400, spec.code, message);
    }
    out[field.member] = parsed.value;
  }
  return { ok: true, value: out };
}
