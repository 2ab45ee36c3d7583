/** fast-check generators of valid `didww.OutboundTrunk` inputs, shared by the property tests. */
import fc from "fast-check";
import type { OutboundTrunkInputs } from "../../provider/didww/types";

const ipv4 = fc.tuple(fc.nat(255), fc.nat(255), fc.nat(255), fc.nat(255)).map((p) => p.join("."));
const cidr4 = fc.tuple(ipv4, fc.option(fc.integer({ min: 0, max: 32 }), { nil: undefined })).map(([a, p]) => (p === undefined ? a : `${a}/${p}`));
const ipv6 = fc.array(fc.nat(0xffff), { minLength: 8, maxLength: 8 }).map((g) => g.map((x) => x.toString(16)).join(":"));
const ip = fc.oneof(cidr4, ipv6);

const auth = fc.oneof(
  fc.record({ type: fc.constant("credentials_and_ip" as const), allowedSipIps: fc.array(ip, { minLength: 1, maxLength: 5 }), techPrefix: fc.option(fc.stringMatching(/^[0-9#]{1,8}$/), { nil: undefined }) }, { requiredKeys: ["type", "allowedSipIps"] }),
  fc.record({ type: fc.constant("twilio" as const), twilioAccountSid: fc.stringMatching(/^AC[0-9a-f]{32}$/) }),
);
/** Valid trunk inputs; DID ids drawn from `didPool` (any UUIDs by default). */
export function trunkArbitrary(didPool?: { plain: string[]; emergency: string[] }): fc.Arbitrary<OutboundTrunkInputs> {
  const callerId = didPool ? fc.constantFrom(...didPool.plain, ...didPool.emergency) : fc.uuid();
  const emergency = didPool ? fc.constantFrom(...didPool.emergency) : fc.uuid();
  return fc
  .record(
    {
      name: fc.string({ minLength: 1, maxLength: 40 }).filter((n) => /\S/.test(n)),
      onCliMismatchAction: fc.constantFrom("send_original_cli", "reject_call", "replace_cli", "randomize_cli"),
      authenticationMethod: auth,
      externalReferenceId: fc.option(fc.string({ maxLength: 100 }), { nil: null }),
      status: fc.constantFrom("active", "blocked"),
      capacityLimit: fc.option(fc.integer({ min: 0, max: 32767 }), { nil: null }),
      thresholdAmount: fc.oneof(fc.integer({ min: 0, max: 100000 }), fc.integer({ min: 0, max: 10_000_000 }).map((c) => (c / 100).toFixed(2))),
      allowAnyDidAsCli: fc.boolean(),
      defaultDstAction: fc.constantFrom("allow_all", "reject_all"),
      dstPrefixes: fc.array(fc.stringMatching(/^[0-9]{1,6}$/), { maxLength: 4 }),
      mediaEncryptionMode: fc.constantFrom("disabled", "srtp_sdes", "srtp_dtls", "zrtp"),
      allowedRtpIps: fc.option(fc.array(ip, { maxLength: 4 }), { nil: null }),
      forceSymmetricRtp: fc.boolean(),
      rtpPing: fc.boolean(),
      rtpTimeout: fc.integer({ min: 30, max: 600 }),
      callbackUrl: fc.option(fc.webUrl({ validSchemes: ["http", "https"] }), { nil: null }),
      emergencyEnableAll: fc.boolean(),
      didIds: fc.uniqueArray(callerId, { maxLength: 3 }),
      emergencyDidIds: fc.uniqueArray(emergency, { maxLength: 3 }),
    },
    { requiredKeys: ["name", "onCliMismatchAction", "authenticationMethod"] },
  )
  .map((t) => {
    const out: any = { ...t };
    if (out.allowAnyDidAsCli) out.didIds = [];
    if (out.emergencyEnableAll) out.emergencyDidIds = [];
    return out as OutboundTrunkInputs;
  });
}

export const validTrunk = trunkArbitrary();
