/**
 * Properties of the Twilio SIP lists against the emulator's Twilio: for generated credential
 * lists and IP access control lists (entries in any order, bare addresses and /32, default entry
 * names, passwords that meet Twilio's rule), create-then-diff and read-then-diff are empty, and an
 * update to any other generated list converges in place, entry by entry.
 */
import { strict as assert } from "node:assert";
import fc from "fast-check";
import { DEFAULT_TWILIO_ACCOUNT, startEmulator, type EmulatorHandle } from "../../emulator";
import { setStackConfig } from "../../provider/common/config";
import type { Runtime } from "../../provider/common/runtime";
import { credentialListRuntime } from "../../provider/twilio/credential-list-crud";
import { ipAccessControlListRuntime } from "../../provider/twilio/ip-access-control-list-crud";

const RUNS = Number(process.env.SIP_TRUNKS_PROPERTY_RUNS ?? 40);
type Bag = Record<string, unknown>;

const password = fc.tuple(fc.stringMatching(/^[A-Z][a-z]{6,10}$/), fc.integer({ min: 10, max: 99999 })).map(([w, n]) => `${w}x${n}Pw`);
const credentials = fc.uniqueArray(fc.record({ username: fc.constantFrom("alice", "bob", "carol", "dave", "eve"), password }), { selector: (c) => c.username, maxLength: 4 });
const octet = fc.integer({ min: 1, max: 254 });
const ipEntry = fc.record(
  {
    ipAddress: fc.tuple(octet, octet).map(([a, b]) => `10.${a}.${b}.7`),
    cidrPrefixLength: fc.option(fc.constantFrom(32), { nil: undefined }),
    friendlyName: fc.option(fc.constantFrom("office", "pbx", "edge"), { nil: undefined }),
  },
  { requiredKeys: ["ipAddress"] },
).map((e) => JSON.parse(JSON.stringify(e)) as Bag);
const ipEntries = fc.uniqueArray(ipEntry, { selector: (e) => e.ipAddress, maxLength: 4 });

describe("Twilio SIP lists ⟷ emulator properties (fast-check)", function () {
  let emu: EmulatorHandle;
  let counter = 0;
  before(async () => {
    emu = await startEmulator({ port: 0 });
    const a = DEFAULT_TWILIO_ACCOUNT;
    setStackConfig((k) => ({ "twilio:accountSid": a.accountSid, "twilio:authToken": a.authToken, "twilio:trunkingUrl": emu.twilioTrunkingUrl, "twilio:apiUrl": emu.twilioApiUrl })[k]);
  });
  after(async () => {
    setStackConfig(undefined);
    await emu.close();
  });

  async function converges(rt: Runtime<Bag, Bag>, a: Bag, b: Bag): Promise<void> {
    const checked = await rt.check({}, a);
    assert.deepEqual(checked.failures, []);
    const created = await rt.create(checked.inputs);
    try {
      assert.equal((await rt.diff(created.id, created.outs, checked.inputs)).changes, false, "create then diff");
      const read = await rt.read(created.id, created.outs);
      assert.equal(read.id, created.id);
      assert.equal((await rt.diff(created.id, read.props as Bag, checked.inputs)).changes, false, "refresh then diff");
      const next = (await rt.check(checked.inputs, b)).inputs;
      const { changes } = await rt.diff(created.id, read.props as Bag, next);
      const updated = changes ? (await rt.update(created.id, read.props as Bag, next)).outs : (read.props as Bag);
      assert.equal((await rt.diff(created.id, updated, next)).changes, false, "update converges");
      const again = await rt.read(created.id, updated);
      assert.equal((await rt.diff(created.id, again.props as Bag, next)).changes, false, "and stays converged on the next refresh");
    } finally {
      await rt.delete(created.id, created.outs);
    }
  }

  it(`credential lists: create → diff, refresh → diff, update → diff are empty (${RUNS} runs)`, async function () {
    this.timeout(300_000);
    const rt = credentialListRuntime as unknown as Runtime<Bag, Bag>;
    await fc.assert(
      fc.asyncProperty(credentials, credentials, async (a, b) => {
        const name = `prop creds ${++counter}`;
        await converges(rt, { friendlyName: name, credentials: a }, { friendlyName: name, credentials: b });
      }),
      { numRuns: RUNS },
    );
    assert.deepEqual(emu.store.twilio.list("credential_lists"), [], "nothing left behind");
  });

  it(`IP access control lists: create → diff, refresh → diff, update → diff are empty (${RUNS} runs)`, async function () {
    this.timeout(300_000);
    const rt = ipAccessControlListRuntime as unknown as Runtime<Bag, Bag>;
    await fc.assert(
      fc.asyncProperty(ipEntries, ipEntries, async (a, b) => {
        const name = `prop acl ${++counter}`;
        await converges(rt, { friendlyName: name, ipAddresses: a }, { friendlyName: name, ipAddresses: b });
      }),
      { numRuns: RUNS },
    );
    assert.deepEqual(emu.store.twilio.list("ip_access_control_lists"), [], "nothing left behind");
  });
});
