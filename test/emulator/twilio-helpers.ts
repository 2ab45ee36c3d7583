/**
 * Test plumbing for the Twilio vendor: talk to the emulator the way a Twilio client does (HTTP
 * Basic, form bodies, the two base URLs).
 */
import { DEFAULT_TWILIO_ACCOUNT, type EmulatorHandle } from "../../emulator";
import { encodeForm } from "../../emulator/form";

export const ACCOUNT = DEFAULT_TWILIO_ACCOUNT;

export interface TwilioResponse {
  status: number;
  headers: Headers;
  /** Parsed JSON, the text when not JSON, null when empty. */
  body: any;
  text: string;
}

export interface Credentials {
  user: string;
  password: string;
}

export const basic = (c: Credentials) => `Basic ${Buffer.from(`${c.user}:${c.password}`).toString("base64")}`;

export const DEFAULT_CREDENTIALS: Credentials = { user: ACCOUNT.accountSid, password: ACCOUNT.authToken };

export interface TwilioCallOptions {
  /** Form fields (arrays = repeated keys); sent as application/x-www-form-urlencoded. */
  form?: Record<string, unknown>;
  /** `null` sends no Authorization header. Default: the default account's SID and token. */
  auth?: Credentials | null;
  headers?: Record<string, string>;
}

/** One request to an absolute URL (build it with {@link v1} / {@link v2010}). */
export async function tw(url: string, method: string, options: TwilioCallOptions = {}): Promise<TwilioResponse> {
  const headers: Record<string, string> = { ...(options.headers ?? {}) };
  const auth = options.auth === undefined ? DEFAULT_CREDENTIALS : options.auth;
  if (auth) headers.Authorization = basic(auth);
  let body: string | undefined;
  if (options.form !== undefined) {
    headers["Content-Type"] ??= "application/x-www-form-urlencoded";
    body = encodeForm(options.form);
  }
  const res = await fetch(url, { method, headers, body });
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

/** `${twilioTrunkingUrl}/v1${path}` */
export const v1 = (emu: EmulatorHandle, path: string) => `${emu.twilioTrunkingUrl}/v1${path}`;

/** `${twilioApiUrl}/2010-04-01/Accounts/{account}${path}` */
export const v2010 = (emu: EmulatorHandle, path: string, account: string = ACCOUNT.accountSid) => `${emu.twilioApiUrl}/2010-04-01/Accounts/${account}${path}`;

async function created(res: Promise<TwilioResponse>, what: string): Promise<any> {
  const r = await res;
  if (r.status !== 201) throw new Error(`${what} failed: ${r.status} ${r.text}`);
  return r.body;
}

let domainCounter = 0;
/** A fresh, unique termination domain. */
export const uniqueDomain = () => `t${process.pid}x${++domainCounter}.pstn.twilio.com`;

export const createTrunk = (emu: EmulatorHandle, form: Record<string, unknown> = {}, auth?: Credentials) =>
  created(tw(v1(emu, "/Trunks"), "POST", { form: { FriendlyName: "trunk", DomainName: uniqueDomain(), ...form }, auth }), "trunk create");

export const createCredentialList = (emu: EmulatorHandle, name: string) => created(tw(v2010(emu, "/SIP/CredentialLists.json"), "POST", { form: { FriendlyName: name } }), "credential list create");

export const createIpAccessControlList = (emu: EmulatorHandle, name: string) =>
  created(tw(v2010(emu, "/SIP/IpAccessControlLists.json"), "POST", { form: { FriendlyName: name } }), "IP ACL create");

export const STRONG_PASSWORD = "Emulat0rPassw0rd";

/** Twilio's error body, as a tuple the tests compare. */
export const errorOf = (res: TwilioResponse) => [res.status, res.body?.code, res.body?.status] as const;
