/**
 * Durability: restart on the data file, kill -9 of a child process mid-traffic, corrupt and
 * unreadable files, the lock, write failures; and concurrency (no lost updates).
 */
import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { DataFileError, DEFAULT_BOLNA_API_KEY, DEFAULT_TWILIO_ACCOUNT, startEmulator } from "../../emulator";
import { INTERNAL_SERVER_ERROR } from "../../emulator/didww/messages";
import { AUTH, api, createTrunk, patchDoc, start, stopAll, trunkDoc } from "./helpers";
import { startCli } from "./cli-process";

let dir: string;
const file = () => path.join(dir, "state.json");

describe("DIDWW durability and concurrency", function () {
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "sip-emu-"));
  });
  afterEach(async () => {
    await stopAll();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  describe("data file", function () {
    it("is created from the seed at start, then every API and out-of-band change survives a restart", async function () {
      let emu = await start({ dataFile: file() });
      assert.equal(emu.startedFrom, "seed");
      assert.equal(JSON.parse(fs.readFileSync(file(), "utf8")).format, "sip-trunks-emulator/v1");
      const a = await createTrunk(emu, { name: "kept", capacity_limit: 3 });
      const b = await createTrunk(emu, { name: "deleted" });
      const c = await createTrunk(emu, { name: "rotated" });
      await api(emu, "PATCH", `/v3/voice_out_trunks/${a.id}`, { body: patchDoc(a.id, { status: "blocked", allowed_rtp_ips: ["10.1.1.1"] }) });
      await api(emu, "DELETE", `/v3/voice_out_trunks/${b.id}`);
      await api(emu, "POST", "/v3/voice_out_trunk_regenerate_credentials", {
        body: { data: { type: "voice_out_trunk_regenerate_credentials", relationships: { voice_out_trunk: { data: { type: "voice_out_trunks", id: c.id } } } } },
      });
      emu.store.didww.updateTrunk(c.id, { threshold_reached: true });
      emu.store.didww.addDid({ id: "11111111-2222-4333-8444-555555555555", number: "15550001111", emergency_enabled: true });
      const before = { trunks: emu.store.didww.listTrunks(), dids: emu.store.didww.listDids() };
      await emu.close();

      emu = await start({ dataFile: file() });
      assert.equal(emu.startedFrom, "dataFile");
      assert.deepEqual({ trunks: emu.store.didww.listTrunks(), dids: emu.store.didww.listDids() }, before);
      const shown = await api(emu, "GET", `/v3/voice_out_trunks/${a.id}`);
      assert.equal(shown.body.data.attributes.status, "blocked");
      assert.deepEqual(shown.body.data.attributes.allowed_rtp_ips, ["10.1.1.1/32"]);
    });

    it("an existing data file wins over the seed; reset() goes back to the seed, durably", async function () {
      const seed = { voice_out_trunks: [{ id: "5eed0000-0000-4000-8000-000000000001", name: "from seed", on_cli_mismatch_action: "send_original_cli", authentication_method: AUTH.twilio }] };
      let emu = await start({ dataFile: file(), seed });
      await createTrunk(emu, { name: "added" });
      await emu.close();
      emu = await start({ dataFile: file(), seed });
      assert.deepEqual(emu.store.didww.listTrunks().map((t) => t.name), ["from seed", "added"]);
      emu.store.didww.reset();
      await emu.store.flush();
      await emu.close();
      emu = await start({ dataFile: file() });
      assert.deepEqual(emu.store.didww.listTrunks().map((t) => t.name), ["from seed"]);
    });

    const refusals: Array<[string, () => void, RegExp]> = [
      ["not JSON (a torn or hand-broken file)", () => fs.writeFileSync(file(), '{"format": "sip-trunks-emulator/v1", "didww": {'), /is not valid JSON/],
      ["empty", () => fs.writeFileSync(file(), ""), /is not valid JSON/],
      ["JSON of another shape", () => fs.writeFileSync(file(), JSON.stringify({ trunks: [] })), /is not an emulator state file/],
      [
        "a trunk with a wrong type",
        () => fs.writeFileSync(file(), JSON.stringify({ format: "sip-trunks-emulator/v1", didww: { dids: [], trunks: [{ id: "x", name: 5 }] } })),
        /is not an emulator state file/,
      ],
      ["unreadable (a directory)", () => fs.mkdirSync(file()), /cannot read data file .*EISDIR/],
    ];
    for (const [name, prepare, message] of refusals) {
      it(`refuses to start when the file is ${name}, and leaves it untouched`, async function () {
        prepare();
        const before = fs.statSync(file()).isDirectory() ? "dir" : fs.readFileSync(file(), "utf8");
        await assert.rejects(startEmulator({ port: 0, dataFile: file() }), (e: unknown) => {
          assert.ok(e instanceof DataFileError, String(e));
          assert.match((e as Error).message, message);
          assert.ok((e as Error).message.includes(file()), "the message names the file");
          return true;
        });
        assert.equal(fs.statSync(file()).isDirectory() ? "dir" : fs.readFileSync(file(), "utf8"), before);
        assert.equal(fs.existsSync(`${file()}.lock`), false, "the lock was released");
      });
    }

    it("refuses a missing directory", async function () {
      await assert.rejects(startEmulator({ port: 0, dataFile: path.join(dir, "nope", "state.json") }), DataFileError);
    });

    it("one emulator per data file: a second is refused while the first runs; a stale lock is taken over", async function () {
      const first = await start({ dataFile: file() });
      await assert.rejects(startEmulator({ port: 0, dataFile: file() }), /in use by process/);
      await first.close();
      fs.writeFileSync(`${file()}.lock`, "999999999"); // no such process
      const second = await start({ dataFile: file() });
      assert.equal(second.startedFrom, "dataFile");
    });

    it("a start-up refused for a bad fault configuration leaves the data file unlocked", async function () {
      await assert.rejects(startEmulator({ port: 0, dataFile: file(), faults: [{ kind: "explode" } as never] }), /unknown fault kind/);
      const emu = await start({ dataFile: file() });
      assert.ok(emu.dataFile);
    });

    it("a write that cannot be made durable is a 500, never an acknowledgement", async function () {
      const emu = await start({ dataFile: file() });
      fs.rmSync(dir, { recursive: true, force: true });
      const res = await api(emu, "POST", "/v3/voice_out_trunks", { body: trunkDoc({ name: "x", on_cli_mismatch_action: "send_original_cli", authentication_method: AUTH.twilio }) });
      assert.equal(res.status, 500);
      assert.deepEqual(res.body, { errors: [INTERNAL_SERVER_ERROR] });
      fs.mkdirSync(dir);
    });
  });

  describe("kill -9", function () {
    this.timeout(60_000);

    it("every acknowledged write of a CLI process survives SIGKILL in the middle of traffic", async function () {
      const cli = await startCli(["--port", "0", "--data", file()]);
      const emu = { url: cli.url };
      const t = await createTrunk(emu, { name: "patched later" });
      const patched = await api(emu, "PATCH", `/v3/voice_out_trunks/${t.id}`, { body: patchDoc(t.id, { capacity_limit: 42, dst_prefixes: ["44"] }) });
      assert.equal(patched.status, 200);

      // 40 creates in flight; SIGKILL as soon as 15 are acknowledged.
      const acknowledged: string[] = [];
      let killed = false;
      await Promise.allSettled(
        Array.from({ length: 40 }, (_, i) =>
          api(emu, "POST", "/v3/voice_out_trunks", {
            body: trunkDoc({ name: `burst-${i}`, on_cli_mismatch_action: "send_original_cli", authentication_method: AUTH.credentials }),
          }).then((res) => {
            if (res.status === 201) acknowledged.push(res.body.data.id);
            if (acknowledged.length >= 15 && !killed) {
              killed = true;
              cli.child.kill("SIGKILL");
            }
          }),
        ),
      );
      const exit = await cli.exited;
      assert.equal(exit.signal, "SIGKILL");
      assert.ok(acknowledged.length >= 15);

      const restarted = await start({ dataFile: file() });
      assert.equal(restarted.startedFrom, "dataFile");
      const stored = new Set(restarted.store.didww.listTrunks().map((x) => x.id));
      for (const id of acknowledged) assert.ok(stored.has(id), `acknowledged trunk ${id} survived`);
      const again = restarted.store.didww.getTrunk(t.id)!;
      assert.equal(again.capacity_limit, 42);
      assert.deepEqual(again.dst_prefixes, ["44"]);
      assert.ok(stored.size <= 41, "nothing was invented");
    });
  });

  describe("kill -9 with the journal", function () {
    this.timeout(60_000);

    it("a CLI process on a large state journals and compacts under load; SIGKILL loses no acknowledged create, patch or delete of any vendor", async function () {
      // A state above the journal threshold (64 KiB), so the child appends instead of rewriting the snapshot.
      let emu = await start({ dataFile: file() });
      for (let i = 0; i < 90; i++) emu.store.didww.putTrunk({ name: `pre-${i}`, on_cli_mismatch_action: "send_original_cli", authentication_method: AUTH.credentials, dst_prefixes: ["44"] });
      emu.store.bolna.putTrunk({ name: "pre", provider: "zadarma", auth_type: "userpass", auth_username: "u", auth_password: "p", gateways: [{ gateway_address: "sip.example.com" }] });
      await emu.store.flush();
      await emu.close();
      const populated = fs.readFileSync(file(), "utf8");
      assert.ok(populated.length > 64 * 1024, `state of ${populated.length} bytes`);

      const cli = await startCli(["--port", "0", "--data", file()]);
      const target = { url: cli.url };
      const created = new Set<string>();
      const deleted = new Set<string>();
      const patched = new Map<string, number>();
      const others: Array<["twilio" | "bolna", string]> = [];
      let acked = 0;
      let killed = false;
      const ack = () => {
        if (++acked >= 450 && !killed) {
          killed = true;
          cli.child.kill("SIGKILL");
        }
      };
      const tw = `Basic ${Buffer.from(`${DEFAULT_TWILIO_ACCOUNT.accountSid}:${DEFAULT_TWILIO_ACCOUNT.authToken}`).toString("base64")}`;
      await Promise.allSettled(
        Array.from({ length: 16 }, async (_, w) => {
          const mine: string[] = [];
          for (let k = 0; k < 60 && !killed; k++) {
            if (k % 5 === 4) {
              const r = await fetch(`${cli.url}/twilio-trunking/v1/Trunks`, { method: "POST", headers: { Authorization: tw, "Content-Type": "application/x-www-form-urlencoded" }, body: `FriendlyName=w${w}k${k}` });
              if (r.status === 201) others.push(["twilio", ((await r.json()) as { sid: string }).sid]), ack();
            } else if (k % 7 === 6) {
              const r = await fetch(`${cli.url}/bolna/sip-trunks/trunks`, {
                method: "POST",
                headers: { Authorization: `Bearer ${DEFAULT_BOLNA_API_KEY}`, "Content-Type": "application/json" },
                body: JSON.stringify({ name: `w${w}k${k}`, provider: "zadarma", auth_type: "userpass", auth_username: "u", auth_password: "p", gateways: [{ gateway_address: "sip.example.com" }] }),
              });
              if (r.status === 201) others.push(["bolna", ((await r.json()) as { id: string }).id]), ack();
            } else if (k % 4 === 3 && mine.length > 1) {
              const id = mine.shift()!;
              const r = await api(target, "DELETE", `/v3/voice_out_trunks/${id}`);
              if (r.status === 204) deleted.add(id), ack();
            } else if (k % 3 === 2 && mine.length > 0) {
              const id = mine.pop()!; // patched once, then left alone
              const r = await api(target, "PATCH", `/v3/voice_out_trunks/${id}`, { body: patchDoc(id, { capacity_limit: 1000 + k }) });
              if (r.status === 200) patched.set(id, 1000 + k), ack();
            } else {
              const r = await api(target, "POST", "/v3/voice_out_trunks", {
                body: trunkDoc({ name: `w${w}-${k}`, on_cli_mismatch_action: "send_original_cli", authentication_method: AUTH.credentials, dst_prefixes: ["1", "44"] }),
              });
              if (r.status === 201) created.add(r.body.data.id), mine.push(r.body.data.id), ack();
            }
          }
        }),
      );
      assert.ok(killed, `killed after ${acked} acknowledged writes`);
      assert.equal((await cli.exited).signal, "SIGKILL");
      assert.ok(fs.existsSync(`${file()}.journal`), "the child wrote a journal");
      assert.notEqual(fs.readFileSync(file(), "utf8"), populated, "and compacted it into the snapshot at least once");

      const restarted = await start({ dataFile: file() });
      const didww = restarted.store.didww;
      for (const id of created) if (!deleted.has(id)) assert.ok(didww.getTrunk(id), `acknowledged create ${id} survived`);
      for (const id of deleted) assert.equal(didww.getTrunk(id), undefined, `acknowledged delete ${id} survived`);
      for (const [id, capacity] of patched) assert.equal(didww.getTrunk(id)?.capacity_limit, capacity, `acknowledged patch of ${id} survived`);
      for (const [vendor, id] of others) assert.ok(vendor === "twilio" ? restarted.store.twilio.getTrunk(id) : restarted.store.bolna.getTrunk(id), `acknowledged ${vendor} create ${id} survived`);
      assert.ok(didww.listTrunks().length <= 90 + created.size - deleted.size + 16, "nothing was invented");
    });
  });

  describe("concurrency", function () {
    it("two concurrent PATCHes to different attributes of one trunk both stick", async function () {
      const emu = await start();
      const t = await createTrunk(emu);
      const [a, b] = await Promise.all([
        api(emu, "PATCH", `/v3/voice_out_trunks/${t.id}`, { body: patchDoc(t.id, { capacity_limit: 11 }) }),
        api(emu, "PATCH", `/v3/voice_out_trunks/${t.id}`, { body: patchDoc(t.id, { status: "blocked" }) }),
      ]);
      assert.deepEqual([a.status, b.status], [200, 200]);
      const shown = (await api(emu, "GET", `/v3/voice_out_trunks/${t.id}`)).body.data.attributes;
      assert.equal(shown.capacity_limit, 11);
      assert.equal(shown.status, "blocked");
    });

    it("many concurrent PATCHes across attributes and trunks, with a data file: none lost, all durable", async function () {
      let emu = await start({ dataFile: file() });
      const trunks = await Promise.all(Array.from({ length: 5 }, (_, i) => createTrunk(emu, { name: `c${i}` })));
      const patches = trunks.flatMap((t, i) => [
        { id: t.id, attrs: { capacity_limit: 100 + i } },
        { id: t.id, attrs: { rtp_timeout: 60 + i } },
        { id: t.id, attrs: { external_reference_id: `ext-${i}` } },
        { id: t.id, attrs: { dst_prefixes: [String(i)] } },
        { id: t.id, attrs: { media_encryption_mode: "srtp_sdes" } },
        { id: t.id, attrs: { callback_url: `https://example.com/${i}` } },
      ]);
      const results = await Promise.all(patches.map((p) => api(emu, "PATCH", `/v3/voice_out_trunks/${p.id}`, { body: patchDoc(p.id, p.attrs) })));
      assert.ok(results.every((r) => r.status === 200));
      await emu.close();
      emu = await start({ dataFile: file() });
      trunks.forEach((t, i) => {
        const s = emu.store.didww.getTrunk(t.id)!;
        assert.deepEqual(
          [s.capacity_limit, s.rtp_timeout, s.external_reference_id, s.dst_prefixes, s.media_encryption_mode, s.callback_url],
          [100 + i, 60 + i, `ext-${i}`, [String(i)], "srtp_sdes", `https://example.com/${i}`],
        );
      });
    });

    it("an out-of-band edit and an API PATCH at the same time both stick", async function () {
      const emu = await start();
      const t = await createTrunk(emu);
      const patch = api(emu, "PATCH", `/v3/voice_out_trunks/${t.id}`, { body: patchDoc(t.id, { rtp_ping: true }) });
      emu.store.didww.updateTrunk(t.id, { force_symmetric_rtp: true });
      assert.equal((await patch).status, 200);
      const s = emu.store.didww.getTrunk(t.id)!;
      assert.deepEqual([s.rtp_ping, s.force_symmetric_rtp], [true, true]);
    });
  });
});
