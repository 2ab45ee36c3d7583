/**
 * The DIDWW records the emulator keeps, in API attribute names (snake_case), exactly as they are
 * stored and persisted, and the default DIDs. What each trunk member means on the wire (order,
 * defaults, rules) is declared in fields.ts; serialize.ts turns records into JSON:API documents.
 */

export type AuthenticationMethod =
  | {
      type: "credentials_and_ip";
      attributes: { allowed_sip_ips: string[]; tech_prefix: string | null; username: string; password: string };
    }
  | { type: "ip_only"; attributes: { allowed_sip_ips: string[]; tech_prefix: string | null } }
  | { type: "twilio"; attributes: { twilio_account_sid: string } };

/** One outbound trunk (`voice_out_trunks`), credentials in full. Each member has its entry in fields.ts. */
export interface DidwwTrunk {
  id: string;
  name: string;
  allowed_rtp_ips: string[] | null;
  allow_any_did_as_cli: boolean;
  status: "active" | "blocked";
  on_cli_mismatch_action: string;
  capacity_limit: number | null;
  created_at: string;
  threshold_reached: boolean;
  threshold_amount: string | null;
  media_encryption_mode: string;
  default_dst_action: string;
  dst_prefixes: string[] | null;
  force_symmetric_rtp: boolean;
  rtp_ping: boolean;
  callback_url: string | null;
  external_reference_id: string | null;
  authentication_method: AuthenticationMethod;
  emergency_enable_all: boolean;
  rtp_timeout: number | null;
  /** `data.meta.spent_amount`: read-only, changed only out of band. */
  spent_amount: string;
  /** Ids of the DIDs allowed as CLI (`relationships.dids`). */
  dids: string[];
  /** Ids of the DIDs enabled for emergency calling (`relationships.emergency_dids`). */
  emergency_dids: string[];
}

/** One DID (`dids`), with the attributes of the recorded GET /v3/dids/{id}. */
export interface DidwwDid {
  id: string;
  blocked: boolean;
  capacity_limit: number | null;
  description: string | null;
  terminated: boolean;
  awaiting_registration: boolean;
  number: string;
  expires_at: string | null;
  channels_included_count: number;
  created_at: string;
  pending_removal: boolean;
  dedicated_channels_count: number;
  emergency_enabled: boolean;
}

/** DID attributes in the order of the recorded GET /v3/dids/{id}. */
export const DID_ATTRIBUTE_ORDER = [
  "blocked",
  "capacity_limit",
  "description",
  "terminated",
  "awaiting_registration",
  "number",
  "expires_at",
  "channels_included_count",
  "created_at",
  "pending_removal",
  "dedicated_channels_count",
  "emergency_enabled",
] as const;

/** DID relationships as recorded (links only; the emulator models none of their targets). */
export const DID_RELATIONSHIPS = [
  "did_group",
  "order",
  "voice_in_trunk",
  "voice_in_trunk_group",
  "capacity_pool",
  "shared_capacity_group",
  "address_verification",
  "emergency_calling_service",
  "emergency_verification",
  "identity",
] as const;

export const ENUMS = {
  status: ["active", "blocked"],
  on_cli_mismatch_action: ["send_original_cli", "reject_call", "replace_cli", "randomize_cli"],
  default_dst_action: ["allow_all", "reject_all"],
  media_encryption_mode: ["disabled", "srtp_sdes", "srtp_dtls", "zrtp"],
  authentication_type: ["credentials_and_ip", "ip_only", "twilio"],
} as const;

const did = (id: string, number: string, emergency_enabled: boolean, description: string): DidwwDid => ({
  id,
  blocked: false,
  capacity_limit: null,
  description,
  terminated: false,
  awaiting_registration: false,
  number,
  expires_at: null,
  channels_included_count: 2,
  created_at: "2026-01-15T10:00:00.000Z",
  pending_removal: false,
  dedicated_channels_count: 0,
  emergency_enabled,
});

/**
 * The DIDs every emulator starts with (unless a seed says otherwise). Stable ids so tests and
 * examples can reference them. The first three ids are the ones DIDWW's own examples use
 * (seed 000 include example; Postman "With Emergency DIDs"), so those exchanges replay unchanged.
 * Numbers are E.164 without `+`, from the ranges reserved for fiction/documentation.
 */
export const DEFAULT_DIDS: readonly Readonly<DidwwDid>[] = Object.freeze([
  did("0b5d4ca6-7002-4f19-a678-f5be95538e9b", "12125550123", true, "New York (emergency)"),
  did("f10d40c7-fd0b-4d63-bb9b-27810a1a8f5c", "12125550124", true, "New York (emergency)"),
  did("a2b3c4d5-e6f7-8901-abcd-ef1234567890", "442079460000", true, "London (emergency)"),
  did("3c5b1e7a-8d2f-4a6b-9c0d-1e2f3a4b5c6d", "442079460001", false, "London"),
  did("7e8f9a0b-1c2d-4e3f-8a5b-6c7d8e9f0a1b", "4930901820", false, "Berlin"),
  did("b1c2d3e4-f5a6-4b7c-8d9e-0f1a2b3c4d5e", "61291920000", false, "Sydney"),
  did("c9d8e7f6-a5b4-4c3d-9e2f-1a0b9c8d7e6f", "13125550100", true, "Chicago (emergency)"),
  did("d4e5f6a7-b8c9-4d0e-8f1a-2b3c4d5e6f7a", "33142868200", false, "Paris"),
].map((d) => Object.freeze(d)));

/** Convenience lookup of the default DIDs by role, for tests and examples. */
export const DEFAULT_DID_IDS = Object.freeze({
  emergency: DEFAULT_DIDS.filter((d) => d.emergency_enabled).map((d) => d.id),
  plain: DEFAULT_DIDS.filter((d) => !d.emergency_enabled).map((d) => d.id),
  all: DEFAULT_DIDS.map((d) => d.id),
});

export const cloneTrunk = (t: DidwwTrunk): DidwwTrunk => structuredClone(t);
export const cloneDid = (d: DidwwDid): DidwwDid => ({ ...d });
