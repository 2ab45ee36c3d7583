/**
 * The plugin-mode classes (`pulumi-sip-trunks/plugin`) register what the dynamic classes do, under
 * the plugin's type tokens: the same properties (less the dynamic provider's `__provider` and the
 * dynamic-only adoption controls), the arguments as given, and `siptrunks.Provider` settings with
 * the secret ones marked secret.
 */
import { strict as assert } from "node:assert";
import * as pulumi from "@pulumi/pulumi";
import { registeredUnderMocks } from "../helpers/registration";
import { SECRET_SIG } from "../helpers/engine";
import { CLASS_PAIRS as pairs, plugin } from "./support";


const DYNAMIC_ONLY = new Set(["__provider", "importId", "onImportMismatch"]);


describe("plugin-mode classes: registered like the dynamic ones, under siptrunks tokens", () => {
  for (const p of pairs) {
    it(`${p.token}: the same properties as the dynamic class, the arguments as given`, async () => {
      const [dyn] = (await registeredUnderMocks(p.dynamic)).filter((r) => r.type.startsWith("pulumi-nodejs:dynamic/"));
      const [plug] = (await registeredUnderMocks(p.plugin)).filter((r) => r.type === p.token);
      assert.ok(dyn && plug, "both classes registered");
      const dynamicKeys = Object.keys(dyn.object).filter((k) => !DYNAMIC_ONLY.has(k) && k !== "__appliedInputs");
      assert.deepEqual(Object.keys(plug.object).sort(), dynamicKeys.sort());
      assert.equal(plug.object.__provider, undefined);
      for (const [k, v] of Object.entries(plug.object)) if (v !== undefined && k in dyn.object) assert.deepEqual(v, dyn.object[k], k);
    });
  }

  it("siptrunks.Provider: registers its settings, the secret ones (API keys, tokens) as secrets", async () => {
    const regs = await registeredUnderMocks(() => {
      const provider = new plugin.Provider("eu", { didwwApiKey: "k-eu", didwwApiUrl: "http://x/v3", twilioAuthToken: "tok", bolnaApiKey: "b", didwwRequestsPerSecond: 5 });
      return new plugin.twilio.Trunk("t", { friendlyName: "n" }, { provider });
    });
    const prov = regs.find((r) => r.type === "pulumi:providers:siptrunks");
    assert.ok(prov, "the provider registered");
    for (const k of ["didwwApiKey", "twilioAuthToken", "bolnaApiKey"]) assert.equal((prov.object[k] as Record<string, unknown>)?.[SECRET_SIG] !== undefined, true, `${k} must be a secret`);
    assert.equal(prov.object.didwwApiUrl, "http://x/v3");
    assert.equal(prov.object.didwwRequestsPerSecond, 5);
  });
});
