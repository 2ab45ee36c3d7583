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

  it("a normal create: no search, no call besides the create; its answer is kept until the engine ends the process normally, then forgotten", async () => {
    const r = run({ found: [] });
    assert.deepEqual(await r.promise, { result: { id: "new" }, reconciled: false });
    assert.deepEqual(r.calls, ["attempt"]);
    const [file] = fs.readdirSync(dir);
    assert.equal(JSON.parse(fs.readFileSync(path.join(dir, file), "utf8")).done, true);
    assert.deepEqual(journal.lost(key), [], "this process and its engine live: not lost");
    journal.settle();
    assert.deepEqual(fs.readdirSync(dir), []);
  });

  it("a definite refusal leaves nothing; an outcome still unknown after the retries stays, to be looked for later", async () => {
    const refused = createWithReconcile<Trunk>({
      resource: "didww.OutboundTrunk", label: "PBX", noun: "trunk", journal,
      attempt: async () => { throw new Error("422"); },
      find: async () => [],
      idOf: (t) => t.id,
    });
    await assert.rejects(refused, /422/);
    assert.deepEqual(fs.readdirSync(dir), []);
    const unknown = run({ found: [], outcome: { ambiguous: new Error("502") } });
    await assert.rejects(unknown.promise, /502/);
    assert.deepEqual(unknown.calls, ["attempt", "find", "attempt", "find"]);
    journal.settle();
    assert.equal(fs.readdirSync(dir).length, 1, "kept through a normal end: nobody knows whether it was created");
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
    const left = fs.readdirSync(dir);
    assert.equal(left.length, 1);
    assert.ok(left[0].includes(`.${process.pid}.`), "only the new create's own entry is left");
  });

  it("more matching trunks than lost creates: stops, listing them, rather than guess", async () => {
    leftBehind(1_000);
    await assert.rejects(run({ found: [{ id: "a" }, { id: "b" }] }).promise, /an earlier run was stopped while creating "PBX", and 2 matching trunks exist: a, b\. Delete the extra ones/);
  });

  it("creates in flight in live processes (a parallel run) are not lost", () => {
    fs.writeFileSync(path.join(dir, `${key}.${process.ppid}.1.json`), JSON.stringify({ pid: process.ppid, startedAt: 1 }));
    assert.deepEqual(journal.lost(key), []);
  });

  it("a create finished after its engine died stays journaled (nobody recorded it), marked so; with the engine alive it is removed at the normal end", () => {
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
    journal.settle();
    assert.ok(kept && !fs.existsSync(kept));
  });

  it("an answered create a killed run left is forgotten once the engine asks about its id (it was recorded after all)", () => {
    fs.writeFileSync(path.join(dir, `${key}.${deadPid()}.1.json`), JSON.stringify({ pid: deadPid(), startedAt: 1, done: true, id: "trunk-1" }));
    fs.writeFileSync(path.join(dir, `${key}.${deadPid()}.2.json`), JSON.stringify({ pid: deadPid(), startedAt: 2, done: true, id: "trunk-2" }));
    assert.equal(journal.lost(key).length, 2);
    journal.confirm(key, "trunk-1");
    assert.deepEqual(journal.lost(key).map((e) => e.startedAt), [2]);
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
    assert.deepEqual(Object.keys(JSON.parse(fs.readFileSync(file, "utf8"))).sort(), ["engine", "pid", "startedAt"]);
    assert.ok(!fs.readFileSync(file, "utf8").includes("PBX"));
  });
});

describe("create journal: how the engine ends a provider process decides what is kept", function () {
  this.timeout(30_000);
  /** A child that journals one answered create, prints "ready", then waits to be ended. */
  async function child(dir: string, signal: NodeJS.Signals): Promise<string[]> {
    const { spawn } = await import("node:child_process");
    const script = `
      const { CreateJournal } = require(${JSON.stringify(path.join(__dirname, "..", "..", "provider", "common", "create-journal"))});
      const j = CreateJournal.open({ SIP_TRUNKS_CREATE_JOURNAL: ${JSON.stringify(dir)} });
      j.end(j.begin(CreateJournal.key("r", "l"), 1));
      console.log("ready");
      setInterval(() => {}, 1000);
    `;
    const p = spawn(process.execPath, ["-r", "ts-node/register/transpile-only", "-e", script], { stdio: ["ignore", "pipe", "inherit"], cwd: path.join(__dirname, "..", "..") });
    await new Promise<void>((resolve) => p.stdout.once("data", () => resolve()));
    const exited = new Promise((resolve) => p.once("exit", resolve));
    p.kill(signal);
    await exited;
    return fs.readdirSync(dir);
  }

  it("SIGINT (the engine's normal end, after it recorded every outcome): the answered create is forgotten", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "journal-int-"));
    try {
      assert.deepEqual(await child(dir, "SIGINT"), []);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it("SIGKILL (a killed run): the answered create stays, and another process sees it as lost", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "journal-kill-"));
    try {
      assert.equal((await child(dir, "SIGKILL")).length, 1);
      const j = CreateJournal.open({ SIP_TRUNKS_CREATE_JOURNAL: dir }) as CreateJournal;
      assert.equal(j.lost(CreateJournal.key("r", "l")).length, 1);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
