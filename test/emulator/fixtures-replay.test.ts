/**
 * Replays every recorded DIDWW exchange in shared/fixtures/didww against the emulator and compares
 * status and body. Ids, timestamps and credentials the server generates are mapped onto the
 * recorded ones (after checking their format); everything else must be equal, except where a
 * case below says why (the oddities listed in fixtures/README.md), as data.
 *
 * One test per exchange of test/fixtures/manifest.json, registered even when the recordings are
 * missing (test/helpers/shared-fixtures.ts): then each fails under CI=true and is skipped with a
 * banner elsewhere, never a silent pass.
 */
import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import type { EmulatorHandle } from "../../emulator";
import { fixturesDir, manifest, registerMissingExchanges } from "../helpers/shared-fixtures";
import { api, start, stopAll } from "./helpers";

const SUITE = "emulator fixture replay (DIDWW)";

interface Fixture {
  source: string;
  request: { method: string; path: string; headers: Record<string, string>; body: any };
  response: { status: number; body: any };
}

interface ReplayCase {
  /** Why the replay departs from the recording, if it does. */
  note?: string;
  /** GET credentials masked? (Postman recordings show full values; the docs mask them.) */
  mask?: boolean;
  /** Put the recorded pre-state into the store. */
  setup?(emu: EmulatorHandle, fx: Fixture): void;
  /** Path to replay against, when the recorded one cannot be used as is. */
  path?(fx: Fixture): string;
  body?(fx: Fixture): unknown;
  omitApiKey?: boolean;
  /** The server generates the id/created_at (create): map ours onto the recorded ones. */
  generatedId?: boolean;
  /** The server generates credentials here: check the format, then map onto the recorded ones. */
  generatedCredentials?: boolean;
  /** Paths removed from both bodies before comparing (`*` = every array element). */
  ignore?: string[];
  /** Paths where the recording shows a subset of the keys the emulator sends. */
  subset?: string[];
  /** Extra assertions on what the replay did. */
  after?(emu: EmulatorHandle, res: { status: number; body: any }, fx: Fixture): void | Promise<void>;
}

const resource = (fx: Fixture) => fx.response.body.data;

/** The recorded response resource, as a store input (JSON:API form is accepted by putTrunk). */
const putFromResponse = (emu: EmulatorHandle, fx: Fixture, overrides: Record<string, unknown> = {}) => {
  const r = resource(fx);
  emu.store.didww.putTrunk({ ...r.attributes, id: r.id, spent_amount: r.meta?.spent_amount ?? "0.0", ...overrides });
};

const clearDidwwState = (emu: EmulatorHandle) => {
  for (const t of emu.store.didww.listTrunks()) emu.store.didww.deleteTrunk(t.id);
};

const PM_PATH_ID = "457bf47d-446d-41cd-91c3-dfbda7bf0753";
const PATH_ID_ODDITY = "Postman files every GET/PATCH example under path id 457bf47d… while the body carries another id (fixtures/README.md): replayed against the body/response id.";
const SID_ODDITY = "Postman responses show twilio_account_sid AC39347AF064AF97E1688C3B7332DAAEE6, not the SID sent (fixtures/README.md); the emulator echoes the request, asserted separately.";

const CASES: Record<string, ReplayCase> = {
  "dids_list.json": {
    note: "Recorded links read `/v3/dids&page…` (a `&` where `?` belongs); compared separately.",
    setup(emu, fx) {
      for (const d of emu.store.didww.listDids()) emu.store.didww.deleteDid(d.id);
      for (const d of fx.response.body.data) emu.store.didww.addDid({ id: d.id, ...d.attributes });
    },
    ignore: ["links"],
    after(emu, res) {
      assert.deepEqual(res.body.links, {
        first: `${emu.didwwUrl}/dids?page%5Bnumber%5D=1&page%5Bsize%5D=50`,
        last: `${emu.didwwUrl}/dids?page%5Bnumber%5D=1&page%5Bsize%5D=50`,
      });
    },
  },
  "dids_show.json": {
    setup(emu, fx) {
      emu.store.didww.addDid({ id: resource(fx).id, ...resource(fx).attributes });
    },
  },
  "dids_show_404.json": {},
  "error_400_param_not_allowed_sdk.json": {
    note: "Recorded on PATCH /v3/dids/{id} (not emulated); replayed as the same unknown attribute on a trunk PATCH. Same envelope across resources (fixtures/README.md).",
    setup(emu) {
      emu.store.didww.putTrunk({ id: "9df99644-f1a5-4a3c-99a4-559d758eb96b", name: "t", on_cli_mismatch_action: "send_original_cli", authentication_method: { type: "twilio", attributes: { twilio_account_sid: "AC22222222222222222222222222222222" } } });
    },
    path: () => "/v3/voice_out_trunks/9df99644-f1a5-4a3c-99a4-559d758eb96b",
    body: () => ({ data: { id: "9df99644-f1a5-4a3c-99a4-559d758eb96b", type: "voice_out_trunks", attributes: { capacity_pools_id: "x" } } }),
  },
  "error_401_unauthorized.json": {
    note: "Recorded on /v3/regions/{id}; the emulator authenticates before routing, so the same path gives the same 401.",
    omitApiKey: true,
  },
  "vot_create_422_credentials_missing_allowed_sip_ips.json": {},
  "vot_create_422_ip_only_not_allowed.json": {},
  "vot_create_422_twilio_missing_sid.json": {},
  "vot_create_credentials_and_ip.json": { generatedId: true, generatedCredentials: true },
  "vot_create_twilio.json": {
    generatedId: true,
    note: SID_ODDITY,
    ignore: ["data.attributes.authentication_method.attributes.twilio_account_sid"],
    after(_emu, res, fx) {
      assert.equal(res.body.data.attributes.authentication_method.attributes.twilio_account_sid, fx.request.body.data.attributes.authentication_method.attributes.twilio_account_sid);
    },
  },
  "vot_create_twilio_sdk.json": { generatedId: true },
  "vot_create_with_emergency_dids.json": {
    generatedId: true,
    generatedCredentials: true,
    async after(emu, res, fx) {
      const stored = emu.store.didww.getTrunk(res.body.data.id)!;
      assert.deepEqual(stored.emergency_dids, fx.request.body.data.relationships.emergency_dids.data.map((l: any) => l.id));
      // The response carries links only (no include); with include the linkage shows.
      const again = await api(emu, "GET", `/v3/voice_out_trunks/${stored.id}?include=emergency_dids`);
      assert.deepEqual(again.body.data.relationships.emergency_dids.data, fx.request.body.data.relationships.emergency_dids.data.map((l: any) => ({ type: "dids", id: l.id })));
    },
  },
  "vot_delete_204.json": {
    setup(emu, fx) {
      emu.store.didww.putTrunk({ id: fx.request.path.split("/").pop(), name: "t", on_cli_mismatch_action: "send_original_cli", authentication_method: { type: "credentials_and_ip", attributes: { allowed_sip_ips: ["192.168.1.1"] } } });
    },
    after(emu, _res, fx) {
      assert.equal(emu.store.didww.getTrunk(fx.request.path.split("/").pop()!), undefined);
    },
  },
  "vot_delete_204_sdk.json": {
    setup(emu, fx) {
      emu.store.didww.putTrunk({ id: fx.request.path.split("/").pop(), name: "t", on_cli_mismatch_action: "reject_call", authentication_method: { type: "twilio", attributes: { twilio_account_sid: "AC22222222222222222222222222222222" } } });
    },
  },
  "vot_delete_404.json": {},
  "vot_list.json": {
    setup(emu, fx) {
      clearDidwwState(emu);
      for (const r of fx.response.body.data) emu.store.didww.putTrunk({ ...r.attributes, id: r.id });
    },
  },
  "vot_list_doc_masked_credentials.json": {
    mask: true,
    note: "Documentation example: masked credentials, no data.meta.spent_amount (fixtures/README.md).",
    setup(emu, fx) {
      clearDidwwState(emu);
      for (const r of fx.response.body.data) {
        const a = r.attributes;
        const auth = a.authentication_method.type === "credentials_and_ip"
          ? { type: "credentials_and_ip", attributes: { ...a.authentication_method.attributes, username: "554abcdefghijklm", password: "fqeabcdefghijklm" } }
          : a.authentication_method;
        emu.store.didww.putTrunk({ ...a, authentication_method: auth, id: r.id });
      }
    },
    ignore: ["data.*.meta"],
  },
  "vot_list_include_emergency_dids.json": {
    mask: true,
    note: "Documentation example: abbreviated included DID, emergency_dids without links, no top-level links or spent_amount. The emulator sends the OAS shape (links always, data when included).",
    setup(emu, fx) {
      clearDidwwState(emu);
      const r = fx.response.body.data[0];
      const a = r.attributes;
      emu.store.didww.putTrunk({
        ...a,
        id: r.id,
        authentication_method: { type: "credentials_and_ip", attributes: { ...a.authentication_method.attributes, username: "9q2abcdefghijklm", password: "6zmabcdefghijklm" } },
        emergency_dids: r.relationships.emergency_dids.data.map((l: any) => l.id),
      });
    },
    ignore: ["data.*.meta", "data.*.relationships.emergency_dids.links", "links", "included.*.relationships"],
    subset: ["included.*.attributes"],
  },
  "vot_regenerate_credentials.json": {
    setup(emu) {
      emu.store.didww.putTrunk({ id: PM_PATH_ID, name: "t", on_cli_mismatch_action: "send_original_cli", authentication_method: { type: "credentials_and_ip", attributes: { allowed_sip_ips: ["192.168.1.1"], username: "7mfVbgdurFkORaf2", password: "YKcRESEiq7BEMzHj" } } });
    },
    after(emu) {
      const auth = emu.store.didww.getTrunk(PM_PATH_ID)!.authentication_method;
      assert.equal(auth.type, "credentials_and_ip");
      if (auth.type !== "credentials_and_ip") return;
      assert.match(auth.attributes.username, /^[A-Za-z0-9]{16}$/);
      assert.notEqual(auth.attributes.username, "7mfVbgdurFkORaf2");
      assert.notEqual(auth.attributes.password, "YKcRESEiq7BEMzHj");
    },
  },
  "vot_show_credentials_and_ip.json": { note: PATH_ID_ODDITY, setup: (emu, fx) => putFromResponse(emu, fx), path: (fx) => `/v3/voice_out_trunks/${resource(fx).id}` },
  "vot_show_ip_only.json": { note: PATH_ID_ODDITY, setup: (emu, fx) => putFromResponse(emu, fx), path: (fx) => `/v3/voice_out_trunks/${resource(fx).id}` },
  "vot_show_ip_only_sdk.json": { setup: (emu, fx) => putFromResponse(emu, fx) },
  "vot_show_twilio.json": { note: PATH_ID_ODDITY, setup: (emu, fx) => putFromResponse(emu, fx), path: (fx) => `/v3/voice_out_trunks/${resource(fx).id}` },
  "vot_show_twilio_sdk.json": { setup: (emu, fx) => putFromResponse(emu, fx) },
  "vot_update_422_ip_only_not_allowed.json": {
    note: "The body id is the Postman variable {{trunkId}}; replayed with the path id.",
    setup(emu) {
      emu.store.didww.putTrunk({ id: PM_PATH_ID, name: "t", on_cli_mismatch_action: "send_original_cli", authentication_method: { type: "twilio", attributes: { twilio_account_sid: "AC22222222222222222222222222222222" } } });
    },
    body: (fx) => ({ data: { ...fx.request.body.data, id: PM_PATH_ID } }),
  },
  "vot_update_assign_emergency_dids.json": {
    setup: (emu, fx) => putFromResponse(emu, fx, { emergency_dids: [] }),
    after(emu, _res, fx) {
      assert.deepEqual(emu.store.didww.getTrunk(resource(fx).id)!.emergency_dids, fx.request.body.data.relationships.emergency_dids.data.map((l: any) => l.id));
    },
  },
  "vot_update_attributes_sdk.json": {
    note: "Hand-edited SDK fixture: api_version 2021-12-15, old default_did relationship, no emergency/rtp_timeout/external_reference_id attributes.",
    setup: (emu, fx) => putFromResponse(emu, fx, { media_encryption_mode: "srtp_sdes" }),
    ignore: ["meta.api_version", "data.relationships"],
    subset: ["data.attributes"],
  },
  "vot_update_auth_same_type_sdk.json": {
    note: "Hand-written SDK fixture without relationships/meta. Same auth type keeps the credentials (user1/pass1), compared exactly.",
    setup: (emu, fx) =>
      putFromResponse(emu, fx, {
        authentication_method: { type: "credentials_and_ip", attributes: { allowed_sip_ips: ["203.0.113.1/32"], tech_prefix: null, username: "user1", password: "pass1" } },
      }),
    ignore: ["meta", "data.relationships", "data.meta"],
  },
  "vot_update_clear_emergency_dids_sdk.json": {
    note: "Hand-written SDK fixture: only the emergency_dids relationship, no rtp_ping/external_reference_id, no data.meta.",
    setup: (emu, fx) => putFromResponse(emu, fx, { emergency_dids: ["0b5d4ca6-7002-4f19-a678-f5be95538e9b"] }),
    ignore: ["data.relationships.dids", "data.meta"],
    subset: ["data.attributes"],
    after(emu, _res, fx) {
      assert.deepEqual(emu.store.didww.getTrunk(resource(fx).id)!.emergency_dids, []);
    },
  },
  "vot_update_credentials_and_ip_to_twilio.json": {
    note: `${PATH_ID_ODDITY} ${SID_ODDITY}`,
    setup: (emu, fx) =>
      putFromResponse(emu, fx, { authentication_method: { type: "credentials_and_ip", attributes: { allowed_sip_ips: ["192.168.1.1/32"] } } }),
    path: (fx) => `/v3/voice_out_trunks/${fx.request.body.data.id}`,
    ignore: ["data.attributes.authentication_method.attributes.twilio_account_sid"],
    after(_emu, res, fx) {
      assert.deepEqual(res.body.data.attributes.authentication_method.attributes, fx.request.body.data.attributes.authentication_method.attributes);
    },
  },
  "vot_update_emergency_enable_all_sdk.json": {
    note: "Hand-written SDK fixture: old default_did relationship, no rtp_ping/external_reference_id, no data.meta.",
    setup: (emu, fx) => putFromResponse(emu, fx, { emergency_enable_all: false }),
    ignore: ["data.relationships", "data.meta"],
    subset: ["data.attributes"],
  },
  "vot_update_ip_only_to_credentials_and_ip.json": {
    note: PATH_ID_ODDITY,
    generatedCredentials: true,
    setup: (emu, fx) => putFromResponse(emu, fx, { authentication_method: { type: "ip_only", attributes: { allowed_sip_ips: ["192.168.1.2/32"], tech_prefix: null } } }),
    path: (fx) => `/v3/voice_out_trunks/${fx.request.body.data.id}`,
  },
  "vot_update_ip_only_to_twilio.json": {
    note: `${PATH_ID_ODDITY} ${SID_ODDITY}`,
    setup: (emu, fx) => putFromResponse(emu, fx, { authentication_method: { type: "ip_only", attributes: { allowed_sip_ips: ["192.168.1.2/32"], tech_prefix: null } } }),
    path: (fx) => `/v3/voice_out_trunks/${fx.request.body.data.id}`,
    ignore: ["data.attributes.authentication_method.attributes.twilio_account_sid"],
    after(_emu, res, fx) {
      assert.deepEqual(res.body.data.attributes.authentication_method.attributes, fx.request.body.data.attributes.authentication_method.attributes);
    },
  },
  "vot_update_ip_only_to_twilio_doc.json": {
    note: "Documentation example (seed 002): no data.meta.spent_amount.",
    setup: (emu, fx) => putFromResponse(emu, fx, { authentication_method: { type: "ip_only", attributes: { allowed_sip_ips: ["11.0.0.0/32"], tech_prefix: null } } }),
    ignore: ["data.meta"],
  },
  "vot_update_twilio_to_credentials_and_ip.json": {
    note: PATH_ID_ODDITY,
    generatedCredentials: true,
    setup: (emu, fx) => putFromResponse(emu, fx, { authentication_method: { type: "twilio", attributes: { twilio_account_sid: "AC39347AF064AF97E1688C3B7332DAAEE6" } } }),
    path: (fx) => `/v3/voice_out_trunks/${fx.request.body.data.id}`,
  },
};

/** Removes `path` (dot-separated, `*` for array elements) from a value, in place. */
function removePath(value: any, parts: string[]): void {
  if (value === null || typeof value !== "object" || parts.length === 0) return;
  const [head, ...rest] = parts;
  if (head === "*") {
    if (Array.isArray(value)) value.forEach((v) => (rest.length === 0 ? undefined : removePath(v, rest)));
    return;
  }
  if (rest.length === 0) delete value[head];
  else removePath(value[head], rest);
}

/** Trims `actual` at `path` to the keys `expected` has there. */
function trimToSubset(actual: any, expected: any, parts: string[]): void {
  if (actual === null || expected === null || typeof actual !== "object" || typeof expected !== "object") return;
  if (parts.length === 0) {
    for (const k of Object.keys(actual)) if (!(k in expected)) delete actual[k];
    return;
  }
  const [head, ...rest] = parts;
  if (head === "*") {
    if (Array.isArray(actual) && Array.isArray(expected)) actual.forEach((a, i) => trimToSubset(a, expected[i], rest));
    return;
  }
  trimToSubset(actual[head], expected[head], rest);
}

const hostOf = (fx: Fixture): string => {
  const m = /"(https:\/\/[a-z.-]+)\/v3\//.exec(JSON.stringify(fx.response.body));
  return m ? m[1] : "https://api.didww.com";
};

describe("DIDWW fixture replay", function () {
  if (registerMissingExchanges("didww", SUITE, "replayed against the emulator")) return;
  const DIR = path.join(fixturesDir(), "didww");
  const files = fs.readdirSync(DIR).filter((f) => f.endsWith(".json")).sort();
  const expected = manifest("didww");

  afterEach(stopAll);

  it("holds exactly the exchanges the manifest lists, with a replay case for each (a new fixture needs both)", function () {
    assert.deepEqual(files, expected, "fixture files against test/fixtures/manifest.json");
    assert.deepEqual(expected.filter((f) => !(f in CASES)), [], "exchanges without a replay case");
    assert.deepEqual(Object.keys(CASES).filter((f) => !expected.includes(f)), [], "cases without an exchange in the manifest");
    assert.ok(files.length >= 30, `expected the recorded DIDWW exchanges, found ${files.length}`);
  });

  for (const file of expected) {
    const c: ReplayCase | undefined = CASES[file];
    it(`${file}${c?.note ? ` (${c.note.slice(0, 60)}…)` : ""}`, async function () {
      assert.ok(c, `no replay case for ${file}: add one to CASES`);
      const fx = JSON.parse(fs.readFileSync(path.join(DIR, file), "utf8")) as Fixture;
      const emu = await start({ maskCredentials: c.mask ?? false });
      c.setup?.(emu, fx);
      const headers: Record<string, string | undefined> = { ...fx.request.headers };
      if (c.omitApiKey) headers["Api-Key"] = undefined;
      const body = c.body ? c.body(fx) : fx.request.body;
      const res = await api(emu, fx.request.method, c.path ? c.path(fx) : fx.request.path, { headers, body: body ?? undefined });

      assert.equal(res.status, fx.response.status, `status (body: ${res.text.slice(0, 400)})`);
      const expected = structuredClone(fx.response.body);
      let text = res.text.split(emu.url).join(hostOf(fx));
      if (c.generatedId) {
        const ours = res.body.data;
        assert.match(ours.id, /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
        assert.match(ours.attributes.created_at, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
        text = text.split(ours.id).join(expected.data.id).split(ours.attributes.created_at).join(expected.data.attributes.created_at);
      }
      if (c.generatedCredentials) {
        const ours = res.body.data.attributes.authentication_method.attributes;
        const theirs = expected.data.attributes.authentication_method.attributes;
        for (const k of ["username", "password"]) {
          assert.match(ours[k], /^[A-Za-z0-9]{16}$/, `${k} is 16 alphanumerics`);
          text = text.split(`"${ours[k]}"`).join(`"${theirs[k]}"`);
        }
      }
      const actual = text === "" ? null : JSON.parse(text);
      if (fx.response.status !== 204) assert.equal(res.headers.get("content-type"), "application/vnd.api+json");
      for (const p of c.ignore ?? []) {
        removePath(actual, p.split("."));
        removePath(expected, p.split("."));
      }
      for (const p of c.subset ?? []) trimToSubset(actual, expected, p.split("."));
      assert.deepStrictEqual(actual, expected);
      await c.after?.(emu, res, fx);
    });
  }
});
