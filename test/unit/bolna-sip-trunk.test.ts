/**
 * `bolna.SipTrunk` without the engine: every input rule (before any call, never quoting the
 * password), what omitting means, the diff (gateway order, codec-list spelling, number spelling
 * with and without "+", a bare IP against its /32, the write-only password's hash, immutables),
 * the create and PATCH bodies, every recorded Bolna exchange through the client and the mapping,
 * the README table and the TSDoc against the field table, and the client's errors and settings.
 */
import { strict as assert } from "node:assert";
import * as http from "node:http";
import type { AddressInfo } from "node:net";
import { setStackConfig } from "../../provider/common/config";
import { VendorApiError } from "../../provider/common/errors";
import { renderInputTable } from "../../provider/common/doc-table";
import { VendorResponseError } from "../../provider/common/response";
import { hashSecret, isSecretHash, matchesSecret } from "../../provider/common/secret-hash";
import { UNKNOWN } from "../../provider/common/unknown";
import { DOC_TABLES } from "../../provider/docs";
import { BolnaClient, bolnaError, bolnaSettings, inputNamedIn, MISSING_KEY_MESSAGE } from "../../provider/bolna/client";
import { trunkSummary } from "../../provider/bolna/lookups";
import { sipTrunkRuntime } from "../../provider/bolna/sip-trunk-crud";
import {
  AUTH_PASSWORD,
  canonicalCodecs,
  CROSS_RULES,
  GATEWAY_CHILDREN,
  IP_IDENTIFIER_CHILDREN,
  PHONE_NUMBER_CHILDREN,
  SIP_TRUNK_CONTROLS,
  SIP_TRUNK_FIELDS,
  SIP_TRUNK_INPUT_FIELDS,
  validateSipTrunkInputs,
} from "../../provider/bolna/sip-trunk-fields";
import {
  createBody,
  diffSipTrunk,
  isTrunkOf,
  numberBody,
  numberPlan,
  patchBody,
  sipTrunkAsInputs,
  sipTrunkOutputs,
  sipTrunkWithDefaults,
  type SipTrunkIn,
  type SipTrunkOut,
} from "../../provider/bolna/sip-trunk-mapping";
import { loadExchanges, manifest, registerMissingExchanges, requireFixtures, type Exchange } from "../helpers/shared-fixtures";
import { oneLine, tsdocMembers } from "../helpers/tsdoc";

const PASSWORD = "Carrier-Pass-2026";
const PASSWORD_2 = "Carrier-Pass-2027";
const ID = "01HQXYZ123ABC456DEF7890ABC";

/** A userpass trunk's arguments; `over` replaces or adds. */
const userpass = (over: Record<string, unknown> = {}): Record<string, unknown> => ({
  name: "Zadarma Production",
  provider: "zadarma",
  authType: "userpass",
  authUsername: "12345",
  authPassword: PASSWORD,
  gateways: [{ gatewayAddress: "sip.zadarma.com" }],
  ...over,
});

/** An ip-based trunk's arguments. */
const ipBased = (over: Record<string, unknown> = {}): Record<string, unknown> => ({
  name: "Plivo Elastic Trunk",
  provider: "plivo",
  authType: "ip-based",
  gateways: [{ gatewayAddress: "21467306465797919.zt.plivo.com" }],
  ipIdentifiers: [{ ipAddress: "15.207.90.192/31" }],
  ...over,
});

function failures(inputs: unknown): Record<string, string> {
  return Object.fromEntries(validateSipTrunkInputs(inputs).map((f) => [f.property, f.reason]));
}

/** A trunk record as Bolna answers (the documented defaults), for the userpass arguments. */
function record(over: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    id: ID, name: "Zadarma Production", provider: "zadarma", description: null, auth_type: "userpass", auth_username: "12345",
    gateways: [{ id: "g1", gateway_address: "sip.zadarma.com", port: 5060, priority: 1, created_at: "2026-12-01T10:00:00Z" }],
    ip_identifiers: [], phone_numbers: [], allow: "ulaw,alaw", disallow: "all", transport: "transport-udp",
    direct_media: false, rtp_symmetric: true, force_rport: true, ice_support: true, media_encryption: "no", media_encryption_optimistic: false,
    qualify_frequency: 60, inbound_enabled: false, outbound_leading_plus_enabled: true, is_active: true,
    created_at: "2026-12-01T10:00:00Z", updated_at: "2026-12-01T10:00:00Z", ...over,
  };
}

/** Outputs as the provider would hold them after creating `record(over)` from `inputs`. */
const live = (over: Record<string, unknown> = {}, inputs: SipTrunkIn = sipTrunkWithDefaults(userpass())): SipTrunkOut =>
  sipTrunkOutputs(record(over), { applied: inputs, passwordHash: typeof inputs.authPassword === "string" ? hashSecret(inputs.authPassword) : null });

const number = (id: string, phoneNumber: string, name: string | null = null) => ({ id, phone_number: phoneNumber, name, byot_trunk_id: ID, telephony_provider: "sip-trunk", deleted: false });

// ------------------------------------------------------------------------------------------------
// Input rules
// ------------------------------------------------------------------------------------------------

describe("bolna.SipTrunk inputs: every rule, before any call, the password never quoted", () => {
  const cases: Array<[string, Record<string, unknown>, string, RegExp]> = [
    ["no name", userpass({ name: undefined }), "name", /^is required: it must be a string with at least one non-space character, unique among the account's trunks/],
    ["a blank name", userpass({ name: "   " }), "name", /^must be a string with at least one non-space character/],
    ["no provider", userpass({ provider: undefined }), "provider", /^is required: it must be a string with at least one non-space character \(a label such as/],
    ["a description not a string", userpass({ description: 5 }), "description", /^must be a string, or null \(got 5\)/],
    ["no authType", userpass({ authType: undefined }), "authType", /^is required: it must be "userpass" or "ip-based"/],
    ["an unknown authType", userpass({ authType: "digest" }), "authType", /^must be "userpass" or "ip-based" \(got "digest"\)/],
    ["userpass without a username", userpass({ authUsername: undefined }), "authUsername", /^is required when authType is "userpass": a non-empty string \(omitted\)/],
    ["userpass with a null username", userpass({ authUsername: null }), "authUsername", /^is required when authType is "userpass"/],
    ["userpass with an empty username", userpass({ authUsername: "" }), "authUsername", /^must be a non-empty string \(required when authType is "userpass", omitted when "ip-based"\), or null \(got ""\)/],
    ["userpass without a password", userpass({ authPassword: undefined }), "authPassword", /^is required when authType is "userpass": a non-empty string \(omitted\)/],
    ["userpass with an empty password", userpass({ authPassword: "" }), "authPassword", /^must be a non-empty string .* \(got "\[secret\]"\)/],
    ["a password of spaces", userpass({ authPassword: "   " }), "authPassword", /\(got "\[secret\]"\)/],
    ["a password not a string", userpass({ authPassword: 123456 }), "authPassword", /\(got "\[secret\]"\)/],
    ["ip-based without IP identifiers", ipBased({ ipIdentifiers: undefined }), "ipIdentifiers", /^must hold at least one \{ ipAddress \} when authType is "ip-based" \(omitted\)/],
    ["ip-based with an empty list", ipBased({ ipIdentifiers: [] }), "ipIdentifiers", /^must hold at least one \{ ipAddress \} when authType is "ip-based" \(got \[\]\)/],
    ["ip-based with a username", ipBased({ authUsername: "u" }), "authUsername", /^must be omitted when authType is "ip-based" \(Bolna knows such a trunk by its ipIdentifiers, not by credentials\) \(got "u"\)/],
    ["ip-based with a password", ipBased({ authPassword: PASSWORD }), "authPassword", /^must be omitted when authType is "ip-based" .* \(got "\[secret\]"\)/],
    ["no gateways", userpass({ gateways: undefined }), "gateways", /^is required: it must be a non-empty list of \{ gatewayAddress, port\?, priority\? \} objects/],
    ["an empty gateway list", userpass({ gateways: [] }), "gateways", /^must be a non-empty list of \{ gatewayAddress, port\?, priority\? \} objects \(got \[\]\)/],
    ["a gateway not an object", userpass({ gateways: ["sip.zadarma.com"] }), "gateways", /^gateways\[0\] must be an object \{ gatewayAddress, port\?, priority\? \} \(got "sip\.zadarma\.com"\)/],
    ["a gateway without an address", userpass({ gateways: [{ port: 5060 }] }), "gateways", /^gateways\[0\]\.gatewayAddress is required: it must be a host name or an IP address/],
    ["a gateway address with a scheme", userpass({ gateways: [{ gatewayAddress: "sip:sip.zadarma.com" }] }), "gateways", /^gateways\[0\]\.gatewayAddress must be a host name or an IP address, without a scheme or a port \(e\.g\. "sip\.zadarma\.com"\) \(got "sip:sip\.zadarma\.com"\)/],
    ["a gateway address with a port", userpass({ gateways: [{ gatewayAddress: "sip.zadarma.com:5060" }] }), "gateways", /gatewayAddress must be a host name or an IP address/],
    ["port 0", userpass({ gateways: [{ gatewayAddress: "a.example.com", port: 0 }] }), "gateways", /^gateways\[0\]\.port must be an integer from 1 to 65535 \(got 0\)/],
    ["port 65536", userpass({ gateways: [{ gatewayAddress: "a.example.com", port: 65536 }] }), "gateways", /^gateways\[0\]\.port must be an integer from 1 to 65535 \(got 65536\)/],
    ["port as text", userpass({ gateways: [{ gatewayAddress: "a.example.com", port: "5060" }] }), "gateways", /port must be an integer from 1 to 65535/],
    ["priority -1", userpass({ gateways: [{ gatewayAddress: "a.example.com" }, { gatewayAddress: "b.example.com", priority: -1 }] }), "gateways", /^gateways\[1\]\.priority must be an integer of at least 0 \(lower is tried first\) \(got -1\)/],
    ["priority 1.5", userpass({ gateways: [{ gatewayAddress: "a.example.com", priority: 1.5 }] }), "gateways", /priority must be an integer of at least 0/],
    ["an unknown gateway attribute", userpass({ gateways: [{ gatewayAddress: "a.example.com", transport: "tcp" }] }), "gateways", /^gateways\[0\]\.transport is not an input of gateways\[0\]; known inputs: gatewayAddress, port, priority/],
    ["an IP identifier not an address", ipBased({ ipIdentifiers: [{ ipAddress: "10.0.0.300" }] }), "ipIdentifiers", /^ipIdentifiers\[0\]\.ipAddress must be an IPv4\/IPv6 address or CIDR \(got "10\.0\.0\.300"\)/],
    ["an IP identifier prefix over 32", ipBased({ ipIdentifiers: [{ ipAddress: "10.0.0.0/33" }] }), "ipIdentifiers", /ipAddress must be an IPv4\/IPv6 address or CIDR/],
    ["an IP identifier as a bare string", ipBased({ ipIdentifiers: ["10.0.0.1"] }), "ipIdentifiers", /^ipIdentifiers\[0\] must be an object \{ ipAddress \}/],
    ["an empty allow list", userpass({ allow: " , " }), "allow", /^must be a comma-separated list of codec names with at least one name \(got " , "\)/],
    ["a codec name with a space inside", userpass({ allow: "ul aw" }), "allow", /^must be a comma-separated list of codec names/],
    ["disallow not a string", userpass({ disallow: ["all"] }), "disallow", /^must be a comma-separated list of codec names/],
    ["an unknown transport", userpass({ transport: "udp" }), "transport", /^must be one of "transport-udp", "transport-tcp", "transport-tls" \(got "udp"\)/],
    ["an unknown media encryption", userpass({ mediaEncryption: "srtp" }), "mediaEncryption", /^must be "no" or "sdes" \(got "srtp"\)/],
    ["sdes over udp", userpass({ mediaEncryption: "sdes", transport: "transport-udp" }), "transport", /^must be "transport-tls" when mediaEncryption is "sdes" \(Bolna refuses SDES without TLS: "media_encryption='sdes' requires transport='transport-tls'"\) \(got "transport-udp"\)/],
    ["sdes with the transport omitted (udp)", userpass({ mediaEncryption: "sdes" }), "transport", /^must be "transport-tls" when mediaEncryption is "sdes" .* \(omitted\)/],
    ["a boolean as text", userpass({ inboundEnabled: "true" }), "inboundEnabled", /^must be a boolean \(got "true"\)/],
    ["a negative qualify frequency", userpass({ qualifyFrequency: -1 }), "qualifyFrequency", /^must be an integer number of seconds, 0 or more \(0 disables the OPTIONS ping\) \(got -1\)/],
    ["isActive as a number", userpass({ isActive: 1 }), "isActive", /^must be a boolean/],
    ["directMedia as text", userpass({ directMedia: "no" }), "directMedia", /^must be a boolean/],
    ["numbers not a list", userpass({ phoneNumbers: "+919876543210" }), "phoneNumbers", /^must be a list of \{ phoneNumber, name\? \} objects, each number once/],
    ["a number with letters", userpass({ phoneNumbers: [{ phoneNumber: "+91-98765" }] }), "phoneNumbers", /^phoneNumbers\[0\]\.phoneNumber must be a phone number of at most 15 digits, with or without a leading "\+"/],
    ["a number of 16 digits", userpass({ phoneNumbers: [{ phoneNumber: "1234567890123456" }] }), "phoneNumbers", /phoneNumber must be a phone number of at most 15 digits/],
    ["a number without phoneNumber", userpass({ phoneNumbers: [{ name: "x" }] }), "phoneNumbers", /^phoneNumbers\[0\]\.phoneNumber is required/],
    ["a number name not a string", userpass({ phoneNumbers: [{ phoneNumber: "919876543210", name: 7 }] }), "phoneNumbers", /^phoneNumbers\[0\]\.name must be a string, or null \(got 7\)/],
    ["a number twice, with and without +", userpass({ phoneNumbers: [{ phoneNumber: "+919876543210" }, { phoneNumber: "919876543210", name: "again" }] }), "phoneNumbers", /^phoneNumbers\[1\] repeats number "919876543210" of phoneNumbers\[0\]: each number may appear once/],
    ["an unknown input", userpass({ codecs: "ulaw" }), "codecs", /^is not an input of bolna\.SipTrunk; known inputs: name, provider, description, authType, authUsername, authPassword, allow/],
    ["a gateway attribute at the top", userpass({ gatewayAddress: "x.example.com" }), "gatewayAddress", /\(it belongs inside gateways\)/],
    ["a bad import id", userpass({ importId: "01HQ/../x" }), "importId", /^must be the id of an existing Bolna SIP trunk \(letters, digits, - and _\)/],
    ["a bad onImportMismatch", userpass({ onImportMismatch: "ignore" }), "onImportMismatch", /^must be "fail" or "update"/],
  ];
  for (const [title, inputs, property, reason] of cases) {
    it(`${title}: fails on ${property} only`, () => {
      const f = failures(JSON.parse(JSON.stringify(inputs)));
      assert.deepEqual(Object.keys(f), [property], JSON.stringify(f));
      assert.match(f[property], reason);
      const password = (inputs as { authPassword?: unknown }).authPassword;
      if (typeof password === "string" && password.trim()) assert.ok(!JSON.stringify(f).includes(password), "no failure quotes the password");
    });
  }

  it("accepts both documented trunk shapes, every value of every enum, and values still unknown at preview", () => {
    assert.deepEqual(failures(userpass()), {});
    assert.deepEqual(failures(ipBased()), {});
    assert.deepEqual(failures(ipBased({ authUsername: null, authPassword: null })), {}, "null is as good as omitted");
    assert.deepEqual(
      failures(userpass({
        description: "Main trunk", ipIdentifiers: [{ ipAddress: "203.0.113.10" }, { ipAddress: "2001:db8::/32" }],
        gateways: [{ gatewayAddress: "203.0.113.5", port: 5080, priority: 0 }, { gatewayAddress: "2001:db8::5" }, { gatewayAddress: "SIP.Example.COM.", priority: 2 }],
        allow: " ULAW, alaw ,g729", disallow: "ALL", transport: "transport-tls", mediaEncryption: "sdes", mediaEncryptionOptimistic: true,
        directMedia: true, rtpSymmetric: false, forceRport: false, iceSupport: false, qualifyFrequency: 0, inboundEnabled: true,
        outboundLeadingPlusEnabled: false, isActive: false, phoneNumbers: [{ phoneNumber: "+919876543210", name: "Mumbai" }, { phoneNumber: "15550001", name: null }],
        importId: ID, onImportMismatch: "update",
      })),
      {},
    );
    assert.deepEqual(failures(userpass({ authType: UNKNOWN, authUsername: UNKNOWN, authPassword: UNKNOWN, gateways: UNKNOWN, phoneNumbers: [{ phoneNumber: UNKNOWN }] })), {});
    assert.deepEqual(failures(userpass({ mediaEncryption: UNKNOWN })), {}, "an unknown mediaEncryption cannot break the TLS rule");
    assert.deepEqual(failures(ipBased({ ipIdentifiers: UNKNOWN })), {});
  });

  it("every failure of an input comes in one line; several inputs fail together", () => {
    const f = failures({ name: "", provider: "p", authType: "userpass", gateways: [{ gatewayAddress: "a b" }, { gatewayAddress: "c.example.com", port: 0 }] });
    assert.deepEqual(Object.keys(f).sort(), ["authPassword", "authUsername", "gateways", "name"]);
    assert.match(f.gateways, /gateways\[0\]\.gatewayAddress must be .*; gateways\[1\]\.port must be/);
  });

  it("the runtime refuses bad inputs before any call: check returns the failures, create and update throw them", async () => {
    const checked = await sipTrunkRuntime.check({}, userpass({ authPassword: "" }) as SipTrunkIn);
    assert.deepEqual(checked.failures.map((x) => x.property), ["authPassword"]);
    await assert.rejects(sipTrunkRuntime.create(userpass({ gateways: [] }) as SipTrunkIn), /bolna\.SipTrunk: invalid arguments:\n {2}- gateways: must be a non-empty list/);
    await assert.rejects(sipTrunkRuntime.update(ID, {}, ipBased({ authPassword: PASSWORD }) as SipTrunkIn), (e: Error) => {
      assert.match(e.message, /authPassword: must be omitted when authType is "ip-based"/);
      assert.ok(!e.message.includes(PASSWORD));
      return true;
    });
  });
});

// ------------------------------------------------------------------------------------------------
// Defaults and diff
// ------------------------------------------------------------------------------------------------

/** Bolna's documented create defaults (reference table), written out rather than read from the field table. */
const DOCUMENTED_DEFAULTS = {
  description: null, authUsername: null, ipIdentifiers: [], allow: "ulaw,alaw", disallow: "all", transport: "transport-udp",
  mediaEncryption: "no", mediaEncryptionOptimistic: false, directMedia: false, rtpSymmetric: true, forceRport: true, iceSupport: true,
  qualifyFrequency: 60, inboundEnabled: false, outboundLeadingPlusEnabled: true, isActive: true, phoneNumbers: [],
};

describe("bolna.SipTrunk: what omitting means (check)", () => {
  it("every omitted input is Bolna's documented default; each gateway gets port 5060 and priority 1, each number no name", () => {
    const filled = sipTrunkWithDefaults(ipBased({ gateways: [{ gatewayAddress: "a.example.com" }, { gatewayAddress: "b.example.com", port: 5080, priority: 3 }], phoneNumbers: [{ phoneNumber: "+15550001" }] }) as SipTrunkIn);
    assert.deepEqual(filled, {
      ...DOCUMENTED_DEFAULTS,
      name: "Plivo Elastic Trunk", provider: "plivo", authType: "ip-based", ipIdentifiers: [{ ipAddress: "15.207.90.192/31" }],
      gateways: [{ gatewayAddress: "a.example.com", port: 5060, priority: 1 }, { gatewayAddress: "b.example.com", port: 5080, priority: 3 }],
      phoneNumbers: [{ phoneNumber: "+15550001", name: null }],
    });
    assert.equal("authPassword" in filled, false, "the password has no default");
    assert.deepEqual(failures(filled), {}, "check's answer passes the rules again (update validates it)");
    assert.deepEqual(sipTrunkWithDefaults(userpass({ gateways: [{ gatewayAddress: UNKNOWN }] }) as SipTrunkIn).gateways, [{ gatewayAddress: UNKNOWN, port: 5060, priority: 1 }]);
  });

  it("the runtime's check returns them", async () => {
    const checked = await withKey(() => sipTrunkRuntime.check({}, userpass() as SipTrunkIn));
    assert.deepEqual(checked.failures, []);
    assert.equal(checked.inputs.qualifyFrequency, 60);
    assert.deepEqual(checked.inputs.gateways, [{ gatewayAddress: "sip.zadarma.com", port: 5060, priority: 1 }]);
  });

  it("a missing API key fails check (so preview), with the message that says how to set it", async () => {
    const saved = process.env.BOLNA_API_KEY;
    delete process.env.BOLNA_API_KEY;
    setStackConfig(() => undefined);
    try {
      await assert.rejects(sipTrunkRuntime.check({}, userpass() as SipTrunkIn), { message: MISSING_KEY_MESSAGE });
    } finally {
      setStackConfig(undefined);
      if (saved !== undefined) process.env.BOLNA_API_KEY = saved;
    }
  });
});

async function withKey<T>(run: () => Promise<T>): Promise<T> {
  setStackConfig((k) => (k === "bolna:apiKey" ? "unit-key" : undefined));
  try {
    return await run();
  } finally {
    setStackConfig(undefined);
  }
}

describe("bolna.SipTrunk diff", () => {
  const inputs = (over: Record<string, unknown> = {}) => sipTrunkWithDefaults(userpass(over) as SipTrunkIn);

  it("a trunk just created from the inputs has no difference from them (with or without check's defaults)", () => {
    assert.deepEqual(diffSipTrunk(live(), inputs()), []);
    assert.deepEqual(diffSipTrunk(live(), userpass() as SipTrunkIn), []);
  });

  it("gateways compare by priority, not list order; hosts without case; omitted port and priority are the defaults", () => {
    const two = [{ id: "g1", gateway_address: "a.example.com", port: 5060, priority: 1 }, { id: "g2", gateway_address: "b.example.com", port: 5080, priority: 2 }];
    const outs = live({ gateways: two });
    assert.deepEqual(diffSipTrunk(outs, inputs({ gateways: [{ gatewayAddress: "B.Example.com", port: 5080, priority: 2 }, { gatewayAddress: "a.example.com" }] })), []);
    const swapped = diffSipTrunk(outs, inputs({ gateways: [{ gatewayAddress: "a.example.com", priority: 2 }, { gatewayAddress: "b.example.com", port: 5080, priority: 1 }] }));
    assert.deepEqual(swapped.map((c) => c.property), ["gateways"], "new priorities are a change");
    assert.deepEqual(diffSipTrunk(outs, inputs({ gateways: [{ gatewayAddress: "a.example.com" }] })).map((c) => c.property), ["gateways"], "a removed gateway is a change");
    assert.equal(diffSipTrunk(outs, inputs({ gateways: [{ gatewayAddress: UNKNOWN }] })).length, 1, "an unknown gateway is a change");
  });

  it("codec lists compare as Bolna stores them: case, blanks and empty items do not count; order does", () => {
    assert.deepEqual(diffSipTrunk(live({ allow: "ulaw,alaw" }), inputs({ allow: " ULAW, alaw ," })), []);
    assert.deepEqual(diffSipTrunk(live({ disallow: "all" }), inputs({ disallow: "ALL" })), []);
    assert.deepEqual(diffSipTrunk(live({ allow: "ulaw,alaw" }), inputs({ allow: "alaw,ulaw" })), [{ property: "allow", live: "ulaw,alaw", desired: "alaw,ulaw" }]);
    assert.equal(canonicalCodecs(" G729 ,,ulaw "), "g729,ulaw");
  });

  it("IP identifiers compare as a set of CIDRs: a bare address equals its /32, order and repeats mean nothing", () => {
    const ipInputs = (ips: string[]) => sipTrunkWithDefaults(ipBased({ ipIdentifiers: ips.map((ipAddress) => ({ ipAddress })) }) as SipTrunkIn);
    const outs = sipTrunkOutputs(record({ auth_type: "ip-based", auth_username: undefined, ip_identifiers: [{ ip_address: "203.0.113.10/32" }, { ip_address: "198.51.100.0/24" }], name: "Plivo Elastic Trunk", provider: "plivo", gateways: [{ gateway_address: "21467306465797919.zt.plivo.com", port: 5060, priority: 1 }] }));
    assert.deepEqual(diffSipTrunk(outs, ipInputs(["198.51.100.0/24", "203.0.113.10"])), []);
    assert.deepEqual(diffSipTrunk(outs, ipInputs(["198.51.100.0/24", "203.0.113.10", "203.0.113.10/32"])), []);
    assert.deepEqual(diffSipTrunk(outs, ipInputs(["198.51.100.0/25", "203.0.113.10"])).map((c) => c.property), ["ipIdentifiers"]);
    assert.equal(outs.authUsername, null, "an ip-based trunk shows no username: it has none");
  });

  it("numbers compare by digits (with or without +) and name; soft-deleted ones are not on the trunk", () => {
    const outs = live({ phone_numbers: [number("n1", "+919876543210", "Mumbai"), number("n2", "15550001"), { ...number("n3", "15550002"), deleted: true }] });
    assert.deepEqual(outs.phoneNumbers?.map((n) => n.id), ["n2", "n1"], "sorted by number; the deleted one left out");
    assert.deepEqual(diffSipTrunk(outs, inputs({ phoneNumbers: [{ phoneNumber: "919876543210", name: "Mumbai" }, { phoneNumber: "+15550001" }] })), []);
    assert.deepEqual(diffSipTrunk(outs, inputs({ phoneNumbers: [{ phoneNumber: "919876543210", name: "Mumbai" }] })), [{ property: "phoneNumbers", live: { phoneNumber: "15550001", name: null }, desired: null }]);
    const renamed = diffSipTrunk(outs, inputs({ phoneNumbers: [{ phoneNumber: "919876543210", name: "Pune" }, { phoneNumber: "15550001" }] }));
    assert.deepEqual(renamed, [
      { property: "phoneNumbers", live: { phoneNumber: "+919876543210", name: "Mumbai" }, desired: null },
      { property: "phoneNumbers", live: null, desired: { phoneNumber: "919876543210", name: "Pune" } },
    ], "a new name is a remove and an add: Bolna cannot rename a number");
    assert.deepEqual(diffSipTrunk(live(), inputs({ phoneNumbers: undefined })), [], "omitted means none");
    assert.equal(diffSipTrunk(outs, inputs({ phoneNumbers: [{ phoneNumber: UNKNOWN }] })).length, 1);
  });

  it("the number plan removes first and adds what is missing, by id", () => {
    const outs = live({ phone_numbers: [number("n1", "+919876543210"), number("n2", "15550001")] });
    const plan = numberPlan(outs, inputs({ phoneNumbers: [{ phoneNumber: "15550001" }, { phoneNumber: "+15550003", name: "new" }] }));
    assert.deepEqual({ remove: plan.remove.map((n) => n.id), create: plan.create, keep: plan.keep.map((n) => n.id), update: plan.update }, {
      remove: ["n1"], create: [{ phoneNumber: "+15550003", name: "new" }], keep: ["n2"], update: [],
    });
    assert.deepEqual(numberBody({ phoneNumber: "+15550003", name: "new" }), { phone_number: "+15550003", name: "new" });
    assert.deepEqual(numberBody({ phoneNumber: "15550003" }), { phone_number: "15550003" }, "the + spelling is sent as written; no E.164 check asked");
  });

  it("the password: its hash is kept, never the password; the same one is no change, a new one is, drift is never seen", () => {
    const outs = live();
    assert.ok(isSecretHash(outs.authPasswordHash) && matchesSecret(PASSWORD, outs.authPasswordHash));
    assert.ok(!JSON.stringify(outs).includes(PASSWORD), "neither outputs nor the applied-inputs snapshot hold it");
    assert.equal(outs.__appliedInputs?.authPassword, outs.authPasswordHash, "the snapshot holds the hash where the password was");
    assert.deepEqual(diffSipTrunk(outs, inputs()), []);
    assert.deepEqual(diffSipTrunk(outs, inputs({ authPassword: PASSWORD_2 })), [{ property: "authPassword", live: "[secret]", desired: "[secret]" }]);
    assert.deepEqual(diffSipTrunk(outs, inputs({ authPassword: PASSWORD_2 }), true), [], "an adoption cannot compare it (it sets it instead)");
    assert.equal(diffSipTrunk(outs, inputs({ authPassword: UNKNOWN })).length, 1, "an unknown password is a change");
    assert.deepEqual(diffSipTrunk({ ...outs, authPasswordHash: null }, inputs()).map((c) => c.property), ["authPassword"], "never sent by this provider: sent");
    // A refresh cannot see the live password: it reads back the same outputs, hash included.
    const refreshed = sipTrunkOutputs(record(), { prior: outs });
    assert.equal(refreshed.authPasswordHash, outs.authPasswordHash);
    assert.deepEqual(diffSipTrunk(refreshed, inputs()), []);
  });

  it("provider, authType, directMedia, rtpSymmetric, forceRport and iceSupport replace the trunk; the rest updates in place", async () => {
    const outs = live();
    const diff = (over: Record<string, unknown>) => sipTrunkRuntime.diff(ID, outs, inputs(over));
    assert.deepEqual(await diff({ provider: "twilio" }), { changes: true, replaces: ["provider"], deleteBeforeReplace: true, properties: ["provider"] });
    for (const [input, value] of [["directMedia", true], ["rtpSymmetric", false], ["forceRport", false], ["iceSupport", false]] as const) {
      assert.deepEqual((await diff({ [input]: value })).replaces, [input]);
    }
    const toIp = sipTrunkWithDefaults(ipBased({ name: "Zadarma Production" }) as SipTrunkIn);
    assert.deepEqual((await sipTrunkRuntime.diff(ID, outs, toIp)).replaces.sort(), ["authType", "provider"]);
    assert.deepEqual(await diff({ name: "renamed", isActive: false, transport: "transport-tcp" }), {
      changes: true,
      replaces: [],
      deleteBeforeReplace: false,
      properties: ["name", "transport", "isActive"],
    });
    assert.deepEqual(await diff({}), { changes: false, replaces: [], deleteBeforeReplace: false, properties: [] });
  });

  it("outputs written by an older version lacking a key: no difference where the program means the default", () => {
    const outs = live() as Record<string, unknown>;
    delete outs.iceSupport;
    delete outs.mediaEncryption;
    assert.deepEqual(diffSipTrunk(outs as SipTrunkOut, inputs()), []);
    assert.deepEqual(diffSipTrunk(outs as SipTrunkOut, inputs({ mediaEncryption: "sdes", transport: "transport-tls" })).map((c) => c.property), ["transport", "mediaEncryption"]);
  });

  it("read-back: the program's spelling where the meaning is unchanged, the hash for the password, drift as the live value", () => {
    const applied = inputs({ allow: " ULAW, alaw", gateways: [{ gatewayAddress: "SIP.zadarma.com" }], phoneNumbers: [{ phoneNumber: "919876543210" }] });
    const outs = sipTrunkOutputs(record({ phone_numbers: [number("n1", "+919876543210")] }), { applied, passwordHash: hashSecret(PASSWORD) });
    const { authPassword, ...rest } = sipTrunkAsInputs(outs);
    const { authPassword: _sent, ...appliedRest } = applied;
    assert.deepEqual(rest, appliedRest);
    assert.equal(authPassword, outs.authPasswordHash);
    const drifted = sipTrunkOutputs(record({ transport: "transport-tcp", allow: "alaw", phone_numbers: [] }), { prior: outs });
    const back = sipTrunkAsInputs(drifted);
    assert.deepEqual([back.transport, back.allow, back.phoneNumbers], ["transport-tcp", "alaw", []]);
  });
});

// ------------------------------------------------------------------------------------------------
// Request bodies
// ------------------------------------------------------------------------------------------------

describe("bolna.SipTrunk request bodies", () => {
  it("create sends every meant value (Bolna's defaults included), the password, and the numbers inline; never is_active", () => {
    const body = createBody(sipTrunkWithDefaults(userpass({ isActive: false, phoneNumbers: [{ phoneNumber: "+919876543210", name: "Support" }] }) as SipTrunkIn));
    assert.deepEqual(body, {
      name: "Zadarma Production", provider: "zadarma", auth_type: "userpass", auth_username: "12345",
      gateways: [{ gateway_address: "sip.zadarma.com", port: 5060, priority: 1 }], ip_identifiers: [],
      allow: "ulaw,alaw", disallow: "all", transport: "transport-udp", media_encryption: "no", media_encryption_optimistic: false,
      direct_media: false, rtp_symmetric: true, force_rport: true, ice_support: true, qualify_frequency: 60, inbound_enabled: false,
      outbound_leading_plus_enabled: true, auth_password: PASSWORD, phone_numbers: [{ phone_number: "+919876543210", name: "Support" }],
    });
  });

  it("PATCH sends only what changed; a changed gateway or IP list goes whole; the password only when it changed", () => {
    const olds = live({ gateways: [{ gateway_address: "a.example.com", port: 5060, priority: 1 }, { gateway_address: "b.example.com", port: 5060, priority: 2 }] });
    const news = sipTrunkWithDefaults(userpass({ name: "renamed", gateways: [{ gatewayAddress: "a.example.com" }, { gatewayAddress: "c.example.com", priority: 2 }] }) as SipTrunkIn);
    assert.deepEqual(patchBody(olds, news, diffSipTrunk(olds, news)), {
      name: "renamed",
      gateways: [{ gateway_address: "a.example.com", port: 5060, priority: 1 }, { gateway_address: "c.example.com", port: 5060, priority: 2 }],
    });
    const password = sipTrunkWithDefaults(userpass({ authPassword: PASSWORD_2, description: null }) as SipTrunkIn);
    assert.deepEqual(patchBody(live(), password, diffSipTrunk(live(), password)), { auth_password: PASSWORD_2 });
    const cleared = sipTrunkWithDefaults(userpass() as SipTrunkIn);
    const withNote = live({ description: "old note" });
    assert.deepEqual(patchBody(withNote, cleared, diffSipTrunk(withNote, cleared)), { description: null }, "a cleared description is sent as null");
    const ips = sipTrunkWithDefaults(ipBased({ ipIdentifiers: [{ ipAddress: "10.0.0.1" }, { ipAddress: "10.0.0.2" }] }) as SipTrunkIn);
    const ipOuts = sipTrunkOutputs(record({ name: ips.name, provider: "plivo", auth_type: "ip-based", auth_username: undefined, gateways: [{ gateway_address: "21467306465797919.zt.plivo.com", port: 5060, priority: 1 }], ip_identifiers: [{ ip_address: "10.0.0.1" }] }));
    assert.deepEqual(patchBody(ipOuts, ips, diffSipTrunk(ipOuts, ips)), { ip_identifiers: [{ ip_address: "10.0.0.1" }, { ip_address: "10.0.0.2" }] });
  });

  it("fields PATCH cannot set are never in it (they replace the trunk)", () => {
    const news = sipTrunkWithDefaults(userpass({ provider: "twilio", iceSupport: false, isActive: false }) as SipTrunkIn);
    assert.deepEqual(patchBody(live(), news, diffSipTrunk(live(), news)), { is_active: false });
  });
});

// ------------------------------------------------------------------------------------------------
// Outputs: answers are checked before they are recorded
// ------------------------------------------------------------------------------------------------

describe("bolna.SipTrunk outputs", () => {
  it("a wrongly typed member is refused naming Bolna, the trunk and the member; harmless spellings are coerced", () => {
    assert.throws(() => sipTrunkOutputs(record({ inbound_enabled: "maybe" })), (e: unknown) => e instanceof VendorResponseError && /^Bolna answered with inbound_enabled "maybe" for SIP trunk 01HQ\w+, which is not a boolean; nothing was recorded/.test((e as Error).message));
    assert.throws(() => sipTrunkOutputs(record({ gateways: [{ gateway_address: "a", port: "x" }] })), /gateways\[0\]\.port "x"/);
    assert.throws(() => sipTrunkOutputs(record({ phone_numbers: [{ phone_number: "1" }] })), /id/);
    assert.equal(sipTrunkOutputs(record({ qualify_frequency: "30" })).qualifyFrequency, 30);
  });

  it("a member the answer leaves out keeps the value sent, else the prior one, else compares as the default", () => {
    const { transport: _t, ice_support: _i, media_encryption: _m, ...sparse } = record();
    const sent = sipTrunkOutputs(sparse, { sent: { transport: "transport-tcp" } });
    assert.equal(sent.transport, "transport-tcp");
    assert.equal("iceSupport" in sent, false);
    const prior = sipTrunkOutputs(sparse, { prior: live({ ice_support: false }) });
    assert.equal(prior.iceSupport, false);
    assert.equal(prior.transport, "transport-udp");
  });

  it("isTrunkOf: a listed trunk made from the inputs (create's fields), whatever is_active says", () => {
    const i = sipTrunkWithDefaults(userpass({ isActive: false }) as SipTrunkIn);
    assert.equal(isTrunkOf(record(), i), true);
    assert.equal(isTrunkOf(record({ transport: "transport-tcp" }), i), false);
  });
});

// ------------------------------------------------------------------------------------------------
// Recorded exchanges
// ------------------------------------------------------------------------------------------------

/** Replays one recorded exchange: answers any request with the recorded status and body, and keeps what was sent. */
async function replay(ex: Exchange, run: (client: BolnaClient) => Promise<unknown>): Promise<{ result: unknown; sent: { method: string; path: string; body: unknown; auth: string | undefined } }> {
  let sent: { method: string; path: string; body: unknown; auth: string | undefined } | undefined;
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const text = Buffer.concat(chunks).toString("utf8");
      sent = { method: String(req.method), path: String(req.url), body: text ? JSON.parse(text) : null, auth: req.headers.authorization };
      res.writeHead(ex.response.status, { "Content-Type": "application/json" });
      res.end(ex.response.body === null ? "" : JSON.stringify(ex.response.body));
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  try {
    const client = new BolnaClient({ apiKey: "replay-key", baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, requestTimeoutMs: 5000 });
    const result = await run(client);
    return { result, sent: sent! };
  } finally {
    await new Promise<void>((r) => server.close(() => r()));
  }
}

const fill = (path: string) => path.replace("{trunk_id}", ID).replace("{phone_number_id}", "n1");

describe("recorded Bolna exchanges → the client and bolna.SipTrunk's mapping", function () {
  const SUITE = "provider fixture replay (Bolna)";
  if (registerMissingExchanges("bolna", SUITE, "replayed through the client and the mapping")) return;
  const all = loadExchanges("bolna");
  const exchange = (file: string) => all.find((e) => e.file === file)!;

  it("the manifest lists every recorded Bolna exchange, and each has a replay below", function () {
    requireFixtures(this, SUITE, "bolna");
    assert.deepEqual(all.map((e) => e.file).sort(), [...manifest("bolna")].sort());
  });

  for (const file of ["sip_trunks_create_userpass.json", "sip_trunks_create_ip_based.json"]) {
    it(`${file}: those arguments pass the rules, and our create body sends every recorded member as recorded (plus Bolna's defaults, spelled out)`, async function () {
      requireFixtures(this, SUITE, "bolna");
      const ex = exchange(file);
      const rec = ex.request.body as Record<string, any>;
      const args: SipTrunkIn = {
        name: rec.name, provider: rec.provider, authType: rec.auth_type, description: rec.description,
        authUsername: rec.auth_username, authPassword: rec.auth_password,
        gateways: rec.gateways.map((g: any) => ({ gatewayAddress: g.gateway_address, port: g.port, priority: g.priority })),
        ipIdentifiers: rec.ip_identifiers?.map((i: any) => ({ ipAddress: i.ip_address })),
        allow: rec.allow, disallow: rec.disallow, inboundEnabled: rec.inbound_enabled, outboundLeadingPlusEnabled: rec.outbound_leading_plus_enabled,
      };
      const plain = JSON.parse(JSON.stringify(args));
      assert.deepEqual(failures(plain), {});
      const body = createBody(sipTrunkWithDefaults(plain));
      for (const [k, v] of Object.entries(rec)) assert.deepEqual(body[k], v, k);
      for (const k of Object.keys(body)) assert.ok(k in rec || SIP_TRUNK_FIELDS.some((f) => f.api === k && f.default !== undefined), `${k}: an extra member is a documented default`);
      // Through the client: the POST goes to the recorded path; the 201's body is not documented (null), so it is an ambiguous answer to reconcile.
      const { result, sent } = await replay(ex, (c) => c.createOutcome("/sip-trunks/trunks", body, "a Bolna SIP trunk", () => undefined));
      assert.deepEqual([sent.method, sent.path, sent.auth], [ex.request.method, ex.request.path, "Bearer replay-key"]);
      assert.ok("ambiguous" in (result as object), "a 201 without a usable trunk is reconciled, never trusted");
    });
  }

  for (const file of ["sip_trunks_get.json", "sip_trunks_list.json"]) {
    it(`${file}: every trunk parses (outputs and lookup), and its own values diff clean against themselves as inputs`, async function () {
      requireFixtures(this, SUITE, "bolna");
      const ex = exchange(file);
      const { result, sent } = await replay(ex, (c) => (file.endsWith("list.json") ? c.list(fill(ex.request.path)) : c.get(fill(ex.request.path), "a Bolna SIP trunk")));
      assert.equal(sent.path, fill(ex.request.path));
      const records = (Array.isArray(result) ? result : [result]) as Record<string, unknown>[];
      assert.ok(records.length > 0);
      for (const r of records) {
        const outs = sipTrunkOutputs(r);
        assert.equal(outs.authType, "userpass");
        assert.deepEqual(outs.gateways, [{ gatewayAddress: "sip.zadarma.com", port: 5060, priority: 1 }]);
        assert.deepEqual(outs.ipIdentifiers, [{ ipAddress: "15.207.90.192/31" }]);
        assert.deepEqual(outs.phoneNumbers, [], "the example's one number is marked deleted: not on the trunk");
        assert.equal("mediaEncryption" in outs, false, "the seed's answer has no media_encryption: left out, not guessed");
        assert.equal(outs.authPasswordHash, null);
        const asInputs = sipTrunkAsInputs(outs);
        assert.deepEqual(diffSipTrunk(outs, asInputs), [], "the live trunk written as inputs has no difference from itself");
        const summary = trunkSummary(r);
        assert.equal(summary.id, "<string>");
        assert.equal(summary.phoneNumbers[0].telephonyProvider, "sip-trunk");
        assert.equal(summary.phoneNumbers[0].byotTrunkId, "<string>");
        assert.equal(summary.iceSupport, true);
        assert.equal("authPassword" in summary, false);
      }
    });
  }

  it("sip_trunks_update.json: a PATCH of those changes sends exactly the recorded members; the sparse answer keeps what it leaves out", async function () {
    requireFixtures(this, SUITE, "bolna");
    const ex = exchange("sip_trunks_update.json");
    const rec = ex.request.body as Record<string, any>;
    const olds = live({ transport: "transport-tcp", ice_support: false, media_encryption: "no" });
    const news = sipTrunkWithDefaults(userpass({
      name: rec.name, description: rec.description, authUsername: rec.auth_username, authPassword: rec.auth_password,
      gateways: [{ gatewayAddress: "sip.zadarma.com", port: 5060, priority: 1 }, { gatewayAddress: "sip2.zadarma.com", priority: 2 }],
      ipIdentifiers: rec.ip_identifiers.map((i: any) => ({ ipAddress: i.ip_address })), allow: "g729", disallow: "ulaw",
      inboundEnabled: rec.inbound_enabled, outboundLeadingPlusEnabled: !rec.outbound_leading_plus_enabled, isActive: !rec.is_active,
      qualifyFrequency: rec.qualify_frequency, mediaEncryptionOptimistic: rec.media_encryption_optimistic, transport: "transport-tcp", iceSupport: false,
    }) as SipTrunkIn);
    const body = patchBody(olds, news, diffSipTrunk(olds, news));
    assert.deepEqual(Object.keys(body).sort(), Object.keys(rec).sort(), "the recorded member set: every patchable field that changed");
    const { result, sent } = await replay(ex, (c) => c.patch(fill(ex.request.path), body, "a Bolna SIP trunk"));
    assert.equal(sent.method, "PATCH");
    const outs = sipTrunkOutputs(result as Record<string, unknown>, { prior: olds, applied: news });
    assert.equal(outs.transport, "transport-tcp", "the answer has no transport: the prior value stands");
    assert.equal(outs.iceSupport, false, "nor ice_support");
    assert.equal(outs.authType, "userpass", "nor auth_type");
    assert.equal(outs.mediaEncryptionOptimistic, true, "what it has is recorded");
  });

  it("sip_trunk_numbers_add.json: our number body sends the recorded number and name (the recorded e164_check_enabled false is the default we leave out)", async function () {
    requireFixtures(this, SUITE, "bolna");
    const ex = exchange("sip_trunk_numbers_add.json");
    const rec = ex.request.body as Record<string, any>;
    assert.deepEqual(failures(userpass({ phoneNumbers: [{ phoneNumber: rec.phone_number, name: rec.name }] })), {});
    const body = numberBody({ phoneNumber: rec.phone_number, name: rec.name });
    assert.deepEqual({ ...body, e164_check_enabled: false }, rec);
    const { result, sent } = await replay(ex, (c) => c.createOutcome(fill(ex.request.path), body, "a Bolna phone number", () => undefined));
    assert.equal(sent.path, fill(ex.request.path));
    assert.ok("ambiguous" in (result as object), "an undocumented 201 body is reconciled by listing the numbers");
  });

  for (const file of ["sip_trunks_delete.json", "sip_trunk_numbers_delete.json"]) {
    it(`${file}: a 200 with a {message} is a success (not a 204)`, async function () {
      requireFixtures(this, SUITE, "bolna");
      const ex = exchange(file);
      const { result, sent } = await replay(ex, (c) => c.remove(fill(ex.request.path)));
      assert.deepEqual([sent.method, sent.path, result], ["DELETE", fill(ex.request.path), true]);
    });
  }
});

// ------------------------------------------------------------------------------------------------
// Docs and TSDoc
// ------------------------------------------------------------------------------------------------

describe("bolna.SipTrunk: README table and TSDoc agree with the field table", () => {
  const FILE = "provider/bolna/sip-trunk-types.ts";
  const docs = tsdocMembers(FILE, "SipTrunkInputs");
  for (const f of SIP_TRUNK_INPUT_FIELDS) {
    it(`${f.input}: its TSDoc quotes the doc line, the rule and what omitted means`, () => {
      const doc = docs.get(f.input)?.doc ?? "";
      assert.ok(doc.includes(oneLine(f.doc)), `doc line missing:\n  ${f.doc}\n  ${doc}`);
      assert.ok(doc.includes(`Rule: ${oneLine(f.rule)}`), `rule missing:\n  ${f.rule}\n  ${doc}`);
      if (f.required) assert.match(doc, /Required\./);
      else if (f.default !== undefined) assert.ok(doc.includes(`Omitted: ${JSON.stringify(f.default)}.`), `omitted missing: ${doc}`);
      if (f.replaceOnChange) assert.match(doc, /change replaces the trunk/);
    });
  }
  for (const [iface, children] of [["Gateway", GATEWAY_CHILDREN], ["IpIdentifier", IP_IDENTIFIER_CHILDREN], ["PhoneNumber", PHONE_NUMBER_CHILDREN]] as const) {
    it(`${iface}: each attribute quotes its doc, rule and default`, () => {
      const members = tsdocMembers(FILE, iface);
      for (const c of children) {
        const doc = members.get(c.input)?.doc ?? "";
        assert.ok(doc.includes(oneLine(c.doc ?? "")) && doc.includes(`Rule: ${oneLine(c.rule)}`), `${c.input}: ${doc}`);
        if (c.required) assert.match(doc, /Required\./);
        else assert.ok(doc.includes(`Omitted: ${JSON.stringify(c.default)}.`), `${c.input}: ${doc}`);
      }
    });
  }
  it("phoneNumbers and the controls quote their rules", () => {
    assert.ok(docs.get("phoneNumbers")?.doc.includes("Rule: must be a list of { phoneNumber, name? } objects, each number once"));
    for (const [name, control] of Object.entries(SIP_TRUNK_CONTROLS)) assert.ok(docs.get(name)?.doc.includes(oneLine(control.rule)), name);
  });
  it("every input is a field, phoneNumbers or a control; the cross rules name real inputs", () => {
    const known = new Set<string>([...SIP_TRUNK_INPUT_FIELDS.map((f) => f.input), "phoneNumbers", ...Object.keys(SIP_TRUNK_CONTROLS)]);
    assert.deepEqual([...docs.keys()].filter((k) => !known.has(k)), []);
    assert.deepEqual([...known].filter((k) => !docs.has(k)), []);
    for (const r of CROSS_RULES) assert.ok(known.has(r.property), r.property);
  });
  it("the README table marks the replace-on-change inputs, the secret password (never sent when omitted) and the nested attributes", () => {
    const table = renderInputTable(DOC_TABLES.find((t) => t.marker === "bolna-sip-trunk-inputs")!);
    for (const input of ["provider", "authType", "directMedia", "rtpSymmetric", "forceRport", "iceSupport"]) {
      assert.match(table.split("\n").find((l) => l.startsWith(`| \`${input}\``)) ?? "", /A change replaces the resource\./, input);
    }
    assert.match(table, /\| `authPassword` \| `auth_password` \| not sent \| must be a non-empty string/);
    assert.match(table, /\| `gateways\.port` \| `port` \| `5060` \|/);
    assert.match(table, /\| `phoneNumbers` \| `\/numbers` \| `\[\]` \(no numbers\) \|/);
    assert.equal(AUTH_PASSWORD.secret, true);
  });
});

// ------------------------------------------------------------------------------------------------
// Client: errors and settings
// ------------------------------------------------------------------------------------------------

describe("Bolna errors", () => {
  const url = "https://api.bolna.ai/sip-trunks/trunks";
  const err = (status: number, body: unknown, property?: string) => bolnaError("POST", url, { status, text: typeof body === "string" ? body : JSON.stringify(body) }, property);

  it("{detail}: the text, with the input it names (snake_case → camelCase)", () => {
    const e = err(422, { detail: "media_encryption='sdes' requires transport='transport-tls'" });
    assert.equal(e.code, "VALIDATION");
    assert.equal(e.problems[0].property, "mediaEncryption");
    assert.match(e.message, /^Bolna API POST \/sip-trunks\/trunks failed \(HTTP 422\):\n {2}- mediaEncryption: media_encryption='sdes' requires transport='transport-tls'/);
    assert.equal(err(422, { detail: "gateways[1].port must be between 1 and 65535" }).problems[0].property, "gateways[1].port");
    assert.equal(err(400, { detail: "gateway_address is required" }).problems[0].property, "gateways.gatewayAddress");
    assert.equal(err(400, { detail: "auth_username and auth_password are required for userpass auth" }).problems[0].property, "authUsername");
    assert.equal(err(400, { detail: "Trunk name is required" }).problems[0].property, "name");
    assert.equal(err(400, { detail: "A SIP trunk named 'allow' already exists" }).problems[0].property, undefined, "a quoted value is not a member's name");
    assert.equal(err(409, { detail: "Phone number already exists on another active trunk" }, "phoneNumbers[\"+15550001\"]").problems[0].property, 'phoneNumbers["+15550001"]', "else the input the call is about");
  });

  it("FastAPI's list of {loc, msg}: one problem each, the input from loc", () => {
    const e = err(422, { detail: [{ loc: ["body", "gateways", 0, "port"], msg: "ensure this value is less than or equal to 65535", type: "value_error" }, { loc: ["body", "qualify_frequency"], msg: "value is not a valid integer" }] });
    assert.deepEqual(e.problems.map((p) => p.property), ["gateways[0].port", "qualifyFrequency"]);
  });

  it("{error, message}: the OpenAPI's shape, its code kept", () => {
    const e = err(400, { error: 400, message: "ip_identifiers are required for ip-based auth" });
    assert.deepEqual([e.problems[0].property, e.problems[0].vendorCode, e.code], ["ipIdentifiers", "400", "BAD_REQUEST"]);
  });

  it("403 says the key is the likely cause (Bolna's answer to a wrong key); 429 says it was retried after Retry-After", () => {
    const forbidden = err(403, { detail: "Invalid API key" });
    assert.equal(forbidden.code, "FORBIDDEN");
    assert.match(forbidden.message, /403 for an API key it does not accept: check bolna:apiKey \(BOLNA_API_KEY\)/);
    assert.match(err(429, { detail: "Too many requests" }).message, /after every retry, each after its Retry-After/);
  });

  it("an HTML page, a huge body or a huge detail list stays short", () => {
    assert.match(err(502, "<html><head><title>502 Bad Gateway</title></head><body>x</body></html>").message, /HTML error page \(502 Bad Gateway\)/);
    assert.ok(err(500, "y".repeat(5_000_000)).message.length < 1000);
    const many = err(422, { detail: Array.from({ length: 2000 }, (_, i) => ({ loc: ["body", "name"], msg: `problem ${i} ${"z".repeat(500)}` })) });
    assert.ok(many.message.length <= 4100, String(many.message.length));
    assert.match(many.message, /more errors left out/);
  });

  it("inputNamedIn ignores words that only look like members", () => {
    assert.equal(inputNamedIn("is not allowed here"), undefined);
    assert.equal(inputNamedIn("is_active must be true or false"), "isActive");
  });
});

describe("Bolna client over HTTP: Bearer key, Retry-After honoured, never the key in a message", () => {
  let server: http.Server;
  let base = "";
  const seen: { auth?: string; path?: string }[] = [];
  let answers: Array<{ status: number; headers?: Record<string, string>; body: string }> = [];
  before(async () => {
    server = http.createServer((req, res) => {
      seen.push({ auth: req.headers.authorization, path: req.url });
      const a = answers.shift() ?? { status: 200, body: "[]" };
      res.writeHead(a.status, { "Content-Type": "application/json", ...a.headers });
      res.end(a.body);
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(() => new Promise<void>((r) => server.close(() => r())));

  it("a 429 with Retry-After is retried after that wait, then answered", async () => {
    answers = [{ status: 429, headers: { "Retry-After": "3" }, body: JSON.stringify({ detail: "Too many requests" }) }, { status: 200, body: "[]" }];
    const waits: number[] = [];
    const c = new BolnaClient({ apiKey: "sk-unit-secret", baseUrl: base, requestTimeoutMs: 60_000 }, { sleep: async (ms) => void waits.push(ms), random: () => 0 });
    seen.length = 0;
    assert.deepEqual(await c.list("/sip-trunks/trunks?is_active=true"), []);
    assert.deepEqual(waits, [3000]);
    assert.deepEqual(seen.map((s) => [s.auth, s.path]), [["Bearer sk-unit-secret", "/sip-trunks/trunks?is_active=true"], ["Bearer sk-unit-secret", "/sip-trunks/trunks?is_active=true"]]);
  });

  it("a 403 is refused at once, without the key in the message", async () => {
    answers = [{ status: 403, body: JSON.stringify({ detail: "Invalid API key" }) }];
    const c = new BolnaClient({ apiKey: "sk-unit-secret", baseUrl: base, requestTimeoutMs: 5000 });
    await assert.rejects(c.get("/sip-trunks/trunks/x", "a Bolna SIP trunk"), (e: unknown) => {
      assert.ok(e instanceof VendorApiError && e.status === 403);
      assert.ok(!(e as Error).message.includes("sk-unit-secret") && !JSON.stringify(e).includes("sk-unit-secret"));
      return true;
    });
  });

  it("a list that is not a bare array, or a record without an id, is an unusable answer", async () => {
    const c = new BolnaClient({ apiKey: "k", baseUrl: base, requestTimeoutMs: 5000 });
    answers = [{ status: 200, body: JSON.stringify({ trunks: [] }) }];
    await assert.rejects(c.list("/sip-trunks/trunks"), /unusable answer: .*not a JSON array of records/);
    answers = [{ status: 200, body: JSON.stringify({ name: "x" }) }];
    await assert.rejects(c.get("/sip-trunks/trunks/x", "a Bolna SIP trunk"), /unusable answer: "id" is missing/);
    answers = [{ status: 404, body: JSON.stringify({ detail: "SIP trunk not found" }) }];
    assert.equal(await c.get("/sip-trunks/trunks/x", "a Bolna SIP trunk"), undefined, "404 on GET: gone");
    answers = [{ status: 404, body: JSON.stringify({ detail: "SIP trunk not found" }) }];
    assert.equal(await c.remove("/sip-trunks/trunks/x"), false, "404 on DELETE: already gone");
  });
});

describe("Bolna settings", () => {
  afterEach(() => setStackConfig(undefined));
  it("the key from config or BOLNA_API_KEY (config wins); the URL without its trailing slash; the timeout in seconds", () => {
    const saved = { ...process.env };
    delete process.env.BOLNA_API_KEY;
    delete process.env.BOLNA_API_URL;
    try {
      setStackConfig(() => undefined);
      assert.throws(() => bolnaSettings(), { message: MISSING_KEY_MESSAGE });
      process.env.BOLNA_API_KEY = "from-env";
      assert.deepEqual(bolnaSettings(), { apiKey: "from-env", baseUrl: "https://api.bolna.ai", requestTimeoutMs: 60_000 });
      setStackConfig((k) => ({ "bolna:apiKey": "from-config", "bolna:apiUrl": "http://127.0.0.1:9/bolna/", "bolna:requestTimeout": "5" })[k]);
      assert.deepEqual(bolnaSettings(), { apiKey: "from-config", baseUrl: "http://127.0.0.1:9/bolna", requestTimeoutMs: 5000 });
    } finally {
      for (const k of ["BOLNA_API_KEY", "BOLNA_API_URL"]) delete process.env[k];
      Object.assign(process.env, saved);
    }
  });
});
