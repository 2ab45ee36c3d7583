/**
 * The provider plugin (`plugin/pulumi-resource-siptrunks`), driven over gRPC the way the engine
 * drives it, against the emulator: the same runtime as the dynamic resources behind the
 * protocol's richer calls (detailed diff, import by id, previews, per-instance configuration,
 * secrets in both directions).
 */
import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as path from "node:path";
import { CATALOG, SETTINGS } from "../../provider/catalog";
import { startEmulator } from "../../emulator";
import { DEFAULT_BOLNA_API_KEY } from "../../emulator/bolna/model";
import { DEFAULT_TWILIO_ACCOUNT } from "../../emulator/twilio/model";
import { REPO_ROOT, SECRET_SIG, SECRET_SIG_VALUE, secretValue, UNKNOWN, type Props } from "../helpers/engine";
import { PluginClient, PluginError } from "../helpers/plugin-client";

type Emulator = Awaited<ReturnType<typeof startEmulator>>;

const DIDWW = "siptrunks:didww:OutboundTrunk";
const BOLNA = "siptrunks:bolna:SipTrunk";
const KIND_UPDATE = 4;
const KIND_UPDATE_REPLACE = 5;
const DIFF_NONE = 1;
const DIFF_SOME = 2;

const isSecret = (v: unknown): boolean => typeof v === "object" && v !== null && (v as Props)[SECRET_SIG] === SECRET_SIG_VALUE;
const revealed = (v: unknown): unknown => (isSecret(v) ? (v as Props).value : v);

const trunkArgs = (name: string): Props => ({
  name,
  onCliMismatchAction: "reject_call",
  authenticationMethod: { type: "credentials_and_ip", allowedSipIps: ["203.0.113.10"] },
});

describe("provider plugin: pulumi-resource-siptrunks over gRPC", function () {
  this.timeout(30_000);
  const apiKey = `plugin-key-${process.pid}`;
  let emu: Emulator;
  let plugin: PluginClient;
  const didwwRequests = () => emu.requests.list().filter((r) => r.path.startsWith("/v3/")).length;

  before(async () => {
    emu = await startEmulator({ port: 0, apiKeys: [apiKey] } as Parameters<typeof startEmulator>[0]);
    plugin = await PluginClient.start();
    plugin.forbid(apiKey);
    plugin.forbid(DEFAULT_BOLNA_API_KEY);
    plugin.forbid(DEFAULT_TWILIO_ACCOUNT.authToken);
  });
  after(async () => {
    await plugin?.close();
    await emu?.close();
  });

  it("GetPluginInfo gives the package version; GetSchema gives plugin/schema.json, which lists every resource of the catalog", async () => {
    const pkg = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, "package.json"), "utf8")) as { version: string };
    assert.equal((await plugin.getPluginInfo()).version, pkg.version);
    const text = await plugin.getSchema();
    assert.equal(text, fs.readFileSync(path.join(REPO_ROOT, "plugin", "schema.json"), "utf8"));
    const schema = JSON.parse(text) as { resources: Record<string, unknown> };
    assert.deepEqual(Object.keys(schema.resources).sort(), CATALOG.map((e) => e.token).sort());
  });

  it("CheckConfig names a misspelt setting and a non-numeric number, and passes good settings through unchanged (secrets still wrapped)", async () => {
    const bad = await plugin.checkConfig({ didwwApikey: "x", didwwRequestsPerSecond: "fast" });
    const byProperty = Object.fromEntries(bad.failures.map((f) => [f.property, f.reason]));
    assert.match(byProperty.didwwApikey, /siptrunks:didwwApikey is not a setting of this provider; the settings are didwwApiKey, /);
    assert.match(byProperty.didwwRequestsPerSecond, /must be a positive number/);
    const good = { didwwApiUrl: emu.didwwUrl, didwwApiKey: secretValue(apiKey), version: "0.1.0" };
    const ok = await plugin.checkConfig(good);
    assert.deepEqual(ok.failures, []);
    assert.deepEqual(ok.inputs, good);
  });

  it("DiffConfig: new settings (another key, another URL) change the provider in place, never replacing it or its resources", async () => {
    const olds = { didwwApiUrl: "http://a/v3", didwwApiKey: secretValue("k1") };
    const same = await plugin.diffConfig(olds, olds);
    assert.deepEqual(same, { changes: DIFF_NONE, replaces: [], diffs: [] });
    const changed = await plugin.diffConfig(olds, { didwwApiUrl: "http://b/v3", didwwApiKey: secretValue("k2") });
    assert.deepEqual({ ...changed, diffs: changed.diffs.sort() }, { changes: DIFF_SOME, replaces: [], diffs: ["didwwApiKey", "didwwApiUrl"] });
  });

  it("Configure takes secret settings as envelopes and says it accepts secrets and previews", async () => {
    const res = await plugin.configure({
      didwwApiUrl: emu.didwwUrl,
      didwwApiKey: secretValue(apiKey),
      bolnaApiUrl: emu.bolnaUrl,
      bolnaApiKey: secretValue(DEFAULT_BOLNA_API_KEY),
      twilioAccountSid: DEFAULT_TWILIO_ACCOUNT.accountSid,
      twilioAuthToken: secretValue(DEFAULT_TWILIO_ACCOUNT.authToken),
      twilioTrunkingUrl: emu.twilioTrunkingUrl,
      twilioApiUrl: emu.twilioApiUrl,
    });
    assert.deepEqual(res, { acceptSecrets: true, supportsPreview: true });
  });

  it("Check names a broken input before any API call; a secret input comes back wrapped, and so does a schema-secret one sent in plain text", async () => {
    const before = emu.requests.list().length;
    const broken = await plugin.check(DIDWW, {}, { ...trunkArgs("x"), status: "paused" });
    assert.equal(broken.failures.length, 1);
    assert.equal(broken.failures[0].property, "status");
    assert.match(broken.failures[0].reason, /"active" or "blocked"/);
    assert.equal(emu.requests.list().length, before, "check made an API call");

    const bolnaArgs = (password: unknown): Props => ({
      name: `plugin-bolna-${process.pid}`,
      provider: "zadarma",
      authType: "userpass",
      authUsername: "12345",
      authPassword: password,
      gateways: [{ gatewayAddress: "sip.zadarma.com" }],
    });
    for (const pw of [secretValue("Secr3t-password-1"), "Secr3t-password-1"]) {
      const { inputs, failures } = await plugin.check(BOLNA, {}, bolnaArgs(pw));
      assert.deepEqual(failures, []);
      assert.ok(isSecret(inputs.authPassword), `authPassword must come back as a secret, got ${JSON.stringify(inputs.authPassword)}`);
      assert.equal(revealed(inputs.authPassword), "Secr3t-password-1");
    }
    // Any input the program marked secret stays secret, whatever the schema says.
    const marked = await plugin.check(DIDWW, {}, { ...trunkArgs("marked"), externalReferenceId: secretValue("ref-1") });
    assert.ok(isSecret(marked.inputs.externalReferenceId));
    assert.ok(!isSecret(marked.inputs.name));
  });

  describe("a trunk's lifecycle", () => {
    let inputs: Props;
    let id: string;
    let outputs: Props;

    it("a preview of a create calls nothing and answers the inputs, unknowns included", async () => {
      const checked = await plugin.check(DIDWW, {}, { ...trunkArgs("plugin pbx"), externalReferenceId: UNKNOWN });
      const before = didwwRequests();
      const preview = await plugin.create(DIDWW, checked.inputs, true);
      assert.equal(preview.id, "");
      assert.equal(preview.properties.name, "plugin pbx");
      assert.equal(preview.properties.externalReferenceId, UNKNOWN);
      assert.equal(didwwRequests(), before);
    });

    it("create: one POST; the SIP credentials and the applied-inputs snapshot are secrets; the API key appears nowhere", async () => {
      inputs = (await plugin.check(DIDWW, {}, trunkArgs("plugin pbx"))).inputs;
      const before = didwwRequests();
      const created = await plugin.create(DIDWW, inputs);
      assert.equal(didwwRequests() - before, 1);
      id = created.id;
      outputs = created.properties;
      assert.ok(emu.store.didww.getTrunk(id), "the trunk is not in the emulator");
      for (const k of ["username", "password", "__appliedInputs"]) assert.ok(isSecret(outputs[k]), `${k} must be a secret`);
      assert.equal(typeof revealed(outputs.password), "string");
      assert.equal(outputs.__provider, undefined);
    });

    it("diff: nothing for the same inputs; a detailed diff of exactly the changed properties, nested ones by path", async () => {
      const same = await plugin.diff(DIDWW, id, outputs, inputs);
      assert.equal(same.changes, DIFF_NONE);
      assert.deepEqual(same.detailedDiff, {});

      const news = { ...inputs, status: "blocked", authenticationMethod: { type: "credentials_and_ip", allowedSipIps: ["203.0.113.10", "198.51.100.0/24"] } };
      const d = await plugin.diff(DIDWW, id, outputs, news);
      assert.equal(d.changes, DIFF_SOME);
      assert.ok(d.hasDetailedDiff);
      assert.deepEqual(d.replaces, []);
      assert.deepEqual(d.diffs.sort(), ["authenticationMethod", "status"]);
      assert.deepEqual(d.detailedDiff, {
        status: { kind: KIND_UPDATE, inputDiff: false },
        "authenticationMethod.allowedSipIps": { kind: KIND_UPDATE, inputDiff: false },
      });
    });

    it("a preview of an update calls nothing and keeps the outputs an update never changes (createdAt), the rest as the new inputs", async () => {
      const before = didwwRequests();
      const news = { ...inputs, status: "blocked" };
      const preview = await plugin.update(DIDWW, id, outputs, news, true);
      assert.equal(didwwRequests(), before);
      assert.equal(preview.createdAt, outputs.createdAt);
      assert.equal(preview.status, "blocked");
      assert.equal(preview.spentAmount, undefined, "an output an update may change must be left unknown");
    });

    it("update: one PATCH; the live trunk changes", async () => {
      const before = didwwRequests();
      const news = { ...inputs, status: "blocked" };
      outputs = await plugin.update(DIDWW, id, outputs, news);
      inputs = news;
      assert.equal(didwwRequests() - before, 1);
      assert.equal(outputs.status, "blocked");
      assert.equal(emu.store.didww.getTrunk(id)?.status, "blocked");
    });

    it("read by id alone (pulumi import) answers inputs in full, as a created trunk's, and the credentials, as secrets", async () => {
      const imported = await plugin.read(DIDWW, id);
      assert.equal(imported.id, id);
      const created = (await plugin.check(DIDWW, {}, inputs)).inputs;
      // Every input a created trunk has, plus the account-dependent threshold a program omits, in
      // DIDWW's spelling (an address as its /32): the diff below shows the meaning is the same.
      assert.deepEqual(Object.keys(imported.inputs).sort(), [...Object.keys(created), "thresholdAmount"].sort());
      assert.deepEqual((imported.inputs.authenticationMethod as Props).allowedSipIps, ["203.0.113.10/32"]);
      assert.deepEqual(Object.keys(imported.properties).sort(), Object.keys(outputs).filter((k) => k !== "__appliedInputs").sort());
      assert.ok(isSecret(imported.properties.password) && isSecret(imported.properties.username));
      assert.equal(revealed(imported.properties.password), revealed(outputs.password));
      // Its own check and diff against the program find nothing to change: the import option's contract.
      const checked = await plugin.check(DIDWW, imported.inputs, inputs);
      const d = await plugin.diff(DIDWW, id, imported.properties, checked.inputs);
      assert.equal(d.changes, DIFF_NONE, JSON.stringify(d.detailedDiff));
    });

    it("refresh (read with the last outputs) finds drift, which the next diff shows as a detailed update of status", async () => {
      emu.store.didww.updateTrunk(id, { status: "active" } as never);
      const refreshed = await plugin.read(DIDWW, id, outputs, inputs);
      assert.equal(refreshed.properties.status, "active");
      assert.equal(refreshed.inputs.status, "active");
      const d = await plugin.diff(DIDWW, id, refreshed.properties, inputs);
      assert.deepEqual(d.detailedDiff, { status: { kind: KIND_UPDATE, inputDiff: false } });
      outputs = refreshed.properties;
    });

    it("delete: one DELETE; a read afterwards says it is gone (empty id)", async () => {
      const before = didwwRequests();
      await plugin.delete(DIDWW, id, outputs);
      assert.equal(didwwRequests() - before, 1);
      assert.equal(emu.store.didww.getTrunk(id), undefined);
      assert.equal((await plugin.read(DIDWW, id, outputs, inputs)).id, "");
    });
  });

  describe("Twilio and Bolna resources through the same plugin", () => {
    const CREDS = "siptrunks:twilio:SipCredentialList";
    const TRUNK = "siptrunks:twilio:Trunk";
    const OU = "siptrunks:twilio:OriginationUrl";

    it("a credential list: passwords sent in plain text come back secret; a failure after the list exists is a partial create the engine records, with its outputs still secret", async () => {
      const args = { friendlyName: `plugin-creds-${process.pid}`, credentials: [{ username: "a1", password: "Plugin-Pass-11" }, { username: "b2", password: "Plugin-Pass-22" }] };
      const checked = await plugin.check(CREDS, {}, args);
      assert.deepEqual(checked.failures, []);
      assert.ok(isSecret(checked.inputs.credentials), "credentials hold passwords: secret");
      emu.faults.set({ sequence: { match: { method: "POST", path: /Credentials\.json/ }, steps: [{ kind: "pass" }, { kind: "status", status: 503 }, { kind: "status", status: 503 }] } });
      let failure: PluginError | undefined;
      try {
        await plugin.create(CREDS, checked.inputs);
      } catch (err) {
        failure = err as PluginError;
      } finally {
        emu.faults.clear();
      }
      assert.ok(failure?.initFailure, `a partial create, got ${String(failure)}`);
      assert.match(failure.initFailure.id, /^CL[0-9a-f]{32}$/);
      assert.match(failure.initFailure.reasons[0], /was created but/);
      assert.ok(isSecret(failure.initFailure.properties.credentials), "the recorded outputs keep the credentials secret");
      assert.ok(!JSON.stringify(failure.initFailure).includes("Plugin-Pass"), "no password in plain text");
      // The next up finishes: an update from the recorded outputs adds the missing credential.
      const outs = await plugin.update(CREDS, failure.initFailure.id, failure.initFailure.properties, checked.inputs);
      assert.deepEqual((revealed(outs.credentials) as Array<{ username: string }>).map((c) => c.username), ["a1", "b2"]);
      await plugin.delete(CREDS, failure.initFailure.id, outs);
    });

    it("a trunk and its origination URL: the preview of a trunk update keeps sid and accountSid known, so the URL's trunkSid never previews as a change", async () => {
      const trunkIn = (await plugin.check(TRUNK, {}, { friendlyName: "plugin trunk", domainName: `plugin-${process.pid}.pstn.twilio.com` })).inputs;
      const trunk = await plugin.create(TRUNK, trunkIn);
      assert.match(trunk.id, /^TK[0-9a-f]{32}$/);
      const ouIn = (await plugin.check(OU, {}, { trunkSid: trunk.id, sipUrl: "sip:pbx.example.com", friendlyName: "pbx", weight: 1, priority: 1 })).inputs;
      const ou = await plugin.create(OU, ouIn);
      const renamed = { ...trunkIn, friendlyName: "plugin trunk 2" };
      const preview = await plugin.update(TRUNK, trunk.id, trunk.properties, renamed, true);
      assert.equal(preview.sid, trunk.id);
      assert.equal(preview.accountSid, DEFAULT_TWILIO_ACCOUNT.accountSid);
      assert.equal((await plugin.diff(OU, ou.id, ou.properties, { ...ouIn, trunkSid: preview.sid })).changes, DIFF_NONE);
      await plugin.delete(OU, ou.id, ou.properties);
      await plugin.delete(TRUNK, trunk.id, trunk.properties);
      assert.equal((await plugin.read(TRUNK, trunk.id, trunk.properties, trunkIn)).id, "");
    });

    it("a Bolna trunk: created, imported by id, deleted; the password's hash and the applied inputs are secrets", async () => {
      const args = { name: `plugin-bolna-life-${process.pid}`, provider: "zadarma", authType: "userpass", authUsername: "12345", authPassword: "Secr3t-password-2", gateways: [{ gatewayAddress: "sip.zadarma.com" }] };
      const inputs = (await plugin.check(BOLNA, {}, args)).inputs;
      const created = await plugin.create(BOLNA, inputs);
      for (const k of ["authPasswordHash", "__appliedInputs"]) assert.ok(isSecret(created.properties[k]), `${k} must be a secret`);
      assert.ok(!JSON.stringify(created.properties).includes("Secr3t-password-2"));
      const imported = await plugin.read(BOLNA, created.id);
      assert.equal(imported.id, created.id);
      assert.equal(imported.inputs.name, args.name);
      assert.equal(imported.inputs.authPassword, undefined, "a password cannot be read: an import has none");
      await plugin.delete(BOLNA, created.id, created.properties);
      assert.equal(emu.store.bolna.getTrunk(created.id), undefined);
    });
  });

  it("a change that replaces a Bolna trunk is a detailed UPDATE_REPLACE, deleted first", async () => {
    const olds = { name: "t", provider: "zadarma", authType: "ip-based", gateways: [{ gatewayAddress: "sip.zadarma.com" }], ipIdentifiers: [] };
    const checked = (await plugin.check(BOLNA, {}, olds)).inputs;
    const d = await plugin.diff(BOLNA, "00000000-0000-4000-8000-000000000000", checked, { ...checked, provider: "plivo" });
    assert.deepEqual(d.replaces, ["provider"]);
    assert.equal(d.deleteBeforeReplace, true);
    assert.deepEqual(d.detailedDiff, { provider: { kind: KIND_UPDATE_REPLACE, inputDiff: false } });
  });

  it("an unknown type token is refused with the versions advice", async () => {
    await assert.rejects(plugin.check("siptrunks:didww:InboundTrunk", {}, {}), (e: PluginError) => /does not serve resource type siptrunks:didww:InboundTrunk/.test(e.message));
  });

  it("two plugin processes with different settings (what two provider instances are) each create in their own account", async () => {
    const otherKey = `plugin-other-${process.pid}`;
    const other = await startEmulator({ port: 0, apiKeys: [otherKey] } as Parameters<typeof startEmulator>[0]);
    const second = await PluginClient.start();
    try {
      second.forbid(otherKey);
      await second.configure({ didwwApiUrl: other.didwwUrl, didwwApiKey: secretValue(otherKey) });
      const a = await plugin.create(DIDWW, (await plugin.check(DIDWW, {}, trunkArgs("account A"))).inputs);
      const b = await second.create(DIDWW, (await second.check(DIDWW, {}, trunkArgs("account B"))).inputs);
      assert.ok(emu.store.didww.getTrunk(a.id) && !other.store.didww.getTrunk(a.id));
      assert.ok(other.store.didww.getTrunk(b.id) && !emu.store.didww.getTrunk(b.id));
      await plugin.delete(DIDWW, a.id, a.properties);
      await second.delete(DIDWW, b.id, b.properties);
    } finally {
      await second.close();
      await other.close();
    }
  });

  it("settings: every SETTINGS entry is a config variable and a provider input of the schema, secret exactly when the table says", async () => {
    const schema = JSON.parse(await plugin.getSchema()) as { config: { variables: Record<string, Props> }; provider: { inputProperties: Record<string, Props> } };
    for (const s of SETTINGS) {
      for (const where of [schema.config.variables, schema.provider.inputProperties]) {
        assert.ok(where[s.plugin], `${s.plugin} missing`);
        assert.equal(where[s.plugin].secret === true, s.secret === true, `${s.plugin} secret flag`);
      }
    }
  });

  it("without settings, check fails in plugin mode's words: the message names siptrunks:didwwApiKey, not dynamic mode's key", async () => {
    const bare = await PluginClient.start();
    try {
      await assert.rejects(bare.check(DIDWW, {}, trunkArgs("no key")), (e: PluginError) => {
        assert.match(e.message, /siptrunks:didwwApiKey/);
        assert.doesNotMatch(e.message, /(^|[^:\w])didww:apiKey/);
        return true;
      });
    } finally {
      await bare.close();
    }
  });

  it("Cancel: calls after it fail, saying so", async () => {
    const third = await PluginClient.start();
    try {
      await third.cancel();
      await assert.rejects(third.check(DIDWW, {}, trunkArgs("late")), /cancelled/);
    } finally {
      await third.close();
    }
  });
});
