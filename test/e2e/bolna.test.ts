/**
 * End to end with the real CLI, for `bolna.SipTrunk`: up, a no-op preview, a password change and a
 * gateway change previewed as in-place updates, the drift alarm firing on an out-of-band edit and
 * quiet after the repair, adoption in a second stack, and destroy (numbers go with the trunk).
 * Neither the API key nor any password appears in plain text in the CLI output or the state.
 */
import * as assert from "node:assert/strict";
import * as path from "node:path";
import { DEFAULT_BOLNA_API_KEY, startEmulator, type EmulatorHandle } from "../../emulator";
import { ALARM, E2E_DIR, Workspace, describeWithPulumi, expectFail, expectOk, explain, randomSuffix } from "./support";

describeWithPulumi("e2e: bolna.SipTrunk", (bin) => {
  let emu: EmulatorHandle;
  let ws: Workspace;
  const STACK = `e2e-bolna-${randomSuffix()}`;
  const ADOPT = `e2e-bolna-adopt-${randomSuffix()}`;
  const passwords = [`first-${randomSuffix()}-pw`, `second-${randomSuffix()}-pw`];
  const name = `e2e bolna ${randomSuffix()}`;
  const args = (gateway: string) => ({
    name,
    provider: "twilio",
    authType: "userpass",
    authUsername: "agents",
    gateways: [{ gatewayAddress: gateway, port: 5060, priority: 1 }],
    phoneNumbers: [{ phoneNumber: "+14155550199", name: "main" }],
  });

  async function configure(stack: string, spec: unknown, password?: string): Promise<void> {
    await ws.ok(["stack", "init", stack]);
    await ws.ok(["config", "set", "--secret", "bolna:apiKey", DEFAULT_BOLNA_API_KEY], stack);
    await ws.ok(["config", "set", "bolna:apiUrl", emu.bolnaUrl], stack);
    await ws.ok(["config", "set", "bolna", JSON.stringify(spec)], stack);
    if (password) await ws.ok(["config", "set", "--secret", "trunkPassword", password], stack);
  }

  before(async function () {
    this.timeout(180_000);
    emu = await startEmulator({ port: 0 });
    ws = new Workspace(bin(), "bolna", path.join(E2E_DIR, "bolna-project"));
    for (const s of [DEFAULT_BOLNA_API_KEY, ...passwords]) ws.forbidden.add(s);
    await configure(STACK, { args: args("gw1.pstn.twilio.com") }, passwords[0]);
  });

  after(async function () {
    this.timeout(180_000);
    if (ws) {
      for (const s of [ADOPT, STACK]) await ws.pulumi(["destroy", "--yes", "--skip-preview"], s).catch(() => undefined);
      ws.cleanup();
    }
    await emu?.close();
  });

  it("1. up creates the trunk and its number; the preview after it is empty; the alarm is quiet", async function () {
    this.timeout(300_000);
    await ws.step(["up", "--yes", "--skip-preview"], STACK, "bolna up");
    const [t] = emu.store.bolna.listTrunks();
    assert.equal(t.name, name);
    assert.equal((t as { auth_password?: string }).auth_password, passwords[0]);
    assert.equal(emu.store.bolna.listNumbers(t.id).length, 1);
    expectOk(await ws.pulumi(["preview", "--expect-no-changes"], STACK), "no-op preview");
    expectOk(await ws.pulumi(ALARM, STACK), "alarm after up");
  });

  it("2. a new password and a new gateway preview as one in-place update and apply in one PATCH", async function () {
    this.timeout(300_000);
    await ws.ok(["config", "set", "--secret", "trunkPassword", passwords[1]], STACK);
    await ws.ok(["config", "set", "bolna", JSON.stringify({ args: args("gw2.pstn.twilio.com") })], STACK);
    const preview = expectOk(await ws.pulumi(["preview", "--diff"], STACK), "preview of the change");
    assert.match(preview.stdout, /~ pulumi-nodejs:dynamic\/bolna:SipTrunk: \(update\)/, explain(preview));
    assert.doesNotMatch(preview.stdout, /\+-|replace/, explain(preview));
    emu.requests.clear();
    await ws.step(["up", "--yes", "--skip-preview"], STACK, "bolna change");
    assert.deepEqual(emu.requests.list().filter((r) => r.method !== "GET").map((r) => r.method), ["PATCH"], "one PATCH");
    const [t] = emu.store.bolna.listTrunks();
    assert.equal((t as { auth_password?: string }).auth_password, passwords[1]);
    expectOk(await ws.pulumi(["preview", "--expect-no-changes"], STACK), "converged");
  });

  it("3. the alarm fires on an out-of-band edit and is quiet after up --refresh repairs it", async function () {
    this.timeout(300_000);
    const [t] = emu.store.bolna.listTrunks();
    emu.store.bolna.updateTrunk(t.id, { qualify_frequency: 15 });
    expectFail(await ws.pulumi(ALARM, STACK), "alarm after drift");
    await ws.step(["up", "--yes", "--skip-preview", "--refresh"], STACK, "repair");
    assert.equal((emu.store.bolna.getTrunk(t.id) as { qualify_frequency: number }).qualify_frequency, 60);
    expectOk(await ws.pulumi(ALARM, STACK), "alarm quiet after the repair");
  });

  it("4. adoption in a second stack names the trunk at preview and creates nothing", async function () {
    this.timeout(300_000);
    const legacy = emu.store.bolna.putTrunk({
      name: `legacy ${randomSuffix()}`, provider: "custom", auth_type: "ip-based", ip_identifiers: [{ ip_address: "203.0.113.0/24" }],
      gateways: [{ gateway_address: "legacy.example.com", port: 5060, priority: 1 }],
    } as never);
    await configure(ADOPT, {
      args: { name: legacy.name, provider: "custom", authType: "ip-based", ipIdentifiers: [{ ipAddress: "203.0.113.0/24" }], gateways: [{ gatewayAddress: "legacy.example.com" }] },
      import: legacy.id,
    });
    const preview = expectOk(await ws.pulumi(["preview"], ADOPT), "adoption preview");
    assert.ok((preview.stdout + preview.stderr).includes(`adopts the existing Bolna SIP trunk ${legacy.id}`), explain(preview));
    emu.requests.clear();
    await ws.step(["up", "--yes", "--skip-preview"], ADOPT, "adoption up");
    assert.deepEqual(emu.requests.list().filter((r) => r.method === "POST"), [], "no trunk is created");
    expectOk(await ws.pulumi(["preview", "--expect-no-changes"], ADOPT), "adopted stack converged");
    await ws.step(["destroy", "--yes", "--skip-preview"], ADOPT, "destroy adopted");
  });

  it("5. destroy removes the trunk and its numbers", async function () {
    this.timeout(300_000);
    await ws.step(["destroy", "--yes", "--skip-preview"], STACK, "bolna destroy");
    assert.deepEqual(emu.store.bolna.listTrunks(), []);
    assert.deepEqual(emu.store.bolna.listNumbers(), []);
  });
});
