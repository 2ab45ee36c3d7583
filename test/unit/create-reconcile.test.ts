/**
 * The create path's handling of ambiguous outcomes, with the DIDWW client stubbed (sinon):
 * a POST that may or may not have been applied is reconciled, never blindly repeated.
 */
import { strict as assert } from "node:assert";
import sinon from "sinon";
import { DidwwClient } from "../../provider/didww/client";
import { outboundTrunkRuntime } from "../../provider/didww/crud";
import { buildCreatePayload } from "../../provider/didww/mapping";
import { VendorApiError } from "../../provider/common/errors";
import { mayHaveReachedServer } from "../../provider/common/retry";
import { modelCreate } from "../helpers/didww-model";
import { credentialsTrunk } from "../helpers/trunks";

const inputs = credentialsTrunk({ name: "reconcile-me", capacityLimit: 7 });
const response = (status: number, body: unknown = { errors: [{ title: "x", detail: "server error", code: "500", status: String(status) }] }) => ({
  status, headers: {}, text: JSON.stringify(body), attempts: 1,
});
function liveTrunk(id: string, createdAt = new Date().toISOString()) {
  const t = modelCreate(buildCreatePayload(inputs), id);
  (t.attributes as Record<string, unknown>).created_at = createdAt;
  return t;
}

describe("create: ambiguous POST outcomes are reconciled (stubbed client)", () => {
  let sandbox: sinon.SinonSandbox;
  const env = { ...process.env };
  beforeEach(() => {
    sandbox = sinon.createSandbox();
    process.env.DIDWW_API_KEY = "unit-key";
    process.env.DIDWW_API_URL = "http://127.0.0.1:9/v3";
    // Read-back after create: the trunk as stored.
    sandbox.stub(DidwwClient.prototype, "getTrunk").callsFake(async (id: string) => ({ data: liveTrunk(id) }));
  });
  afterEach(() => {
    sandbox.restore();
    process.env = { ...env };
  });

  it("a 502 after which the trunk exists: adopts it, one POST only", async () => {
    const post = sandbox.stub(DidwwClient.prototype, "postTrunk").resolves(response(502));
    const list = sandbox.stub(DidwwClient.prototype, "listRecentTrunks").resolves([liveTrunk("11111111-1111-4111-8111-111111111111")]);
    const { id } = await outboundTrunkRuntime.create({ ...inputs } as never);
    assert.equal(id, "11111111-1111-4111-8111-111111111111");
    assert.equal(post.callCount, 1);
    // It searches the newest trunks, never DIDWW's name filter (which splits names at commas).
    assert.equal(typeof list.firstCall.args[0], "number");
  });

  it("a 502 after which no trunk exists: posts once more", async () => {
    const created = liveTrunk("22222222-2222-4222-8222-222222222222");
    const post = sandbox.stub(DidwwClient.prototype, "postTrunk");
    post.onFirstCall().resolves(response(502));
    post.onSecondCall().resolves(response(201, { data: created }));
    sandbox.stub(DidwwClient.prototype, "listRecentTrunks").resolves([]);
    const { id } = await outboundTrunkRuntime.create({ ...inputs } as never);
    assert.equal(id, created.id);
    assert.equal(post.callCount, 2);
  });

  it("ignores same-name trunks that are old or differ from the arguments", async () => {
    const created = liveTrunk("33333333-3333-4333-8333-333333333333");
    const old = liveTrunk("44444444-4444-4444-8444-444444444444", "2020-01-01T00:00:00.000Z");
    const other = liveTrunk("55555555-5555-4555-8555-555555555555");
    (other.attributes as Record<string, unknown>).capacity_limit = 99;
    const post = sandbox.stub(DidwwClient.prototype, "postTrunk");
    post.onFirstCall().resolves(response(503));
    post.onSecondCall().resolves(response(201, { data: created }));
    sandbox.stub(DidwwClient.prototype, "listRecentTrunks").resolves([old, other]);
    const { id } = await outboundTrunkRuntime.create({ ...inputs } as never);
    assert.equal(id, created.id);
  });

  it("two candidates: stops and names both, rather than guess or duplicate", async () => {
    const post = sandbox.stub(DidwwClient.prototype, "postTrunk").resolves(response(500));
    sandbox.stub(DidwwClient.prototype, "listRecentTrunks").resolves([liveTrunk("66666666-6666-4666-8666-666666666666"), liveTrunk("77777777-7777-4777-8777-777777777777")]);
    await assert.rejects(outboundTrunkRuntime.create({ ...inputs } as never), /66666666-6666-4666-8666-666666666666, 77777777-7777-4777-8777-777777777777/);
    assert.equal(post.callCount, 1);
  });

  it("a connection lost after sending, twice: gives up with the network error after reconciling twice", async () => {
    const lost = () => new VendorApiError({ vendor: "DIDWW", method: "POST", url: "http://127.0.0.1:9/v3/voice_out_trunks", code: "NETWORK", problems: [{ detail: "no response (ECONNRESET)" }], maybeApplied: true });
    const post = sandbox.stub(DidwwClient.prototype, "postTrunk").callsFake(async () => { throw lost(); });
    const list = sandbox.stub(DidwwClient.prototype, "listRecentTrunks").resolves([]);
    await assert.rejects(outboundTrunkRuntime.create({ ...inputs } as never), (e: unknown) => e instanceof VendorApiError && e.code === "NETWORK");
    assert.equal(post.callCount, 2);
    assert.equal(list.callCount, 2);
  });

  it("a refusal (422) is not reconciled: DIDWW's words, no search", async () => {
    sandbox.stub(DidwwClient.prototype, "postTrunk").resolves(response(422, { errors: [{ title: "is invalid", detail: "capacity_limit - is invalid", code: "100", status: "422", source: { pointer: "/data/attributes/capacity_limit" } }] }));
    const list = sandbox.stub(DidwwClient.prototype, "listRecentTrunks").resolves([]);
    await assert.rejects(outboundTrunkRuntime.create({ ...inputs } as never), /capacityLimit: capacity_limit - is invalid/);
    assert.equal(list.callCount, 0);
  });

  it("bad inputs never reach the client", async () => {
    const post = sandbox.stub(DidwwClient.prototype, "postTrunk");
    await assert.rejects(outboundTrunkRuntime.create({ ...inputs, rtpTimeout: 1 } as never), /rtpTimeout: must be an integer number of seconds from 30 to 600/);
    assert.equal(post.callCount, 0);
  });

  const unusable: [string, number, unknown][] = [
    ["a 201 without data.id", 201, { data: { type: "voice_out_trunks", attributes: {} } }],
    ["a 201 with data null", 201, { data: null }],
    ["a 200 HTML page", 200, "<!doctype html><html><head><title>Welcome</title></head><body>proxy</body></html>"],
    ["a 201 that is not JSON", 201, "{\"data\": {\"id\": \"trunc"],
    ["a 201 with a wrongly typed attribute", 201, "WRONG_TYPE"],
  ];
  for (const [title, status, body] of unusable) {
    it(`${title} is as ambiguous as a lost answer: reconciled, never posted twice when the trunk exists`, async () => {
      const existing = liveTrunk("88888888-8888-4888-8888-888888888888");
      let text: string;
      if (body === "WRONG_TYPE") text = JSON.stringify({ data: { ...existing, attributes: { ...existing.attributes, rtp_timeout: "thirty" } } });
      else text = typeof body === "string" ? body : JSON.stringify(body);
      const post = sandbox.stub(DidwwClient.prototype, "postTrunk").resolves({ status, headers: {}, text, attempts: 1 });
      const list = sandbox.stub(DidwwClient.prototype, "listRecentTrunks").resolves([existing]);
      const { id, outs } = await outboundTrunkRuntime.create({ ...inputs } as never);
      assert.equal(id, existing.id);
      assert.equal(outs.capacityLimit, 7);
      assert.equal(post.callCount, 1);
      assert.equal(list.callCount, 1);
    });
  }

  it("an unknown network error code after sending (ERR_STREAM_PREMATURE_CLOSE) counts as maybe applied: reconciled", async () => {
    const existing = liveTrunk("99999999-9999-4999-8999-999999999999");
    const code = "ERR_STREAM_PREMATURE_CLOSE";
    // What the client makes of a failure with a code the retry policy has never heard of.
    const post = sandbox.stub(DidwwClient.prototype, "postTrunk").callsFake(async () => {
      throw new VendorApiError({ vendor: "DIDWW", method: "POST", url: "http://x/v3", code: "NETWORK", maybeApplied: mayHaveReachedServer({ networkErrorCode: code }) });
    });
    sandbox.stub(DidwwClient.prototype, "listRecentTrunks").resolves([existing]);
    const { id } = await outboundTrunkRuntime.create({ ...inputs } as never);
    assert.equal(id, existing.id);
    assert.equal(post.callCount, 1);
  });

  it("a 201 whose trunk carries the DID linkage takes one call in all (no read-back)", async () => {
    const t = liveTrunk("aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa");
    t.relationships = { dids: { data: [] }, emergency_dids: { data: [] } };
    (t.attributes as Record<string, any>).authentication_method.attributes.username = "u1234567890abcde";
    (t.attributes as Record<string, any>).authentication_method.attributes.password = "p1234567890abcde";
    const post = sandbox.stub(DidwwClient.prototype, "postTrunk").resolves({ status: 201, headers: {}, text: JSON.stringify({ data: t }), attempts: 1 });
    const get = DidwwClient.prototype.getTrunk as sinon.SinonStub;
    const { outs } = await outboundTrunkRuntime.create({ ...inputs } as never);
    assert.equal(post.callCount, 1);
    assert.equal(get.callCount, 0);
    assert.equal(outs.username, "u1234567890abcde");
  });
});
