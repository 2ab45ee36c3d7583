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
    const r = await send({ method: "GET", url: `${s.url}/x`, headers: {} }, { ...noSleep, policy: { maxAttempts: 4, baseDelayMs: 1, maxDelayMs: 2, maxRetryAfterMs: 2 } });
    await s.close();
    assert.equal(r.status, 503);
    assert.equal(s.hits.length, 4);
  });

  it("retries a refused connection even for POST, and says nothing reached the server", async () => {
    const s = await serve(() => {});
    const url = s.url;
    await s.close();
    await assert.rejects(
      send({ method: "POST", url: `${url}/x`, headers: {} }, { ...noSleep, policy: { maxAttempts: 3, baseDelayMs: 1, maxDelayMs: 1, maxRetryAfterMs: 1 } }),
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
    const c = new DidwwClient({ apiKey: key, baseUrl: "http://user:pw@127.0.0.1:1/v3", requestsPerSecond: 1000 }, { policy: { maxAttempts: 1, baseDelayMs: 1, maxDelayMs: 1, maxRetryAfterMs: 1 } });
    const err = await c.getTrunk("t").then(() => undefined, (e) => e);
    assert.equal(err.code, "NETWORK");
    assert.equal(err.url.includes("pw"), false);
    assert.equal(err.message.includes("pw@"), false);
  });
});

// ---- Added: bounded messages on the real HTTP path, and the time budget ----
import { BudgetExhausted } from "../../provider/common/http";
import type { SlidingWindowLimiter } from "../../provider/common/rate-limit";

describe("DIDWW client: huge or HTML error bodies give short messages", () => {
  const fast = { policy: { maxAttempts: 3, baseDelayMs: 1, maxDelayMs: 1, maxRetryAfterMs: 1 }, sleep: async () => {}, random: () => 0.5 };
  const client = (url: string, key: string) => new DidwwClient({ apiKey: key, baseUrl: `${url}/v3`, requestsPerSecond: 1000 }, fast);

  it("a 20 MB 422 listing 2,000 errors: a message under 4,100 characters that says what was left out", async () => {
    const detail = "d".repeat(10_000);
    const item = JSON.stringify({ title: "is invalid", detail, code: "100", status: "422", source: { pointer: "/data/attributes/capacity_limit" } });
    const body = `{"errors":[${Array(2000).fill(item).join(",")}]}`;
    assert.ok(body.length > 20_000_000);
    const s = await serve((_q, _b, res) => { res.statusCode = 422; res.setHeader("Content-Type", "application/vnd.api+json"); res.end(body); });
    const err = await client(s.url, "bounded-422-key").patchTrunk("t1", { data: {} }).then(() => undefined, (e) => e);
    await s.close();
    assert.ok(err instanceof VendorApiError);
    assert.equal(err.code, "VALIDATION");
    assert.ok(err.message.length < 4100, `message of ${err.message.length} characters`);
    const lines = err.message.split("\n").filter((l: string) => l.startsWith("  - "));
    const shown = lines.filter((l: string) => l.startsWith("  - capacityLimit: "));
    assert.ok(shown.length >= 1, err.message.slice(0, 300));
    // BUG (against provider/common/errors.ts as first read): the overall 4,000-character cut removed this line.
    assert.equal(lines[lines.length - 1], `  - ... and ${2000 - shown.length} more errors left out`, `message ends: ${JSON.stringify(err.message.slice(-80))}`);
    for (const line of shown) {
      // Each detail is cut, and the visible part plus the count left out is the whole 10,000 characters.
      const m = /^ {2}- capacityLimit: (d+)\.\.\. \((\d+) more characters left out\) \[source\.pointer \/data\/attributes\/capacity_limit\]$/.exec(line);
      assert.ok(m, line.slice(0, 400));
      assert.equal(m[1].length + Number(m[2]), 10_000);
    }
  });

  it("a 20 MB 422 that is not JSON: a short message", async () => {
    const body = "Internal trace: ".concat("frame ".repeat(3_500_000));
    const s = await serve((_q, _b, res) => { res.statusCode = 422; res.end(body); });
    const err = await client(s.url, "bounded-text-key").patchTrunk("t1", { data: {} }).then(() => undefined, (e) => e);
    await s.close();
    assert.ok(err instanceof VendorApiError);
    assert.ok(err.message.length < 1000, `message of ${err.message.length} characters`);
    assert.match(err.message, /Internal trace: frame frame/);
    assert.match(err.message, /more characters left out/);
  });

  const pages: [string, string, string][] = [
    ["with a <title>", `<!DOCTYPE html>\n<html><head><title>Origin Unreachable | edge-proxy</title><style>body{}</style></head><body>${"<div class=\"x\">upstream</div>".repeat(20_000)}</body></html>`, "HTML error page (Origin Unreachable | edge-proxy)"],
    ["without a <title>", `<html><body><h1>Bad gateway</h1>${"<p>upstream <b>closed</b></p>".repeat(20_000)}</body></html>`, "HTML error page (502 Bad Gateway)"],
  ];
  for (const [title, page, expected] of pages) {
    it(`an HTML 502 page ${title} on GET, retried: "${expected}" and no markup`, async () => {
      const s = await serve((_q, _b, res) => { res.statusCode = 502; res.setHeader("Content-Type", "text/html"); res.end(page); });
      const err = await client(s.url, `bounded-html-${title}`).getTrunk("t1").then(() => undefined, (e) => e);
      await s.close();
      assert.equal(s.hits.length, 3, "a GET is retried on 502 up to maxAttempts");
      assert.ok(err instanceof VendorApiError);
      assert.equal(err.code, "SERVER");
      assert.equal(err.status, 502);
      assert.ok(err.message.includes(`  - ${expected}`), err.message);
      assert.equal(/[<>]/.test(err.message), false, "no markup in the message");
      assert.ok(err.message.length < 600, `message of ${err.message.length} characters`);
    });
  }
});

describe("http: the time budget of one logical request", () => {
  it("a server that never answers: gives up when the budget is spent (fake clock), not after every attempt", async () => {
    let t = 0;
    // Each attempt costs 400 ms of fake time, charged when the request arrives.
    const s = await serve(() => { t += 400; });
    const slept: number[] = [];
    const err = await send(
      { method: "GET", url: `${s.url}/x`, headers: {}, timeoutMs: 300 },
      {
        budgetMs: 1000, now: () => t, sleep: async (ms) => { slept.push(ms); t += ms; }, random: () => 0.5,
        policy: { maxAttempts: 6, baseDelayMs: 100, maxDelayMs: 100, maxRetryAfterMs: 1000 },
      },
    ).then(() => undefined, (e) => e);
    await s.close();
    assert.ok(err instanceof BudgetExhausted, String(err));
    assert.ok(err instanceof NetworkFailure);
    assert.equal(err.networkErrorCode, "BUDGET_EXHAUSTED");
    assert.equal(s.hits.length, 3, "3 attempts fit in the budget, not the policy's 6");
    assert.deepEqual(slept, [55, 55]);
    assert.match(err.message, /3 attempts \(last: ETIMEDOUT\)/);
  });

  it("time spent waiting for the rate limiter counts, from the first attempt on: no attempt starts once the budget is spent", async () => {
    let t = 0;
    // A limiter whose every slot takes 600 ms of fake time.
    const limiter = { acquire: async () => { t += 600; return () => {}; } } as unknown as SlidingWindowLimiter;
    const s = await serve((_q, _b, res) => { res.statusCode = 503; res.end("{}"); });
    const err = await send(
      { method: "GET", url: `${s.url}/x`, headers: {} },
      { limiter, budgetMs: 1000, now: () => t, sleep: async (ms) => { t += ms; }, random: () => 0.5, policy: { maxAttempts: 6, baseDelayMs: 100, maxDelayMs: 100, maxRetryAfterMs: 1000 } },
    ).then(() => undefined, (e) => e);
    await s.close();
    // The clock starts after the first slot (deadline 1600): attempt 2 starts at 1255, attempt 3 would start at 1910.
    assert.equal(s.hits.length, 2);
    assert.ok(err instanceof BudgetExhausted, String(err));
    assert.match(err.message, /2 attempts \(last: HTTP 503\)/);
  });

  it("an attempt's own timeout is cut to what is left of the budget (real clock: 300 ms budget, 20 s attempt timeout)", async function () {
    this.timeout(10_000); // a bound only: an uncut 20 s attempt timeout fails here
    const s = await serve(() => {});
    const err = await send(
      { method: "GET", url: `${s.url}/x`, headers: {}, timeoutMs: 20_000 },
      { budgetMs: 300, sleep: async () => {}, random: () => 0.5, policy: { maxAttempts: 6, baseDelayMs: 1, maxDelayMs: 1, maxRetryAfterMs: 1 } },
    ).then(() => undefined, (e) => e);
    await s.close();
    assert.ok(err instanceof BudgetExhausted, String(err));
    assert.equal(err.networkErrorCode, "BUDGET_EXHAUSTED");
    assert.equal(s.hits.length, 1);
    assert.match(err.message, /1 attempt \(last: ETIMEDOUT\)/);
  });

  it("a 429 with Retry-After: 3600 waits at most the policy's maxRetryAfterMs", async () => {
    let n = 0;
    const s = await serve((_q, _b, res) => {
      if (++n === 1) { res.statusCode = 429; res.setHeader("Retry-After", "3600"); res.end("{}"); } else res.end("{}");
    });
    const delays: number[] = [];
    const slept: number[] = [];
    const r = await send(
      { method: "GET", url: `${s.url}/x`, headers: {} },
      { sleep: async (ms) => { slept.push(ms); }, random: () => 0.5, onRetry: (i) => delays.push(i.delayMs), policy: { maxAttempts: 3, baseDelayMs: 10, maxDelayMs: 20, maxRetryAfterMs: 2000 } },
    );
    await s.close();
    assert.equal(r.status, 200);
    assert.equal(r.attempts, 2);
    assert.deepEqual(delays, [2000]);
    assert.deepEqual(slept, [2000]);
  });

  it("a 429 whose capped Retry-After does not fit in the budget is returned at once, without sleeping", async () => {
    const s = await serve((_q, _b, res) => { res.statusCode = 429; res.setHeader("Retry-After", "3600"); res.end("{}"); });
    let slept = 0;
    let retries = 0;
    const r = await send(
      { method: "GET", url: `${s.url}/x`, headers: {} },
      {
        budgetMs: 1000, now: () => 50_000, sleep: async () => { slept++; }, random: () => 0.5, onRetry: () => { retries++; },
        policy: { maxAttempts: 6, baseDelayMs: 10, maxDelayMs: 20, maxRetryAfterMs: 5000 },
      },
    );
    await s.close();
    assert.equal(r.status, 429);
    assert.equal(r.attempts, 1);
    assert.equal(s.hits.length, 1);
    assert.equal(slept, 0);
    assert.equal(retries, 0);
  });

  it("through the DIDWW client, an exhausted budget is a NETWORK error that names didww:requestTimeout", async () => {
    const s = await serve(() => {});
    const c = new DidwwClient({ apiKey: "budget-key", baseUrl: `${s.url}/v3`, requestsPerSecond: 1000, requestTimeoutMs: 250 }, { sleep: async () => {}, random: () => 0.5 });
    const err = await c.getTrunk("t1").then(() => undefined, (e) => e);
    await s.close();
    assert.ok(err instanceof VendorApiError, String(err));
    assert.equal(err.code, "NETWORK");
    assert.match(err.message, /didww:requestTimeout/);
    assert.match(err.message, /no usable answer: gave up after/);
    // A refused connection is not a budget problem and does not say so.
    const refused = await new DidwwClient({ apiKey: "budget-key-2", baseUrl: `${s.url}/v3`, requestsPerSecond: 1000 }, { sleep: async () => {}, random: () => 0.5, policy: { maxAttempts: 1, baseDelayMs: 1, maxDelayMs: 1, maxRetryAfterMs: 1 } })
      .getTrunk("t1").then(() => undefined, (e) => e);
    assert.equal(refused.code, "NETWORK");
    assert.equal(/didww:requestTimeout/.test(refused.message), false);
  });
});
