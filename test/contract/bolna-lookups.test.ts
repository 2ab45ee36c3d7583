/**
 * The Bolna lookups against the emulator: every trunk of the account, only the active or the
 * inactive ones (the seed's `?is_active=` query), one trunk by id, bad input refused before any
 * call, an unknown id said plainly, and never a password in what they return.
 */
import { strict as assert } from "node:assert";
import { DEFAULT_BOLNA_API_KEY, startEmulator, type EmulatorHandle } from "../../emulator";
import { InputError } from "../../provider/common/errors";
import { getSipTrunk, getSipTrunks } from "../../provider/bolna/lookups";

describe("bolna lookups (getSipTrunks, getSipTrunk)", () => {
  let emu: EmulatorHandle;
  let config: (key: string) => string | undefined;
  let active: string;
  let inactive: string;
  before(async () => {
    emu = await startEmulator({ port: 0 });
    const values: Record<string, string> = { "bolna:apiKey": DEFAULT_BOLNA_API_KEY, "bolna:apiUrl": emu.bolnaUrl };
    config = (k) => values[k];
    active = emu.store.bolna.putTrunk({
      name: "lookup active", provider: "zadarma", auth_type: "userpass", auth_username: "12345", auth_password: "Never-Shown-1",
      gateways: [{ gateway_address: "sip.zadarma.com" }], phone_numbers: [{ phone_number: "+919876543210", name: "Support" }],
    }).id;
    inactive = emu.store.bolna.putTrunk({
      name: "lookup inactive", provider: "plivo", auth_type: "ip-based", is_active: false,
      gateways: [{ gateway_address: "21467306465797919.zt.plivo.com", port: 5080, priority: 2 }], ip_identifiers: [{ ip_address: "15.207.90.192/31" }],
    }).id;
  });
  after(() => emu.close());

  it("getSipTrunks lists every trunk in one call, typed and camelCased, never with a password", async () => {
    emu.requests.clear();
    const trunks = await getSipTrunks({}, { config });
    assert.deepEqual(emu.requests.map((r) => `${r.method} ${r.path}`), ["GET /bolna/sip-trunks/trunks"]);
    assert.deepEqual(trunks.map((t) => t.id).sort(), [active, inactive].sort());
    const a = trunks.find((t) => t.id === active)!;
    assert.deepEqual([a.name, a.provider, a.authType, a.authUsername, a.isActive, a.allow, a.qualifyFrequency], ["lookup active", "zadarma", "userpass", "12345", true, "ulaw,alaw", 60]);
    assert.deepEqual(a.gateways, [{ gatewayAddress: "sip.zadarma.com", port: 5060, priority: 1 }]);
    assert.equal(a.phoneNumbers.length, 1);
    assert.deepEqual([a.phoneNumbers[0].phoneNumber, a.phoneNumbers[0].name, a.phoneNumbers[0].byotTrunkId, a.phoneNumbers[0].telephonyProvider], ["+919876543210", "Support", active, "sip-trunk"]);
    const b = trunks.find((t) => t.id === inactive)!;
    assert.deepEqual([b.authType, b.authUsername, b.ipIdentifiers, b.gateways[0].port], ["ip-based", null, [{ ipAddress: "15.207.90.192/31" }], 5080]);
    assert.ok(!JSON.stringify(trunks).includes("Never-Shown-1") && !trunks.some((t) => "authPassword" in t));
  });

  it("isActive filters with the seed's query: true, false", async () => {
    emu.requests.clear();
    assert.deepEqual((await getSipTrunks({ isActive: true }, { config })).map((t) => t.id), [active]);
    assert.deepEqual((await getSipTrunks({ isActive: false }, { config })).map((t) => t.id), [inactive]);
    assert.deepEqual(emu.requests.map((r) => r.path), ["/bolna/sip-trunks/trunks?is_active=true", "/bolna/sip-trunks/trunks?is_active=false"]);
  });

  it("getSipTrunk reads one trunk by id in one call", async () => {
    emu.requests.clear();
    const t = await getSipTrunk({ id: inactive }, { config });
    assert.equal(t.name, "lookup inactive");
    assert.equal(t.isActive, false);
    assert.equal(emu.requests.length, 1);
  });

  it("refuses bad input before any call, naming the argument", async () => {
    emu.requests.clear();
    await assert.rejects(getSipTrunks({ isActive: "yes" as never }, { config }), (e: unknown) => e instanceof InputError && e.failures[0].property === "isActive");
    for (const bad of ["", "../x", undefined]) {
      await assert.rejects(getSipTrunk({ id: bad as never }, { config }), (e: unknown) => e instanceof InputError && e.failures[0].property === "id");
    }
    assert.equal(emu.requests.length, 0);
  });

  it("says plainly when the account has no such trunk; a wrong key is Bolna's 403 with the hint", async () => {
    await assert.rejects(getSipTrunk({ id: "01HQXYZ123ABC456DEF7890ABC" }, { config }), /has no SIP trunk 01HQXYZ123ABC456DEF7890ABC/);
    await assert.rejects(getSipTrunks({}, { config: (k) => (k === "bolna:apiKey" ? "wrong-key" : config(k)) }), /HTTP 403[\s\S]*check bolna:apiKey/);
  });
});
