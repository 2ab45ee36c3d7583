/**
 * The test oracle (test/helpers/didww-model.ts) must stay independent of what it judges: if it
 * imported the provider's normalisers, a bug in them would be in the expected value too and no
 * property test could see it. Checked on the file's text, so a type-only or dynamic import counts.
 */
import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as path from "node:path";
import { normalizeCidr, parseDecimal } from "../../emulator/didww/normalize";
import { masked, modelCreate, modelPatch } from "../helpers/didww-model";

const REPO_ROOT = path.resolve(__dirname, "..", "..");
const PROVIDER_DIR = path.join(REPO_ROOT, "provider");
const MODEL_FILE = path.join(REPO_ROOT, "test", "helpers", "didww-model.ts");

/**
 * Every module specifier in a TypeScript source: `import … from "x"`, `import "x"`,
 * `export … from "x"`, `import("x")`, `require("x")` and `import x = require("x")`.
 */
function moduleSpecifiers(source: string): string[] {
  const patterns = [
    /\b(?:import|export)\s+(?:type\s+)?[^;'"`]*?\bfrom\s*(["'])([^"']+)\1/g,
    /\bimport\s*(["'])([^"']+)\1/g,
    /\bimport\s*\(\s*(["'])([^"']+)\1\s*\)/g,
    /\brequire\s*\(\s*(["'])([^"']+)\1\s*\)/g,
  ];
  const found: string[] = [];
  for (const re of patterns) for (const m of source.matchAll(re)) found.push(m[2]);
  return found;
}

/** Whether `specifier`, imported from `fromFile`, names something in provider/ (relative path or the package itself). */
function reachesProvider(specifier: string, fromFile: string): boolean {
  if (specifier.startsWith(".")) {
    const target = path.resolve(path.dirname(fromFile), specifier);
    return target === PROVIDER_DIR || target.startsWith(PROVIDER_DIR + path.sep);
  }
  // The package's own name resolves to dist/provider (package.json "exports"): the provider too.
  return specifier === "pulumi-sip-trunks" || specifier.startsWith("pulumi-sip-trunks/");
}

describe("test oracle independence (test/helpers/didww-model.ts)", () => {
  it("the import scanner sees every form of import, and knows what reaches provider/", () => {
    const sample = [
      `import { a } from "../../provider/common/ip";`,
      `import type { B } from '../../provider/didww/mapping';`,
      `export { c } from "../../provider/common/decimal";`,
      `import "../../provider/index";`,
      `const d = require("../../provider/didww/fields");`,
      `const e = await import("pulumi-sip-trunks/dynamic");`,
      `import {\n  f,\n  g,\n} from "../../emulator/didww/normalize";`,
    ].join("\n");
    const specs = moduleSpecifiers(sample);
    assert.deepEqual(specs.sort(), [
      "../../emulator/didww/normalize",
      "../../provider/common/decimal",
      "../../provider/common/ip",
      "../../provider/didww/fields",
      "../../provider/didww/mapping",
      "../../provider/index",
      "pulumi-sip-trunks/dynamic",
    ]);
    assert.deepEqual(
      specs.filter((s) => reachesProvider(s, MODEL_FILE)).sort(),
      ["../../provider/common/decimal", "../../provider/common/ip", "../../provider/didww/fields", "../../provider/didww/mapping", "../../provider/index", "pulumi-sip-trunks/dynamic"],
    );
    assert.equal(reachesProvider("../../emulator/didww/normalize", MODEL_FILE), false);
    assert.equal(reachesProvider("../../providers-elsewhere/x", MODEL_FILE), false, "a sibling whose name merely starts with provider");
  });

  it("imports nothing from provider/ (neither the normalisers nor types)", () => {
    const specs = moduleSpecifiers(fs.readFileSync(MODEL_FILE, "utf8"));
    assert.ok(specs.length > 0, "the scanner found the model's imports");
    assert.deepEqual(specs.filter((s) => reachesProvider(s, MODEL_FILE)), [], `didww-model.ts imports from provider/: ${specs.join(", ")}`);
  });

  it("reaches nothing in provider/ through the modules it imports either", () => {
    const seen = new Set<string>();
    const offending: string[] = [];
    const visit = (file: string): void => {
      if (seen.has(file)) return;
      seen.add(file);
      for (const spec of moduleSpecifiers(fs.readFileSync(file, "utf8"))) {
        if (reachesProvider(spec, file)) offending.push(`${path.relative(REPO_ROOT, file)} → ${spec}`);
        else if (spec.startsWith(".")) {
          const base = path.resolve(path.dirname(file), spec);
          const found = [`${base}.ts`, path.join(base, "index.ts")].find((f) => fs.existsSync(f));
          if (found) visit(found);
        }
      }
    };
    visit(MODEL_FILE);
    assert.ok(seen.has(path.join(REPO_ROOT, "emulator", "didww", "normalize.ts")), "the walk follows the model into the emulator's normalisers");
    assert.deepEqual(offending, []);
  });

  it("normalises as the emulator does (addresses to CIDRs, amounts to DIDWW's decimal text)", () => {
    const body = {
      data: {
        attributes: {
          name: "oracle",
          on_cli_mismatch_action: "reject_call",
          threshold_amount: 100,
          allowed_rtp_ips: ["203.0.113.7", "2001:DB8:0:0:0:0:0:1", "198.51.100.0/24"],
          authentication_method: { type: "credentials_and_ip", attributes: { allowed_sip_ips: ["192.0.2.1"] } },
        },
      },
    };
    const stored = modelCreate(body);
    assert.equal(stored.attributes.threshold_amount, parseDecimal(100)!.text);
    assert.equal(stored.attributes.threshold_amount, "100.0");
    assert.deepEqual(stored.attributes.allowed_rtp_ips, ["203.0.113.7/32", "2001:db8::1/128", "198.51.100.0/24"]);
    const auth = stored.attributes.authentication_method as { attributes: Record<string, unknown> };
    assert.deepEqual(auth.attributes.allowed_sip_ips, [normalizeCidr("192.0.2.1")]);
    assert.match(String(auth.attributes.username), /^[A-Za-z0-9]{16}$/);
    const patched = modelPatch(stored, { data: { attributes: { threshold_amount: "0250.50" } } });
    assert.equal(patched.attributes.threshold_amount, "250.5");
    const shown = masked(patched).attributes.authentication_method as { attributes: Record<string, unknown> };
    assert.match(String(shown.attributes.password), /^.{3}\*{6}$/);
  });

  it("refuses what DIDWW would refuse, instead of passing it through", () => {
    const body = (ips: string[]) => ({ data: { attributes: { name: "x", authentication_method: { type: "credentials_and_ip", attributes: { allowed_sip_ips: ips } } } } });
    assert.throws(() => modelCreate(body(["300.1.2.3"])), /not an address or CIDR/);
    assert.throws(() => modelCreate({ data: { attributes: { name: "x", threshold_amount: "1e3" } } }), /not a decimal/);
  });
});
