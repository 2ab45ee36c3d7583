/**
 * Nothing is lost under faults, for the Twilio resources. `twilio.Trunk`: creates (with recording and associations),
 * updates and deletes run against an emulated Twilio that drops connections, loses responses
 * after committing writes, commits and then answers 5xx, and answers 429/5xx at random (seeded).
 * A failed operation is re-run the way a user re-runs `pulumi up`. Invariants: no duplicate and
 * no orphan trunk, every update converges, and destroy leaves nothing. Then the same for credential
 * lists (with their credentials), IP lists (with their addresses) and origination URLs, with
 * faults on both Twilio hosts.
 */
import { strict as assert } from "node:assert";
import { DEFAULT_TWILIO_ACCOUNT, DEFAULT_TWILIO_NUMBER_SIDS, startEmulator, type EmulatorHandle } from "../../emulator";
import type { FaultRule } from "../../emulator/faults";
import { setStackConfig } from "../../provider/common/config";
import { credentialListRuntime } from "../../provider/twilio/credential-list-crud";
import { ipAccessControlListRuntime } from "../../provider/twilio/ip-access-control-list-crud";
import { originationUrlRuntime } from "../../provider/twilio/origination-url-crud";
import { trunkRuntime } from "../../provider/twilio/trunk-crud";
import { diffTrunk, type TrunkIn } from "../../provider/twilio/trunk-mapping";

const TRUNKS = 24;
const PROBABILITY = 0.05; // per fault kind; seven kinds
const SPELLINGS = ["Office, London", 'PBX "main"', "50% off", "Zürich – Nord", "plain"];
const nameOf = (i: number) => `chaos-${i} ${SPELLINGS[i % SPELLINGS.length]}`;

describe("chaos: faults never orphan or duplicate a Twilio trunk", function () {
  this.timeout(180_000);
  let emu: EmulatorHandle;
  let lists: string[] = [];

  before(async () => {
    const match = { path: "/twilio-trunking/" };
    emu = await startEmulator({
      port: 0,
      randomSeed: Number(process.env.SIP_TRUNKS_CHAOS_SEED ?? 20261202),
      faults: [
        { kind: "lostResponse", match, probability: PROBABILITY },
        { kind: "drop", match, probability: PROBABILITY },
        { kind: "status", status: 500, match, probability: PROBABILITY },
        { kind: "status", status: 503, match, probability: PROBABILITY },
        { kind: "status", status: 429, match, probability: PROBABILITY },
        { kind: "statusAfterCommit", status: 500, match, probability: PROBABILITY },
        { kind: "statusAfterCommit", status: 502, match, probability: PROBABILITY },
      ],
    });
    const a = DEFAULT_TWILIO_ACCOUNT;
    setStackConfig((k) => ({ "twilio:accountSid": a.accountSid, "twilio:authToken": a.authToken, "twilio:trunkingUrl": emu.twilioTrunkingUrl, "twilio:apiUrl": emu.twilioApiUrl })[k]);
    lists = [0, 1].map((i) => emu.store.twilio.put("credential_lists", { friendly_name: `chaos cl ${i}` } as never).sid);
  });
  after(async () => {
    setStackConfig(undefined);
    await emu.close();
  });

  async function rerun<T>(tries: number, op: () => Promise<T>, onError: (e: unknown) => boolean = () => false): Promise<T | undefined> {
    for (let i = 0; i < tries; i++) {
      try {
        return await op();
      } catch (e) {
        if (onError(e)) return undefined;
      }
    }
    return undefined;
  }

  /** Half the trunks have a domain name (unique across Twilio), half only a friendly name. */
  const inputsOf = (i: number, version = 0): TrunkIn => ({
    friendlyName: nameOf(i),
    ...(i % 2 ? { domainName: `chaos-${i}.pstn.twilio.com` } : {}),
    recording: { mode: version ? "record-from-answer" : "record-from-ringing" },
    credentialListSids: [lists[(i + version) % 2]],
    ...(i < DEFAULT_TWILIO_NUMBER_SIDS.length ? { phoneNumberSids: [DEFAULT_TWILIO_NUMBER_SIDS[i]] } : {}),
    transferMode: version ? "enable-all" : "disable-all",
  });

  it(`${TRUNKS} trunks through create, update and destroy`, async () => {
    const state = new Map<string, { id: string; outs: Record<string, unknown> }>();
    const failures: string[] = [];
    await Promise.all(
      Array.from({ length: TRUNKS }, async (_, i) => {
        const name = nameOf(i);
        const inputs = (await trunkRuntime.check({}, inputsOf(i))).inputs;
        const created = await rerun(4, () => trunkRuntime.create({ ...inputs }), (e) => {
          const partial = e as { id?: string; properties?: Record<string, unknown> };
          failures.push(`create ${name}: ${(e as Error).message.split("\n")[0]}`);
          if (partial.id) state.set(name, { id: partial.id, outs: partial.properties ?? {} });
          return partial.id !== undefined;
        });
        if (created) state.set(name, { id: created.id, outs: created.outs as Record<string, unknown> });
      }),
    );
    const faults = emu.faults.get();
    emu.faults.clear();
    const live = emu.store.twilio.listTrunks(DEFAULT_TWILIO_ACCOUNT.accountSid);
    for (let i = 0; i < TRUNKS; i++) {
      const name = nameOf(i);
      const copies = live.filter((t) => t.friendly_name === name);
      assert.ok(copies.length <= 1, `duplicate trunks for ${name}: ${copies.map((t) => t.sid).join(", ")}\n${failures.join("\n")}`);
      if (copies.length) assert.equal(state.get(name)?.id, copies[0].sid, `orphan: ${name} exists as ${copies[0].sid} but the state has ${state.get(name)?.id}`);
    }
    assert.ok(state.size >= TRUNKS - 2, `most creates should succeed within four runs (${state.size}/${TRUNKS}); failures: ${failures.join("; ")}`);
    console.log(`      ${failures.length} failed attempts were re-run; ${state.size}/${TRUNKS} trunks created, ${live.length} in Twilio`);

    // Updates (attributes, recording, a list swapped) under faults converge, like re-run `up`s.
    emu.faults.set(faults);
    for (const [name, s] of state) {
      const i = Number(name.split(" ")[0].split("-")[1]);
      const next = (await trunkRuntime.check({}, inputsOf(i, 1))).inputs;
      const res = await rerun(6, async () => {
        const read = await trunkRuntime.read(s.id, s.outs);
        return trunkRuntime.update(s.id, read.props as Record<string, unknown>, next);
      });
      assert.ok(res, `update of ${name} converged within six runs`);
      assert.deepEqual(diffTrunk(res.outs, next), []);
      s.outs = res.outs as Record<string, unknown>;
    }
    emu.faults.clear();
    for (const [name, s] of state) {
      const i = Number(name.split(" ")[0].split("-")[1]);
      assert.deepEqual(emu.store.twilio.trunkLinks(s.id).credential_lists, [lists[(i + 1) % 2]], `${name}: the list was swapped`);
      assert.equal(emu.store.twilio.getTrunk(s.id)?.recording.mode, "record-from-answer");
    }
    emu.faults.set(faults);
    for (const s of state.values()) await rerun(4, () => trunkRuntime.delete(s.id));
    const stats = { ...emu.faults.stats };
    emu.faults.clear();
    console.log(`      faults injected: ${JSON.stringify(stats)}`);
    assert.deepEqual(emu.store.twilio.listTrunks(DEFAULT_TWILIO_ACCOUNT.accountSid).map((t) => t.friendly_name), [], "destroy left trunks behind");
  });
});

describe("chaos: faults never orphan or duplicate a Twilio list, entry or origination URL", function () {
  this.timeout(180_000);
  let emu: EmulatorHandle;
  let trunkSid = "";
  const LISTS = 8;

  before(async () => {
    // Faults everywhere under both hosts: lists live on the v2010 API, origination URLs on Trunking.
    const kinds: FaultRule[] = [
      { kind: "lostResponse" },
      { kind: "drop" },
      { kind: "status", status: 500 },
      { kind: "status", status: 429 },
      { kind: "statusAfterCommit", status: 502 },
    ];
    emu = await startEmulator({ port: 0, randomSeed: Number(process.env.SIP_TRUNKS_CHAOS_SEED ?? 20261203) });
    const a = DEFAULT_TWILIO_ACCOUNT;
    setStackConfig((k) => ({ "twilio:accountSid": a.accountSid, "twilio:authToken": a.authToken, "twilio:trunkingUrl": emu.twilioTrunkingUrl, "twilio:apiUrl": emu.twilioApiUrl })[k]);
    trunkSid = emu.store.twilio.put("trunks", { friendly_name: "chaos children" } as never).sid;
    emu.faults.set(kinds.flatMap((k) => ["/twilio-trunking/", "/twilio-api/"].map((path): FaultRule => ({ ...k, match: { path }, probability: 0.05 }))));
  });
  after(async () => {
    setStackConfig(undefined);
    await emu.close();
  });

  async function rerun<T>(op: () => Promise<T>, onPartial: (e: { id?: string; properties?: Record<string, unknown> }) => void): Promise<T | undefined> {
    for (let i = 0; i < 6; i++) {
      try {
        return await op();
      } catch (e) {
        const partial = e as { id?: string; properties?: Record<string, unknown> };
        if (partial.id) {
          onPartial(partial);
          return undefined;
        }
      }
    }
    return undefined;
  }

  it(`${LISTS} credential lists, ${LISTS} IP lists and ${LISTS} origination URLs: created, changed and destroyed under faults`, async () => {
    type Entry = { id: string; outs: Record<string, unknown> };
    const state = new Map<string, { rt: typeof credentialListRuntime | typeof ipAccessControlListRuntime | typeof originationUrlRuntime; entry?: Entry; args: (v: number) => Record<string, unknown> }>();
    for (let i = 0; i < LISTS; i++) {
      state.set(`cl-${i}`, { rt: credentialListRuntime, args: (v) => ({ friendlyName: `chaos cl ${i}`, credentials: [{ username: `u${i}`, password: `ChaosPassw0rd${i}v${v}` }, { username: `w${i}`, password: `ChaosPassw0rdW${i}` }] }) });
      state.set(`al-${i}`, { rt: ipAccessControlListRuntime, args: (v) => ({ friendlyName: `chaos al ${i}`, ipAddresses: [{ ipAddress: `10.${i}.0.1` }, { ipAddress: `10.${i}.${v}.2` }] }) });
      state.set(`ou-${i}`, { rt: originationUrlRuntime, args: (v) => ({ trunkSid, friendlyName: `chaos ou ${i}`, sipUrl: `sip:pbx${i}.example.com`, priority: v }) });
    }
    type AnyRuntime = { check(o: object, n: object): Promise<{ inputs: Record<string, unknown> }>; create(i: object): Promise<Entry>; read(id: string, p: object): Promise<{ props: object }>; update(id: string, o: object, n: object): Promise<{ outs: object }>; delete(id: string, p?: object): Promise<void> };
    await Promise.all(
      [...state.values()].map(async (s) => {
        const rt = s.rt as unknown as AnyRuntime;
        const inputs = (await rt.check({}, s.args(0))).inputs;
        const created = await rerun(() => rt.create({ ...inputs }), (p) => (s.entry = { id: p.id as string, outs: p.properties ?? {} }));
        if (created) s.entry = created;
      }),
    );
    const faults = emu.faults.get();
    emu.faults.clear();
    const audit = () => {
      const byName = (c: "credential_lists" | "ip_access_control_lists" | "origination_urls") => emu.store.twilio.list(c).map((r) => String((r as { friendly_name?: unknown }).friendly_name));
      const names = [...byName("credential_lists"), ...byName("ip_access_control_lists"), ...byName("origination_urls")];
      const dupes = names.filter((n, i) => names.indexOf(n) !== i);
      assert.deepEqual(dupes, [], "no duplicate list or URL");
      for (const [key, s] of state) {
        const [kind, i] = key.split("-");
        const name = `chaos ${kind} ${i}`;
        if (names.includes(name)) assert.ok(s.entry, `orphan: ${name} exists but the state has nothing`);
      }
      const entries = emu.store.twilio.list("credentials").map((c) => `${c.credential_list_sid}/${c.username}`);
      assert.equal(new Set(entries).size, entries.length, "no duplicate credential in a list");
    };
    audit();
    const created = [...state.values()].filter((s) => s.entry).length;
    assert.ok(created >= state.size - 2, `most creates succeed within six runs (${created}/${state.size})`);

    emu.faults.set(faults);
    for (const s of state.values()) {
      if (!s.entry) continue;
      const rt = s.rt as unknown as AnyRuntime;
      const entry = s.entry;
      const next = (await rt.check({}, s.args(1))).inputs;
      const res = await rerun(async () => rt.update(entry.id, (await rt.read(entry.id, entry.outs)).props, next), (p) => (entry.outs = p.properties ?? entry.outs));
      if (res) entry.outs = res.outs as Record<string, unknown>;
    }
    emu.faults.clear();
    audit();
    emu.faults.set(faults);
    for (const s of state.values()) if (s.entry) await rerun(() => (s.rt as unknown as AnyRuntime).delete(s.entry!.id, s.entry!.outs), () => undefined);
    const stats = { ...emu.faults.stats };
    emu.faults.clear();
    console.log(`      faults injected in the last phase: ${JSON.stringify(stats)}; ${created}/${state.size} created`);
    assert.ok(Object.values(stats).reduce((a, b) => a + b, 0) > 0, "faults were injected");
    for (const c of ["credential_lists", "credentials", "ip_access_control_lists", "ip_addresses", "origination_urls"] as const) {
      assert.deepEqual(emu.store.twilio.list(c).map((r) => (r as { sid: string }).sid), [], `destroy left ${c} behind`);
    }
  });
});
