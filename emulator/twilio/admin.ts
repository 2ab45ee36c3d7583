/**
 * Out-of-band edits over HTTP (`/_emulator/twilio/...`, header `X-Emulator-Token`): the same
 * operations as `handle.store.twilio`, for drift rehearsals from a shell or another process.
 * Bodies are plain JSON with the stored (snake_case) member names. Every write answers only
 * once it is durable.
 */
import { adminJson, type Route } from "../server";
import { adminReplies, objectBody, storeErrorReply } from "../store-kit";
import { COLLECTIONS, COLLECTION_BY_PREFIX, type TwilioCollection } from "./model";
import { TwilioStoreError, type TwilioEntityCollection, type TwilioRecordInput, type TwilioStore } from "./store";

const ENTITY_COLLECTIONS = Object.values(COLLECTION_BY_PREFIX) as string[];

export function twilioAdminRoutes(store: TwilioStore): Route[] {
  const { done, attempt } = adminReplies(store, (e) => (e instanceof TwilioStoreError ? storeErrorReply(e.message) : undefined));
  // Fixed paths before `/:collection`, which would match them too.
  return [
    {
      method: "POST",
      path: "/reset",
      async handler() {
        store.reset();
        return done(204);
      },
    },
    /** Everything, by collection (passwords included: it is the test seam). */
    { method: "GET", path: "/resources", handler: () => ({ status: 200, body: store.snapshot() }) },
    {
      method: "GET",
      path: "/resources/:sid",
      handler(req) {
        const r = store.get(req.params.sid);
        return r ? { status: 200, body: r } : { status: 404, body: { error: `${req.params.sid} not found` } };
      },
    },
    { method: "PATCH", path: "/resources/:sid", handler: (req) => attempt(200, () => store.update(req.params.sid, objectBody(adminJson(req)))) },
    {
      method: "DELETE",
      path: "/resources/:sid",
      handler: (req) => (store.delete(req.params.sid) ? done(204) : { status: 404, body: { error: `${req.params.sid} not found` } }),
    },
    {
      method: "GET",
      path: "/:collection",
      handler(req) {
        const c = req.params.collection as TwilioCollection;
        if (!COLLECTIONS.includes(c)) return { status: 404, body: { error: `no collection ${c} (one of ${COLLECTIONS.join(", ")})` } };
        return { status: 200, body: { [c]: store.list(c) } };
      },
    },
    {
      method: "POST",
      path: "/:collection",
      handler(req) {
        const c = req.params.collection;
        if (!ENTITY_COLLECTIONS.includes(c)) return { status: 404, body: { error: `cannot create in ${c} (one of ${ENTITY_COLLECTIONS.join(", ")})` } };
        return attempt(201, () => store.put(c as TwilioEntityCollection, objectBody(adminJson(req)) as TwilioRecordInput<TwilioEntityCollection>));
      },
    },
    { method: "PUT", path: "/trunks/:trunk/links/:sid", handler: (req) => attempt(204, () => store.associate(req.params.trunk, req.params.sid)) },
    {
      method: "DELETE",
      path: "/trunks/:trunk/links/:sid",
      handler: (req) => (store.dissociate(req.params.trunk, req.params.sid) ? done(204) : { status: 404, body: { error: `${req.params.sid} is not on ${req.params.trunk}` } }),
    },
  ];
}
