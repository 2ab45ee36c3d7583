/**
 * End to end: the cross-vendor examples run as a user runs them, with the real CLI against the
 * emulator of all three vendors: up, a no-op preview, the drift alarm quiet, destroy, and nothing
 * left in any vendor. No API key, token or SIP password appears in plain text in the CLI output or
 * the stack state (the Workspace checks every command's output and every state export).
 */
import * as assert from "node:assert/strict";
import * as path from "node:path";
import { DEFAULT_BOLNA_API_KEY, DEFAULT_DIDS, DEFAULT_TWILIO_ACCOUNT, DEFAULT_TWILIO_NUMBERS, startEmulator, type EmulatorHandle } from "../../emulator";
import { ALARM, REPO_ROOT_DIR, Workspace, describeWithPulumi, expectOk, explain, randomSuffix } from "./support";

const KEY = `e2e-examples-key-${randomSuffix()}${randomSuffix()}`;

interface Example {
  dir: string;
  /** Stack config beyond the vendors' credentials and URLs; `secret` values are set with --secret. */
  config(emu: EmulatorHandle): Array<{ key: string; value: string; secret?: boolean }>;
  /** Checks of the emulator after `up`; returns secrets the vendors generated (checked absent from the state). */
  afterUp(emu: EmulatorHandle, outputs: Record<string, any>): string[];
}

function everythingGone(emu: EmulatorHandle): void {
  assert.deepEqual(emu.store.didww.listTrunks().map((t) => t.id), [], "DIDWW trunks left behind");
  assert.deepEqual(emu.store.twilio.listTrunks(DEFAULT_TWILIO_ACCOUNT.accountSid).map((t) => t.sid), [], "Twilio trunks left behind");
  for (const c of ["origination_urls", "credential_lists", "credentials", "ip_access_control_lists", "ip_addresses"] as const) {
    assert.deepEqual(emu.store.twilio.list(c), [], `Twilio ${c} left behind`);
  }
  assert.deepEqual(emu.store.bolna.listTrunks().map((t) => t.id), [], "Bolna trunks left behind");
}

const EXAMPLES: Record<string, Example> = {
  "twilio-byoc": {
    dir: "twilio-byoc",
    config: () => [
      { key: "domainName", value: `byoc-${randomSuffix()}.pstn.twilio.com` },
      { key: "phoneNumber", value: DEFAULT_TWILIO_NUMBERS[0].phone_number },
      { key: "pbxSipUrl", value: "sip:pbx.example.com:5060" },
    ],
    afterUp: (emu, outputs) => {
      const [trunk] = emu.store.twilio.listTrunks(DEFAULT_TWILIO_ACCOUNT.accountSid);
      assert.equal(outputs.twilioTrunkSid, trunk.sid);
      assert.deepEqual(emu.store.twilio.trunkLinks(trunk.sid).phone_numbers, [DEFAULT_TWILIO_NUMBERS[0].sid]);
      assert.equal(emu.store.twilio.list("origination_urls").length, 1);
      const d = emu.store.didww.listTrunks().find((t) => t.id === outputs.didwwTrunkId);
      assert.deepEqual(d?.authentication_method, { type: "twilio", attributes: { twilio_account_sid: DEFAULT_TWILIO_ACCOUNT.accountSid } }, "the Twilio account SID fed the DIDWW trunk");
      return [];
    },
  },
  "bolna-byot": {
    dir: "bolna-byot",
    config: () => {
      const plain = DEFAULT_DIDS.filter((d) => !d.emergency_enabled).slice(0, 2);
      return [{ key: "numbers", value: JSON.stringify(plain.map((d) => ({ didId: d.id, e164: `+${d.number}` }))) }];
    },
    afterUp: (emu, outputs) => {
      const d = emu.store.didww.getTrunk(outputs.didwwTrunkId);
      const auth = d?.authentication_method as { attributes: { username: string; password: string; allowed_sip_ips: string[] } };
      const b = emu.store.bolna.getTrunk(outputs.bolnaTrunkId) as Record<string, any>;
      assert.equal(b.auth_type, "userpass");
      assert.equal(b.auth_username, auth.attributes.username, "DIDWW's generated username is Bolna's");
      assert.equal(b.auth_password, auth.attributes.password, "and so is its password");
      assert.deepEqual(b.gateways.map((g: Record<string, unknown>) => g.gateway_address), ["fra.eu.out.didww.com", "ams.eu.out.didww.com"]);
      assert.equal(emu.store.bolna.listNumbers(outputs.bolnaTrunkId).length, 2, "the numbers on the Bolna side");
      assert.equal(d?.dids.length, 2, "the numbers on the DIDWW side");
      return [auth.attributes.password];
    },
  },
  "three-vendors": {
    dir: "three-vendors",
    config: (emu) => [
      { key: "domainName", value: `three-${randomSuffix()}.pstn.twilio.com` },
      { key: "numbers", value: JSON.stringify(sharedNumbers(emu)) },
      { key: "sipPassword", value: `Shared${randomSuffix()}Secret9`, secret: true },
    ],
    afterUp: (emu, outputs) => {
      const [trunk] = emu.store.twilio.listTrunks(DEFAULT_TWILIO_ACCOUNT.accountSid);
      const links = emu.store.twilio.trunkLinks(trunk.sid);
      assert.equal(links.phone_numbers.length, 2, "numbers attached on the Twilio side");
      assert.equal(links.credential_lists.length, 1);
      assert.equal(links.ip_access_control_lists.length, 1);
      const b = emu.store.bolna.getTrunk(outputs.bolnaTrunkId) as Record<string, any>;
      assert.equal(b.gateways[0].gateway_address, trunk.domain_name, "Twilio's termination domain is the Bolna gateway");
      const [credential] = emu.store.twilio.list("credentials") as Array<{ username: string; password: string }>;
      assert.equal(b.auth_username, credential.username);
      assert.equal(b.auth_password, credential.password, "one secret, two vendors");
      assert.equal(emu.store.bolna.listNumbers(outputs.bolnaTrunkId).length, 2, "numbers attached on the Bolna side");
      const d = emu.store.didww.getTrunk(outputs.didwwTrunkId);
      assert.deepEqual(d?.authentication_method, { type: "twilio", attributes: { twilio_account_sid: DEFAULT_TWILIO_ACCOUNT.accountSid } });
      assert.deepEqual([...(d?.dids ?? [])].sort(), sharedNumbers(emu).map((n) => n.didId).sort(), "numbers attached on the DIDWW side");
      return [];
    },
  },
};

/**
 * Two numbers every vendor of the emulator knows: DIDWW DIDs, also owned by the Twilio account
 * (added to the emulator's Twilio on first use).
 */
function sharedNumbers(emu: EmulatorHandle): Array<{ e164: string; didId: string }> {
  const dids = DEFAULT_DIDS.filter((d) => !d.emergency_enabled).slice(2, 4);
  return dids.map((d, i) => {
    const e164 = `+${d.number}`;
    if (!emu.store.twilio.listPhoneNumbers(DEFAULT_TWILIO_ACCOUNT.accountSid).some((n) => n.phone_number === e164)) {
      emu.store.twilio.addPhoneNumber({ sid: `PN${"ab".repeat(15)}0${i}`, phone_number: e164, account_sid: DEFAULT_TWILIO_ACCOUNT.accountSid });
    }
    return { e164, didId: d.id };
  });
}

for (const [name, example] of Object.entries(EXAMPLES)) {
  describeWithPulumi(`e2e: examples/${name} against the emulator of all three vendors`, (bin) => {
    let emu: EmulatorHandle;
    let ws: Workspace;
    const STACK = `e2e-${name}-${randomSuffix()}`;

    before(async function () {
      this.timeout(180_000);
      emu = await startEmulator({ port: 0, apiKeys: [KEY] });
      ws = new Workspace(bin(), name, path.join(REPO_ROOT_DIR, "examples", example.dir));
      for (const secret of [DEFAULT_TWILIO_ACCOUNT.authToken, DEFAULT_BOLNA_API_KEY]) ws.forbidden.add(secret);
      await ws.initStack(STACK, emu.didwwUrl, KEY);
      const settings = [
        { key: "twilio:accountSid", value: DEFAULT_TWILIO_ACCOUNT.accountSid },
        { key: "twilio:authToken", value: DEFAULT_TWILIO_ACCOUNT.authToken, secret: true },
        { key: "twilio:trunkingUrl", value: emu.twilioTrunkingUrl },
        { key: "twilio:apiUrl", value: emu.twilioApiUrl },
        { key: "bolna:apiKey", value: DEFAULT_BOLNA_API_KEY, secret: true },
        { key: "bolna:apiUrl", value: emu.bolnaUrl },
        ...example.config(emu),
      ];
      for (const s of settings) {
        if (s.secret) ws.forbidden.add(s.value);
        await ws.ok(["config", "set", ...(s.secret ? ["--secret"] : []), s.key, s.value], STACK);
      }
    });

    after(async function () {
      this.timeout(180_000);
      if (ws) {
        await ws.pulumi(["destroy", "--yes", "--skip-preview"], STACK).catch(() => undefined);
        ws.cleanup();
      }
      await emu?.close();
    });

    it("up wires the vendors together; the preview after it is empty and the drift alarm quiet; no secret in plain text", async function () {
      this.timeout(300_000);
      await ws.step(["up", "--yes", "--skip-preview"], STACK, `up of ${name}`);
      const generated = example.afterUp(emu, await ws.outputs(STACK));
      for (const g of generated) ws.forbidden.add(g);
      await ws.checkState(STACK, `${name}: state scan for the generated secrets`);
      const preview = expectOk(await ws.pulumi(["preview", "--expect-no-changes"], STACK), "preview after up");
      assert.doesNotMatch(preview.stdout, /to (create|update|delete|replace)/, explain(preview));
      expectOk(await ws.pulumi(ALARM, STACK), "drift alarm right after up");
    });

    it("destroy leaves nothing in any vendor", async function () {
      this.timeout(300_000);
      await ws.step(["destroy", "--yes", "--skip-preview"], STACK, `destroy of ${name}`);
      everythingGone(emu);
    });
  });
}
