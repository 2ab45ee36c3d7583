import { strict as assert } from "node:assert";
import { randomUUID } from "node:crypto";
import { concurrencyLimiterFor, limiterFor, SlidingWindowLimiter } from "../../provider/common/rate-limit";
import { DEFAULT_RETRY_POLICY, isRetryable, mayHaveReachedServer, parseRetryAfter, retryDelayMs } from "../../provider/common/retry";

describe("retry: which outcomes are retried", () => {
  const table: [string, { status: number } | { networkErrorCode: string }, boolean][] = [
    ["GET", { status: 429 }, true],
    ["POST", { status: 429 }, true],
    ["GET", { status: 500 }, true],
    ["PATCH", { status: 502 }, true],
    ["DELETE", { status: 503 }, true],
    ["GET", { status: 504 }, true],
    ["POST", { status: 504 }, false],
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
    assert.equal(mayHaveReachedServer({ status: 500 }), true, "a 500 is the first status that may follow a change");
    assert.equal(mayHaveReachedServer({ status: 499 }), false);
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
  it("reads several digits, a fraction of several digits and padding as seconds, never as a date", () => {
    // V8's Date.parse reads "12", "1.25" and " 3 " as calendar dates: the seconds form must win.
    assert.equal(parseRetryAfter("12", 0), 12_000);
    assert.equal(parseRetryAfter("1.25", 0), 1250);
    assert.equal(parseRetryAfter(" 3 ", 0), 3000);
  });
  it("refuses seconds with anything before or after them", () => {
    assert.equal(parseRetryAfter("x5", 0), undefined);
    assert.equal(parseRetryAfter("5x", 0), undefined);
  });
  it("a Retry-After equal to the backoff keeps the backoff, even when the policy caps Retry-After lower", () => {
    // retry 1, random 1: the ceiling, 1000 ms; a Retry-After only counts when it is longer.
    const policy = { maxAttempts: 3, baseDelayMs: 1000, maxDelayMs: 10_000, maxRetryAfterMs: 500 };
    assert.equal(retryDelayMs(1, policy, 1, 1000), 1000);
    assert.equal(retryDelayMs(1, policy, 1, undefined), 1000);
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

/** A clock the test moves by hand: `sleep` resolves once `set` has moved the time to its deadline. */
function manualClock() {
  let now = 0;
  const sleepers: { until: number; resolve: () => void }[] = [];
  return {
    now: () => now,
    sleep: (ms: number) => new Promise<void>((resolve) => sleepers.push({ until: now + ms, resolve })),
    set(t: number) {
      now = t;
      for (const s of sleepers.filter((x) => x.until <= now)) {
        sleepers.splice(sleepers.indexOf(s), 1);
        s.resolve();
      }
    },
  };
}

/** Whether `p` has settled once the microtasks and one macrotask turn have run. */
async function hasSettled(p: Promise<unknown>): Promise<boolean> {
  let settled = false;
  void p.then(() => (settled = true));
  await new Promise((r) => setImmediate(r));
  return settled;
}

describe("rate limit: the sliding window's rules, on a manual clock", () => {
  it("a slot is free again exactly one second after its request's response", async () => {
    const startAfter = async (ms: number) => {
      const clock = manualClock();
      const limiter = new SlidingWindowLimiter(1, clock.now, clock.sleep);
      (await limiter.acquire())();
      clock.set(ms);
      return hasSettled(limiter.acquire());
    };
    assert.equal(await startAfter(999), false, "999 ms after the response the slot is still held");
    assert.equal(await startAfter(1000), true, "at 1000 ms it is free");
  });

  it("a request waiting for a full window starts once the oldest slot's second is over", async () => {
    const clock = manualClock();
    const limiter = new SlidingWindowLimiter(1, clock.now, clock.sleep);
    (await limiter.acquire())(); // its slot is held until 1000
    clock.set(500);
    const waiting = limiter.acquire();
    clock.set(999);
    assert.equal(await hasSettled(waiting), false);
    clock.set(1001);
    assert.equal(await hasSettled(waiting), true);
  });

  it("calling a release function twice frees one slot, not two", async () => {
    const clock = manualClock();
    const limiter = new SlidingWindowLimiter(1, clock.now, clock.sleep);
    const first = await limiter.acquire();
    first();
    first();
    clock.set(1000);
    const second = await limiter.acquire();
    const third = limiter.acquire();
    assert.equal(await hasSettled(third), false, "one request per second: the third waits while the second is in flight");
    second();
    clock.set(2001);
    assert.equal(await hasSettled(third), true);
  });

  it("a clock stepping back does not hold an older slot past its second", async () => {
    const clock = manualClock();
    const limiter = new SlidingWindowLimiter(2, clock.now, clock.sleep);
    const a = await limiter.acquire();
    const b = await limiter.acquire();
    clock.set(500);
    a();
    clock.set(100); // the system clock was set back
    b();
    clock.set(1100); // b's tail (from 100) is over, a's (from 500) is not: one slot is free
    assert.equal(await hasSettled(limiter.acquire()), true);
  });
});

describe("rate limit: one limiter per vendor, key and limit in the process", () => {
  // Keys never used before in this process, so each run sees the limiters being created.
  it("hands out the same rate limiter for the same vendor, API key and rate, and another for any difference", () => {
    const [key, other] = [randomUUID(), randomUUID()];
    const shared = limiterFor("didww", key, 20);
    assert.equal(limiterFor("didww", key, 20), shared);
    assert.equal(shared.perSecond, 20);
    assert.notEqual(limiterFor("didww", other, 20), shared);
    assert.notEqual(limiterFor("twilio", key, 20), shared);
    const slower = limiterFor("didww", key, 10);
    assert.notEqual(slower, shared);
    assert.equal(slower.perSecond, 10);
  });

  it("hands out the same concurrency cap for the same vendor, account and cap, and another for any difference", () => {
    const [account, other] = [randomUUID(), randomUUID()];
    const shared = concurrencyLimiterFor("twilio", account, 4);
    assert.equal(concurrencyLimiterFor("twilio", account, 4), shared);
    assert.equal(shared.max, 4);
    assert.notEqual(concurrencyLimiterFor("twilio", other, 4), shared);
    assert.notEqual(concurrencyLimiterFor("bolna", account, 4), shared);
    const smaller = concurrencyLimiterFor("twilio", account, 2);
    assert.notEqual(smaller, shared);
    assert.equal(smaller.max, 2);
  });
});
