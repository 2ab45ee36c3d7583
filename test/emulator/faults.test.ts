/**
 * Fault injection: statuses, latency, dropped connections, lost responses, scripted sequences,
 * the per-key rate limiter, the "no outbound plan" toggle, and the runtime/admin controls.
 */
import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import type { EmulatorHandle, FaultRule } from "../../emulator";
import { NO_OUTBOUND_PLAN, TOO_MANY_REQUESTS } from "../../emulator/didww/messages";
import { createPrng } from "../../emulator/faults";
import { AUTH, api, createTrunk, patchDoc, start, stopAll, trunkDoc } from "./helpers";

const LIST = "/v3/voice_out_trunks";
const newTrunk = () => trunkDoc({ name: "f", on_cli_mismatch_action: "send_original_cli", authentication_method: AUTH.twilio });

async function statuses(emu: EmulatorHandle, n: number, method = "GET", path = LIST): Promise<Array<number | "dropped">> {
  const out: Array<number | "dropped"> = [];
  for (let i = 0; i < n; i++) {
    try {
      out.push((await api(emu, method, path)).status);
    } catch {
      out.push("dropped");
    }
  }
  return out;
}

describe("fault injection", function () {
  afterEach(stopAll);

  describe("injected statuses", function () {
    it("500 in DIDWW's JSON:API envelope; the request is not processed", async function () {
      const emu = await start({ faults: [{ kind: "status", status: 500, match: { method: "POST" } }] });
      const res = await api(emu, "POST", LIST, { body: newTrunk() });
      assert.equal(res.status, 500);
      assert.deepEqual(res.body, { errors: [{ title: "Internal Server Error", detail: "Internal Server Error", code: "500", status: "500" }] });
      assert.equal(emu.store.didww.listTrunks().length, 0);
      assert.equal((await api(emu, "GET", LIST)).status, 200, "GET does not match the rule");
    });

    for (const status of [502, 503] as const) {
      it(`${status} comes as a proxy's HTML page`, async function () {
        const emu = await start({ faults: [{ kind: "status", status }] });
        const res = await api(emu, "GET", LIST);
        assert.equal(res.status, status);
        assert.match(res.headers.get("content-type")!, /^text\/html/);
        assert.match(res.text, new RegExp(`<title>${status} `));
      });
    }

    it("429 in the JSON:API envelope", async function () {
      const emu = await start({ faults: [{ kind: "status", status: 429 }] });
      const res = await api(emu, "GET", LIST);
      assert.equal(res.status, 429);
      assert.deepEqual(res.body, { errors: [TOO_MANY_REQUESTS(20)] });
    });

    const matching: Array<[string, FaultRule["match"], Array<[string, string, boolean]>]> = [
      ["method", { method: ["PATCH", "delete"] }, [["GET", LIST, false], ["DELETE", `${LIST}/x`, true], ["PATCH", `${LIST}/x`, true]]],
      ["path prefix", { path: "/v3/dids" }, [["GET", "/v3/dids", true], ["GET", "/v3/dids/x", true], ["GET", LIST, false]]],
      ["RegExp on path and query", { path: /include=dids/ }, [["GET", `${LIST}?include=dids`, true], ["GET", LIST, false]]],
      ["pathRegex (JSON form)", { pathRegex: "^/v3/voice_out_trunks/[^/]+$" }, [["GET", `${LIST}/abc`, true], ["GET", LIST, false]]],
      ["vendor", { vendor: "twilio" }, [["GET", LIST, false]]],
    ];
    for (const [name, match, expectations] of matching) {
      it(`match by ${name}`, async function () {
        const emu = await start({ faults: [{ kind: "status", status: 503, match }] });
        for (const [method, path, hit] of expectations) {
          const res = await api(emu, method, path);
          assert.equal(res.status === 503, hit, `${method} ${path} → ${res.status}`);
        }
      });
    }

    it("times: fires that many times, then requests pass", async function () {
      const emu = await start({ faults: [{ kind: "status", status: 503, times: 2 }] });
      assert.deepEqual(await statuses(emu, 4), [503, 503, 200, 200]);
      assert.equal(emu.faults.get().rules![0].times, 0);
    });

    it("probability draws from the seeded PRNG: same seed, same faults", async function () {
      const rules: FaultRule[] = [{ kind: "status", status: 500, probability: 0.3 }];
      const a = await start({ faults: rules, randomSeed: 42 });
      const b = await start({ faults: rules, randomSeed: 42 });
      const sa = await statuses(a, 40);
      const sb = await statuses(b, 40);
      assert.deepEqual(sa, sb);
      const failures = sa.filter((s) => s === 500).length;
      assert.ok(failures > 0 && failures < 40, `some but not all requests failed (${failures})`);
      // The pattern is the PRNG's: request i fails when its draw is below 0.3.
      const prng = createPrng(42);
      assert.deepEqual(sa, Array.from({ length: 40 }, () => (prng() < 0.3 ? 500 : 200)));
      assert.equal(a.randomSeed, 42);
    });
  });

  describe("connection faults", function () {
    it("drop: the socket closes without a response and nothing is processed", async function () {
      const emu = await start({ faults: [{ kind: "drop", match: { method: "POST" }, times: 1 }] });
      await assert.rejects(api(emu, "POST", LIST, { body: newTrunk() }));
      assert.equal(emu.store.didww.listTrunks().length, 0);
      const entry = emu.requests.find((r) => r.method === "POST")!;
      assert.deepEqual([entry.status, entry.fault], [0, "drop"]);
      assert.equal((await api(emu, "POST", LIST, { body: newTrunk() })).status, 201, "times: 1");
    });

    it("lostResponse: the write commits (durably), then the client gets no answer", async function () {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), "sip-emu-"));
      try {
        const dataFile = path.join(dir, "s.json");
        const emu = await start({ dataFile, faults: [{ kind: "lostResponse", match: { method: "POST" }, times: 1 }] });
        await assert.rejects(api(emu, "POST", LIST, { body: newTrunk() }));
        const [trunk] = emu.store.didww.listTrunks();
        assert.ok(trunk, "the trunk exists although the client never heard");
        const onDisk = JSON.parse(fs.readFileSync(dataFile, "utf8"));
        assert.deepEqual(onDisk.didww.trunks.map((t: any) => t.id), [trunk.id], "and it was durable before the socket closed");
        const entry = emu.requests.find((r) => r.method === "POST")!;
        assert.deepEqual([entry.status, entry.fault], [201, "lostResponse"]);
        await emu.close();
      } finally {
        fs.rmSync(dir, { recursive: true, force: true });
      }
    });

    it("statusAfterCommit on POST: the trunk is created once (durably), the client sees a 502; a blind retry duplicates it", async function () {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), "sip-emu-"));
      try {
        const dataFile = path.join(dir, "s.json");
        const emu = await start({ dataFile, faults: [{ kind: "statusAfterCommit", status: 502, match: { method: "POST" }, times: 1 }] });
        const res = await api(emu, "POST", LIST, { body: newTrunk() });
        assert.equal(res.status, 502);
        assert.match(res.headers.get("content-type")!, /^text\/html/, "the same edge page as an injected 502");
        const trunks = emu.store.didww.listTrunks();
        assert.equal(trunks.length, 1, "the write committed exactly once");
        const onDisk = JSON.parse(fs.readFileSync(dataFile, "utf8"));
        assert.deepEqual(onDisk.didww.trunks.map((t: any) => t.id), [trunks[0].id], "and durably, before the 502 was sent");
        const entry = emu.requests.find((r) => r.method === "POST")!;
        assert.deepEqual([entry.status, entry.fault, entry.handledStatus], [502, "statusAfterCommit", 201]);
        assert.equal(emu.faults.stats.statusAfterCommit, 1);
        assert.equal(emu.faults.stats.status, 0);
        assert.equal((await api(emu, "POST", LIST, { body: newTrunk() })).status, 201);
        assert.equal(emu.store.didww.listTrunks().length, 2, "retrying the POST blindly made a second trunk");
        await emu.close();
      } finally {
        fs.rmSync(dir, { recursive: true, force: true });
      }
    });

    it("statusAfterCommit on PATCH: the change is applied, the client sees a 500 with the body of an injected 500", async function () {
      const emu = await start();
      const t = await createTrunk(emu);
      emu.faults.set([{ kind: "status", status: 500, match: { method: "GET" } }, { kind: "statusAfterCommit", status: 500, match: { method: "PATCH" } }]);
      const injected = await api(emu, "GET", LIST);
      const res = await api(emu, "PATCH", `${LIST}/${t.id}`, { body: patchDoc(t.id, { name: "renamed" }) });
      assert.equal(res.status, 500);
      assert.deepEqual(res.body, injected.body, "nothing tells the client that its write took effect");
      assert.equal(emu.store.didww.getTrunk(t.id)!.name, "renamed");
      assert.equal(emu.faults.stats.statusAfterCommit, 1);
    });

    it("statusAfterCommit on DELETE: the trunk is gone, the client sees a 503; the retry is a 404", async function () {
      const emu = await start();
      const t = await createTrunk(emu);
      emu.faults.set({ kind: "statusAfterCommit", status: 503, match: { method: "DELETE" }, times: 1 });
      const res = await api(emu, "DELETE", `${LIST}/${t.id}`);
      assert.equal(res.status, 503);
      assert.equal(emu.store.didww.getTrunk(t.id), undefined);
      assert.equal((await api(emu, "DELETE", `${LIST}/${t.id}`)).status, 404);
    });

    it("statusAfterCommit in a sequence set over the admin route (JSON form)", async function () {
      const emu = await start();
      const t = await createTrunk(emu);
      const admin = { "X-Emulator-Token": emu.adminToken };
      const set = await api(emu, "PUT", "/_emulator/faults", {
        headers: admin,
        body: { sequence: { match: { method: "PATCH" }, steps: [{ kind: "statusAfterCommit", status: 503 }, { kind: "pass" }] } },
      });
      assert.equal(set.status, 200, set.text);
      assert.equal((await api(emu, "PATCH", `${LIST}/${t.id}`, { body: patchDoc(t.id, { capacity_limit: 7 }) })).status, 503);
      assert.equal(emu.store.didww.getTrunk(t.id)!.capacity_limit, 7);
      assert.equal((await api(emu, "PATCH", `${LIST}/${t.id}`, { body: patchDoc(t.id, { capacity_limit: 8 }) })).status, 200);
      assert.equal((await api(emu, "GET", "/_emulator/faults", { headers: admin })).body.stats.statusAfterCommit, 1);
    });

    it("latency delays the answer and is logged; the answer is normal", async function () {
      const emu = await start({ faults: [{ kind: "latency", ms: 30, match: { path: "/v3/dids" } }] });
      const res = await api(emu, "GET", "/v3/dids");
      assert.equal(res.status, 200);
      assert.equal(emu.faults.stats.latency, 1);
      assert.equal(emu.requests.at(-1)!.fault, "latency");
      await api(emu, "GET", LIST);
      assert.equal(emu.faults.stats.latency, 1, "other paths are not delayed");
    });

    it("latency adds up with a status rule", async function () {
      const emu = await start({ faults: [{ kind: "latency", ms: 5 }, { kind: "status", status: 503 }] });
      assert.equal((await api(emu, "GET", LIST)).status, 503);
      assert.deepEqual([emu.faults.stats.latency, emu.faults.stats.status], [1, 1]);
    });
  });

  describe("scripted sequence", function () {
    it("steps are consumed one per matching request, then requests pass", async function () {
      const emu = await start({
        faults: { sequence: { match: { method: "GET" }, steps: [{ kind: "status", status: 503 }, { kind: "pass" }, { kind: "drop" }, { kind: "status", status: 429 }] } },
      });
      await createTrunk(emu); // a POST: does not match, consumes nothing
      assert.deepEqual(await statuses(emu, 6), [503, 200, "dropped", 429, 200, 200]);
      assert.deepEqual((emu.faults.get().sequence as { steps: unknown[] }).steps, []);
    });

    it("a bare array matches every request and runs before the rules", async function () {
      const emu = await start({ faults: { sequence: [{ kind: "status", status: 502 }], rules: [{ kind: "status", status: 500, times: 1 }] } });
      assert.deepEqual(await statuses(emu, 3), [502, 500, 200]);
    });
  });

  describe("rate limit (sliding window per API key)", function () {
    it("the 21st request within a second is a 429; other keys are unaffected; the window slides", async function () {
      let now = 1_000_000;
      const emu = await start({ faults: { rateLimit: { perSecond: 20 } }, clock: () => now });
      const first = await statuses(emu, 21);
      assert.deepEqual(first.slice(0, 20), new Array(20).fill(200));
      assert.equal(first[20], 429);
      const limited = await api(emu, "GET", LIST);
      assert.deepEqual(limited.body, { errors: [TOO_MANY_REQUESTS(20)] });
      assert.equal((await api(emu, "GET", LIST, { headers: { "Api-Key": "another-key" } })).status, 200);
      now += 999;
      assert.equal((await api(emu, "GET", LIST)).status, 429, "still inside the window");
      now += 1;
      assert.equal((await api(emu, "GET", LIST)).status, 200, "the oldest request left the window");
      assert.ok(emu.faults.stats.rateLimited >= 3);
      assert.ok(emu.requests.some((r) => r.status === 429 && r.fault === "rateLimited"));
    });

    it("a rate-limited write changes nothing; unauthenticated requests are 401, not counted", async function () {
      const now = 5_000;
      const emu = await start({ faults: { rateLimit: { perSecond: 1 } }, clock: () => now });
      for (let i = 0; i < 3; i++) assert.equal((await api(emu, "GET", LIST, { headers: { "Api-Key": undefined } })).status, 401);
      assert.equal((await api(emu, "POST", LIST, { body: newTrunk() })).status, 201);
      assert.equal((await api(emu, "POST", LIST, { body: newTrunk() })).status, 429);
      assert.equal(emu.store.didww.listTrunks().length, 1);
    });

    it("a concurrent burst within one instant: exactly perSecond requests pass", async function () {
      const emu = await start({ faults: { rateLimit: { perSecond: 5 } }, clock: () => 0 }); // a frozen clock: the whole burst is one instant
      const results = await Promise.all(Array.from({ length: 12 }, () => api(emu, "GET", LIST)));
      assert.equal(results.filter((r) => r.status === 200).length, 5);
      assert.equal(results.filter((r) => r.status === 429).length, 7);
    });
  });

  describe("no outbound plan (403)", function () {
    it("answers 403 on every voice_out_trunks endpoint, not on dids; switchable at runtime", async function () {
      const emu = await start();
      const t = await createTrunk(emu);
      emu.faults.update({ noOutboundPlan: true });
      const calls: Array<[string, string, unknown?]> = [
        ["GET", LIST],
        ["POST", LIST, newTrunk()],
        ["GET", `${LIST}/${t.id}`],
        ["PATCH", `${LIST}/${t.id}`, patchDoc(t.id, { name: "x" })],
        ["PUT", `${LIST}/${t.id}`, patchDoc(t.id, { name: "x" })],
        ["DELETE", `${LIST}/${t.id}`],
        ["GET", `${LIST}/${t.id}/relationships/dids`],
        ["POST", "/v3/voice_out_trunk_regenerate_credentials", { data: { type: "voice_out_trunk_regenerate_credentials", relationships: { voice_out_trunk: { data: { type: "voice_out_trunks", id: t.id } } } } }],
      ];
      for (const [method, path, body] of calls) {
        const res = await api(emu, method, path, { body });
        assert.equal(res.status, 403, `${method} ${path}`);
        assert.deepEqual(res.body, { errors: [NO_OUTBOUND_PLAN] });
      }
      assert.equal(emu.store.didww.getTrunk(t.id)!.name, "t", "nothing changed");
      assert.equal((await api(emu, "GET", "/v3/dids")).status, 200);
      emu.faults.update({ noOutboundPlan: false });
      assert.equal((await api(emu, "GET", LIST)).status, 200);
    });
  });

  describe("controls", function () {
    it("set replaces, add appends, update merges, clear removes everything", async function () {
      const emu = await start({ faults: { rules: [{ kind: "status", status: 500 }], noOutboundPlan: true } });
      emu.faults.update({ rateLimit: { perSecond: 100 } });
      assert.equal(emu.faults.get().noOutboundPlan, true);
      assert.equal(emu.faults.get().rules!.length, 1);
      emu.faults.add({ kind: "drop", match: { method: "DELETE" } });
      assert.equal(emu.faults.get().rules!.length, 2);
      emu.faults.set([{ kind: "status", status: 502 }]);
      assert.deepEqual(emu.faults.get(), { rules: [{ kind: "status", status: 502 }] });
      emu.faults.set({ kind: "status", status: 503, times: 1 });
      assert.deepEqual(emu.faults.get(), { rules: [{ kind: "status", status: 503, times: 1 }] }, "one rule is accepted as is");
      emu.faults.clear();
      assert.deepEqual(emu.faults.get(), {});
      assert.equal((await api(emu, "GET", LIST)).status, 200);
    });

    const invalid: Array<[string, unknown]> = [
      ["an unknown kind", [{ kind: "explode" }]],
      ["a status outside 429/500/502/503", [{ kind: "status", status: 404 }]],
      ["a probability above 1", [{ kind: "drop", probability: 2 }]],
      ["negative latency", [{ kind: "latency", ms: -1 }]],
      ["pass outside a sequence", [{ kind: "pass" }]],
      ["a bad pathRegex", [{ kind: "drop", match: { pathRegex: "(" } }]],
      ["a zero rate limit", { rateLimit: { perSecond: 0 } }],
    ];
    for (const [name, config] of invalid) {
      it(`rejects ${name}`, async function () {
        const emu = await start();
        assert.throws(() => emu.faults.set(config as FaultRule[]), Error);
      });
    }

    it("statusAfterCommit takes 500, 502 or 503: a 429 refuses a request, it never follows a commit", async function () {
      const emu = await start();
      for (const status of [500, 502, 503] as const) emu.faults.set({ kind: "statusAfterCommit", status });
      assert.throws(() => emu.faults.set([{ kind: "statusAfterCommit", status: 429 } as unknown as FaultRule]), /statusAfterCommit needs status 500, 502, 503/);
    });

    it("the admin route sets, reads and clears faults (JSON form)", async function () {
      const emu = await start();
      const admin = { "X-Emulator-Token": emu.adminToken };
      let res = await api(emu, "PUT", "/_emulator/faults", { headers: admin, body: { rules: [{ kind: "status", status: 503, match: { pathRegex: "voice_out" }, times: 1 }] } });
      assert.equal(res.status, 200);
      assert.equal((await api(emu, "GET", LIST)).status, 503);
      res = await api(emu, "PATCH", "/_emulator/faults", { headers: admin, body: { noOutboundPlan: true } });
      assert.equal((await api(emu, "GET", LIST)).status, 403);
      res = await api(emu, "GET", "/_emulator/faults", { headers: admin });
      assert.equal(res.body.faults.noOutboundPlan, true);
      assert.equal(res.body.stats.status, 1);
      res = await api(emu, "POST", "/_emulator/faults/rules", { headers: admin, body: { kind: "teleport" } });
      assert.equal(res.status, 400);
      assert.match(res.body.error, /unknown fault kind/);
      assert.equal((await api(emu, "DELETE", "/_emulator/faults", { headers: admin })).status, 204);
      assert.equal((await api(emu, "GET", LIST)).status, 200);
    });
  });
});
