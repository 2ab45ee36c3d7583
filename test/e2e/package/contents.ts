/**
 * Checks of what a packed tarball holds, for test/e2e/package.test.ts.
 */
import * as fs from "node:fs";
import * as path from "node:path";

/**
 * Source-map references in the unpacked package `dir` that lead nowhere: a `//# sourceMappingURL=` comment of a
 * .js or .d.ts file naming a map the package lacks, and a map whose `sources` name files the package lacks (unless
 * the map embeds them in `sourcesContent`). Returns one line per problem.
 */
export function danglingSourceMaps(dir: string, files: readonly string[]): string[] {
  const have = new Set(files);
  const problems: string[] = [];
  const inPackage = (from: string, ref: string): string | undefined => {
    const rel = path.posix.normalize(path.posix.join(path.posix.dirname(from), ref));
    return rel.startsWith("../") ? undefined : rel;
  };
  for (const file of files) {
    if (/\.(c|m)?js$|\.d\.(c|m)?ts$/.test(file)) {
      const text = fs.readFileSync(path.join(dir, file), "utf8");
      for (const m of text.matchAll(/^\/\/[#@] sourceMappingURL=(\S+)\s*$/gm)) {
        const ref = m[1];
        if (ref.startsWith("data:")) continue;
        const target = inPackage(file, decodeURIComponent(ref));
        if (!target || !have.has(target)) problems.push(`${file} points at the source map ${ref}, which the package does not contain`);
      }
    }
    if (file.endsWith(".map")) {
      const map = JSON.parse(fs.readFileSync(path.join(dir, file), "utf8")) as { sources?: string[]; sourceRoot?: string; sourcesContent?: Array<string | null> };
      (map.sources ?? []).forEach((src, i) => {
        if (typeof map.sourcesContent?.[i] === "string") return;
        const target = inPackage(file, path.posix.join(map.sourceRoot ?? "", src));
        if (!target || !have.has(target)) problems.push(`${file} maps to ${src}, which the package does not contain`);
      });
    }
  }
  return problems;
}

/** Files that only the repository's own tests or benchmarks use. */
export function testOnlyFiles(files: readonly string[]): string[] {
  return files.filter((f) => /^dist\/(bench|test)\//.test(f) || /(^|\/)(test|tests|__tests__|fixtures)\//.test(f) || /\.(test|spec)\.(c|m)?(js|ts)$/.test(f));
}
