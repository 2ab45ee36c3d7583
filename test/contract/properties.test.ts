/**
 * Properties of the provider against the emulator, an implementation of DIDWW written apart
 * from the provider: for generated valid trunks, create-then-diff and read-then-diff are empty,
 * a refresh gives back the applied inputs, and an update to any other valid trunk converges.
 */
import { strict as assert } from "node:assert";
import { isDeepStrictEqual } from "node:util";
import fc from "fast-check";
import { startEmulator, DEFAULT_DID_IDS, type EmulatorHandle } from "../../emulator";
import { outboundTrunkRuntime } from "../../provider/didww/crud";
import { diffTrunk } from "../../provider/didww/mapping";
import { trunkArbitrary } from "../helpers/arbitraries";

const RUNS = Number(process.env.SIP_TRUNKS_PROPERTY_RUNS ?? 100);

describe("provider ⟷ emulator properties (fast-check)", function () {
  let emu: EmulatorHandle;
  const saved = { key: process.env.DIDWW_API_KEY, url: process.env.DIDWW_API_URL, rate: process.env.DIDWW_REQUESTS_PER_SECOND };
  const arb = trunkArbitrary({ plain: [...DEFAULT_DID_IDS.plain], emergency: [...DEFAULT_DID_IDS.emergency] });

  before(async () => {
    emu = await startEmulator({ port: 0, apiKeys: ["property-key"] });
    process.env.DIDWW_API_KEY = "property-key";
    process.env.DIDWW_API_URL = emu.didwwUrl;
    process.env.DIDWW_REQUESTS_PER_SECOND = "5000"; // the emulator has no rate limit here; the limiter is tested elsewhere
  });
  after(async () => {
    await emu.close();
    for (const [k, v] of [["DIDWW_API_KEY", saved.key], ["DIDWW_API_URL", saved.url], ["DIDWW_REQUESTS_PER_SECOND", saved.rate]] as const) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  });

  it(`create → diff, refresh → diff, update → diff are empty, and nothing is left behind (${RUNS} runs)`, async () => {
    await fc.assert(
      fc.asyncProperty(arb, arb, async (a, b) => {
        const applied = JSON.parse(JSON.stringify(a));
        const created = await outboundTrunkRuntime.create({ ...applied });
        try {
          assert.deepEqual(diffTrunk(created.outs, applied), [], "create then diff");
          const read = await outboundTrunkRuntime.read(created.id, created.outs);
          assert.equal(read.id, created.id);
          assert.deepEqual(diffTrunk(read.props, applied), [], "refresh then diff");
          assert.ok(isDeepStrictEqual(read.inputs, applied), `refresh gives back the applied inputs: ${JSON.stringify(read.inputs)} vs ${JSON.stringify(applied)}`);
          if (a.authenticationMethod.type === "credentials_and_ip") {
            assert.match(String(read.props.password), /^[A-Za-z0-9]{16}$/, "credentials survive the masking GET");
          }
          const next = JSON.parse(JSON.stringify(b));
          const { changes } = await outboundTrunkRuntime.diff(created.id, read.props, next);
          const updated = changes ? (await outboundTrunkRuntime.update(created.id, read.props, next)).outs : read.props;
          assert.deepEqual(diffTrunk(updated, next), [], "update converges");
          assert.ok(emu.store.didww.getTrunk(created.id), "same trunk, updated in place");
        } finally {
          await outboundTrunkRuntime.delete(created.id);
        }
        assert.equal(emu.store.didww.getTrunk(created.id), undefined);
      }),
      { numRuns: RUNS },
    );
    assert.equal(emu.store.didww.listTrunks().length, 0);
  });
});
