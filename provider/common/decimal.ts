/**
 * Decimal amounts travel as strings (`threshold_amount: "3000.0"`). Users may write `100`,
 * `"100"` or `"100.00"`; all of them mean the API's `"100.0"`.
 */

/** Matches a plain non-negative or negative decimal: digits, an optional fraction, no exponent. */
export const DECIMAL_PATTERN = /^-?\d+(\.\d+)?$/;

/**
 * Canonical comparison form: no leading zeros, no trailing fractional zeros, no exponent.
 * Returns `undefined` for text that is not a decimal.
 */
export function canonicalDecimal(value: string | number): string | undefined {
  let text = typeof value === "number" ? (Number.isFinite(value) ? numberToPlain(value) : "") : value.trim();
  if (!DECIMAL_PATTERN.test(text)) return undefined;
  let negative = false;
  if (text.startsWith("-")) { negative = true; text = text.slice(1); }
  let [int, frac = ""] = text.split(".");
  int = int.replace(/^0+(?=\d)/, "");
  frac = frac.replace(/0+$/, "");
  const body = frac ? `${int}.${frac}` : int;
  return negative && body !== "0" ? `-${body}` : body;
}

/** The API's own rendering: at least one fractional digit (`"100"` → `"100.0"`). */
export function apiDecimal(value: string | number): string | undefined {
  const canonical = canonicalDecimal(value);
  if (canonical === undefined) return undefined;
  return canonical.includes(".") ? canonical : `${canonical}.0`;
}

function numberToPlain(n: number): string {
  const text = String(n);
  if (!/e/i.test(text)) return text;
  return n.toFixed(20).replace(/\.?0+$/, "");
}
