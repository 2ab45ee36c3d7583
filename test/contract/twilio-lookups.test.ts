/**
 * The Twilio lookups against the emulator: numbers by E.164 value, every trunk of the account,
 * bad input refused before any call, and an unknown number said plainly.
 */
import { strict as assert } from "node:assert";
import { DEFAULT_TWILIO_ACCOUNT, DEFAULT_TWILIO_NUMBERS, startEmulator, type EmulatorHandle } from "../../emulator";
import { InputError } from "../../provider/common/errors";
import { getIncomingPhoneNumber, getTrunks } from "../../provider/twilio/lookups";

describe("twilio lookups (getIncomingPhoneNumber, getTrunks)", () => {
  let emu: EmulatorHandle;
  let config: (key: string) => string | undefined;
  before(async () => {
    emu = await startEmulator({ port: 0 });
    const values: Record<string, string> = {
      "twilio:accountSid": DEFAULT_TWILIO_ACCOUNT.accountSid,
      "twilio:authToken": DEFAULT_TWILIO_ACCOUNT.authToken,
      "twilio:trunkingUrl": emu.twilioTrunkingUrl,
      "twilio:apiUrl": emu.twilioApiUrl,
    };
    config = (k) => values[k];
  });
  after(() => emu.close());

  it("finds a number's SID from its E.164 value, with the trunk it routes to", async () => {
    const [first, second] = DEFAULT_TWILIO_NUMBERS;
    const trunk = emu.store.twilio.put("trunks", { friendly_name: "lookup" } as never);
    emu.store.twilio.associate(trunk.sid, second.sid!);
    emu.requests.clear();
    const a = await getIncomingPhoneNumber({ phoneNumber: first.phone_number }, { config });
    assert.deepEqual([a.sid, a.phoneNumber, a.trunkSid], [first.sid, first.phone_number, null]);
    assert.equal(emu.requests.length, 1, "one call");
    const b = await getIncomingPhoneNumber({ phoneNumber: second.phone_number }, { config });
    assert.equal(b.trunkSid, trunk.sid);
  });

  it("refuses a number that is not E.164 before any call, naming phoneNumber", async () => {
    emu.requests.clear();
    for (const bad of ["4155550101", "+0123", "+1 415 555 0101", undefined]) {
      await assert.rejects(getIncomingPhoneNumber({ phoneNumber: bad as never }, { config }), (e: unknown) => e instanceof InputError && e.failures[0].property === "phoneNumber");
    }
    assert.equal(emu.requests.length, 0);
  });

  it("says plainly when the account has no such number", async () => {
    await assert.rejects(getIncomingPhoneNumber({ phoneNumber: "+19995550000" }, { config }), /has no number \+19995550000/);
  });

  it("getTrunks lists every trunk of the account", async () => {
    const made = Array.from({ length: 3 }, (_, i) => emu.store.twilio.put("trunks", { friendly_name: `page ${i}`, domain_name: `lookup-${i}.pstn.twilio.com` } as never).sid);
    const trunks = await getTrunks({ config });
    for (const sid of made) assert.ok(trunks.some((t) => t.sid === sid), sid);
    assert.equal(trunks.find((t) => t.sid === made[2])?.domainName, "lookup-2.pstn.twilio.com");
    assert.equal(trunks.length, emu.store.twilio.listTrunks(DEFAULT_TWILIO_ACCOUNT.accountSid).length);
  });
});
