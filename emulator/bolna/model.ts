/**
 * What the Bolna emulator stores for the legacy `/sip-trunks` API: trunks (gateways and IP
 * identifiers inline, as the API nests them) and phone numbers (their own records, tied to a
 * trunk by `byot_trunk_id`), in the API's own snake_case member names; the default API key.
 *
 * Dates are stored as ISO 8601 with milliseconds; the API shows them in ISO 8601 seconds with `Z`,
 * as every Bolna example does (`2023-11-07T05:31:56Z`).
 */

/**
 * The API key every emulator accepts unless `bolnaApiKeys` says otherwise (`Authorization: Bearer
 * emulator-bolna-key`). Fixed, so examples and tests can hard-code it; nothing about it is secret.
 */
export const DEFAULT_BOLNA_API_KEY = "emulator-bolna-key";

/** Documented enums ([O] openapi.yml, [G] the BYOT guide). */
export const ENUMS = {
  authType: ["userpass", "ip-based"],
  transport: ["transport-udp", "transport-tcp", "transport-tls"],
  mediaEncryption: ["no", "sdes"],
} as const;

/** `telephony_provider` of every legacy trunk number ([O] example, [G] "Always `sip-trunk`"). */
export const TELEPHONY_PROVIDER = "sip-trunk";

/** A gateway as stored and returned: [G] and the docs' api-examples give each its own `id` and `created_at`. */
export interface BolnaGateway {
  id: string;
  gateway_address: string;
  port: number;
  priority: number;
  created_at: string;
}

export interface BolnaIpIdentifier {
  /** An IP address or CIDR range, stored exactly as sent (a bare address stays bare). */
  ip_address: string;
}

/** A stored trunk: the API's members, plus `auth_password` (write-only: never in an API answer). */
export interface BolnaTrunkRecord {
  id: string;
  name: string;
  provider: string;
  description: string | null;
  auth_type: "userpass" | "ip-based";
  /** null on ip-based trunks (the API then leaves the member out). */
  auth_username: string | null;
  /** Write-only; kept in clear here and in the data file (it is a test fixture). null on ip-based trunks. */
  auth_password: string | null;
  gateways: BolnaGateway[];
  ip_identifiers: BolnaIpIdentifier[];
  /** Codec lists, normalised (see `normalizeCodecs`). */
  allow: string;
  disallow: string;
  transport: (typeof ENUMS.transport)[number];
  direct_media: boolean;
  rtp_symmetric: boolean;
  force_rport: boolean;
  ice_support: boolean;
  media_encryption: (typeof ENUMS.mediaEncryption)[number];
  media_encryption_optimistic: boolean;
  qualify_frequency: number;
  inbound_enabled: boolean;
  outbound_leading_plus_enabled: boolean;
  is_active: boolean;
  created_at: string;
  updated_at: string;
}

/** A phone number (DID) on a trunk, as stored and returned. */
export interface BolnaNumberRecord {
  id: string;
  /** Stored verbatim (`+` optional), as the API does. */
  phone_number: string;
  name: string | null;
  byot_trunk_id: string;
  telephony_provider: typeof TELEPHONY_PROVIDER;
  /** Always false here: a removed number is gone (the API never shows soft-deleted ones). */
  deleted: boolean;
  created_at: string;
  updated_at: string;
}

/** A trunk with its numbers: what `handle.store.bolna` reads return (the API's GET shape plus `auth_password`). */
export type BolnaTrunk = BolnaTrunkRecord & { phone_numbers: BolnaNumberRecord[] };

/** What the data file holds for Bolna; both arrays in creation order (the lists' order). */
export interface BolnaState {
  trunks: BolnaTrunkRecord[];
  phone_numbers: BolnaNumberRecord[];
}

export const emptyBolnaState = (): BolnaState => ({ trunks: [], phone_numbers: [] });

/** `2023-11-07T05:31:56Z`: the form of every Bolna example (no fraction). */
export const isoSeconds = (date: string) => new Date(date).toISOString().replace(/\.\d{3}Z$/, "Z");

/**
 * How the emulator normalises a codec list (`allow`, `disallow`), on every write, API and out of
 * band: split on commas, each item trimmed and lower-cased, empty items dropped, order and
 * repeats kept, joined with `,` (`" ULAW, alaw ,"` → `"ulaw,alaw"`). No source says what Bolna
 * stores; Asterisk, which receives the list, reads codec names case-insensitively and ignores
 * blanks, so a client must compare lists in this form to see no drift either way.
 */
export function normalizeCodecs(text: string): string {
  return text
    .split(",")
    .map((c) => c.trim().toLowerCase())
    .filter((c) => c !== "")
    .join(",");
}
