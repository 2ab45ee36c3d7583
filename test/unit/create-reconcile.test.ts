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
    const list = sandbox.stub(DidwwClient.prototype, "listTrunks").resolves([liveTrunk("11111111-1111-4111-8111-111111111111")]);
    const { id } = await outboundTrunkRuntime.create({ ...inputs } as never);
    assert.equal(id, "11111111-1111-4111-8111-111111111111");
    assert.equal(post.callCount, 1);
    assert.deepEqual(list.firstCall.args[0], { name: "reconcile-me" });
  });

  it("a 502 after which no trunk exists: posts once more", async () => {
    const created = liveTrunk("22222222-2222-4222-8222-222222222222");
    const post = sandbox.stub(DidwwClient.prototype, "postTrunk");
    post.onFirstCall().resolves(response(502));
    post.onSecondCall().resolves(response(201, { data: created }));
    sandbox.stub(DidwwClient.prototype, "listTrunks").resolves([]);
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
    sandbox.stub(DidwwClient.prototype, "listTrunks").resolves([old, other]);
    const { id } = await outboundTrunkRuntime.create({ ...inputs } as never);
    assert.equal(id, created.id);
  });

  it("two candidates: stops and names both, rather than guess or duplicate", async () => {
    const post = sandbox.stub(DidwwClient.prototype, "postTrunk").resolves(response(500));
    sandbox.stub(DidwwClient.prototype, "listTrunks").resolves([liveTrunk("66666666-6666-4666-8666-666666666666"), liveTrunk("77777777-7777-4777-8777-777777777777")]);
    await assert.rejects(outboundTrunkRuntime.create({ ...inputs } as never), /66666666-6666-4666-8666-666666666666, 77777777-7777-4777-8777-777777777777/);
    assert.equal(post.callCount, 1);
  });

  it("a connection lost after sending, twice: gives up with the network error after reconciling twice", async () => {
    const lost = () => {
      const e = new VendorApiError({ vendor: "DIDWW", method: "POST", url: "http://127.0.0.1:9/v3/voice_out_trunks", code: "NETWORK", problems: [{ detail: "no response (ECONNRESET)" }] });
      Object.defineProperty(e, "maybeApplied", { value: true });
      return e;
    };
    const post = sandbox.stub(DidwwClient.prototype, "postTrunk").callsFake(async () => { throw lost(); });
    const list = sandbox.stub(DidwwClient.prototype, "listTrunks").resolves([]);
    await assert.rejects(outboundTrunkRuntime.create({ ...inputs } as never), (e: unknown) => e instanceof VendorApiError && e.code === "NETWORK");
    assert.equal(post.callCount, 2);
    assert.equal(list.callCount, 2);
  });

  it("a refusal (422) is not reconciled: DIDWW's words, no search", async () => {
    sandbox.stub(DidwwClient.prototype, "postTrunk").resolves(response(422, { errors: [{ title: "is invalid", detail: "capacity_limit - is invalid", code: "100", status: "422", source: { pointer: "/data/attributes/capacity_limit" } }] }));
    const list = sandbox.stub(DidwwClient.prototype, "listTrunks").resolves([]);
    await assert.rejects(outboundTrunkRuntime.create({ ...inputs } as never), /capacityLimit: capacity_limit - is invalid/);
    assert.equal(list.callCount, 0);
  });

  it("bad inputs never reach the client", async () => {
    const post = sandbox.stub(DidwwClient.prototype, "postTrunk");
    await assert.rejects(outboundTrunkRuntime.create({ ...inputs, rtpTimeout: 1 } as never), /rtpTimeout: must be an integer number of seconds from 30 to 600/);
    assert.equal(post.callCount, 0);
  });
});
