import { strict as assert } from "node:assert";
import { isDeepStrictEqual } from "node:util";
import fc from "fast-check";
import { buildCreatePayload, buildPatchPayload, diffTrunk, inputsFromOutputs, outputsFromApi } from "../../provider/didww/mapping";
import { validateTrunkInputs } from "../../provider/didww/schema";
import type { OutboundTrunkInputs } from "../../provider/didww/types";
import { UNKNOWN } from "../../provider/common/unknown";
import { masked, modelCreate, modelPatch } from "../helpers/didww-model";
import { credentialsTrunk, DID_A, DID_B, twilioTrunk, TWILIO_SID } from "../helpers/trunks";
import { validTrunk } from "../helpers/arbitraries";

const created = (inputs: OutboundTrunkInputs) => outputsFromApi(modelCreate(buildCreatePayload(inputs)), {}, inputs as any) as any;
const changedProps = (outs: any, inputs: any) => diffTrunk(outs, inputs).map((c) => c.property);

describe("diff: normalisation (no perpetual diff)", () => {
  const cases: [string, OutboundTrunkInputs, (o: any) => void][] = [
    ["bare IPv4 equals /32", credentialsTrunk(), (o) => assert.deepEqual(o.authenticationMethod.allowedSipIps, ["203.0.113.10/32"])],
    ["IPv6 in any spelling equals its /128", credentialsTrunk({ authenticationMethod: { type: "credentials_and_ip", allowedSipIps: ["2001:DB8:0::1"] } }), () => {}],
    ["RTP IPs as a set", credentialsTrunk({ allowedRtpIps: ["10.0.0.2", "10.0.0.1/32", "10.0.0.2/32"] }), () => {}],
    ["threshold 100 equals 100.0", credentialsTrunk({ thresholdAmount: 100 }), (o) => assert.equal(o.thresholdAmount, "100.0")],
    ["threshold \"250.50\" equals \"250.5\"", credentialsTrunk({ thresholdAmount: "250.50" }), (o) => assert.equal(o.thresholdAmount, "250.5")],
    ["prefixes and DID ids as sets", credentialsTrunk({ dstPrefixes: ["44", "1", "44"], didIds: [DID_B, DID_A.toUpperCase()] }), () => {}],
    ["omitted inputs equal server defaults", credentialsTrunk(), (o) => { assert.equal(o.status, "active"); assert.equal(o.rtpTimeout, 30); }],
    ["twilio", twilioTrunk(), (o) => { assert.equal(o.username, null); assert.equal(o.password, null); }],
  ];
  for (const [title, inputs, extra] of cases) {
    it(title, () => {
      const outs = created(inputs);
      assert.deepEqual(diffTrunk(outs, inputs as any), []);
      extra(outs);
    });
  }

  it("stays empty after a GET that masks the credentials", () => {
    const inputs = credentialsTrunk();
    const stored = modelCreate(buildCreatePayload(inputs));
    const afterCreate = outputsFromApi(stored, {}, inputs as any);
    const afterRead = outputsFromApi(masked(stored), afterCreate as any);
    assert.equal(afterRead.username, afterCreate.username);
    assert.equal(afterRead.password, afterCreate.password);
    assert.match(String(afterRead.password), /^[A-Za-z0-9]{16}$/);
    assert.deepEqual(diffTrunk(afterRead as any, inputs as any), []);
  });

  it("does not manage didIds while allowAnyDidAsCli, nor emergencyDidIds while emergencyEnableAll", () => {
    const inputs = credentialsTrunk({ allowAnyDidAsCli: true, emergencyEnableAll: true });
    const outs = { ...created(inputs), didIds: [DID_A], emergencyDidIds: [DID_B] };
    assert.deepEqual(diffTrunk(outs, inputs as any), []);
    const payload = buildCreatePayload(inputs);
    assert.equal((payload.data as any).relationships, undefined, "no relationship is sent while DIDWW manages it");
  });

  it("leaves an omitted thresholdAmount to DIDWW", () => {
    const inputs = credentialsTrunk();
    assert.deepEqual(diffTrunk({ ...created(inputs), thresholdAmount: "777.0" }, inputs as any), []);
    assert.equal((buildCreatePayload(inputs).data as any).attributes.threshold_amount, undefined);
  });
});

describe("diff: what changes", () => {
  const base = credentialsTrunk({ didIds: [DID_A], dstPrefixes: ["44"] });
  const outs = () => created(base);
  const cases: [string, (o: any) => any, any, string[]][] = [
    ["drift of an omitted field (status) is corrected", (o) => ({ ...o, status: "blocked" }), base, ["status"]],
    ["a new name", (o) => o, { ...base, name: "pbx-2" }, ["name"]],
    ["capacity", (o) => o, { ...base, capacityLimit: 10 }, ["capacityLimit"]],
    ["null vs [] RTP IPs differ", (o) => o, { ...base, allowedRtpIps: [] }, ["allowedRtpIps"]],
    ["DID added", (o) => o, { ...base, didIds: [DID_A, DID_B] }, ["didIds"]],
    ["emergency DIDs", (o) => o, { ...base, emergencyDidIds: [DID_B] }, ["emergencyDidIds"]],
    ["prefix removed", (o) => o, { ...base, dstPrefixes: [] }, ["dstPrefixes"]],
    ["threshold", (o) => o, { ...base, thresholdAmount: "1.5" }, ["thresholdAmount"]],
    ["SIP IPs of the same type", (o) => o, { ...base, authenticationMethod: { type: "credentials_and_ip", allowedSipIps: ["203.0.113.11"] } }, ["authenticationMethod.allowedSipIps"]],
    ["techPrefix set", (o) => o, { ...base, authenticationMethod: { type: "credentials_and_ip", allowedSipIps: ["203.0.113.10"], techPrefix: "9" } }, ["authenticationMethod.techPrefix"]],
    ["credentials_and_ip → twilio", (o) => o, { ...base, authenticationMethod: { type: "twilio", twilioAccountSid: TWILIO_SID } }, ["authenticationMethod.type"]],
    ["ip_only → credentials_and_ip", (o) => ({ ...o, authenticationMethod: { type: "ip_only", allowedSipIps: ["203.0.113.10/32"], techPrefix: null } }), base, ["authenticationMethod.type"]],
    ["unknown value at preview", (o) => o, { ...base, capacityLimit: UNKNOWN }, ["capacityLimit"]],
    ["unknown auth at preview", (o) => o, { ...base, authenticationMethod: UNKNOWN }, ["authenticationMethod"]],
    ["credentials rotation", (o) => o, { ...base, credentialsRotation: "2026-11" }, ["credentialsRotation"]],
  ];
  for (const [title, mutateOuts, inputs, expected] of cases) {
    it(title, () => assert.deepEqual(changedProps(mutateOuts(outs()), inputs), expected));
  }

  it("twilio → credentials_and_ip and a SID in another case", () => {
    const t = created(twilioTrunk());
    assert.deepEqual(changedProps(t, twilioTrunk({ authenticationMethod: { type: "twilio", twilioAccountSid: TWILIO_SID.toUpperCase().replace(/^AC/, "AC") } })), []);
    assert.deepEqual(changedProps(t, { ...twilioTrunk(), authenticationMethod: { type: "credentials_and_ip", allowedSipIps: ["1.1.1.1"] } }), ["authenticationMethod.type"]);
    assert.deepEqual(changedProps(t, twilioTrunk({ authenticationMethod: { type: "twilio", twilioAccountSid: "AC" + "f".repeat(32) } })), ["authenticationMethod.twilioAccountSid"]);
  });

  it("an unknown switch with a set list counts as a change", () => {
    assert.deepEqual(changedProps(outs(), { ...base, allowAnyDidAsCli: UNKNOWN }), ["allowAnyDidAsCli", "didIds"]);
  });
});

describe("update payload: only what changed", () => {
  const inputs = credentialsTrunk({ didIds: [DID_A] });
  const outs = created(inputs);

  it("sends one attribute for one change", () => {
    const next = { ...inputs, capacityLimit: 5 };
    const payload = buildPatchPayload("t1", next, diffTrunk(outs, next as any)) as any;
    assert.deepEqual(payload, { data: { id: "t1", type: "voice_out_trunks", attributes: { capacity_limit: 5 } } });
  });

  it("sends the whole relationship set", () => {
    const next = { ...inputs, didIds: [DID_A, DID_B] };
    const payload = buildPatchPayload("t1", next, diffTrunk(outs, next as any)) as any;
    assert.deepEqual(payload.data.relationships, { dids: { data: [{ type: "dids", id: DID_A }, { type: "dids", id: DID_B }] } });
    assert.equal(payload.data.attributes, undefined);
  });

  it("sends the whole authentication_method and allowed_rtp_ips on a type change", () => {
    const next = { ...inputs, authenticationMethod: { type: "twilio" as const, twilioAccountSid: TWILIO_SID } };
    const payload = buildPatchPayload("t1", next, diffTrunk(outs, next as any)) as any;
    assert.deepEqual(payload.data.attributes, {
      authentication_method: { type: "twilio", attributes: { twilio_account_sid: TWILIO_SID } },
      allowed_rtp_ips: null,
    });
  });

  it("sends the whole method but not allowed_rtp_ips for a change within a type", () => {
    const next = { ...inputs, authenticationMethod: { type: "credentials_and_ip" as const, allowedSipIps: ["1.2.3.4"], techPrefix: "99" } };
    const payload = buildPatchPayload("t1", next, diffTrunk(outs, next as any)) as any;
    assert.deepEqual(payload.data.attributes, { authentication_method: { type: "credentials_and_ip", attributes: { allowed_sip_ips: ["1.2.3.4"], tech_prefix: "99" } } });
  });

  it("renders decimals as DIDWW does and restores omitted defaults", () => {
    const next = { ...inputs, thresholdAmount: 42 };
    const drifted = { ...outs, status: "blocked" };
    const payload = buildPatchPayload("t1", next, diffTrunk(drifted, next as any)) as any;
    assert.deepEqual(payload.data.attributes, { status: "active", threshold_amount: "42.0" });
  });

  it("has nothing to send for a rotation alone", () => {
    const next = { ...inputs, credentialsRotation: 2 };
    assert.equal(buildPatchPayload("t1", next, diffTrunk(outs, next as any)), undefined);
  });
});

describe("outputs from DIDWW documents", () => {
  const inputs = credentialsTrunk();
  const stored = modelCreate(buildCreatePayload(inputs));
  const full = outputsFromApi(stored);

  it("drops masked credentials whose visible prefix no longer matches (rotated out of band)", () => {
    const rotated = masked(stored) as any;
    rotated.attributes.authentication_method.attributes.username = "zzz******";
    const o = outputsFromApi(rotated, full as any);
    assert.equal(o.username, null);
    assert.equal(o.password, full.password);
  });

  it("cannot invent credentials it has only seen masked", () => {
    const o = outputsFromApi(masked(stored));
    assert.equal(o.username, null);
    assert.equal(o.password, null);
  });

  it("clears credentials when the type is no longer credentials_and_ip", () => {
    const t = modelPatch(stored, { data: { attributes: { authentication_method: { type: "twilio", attributes: { twilio_account_sid: TWILIO_SID } } } } });
    const o = outputsFromApi(t, full as any);
    assert.deepEqual([o.username, o.password], [null, null]);
    assert.deepEqual(o.authenticationMethod, { type: "twilio", twilioAccountSid: TWILIO_SID });
  });

  it("keeps relationship ids when a response carries links only", () => {
    const linksOnly = { ...stored, relationships: { dids: { links: {} }, emergency_dids: { links: {} } } } as any;
    const o = outputsFromApi(linksOnly, { ...full, didIds: [DID_A] } as any);
    assert.deepEqual(o.didIds, [DID_A]);
    assert.deepEqual(o.emergencyDidIds, []);
  });

  it("is plain JSON with no undefined anywhere", () => {
    const o = outputsFromApi(stored, {}, { importId: undefined } as any);
    assert.deepEqual(JSON.parse(JSON.stringify(o)), o);
    assert.equal(Object.values(o).includes(undefined as any), false);
  });

  it("after drift, writes back the drifted values and keeps the program's spelling elsewhere", () => {
    const applied = credentialsTrunk({ thresholdAmount: "250.00", authenticationMethod: { type: "credentials_and_ip", allowedSipIps: ["203.0.113.10"] } });
    const afterCreate = outputsFromApi(stored, {}, applied as any);
    const drifted = outputsFromApi({ ...stored, attributes: { ...stored.attributes, status: "blocked", threshold_amount: "250.0" } }, afterCreate as any);
    const back = inputsFromOutputs(drifted as any);
    assert.equal(back.status, "blocked", "drift of an omitted input shows up");
    assert.deepEqual(back.authenticationMethod, applied.authenticationMethod, "unchanged: the program's own spelling");
    assert.equal(back.thresholdAmount, "250.00");
  });

  it("writes the live trunk back as inputs that diff clean", () => {
    const live = { ...full, status: "blocked", capacityLimit: 9 };
    const asInputs = inputsFromOutputs(live as any);
    assert.equal(asInputs.status, "blocked");
    assert.equal(asInputs.rtpTimeout, undefined, "defaults are left out");
    assert.deepEqual(diffTrunk(live as any, asInputs), []);
  });
});

describe("properties (fast-check)", () => {
  it("generated trunks are valid inputs", () => {
    fc.assert(fc.property(validTrunk, (t) => validateTrunkInputs(t).length === 0), { numRuns: 300 });
  });

  it("create then diff is empty", () => {
    fc.assert(fc.property(validTrunk, (t) => diffTrunk(created(t), t as any).length === 0), { numRuns: 300 });
  });

  it("read (masked credentials) then diff is empty, and the credentials survive", () => {
    fc.assert(
      fc.property(validTrunk, (t) => {
        const stored = modelCreate(buildCreatePayload(t));
        const first = outputsFromApi(stored, {}, t as any);
        const again = outputsFromApi(masked(stored), first as any);
        return diffTrunk(again as any, t as any).length === 0 && again.username === first.username && again.password === first.password;
      }),
      { numRuns: 300 },
    );
  });

  it("update to any other valid trunk converges: PATCH of the diff, then diff is empty", () => {
    fc.assert(
      fc.property(validTrunk, validTrunk, (a, b) => {
        const stored = modelCreate(buildCreatePayload(a));
        const outsA = outputsFromApi(stored, {}, a as any);
        const changes = diffTrunk(outsA as any, b as any);
        const payload = buildPatchPayload(stored.id, b, changes);
        const after = payload ? modelPatch(stored, payload) : stored;
        const outsB = outputsFromApi(after, outsA as any, b as any);
        return diffTrunk(outsB as any, b as any).length === 0;
      }),
      { numRuns: 300 },
    );
  });

  it("outputs written back as inputs round-trip (read's inputs diff clean)", () => {
    fc.assert(
      fc.property(validTrunk, (t) => {
        const outs = created(t);
        return diffTrunk(outs, inputsFromOutputs(outs)).length === 0;
      }),
      { numRuns: 300 },
    );
  });

  it("a refresh without drift gives back exactly the inputs the program applied (quiet refresh)", () => {
    fc.assert(
      fc.property(validTrunk, (t) => {
        const stored = modelCreate(buildCreatePayload(t));
        const afterCreate = outputsFromApi(stored, {}, t as any);
        const afterRefresh = outputsFromApi(masked(stored), afterCreate as any);
        return isDeepStrictEqual(inputsFromOutputs(afterRefresh as any), JSON.parse(JSON.stringify(t)));
      }),
      { numRuns: 300 },
    );
  });

  it("payload attributes round-trip through the stored trunk", () => {
    fc.assert(
      fc.property(validTrunk, (t) => {
        const payload = buildCreatePayload(t) as any;
        const stored = modelCreate(payload);
        for (const [k, v] of Object.entries(payload.data.attributes)) {
          if (k === "authentication_method" || k === "allowed_rtp_ips" || k === "threshold_amount") continue;
          if (JSON.stringify(stored.attributes?.[k]) !== JSON.stringify(v)) return false;
        }
        return true;
      }),
      { numRuns: 200 },
    );
  });
});

// ---- Added: missing output keys, withDefaults, upper-case DID ids ----
import { withDefaults } from "../../provider/didww/mapping";

describe("diff: outputs written by an older version (missing keys)", () => {
  const inputs = credentialsTrunk();
  const olderOutputs = () => {
    const { rtpPing: _dropped, ...rest } = created(inputs);
    assert.equal("rtpPing" in rest, false);
    return rest;
  };

  it("an omitted input against a missing output is no change", () => {
    assert.deepEqual(diffTrunk(olderOutputs(), inputs as any), []);
  });

  it("the documented default that check fills in is no change either", () => {
    const checked = withDefaults(inputs as any);
    assert.equal(checked.rtpPing, false);
    assert.deepEqual(diffTrunk(olderOutputs(), checked), []);
  });

  it("asking for the non-default value is a change", () => {
    assert.deepEqual(diffTrunk(olderOutputs(), { ...inputs, rtpPing: true } as any), [{ property: "rtpPing", live: null, desired: true }]);
  });
});

describe("withDefaults: the documented defaults, and nothing else", () => {
  const AUTH = { type: "credentials_and_ip" as const, allowedSipIps: ["203.0.113.10"] };

  it("fills exactly the documented defaults (never thresholdAmount)", () => {
    assert.deepStrictEqual(withDefaults(credentialsTrunk() as any), {
      name: "pbx",
      onCliMismatchAction: "reject_call",
      authenticationMethod: AUTH,
      externalReferenceId: null,
      status: "active",
      capacityLimit: null,
      allowAnyDidAsCli: false,
      defaultDstAction: "allow_all",
      dstPrefixes: [],
      mediaEncryptionMode: "disabled",
      allowedRtpIps: null,
      forceSymmetricRtp: false,
      rtpPing: false,
      rtpTimeout: 30,
      callbackUrl: null,
      emergencyEnableAll: false,
      didIds: [],
      emergencyDidIds: [],
    });
  });

  it("leaves didIds out while allowAnyDidAsCli is true, and emergencyDidIds while emergencyEnableAll is true", () => {
    const a = withDefaults(credentialsTrunk({ allowAnyDidAsCli: true }) as any);
    assert.equal("didIds" in a, false);
    assert.deepStrictEqual(a.emergencyDidIds, []);
    const b = withDefaults(credentialsTrunk({ emergencyEnableAll: true }) as any);
    assert.equal("emergencyDidIds" in b, false);
    assert.deepStrictEqual(b.didIds, []);
  });

  it("leaves didIds out while allowAnyDidAsCli is still unknown (preview)", () => {
    const out = withDefaults({ ...credentialsTrunk(), allowAnyDidAsCli: "04da6b54-80e4-46f7-96ec-b56ff0331ba9" } as any);
    assert.equal("didIds" in out, false);
    assert.equal(out.allowAnyDidAsCli, "04da6b54-80e4-46f7-96ec-b56ff0331ba9");
    assert.equal(out.rtpTimeout, 30, "other defaults are still filled");
  });

  it("never overwrites a given value, null included", () => {
    const given = credentialsTrunk({
      externalReferenceId: "ref-1", status: "blocked", capacityLimit: 3, thresholdAmount: "12.5", allowAnyDidAsCli: false,
      defaultDstAction: "reject_all", dstPrefixes: ["44"], mediaEncryptionMode: "zrtp", allowedRtpIps: ["10.0.0.1"],
      forceSymmetricRtp: true, rtpPing: true, rtpTimeout: null, callbackUrl: "https://hooks.example.com/x", emergencyEnableAll: false,
      didIds: [DID_A], emergencyDidIds: [DID_B],
    });
    const copy = JSON.parse(JSON.stringify(given));
    assert.deepStrictEqual(withDefaults(given as any), copy);
    assert.deepStrictEqual(given, copy, "the argument is not modified");
  });

  it("hands out its own copy of a list default", () => {
    const first = withDefaults(credentialsTrunk() as any);
    (first.dstPrefixes as string[]).push("99");
    try {
      assert.deepStrictEqual(withDefaults(credentialsTrunk() as any).dstPrefixes, []);
    } finally {
      (first.dstPrefixes as string[]).length = 0; // undo, should the default have been shared
    }
  });
});

describe("DID ids in upper case", () => {
  const UPPER_A = DID_A.toUpperCase();
  const UPPER_B = DID_B.toUpperCase();

  it("the create payload sends them lower-cased", () => {
    const payload = buildCreatePayload(credentialsTrunk({ didIds: [UPPER_A], emergencyDidIds: [UPPER_B] })) as any;
    assert.deepStrictEqual(payload.data.relationships, {
      dids: { data: [{ type: "dids", id: DID_A }] },
      emergency_dids: { data: [{ type: "dids", id: DID_B }] },
    });
  });

  it("the patch payload sends them lower-cased", () => {
    const outs = created(credentialsTrunk());
    const next = credentialsTrunk({ didIds: [UPPER_A, UPPER_B] });
    const payload = buildPatchPayload("t1", next, diffTrunk(outs, next as any)) as any;
    assert.deepStrictEqual(payload, { data: { id: "t1", type: "voice_out_trunks", relationships: { dids: { data: [{ type: "dids", id: DID_A }, { type: "dids", id: DID_B }] } } } });
  });

  it("diff treats them as equal to the lower-case ids DIDWW reports", () => {
    const outs = { ...created(credentialsTrunk()), didIds: [DID_A], emergencyDidIds: [DID_B] };
    assert.deepEqual(diffTrunk(outs, credentialsTrunk({ didIds: [UPPER_A], emergencyDidIds: [UPPER_B] }) as any), []);
  });
});
