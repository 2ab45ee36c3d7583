/**
 * Engine contract of `didww.OutboundTrunk`: the real dynamic provider host from @pulumi/pulumi,
 * driven over gRPC the way the engine drives it, against the DIDWW emulator.
 *
 * Every host response passes through ProviderHost, which fails the call if the API key appears
 * in it or if a returned Struct is not plain JSON; the last test checks that every call was
 * scanned and that the host's logs are clean too.
 *
 * Needs `npm run build` (the serialized provider loads the built package by name).
 */
import { strict as assert } from "node:assert";
import { DEFAULT_DIDS } from "../../emulator";
import {
  DIFF_NONE,
  DIFF_SOME,
  Engine,
  HostError,
  PROVIDER_KEY,
  ProviderHost,
  UNKNOWN,
  type Props,
  type ResourceState,
} from "../helpers/engine";
import {
  DOCUMENTED_DEFAULTS,
  clearLogs,
  newApiKey,
  served,
  stackConfig,
  startContractEnv,
  TWILIO_SID,
  TWILIO_SID_2,
  uniqueName,
  writesServed,
  emptyPatchBodies,
  type ContractEnv,
} from "./support";

const EMERGENCY_DIDS = DEFAULT_DIDS.filter((d) => d.emergency_enabled).map((d) => d.id);
const PLAIN_DIDS = DEFAULT_DIDS.filter((d) => !d.emergency_enabled).map((d) => d.id);

function credentialsArgs(name: string, extra: Props = {}): Props {
  return {
    name,
    onCliMismatchAction: "reject_call",
    authenticationMethod: { type: "credentials_and_ip", allowedSipIps: ["203.0.113.10"] },
    ...extra,
  };
}

function twilioArgs(name: string, extra: Props = {}): Props {
  return {
    name,
    onCliMismatchAction: "send_original_cli",
    authenticationMethod: { type: "twilio", twilioAccountSid: TWILIO_SID },
    ...extra,
  };
}

type StoredTrunk = NonNullable<ReturnType<ContractEnv["emulator"]["store"]["didww"]["getTrunk"]>>;

function storedCredentials(trunk: StoredTrunk): { username: string; password: string } {
  const auth = trunk.authentication_method as { type: string; attributes: { username?: string; password?: string } };
  assert.equal(auth.type, "credentials_and_ip", "the stored trunk uses credentials_and_ip");
  assert.ok(auth.attributes.username && auth.attributes.password, "the emulator generated credentials");
  return { username: auth.attributes.username, password: auth.attributes.password };
}

function sorted(values: readonly string[]): string[] {
  return [...values].sort();
}

async function rejects(promise: Promise<unknown>): Promise<HostError> {
  try {
    await promise;
  } catch (err) {
    assert.ok(err instanceof HostError, `expected a gRPC failure from the host, got ${String(err)}`);
    return err;
  }
  assert.fail("expected the host call to fail");
}

describe("engine contract: didww.OutboundTrunk through @pulumi/pulumi's dynamic provider host", function () {
  this.timeout(60_000);
  let env: ContractEnv;

  before(async function () {
    env = await startContractEnv();
  });

  after(async function () {
    await env?.close();
  });

  const store = () => env.emulator.store.didww;
  const up = (name: string, args: Props, prior?: ResourceState) => env.engine.up(name, args, prior);

  describe("up", function () {
    it("creates a credentials_and_ip trunk with didIds and emergencyDidIds, then a second up is a no-op (DIFF_NONE)", async function () {
      const name = uniqueName("credentials");
      const didIds = [PLAIN_DIDS[0], EMERGENCY_DIDS[0], EMERGENCY_DIDS[1]];
      const emergencyDidIds = [EMERGENCY_DIDS[1], EMERGENCY_DIDS[0]];
      const args = credentialsArgs(name, { didIds, emergencyDidIds, capacityLimit: 10 });
      clearLogs(env);

      const { state, trace } = await up(name, args);

      assert.equal(trace.op, "create");
      assert.deepEqual(trace.check.failures, []);
      // Check returns the inputs with every omitted one set to its documented default, so that the
      // engine's display compares values (a drifted status previews as "blocked" => "active").
      assert.deepEqual(trace.check.inputs, { ...DOCUMENTED_DEFAULTS, ...env.engine.news(args) }, "check returns the inputs, defaults filled in, __provider included");
      // One call: the POST asks for the DID linkage and answers with the credentials, so nothing is read back.
      assert.deepEqual(served(env), ["POST /v3/voice_out_trunks 201"], "create takes exactly one API call");
      const trunk = store().getTrunk(state.id);
      assert.ok(trunk, "the trunk exists in the emulator under the id create returned");
      assert.equal(trunk.name, name);
      assert.equal(trunk.capacity_limit, 10);
      assert.deepEqual(sorted(trunk.dids), sorted(didIds));
      assert.deepEqual(sorted(trunk.emergency_dids), sorted(emergencyDidIds));
      assert.equal(trunk.authentication_method.type, "credentials_and_ip");
      assert.deepEqual((trunk.authentication_method.attributes as { allowed_sip_ips: string[] }).allowed_sip_ips, ["203.0.113.10/32"]);
      assert.equal(writesServed(env).filter((w) => w.startsWith("POST ")).length, 1, `exactly one POST: ${served(env).join(", ")}`);

      const outs = state.outputs;
      assert.equal(outs[PROVIDER_KEY], env.providerText, "the host stores __provider in the outputs");
      assert.equal(outs.name, name);
      assert.equal(outs.capacityLimit, 10);
      assert.deepEqual(outs.didIds, sorted(didIds));
      assert.deepEqual(outs.emergencyDidIds, sorted(emergencyDidIds));
      const creds = storedCredentials(trunk);
      assert.equal(outs.username, creds.username, "username output is the generated one");
      assert.equal(outs.password, creds.password, "password output is the generated one");
      // The credentials live only in the outputs the engine encrypts (additionalSecretOutputs).
      assert.deepEqual(sorted(state.secretOutputs), ["password", "username"]);
      const { username: _u, password: _p, ...plainOutputs } = outs;
      assert.ok(!JSON.stringify(plainOutputs).includes(creds.password), "the password appears in no output but `password`");
      assert.ok(!JSON.stringify(plainOutputs).includes(creds.username), "the username appears in no output but `username`");

      clearLogs(env);
      const again = await up(name, args, state);
      assert.equal(again.trace.op, "same");
      assert.equal(again.trace.diff?.changes, DIFF_NONE, "no-op diff right after create is DIFF_NONE");
      assert.deepEqual(again.trace.diff?.replaces, []);
      assert.deepEqual(writesServed(env), [], "a no-op up writes nothing");
    });

    it("creates a twilio trunk with null credentials, and a second up is a no-op", async function () {
      const name = uniqueName("twilio");
      const args = twilioArgs(name);
      const { state, trace } = await up(name, args);
      assert.equal(trace.op, "create");
      const trunk = store().getTrunk(state.id);
      assert.ok(trunk);
      assert.deepEqual(trunk.authentication_method, { type: "twilio", attributes: { twilio_account_sid: TWILIO_SID } });
      assert.equal(trunk.on_cli_mismatch_action, "send_original_cli");
      assert.deepEqual(state.outputs.authenticationMethod, { type: "twilio", twilioAccountSid: TWILIO_SID });
      assert.equal(state.outputs.username, null);
      assert.equal(state.outputs.password, null);

      const again = await up(name, args, state);
      assert.equal(again.trace.diff?.changes, DIFF_NONE);
    });
  });

  describe("refresh", function () {
    it("keeps username/password through a refresh whose GET masks them, and the next up is DIFF_NONE", async function () {
      const name = uniqueName("masked");
      const args = credentialsArgs(name, { didIds: [PLAIN_DIDS[1]] });
      const { state } = await up(name, args);
      const creds = storedCredentials(store().getTrunk(state.id)!);

      // The emulator masks credentials on GET (its default): prove it for this trunk.
      const response = await fetch(`${env.emulator.didwwUrl}/voice_out_trunks/${state.id}`, {
        headers: { "Api-Key": env.apiKey, Accept: "application/vnd.api+json" },
      });
      const shown = ((await response.json()) as { data: { attributes: { authentication_method: { attributes: { password: string } } } } }).data.attributes
        .authentication_method.attributes.password;
      assert.notEqual(shown, creds.password, `GET masks the password (${shown.slice(0, 3)}…)`);

      const refreshed = await env.engine.refresh(state);
      assert.equal(refreshed.read.id, state.id);
      assert.ok(refreshed.state);
      assert.equal(refreshed.read.properties.username, creds.username, "username survives the masked GET");
      assert.equal(refreshed.read.properties.password, creds.password, "password survives the masked GET");
      assert.ok(refreshed.read.inputs, "read returns inputs");
      assert.ok(!JSON.stringify(refreshed.read.inputs).includes(creds.password), "read's inputs (stored unencrypted) hold no password");
      assert.ok(!JSON.stringify(refreshed.read.inputs).includes(creds.username), "read's inputs (stored unencrypted) hold no username");
      assert.equal(refreshed.read.inputs[PROVIDER_KEY], env.providerText);

      clearLogs(env);
      const next = await up(name, args, refreshed.state);
      assert.deepEqual(next.trace.check.failures, []);
      assert.equal(next.trace.diff?.changes, DIFF_NONE, "no-op diff right after a refresh is DIFF_NONE");
      assert.deepEqual(writesServed(env), []);
    });

    it("drift: an out-of-band status change comes back in properties and inputs, and the program's up reports and fixes it", async function () {
      const name = uniqueName("drift");
      const args = credentialsArgs(name);
      const { state } = await up(name, args);
      store().updateTrunk(state.id, { status: "blocked" });

      const refreshed = await env.engine.refresh(state);
      assert.ok(refreshed.state);
      assert.equal(refreshed.read.properties.status, "blocked");
      assert.equal(refreshed.read.inputs?.status, "blocked", "read's inputs carry the drift, so the CLI shows it against the program");

      clearLogs(env);
      const next = await up(name, args, refreshed.state);
      assert.equal(next.trace.diff?.changes, DIFF_SOME, "the program (status omitted = active) differs from the live trunk");
      assert.deepEqual(next.trace.diff?.replaces, []);
      assert.equal(next.trace.op, "update");
      assert.equal(next.state.outputs.status, "active");
      assert.equal(store().getTrunk(state.id)?.status, "active");
      assert.deepEqual(
        env.proxy.writes().map((w) => [w.method, (w.body as { data: { attributes?: Props } }).data.attributes]),
        [["PATCH", { status: "active" }]],
        "only status is PATCHed",
      );
    });

    it("a trunk deleted out of band: Read returns an empty id, and Delete of the missing trunk succeeds", async function () {
      const name = uniqueName("gone");
      const { state } = await up(name, twilioArgs(name));
      assert.ok(store().deleteTrunk(state.id));

      const refreshed = await env.engine.refresh(state);
      assert.equal(refreshed.read.id, "", "an empty id tells the engine the resource is gone");
      assert.equal(refreshed.state, undefined);

      clearLogs(env);
      await env.engine.destroy(state);
      assert.deepEqual(writesServed(env), [`DELETE /v3/voice_out_trunks/${state.id} 404`]);
    });
  });

  describe("update", function () {
    it("changes attributes in place and PATCHes only the changed ones", async function () {
      const name = uniqueName("update");
      const args = credentialsArgs(name, { didIds: [PLAIN_DIDS[0]], capacityLimit: 5, rtpPing: true });
      const { state } = await up(name, args);
      const before = store().getTrunk(state.id)!;
      const creds = storedCredentials(before);

      const newName = `${name} renamed`;
      const changed = { ...args, name: newName, capacityLimit: 20, dstPrefixes: ["44", "1"] };
      clearLogs(env);
      const { state: after, trace } = await up(name, changed, state);
      assert.equal(trace.op, "update");
      assert.equal(trace.diff?.changes, DIFF_SOME);
      assert.deepEqual(trace.diff?.replaces, [], "an attribute change never replaces");
      assert.equal(after.id, state.id);

      const writes = env.proxy.writes();
      assert.equal(writes.length, 1, `one write: ${writes.map((w) => w.method).join(", ")}`);
      assert.equal(writes[0].method, "PATCH");
      assert.equal(writes[0].path.split("?")[0], `/v3/voice_out_trunks/${state.id}`);
      const data = (writes[0].body as { data: { attributes?: Props; relationships?: Props } }).data;
      assert.deepEqual(Object.keys(data.attributes ?? {}).sort(), ["capacity_limit", "dst_prefixes", "name"]);
      assert.equal(data.relationships, undefined, "relationships are not resent when unchanged");
      assert.deepEqual(writesServed(env), [`PATCH /v3/voice_out_trunks/${state.id} 200`]);

      const trunk = store().getTrunk(state.id)!;
      assert.equal(trunk.name, newName);
      assert.equal(trunk.capacity_limit, 20);
      assert.deepEqual(sorted(trunk.dst_prefixes ?? []), ["1", "44"]);
      assert.equal(trunk.rtp_ping, true);
      assert.deepEqual(trunk.dids, [PLAIN_DIDS[0]]);
      assert.equal(after.outputs.name, newName);
      assert.equal(after.outputs.capacityLimit, 20);
      assert.equal(after.outputs.username, creds.username, "credentials are kept through an update");
      assert.equal(after.outputs.password, creds.password);

      const again = await up(name, changed, after);
      assert.equal(again.trace.diff?.changes, DIFF_NONE);

      // A relationship-only change PATCHes the relationship alone.
      const relinked = { ...changed, didIds: [PLAIN_DIDS[0], PLAIN_DIDS[1]] };
      clearLogs(env);
      const { state: third } = await up(name, relinked, again.state);
      const patches = env.proxy.writes();
      assert.equal(patches.length, 1);
      const rel = (patches[0].body as { data: { attributes?: Props; relationships?: Props } }).data;
      assert.equal(rel.attributes, undefined, "no attribute is resent");
      assert.deepEqual(rel.relationships, { dids: { data: [PLAIN_DIDS[0], PLAIN_DIDS[1]].map((id) => ({ type: "dids", id })) } });
      assert.deepEqual(sorted(store().getTrunk(state.id)!.dids), sorted([PLAIN_DIDS[0], PLAIN_DIDS[1]]));
      assert.deepEqual(third.outputs.didIds, sorted([PLAIN_DIDS[0], PLAIN_DIDS[1]]));
    });

    it("DIDWW-managed relationships (allowAnyDidAsCli, emergencyEnableAll) cause no diff, before or after a refresh", async function () {
      const name = uniqueName("managed");
      const args = credentialsArgs(name, { allowAnyDidAsCli: true, emergencyEnableAll: true });
      const { state } = await up(name, args);
      const trunk = store().getTrunk(state.id)!;
      assert.equal(trunk.allow_any_did_as_cli, true);
      assert.equal(trunk.emergency_enable_all, true);
      assert.equal((await up(name, args, state)).trace.diff?.changes, DIFF_NONE);
      const refreshed = await env.engine.refresh(state);
      assert.ok(refreshed.state);
      assert.equal(refreshed.read.inputs?.didIds, undefined, "managed relationships are not written back as inputs");
      assert.equal(refreshed.read.inputs?.emergencyDidIds, undefined);
      assert.equal((await up(name, args, refreshed.state)).trace.diff?.changes, DIFF_NONE);
    });

    it("auth transitions credentials_and_ip → twilio → credentials_and_ip update in place; credentials become null, then new values", async function () {
      const name = uniqueName("auth");
      const creds1 = credentialsArgs(name);
      const { state: s1 } = await up(name, creds1);
      const first = storedCredentials(store().getTrunk(s1.id)!);
      assert.equal(s1.outputs.username, first.username);

      clearLogs(env);
      const toTwilio = { ...creds1, authenticationMethod: { type: "twilio", twilioAccountSid: TWILIO_SID } };
      const { state: s2, trace: t2 } = await up(name, toTwilio, s1);
      assert.equal(t2.diff?.changes, DIFF_SOME);
      assert.deepEqual(t2.diff?.replaces, [], "credentials_and_ip → twilio is not a replace");
      assert.equal(t2.op, "update");
      assert.equal(s2.id, s1.id);
      assert.deepEqual(store().getTrunk(s1.id)?.authentication_method, { type: "twilio", attributes: { twilio_account_sid: TWILIO_SID } });
      assert.equal(s2.outputs.username, null);
      assert.equal(s2.outputs.password, null);
      assert.deepEqual(s2.outputs.authenticationMethod, { type: "twilio", twilioAccountSid: TWILIO_SID });
      assert.equal((await up(name, toTwilio, s2)).trace.diff?.changes, DIFF_NONE);

      const toCreds = { ...creds1, authenticationMethod: { type: "credentials_and_ip", allowedSipIps: ["198.51.100.0/24", "203.0.113.10"] } };
      const { state: s3, trace: t3 } = await up(name, toCreds, s2);
      assert.deepEqual(t3.diff?.replaces, [], "twilio → credentials_and_ip is not a replace");
      assert.equal(s3.id, s1.id);
      const second = storedCredentials(store().getTrunk(s1.id)!);
      assert.equal(s3.outputs.username, second.username, "the new username is in the outputs");
      assert.equal(s3.outputs.password, second.password, "the new password is in the outputs");
      assert.notEqual(second.password, first.password, "DIDWW generated a new password");
      assert.deepEqual(
        writesServed(env).map((w) => w.split(" ")[0]),
        ["PATCH", "PATCH"],
        "two PATCHes, never a POST or DELETE",
      );
      const settled = await up(name, toCreds, s3);
      assert.equal(settled.trace.diff?.changes, DIFF_NONE);
      // And through a (masking) refresh the new credentials are kept.
      const refreshed = await env.engine.refresh(settled.state);
      assert.equal(refreshed.read.properties.password, second.password);
    });

    it("a change of allowedSipIps and techPrefix (same auth type) updates in place and the credential outputs stay the live ones", async function () {
      const name = uniqueName("sip-ips");
      const args = credentialsArgs(name);
      const { state } = await up(name, args);
      const changed = { ...args, authenticationMethod: { type: "credentials_and_ip", allowedSipIps: ["203.0.113.10", "2001:db8::1"], techPrefix: "99#" } };
      clearLogs(env);
      const { state: after, trace } = await up(name, changed, state);
      assert.equal(trace.diff?.changes, DIFF_SOME);
      assert.deepEqual(trace.diff?.replaces, []);
      assert.deepEqual(writesServed(env), [`PATCH /v3/voice_out_trunks/${state.id} 200`]);
      const live = store().getTrunk(state.id)!;
      assert.deepEqual((live.authentication_method.attributes as { allowed_sip_ips: string[] }).allowed_sip_ips.sort(), ["2001:db8::1/128", "203.0.113.10/32"]);
      const creds = storedCredentials(live);
      assert.equal(after.outputs.username, creds.username, "username output is the live one");
      assert.equal(after.outputs.password, creds.password, "password output is the live one");
      assert.equal((await up(name, changed, after)).trace.diff?.changes, DIFF_NONE);
    });

    it("credentialsRotation regenerates the SIP credentials in place and never keeps the old, void pair", async function () {
      const name = uniqueName("rotate");
      const args = credentialsArgs(name, { credentialsRotation: 1 });
      const { state } = await up(name, args);
      const first = storedCredentials(store().getTrunk(state.id)!);
      clearLogs(env);
      const { state: rotated, trace } = await up(name, { ...args, credentialsRotation: 2 }, state);
      assert.equal(trace.diff?.changes, DIFF_SOME);
      assert.deepEqual(trace.diff?.replaces, []);
      // Regenerate, then a PATCH that changes nothing: DIDWW's GET may mask credentials, its write responses do not.
      assert.deepEqual(writesServed(env), ["POST /v3/voice_out_trunk_regenerate_credentials 201", `PATCH /v3/voice_out_trunks/${state.id} 200`]);
      assert.deepEqual(emptyPatchBodies(env, state.id), [{ data: { id: state.id, type: "voice_out_trunks" } }], "the learning PATCH carries no attribute");
      const second = storedCredentials(store().getTrunk(state.id)!);
      assert.notEqual(second.password, first.password, "DIDWW generated a new pair");
      assert.equal(rotated.outputs.username, second.username, "username output is the new live one");
      assert.equal(rotated.outputs.password, second.password, "password output is the new live one");
      assert.equal(rotated.outputs.credentialsRotation, 2);
      assert.equal((await up(name, { ...args, credentialsRotation: 2 }, rotated)).trace.diff?.changes, DIFF_NONE);
    });
  });

  describe("adoption (the `import` option becomes the importId input)", function () {
    function putLiveTrunk(name: string, extra: Props = {}): string {
      return store().putTrunk({
        name,
        on_cli_mismatch_action: "reject_call",
        authentication_method: { type: "credentials_and_ip", attributes: { allowed_sip_ips: ["203.0.113.10"], tech_prefix: null } },
        dids: [PLAIN_DIDS[2]],
        ...extra,
      }).id;
    }

    it("matching arguments: Check passes at preview, Create returns the existing id without a POST, and dropping importId later changes nothing", async function () {
      const name = uniqueName("adopt-match");
      const id = putLiveTrunk(name, { capacity_limit: 3 });
      const args = credentialsArgs(name, { didIds: [PLAIN_DIDS[2]], capacityLimit: 3, importId: id });
      clearLogs(env);

      const { state, trace } = await up(name, args);
      assert.deepEqual(trace.check.failures, []);
      assert.equal(state.id, id, "create adopts the existing trunk");
      // No POST and no change: only a PATCH without attributes, to learn the credentials the GET masked.
      assert.deepEqual(writesServed(env), [`PATCH /v3/voice_out_trunks/${id} 200`]);
      assert.deepEqual(emptyPatchBodies(env, id), [{ data: { id, type: "voice_out_trunks" } }], "adoption of a matching trunk changes nothing");
      const live = storedCredentials(store().getTrunk(id)!);
      assert.equal(state.outputs.username, live.username);
      assert.equal(state.outputs.password, live.password);
      assert.equal(state.outputs.name, name);
      assert.equal(state.outputs.capacityLimit, 3);
      assert.deepEqual(state.outputs.didIds, [PLAIN_DIDS[2]]);
      assert.equal(store().listTrunks().filter((t) => t.name === name).length, 1);

      assert.equal((await up(name, args, state)).trace.diff?.changes, DIFF_NONE);
      const { importId: _drop, ...withoutImport } = args;
      const dropped = await up(name, withoutImport, state);
      assert.equal(dropped.trace.diff?.changes, DIFF_NONE, "removing the import option afterwards changes nothing");
    });

    it("differing arguments: Check at preview and Create both list every differing property with both values, and nothing is written", async function () {
      const name = uniqueName("adopt-live");
      const id = putLiveTrunk(name, { status: "blocked", capacity_limit: 5, rtp_timeout: 60 });
      const before = store().getTrunk(id);
      const programName = uniqueName("adopt-program");
      const args = twilioArgs(programName, { onCliMismatchAction: "reject_call", capacityLimit: 7, didIds: [PLAIN_DIDS[2]], importId: id });
      const urn = env.engine.urn("adopt-mismatch");
      const news = env.engine.news(args);
      clearLogs(env);

      // Preview: Check reads the trunk and reports the mismatch as failures.
      const check = await env.host.check(urn, {}, news);
      const expected: Record<string, [unknown, unknown]> = {
        name: [name, programName],
        status: ["blocked", "active"],
        capacityLimit: [5, 7],
        rtpTimeout: [60, 30],
        "authenticationMethod.type": ["credentials_and_ip", "twilio"],
      };
      // Failures name the top-level input (the engine prints its value); the reason names the path.
      assert.deepEqual(check.failures.map((f) => f.property).sort(), Object.keys(expected).map((k) => k.split(".")[0]).sort(), JSON.stringify(check.failures));
      for (const f of check.failures) {
        const path = Object.keys(expected).find((k) => k.split(".")[0] === f.property) as string;
        assert.ok(f.reason.includes(path), f.reason);
        const [live, program] = expected[path];
        assert.ok(f.reason.includes(JSON.stringify(live)), `${f.property}: the reason names the live value ${JSON.stringify(live)}: ${f.reason}`);
        assert.ok(f.reason.includes(JSON.stringify(program)), `${f.property}: the reason names the program's value ${JSON.stringify(program)}: ${f.reason}`);
      }

      // Up without preview (the engine does not call Create after failed checks; a program run
      // with --skip-preview still goes through Check first, so Create is driven directly here).
      const failure = await rejects(env.host.create(urn, news));
      for (const [property, [live, program]] of Object.entries(expected)) {
        const line = failure.details.split("\n").find((l) => l.includes(`${property}:`));
        assert.ok(line, `the error names ${property}: ${failure.details}`);
        assert.ok(line.includes(JSON.stringify(live)) && line.includes(JSON.stringify(program)), `both values of ${property}: ${line}`);
      }
      assert.equal(failure.initFailure, undefined, "a refused adoption records no resource");
      // The only write is the attribute-less PATCH that reads the trunk; it changes nothing.
      assert.deepEqual(writesServed(env), [`PATCH /v3/voice_out_trunks/${id} 200`], "a mismatch writes nothing");
      assert.deepEqual(emptyPatchBodies(env, id), [{ data: { id, type: "voice_out_trunks" } }]);
      assert.deepEqual(store().getTrunk(id), before, "the live trunk is untouched");
    });

    it('onImportMismatch: "update" converges the adopted trunk with one PATCH', async function () {
      const name = uniqueName("adopt-update");
      const id = putLiveTrunk(name, { status: "blocked", capacity_limit: 5 });
      const args = credentialsArgs(name, { didIds: [PLAIN_DIDS[2], PLAIN_DIDS[3]], capacityLimit: 8, importId: id, onImportMismatch: "update" });
      clearLogs(env);
      const { state, trace } = await up(name, args);
      assert.deepEqual(trace.check.failures, []);
      assert.equal(state.id, id);
      // One attribute-less PATCH reads the trunk (credentials in full), one PATCH converges it.
      assert.deepEqual(writesServed(env), [`PATCH /v3/voice_out_trunks/${id} 200`, `PATCH /v3/voice_out_trunks/${id} 200`]);
      assert.deepEqual(emptyPatchBodies(env, id), [{ data: { id, type: "voice_out_trunks" } }]);
      const patch = (env.proxy.writes()[1].body as { data: { attributes?: Props; relationships?: Props } }).data;
      assert.deepEqual(Object.keys(patch.attributes ?? {}).sort(), ["capacity_limit", "status"]);
      assert.deepEqual(Object.keys(patch.relationships ?? {}), ["dids"]);
      const trunk = store().getTrunk(id)!;
      assert.equal(trunk.status, "active");
      assert.equal(trunk.capacity_limit, 8);
      assert.deepEqual(sorted(trunk.dids), sorted([PLAIN_DIDS[2], PLAIN_DIDS[3]]));
      assert.equal((await up(name, args, state)).trace.diff?.changes, DIFF_NONE);
    });

    it("an ip_only trunk (set up by DIDWW staff) is adopted and switched to twilio in place", async function () {
      const name = uniqueName("ip-only");
      const id = store().putTrunk({
        name,
        on_cli_mismatch_action: "reject_call",
        authentication_method: { type: "ip_only", attributes: { allowed_sip_ips: ["198.51.100.7"], tech_prefix: null } },
      }).id;
      const args = twilioArgs(name, { onCliMismatchAction: "reject_call", importId: id });

      // Without onImportMismatch the preview explains what differs.
      const check = await env.host.check(env.engine.urn("ip-only-preview"), {}, env.engine.news(args));
      const typeFailure = check.failures.find((f) => f.property === "authenticationMethod");
      assert.ok(typeFailure, JSON.stringify(check.failures));
      assert.ok(typeFailure.reason.includes("authenticationMethod.type") && typeFailure.reason.includes('"ip_only"') && typeFailure.reason.includes('"twilio"'), typeFailure.reason);

      clearLogs(env);
      const { state } = await up(name, { ...args, onImportMismatch: "update" });
      assert.equal(state.id, id);
      assert.deepEqual(writesServed(env), [`PATCH /v3/voice_out_trunks/${id} 200`, `PATCH /v3/voice_out_trunks/${id} 200`]);
      assert.deepEqual(store().getTrunk(id)?.authentication_method, { type: "twilio", attributes: { twilio_account_sid: TWILIO_SID } });
      assert.deepEqual(state.outputs.authenticationMethod, { type: "twilio", twilioAccountSid: TWILIO_SID });
      assert.equal(state.outputs.username, null);
      assert.equal(state.outputs.password, null);
      assert.equal((await up(name, { ...args, onImportMismatch: "update" }, state)).trace.diff?.changes, DIFF_NONE);

      // And on to another account: an ordinary in-place update.
      const next = await up(name, { ...args, onImportMismatch: "update", authenticationMethod: { type: "twilio", twilioAccountSid: TWILIO_SID_2 } }, state);
      assert.deepEqual(next.trace.diff?.replaces, []);
      assert.deepEqual(store().getTrunk(id)?.authentication_method, { type: "twilio", attributes: { twilio_account_sid: TWILIO_SID_2 } });
    });
  });

  describe("get, destroy", function () {
    it("get (OutboundTrunk.get) reads a trunk with nothing but __provider", async function () {
      const name = uniqueName("get");
      const id = store().putTrunk({
        name,
        on_cli_mismatch_action: "replace_cli",
        status: "blocked",
        authentication_method: { type: "twilio", attributes: { twilio_account_sid: TWILIO_SID } },
        emergency_dids: [EMERGENCY_DIDS[2]],
      }).id;
      clearLogs(env);
      const got = await env.engine.get("looked-up", id);
      assert.equal(got.read.id, id);
      assert.ok(got.state);
      const props = got.read.properties;
      assert.equal(props[PROVIDER_KEY], env.providerText);
      assert.equal(props.name, name);
      assert.equal(props.status, "blocked");
      assert.equal(props.onCliMismatchAction, "replace_cli");
      assert.deepEqual(props.emergencyDidIds, [EMERGENCY_DIDS[2]]);
      assert.deepEqual(props.authenticationMethod, { type: "twilio", twilioAccountSid: TWILIO_SID });
      assert.deepEqual(writesServed(env), []);

      const missing = await env.engine.get("missing", "00000000-0000-4000-8000-000000000000");
      assert.equal(missing.read.id, "", "get of an unknown id answers with an empty id");
    });

    it("destroy deletes the trunk in the emulator", async function () {
      const name = uniqueName("destroy");
      const { state } = await up(name, credentialsArgs(name, { emergencyDidIds: [EMERGENCY_DIDS[0]] }));
      clearLogs(env);
      await env.engine.destroy(state);
      assert.equal(store().getTrunk(state.id), undefined);
      assert.deepEqual(writesServed(env), [`DELETE /v3/voice_out_trunks/${state.id} 204`]);
    });
  });

  describe("check and preview", function () {
    it("reports bad inputs by property name without any HTTP request", async function () {
      const bad = {
        name: "",
        onCliMismatchAction: "hang_up",
        authenticationMethod: { type: "twilio", twilioAccountSid: "AC123" },
        didIds: ["not-a-uuid"],
        rtpTimeout: 5,
        callbackUrl: "ftp://example.com/x",
        status: "paused",
      };
      clearLogs(env);
      const check = await env.host.check(env.engine.urn("bad"), {}, env.engine.news(bad));
      const properties = check.failures.map((f) => f.property).sort();
      assert.deepEqual(
        properties,
        ["authenticationMethod", "callbackUrl", "didIds", "name", "onCliMismatchAction", "rtpTimeout", "status"],
        JSON.stringify(check.failures),
      );
      for (const f of check.failures) assert.ok(f.reason.length > 10, `${f.property} has a reason: ${f.reason}`);

      const missing = await env.host.check(env.engine.urn("empty"), {}, env.engine.news({}));
      assert.deepEqual(missing.failures.map((f) => f.property).sort(), ["authenticationMethod", "name", "onCliMismatchAction"]);

      // Create refuses the same inputs before any request, should it ever be reached.
      const failure = await rejects(env.host.create(env.engine.urn("bad"), env.engine.news(bad)));
      for (const p of properties) assert.ok(failure.details.includes(p), `create's error names ${p}: ${failure.details}`);
      assert.deepEqual(served(env), [], "no HTTP request was made");
      assert.deepEqual(env.proxy.log, []);
    });

    it("preview with unknowns: Check passes without failures and Diff reports changes, with no HTTP request", async function () {
      const name = uniqueName("preview");
      const args = credentialsArgs(name, { didIds: [PLAIN_DIDS[0]] });
      const { state } = await up(name, args);
      clearLogs(env);

      const withUnknowns = env.engine.news({
        ...args,
        name: UNKNOWN,
        didIds: [UNKNOWN, PLAIN_DIDS[0]],
        rtpTimeout: UNKNOWN,
        authenticationMethod: { type: "credentials_and_ip", allowedSipIps: [UNKNOWN] },
        callbackUrl: UNKNOWN,
      });
      const check = await env.host.check(state.urn, state.inputs, withUnknowns);
      assert.deepEqual(check.failures, []);
      const diff = await env.host.diff(state.id, state.urn, state.outputs, check.inputs, state.inputs);
      assert.equal(diff.changes, DIFF_SOME, "unknown values count as changes");
      assert.deepEqual(diff.replaces, []);

      // Whole values unknown (an Output<string[]> or Output<object> not resolved yet).
      const wholeUnknown = env.engine.news({ ...args, didIds: UNKNOWN, authenticationMethod: UNKNOWN, emergencyEnableAll: UNKNOWN, allowAnyDidAsCli: UNKNOWN });
      const check2 = await env.host.check(state.urn, state.inputs, wholeUnknown);
      assert.deepEqual(check2.failures, []);
      assert.equal((await env.host.diff(state.id, state.urn, state.outputs, check2.inputs, state.inputs)).changes, DIFF_SOME);

      // A new resource at preview: Check only (Create is not called at preview for dynamic providers).
      const fresh = await env.host.check(env.engine.urn("preview-new"), {}, env.engine.news({ ...args, name: UNKNOWN, importId: UNKNOWN }));
      assert.deepEqual(fresh.failures, []);
      assert.deepEqual(served(env), [], "preview with unknowns makes no HTTP request");
    });
  });

  describe("a fresh host process", function () {
    it("answers Configure with acceptSecrets=false and serves parallel first calls (the engine's default parallelism) with the config applied", async function () {
      const host = await ProviderHost.start();
      try {
        host.forbid(env.apiKey);
        const configured = await host.configure(stackConfig(env.apiKey, env.proxy.url));
        assert.deepEqual(configured, { acceptSecrets: false, supportsPreview: false });
        const engine = new Engine(host, env.engine.provider, env.engine.type, env.engine.additionalSecretOutputs);
        const names = Array.from({ length: 6 }, (_, i) => uniqueName(`parallel-${i}`));
        // The provider's configure() runs lazily inside the first RPC; concurrent first RPCs must all see it.
        const states = await Promise.all(names.map((n, i) => engine.up(n, i % 2 ? twilioArgs(n) : credentialsArgs(n)).then((r) => r.state)));
        for (const [i, s] of states.entries()) assert.equal(store().getTrunk(s.id)?.name, names[i]);
        await Promise.all(states.map((s) => engine.destroy(s)));
        for (const s of states) assert.equal(store().getTrunk(s.id), undefined);
      } finally {
        await host.close();
      }
    });
  });

  describe("failures reach the engine without secrets", function () {
    it("a DIDWW validation error (unknown DID) fails Create with DIDWW's words and no API key", async function () {
      const name = uniqueName("unknown-did");
      const args = credentialsArgs(name, { didIds: ["00000000-0000-4000-8000-00000000beef"] });
      const check = await env.host.check(env.engine.urn("unknown-did"), {}, env.engine.news(args));
      assert.deepEqual(check.failures, []);
      const failure = await rejects(env.host.create(env.engine.urn("unknown-did"), check.inputs));
      assert.match(failure.details, /DIDWW API POST \/v3\/voice_out_trunks\?include=dids,emergency_dids failed \(HTTP 4\d\d\)/);
      assert.ok(failure.details.includes("didIds"), `the error points at didIds: ${failure.details}`);
      assert.equal(store().listTrunks().filter((t) => t.name === name).length, 0);
    });

    it("a wrong API key fails with DIDWW's 401 and the key appears nowhere in the host's answers", async function () {
      const wrongKey = newApiKey("contract-wrong-key");
      const host = await ProviderHost.start();
      try {
        host.forbid(wrongKey);
        host.forbid(env.apiKey);
        await host.configure(stackConfig(wrongKey, env.proxy.url));
        const urn = env.engine.urn("wrong-key");
        const failure = await rejects(host.create(urn, env.engine.news(twilioArgs(uniqueName("wrong-key")))));
        assert.match(failure.details, /HTTP 401/);
        const readFailure = await rejects(host.read("00000000-0000-4000-8000-000000000001", urn, { [PROVIDER_KEY]: env.engine.provider, name: "x" }, undefined));
        assert.match(readFailure.details, /401/);
        assert.deepEqual(host.leaks(host.stdout + host.stderr), [], "the host's logs do not contain the key");
      } finally {
        await host.close();
      }
    });

    it("an unreachable API fails Read with a network error that names no API key", async function () {
      const host = await ProviderHost.start();
      try {
        host.forbid(env.apiKey);
        // Port 9 (discard): nothing listens there, so every attempt is refused.
        await host.configure(stackConfig(env.apiKey, "http://127.0.0.1:9/v3"));
        const failure = await rejects(host.read("00000000-0000-4000-8000-000000000002", env.engine.urn("unreachable"), { [PROVIDER_KEY]: env.engine.provider, name: "x" }, undefined));
        assert.match(failure.details, /DIDWW API GET .* failed/);
        assert.deepEqual(host.leaks(host.stdout + host.stderr), []);
      } finally {
        await host.close();
      }
    });

    for (const withDids of [false, true]) {
      it(`a POST whose response is lost is reconciled into the one trunk it created (${withDids ? "with didIds and emergencyDidIds" : "no DIDs"})`, async function () {
        const name = uniqueName(withDids ? "lost-post-dids" : "lost-post");
        const args = withDids ? twilioArgs(name, { didIds: [PLAIN_DIDS[3]], emergencyDidIds: [EMERGENCY_DIDS[3]] }) : twilioArgs(name);
        const urn = env.engine.urn(withDids ? "lost-post-dids" : "lost-post");
        const check = await env.host.check(urn, {}, env.engine.news(args));
        // The trunk is committed, then the connection is cut before the answer.
        env.emulator.faults.add({ kind: "lostResponse", match: { method: "POST", path: "/v3/voice_out_trunks" }, times: 1 });
        clearLogs(env);
        let created: Awaited<ReturnType<ProviderHost["create"]>> | undefined;
        let error: unknown;
        try {
          created = await env.host.create(urn, check.inputs);
        } catch (err) {
          error = err;
        } finally {
          env.emulator.faults.clear();
        }
        const trunks = store().listTrunks().filter((t) => t.name === name);
        for (const t of trunks) store().deleteTrunk(t.id);
        assert.equal(trunks.length, 1, `one trunk, not a duplicate (requests: ${served(env).join(", ")}; create: ${error ? String(error) : created?.id})`);
        assert.equal(error, undefined, `create succeeded: ${String(error)}`);
        assert.equal(created?.id, trunks[0].id, "create answers with the id of the trunk the lost POST created");
      });
    }

    it("a trunk created but not readable back is reported as a partial create with its id, and that state can be destroyed", async function () {
      const name = uniqueName("partial");
      const urn = env.engine.urn("partial");
      const args = credentialsArgs(name);
      const check = await env.host.check(urn, {}, env.engine.news(args));
      // The POST commits but its answer is lost; the trunk is found again in the list (credentials
      // masked there), and every PATCH that would learn the credentials fails with 503.
      env.emulator.faults.add({ kind: "lostResponse", match: { method: "POST", path: "/v3/voice_out_trunks" }, times: 1 });
      env.emulator.faults.add({ kind: "status", status: 503, match: { method: "PATCH", path: /\/voice_out_trunks\/[0-9a-f-]{36}/ }, times: 50 });
      let failure: HostError;
      try {
        failure = await rejects(env.host.create(urn, check.inputs));
      } finally {
        env.emulator.faults.clear();
      }
      const created = store().listTrunks().find((t) => t.name === name);
      assert.ok(created, "the POST created the trunk");
      assert.ok(failure.initFailure, `the host sent ErrorResourceInitFailed: ${failure.details}`);
      assert.equal(failure.initFailure.id, created.id, "the engine learns the id of the trunk that exists");
      assert.equal(failure.initFailure.properties.name, name);

      // The engine records the resource with outputs = the error's properties and inputs = the
      // checked inputs; refresh and destroy then run from that state.
      const recorded: ResourceState = {
        urn,
        id: failure.initFailure.id,
        inputs: check.inputs,
        outputs: failure.initFailure.properties,
        secretOutputs: [...env.engine.additionalSecretOutputs],
      };
      const problems: string[] = [];
      try {
        const refreshed = await env.engine.refresh(recorded);
        if (refreshed.read.id !== created.id) problems.push(`refresh answered id "${refreshed.read.id}"`);
      } catch (err) {
        problems.push(`refresh: ${(err as Error).message}`);
      }
      try {
        await env.engine.destroy(recorded);
        if (store().getTrunk(created.id)) problems.push("destroy left the trunk in place");
      } catch (err) {
        problems.push(`destroy: ${(err as Error).message}`);
        store().deleteTrunk(created.id);
      }
      assert.deepEqual(
        problems,
        [],
        "the partial-create properties carry no __provider, so the host cannot load the provider for Read/Delete of the recorded state " +
          `(properties keys: ${Object.keys(failure.initFailure.properties).join(", ")})`,
      );
    });
  });

  describe("secrets and JSON", function () {
    it("no host answer and no host log line contained the API key; every answer was plain JSON", async function () {
      // A lifecycle of its own (success and failure paths), so this test stands alone under --grep.
      const name = uniqueName("scan");
      const { state } = await up(name, credentialsArgs(name));
      const { state: updated } = await up(name, credentialsArgs(name, { capacityLimit: 2 }), state);
      await env.engine.refresh(updated);
      await env.engine.destroy(updated);
      await rejects(env.host.create(env.engine.urn("scan-bad"), env.engine.news({ name: "x" })));

      const rpcs = new Set(env.host.transcript.map((t) => t.rpc));
      for (const rpc of ["configure", "check", "diff", "create", "read", "update", "delete"]) assert.ok(rpcs.has(rpc), `the suite exercised ${rpc}`);
      assert.ok(env.host.transcript.some((t) => !t.ok), "errors were scanned too");
      for (const entry of env.host.transcript) {
        assert.deepEqual(env.host.leaks(entry.text), [], `${entry.rpc} answer contains the API key`);
      }
      assert.deepEqual(env.host.leaks(env.host.stdout), [], "host stdout contains the API key");
      assert.deepEqual(env.host.leaks(env.host.stderr), [], "host stderr contains the API key");
      console.log(`      (${env.host.transcript.length} host answers scanned: ${[...rpcs].join(", ")})`);
    });
  });
});
