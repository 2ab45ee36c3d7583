/**
 * Lookups: plain async functions a program calls to find trunks it does not manage, with the same
 * settings as the resources (stack config `bolna:*`, then `BOLNA_*` environment variables). They
 * run in the program, at preview and at up alike, and change nothing.
 *
 * @example
 * const active = await bolna.getSipTrunks({ isActive: true });
 * const trunk = await bolna.getSipTrunk({ id: active[0].id });
 */
import { programConfig, type ConfigGetter } from "../common/config";
import { InputError } from "../common/errors";
import { objectsFromWire, wireMember, type WireAttribute } from "../common/response";
import { bolnaClient } from "./client";
import { LIST_CHILDREN, SIP_TRUNK_CONTROLS, SIP_TRUNK_FIELDS } from "./sip-trunk-fields";
import type { BolnaAuthType, BolnaMediaEncryption, BolnaTransport, GatewayOutput, IpIdentifier } from "./sip-trunk-types";

/** A number of a trunk, as the list reports it (the seed's members, camelCased). */
export interface SipTrunkNumberSummary {
  id: string;
  phoneNumber: string;
  name: string | null;
  byotTrunkId: string | null;
  telephonyProvider: string | null;
  deleted: boolean | null;
  createdAt: string | null;
  updatedAt: string | null;
}

/**
 * One trunk as `GET /sip-trunks/trunks` reports it: the members of the seed's response, camelCased
 * (null where the answer leaves one out). Never a password: Bolna does not return it, and a
 * member of that name would be dropped.
 */
export interface SipTrunkSummary {
  id: string;
  name: string | null;
  provider: string | null;
  description: string | null;
  authType: BolnaAuthType | null;
  /** Present only for userpass trunks. */
  authUsername: string | null;
  gateways: GatewayOutput[];
  ipIdentifiers: IpIdentifier[];
  phoneNumbers: SipTrunkNumberSummary[];
  allow: string | null;
  disallow: string | null;
  transport: BolnaTransport | null;
  /** Not in the seed's response; null unless Bolna reports it. */
  mediaEncryption: BolnaMediaEncryption | null;
  /** Not in the seed's response; null unless Bolna reports it. */
  mediaEncryptionOptimistic: boolean | null;
  directMedia: boolean | null;
  rtpSymmetric: boolean | null;
  forceRport: boolean | null;
  iceSupport: boolean | null;
  qualifyFrequency: number | null;
  inboundEnabled: boolean | null;
  outboundLeadingPlusEnabled: boolean | null;
  isActive: boolean | null;
  createdAt: string | null;
  updatedAt: string | null;
}

const NUMBER_ATTRIBUTES: readonly WireAttribute[] = [
  { input: "id", api: "id", wire: "string", nullable: false },
  { input: "phoneNumber", api: "phone_number", wire: "string", nullable: false },
  { input: "name", api: "name", wire: "string", nullable: true },
  { input: "byotTrunkId", api: "byot_trunk_id", wire: "string", nullable: true },
  { input: "telephonyProvider", api: "telephony_provider", wire: "string", nullable: true },
  { input: "deleted", api: "deleted", wire: "boolean", nullable: true },
  { input: "createdAt", api: "created_at", wire: "string", nullable: true },
  { input: "updatedAt", api: "updated_at", wire: "string", nullable: true },
];

/** A trunk record as a summary: each member checked against its wire type (common/response.ts). */
export function trunkSummary(record: Readonly<Record<string, unknown>>): SipTrunkSummary {
  const subject = `SIP trunk ${typeof record.id === "string" ? record.id : "(no id)"}`;
  const out: Record<string, unknown> = { id: wireMember("Bolna", subject, record, "id", "string", false) };
  for (const f of SIP_TRUNK_FIELDS) {
    const children = LIST_CHILDREN[f.input];
    out[f.input] = children ? objectsFromWire("Bolna", subject, f.api, record[f.api] ?? [], children) : wireMember("Bolna", subject, record, f.api, f.wire);
  }
  out.phoneNumbers = objectsFromWire("Bolna", subject, "phone_numbers", record.phone_numbers ?? [], NUMBER_ATTRIBUTES);
  out.createdAt = wireMember("Bolna", subject, record, "created_at", "string");
  out.updatedAt = wireMember("Bolna", subject, record, "updated_at", "string");
  return out as unknown as SipTrunkSummary;
}

/**
 * The account's trunks (`GET /sip-trunks/trunks`, the seed's call): all of them, or with
 * `isActive` only the active (true) or inactive (false) ones.
 */
export async function getSipTrunks(args: { isActive?: boolean } = {}, options: { config?: ConfigGetter } = {}): Promise<SipTrunkSummary[]> {
  const isActive = args?.isActive;
  if (isActive !== undefined && typeof isActive !== "boolean") {
    throw new InputError("bolna.getSipTrunks", [{ property: "isActive", reason: `must be a boolean, or omitted for every trunk (got ${JSON.stringify(isActive)})` }]);
  }
  const query = isActive === undefined ? "" : `?is_active=${isActive}`;
  const records = await bolnaClient(options.config ?? programConfig()).list(`/sip-trunks/trunks${query}`);
  return records.map(trunkSummary);
}

/** One trunk by id (`GET /sip-trunks/trunks/{id}`); fails, saying so, when the account has no such trunk. */
export async function getSipTrunk(args: { id: string }, options: { config?: ConfigGetter } = {}): Promise<SipTrunkSummary> {
  const id = args?.id;
  const idRule = SIP_TRUNK_CONTROLS.importId;
  if (typeof id !== "string" || !new RegExp(String(idRule.schema.pattern)).test(id)) {
    throw new InputError("bolna.getSipTrunk", [{ property: "id", reason: `${idRule.rule} (got ${JSON.stringify(id)})` }]);
  }
  const record = await bolnaClient(options.config ?? programConfig()).get(`/sip-trunks/trunks/${encodeURIComponent(id)}`, "a Bolna SIP trunk");
  if (!record) throw new Error(`bolna.getSipTrunk: the Bolna account has no SIP trunk ${id} (a lookup never creates one)`);
  return trunkSummary(record);
}
