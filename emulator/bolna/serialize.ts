/**
 * Bolna's JSON, in the shape of the documented examples (shared/fixtures/bolna): a trunk with its
 * members in {@link TRUNK_FIELDS} order between `id` and the two dates, gateways with their own
 * `id`/`created_at` ([G], docs api-examples), numbers nested, dates in ISO 8601 seconds with `Z`.
 * `auth_password` never appears; `auth_username` only on userpass trunks.
 */
import { TRUNK_FIELDS } from "./fields";
import { isoSeconds, type BolnaNumberRecord, type BolnaTrunkRecord } from "./model";

export function serializeNumber(n: BolnaNumberRecord): Record<string, unknown> {
  return {
    id: n.id,
    phone_number: n.phone_number,
    name: n.name,
    byot_trunk_id: n.byot_trunk_id,
    telephony_provider: n.telephony_provider,
    deleted: n.deleted,
    created_at: isoSeconds(n.created_at),
    updated_at: isoSeconds(n.updated_at),
  };
}

export function serializeTrunk(t: BolnaTrunkRecord, numbers: readonly BolnaNumberRecord[]): Record<string, unknown> {
  const out: Record<string, unknown> = { id: t.id };
  for (const f of TRUNK_FIELDS) {
    if (f.writeOnly || (f.onlyFor && t.auth_type !== f.onlyFor)) continue;
    switch (f.name) {
      case "phone_numbers":
        out.phone_numbers = numbers.map(serializeNumber);
        break;
      case "gateways":
        out.gateways = t.gateways.map((g) => ({ id: g.id, gateway_address: g.gateway_address, port: g.port, priority: g.priority, created_at: isoSeconds(g.created_at) }));
        break;
      case "ip_identifiers":
        out.ip_identifiers = t.ip_identifiers.map((ip) => ({ ip_address: ip.ip_address }));
        break;
      default:
        out[f.name] = t[f.name];
    }
  }
  out.created_at = isoSeconds(t.created_at);
  out.updated_at = isoSeconds(t.updated_at);
  return out;
}
