/**
 * The data file's journal (emulator/durable.ts): replay, a torn last record, a crash at every step
 * of an append and of a compaction (through the `durableTestHooks` seam), files of the plain-JSON
 * format, corrupt journals.
 */
import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { DataFileError, startEmulator } from "../../emulator";
import { JOURNAL_TUNING, durableTestHooks, type DurableStep } from "../../emulator/durable";
import { AUTH, api, createTrunk, patchDoc, start, stopAll, trunkDoc } from "./helpers";

let dir: string;
const file = () => path.join(dir, "state.json");
const journal = () => `${file()}.journal`;
const tuning = { ...JOURNAL_TUNING };

/** The journal's records (header excluded), torn tail included as the last element if any. */
const journalRecords = () => fs.readFileSync(journal(), "utf8").split("\n").slice(1);

describe("data file journal", function () {
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "sip-emu-journal-"));
    // Journal from the first write (the default rewrites snapshots below 64 KiB), compaction often.
    JOURNAL_TUNING.snapshotBelowBytes = 0;
    JOURNAL_TUNING.compactFactor = 2;
  });
  afterEach(async () => {
    durableTestHooks.beforeStep = undefined;
    Object.assign(JOURNAL_TUNING, tuning);
    await stopAll();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it("appends one record per group commit, leaves the snapshot alone, and replays it after a crash", async function () {
    const emu = await start({ dataFile: file() });
    const snapshotBefore = fs.readFileSync(file(), "utf8");
    const a = await createTrunk(emu, { name: "a" });
    const burst = await Promise.all(Array.from({ length: 8 }, (_, i) => createTrunk(emu, { name: `burst-${i}` })));
    await api(emu, "PATCH", `/v3/voice_out_trunks/${a.id}`, { body: patchDoc(a.id, { capacity_limit: 7 }) });
    await api(emu, "DELETE", `/v3/voice_out_trunks/${burst[3].id}`);
    assert.equal(fs.readFileSync(file(), "utf8"), snapshotBefore, "writes go to the journal, not the snapshot");
    const records = journalRecords();
    assert.equal(records.pop(), "", "every record ends with a newline");
    assert.ok(records.length >= 4 && records.length < 11, `concurrent writes share records (${records.length} records for 11 writes)`);
    const expected = emu.store.didww.listTrunks();

    await crash();
    const again = await start({ dataFile: file() });
    assert.equal(again.startedFrom, "dataFile");
    assert.deepEqual(again.store.didww.listTrunks(), expected, "same trunks, values and order");
    assert.equal(again.store.didww.getTrunk(a.id)!.capacity_limit, 7);
    assert.equal(JSON.parse(fs.readFileSync(file(), "utf8")).didww.trunks.length, expected.length, "the replay was folded into a new snapshot");
  });

  it("ignores a torn last record (an append cut short by the crash) and keeps every record before it", async function () {
    const emu = await start({ dataFile: file() });
    const kept = [await createTrunk(emu, { name: "one" }), await createTrunk(emu, { name: "two" })];
    const expected = emu.store.didww.listTrunks();
    await crash();
    const full = JSON.stringify([["didww", "trunks", "6a1b2c3d-0000-4000-8000-000000000000", { ...expected[0], id: "6a1b2c3d-0000-4000-8000-000000000000", name: "torn" }]]);
    const crashed = [fs.readFileSync(file()), fs.readFileSync(journal())];
    for (const torn of [full.slice(0, 40), full.slice(0, -1), full, "\u0000\u0000\u0000\u0000", `${full.slice(0, 30)}\n`]) {
      // The same crash each time (a restart folds the journal into the snapshot), with another kind of tear.
      fs.writeFileSync(file(), crashed[0]);
      fs.writeFileSync(journal(), Buffer.concat([crashed[1], Buffer.from(torn)]));
      const again = await startEmulator({ port: 0, dataFile: file() });
      try {
        assert.deepEqual(again.store.didww.listTrunks(), expected, `torn tail ${JSON.stringify(torn.slice(0, 20))}`);
        assert.deepEqual(kept.map((t) => Boolean(again.store.didww.getTrunk(t.id))), [true, true]);
      } finally {
        await again.close();
      }
    }
  });

  it("refuses a journal broken before its last record, with a DataFileError naming it, and touches neither file", async function () {
    const emu = await start({ dataFile: file() });
    await createTrunk(emu, { name: "one" });
    await createTrunk(emu, { name: "two" });
    await crash();
    const lines = fs.readFileSync(journal(), "utf8").split("\n");
    lines[1] = lines[1].slice(0, 25); // a broken record followed by a good one
    fs.writeFileSync(journal(), lines.join("\n"));
    const before = [fs.readFileSync(file(), "utf8"), fs.readFileSync(journal(), "utf8")];
    await assert.rejects(startEmulator({ port: 0, dataFile: file() }), (e: unknown) => {
      assert.ok(e instanceof DataFileError, String(e));
      assert.match((e as Error).message, /journal .*state\.json\.journal of data file .*state\.json is corrupt \(record 1: .*\); refusing to start so it is not overwritten/);
      return true;
    });
    assert.deepEqual([fs.readFileSync(file(), "utf8"), fs.readFileSync(journal(), "utf8")], before);
    assert.equal(fs.existsSync(`${file()}.lock`), false, "the lock was released");

    fs.writeFileSync(journal(), `${lines[0]}\n[["didww","nope","x",{}]]\n[]\n`);
    await assert.rejects(startEmulator({ port: 0, dataFile: file() }), /does not apply \(change 0: unknown collection didww\.nope\)/);
  });

  it("loads a plain-JSON data file of the earlier format (no journal), and ignores a journal that does not extend it", async function () {
    const old = {
      format: "sip-trunks-emulator/v1",
      savedAt: "2026-01-01T00:00:00.000Z",
      didww: { trunks: [], dids: [{ id: "11111111-2222-4333-8444-555555555555", number: "15550001111", emergency_enabled: true }] },
      twilio: { trunks: [], origination_urls: [], trunk_credential_lists: [], trunk_ip_access_control_lists: [], credential_lists: [], credentials: [], ip_access_control_lists: [], ip_addresses: [], phone_numbers: [] },
    };
    fs.writeFileSync(file(), `${JSON.stringify(old, null, 2)}\n`);
    let emu = await start({ dataFile: file() });
    assert.equal(emu.startedFrom, "dataFile");
    assert.deepEqual(emu.store.didww.listDids().map((d) => d.number), ["15550001111"]);
    const t = await createTrunk(emu, { name: "after upgrade" });
    await emu.close();
    assert.deepEqual(JSON.parse(fs.readFileSync(file(), "utf8")).didww.trunks.map((x: { id: string }) => x.id), [t.id], "a clean close leaves a complete snapshot");

    // A journal of another snapshot (e.g. the file was restored from a backup) is not replayed.
    fs.writeFileSync(journal(), `{"format":"sip-trunks-emulator/journal-v1","base":"0000"}\n[["didww","trunks","x",{"id":"x"}]]\n`);
    fs.writeFileSync(file(), `${JSON.stringify(old, null, 2)}\n`);
    emu = await start({ dataFile: file() });
    assert.deepEqual(emu.store.didww.listTrunks(), []);
  });

  describe("a crash at every step of a write", function () {
    const steps: DurableStep[] = [
      "journal:new:open",
      "journal:new:write",
      "journal:new:fsync",
      "journal:new:rename",
      "journal:new:dirsync",
      "journal:append:write",
      "journal:append:fsync",
      "snapshot:open",
      "snapshot:write",
      "snapshot:fsync",
      "snapshot:rename",
      "snapshot:dirsync",
    ];
    for (const step of steps) {
      it(`before ${step}: every acknowledged create, patch and delete survives, in order`, async function () {
        JOURNAL_TUNING.compactFactor = 0.5; // a compaction every few writes
        let emu = await start({ dataFile: file() });
        const acked: Array<(m: Map<string, number | null>) => void> = [];
        let inFlight: ((m: Map<string, number | null>) => void) | undefined;
        let seen = 0;
        let crashed = false;
        // Crash at the third time the step comes (the first may be part of start-up's own writes).
        durableTestHooks.beforeStep = (s) => {
          if (s === step && ++seen === 3) throw new Error("kill -9");
        };
        const ids: string[] = [];
        for (let i = 0; i < 60 && !crashed; i++) {
          let res;
          if (i % 5 === 4 && ids.length > 2) {
            const id = ids.splice(1, 1)[0];
            inFlight = (m) => void m.delete(id);
            res = await api(emu, "DELETE", `/v3/voice_out_trunks/${id}`);
          } else if (i % 3 === 2) {
            const id = ids[0];
            inFlight = (m) => void m.set(id, i);
            res = await api(emu, "PATCH", `/v3/voice_out_trunks/${id}`, { body: patchDoc(id, { capacity_limit: i }) });
          } else {
            res = await api(emu, "POST", "/v3/voice_out_trunks", {
              body: trunkDoc({ name: `n${i}`, on_cli_mismatch_action: "send_original_cli", authentication_method: AUTH.credentials }),
            });
            const id = res.status === 201 ? res.body.data.id : emu.store.didww.listTrunks().at(-1)!.id; // the one that crashed is in memory
            ids.push(id);
            inFlight = (m) => void m.set(id, null);
          }
          if (res.status >= 500) crashed = true;
          else acked.push(inFlight);
        }
        assert.ok(crashed, `the crash before ${step} happened`);
        const apply = (ops: Array<(m: Map<string, number | null>) => void>) => {
          const m = new Map<string, number | null>();
          for (const op of ops) op(m);
          return [...m.entries()];
        };
        const withoutLast = apply(acked);
        const withLast = apply([...acked, inFlight!]);
        await emu.close(); // the crashed writer writes nothing more and leaves its lock behind
        assert.ok(fs.existsSync(`${file()}.lock`));
        durableTestHooks.beforeStep = undefined;

        emu = await start({ dataFile: file() });
        const got = emu.store.didww.listTrunks().map((t) => [t.id, t.capacity_limit] as [string, number | null]);
        assert.ok(
          JSON.stringify(got) === JSON.stringify(withoutLast) || JSON.stringify(got) === JSON.stringify(withLast),
          `restart after a crash before ${step}:\n got      ${JSON.stringify(got)}\n expected ${JSON.stringify(withoutLast)}`,
        );
        // And the emulator goes on from there.
        await createTrunk(emu, { name: "after" });
      });
    }
  });
});

/** Simulates kill -9 of the running emulators: their close writes nothing (no compaction) and leaves the lock file. */
async function crash(): Promise<void> {
  durableTestHooks.beforeStep = () => {
    throw new Error("kill -9");
  };
  try {
    await stopAll();
  } finally {
    durableTestHooks.beforeStep = undefined;
  }
}
