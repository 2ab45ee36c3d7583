/**
 * Shared test plumbing: start/stop emulators, talk to them the way a DIDWW client does.
 */
import { startEmulator, type EmulatorHandle, type EmulatorOptions } from "../../emulator";

export const JSONAPI = "application/vnd.api+json";
export const API_KEY = "test-api-key";

export interface ApiResponse {
  status: number;
  headers: Headers;
  /** Parsed JSON when the body is JSON, the text otherwise, null when empty. */
  body: any;
  text: string;
}

const running = new Set<EmulatorHandle>();

/** Starts an emulator on a free port; `stopAll()` (in afterEach) closes it. */
export async function start(options: EmulatorOptions = {}): Promise<EmulatorHandle> {
  const emu = await startEmulator({ port: 0, ...options });
  running.add(emu);
  return emu;
}

export async function stopAll(): Promise<void> {
  const all = [...running];
  running.clear();
  await Promise.all(all.map((e) => e.close()));
}

export interface CallOptions {
  headers?: Record<string, string | undefined>;
  /** Sent as-is when a string or bytes; anything else as JSON. */
  body?: unknown;
}

/** One request with DIDWW's usual headers (Api-Key, JSON:API Accept/Content-Type), overridable. */
export async function api(emu: { url: string }, method: string, path: string, options: CallOptions = {}): Promise<ApiResponse> {
  const headers: Record<string, string> = {};
  const merged: Record<string, string | undefined> = { "Api-Key": API_KEY, Accept: JSONAPI, "Content-Type": JSONAPI, ...(options.headers ?? {}) };
  for (const [k, v] of Object.entries(merged)) if (v !== undefined) headers[k] = v;
  // A Uint8Array body gets no default Content-Type from fetch (a string would get text/plain).
  const body =
    options.body === undefined ? undefined : options.body instanceof Uint8Array || typeof options.body === "string" ? options.body : new TextEncoder().encode(JSON.stringify(options.body));
  const res = await fetch(`${emu.url}${path}`, { method, headers, body });
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

/** Minimal valid create attributes for each writable auth type. */
export const AUTH = {
  credentials: { type: "credentials_and_ip", attributes: { allowed_sip_ips: ["192.0.2.10"] } },
  twilio: { type: "twilio", attributes: { twilio_account_sid: "AC0123456789abcdef0123456789abcdef" } },
} as const;

export function trunkDoc(attributes: Record<string, unknown>, extra: Record<string, unknown> = {}) {
  return { data: { type: "voice_out_trunks", attributes, ...extra } };
}

/** POSTs a trunk (credentials_and_ip unless overridden) and returns the created resource. */
export async function createTrunk(emu: { url: string }, attributes: Record<string, unknown> = {}, extra: Record<string, unknown> = {}) {
  const res = await api(emu, "POST", "/v3/voice_out_trunks", {
    body: trunkDoc({ name: "t", on_cli_mismatch_action: "send_original_cli", authentication_method: AUTH.credentials, ...attributes }, extra),
  });
  if (res.status !== 201) throw new Error(`create failed: ${res.status} ${res.text}`);
  return res.body.data;
}

export function patchDoc(id: string, attributes: Record<string, unknown>, extra: Record<string, unknown> = {}) {
  return { data: { id, type: "voice_out_trunks", attributes, ...extra } };
}

/** The `{ errors }` of a response, reduced to what the tests compare. */
export const errorSummary = (res: ApiResponse) =>
  (res.body?.errors ?? []).map((e: any) => ({ detail: e.detail, pointer: e.source?.pointer, code: e.code, status: e.status }));
