/**
 * Every resource of the package and every provider setting, as data, in one place.
 *
 * Both modes read it: the dynamic classes (their registered keys and secret outputs) and the
 * provider plugin (its type tokens, the outputs it encrypts, its schema, its configuration).
 * It loads nothing but plain data, so the plugin starts without `@pulumi/pulumi`.
 */
import { APPLIED_INPUTS_KEY } from "./common/diff";

/** A type in Pulumi's package-schema notation (what `schema.json` writes). */
export type SchemaType =
  | { type: "string" | "integer" | "number" | "boolean" }
  | { type: "array"; items: SchemaType }
  | { $ref: string };

/** A property only the vendor sets (not an input). */
export interface ComputedOutput {
  type: SchemaType;
  doc: string;
  secret?: true;
}

export interface CatalogEntry {
  /** The runtime's name for the resource (`vendor:Resource`), as the dynamic shims and `invoke()` call it. */
  runtime: string;
  /** The plugin's type token, `siptrunks:<vendor>:<Resource>`. */
  token: string;
  /** The dynamic type token, `pulumi-nodejs:dynamic/<vendor>:<Resource>`. */
  dynamicType: string;
  /** The README marker of its input table (provider/docs.ts), which the schema is built from. */
  docMarker: string;
  /** Output-only properties, in the order the classes declare them. */
  outputs: Readonly<Record<string, ComputedOutput>>;
  /** Outputs stored encrypted, besides inputs that are secret themselves. */
  secretOutputs: readonly string[];
}

const str: SchemaType = { type: "string" };
const bool: SchemaType = { type: "boolean" };

/** The identity every Twilio resource reports. */
const TWILIO_IDENTITY: Record<string, ComputedOutput> = {
  sid: { type: str, doc: "The SID, which is also the id." },
  accountSid: { type: str, doc: "The account the resource belongs to." },
};
const TWILIO_DATES: Record<string, ComputedOutput> = {
  dateCreated: { type: str, doc: "When Twilio created it (RFC 2822)." },
  dateUpdated: { type: str, doc: "When Twilio last changed it (RFC 2822)." },
};

function entry(vendor: string, resource: string, docMarker: string, outputs: Record<string, ComputedOutput>, secretOutputs: readonly string[] = []): CatalogEntry {
  return {
    runtime: `${vendor}:${resource}`,
    token: `siptrunks:${vendor}:${resource}`,
    dynamicType: `pulumi-nodejs:dynamic/${vendor}:${resource}`,
    docMarker,
    outputs,
    // The snapshot of applied inputs holds every input, secret ones included.
    secretOutputs: [...secretOutputs, APPLIED_INPUTS_KEY],
  };
}

export const CATALOG: readonly CatalogEntry[] = [
  entry(
    "didww",
    "OutboundTrunk",
    "didww-inputs",
    {
      thresholdReached: { type: bool, doc: "The 24-hour spending threshold was reached." },
      createdAt: { type: str, doc: "When DIDWW created the trunk." },
      spentAmount: { type: str, doc: "Amount spent in the current 24-hour window (decimal string)." },
      username: { type: str, doc: "SIP digest username (credentials_and_ip).", secret: true },
      password: { type: str, doc: "SIP digest password (credentials_and_ip).", secret: true },
    },
    ["username", "password"],
  ),
  entry(
    "twilio",
    "Trunk",
    "twilio-trunk-inputs",
    {
      ...TWILIO_IDENTITY,
      authType: { type: str, doc: "`IP_ACL` and/or `CREDENTIAL_LIST`, from the attached lists; empty when none." },
      authTypeSet: { type: { type: "array", items: str }, doc: "The same as a list." },
      symmetricRtpEnabled: { type: bool, doc: "Symmetric RTP, as Twilio reports it." },
      ...TWILIO_DATES,
      url: { type: str, doc: "The trunk's API URL." },
    },
  ),
  entry("twilio", "OriginationUrl", "twilio-origination-url-inputs", { ...TWILIO_IDENTITY, ...TWILIO_DATES, url: { type: str, doc: "The origination URL's API URL." } }),
  // The credentials output holds usernames and password hashes only; stored encrypted all the same.
  entry("twilio", "SipCredentialList", "twilio-credential-list-inputs", { ...TWILIO_IDENTITY, ...TWILIO_DATES }, ["credentials"]),
  entry("twilio", "SipIpAccessControlList", "twilio-ip-acl-inputs", { ...TWILIO_IDENTITY, ...TWILIO_DATES }),
  entry(
    "bolna",
    "SipTrunk",
    "bolna-sip-trunk-inputs",
    {
      authPasswordHash: { type: str, doc: "Salted hash of the SIP password last applied (the password itself is write-only).", secret: true },
      createdAt: { type: str, doc: "When Bolna created the trunk." },
      updatedAt: { type: str, doc: "When Bolna last changed the trunk." },
    },
    ["authPasswordHash"],
  ),
];

/** The catalog entry of a runtime name, plugin token or dynamic type token. */
export function catalogEntry(name: string): CatalogEntry | undefined {
  return CATALOG.find((e) => e.runtime === name || e.token === name || e.dynamicType === name);
}

/** One provider setting: its stack-config key in dynamic mode, its key in plugin mode, its environment variable. */
export interface SettingSpec {
  /** Dynamic mode's stack-config key, e.g. `didww:apiKey` (what the clients ask for). */
  key: string;
  /** The plugin's config key, e.g. `didwwApiKey` (`siptrunks:didwwApiKey`, or a `siptrunks.Provider` argument). */
  plugin: string;
  env: string;
  type: "string" | "number";
  secret?: true;
  doc: string;
}

function settings(vendor: string, rows: [name: string, env: string, type: "string" | "number", doc: string, secret?: true][]): SettingSpec[] {
  return rows.map(([name, env, type, doc, secret]) => ({
    key: `${vendor}:${name}`,
    plugin: `${vendor}${name[0].toUpperCase()}${name.slice(1)}`,
    env,
    type,
    doc,
    ...(secret ? { secret } : {}),
  }));
}

export const SETTINGS: readonly SettingSpec[] = [
  ...settings("didww", [
    ["apiKey", "DIDWW_API_KEY", "string", "DIDWW API key.", true],
    ["apiUrl", "DIDWW_API_URL", "string", "DIDWW API base URL (default: production, https://api.didww.com/v3)."],
    ["requestsPerSecond", "DIDWW_REQUESTS_PER_SECOND", "number", "Requests per second sent to DIDWW (default 20)."],
    ["requestTimeout", "DIDWW_REQUEST_TIMEOUT", "number", "Seconds a DIDWW request may take, retries included (default 60)."],
  ]),
  ...settings("twilio", [
    ["accountSid", "TWILIO_ACCOUNT_SID", "string", "Twilio account SID (AC…)."],
    ["authToken", "TWILIO_AUTH_TOKEN", "string", "Twilio auth token (or use apiKey and apiSecret).", true],
    ["apiKey", "TWILIO_API_KEY", "string", "Twilio API key SID (SK…), with apiSecret."],
    ["apiSecret", "TWILIO_API_SECRET", "string", "Twilio API key secret.", true],
    ["trunkingUrl", "TWILIO_TRUNKING_URL", "string", "Twilio Trunking API base URL (default https://trunking.twilio.com)."],
    ["apiUrl", "TWILIO_API_URL", "string", "Twilio REST API base URL (default https://api.twilio.com)."],
    ["maxConcurrency", "TWILIO_MAX_CONCURRENCY", "number", "Twilio requests in flight at once (default 10)."],
    ["requestTimeout", "TWILIO_REQUEST_TIMEOUT", "number", "Seconds a Twilio request may take, retries included (default 60)."],
  ]),
  ...settings("bolna", [
    ["apiKey", "BOLNA_API_KEY", "string", "Bolna API key.", true],
    ["apiUrl", "BOLNA_API_URL", "string", "Bolna API base URL (default https://api.bolna.ai)."],
    ["requestTimeout", "BOLNA_REQUEST_TIMEOUT", "number", "Seconds a Bolna request may take, retries included (default 60)."],
  ]),
];
