/**
 * The emulator's secondary indexes (emulator/store-kit.ts `MapIndex`): uniqueness checks and a
 * trunk's links are looked up in O(1) instead of scanning every record on every write, and the
 * index must never disagree with a scan of the map, through sets, replacements, deletes, clears,
 * and a store's reload from its data (load() replaces the maps).
 */
import { strict as assert } from "node:assert";
import { ChangeLog, TrackedMap } from "../../emulator/store-kit";
import { TwilioStore } from "../../emulator/twilio/store";
import { BolnaStore } from "../../emulator/bolna/store";
import { emptyTwilioState } from "../../emulator/twilio/model";
import { emptyBolnaState } from "../../emulator/bolna/model";

type Rec = { name?: string; group: string };

function scan(map: Map<string, Rec>, by: (r: Rec) => string | undefined, value: string): string[] {
  return [...map].filter(([, r]) => by(r) === value).map(([k]) => k);
}

describe("emulator store indexes", () => {
  it("a MapIndex agrees with a scan of its map through sets, replacements, deletes and a clear", () => {
    const map = TrackedMap.of<Rec>(new ChangeLog(), "things", [["a", { group: "x" }], ["b", { group: "y" }]]);
    const by = (r: Rec) => r.group;
    const index = map.index("group", by);
    const check = () => {
      for (const g of ["x", "y", "z"]) assert.deepEqual([...index.keys(g)].sort(), scan(map, by, g).sort(), `group ${g}`);
    };
    check(); // filled from the entries the map held
    map.set("c", { group: "x" });
    map.set("a", { group: "z" }); // moves to another group
    map.set("b", { group: "y" }); // replaced, same group
    check();
    assert.deepEqual([...index.keys("y")], ["b"], "a replacement in the same group is not counted twice");
    map.delete("c");
    map.delete("missing");
    check();
    map.clear();
    check();
    assert.equal(index.keys("z").size, 0);
  });

  it("a record without a value is not indexed; keys of a value keep the order they entered it", () => {
    const map = TrackedMap.of<Rec>(new ChangeLog(), "things");
    const index = map.index("name", (r) => r.name);
    map.set("1", { group: "g" });
    map.set("2", { name: "n", group: "g" });
    map.set("3", { name: "n", group: "g" });
    assert.deepEqual([...index.keys("n")], ["2", "3"]);
    map.set("2", { group: "g" }); // loses its name
    assert.deepEqual([...index.keys("n")], ["3"]);
  });

  it("Twilio: domain names (without case) and trunk counts follow writes and a reload from the data", () => {
    const store = new TwilioStore(emptyTwilioState());
    const a = store.put("trunks", { domain_name: "Shared.pstn.twilio.com" } as never);
    assert.deepEqual([...store._trunkSidsByDomain("shared.PSTN.twilio.com")], [a.sid]);
    const account = a.account_sid;
    assert.equal(store._trunkCount(account), 1);
    store.put("trunks", { sid: a.sid, domain_name: "other.pstn.twilio.com" } as never);
    assert.equal(store._trunkSidsByDomain("shared.pstn.twilio.com").size, 0, "a renamed domain is free");
    const b = store.put("trunks", { domain_name: "shared.pstn.twilio.com" } as never);
    store.load(store.snapshot()); // as a restart on the data file does
    assert.deepEqual([...store._trunkSidsByDomain("SHARED.pstn.twilio.com")], [b.sid], "indexes of the reloaded maps");
    assert.equal(store._trunkCount(account), 2);
    store.delete(b.sid);
    assert.equal(store._trunkSidsByDomain("shared.pstn.twilio.com").size, 0);
    assert.equal(store._trunkCount(account), 1);
  });

  it("Bolna: names, numbers compared without '+', and a trunk's numbers in creation order follow writes and a reload", () => {
    const store = new BolnaStore(emptyBolnaState());
    const trunk = (name: string) =>
      store.putTrunk({ name, provider: "custom", auth_type: "userpass", auth_username: "u", auth_password: "p", gateways: [{ gateway_address: "sip.example.com" }] });
    const t1 = trunk("one");
    const t2 = trunk("two");
    const n1 = store.addNumber(t1.id, { phone_number: "+14155550100" });
    const n2 = store.addNumber(t2.id, { phone_number: "14155550100" });
    const n3 = store.addNumber(t1.id, { phone_number: "+14155550101" });
    assert.deepEqual([...store._trunkIdsNamed("one")], [t1.id]);
    assert.deepEqual(store._numbersEqualTo("14155550100").map((n) => n.id), [n1.id, n2.id]);
    assert.deepEqual(store._numbers(t1.id).map((n) => n.id), [n1.id, n3.id]);
    store.load(store.snapshot());
    assert.deepEqual(store._numbers(t1.id).map((n) => n.id), [n1.id, n3.id], "after a reload");
    store.deleteNumber(n1.id);
    assert.deepEqual(store._numbersEqualTo("+14155550100").map((n) => n.id), [n2.id]);
    store.deleteTrunk(t2.id);
    assert.equal(store._trunkIdsNamed("two").size, 0);
    assert.deepEqual(store._numbersEqualTo("+14155550100"), [], "a trunk's numbers go with it");
    assert.deepEqual(store._numbers(t1.id).map((n) => n.id), [n3.id]);
  });
});
