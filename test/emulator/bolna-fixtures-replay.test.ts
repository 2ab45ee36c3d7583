/**
 * Replays every documented Bolna exchange in shared/fixtures/bolna (legacy `/sip-trunks`) against
 * the emulator, with the Bearer key the fixtures leave out:
 * - templated paths (`{trunk_id}`, `{phone_number_id}`) are filled with records put in the store
 *   first; reads are seeded with the example's own values, placeholder ids (`"<string>"`) and
 *   dates included, so they compare value for value;
 * - always: status; every recorded key present with the recorded JSON type, recursively; dates in
 *   the recorded form (ISO 8601 seconds, `Z`); keys the recording lacks only where the case lists
 *   them (and says why); error-free bodies carry no `auth_password`;
 * - create and add-number document no response body: the answer is held to the documented
 *   response schema as the GET example shows it (SIPTrunkResponse, SIPTrunkPhoneNumberResponse)
 *   and must echo what was sent.
 *
 * Where the emulator cannot, or by its rules must not, reproduce a recorded value, the case says
 * why in `note` (docs/emulator.md lists them): nothing is skipped silently.
 */
import * as assert from "node:assert/strict";
import type { EmulatorHandle } from "../../emulator";
import { loadExchanges, manifest, registerMissingExchanges, requireFixtures, type Exchange } from "../helpers/shared-fixtures";
import { ISO_SECONDS, ULID, bo } from "./bolna-helpers";
import { start, stopAll } from "./helpers";

const SUITE = "Bolna fixture replay";

/** Members the emulator adds to the documented shape, each for a documented reason. */
const MEDIA_ENCRYPTION = ["$.media_encryption", "$.media_encryption_optimistic"];
const GATEWAY_IDS = ["$.gateways[].id", "$.gateways[].created_at"];

interface ReplayCase {
  /** Why the replay departs from the recording, if it does (also listed in docs/emulator.md). */
  note?: string;
  /** Puts what the exchange needs in the store; returns the values for the path's templates. */
  setup?(emu: EmulatorHandle, fx: Exchange): Record<string, string>;
  /** The body to compare with when the recording documents none: another exchange's (part of its) response. */
  shape?(all: Map<string, Exchange>, fx: Exchange): unknown;
  /** Compare values too (a read of state seeded from the recording). */
  exact?: boolean;
  /** Paths (`$.a.b`, `$.list[].member`) whose values differ from the recording, by type only. */
  loose?: string[];
  /** Paths the answer has and the recording lacks. */
  extra?: string[];
  /** Check that the answer echoes each sent member (but these). */
  echo?: { except: string[] };
  after?(emu: EmulatorHandle, res: { status: number; body: any }, ids: Record<string, string>): void | Promise<void>;
  /** Set by the replay when the comparison is with a `shape`: list lengths are not compared. */
  shapeOnly?: boolean;
}

// -----------------------------------------------------------------------------------------------
// Seeding the documented state (the store takes the examples' own ids and dates)
// -----------------------------------------------------------------------------------------------

/**
 * A trunk from the documented GET example: every value the store can hold is the example's. The
 * one it cannot is `transport: "<string>"` (a placeholder, not one of the three transports).
 */
function putDocumentedTrunk(emu: EmulatorHandle, doc: any): string {
  const { phone_numbers: numbers, transport: _placeholder, auth_username, ...rest } = doc;
  emu.store.bolna.putTrunk({
    ...rest,
    auth_username,
    auth_password: "documented-password",
    phone_numbers: numbers.map((n: any) => ({ ...n, deleted: false })),
  });
  return doc.id;
}

/** A plain trunk with `numbers` numbers, for the templated write paths. */
function putTrunk(emu: EmulatorHandle, numbers = 0): { trunk: string; numbers: string[] } {
  const t = emu.store.bolna.putTrunk({
    name: "Zadarma Production",
    provider: "zadarma",
    auth_type: "userpass",
    auth_username: "bolnaTesting",
    auth_password: "SuperSecurePassword123",
    gateways: [{ gateway_address: "sip.zadarma.com" }],
    phone_numbers: Array.from({ length: numbers }, (_, i) => ({ phone_number: `91987654321${i}` })),
  });
  return { trunk: t.id, numbers: t.phone_numbers.map((n) => n.id) };
}

const DELETED_NOTE =
  "the example's number shows deleted: true; the emulator lists only live numbers (a removed one is gone), so deleted is always false";
const TRANSPORT_NOTE = 'transport "<string>" is a placeholder, not a transport: the trunk is seeded with the default transport-udp';

const CASES: Record<string, ReplayCase> = {
  "sip_trunks_create_userpass.json": {
    note: "no response body is documented (201 only): held to SIPTrunkResponse as the GET example shows it, userpass",
    shape: (all) => ({ ...all.get("sip_trunks_get.json")!.response.body, phone_numbers: [] }),
    extra: [...MEDIA_ENCRYPTION, ...GATEWAY_IDS],
    echo: { except: ["auth_password"] },
    after(emu, res) {
      assert.match(res.body.id, ULID);
      assert.equal(emu.store.bolna.getTrunk(res.body.id)!.auth_password, "<your-sip-password>", "the password is kept, not shown");
      assert.deepEqual([res.body.description, res.body.transport, res.body.is_active], ["Main trunk for outbound sales", "transport-udp", true]);
    },
  },
  "sip_trunks_create_ip_based.json": {
    note: "no response body is documented (201 only): held to SIPTrunkResponse as the GET example shows it, without auth_username (userpass only)",
    shape: (all) => {
      const { auth_username: _u, ...rest } = all.get("sip_trunks_get.json")!.response.body;
      return { ...rest, phone_numbers: [], description: null };
    },
    loose: ["$.description"],
    extra: [...MEDIA_ENCRYPTION, ...GATEWAY_IDS],
    echo: { except: [] },
    after(_emu, res) {
      assert.match(res.body.id, ULID);
      assert.equal(res.body.description, null, "description defaults to null");
      assert.equal(res.body.auth_type, "ip-based");
    },
  },
  "sip_trunks_get.json": {
    note: `${TRANSPORT_NOTE}; ${DELETED_NOTE}`,
    setup: (emu, fx) => ({ trunk_id: putDocumentedTrunk(emu, fx.response.body) }),
    exact: true,
    loose: ["$.transport", "$.phone_numbers[].deleted"],
    extra: [...MEDIA_ENCRYPTION, ...GATEWAY_IDS],
  },
  "sip_trunks_list.json": {
    note: `${TRANSPORT_NOTE}; ${DELETED_NOTE}`,
    setup: (emu, fx) => ({ trunk_id: putDocumentedTrunk(emu, fx.response.body[0]) }),
    exact: true,
    loose: ["$[].transport", "$[].phone_numbers[].deleted"],
    extra: ["$[].media_encryption", "$[].media_encryption_optimistic", "$[].gateways[].id", "$[].gateways[].created_at"],
  },
  "sip_trunks_update.json": {
    note:
      "the documented update answer lacks auth_type, transport, ice_support and media_encryption; the emulator answers the full trunk, as the BYOT guide says (\"same format as the create response\"). " +
      `Seeded from the GET example, so ${DELETED_NOTE}`,
    setup: (emu, fx) => ({ trunk_id: putDocumentedTrunk(emu, { ...fx.response.body, auth_type: "userpass", created_at: "2023-11-07T05:31:56Z" }) }),
    exact: true,
    loose: ["$.updated_at", "$.phone_numbers[].deleted"],
    extra: ["$.auth_type", "$.transport", "$.ice_support", "$.media_encryption", ...GATEWAY_IDS],
    echo: { except: ["auth_password"] },
    after(emu, res, ids) {
      assert.equal(emu.store.bolna.getTrunk(ids.trunk_id)!.auth_password, "<string>", "the sent password is stored");
      assert.match(res.body.updated_at, ISO_SECONDS);
      assert.notEqual(res.body.updated_at, "2023-11-07T05:31:56Z", "updated_at moves");
    },
  },
  "sip_trunks_delete.json": {
    setup(emu) {
      const { trunk } = putTrunk(emu, 3);
      return { trunk_id: trunk };
    },
    exact: true,
    after(emu, _res, ids) {
      assert.equal(emu.store.bolna.getTrunk(ids.trunk_id), undefined);
      assert.deepEqual(emu.store.bolna.listNumbers(), [], "the 3 numbers went with it");
    },
  },
  "sip_trunk_numbers_add.json": {
    note: "no response body is documented (201 only): held to SIPTrunkPhoneNumberResponse as the GET example's phone_numbers show it",
    setup: (emu) => ({ trunk_id: putTrunk(emu).trunk }),
    shape: (all) => all.get("sip_trunks_get.json")!.response.body.phone_numbers[0],
    echo: { except: ["e164_check_enabled"] },
    after(emu, res, ids) {
      assert.match(res.body.id, ULID);
      assert.deepEqual([res.body.byot_trunk_id, res.body.telephony_provider, res.body.deleted], [ids.trunk_id, "sip-trunk", false]);
      assert.deepEqual(emu.store.bolna.listNumbers(ids.trunk_id).map((n) => n.phone_number), ["919876543210"], "stored verbatim, without a +");
    },
  },
  "sip_trunk_numbers_delete.json": {
    setup(emu) {
      const { trunk, numbers } = putTrunk(emu, 1);
      return { trunk_id: trunk, phone_number_id: numbers[0] };
    },
    exact: true,
    after(emu, _res, ids) {
      assert.deepEqual(emu.store.bolna.listNumbers(ids.trunk_id), []);
    },
  },
};

// -----------------------------------------------------------------------------------------------
// Comparison
// -----------------------------------------------------------------------------------------------

const jsonType = (v: unknown) => (v === null ? "null" : Array.isArray(v) ? "array" : typeof v);

/** Every difference between the answer and the recording, as `path: what`. `pattern` is the path with `[]` for any index. */
function differences(actual: unknown, expected: unknown, c: ReplayCase, where = "$", pattern = "$"): string[] {
  const ta = jsonType(actual);
  const te = jsonType(expected);
  const loose = (c.loose ?? []).includes(pattern);
  if (ta !== te && !(loose && te === "string" && ta === "null")) return [`${where}: ${ta} where the recording has ${te} (${JSON.stringify(actual)?.slice(0, 80)})`];
  if (te === "object" && ta === "object") {
    const a = actual as Record<string, unknown>;
    const e = expected as Record<string, unknown>;
    const missing = Object.keys(e).filter((k) => !(k in a));
    const extra = Object.keys(a).filter((k) => !(k in e) && !(c.extra ?? []).includes(`${pattern}.${k}`));
    const out = [...missing.map((k) => `${where}.${k}: missing`), ...extra.map((k) => `${where}.${k}: not in the recording`)];
    for (const k of Object.keys(e)) if (k in a) out.push(...differences(a[k], e[k], c, `${where}.${k}`, `${pattern}.${k}`));
    return out;
  }
  if (te === "array") {
    const a = actual as unknown[];
    const e = expected as unknown[];
    // Against a documented schema example, every item has the example item's shape; counts are not the example's.
    if (c.shapeOnly) return e.length === 0 ? [] : a.flatMap((item, i) => differences(item, e[0], c, `${where}[${i}]`, `${pattern}[]`));
    if (a.length !== e.length) return [`${where}: ${a.length} items where the recording has ${e.length}`];
    return e.flatMap((item, i) => differences(a[i], item, c, `${where}[${i}]`, `${pattern}[]`));
  }
  if (pattern.endsWith("_at") && typeof expected === "string") {
    assert.match(expected, ISO_SECONDS, `${where}: the recording's date is in the known form`);
    if (!ISO_SECONDS.test(actual as string)) return [`${where}: ${String(actual)} is not in the recorded form (${expected})`];
  }
  if (c.exact && !loose && actual !== expected) return [`${where}: ${JSON.stringify(actual)} where the recording has ${JSON.stringify(expected)}`];
  return [];
}

/** A sent value as the answer shows it: gateways gain their ids and dates, which are not compared. */
function echoed(member: string, value: unknown): unknown {
  if (member === "gateways" && Array.isArray(value)) return value.map((g) => ({ port: 5060, priority: 1, ...g }));
  return value;
}

const fill = (path: string, ids: Record<string, string>) => path.replace(/\{(\w+)\}/g, (_, name: string) => encodeURIComponent(ids[name] ?? `{${name}}`));

describe("Bolna fixture replay", function () {
  if (registerMissingExchanges("bolna", SUITE, "replayed against the emulator")) return;
  const exchanges = loadExchanges("bolna");
  const byFile = new Map(exchanges.map((e) => [e.file, e]));
  afterEach(stopAll);

  it("holds exactly the exchanges the manifest lists, and has a replay case for each", function () {
    requireFixtures(this, SUITE, "bolna");
    assert.deepEqual(exchanges.map((e) => e.file), manifest("bolna"));
    assert.deepEqual(exchanges.map((e) => e.file).filter((f) => !(f in CASES)), [], "a new fixture needs a case");
    assert.deepEqual(Object.keys(CASES).filter((f) => !byFile.has(f)), [], "cases without a fixture file");
  });

  for (const fx of exchanges) {
    const c: ReplayCase = CASES[fx.file] ?? {};
    it(`${fx.file}${c.note ? ` (${c.note.slice(0, 60)}…)` : ""}`, async function () {
      requireFixtures(this, SUITE, "bolna");
      assert.ok(fx.file in CASES, `no replay case for ${fx.file}`);
      const emu = await start();
      const ids = c.setup?.(emu, fx) ?? {};
      const path = fill(fx.request.path, ids);
      assert.ok(!path.includes("{"), `every template of ${fx.request.path} is filled`);
      const res = await bo(emu, fx.request.method, path, fx.request.body === null ? {} : { body: fx.request.body });

      assert.equal(res.status, fx.response.status, `status (body: ${res.text.slice(0, 400)})`);
      assert.match(res.headers.get("content-type") ?? "", /^application\/json/);
      const expected = fx.response.body ?? c.shape?.(byFile, fx);
      assert.notEqual(expected, undefined, "a documented body or a documented shape to compare with");
      const diffs = differences(res.body, expected, { ...c, shapeOnly: fx.response.body === null });
      assert.deepEqual(diffs, [], `the answer departs from the recording:\n  ${diffs.join("\n  ")}`);
      assert.ok(!res.text.includes("auth_password"), "no password member in any answer");

      if (c.echo && fx.request.body) {
        for (const [member, sent] of Object.entries(fx.request.body as Record<string, unknown>)) {
          if (c.echo.except.includes(member)) continue;
          assert.ok(member in res.body, `${member} is in the answer`);
          const shown = member === "gateways" ? res.body.gateways.map(({ id: _id, created_at: _c, ...g }: any) => g) : res.body[member];
          assert.deepEqual(shown, echoed(member, sent), `${member} echoes what was sent`);
        }
      }
      await c.after?.(emu, res, ids);
    });
  }
});
