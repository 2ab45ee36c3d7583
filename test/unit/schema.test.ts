import { strict as assert } from "node:assert";
import { validateTrunkInputs } from "../../provider/didww/schema";
import { UNKNOWN } from "../../provider/common/unknown";
import { credentialsTrunk, DID_A, twilioTrunk, TWILIO_SID } from "../helpers/trunks";

type Case = [string, object, string | null, RegExp?];

/** [title, inputs, failing property (null = valid), expected words of the rule] */
const cases: Case[] = [
  ["minimal credentials_and_ip", credentialsTrunk() as any, null],
  ["minimal twilio", twilioTrunk() as any, null],
  ["every field set", credentialsTrunk({
    externalReferenceId: "x".repeat(100), status: "blocked", capacityLimit: 32767, thresholdAmount: "100000.0", allowAnyDidAsCli: false,
    defaultDstAction: "reject_all", dstPrefixes: ["1", "44"], mediaEncryptionMode: "zrtp", allowedRtpIps: ["::/0", "10.0.0.0/8"],
    forceSymmetricRtp: true, rtpPing: true, rtpTimeout: 600, callbackUrl: "https://hooks.example.com/t", emergencyEnableAll: false,
    didIds: [DID_A], emergencyDidIds: [DID_A], authenticationMethod: { type: "credentials_and_ip", allowedSipIps: ["2001:db8::/32"], techPrefix: "99#" },
  }) as any, null],
  ["capacityLimit 0 and null", credentialsTrunk({ capacityLimit: 0 }) as any, null],
  ["capacityLimit null", credentialsTrunk({ capacityLimit: null }) as any, null],
  ["thresholdAmount as number", credentialsTrunk({ thresholdAmount: 0 }) as any, null],
  ["rtpTimeout 30", credentialsTrunk({ rtpTimeout: 30 }) as any, null],
  ["callbackUrl http", credentialsTrunk({ callbackUrl: "http://x.test" }) as any, null],
  ["techPrefix null", credentialsTrunk({ authenticationMethod: { type: "credentials_and_ip", allowedSipIps: ["1.2.3.4"], techPrefix: null } }) as any, null],
  ["twilio SID upper case hex", twilioTrunk({ authenticationMethod: { type: "twilio", twilioAccountSid: "AC39347AF064AF97E1688C3B7332DAAEE6" } }) as any, null],
  ["didIds with allowAnyDidAsCli false", credentialsTrunk({ allowAnyDidAsCli: false, didIds: [DID_A] }) as any, null],
  ["empty didIds with allowAnyDidAsCli", credentialsTrunk({ allowAnyDidAsCli: true, didIds: [] }) as any, null],

  ["name missing", { ...credentialsTrunk(), name: undefined }, "name", /is required/],
  ["name empty", credentialsTrunk({ name: "" }), "name", /non-space/],
  ["name of spaces only (DIDWW: can't be blank)", credentialsTrunk({ name: "   " }), "name", /non-space/],
  ["name not a string", credentialsTrunk({ name: 5 as any }), "name", /string/],
  ["onCliMismatchAction missing", { ...credentialsTrunk(), onCliMismatchAction: undefined }, "onCliMismatchAction", /is required/],
  ["onCliMismatchAction unknown", credentialsTrunk({ onCliMismatchAction: "drop" as any }), "onCliMismatchAction", /reject_call/],
  ["authenticationMethod missing", { ...credentialsTrunk(), authenticationMethod: undefined }, "authenticationMethod", /is required/],
  ["externalReferenceId too long", credentialsTrunk({ externalReferenceId: "x".repeat(101) }), "externalReferenceId", /100 characters/],
  ["status unknown", credentialsTrunk({ status: "paused" as any }), "status", /"active" or "blocked"/],
  ["capacityLimit negative", credentialsTrunk({ capacityLimit: -1 }), "capacityLimit", /0 to 32767/],
  ["capacityLimit too big", credentialsTrunk({ capacityLimit: 32768 }), "capacityLimit", /0 to 32767/],
  ["capacityLimit fractional", credentialsTrunk({ capacityLimit: 1.5 }), "capacityLimit", /integer/],
  ["thresholdAmount too big", credentialsTrunk({ thresholdAmount: "100000.01" }), "thresholdAmount", /0 to 100000/],
  ["thresholdAmount negative", credentialsTrunk({ thresholdAmount: -1 }), "thresholdAmount", /0 to 100000/],
  ["thresholdAmount not decimal", credentialsTrunk({ thresholdAmount: "lots" }), "thresholdAmount", /decimal/],
  ["thresholdAmount exponent", credentialsTrunk({ thresholdAmount: "1e3" }), "thresholdAmount", /decimal/],
  ["allowAnyDidAsCli not boolean", credentialsTrunk({ allowAnyDidAsCli: "yes" as any }), "allowAnyDidAsCli", /boolean/],
  ["defaultDstAction unknown", credentialsTrunk({ defaultDstAction: "maybe" as any }), "defaultDstAction", /allow_all/],
  ["dstPrefixes non-digit", credentialsTrunk({ dstPrefixes: ["+44"] }), "dstPrefixes", /^dstPrefixes\[0\] .*digits/],
  ["mediaEncryptionMode unknown", credentialsTrunk({ mediaEncryptionMode: "aes" as any }), "mediaEncryptionMode", /srtp_sdes/],
  ["allowedRtpIps bad address", credentialsTrunk({ allowedRtpIps: ["1.2.3.4", "1.2.3.400"] }), "allowedRtpIps", /^allowedRtpIps\[1\] .*IPv4\/IPv6/],
  ["allowedRtpIps too many", credentialsTrunk({ allowedRtpIps: Array.from({ length: 61 }, (_, i) => `10.0.0.${i}`) }), "allowedRtpIps", /at most 60/],
  ["forceSymmetricRtp not boolean", credentialsTrunk({ forceSymmetricRtp: 1 as any }), "forceSymmetricRtp", /boolean/],
  ["rtpPing not boolean", credentialsTrunk({ rtpPing: null as any }), "rtpPing", /boolean/],
  ["rtpTimeout too small", credentialsTrunk({ rtpTimeout: 29 }), "rtpTimeout", /30 to 600/],
  ["rtpTimeout too big", credentialsTrunk({ rtpTimeout: 601 }), "rtpTimeout", /30 to 600/],
  ["callbackUrl ftp", credentialsTrunk({ callbackUrl: "ftp://x.test" }), "callbackUrl", /http/],
  ["callbackUrl not a URL", credentialsTrunk({ callbackUrl: "hooks" }), "callbackUrl", /http/],
  ["emergencyEnableAll not boolean", credentialsTrunk({ emergencyEnableAll: "no" as any }), "emergencyEnableAll", /boolean/],
  ["didIds not UUIDs", credentialsTrunk({ didIds: ["12345"] }), "didIds", /^didIds\[0\] .*UUID/],
  ["emergencyDidIds not UUIDs", credentialsTrunk({ emergencyDidIds: ["x"] }), "emergencyDidIds", /^emergencyDidIds\[0\] .*UUID/],
  ["didIds while allowAnyDidAsCli", credentialsTrunk({ allowAnyDidAsCli: true, didIds: [DID_A] }), "didIds", /allowAnyDidAsCli is true/],
  ["emergencyDidIds while emergencyEnableAll", credentialsTrunk({ emergencyEnableAll: true, emergencyDidIds: [DID_A] }), "emergencyDidIds", /emergencyEnableAll is true/],
  ["ip_only", credentialsTrunk({ authenticationMethod: { type: "ip_only", allowedSipIps: ["1.2.3.4"] } as any }), "authenticationMethod", /^authenticationMethod\.type .*ip_only is read-only/],
  ["unknown auth type", credentialsTrunk({ authenticationMethod: { type: "digest" } as any }), "authenticationMethod", /^authenticationMethod\.type .*credentials_and_ip/],
  ["credentials_and_ip without allowedSipIps", credentialsTrunk({ authenticationMethod: { type: "credentials_and_ip" } as any }), "authenticationMethod", /^authenticationMethod\.allowedSipIps .*non-empty list/],
  ["credentials_and_ip with empty allowedSipIps", credentialsTrunk({ authenticationMethod: { type: "credentials_and_ip", allowedSipIps: [] } }), "authenticationMethod", /^authenticationMethod\.allowedSipIps .*non-empty/],
  ["credentials_and_ip with a bad IP", credentialsTrunk({ authenticationMethod: { type: "credentials_and_ip", allowedSipIps: ["pbx.example.com"] } }), "authenticationMethod", /^authenticationMethod\.allowedSipIps\[0\] .*IPv4/],
  ["techPrefix too long", credentialsTrunk({ authenticationMethod: { type: "credentials_and_ip", allowedSipIps: ["1.2.3.4"], techPrefix: "123456789" } }), "authenticationMethod", /^authenticationMethod\.techPrefix .*1 to 8/],
  ["techPrefix letters", credentialsTrunk({ authenticationMethod: { type: "credentials_and_ip", allowedSipIps: ["1.2.3.4"], techPrefix: "12a" } }), "authenticationMethod", /^authenticationMethod\.techPrefix .*digits and #/],
  ["credentials_and_ip with a twilio SID", credentialsTrunk({ authenticationMethod: { type: "credentials_and_ip", allowedSipIps: ["1.2.3.4"], twilioAccountSid: TWILIO_SID } as any }), "authenticationMethod", /^authenticationMethod\.twilioAccountSid .*does not apply/],
  ["twilio without SID", twilioTrunk({ authenticationMethod: { type: "twilio" } as any }), "authenticationMethod", /^authenticationMethod\.twilioAccountSid .*AC/],
  ["twilio SID short", twilioTrunk({ authenticationMethod: { type: "twilio", twilioAccountSid: "AC123" } }), "authenticationMethod", /^authenticationMethod\.twilioAccountSid .*32 hexadecimal/],
  ["twilio SID wrong prefix", twilioTrunk({ authenticationMethod: { type: "twilio", twilioAccountSid: "SK0123456789abcdef0123456789abcdef" } }), "authenticationMethod", /^authenticationMethod\.twilioAccountSid .*"AC"/],
  ["twilio with allowedSipIps", twilioTrunk({ authenticationMethod: { type: "twilio", twilioAccountSid: TWILIO_SID, allowedSipIps: ["1.2.3.4"] } as any }), "authenticationMethod", /^authenticationMethod\.allowedSipIps .*does not apply/],
  ["unknown input", { ...credentialsTrunk(), capacity: 3 }, "capacity", /not an input/],
  ["auth input at top level", { ...credentialsTrunk(), techPrefix: "1" }, "techPrefix", /belongs inside authenticationMethod/],
  ["importId not a UUID", credentialsTrunk({ importId: "42" }), "importId", /UUID/],
  ["onImportMismatch unknown", credentialsTrunk({ onImportMismatch: "ignore" as any }), "onImportMismatch", /"fail" or "update"/],
];

describe("check: every input rule", () => {
  for (const [title, inputs, property, words] of cases) {
    it(`${title} → ${property ?? "valid"}`, () => {
      const failures = validateTrunkInputs(inputs);
      if (property === null) {
        assert.deepEqual(failures, []);
        return;
      }
      const hit = failures.find((f) => f.property === property);
      assert.ok(hit, `expected a failure on ${property}, got ${JSON.stringify(failures)}`);
      if (words) assert.match(hit.reason, words);
      // Only the broken property is reported.
      assert.deepEqual(failures.map((f) => f.property), [property]);
    });
  }

  it("reports every failing property at once", () => {
    const failures = validateTrunkInputs(credentialsTrunk({ name: "", capacityLimit: -5, rtpTimeout: 1, callbackUrl: "x" }));
    assert.deepEqual(failures.map((f) => f.property).sort(), ["callbackUrl", "capacityLimit", "name", "rtpTimeout"]);
  });

  it("says 'is required' only for what is missing", () => {
    const [bad] = validateTrunkInputs(credentialsTrunk({ authenticationMethod: { type: "credentials_and_ip", allowedSipIps: ["1.2.3.4", "300.1.2.3"] } }));
    assert.equal(bad.property, "authenticationMethod");
    assert.doesNotMatch(bad.reason, /required/);
    // The element's own rule, not the list's, with the path and the offending value.
    assert.equal(bad.reason, 'authenticationMethod.allowedSipIps[1] must be an IPv4/IPv6 address or CIDR (got "300.1.2.3")');
    const [missing] = validateTrunkInputs(twilioTrunk({ authenticationMethod: { type: "twilio" } as any }));
    assert.match(missing.reason, /^authenticationMethod\.twilioAccountSid is required for type twilio: it must be "AC"/);
  });

  it("quotes the offending value", () => {
    const [f] = validateTrunkInputs(credentialsTrunk({ rtpTimeout: 7 }));
    assert.match(f.reason, /\(got 7\)/);
  });

  it("rejects a non-object", () => {
    assert.equal(validateTrunkInputs(null)[0].property, "args");
  });
});

describe("check: unknown values during preview pass", () => {
  const unknownCases: [string, object][] = [
    ["name", { ...credentialsTrunk(), name: UNKNOWN }],
    ["required enum", { ...credentialsTrunk(), onCliMismatchAction: UNKNOWN }],
    ["integer", credentialsTrunk({ capacityLimit: UNKNOWN as any, rtpTimeout: UNKNOWN as any })],
    ["whole authenticationMethod", { ...credentialsTrunk(), authenticationMethod: UNKNOWN }],
    ["an IP in a list", credentialsTrunk({ authenticationMethod: { type: "credentials_and_ip", allowedSipIps: ["1.2.3.4", UNKNOWN] } })],
    ["a DID id", credentialsTrunk({ didIds: [UNKNOWN] })],
    ["a whole list", credentialsTrunk({ didIds: UNKNOWN as any })],
    ["the switch of a cross rule", credentialsTrunk({ allowAnyDidAsCli: UNKNOWN as any, didIds: [DID_A] })],
    ["the twilio SID", twilioTrunk({ authenticationMethod: { type: "twilio", twilioAccountSid: UNKNOWN } })],
    ["callbackUrl", credentialsTrunk({ callbackUrl: UNKNOWN })],
    ["thresholdAmount", credentialsTrunk({ thresholdAmount: UNKNOWN })],
  ];
  for (const [title, inputs] of unknownCases) {
    it(title, () => assert.deepEqual(validateTrunkInputs(inputs), []));
  }
  it("known bad values next to unknown ones still fail", () => {
    const failures = validateTrunkInputs({ ...credentialsTrunk({ rtpTimeout: 5 }), name: UNKNOWN });
    assert.deepEqual(failures.map((f) => f.property), ["rtpTimeout"]);
  });
});
