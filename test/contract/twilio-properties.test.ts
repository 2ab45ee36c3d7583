/**
 * Properties of `twilio.Trunk` against the emulator's Twilio, written apart from the provider:
 * for generated valid trunks (spellings included: domain-name case, empty versus null, partial
 * recording, association order), create-then-diff and read-then-diff are empty, a refresh gives
 * back the applied inputs, and an update to any other valid trunk converges in place.
 */
import { strict as assert } from "node:assert";
import { isDeepStrictEqual } from "node:util";
import fc from "fast-check";
import { DEFAULT_TWILIO_ACCOUNT, DEFAULT_TWILIO_NUMBER_SIDS, startEmulator, type EmulatorHandle } from "../../emulator";
import { setStackConfig } from "../../provider/common/config";
import { trunkRuntime } from "../../provider/twilio/trunk-crud";
import { diffTrunk } from "../../provider/twilio/trunk-mapping";

const RUNS = Number(process.env.SIP_TRUNKS_PROPERTY_RUNS ?? 60);

const label = fc.stringMatching(/^[a-z0-9]([a-z0-9-]{0,10}[a-z0-9])?$/);
const optional = <T>(arb: fc.Arbitrary<T>) => fc.option(arb, { nil: undefined });
const subset = (values: readonly string[]) => fc.subarray([...values]).chain((xs) => fc.shuffledSubarray(xs, { minLength: xs.length, maxLength: xs.length }));

function trunkArb(lists: { cl: string[]; al: string[] }) {
  return fc.record(
    {
      friendlyName: optional(fc.oneof(fc.constant(null), fc.string({ maxLength: 64 }).filter((s) => s.length > 0))),
      domainName: optional(fc.oneof(fc.constant(null), fc.tuple(label, fc.boolean()).map(([l, upper]) => `${upper ? l.toUpperCase() : l}.pstn.twilio.com`))),
      disasterRecoveryUrl: optional(fc.oneof(fc.constant(null), fc.webUrl({ validSchemes: ["https", "http"] }))),
      disasterRecoveryMethod: optional(fc.constantFrom("GET", "POST")),
      transferMode: optional(fc.constantFrom("disable-all", "enable-all", "sip-only")),
      transferCallerId: optional(fc.constantFrom("from-transferee", "from-transferor")),
      secure: optional(fc.boolean()),
      cnamLookupEnabled: optional(fc.boolean()),
      recording: optional(fc.record({ mode: optional(fc.constantFrom("do-not-record", "record-from-ringing", "record-from-answer", "record-from-ringing-dual", "record-from-answer-dual")), trim: optional(fc.constantFrom("do-not-trim", "trim-silence")) }, { requiredKeys: [] })),
      phoneNumberSids: optional(subset(DEFAULT_TWILIO_NUMBER_SIDS.slice(0, 3))),
      credentialListSids: optional(subset(lists.cl)),
      ipAccessControlListSids: optional(subset(lists.al)),
    },
    { requiredKeys: [] },
  ).map((t) => JSON.parse(JSON.stringify(t)) as Record<string, unknown>);
}

describe("twilio.Trunk ⟷ emulator properties (fast-check)", function () {
  let emu: EmulatorHandle;
  const lists = { cl: [] as string[], al: [] as string[] };

  before(async () => {
    emu = await startEmulator({ port: 0 });
    const a = DEFAULT_TWILIO_ACCOUNT;
    setStackConfig((k) => ({ "twilio:accountSid": a.accountSid, "twilio:authToken": a.authToken, "twilio:trunkingUrl": emu.twilioTrunkingUrl, "twilio:apiUrl": emu.twilioApiUrl })[k]);
    for (let i = 0; i < 2; i++) {
      lists.cl.push(emu.store.twilio.put("credential_lists", { friendly_name: `prop cl ${i}` } as never).sid);
      lists.al.push(emu.store.twilio.put("ip_access_control_lists", { friendly_name: `prop al ${i}` } as never).sid);
    }
  });
  after(async () => {
    setStackConfig(undefined);
    await emu.close();
  });

  it(`create → diff, refresh → diff, update → diff are empty, and nothing is left behind (${RUNS} runs)`, async function () {
    this.timeout(120_000);
    const arb = trunkArb(lists);
    await fc.assert(
      fc.asyncProperty(arb, arb, async (a, b) => {
        // A domain name is unique across Twilio: give the second one its own label.
        if (typeof b.domainName === "string") b.domainName = `b-${b.domainName}`;
        const checked = await trunkRuntime.check({}, a);
        assert.deepEqual(checked.failures, []);
        const created = await trunkRuntime.create(checked.inputs);
        try {
          assert.deepEqual(diffTrunk(created.outs, checked.inputs), [], "create then diff");
          const read = await trunkRuntime.read(created.id, created.outs);
          assert.equal(read.id, created.id);
          assert.deepEqual(diffTrunk(read.props, checked.inputs), [], "refresh then diff");
          const { __provider: _p, ...applied } = checked.inputs as Record<string, unknown>;
          assert.ok(isDeepStrictEqual(read.inputs, JSON.parse(JSON.stringify(applied))), `refresh gives back the applied inputs: ${JSON.stringify(read.inputs)} vs ${JSON.stringify(applied)}`);
          const next = (await trunkRuntime.check(checked.inputs, b)).inputs;
          const { changes } = await trunkRuntime.diff(created.id, read.props, next);
          const updated = changes ? (await trunkRuntime.update(created.id, read.props, next)).outs : read.props;
          assert.deepEqual(diffTrunk(updated, next), [], "update converges");
          const again = await trunkRuntime.read(created.id, updated);
          assert.deepEqual(diffTrunk(again.props, next), [], "and stays converged on the next refresh");
          assert.ok(emu.store.twilio.getTrunk(created.id), "same trunk, updated in place");
        } finally {
          await trunkRuntime.delete(created.id);
        }
        assert.equal(emu.store.twilio.getTrunk(created.id), undefined);
      }),
      { numRuns: RUNS },
    );
  });
});
