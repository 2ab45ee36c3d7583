/**
 * Out-of-band edits over HTTP (`/_emulator/didww/...`, header `X-Emulator-Token`): the same
 * operations as `handle.store.didww`, for drift rehearsals from a shell or another process.
 * Every write answers only once it is durable.
 */
import { adminJson, type Route } from "../server";
import { adminReplies, objectBody, storeErrorReply } from "../store-kit";
import { DidwwStoreError, type DidwwDidInput, type DidwwStore, type DidwwTrunkInput } from "./store";

export function didwwAdminRoutes(store: DidwwStore): Route[] {
  const { done, attempt } = adminReplies(store, (e) => (e instanceof DidwwStoreError ? storeErrorReply(e.message, { errors: e.errors }) : undefined));
  return [
    { method: "GET", path: "/trunks", handler: () => ({ status: 200, body: { trunks: store.listTrunks() } }) },
    {
      method: "POST",
      path: "/trunks",
      handler: (req) => attempt(201, () => ({ trunk: store.putTrunk(objectBody(adminJson(req)) as DidwwTrunkInput) })),
    },
    {
      method: "GET",
      path: "/trunks/:id",
      handler(req) {
        const t = store.getTrunk(req.params.id);
        return t ? { status: 200, body: { trunk: t } } : { status: 404, body: { error: `voice_out_trunk ${req.params.id} not found` } };
      },
    },
    {
      method: "PUT",
      path: "/trunks/:id",
      handler: (req) => attempt(200, () => ({ trunk: store.putTrunk({ ...objectBody(adminJson(req)), id: req.params.id } as DidwwTrunkInput) })),
    },
    {
      method: "PATCH",
      path: "/trunks/:id",
      handler: (req) => attempt(200, () => ({ trunk: store.updateTrunk(req.params.id, objectBody(adminJson(req)) as DidwwTrunkInput) })),
    },
    {
      method: "DELETE",
      path: "/trunks/:id",
      async handler(req) {
        return store.deleteTrunk(req.params.id) ? done(204) : { status: 404, body: { error: `voice_out_trunk ${req.params.id} not found` } };
      },
    },
    { method: "GET", path: "/dids", handler: () => ({ status: 200, body: { dids: store.listDids() } }) },
    {
      method: "POST",
      path: "/dids",
      handler: (req) => attempt(201, () => ({ did: store.addDid(objectBody(adminJson(req)) as DidwwDidInput) })),
    },
    {
      method: "DELETE",
      path: "/dids/:id",
      async handler(req) {
        return store.deleteDid(req.params.id) ? done(204) : { status: 404, body: { error: `did ${req.params.id} not found` } };
      },
    },
    {
      method: "POST",
      path: "/reset",
      async handler() {
        store.reset();
        return done(204);
      },
    },
  ];
}
