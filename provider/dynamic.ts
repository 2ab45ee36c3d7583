/**
 * The stable entry point the serialized providers call: `invoke(resource, method, args)`.
 *
 * Every `__provider` string in a stack's state is a few lines that load this module by
 * package name and call `invoke`. Keep its signature and the resource names stable forever:
 * state written by any earlier version must still refresh, update and delete with this one.
 */
import type { outboundTrunkRuntime } from "./didww/crud";

/** Bumped only if `invoke`'s own contract changes; the shims send the version they were built for. */
export const RUNTIME_PROTOCOL = 1;

type Runtime = typeof outboundTrunkRuntime;

const LOADERS: Record<string, () => Runtime> = {
  "didww:OutboundTrunk": () => (require("./didww/crud") as typeof import("./didww/crud")).outboundTrunkRuntime,
};

/** Names of the resources this version of the package serves. */
export function knownResources(): string[] {
  return Object.keys(LOADERS);
}

export async function invoke(resource: string, method: string, args: unknown[], protocol = 1): Promise<unknown> {
  if (protocol > RUNTIME_PROTOCOL) {
    throw new Error(`pulumi-sip-trunks: state was written by a newer version of this package (protocol ${protocol}); install that version or newer`);
  }
  const load = LOADERS[resource];
  if (!load) {
    throw new Error(`pulumi-sip-trunks: this installed version does not serve resource "${resource}" (it serves ${knownResources().join(", ")}); install a version that does`);
  }
  const runtime = load() as unknown as Record<string, (...a: unknown[]) => Promise<unknown>>;
  const fn = runtime[method];
  if (typeof fn !== "function") {
    // An optional method this resource does not implement (the host only calls what exists on the shim).
    throw new Error(`pulumi-sip-trunks: resource "${resource}" has no method "${method}"`);
  }
  return fn.apply(runtime, args);
}
