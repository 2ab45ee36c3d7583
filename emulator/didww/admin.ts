/**
 * Out-of-band edits over HTTP (`/_emulator/didww/...`, header `X-Emulator-Token`): the same
 * operations as `handle.store.didww`, for drift rehearsals from a shell or another process.
 * Every write answers only once it is durable.
 */
import { adminJson, type EmulatorReply, type Route } from "../server";
import { DidwwStoreError, type DidwwDidInput, type DidwwStore, type DidwwTrunkInput } from "./store";

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

function storeError(e: unknown): EmulatorReply {
  if (e instanceof DidwwStoreError) {
    const notFound = /not found$/.test(e.message);
    return { status: notFound ? 404 : 400, body: { error: e.message, errors: e.errors } };
  }
  throw e;
}

function objectBody(raw: unknown): Record<string, unknown> {
  if (!isObject(raw)) throw new Error("request body must be a JSON object");
  return raw;
}

export function didwwAdminRoutes(store: DidwwStore): Route[] {
  const done = async (status: number, body?: unknown): Promise<EmulatorReply> => {
    await store.flush();
    return { status, body };
  };
  return [
    { method: "GET", path: "/trunks", handler: () => ({ status: 200, body: { trunks: store.listTrunks() } }) },
    {
      method: "POST",
      path: "/trunks",
      async handler(req) {
        try {
          return await done(201, { trunk: store.putTrunk(objectBody(adminJson(req)) as DidwwTrunkInput) });
        } catch (e) {
          return storeError(e);
        }
      },
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
      async handler(req) {
        try {
          return await done(200, { trunk: store.putTrunk({ ...objectBody(adminJson(req)), id: req.params.id } as DidwwTrunkInput) });
        } catch (e) {
          return storeError(e);
        }
      },
    },
    {
      method: "PATCH",
      path: "/trunks/:id",
      async handler(req) {
        try {
          return await done(200, { trunk: store.updateTrunk(req.params.id, objectBody(adminJson(req)) as DidwwTrunkInput) });
        } catch (e) {
          return storeError(e);
        }
      },
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
      async handler(req) {
        try {
          return await done(201, { did: store.addDid(objectBody(adminJson(req)) as DidwwDidInput) });
        } catch (e) {
          return storeError(e);
        }
      },
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
