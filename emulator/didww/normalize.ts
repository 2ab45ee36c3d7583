/**
 * Value normalisation DIDWW applies on write: IP allow-lists become CIDRs, decimals become
 * strings with at least one fractional digit, credentials are generated server-side.
 *
 * Written independently of the provider's own parsers (provider/common/ip.ts, decimal.ts) on
 * purpose: the emulator is the oracle the provider is tested against, and an oracle that shared
 * the provider's code would agree with the provider's bugs.
 */
import { randomInt } from "node:crypto";

function parseIPv4(text: string): number[] | undefined {
  const parts = text.split(".");
  if (parts.length !== 4) return undefined;
  const octets: number[] = [];
  for (const part of parts) {
    if (!/^\d{1,3}$/.test(part)) return undefined;
    if (part.length > 1 && part.startsWith("0")) return undefined; // ambiguous (octal) notation
    const n = Number(part);
    if (n > 255) return undefined;
    octets.push(n);
  }
  return octets;
}

function parseIPv6(text: string): number[] | undefined {
  if (text.length === 0 || text.includes(":::")) return undefined;
  let head = text;
  let tail: number[] = [];
  const lastColon = text.lastIndexOf(":");
  if (lastColon < 0) return undefined;
  if (text.slice(lastColon + 1).includes(".")) {
    const v4 = parseIPv4(text.slice(lastColon + 1));
    if (!v4) return undefined;
    tail = [(v4[0] << 8) | v4[1], (v4[2] << 8) | v4[3]];
    head = text.slice(0, lastColon + 1);
    if (head.endsWith(":") && !head.endsWith("::")) head = head.slice(0, -1);
  }
  const halves = head.split("::");
  if (halves.length > 2) return undefined;
  const groups = (s: string): number[] | undefined => {
    if (s === "") return [];
    const out: number[] = [];
    for (const g of s.split(":")) {
      if (!/^[0-9a-fA-F]{1,4}$/.test(g)) return undefined;
      out.push(parseInt(g, 16));
    }
    return out;
  };
  const left = groups(halves[0]);
  const right = halves.length === 2 ? groups(halves[1]) : [];
  if (!left || !right) return undefined;
  const explicit = left.length + right.length + tail.length;
  if (halves.length === 2) {
    if (explicit > 7) return undefined;
    return [...left, ...new Array<number>(8 - explicit).fill(0), ...right, ...tail];
  }
  return explicit === 8 ? [...left, ...tail] : undefined;
}

/** RFC 5952 text: lower case, longest run (≥2) of zero groups compressed to `::`. */
function formatIPv6(g: number[]): string {
  let bestStart = -1;
  let bestLen = 0;
  for (let i = 0; i < 8; ) {
    if (g[i] !== 0) { i++; continue; }
    let j = i;
    while (j < 8 && g[j] === 0) j++;
    if (j - i > bestLen && j - i >= 2) { bestStart = i; bestLen = j - i; }
    i = j;
  }
  const hex = g.map((n) => n.toString(16));
  if (bestStart < 0) return hex.join(":");
  return `${hex.slice(0, bestStart).join(":")}::${hex.slice(bestStart + bestLen).join(":")}`;
}

/**
 * Normalises one allow-list entry: a bare address becomes a host route (`/32`, IPv6 `/128`, as
 * recorded for IPv4), IPv6 is written in RFC 5952 form, anything else is returned as sent.
 * Returns `undefined` for text that is not an address or CIDR.
 */
export function normalizeCidr(value: unknown): string | undefined {
  if (typeof value !== "string") return undefined;
  const text = value.trim();
  const slash = text.indexOf("/");
  const address = slash < 0 ? text : text.slice(0, slash);
  const prefixText = slash < 0 ? undefined : text.slice(slash + 1);
  if (prefixText !== undefined && !/^\d{1,3}$/.test(prefixText)) return undefined;
  const v4 = parseIPv4(address);
  if (v4) {
    const prefix = prefixText === undefined ? 32 : Number(prefixText);
    if (prefix > 32) return undefined;
    return `${v4.join(".")}/${prefix}`;
  }
  const v6 = parseIPv6(address);
  if (v6) {
    const prefix = prefixText === undefined ? 128 : Number(prefixText);
    if (prefix > 128) return undefined;
    return `${formatIPv6(v6)}/${prefix}`;
  }
  return undefined;
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

const DECIMAL = /^-?\d+(\.\d+)?$/;

/**
 * Parses a decimal given as a JSON number or string. Returns the API text (`"100"` → `"100.0"`,
 * `"100.50"` → `"100.5"`) and its numeric value, or `undefined` when it is not a decimal.
 */
export function parseDecimal(value: unknown): { text: string; value: number } | undefined {
  let text: string;
  if (typeof value === "number") {
    if (!Number.isFinite(value)) return undefined;
    text = String(value);
    if (/e/i.test(text)) text = value.toFixed(20).replace(/\.?0+$/, "");
  } else if (typeof value === "string") {
    text = value.trim();
  } else {
    return undefined;
  }
  if (!DECIMAL.test(text)) return undefined;
  let negative = false;
  if (text.startsWith("-")) { negative = true; text = text.slice(1); }
  let [int, frac = ""] = text.split(".");
  int = int.replace(/^0+(?=\d)/, "");
  frac = frac.replace(/0+$/, "");
  if (frac === "") frac = "0";
  const body = `${int}.${frac}`;
  const isZero = /^0\.0$/.test(body);
  const out = negative && !isZero ? `-${body}` : body;
  return { text: out, value: Number(out) };
}

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

/** `true` for null or http(s) URLs with a host. */
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

/** ISO 8601 with milliseconds and `Z`, like every recorded `created_at`. */
export const nowIso = (): string => new Date().toISOString();
