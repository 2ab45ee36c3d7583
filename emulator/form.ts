/**
 * `application/x-www-form-urlencoded` request bodies, as Twilio (and most "classic" REST APIs)
 * take them: PascalCase keys, every value text, a list as the same key repeated, booleans as
 * `true`/`false`. Vendor-neutral: the vendor decides what a missing or malformed value means.
 */
import type { EmulatorRequest } from "./server";

/** A parsed form: every value of every key, in the order sent. */
export class FormBody {
  private readonly values = new Map<string, string[]>();

  constructor(params: URLSearchParams) {
    for (const [key, value] of params) {
      const list = this.values.get(key);
      if (list) list.push(value);
      else this.values.set(key, [value]);
    }
  }

  /** `true` when the key was sent, even as an empty value. */
  has(key: string): boolean {
    return this.values.has(key);
  }

  /** The last value sent for the key (a repeated scalar: the last one wins). */
  get(key: string): string | undefined {
    const list = this.values.get(key);
    return list ? list[list.length - 1] : undefined;
  }

  /** Every value sent for the key (a list parameter), `[]` when absent. */
  getAll(key: string): string[] {
    return [...(this.values.get(key) ?? [])];
  }

  keys(): string[] {
    return [...this.values.keys()];
  }
}

/**
 * The request body as a form. A body whose `Content-Type` names another media type (JSON, say)
 * is read as an empty form: a form-only API then sees no parameters at all, which is what a
 * client that sends JSON to such an API experiences.
 */
export function parseForm(req: EmulatorRequest): FormBody {
  const type = String(req.headers["content-type"] ?? "").split(";")[0].trim().toLowerCase();
  if (type !== "" && type !== "application/x-www-form-urlencoded") return new FormBody(new URLSearchParams());
  return new FormBody(new URLSearchParams(req.body.toString("utf8")));
}

/** Encodes an object as a form body: arrays as repeated keys, booleans/numbers as text, undefined/null left out. */
export function encodeForm(fields: Record<string, unknown>): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(fields)) {
    if (value === undefined || value === null) continue;
    for (const v of Array.isArray(value) ? value : [value]) params.append(key, String(v));
  }
  return params.toString();
}

/** `true`/`false` in any case; anything else is `undefined` (the caller's validation error). */
export function parseFormBoolean(text: string): boolean | undefined {
  const t = text.trim().toLowerCase();
  if (t === "true") return true;
  if (t === "false") return false;
  return undefined;
}

/** A base-10 integer (optional sign, digits only); `undefined` for anything else, including `1.0` and `1e3`. */
export function parseFormInteger(text: string): number | undefined {
  const t = text.trim();
  if (!/^[+-]?\d{1,15}$/.test(t)) return undefined;
  return Number(t);
}
