/**
 * Hardening of the DIDWW outbound trunk provider: bounded error messages, check without an API
 * key, schema reasons, update paths that must make no call, clean errors for the dynamic
 * provider host, and the `__provider` shim. Expected texts are written out literally.
 */
import { strict as assert } from "node:assert";
import * as path from "node:path";
import sinon from "sinon";
import { bounded, describeBody, VendorApiError, type VendorProblem } from "../../provider/common/errors";
import { cleanError } from "../../provider/common/clean-error";
import { setStackConfig } from "../../provider/common/config";
import { DidwwClient, didwwError } from "../../provider/didww/client";
import { outboundTrunkRuntime } from "../../provider/didww/crud";
import { buildCreatePayload, outputsFromApi, withDefaults } from "../../provider/didww/mapping";
import { validateTrunkInputs } from "../../provider/didww/schema";
import type { OutboundTrunkInputs } from "../../provider/didww/types";
import { invoke, provider } from "../../provider/dynamic";
import { shimSource } from "../../provider/shim";
import { modelCreate, modelPatch } from "../helpers/didww-model";
import { credentialsTrunk, twilioTrunk, TWILIO_SID } from "../helpers/trunks";

const TRUNK_URL = "https://api.didww.com/v3/voice_out_trunks/t1?include=dids,emergency_dids";

/** The problem lines of a message, and N of its "... and N more errors left out" line (undefined when there is none). */
function problemLines(message: string): { shown: string[]; leftOut?: number } {
  const lines = message.split("\n").filter((l) => l.startsWith("  - "));
  const count = /^ {2}- \.\.\. and (\d+) more errors left out$/.exec(lines[lines.length - 1] ?? "");
  return { shown: count ? lines.slice(0, -1) : lines, leftOut: count ? Number(count[1]) : undefined };
}

/**
 * `line` is `linePrefix`, then the visible start of a detail (`detailStart`, then a run of `char`),
 * then "... (N more characters left out)", where what is visible and N add up to the detail's
 * full length `full`.
 */
function assertCutHonestly(line: string, linePrefix: string, detailStart: string, char: string, full: number): void {
  const head = linePrefix + detailStart;
  assert.ok(line.startsWith(head), line.slice(0, 200));
  const m = new RegExp(`^(${char}+)\\.\\.\\. \\((\\d+) more characters left out\\)`).exec(line.slice(head.length));
  assert.ok(m, `no cut marker right after the visible part: ${line.slice(0, 400)}`);
  assert.ok(m[1].length <= 1000, `${m[1].length} characters of the detail shown`);
  assert.equal(detailStart.length + m[1].length + Number(m[2]), full, `the count does not add up: ${line.slice(-120)}`);
}

describe("hardening: bounded error messages", () => {
  it("bounded: cuts and says how much was left out, leaves short text alone", () => {
    assert.equal(bounded("abcdef", 3), "abc... (3 more characters left out)");
    assert.equal(bounded("abc", 3), "abc");
  });

  it("5,000 problems of 100 KB each (no pointer): under 4,100 characters, counting what was left out", () => {
    const detail = "x".repeat(100 * 1024);
    const problems: VendorProblem[] = Array.from({ length: 5000 }, () => ({ detail }));
    const e = new VendorApiError({ vendor: "DIDWW", method: "PATCH", url: TRUNK_URL, status: 422, code: "VALIDATION", problems });
    assert.ok(e.message.length < 4100, `message of ${e.message.length} characters`);
    const { shown, leftOut } = problemLines(e.message);
    assert.ok(shown.length >= 1 && shown.length <= 10, `${shown.length} problems shown`);
    assert.equal(leftOut, 5000 - shown.length, "the message says how many errors were left out");
    for (const line of shown) assertCutHonestly(line, "  - ", "", "x", 100 * 1024);
  });

  it("a 422 body listing 5,000 errors with 100 KB details each: under 4,100 characters, saying how many errors were left out and that details were cut", function () {
    this.timeout(120_000); // builds and parses a 500 MB body
    const item = JSON.stringify({ title: "is invalid", detail: "x".repeat(100 * 1024), code: "100", status: "422", source: { pointer: "/data/attributes/capacity_limit" } });
    const text = `{"errors":[${Array(5000).fill(item).join(",")}]}`;
    const e = didwwError("PATCH", TRUNK_URL, { status: 422, text });
    assert.equal(e.code, "VALIDATION");
    assert.equal(e.problems.length, 5000);
    assert.ok(e.message.length < 4100, `message of ${e.message.length} characters`);
    const { shown, leftOut } = problemLines(e.message);
    assert.ok(shown.length >= 1, "at least one of DIDWW's errors is shown");
    // BUG (found against provider/common/errors.ts as first read): with DIDWW's usual error shape
    // (property + source.pointer on every error) ten lines exceeded MESSAGE_LIMITS.total, and the
    // overall cut removed the "... and 4990 more errors left out" line: the message ended
    // "xxx... (184 more characters left out)" instead of saying how many errors were left out.
    assert.equal(leftOut, 5000 - shown.length, `the count line is missing; message ends: ${JSON.stringify(e.message.slice(-80))}`);
    for (const line of shown) assertCutHonestly(line, "  - capacityLimit: ", "", "x", 100 * 1024);
  });

  it("the whole message is bounded too (a very long hint)", () => {
    const e = new VendorApiError({ vendor: "DIDWW", method: "GET", url: TRUNK_URL, code: "SERVER", status: 500, problems: [{ detail: "boom" }], hint: "h".repeat(10_000) });
    assert.ok(e.message.length <= 4000 + "... (99999 more characters left out)".length, `message of ${e.message.length} characters`);
    assert.match(e.message, /\.\.\. \(\d+ more characters left out\)$/);
  });

  it("a source.pointer is cut at 100 characters", () => {
    const e = new VendorApiError({ vendor: "DIDWW", method: "PATCH", url: TRUNK_URL, code: "VALIDATION", status: 422, problems: [{ detail: "bad", pointer: "/data/" + "p".repeat(1000) }] });
    assert.ok(e.message.includes(`[source.pointer /data/${"p".repeat(94)}... (906 more characters left out)]`), e.message);
  });

  it("a 20 MB body that is not JSON: a short message that says how much was left out", () => {
    const text = "upstream said: " + "z".repeat(20 * 1024 * 1024);
    const e = didwwError("GET", TRUNK_URL, { status: 500, text });
    assert.ok(e.message.length < 600, `message of ${e.message.length} characters`);
    const { shown } = problemLines(e.message);
    assert.equal(shown.length, 1);
    // BUG (in the working tree at the time of writing, MESSAGE_LIMITS.detail lowered to 200 =
    // MESSAGE_LIMITS.body): describeBody's "... (20971335 more characters left out)" is itself cut
    // by the detail bound, and the message claims "(39 more characters left out)" for a 20 MB body.
    assertCutHonestly(shown[0], "  - ", "upstream said: ", "z", text.length);
  });

  const html: [string, string, number | undefined, string][] = [
    ["doctype with title", "<!DOCTYPE html><html><head><title>502 Bad Gateway</title></head><body><center><h1>502 Bad Gateway</h1></center><hr><center>nginx</center></body></html>", 502, "HTML error page (502 Bad Gateway)"],
    ["a title that is not the status text", "<!doctype html>\n<html><head><title> Origin Down | edge </title></head><body>x</body></html>", 503, "HTML error page (Origin Down | edge)"],
    ["no title: the status text", "<html><body><h1>oops</h1></body></html>", 502, "HTML error page (502 Bad Gateway)"],
    ["no title, a 504", "<HTML><BODY>timeout</BODY></HTML>", 504, "HTML error page (504 Gateway Timeout)"],
    ["no title, no status", "<html><body>x</body></html>", undefined, "HTML error page (no title)"],
    ["a fragment starting with <head>", "\n  <head><meta charset=utf-8></head><body>Forbidden</body>", 403, "HTML error page (403 Forbidden)"],
    ["a 200 KB title is not quoted", `<html><head><title>${"t".repeat(200_000)}</title></head></html>`, 502, "HTML error page (502 Bad Gateway)"],
  ];
  for (const [title, page, status, expected] of html) {
    it(`describeBody: HTML, ${title}`, () => assert.equal(describeBody(page, status), expected));
  }

  it("describeBody: text collapsed to one line; an empty body said so", () => {
    assert.equal(describeBody("  Service\n\n  Unavailable\t now "), "Service Unavailable now");
    assert.equal(describeBody(" \n "), "(empty body)");
  });

  for (const withTitle of [true, false]) {
    it(`didwwError: an HTML 502 page ${withTitle ? "with" : "without"} a title shows no markup`, () => {
      const head = withTitle ? "<head><title>502 Bad Gateway</title><script>var a = '<b>';</script></head>" : "";
      const text = `<!DOCTYPE html><html>${head}<body>${"<p class=\"err\">gateway</p>".repeat(10_000)}</body></html>`;
      const e = didwwError("GET", TRUNK_URL, { status: 502, text });
      assert.equal(e.code, "SERVER");
      assert.deepEqual(e.problems.map((p) => p.detail), ["HTML error page (502 Bad Gateway)"]);
      assert.ok(e.message.includes("\n  - HTML error page (502 Bad Gateway)\n"), e.message);
      assert.equal(/[<>]/.test(e.message), false, e.message);
    });
  }

  it("didwwError bounds each error's title and code", () => {
    const e = didwwError("PATCH", TRUNK_URL, { status: 422, text: JSON.stringify({ errors: [{ title: "T".repeat(5000), code: "C".repeat(5000), detail: "d" }] }) });
    assert.equal(e.problems[0].title, `${"T".repeat(100)}... (4900 more characters left out)`);
    assert.equal(e.problems[0].vendorCode, `${"C".repeat(20)}... (4980 more characters left out)`);
  });
});

/** Environment for runtime calls with the client stubbed: a key, an unreachable URL, no stack config. */
function stubbedRuntime() {
  const env = { ...process.env };
  const sandbox = sinon.createSandbox();
  return {
    sandbox,
    setup() {
      setStackConfig(undefined);
      process.env.DIDWW_API_KEY = "hardening-unit-key";
      process.env.DIDWW_API_URL = "http://127.0.0.1:9/v3";
    },
    /** Every DIDWW call stubbed; none may be made unless a test says otherwise. */
    stubAll() {
      return {
        getTrunk: sandbox.stub(DidwwClient.prototype, "getTrunk").rejects(new Error("unexpected getTrunk")),
        patchTrunk: sandbox.stub(DidwwClient.prototype, "patchTrunk").rejects(new Error("unexpected patchTrunk")),
        touchTrunk: sandbox.stub(DidwwClient.prototype, "touchTrunk").rejects(new Error("unexpected touchTrunk")),
        regenerateCredentials: sandbox.stub(DidwwClient.prototype, "regenerateCredentials").rejects(new Error("unexpected regenerateCredentials")),
        postTrunk: sandbox.stub(DidwwClient.prototype, "postTrunk").rejects(new Error("unexpected postTrunk")),
        deleteTrunk: sandbox.stub(DidwwClient.prototype, "deleteTrunk").rejects(new Error("unexpected deleteTrunk")),
        listRecentTrunks: sandbox.stub(DidwwClient.prototype, "listRecentTrunks").rejects(new Error("unexpected listRecentTrunks")),
      };
    },
    teardown() {
      sandbox.restore();
      process.env = { ...env };
      setStackConfig(undefined);
    },
  };
}

const TRUNK_ID = "0d1e2f30-4a5b-4c6d-8e7f-8091a2b3c4d5";
/** Outputs as create would have stored them for `inputs`. */
const storedOutputs = (inputs: OutboundTrunkInputs) => outputsFromApi(modelCreate(buildCreatePayload(inputs), TRUNK_ID), {}, inputs as never);

describe("hardening: check", () => {
  const rt = stubbedRuntime();
  beforeEach(() => rt.setup());
  afterEach(() => rt.teardown());

  it("without an API key, valid inputs are refused with how to set one", async () => {
    delete process.env.DIDWW_API_KEY;
    setStackConfig(undefined);
    await assert.rejects(outboundTrunkRuntime.check({}, credentialsTrunk()), (e: unknown) =>
      e instanceof Error && e.message.startsWith("didww.OutboundTrunk: no DIDWW API key. Set it with `pulumi config set --secret didww:apiKey"),
    );
  });

  it("the key may come from the stack config instead of the environment", async () => {
    delete process.env.DIDWW_API_KEY;
    await outboundTrunkRuntime.configure({ config: { get: (k: string) => (k === "didww:apiKey" ? "from-stack-config" : undefined) } });
    const r = await outboundTrunkRuntime.check({}, credentialsTrunk());
    assert.deepEqual(r.failures, []);
    assert.equal(r.inputs.rtpTimeout, 30, "check returns the inputs with the documented defaults");
  });

  it("invalid inputs give failures, not an exception, even without a key", async () => {
    delete process.env.DIDWW_API_KEY;
    const news = credentialsTrunk({ rtpTimeout: 1 });
    const r = await outboundTrunkRuntime.check({}, news);
    assert.equal(r.inputs, news);
    assert.deepEqual(r.failures, [{ property: "rtpTimeout", reason: "must be an integer number of seconds from 30 to 600, or null (got 1)" }]);
  });
});

describe("hardening: schema reasons", () => {
  it("techPrefix on a twilio trunk is refused, not silently dropped", () => {
    const failures = validateTrunkInputs(twilioTrunk({ authenticationMethod: { type: "twilio", twilioAccountSid: TWILIO_SID, techPrefix: "9" } as never }));
    assert.equal(failures.length, 1);
    assert.equal(failures[0].property, "authenticationMethod");
    assert.ok(failures[0].reason.includes("authenticationMethod.techPrefix does not apply"), failures[0].reason);
  });

  it("a bad list element quotes the element rule, not the list rule", () => {
    const failures = validateTrunkInputs(credentialsTrunk({ authenticationMethod: { type: "credentials_and_ip", allowedSipIps: ["1.2.3.4", "999.1.1.1"] } }));
    assert.equal(failures.length, 1);
    assert.equal(failures[0].property, "authenticationMethod");
    assert.ok(failures[0].reason.includes("authenticationMethod.allowedSipIps[1] must be an IPv4/IPv6 address or CIDR"), failures[0].reason);
    assert.equal(failures[0].reason.includes("non-empty list"), false, failures[0].reason);
    const rtp = validateTrunkInputs(credentialsTrunk({ allowedRtpIps: ["10.0.0.1", "nope"] }));
    assert.equal(rtp.length, 1);
    assert.ok(rtp[0].reason.startsWith("allowedRtpIps[1] must be an IPv4/IPv6 address or CIDR"), rtp[0].reason);
    assert.equal(rtp[0].reason.includes("must be null (no restriction)"), false, rtp[0].reason);
  });

  it("two bad nested values give one failure naming both paths", () => {
    const failures = validateTrunkInputs(credentialsTrunk({ authenticationMethod: { type: "credentials_and_ip", allowedSipIps: ["bad"], techPrefix: "abc" } }));
    assert.equal(failures.length, 1);
    assert.equal(failures[0].property, "authenticationMethod");
    assert.ok(failures[0].reason.includes("authenticationMethod.allowedSipIps[0]"), failures[0].reason);
    assert.ok(failures[0].reason.includes("authenticationMethod.techPrefix"), failures[0].reason);
  });
});

describe("hardening: update paths that make no call", () => {
  const rt = stubbedRuntime();
  beforeEach(() => rt.setup());
  afterEach(() => rt.teardown());

  it("state written by an older version (no rtpPing output) and inputs that omit it: no PATCH", async () => {
    const stubs = rt.stubAll();
    const inputs = credentialsTrunk();
    const { rtpPing: _dropped, ...olds } = storedOutputs(inputs);
    assert.equal("rtpPing" in olds, false);
    await outboundTrunkRuntime.update(TRUNK_ID, olds, withDefaults(inputs));
    assert.equal(stubs.patchTrunk.callCount, 0);
    assert.equal(stubs.touchTrunk.callCount, 0);
  });

  it("the same state with rtpPing: true in the program: one PATCH of rtp_ping", async () => {
    const stubs = rt.stubAll();
    const inputs = credentialsTrunk();
    const { rtpPing: _dropped, ...olds } = storedOutputs(inputs);
    const stored = modelCreate(buildCreatePayload(inputs), TRUNK_ID);
    stubs.patchTrunk.callsFake(async (_id: string, payload: unknown) => ({ data: modelPatch(stored, payload) }));
    const { outs } = await outboundTrunkRuntime.update(TRUNK_ID, olds, withDefaults({ ...inputs, rtpPing: true }));
    assert.equal(stubs.patchTrunk.callCount, 1);
    assert.deepEqual(stubs.patchTrunk.firstCall.args, [TRUNK_ID, { data: { id: TRUNK_ID, type: "voice_out_trunks", attributes: { rtp_ping: true } } }]);
    assert.equal(outs.rtpPing, true);
  });

  it("a changed credentialsRotation on a twilio trunk makes no call and records the new value", async () => {
    const stubs = rt.stubAll();
    const olds = storedOutputs(twilioTrunk({ credentialsRotation: "r1" }));
    assert.equal(olds.credentialsRotation, "r1");
    const { outs } = await outboundTrunkRuntime.update(TRUNK_ID, olds, withDefaults(twilioTrunk({ credentialsRotation: "r2" })));
    for (const [name, stub] of Object.entries(stubs)) assert.equal(stub.callCount, 0, `${name} was called`);
    assert.equal(outs.credentialsRotation, "r2");
  });

  it("the same change on a credentials_and_ip trunk does rotate (the stubs see calls)", async () => {
    const stubs = rt.stubAll();
    const inputs = credentialsTrunk({ credentialsRotation: "r1" });
    const olds = storedOutputs(inputs);
    const rotated = modelCreate(buildCreatePayload(inputs), TRUNK_ID);
    (rotated.attributes as any).authentication_method.attributes.username = "NewUser000000001";
    (rotated.attributes as any).authentication_method.attributes.password = "NewPass000000001";
    stubs.regenerateCredentials.resolves();
    stubs.touchTrunk.resolves({ data: rotated });
    const { outs } = await outboundTrunkRuntime.update(TRUNK_ID, olds, withDefaults(credentialsTrunk({ credentialsRotation: "r2" })));
    assert.deepEqual(stubs.regenerateCredentials.firstCall.args, [TRUNK_ID]);
    assert.equal(stubs.patchTrunk.callCount, 0);
    assert.equal(outs.username, "NewUser000000001");
    assert.equal(outs.credentialsRotation, "r2");
  });
});

/** Everything written to stderr while `fn` runs (process.stderr.write replaced, then restored). */
function captureStderr(fn: () => void): string {
  const original = process.stderr.write;
  let out = "";
  process.stderr.write = ((chunk: unknown) => {
    out += String(chunk);
    return true;
  }) as typeof process.stderr.write;
  try {
    fn();
  } finally {
    process.stderr.write = original;
  }
  return out;
}

const RECORDED_CONFIG_NOTE =
  "Note: `pulumi refresh` and `pulumi destroy` use the configuration recorded at the last `pulumi up`; " +
  "after changing the API key or URL, run `pulumi up` first, or add --run-program.";

const networkError = () =>
  new VendorApiError({ vendor: "DIDWW", method: "GET", url: TRUNK_URL, code: "NETWORK", problems: [{ detail: "no response (ECONNREFUSED)" }], hint: "Is https://api.didww.com/v3 reachable?" });

describe("hardening: clean errors for the dynamic provider host", () => {
  const rt = stubbedRuntime();
  beforeEach(() => rt.setup());
  afterEach(() => rt.teardown());

  it("keeps the message and name, and has no stack frames", () => {
    const original = new VendorApiError({ vendor: "DIDWW", method: "PATCH", url: TRUNK_URL, status: 422, code: "VALIDATION", problems: [{ detail: "capacity_limit - is invalid" }] });
    assert.ok(original.stack?.includes("\n    at "), "the original has frames");
    const clean = cleanError(original, "check");
    assert.equal(clean.message, original.message);
    assert.equal(clean.name, "VendorApiError");
    assert.equal(/\n\s+at /.test(String(clean.stack)), false, String(clean.stack));
  });

  it("keeps the id and properties of a partial create", () => {
    const err = Object.assign(new Error("created but not read back"), { id: "t-9", properties: { name: "pbx", __provider: "shim" } });
    const clean = cleanError(err, "create") as Error & { id?: string; properties?: unknown };
    assert.equal(clean.id, "t-9");
    assert.deepEqual(clean.properties, { name: "pbx", __provider: "shim" });
  });

  it("read failing with NETWORK: the message gains the note about the recorded configuration", async () => {
    const stubs = rt.stubAll();
    const original = networkError();
    stubs.getTrunk.rejects(original);
    const err = await invoke("didww:OutboundTrunk", "read", [TRUNK_ID, {}], 2).then(() => undefined, (e) => e);
    assert.equal(err.message, `${original.message}\n${RECORDED_CONFIG_NOTE}`);
    assert.equal(/\n\s+at /.test(String(err.stack)), false, String(err.stack));
  });

  it("create failing with NETWORK: the message is unchanged (no note)", async () => {
    const stubs = rt.stubAll();
    const original = networkError();
    stubs.postTrunk.rejects(original);
    const err = await invoke("didww:OutboundTrunk", "create", [credentialsTrunk()], 2).then(() => undefined, (e) => e);
    assert.equal(err.message, original.message);
    assert.equal(stubs.listRecentTrunks.callCount, 0, "nothing reached DIDWW: no reconciliation");
  });

  it("a partial create through invoke keeps id, properties (with __provider) and reasons, without frames", async () => {
    const stubs = rt.stubAll();
    const inputs = credentialsTrunk();
    const trunk = modelCreate(buildCreatePayload(inputs), TRUNK_ID);
    delete trunk.relationships; // no linkage: the read-back is needed, and fails
    stubs.postTrunk.resolves({ status: 201, headers: {}, text: JSON.stringify({ data: trunk }), attempts: 1 });
    stubs.getTrunk.rejects(new Error("read-back exploded"));
    const err = await invoke("didww:OutboundTrunk", "create", [{ ...inputs, __provider: "shim-text" }], 2).then(() => undefined, (e) => e);
    assert.equal(err.id, TRUNK_ID);
    assert.equal(err.properties.__provider, "shim-text");
    assert.equal(err.properties.name, "pbx");
    assert.match(err.message, /trunk 0d1e2f30-4a5b-4c6d-8e7f-8091a2b3c4d5 was created but reading it back failed: read-back exploded/);
    assert.deepEqual(err.reasons, [err.message]);
    assert.equal(/\n\s+at /.test(String(err.stack)), false, String(err.stack));
  });

  it("the host's own print of the error shows nothing; other console.error lines still print", () => {
    const e = cleanError(new Error("boom-3f9c1 unique message"), "check");
    const out = captureStderr(() => {
      console.error(`${e}: ${e.stack}`); // exactly what the dynamic provider host prints
      console.error("an unrelated line 7a2b");
      console.error(`${new Error("another failure 5d1e")}: not cleaned`);
    });
    assert.equal(out.includes("boom-3f9c1"), false, out);
    assert.ok(out.includes("an unrelated line 7a2b"), out);
    assert.ok(out.includes("another failure 5d1e"), out);
  });
});

describe("hardening: the __provider shim and provider()", () => {
  const text = shimSource("didww:OutboundTrunk");

  it("is under 1024 bytes and loads the package by name only", () => {
    assert.ok(Buffer.byteLength(text, "utf8") < 1024, `${Buffer.byteLength(text, "utf8")} bytes`);
    assert.ok(text.includes('"pulumi-sip-trunks/dynamic"'));
    assert.equal(/require\(\s*["'][./]/.test(text), false, "no relative or absolute require");
    assert.equal(text.includes(process.cwd()), false, "no path of this machine");
  });

  /** Evaluates the shim as a CommonJS module with a require that records what it loads. */
  function evaluate(loaded: (name: string) => unknown) {
    const requests: string[] = [];
    const createRequireFrom: string[] = [];
    const fakeRequire = (name: string): unknown => {
      requests.push(name);
      if (name === "path") return path;
      if (name === "module") {
        return {
          createRequire: (from: string) => {
            createRequireFrom.push(from);
            return loaded;
          },
        };
      }
      throw new Error(`unexpected require(${name})`);
    };
    const exports: { handler?: () => unknown } = {};
    new Function("exports", "require", text)(exports, fakeRequire);
    return { exports, requests, createRequireFrom };
  }

  it("handler() asks what it loaded for provider(\"didww:OutboundTrunk\", 2)", () => {
    const loads: string[] = [];
    const calls: unknown[][] = [];
    const result = { marker: "provider object" };
    const { exports, createRequireFrom } = evaluate((name) => {
      loads.push(name);
      return { provider: (...args: unknown[]) => { calls.push(args); return result; } };
    });
    assert.equal(typeof exports.handler, "function");
    assert.equal(exports.handler!(), result);
    assert.deepEqual(loads, ["pulumi-sip-trunks/dynamic"]);
    assert.deepEqual(calls, [["didww:OutboundTrunk", 2]]);
    assert.deepEqual(createRequireFrom, [path.join(process.cwd(), "index.js")], "resolved from the directory the host runs in");
  });

  it("handler() says how to install the package when it is missing", () => {
    const { exports } = evaluate(() => {
      throw Object.assign(new Error("Cannot find module 'pulumi-sip-trunks/dynamic'"), { code: "MODULE_NOT_FOUND" });
    });
    assert.throws(() => exports.handler!(), /pulumi-sip-trunks is not installed where the Pulumi provider runs .*npm install pulumi-sip-trunks/);
  });

  it("provider() returns exactly the seven methods", () => {
    const p = provider("didww:OutboundTrunk", 2) as unknown as Record<string, unknown>;
    assert.deepEqual(Object.keys(p).sort(), ["check", "configure", "create", "delete", "diff", "read", "update"]);
    for (const [name, fn] of Object.entries(p)) assert.equal(typeof fn, "function", name);
  });

  it("provider() refuses an unknown resource and a newer protocol with clear messages", () => {
    assert.throws(() => provider("didww:InboundTrunk", 2), (e: unknown) =>
      e instanceof Error && e.message.includes('does not serve resource "didww:InboundTrunk"') && e.message.includes("didww:OutboundTrunk"),
    );
    assert.throws(() => provider("didww:OutboundTrunk", 3), (e: unknown) =>
      e instanceof Error && e.message.includes("written by a newer version of this package (protocol 3)"),
    );
  });
});
