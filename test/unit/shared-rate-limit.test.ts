/**
 * The per-key window shared across provider host processes (provider/common/shared-window.ts):
 * limiters that share a directory stay under the limit together, a lock left by a killed process
 * is taken over, trouble with the directory falls back to the in-process limiter, and the file
 * never holds the key. test/emulator/shared-rate-limit.test.ts runs real processes.
 */
import { strict as assert } from "node:assert";
import sinon from "sinon";
import { randomUUID } from "node:crypto";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { limiterFor, SlidingWindowLimiter } from "../../provider/common/rate-limit";
import { SHARED_RATE_LIMIT_ENV, SharedWindow, sharedRateDir, sharedRateDirs, sweep, windowFile } from "../../provider/common/shared-window";

let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "sip-trunks-rate-"));
});
afterEach(() => {
  fs.rmSync(dir, { recursive: true, force: true });
});

/**
 * Virtual time: `sleep` registers a timer, `run` fires the earliest timer whenever everything
 * else is idle, until the work is done. Starts at a realistic wall-clock value.
 */
function virtualTime() {
  let now = 1_767_000_000_000;
  const timers: { at: number; resolve: () => void }[] = [];
  return {
    now: () => now,
    sleep: (ms: number) => new Promise<void>((resolve) => timers.push({ at: now + ms, resolve })),
    async run<T>(work: Promise<T>): Promise<T> {
      let done = false;
      const settled = work.finally(() => (done = true));
      for (let turns = 0; !done; turns++) {
        assert.ok(turns < 100_000, "the work never finished");
        await new Promise((r) => setImmediate(r));
        if (done || timers.length === 0) continue;
        timers.sort((a, b) => a.at - b.at);
        const next = timers.shift()!;
        now = Math.max(now, next.at);
        next.resolve();
      }
      return settled;
    },
  };
}

interface Span {
  who: string;
  start: number;
  end: number;
}

/** `count` requests through `limiter`, each taking `latency(i)` ms, all queued at once. */
function burst(who: string, limiter: SlidingWindowLimiter, count: number, sleep: (ms: number) => Promise<void>, now: () => number, latency: (i: number) => number, spans: Span[]) {
  return Promise.all(
    Array.from({ length: count }, async (_, i) => {
      const release = await limiter.acquire();
      const start = now();
      await sleep(latency(i));
      spans.push({ who, start, end: now() });
      release();
    }),
  );
}

/** Neither the start times nor the slots (start to a second after the response) ever exceed `limit`. */
function assertWithinLimit(spans: Span[], limit: number): void {
  const starts = spans.map((s) => s.start).sort((a, b) => a - b);
  for (let i = limit; i < starts.length; i++) assert.ok(starts[i] - starts[i - limit] >= 1000, `${limit + 1} starts within ${starts[i] - starts[i - limit]} ms`);
  for (const k of spans) {
    const held = spans.filter((j) => j !== k && j.start <= k.start && j.end + 1000 > k.start);
    assert.ok(held.length < limit, `a request of ${k.who} started at +${k.start - starts[0]} ms while ${held.length} slots were held (${held.map((h) => h.who).join(",")})`);
  }
}

describe("shared rate limit: two processes' limiters on one window file", () => {
  it("never let more than the limit start in any second, nor hold more than the limit of slots, together", async () => {
    const clock = virtualTime();
    const file = windowFile(dir, "didww", "key-a");
    // Two limiters with their own windows on one file: what two provider hosts have.
    const [a, b] = ["a", "b"].map(() => new SlidingWindowLimiter(5, clock.now, clock.sleep, new SharedWindow(file, 5, { now: clock.now })));
    const spans: Span[] = [];
    await clock.run(
      Promise.all([
        burst("a", a, 17, clock.sleep, clock.now, (i) => 20 + (i % 4) * 70, spans),
        burst("b", b, 13, clock.sleep, clock.now, (i) => 150 - (i % 3) * 50, spans),
      ]),
    );
    assert.equal(spans.length, 30);
    assertWithinLimit(spans, 5);
    // Both got their turns (neither process is starved while the other has work).
    const firstSecond = spans.filter((s) => s.start < spans.reduce((m, x) => Math.min(m, x.start), Infinity) + 1000);
    assert.deepEqual(new Set(firstSecond.map((s) => s.who)).size, 2);
    // Every slot has ended and the file holds only the tails of the last second.
    const slots = JSON.parse(fs.readFileSync(file, "utf8")).slots as number[][];
    assert.ok(slots.length <= 5 && slots.every((s) => s[3] !== 0), JSON.stringify(slots));
  });

  it("a second process starting into a second the first has filled waits for the first's tails to end", async () => {
    const clock = virtualTime();
    const file = windowFile(dir, "didww", "key-b");
    const first = new SlidingWindowLimiter(4, clock.now, clock.sleep, new SharedWindow(file, 4, { now: clock.now }));
    const spans: Span[] = [];
    await clock.run(burst("first", first, 4, clock.sleep, clock.now, () => 100, spans));
    const second = new SlidingWindowLimiter(4, clock.now, clock.sleep, new SharedWindow(file, 4, { now: clock.now }));
    await clock.run(burst("second", second, 4, clock.sleep, clock.now, () => 100, spans));
    const lastEnd = Math.max(...spans.filter((s) => s.who === "first").map((s) => s.end));
    for (const s of spans.filter((x) => x.who === "second")) assert.ok(s.start >= lastEnd + 1000, `started ${lastEnd + 1000 - s.start} ms early`);
  });

  it("windows of different keys do not share", async () => {
    const clock = virtualTime();
    const spans: Span[] = [];
    const mk = (key: string) => new SlidingWindowLimiter(3, clock.now, clock.sleep, new SharedWindow(windowFile(dir, "didww", key), 3, { now: clock.now }));
    const t0 = clock.now();
    await clock.run(Promise.all([burst("x", mk("x"), 3, clock.sleep, clock.now, () => 10, spans), burst("y", mk("y"), 3, clock.sleep, clock.now, () => 10, spans)]));
    assert.ok(spans.every((s) => s.start === t0), "six requests of two keys all start at once");
  });

  it("in-flight slots of a process that is gone (kill -9) are held one more second; a live process's until they end", async () => {
    const t = 1_767_000_000_000;
    const file = windowFile(dir, "didww", "key-c");
    const dead = 2 ** 22 + 12345; // beyond pid_max's default: no such process
    const inFlight = JSON.stringify({ v: 1, slots: [[dead, 1, t - 50, 0], [dead, 2, t - 40, 0]] });
    fs.writeFileSync(file, inFlight);
    assert.deepEqual(await new SharedWindow(file, 2, { now: () => t }).reserve(), { kind: "wait", ms: 1001 }, "noticed gone at t: held until t + 1000");
    assert.equal((await new SharedWindow(file, 2, { now: () => t + 999 }).reserve()).kind, "wait");
    assert.equal((await new SharedWindow(file, 2, { now: () => t + 1000 }).reserve()).kind, "granted");

    fs.writeFileSync(file, inFlight);
    const alive = { isAlive: (pid: number) => pid === dead };
    assert.deepEqual(await new SharedWindow(file, 2, { now: () => t + 5000, ...alive }).reserve(), { kind: "wait", ms: 50 }, "still in flight: look again soon");
    // A slot whose release was lost is taken as answered at the end of its lease.
    assert.deepEqual(await new SharedWindow(file, 2, { now: () => t + 5000, inFlightLeaseMs: 4500, ...alive }).reserve(), { kind: "wait", ms: 451 });
    fs.writeFileSync(file, inFlight);
    assert.equal((await new SharedWindow(file, 2, { now: () => t + 5000, inFlightLeaseMs: 3000, ...alive }).reserve()).kind, "granted");
  });

  it("a full window says how long until its first tail ends", async () => {
    const now = 1_767_000_000_000;
    const file = windowFile(dir, "didww", "key-d");
    fs.writeFileSync(file, JSON.stringify({ v: 1, slots: [[process.pid, 1, now - 900, now - 700], [process.pid, 2, now - 800, now - 300]] }));
    const answer = await new SharedWindow(file, 2, { now: () => now }).reserve();
    assert.deepEqual(answer, { kind: "wait", ms: 301 });
  });
});

describe("shared rate limit: the lock", () => {
  it("takes over a lock left behind by a process killed while holding it", async () => {
    const file = windowFile(dir, "didww", "key-e");
    fs.writeFileSync(`${file}.lock`, "");
    const old = new Date(Date.now() - 10_000);
    fs.utimesSync(`${file}.lock`, old, old);
    const started = Date.now();
    const answer = await new SharedWindow(file, 3).reserve();
    assert.equal(answer.kind, "granted");
    assert.ok(Date.now() - started < 500, `took ${Date.now() - started} ms`);
    assert.equal(fs.existsSync(`${file}.lock`), false);
    assert.equal(JSON.parse(fs.readFileSync(file, "utf8")).slots.length, 1);
    assert.deepEqual(fs.readdirSync(dir).sort(), [path.basename(file)]);
  });

  it("waits for a fresh lock to become stale, then takes it over", async () => {
    const file = windowFile(dir, "didww", "key-f");
    fs.writeFileSync(`${file}.lock`, "");
    const started = Date.now();
    const answer = await new SharedWindow(file, 3, { staleLockMs: 300 }).reserve();
    assert.equal(answer.kind, "granted");
    assert.ok(Date.now() - started >= 250, `took over a fresh lock after ${Date.now() - started} ms`);
  });

  it("respects a lock in use: a booking that cannot get it in time goes ahead without the file, this once", async () => {
    const file = windowFile(dir, "didww", "key-g");
    fs.writeFileSync(`${file}.lock`, "");
    const window = new SharedWindow(file, 3, { lockWaitMs: 100 });
    assert.deepEqual(await window.reserve(), { kind: "off" });
    assert.equal(fs.existsSync(`${file}.lock`), true, "the holder's lock stands");
    assert.equal(fs.existsSync(file), false);
    assert.equal(window.off, false, "not given up for good");
    fs.rmSync(`${file}.lock`);
    assert.equal((await window.reserve()).kind, "granted");
  });
});

describe("shared rate limit: falling back to the in-process limiter", () => {
  const saved = process.env[SHARED_RATE_LIMIT_ENV];
  afterEach(() => {
    if (saved === undefined) delete process.env[SHARED_RATE_LIMIT_ENV];
    else process.env[SHARED_RATE_LIMIT_ENV] = saved;
  });

  it("with a directory that cannot be created, limiterFor works alone", async () => {
    const notADir = path.join(dir, "file");
    fs.writeFileSync(notADir, "");
    process.env[SHARED_RATE_LIMIT_ENV] = path.join(notADir, "rate"); // ENOTDIR, even for root
    assert.equal(sharedRateDir(), undefined);
    const limiter = limiterFor("didww", randomUUID(), 3);
    assert.equal(limiter.shared, undefined);
    for (let i = 0; i < 3; i++) (await limiter.acquire())();
  });

  it("when the file fails under way, requests go on with the in-process limit and the file is given up", async () => {
    const sub = path.join(dir, "sub");
    fs.mkdirSync(sub);
    const window = new SharedWindow(windowFile(sub, "didww", "key-h"), 2);
    const limiter = new SlidingWindowLimiter(2, Date.now, undefined, window);
    (await limiter.acquire())();
    fs.rmSync(sub, { recursive: true });
    fs.writeFileSync(sub, ""); // the directory is now a file: every call fails
    const release = await limiter.acquire();
    release();
    assert.equal(window.off, true);
    assert.deepEqual(await window.reserve(), { kind: "off" });
  });

  it("a shared window that throws is ignored: the request goes ahead under the in-process limit", async () => {
    const limiter = new SlidingWindowLimiter(1, Date.now, undefined, { reserve: () => Promise.reject(new Error("disk on fire")) });
    (await limiter.acquire())();
  });

  it("a torn or foreign file is started over, not a failure", async () => {
    const file = windowFile(dir, "didww", "key-i");
    for (const text of ["{\"v\":1,\"slots\":[[1,2", "[]", "{\"v\":2,\"slots\":[]}", "{\"v\":1,\"slots\":[[1,2,\"x\",0]]}"]) {
      fs.writeFileSync(file, text);
      assert.equal((await new SharedWindow(file, 1).reserve()).kind, "granted", text);
    }
  });

  it("SIP_TRUNKS_SHARED_RATE_LIMIT=0 turns sharing off; a path names the directory; else the cache directory", () => {
    for (const off of ["0", "false", "OFF", "no"]) assert.equal(sharedRateDirs({ [SHARED_RATE_LIMIT_ENV]: off }), undefined);
    process.env[SHARED_RATE_LIMIT_ENV] = "0";
    assert.equal(limiterFor("didww", randomUUID(), 20).shared, undefined);
    assert.deepEqual(sharedRateDirs({ [SHARED_RATE_LIMIT_ENV]: "/srv/rate" }), ["/srv/rate"]);
    const dirs = sharedRateDirs({ XDG_CACHE_HOME: "/xdg" })!;
    assert.equal(dirs[0], path.join("/xdg", "pulumi-sip-trunks", "rate"));
    assert.equal(dirs[1], path.join(os.homedir(), ".cache", "pulumi-sip-trunks", "rate"));
    assert.ok(dirs[2].startsWith(os.tmpdir()));
    assert.deepEqual(sharedRateDirs({ [SHARED_RATE_LIMIT_ENV]: "1" })!.slice(-2), dirs.slice(-2));
  });
});

describe("shared rate limit: what the file holds", () => {
  const saved = process.env[SHARED_RATE_LIMIT_ENV];
  afterEach(() => {
    if (saved === undefined) delete process.env[SHARED_RATE_LIMIT_ENV];
    else process.env[SHARED_RATE_LIMIT_ENV] = saved;
  });

  it("names and fills the window file without the key: process ids and times only", async () => {
    process.env[SHARED_RATE_LIMIT_ENV] = dir;
    const key = `secret-${randomUUID()}`;
    const limiter = limiterFor("didww", key, 20);
    assert.ok(limiter.shared, "limiterFor shares through the directory");
    const releases = await Promise.all([limiter.acquire(), limiter.acquire(), limiter.acquire()]);
    const files = fs.readdirSync(dir);
    assert.deepEqual(files, [path.basename(windowFile(dir, "didww", key))]);
    assert.match(files[0], /^[0-9a-f]{32}\.json$/);
    const during = fs.readFileSync(path.join(dir, files[0]), "utf8");
    releases.forEach((r) => r());
    await new Promise((r) => setImmediate(r));
    const after = fs.readFileSync(path.join(dir, files[0]), "utf8");
    for (const text of [files[0], during, after]) {
      assert.ok(!text.includes(key) && !text.includes(key.slice(7)), text);
    }
    const parsed = JSON.parse(after) as { v: number; slots: number[][] };
    assert.deepEqual(Object.keys(parsed), ["v", "slots"]);
    assert.equal(parsed.slots.length, 3);
    for (const s of parsed.slots) {
      assert.equal(s.length, 4);
      assert.equal(s[0], process.pid);
      assert.ok(s[3] >= s[2] && s[3] > 0, "released");
    }
    assert.equal(JSON.parse(during).slots.filter((s: number[]) => s[3] === 0).length, 3, "in flight while held");
    assert.notEqual(windowFile(dir, "twilio", key), windowFile(dir, "didww", key));
  });
});

describe("shared rate limit: tidying the directory", () => {
  it("removes the window files of keys unused for ten minutes, and nothing else", () => {
    const now = Date.now();
    const old = windowFile(dir, "didww", "old");
    const fresh = windowFile(dir, "didww", "fresh");
    const other = path.join(dir, "notes.json");
    for (const f of [old, `${old}.123.tmp`, fresh, other]) fs.writeFileSync(f, "{}");
    const longAgo = new Date(now - 11 * 60_000);
    for (const f of [old, `${old}.123.tmp`, other]) fs.utimesSync(f, longAgo, longAgo);
    sweep(dir, now);
    assert.deepEqual(fs.readdirSync(dir).sort(), [path.basename(fresh), "notes.json"].sort());
    sweep(path.join(dir, "missing"), now); // never throws
  });
});

describe("shared rate limit: what a request costs", () => {
  afterEach(() => sinon.restore());

  it("answers that arrive together take the lock once; an answer and the next booking take it once together", async () => {
    const file = windowFile(dir, "didww", "k");
    const window = new SharedWindow(file, 20);
    // The module object itself: the namespace `fs` here, as in shared-window.ts, reads through to it.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const open = sinon.spy(require("node:fs") as typeof fs, "openSync");
    const locks = () => open.getCalls().filter((c) => c.args[0] === `${file}.lock`).length;
    const granted = await Promise.all([window.reserve(), window.reserve(), window.reserve()]);
    assert.equal(locks(), 3, "one turn of the lock a booking");
    open.resetHistory();
    for (const g of granted) (g as { release(): void }).release();
    assert.equal(locks(), 0, "nothing written before the turn of the event loop ends");
    await new Promise((r) => setImmediate(r));
    assert.equal(locks(), 1, "three answers, one turn of the lock");
    const slots = (): number[][] => JSON.parse(fs.readFileSync(file, "utf8")).slots;
    assert.ok(slots().every((s) => s[3] > 0), "all three answered in the file");

    open.resetHistory();
    const a = await window.reserve();
    open.resetHistory();
    (a as { release(): void }).release();
    const b = await window.reserve();
    assert.equal(b.kind, "granted");
    assert.equal(locks(), 1, "the answer went with the next booking");
    assert.equal(slots().filter((s) => s[3] === 0).length, 1, "only the new booking is in flight");
    await new Promise((r) => setImmediate(r));
    assert.equal(locks(), 1, "nothing left to write afterwards");
  });
});

describe("shared rate limit: writing in place", () => {
  it("a shorter window is cut to its length: no tail of the longer text it replaced", async () => {
    const file = windowFile(dir, "didww", "k");
    const old = Date.now() - 60_000;
    fs.writeFileSync(file, JSON.stringify({ v: 1, slots: Array.from({ length: 20 }, (_, i) => [process.pid, 10_000 + i, old, old + 5]) }));
    const before = fs.statSync(file).size;
    const g = await new SharedWindow(file, 20).reserve();
    assert.equal(g.kind, "granted");
    const text = fs.readFileSync(file, "utf8");
    assert.ok(text.length < before, `${text.length} < ${before}`);
    assert.equal(JSON.parse(text).slots.length, 1, text);
  });
});
