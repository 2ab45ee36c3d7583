/**
 * A rename without an alias right after a killed `up`: the new name's create adopts, from the
 * journal of creates, the trunk the killed run made for the old name, and the engine then deletes
 * the old name. That delete must let the trunk go, not remove it from under the new name.
 *
 * Real dynamic provider hosts over gRPC against the DIDWW emulator; the first host is killed with
 * SIGKILL after its create was answered, as a killed `pulumi up` leaves it.
 * Needs `npm run build` (the serialized provider loads the built package by name).
 */
import { strict as assert } from "node:assert";
import { Engine, ProviderHost, type Props } from "../helpers/engine";
import { clearLogs, stackConfig, startContractEnv, uniqueName, writesServed, TYPE, didww, type ContractEnv } from "./support";

function args(name: string): Props {
  return { name, onCliMismatchAction: "reject_call", authenticationMethod: { type: "credentials_and_ip", allowedSipIps: ["203.0.113.10"] } };
}

describe("journal of creates: a rename right after a killed up keeps the trunk under the new name", function () {
  this.timeout(60_000);
  let env: ContractEnv;
  const extra: ProviderHost[] = [];

  before(async () => {
    env = await startContractEnv();
  });
  after(async () => {
    for (const h of extra) await h.close().catch(() => undefined);
    await env?.close();
  });

  async function host(): Promise<Engine> {
    const h = await ProviderHost.start();
    extra.push(h);
    h.forbid(env.apiKey);
    await h.configure(stackConfig(env.apiKey, env.proxy.url));
    return new Engine(h, env.providerText, TYPE, [...didww.SECRET_OUTPUTS]);
  }

  it("the new name adopts the trunk (no POST), the old name's delete sends no DELETE, and the trunk is deleted with the new name", async () => {
    const name = uniqueName("rename after kill");
    // Run 1: `office` is created, then the run is killed before the engine ends its provider normally.
    const run1 = await host();
    const { state: old } = await run1.up("office", args(name));
    await run1.host.kill();

    // Run 2, in one provider host as the engine runs it: `office` renamed to `office-2`, no alias.
    const run2 = await host();
    clearLogs(env);
    const { state: renamed } = await run2.up("office-2", args(name));
    assert.equal(renamed.id, old.id, "the new name adopts the killed run's trunk");
    // An adopted trunk came from a list, where DIDWW may mask credentials: one attribute-less PATCH learns them.
    assert.deepEqual(writesServed(env), [`PATCH /v3/voice_out_trunks/${old.id} 200`], "no POST: nothing is created twice");
    clearLogs(env);
    await run2.destroy(old);
    assert.deepEqual(writesServed(env), [], "the old name's delete sends no DELETE");
    assert.ok(env.emulator.store.didww.getTrunk(old.id), "the trunk is still there, held by the new name");
    assert.match(run2.host.stderr + run2.host.stdout, new RegExp(`${old.id} is not deleted: another resource of this stack took it over`));

    // A later destroy of the new name deletes it (in the same process too: the hand-over is used once).
    clearLogs(env);
    await run2.destroy(renamed);
    assert.deepEqual(writesServed(env), [`DELETE /v3/voice_out_trunks/${old.id} 204`]);
    assert.equal(env.emulator.store.didww.getTrunk(old.id), undefined);
  });

  it("without a killed run, a delete deletes: a trunk created and recorded normally is not held back", async () => {
    const name = uniqueName("plain delete");
    const run = await host();
    const { state } = await run.up("plain", args(name));
    clearLogs(env);
    await run.destroy(state);
    assert.deepEqual(writesServed(env), [`DELETE /v3/voice_out_trunks/${state.id} 204`]);
  });
});
