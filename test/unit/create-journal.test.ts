/**
 * The journal of creates: a create whose outcome never reached an engine (its process or its
 * engine died) is adopted by the next create of the same resource, found by the vendor's own
 * reconciliation search; a normal create leaves nothing behind and costs no call.
 */
import { strict as assert } from "node:assert";
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { CreateJournal } from "../../provider/common/create-journal";
import { createWithReconcile, type CreateOutcome } from "../../provider/common/runtime";

/** A pid that no longer runs. */
function deadPid(): number {
  const r = spawnSync(process.execPath, ["-e", ""]);
  return r.pid as number;
}

interface Trunk {
  id: string;
}

describe("create journal: a create lost with its process is adopted, not repeated", () => {
  let dir: string;
  let journal: CreateJournal;
  const env = () => ({ SIP_TRUNKS_CREATE_JOURNAL: dir });
  const key = CreateJournal.key("didww.OutboundTrunk", "PBX");

  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "journal-"));
    journal = CreateJournal.open(env()) as CreateJournal;
    assert.ok(journal);
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  /** A journal file as a dead process left it. */
  const leftBehind = (startedAt: number, extra: Record<string, unknown> = {}) =>
    fs.writeFileSync(path.join(dir, `${key}.${deadPid()}.1.json`), JSON.stringify({ pid: deadPid(), startedAt, ...extra }));

  function run(opts: { found: Trunk[]; outcome?: CreateOutcome<Trunk> }) {
    const calls: string[] = [];
    const finds: number[] = [];
    const promise = createWithReconcile<Trunk>({
      resource: "didww.OutboundTrunk",
      label: "PBX",
      noun: "trunk",
      journal,
      attempt: async () => {
        calls.push("attempt");
        assert.equal(fs.readdirSync(dir).filter((n) => n.includes(`.${process.pid}.`)).length, 1, "the create is journaled while it is in flight");
        return opts.outcome ?? { done: { id: "new" } };
      },
      find: async (since) => {
        calls.push("find");
        finds.push(since);
        return opts.found;
      },
      idOf: (t) => t.id,
    });
    return { promise, calls, finds };
  }

  it("a normal create: no search, no call besides the create, and nothing left in the journal", async () => {
    const r = run({ found: [] });
    assert.deepEqual(await r.promise, { result: { id: "new" }, reconciled: false });
    assert.deepEqual(r.calls, ["attempt"]);
    assert.deepEqual(fs.readdirSync(dir), []);
  });

  it("a create left by a dead process: the search runs from its start time and its trunk is adopted without a POST", async () => {
    leftBehind(1_000);
    const r = run({ found: [{ id: "orphan" }] });
    assert.deepEqual(await r.promise, { result: { id: "orphan" }, reconciled: true });
    assert.deepEqual(r.calls, ["find"]);
    assert.deepEqual(r.finds, [1_000]);
    assert.deepEqual(fs.readdirSync(dir), [], "the lost create is forgotten once adopted");
  });

  it("two lost creates of one name are two trunks: the second create adopts the other one", async () => {
    leftBehind(1_000);
    leftBehind(2_000);
    const first = run({ found: [{ id: "a" }, { id: "b" }] });
    assert.equal((await first.promise).result.id, "a");
    const second = run({ found: [{ id: "a" }, { id: "b" }] });
    assert.equal((await second.promise).result.id, "b");
    assert.deepEqual(second.calls, ["find"]);
  });

  it("a lost create that made nothing: forgotten, then the create is sent", async () => {
    leftBehind(1_000);
    const r = run({ found: [] });
    assert.equal((await r.promise).result.id, "new");
    assert.deepEqual(r.calls, ["find", "attempt"]);
    assert.deepEqual(fs.readdirSync(dir), []);
  });

  it("more matching trunks than lost creates: stops, listing them, rather than guess", async () => {
    leftBehind(1_000);
    await assert.rejects(run({ found: [{ id: "a" }, { id: "b" }] }).promise, /an earlier run was stopped while creating "PBX", and 2 matching trunks exist: a, b\. Delete the extra ones/);
  });

  it("creates in flight in live processes (a parallel run) are not lost", () => {
    fs.writeFileSync(path.join(dir, `${key}.${process.ppid}.1.json`), JSON.stringify({ pid: process.ppid, startedAt: 1 }));
    assert.deepEqual(journal.lost(key), []);
  });

  it("a create finished after its engine died stays journaled (nobody recorded it), marked so; with the engine alive it is removed", () => {
    const orphaned = CreateJournal.open(env(), deadPid()) as CreateJournal;
    const file = orphaned.begin(key, 5);
    orphaned.end(file);
    assert.ok(file && fs.existsSync(file));
    assert.equal(JSON.parse(fs.readFileSync(file, "utf8")).engineGone, true);
    // Seen from another process (here: the same entry as a process that has since exited would have left it), it is lost.
    const asLeft = { ...JSON.parse(fs.readFileSync(file, "utf8")), pid: deadPid() };
    fs.rmSync(file);
    fs.writeFileSync(path.join(dir, `${key}.${asLeft.pid}.9.json`), JSON.stringify(asLeft));
    assert.deepEqual(journal.lost(key).map((e) => [e.startedAt, e.engineGone]), [[5, true]]);
    const kept = journal.begin(key, 6);
    journal.end(kept);
    assert.ok(kept && !fs.existsSync(kept));
  });

  it("off with SIP_TRUNKS_CREATE_JOURNAL=0; unusable directories turn it off instead of failing", () => {
    assert.equal(CreateJournal.open({ SIP_TRUNKS_CREATE_JOURNAL: "0" }), undefined);
    const file = path.join(dir, "a-file");
    fs.writeFileSync(file, "");
    assert.equal(CreateJournal.open({ SIP_TRUNKS_CREATE_JOURNAL: path.join(file, "below") }), undefined);
  });

  it("journal files hold process ids and times only, under a digest of resource and name", () => {
    const file = journal.begin(key, 7) as string;
    assert.match(path.basename(file), /^[0-9a-f]{32}\.\d+\.\d+\.json$/);
    assert.deepEqual(Object.keys(JSON.parse(fs.readFileSync(file, "utf8"))).sort(), ["pid", "startedAt"]);
    assert.ok(!fs.readFileSync(file, "utf8").includes("PBX"));
  });
});
