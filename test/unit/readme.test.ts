import { strict as assert } from "node:assert";
import { spawnSync } from "node:child_process";
import * as path from "node:path";

describe("README", () => {
  it("documents exactly the inputs of the field table (scripts/gen-readme.js --check)", () => {
    const r = spawnSync(process.execPath, [path.resolve(__dirname, "../../scripts/gen-readme.js"), "--check"], { encoding: "utf8" });
    assert.equal(r.status, 0, r.stderr);
  });
});
