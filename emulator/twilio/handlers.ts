/**
 * Twilio's request handlers: `(api, req) → reply`, one per route. Each reads and changes the store
 * without yielding and awaits durability only before answering, so concurrent requests never
 * interleave a read-modify-write and no write is acknowledged before it is on disk.
 *
 * Every record is scoped to the authenticated account: another account's SID answers 404, as if
 * it did not exist.
 */
import type { EmulatorReply, EmulatorRequest } from "../server";
import { parseForm } from "../form";
import { parsePageRequest, selectPage, type PageRequest } from "../paging";
import {
  CREDENTIAL_LIST_WRITES,
  CREDENTIAL_WRITES,
  IP_ACCESS_CONTROL_LIST_WRITES,
  IP_ADDRESS_WRITES,
  LIMITS,
  ORIGINATION_URL_WRITES,
  RECORDING_WRITES,
  TRUNK_CREDENTIAL_LIST_WRITES,
  TRUNK_IP_ACCESS_CONTROL_LIST_WRITES,
  TRUNK_PHONE_NUMBER_WRITES,
  TRUNK_WRITES,
  type ResourceWrites,
} from "./fields";
import { CODES, INTERNAL_SERVER_ERROR, MSG, notFound, twilioError, type TwilioError } from "./messages";
import {
  DEFAULT_MAX_TRUNKS,
  type CredentialListRecord,
  type CredentialRecord,
  type IpAccessControlListRecord,
  type IpAddressRecord,
  type OriginationUrlRecord,
  type PhoneNumberRecord,
  type TrunkLinkRecord,
  type TrunkRecord,
  type TwilioAccount,
} from "./model";
import {
  serializeCredential,
  serializeCredentialList,
  serializeIncomingPhoneNumber,
  serializeIpAccessControlList,
  serializeIpAddress,
  serializeOriginationUrl,
  serializeRecording,
  serializeTrunk,
  serializeTrunkCredentialList,
  serializeTrunkIpAccessControlList,
  serializeTrunkPhoneNumber,
  v1Page,
  v2010Page,
  type Hosts,
} from "./serialize";
import { isSid, newSid, type SidPrefix } from "./sids";
import { linkKey, type TwilioStore } from "./store";
import { readWrite, type Outcome } from "./validate";

/** Stands for `https://trunking.twilio.com`: the trunking API is served under it (`/twilio-trunking/v1/Trunks`). */
export const TRUNKING_PREFIX = "/twilio-trunking";
/** Stands for `https://api.twilio.com`: API v2010 is served under it (`/twilio-api/2010-04-01/Accounts/…`). */
export const API_PREFIX = "/twilio-api";

export const V1 = `${TRUNKING_PREFIX}/v1`;
export const V2010 = `${API_PREFIX}/2010-04-01/Accounts/:account`;

/** What the handlers need: the state and the account the request authenticated as. */
export interface TwilioApi {
  store: TwilioStore;
  /** The account of an authenticated request (set by the vendor's `authenticate`). */
  accountOf(req: EmulatorRequest): TwilioAccount;
}

const PAGING = { defaultPageSize: 50, maxPageSize: 1000 };

export const json = (status: number, body?: unknown): EmulatorReply => ({ status, body, ...(body === undefined ? {} : { contentType: "application/json; charset=utf-8" }) });
export const errorReply = (e: TwilioError): EmulatorReply => json(e.status, e);

/** The path a real client would have sent (the emulated host's prefix taken off). */
export function realPath(path: string): string {
  if (path.startsWith(TRUNKING_PREFIX)) return path.slice(TRUNKING_PREFIX.length) || "/";
  if (path.startsWith(API_PREFIX)) return path.slice(API_PREFIX.length) || "/";
  return path;
}

/** Twilio's 404 for this request: v2010 paths in full, v1 paths without `/v1` (as recorded). */
export function notFoundReply(req: EmulatorRequest): EmulatorReply {
  const p = realPath(req.path);
  return errorReply(notFound(p.startsWith("/v1/") ? p.slice(3) : p));
}

const hosts = (req: EmulatorRequest): Hosts => ({ trunking: `${req.baseUrl}${TRUNKING_PREFIX}`, api: `${req.baseUrl}${API_PREFIX}` });

/** Awaits durability; a failed write is a 500 (the change was never acknowledged). */
async function committed(api: TwilioApi, reply: () => EmulatorReply): Promise<EmulatorReply> {
  try {
    await api.store.commit();
  } catch {
    return errorReply(INTERNAL_SERVER_ERROR);
  }
  return reply();
}

const now = () => new Date().toISOString();

/** A record of the caller's account by the SID in a path parameter, or the 404. */
function owned<T extends { sid: string; account_sid: string }>(
  api: TwilioApi,
  req: EmulatorRequest,
  prefix: SidPrefix,
  param: string,
  lookup: (sid: string) => T | undefined,
): { record: T } | { reply: EmulatorReply } {
  const sid = req.params[param];
  const record = isSid(prefix, sid) ? lookup(sid) : undefined;
  if (!record || record.account_sid !== api.accountOf(req).accountSid) return { reply: notFoundReply(req) };
  return { record };
}

const trunkOf = (api: TwilioApi, req: EmulatorRequest) => owned(api, req, "TK", "trunk", (sid) => api.store._get("trunks", sid));

function write(spec: ResourceWrites, req: EmulatorRequest, mode: "create" | "update"): Outcome<Record<string, unknown>> {
  return readWrite(spec, parseForm(req), mode);
}

function pageRequest(req: EmulatorRequest): { reply: EmulatorReply } | { value: PageRequest } {
  const parsed = parsePageRequest(req.url.searchParams, PAGING);
  if (!parsed.ok) return { reply: errorReply(twilioError(400, CODES.invalidParameter, parsed.message)) };
  return { value: parsed.value };
}

/** One page of `records`, in the v1 envelope. */
function v1List<T extends { sid: string }>(req: EmulatorRequest, key: string, path: string, records: T[], serialize: (r: T) => Record<string, unknown>): EmulatorReply {
  const pr = pageRequest(req);
  if ("reply" in pr) return pr.reply;
  const page = selectPage(records, pr.value, (r) => r.sid);
  return json(200, v1Page({ key, address: `${hosts(req).trunking}${path}`, req: pr.value, page, filters: [], serialize }));
}

/** One page of `records`, in the v2010 envelope; `filters` are carried into the page links. */
function v2010List<T extends { sid: string }>(
  req: EmulatorRequest,
  key: string,
  path: string,
  records: T[],
  serialize: (r: T) => Record<string, unknown>,
  filters: ReadonlyArray<[string, string]> = [],
): EmulatorReply {
  const pr = pageRequest(req);
  if ("reply" in pr) return pr.reply;
  const page = selectPage(records, pr.value, (r) => r.sid);
  return json(200, v2010Page({ key, address: path, req: pr.value, page, filters, serialize }));
}

// -----------------------------------------------------------------------------------------------
// Trunks
// -----------------------------------------------------------------------------------------------

const domainTaken = (api: TwilioApi, domain: string, except?: string) => [...api.store._trunkSidsByDomain(domain)].some((sid) => sid !== except);

export function listTrunks(api: TwilioApi, req: EmulatorRequest): EmulatorReply {
  const account = api.accountOf(req).accountSid;
  const trunks = api.store._all("trunks").filter((t) => t.account_sid === account);
  return v1List(req, "trunks", "/v1/Trunks", trunks, (t) => serializeTrunk(t, hosts(req), api.store));
}

export async function createTrunk(api: TwilioApi, req: EmulatorRequest): Promise<EmulatorReply> {
  const account = api.accountOf(req);
  const w = write(TRUNK_WRITES, req, "create");
  if (!w.ok) return errorReply(w.error);
  const domain = w.value.domain_name as string | null;
  if (domain && domainTaken(api, domain)) return errorReply(twilioError(400, CODES.trunkDomainTaken, MSG.domainTaken(domain)));
  const max = account.maxTrunks ?? DEFAULT_MAX_TRUNKS;
  if (api.store._trunkCount(account.accountSid) >= max) {
    return errorReply(twilioError(400, CODES.maxTrunks, MSG.maxTrunks(max)));
  }
  const at = now();
  const trunk = {
    sid: newSid("TK"),
    account_sid: account.accountSid,
    ...w.value,
    symmetric_rtp_enabled: false,
    recording: { mode: "do-not-record", trim: "do-not-trim" },
    date_created: at,
    date_updated: at,
  } as TrunkRecord;
  api.store._save("trunks", trunk);
  return committed(api, () => json(201, serializeTrunk(trunk, hosts(req), api.store)));
}

export function fetchTrunk(api: TwilioApi, req: EmulatorRequest): EmulatorReply {
  const found = trunkOf(api, req);
  if ("reply" in found) return found.reply;
  return json(200, serializeTrunk(found.record, hosts(req), api.store));
}

export async function updateTrunk(api: TwilioApi, req: EmulatorRequest): Promise<EmulatorReply> {
  const found = trunkOf(api, req);
  if ("reply" in found) return found.reply;
  const w = write(TRUNK_WRITES, req, "update");
  if (!w.ok) return errorReply(w.error);
  const domain = w.value.domain_name as string | null | undefined;
  if (domain && domainTaken(api, domain, found.record.sid)) return errorReply(twilioError(400, CODES.trunkDomainTaken, MSG.domainTaken(domain)));
  const trunk = { ...found.record, ...w.value, date_updated: now() } as TrunkRecord;
  api.store._save("trunks", trunk);
  return committed(api, () => json(200, serializeTrunk(trunk, hosts(req), api.store)));
}

export async function deleteTrunk(api: TwilioApi, req: EmulatorRequest): Promise<EmulatorReply> {
  const found = trunkOf(api, req);
  if ("reply" in found) return found.reply;
  api.store._delete(found.record.sid);
  return committed(api, () => json(204));
}

export function fetchRecording(api: TwilioApi, req: EmulatorRequest): EmulatorReply {
  const found = trunkOf(api, req);
  if ("reply" in found) return found.reply;
  return json(200, serializeRecording(found.record));
}

export async function updateRecording(api: TwilioApi, req: EmulatorRequest): Promise<EmulatorReply> {
  const found = trunkOf(api, req);
  if ("reply" in found) return found.reply;
  const w = write(RECORDING_WRITES, req, "update");
  if (!w.ok) return errorReply(w.error);
  const trunk: TrunkRecord = { ...found.record, recording: { ...found.record.recording, ...(w.value as object) }, date_updated: now() };
  api.store._save("trunks", trunk);
  return committed(api, () => json(200, serializeRecording(trunk)));
}

// -----------------------------------------------------------------------------------------------
// Origination URLs
// -----------------------------------------------------------------------------------------------

function originationUrlOf(api: TwilioApi, req: EmulatorRequest): { trunk: TrunkRecord; record: OriginationUrlRecord } | { reply: EmulatorReply } {
  const t = trunkOf(api, req);
  if ("reply" in t) return t;
  const o = owned(api, req, "OU", "sid", (sid) => api.store._get("origination_urls", sid));
  if ("reply" in o || o.record.trunk_sid !== t.record.sid) return { reply: notFoundReply(req) };
  return { trunk: t.record, record: o.record };
}

export function listOriginationUrls(api: TwilioApi, req: EmulatorRequest): EmulatorReply {
  const t = trunkOf(api, req);
  if ("reply" in t) return t.reply;
  const urls = api.store._all("origination_urls").filter((o) => o.trunk_sid === t.record.sid);
  return v1List(req, "origination_urls", `/v1/Trunks/${t.record.sid}/OriginationUrls`, urls, (o) => serializeOriginationUrl(o, hosts(req)));
}

export async function createOriginationUrl(api: TwilioApi, req: EmulatorRequest): Promise<EmulatorReply> {
  const t = trunkOf(api, req);
  if ("reply" in t) return t.reply;
  const w = write(ORIGINATION_URL_WRITES, req, "create");
  if (!w.ok) return errorReply(w.error);
  const at = now();
  const record = { sid: newSid("OU"), account_sid: t.record.account_sid, trunk_sid: t.record.sid, ...w.value, date_created: at, date_updated: at } as OriginationUrlRecord;
  api.store._save("origination_urls", record);
  return committed(api, () => json(201, serializeOriginationUrl(record, hosts(req))));
}

export function fetchOriginationUrl(api: TwilioApi, req: EmulatorRequest): EmulatorReply {
  const found = originationUrlOf(api, req);
  if ("reply" in found) return found.reply;
  return json(200, serializeOriginationUrl(found.record, hosts(req)));
}

export async function updateOriginationUrl(api: TwilioApi, req: EmulatorRequest): Promise<EmulatorReply> {
  const found = originationUrlOf(api, req);
  if ("reply" in found) return found.reply;
  const w = write(ORIGINATION_URL_WRITES, req, "update");
  if (!w.ok) return errorReply(w.error);
  const record = { ...found.record, ...w.value, date_updated: now() } as OriginationUrlRecord;
  api.store._save("origination_urls", record);
  return committed(api, () => json(200, serializeOriginationUrl(record, hosts(req))));
}

export async function deleteOriginationUrl(api: TwilioApi, req: EmulatorRequest): Promise<EmulatorReply> {
  const found = originationUrlOf(api, req);
  if ("reply" in found) return found.reply;
  api.store._delete(found.record.sid);
  return committed(api, () => json(204));
}

// -----------------------------------------------------------------------------------------------
// Trunk associations: credential lists and IP access control lists (the association's sid is the list's)
// -----------------------------------------------------------------------------------------------

export interface LinkKind {
  links: "trunk_credential_lists" | "trunk_ip_access_control_lists";
  lists: "credential_lists" | "ip_access_control_lists";
  prefix: SidPrefix;
  key: string;
  segment: string;
  writes: ResourceWrites;
  form: string;
  serialize(link: TrunkLinkRecord, list: CredentialListRecord | IpAccessControlListRecord | undefined, hosts: Hosts): Record<string, unknown>;
}

export const CREDENTIAL_LIST_LINKS: LinkKind = {
  links: "trunk_credential_lists",
  lists: "credential_lists",
  prefix: "CL",
  key: "credential_lists",
  segment: "CredentialLists",
  writes: TRUNK_CREDENTIAL_LIST_WRITES,
  form: "CredentialListSid",
  serialize: serializeTrunkCredentialList,
};

export const IP_ACCESS_CONTROL_LIST_LINKS: LinkKind = {
  links: "trunk_ip_access_control_lists",
  lists: "ip_access_control_lists",
  prefix: "AL",
  key: "ip_access_control_lists",
  segment: "IpAccessControlLists",
  writes: TRUNK_IP_ACCESS_CONTROL_LIST_WRITES,
  form: "IpAccessControlListSid",
  serialize: serializeTrunkIpAccessControlList,
};

const serializeLink = (api: TwilioApi, kind: LinkKind, req: EmulatorRequest) => (l: TrunkLinkRecord) => kind.serialize(l, api.store._get(kind.lists, l.sid), hosts(req));

export function listLinks(kind: LinkKind) {
  return (api: TwilioApi, req: EmulatorRequest): EmulatorReply => {
    const t = trunkOf(api, req);
    if ("reply" in t) return t.reply;
    const links = api.store._all(kind.links).filter((l) => l.trunk_sid === t.record.sid);
    return v1List(req, kind.key, `/v1/Trunks/${t.record.sid}/${kind.segment}`, links, serializeLink(api, kind, req));
  };
}

export function createLink(kind: LinkKind) {
  return async (api: TwilioApi, req: EmulatorRequest): Promise<EmulatorReply> => {
    const t = trunkOf(api, req);
    if ("reply" in t) return t.reply;
    const w = write(kind.writes, req, "create");
    if (!w.ok) return errorReply(w.error);
    const sid = w.value.sid as string;
    const list = api.store._get(kind.lists, sid);
    if (!list || list.account_sid !== t.record.account_sid) return errorReply(twilioError(400, kind.writes.code, MSG.unknownReference(kind.form, sid)));
    if (api.store._get(kind.links, linkKey(t.record.sid, sid))) return errorReply(twilioError(400, kind.writes.code, MSG.alreadyAssociated(sid, t.record.sid)));
    const at = now();
    const link: TrunkLinkRecord = { trunk_sid: t.record.sid, sid, account_sid: t.record.account_sid, date_created: at, date_updated: at };
    api.store._save(kind.links, link);
    return committed(api, () => json(201, serializeLink(api, kind, req)(link)));
  };
}

function linkOf(api: TwilioApi, kind: LinkKind, req: EmulatorRequest): { link: TrunkLinkRecord } | { reply: EmulatorReply } {
  const t = trunkOf(api, req);
  if ("reply" in t) return t;
  const link = isSid(kind.prefix, req.params.sid) ? api.store._get(kind.links, linkKey(t.record.sid, req.params.sid)) : undefined;
  return link ? { link } : { reply: notFoundReply(req) };
}

export function fetchLink(kind: LinkKind) {
  return (api: TwilioApi, req: EmulatorRequest): EmulatorReply => {
    const found = linkOf(api, kind, req);
    if ("reply" in found) return found.reply;
    return json(200, serializeLink(api, kind, req)(found.link));
  };
}

export function deleteLink(kind: LinkKind) {
  return async (api: TwilioApi, req: EmulatorRequest): Promise<EmulatorReply> => {
    const found = linkOf(api, kind, req);
    if ("reply" in found) return found.reply;
    api.store._dissociate(found.link.trunk_sid, found.link.sid);
    return committed(api, () => json(204));
  };
}

// -----------------------------------------------------------------------------------------------
// Trunk phone numbers (the number's own trunk_sid is the association: one trunk at most)
// -----------------------------------------------------------------------------------------------

export function listTrunkPhoneNumbers(api: TwilioApi, req: EmulatorRequest): EmulatorReply {
  const t = trunkOf(api, req);
  if ("reply" in t) return t.reply;
  const numbers = api.store._all("phone_numbers").filter((n) => n.trunk_sid === t.record.sid);
  return v1List(req, "phone_numbers", `/v1/Trunks/${t.record.sid}/PhoneNumbers`, numbers, (n) => serializeTrunkPhoneNumber(n, hosts(req)));
}

export async function createTrunkPhoneNumber(api: TwilioApi, req: EmulatorRequest): Promise<EmulatorReply> {
  const t = trunkOf(api, req);
  if ("reply" in t) return t.reply;
  const w = write(TRUNK_PHONE_NUMBER_WRITES, req, "create");
  if (!w.ok) return errorReply(w.error);
  const sid = w.value.sid as string;
  const code = TRUNK_PHONE_NUMBER_WRITES.code;
  const number = api.store._get("phone_numbers", sid);
  if (!number || number.account_sid !== t.record.account_sid) return errorReply(twilioError(400, code, MSG.unknownReference("PhoneNumberSid", sid)));
  if (number.trunk_sid === t.record.sid) return errorReply(twilioError(400, code, MSG.alreadyAssociated(sid, t.record.sid)));
  if (number.trunk_sid !== null) return errorReply(twilioError(400, code, MSG.numberOnOtherTrunk(sid, number.trunk_sid)));
  // Setting trunk_sid removes the voice application ([T] phone_number schema, [A] TrunkSid param).
  const updated: PhoneNumberRecord = { ...number, trunk_sid: t.record.sid, voice_application_sid: "", date_updated: now() };
  api.store._save("phone_numbers", updated);
  return committed(api, () => json(201, serializeTrunkPhoneNumber(updated, hosts(req))));
}

function trunkPhoneNumberOf(api: TwilioApi, req: EmulatorRequest): { number: PhoneNumberRecord } | { reply: EmulatorReply } {
  const t = trunkOf(api, req);
  if ("reply" in t) return t;
  const n = isSid("PN", req.params.sid) ? api.store._get("phone_numbers", req.params.sid) : undefined;
  return n && n.trunk_sid === t.record.sid ? { number: n } : { reply: notFoundReply(req) };
}

export function fetchTrunkPhoneNumber(api: TwilioApi, req: EmulatorRequest): EmulatorReply {
  const found = trunkPhoneNumberOf(api, req);
  if ("reply" in found) return found.reply;
  return json(200, serializeTrunkPhoneNumber(found.number, hosts(req)));
}

export async function deleteTrunkPhoneNumber(api: TwilioApi, req: EmulatorRequest): Promise<EmulatorReply> {
  const found = trunkPhoneNumberOf(api, req);
  if ("reply" in found) return found.reply;
  api.store._dissociate(found.number.trunk_sid!, found.number.sid);
  return committed(api, () => json(204));
}

// -----------------------------------------------------------------------------------------------
// API v2010: SIP credential lists, credentials, IP access control lists, IP addresses
// -----------------------------------------------------------------------------------------------

type SipCollection = "credential_lists" | "credentials" | "ip_access_control_lists" | "ip_addresses";
type SipRecord = CredentialListRecord | CredentialRecord | IpAccessControlListRecord | IpAddressRecord;

/** One v2010 SIP resource as data: where it lives, what writes it takes, its rules. */
export interface SipKind {
  collection: SipCollection;
  prefix: SidPrefix;
  key: string;
  writes: ResourceWrites;
  /** The list a credential or IP address belongs to (path parameter `:list`). */
  parent?: { collection: "credential_lists" | "ip_access_control_lists"; prefix: SidPrefix; member: "credential_list_sid" | "ip_access_control_list_sid" };
  /** The list's path (no `.json`) for an account and, for entries, the parent list. */
  path(accountSid: string, parentSid?: string): string;
  serialize(r: SipRecord): Record<string, unknown>;
  /** How many the account (or the parent list) may hold. */
  limit: { max: number; code: number; message: (max: number) => string };
  /** A further check on a create or update; the 400, or undefined. */
  check?(api: TwilioApi, accountSid: string, values: Record<string, unknown>, existing?: SipRecord, parentSid?: string): TwilioError | undefined;
  /** Why a delete is refused, or undefined. */
  refuseDelete?(api: TwilioApi, record: SipRecord): TwilioError | undefined;
}

const sip = (accountSid: string) => `/2010-04-01/Accounts/${accountSid}/SIP`;

/** A list a trunk uses cannot be deleted (the catalog's "Dependencies Violation" codes). */
const inUse = (links: "trunk_credential_lists" | "trunk_ip_access_control_lists", code: number) => (api: TwilioApi, record: SipRecord) => {
  const trunks = api.store._all(links).filter((l) => l.sid === record.sid).map((l) => l.trunk_sid);
  return trunks.length > 0 ? twilioError(400, code, MSG.listInUse(record.sid, trunks)) : undefined;
};

export const CREDENTIAL_LISTS: SipKind = {
  collection: "credential_lists",
  prefix: "CL",
  key: "credential_lists",
  writes: CREDENTIAL_LIST_WRITES,
  path: (account) => `${sip(account)}/CredentialLists`,
  serialize: (r) => serializeCredentialList(r as CredentialListRecord),
  limit: { max: LIMITS.credentialListsPerAccount, code: CODES.maxCredentialLists, message: MSG.maxCredentialLists },
  check(api, account, values, existing) {
    // [D] error 21240: "a list with the same FriendlyName exists".
    const name = values.friendly_name as string | undefined;
    if (name === undefined) return undefined;
    const clash = api.store._all("credential_lists").some((l) => l.account_sid === account && l.sid !== existing?.sid && l.friendly_name === name);
    return clash ? twilioError(400, CODES.credentialListValidation, MSG.friendlyNameTaken(name)) : undefined;
  },
  refuseDelete: inUse("trunk_credential_lists", CODES.credentialListDependencies),
};

export const CREDENTIALS: SipKind = {
  collection: "credentials",
  prefix: "CR",
  key: "credentials",
  writes: CREDENTIAL_WRITES,
  parent: { collection: "credential_lists", prefix: "CL", member: "credential_list_sid" },
  path: (account, list) => `${sip(account)}/CredentialLists/${list}/Credentials`,
  serialize: (r) => serializeCredential(r as CredentialRecord),
  limit: { max: LIMITS.credentialsPerList, code: CODES.maxCredentials, message: MSG.maxCredentials },
  check(api, _account, values, existing, list) {
    const username = values.username as string | undefined;
    if (username === undefined) return undefined;
    const clash = api.store._all("credentials").some((c) => c.credential_list_sid === list && c.sid !== existing?.sid && c.username === username);
    return clash ? twilioError(400, CODES.credentialValidation, MSG.usernameTaken(username)) : undefined;
  },
};

export const IP_ACCESS_CONTROL_LISTS: SipKind = {
  collection: "ip_access_control_lists",
  prefix: "AL",
  key: "ip_access_control_lists",
  writes: IP_ACCESS_CONTROL_LIST_WRITES,
  path: (account) => `${sip(account)}/IpAccessControlLists`,
  serialize: (r) => serializeIpAccessControlList(r as IpAccessControlListRecord),
  limit: { max: LIMITS.ipAccessControlListsPerAccount, code: CODES.maxIpAccessControlLists, message: MSG.maxIpAccessControlLists },
  refuseDelete: inUse("trunk_ip_access_control_lists", CODES.ipAccessControlListDependencies),
};

export const IP_ADDRESSES: SipKind = {
  collection: "ip_addresses",
  prefix: "IP",
  key: "ip_addresses",
  writes: IP_ADDRESS_WRITES,
  parent: { collection: "ip_access_control_lists", prefix: "AL", member: "ip_access_control_list_sid" },
  path: (account, list) => `${sip(account)}/IpAccessControlLists/${list}/IpAddresses`,
  serialize: (r) => serializeIpAddress(r as IpAddressRecord),
  limit: { max: LIMITS.ipAddressesPerList, code: CODES.maxIpAddresses, message: MSG.maxIpAddresses },
};

/** The parent list of an entry route (`:list`), or the 404; `undefined` parent for top-level kinds. */
function parentOf(api: TwilioApi, kind: SipKind, req: EmulatorRequest): { parentSid?: string } | { reply: EmulatorReply } {
  if (!kind.parent) return {};
  const p = kind.parent;
  const found = owned(api, req, p.prefix, "list", (sid) => api.store._get(p.collection, sid));
  return "reply" in found ? found : { parentSid: found.record.sid };
}

function siblings(api: TwilioApi, kind: SipKind, account: string, parentSid?: string): SipRecord[] {
  return (api.store._all(kind.collection) as SipRecord[]).filter(
    (r) => r.account_sid === account && (!kind.parent || (r as unknown as Record<string, string>)[kind.parent.member] === parentSid),
  );
}

function sipRecordOf(api: TwilioApi, kind: SipKind, req: EmulatorRequest): { record: SipRecord; parentSid?: string } | { reply: EmulatorReply } {
  const parent = parentOf(api, kind, req);
  if ("reply" in parent) return parent;
  const found = owned(api, req, kind.prefix, "sid", (sid) => api.store._get(kind.collection, sid) as SipRecord | undefined);
  if ("reply" in found) return found;
  if (kind.parent && (found.record as unknown as Record<string, string>)[kind.parent.member] !== parent.parentSid) return { reply: notFoundReply(req) };
  return { record: found.record, parentSid: parent.parentSid };
}

export function sipList(kind: SipKind) {
  return (api: TwilioApi, req: EmulatorRequest): EmulatorReply => {
    const parent = parentOf(api, kind, req);
    if ("reply" in parent) return parent.reply;
    const account = api.accountOf(req).accountSid;
    return v2010List(req, kind.key, `${kind.path(account, parent.parentSid)}.json`, siblings(api, kind, account, parent.parentSid), kind.serialize);
  };
}

export function sipCreate(kind: SipKind) {
  return async (api: TwilioApi, req: EmulatorRequest): Promise<EmulatorReply> => {
    const parent = parentOf(api, kind, req);
    if ("reply" in parent) return parent.reply;
    const account = api.accountOf(req).accountSid;
    const w = write(kind.writes, req, "create");
    if (!w.ok) return errorReply(w.error);
    const refused = kind.check?.(api, account, w.value, undefined, parent.parentSid);
    if (refused) return errorReply(refused);
    if (siblings(api, kind, account, parent.parentSid).length >= kind.limit.max) return errorReply(twilioError(400, kind.limit.code, kind.limit.message(kind.limit.max)));
    const at = now();
    const record = {
      sid: newSid(kind.prefix),
      account_sid: account,
      ...(kind.parent ? { [kind.parent.member]: parent.parentSid } : {}),
      ...w.value,
      date_created: at,
      date_updated: at,
    } as unknown as SipRecord;
    api.store._save(kind.collection, record as never);
    return committed(api, () => json(201, kind.serialize(record)));
  };
}

export function sipFetch(kind: SipKind) {
  return (api: TwilioApi, req: EmulatorRequest): EmulatorReply => {
    const found = sipRecordOf(api, kind, req);
    if ("reply" in found) return found.reply;
    return json(200, kind.serialize(found.record));
  };
}

export function sipUpdate(kind: SipKind) {
  return async (api: TwilioApi, req: EmulatorRequest): Promise<EmulatorReply> => {
    const found = sipRecordOf(api, kind, req);
    if ("reply" in found) return found.reply;
    const w = write(kind.writes, req, "update");
    if (!w.ok) return errorReply(w.error);
    const refused = kind.check?.(api, found.record.account_sid, w.value, found.record, found.parentSid);
    if (refused) return errorReply(refused);
    const record = { ...found.record, ...w.value, date_updated: now() } as SipRecord;
    api.store._save(kind.collection, record as never);
    return committed(api, () => json(200, kind.serialize(record)));
  };
}

export function sipDelete(kind: SipKind) {
  return async (api: TwilioApi, req: EmulatorRequest): Promise<EmulatorReply> => {
    const found = sipRecordOf(api, kind, req);
    if ("reply" in found) return found.reply;
    const refused = kind.refuseDelete?.(api, found.record);
    if (refused) return errorReply(refused);
    api.store._delete(found.record.sid);
    return committed(api, () => json(204));
  };
}

// -----------------------------------------------------------------------------------------------
// API v2010: IncomingPhoneNumbers (read-only here; numbers come from the defaults, seeds and the store)
// -----------------------------------------------------------------------------------------------

/** Filters of the documented read, in the order Twilio's examples print them. */
const NUMBER_FILTERS = ["FriendlyName", "Beta", "PhoneNumber", "Origin"] as const;

/**
 * `PhoneNumber` matches as Twilio documents: a full or partial number, `*` for any one digit. A
 * `+` sent unencoded arrives as a space and is read as the `+` it was meant to be.
 */
export function phoneNumberPattern(text: string): RegExp {
  const cleaned = text.replace(/^\s+(?=\d)/, "+").replace(/[\s()-]/g, "");
  const source = [...cleaned].map((ch) => (ch === "*" ? "\\d" : ch.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"))).join("");
  return new RegExp(source);
}

export function listIncomingPhoneNumbers(api: TwilioApi, req: EmulatorRequest): EmulatorReply {
  const account = api.accountOf(req).accountSid;
  const q = req.url.searchParams;
  const filters: Array<[string, string]> = [];
  for (const name of NUMBER_FILTERS) {
    const v = q.get(name);
    if (v !== null) filters.push([name, name === "PhoneNumber" ? v.replace(/^\s+(?=\d)/, "+") : v]);
  }
  let numbers = api.store._all("phone_numbers").filter((n) => n.account_sid === account);
  const phone = q.get("PhoneNumber");
  if (phone !== null && phone.trim() !== "") {
    const pattern = phoneNumberPattern(phone);
    numbers = numbers.filter((n) => pattern.test(n.phone_number));
  }
  const friendly = q.get("FriendlyName");
  if (friendly !== null) numbers = numbers.filter((n) => n.friendly_name === friendly);
  return v2010List(req, "incoming_phone_numbers", `/2010-04-01/Accounts/${account}/IncomingPhoneNumbers.json`, numbers, serializeIncomingPhoneNumber, filters);
}

export function fetchIncomingPhoneNumber(api: TwilioApi, req: EmulatorRequest): EmulatorReply {
  const found = owned(api, req, "PN", "sid", (sid) => api.store._get("phone_numbers", sid));
  if ("reply" in found) return found.reply;
  return json(200, serializeIncomingPhoneNumber(found.record));
}

