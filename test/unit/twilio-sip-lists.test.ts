/**
 * `twilio.SipCredentialList` and `twilio.SipIpAccessControlList`: every input rule (before any
 * call, never quoting a password), the entries as keyed sets (add, remove, update in place,
 * replace), the write-only password hash, the list engine's calls against the in-process
 * emulator (floor, reconciliation, partial create, name taken), every recorded sip_* exchange
 * through the client and the mapping, and the TSDoc against the field tables.
 */
import { strict as assert } from "node:assert";
import * as http from "node:http";
import type { AddressInfo } from "node:net";
import * as pulumi from "@pulumi/pulumi";
import { DEFAULT_TWILIO_ACCOUNT, startEmulator, type EmulatorHandle } from "../../emulator";
import { setStackConfig } from "../../provider/common/config";
import type { InputFailure } from "../../provider/common/errors";
import type { ControlField, FieldSpec, SubField } from "../../provider/common/fields";
import { VendorResponseError } from "../../provider/common/response";
import { PartialCreateError } from "../../provider/common/runtime";
import type { NestedInput } from "../../provider/common/schema";
import { isSecretHash, matchesSecret } from "../../provider/common/secret-hash";
import { UNKNOWN } from "../../provider/common/unknown";
import { invoke } from "../../provider/dynamic";
import { TwilioClient } from "../../provider/twilio/client";
import { diffList, listAsInputs, listRecordOutputs, listWithDefaults, PartialUpdateError, planChildren, type ListOut } from "../../provider/twilio/children";
import { secretPasswords } from "../../provider/twilio/credential-list";
import { credentialListRuntime } from "../../provider/twilio/credential-list-crud";
import { CREDENTIALS, CREDENTIAL_LIST_CONTROLS, CREDENTIAL_LIST_FIELDS, PASSWORD_RULE, validateCredentialListInputs } from "../../provider/twilio/credential-list-fields";
import { CREDENTIAL_KIND, CREDENTIAL_LIST_SPEC } from "../../provider/twilio/credential-list-mapping";
import type { SipCredentialOutput } from "../../provider/twilio/credential-list-types";
import { ipAccessControlListRuntime } from "../../provider/twilio/ip-access-control-list-crud";
import { IP_ACL_CONTROLS, IP_ACL_FIELDS, IP_ADDRESSES, validateIpAclInputs } from "../../provider/twilio/ip-access-control-list-fields";
import { IP_ACL_SPEC, IP_ADDRESS_KIND } from "../../provider/twilio/ip-access-control-list-mapping";
import type { SipIpAddressOutput } from "../../provider/twilio/ip-access-control-list-types";
import { loadExchanges, manifest, registerMissingExchanges, requireFixtures, type Exchange } from "../helpers/shared-fixtures";
import { oneLine, tsdocOf } from "../helpers/tsdoc";

const PASSWORD = "Sip-Pass-2026-One";
const PASSWORD_2 = "Sip-Pass-2026-Two";
const CR = (n: number) => `CR${String(n).padStart(32, "0")}`;
const IP = (n: number) => `IP${String(n).padStart(32, "0")}`;

function failuresOf(validate: (i: unknown) => InputFailure[], inputs: unknown): Record<string, string> {
  return Object.fromEntries(validate(inputs).map((f) => [f.property, f.reason]));
}

// ------------------------------------------------------------------------------------------------
// Input rules
// ------------------------------------------------------------------------------------------------

describe("twilio.SipCredentialList inputs: every rule, before any call, no password quoted", () => {
  const ok = { friendlyName: "pbx-users", credentials: [{ username: "pbx1", password: PASSWORD }] };
  const withCred = (c: unknown) => ({ friendlyName: "pbx-users", credentials: [c] });
  const passwordRule = PASSWORD_RULE.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  const cases: Array<[string, unknown, string, RegExp]> = [
    ["no friendlyName", { credentials: [] }, "friendlyName", /^is required: it must be a string of 1 to 64 characters, unique among the account's credential lists/],
    ["empty friendlyName", { friendlyName: "" }, "friendlyName", /^must be a string of 1 to 64 characters/],
    ["friendlyName of 65", { friendlyName: "x".repeat(65) }, "friendlyName", /^must be a string of 1 to 64 characters/],
    ["friendlyName not a string", { friendlyName: 7 }, "friendlyName", /^must be a string of 1 to 64/],
    ["credentials not a list", { friendlyName: "a", credentials: { username: "u" } }, "credentials", /^must be a list of at most 1000 \{ username, password \} objects, each username once/],
    ["an entry not an object", withCred("pbx1:secret"), "credentials", /^credentials\[0\] must be an object \{ username, password \}/],
    ["no username", withCred({ password: PASSWORD }), "credentials", /^credentials\[0\]\.username is required: it must be a string of 1 to 32 characters/],
    ["empty username", withCred({ username: "", password: PASSWORD }), "credentials", /^credentials\[0\]\.username must be a string of 1 to 32 characters/],
    ["username of 33", withCred({ username: "u".repeat(33), password: PASSWORD }), "credentials", /^credentials\[0\]\.username must be a string of 1 to 32/],
    ["no password", withCred({ username: "u" }), "credentials", new RegExp(`^credentials\\[0\\]\\.password is required: it ${passwordRule}`)],
    ["password of 11", withCred({ username: "u", password: "Abcdefgh123" }), "credentials", new RegExp(`^credentials\\[0\\]\\.password ${passwordRule} \\(got "\\[secret\\]"\\)`)],
    ["password without a digit", withCred({ username: "u", password: "Abcdefghijklm" }), "credentials", new RegExp(`password ${passwordRule}`)],
    ["password without upper case", withCred({ username: "u", password: "abcdefghijk1" }), "credentials", new RegExp(`password ${passwordRule}`)],
    ["password without lower case", withCred({ username: "u", password: "ABCDEFGHIJK1" }), "credentials", new RegExp(`password ${passwordRule}`)],
    ["password not a string", withCred({ username: "u", password: 123456789012 }), "credentials", new RegExp(`password ${passwordRule}`)],
    ["an unknown attribute", withCred({ username: "u", password: PASSWORD, realm: "x" }), "credentials", /^credentials\[0\]\.realm is not an input of credentials\[0\]; known inputs: username, password/],
    ["a username twice", { friendlyName: "a", credentials: [{ username: "u", password: PASSWORD }, { username: "v", password: PASSWORD }, { username: "u", password: PASSWORD_2 }] }, "credentials", /^credentials\[2\] repeats username "u" of credentials\[0\]: each username may appear once/],
    ["1001 credentials", { friendlyName: "a", credentials: Array.from({ length: 1001 }, (_, i) => ({ username: `u${i}`, password: PASSWORD })) }, "credentials", /^must be a list of at most 1000/],
    ["an unknown input", { ...ok, username: "u" }, "username", /^is not an input of twilio\.SipCredentialList \(it belongs inside credentials\); known inputs: friendlyName, credentials/],
    ["a bad import id", { ...ok, importId: "AL123" }, "importId", /^must be the SID of an existing Twilio credential list \("CL" followed by 32 hexadecimal characters\)/],
    ["a bad onImportMismatch", { ...ok, onImportMismatch: "ignore" }, "onImportMismatch", /^must be "fail" or "update"/],
  ];
  for (const [title, inputs, property, reason] of cases) {
    it(`${title}: fails on ${property}`, () => {
      const f = failuresOf(validateCredentialListInputs, inputs);
      assert.deepEqual(Object.keys(f), [property]);
      assert.match(f[property], reason);
      const sent = JSON.stringify(inputs);
      for (const pw of sent.match(/"password":("[^"]*"|\d+)/g) ?? []) {
        const value = JSON.parse(pw.slice("\"password\":".length));
        assert.ok(!JSON.stringify(f).includes(String(value)), `the failure quotes no password (${String(value).slice(0, 3)}…)`);
      }
    });
  }

  it("accepts valid inputs, no credentials at all, and values still unknown at preview", () => {
    assert.deepEqual(validateCredentialListInputs(ok), []);
    assert.deepEqual(validateCredentialListInputs({ friendlyName: "a" }), []);
    assert.deepEqual(validateCredentialListInputs({ friendlyName: "a", credentials: [] }), []);
    assert.deepEqual(validateCredentialListInputs({ friendlyName: UNKNOWN, credentials: [{ username: "u", password: UNKNOWN }, { username: UNKNOWN, password: PASSWORD }] }), []);
    assert.deepEqual(validateCredentialListInputs({ friendlyName: "a", credentials: UNKNOWN }), []);
    assert.deepEqual(validateCredentialListInputs({ ...ok, importId: `CL${"a".repeat(32)}`, onImportMismatch: "update" }), []);
  });

  it("every failure of one input comes in one line, rules and duplicates together", () => {
    const f = validateCredentialListInputs({ friendlyName: "a", credentials: [{ username: "u", password: "weak" }, { username: "u", password: "also weak" }] });
    assert.equal(f.length, 1);
    assert.match(f[0].reason, /credentials\[0\]\.password must be .*; credentials\[1\]\.password must be .*; credentials\[1\] repeats username "u"/);
    assert.ok(!f[0].reason.includes("weak"));
  });
});

describe("twilio.SipIpAccessControlList inputs: every rule, before any call", () => {
  const withIp = (e: unknown) => ({ friendlyName: "office", ipAddresses: [e] });
  const ipv4Rule = /must be an IPv4 address in dotted decimal form, without a prefix length \(IPv4 only\)/;
  const cases: Array<[string, unknown, string, RegExp]> = [
    ["no friendlyName", { ipAddresses: [] }, "friendlyName", /^is required: it must be a string of 1 to 255 characters/],
    ["friendlyName of 256", { friendlyName: "x".repeat(256) }, "friendlyName", /^must be a string of 1 to 255 characters/],
    ["ipAddresses not a list", { friendlyName: "a", ipAddresses: "203.0.113.10" }, "ipAddresses", /^must be a list of at most 100 \{ ipAddress, cidrPrefixLength\?, friendlyName\? \} objects, each address and prefix length once/],
    ["a bare string entry", withIp("203.0.113.10"), "ipAddresses", /^ipAddresses\[0\] must be an object \{ ipAddress, cidrPrefixLength\?, friendlyName\? \}/],
    ["no ipAddress", withIp({ friendlyName: "x" }), "ipAddresses", /^ipAddresses\[0\]\.ipAddress is required: it must be an IPv4 address/],
    ["IPv6", withIp({ ipAddress: "2001:db8::1" }), "ipAddresses", new RegExp(`^ipAddresses\\[0\\]\\.ipAddress ${ipv4Rule.source} \\(got "2001:db8::1"\\)`)],
    ["a CIDR in ipAddress", withIp({ ipAddress: "10.0.0.0/24" }), "ipAddresses", ipv4Rule],
    ["a wildcard", withIp({ ipAddress: "10.0.0.*" }), "ipAddresses", ipv4Rule],
    ["a leading zero", withIp({ ipAddress: "10.0.0.01" }), "ipAddresses", ipv4Rule],
    ["an octet over 255", withIp({ ipAddress: "10.0.0.256" }), "ipAddresses", ipv4Rule],
    ["a host name", withIp({ ipAddress: "pbx.example.com" }), "ipAddresses", ipv4Rule],
    ["prefix 33", withIp({ ipAddress: "10.0.0.0", cidrPrefixLength: 33 }), "ipAddresses", /^ipAddresses\[0\]\.cidrPrefixLength must be an integer from 0 to 32 \(got 33\)/],
    ["prefix -1", withIp({ ipAddress: "10.0.0.0", cidrPrefixLength: -1 }), "ipAddresses", /cidrPrefixLength must be an integer from 0 to 32/],
    ["prefix 24.5", withIp({ ipAddress: "10.0.0.0", cidrPrefixLength: 24.5 }), "ipAddresses", /cidrPrefixLength must be an integer from 0 to 32/],
    ["prefix as text", withIp({ ipAddress: "10.0.0.0", cidrPrefixLength: "24" }), "ipAddresses", /cidrPrefixLength must be an integer from 0 to 32/],
    ["empty entry name", withIp({ ipAddress: "10.0.0.1", friendlyName: "" }), "ipAddresses", /^ipAddresses\[0\]\.friendlyName must be a string of 1 to 255 characters/],
    ["entry name of 256", withIp({ ipAddress: "10.0.0.1", friendlyName: "n".repeat(256) }), "ipAddresses", /friendlyName must be a string of 1 to 255/],
    ["an unknown attribute", withIp({ ipAddress: "10.0.0.1", mask: "255.255.255.0" }), "ipAddresses", /^ipAddresses\[0\]\.mask is not an input of ipAddresses\[0\]; known inputs: ipAddress, cidrPrefixLength, friendlyName/],
    ["an address twice (bare = /32)", { friendlyName: "a", ipAddresses: [{ ipAddress: "10.0.0.1" }, { ipAddress: "10.0.0.1", cidrPrefixLength: 32, friendlyName: "again" }] }, "ipAddresses", /^ipAddresses\[1\] repeats address\/prefix "10\.0\.0\.1\/32" of ipAddresses\[0\]: each address\/prefix may appear once/],
    ["101 entries", { friendlyName: "a", ipAddresses: Array.from({ length: 101 }, (_, i) => ({ ipAddress: `10.0.${i >> 8}.${i & 255}` })) }, "ipAddresses", /^must be a list of at most 100/],
    ["a bad import id", { friendlyName: "a", importId: `CL${"a".repeat(32)}` }, "importId", /^must be the SID of an existing Twilio IP access control list \("AL" followed by 32 hexadecimal characters\)/],
  ];
  for (const [title, inputs, property, reason] of cases) {
    it(`${title}: fails on ${property}`, () => {
      const f = failuresOf(validateIpAclInputs, inputs);
      assert.deepEqual(Object.keys(f), [property]);
      assert.match(f[property], reason);
    });
  }

  it("accepts an address with and without a prefix, the same address with two prefixes, and unknowns", () => {
    assert.deepEqual(
      validateIpAclInputs({
        friendlyName: "office",
        ipAddresses: [{ ipAddress: "203.0.113.10" }, { ipAddress: "198.51.100.0", cidrPrefixLength: 24, friendlyName: "branch" }, { ipAddress: "198.51.100.0", cidrPrefixLength: 25 }, { ipAddress: "0.0.0.0", cidrPrefixLength: 0 }],
      }),
      [],
    );
    assert.deepEqual(validateIpAclInputs({ friendlyName: "a" }), []);
    assert.deepEqual(validateIpAclInputs({ friendlyName: "a", ipAddresses: [{ ipAddress: UNKNOWN }, { ipAddress: UNKNOWN }] }), []);
  });
});

describe("invalid inputs are refused before any call", () => {
  const emulator = emulatorForSuite();

  it("create and update throw the input error, and the emulator saw no request", async () => {
    const emu = emulator();
    emu.requests.clear();
    await assert.rejects(credentialListRuntime.create({ friendlyName: "a", credentials: [{ username: "u", password: "short1A" }] }), (e: Error) => {
      assert.match(e.message, /twilio\.SipCredentialList: invalid arguments:\n {2}- credentials: credentials\[0\]\.password must be a string of at least 12 characters/);
      assert.ok(!e.message.includes("short1A"));
      return true;
    });
    await assert.rejects(ipAccessControlListRuntime.update(`AL${"a".repeat(32)}`, {}, { friendlyName: "a", ipAddresses: [{ ipAddress: "::1" }] }), /ipAddresses\[0\]\.ipAddress must be an IPv4 address/);
    const checked = await credentialListRuntime.check({}, { friendlyName: "a", credentials: [{ username: "u", password: "nope" }] });
    assert.equal(checked.failures.length, 1);
    assert.equal(emu.requests.length, 0, "no request reached Twilio");
  });
});

// ------------------------------------------------------------------------------------------------
// Entries as keyed sets
// ------------------------------------------------------------------------------------------------

const ipLive = (sid: number, ipAddress: string, cidrPrefixLength = 32, friendlyName = ipAddress): SipIpAddressOutput => ({ sid: IP(sid), ipAddress, cidrPrefixLength, friendlyName });

describe("IP entries as a keyed set (address/prefix; a bare address is its /32)", () => {
  const plan = (live: SipIpAddressOutput[], desired: Parameters<typeof IP_ADDRESS_KIND.createForm>[0][]) => {
    const p = planChildren(IP_ADDRESS_KIND, live, desired);
    return {
      keep: p.keep.map((l) => l.sid),
      update: p.update.map((u) => [u.live.sid, u.form]),
      create: p.create.map((d) => IP_ADDRESS_KIND.createForm(d)),
      remove: p.remove.map((l) => l.sid),
    };
  };
  const cases: Array<[string, SipIpAddressOutput[], Parameters<typeof IP_ADDRESS_KIND.createForm>[0][], ReturnType<typeof plan>]> = [
    ["nothing to do: a bare address equals its /32 and its own name", [ipLive(1, "203.0.113.10")], [{ ipAddress: "203.0.113.10" }], { keep: [IP(1)], update: [], create: [], remove: [] }],
    ["add", [], [{ ipAddress: "203.0.113.10" }], { keep: [], update: [], create: [{ FriendlyName: "203.0.113.10", IpAddress: "203.0.113.10", CidrPrefixLength: 32 }], remove: [] }],
    ["remove", [ipLive(1, "203.0.113.10")], [], { keep: [], update: [], create: [], remove: [IP(1)] }],
    ["a new name: one POST to the entry", [ipLive(1, "203.0.113.10")], [{ ipAddress: "203.0.113.10", friendlyName: "pbx" }], { keep: [], update: [[IP(1), { FriendlyName: "pbx" }]], create: [], remove: [] }],
    ["a new prefix: one POST to the entry (paired by address)", [ipLive(1, "198.51.100.0", 24, "branch")], [{ ipAddress: "198.51.100.0", cidrPrefixLength: 25, friendlyName: "branch" }], { keep: [], update: [[IP(1), { CidrPrefixLength: 25 }]], create: [], remove: [] }],
    ["a new address: delete + create", [ipLive(1, "198.51.100.0", 24, "branch")], [{ ipAddress: "198.51.100.128", cidrPrefixLength: 24, friendlyName: "branch" }], { keep: [], update: [], create: [{ FriendlyName: "branch", IpAddress: "198.51.100.128", CidrPrefixLength: 24 }], remove: [IP(1)] }],
    ["the same address with two prefixes is two entries", [ipLive(1, "10.0.0.0", 24), ipLive(2, "10.0.0.0", 16)], [{ ipAddress: "10.0.0.0", cidrPrefixLength: 16 }, { ipAddress: "10.0.0.0", cidrPrefixLength: 24 }], { keep: [IP(2), IP(1)], update: [], create: [], remove: [] }],
    ["a prefix change next to an unchanged block of the same address", [ipLive(1, "10.0.0.0", 24), ipLive(2, "10.0.0.0", 16)], [{ ipAddress: "10.0.0.0", cidrPrefixLength: 16 }, { ipAddress: "10.0.0.0", cidrPrefixLength: 25 }], { keep: [IP(2)], update: [[IP(1), { CidrPrefixLength: 25 }]], create: [], remove: [] }],
    ["an entry twice on the live list (made outside Pulumi): the extra one is removed", [ipLive(1, "10.0.0.1"), ipLive(2, "10.0.0.1")], [{ ipAddress: "10.0.0.1" }], { keep: [IP(1)], update: [], create: [], remove: [IP(2)] }],
    ["an entry with no name (null) gets the address as its name", [{ sid: IP(1), ipAddress: "10.0.0.1", cidrPrefixLength: 32, friendlyName: null }], [{ ipAddress: "10.0.0.1" }], { keep: [], update: [[IP(1), { FriendlyName: "10.0.0.1" }]], create: [], remove: [] }],
  ];
  for (const [title, live, desired, expected] of cases) {
    it(title, () => assert.deepEqual(plan(live, desired), expected));
  }

  it("as diff entries: one per call, the list's input named, values shown as entries", () => {
    const outputs: ListOut = { friendlyName: "office", ipAddresses: [ipLive(1, "10.0.0.1"), ipLive(2, "10.0.0.2")] };
    const changes = diffList(IP_ACL_SPEC, outputs, listWithDefaults(IP_ACL_SPEC, { friendlyName: "office", ipAddresses: [{ ipAddress: "10.0.0.1", friendlyName: "a" }, { ipAddress: "10.0.0.3" }] }));
    assert.deepEqual(changes, [
      { property: "ipAddresses", live: { ipAddress: "10.0.0.2", cidrPrefixLength: 32, friendlyName: "10.0.0.2" }, desired: null },
      { property: "ipAddresses", live: { ipAddress: "10.0.0.1", cidrPrefixLength: 32, friendlyName: "10.0.0.1" }, desired: { ipAddress: "10.0.0.1", cidrPrefixLength: 32, friendlyName: "a", sends: ["FriendlyName"] } },
      { property: "ipAddresses", live: null, desired: { ipAddress: "10.0.0.3", cidrPrefixLength: 32, friendlyName: "10.0.0.3" } },
    ]);
    assert.deepEqual(diffList(IP_ACL_SPEC, outputs, { friendlyName: "office", ipAddresses: [{ ipAddress: "10.0.0.2" }, { ipAddress: "10.0.0.1" }] }), [], "order does not matter");
    assert.deepEqual(diffList(IP_ACL_SPEC, outputs, { friendlyName: "office", ipAddresses: [{ ipAddress: UNKNOWN }] }).map((c) => c.property), ["ipAddresses"], "an unknown entry is a change");
    assert.deepEqual(diffList(IP_ACL_SPEC, { ...outputs, ipAddresses: [] }, { friendlyName: "office" }), [], "omitted means no entries");
  });

  it("check fills in what omitting means: no entries; prefix 32 and the address as the name", () => {
    assert.deepEqual(listWithDefaults(IP_ACL_SPEC, { friendlyName: "a" }), { friendlyName: "a", ipAddresses: [] });
    assert.deepEqual(listWithDefaults(IP_ACL_SPEC, { friendlyName: "a", ipAddresses: [{ ipAddress: "10.0.0.1" }, { ipAddress: UNKNOWN }] }), {
      friendlyName: "a",
      ipAddresses: [{ ipAddress: "10.0.0.1", cidrPrefixLength: 32, friendlyName: "10.0.0.1" }, { ipAddress: UNKNOWN, cidrPrefixLength: 32 }],
    });
  });

  it("read-back keeps the program's spelling where it still means the live entry", () => {
    const outs: ListOut = {
      friendlyName: "office",
      ipAddresses: [ipLive(1, "10.0.0.1"), ipLive(2, "10.0.0.2", 24, "renamed"), ipLive(3, "10.0.0.3", 30, "third")],
      __appliedInputs: { friendlyName: "office", ipAddresses: [{ ipAddress: "10.0.0.1" }, { ipAddress: "10.0.0.2", cidrPrefixLength: 24 }] },
    };
    assert.deepEqual(listAsInputs(IP_ACL_SPEC, outs), {
      friendlyName: "office",
      ipAddresses: [{ ipAddress: "10.0.0.1" }, { ipAddress: "10.0.0.2", cidrPrefixLength: 24, friendlyName: "renamed" }, { ipAddress: "10.0.0.3", cidrPrefixLength: 30, friendlyName: "third" }],
    });
  });
});

describe("credentials as a keyed set (username) with write-only passwords", () => {
  let hashed: SipCredentialOutput;
  before(() => {
    hashed = CREDENTIAL_KIND.fromRecord({ sid: CR(1), username: "pbx1" }, { username: "pbx1", password: PASSWORD }, undefined);
  });

  it("the output holds a salted hash of the password sent, never the password", () => {
    assert.ok(isSecretHash(hashed.passwordHash));
    assert.notEqual(hashed.passwordHash, PASSWORD);
    assert.ok(!JSON.stringify(hashed).includes(PASSWORD));
    assert.ok(matchesSecret(PASSWORD, hashed.passwordHash));
    const again = CREDENTIAL_KIND.fromRecord({ sid: CR(1), username: "pbx1" }, { username: "pbx1", password: PASSWORD }, undefined);
    assert.notEqual(again.passwordHash, hashed.passwordHash, "a new salt each time the password is sent");
    assert.equal(CREDENTIAL_KIND.fromRecord({ sid: CR(1), username: "pbx1" }, undefined, hashed).passwordHash, hashed.passwordHash, "a read keeps the hash of the same credential");
  });

  const plan = (live: SipCredentialOutput[], desired: { username: string; password: string }[], readableOnly = false) => {
    const p = planChildren(CREDENTIAL_KIND, live, desired, readableOnly);
    return { keep: p.keep.map((l) => l.sid), update: p.update.map((u) => [u.live.sid, Object.keys(u.form)]), create: p.create.map((d) => d.username), remove: p.remove.map((l) => l.sid) };
  };

  it("the same password: no change", () => assert.deepEqual(plan([hashed], [{ username: "pbx1", password: PASSWORD }]), { keep: [CR(1)], update: [], create: [], remove: [] }));
  it("a new password: one update of that credential, sending the password only", () => {
    assert.deepEqual(plan([hashed], [{ username: "pbx1", password: PASSWORD_2 }]), { keep: [], update: [[CR(1), ["Password"]]], create: [], remove: [] });
    const p = planChildren(CREDENTIAL_KIND, [hashed], [{ username: "pbx1", password: PASSWORD_2 }]);
    assert.deepEqual(p.update[0].form, { Password: PASSWORD_2 });
  });
  it("add and remove", () => assert.deepEqual(plan([hashed], [{ username: "pbx2", password: PASSWORD }]), { keep: [], update: [], create: ["pbx2"], remove: [CR(1)] }));
  it("a changed username: delete + create (Twilio cannot rename)", () => assert.deepEqual(plan([hashed], [{ username: "PBX1", password: PASSWORD }]), { keep: [], update: [], create: ["PBX1"], remove: [CR(1)] }));
  it("a credential whose password this provider never sent (hash null): the password is sent", () => {
    assert.deepEqual(plan([{ sid: CR(2), username: "u", passwordHash: null }], [{ username: "u", password: PASSWORD }]), { keep: [], update: [[CR(2), ["Password"]]], create: [], remove: [] });
  });
  it("what a read can see (adoption): passwords are not compared", () => {
    assert.deepEqual(plan([{ sid: CR(2), username: "u", passwordHash: null }], [{ username: "u", password: PASSWORD }], true), { keep: [CR(2)], update: [], create: [], remove: [] });
  });

  it("diff entries and the applied-inputs snapshot never hold a password", () => {
    const outs: ListOut = { friendlyName: "users", credentials: [hashed] };
    const changes = diffList(CREDENTIAL_LIST_SPEC, outs, { friendlyName: "users", credentials: [{ username: "pbx1", password: PASSWORD_2 }, { username: "pbx2", password: PASSWORD }] });
    assert.deepEqual(changes, [
      { property: "credentials", live: { username: "pbx1" }, desired: { username: "pbx1", sends: ["Password"] } },
      { property: "credentials", live: null, desired: { username: "pbx2" } },
    ]);
    assert.ok(!JSON.stringify(changes).includes(PASSWORD) && !JSON.stringify(changes).includes(PASSWORD_2));
    const read = listAsInputs(CREDENTIAL_LIST_SPEC, { ...outs, __appliedInputs: { friendlyName: "users", credentials: [{ username: "pbx1", password: hashed.passwordHash }] } });
    assert.deepEqual(read, { friendlyName: "users", credentials: [{ username: "pbx1", password: hashed.passwordHash }] }, "read writes the hash where the password was");
  });

  it("the resource class marks every password secret (each one of a plain list; the whole list otherwise)", async () => {
    const [entry] = secretPasswords([{ username: "u", password: PASSWORD }]) as { username: string; password: pulumi.Output<string> }[];
    assert.equal(entry.username, "u");
    assert.ok(pulumi.Output.isInstance(entry.password));
    assert.equal(await pulumi.isSecret(entry.password), true);
    const whole = secretPasswords(Promise.resolve([{ username: "u", password: PASSWORD }])) as pulumi.Output<unknown>;
    assert.equal(await pulumi.isSecret(whole), true);
    assert.equal(secretPasswords(undefined), undefined);
  });
});

// ------------------------------------------------------------------------------------------------
// The list engine's calls, against the in-process emulator
// ------------------------------------------------------------------------------------------------

/** An in-process emulator for the suite, the provider's settings pointing at it (stack config, as `configure` sets it). */
function emulatorForSuite(): () => EmulatorHandle {
  let emu: EmulatorHandle | undefined;
  before(async () => {
    emu = await startEmulator({ port: 0 });
    const config: Record<string, string> = {
      "twilio:accountSid": DEFAULT_TWILIO_ACCOUNT.accountSid,
      "twilio:authToken": DEFAULT_TWILIO_ACCOUNT.authToken,
      "twilio:apiUrl": emu.twilioApiUrl,
      "twilio:trunkingUrl": emu.twilioTrunkingUrl,
    };
    setStackConfig((key) => config[key]);
  });
  after(async () => {
    setStackConfig(undefined);
    await emu?.close();
  });
  return () => emu!;
}

/** `METHOD path status` of each request, the account prefix and query cut. */
function calls(emu: EmulatorHandle): string[] {
  const out = emu.requests.map((r) => `${r.method} ${r.path.split("?")[0].replace(/^\/twilio-api\/2010-04-01\/Accounts\/AC[0-9a-f]{32}\/SIP/, "")} ${r.status}`);
  emu.requests.clear();
  return out;
}
const SID = /[A-Z]{2}[0-9a-f]{32}/g;
const shape = (lines: string[]) => lines.map((l) => l.replace(SID, (s) => `${s.slice(0, 2)}…`));

describe("the list engine against the emulator: calls at the floor", function () {
  this.timeout(20_000);
  const emulator = emulatorForSuite();
  let emu: EmulatorHandle;
  beforeEach(() => {
    emu = emulator();
    emu.faults.clear();
    emu.requests.clear();
  });

  it("credential list: create 1 + 1 per credential, no-op 0, a new password 1 call, refresh 2, delete 1; no password anywhere", async () => {
    const rt = credentialListRuntime;
    const inputs = (await rt.check({}, { friendlyName: "users-a", credentials: [{ username: "pbx1", password: PASSWORD }, { username: "pbx2", password: PASSWORD }] })).inputs;
    calls(emu);
    const { id, outs } = await rt.create(inputs);
    assert.deepEqual(shape(calls(emu)), ["POST /CredentialLists.json 201", "POST /CredentialLists/CL…/Credentials.json 201", "POST /CredentialLists/CL…/Credentials.json 201"]);
    assert.ok(!JSON.stringify(outs).includes(PASSWORD), "no plain password in the outputs");
    assert.deepEqual((outs.credentials as SipCredentialOutput[]).map((c) => c.username), ["pbx1", "pbx2"]);
    assert.ok((outs.credentials as SipCredentialOutput[]).every((c) => matchesSecret(PASSWORD, c.passwordHash) && c.passwordHash !== PASSWORD));
    assert.deepEqual((await rt.diff(id, outs, inputs)).changes, false, "the same password: no change");

    const news = { friendlyName: "users-a", credentials: [{ username: "pbx1", password: PASSWORD_2 }, { username: "pbx2", password: PASSWORD }] };
    assert.equal((await rt.diff(id, outs, news)).changes, true);
    const updated = (await rt.update(id, outs, news)).outs;
    const one = calls(emu);
    const pbx1 = (outs.credentials as SipCredentialOutput[])[0].sid;
    assert.deepEqual(one, [`POST /CredentialLists/${id}/Credentials/${pbx1}.json 200`], "a new password is one call");
    assert.equal(emu.store.twilio.list("credentials", { sid: pbx1 })[0].password, PASSWORD_2, "Twilio has the new password");
    assert.ok(!JSON.stringify(updated).includes(PASSWORD_2));
    assert.equal((await rt.diff(id, updated, news)).changes, false);

    const read = await rt.read(id, updated);
    assert.deepEqual(shape(calls(emu)), ["GET /CredentialLists/CL….json 200", "GET /CredentialLists/CL…/Credentials.json 200"]);
    assert.deepEqual(read.props, updated, "refresh without drift changes nothing (hashes kept by SID)");
    assert.ok(!JSON.stringify(read).includes(PASSWORD) && !JSON.stringify(read).includes(PASSWORD_2));

    await rt.delete(id, updated);
    assert.deepEqual(calls(emu), [`DELETE /CredentialLists/${id}.json 204`]);
    assert.equal(emu.store.twilio.list("credentials", { credential_list_sid: id }).length, 0, "the emulator deletes the credentials with the list");
    await rt.delete(id, updated);
    assert.deepEqual(calls(emu), [`DELETE /CredentialLists/${id}.json 404`], "already gone is success");
    assert.deepEqual(await rt.read(id, updated), { id: "", props: {}, inputs: {} }, "not found reads as gone");
  });

  it("IP list: create 1 + 1 per entry; a prefix change is 1 POST, an address change 1 DELETE + 1 POST; a rename of the list 1 POST", async () => {
    const rt = ipAccessControlListRuntime;
    const first = (await rt.check({}, { friendlyName: "office-a", ipAddresses: [{ ipAddress: "203.0.113.10" }, { ipAddress: "198.51.100.0", cidrPrefixLength: 24, friendlyName: "branch" }] })).inputs;
    calls(emu);
    const { id, outs } = await rt.create(first);
    assert.deepEqual(shape(calls(emu)), ["POST /IpAccessControlLists.json 201", "POST /IpAccessControlLists/AL…/IpAddresses.json 201", "POST /IpAccessControlLists/AL…/IpAddresses.json 201"]);
    assert.deepEqual(
      (outs.ipAddresses as SipIpAddressOutput[]).map(({ sid: _s, ...e }) => e),
      [{ ipAddress: "198.51.100.0", cidrPrefixLength: 24, friendlyName: "branch" }, { ipAddress: "203.0.113.10", cidrPrefixLength: 32, friendlyName: "203.0.113.10" }],
    );
    const second = (await rt.check(first, { friendlyName: "office-b", ipAddresses: [{ ipAddress: "203.0.113.10", cidrPrefixLength: 31 }, { ipAddress: "198.51.100.128", cidrPrefixLength: 25, friendlyName: "branch" }] })).inputs;
    const updated = (await rt.update(id, outs, second)).outs;
    assert.deepEqual(shape(calls(emu)), [
      "POST /IpAccessControlLists/AL….json 200",
      "DELETE /IpAccessControlLists/AL…/IpAddresses/IP….json 204",
      "POST /IpAccessControlLists/AL…/IpAddresses/IP….json 200",
      "POST /IpAccessControlLists/AL…/IpAddresses.json 201",
    ]);
    assert.equal(updated.friendlyName, "office-b");
    assert.equal((await rt.diff(id, updated, second)).changes, false);
    await rt.delete(id, updated);
    assert.deepEqual(shape(calls(emu)), ["DELETE /IpAccessControlLists/AL….json 204"]);
  });

  it("a create whose answer is lost is reconciled, not repeated (the list and an entry)", async () => {
    emu.faults.set([
      { kind: "statusAfterCommit", status: 500, match: { method: "POST", path: /IpAccessControlLists\.json/ }, times: 1 },
      { kind: "lostResponse", match: { method: "POST", path: /IpAddresses\.json/ }, times: 1 },
    ]);
    const { id, outs } = await ipAccessControlListRuntime.create({ friendlyName: "office-lost", ipAddresses: [{ ipAddress: "192.0.2.1" }] });
    assert.equal(emu.store.twilio.list("ip_access_control_lists", { friendly_name: "office-lost" }).length, 1, "one list");
    assert.equal(emu.store.twilio.list("ip_addresses", { ip_access_control_list_sid: id }).length, 1, "one entry");
    assert.equal((outs.ipAddresses as unknown[]).length, 1);
    await ipAccessControlListRuntime.delete(id, outs);
  });

  it("a failure after the list exists: PartialCreateError with what was made, and the next up finishes", async () => {
    const inputs = { friendlyName: "users-partial", credentials: [{ username: "a1", password: PASSWORD }, { username: "b2", password: PASSWORD }] };
    // The second credential's POST fails twice (the attempt and the one retry after finding nothing).
    emu.faults.set({ sequence: { match: { method: "POST", path: /Credentials\.json/ }, steps: [{ kind: "pass" }, { kind: "status", status: 500 }, { kind: "status", status: 500 }] } });
    let partial: PartialCreateError | undefined;
    await credentialListRuntime.create(inputs).catch((e) => (partial = e));
    assert.ok(partial instanceof PartialCreateError, String(partial));
    const props = partial.properties as ListOut;
    assert.deepEqual((props.credentials as SipCredentialOutput[]).map((c) => c.username), ["a1"]);
    assert.ok(!JSON.stringify(props).includes(PASSWORD) && !partial.message.includes(PASSWORD));
    emu.requests.clear();
    assert.equal((await credentialListRuntime.diff(partial.id, props, inputs)).changes, true);
    const done = (await credentialListRuntime.update(partial.id, props, inputs)).outs;
    assert.deepEqual(shape(calls(emu)), ["POST /CredentialLists/CL…/Credentials.json 201"], "the next up makes only what is missing");
    assert.deepEqual((done.credentials as SipCredentialOutput[]).map((c) => c.username), ["a1", "b2"]);
    await credentialListRuntime.delete(partial.id, done);
  });

  it("an update that stops part-way: PartialUpdateError with what exists now (so the engine records it), no password in it", async () => {
    const start = { friendlyName: "users-partial-update", credentials: [{ username: "a1", password: PASSWORD }] };
    const { id, outs } = await credentialListRuntime.create(start);
    const news = { ...start, credentials: [{ username: "b2", password: PASSWORD_2 }, { username: "c3", password: PASSWORD_2 }] };
    emu.faults.set({ sequence: { match: { method: "POST", path: /Credentials\.json/ }, steps: [{ kind: "pass" }, { kind: "status", status: 500 }, { kind: "status", status: 500 }] } });
    let partial: PartialUpdateError | undefined;
    await credentialListRuntime.update(id, outs, news).catch((e) => (partial = e));
    assert.ok(partial instanceof PartialUpdateError, String(partial));
    assert.equal(partial.id, id);
    assert.match(partial.message, /twilio\.SipCredentialList: credential list CL[0-9a-f]{32} was changed only in part: .*run `pulumi up` again to finish/s);
    assert.deepEqual(((partial.properties as ListOut).credentials as SipCredentialOutput[]).map((c) => c.username), ["b2"], "a1 removed, b2 made, c3 not");
    assert.ok(!JSON.stringify(partial.properties).includes(PASSWORD_2) && !partial.message.includes(PASSWORD_2));
    emu.faults.clear();
    calls(emu);
    const done = (await credentialListRuntime.update(id, partial.properties as ListOut, news)).outs;
    assert.deepEqual(shape(calls(emu)), ["POST /CredentialLists/CL…/Credentials.json 201"], "the next up makes only c3");
    assert.deepEqual((done.credentials as SipCredentialOutput[]).map((c) => c.username), ["b2", "c3"]);
    await credentialListRuntime.delete(id, done);
  });

  it("a name already taken (error 21240) says which list has it and how to adopt it", async () => {
    const { id, outs } = await credentialListRuntime.create({ friendlyName: "users-taken", credentials: [] });
    await assert.rejects(credentialListRuntime.create({ friendlyName: "users-taken", credentials: [] }), (e: Error) => {
      assert.match(e.message, new RegExp(`a credential list named "users-taken" already exists in this Twilio account \\(${id}\\)`));
      assert.match(e.message, new RegExp(`import: "${id}"`));
      assert.match(e.message, /21240/);
      return true;
    });
    await credentialListRuntime.delete(id, outs);
  });

  it("adoption: matching usernames adopt (passwords are set, one call each); a mismatch fails naming the entry", async () => {
    const list = emu.store.twilio.put("credential_lists", { friendly_name: "users-console" });
    emu.store.twilio.put("credentials", { credential_list_sid: list.sid, username: "legacy", password: "Console-Pass-1" });
    emu.requests.clear();
    const args = { friendlyName: "users-console", credentials: [{ username: "legacy", password: PASSWORD }], importId: list.sid };
    const adopted = await credentialListRuntime.create(args);
    assert.equal(adopted.id, list.sid);
    assert.deepEqual(shape(calls(emu)), ["GET /CredentialLists/CL….json 200", "GET /CredentialLists/CL…/Credentials.json 200", "POST /CredentialLists/CL…/Credentials/CR….json 200"]);
    assert.equal(emu.store.twilio.list("credentials", { credential_list_sid: list.sid })[0].password, PASSWORD);
    assert.ok(matchesSecret(PASSWORD, (adopted.outs.credentials as SipCredentialOutput[])[0].passwordHash));
    assert.equal((await credentialListRuntime.diff(list.sid, adopted.outs, args)).changes, false);
    await assert.rejects(credentialListRuntime.create({ ...args, credentials: [{ username: "other", password: PASSWORD }] }), (e: Error) => {
      assert.match(e.message, /cannot import Twilio credential list CL[0-9a-f]{32}: the live credential list differs from the program's arguments in 2 properties/);
      assert.match(e.message, /- credentials: live \{"username":"legacy"\}, program null\n {2}- credentials: live null, program \{"username":"other"\}/);
      assert.ok(!e.message.includes(PASSWORD));
      return true;
    });
  });
});

// ------------------------------------------------------------------------------------------------
// Recorded exchanges through the client and the mapping
// ------------------------------------------------------------------------------------------------

/** A server that answers every request with the recorded response of the exchange last `set`, and notes what it was sent. */
interface ReplayServer {
  url: string;
  seen: { method: string; path: string }[];
  set(ex: Exchange): void;
  close(): Promise<void>;
}

async function replayServer(): Promise<ReplayServer> {
  const seen: ReplayServer["seen"] = [];
  let current: Exchange | undefined;
  const server = http.createServer((req, res) => {
    req.resume();
    req.on("end", () => {
      seen.push({ method: String(req.method), path: String(req.url).split("?")[0] });
      const ex = current!;
      res.statusCode = ex.response.status;
      if (ex.response.body !== null) res.setHeader("Content-Type", "application/json");
      res.end(ex.response.body === null ? "" : JSON.stringify(ex.response.body));
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    seen,
    set: (ex) => (current = ex),
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}

const SIP_FILES = [
  "sip_credential_list_create.json", "sip_credential_list_fetch.json", "sip_credential_list_update.json", "sip_credential_list_list.json", "sip_credential_list_list_empty.json", "sip_credential_list_delete.json",
  "sip_cl_credential_create.json", "sip_cl_credential_fetch.json", "sip_cl_credential_update.json", "sip_cl_credential_list.json", "sip_cl_credential_list_empty.json", "sip_cl_credential_delete.json",
  "sip_ip_acl_create.json", "sip_ip_acl_fetch.json", "sip_ip_acl_update.json", "sip_ip_acl_list.json", "sip_ip_acl_list_empty.json", "sip_ip_acl_delete.json",
  "sip_ip_address_create.json", "sip_ip_address_fetch.json", "sip_ip_address_update.json", "sip_ip_address_list.json", "sip_ip_address_list_empty.json", "sip_ip_address_delete.json",
];

describe("recorded Twilio sip_* exchanges → client → list and entry outputs", function () {
  const SUITE = "provider fixture replay (Twilio SIP lists)";
  if (registerMissingExchanges("twilio", SUITE, "replayed through the SIP list mapping")) return;
  const all = loadExchanges("twilio");
  let server: ReplayServer;
  let client: TwilioClient;
  before(async () => {
    server = await replayServer();
    client = new TwilioClient({ accountSid: `AC${"a".repeat(32)}`, username: "AC", password: "token", trunkingUrl: server.url, apiUrl: server.url, maxConcurrency: 2, requestTimeoutMs: 5000 });
  });
  after(() => server?.close());

  it("the manifest lists every sip_* exchange, and this suite replays each of them", function () {
    requireFixtures(this, SUITE, "twilio");
    const recorded = manifest("twilio").filter((f) => f.startsWith("sip_"));
    assert.deepEqual([...recorded].sort(), [...SIP_FILES].sort());
  });

  /** The resource, kind and page key an exchange belongs to. */
  const about = (file: string) => {
    if (file.startsWith("sip_credential_list_")) return { entry: false, spec: CREDENTIAL_LIST_SPEC, key: "credential_lists" };
    if (file.startsWith("sip_cl_credential_")) return { entry: true, spec: CREDENTIAL_LIST_SPEC, key: "credentials" };
    if (file.startsWith("sip_ip_acl_")) return { entry: false, spec: IP_ACL_SPEC, key: "ip_access_control_lists" };
    return { entry: true, spec: IP_ACL_SPEC, key: "ip_addresses" };
  };

  const expectedOutputs = (entry: boolean, file: string, r: Record<string, unknown>) => {
    if (!entry) return { friendlyName: r.friendly_name, sid: r.sid, accountSid: r.account_sid, dateCreated: r.date_created, dateUpdated: r.date_updated };
    if (file.startsWith("sip_cl_")) return { sid: r.sid, username: r.username, passwordHash: null };
    return { sid: r.sid, ipAddress: r.ip_address, cidrPrefixLength: r.cidr_prefix_length, friendlyName: r.friendly_name };
  };

  for (const file of SIP_FILES) {
    it(`${file}: the client's call for it maps the answer to outputs`, async function () {
      requireFixtures(this, SUITE, "twilio");
      const ex = all.find((e) => e.file === file)!;
      server.set(ex);
      server.seen.length = 0;
      const { entry, spec, key } = about(file);
      const map = (r: Record<string, unknown>): unknown =>
        entry ? (spec.child.fromRecord(r, undefined, undefined) as unknown) : listRecordOutputs(spec as typeof CREDENTIAL_LIST_SPEC, r);
      const reqPath = ex.request.path.split("?")[0];
      const form = (ex.request.body ?? {}) as Record<string, string | number>;
      let records: Record<string, unknown>[];
      if (file.endsWith("_delete.json")) {
        assert.equal(await client.remove("api", reqPath), true);
        records = [];
      } else if (/_list(_empty)?\.json$/.test(file)) {
        records = await client.list("api", reqPath, key);
        assert.equal(records.length, file.endsWith("_empty.json") ? 0 : 1);
      } else if (file.endsWith("_create.json")) {
        const outcome = await client.createOutcome("api", reqPath, form, {}, (r) => void map(r));
        assert.ok("done" in outcome);
        records = [outcome.done];
      } else if (file.endsWith("_update.json")) {
        records = [await client.update("api", reqPath, form)];
      } else {
        records = [(await client.fetch("api", reqPath))!];
      }
      assert.deepEqual(server.seen.map((s) => `${s.method} ${s.path}`), [`${ex.request.method} ${reqPath}`]);
      for (const r of records) assert.deepEqual(map(r), expectedOutputs(entry, file, r));
    });
  }

  it("sip_cl_credential_create.json: the recorded request is our create form, and its password becomes a hash", function () {
    requireFixtures(this, SUITE, "twilio");
    const ex = all.find((e) => e.file === "sip_cl_credential_create.json")!;
    const sent = ex.request.body as { Username: string; Password: string };
    assert.deepEqual(CREDENTIAL_KIND.createForm({ username: sent.Username, password: sent.Password }), sent);
    const out = CREDENTIAL_KIND.fromRecord(ex.response.body, { username: sent.Username, password: sent.Password }, undefined);
    assert.ok(matchesSecret(sent.Password, out.passwordHash) && !JSON.stringify(out).includes(`"${sent.Password}"`));
    // The example answers a username other than the one sent (fixtures README): the next diff says so.
    assert.notEqual(out.username, sent.Username);
  });

  it("sip_ip_address_create.json and _update.json: the recorded requests are our create and in-place update forms", function () {
    requireFixtures(this, SUITE, "twilio");
    const created = all.find((e) => e.file === "sip_ip_address_create.json")!;
    const sent = created.request.body as { FriendlyName: string; IpAddress: string; CidrPrefixLength: number };
    assert.deepEqual(IP_ADDRESS_KIND.createForm({ ipAddress: sent.IpAddress, cidrPrefixLength: sent.CidrPrefixLength, friendlyName: sent.FriendlyName }), sent);
    const live = IP_ADDRESS_KIND.fromRecord(created.response.body, undefined, undefined);
    assert.equal(IP_ADDRESS_KIND.updateForm(live, { ipAddress: sent.IpAddress, cidrPrefixLength: 32, friendlyName: sent.FriendlyName }, false), undefined, "what was created is what was asked");
  });

  it("error_404_v2010_delete_twice.json: a v2010 DELETE answered 404 is success (already gone), for the client and the runtime", async function () {
    requireFixtures(this, SUITE, "twilio");
    const ex = all.find((e) => e.file === "error_404_v2010_delete_twice.json")!;
    server.set(ex);
    assert.equal(await client.remove("api", ex.request.path), false);
    setStackConfig((k) => ({ "twilio:accountSid": `AC${"a".repeat(32)}`, "twilio:authToken": "token", "twilio:apiUrl": server.url, "twilio:trunkingUrl": server.url })[k]);
    try {
      await credentialListRuntime.delete(`CL${"a".repeat(32)}`, {});
      await ipAccessControlListRuntime.delete(`AL${"a".repeat(32)}`, {});
    } finally {
      setStackConfig(undefined);
    }
  });

  it("a wrongly typed member is refused naming Twilio, the entry and the member", () => {
    assert.throws(() => IP_ADDRESS_KIND.fromRecord({ sid: IP(1), ip_address: "10.0.0.1", cidr_prefix_length: "wide" }, undefined, undefined), (e: Error) => e instanceof VendorResponseError && /cidr_prefix_length "wide" for IP address IP0+1/.test(e.message));
    assert.throws(() => CREDENTIAL_KIND.fromRecord({ sid: CR(1) }, undefined, undefined), (e: Error) => e instanceof VendorResponseError && /username/.test(e.message));
  });
});

// ------------------------------------------------------------------------------------------------
// TSDoc against the field tables; the dynamic entry point
// ------------------------------------------------------------------------------------------------

const tsdocOfTwilio = (file: string, iface: string) => tsdocOf(`provider/twilio/${file}`, iface);

const TSDOC: Array<{ file: string; inputs: string; entry: string; fields: readonly FieldSpec[]; nested: NestedInput; children: readonly SubField[]; controls: Record<string, ControlField> }> = [
  { file: "credential-list-types.ts", inputs: "SipCredentialListInputs", entry: "SipCredential", fields: CREDENTIAL_LIST_FIELDS, nested: CREDENTIALS, children: CREDENTIALS.children, controls: CREDENTIAL_LIST_CONTROLS },
  { file: "ip-access-control-list-types.ts", inputs: "SipIpAccessControlListInputs", entry: "SipIpAddress", fields: IP_ACL_FIELDS, nested: IP_ADDRESSES, children: IP_ADDRESSES.children, controls: IP_ACL_CONTROLS },
];

describe("TSDoc of the SIP list inputs agrees with the field tables", () => {
  for (const t of TSDOC) {
    it(`${t.inputs}: every field, the entry list and every control quote their doc and rule; nothing else is an input`, () => {
      const docs = tsdocOfTwilio(t.file, t.inputs);
      for (const f of t.fields) {
        assert.ok(docs.get(f.input)?.includes(oneLine(f.doc)), `${f.input}: doc`);
        assert.ok(docs.get(f.input)?.includes(oneLine(f.rule)), `${f.input}: rule`);
      }
      assert.ok(docs.get(t.nested.input)?.includes(oneLine(t.nested.doc ?? "")), `${t.nested.input}: doc`);
      assert.ok(docs.get(t.nested.input)?.includes(oneLine(t.nested.rule)), `${t.nested.input}: rule`);
      for (const [name, c] of Object.entries(t.controls)) assert.ok(docs.get(name)?.includes(oneLine(c.rule)), `${name}: rule`);
      assert.deepEqual([...docs.keys()].sort(), [...t.fields.map((f) => f.input), t.nested.input, ...Object.keys(t.controls)].sort());
    });
    it(`${t.entry}: every attribute quotes its doc and rule`, () => {
      const docs = tsdocOfTwilio(t.file, t.entry);
      for (const c of t.children) {
        assert.ok(docs.get(c.input)?.includes(oneLine(c.doc ?? "")), `${c.input}: doc`);
        assert.ok(docs.get(c.input)?.includes(oneLine(c.rule)), `${c.input}: rule`);
      }
      assert.deepEqual([...docs.keys()].sort(), t.children.map((c) => c.input).sort());
    });
  }

  it("the dynamic entry serves both resources by name", async () => {
    for (const name of ["twilio:SipCredentialList", "twilio:SipIpAccessControlList"]) {
      const result = (await invoke(name, "diff", ["x", { friendlyName: "a" }, { friendlyName: "a" }], 2)) as { changes: boolean };
      assert.equal(result.changes, false);
    }
  });
});
