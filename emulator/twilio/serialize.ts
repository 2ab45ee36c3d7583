/**
 * Twilio's JSON, in the shape of the recorded examples (shared/fixtures/twilio): member order as
 * recorded, v1 absolute `url`s and `links` on the emulated trunking host, v2010 relative `uri`s
 * (relative to the emulated api host, exactly the real paths), v1 dates in ISO 8601 seconds,
 * v2010 dates in RFC 2822, the two page envelopes. Passwords never appear.
 */
import type { Page, PageRequest } from "../paging";
import type {
  CredentialListRecord,
  CredentialRecord,
  IpAccessControlListRecord,
  IpAddressRecord,
  OriginationUrlRecord,
  PhoneNumberRecord,
  TrunkLinkRecord,
  TrunkRecord,
} from "./model";
import type { TwilioStore } from "./store";

/** The emulated hosts of one request. */
export interface Hosts {
  /** `http://127.0.0.1:<port>/twilio-trunking`: stands for `https://trunking.twilio.com`. */
  trunking: string;
  /** `http://127.0.0.1:<port>/twilio-api`: stands for `https://api.twilio.com`. */
  api: string;
}

/** `2015-01-02T11:23:45Z` (v1, as recorded: no fraction). */
export const isoSeconds = (date: string) => new Date(date).toISOString().replace(/\.\d{3}Z$/, "Z");

/** `Wed, 11 Sep 2013 17:51:38 +0000` (v2010, as recorded). */
export const rfc2822 = (date: string) => new Date(date).toUTCString().replace(/GMT$/, "+0000");

const trunkPath = (sid: string) => `/v1/Trunks/${sid}`;

/** `IP_ACL` and/or `CREDENTIAL_LIST`, from what is attached (the order is the emulator's). */
export function authTypes(store: TwilioStore, trunkSid: string): string[] {
  const links = store.trunkLinks(trunkSid);
  return [...(links.ip_access_control_lists.length > 0 ? ["IP_ACL"] : []), ...(links.credential_lists.length > 0 ? ["CREDENTIAL_LIST"] : [])];
}

export function serializeTrunk(t: TrunkRecord, hosts: Hosts, store: TwilioStore): Record<string, unknown> {
  const url = `${hosts.trunking}${trunkPath(t.sid)}`;
  const types = authTypes(store, t.sid);
  return {
    sid: t.sid,
    account_sid: t.account_sid,
    domain_name: t.domain_name,
    disaster_recovery_method: t.disaster_recovery_method,
    disaster_recovery_url: t.disaster_recovery_url,
    friendly_name: t.friendly_name,
    secure: t.secure,
    cnam_lookup_enabled: t.cnam_lookup_enabled,
    symmetric_rtp_enabled: t.symmetric_rtp_enabled,
    recording: serializeRecording(t),
    transfer_mode: t.transfer_mode,
    transfer_caller_id: t.transfer_caller_id,
    auth_type: types.join(","),
    auth_type_set: types,
    date_created: isoSeconds(t.date_created),
    date_updated: isoSeconds(t.date_updated),
    url,
    links: {
      origination_urls: `${url}/OriginationUrls`,
      credential_lists: `${url}/CredentialLists`,
      ip_access_control_lists: `${url}/IpAccessControlLists`,
      phone_numbers: `${url}/PhoneNumbers`,
    },
  };
}

export const serializeRecording = (t: TrunkRecord) => ({ mode: t.recording.mode, trim: t.recording.trim });

export function serializeOriginationUrl(o: OriginationUrlRecord, hosts: Hosts): Record<string, unknown> {
  return {
    weight: o.weight,
    date_updated: isoSeconds(o.date_updated),
    enabled: o.enabled,
    friendly_name: o.friendly_name,
    account_sid: o.account_sid,
    priority: o.priority,
    sip_url: o.sip_url,
    sid: o.sid,
    date_created: isoSeconds(o.date_created),
    trunk_sid: o.trunk_sid,
    url: `${hosts.trunking}${trunkPath(o.trunk_sid)}/OriginationUrls/${o.sid}`,
  };
}

/** A trunk's credential list: the list's SID and name, the association's dates. */
export function serializeTrunkCredentialList(l: TrunkLinkRecord, list: CredentialListRecord | undefined, hosts: Hosts): Record<string, unknown> {
  return {
    account_sid: l.account_sid,
    trunk_sid: l.trunk_sid,
    date_created: isoSeconds(l.date_created),
    date_updated: isoSeconds(l.date_updated),
    friendly_name: list?.friendly_name ?? null,
    sid: l.sid,
    url: `${hosts.trunking}${trunkPath(l.trunk_sid)}/CredentialLists/${l.sid}`,
  };
}

export function serializeTrunkIpAccessControlList(l: TrunkLinkRecord, list: IpAccessControlListRecord | undefined, hosts: Hosts): Record<string, unknown> {
  return {
    account_sid: l.account_sid,
    date_created: isoSeconds(l.date_created),
    date_updated: isoSeconds(l.date_updated),
    friendly_name: list?.friendly_name ?? null,
    sid: l.sid,
    trunk_sid: l.trunk_sid,
    url: `${hosts.trunking}${trunkPath(l.trunk_sid)}/IpAccessControlLists/${l.sid}`,
  };
}

const incomingPhoneNumberPath = (n: PhoneNumberRecord) => `/2010-04-01/Accounts/${n.account_sid}/IncomingPhoneNumbers/${n.sid}`;

/** A number on a trunk (v1): the IncomingPhoneNumber shape as the trunking examples record it (capabilities without fax). */
export function serializeTrunkPhoneNumber(n: PhoneNumberRecord, hosts: Hosts): Record<string, unknown> {
  return {
    sid: n.sid,
    date_created: isoSeconds(n.date_created),
    date_updated: isoSeconds(n.date_updated),
    friendly_name: n.friendly_name,
    account_sid: n.account_sid,
    phone_number: n.phone_number,
    api_version: n.api_version,
    voice_caller_id_lookup: n.voice_caller_id_lookup,
    voice_url: n.voice_url,
    voice_method: n.voice_method,
    voice_fallback_url: n.voice_fallback_url,
    voice_fallback_method: n.voice_fallback_method,
    status_callback: n.status_callback,
    status_callback_method: n.status_callback_method,
    voice_application_sid: n.voice_application_sid,
    trunk_sid: n.trunk_sid,
    sms_url: n.sms_url,
    sms_method: n.sms_method,
    sms_fallback_url: n.sms_fallback_url,
    sms_fallback_method: n.sms_fallback_method,
    sms_application_sid: n.sms_application_sid,
    address_requirements: n.address_requirements,
    beta: n.beta,
    url: `${hosts.trunking}${trunkPath(n.trunk_sid ?? "")}/PhoneNumbers/${n.sid}`,
    capabilities: { voice: n.capabilities.voice, sms: n.capabilities.sms, mms: n.capabilities.mms },
    links: { phone_number: `${hosts.api}${incomingPhoneNumberPath(n)}` },
  };
}

/**
 * An IncomingPhoneNumber (v2010), in the documented example's shape (twilio.com API reference;
 * no recorded exchange). Members the emulator does not model are the example's "nothing set"
 * values.
 */
export function serializeIncomingPhoneNumber(n: PhoneNumberRecord): Record<string, unknown> {
  return {
    account_sid: n.account_sid,
    address_requirements: n.address_requirements,
    address_sid: null,
    api_version: n.api_version,
    beta: n.beta,
    capabilities: { ...n.capabilities },
    date_created: rfc2822(n.date_created),
    date_updated: rfc2822(n.date_updated),
    emergency_status: "Inactive",
    emergency_address_sid: null,
    emergency_address_status: "unregistered",
    friendly_name: n.friendly_name,
    identity_sid: null,
    origin: "twilio",
    phone_number: n.phone_number,
    sid: n.sid,
    sms_application_sid: n.sms_application_sid,
    sms_fallback_method: n.sms_fallback_method,
    sms_fallback_url: n.sms_fallback_url,
    sms_method: n.sms_method,
    sms_url: n.sms_url,
    status_callback: n.status_callback,
    status_callback_method: n.status_callback_method,
    trunk_sid: n.trunk_sid,
    uri: `${incomingPhoneNumberPath(n)}.json`,
    voice_application_sid: n.voice_application_sid,
    voice_caller_id_lookup: n.voice_caller_id_lookup,
    voice_fallback_method: n.voice_fallback_method,
    voice_fallback_url: n.voice_fallback_url,
    voice_method: n.voice_method,
    voice_url: n.voice_url,
    bundle_sid: null,
    voice_receive_mode: "voice",
    status: "in-use",
    type: "local",
  };
}

const sipPath = (accountSid: string) => `/2010-04-01/Accounts/${accountSid}/SIP`;

/** A v2010 SIP list (credential list or IP access control list): the same members, its children's URI under `key`. */
function serializeSipList(l: CredentialListRecord | IpAccessControlListRecord, collection: string, key: string, children: string): Record<string, unknown> {
  const base = `${sipPath(l.account_sid)}/${collection}/${l.sid}`;
  return {
    account_sid: l.account_sid,
    date_created: rfc2822(l.date_created),
    date_updated: rfc2822(l.date_updated),
    friendly_name: l.friendly_name,
    sid: l.sid,
    subresource_uris: { [key]: `${base}/${children}.json` },
    uri: `${base}.json`,
  };
}

export function serializeCredentialList(l: CredentialListRecord): Record<string, unknown> {
  return serializeSipList(l, "CredentialLists", "credentials", "Credentials");
}

/** No `password`: write-only ([A] the response schema has none). */
export function serializeCredential(c: CredentialRecord): Record<string, unknown> {
  return {
    account_sid: c.account_sid,
    credential_list_sid: c.credential_list_sid,
    date_created: rfc2822(c.date_created),
    date_updated: rfc2822(c.date_updated),
    sid: c.sid,
    uri: `${sipPath(c.account_sid)}/CredentialLists/${c.credential_list_sid}/Credentials/${c.sid}.json`,
    username: c.username,
  };
}

export function serializeIpAccessControlList(l: IpAccessControlListRecord): Record<string, unknown> {
  return serializeSipList(l, "IpAccessControlLists", "ip_addresses", "IpAddresses");
}

export function serializeIpAddress(a: IpAddressRecord): Record<string, unknown> {
  return {
    account_sid: a.account_sid,
    date_created: rfc2822(a.date_created),
    date_updated: rfc2822(a.date_updated),
    friendly_name: a.friendly_name,
    ip_access_control_list_sid: a.ip_access_control_list_sid,
    ip_address: a.ip_address,
    cidr_prefix_length: a.cidr_prefix_length,
    sid: a.sid,
    uri: `${sipPath(a.account_sid)}/IpAccessControlLists/${a.ip_access_control_list_sid}/IpAddresses/${a.sid}.json`,
  };
}

// ---------------------------------------------------------------------------------------------
// Page envelopes
// ---------------------------------------------------------------------------------------------

/** `filters… PageSize=…&Page=…[&PageToken=…]`, filters in the order the client sent them. */
function pageQuery(filters: ReadonlyArray<[string, string]>, pageSize: number, page: number, token?: string): string {
  const params = new URLSearchParams();
  for (const [k, v] of filters) params.append(k, v);
  params.append("PageSize", String(pageSize));
  params.append("Page", String(page));
  if (token) params.append("PageToken", token);
  return params.toString();
}

export interface Listing<T> {
  /** The key of the items (`trunks`, `credential_lists`, …). */
  key: string;
  /** The list's address without query: v1 absolute URL, v2010 path ending in `.json`. */
  address: string;
  req: PageRequest;
  page: Page<T>;
  /** Filter parameters to carry into every page link. */
  filters: ReadonlyArray<[string, string]>;
  serialize(item: T): Record<string, unknown>;
}

/** v1: `{<key>: [...], meta: {first_page_url, key, next_page_url, page, page_size, previous_page_url, url}}`, absolute URLs. */
export function v1Page<T>(l: Listing<T>): Record<string, unknown> {
  const at = (page: number, token?: string) => `${l.address}?${pageQuery(l.filters, l.req.pageSize, page, token)}`;
  return {
    [l.key]: l.page.items.map((i) => l.serialize(i)),
    meta: {
      first_page_url: at(0),
      key: l.key,
      next_page_url: l.page.hasNext ? at(l.req.page + 1, l.page.nextToken) : null,
      page: l.req.page,
      page_size: l.req.pageSize,
      previous_page_url: l.page.hasPrevious ? at(l.req.page - 1, l.page.previousToken) : null,
      url: at(l.req.page, l.req.pageToken),
    },
  };
}

/** v2010: `{<key>: [...], end, first_page_uri, next_page_uri, page, page_size, previous_page_uri, start, uri}`, relative URIs. */
export function v2010Page<T>(l: Listing<T>): Record<string, unknown> {
  const at = (page: number, token?: string) => `${l.address}?${pageQuery(l.filters, l.req.pageSize, page, token)}`;
  const count = l.page.items.length;
  return {
    [l.key]: l.page.items.map((i) => l.serialize(i)),
    end: count > 0 ? l.page.start + count - 1 : l.page.start,
    first_page_uri: at(0),
    next_page_uri: l.page.hasNext ? at(l.req.page + 1, l.page.nextToken) : null,
    page: l.req.page,
    page_size: l.req.pageSize,
    previous_page_uri: l.page.hasPrevious ? at(l.req.page - 1, l.page.previousToken) : null,
    start: l.page.start,
    uri: at(l.req.page, l.req.pageToken),
  };
}
