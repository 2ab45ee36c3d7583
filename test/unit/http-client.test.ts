import { strict as assert } from "node:assert";
import * as http from "node:http";
import type { AddressInfo } from "node:net";
import { send, NetworkFailure } from "../../provider/common/http";
import { DidwwClient } from "../../provider/didww/client";
import { VendorApiError } from "../../provider/common/errors";

type Handler = (req: http.IncomingMessage, body: string, res: http.ServerResponse) => void;

async function serve(handler: Handler): Promise<{ url: string; hits: { method: string; url: string; headers: http.IncomingHttpHeaders; body: string }[]; close(): Promise<void> }> {
  const hits: { method: string; url: string; headers: http.IncomingHttpHeaders; body: string }[] = [];
  const server = http.createServer((req, res) => {
    let body = "";
    req.on("data", (c) => (body += c));
    req.on("end", () => {
      hits.push({ method: req.method ?? "", url: req.url ?? "", headers: req.headers, body });
      handler(req, body, res);
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, hits, close: () => new Promise((r) => { server.closeAllConnections(); server.close(() => r()); }) };
}

const noSleep = { sleep: async () => {}, random: () => 0.5 };

describe("http: retries", () => {
  it("retries 429 until it succeeds, honouring the policy", async () => {
    let n = 0;
    const s = await serve((_q, _b, res) => { n++; res.statusCode = n < 3 ? 429 : 200; res.end("{}"); });
    const delays: number[] = [];
    const r = await send({ method: "POST", url: `${s.url}/x`, headers: {} }, { ...noSleep, onRetry: (i) => delays.push(i.delayMs) });
    await s.close();
    assert.equal(r.status, 200);
    assert.equal(r.attempts, 3);
    assert.equal(delays.length, 2);
  });

  it("does not retry a POST that got a 500 (it may have been applied)", async () => {
    const s = await serve((_q, _b, res) => { res.statusCode = 500; res.end("{}"); });
    const r = await send({ method: "POST", url: `${s.url}/x`, headers: {} }, noSleep);
    await s.close();
    assert.equal(r.status, 500);
    assert.equal(s.hits.length, 1);
  });

  it("retries an idempotent GET on 503 and gives up after maxAttempts", async () => {
    const s = await serve((_q, _b, res) => { res.statusCode = 503; res.end("{}"); });
    const r = await send({ method: "GET", url: `${s.url}/x`, headers: {} }, { ...noSleep, policy: { maxAttempts: 4, baseDelayMs: 1, maxDelayMs: 2 } });
    await s.close();
    assert.equal(r.status, 503);
    assert.equal(s.hits.length, 4);
  });

  it("retries a refused connection even for POST, and says nothing reached the server", async () => {
    const s = await serve(() => {});
    const url = s.url;
    await s.close();
    await assert.rejects(
      send({ method: "POST", url: `${url}/x`, headers: {} }, { ...noSleep, policy: { maxAttempts: 3, baseDelayMs: 1, maxDelayMs: 1 } }),
      (e: unknown) => e instanceof NetworkFailure && e.networkErrorCode === "ECONNREFUSED" && e.maybeApplied === false,
    );
  });

  it("does not retry a POST whose connection dropped after sending", async () => {
    const s = await serve((req) => req.socket.destroy());
    await assert.rejects(send({ method: "POST", url: `${s.url}/x`, headers: {}, body: "{}" }, noSleep), (e: unknown) => e instanceof NetworkFailure && e.maybeApplied === true);
    assert.equal(s.hits.length, 1);
    await s.close();
  });

  it("retries a GET whose connection dropped", async () => {
    let n = 0;
    const s = await serve((req, _b, res) => { if (++n === 1) req.socket.destroy(); else res.end("{}"); });
    const r = await send({ method: "GET", url: `${s.url}/x`, headers: {} }, noSleep);
    await s.close();
    assert.equal(r.status, 200);
    assert.equal(s.hits.length, 2);
  });
});

describe("DIDWW client: wire format and errors", () => {
  const key = "secret-key-do-not-print-7f3a";
  it("sends the JSON:API headers, the version header and the key", async () => {
    const s = await serve((_q, _b, res) => { res.statusCode = 404; res.end(JSON.stringify({ errors: [{ title: "Record not found", detail: "x", code: "404", status: "404" }] })); });
    const c = new DidwwClient({ apiKey: key, baseUrl: `${s.url}/v3`, requestsPerSecond: 1000 });
    assert.equal(await c.getTrunk("abc"), undefined, "404 on GET means gone");
    assert.equal(await c.deleteTrunk("abc"), false, "404 on DELETE means already gone");
    await s.close();
    const h = s.hits[0].headers;
    assert.equal(h["api-key"], key);
    assert.equal(h["accept"], "application/vnd.api+json");
    assert.equal(h["x-didww-api-version"], "2026-04-16");
    assert.equal(s.hits[0].url, "/v3/voice_out_trunks/abc?include=dids,emergency_dids");
    assert.equal(s.hits[1].method, "DELETE");
  });

  it("turns a 422 into one message with every error, property and pointer, and never shows the key", async () => {
    const s = await serve((_q, _b, res) => {
      res.statusCode = 422;
      res.end(JSON.stringify({ errors: [
        { title: "can't be blank", detail: "twilio_account_sid - can't be blank", code: "100", status: "422", source: { pointer: "/data/attributes/authentication_method/attributes/twilio_account_sid" } },
        { title: "is invalid", detail: "capacity_limit - is invalid", code: "100", status: "422", source: { pointer: "/data/attributes/capacity_limit" } },
      ] }));
    });
    const c = new DidwwClient({ apiKey: key, baseUrl: `${s.url}/v3`, requestsPerSecond: 1000 });
    const err = await c.patchTrunk("t1", { data: {} }).then(() => undefined, (e) => e);
    await s.close();
    assert.ok(err instanceof VendorApiError);
    assert.equal(err.code, "VALIDATION");
    assert.equal(err.status, 422);
    assert.match(err.message, /authenticationMethod\.twilioAccountSid: twilio_account_sid - can't be blank \[source\.pointer \/data\/attributes\/authentication_method\/attributes\/twilio_account_sid\]/);
    assert.match(err.message, /capacityLimit: capacity_limit - is invalid/);
    assert.equal(err.message.includes(key), false);
    assert.equal(JSON.stringify(err).includes(key), false);
    assert.equal(require("node:util").inspect(err).includes(key), false);
  });

  it("explains a 401 without echoing the key", async () => {
    const s = await serve((_q, _b, res) => { res.statusCode = 401; res.end(JSON.stringify({ errors: [{ title: "Unauthorized", detail: "Authorization failed", code: "401", status: "401" }] })); });
    const c = new DidwwClient({ apiKey: key, baseUrl: `${s.url}/v3`, requestsPerSecond: 1000 });
    const err = await c.getTrunk("t").then(() => undefined, (e) => e);
    await s.close();
    assert.equal(err.code, "UNAUTHORIZED");
    assert.match(err.message, /Authorization failed/);
    assert.match(err.message, /didww:apiKey/);
    assert.equal(err.message.includes(key), false);
  });

  it("strips credentials from URLs in errors", async () => {
    const c = new DidwwClient({ apiKey: key, baseUrl: "http://user:pw@127.0.0.1:1/v3", requestsPerSecond: 1000 }, { policy: { maxAttempts: 1, baseDelayMs: 1, maxDelayMs: 1 } });
    const err = await c.getTrunk("t").then(() => undefined, (e) => e);
    assert.equal(err.code, "NETWORK");
    assert.equal(err.url.includes("pw"), false);
    assert.equal(err.message.includes("pw@"), false);
  });
});
