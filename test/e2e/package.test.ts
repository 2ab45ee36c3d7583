/**
 * End to end, as a new user meets the package: `npm pack` of the repository, then the README's Quickstart in fresh
 * Pulumi projects outside the repository (files, `npm install`, type-check, emulator, `pulumi up`, a no-op
 * `preview --expect-no-changes`, `destroy`). Two projects cover TypeScript 5 and 6 and both ends of the
 * `@pulumi/pulumi` peer range: the oldest version the range allows with TypeScript 5 (TypeScript 6 needs a newer
 * SDK, whose own peer range refuses it before 3.229), the pinned development version (the newest) with TypeScript 6.
 * Installs come from the registry through npm's usual cache, shared by both projects. A version that cannot be
 * installed fails the test with npm's message; nothing here is skipped silently.
 */
import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import { createRequire } from "node:module";
import * as os from "node:os";
import * as path from "node:path";
import * as semver from "semver";
import type * as EmulatorModule from "../../emulator";
import { danglingSourceMaps, testOnlyFiles } from "./package/contents";
import { describeRun, listFiles, mustRun, npmPack, run, type PackedFile } from "./package/npm";
import { README_PLACEHOLDERS, lineStartingWith, parseQuickstart, pulumiCommands, words, type Quickstart } from "./package/quickstart";
import { describeWithPulumi, pulumiLib, randomSuffix } from "./support";

const ROOT = pulumiLib.ROOT;
interface RepoPackageJson {
  name: string;
  version: string;
  license: string;
  dependencies?: Record<string, string>;
  devDependencies: Record<string, string>;
  peerDependencies?: Record<string, string>;
  typesVersions?: Record<string, Record<string, string[]>>;
  repository?: { url?: string };
  homepage?: string;
  bugs?: { url?: string };
  bin?: Record<string, string>;
}
const repoPkg = JSON.parse(fs.readFileSync(path.join(ROOT, "package.json"), "utf8")) as RepoPackageJson;

const PEER_RANGE = repoPkg.peerDependencies?.["@pulumi/pulumi"] ?? "";
const OLDEST_SDK = semver.minVersion(PEER_RANGE)?.version ?? "";
const NEWEST_SDK = repoPkg.devDependencies["@pulumi/pulumi"];
const TS5 = repoPkg.devDependencies.typescript;
const TS6 = "6.0.3";

interface Variant {
  label: string;
  typescript: string;
  sdk: string;
}
const VARIANTS: Variant[] = [
  { label: "ts5-oldest", typescript: TS5, sdk: OLDEST_SDK },
  { label: "ts6-newest", typescript: TS6, sdk: NEWEST_SDK },
];

const KEY = `pkg-key-${randomSuffix()}${randomSuffix()}`;
const log = (msg: string): void => console.log(`      [e2e] package: ${msg}`);
const secs = (ms: number): string => `${(ms / 1000).toFixed(1)} s`;

/** A file that imports every entry point, type-checked under each module resolution a user may have. */
const IMPORTS_CHECK = `import { startEmulator, DEFAULT_DID_IDS, type EmulatorHandle } from "pulumi-sip-trunks/emulator";
import { invoke } from "pulumi-sip-trunks/dynamic";
import { didww } from "pulumi-sip-trunks";
import * as siptrunks from "pulumi-sip-trunks/plugin";

export async function exercise(): Promise<string[]> {
  const emu: EmulatorHandle = await startEmulator({ port: 0, apiKeys: ["k"] });
  const ids: readonly string[] = DEFAULT_DID_IDS.plain;
  const args: didww.OutboundTrunkArgs = { name: "n", onCliMismatchAction: "reject_call", authenticationMethod: { type: "twilio", twilioAccountSid: "AC0123456789abcdef0123456789abcdef" } };
  // @ts-expect-error the emulator's options are typed, not any
  await startEmulator({ port: "not a number" });
  await emu.close();
  const pluginArgs: siptrunks.didww.OutboundTrunkArgs = args;
  const settings: siptrunks.ProviderArgs = { didwwApiKey: "k" };
  return [...ids, String(typeof invoke), args.name as string, pluginArgs.name as string, String(settings.didwwApiKey), siptrunks.didww.OUTBOUND_TRUNK_TYPE];
}
`;

/** Runs one of the README's `pulumi` commands (`--yes` added where it would ask); it must succeed and never print the key. */
async function readmeCommand(cmd: string[], dir: string, env: NodeJS.ProcessEnv) {
  const args = cmd[0] === "up" || cmd[0] === "destroy" ? [...cmd, "--yes"] : cmd;
  const r = await pulumiLib.runPulumi(args, { cwd: dir, env });
  const shown = { ...r, cmd: `pulumi ${args.join(" ")}`, ms: 0 };
  assert.equal(r.code, 0, `pulumi ${args.join(" ")} must succeed${describeRun(shown)}`);
  assert.ok(!r.stdout.includes(KEY) && !r.stderr.includes(KEY), `the API key appears in the output of pulumi ${args[0]}`);
  return { r, shown };
}

describe("e2e: the packed package, as a new project installs it", function () {
  let t0 = 0;
  let tmp = "";
  let tarball = "";
  let packed: PackedFile[] = [];
  let unpacked = "";
  let quickstart: Quickstart;
  let pluginQuickstart: Quickstart;

  before(async function () {
    this.timeout(300_000);
    t0 = Date.now();
    assert.ok(PEER_RANGE, "package.json must declare @pulumi/pulumi in peerDependencies");
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), "sip-trunks-package-"));
    const rel = path.relative(ROOT, tmp);
    assert.ok(rel.startsWith("..") || path.isAbsolute(rel), `the temporary directory ${tmp} must be outside the repository`);
    const p = await npmPack(ROOT, tmp);
    tarball = p.tarball;
    packed = p.files;
    unpacked = path.join(tmp, "unpacked");
    fs.mkdirSync(unpacked);
    await mustRun("tar", "tar", ["-xzf", tarball, "-C", unpacked, "--strip-components=1"], tmp);
    quickstart = parseQuickstart(fs.readFileSync(path.join(unpacked, "README.md"), "utf8"));
    pluginQuickstart = parseQuickstart(fs.readFileSync(path.join(unpacked, "README.md"), "utf8"), "Quickstart, plugin mode");
    log(`npm pack (with the prepack build) ${secs(p.ms)}: ${path.basename(tarball)}, ${packed.length} files`);
  });

  after(function () {
    if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
    log(`whole suite ${secs(Date.now() - t0)}`);
  });

  describe("the tarball", function () {
    it("holds the documentation and the license the package points to", () => {
      const names = packed.map((f) => f.path);
      for (const f of ["package.json", "README.md", "LICENSE", "docs/emulator.md", "dist/provider/index.js", "dist/provider/index.d.ts", "dist/provider/dynamic.js", "dist/emulator/index.js", "dist/emulator/index.d.ts", "dist/emulator/cli.js"]) {
        assert.ok(names.includes(f), `the package must contain ${f}; it has ${names.join(", ")}`);
      }
      assert.deepEqual(listFiles(unpacked), [...names].sort(), "the tarball must hold exactly what npm pack listed");
      const readme = fs.readFileSync(path.join(unpacked, "README.md"), "utf8");
      assert.match(readme, /\(docs\/emulator\.md\)/, "the README links docs/emulator.md");
      // The provider plugin: its executable (mode 755 kept by npm), its Windows twin and its schema.
      for (const f of ["plugin/pulumi-resource-siptrunks", "plugin/pulumi-resource-siptrunks.cmd", "plugin/schema.json", "dist/provider/plugin-host/main.js"]) {
        assert.ok(names.includes(f), `the package must contain ${f}`);
      }
      assert.equal(fs.statSync(path.join(unpacked, "plugin", "pulumi-resource-siptrunks")).mode & 0o111, 0o111, "the plugin must be executable");
      const license = fs.readFileSync(path.join(unpacked, "LICENSE"), "utf8");
      assert.equal(repoPkg.license, "Apache-2.0");
      assert.match(license, /^\s*Apache License\s+Version 2\.0, January 2004/, "LICENSE must be the Apache License 2.0 text");
      for (const s of ["TERMS AND CONDITIONS FOR USE, REPRODUCTION, AND DISTRIBUTION", "9. Accepting Warranty or Additional Liability.", "END OF TERMS AND CONDITIONS"]) {
        assert.ok(license.includes(s), `LICENSE lacks "${s}": not the whole license text`);
      }
    });

    it("leaves out the benchmarks, test-only files and source maps of sources it does not ship", () => {
      const names = packed.map((f) => f.path);
      assert.deepEqual(testOnlyFiles(names), [], "test-only or benchmark files in the package");
      assert.deepEqual(danglingSourceMaps(unpacked, names), [], "source maps pointing at files the package lacks");
    });

    it("declares its repository, and @pulumi/pulumi as a peer (not a dependency), with types for every entry point under node10", () => {
      const pkg = JSON.parse(fs.readFileSync(path.join(unpacked, "package.json"), "utf8")) as RepoPackageJson;
      const home = "https://github.com/pulumi-sip-trunks/pulumi-sip-trunks";
      assert.ok(pkg.repository?.url?.includes("github.com/pulumi-sip-trunks/pulumi-sip-trunks"), `repository: ${JSON.stringify(pkg.repository)}`);
      assert.ok(pkg.homepage?.startsWith(home), `homepage: ${pkg.homepage}`);
      assert.ok(pkg.bugs?.url?.startsWith(home), `bugs: ${JSON.stringify(pkg.bugs)}`);
      assert.equal(pkg.dependencies?.["@pulumi/pulumi"], undefined, "@pulumi/pulumi must not be a dependency: a project on another version would get a second copy");
      assert.equal(pkg.peerDependencies?.["@pulumi/pulumi"], PEER_RANGE);
      assert.ok(OLDEST_SDK && semver.satisfies(NEWEST_SDK, PEER_RANGE), `the pinned @pulumi/pulumi ${NEWEST_SDK} must be inside the peer range ${PEER_RANGE}`);
      assert.equal(semver.major(TS5), 5, `the repository's TypeScript (${TS5}) is the TypeScript 5 of this test`);
      for (const sub of ["emulator", "dynamic", "plugin"]) {
        const target = pkg.typesVersions?.["*"]?.[sub]?.[0];
        assert.ok(target && packed.some((f) => f.path === path.posix.normalize(target)), `typesVersions must map ${sub} to a .d.ts in the package (got ${target})`);
      }
    });
  });

  describeWithPulumi("fresh Pulumi projects from the README's Quickstart", (bin) => {
    for (const v of VARIANTS) {
      describe(`TypeScript ${v.typescript}, @pulumi/pulumi ${v.sdk}`, function () {
        this.timeout(600_000);
        let dir = "";
        let stateDir = "";
        let emu: EmulatorModule.EmulatorHandle | undefined;
        let installed = false;
        let started = 0;

        const requireInstalled = (): void => {
          if (!installed) throw new Error(`the project for ${v.label} was not installed (see the failure of its npm install above)`);
        };

        before(() => {
          started = Date.now();
          dir = fs.mkdtempSync(path.join(os.tmpdir(), `sip-trunks-quickstart-${v.label}-`));
          stateDir = fs.mkdtempSync(path.join(os.tmpdir(), `sip-trunks-quickstart-state-${v.label}-`));
        });

        after(async () => {
          await emu?.close();
          for (const d of [dir, stateDir]) if (d) fs.rmSync(d, { recursive: true, force: true });
          log(`${v.label}: ${secs(Date.now() - started)}`);
        });

        it("npm install of the tarball, @pulumi/pulumi and typescript gives one copy of each, at the asked versions", async () => {
          for (const f of ["Pulumi.yaml", "package.json", "tsconfig.json"]) {
            assert.ok(quickstart.files[f], `the README Quickstart must show ${f} (a block opened with a name, e.g. "\`\`\`json ${f}")`);
            fs.writeFileSync(path.join(dir, f), quickstart.files[f]);
          }
          // The README's install line, with the tarball for the package and this variant's versions.
          const line = lineStartingWith(quickstart, "npm install");
          const args = words(line).slice(2).map((w) => {
            if (w === repoPkg.name) return tarball;
            if (w === "@pulumi/pulumi") return `@pulumi/pulumi@${v.sdk}`;
            if (/^typescript(@.*)?$/.test(w)) return `typescript@${v.typescript}`;
            throw new Error(`README Quickstart: the test does not know how to install "${w}" (${line})`);
          });
          assert.equal(args.length, 3, `README Quickstart: "${line}" must install the package, @pulumi/pulumi and typescript`);
          const r = await run("npm", ["install", "--no-audit", "--no-fund", "--prefer-offline", ...args], dir);
          assert.equal(r.code, 0, `npm could not install @pulumi/pulumi ${v.sdk} with TypeScript ${v.typescript} and the package; this is a failure, not a skip${describeRun(r)}`);
          log(`${v.label}: npm install ${secs(r.ms)}`);

          const version = (pkg: string): string => (JSON.parse(fs.readFileSync(path.join(dir, "node_modules", pkg, "package.json"), "utf8")) as { version: string }).version;
          assert.equal(version("@pulumi/pulumi"), v.sdk);
          assert.equal(version("typescript"), v.typescript);
          assert.equal(version(repoPkg.name), repoPkg.version);
          const ls = await run("npm", ["ls", "@pulumi/pulumi", "--all", "--parseable"], dir);
          assert.equal(ls.code, 0, `npm ls reports a problem (an unmet or invalid peer?)${describeRun(ls)}`);
          const copies = ls.stdout.split("\n").filter((l) => l.trim() !== "");
          assert.deepEqual(copies, [path.join(fs.realpathSync(dir), "node_modules", "@pulumi", "pulumi")], "exactly one @pulumi/pulumi, the project's own");
          installed = true;
        });

        it("type-checks the program and every entry point under node16, node10 and bundler resolution", async () => {
          requireInstalled();
          fs.writeFileSync(path.join(dir, "index.ts"), quickstart.files["index.ts"].replace(README_PLACEHOLDERS.didId, "00000000-0000-4000-8000-000000000000"));
          fs.writeFileSync(path.join(dir, "imports-check.ts"), IMPORTS_CHECK);
          const deprecations = semver.major(v.typescript) >= 6 ? { ignoreDeprecations: "6.0" } : {};
          const configs: Record<string, object> = {
            // The README's own tsconfig (node16), on the program and the imports.
            "tsconfig.node16.json": { extends: "./tsconfig.json", compilerOptions: { noEmit: true }, files: ["index.ts", "imports-check.ts"] },
            // Only how the imports resolve differs below (the .d.ts files were checked above, hence skipLibCheck).
            // moduleResolution "node" (node10) reads typesVersions, not exports; TypeScript 6 wants its deprecation acknowledged.
            "tsconfig.node10.json": { compilerOptions: { strict: true, skipLibCheck: true, target: "es2022", module: "commonjs", moduleResolution: "node", noEmit: true, ...deprecations }, files: ["imports-check.ts"] },
            "tsconfig.bundler.json": { compilerOptions: { strict: true, skipLibCheck: true, target: "es2022", module: "esnext", moduleResolution: "bundler", noEmit: true }, files: ["imports-check.ts"] },
          };
          const tsc = path.join(dir, "node_modules", "typescript", "bin", "tsc");
          for (const [file, config] of Object.entries(configs)) {
            fs.writeFileSync(path.join(dir, file), JSON.stringify(config, null, 2));
            const r = await run(process.execPath, [tsc, "-p", file], dir);
            assert.equal(r.code, 0, `tsc -p ${file} (TypeScript ${v.typescript}) must pass${describeRun(r)}`);
          }
          fs.rmSync(path.join(dir, "imports-check.ts"));
        });

        it("runs the emulator's bin as the README shows it, and its --help points at a file the package ships", async () => {
          requireInstalled();
          const line = lineStartingWith(quickstart, "npx -p pulumi-sip-trunks sip-trunks-emulator");
          // --offline: npx must find the bin in this project, never ask the registry for it.
          const r = await mustRun(line, "npx", ["--offline", ...words(line).slice(1, 4), "--help"], dir);
          assert.match(r.stdout, /docs\/emulator\.md/);
          assert.ok(fs.existsSync(path.join(dir, "node_modules", repoPkg.name, "docs", "emulator.md")), "docs/emulator.md is not installed with the package");
        });

        it("pulumi up, a no-op preview and destroy against the emulator, with the README's commands", async () => {
          requireInstalled();
          // The emulator of the installed package, loaded through its "./emulator" export.
          const fromProject = createRequire(path.join(dir, "package.json"));
          const { startEmulator } = fromProject(`${repoPkg.name}/emulator`) as typeof EmulatorModule;
          emu = await startEmulator({ port: 0, apiKeys: [KEY] });

          // DID ids as the README finds them: GET /v3/dids with the API key.
          const curl = lineStartingWith(quickstart, "curl");
          assert.ok(curl.includes(`${README_PLACEHOLDERS.apiUrl}/dids`) && curl.includes(`Api-Key: ${README_PLACEHOLDERS.apiKey}`), `README Quickstart: the DID listing should GET /v3/dids with the Api-Key header: ${curl}`);
          const res = await fetch(`${emu.didwwUrl}/dids`, { headers: { "Api-Key": KEY } });
          assert.equal(res.status, 200);
          const didId = ((await res.json()) as { data: Array<{ id: string }> }).data[0]?.id;
          assert.ok(didId, "the emulator lists no DID");
          const program = quickstart.files["index.ts"];
          assert.equal(program.split(README_PLACEHOLDERS.didId).length, 2, `the README program must contain ${README_PLACEHOLDERS.didId} once`);
          fs.writeFileSync(path.join(dir, "index.ts"), program.replace(README_PLACEHOLDERS.didId, didId));

          const env = pulumiLib.pulumiEnv(bin(), stateDir);
          const commands = pulumiCommands(quickstart, emu.didwwUrl, KEY);
          const lines = commands.map((c) => c.join(" "));
          const expected = ["stack init", `config set didww:apiUrl ${emu.didwwUrl}`, `config set --secret didww:apiKey ${KEY}`, "up", "preview --expect-no-changes", "destroy"];
          let at = -1;
          for (const e of expected) {
            const i = lines.findIndex((l, n) => n > at && (l === e || l.startsWith(`${e} `)));
            assert.ok(i > at, `README Quickstart: expected "pulumi ${e}" after the commands before it, in: ${lines.map((l) => `pulumi ${l}`).join("; ")}`);
            at = i;
          }

          let trunkId = "";
          for (const cmd of commands) {
            const { r, shown } = await readmeCommand(cmd, dir, env);
            if (cmd[0] === "up") {
              const trunks = emu.store.didww.listTrunks();
              assert.equal(trunks.length, 1, `up must create one trunk${describeRun(shown)}`);
              assert.equal(trunks[0].name, "Office PBX");
              assert.deepEqual(trunks[0].dids, [didId]);
              trunkId = trunks[0].id;
              const out = await pulumiLib.runPulumi(["stack", "output", "--json"], { cwd: dir, env });
              const outputs = JSON.parse(out.stdout) as Record<string, unknown>;
              assert.equal(outputs.trunkId, trunkId);
              assert.equal(outputs.sipPassword, "[secret]");
            }
          }
          assert.ok(trunkId, "no pulumi up ran");
          assert.equal(emu.store.didww.listTrunks().length, 0, "destroy must leave no trunk in the emulator");
        });

        it("plugin mode, with the README's plugin quickstart: the plugin runs from node_modules; up, a no-op preview and destroy", async () => {
          requireInstalled();
          assert.ok(emu, "the emulator of the previous test");
          const pluginState = fs.mkdtempSync(path.join(os.tmpdir(), `sip-trunks-quickstart-plugin-${v.label}-`));
          try {
            for (const f of ["Pulumi.yaml", "index.ts"]) assert.ok(pluginQuickstart.files[f], `the plugin-mode Quickstart must show ${f}`);
            assert.match(pluginQuickstart.files["Pulumi.yaml"], /path: \.\/node_modules\/pulumi-sip-trunks\/plugin/);
            fs.writeFileSync(path.join(dir, "Pulumi.yaml"), pluginQuickstart.files["Pulumi.yaml"]);
            const didId = ((await (await fetch(`${emu.didwwUrl}/dids`, { headers: { "Api-Key": KEY } })).json()) as { data: Array<{ id: string }> }).data[0].id;
            fs.writeFileSync(path.join(dir, "index.ts"), pluginQuickstart.files["index.ts"].replace(README_PLACEHOLDERS.didId, didId));
            const env = pulumiLib.pulumiEnv(bin(), pluginState);
            const commands = pulumiCommands(pluginQuickstart, emu.didwwUrl, KEY);
            const lines = commands.map((c) => c.join(" "));
            assert.deepEqual(lines, ["stack init dev", `config set siptrunks:didwwApiUrl ${emu.didwwUrl}`, `config set --secret siptrunks:didwwApiKey ${KEY}`, "up", "preview --expect-no-changes", "destroy"]);
            for (const cmd of commands) {
              const { r, shown } = await readmeCommand(cmd, dir, env);
              if (cmd[0] === "up") {
                assert.match(r.stdout, /\+ {2}siptrunks:didww:OutboundTrunk office created/, describeRun(shown));
                const trunks = emu.store.didww.listTrunks();
                assert.equal(trunks.length, 1);
                assert.deepEqual(trunks[0].dids, [didId]);
              }
            }
            assert.equal(emu.store.didww.listTrunks().length, 0, "destroy must leave no trunk in the emulator");
          } finally {
            fs.rmSync(pluginState, { recursive: true, force: true });
          }
        });
      });
    }
  });
});
