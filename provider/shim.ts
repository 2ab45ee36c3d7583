/**
 * The text Pulumi stores in state as `__provider` for every dynamic resource of this package.
 *
 * It is written by hand rather than produced by Pulumi's closure serializer, so that it is a
 * few hundred bytes (the serializer wraps every method in its own scope: 3 KB per resource).
 * It holds nothing but the resource's name: `handler()` loads `pulumi-sip-trunks/dynamic` by
 * package name, resolved from the directory the provider host runs in (the Pulumi project), and
 * asks it for the provider. So no credential can be captured, and delete and refresh of old
 * state run the code of the package version installed now.
 */
import type * as pulumi from "@pulumi/pulumi";

/** The `provider(resource, protocol)` contract version these shims speak (1 was `invoke` per method). */
export const SHIM_PROTOCOL = 2;

/** The `__provider` text for one resource type. */
export function shimSource(resource: string): string {
  const name = JSON.stringify(resource);
  return [
    "// pulumi-sip-trunks: loads the installed package by name (see its README, State).",
    "exports.handler = function () {",
    '  var load = require("module").createRequire(require("path").join(process.cwd(), "index.js"));',
    `  try { return load("pulumi-sip-trunks/dynamic").provider(${name}, ${SHIM_PROTOCOL}); } catch (e) {`,
    '    if (e && e.code === "MODULE_NOT_FOUND" && String(e.message).indexOf("pulumi-sip-trunks") >= 0)',
    '      throw new Error("pulumi-sip-trunks is not installed where the Pulumi provider runs (" + process.cwd() + "): add it to the project\'s dependencies (npm install pulumi-sip-trunks).");',
    "    throw e;",
    "  }",
    "};",
    "",
  ].join("\n");
}

/** The provider object for one resource type, as the engine would get it from the shim (tests drive it directly). */
export function makeProvider(resource: string): pulumi.dynamic.ResourceProvider {
  // Loaded lazily, as the shim does: the program process never needs the runtime.
  const load = (): typeof import("./dynamic") => require("./dynamic");
  const call = (method: string, args: unknown[]) => load().invoke(resource, method, args, SHIM_PROTOCOL) as Promise<never>;
  return {
    configure: (req) => call("configure", [req]),
    check: (olds, news) => call("check", [olds, news]),
    diff: (id, olds, news) => call("diff", [id, olds, news]),
    create: (inputs) => call("create", [inputs]),
    read: (id, props) => call("read", [id, props]),
    update: (id, olds, news) => call("update", [id, olds, news]),
    delete: (id, props) => call("delete", [id, props]),
  };
}
