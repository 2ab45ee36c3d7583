/**
 * One table of how addresses and amounts may be spelled and what each spelling means, shared by
 * every parser that must agree on it: the provider's (provider/common/ip.ts, decimal.ts) and the
 * emulator's (emulator/didww/normalize.ts). Each row names where its answer comes from: an RFC's
 * text-representation rules, a DIDWW recording, or, where neither says anything, the project's
 * own documented rule (marked "project rule").
 *
 * Only rows whose answer is unambiguous are here; spellings the sources leave open (IPv4-compatible
 * `::a.b.c.d`, whitespace, leading zeros in a prefix length, host bits under a mask) are not.
 */

/** An allow-list entry as typed, and the CIDR DIDWW stores for it (`"invalid"`: refused). */
export interface CidrSpelling {
  input: string;
  canonical: string | "invalid";
  source: string;
}

const RFC4291_22 = "RFC 4291 §2.2 (text forms of an address)";
const RFC4291_23 = "RFC 4291 §2.3 (text form of a prefix)";
const RFC5952_2 = "RFC 5952 §2 (many spellings of one address)";
const RFC5952_5 = "RFC 5952 §5 (IPv4-mapped addresses keep the dotted quad)";

export const CIDR_SPELLINGS: readonly CidrSpelling[] = [
  // DIDWW's own recordings: a bare address is stored as its host route; a CIDR stays.
  { input: "192.168.1.1", canonical: "192.168.1.1/32", source: "DIDWW recording vot_create_credentials_and_ip.json" },
  { input: "192.168.1.1/32", canonical: "192.168.1.1/32", source: "DIDWW recording vot_show_credentials_and_ip.json" },
  { input: "0.0.0.0/0", canonical: "0.0.0.0/0", source: "DIDWW recording vot_update_twilio_to_credentials_and_ip.json" },
  { input: "203.0.113.0/24", canonical: "203.0.113.0/24", source: "RFC 4632 §3.1 (prefix length notation)" },

  // IPv4 text that is not an address.
  { input: "192.168.1.300", canonical: "invalid", source: "dotted quad: each part is one octet (0 to 255)" },
  { input: "1.2.3", canonical: "invalid", source: "dotted quad: four parts" },
  { input: "1.2.3.4.5", canonical: "invalid", source: "dotted quad: four parts" },
  { input: "1.2.3.4/33", canonical: "invalid", source: "RFC 4632 §3.1: an IPv4 prefix is at most 32 bits" },
  { input: "1.2.3.4/", canonical: "invalid", source: "RFC 4632 §3.1: a prefix length is a number" },
  { input: "10.0.0.0/8/8", canonical: "invalid", source: "RFC 4632 §3.1: one prefix length" },
  { input: "01.2.3.4", canonical: "invalid", source: "project rule (provider/common/ip.ts): a leading zero reads as octal in some parsers" },
  { input: "sip.example.com", canonical: "invalid", source: "a host name is not an address" },

  // RFC 4291 §2.2: the three text forms, and RFC 5952's canonical output for each.
  { input: "ABCD:EF01:2345:6789:ABCD:EF01:2345:6789", canonical: "abcd:ef01:2345:6789:abcd:ef01:2345:6789/128", source: `${RFC4291_22}; RFC 5952 §4.3 (lower case)` },
  { input: "2001:DB8:0:0:8:800:200C:417A", canonical: "2001:db8::8:800:200c:417a/128", source: RFC4291_22 },
  { input: "2001:DB8::8:800:200C:417A", canonical: "2001:db8::8:800:200c:417a/128", source: RFC4291_22 },
  { input: "FF01:0:0:0:0:0:0:101", canonical: "ff01::101/128", source: RFC4291_22 },
  { input: "FF01::101", canonical: "ff01::101/128", source: RFC4291_22 },
  { input: "0:0:0:0:0:0:0:1", canonical: "::1/128", source: RFC4291_22 },
  { input: "::1", canonical: "::1/128", source: RFC4291_22 },
  { input: "0:0:0:0:0:0:0:0", canonical: "::/128", source: RFC4291_22 },
  { input: "::", canonical: "::/128", source: RFC4291_22 },
  { input: "0:0:0:0:0:FFFF:129.144.52.38", canonical: "::ffff:129.144.52.38/128", source: `${RFC4291_22}; ${RFC5952_5}` },
  { input: "::FFFF:129.144.52.38", canonical: "::ffff:129.144.52.38/128", source: `${RFC4291_22}; ${RFC5952_5}` },
  { input: "::ffff:192.0.2.1", canonical: "::ffff:192.0.2.1/128", source: RFC5952_5 },
  { input: "::ffff:c000:201", canonical: "::ffff:192.0.2.1/128", source: RFC5952_5 },

  // RFC 4291 §2.3: three spellings of one prefix, and one that is not a spelling of it at all.
  { input: "2001:0DB8:0000:CD30:0000:0000:0000:0000/60", canonical: "2001:db8:0:cd30::/60", source: RFC4291_23 },
  { input: "2001:0DB8::CD30:0:0:0:0/60", canonical: "2001:db8:0:cd30::/60", source: RFC4291_23 },
  { input: "2001:0DB8:0:CD30::/60", canonical: "2001:db8:0:cd30::/60", source: RFC4291_23 },
  { input: "2001:0DB8:0:CD3/60", canonical: "invalid", source: `${RFC4291_23}: zeros may be dropped only at the front of a group` },
  { input: "::/0", canonical: "::/0", source: RFC4291_23 },
  { input: "2001:db8::/32", canonical: "2001:db8::/32", source: RFC4291_23 },
  { input: "2001:db8::/129", canonical: "invalid", source: `${RFC4291_23}: at most 128 bits` },

  // RFC 5952 §2 and §4: one address spelled many ways, one canonical text.
  { input: "2001:db8:0:0:1:0:0:1", canonical: "2001:db8::1:0:0:1/128", source: `${RFC5952_2}; §4.2.3 (first run on a tie)` },
  { input: "2001:0db8:0:0:1:0:0:1", canonical: "2001:db8::1:0:0:1/128", source: RFC5952_2 },
  { input: "2001:db8::1:0:0:1", canonical: "2001:db8::1:0:0:1/128", source: RFC5952_2 },
  { input: "2001:db8::0:1:0:0:1", canonical: "2001:db8::1:0:0:1/128", source: RFC5952_2 },
  { input: "2001:0db8::1:0:0:1", canonical: "2001:db8::1:0:0:1/128", source: RFC5952_2 },
  { input: "2001:db8:0:0:1::1", canonical: "2001:db8::1:0:0:1/128", source: RFC5952_2 },
  { input: "2001:db8:0000:0:1::1", canonical: "2001:db8::1:0:0:1/128", source: RFC5952_2 },
  { input: "2001:DB8:0:0:1::1", canonical: "2001:db8::1:0:0:1/128", source: RFC5952_2 },
  { input: "2001:0db8::0001", canonical: "2001:db8::1/128", source: "RFC 5952 §4.1 (no leading zeros)" },
  { input: "2001:db8:0:0:0:0:2:1", canonical: "2001:db8::2:1/128", source: "RFC 5952 §4.2.1 (shorten as much as possible)" },
  { input: "2001:db8::0:1", canonical: "2001:db8::1/128", source: "RFC 5952 §4.2.1 (shorten as much as possible)" },
  { input: "2001:db8::1:1:1:1:1", canonical: "2001:db8:0:1:1:1:1:1/128", source: "RFC 5952 §4.2.2 (never '::' for one group)" },
  { input: "1:2:3:4:5:6:7::", canonical: "1:2:3:4:5:6:7:0/128", source: "RFC 5952 §4.2.2 (never '::' for one group)" },
  { input: "::2:3:4:5:6:7:8", canonical: "0:2:3:4:5:6:7:8/128", source: "RFC 5952 §4.2.2 (never '::' for one group)" },
  { input: "2001:0:0:1:0:0:0:1", canonical: "2001:0:0:1::1/128", source: "RFC 5952 §4.2.3 (the longest run)" },
  { input: "2001:DB8::1", canonical: "2001:db8::1/128", source: "RFC 5952 §4.3 (lower case)" },

  // Not IPv6 text (RFC 4291 §2.2 syntax).
  { input: "2001:db8:::1", canonical: "invalid", source: `${RFC4291_22}: '::' is two colons` },
  { input: "1::2::3", canonical: "invalid", source: `${RFC4291_22}: '::' at most once` },
  { input: "1:2:3:4:5:6:7:8:9", canonical: "invalid", source: `${RFC4291_22}: eight groups` },
  { input: "1:2:3:4::5:6:7:8", canonical: "invalid", source: `${RFC4291_22}: '::' stands for at least one group` },
  { input: "12345::1", canonical: "invalid", source: `${RFC4291_22}: a group is at most four hex digits` },
  { input: "g::1", canonical: "invalid", source: `${RFC4291_22}: hex digits` },
  { input: "1:2:3:4:5:6:7:1.2.3.4", canonical: "invalid", source: `${RFC4291_22}: the dotted quad is the last 32 of 128 bits` },
  { input: "::ffff:1.2.3.256", canonical: "invalid", source: `${RFC4291_22}: the dotted quad holds octets` },
  { input: "[2001:db8::1]", canonical: "invalid", source: "brackets belong to URLs (RFC 3986 §3.2.2), not addresses" },
  { input: "fe80::1%eth0", canonical: "invalid", source: "project rule: a zone id (RFC 4007 §11) names one host's interface, not an allow-list entry" },
];

/** An amount as a client may send it, and DIDWW's rendering (`undefined`: not a decimal). */
export interface DecimalSpelling {
  input: string | number;
  api: string | undefined;
  source: string;
}

const RENDERING = "DIDWW renders decimals with at least one fractional digit (threshold_amount \"3000.0\" in every recording)";
const PROJECT = "project rule (provider/common/decimal.ts): digits, an optional fraction, an optional '-', no exponent";

export const DECIMAL_SPELLINGS: readonly DecimalSpelling[] = [
  { input: "3000.0", api: "3000.0", source: "DIDWW recording vot_create_credentials_and_ip.json" },
  { input: "3000", api: "3000.0", source: RENDERING },
  { input: 100, api: "100.0", source: RENDERING },
  { input: "100", api: "100.0", source: RENDERING },
  { input: "100.0", api: "100.0", source: RENDERING },
  { input: "100.00", api: "100.0", source: RENDERING },
  { input: "100.50", api: "100.5", source: "trailing fractional zeros carry no value" },
  { input: "0100.5", api: "100.5", source: "leading zeros carry no value" },
  { input: "00.10", api: "0.1", source: "leading and trailing zeros carry no value" },
  { input: 0, api: "0.0", source: RENDERING },
  { input: "0", api: "0.0", source: RENDERING },
  { input: "0.000", api: "0.0", source: RENDERING },
  { input: "-0", api: "0.0", source: "zero has no sign" },
  { input: "-1.50", api: "-1.5", source: `${PROJECT} (the range check is separate)` },
  { input: 0.5, api: "0.5", source: "a JSON number is its decimal value" },
  { input: 99999.99, api: "99999.99", source: "a JSON number is its decimal value" },
  { input: 1e5, api: "100000.0", source: "a JSON number is its decimal value, exponent or not" },
  { input: 1e-7, api: "0.0000001", source: "a JSON number is its decimal value, exponent or not" },
  { input: "100000.0", api: "100000.0", source: "DIDWW docs: threshold_amount from 0.0 to 100000.0" },
  { input: "", api: undefined, source: PROJECT },
  { input: "abc", api: undefined, source: PROJECT },
  { input: "1,5", api: undefined, source: PROJECT },
  { input: "0x10", api: undefined, source: PROJECT },
  { input: "1e3", api: undefined, source: PROJECT },
  { input: ".5", api: undefined, source: PROJECT },
  { input: "1.", api: undefined, source: PROJECT },
  { input: "+5", api: undefined, source: PROJECT },
  { input: Number.NaN, api: undefined, source: "not a number" },
  { input: Number.POSITIVE_INFINITY, api: undefined, source: "not a finite amount" },
];
