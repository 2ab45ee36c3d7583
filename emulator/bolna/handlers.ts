/**
 * Bolna's request handlers: `(api, req) → reply`, one per route of the legacy `/sip-trunks` API.
 * Each reads and changes the store without yielding and awaits durability only before answering,
 * so concurrent requests never interleave a read-modify-write and no write is acknowledged before
 * it is on disk.
 */
import type { EmulatorReply, EmulatorRequest } from "../server";
import { numberKey } from "./fields";
import { EMSG, MSG, NUMBER_REMOVED, errorBody, fail, trunkDeleted, type BolnaErrorFormat, type BolnaFailure } from "./messages";
import type { BolnaTrunkRecord } from "./model";
import { serializeNumber, serializeTrunk } from "./serialize";
import type { BolnaStore } from "./store";
import { parseJsonObject, readNumberCreate, readTrunkCreate, readTrunkUpdate } from "./validate";

/** Stands for `https://api.bolna.ai`: the API is served under it (`/bolna/sip-trunks/trunks`). */
export const BOLNA_PREFIX = "/bolna";
export const TRUNKS = `${BOLNA_PREFIX}/sip-trunks/trunks`;

/** What the handlers need. */
export interface BolnaApi {
  store: BolnaStore;
  errorFormat: BolnaErrorFormat;
  /** Milliseconds; the visibility delay of new numbers is measured with it. */
  clock: () => number;
  /**
   * How long a number added through the API stays out of `GET …/numbers` and answers 500 to its
   * `DELETE` ([M]: "returned empty/500 immediately after adding; retrying a few seconds later
   * succeeded"). 0: at once.
   */
  numberVisibilityDelayMs: number;
  /** Numbers still propagating: id → clock time they become visible. */
  propagating: Map<string, number>;
}

export const json = (status: number, body: unknown): EmulatorReply => ({ status, body, contentType: "application/json" });

export const failureReply = (format: BolnaErrorFormat, failure: BolnaFailure): EmulatorReply => json(failure.status, errorBody(format, failure));

/** Starlette's answer to an unhandled exception: plain text, not JSON. */
export const INTERNAL_ERROR_REPLY: EmulatorReply = { status: 500, body: EMSG.internalServerError, contentType: "text/plain; charset=utf-8" };

const refuse = (api: BolnaApi, failure: BolnaFailure) => failureReply(api.errorFormat, failure);

/** Awaits durability; a failed write is a 500 (the change was never acknowledged). */
async function committed(api: BolnaApi, reply: () => EmulatorReply): Promise<EmulatorReply> {
  try {
    await api.store.commit();
  } catch {
    return INTERNAL_ERROR_REPLY;
  }
  return reply();
}

const now = () => new Date().toISOString();

const trunkJson = (api: BolnaApi, t: BolnaTrunkRecord) => serializeTrunk(t, api.store._numbers(t.id));

function trunkOf(api: BolnaApi, req: EmulatorRequest): { trunk: BolnaTrunkRecord } | { reply: EmulatorReply } {
  const trunk = api.store._trunk(req.params.trunk);
  return trunk ? { trunk } : { reply: refuse(api, fail(404, EMSG.trunkNotFound)) };
}

/** Name unique per account ([O][G]); 400, the create's only documented refusal status [I]. */
const nameTaken = (api: BolnaApi, name: string, except?: string): BolnaFailure | undefined =>
  [...api.store._trunkIdsNamed(name)].some((id) => id !== except) ? fail(400, EMSG.nameTaken(name)) : undefined;

/**
 * A number conflicts with the same number (compared without a leading `+`) on this trunk, or on
 * another *active* trunk ([G] 409 "already exists on another active trunk").
 */
function numberConflict(api: BolnaApi, phoneNumber: string, trunkId: string | undefined): BolnaFailure | undefined {
  for (const n of api.store._numbersEqualTo(phoneNumber)) {
    if (n.byot_trunk_id === trunkId) return fail(409, EMSG.numberOnThisTrunk);
    if (api.store._trunk(n.byot_trunk_id)?.is_active) return fail(409, MSG.numberOnOtherTrunk);
  }
  return undefined;
}

const propagating = (api: BolnaApi, id: string) => {
  const visibleAt = api.propagating.get(id);
  if (visibleAt === undefined) return false;
  if (api.clock() >= visibleAt) {
    api.propagating.delete(id);
    return false;
  }
  return true;
};

/** FastAPI's reading of a boolean query parameter. */
function queryBoolean(text: string): boolean | undefined {
  const t = text.trim().toLowerCase();
  if (["true", "1", "yes", "on"].includes(t)) return true;
  if (["false", "0", "no", "off"].includes(t)) return false;
  return undefined;
}

// -----------------------------------------------------------------------------------------------
// Trunks
// -----------------------------------------------------------------------------------------------

/** `GET /sip-trunks/trunks[?is_active=…]`: a bare array, no paging [O]. */
export function listTrunks(api: BolnaApi, req: EmulatorRequest): EmulatorReply {
  const filter = req.url.searchParams.get("is_active");
  let active: boolean | undefined;
  if (filter !== null) {
    active = queryBoolean(filter);
    if (active === undefined) return refuse(api, fail(422, EMSG.isActiveQuery));
  }
  const trunks = api.store._trunks().filter((t) => active === undefined || t.is_active === active);
  return json(200, trunks.map((t) => trunkJson(api, t)));
}

/** `POST /sip-trunks/trunks` → 201 with the trunk (inline `phone_numbers` added with it, all or nothing). */
export async function createTrunk(api: BolnaApi, req: EmulatorRequest): Promise<EmulatorReply> {
  const body = parseJsonObject(req.body);
  if (!body.ok) return refuse(api, body.error);
  const read = readTrunkCreate(body.value);
  if (!read.ok) return refuse(api, read.error);
  const taken = nameTaken(api, read.value.values.name);
  if (taken) return refuse(api, taken);
  const seen = new Set<string>();
  for (const n of read.value.numbers) {
    if (seen.has(numberKey(n.phone_number))) return refuse(api, fail(409, EMSG.numberOnThisTrunk));
    seen.add(numberKey(n.phone_number));
    const conflict = numberConflict(api, n.phone_number, undefined);
    if (conflict) return refuse(api, conflict);
  }
  const trunk = api.store._createTrunk(read.value.values, read.value.numbers, now());
  return committed(api, () => json(201, trunkJson(api, trunk)));
}

export function getTrunk(api: BolnaApi, req: EmulatorRequest): EmulatorReply {
  const found = trunkOf(api, req);
  return "reply" in found ? found.reply : json(200, trunkJson(api, found.trunk));
}

/** `PATCH /sip-trunks/trunks/{id}`: only what is sent changes; sent lists replace whole; the full trunk back [G]. */
export async function updateTrunk(api: BolnaApi, req: EmulatorRequest): Promise<EmulatorReply> {
  const body = parseJsonObject(req.body);
  if (!body.ok) return refuse(api, body.error);
  const found = trunkOf(api, req);
  if ("reply" in found) return found.reply;
  const read = readTrunkUpdate(body.value, found.trunk);
  if (!read.ok) return refuse(api, read.error);
  if (read.value.name !== undefined) {
    const taken = nameTaken(api, read.value.name, found.trunk.id);
    if (taken) return refuse(api, taken);
  }
  const trunk = api.store._patchTrunk(found.trunk.id, read.value, now());
  return committed(api, () => json(200, trunkJson(api, trunk)));
}

/** `DELETE /sip-trunks/trunks/{id}` → 200 `{message}` naming how many numbers went with it [R]. */
export async function deleteTrunk(api: BolnaApi, req: EmulatorRequest): Promise<EmulatorReply> {
  const found = trunkOf(api, req);
  if ("reply" in found) return found.reply;
  const removed = api.store._deleteTrunk(found.trunk.id)!;
  return committed(api, () => json(200, { message: trunkDeleted(removed) }));
}

// -----------------------------------------------------------------------------------------------
// Numbers
// -----------------------------------------------------------------------------------------------

export async function addNumber(api: BolnaApi, req: EmulatorRequest): Promise<EmulatorReply> {
  const body = parseJsonObject(req.body);
  if (!body.ok) return refuse(api, body.error);
  const found = trunkOf(api, req);
  if ("reply" in found) return found.reply;
  const read = readNumberCreate(body.value);
  if (!read.ok) return refuse(api, read.error);
  const conflict = numberConflict(api, read.value.phone_number, found.trunk.id);
  if (conflict) return refuse(api, conflict);
  const n = api.store._addNumber(found.trunk.id, read.value, now());
  if (api.numberVisibilityDelayMs > 0) api.propagating.set(n.id, api.clock() + api.numberVisibilityDelayMs);
  return committed(api, () => json(201, serializeNumber(n)));
}

/** `GET /sip-trunks/trunks/{id}/numbers`: a bare array (404 for an unknown trunk) [O]. */
export function listNumbers(api: BolnaApi, req: EmulatorRequest): EmulatorReply {
  const found = trunkOf(api, req);
  if ("reply" in found) return found.reply;
  return json(
    200,
    api.store._numbers(found.trunk.id).filter((n) => !propagating(api, n.id)).map(serializeNumber),
  );
}

/** `DELETE …/numbers/{phone_number_id}` → 200 `{message}` [R]; 404 for a number not on this trunk. */
export async function removeNumber(api: BolnaApi, req: EmulatorRequest): Promise<EmulatorReply> {
  const found = trunkOf(api, req);
  if ("reply" in found) return found.reply;
  const n = api.store._number(req.params.number);
  if (!n || n.byot_trunk_id !== found.trunk.id) return refuse(api, fail(404, EMSG.numberNotFound));
  if (propagating(api, n.id)) return INTERNAL_ERROR_REPLY;
  api.store._deleteNumber(n.id);
  return committed(api, () => json(200, { message: NUMBER_REMOVED }));
}
