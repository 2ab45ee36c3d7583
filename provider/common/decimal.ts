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
  // Stryker disable next-line StringLiteral: the placeholder for a non-finite number only has to fail DECIMAL_PATTERN, which any non-decimal text does
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
  const m = /^(-?)(\d)(?:\.(\d+))?e([+-]\d+)$/i.exec(text);
  if (!m) return text;
  // Shift the decimal point of the shortest round-trip digits: exact, never rounded to a fixed scale.
  const [, sign, lead, rest = "", exp] = m;
  const digits = lead + rest;
  const point = 1 + Number(exp);
  // Stryker disable next-line EqualityOperator: String(n) uses an exponent only below 1e-6 or from 1e21, so point is at most -6 or at least 22, never 0
  if (point <= 0) return `${sign}0.${"0".repeat(-point)}${digits}`;
  // Stryker disable next-line ConditionalExpression,EqualityOperator: for an exponent from 21 up, point (22 or more) is past the at most 17 significant digits, so this holds whenever it is reached
  if (point >= digits.length) return `${sign}${digits}${"0".repeat(point - digits.length)}`;
  // Stryker disable next-line StringLiteral,MethodExpression: unreachable: String(n) never writes an exponent that puts the point inside its digits (see above)
  return `${sign}${digits.slice(0, point)}.${digits.slice(point)}`;
}
