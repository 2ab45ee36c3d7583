/**
 * The program side of the engine contract: what `new didww.OutboundTrunk(...)` registers with
 * the engine (type token, `__provider`, additionalSecretOutputs, the `import` option turned into
 * the importId input), checked through pulumi.runtime.setMocks with a monitor that also records
 * the raw RegisterResource/ReadResource requests (the Mocks callbacks do not see resource options).
 *
 * And the size of the serialized provider, which every resource's state carries twice.
 */
import { strict as assert } from "node:assert";
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { PROVIDER_KEY, REPO_ROOT } from "../helpers/engine";
import { shimSource } from "../../provider/shim";
import { didww, TWILIO_SID, TYPE } from "./support";

/* eslint-disable @typescript-eslint/no-require-imports */
const pulumiDir = path.dirname(require.resolve("@pulumi/pulumi/package.json", { paths: [REPO_ROOT] }));
const { MockMonitor } = require(path.join(pulumiDir, "runtime", "mocks.js"));
const settings = require(path.join(pulumiDir, "runtime", "settings.js"));

interface RegisterRecord {
  kind: "register" | "read";
  type: string;
  name: string;
  id: string;
  importId: string;
  additionalSecretOutputs: string[];
  object: Record<string, unknown>;
}

class RecordingMonitor extends MockMonitor {
  readonly records: RegisterRecord[] = [];

  constructor(m: pulumi.runtime.Mocks) {
    super(m);
  }

  registerResource(req: any, callback: any) {
    this.records.push({
      kind: "register",
      type: req.getType(),
      name: req.getName(),
      id: "",
      importId: req.getImportid(),
      additionalSecretOutputs: req.getAdditionalsecretoutputsList(),
      object: req.getObject()?.toJavaScript() ?? {},
    });
    return super.registerResource(req, callback);
  }

  readResource(req: any, callback: any) {
    this.records.push({
      kind: "read",
      type: req.getType(),
      name: req.getName(),
      id: req.getId(),
      importId: "",
      additionalSecretOutputs: req.getAdditionalsecretoutputsList(),
      object: req.getProperties()?.toJavaScript() ?? {},
    });
    return super.readResource(req, callback);
  }
}

function settled<T>(output: pulumi.Output<T>): Promise<T> {
  return new Promise((resolve) => output.apply((v) => resolve(v)));
}

const mocks: pulumi.runtime.Mocks = {
  newResource: (args) => ({ id: args.id || `${args.name}-id`, state: args.inputs }),
  call: (args) => args.inputs,
};

describe("engine contract: what didww.OutboundTrunk registers, and the serialized provider", function () {
  this.timeout(60_000);
  let monitor: RecordingMonitor;
  let providerText: string;

  before(async function () {
    await pulumi.runtime.setMocks(mocks, "contract", "test", false);
    monitor = new RecordingMonitor(mocks);
    settings.setMockOptions(monitor, "contract", "test", false);
    providerText = shimSource("didww:OutboundTrunk");
  });

  it("the serialized provider (__provider) is small: under 1 KiB, and loads the runtime by package name", function () {
    const bytes = Buffer.byteLength(providerText, "utf8");
    console.log(`      __provider: ${bytes} bytes`);
    assert.ok(bytes < 1024, `__provider is ${bytes} bytes`);
    assert.match(providerText, /exports\.handler = /);
    assert.ok(providerText.includes('"pulumi-sip-trunks/dynamic"'), "it loads the runtime by package name");
    assert.doesNotMatch(providerText, /apiKey|Api-Key|DIDWW_API_KEY/i, "no credential, nor code that reads one");
  });

  it("registers the type pulumi-nodejs:dynamic/didww:OutboundTrunk with username and password as additionalSecretOutputs and the serialized provider as __provider", async function () {
    const trunk = new didww.OutboundTrunk(
      "class-shape",
      { name: "PBX", onCliMismatchAction: "reject_call", authenticationMethod: { type: "twilio", twilioAccountSid: TWILIO_SID } },
      { additionalSecretOutputs: ["createdAt"] },
    );
    await settled(trunk.urn);
    const record = monitor.records.find((r) => r.name === "class-shape");
    assert.ok(record, "the resource was registered");
    assert.equal(record.kind, "register");
    assert.equal(record.type, TYPE);
    assert.ok(record.additionalSecretOutputs.includes("username"), JSON.stringify(record.additionalSecretOutputs));
    assert.ok(record.additionalSecretOutputs.includes("password"), JSON.stringify(record.additionalSecretOutputs));
    assert.ok(record.additionalSecretOutputs.includes("createdAt"), "the caller's own additionalSecretOutputs are kept");
    assert.deepEqual([...didww.SECRET_OUTPUTS].sort(), ["password", "username"]);
    assert.equal(record.object[PROVIDER_KEY], providerText, "the class's __provider is exactly what the contract suite sends the host");
    assert.equal(record.object.name, "PBX");
    assert.equal(record.importId, "");
    assert.equal(record.object.importId, undefined);
  });

  it("turns the import option into the importId input and removes it from the resource options", async function () {
    const id = "5b5a2c55-4f0e-4bb6-8a3c-7a0f1f6a9d11";
    const trunk = new didww.OutboundTrunk(
      "class-import",
      { name: "PBX", onCliMismatchAction: "reject_call", authenticationMethod: { type: "twilio", twilioAccountSid: TWILIO_SID }, onImportMismatch: "update" },
      { import: id },
    );
    await settled(trunk.urn);
    const record = monitor.records.find((r) => r.name === "class-import");
    assert.ok(record);
    assert.equal(record.kind, "register", "a plain registration, not an engine import (which cannot reach dynamic providers)");
    assert.equal(record.importId, "", "the import option is not passed to the engine");
    assert.equal(record.object.importId, id, "it is the importId input instead");
    assert.equal(record.object.onImportMismatch, "update");
  });

  it("OutboundTrunk.get reads with nothing but __provider as props (what the contract suite's get sends)", async function () {
    const id = "8d9c1b2a-3e4f-4a5b-9c6d-7e8f9a0b1c2d";
    const trunk = didww.OutboundTrunk.get("class-get", id);
    await settled(trunk.urn);
    const record = monitor.records.find((r) => r.name === "class-get");
    assert.ok(record);
    assert.equal(record.kind, "read");
    assert.equal(record.id, id);
    assert.equal(record.type, TYPE);
    assert.deepEqual(Object.keys(record.object), [PROVIDER_KEY]);
    assert.equal(record.object[PROVIDER_KEY], providerText);
    assert.ok(record.additionalSecretOutputs.includes("password"));
  });
});
