/**
 * Out-of-band edits over HTTP (`/_emulator/bolna/...`, header `X-Emulator-Token`): the same
 * operations as `handle.store.bolna`, for drift rehearsals from a shell or another process. Bodies
 * are plain JSON with the stored (snake_case) member names; answers carry `auth_password` (it is
 * the test seam). Every write answers only once it is durable.
 */
import { adminJson, type Route } from "../server";
import { adminReplies, objectBody, storeErrorReply } from "../store-kit";
import { BolnaStoreError, type BolnaNumberInput, type BolnaStore, type BolnaTrunkInput, type BolnaTrunkPatch } from "./store";

const missing = (what: string) => ({ status: 404, body: { error: `${what} not found` } });

export function bolnaAdminRoutes(store: BolnaStore): Route[] {
  const { done, attempt } = adminReplies(store, (e) => (e instanceof BolnaStoreError ? storeErrorReply(e.message) : undefined));
  return [
    {
      method: "POST",
      path: "/reset",
      async handler() {
        store.reset();
        return done(204);
      },
    },
    /** The whole Bolna state (`{trunks, phone_numbers}`, passwords included). */
    { method: "GET", path: "/resources", handler: () => ({ status: 200, body: store.snapshot() }) },
    { method: "GET", path: "/trunks", handler: () => ({ status: 200, body: { trunks: store.listTrunks() } }) },
    { method: "POST", path: "/trunks", handler: (req) => attempt(201, () => store.putTrunk(objectBody(adminJson(req)) as BolnaTrunkInput)) },
    {
      method: "GET",
      path: "/trunks/:id",
      handler(req) {
        const t = store.getTrunk(req.params.id);
        return t ? { status: 200, body: t } : missing(`trunk ${req.params.id}`);
      },
    },
    {
      method: "PUT",
      path: "/trunks/:id",
      handler: (req) => attempt(200, () => store.putTrunk({ ...objectBody(adminJson(req)), id: req.params.id } as BolnaTrunkInput)),
    },
    { method: "PATCH", path: "/trunks/:id", handler: (req) => attempt(200, () => store.updateTrunk(req.params.id, objectBody(adminJson(req)) as BolnaTrunkPatch)) },
    {
      method: "DELETE",
      path: "/trunks/:id",
      handler: (req) => (store.deleteTrunk(req.params.id) ? done(204) : missing(`trunk ${req.params.id}`)),
    },
    {
      method: "GET",
      path: "/trunks/:id/numbers",
      handler: (req) => (store.getTrunk(req.params.id) ? { status: 200, body: { phone_numbers: store.listNumbers(req.params.id) } } : missing(`trunk ${req.params.id}`)),
    },
    {
      method: "POST",
      path: "/trunks/:id/numbers",
      handler: (req) => attempt(201, () => store.addNumber(req.params.id, objectBody(adminJson(req)) as BolnaNumberInput)),
    },
    { method: "GET", path: "/numbers", handler: () => ({ status: 200, body: { phone_numbers: store.listNumbers() } }) },
    {
      method: "GET",
      path: "/numbers/:id",
      handler(req) {
        const n = store.getNumber(req.params.id);
        return n ? { status: 200, body: n } : missing(`phone number ${req.params.id}`);
      },
    },
    { method: "PATCH", path: "/numbers/:id", handler: (req) => attempt(200, () => store.updateNumber(req.params.id, objectBody(adminJson(req)))) },
    {
      method: "DELETE",
      path: "/numbers/:id",
      handler: (req) => (store.deleteNumber(req.params.id) ? done(204) : missing(`phone number ${req.params.id}`)),
    },
  ];
}
