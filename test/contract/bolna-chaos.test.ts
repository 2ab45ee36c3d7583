/**
 * Nothing is lost under faults, for `bolna.SipTrunk`: creates (numbers inline), updates (fields,
 * gateways, numbers added) and deletes against an emulated Bolna that drops connections, loses
 * responses after committing, commits and then answers 5xx, and answers 429/5xx at random
 * (seeded). A failed operation is re-run the way a user re-runs `pulumi up`. Invariants: no
 * duplicate and no orphan trunk (names are unique, so a blind repeat would be refused, not
 * duplicated: reconciliation must find the trunk), every update converges, destroy leaves nothing.
 */
import { strict as assert } from "node:assert";
import { DEFAULT_BOLNA_API_KEY, startEmulator, type EmulatorHandle } from "../../emulator";
import type { FaultRule } from "../../emulator/faults";
import { setStackConfig } from "../../provider/common/config";
import { sipTrunkRuntime } from "../../provider/bolna/sip-trunk-crud";

const TRUNKS = 16;
const nameOf = (i: number) => `chaos-${i} ${["Office, London", 'PBX "main"', "50% off", "Zürich – Nord"][i % 4]}`;

describe("chaos: faults never orphan or duplicate a Bolna trunk", function () {
  this.timeout(180_000);
  let emu: EmulatorHandle;

  before(async () => {
    const match = { path: "/bolna/" };
    const rules: FaultRule[] = [
      { kind: "lostResponse", match, probability: 0.05 },
      { kind: "drop", match, probability: 0.05 },
      { kind: "status", status: 500, match, probability: 0.05 },
      { kind: "status", status: 429, match, probability: 0.05 },
      { kind: "statusAfterCommit", status: 502, match, probability: 0.05 },
    ];
    emu = await startEmulator({ port: 0, randomSeed: Number(process.env.SIP_TRUNKS_CHAOS_SEED ?? 20261204), faults: rules, bolnaRetryAfterSeconds: 0 } as Parameters<typeof startEmulator>[0]);
    setStackConfig((k) => ({ "bolna:apiKey": DEFAULT_BOLNA_API_KEY, "bolna:apiUrl": emu.bolnaUrl })[k]);
  });
  after(async () => {
    setStackConfig(undefined);
    await emu.close();
  });

  const args = (i: number, v: number) => ({
    name: nameOf(i),
    provider: "custom",
    authType: i % 2 ? "userpass" : "ip-based",
    ...(i % 2 ? { authUsername: `user${i}`, authPassword: `chaos-password-${i}-${v}` } : { ipIdentifiers: [{ ipAddress: `10.9.${i}.0/24` }] }),
    gateways: [{ gatewayAddress: `gw${v}.example.com`, priority: 1 }],
    phoneNumbers: [{ phoneNumber: `+1415555${String(2000 + i * 2)}` }, ...(v ? [{ phoneNumber: `+1415555${String(2001 + i * 2)}` }] : [])],
    qualifyFrequency: 60 + v,
  });

  async function rerun<T>(op: () => Promise<T>, onPartial: (e: { id?: string; properties?: Record<string, unknown> }) => boolean = () => false): Promise<T | undefined> {
    for (let i = 0; i < 6; i++) {
      try {
        return await op();
      } catch (e) {
        if (onPartial(e as { id?: string })) return undefined;
      }
    }
    return undefined;
  }

  it(`${TRUNKS} trunks through create, update and destroy`, async () => {
    const state = new Map<number, { id: string; outs: Record<string, unknown> }>();
    await Promise.all(
      Array.from({ length: TRUNKS }, async (_, i) => {
        const inputs = (await sipTrunkRuntime.check({}, args(i, 0) as never)).inputs;
        const created = await rerun(() => sipTrunkRuntime.create({ ...inputs }), (e) => {
          if (e.id) state.set(i, { id: e.id, outs: (e as { properties?: Record<string, unknown> }).properties ?? {} });
          return e.id !== undefined;
        });
        if (created) state.set(i, { id: created.id, outs: created.outs as Record<string, unknown> });
      }),
    );
    const faults = emu.faults.get();
    const injectedOnCreate = emu.requests.list().filter((r) => r.fault).length;
    emu.faults.clear();
    const live = emu.store.bolna.listTrunks();
    for (let i = 0; i < TRUNKS; i++) {
      const copies = live.filter((t) => t.name === nameOf(i));
      assert.ok(copies.length <= 1, `duplicate trunks for ${nameOf(i)}`);
      if (copies.length) assert.equal(state.get(i)?.id, copies[0].id, `orphan: ${nameOf(i)} exists as ${copies[0].id} but the state has ${state.get(i)?.id}`);
    }
    assert.ok(state.size >= TRUNKS - 1, `most creates succeed within six runs (${state.size}/${TRUNKS})`);

    emu.faults.set(faults);
    for (const [i, s] of state) {
      const next = (await sipTrunkRuntime.check({}, args(i, 1) as never)).inputs;
      const res = await rerun(async () => sipTrunkRuntime.update(s.id, (await sipTrunkRuntime.read(s.id, s.outs as never)).props as never, next));
      assert.ok(res, `update of ${nameOf(i)} converged within six runs`);
      assert.equal((await sipTrunkRuntime.diff(s.id, res.outs, next)).changes, false, `${nameOf(i)} converged`);
      s.outs = res.outs as Record<string, unknown>;
    }
    emu.faults.clear();
    for (const [i, s] of state) {
      assert.equal(emu.store.bolna.listNumbers(s.id).length, 2, `${nameOf(i)}: both numbers, no duplicate`);
      assert.equal((emu.store.bolna.getTrunk(s.id) as { gateways: { gateway_address: string }[] }).gateways[0].gateway_address, "gw1.example.com");
    }
    emu.faults.set(faults);
    for (const s of state.values()) await rerun(() => sipTrunkRuntime.delete(s.id, s.outs as never));
    const injected = emu.requests.list().filter((r) => r.fault);
    emu.faults.clear();
    console.log(`      ${injectedOnCreate} faults on create, ${injected.length} in all (${[...new Set(injected.map((r) => r.fault))].join(", ")}); ${state.size}/${TRUNKS} created`);
    assert.ok(injectedOnCreate > 0 && injected.length > injectedOnCreate, "faults were injected in every phase");
    assert.deepEqual(emu.store.bolna.listTrunks().map((t) => t.name), [], "destroy left trunks behind");
    assert.deepEqual(emu.store.bolna.listNumbers(), [], "destroy left numbers behind");
  });
});
