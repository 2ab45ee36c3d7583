/**
 * The object Pulumi serializes into state as `__provider` for every dynamic resource.
 *
 * It holds nothing but the resource's name: each method loads `pulumi-sip-trunks/dynamic`
 * by package name, resolved from the directory the provider host runs in (the Pulumi
 * project), and forwards the call. So the state stays small (a few hundred bytes per
 * resource, not the provider's code), no credential can be captured, and delete/refresh of
 * old state run the code of the package version installed now.
 */
import type * as pulumi from "@pulumi/pulumi";

/** Loads the runtime; written so the closure serializer emits it as plain `require` calls. */
export function loadRuntime(): { invoke(resource: string, method: string, args: unknown[], protocol?: number): Promise<unknown> } {
  const nodeModule = require("module");
  const nodePath = require("path");
  const fromProject = nodeModule.createRequire(nodePath.join(process.cwd(), "pulumi-program.js"));
  try {
    return fromProject("pulumi-sip-trunks/dynamic");
  } catch (err) {
    if ((err as { code?: string }).code !== "MODULE_NOT_FOUND") throw err;
    throw new Error(
      `pulumi-sip-trunks is not installed where the Pulumi provider runs (${process.cwd()}): ` +
        "add it to the Pulumi project's dependencies (npm install pulumi-sip-trunks) and build it if you use a checkout.",
    );
  }
}

/** The dynamic provider for one resource type of this package. */
export function makeProvider(resource: string): pulumi.dynamic.ResourceProvider {
  const load = loadRuntime;
  const call = (method: string, args: unknown[]) => load().invoke(resource, method, args, 1) as Promise<never>;
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
