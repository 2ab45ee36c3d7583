/**
 * Twilio as a {@link Vendor} of the shared server: Elastic SIP Trunking v1 under
 * `/twilio-trunking` (for `https://trunking.twilio.com`) and API v2010 under `/twilio-api` (for
 * `https://api.twilio.com`), so a client appends exactly the real paths to the two base URLs.
 * Around every handler: HTTP Basic authentication (account SID + auth token, or API key SID +
 * secret), the account of a v2010 path checked against the caller's, the per-account limit on
 * concurrent requests, and Twilio's `{code, message, more_info, status}` envelope for every error.
 */
import type { EmulatorReply, EmulatorRequest, ErrorKind, Vendor } from "../server";
import { twilioAdminRoutes } from "./admin";
import {
  API_PREFIX,
  CREDENTIALS,
  CREDENTIAL_LISTS,
  CREDENTIAL_LIST_LINKS,
  IP_ACCESS_CONTROL_LISTS,
  IP_ACCESS_CONTROL_LIST_LINKS,
  IP_ADDRESSES,
  TRUNKING_PREFIX,
  V1,
  V2010,
  createLink,
  createOriginationUrl,
  createTrunk,
  createTrunkPhoneNumber,
  deleteLink,
  deleteOriginationUrl,
  deleteTrunk,
  deleteTrunkPhoneNumber,
  errorReply,
  fetchIncomingPhoneNumber,
  fetchLink,
  fetchOriginationUrl,
  fetchRecording,
  fetchTrunk,
  fetchTrunkPhoneNumber,
  listIncomingPhoneNumbers,
  listLinks,
  listOriginationUrls,
  listTrunkPhoneNumbers,
  listTrunks,
  notFoundReply,
  sipCreate,
  sipDelete,
  sipFetch,
  sipList,
  sipUpdate,
  updateOriginationUrl,
  updateRecording,
  updateTrunk,
  type SipKind,
  type TwilioApi,
} from "./handlers";
import { AUTHENTICATE, BAD_GATEWAY, INTERNAL_SERVER_ERROR, SERVICE_UNAVAILABLE, TOO_MANY_REQUESTS, entityTooLarge, twilioError } from "./messages";
import type { TwilioAccount } from "./model";
import type { TwilioStore } from "./store";

export interface TwilioVendorOptions {
  store: TwilioStore;
  /** The accounts that exist; requests authenticate as one of them. */
  accounts: readonly TwilioAccount[];
  /** Requests of one account in flight at once; beyond it 429 / 20429. Absent: no limit. */
  maxConcurrency?: number;
}

type Handler = (api: TwilioApi, req: EmulatorRequest) => EmulatorReply | Promise<EmulatorReply>;

const sipRoutes = (kind: SipKind, collection: string, item: string): Array<[string, string, Handler]> => [
  ["GET", `${collection}.json`, sipList(kind)],
  ["POST", `${collection}.json`, sipCreate(kind)],
  ["GET", `${item}.json`, sipFetch(kind)],
  ["POST", `${item}.json`, sipUpdate(kind)],
  ["DELETE", `${item}.json`, sipDelete(kind)],
];

/** [method, path, handler]: every route of both hosts. */
const ROUTES: ReadonlyArray<[string, string, Handler]> = [
  ["GET", `${V1}/Trunks`, listTrunks],
  ["POST", `${V1}/Trunks`, createTrunk],
  ["GET", `${V1}/Trunks/:trunk`, fetchTrunk],
  ["POST", `${V1}/Trunks/:trunk`, updateTrunk],
  ["DELETE", `${V1}/Trunks/:trunk`, deleteTrunk],
  ["GET", `${V1}/Trunks/:trunk/Recording`, fetchRecording],
  ["POST", `${V1}/Trunks/:trunk/Recording`, updateRecording],
  ["GET", `${V1}/Trunks/:trunk/OriginationUrls`, listOriginationUrls],
  ["POST", `${V1}/Trunks/:trunk/OriginationUrls`, createOriginationUrl],
  ["GET", `${V1}/Trunks/:trunk/OriginationUrls/:sid`, fetchOriginationUrl],
  ["POST", `${V1}/Trunks/:trunk/OriginationUrls/:sid`, updateOriginationUrl],
  ["DELETE", `${V1}/Trunks/:trunk/OriginationUrls/:sid`, deleteOriginationUrl],
  ...[CREDENTIAL_LIST_LINKS, IP_ACCESS_CONTROL_LIST_LINKS].flatMap((kind): Array<[string, string, Handler]> => [
    ["GET", `${V1}/Trunks/:trunk/${kind.segment}`, listLinks(kind)],
    ["POST", `${V1}/Trunks/:trunk/${kind.segment}`, createLink(kind)],
    ["GET", `${V1}/Trunks/:trunk/${kind.segment}/:sid`, fetchLink(kind)],
    ["DELETE", `${V1}/Trunks/:trunk/${kind.segment}/:sid`, deleteLink(kind)],
  ]),
  ["GET", `${V1}/Trunks/:trunk/PhoneNumbers`, listTrunkPhoneNumbers],
  ["POST", `${V1}/Trunks/:trunk/PhoneNumbers`, createTrunkPhoneNumber],
  ["GET", `${V1}/Trunks/:trunk/PhoneNumbers/:sid`, fetchTrunkPhoneNumber],
  ["DELETE", `${V1}/Trunks/:trunk/PhoneNumbers/:sid`, deleteTrunkPhoneNumber],

  ...sipRoutes(CREDENTIAL_LISTS, `${V2010}/SIP/CredentialLists`, `${V2010}/SIP/CredentialLists/:sid`),
  ...sipRoutes(CREDENTIALS, `${V2010}/SIP/CredentialLists/:list/Credentials`, `${V2010}/SIP/CredentialLists/:list/Credentials/:sid`),
  ...sipRoutes(IP_ACCESS_CONTROL_LISTS, `${V2010}/SIP/IpAccessControlLists`, `${V2010}/SIP/IpAccessControlLists/:sid`),
  ...sipRoutes(IP_ADDRESSES, `${V2010}/SIP/IpAccessControlLists/:list/IpAddresses`, `${V2010}/SIP/IpAccessControlLists/:list/IpAddresses/:sid`),
  ["GET", `${V2010}/IncomingPhoneNumbers.json`, listIncomingPhoneNumbers],
  ["GET", `${V2010}/IncomingPhoneNumbers/:sid.json`, fetchIncomingPhoneNumber],
  // The trunking API's `links.phone_number` has no `.json`; real Twilio answers XML there, the emulator JSON.
  ["GET", `${V2010}/IncomingPhoneNumbers/:sid`, fetchIncomingPhoneNumber],
];

function header(req: EmulatorRequest, name: string): string | undefined {
  const v = req.headers[name];
  return Array.isArray(v) ? v.join(", ") : v;
}

/** `Authorization: Basic base64(user:password)`, or undefined. */
export function basicCredentials(req: EmulatorRequest): { user: string; password: string } | undefined {
  const m = /^Basic\s+([A-Za-z0-9+/=_-]+)\s*$/i.exec(header(req, "authorization") ?? "");
  if (!m) return undefined;
  const text = Buffer.from(m[1], "base64").toString("utf8");
  const colon = text.indexOf(":");
  if (colon < 0) return undefined;
  return { user: text.slice(0, colon), password: text.slice(colon + 1) };
}

const ACCOUNT_IN_PATH = new RegExp(`^${API_PREFIX}/2010-04-01/Accounts/([^/]+?)(?:\\.json)?(?:/|$)`);

const unauthorized = (): EmulatorReply => ({ ...errorReply(AUTHENTICATE), headers: { "www-authenticate": 'Basic realm="Twilio API"' } });

/** Which account the credentials reach; then a v2010 path must name that account. */
function authenticate(opts: TwilioVendorOptions, accounts: WeakMap<EmulatorRequest, TwilioAccount>, req: EmulatorRequest): { key: string } | { reply: EmulatorReply } {
  const creds = basicCredentials(req);
  const account =
    creds &&
    opts.accounts.find(
      (a) => (a.accountSid === creds.user && a.authToken === creds.password) || (a.apiKeys ?? []).some((k) => k.sid === creds.user && k.secret === creds.password),
    );
  if (!account) return { reply: unauthorized() };
  const inPath = ACCOUNT_IN_PATH.exec(req.path);
  if (inPath && inPath[1] !== account.accountSid) return { reply: unauthorized() };
  accounts.set(req, account);
  return { key: account.accountSid };
}

function vendorErrorReply(kind: ErrorKind, status: number, req: EmulatorRequest, detail?: string): EmulatorReply {
  switch (kind) {
    case "rateLimited":
      return errorReply(TOO_MANY_REQUESTS);
    case "notFound":
      return notFoundReply(req);
    case "internal":
      return errorReply(INTERNAL_SERVER_ERROR);
    case "badRequest":
      return errorReply(status === 413 ? entityTooLarge(detail ?? "Request Entity Too Large") : twilioError(status, 20000 + status, detail ?? "Bad Request"));
    case "injected":
      if (status === 429) return errorReply(TOO_MANY_REQUESTS);
      if (status === 502) return errorReply(BAD_GATEWAY);
      if (status === 503) return errorReply(SERVICE_UNAVAILABLE);
      return errorReply({ ...INTERNAL_SERVER_ERROR, status });
  }
}

export function createTwilioVendor(opts: TwilioVendorOptions): Vendor {
  const accounts = new WeakMap<EmulatorRequest, TwilioAccount>();
  const api: TwilioApi = {
    store: opts.store,
    accountOf(req) {
      const account = accounts.get(req);
      if (!account) throw new Error("twilio handler reached without an authenticated account");
      return account;
    },
  };
  return {
    name: "twilio",
    prefix: TRUNKING_PREFIX,
    prefixes: [API_PREFIX],
    ...(opts.maxConcurrency !== undefined ? { maxConcurrency: opts.maxConcurrency } : {}),
    routes: ROUTES.map(([method, path, handler]) => ({ method, path, handler: (req: EmulatorRequest) => handler(api, req) })),
    adminRoutes: twilioAdminRoutes(opts.store),
    authenticate: (req) => authenticate(opts, accounts, req),
    errorReply: vendorErrorReply,
    reset: () => opts.store.reset(),
  };
}
