/**
 * Test plumbing for the Bolna vendor: talk to the emulator the way a Bolna client does (Bearer
 * key, JSON bodies, the real paths appended to `handle.bolnaUrl`).
 */
import { DEFAULT_BOLNA_API_KEY, type EmulatorHandle } from "../../emulator";

export interface BolnaResponse {
  status: number;
  headers: Headers;
  /** Parsed JSON, the text when not JSON, null when empty. */
  body: any;
  text: string;
}

export interface BolnaCallOptions {
  /** Sent as JSON (a string is sent as it is). */
  body?: unknown;
  /** The Bearer key; `null` sends no Authorization header. Default: {@link DEFAULT_BOLNA_API_KEY}. */
  key?: string | null;
  headers?: Record<string, string>;
}

/** One request to `${emu.bolnaUrl}${path}`. */
export async function bo(emu: Pick<EmulatorHandle, "bolnaUrl">, method: string, path: string, options: BolnaCallOptions = {}): Promise<BolnaResponse> {
  const headers: Record<string, string> = { ...(options.headers ?? {}) };
  const key = options.key === undefined ? DEFAULT_BOLNA_API_KEY : options.key;
  if (key !== null) headers.Authorization ??= `Bearer ${key}`;
  let body: string | undefined;
  if (options.body !== undefined) {
    headers["Content-Type"] ??= "application/json";
    body = typeof options.body === "string" ? options.body : JSON.stringify(options.body);
  }
  const res = await fetch(`${emu.bolnaUrl}${path}`, { method, headers, body });
  const text = await res.text();
  let parsed: unknown = null;
  if (text !== "") {
    try {
      parsed = JSON.parse(text);
    } catch {
      parsed = text;
    }
  }
  return { status: res.status, headers: res.headers, body: parsed, text };
}

export const TRUNKS = "/sip-trunks/trunks";
export const trunkPath = (id: string) => `${TRUNKS}/${encodeURIComponent(id)}`;
export const numbersPath = (id: string) => `${trunkPath(id)}/numbers`;

let counter = 0;
/** A fresh trunk name (names are unique per account). */
export const uniqueName = (base = "trunk") => `${base} ${process.pid}-${++counter}`;

/** A minimal valid userpass create body. */
export const userpass = (extra: Record<string, unknown> = {}) => ({
  name: uniqueName("userpass"),
  provider: "zadarma",
  auth_type: "userpass",
  auth_username: "sip-user",
  auth_password: "sip-secret-1",
  gateways: [{ gateway_address: "sip.zadarma.com", port: 5060, priority: 1 }],
  ...extra,
});

/** A minimal valid ip-based create body. */
export const ipBased = (extra: Record<string, unknown> = {}) => ({
  name: uniqueName("ip"),
  provider: "plivo",
  auth_type: "ip-based",
  gateways: [{ gateway_address: "21467306465797919.zt.plivo.com" }],
  ip_identifiers: [{ ip_address: "15.207.90.192/31" }],
  ...extra,
});

/** POSTs a trunk (userpass unless overridden) and returns the created trunk; throws unless 201. */
export async function createTrunk(emu: Pick<EmulatorHandle, "bolnaUrl">, body: Record<string, unknown> = userpass()): Promise<any> {
  const res = await bo(emu, "POST", TRUNKS, { body });
  if (res.status !== 201) throw new Error(`trunk create failed: ${res.status} ${res.text}`);
  return res.body;
}

/** POSTs a number onto a trunk and returns it; throws unless 201. */
export async function addNumber(emu: Pick<EmulatorHandle, "bolnaUrl">, trunkId: string, body: Record<string, unknown>): Promise<any> {
  const res = await bo(emu, "POST", numbersPath(trunkId), { body });
  if (res.status !== 201) throw new Error(`number add failed: ${res.status} ${res.text}`);
  return res.body;
}

/** `[status, detail]` of an error answer. */
export const errorOf = (res: BolnaResponse) => [res.status, res.body?.detail] as const;

export const ULID = /^[0-7][0-9A-HJKMNP-TV-Z]{25}$/;
export const ISO_SECONDS = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/;

/** The documented order of a trunk's members (fixtures' GET example + the OpenAPI's media_encryption pair). */
export const TRUNK_KEYS_USERPASS = [
  "id", "name", "provider", "description", "auth_type", "auth_username", "gateways", "ip_identifiers", "phone_numbers", "allow", "disallow",
  "transport", "direct_media", "rtp_symmetric", "force_rport", "ice_support", "media_encryption", "media_encryption_optimistic",
  "qualify_frequency", "inbound_enabled", "outbound_leading_plus_enabled", "is_active", "created_at", "updated_at",
];
export const TRUNK_KEYS_IP_BASED = TRUNK_KEYS_USERPASS.filter((k) => k !== "auth_username");
export const NUMBER_KEYS = ["id", "phone_number", "name", "byot_trunk_id", "telephony_provider", "deleted", "created_at", "updated_at"];
export const GATEWAY_KEYS = ["id", "gateway_address", "port", "priority", "created_at"];
