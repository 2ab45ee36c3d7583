/**
 * The stable entry point the serialized providers call.
 *
 * Every `__provider` string in a stack's state loads this module by package name. State written
 * by the first version calls `invoke(resource, method, args, 1)` per method; later shims call
 * `provider(resource, 2)` once and get the method object. Keep both signatures and the resource
 * names stable forever: state written by any earlier version must still refresh, update and
 * delete with this one.
 */
import type { ResourceProvider } from "@pulumi/pulumi/dynamic";
import { cleanError } from "./common/clean-error";
import type { Runtime as ResourceRuntime } from "./common/runtime";

/** The newest shim contract this version serves. */
export const RUNTIME_PROTOCOL = 2;

type Runtime = ResourceRuntime<object, object>;
const METHODS = ["configure", "check", "diff", "create", "read", "update", "delete", "importRead"] as const;
type Method = (typeof METHODS)[number];
const isMethod = (name: string): name is Method => (METHODS as readonly string[]).includes(name);

const LOADERS: Record<string, () => Runtime> = {
  "didww:OutboundTrunk": () => (require("./didww/crud") as typeof import("./didww/crud")).outboundTrunkRuntime,
  "twilio:Trunk": () => (require("./twilio/trunk-crud") as typeof import("./twilio/trunk-crud")).trunkRuntime,
  "twilio:SipCredentialList": () => (require("./twilio/credential-list-crud") as typeof import("./twilio/credential-list-crud")).credentialListRuntime,
  "twilio:SipIpAccessControlList": () => (require("./twilio/ip-access-control-list-crud") as typeof import("./twilio/ip-access-control-list-crud")).ipAccessControlListRuntime,
  "twilio:OriginationUrl": () => (require("./twilio/origination-url-crud") as typeof import("./twilio/origination-url-crud")).originationUrlRuntime,
  "bolna:SipTrunk": () => (require("./bolna/sip-trunk-crud") as typeof import("./bolna/sip-trunk-crud")).sipTrunkRuntime,
};

/** Names of the resources this version of the package serves. */
export function knownResources(): string[] {
  return Object.keys(LOADERS);
}

function runtimeFor(resource: string, protocol: number): Runtime {
  if (protocol > RUNTIME_PROTOCOL) {
    throw new Error(`pulumi-sip-trunks: state was written by a newer version of this package (protocol ${protocol}); install that version or newer`);
  }
  const load = LOADERS[resource];
  if (!load) {
    throw new Error(`pulumi-sip-trunks: this installed version does not serve resource "${resource}" (it serves ${knownResources().join(", ")}); install a version that does`);
  }
  return load();
}

export async function invoke(resource: string, method: string, args: unknown[], protocol = 1): Promise<unknown> {
  try {
    const runtime = runtimeFor(resource, protocol);
    // A method this package does not implement (the host only calls what exists on the shim).
    if (!isMethod(method)) throw new Error(`pulumi-sip-trunks: resource "${resource}" has no method "${method}"`);
    const fn = runtime[method] as (...a: unknown[]) => Promise<unknown>;
    return await fn.apply(runtime, args);
  } catch (err) {
    throw cleanError(err, method);
  }
}

/** The provider object a protocol-2 shim hands to the engine's dynamic provider host. */
export function provider(resource: string, protocol: number): ResourceProvider {
  runtimeFor(resource, protocol); // fail at load, with the reason, rather than at the first call
  const call = (method: Method) => (...args: unknown[]) => invoke(resource, method, args, protocol) as Promise<never>;
  return {
    configure: call("configure"),
    check: call("check"),
    diff: call("diff"),
    create: call("create"),
    read: call("read"),
    update: call("update"),
    delete: call("delete"),
  };
}
