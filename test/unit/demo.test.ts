import { strict as assert } from "node:assert";
import { spawnSync } from "node:child_process";
import * as path from "node:path";

describe("npm run demo without a Pulumi CLI", () => {
  it("says how to get one instead of failing obscurely", () => {
    const r = spawnSync(process.execPath, [path.resolve(__dirname, "../../scripts/demo.js")], {
      encoding: "utf8",
      env: { ...process.env, PATH: path.dirname(process.execPath), PULUMI_SIP_TRUNKS_CACHE: path.join(__dirname, "no-such-cache"), SIP_TRUNKS_DEMO_BUILD_CLI: "0" },
    });
    assert.equal(r.status, 2, r.stderr);
    assert.match(r.stderr, /The Pulumi CLI was not found/);
    assert.match(r.stderr, /npm run pulumi:build/);
  });
});
