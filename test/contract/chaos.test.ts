/**
 * Nothing is lost under faults: creates, updates and deletes run against an emulator that drops
 * connections, loses responses after committing writes, and answers 429/5xx at random (seeded).
 * A failed operation is retried the way a user re-runs `pulumi up`. Invariants: no duplicate and
 * no orphan trunk (every trunk DIDWW has is one the "state" knows), and destroy leaves nothing.
 */
import { strict as assert } from "node:assert";
import { startEmulator, type EmulatorHandle } from "../../emulator";
import { outboundTrunkRuntime } from "../../provider/didww/crud";
import { diffTrunk } from "../../provider/didww/mapping";
import { credentialsTrunk } from "../helpers/trunks";

const TRUNKS = 40;
const PROBABILITY = 0.045; // per fault kind; eight kinds, so about a third of the requests misbehave
/** Names that a filter could split or mangle: commas (DIDWW's filter[name] reads them as "or"), quotes, %, non-ASCII. */
const SPELLINGS = ["Office, London", 'PBX "main"', "50% off", "Zürich – Nord", "plain"];
const nameOf = (i: number) => `chaos-${i} ${SPELLINGS[i % SPELLINGS.length]}`;

describe("chaos: faults never orphan or duplicate a trunk", function () {
  this.timeout(180_000);
  let emu: EmulatorHandle;
  const saved = { ...process.env };

  before(async () => {
    const match = { path: "/v3/voice_out_trunks" };
    emu = await startEmulator({
      port: 0,
      apiKeys: ["chaos-key"],
      randomSeed: Number(process.env.SIP_TRUNKS_CHAOS_SEED ?? 20261122),
      faults: [
        { kind: "lostResponse", match, probability: PROBABILITY },
        { kind: "drop", match, probability: PROBABILITY },
        { kind: "status", status: 500, match, probability: PROBABILITY },
        { kind: "status", status: 502, match, probability: PROBABILITY },
        { kind: "status", status: 503, match, probability: PROBABILITY },
        { kind: "status", status: 429, match, probability: PROBABILITY },
        // The write commits, then the answer is a 5xx: only a client that never repeats a POST blindly survives this.
        { kind: "statusAfterCommit", status: 500, match, probability: PROBABILITY },
        { kind: "statusAfterCommit", status: 502, match, probability: PROBABILITY },
      ],
    });
    process.env.DIDWW_API_KEY = "chaos-key";
    process.env.DIDWW_API_URL = emu.didwwUrl;
    process.env.DIDWW_REQUESTS_PER_SECOND = "5000";
  });
  after(async () => {
    await emu.close();
    process.env = saved;
  });

  /**
   * Runs `op` like successive `pulumi up`s: until it succeeds, at most `tries` times. `onError`
   * returns true when the failure was recorded in state (a partial create carries the new id),
   * after which the engine would update, not create again.
   */
  async function rerun<T>(tries: number, op: () => Promise<T>, onError: (e: unknown) => boolean = () => false): Promise<T | undefined> {
    for (let i = 0; i < tries; i++) {
      try {
        return await op();
      } catch (e) {
        if (onError(e)) return undefined;
      }
    }
    return undefined;
  }

  it(`${TRUNKS} trunks through create, update and destroy`, async () => {
    const state = new Map<string, { id: string; outs: Record<string, unknown> }>();
    const failures: string[] = [];
    await Promise.all(
      Array.from({ length: TRUNKS }, async (_, i) => {
        const name = nameOf(i);
        const inputs = credentialsTrunk({ name, capacityLimit: i });
        const created = await rerun(4, () => outboundTrunkRuntime.create({ ...inputs } as never), (e) => {
          const partial = e as { id?: string; properties?: Record<string, unknown> };
          failures.push(`create ${name}: ${(e as Error).message.split("\n")[0]}`);
          // A partial create: the engine records the id, and the next run updates instead of creating.
          if (partial.id) state.set(name, { id: partial.id, outs: partial.properties ?? {} });
          return partial.id !== undefined;
        });
        if (created) state.set(name, { id: created.id, outs: created.outs as unknown as Record<string, unknown> });
      }),
    );
    // Faults off for the audit.
    const faults = emu.faults.get();
    emu.faults.clear();
    const live = emu.store.didww.listTrunks();
    for (let i = 0; i < TRUNKS; i++) {
      const name = nameOf(i);
      const copies = live.filter((t) => t.name === name);
      if (copies.length > 1) {
        const trail = emu.requests.list().filter((r) => r.path.includes(`chaos-${i}`) || copies.some((c) => r.path.includes(c.id)) || r.method === "POST");
        console.log(trail.map((r) => `${r.at} ${r.method} ${decodeURIComponent(r.path)} ${r.status} ${r.fault ?? ""}`).join("\n"));
        console.log(failures.join("\n"));
      }
      assert.ok(copies.length <= 1, `duplicate trunks for ${name}: ${copies.map((t) => t.id).join(", ")}`);
      if (copies.length) assert.equal(state.get(name)?.id, copies[0].id, `orphan: ${name} exists as ${copies[0].id} but the state has ${state.get(name)?.id}`);
    }
    assert.ok(state.size >= TRUNKS - 2, `most creates should succeed within four runs (${state.size}/${TRUNKS}); failures: ${failures.join("; ")}`);
    console.log(`      ${failures.length} failed attempts were re-run; ${state.size}/${TRUNKS} trunks created, ${live.length} in DIDWW`);
    for (const f of failures) console.log(`        ${f}`);

    // Updates under faults converge.
    emu.faults.set(faults);
    for (const [name, s] of state) {
      const i = Number(name.split(" ")[0].split("-")[1]);
      const next = credentialsTrunk({ name, capacityLimit: i + 100 });
      const res = await rerun(4, async () => {
        const read = await outboundTrunkRuntime.read(s.id, s.outs);
        return outboundTrunkRuntime.update(s.id, read.props, next as never);
      });
      if (res) {
        assert.deepEqual(diffTrunk(res.outs, next as never), []);
        s.outs = res.outs as unknown as Record<string, unknown>;
      }
    }
    // Destroy under faults leaves nothing.
    for (const s of state.values()) await rerun(4, () => outboundTrunkRuntime.delete(s.id));
    const stats = { ...emu.faults.stats };
    emu.faults.clear();
    console.log(`      faults injected: ${JSON.stringify(stats)}`);
    assert.deepEqual(emu.store.didww.listTrunks().map((t) => t.name), [], "destroy left trunks behind");
  });
});
