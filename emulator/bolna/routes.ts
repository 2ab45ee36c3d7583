/**
 * Bolna as a {@link Vendor} of the shared server: the legacy `/sip-trunks` API under `/bolna`
 * (for `https://api.bolna.ai`), so a client appends exactly the real paths to the base URL.
 * Around every handler: Bearer authentication against the configured API keys (403 `{detail}`,
 * as the live API answers a bad key), and Bolna's error bodies for what the engine produces
 * (injected faults, the rate limiter's 429 with `Retry-After`, unknown routes, crashes).
 */
import type { EmulatorReply, EmulatorRequest, ErrorKind, Vendor } from "../server";
import { bolnaAdminRoutes } from "./admin";
import {
  BOLNA_PREFIX,
  INTERNAL_ERROR_REPLY,
  TRUNKS,
  addNumber,
  createTrunk,
  deleteTrunk,
  failureReply,
  getTrunk,
  listNumbers,
  listTrunks,
  removeNumber,
  updateTrunk,
  type BolnaApi,
} from "./handlers";
import { EMSG, errorBody, fail, proxyErrorHtml, type BolnaErrorFormat } from "./messages";
import type { BolnaStore } from "./store";

export interface BolnaVendorOptions {
  store: BolnaStore;
  /** The accepted `Authorization: Bearer` keys. */
  apiKeys: readonly string[];
  errorFormat: BolnaErrorFormat;
  /** `Retry-After` (seconds) on every 429. */
  retryAfterSeconds: number;
  numberVisibilityDelayMs: number;
  clock: () => number;
}

type Handler = (api: BolnaApi, req: EmulatorRequest) => EmulatorReply | Promise<EmulatorReply>;

/** [method, path, handler]: the eight operations of [O]. */
const ROUTES: ReadonlyArray<[string, string, Handler]> = [
  ["GET", TRUNKS, listTrunks],
  ["POST", TRUNKS, createTrunk],
  ["GET", `${TRUNKS}/:trunk`, getTrunk],
  ["PATCH", `${TRUNKS}/:trunk`, updateTrunk],
  ["DELETE", `${TRUNKS}/:trunk`, deleteTrunk],
  ["GET", `${TRUNKS}/:trunk/numbers`, listNumbers],
  ["POST", `${TRUNKS}/:trunk/numbers`, addNumber],
  ["DELETE", `${TRUNKS}/:trunk/numbers/:number`, removeNumber],
];

/** Each route's path as a pattern, for telling a wrong method (405) from an unknown path (404). */
const PATTERNS = [...new Set(ROUTES.map(([, path]) => path))].map((path) => new RegExp(`^${path.replace(/:[a-z]+/g, "[^/]+")}/?$`));

function header(req: EmulatorRequest, name: string): string | undefined {
  const v = req.headers[name];
  return Array.isArray(v) ? v.join(", ") : v;
}

/**
 * `Authorization: Bearer <key>`. No header or another scheme: 403 "Not authenticated" (FastAPI's
 * HTTPBearer; the live API answers a bad key 403 too [E], so 401 is never sent). A key that is not
 * one of `apiKeys`: 403 "Invalid API key". Always `{detail}`: the one body observed live.
 */
function authenticate(opts: BolnaVendorOptions, req: EmulatorRequest): { key: string } | { reply: EmulatorReply } {
  const m = /^Bearer\s+(\S+)\s*$/i.exec(header(req, "authorization") ?? "");
  if (!m) return { reply: { status: 403, body: { detail: EMSG.notAuthenticated }, contentType: "application/json" } };
  if (!opts.apiKeys.includes(m[1])) return { reply: { status: 403, body: { detail: EMSG.invalidApiKey }, contentType: "application/json" } };
  return { key: m[1] };
}

export function createBolnaVendor(opts: BolnaVendorOptions): Vendor {
  const api: BolnaApi = {
    store: opts.store,
    errorFormat: opts.errorFormat,
    clock: opts.clock,
    numberVisibilityDelayMs: opts.numberVisibilityDelayMs,
    propagating: new Map(),
  };
  const tooMany = (): EmulatorReply => ({
    ...failureReply(opts.errorFormat, fail(429, EMSG.tooManyRequests)),
    headers: { "retry-after": String(opts.retryAfterSeconds) },
  });
  const errorReply = (kind: ErrorKind, status: number, req: EmulatorRequest, detail?: string): EmulatorReply => {
    switch (kind) {
      case "rateLimited":
        return tooMany();
      case "notFound":
        return PATTERNS.some((p) => p.test(req.path))
          ? { ...failureReply(opts.errorFormat, fail(405, EMSG.methodNotAllowed)), headers: { allow: allowed(req.path) } }
          : failureReply(opts.errorFormat, fail(404, EMSG.notFound));
      case "internal":
        return INTERNAL_ERROR_REPLY;
      case "badRequest":
        return { status, body: errorBody(opts.errorFormat, fail(status, detail ?? "Bad Request")), contentType: "application/json" };
      case "injected":
        if (status === 429) return tooMany();
        if (status === 502) return { status, body: proxyErrorHtml(502, "Bad Gateway"), contentType: "text/html" };
        if (status === 503) return { status, body: proxyErrorHtml(503, "Service Temporarily Unavailable"), contentType: "text/html" };
        return { ...INTERNAL_ERROR_REPLY, status };
    }
  };
  return {
    name: "bolna",
    prefix: BOLNA_PREFIX,
    routes: ROUTES.map(([method, path, handler]) => ({ method, path, handler: (req: EmulatorRequest) => handler(api, req) })),
    adminRoutes: bolnaAdminRoutes(opts.store),
    authenticate: (req) => authenticate(opts, req),
    errorReply,
    reset: () => {
      api.propagating.clear();
      opts.store.reset();
    },
  };
}

/** The methods a known path takes (the `Allow` header of a 405). */
function allowed(path: string): string {
  return ROUTES.filter(([, p]) => new RegExp(`^${p.replace(/:[a-z]+/g, "[^/]+")}/?$`).test(path))
    .map(([m]) => m)
    .join(", ");
}
