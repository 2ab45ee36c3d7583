/**
 * The shared HTTP engine: one server, one route table per vendor, shared fault injection, the
 * request log and the admin routes (`/_emulator/...`, guarded by `X-Emulator-Token`).
 *
 * A vendor (DIDWW, Twilio and Bolna) plugs in as a {@link Vendor}: its path prefixes,
 * its routes, how it authenticates, and its own error envelope for the statuses the engine
 * produces (injected faults, rate limiting, unknown routes, crashes).
 *
 * Per API request, in order: per-key concurrency slot, for vendors that limit it (429 at once,
 * consuming no fault; the slot is held until the answer is sent, so latency counts as "in
 * flight") → fault decision → latency → drop or injected status → vendor authentication (401) →
 * per-key rate limit (429) → routing (404) →
 * vendor gate (content negotiation, feature toggles) → handler (which awaits durability before
 * answering a write) → after-commit faults (socket destroyed, or an injected 5xx in place of the
 * answer) → reply.
 */
import * as http from "node:http";
import type { AddressInfo } from "node:net";
import type { FaultDecision, FaultEngine } from "./faults";

export interface EmulatorRequest {
  method: string;
  /** Path without the query string, e.g. `/v3/voice_out_trunks/abc`. */
  path: string;
  url: URL;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
  /** `http://host:port` as the client addressed the server (links are built from it). */
  baseUrl: string;
  /** Path parameters from the route pattern. */
  params: Record<string, string>;
}

export interface EmulatorReply {
  status: number;
  /** Objects are sent as JSON; strings/Buffers as they are; undefined = no body. */
  body?: unknown;
  contentType?: string;
  headers?: Record<string, string>;
}

export interface Route {
  method: string | readonly string[];
  /**
   * Pattern with `:name` segments, e.g. `/v3/voice_out_trunks/:id`. A segment `:name.ext` (e.g.
   * `:sid.json`) matches a value ending in `.ext` and captures it without the suffix.
   */
  path: string;
  handler(req: EmulatorRequest): EmulatorReply | Promise<EmulatorReply>;
  /** Labels vendor gates use, e.g. `voice_out_trunks` for DIDWW's outbound-plan toggle. */
  tags?: readonly string[];
}

export type ErrorKind = "injected" | "rateLimited" | "notFound" | "internal" | "badRequest";

export interface Vendor {
  name: string;
  /** Requests whose path starts with this prefix (then `/` or end) belong to the vendor. */
  prefix: string;
  /** Further prefixes of the same vendor (one per emulated host, e.g. Twilio's trunking and api hosts). */
  prefixes?: readonly string[];
  /**
   * At most this many requests of one key (what {@link Vendor.authenticate} returns) in flight at
   * once; one more is refused with the vendor's `rateLimited` reply. Absent: no limit.
   */
  maxConcurrency?: number;
  routes: readonly Route[];
  /** The key the request is billed to (rate limiting), or the vendor's 401. */
  authenticate(req: EmulatorRequest): { key: string } | { reply: EmulatorReply };
  /** Checks after routing and before the handler (content negotiation, feature toggles). */
  gate?(req: EmulatorRequest, route: Route): EmulatorReply | undefined;
  /** The vendor's own envelope for statuses the engine produces. */
  errorReply(kind: ErrorKind, status: number, req: EmulatorRequest, detail?: string): EmulatorReply;
  /** Admin routes, mounted under `/_emulator/<name>`. */
  adminRoutes?: readonly Route[];
  /** Back to the start-up state. */
  reset(): void;
}

/** One served API request (never headers, so never an API key). */
export interface RequestLogEntry {
  method: string;
  /** Path with query string. */
  path: string;
  /** The status sent; 0 when the connection was dropped without a response. */
  status: number;
  /** ISO 8601 time the request arrived. */
  at: string;
  vendor?: string;
  /** Set when a fault shaped the outcome: `status`, `statusAfterCommit`, `drop`, `lostResponse`, `rateLimited`, `latency`. */
  fault?: string;
  /** With `statusAfterCommit`: the status the handler produced (and the client never saw). */
  handledStatus?: number;
}

/**
 * The request log: an array (`length`, `filter`, `some` … work) with `clear()` and `list()`.
 * Admin routes are not logged; the log keeps the newest `limit` entries.
 */
export class RequestLog extends Array<RequestLogEntry> {
  static override get [Symbol.species]() {
    return Array;
  }
  limit = 10_000;
  /** Forgets every entry. */
  clear(): void {
    this.length = 0;
  }
  /** A plain copy of the entries. */
  list(): RequestLogEntry[] {
    return Array.from(this, (e) => ({ ...e }));
  }
  record(entry: RequestLogEntry): void {
    this.push(entry);
    if (this.length > this.limit) this.splice(0, this.length - this.limit);
  }
}

interface CompiledRoute {
  route: Route;
  methods: string[];
  regex: RegExp;
  names: string[];
}

function compile(route: Route): CompiledRoute {
  const names: string[] = [];
  const pattern = route.path
    .split("/")
    .map((seg) => {
      if (seg.startsWith(":")) {
        const dot = seg.indexOf(".");
        if (dot < 0) {
          names.push(seg.slice(1));
          return "([^/]+)";
        }
        names.push(seg.slice(1, dot));
        return `([^/]+?)${seg.slice(dot).replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}`;
      }
      return seg.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
    })
    .join("/");
  const methods = (typeof route.method === "string" ? [route.method] : [...route.method]).map((m) => m.toUpperCase());
  return { route, methods, regex: new RegExp(`^${pattern}/?$`), names };
}

function matchRoute(routes: CompiledRoute[], method: string, path: string): { route: Route; params: Record<string, string> } | undefined {
  for (const c of routes) {
    if (!c.methods.includes(method)) continue;
    const m = c.regex.exec(path);
    if (!m) continue;
    const params: Record<string, string> = {};
    c.names.forEach((n, i) => {
      try {
        params[n] = decodeURIComponent(m[i + 1]);
      } catch {
        params[n] = m[i + 1];
      }
    });
    return { route: c.route, params };
  }
  return undefined;
}

const MAX_BODY_BYTES = 1024 * 1024;

export interface ServerOptions {
  vendors: Vendor[];
  faults: FaultEngine;
  requests: RequestLog;
  adminToken: string;
  /** Core admin routes (`/_emulator/requests`, `/_emulator/faults`, …), mounted as given. */
  adminRoutes: Route[];
  onError?(error: unknown): void;
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

export class EmulatorServer {
  readonly http: http.Server;
  private readonly vendors: Array<{ vendor: Vendor; routes: CompiledRoute[]; admin: CompiledRoute[] }>;
  private readonly admin: CompiledRoute[];
  /** Requests in flight per `${vendor}:${key}`, for vendors with `maxConcurrency`. */
  private readonly inFlight = new Map<string, number>();

  constructor(private readonly opts: ServerOptions) {
    this.vendors = opts.vendors.map((vendor) => ({
      vendor,
      routes: vendor.routes.map(compile),
      admin: (vendor.adminRoutes ?? []).map((r) => compile({ ...r, path: `/_emulator/${vendor.name}${r.path}` })),
    }));
    this.admin = opts.adminRoutes.map(compile);
    this.http = http.createServer((req, res) => {
      void this.handle(req, res).catch((e) => {
        opts.onError?.(e);
        if (!res.headersSent) {
          res.writeHead(500, { "content-type": "text/plain" });
          res.end("internal emulator error");
        } else res.destroy();
      });
    });
    this.http.keepAliveTimeout = 5_000;
  }

  listen(port: number, host: string): Promise<AddressInfo> {
    return new Promise((resolve, reject) => {
      const onError = (e: Error) => reject(e);
      this.http.once("error", onError);
      this.http.listen(port, host, () => {
        this.http.off("error", onError);
        resolve(this.http.address() as AddressInfo);
      });
    });
  }

  close(): Promise<void> {
    return new Promise((resolve) => {
      this.http.close(() => resolve());
      this.http.closeAllConnections();
    });
  }

  private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const at = new Date().toISOString();
    const method = (req.method ?? "GET").toUpperCase();
    const host = req.headers.host ?? `${(req.socket.localAddress ?? "127.0.0.1")}:${req.socket.localPort}`;
    const proto = String(req.headers["x-forwarded-proto"] ?? "http").split(",")[0].trim() || "http";
    const baseUrl = `${proto}://${host}`;
    const url = new URL(req.url ?? "/", baseUrl);
    const path = url.pathname;
    const pathWithQuery = `${url.pathname}${url.search}`;

    const body = await readBody(req);
    const request: EmulatorRequest = { method, path, url, headers: req.headers, body: body ?? Buffer.alloc(0), baseUrl, params: {} };

    if (path === "/_emulator" || path.startsWith("/_emulator/")) {
      return this.handleAdmin(request, res, body === undefined);
    }

    const entry = this.vendors.find(({ vendor }) => [vendor.prefix, ...(vendor.prefixes ?? [])].some((p) => path === p || path.startsWith(`${p}/`)));
    const log = (status: number, fault?: string, handledStatus?: number) =>
      this.opts.requests.record({
        method,
        path: pathWithQuery,
        status,
        at,
        ...(entry ? { vendor: entry.vendor.name } : {}),
        ...(fault ? { fault } : {}),
        ...(handledStatus !== undefined ? { handledStatus } : {}),
      });

    if (!entry) {
      send(res, { status: 404, body: { error: `no emulated API serves ${path}` } });
      log(404);
      return;
    }
    const { vendor } = entry;
    if (body === undefined) {
      send(res, vendor.errorReply("badRequest", 413, request, `request body larger than ${MAX_BODY_BYTES} bytes`));
      log(413);
      return;
    }

    // A refused request consumes no fault (no rule's `times`, no sequence step).
    const slot = this.takeSlot(vendor, request);
    if (slot === "refused") {
      const reply = vendor.errorReply("rateLimited", 429, request);
      send(res, reply);
      log(reply.status, "rateLimited");
      return;
    }
    const decision = this.opts.faults.decide({ vendor: vendor.name, method, path, pathWithQuery });
    try {
      await this.answer(entry, request, res, decision, log);
    } finally {
      slot?.();
    }
  }

  /**
   * A concurrency slot for the request's key: its release function, `undefined` when the vendor
   * has no limit or the request does not authenticate (it gets its 401 later), `"refused"` when
   * the key already has `maxConcurrency` requests in flight.
   */
  private takeSlot(vendor: Vendor, request: EmulatorRequest): (() => void) | "refused" | undefined {
    if (vendor.maxConcurrency === undefined) return undefined;
    const auth = vendor.authenticate(request);
    if ("reply" in auth) return undefined;
    const key = `${vendor.name}:${auth.key}`;
    const busy = this.inFlight.get(key) ?? 0;
    if (busy >= vendor.maxConcurrency) {
      this.opts.faults.noteRateLimited();
      return "refused";
    }
    this.inFlight.set(key, busy + 1);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const left = (this.inFlight.get(key) ?? 1) - 1;
      if (left > 0) this.inFlight.set(key, left);
      else this.inFlight.delete(key);
    };
  }

  private async answer(
    entry: { vendor: Vendor; routes: CompiledRoute[] },
    request: EmulatorRequest,
    res: http.ServerResponse,
    decision: FaultDecision,
    log: (status: number, fault?: string, handledStatus?: number) => void,
  ): Promise<void> {
    const { vendor } = entry;
    if (decision.latencyMs > 0) await sleep(decision.latencyMs);
    const latencyTag = decision.latencyMs > 0 ? "latency" : undefined;
    const action = decision.action;
    if (action?.kind === "drop") {
      res.socket?.destroy();
      log(0, "drop");
      return;
    }
    if (action?.kind === "status") {
      const reply = vendor.errorReply("injected", action.status, request);
      send(res, reply);
      log(reply.status, "status");
      return;
    }

    const { reply, routed, refusal } = await this.serve(entry, request);
    if (!routed) {
      // Refused before routing (401, 429 from the limiter, unknown route): there is no commit to lose.
      send(res, reply);
      log(reply.status, refusal ?? latencyTag);
      return;
    }
    if (action?.kind === "lostResponse") {
      res.socket?.destroy();
      log(reply.status, "lostResponse");
      return;
    }
    if (action?.kind === "statusAfterCommit") {
      const injected = vendor.errorReply("injected", action.status, request);
      send(res, injected);
      log(injected.status, "statusAfterCommit", reply.status);
      return;
    }
    send(res, reply);
    log(reply.status, latencyTag);
  }

  /**
   * Authentication, rate limit, routing, then the route: its gate and its handler. `routed` is
   * false when the request was refused before routing; after-commit faults apply only to routed
   * requests (whatever their gate or handler answered).
   */
  private async serve(
    entry: { vendor: Vendor; routes: CompiledRoute[] },
    request: EmulatorRequest,
  ): Promise<{ reply: EmulatorReply; routed: boolean; refusal?: "rateLimited" }> {
    const { vendor } = entry;
    const auth = vendor.authenticate(request);
    if ("reply" in auth) return { reply: auth.reply, routed: false };
    if (!this.opts.faults.admit(`${vendor.name}:${auth.key}`)) {
      return { reply: vendor.errorReply("rateLimited", 429, request), routed: false, refusal: "rateLimited" };
    }
    const matched = matchRoute(entry.routes, request.method, request.path);
    if (!matched) return { reply: vendor.errorReply("notFound", 404, request), routed: false };
    request.params = matched.params;
    const refused = vendor.gate?.(request, matched.route);
    if (refused) return { reply: refused, routed: true };
    try {
      return { reply: await matched.route.handler(request), routed: true };
    } catch (e) {
      this.opts.onError?.(e);
      return { reply: vendor.errorReply("internal", 500, request), routed: true };
    }
  }

  private async handleAdmin(request: EmulatorRequest, res: http.ServerResponse, tooLarge: boolean): Promise<void> {
    if (request.path === "/_emulator/health" && request.method === "GET") {
      send(res, { status: 200, body: { ok: true } });
      return;
    }
    const token = request.headers["x-emulator-token"];
    if (token !== this.opts.adminToken) {
      send(res, { status: 401, body: { error: "admin routes need the X-Emulator-Token header (the emulator's adminToken)" } });
      return;
    }
    if (tooLarge) {
      send(res, { status: 413, body: { error: "request body too large" } });
      return;
    }
    const all = [...this.admin, ...this.vendors.flatMap((v) => v.admin)];
    const matched = matchRoute(all, request.method, request.path);
    if (!matched) {
      send(res, { status: 404, body: { error: `no admin route ${request.method} ${request.path}` } });
      return;
    }
    request.params = matched.params;
    try {
      send(res, await matched.route.handler(request));
    } catch (e) {
      send(res, { status: 400, body: { error: (e as Error).message } });
    }
  }
}

/** Reads the whole body; `undefined` when it exceeds the limit. */
function readBody(req: http.IncomingMessage): Promise<Buffer | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let tooLarge = false;
    req.on("data", (c: Buffer) => {
      size += c.length;
      if (size > MAX_BODY_BYTES) tooLarge = true;
      else chunks.push(c);
    });
    req.on("end", () => resolve(tooLarge ? undefined : Buffer.concat(chunks)));
    req.on("error", reject);
  });
}

export function send(res: http.ServerResponse, reply: EmulatorReply): void {
  if (res.destroyed) return;
  const headers: Record<string, string> = { ...(reply.headers ?? {}) };
  let payload: Buffer | undefined;
  if (reply.body !== undefined && reply.body !== null) {
    if (typeof reply.body === "string" || Buffer.isBuffer(reply.body)) {
      payload = Buffer.isBuffer(reply.body) ? reply.body : Buffer.from(reply.body, "utf8");
      headers["content-type"] = reply.contentType ?? "text/plain; charset=utf-8";
    } else {
      payload = Buffer.from(JSON.stringify(reply.body), "utf8");
      headers["content-type"] = reply.contentType ?? "application/json; charset=utf-8";
    }
    headers["content-length"] = String(payload.length);
  } else if (reply.status !== 204 && reply.status !== 304) {
    headers["content-length"] = "0";
  }
  res.writeHead(reply.status, headers);
  res.end(payload);
}

/** Parses an admin JSON body (`{}` when empty). */
export function adminJson(req: EmulatorRequest): unknown {
  if (req.body.length === 0) return {};
  try {
    return JSON.parse(req.body.toString("utf8"));
  } catch (e) {
    throw new Error(`request body is not valid JSON: ${(e as Error).message}`);
  }
}
