/**
 * IP address and CIDR handling shared by validation and diffing.
 *
 * DIDWW stores every allow-list entry as a CIDR: a bare `192.168.1.1` comes back as
 * `192.168.1.1/32` (recorded), so a bare address and its host route are the same entry.
 * IPv6 entries are compared in canonical RFC 5952 form, so `2001:DB8:0::1` equals `2001:db8::1/128`.
 */

export interface ParsedCidr {
  family: 4 | 6;
  /** Canonical address text: dotted quad, or RFC 5952 compressed lower-case IPv6. */
  address: string;
  prefix: number;
}

function parseIPv4(text: string): number[] | undefined {
  const parts = text.split(".");
  if (parts.length !== 4) return undefined;
  const octets: number[] = [];
  for (const part of parts) {
    if (!/^\d{1,3}$/.test(part)) return undefined;
    // A leading zero is ambiguous (octal in some parsers): reject it, as most validators do.
    if (part.length > 1 && part.startsWith("0")) return undefined;
    const n = Number(part);
    if (n > 255) return undefined;
    octets.push(n);
  }
  return octets;
}

function parseIPv6(text: string): number[] | undefined {
  // Stryker disable next-line ConditionalExpression,LogicalOperator: an early exit only: empty text and a ":::" both fail the group checks below anyway
  if (text.length === 0 || text.includes(":::")) return undefined;
  let head = text;
  let tailV4: number[] = [];
  const lastColon = text.lastIndexOf(":");
  // Stryker disable next-line MethodExpression,ArithmeticOperator: a dot anywhere but in the last group fails a group check or the dotted quad either way
  if (text.slice(lastColon + 1).includes(".")) {
    const v4 = parseIPv4(text.slice(lastColon + 1));
    if (!v4) return undefined;
    tailV4 = [(v4[0] << 8) | v4[1], (v4[2] << 8) | v4[3]];
    head = text.slice(0, lastColon + 1);
    // Stryker disable next-line StringLiteral: head is cut just after the last colon, so it always ends in ":" (endsWith("") is true as well)
    if (head.endsWith(":") && !head.endsWith("::")) head = head.slice(0, -1);
  }
  const halves = head.split("::");
  if (halves.length > 2) return undefined;
  const toGroups = (s: string): number[] | undefined => {
    if (s === "") return [];
    const groups: number[] = [];
    for (const g of s.split(":")) {
      if (!/^[0-9a-fA-F]{1,4}$/.test(g)) return undefined;
      groups.push(parseInt(g, 16));
    }
    return groups;
  };
  const left = toGroups(halves[0]);
  const right = halves.length === 2 ? toGroups(halves[1]) : [];
  if (!left || !right) return undefined;
  const explicit = left.length + right.length + tailV4.length;
  if (halves.length === 2) {
    if (explicit > 7) return undefined;
    return [...left, ...new Array(8 - explicit).fill(0), ...right, ...tailV4];
  }
  if (explicit !== 8) return undefined;
  return [...left, ...tailV4];
}

function formatIPv6(groups: number[]): string {
  // RFC 5952: compress the longest run (length >= 2) of zero groups, the first one on a tie.
  let bestStart = -1;
  let bestLen = 0;
  // Stryker disable next-line EqualityOperator: groups has 8 entries; groups[8] is undefined, not 0, so i = 8 ends the loop either way
  for (let i = 0; i < 8; ) {
    if (groups[i] !== 0) { i++; continue; }
    let j = i;
    // Stryker disable next-line ConditionalExpression,EqualityOperator: groups[8] is undefined, not 0, which stops the run at 8 either way
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > bestLen && j - i >= 2) { bestStart = i; bestLen = j - i; }
    i = j;
  }
  const hex = groups.map((g) => g.toString(16));
  if (bestStart < 0) return hex.join(":");
  return `${hex.slice(0, bestStart).join(":")}::${hex.slice(bestStart + bestLen).join(":")}`;
}

/** Parses an IPv4/IPv6 address or CIDR; `undefined` when it is neither. */
export function parseCidr(text: string): ParsedCidr | undefined {
  if (typeof text !== "string") return undefined;
  const trimmed = text.trim();
  const slash = trimmed.indexOf("/");
  // Stryker disable next-line EqualityOperator: a slash at index 0 leaves no address, which fails to parse whichever text is tried
  const addressText = slash < 0 ? trimmed : trimmed.slice(0, slash);
  // Stryker disable next-line EqualityOperator: a slash at index 0 leaves no address, which fails to parse whichever prefix is read
  const prefixText = slash < 0 ? undefined : trimmed.slice(slash + 1);
  const v4 = parseIPv4(addressText);
  const v6 = v4 ? undefined : parseIPv6(addressText);
  if (!v4 && !v6) return undefined;
  const max = v4 ? 32 : 128;
  let prefix = max;
  if (prefixText !== undefined) {
    if (!/^\d{1,3}$/.test(prefixText)) return undefined;
    prefix = Number(prefixText);
    if (prefix > max) return undefined;
  }
  return v4
    ? { family: 4, address: v4.join("."), prefix }
    : { family: 6, address: formatIPv6(v6 as number[]), prefix };
}

/** True for an IPv4/IPv6 address or CIDR. */
export function isIpOrCidr(text: unknown): boolean {
  return typeof text === "string" && parseCidr(text) !== undefined;
}

/** Canonical CIDR text (`1.2.3.4` → `1.2.3.4/32`); unparseable text is returned unchanged. */
export function normaliseCidr(text: string): string {
  const parsed = parseCidr(text);
  return parsed ? `${parsed.address}/${parsed.prefix}` : text;
}

/** True for a bare IPv4 address (no prefix). */
export function isIpv4Address(text: unknown): boolean {
  return typeof text === "string" && !text.includes("/") && parseCidr(text)?.family === 4;
}

/** A DNS host name: dot-separated labels of letters, digits and inner hyphens, at most 253 characters. */
const HOST_NAME = /^(?=.{1,253}$)[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?(\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*\.?$/;

/** True for a host name or a bare IPv4/IPv6 address (no prefix, no port, no scheme). */
export function isHostOrIp(text: unknown): boolean {
  if (typeof text !== "string" || text.includes("/")) return false;
  return parseCidr(text) !== undefined || (HOST_NAME.test(text) && !/^[0-9.]+$/.test(text));
}
