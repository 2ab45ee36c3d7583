/**
 * GET /v3/voice_out_trunks: every filter, sort, include, sparse fieldset and page case, table-driven.
 */
import * as assert from "node:assert/strict";
import { DEFAULT_DID_IDS, type EmulatorHandle } from "../../emulator";
import { api, start, stopAll } from "./helpers";

const [E1, E2] = DEFAULT_DID_IDS.emergency;
const [P1] = DEFAULT_DID_IDS.plain;

/** Five trunks with distinct values for every filterable/sortable attribute. */
const TRUNKS = [
  { name: "Alpha", on_cli_mismatch_action: "send_original_cli", status: "active", allow_any_did_as_cli: true, threshold_reached: false, default_dst_action: "allow_all", media_encryption_mode: "disabled", emergency_enable_all: false, external_reference_id: "ref-1", created_at: "2026-01-01T00:00:00.000Z", authentication_method: { type: "credentials_and_ip", attributes: { allowed_sip_ips: ["10.0.0.1"] } }, emergency_dids: [E1] },
  { name: "bravo", on_cli_mismatch_action: "reject_call", status: "blocked", allow_any_did_as_cli: false, threshold_reached: true, default_dst_action: "reject_all", media_encryption_mode: "srtp_sdes", emergency_enable_all: true, external_reference_id: null, created_at: "2026-01-03T00:00:00.000Z", authentication_method: { type: "twilio", attributes: { twilio_account_sid: `AC${"1".repeat(32)}` } }, dids: [P1] },
  { name: "Charlie trunk", on_cli_mismatch_action: "replace_cli", status: "active", allow_any_did_as_cli: false, threshold_reached: false, default_dst_action: "allow_all", media_encryption_mode: "zrtp", emergency_enable_all: false, external_reference_id: "ref-3", created_at: "2026-01-02T00:00:00.000Z", authentication_method: { type: "ip_only", attributes: { allowed_sip_ips: ["10.0.0.3"] } }, emergency_dids: [E1, E2], dids: [P1] },
  { name: "delta TRUNK", on_cli_mismatch_action: "send_original_cli", status: "active", allow_any_did_as_cli: true, threshold_reached: true, default_dst_action: "allow_all", media_encryption_mode: "disabled", emergency_enable_all: false, external_reference_id: "ref-2", created_at: "2026-01-05T00:00:00.000Z", authentication_method: { type: "credentials_and_ip", attributes: { allowed_sip_ips: ["10.0.0.4"] } } },
  { name: "Echo", on_cli_mismatch_action: "randomize_cli", status: "blocked", allow_any_did_as_cli: false, threshold_reached: false, default_dst_action: "reject_all", media_encryption_mode: "srtp_dtls", emergency_enable_all: true, external_reference_id: null, created_at: "2026-01-04T00:00:00.000Z", authentication_method: { type: "twilio", attributes: { twilio_account_sid: `AC${"2".repeat(32)}` } } },
];

async function seeded(options = {}): Promise<{ emu: EmulatorHandle; ids: Record<string, string> }> {
  const emu = await start(options);
  const ids: Record<string, string> = {};
  for (const t of TRUNKS) ids[t.name] = emu.store.didww.putTrunk(t).id;
  return { emu, ids };
}

const names = (res: any) => res.body.data.map((t: any) => t.attributes.name);

describe("DIDWW lists", function () {
  afterEach(stopAll);

  describe("filters (comma = any value, several filters = all)", function () {
    const cases: Array<[string, string[] | ((ids: Record<string, string>) => [string, string[]])]> = [
      ["filter[name]=Alpha", ["Alpha"]],
      ["filter[name]=Alpha,Echo", ["Alpha", "Echo"]],
      ["filter[name]=alpha", []],
      ["filter[name_contains]=trunk", ["Charlie trunk", "delta TRUNK"]],
      ["filter[name_contains]=ALP,ech", ["Alpha", "Echo"]],
      ["filter[name_contains]=", ["Alpha", "bravo", "Charlie trunk", "delta TRUNK", "Echo"]],
      ["filter[on_cli_mismatch_action]=send_original_cli", ["Alpha", "delta TRUNK"]],
      ["filter[on_cli_mismatch_action]=reject_call,randomize_cli", ["bravo", "Echo"]],
      ["filter[status]=blocked", ["bravo", "Echo"]],
      ["filter[allow_any_did_as_cli]=true", ["Alpha", "delta TRUNK"]],
      ["filter[allow_any_did_as_cli]=false", ["bravo", "Charlie trunk", "Echo"]],
      ["filter[allow_any_did_as_cli]=0", ["bravo", "Charlie trunk", "Echo"]],
      ["filter[threshold_reached]=true", ["bravo", "delta TRUNK"]],
      ["filter[default_dst_action]=reject_all", ["bravo", "Echo"]],
      ["filter[media_encryption_mode]=srtp_sdes,srtp_dtls", ["bravo", "Echo"]],
      ["filter[authentication_method.type]=twilio", ["bravo", "Echo"]],
      ["filter[authentication_method.type]=ip_only,credentials_and_ip", ["Alpha", "Charlie trunk", "delta TRUNK"]],
      ["filter[emergency_enable_all]=true", ["bravo", "Echo"]],
      ["filter[external_reference_id]=ref-2", ["delta TRUNK"]],
      ["filter[external_reference_id]=ref-1,ref-3", ["Alpha", "Charlie trunk"]],
      ["filter[default_did.id]=f10d40c7-fd0b-4d63-bb9b-27810a1a8f5c", []],
      ["filter[status]=active&filter[allow_any_did_as_cli]=true", ["Alpha", "delta TRUNK"]],
      ["filter[status]=active&filter[name_contains]=a&filter[threshold_reached]=false", ["Alpha", "Charlie trunk"]],
      ["by id", (ids) => [`filter[id]=${ids.Echo},${ids.bravo}`, ["bravo", "Echo"]]],
    ];
    for (const [label, expectation] of cases) {
      it(label, async function () {
        const { emu, ids } = await seeded();
        const [query, expected] = typeof expectation === "function" ? expectation(ids) : [label, expectation];
        const res = await api(emu, "GET", `/v3/voice_out_trunks?${query}`);
        assert.equal(res.status, 200, res.text);
        assert.deepEqual(names(res), expected);
        assert.equal(res.body.meta.total_records, expected.length);
      });
    }
  });

  it("filter[name] reads a comma as OR, as DIDWW does: a name holding a comma is not found by itself", async function () {
    const emu = await start();
    const twilio = { type: "twilio", attributes: { twilio_account_sid: `AC${"5".repeat(32)}` } };
    for (const name of ["Office, Berlin", "Office", " Berlin"]) emu.store.didww.putTrunk({ name, on_cli_mismatch_action: "send_original_cli", authentication_method: twilio });
    const res = await api(emu, "GET", `/v3/voice_out_trunks?filter[name]=${encodeURIComponent("Office, Berlin")}`);
    assert.deepEqual(names(res), ["Office", " Berlin"]);
    assert.deepEqual(names(await api(emu, "GET", "/v3/voice_out_trunks?filter[name_contains]=office")), ["Office, Berlin", "Office"]);
  });

  describe("sort", function () {
    const cases: Array<[string, string[]]> = [
      ["name", ["Alpha", "Charlie trunk", "Echo", "bravo", "delta TRUNK"]],
      ["-name", ["delta TRUNK", "bravo", "Echo", "Charlie trunk", "Alpha"]],
      ["created_at", ["Alpha", "Charlie trunk", "bravo", "Echo", "delta TRUNK"]],
      ["-created_at", ["delta TRUNK", "Echo", "bravo", "Charlie trunk", "Alpha"]],
      ["-allow_any_did_as_cli,name", ["Alpha", "delta TRUNK", "Charlie trunk", "Echo", "bravo"]],
      ["threshold_reached,-created_at", ["Echo", "Charlie trunk", "Alpha", "delta TRUNK", "bravo"]],
      ["external_reference_id", ["Alpha", "delta TRUNK", "Charlie trunk", "bravo", "Echo"]],
      ["-external_reference_id", ["bravo", "Echo", "Charlie trunk", "delta TRUNK", "Alpha"]],
    ];
    for (const [sort, expected] of cases) {
      it(`sort=${sort}`, async function () {
        const { emu } = await seeded();
        const res = await api(emu, "GET", `/v3/voice_out_trunks?sort=${sort}`);
        assert.equal(res.status, 200, res.text);
        assert.deepEqual(names(res), expected);
      });
    }

    it("created_at ties (one millisecond) keep creation order in the sort's direction: -created_at is newest first", async function () {
      const emu = await start();
      const at = "2026-02-01T00:00:00.000Z";
      for (const name of ["first", "second", "third"]) emu.store.didww.putTrunk({ name, created_at: at, on_cli_mismatch_action: "send_original_cli", authentication_method: { type: "twilio", attributes: { twilio_account_sid: `AC${"3".repeat(32)}` } } });
      assert.deepEqual(names(await api(emu, "GET", "/v3/voice_out_trunks?sort=-created_at")), ["third", "second", "first"]);
      assert.deepEqual(names(await api(emu, "GET", "/v3/voice_out_trunks?sort=created_at")), ["first", "second", "third"]);
    });

    it("sort=-created_at pages newest first: following links.next gives every trunk once, in order", async function () {
      const emu = await start();
      const twilio = { type: "twilio", attributes: { twilio_account_sid: `AC${"4".repeat(32)}` } };
      // Inserted out of time order, with two pairs sharing a millisecond (creation order breaks those ties).
      const minutes = [5, 1, 9, 3, 3, 7, 2, 8, 8, 6, 4];
      minutes.forEach((m, i) => emu.store.didww.putTrunk({ name: `t${i}`, created_at: `2026-03-01T00:${String(m).padStart(2, "0")}:00.000Z`, on_cli_mismatch_action: "send_original_cli", authentication_method: twilio }));
      const expected = minutes
        .map((m, i) => ({ m, i }))
        .sort((a, b) => b.m - a.m || b.i - a.i)
        .map(({ i }) => `t${i}`);
      const seen: string[] = [];
      let next: string | undefined = "/v3/voice_out_trunks?sort=-created_at&page[size]=3";
      while (next) {
        const res = await api(emu, "GET", next);
        assert.equal(res.status, 200, res.text);
        assert.equal(res.body.meta.total_records, minutes.length);
        seen.push(...names(res));
        next = res.body.links.next?.replace(emu.url, "");
        if (next) assert.match(decodeURIComponent(next), /sort=-created_at/, "the next link keeps the sort");
      }
      assert.deepEqual(seen, expected);
    });

    it("without sort: creation order", async function () {
      const { emu } = await seeded();
      assert.deepEqual(names(await api(emu, "GET", "/v3/voice_out_trunks")), TRUNKS.map((t) => t.name));
    });
  });

  describe("include", function () {
    it("include=emergency_dids adds linkage and included DIDs once each", async function () {
      const { emu, ids } = await seeded();
      const res = await api(emu, "GET", "/v3/voice_out_trunks?include=emergency_dids");
      const byName = Object.fromEntries(res.body.data.map((t: any) => [t.attributes.name, t.relationships]));
      assert.deepEqual(byName.Alpha.emergency_dids.data, [{ type: "dids", id: E1 }]);
      assert.deepEqual(byName["Charlie trunk"].emergency_dids.data, [{ type: "dids", id: E1 }, { type: "dids", id: E2 }]);
      assert.deepEqual(byName.bravo.emergency_dids.data, []);
      assert.equal(byName.Alpha.dids.data, undefined, "dids not included");
      assert.ok(byName.Alpha.emergency_dids.links.self.endsWith(`/voice_out_trunks/${ids.Alpha}/relationships/emergency_dids`));
      assert.deepEqual(res.body.included.map((d: any) => [d.type, d.id]), [["dids", E1], ["dids", E2]]);
      assert.equal(res.body.included[0].attributes.emergency_enabled, true);
    });

    it("include=dids,emergency_dids on GET one", async function () {
      const { emu, ids } = await seeded();
      const res = await api(emu, "GET", `/v3/voice_out_trunks/${ids["Charlie trunk"]}?include=dids,emergency_dids`);
      assert.deepEqual(res.body.data.relationships.dids.data, [{ type: "dids", id: P1 }]);
      assert.deepEqual(res.body.included.map((d: any) => d.id), [P1, E1, E2]);
    });

    it("no include: no linkage, no included", async function () {
      const { emu, ids } = await seeded();
      const res = await api(emu, "GET", `/v3/voice_out_trunks/${ids["Charlie trunk"]}`);
      assert.equal(res.body.included, undefined);
      assert.deepEqual(Object.keys(res.body.data.relationships.dids), ["links"]);
    });
  });

  describe("sparse fieldsets", function () {
    it("fields[voice_out_trunks]=name,status prunes attributes and relationships", async function () {
      const { emu } = await seeded();
      const res = await api(emu, "GET", "/v3/voice_out_trunks?fields[voice_out_trunks]=name,status&filter[name]=Alpha");
      assert.deepEqual(res.body.data[0].attributes, { status: "active", name: "Alpha" });
      assert.deepEqual(res.body.data[0].relationships, {});
    });

    it("fields can keep a relationship and shape included DIDs (fields[dids])", async function () {
      const { emu, ids } = await seeded();
      const res = await api(emu, "GET", `/v3/voice_out_trunks/${ids.Alpha}?include=emergency_dids&fields[voice_out_trunks]=name,emergency_dids&fields[dids]=number`);
      assert.deepEqual(Object.keys(res.body.data.relationships), ["emergency_dids"]);
      assert.deepEqual(res.body.included[0].attributes, { number: "12125550123" });
    });
  });

  describe("400s in the jsonapi-resources shape", function () {
    const cases: Array<[string, string, string, string]> = [
      ["filter[bogus]=1", "102", "Filter not allowed", "bogus is not allowed."],
      ["filter[capacity_limit]=5", "102", "Filter not allowed", "capacity_limit is not allowed."],
      ["filter[status]=", "107", "Invalid filter value", " is not a valid value for status."],
      ["sort=capacity_limit", "114", "Invalid sort criteria", "capacity_limit is not a valid sort criteria for voice_out_trunks"],
      ["sort=name,-bogus", "114", "Invalid sort criteria", "bogus is not a valid sort criteria for voice_out_trunks"],
      ["include=default_did", "112", "Invalid include", "default_did is not a valid includable relationship of voice_out_trunks"],
      ["include=dids.did_group", "112", "Invalid include", "dids.did_group is not a valid includable relationship of voice_out_trunks"],
      ["fields[voice_out_trunks]=name,password", "104", "Invalid field", "password is not a valid field for voice_out_trunks."],
      ["fields[trunks]=name", "101", "Invalid resource", "trunks is not a valid resource."],
      ["fields=name", "119", "Invalid field format", "Fields must specify a type."],
      ["page[number]=0", "118", "Invalid page value", "0 is not a valid value for number page parameter."],
      ["page[number]=-2", "118", "Invalid page value", "-2 is not a valid value for number page parameter."],
      ["page[number]=abc", "118", "Invalid page value", "0 is not a valid value for number page parameter."],
      ["page[size]=0", "118", "Invalid page value", "0 is not a valid value for size page parameter."],
      ["page[size]=101", "118", "Invalid page value", "size exceeds maximum page size of 100."],
      ["page[offset]=10", "105", "Page parameter not allowed", "offset is not an allowed page parameter."],
    ];
    for (const [query, code, title, detail] of cases) {
      it(`${query} → ${code}`, async function () {
        const { emu } = await seeded();
        const res = await api(emu, "GET", `/v3/voice_out_trunks?${query}`);
        assert.equal(res.status, 400, res.text);
        assert.deepEqual(res.body, { errors: [{ title, detail, code, status: "400" }] });
      });
    }

    it("include, fields and sort errors apply to GET one too (filters/sort/page do not)", async function () {
      const { emu, ids } = await seeded();
      assert.equal((await api(emu, "GET", `/v3/voice_out_trunks/${ids.Alpha}?include=bogus`)).status, 400);
      assert.equal((await api(emu, "GET", `/v3/voice_out_trunks/${ids.Alpha}?fields[voice_out_trunks]=bogus`)).status, 400);
      assert.equal((await api(emu, "GET", `/v3/voice_out_trunks/${ids.Alpha}?filter[bogus]=1&page[size]=0`)).status, 200);
    });
  });

  describe("pagination", function () {
    const base = "/v3/voice_out_trunks";
    const link = (emu: EmulatorHandle, number: number, size: number, extra = "") => `${emu.didwwUrl}/voice_out_trunks?${extra}page%5Bnumber%5D=${number}&page%5Bsize%5D=${size}`;

    const cases: Array<[number, number, string[], Record<string, [number] | undefined>]> = [
      [1, 2, ["Alpha", "bravo"], { prev: undefined, next: [2], last: [3] }],
      [2, 2, ["Charlie trunk", "delta TRUNK"], { prev: [1], next: [3], last: [3] }],
      [3, 2, ["Echo"], { prev: [2], next: undefined, last: [3] }],
      [4, 2, [], { prev: [3], next: undefined, last: [3] }],
      [1, 5, ["Alpha", "bravo", "Charlie trunk", "delta TRUNK", "Echo"], { prev: undefined, next: undefined, last: [1] }],
    ];
    for (const [number, size, expected, links] of cases) {
      it(`page[number]=${number}&page[size]=${size}`, async function () {
        const { emu } = await seeded();
        const res = await api(emu, "GET", `${base}?page[number]=${number}&page[size]=${size}`);
        assert.equal(res.status, 200);
        assert.deepEqual(names(res), expected);
        assert.equal(res.body.meta.total_records, 5);
        const want: Record<string, string> = { first: link(emu, 1, size) };
        for (const [k, v] of Object.entries(links)) if (v) want[k] = link(emu, v[0], size);
        assert.deepEqual(res.body.links, want);
      });
    }

    it("defaults to 50 per page; the links echo filter, include and sort (sorted, CGI-escaped)", async function () {
      const emu = await start();
      for (let i = 0; i < 55; i++) emu.store.didww.putTrunk({ name: `T${String(i).padStart(2, "0")}`, on_cli_mismatch_action: "send_original_cli", authentication_method: { type: "twilio", attributes: { twilio_account_sid: `AC${"a".repeat(32)}` } } });
      const first = await api(emu, "GET", base);
      assert.equal(first.body.data.length, 50);
      assert.equal(first.body.meta.total_records, 55);
      assert.equal(first.body.links.next, link(emu, 2, 50));
      const res = await api(emu, "GET", `${base}?sort=-name&include=dids&filter[name_contains]=T1,T2&page[size]=5&page[number]=4`);
      assert.deepEqual(names(res), ["T14", "T13", "T12", "T11", "T10"]);
      assert.equal(res.body.links.next, undefined);
      assert.equal(
        res.body.links.prev,
        `${emu.didwwUrl}/voice_out_trunks?filter%5Bname_contains%5D=T1%2CT2&include=dids&page%5Bnumber%5D=3&page%5Bsize%5D=5&sort=-name`,
      );
    });

    it("an empty collection: total 0, last page 0 (as jsonapi-resources computes it)", async function () {
      const emu = await start();
      const res = await api(emu, "GET", base);
      assert.deepEqual(res.body.data, []);
      assert.equal(res.body.meta.total_records, 0);
      assert.deepEqual(res.body.links, { first: link(emu, 1, 50), last: link(emu, 0, 50) });
    });

    it("maxPageSize raises the limit (the OpenAPI says 1000)", async function () {
      const { emu } = await seeded({ maxPageSize: 1000 });
      assert.equal((await api(emu, "GET", `${base}?page[size]=1000`)).status, 200);
      assert.equal((await api(emu, "GET", `${base}?page[size]=1001`)).body.errors[0].detail, "size exceeds maximum page size of 1000.");
    });
  });
});
