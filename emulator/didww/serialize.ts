/**
 * JSON:API documents in the shape of the 2026-04-16 recordings: attribute order as recorded,
 * `data.meta.spent_amount`, relationship `links` always and `data` only when included, links on
 * the request's own base URL.
 */
import { API_VERSION } from "./messages";
import { TRUNK_ATTRIBUTE_ORDER, TRUNK_META, TRUNK_RELATIONSHIPS } from "./fields";
import { DID_ATTRIBUTE_ORDER, DID_RELATIONSHIPS, type DidwwDid, type DidwwTrunk } from "./model";
import { maskCredential } from "./normalize";

export interface SerializeOptions {
  /** `https://host/v3` of the request. */
  apiBase: string;
  /** Mask username/password (`554******`), as the documented GET examples do (and writes, when asked). */
  mask: boolean;
  include: string[];
  fields: Record<string, string[]>;
}

const relationshipLinks = (apiBase: string, type: string, id: string, name: string) => ({
  self: `${apiBase}/${type}/${id}/relationships/${name}`,
  related: `${apiBase}/${type}/${id}/${name}`,
});

const wanted = (fields: Record<string, string[]>, type: string, name: string) => !fields[type] || fields[type].includes(name);

export function serializeTrunk(t: DidwwTrunk, o: SerializeOptions): Record<string, unknown> {
  const attributes: Record<string, unknown> = {};
  for (const name of TRUNK_ATTRIBUTE_ORDER) {
    if (!wanted(o.fields, "voice_out_trunks", name)) continue;
    if (name === "authentication_method") {
      const auth = structuredClone(t.authentication_method);
      if (o.mask && auth.type === "credentials_and_ip") {
        auth.attributes.username = maskCredential(auth.attributes.username);
        auth.attributes.password = maskCredential(auth.attributes.password);
      }
      attributes[name] = auth;
    } else {
      attributes[name] = structuredClone(t[name]);
    }
  }
  const relationships: Record<string, unknown> = {};
  for (const name of TRUNK_RELATIONSHIPS) {
    if (!wanted(o.fields, "voice_out_trunks", name)) continue;
    const rel: Record<string, unknown> = { links: relationshipLinks(o.apiBase, "voice_out_trunks", t.id, name) };
    if (o.include.includes(name)) rel.data = t[name].map((id) => ({ type: "dids", id }));
    relationships[name] = rel;
  }
  const meta = Object.fromEntries(TRUNK_META.map((name) => [name, t[name]]));
  return { id: t.id, type: "voice_out_trunks", attributes, relationships, meta };
}

export function serializeDid(d: DidwwDid, o: Pick<SerializeOptions, "apiBase" | "fields">): Record<string, unknown> {
  const attributes: Record<string, unknown> = {};
  for (const name of DID_ATTRIBUTE_ORDER) if (wanted(o.fields, "dids", name)) attributes[name] = d[name];
  const relationships: Record<string, unknown> = {};
  for (const name of DID_RELATIONSHIPS) {
    if (wanted(o.fields, "dids", name)) relationships[name] = { links: relationshipLinks(o.apiBase, "dids", d.id, name) };
  }
  return { id: d.id, type: "dids", attributes, relationships };
}

/** The DIDs a set of trunks includes, once each, in first-reference order. */
export function includedDids(trunks: DidwwTrunk[], o: SerializeOptions, getDid: (id: string) => DidwwDid | undefined): Record<string, unknown>[] {
  const seen = new Set<string>();
  const out: Record<string, unknown>[] = [];
  for (const t of trunks) {
    for (const name of TRUNK_RELATIONSHIPS) {
      if (!o.include.includes(name)) continue;
      for (const id of t[name]) {
        if (seen.has(id)) continue;
        seen.add(id);
        const did = getDid(id);
        if (did) out.push(serializeDid(did, o));
      }
    }
  }
  return out;
}

export const singleDocument = (data: unknown, included?: unknown[]) => ({
  data,
  ...(included && included.length > 0 ? { included } : {}),
  meta: { api_version: API_VERSION },
});

export const collectionDocument = (data: unknown[], total: number, links: Record<string, string>, included?: unknown[]) => ({
  data,
  ...(included && included.length > 0 ? { included } : {}),
  meta: { total_records: total, api_version: API_VERSION },
  links,
});
