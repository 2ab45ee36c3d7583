/**
 * What the Twilio emulator stores: one record type per resource (API member names, snake_case),
 * the accounts it authenticates, the default account and phone numbers, and the JSON Schema of
 * each record (the data file's, and what out-of-band edits are checked against).
 *
 * Dates are stored as ISO 8601 with milliseconds; the v1 API shows them in ISO 8601 seconds and
 * v2010 in RFC 2822, as the recordings do.
 */

/** An emulated Twilio account and the credentials that reach it. */
export interface TwilioAccount {
  /** `AC` + 32 hex digits: the HTTP Basic username with `authToken`, and the `{AccountSid}` of v2010 paths. */
  accountSid: string;
  authToken: string;
  /** API keys (`SK…` + secret) that authenticate as this account. */
  apiKeys?: ReadonlyArray<{ sid: string; secret: string }>;
  /** Trunks this account may have: 100 on a paid account, 1 on a trial one (Twilio's scale-and-limits page). Default 100. */
  maxTrunks?: number;
}

/**
 * The account every emulator has unless `twilioAccounts` says otherwise. The values are fixed so
 * examples and tests can hard-code them; nothing about them is secret.
 */
export const DEFAULT_TWILIO_ACCOUNT: Readonly<Required<Omit<TwilioAccount, "maxTrunks">>> = Object.freeze({
  accountSid: "ACe0000000000000000000000000000001",
  authToken: "emulator-auth-token",
  apiKeys: Object.freeze([Object.freeze({ sid: "SKe0000000000000000000000000000001", secret: "emulator-api-key-secret" })]),
});

export const DEFAULT_MAX_TRUNKS = 100;

/** Documented enums (trunking v1 spec). */
export const ENUMS = {
  transferMode: ["disable-all", "enable-all", "sip-only"],
  transferCallerId: ["from-transferee", "from-transferor"],
  method: ["GET", "POST"],
  recordingMode: ["do-not-record", "record-from-ringing", "record-from-answer", "record-from-ringing-dual", "record-from-answer-dual"],
  recordingTrim: ["do-not-trim", "trim-silence"],
  addressRequirements: ["none", "any", "local", "foreign"],
} as const;

export interface TrunkRecording {
  mode: string;
  trim: string;
}

export interface TrunkRecord {
  sid: string;
  account_sid: string;
  friendly_name: string | null;
  domain_name: string | null;
  disaster_recovery_url: string | null;
  disaster_recovery_method: string | null;
  transfer_mode: string;
  transfer_caller_id: string;
  secure: boolean;
  cnam_lookup_enabled: boolean;
  /** Read-only on the API (not a Create/Update parameter); out-of-band edits may set it. */
  symmetric_rtp_enabled: boolean;
  recording: TrunkRecording;
  date_created: string;
  date_updated: string;
}

export interface OriginationUrlRecord {
  sid: string;
  account_sid: string;
  trunk_sid: string;
  weight: number;
  priority: number;
  enabled: boolean;
  sip_url: string;
  friendly_name: string;
  date_created: string;
  date_updated: string;
}

/** A credential list or IP access control list attached to a trunk: no id of its own, `sid` is the list's. */
export interface TrunkLinkRecord {
  trunk_sid: string;
  sid: string;
  account_sid: string;
  date_created: string;
  date_updated: string;
}

export interface CredentialListRecord {
  sid: string;
  account_sid: string;
  friendly_name: string;
  date_created: string;
  date_updated: string;
}

export interface CredentialRecord {
  sid: string;
  account_sid: string;
  credential_list_sid: string;
  username: string;
  /** Write-only on the API (never in a response). Kept in clear in the data file: it is a test fixture. */
  password: string;
  date_created: string;
  date_updated: string;
}

export interface IpAccessControlListRecord {
  sid: string;
  account_sid: string;
  friendly_name: string;
  date_created: string;
  date_updated: string;
}

export interface IpAddressRecord {
  sid: string;
  account_sid: string;
  ip_access_control_list_sid: string;
  friendly_name: string;
  ip_address: string;
  cidr_prefix_length: number;
  date_created: string;
  date_updated: string;
}

export interface PhoneNumberCapabilities {
  voice: boolean;
  sms: boolean;
  mms: boolean;
  fax: boolean;
}

/** An IncomingPhoneNumber the account owns; `trunk_sid` is its (single) trunk. */
export interface PhoneNumberRecord {
  sid: string;
  account_sid: string;
  /** E.164 with the `+`. */
  phone_number: string;
  friendly_name: string;
  trunk_sid: string | null;
  api_version: string;
  voice_url: string | null;
  voice_method: string | null;
  voice_fallback_url: string | null;
  voice_fallback_method: string | null;
  voice_caller_id_lookup: boolean | null;
  /** `""` when none (as recorded); cleared when the number joins a trunk. */
  voice_application_sid: string;
  sms_url: string;
  sms_method: string;
  sms_fallback_url: string;
  sms_fallback_method: string;
  sms_application_sid: string;
  status_callback: string;
  status_callback_method: string;
  address_requirements: string;
  beta: boolean;
  capabilities: PhoneNumberCapabilities;
  date_created: string;
  date_updated: string;
}

/** What the data file holds for Twilio; every array in creation order (the lists' order). */
export interface TwilioState {
  trunks: TrunkRecord[];
  origination_urls: OriginationUrlRecord[];
  trunk_credential_lists: TrunkLinkRecord[];
  trunk_ip_access_control_lists: TrunkLinkRecord[];
  credential_lists: CredentialListRecord[];
  credentials: CredentialRecord[];
  ip_access_control_lists: IpAccessControlListRecord[];
  ip_addresses: IpAddressRecord[];
  phone_numbers: PhoneNumberRecord[];
}

export type TwilioCollection = keyof TwilioState;

/** The record type of each collection. */
export interface TwilioRecordOf {
  trunks: TrunkRecord;
  origination_urls: OriginationUrlRecord;
  trunk_credential_lists: TrunkLinkRecord;
  trunk_ip_access_control_lists: TrunkLinkRecord;
  credential_lists: CredentialListRecord;
  credentials: CredentialRecord;
  ip_access_control_lists: IpAccessControlListRecord;
  ip_addresses: IpAddressRecord;
  phone_numbers: PhoneNumberRecord;
}

export type TwilioRecord = TwilioRecordOf[TwilioCollection];

export const COLLECTIONS: readonly TwilioCollection[] = [
  "trunks",
  "origination_urls",
  "trunk_credential_lists",
  "trunk_ip_access_control_lists",
  "credential_lists",
  "credentials",
  "ip_access_control_lists",
  "ip_addresses",
  "phone_numbers",
];

/** The collection a SID's prefix names (associations have no SID of their own). */
export const COLLECTION_BY_PREFIX: Readonly<Record<string, Exclude<TwilioCollection, "trunk_credential_lists" | "trunk_ip_access_control_lists">>> = {
  TK: "trunks",
  OU: "origination_urls",
  CL: "credential_lists",
  CR: "credentials",
  AL: "ip_access_control_lists",
  IP: "ip_addresses",
  PN: "phone_numbers",
};

export const emptyTwilioState = (): TwilioState => ({
  trunks: [],
  origination_urls: [],
  trunk_credential_lists: [],
  trunk_ip_access_control_lists: [],
  credential_lists: [],
  credentials: [],
  ip_access_control_lists: [],
  ip_addresses: [],
  phone_numbers: [],
});

/** A phone number for seeds and {@link DEFAULT_TWILIO_NUMBERS}: `phone_number` is required, the rest defaults. */
export type TwilioPhoneNumberInput = Partial<PhoneNumberRecord> & { phone_number: string };

/**
 * The numbers the first account owns at start (like DIDWW's default DIDs): fictional 555-01xx
 * numbers with fixed SIDs, none on a trunk. Seeds can add more or drop these
 * (`twilio.default_phone_numbers: false`).
 */
export const DEFAULT_TWILIO_NUMBERS: readonly Readonly<TwilioPhoneNumberInput>[] = Object.freeze(
  [1, 2, 3, 4, 5, 6].map((i) =>
    Object.freeze({
      sid: `PNe00000000000000000000000000000${String(i).padStart(2, "0")}`,
      phone_number: `+1415555010${i}`,
      friendly_name: `(415) 555-010${i}`,
      date_created: "2026-01-05T10:00:00.000Z",
      date_updated: "2026-01-05T10:00:00.000Z",
    }),
  ),
);

/** The SIDs of {@link DEFAULT_TWILIO_NUMBERS}, in order. */
export const DEFAULT_TWILIO_NUMBER_SIDS: readonly string[] = Object.freeze(DEFAULT_TWILIO_NUMBERS.map((n) => n.sid!));

// ---------------------------------------------------------------------------------------------
// JSON Schemas of the stored records (data file, out-of-band edits)
// ---------------------------------------------------------------------------------------------

const sid = (prefix: string) => ({ type: "string", pattern: `^${prefix}[0-9a-fA-F]{32}$` });
const date = { type: "string", minLength: 1 };
const str = { type: "string" };
const nullableStr = { type: ["string", "null"] };
const bool = { type: "boolean" };
const enumOf = (values: readonly string[]) => ({ type: "string", enum: [...values] });

const object = (properties: Record<string, unknown>) => ({
  type: "object",
  required: Object.keys(properties),
  additionalProperties: false,
  properties,
});

export const RECORD_SCHEMAS: Readonly<Record<TwilioCollection, Record<string, unknown>>> = {
  trunks: object({
    sid: sid("TK"),
    account_sid: sid("AC"),
    friendly_name: nullableStr,
    domain_name: nullableStr,
    disaster_recovery_url: nullableStr,
    disaster_recovery_method: { type: ["string", "null"], enum: [...ENUMS.method, null] },
    transfer_mode: enumOf(ENUMS.transferMode),
    transfer_caller_id: enumOf(ENUMS.transferCallerId),
    secure: bool,
    cnam_lookup_enabled: bool,
    symmetric_rtp_enabled: bool,
    recording: object({ mode: enumOf(ENUMS.recordingMode), trim: enumOf(ENUMS.recordingTrim) }),
    date_created: date,
    date_updated: date,
  }),
  origination_urls: object({
    sid: sid("OU"),
    account_sid: sid("AC"),
    trunk_sid: sid("TK"),
    weight: { type: "integer" },
    priority: { type: "integer" },
    enabled: bool,
    sip_url: str,
    friendly_name: str,
    date_created: date,
    date_updated: date,
  }),
  trunk_credential_lists: object({ trunk_sid: sid("TK"), sid: sid("CL"), account_sid: sid("AC"), date_created: date, date_updated: date }),
  trunk_ip_access_control_lists: object({ trunk_sid: sid("TK"), sid: sid("AL"), account_sid: sid("AC"), date_created: date, date_updated: date }),
  credential_lists: object({ sid: sid("CL"), account_sid: sid("AC"), friendly_name: str, date_created: date, date_updated: date }),
  credentials: object({
    sid: sid("CR"),
    account_sid: sid("AC"),
    credential_list_sid: sid("CL"),
    username: str,
    password: str,
    date_created: date,
    date_updated: date,
  }),
  ip_access_control_lists: object({ sid: sid("AL"), account_sid: sid("AC"), friendly_name: str, date_created: date, date_updated: date }),
  ip_addresses: object({
    sid: sid("IP"),
    account_sid: sid("AC"),
    ip_access_control_list_sid: sid("AL"),
    friendly_name: str,
    ip_address: str,
    cidr_prefix_length: { type: "integer", minimum: 0, maximum: 32 },
    date_created: date,
    date_updated: date,
  }),
  phone_numbers: object({
    sid: sid("PN"),
    account_sid: sid("AC"),
    phone_number: { type: "string", pattern: "^\\+[1-9][0-9]{1,14}$" },
    friendly_name: str,
    trunk_sid: { anyOf: [sid("TK"), { type: "null" }] },
    api_version: str,
    voice_url: nullableStr,
    voice_method: nullableStr,
    voice_fallback_url: nullableStr,
    voice_fallback_method: nullableStr,
    voice_caller_id_lookup: { type: ["boolean", "null"] },
    voice_application_sid: str,
    sms_url: str,
    sms_method: str,
    sms_fallback_url: str,
    sms_fallback_method: str,
    sms_application_sid: str,
    status_callback: str,
    status_callback_method: str,
    address_requirements: enumOf(ENUMS.addressRequirements),
    beta: bool,
    capabilities: object({ voice: bool, sms: bool, mms: bool, fax: bool }),
    date_created: date,
    date_updated: date,
  }),
};

/** JSON Schema of the data file's `twilio` section. */
export const TWILIO_STATE_SCHEMA = {
  type: "object",
  required: [...COLLECTIONS],
  properties: Object.fromEntries(COLLECTIONS.map((c) => [c, { type: "array", items: RECORD_SCHEMAS[c] }])),
};

/** Defaults of a phone number the seed or an out-of-band edit does not fully describe. */
export function phoneNumberDefaults(phoneNumber: string, now: string): Omit<PhoneNumberRecord, "sid" | "account_sid"> {
  return {
    phone_number: phoneNumber,
    friendly_name: phoneNumber,
    trunk_sid: null,
    api_version: "2010-04-01",
    voice_url: null,
    voice_method: "POST",
    voice_fallback_url: null,
    voice_fallback_method: "POST",
    voice_caller_id_lookup: false,
    voice_application_sid: "",
    sms_url: "",
    sms_method: "POST",
    sms_fallback_url: "",
    sms_fallback_method: "POST",
    sms_application_sid: "",
    status_callback: "",
    status_callback_method: "POST",
    address_requirements: "none",
    beta: false,
    capabilities: { voice: true, sms: true, mms: true, fax: false },
    date_created: now,
    date_updated: now,
  };
}
