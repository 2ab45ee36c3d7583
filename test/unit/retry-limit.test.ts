import { strict as assert } from "node:assert";
import { SlidingWindowLimiter } from "../../provider/common/rate-limit";
import { DEFAULT_RETRY_POLICY, isRetryable, mayHaveReachedServer, parseRetryAfter, retryDelayMs } from "../../provider/common/retry";

describe("retry: which outcomes are retried", () => {
  const table: [string, { status: number } | { networkErrorCode: string }, boolean][] = [
    ["GET", { status: 429 }, true],
    ["POST", { status: 429 }, true],
    ["GET", { status: 500 }, true],
    ["PATCH", { status: 502 }, true],
    ["DELETE", { status: 503 }, true],
    ["POST", { status: 500 }, false],
    ["POST", { status: 503 }, false],
    ["GET", { status: 404 }, false],
    ["PATCH", { status: 422 }, false],
    ["GET", { status: 401 }, false],
    ["POST", { networkErrorCode: "ECONNREFUSED" }, true],
    ["POST", { networkErrorCode: "ECONNRESET" }, false],
    ["POST", { networkErrorCode: "ETIMEDOUT" }, false],
    ["GET", { networkErrorCode: "ECONNRESET" }, true],
    ["DELETE", { networkErrorCode: "ETIMEDOUT" }, true],
    // A code not in the "never sent" list may have reached the server: idempotent requests retry, POST does not.
    ["GET", { networkErrorCode: "ERR_SOMETHING_ELSE" }, true],
    ["POST", { networkErrorCode: "ERR_STREAM_PREMATURE_CLOSE" }, false],
  ];
  for (const [method, outcome, expected] of table) {
    it(`${method} ${JSON.stringify(outcome)} → ${expected ? "retry" : "no retry"}`, () => {
      assert.equal(isRetryable(method, outcome), expected);
    });
  }
  it("tells which failures may have reached the server", () => {
    assert.equal(mayHaveReachedServer({ networkErrorCode: "ECONNREFUSED" }), false);
    assert.equal(mayHaveReachedServer({ networkErrorCode: "ECONNRESET" }), true);
    assert.equal(mayHaveReachedServer({ status: 502 }), true);
    assert.equal(mayHaveReachedServer({ status: 429 }), false);
    assert.equal(mayHaveReachedServer({ networkErrorCode: "ERR_STREAM_PREMATURE_CLOSE" }), true);
    assert.equal(mayHaveReachedServer({ networkErrorCode: "UNKNOWN" }), true);
  });
});

describe("retry: delay", () => {
  const p = DEFAULT_RETRY_POLICY; // base 250, cap 10000
  const table: [number, number, number | undefined, number][] = [
    [1, 0, undefined, 25], // floor = base/10
    [1, 1, undefined, 250],
    [2, 1, undefined, 500],
    [3, 0.5, undefined, 513], // 25 + (1000-25)*0.5 = 512.5
    [7, 1, undefined, 10000], // capped
    [20, 1, undefined, 10000],
    [1, 0, 3000, 3000], // Retry-After longer than the draw wins
    [3, 1, 100, 1000], // a shorter Retry-After does not shorten the backoff
    [1, 0, 3_600_000, 20_000], // a hostile Retry-After: 3600 is capped (maxRetryAfterMs)
  ];
  for (const [retry, random, retryAfter, expected] of table) {
    it(`retry ${retry}, random ${random}, Retry-After ${retryAfter} → ${expected} ms`, () => {
      assert.equal(retryDelayMs(retry, p, random, retryAfter), expected);
    });
  }
  it("parses Retry-After in seconds and as a date", () => {
    assert.equal(parseRetryAfter("2", 0), 2000);
    assert.equal(parseRetryAfter("0.5", 0), 500);
    assert.equal(parseRetryAfter(new Date(10_000).toUTCString(), 4_000), 6000);
    assert.equal(parseRetryAfter("soon", 0), undefined);
    assert.equal(parseRetryAfter(undefined, 0), undefined);
  });
});

describe("rate limit: sliding window", () => {
  it("lets 20 requests start in any second and queues the rest in order", async () => {
    let now = 0;
    const sleeps: number[] = [];
    const limiter = new SlidingWindowLimiter(20, () => now, async (ms) => { sleeps.push(ms); now += ms; });
    const startedAt: number[] = [];
    await Promise.all(Array.from({ length: 45 }, (_, i) => limiter.acquire().then((release) => { startedAt[i] = now; release(); })));
    assert.equal(startedAt.length, 45);
    // No 1000 ms window holds more than 20 starts.
    const sorted = [...startedAt].sort((a, b) => a - b);
    for (let i = 20; i < sorted.length; i++) assert.ok(sorted[i] - sorted[i - 20] >= 1000, `window at ${i}: ${sorted[i - 20]}..${sorted[i]}`);
    // Served in arrival order.
    assert.deepEqual(startedAt, sorted);
    assert.equal(startedAt.filter((t) => t === 0).length, 20);
    assert.ok(sleeps.length >= 2);
  });

  it("holds a slot until a second after the response, so no server-side second sees more than the limit", async () => {
    const limiter = new SlidingWindowLimiter(5);
    const spans: { start: number; end: number }[] = [];
    await Promise.all(Array.from({ length: 14 }, async (_, i) => {
      const release = await limiter.acquire();
      const start = Date.now();
      await new Promise((r) => setTimeout(r, 40 + (i % 3) * 60)); // the request's round trip
      spans.push({ start, end: Date.now() });
      release();
    }));
    assert.equal(spans.length, 14);
    // The server sees each request somewhere in [start, end]: for every admission, fewer than
    // 5 earlier requests may still have been in flight or inside their one-second tail.
    for (const k of spans) {
      const overlapping = spans.filter((j) => j !== k && j.start <= k.start && j.end + 1000 > k.start);
      assert.ok(overlapping.length < 5, `admission at ${k.start} overlapped ${overlapping.length} requests`);
    }
  });
});
