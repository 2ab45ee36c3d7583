/**
 * Value normalisation DIDWW applies on write: IP allow-lists become CIDRs, decimals become
 * strings with at least one fractional digit, ids read as PostgreSQL `uuid` reads them,
 * credentials are generated server-side.
 *
 * The IP and decimal readers are deliberately built differently from the provider's
 * (provider/common/ip.ts, decimal.ts): addresses are validated by `node:net` and handled as one
 * BigInt, decimals as a BigInt of digits and a scale. The emulator is the oracle the provider is
 * tested against; an oracle sharing the provider's algorithm would share its bugs.
 * test/unit/spellings.test.ts holds both to one table of spellings.
 */
import { randomInt } from "node:crypto";
import { isIPv4, isIPv6 } from "node:net";

// -----------------------------------------------------------------------------------------------
// IP addresses and CIDRs
// -----------------------------------------------------------------------------------------------

/** An address as one unsigned integer: 32 bits for IPv4, 128 for IPv6. */
interface Address {
  family: 4 | 6;
  value: bigint;
}

const dottedQuadValue = (text: string): bigint => text.split(".").reduce((acc, octet) => (acc << 8n) | BigInt(octet), 0n);

const dottedQuadText = (value: bigint): string => [24n, 16n, 8n, 0n].map((shift) => String((value >> shift) & 0xffn)).join(".");

/**
 * The 128-bit value of text `isIPv6` accepted. An embedded dotted quad is rewritten as its two
 * hex groups first, so only one shape is left to expand around `::`.
 */
function ipv6Value(text: string): bigint {
  let hex = text;
  const lastColon = text.lastIndexOf(":");
  if (text.includes(".")) {
    const v4 = dottedQuadValue(text.slice(lastColon + 1));
    hex = `${text.slice(0, lastColon + 1)}${(v4 >> 16n).toString(16)}:${(v4 & 0xffffn).toString(16)}`;
  }
  const [left, right] = hex.split("::");
  const groupsOf = (part: string | undefined) => (part ? part.split(":") : []);
  const head = groupsOf(left);
  const tail = groupsOf(right);
  // Stryker disable next-line ConditionalExpression: without "::" isIPv6 guarantees 8 groups, so the fill is empty and both branches give head
  const groups = right === undefined ? head : [...head, ...new Array<string>(8 - head.length - tail.length).fill("0"), ...tail];
  return groups.reduce((acc, g) => (acc << 16n) | BigInt(`0x${g}`), 0n);
}

/**
 * Reads a bare address. `node:net` validates; on top of it the emulator refuses zone ids
 * (`fe80::1%eth0`): they name an interface of one host and mean nothing in an allow-list, and
 * the provider refuses them too. `isIPv4` already refuses leading zeros (`01.2.3.4`, octal in
 * some parsers), which is also the provider's rule; DIDWW documents neither.
 */
function readAddress(text: string): Address | undefined {
  if (text.includes("%")) return undefined;
  if (isIPv4(text)) return { family: 4, value: dottedQuadValue(text) };
  if (isIPv6(text)) return { family: 6, value: ipv6Value(text) };
  return undefined;
}

const MAPPED_PREFIX = 0xffffn; // ::ffff:0:0/96, RFC 4291 §2.5.5.2

/**
 * RFC 5952 text of a 128-bit value: lower-case hex without leading zeros, the longest run of two
 * or more zero groups (the first on a tie) written `::`. IPv4-mapped addresses end in dotted-quad
 * form (`::ffff:192.0.2.1`), as RFC 5952 §5 recommends and PostgreSQL prints them. The deprecated
 * IPv4-compatible form (`::192.0.2.1`, RFC 4291 §2.5.5.1) gets no such treatment: nothing in its
 * prefix tells it from an ordinary address, so it is plain hex (`::c000:201`).
 */
function ipv6Text(value: bigint): string {
  if (value >> 32n === MAPPED_PREFIX) return `::ffff:${dottedQuadText(value & 0xffffffffn)}`;
  const full = Array.from({ length: 8 }, (_, i) => ((value >> BigInt(112 - 16 * i)) & 0xffffn).toString(16)).join(":");
  // Runs of whole zero groups, found on the text: "0" groups bounded by ':' or the ends.
  let best: { index: number; length: number } | undefined;
  for (const m of full.matchAll(/(?<=^|:)0(?::0)+(?=:|$)/g)) {
    if (!best || m[0].length > best.length) best = { index: m.index, length: m[0].length };
  }
  if (!best) return full;
  const before = full.slice(0, best.index).replace(/:$/, "");
  // Stryker disable next-line Regex: the text after a zero run is empty or starts with ":", so the first colon is the leading one
  const after = full.slice(best.index + best.length).replace(/^:/, "");
  return `${before}::${after}`;
}

/**
 * Normalises one allow-list entry: a bare address becomes a host route (`/32`, IPv6 `/128`, as
 * recorded for IPv4), IPv6 is written in RFC 5952 form, a prefix is kept as sent (host bits
 * included). Returns `undefined` for text that is not an address or CIDR.
 */
export function normalizeCidr(value: unknown): string | undefined {
  if (typeof value !== "string") return undefined;
  const [addressText, prefixText, ...rest] = value.trim().split("/");
  if (rest.length > 0) return undefined;
  const address = readAddress(addressText);
  if (!address) return undefined;
  const width = address.family === 4 ? 32 : 128;
  let prefix = width;
  if (prefixText !== undefined) {
    if (!/^\d{1,3}$/.test(prefixText)) return undefined;
    prefix = Number(prefixText);
    if (prefix > width) return undefined;
  }
  const text = address.family === 4 ? dottedQuadText(address.value) : ipv6Text(address.value);
  return `${text}/${prefix}`;
}

/** Normalises a whole list; `undefined` when any entry is invalid or the value is not an array. */
export function normalizeCidrList(value: unknown): string[] | undefined {
  if (!Array.isArray(value)) return undefined;
  const out: string[] = [];
  for (const entry of value) {
    const n = normalizeCidr(entry);
    if (n === undefined) return undefined;
    out.push(n);
  }
  return out;
}

// -----------------------------------------------------------------------------------------------
// Decimals
// -----------------------------------------------------------------------------------------------

/** An exact decimal: `units / 10^scale`, with no trailing zero in `units` while `scale > 0`. */
export interface Decimal {
  units: bigint;
  scale: number;
  /** DIDWW's rendering: at least one fractional digit (`"100.0"`). */
  text: string;
}

function makeDecimal(units: bigint, scale: number): Decimal {
  while (scale > 0 && units % 10n === 0n) {
    units /= 10n;
    scale--;
  }
  // Stryker disable next-line EqualityOperator: -0n is 0n: negating zero changes nothing
  const digits = (units < 0n ? -units : units).toString().padStart(scale + 1, "0");
  const whole = digits.slice(0, digits.length - scale);
  const fraction = scale > 0 ? digits.slice(digits.length - scale) : "0";
  return { units, scale, text: `${units < 0n ? "-" : ""}${whole}.${fraction}` };
}

/** `[-]digits[.digits]` and, only for a JS number's own rendering, an exponent. */
const DECIMAL_TEXT = /^(-?)(\d+)(?:\.(\d+))?$/;
const NUMBER_TEXT = /^(-?)(\d+)(?:\.(\d+))?(?:e([+-]\d+))?$/;

/**
 * Reads a decimal given as a JSON number or a string: `100`, `"100"`, `"100.00"` and `"0100.0"`
 * are all `"100.0"`. Strings must be plain digits with an optional fraction (no exponent, sign
 * only `-`), the provider's documented rule; DIDWW documents none. A number is taken at the
 * shortest decimal that reads back as the same number (what `String(n)` prints), so `0.1` is
 * exactly one tenth. Returns `undefined` for anything else.
 */
export function parseDecimal(value: unknown): Decimal | undefined {
  let m: RegExpExecArray | null;
  if (typeof value === "number") {
    // Stryker disable next-line ConditionalExpression: String(NaN) and String(Infinity) fail NUMBER_TEXT, which also answers undefined
    if (!Number.isFinite(value)) return undefined;
    m = NUMBER_TEXT.exec(String(value));
  } else if (typeof value === "string") {
    m = DECIMAL_TEXT.exec(value.trim());
  } else {
    return undefined;
  }
  if (!m) return undefined;
  // Stryker disable next-line StringLiteral: Number("") is 0 like Number("0"), so the exponent default may be either
  const [, sign, whole, fraction = "", exponent = "0"] = m;
  let units = BigInt(`${sign}${whole}${fraction}`);
  let scale = fraction.length - Number(exponent);
  // Stryker disable next-line EqualityOperator: at scale 0 the block multiplies by 10n ** 0n, which is 1
  if (scale < 0) {
    units *= 10n ** BigInt(-scale);
    scale = 0;
  }
  return makeDecimal(units, scale);
}

/** Compares two decimals exactly: negative, zero or positive like a sort comparator. */
export function compareDecimals(a: Decimal, b: Decimal): number {
  const scale = Math.max(a.scale, b.scale);
  const left = a.units * 10n ** BigInt(scale - a.scale);
  const right = b.units * 10n ** BigInt(scale - b.scale);
  return left < right ? -1 : left > right ? 1 : 0;
}

// -----------------------------------------------------------------------------------------------
// Ids
// -----------------------------------------------------------------------------------------------

const UUID_TEXT = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * The form an id is stored and answered in. DIDWW's ids are UUIDs, most likely a PostgreSQL
 * `uuid` column, which reads hex digits in any case and always prints lower case; so an id in
 * upper or mixed case names the same record. Anything that is not a UUID is left as it is (and
 * simply matches nothing).
 */
export const canonicalId = (id: string): string => (UUID_TEXT.test(id) ? id.toLowerCase() : id);

// -----------------------------------------------------------------------------------------------
// Integers, credentials, formats
// -----------------------------------------------------------------------------------------------

/**
 * Rails-style integer reading for numeric attributes: a JSON integer, or a string of digits
 * (PHP clients send `"100"`). Returns `"nan"` for non-numbers and `"fraction"` for non-integers.
 */
export function parseInteger(value: unknown): number | "nan" | "fraction" {
  if (typeof value === "number") {
    if (!Number.isFinite(value)) return "nan";
    return Number.isInteger(value) ? value : "fraction";
  }
  if (typeof value === "string") {
    const t = value.trim();
    if (/^[-+]?\d+$/.test(t)) return Number(t);
    if (/^[-+]?\d+\.\d+$/.test(t)) return Number.isInteger(Number(t)) ? Number(t) : "fraction";
    return "nan";
  }
  return "nan";
}

const CREDENTIAL_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

/** 16 mixed-case alphanumerics, like the 2026-04-16 recordings (`7mfVbgdurFkORaf2`). */
export function generateCredential(length = 16): string {
  let out = "";
  for (let i = 0; i < length; i++) out += CREDENTIAL_ALPHABET[randomInt(CREDENTIAL_ALPHABET.length)];
  return out;
}

/** The masking of the documented GET examples: first 3 characters, then six `*` (`"554******"`). */
export function maskCredential(value: string): string {
  return `${value.slice(0, 3)}******`;
}

/** `true` for an http(s) URL with a host (null is handled by the attribute's nullability). */
export function isHttpUrl(value: string): boolean {
  try {
    const u = new URL(value);
    return (u.protocol === "http:" || u.protocol === "https:") && u.hostname !== "";
  } catch {
    return false;
  }
}

/** `AC` followed by 32 hex digits, any case (recordings mix upper-case hex). */
export const TWILIO_ACCOUNT_SID = /^AC[0-9a-fA-F]{32}$/;

/** ≤ 8 characters of digits and `#` (documented). */
export const TECH_PREFIX = /^[0-9#]{0,8}$/;

/** Destination prefixes: digits (every documented example is one; the format is otherwise undocumented). */
export const DST_PREFIX = /^\d+$/;
