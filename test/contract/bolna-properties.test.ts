/**
 * Properties of `bolna.SipTrunk` against the emulator's Bolna, written apart from the provider:
 * for generated valid trunks (both auth types, and the spellings Bolna does not keep: gateway
 * order and host case, codec-list case and blanks, a number's "+", a bare IP against its /32),
 * create-then-diff and read-then-diff are empty, a refresh gives back the applied inputs (the
 * password as its hash), and an update to any other valid trunk of the same immutables converges
 * in place, numbers included.
 */
import { strict as assert } from "node:assert";
import { isDeepStrictEqual } from "node:util";
import fc from "fast-check";
import { DEFAULT_BOLNA_API_KEY, startEmulator, type EmulatorHandle } from "../../emulator";
import { setStackConfig } from "../../provider/common/config";
import { matchesSecret } from "../../provider/common/secret-hash";
import { sipTrunkRuntime } from "../../provider/bolna/sip-trunk-crud";
import { diffSipTrunk, type SipTrunkIn } from "../../provider/bolna/sip-trunk-mapping";

const RUNS = Number(process.env.SIP_TRUNKS_PROPERTY_RUNS ?? 40);

const optional = <T>(arb: fc.Arbitrary<T>) => fc.option(arb, { nil: undefined });
const casing = (text: string) => fc.constantFrom(text, text.toUpperCase(), text[0].toUpperCase() + text.slice(1));

/** A codec list in any spelling Bolna normalises away: case, blanks around items, empty items. */
const codecList = fc
  .array(fc.constantFrom("ulaw", "alaw", "g729", "g722", "opus"), { minLength: 1, maxLength: 3 })
  .chain((codecs) => fc.tuple(...codecs.map((c) => fc.tuple(casing(c), fc.constantFrom("", " ", "  ")))).map((items) => items.map(([c, pad]) => `${pad}${c}${pad}`)))
  .chain((items) => fc.constantFrom(items.join(","), `${items.join(",")},`, items.join(" ,")));

const gateway = fc.record(
  {
    gatewayAddress: fc.constantFrom("sip.zadarma.com", "sip2.zadarma.com", "21467306465797919.zt.plivo.com", "203.0.113.5").chain(casing),
    port: optional(fc.integer({ min: 1, max: 65535 })),
    priority: optional(fc.integer({ min: 0, max: 5 })),
  },
  { requiredKeys: ["gatewayAddress"] },
);

const ipIdentifier = fc.constantFrom("15.207.90.192/31", "204.89.151.128/27", "203.0.113.10", "198.51.100.7").chain((ip) =>
  fc.constantFrom(ip, ip.includes("/") ? ip : `${ip}/32`).map((ipAddress) => ({ ipAddress })),
);

/** Numbers unique by digits, each with or without "+" and with or without a name. */
const numbers = fc.uniqueArray(fc.constantFrom("919876543210", "15550001001", "442071234567", "61298765432"), { maxLength: 3 }).chain((digits) =>
  fc.tuple(
    ...digits.map((d) =>
      fc.record({ plus: fc.boolean(), name: optional(fc.oneof(fc.constant(null), fc.constantFrom("Support", "Sales"))) }).map(({ plus, name }) => JSON.parse(JSON.stringify({ phoneNumber: plus ? `+${d}` : d, name }))),
    ),
  ),
);

/** What may change in place: everything but the immutables, which a `fixed` part holds. */
const mutable = fc
  .record(
    {
      description: optional(fc.oneof(fc.constant(null), fc.string({ maxLength: 30 }))),
      gateways: fc.array(gateway, { minLength: 1, maxLength: 3 }),
      allow: optional(codecList),
      disallow: optional(fc.oneof(fc.constant("all"), fc.constant("ALL"), codecList)),
      encryption: fc.constantFrom<[string | undefined, string | undefined]>([undefined, undefined], ["no", "transport-tcp"], ["sdes", "transport-tls"], [undefined, "transport-tls"]),
      mediaEncryptionOptimistic: optional(fc.boolean()),
      qualifyFrequency: optional(fc.integer({ min: 0, max: 600 })),
      inboundEnabled: optional(fc.boolean()),
      outboundLeadingPlusEnabled: optional(fc.boolean()),
      isActive: optional(fc.boolean()),
      phoneNumbers: optional(numbers),
      password: fc.constantFrom("Carrier-Pass-1", "Carrier-Pass-2"),
      username: fc.constantFrom("12345", "pbx-user"),
      ipIdentifiers: fc.array(ipIdentifier, { minLength: 1, maxLength: 3 }),
    },
    { requiredKeys: ["gateways", "encryption", "password", "username", "ipIdentifiers"] },
  )
  .map(({ encryption: [mediaEncryption, transport], password, username, ...rest }) => ({ ...rest, mediaEncryption, transport, password, username }));

const fixed = fc.record({
  authType: fc.constantFrom("userpass", "ip-based"),
  provider: fc.constantFrom("zadarma", "plivo"),
  directMedia: optional(fc.boolean()),
  rtpSymmetric: optional(fc.boolean()),
  forceRport: optional(fc.boolean()),
  iceSupport: optional(fc.boolean()),
});

let counter = 0;

/** A valid trunk from its immutables and its mutable part (the auth type decides credentials or IPs). */
function trunk(name: string, f: Record<string, unknown>, m: Record<string, unknown>): SipTrunkIn {
  const { password, username, ipIdentifiers, ...rest } = m;
  const auth = f.authType === "userpass" ? { authUsername: username, authPassword: password } : { ipIdentifiers };
  return JSON.parse(JSON.stringify({ name, ...f, ...rest, ...auth })) as SipTrunkIn;
}

describe("bolna.SipTrunk ⟷ emulator properties (fast-check)", function () {
  let emu: EmulatorHandle;

  before(async () => {
    emu = await startEmulator({ port: 0 });
    setStackConfig((k) => ({ "bolna:apiKey": DEFAULT_BOLNA_API_KEY, "bolna:apiUrl": emu.bolnaUrl })[k]);
  });
  after(async () => {
    setStackConfig(undefined);
    await emu.close();
  });

  it(`create → diff, refresh → diff, update → diff are empty, and nothing is left behind (${RUNS} runs)`, async function () {
    this.timeout(180_000);
    await fc.assert(
      fc.asyncProperty(fixed, mutable, mutable, async (f, ma, mb) => {
        const name = `prop ${++counter}`;
        const a = trunk(name, f, ma);
        const checked = await sipTrunkRuntime.check({}, a);
        assert.deepEqual(checked.failures, []);
        const created = await sipTrunkRuntime.create(checked.inputs);
        try {
          assert.deepEqual(diffSipTrunk(created.outs, checked.inputs), [], "create then diff");
          const read = await sipTrunkRuntime.read(created.id, created.outs);
          assert.equal(read.id, created.id);
          assert.deepEqual(diffSipTrunk(read.props, checked.inputs), [], "refresh then diff");
          const { __provider: _p, ...applied } = checked.inputs as Record<string, unknown>;
          if (typeof applied.authPassword === "string") {
            assert.ok(matchesSecret(applied.authPassword, (read.inputs as SipTrunkIn).authPassword), "the password reads back as its hash");
            applied.authPassword = (read.inputs as SipTrunkIn).authPassword;
          }
          assert.ok(isDeepStrictEqual(read.inputs, JSON.parse(JSON.stringify(applied))), `refresh gives back the applied inputs: ${JSON.stringify(read.inputs)} vs ${JSON.stringify(applied)}`);
          const next = (await sipTrunkRuntime.check(checked.inputs, trunk(name, f, mb))).inputs;
          const { changes, replaces } = await sipTrunkRuntime.diff(created.id, read.props, next);
          assert.deepEqual(replaces, [], "the same immutables never replace");
          const updated = changes ? (await sipTrunkRuntime.update(created.id, read.props, next)).outs : read.props;
          assert.deepEqual(diffSipTrunk(updated, next), [], "update converges");
          const again = await sipTrunkRuntime.read(created.id, updated);
          assert.deepEqual(diffSipTrunk(again.props, next), [], "and stays converged on the next refresh");
          assert.ok(emu.store.bolna.getTrunk(created.id), "same trunk, updated in place");
          if (typeof next.authPassword === "string") assert.equal(emu.store.bolna.getTrunk(created.id)?.auth_password, next.authPassword, "the password Bolna has is the program's");
        } finally {
          await sipTrunkRuntime.delete(created.id);
        }
        assert.equal(emu.store.bolna.getTrunk(created.id), undefined);
        assert.deepEqual(emu.store.bolna.listNumbers(created.id), [], "the numbers went with the trunk");
      }),
      { numRuns: RUNS },
    );
  });
});
