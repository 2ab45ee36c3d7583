/**
 * End to end with the real CLI, for the Twilio resources: a stack holding a trunk with recording,
 * two origination URLs, a credential list and an IP access control list attached to it, and a
 * number found by its E.164 value. It runs up, a no-op preview, changes, the drift alarm,
 * an adoption in a second stack and destroy, and leaves nothing in the emulator. No token and no
 * SIP password ever appears in the CLI output or the state (the Workspace checks every command).
 */
import * as assert from "node:assert/strict";
import * as path from "node:path";
import { DEFAULT_TWILIO_ACCOUNT, DEFAULT_TWILIO_NUMBERS, startEmulator, type EmulatorHandle } from "../../emulator";
import { ALARM, E2E_DIR, Workspace, describeWithPulumi, expectFail, expectOk, explain, randomSuffix } from "./support";

const ACCOUNT = DEFAULT_TWILIO_ACCOUNT.accountSid;
const TOKEN = DEFAULT_TWILIO_ACCOUNT.authToken;
const PASSWORDS = { alice: `Alice${randomSuffix()}Pw1`, bob: `Bob${randomSuffix()}Pw22` };

describeWithPulumi("e2e: Twilio trunk, origination URLs, SIP lists and a number", (bin) => {
  let emu: EmulatorHandle;
  let ws: Workspace;
  const STACK = `e2e-twilio-${randomSuffix()}`;
  const ADOPT = `e2e-twilio-adopt-${randomSuffix()}`;
  const domain = `e2e-${randomSuffix()}.pstn.twilio.com`;
  const number = DEFAULT_TWILIO_NUMBERS[0];
  const credsName = `e2e creds ${randomSuffix()}`;
  const trunks = () => emu.store.twilio.listTrunks(ACCOUNT);

  const spec = (over: Record<string, unknown> = {}) => ({
    trunk: { args: { friendlyName: "e2e trunk", domainName: domain, recording: { mode: "record-from-answer" } } },
    originationUrls: {
      primary: { friendlyName: "primary", sipUrl: "sip:pbx1.example.com", weight: 10, priority: 10 },
      backup: { friendlyName: "backup", sipUrl: "sip:pbx2.example.com:5060", priority: 20 },
    },
    credentialList: { friendlyName: credsName, usernames: ["alice", "bob"] },
    ipAcl: { friendlyName: "e2e acl", ipAddresses: [{ ipAddress: "203.0.113.10" }, { ipAddress: "198.51.100.0", cidrPrefixLength: 24, friendlyName: "office" }] },
    phoneNumber: number.phone_number,
    ...over,
  });
  let current = spec();

  async function configure(stack: string): Promise<void> {
    await ws.ok(["stack", "init", stack]);
    for (const args of [
      ["config", "set", "twilio:accountSid", ACCOUNT],
      ["config", "set", "--secret", "twilio:authToken", TOKEN],
      ["config", "set", "twilio:trunkingUrl", emu.twilioTrunkingUrl],
      ["config", "set", "twilio:apiUrl", emu.twilioApiUrl],
      ["config", "set", "--secret", "sipPasswords", JSON.stringify(PASSWORDS)],
    ]) {
      await ws.ok(args, stack);
    }
  }
  const setSpec = (stack: string, s: unknown) => ws.ok(["config", "set", "twilio", JSON.stringify(s)], stack);

  before(async function () {
    this.timeout(180_000);
    emu = await startEmulator({ port: 0 });
    ws = new Workspace(bin(), "twilio", path.join(E2E_DIR, "twilio-project"));
    for (const secret of [TOKEN, ...Object.values(PASSWORDS)]) ws.forbidden.add(secret);
    await configure(STACK);
    await setSpec(STACK, current);
  });

  after(async function () {
    this.timeout(180_000);
    if (ws) {
      for (const stack of [ADOPT, STACK]) await ws.pulumi(["destroy", "--yes", "--skip-preview"], stack).catch(() => undefined);
      ws.cleanup();
    }
    await emu?.close();
  });

  it("1. up creates everything and wires it; nothing secret in state or output", async function () {
    this.timeout(300_000);
    await ws.step(["up", "--yes", "--skip-preview"], STACK, "twilio up");
    const [t] = trunks();
    assert.ok(t, "one trunk");
    assert.equal(t.domain_name, domain);
    assert.equal(t.recording.mode, "record-from-answer");
    const links = emu.store.twilio.trunkLinks(t.sid);
    assert.equal(links.credential_lists.length, 1);
    assert.equal(links.ip_access_control_lists.length, 1);
    assert.deepEqual(links.phone_numbers, [number.sid]);
    assert.equal(emu.store.twilio.list("origination_urls").length, 2);
    assert.equal(emu.store.twilio.list("credentials").length, 2);
    assert.equal(emu.store.twilio.list("ip_addresses").length, 2);
    const outputs = await ws.outputs(STACK);
    assert.equal(outputs.trunkSid, t.sid);
    assert.deepEqual(String(outputs.authType).split(",").sort(), ["CREDENTIAL_LIST", "IP_ACL"]);
  });

  it("2. a no-op preview is empty, and so is the drift alarm", async function () {
    this.timeout(300_000);
    const r = expectOk(await ws.pulumi(["preview", "--expect-no-changes"], STACK), "no-op preview");
    assert.doesNotMatch(r.stdout, /to (create|update|delete|replace)/, explain(r));
    expectOk(await ws.pulumi(ALARM, STACK), "alarm right after up");
  });

  it("3. changes preview as in-place updates, apply, and converge", async function () {
    this.timeout(300_000);
    current = spec({
      trunk: { args: { friendlyName: "e2e trunk renamed", domainName: domain, recording: { mode: "record-from-answer" } } },
      originationUrls: { ...spec().originationUrls, backup: { friendlyName: "backup", sipUrl: "sip:pbx2.example.com:5060", priority: 5 } },
      ipAcl: { friendlyName: "e2e acl", ipAddresses: [...spec().ipAcl.ipAddresses, { ipAddress: "192.0.2.7" }] },
    });
    await setSpec(STACK, current);
    const bob = `Bob${randomSuffix()}Changed9`;
    ws.forbidden.add(bob);
    await ws.ok(["config", "set", "--secret", "sipPasswords", JSON.stringify({ ...PASSWORDS, bob })], STACK);
    const preview = expectOk(await ws.pulumi(["preview", "--diff"], STACK), "preview of the changes");
    assert.match(preview.stdout, /~ pulumi-nodejs:dynamic\/twilio:Trunk: \(update\)/, explain(preview));
    assert.match(preview.stdout, /friendlyName\s*:\s*"e2e trunk" => "e2e trunk renamed"/, explain(preview));
    assert.match(preview.stdout, /priority\s*:\s*20 => 5/, explain(preview));
    assert.match(preview.stdout, /~ pulumi-nodejs:dynamic\/twilio:SipCredentialList: \(update\)/, `a changed password is an update of the list${explain(preview)}`);
    assert.doesNotMatch(preview.stdout, /\+-|replace/, `nothing is replaced${explain(preview)}`);
    // The SIDs the trunk and the URLs are built from stay known although their resources update.
    assert.doesNotMatch(preview.stdout, /=> \[unknown\]/, `no SID turns unknown${explain(preview)}`);
    await ws.step(["up", "--yes", "--skip-preview"], STACK, "twilio changes");
    const [t] = trunks();
    assert.equal(t.friendly_name, "e2e trunk renamed");
    assert.equal(emu.store.twilio.list("ip_addresses").length, 3);
    const bobs = emu.store.twilio.list("credentials").filter((c) => c.username === "bob");
    assert.equal(bobs.length, 1);
    assert.equal((bobs[0] as { password?: string }).password, bob, "the new password reached Twilio");
    assert.equal(emu.store.twilio.list("origination_urls").find((u) => u.friendly_name === "backup")?.priority, 5);
    expectOk(await ws.pulumi(["preview", "--expect-no-changes"], STACK), "converged");
  });

  it("4. the drift alarm fires on an out-of-band change, and up restores it", async function () {
    this.timeout(300_000);
    const [t] = trunks();
    emu.store.twilio.update(t.sid, { transfer_mode: "enable-all" });
    const fired = expectFail(await ws.pulumi(ALARM, STACK), "alarm after drift");
    assert.match(fired.stdout + fired.stderr, /transferMode|changes/, explain(fired));
    await ws.step(["up", "--yes", "--skip-preview", "--refresh"], STACK, "repair");
    assert.equal(trunks()[0].transfer_mode, "disable-all");
    expectOk(await ws.pulumi(ALARM, STACK), "alarm quiet after the repair");
  });

  it("5. adoption in a second stack: the preview names the trunk and says nothing is created; up writes nothing to it", async function () {
    this.timeout(300_000);
    const existing = emu.store.twilio.put("trunks", { account_sid: ACCOUNT, friendly_name: "legacy", domain_name: `legacy-${randomSuffix()}.pstn.twilio.com` } as never);
    await configure(ADOPT);
    await setSpec(ADOPT, { trunk: { args: { friendlyName: "legacy", domainName: existing.domain_name }, import: existing.sid } });
    const preview = expectOk(await ws.pulumi(["preview"], ADOPT), "adoption preview");
    assert.ok((preview.stdout + preview.stderr).includes(`adopts the existing Twilio trunk ${existing.sid}`), explain(preview));
    assert.match(preview.stdout + preview.stderr, /no trunk is created/, explain(preview));
    emu.requests.clear();
    await ws.step(["up", "--yes", "--skip-preview"], ADOPT, "adoption up");
    assert.deepEqual(emu.requests.list().filter((r) => r.method !== "GET").map((r) => `${r.method} ${r.path}`), [], "an adoption that matches writes nothing");
    expectOk(await ws.pulumi(["preview", "--expect-no-changes"], ADOPT), "adopted stack converged");
    await ws.step(["destroy", "--yes", "--skip-preview"], ADOPT, "destroy adopted");
    assert.equal(emu.store.twilio.getTrunk(existing.sid), undefined, "destroy deletes the adopted trunk too");
  });

  it("6. destroy leaves nothing in the emulator", async function () {
    this.timeout(300_000);
    await ws.step(["destroy", "--yes", "--skip-preview"], STACK, "twilio destroy");
    assert.deepEqual(trunks(), []);
    for (const c of ["origination_urls", "credential_lists", "credentials", "ip_access_control_lists", "ip_addresses"] as const) {
      assert.deepEqual(emu.store.twilio.list(c), [], `${c} left behind`);
    }
    assert.equal(emu.store.twilio.listPhoneNumbers(ACCOUNT).find((n) => n.sid === number.sid)?.trunk_sid ?? null, null, "the number is free again");
  });
});
