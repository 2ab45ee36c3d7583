/**
 * The program side of every resource class: what it registers with the engine (every input and
 * output key declared, the serialized provider, secret outputs), the `import` option turned into
 * an adoption, and the warnings a program run gives (credentials in plain text, what an adoption does).
 */
import * as pulumi from "@pulumi/pulumi";
import { programConfig, setting } from "./config";
import { warnIfConfigNotSecret } from "./program";

export interface ResourceClassSpec {
  /** The type token, e.g. `pulumi-nodejs:dynamic/didww:OutboundTrunk`. */
  type: string;
  /** The `__provider` text (see provider/shim.ts). */
  shim: string;
  /** Every input and output key, so each becomes an Output property of the resource. */
  keys: readonly string[];
  /** Outputs the engine must store encrypted. */
  secretOutputs: readonly string[];
  /** Config keys holding credentials: a plain-text one gets a warning. */
  credentialConfig: readonly string[];
  vendor: string;
  /** What one resource is called, e.g. `trunk`. */
  noun: string;
  /** The vendor's canonical spelling of an id (e.g. lower-case UUIDs). */
  canonicalId?: (id: string) => string;
}

export interface AdoptableOptions extends pulumi.CustomResourceOptions {
  /**
   * Adopt an existing resource by id instead of creating one. Works although the engine's own
   * import cannot reach dynamic providers: the id becomes the `importId` input and `create`
   * reads the resource, compares it with the arguments and fails on any difference unless
   * `onImportMismatch: "update"`. Removing the option afterwards changes nothing.
   */
  import?: pulumi.ID;
}

/** The props and options a resource class hands to `super(...)`. */
export function registration(spec: ResourceClassSpec, args: object | undefined, opts: AdoptableOptions): { props: Record<string, unknown>; opts: pulumi.CustomResourceOptions; importId?: pulumi.ID } {
  const { import: importId, ...rest } = opts;
  const props: Record<string, unknown> = {};
  for (const k of spec.keys) props[k] = undefined;
  Object.assign(props, args ?? {});
  if (importId !== undefined) props.importId = importId;
  props.__provider = spec.shim;
  const additionalSecretOutputs = [...new Set([...(rest.additionalSecretOutputs ?? []), ...spec.secretOutputs])];
  return { props, opts: { ...rest, additionalSecretOutputs }, importId: rest.id === undefined ? importId : undefined };
}

/**
 * The program-side cost of registering a resource. The SDK gives every property of a resource
 * four promises and records a stack trace for each, kept only for its report of leaked promises;
 * under ts-node each trace is also mapped through source maps. A trunk has about 30 properties,
 * so for 200 trunks that was 4.0 s of CPU in a 13.3 s no-op preview, and the preview took
 * 1.24-1.35× a minimal dynamic provider's (bench/cli.ts). `quietStacks()` lowers
 * `Error.stackTraceLimit` to 0 for the synchronous `super()` of a resource class only; `restore()`
 * puts it back, and `restack()` gives an error thrown in between a stack from the caller of the
 * constructor, the user's `new`. `PULUMI_DEBUG_PROMISE_LEAKS`, the SDK's switch for debugging
 * leaks, keeps the traces.
 */
export function quietStacks(): { restore(): void; restack(err: unknown, ctor: Function): unknown } {
  const limit = Error.stackTraceLimit;
  const prepare = Error.prepareStackTrace;
  const quiet = !process.env.PULUMI_DEBUG_PROMISE_LEAKS;
  if (quiet) Error.stackTraceLimit = 0;
  // The SDK takes a resource's source position (and the stack trace the engine stores with it) by
  // skipping a fixed number of frames: its own two constructors and the concrete class's. The base
  // class's constructor is one more, which would make every resource point into this package
  // instead of at the program's `new`: its frames are left out of traces taken meanwhile.
  Error.prepareStackTrace = (err, sites) => {
    const kept = sites.filter((site) => site.getFileName() !== __filename);
    if (prepare) return prepare(err, kept);
    let header: string;
    try {
      header = String(err);
    } catch {
      header = "Error";
    }
    return header + kept.map((site) => `\n    at ${site}`).join("");
  };
  const restore = () => {
    if (quiet) Error.stackTraceLimit = limit;
    Error.prepareStackTrace = prepare;
  };
  return {
    restore,
    restack(err, ctor) {
      restore();
      if (err instanceof Error && !/\n\s+at /.test(err.stack ?? "")) Error.captureStackTrace(err, ctor);
      return err;
    },
  };
}

/**
 * The base of every resource class of both modes: a `pulumi.CustomResource` whose registration
 * formats no stack trace per property promise (see {@link quietStacks}).
 */
export class QuietCustomResource extends pulumi.CustomResource {
  constructor(type: string, name: string, props: pulumi.Inputs, opts: pulumi.CustomResourceOptions) {
    const stacks = quietStacks();
    try {
      super(type, name, props, opts);
    } catch (err) {
      throw stacks.restack(err, new.target);
    } finally {
      stacks.restore();
    }
  }
}

/** What a program run says about a resource once registered. */
export function announce(spec: ResourceClassSpec, resource: pulumi.CustomResource, importId: pulumi.ID | undefined): void {
  for (const key of spec.credentialConfig) warnIfConfigNotSecret(key, resource);
  if (importId === undefined) return;
  pulumi.output(importId).apply((id) =>
    pulumi.log.info(
      `import option: adopts the existing ${spec.vendor} ${spec.noun} ${spec.canonicalId ? spec.canonicalId(String(id)) : String(id)} instead of creating one (no ${spec.noun} is created; ` +
        "the provider's diagnostics below say what the adoption changes). Once it is in the stack, the option changes nothing.",
      resource,
    ),
  );
}

/**
 * The resource's id as an output a preview knows. In a preview the engine stands a dynamic
 * resource's new inputs in for its outputs, so an output-only property (a SID) of a resource being
 * updated is unknown then, and everything built from it would preview as a change, or as a
 * replacement, that `up` never makes. The id is kept through an update, so a property that is
 * the id is taken from it.
 */
export function idOutput(resource: pulumi.CustomResource): pulumi.Output<string> {
  return resource.id.apply((id) => String(id));
}

/**
 * An output-only property the program's own config already knows (the account every resource of
 * the provider lives in), tied to the resource so that dependents still wait for it. Falls back
 * to the registered output when neither the config nor the environment says.
 */
export function knownFromConfig(resource: pulumi.CustomResource, registered: pulumi.Output<string | null>, configKey: string, envVar: string): pulumi.Output<string | null> {
  let known: string | undefined;
  try {
    known = setting(configKey, envVar, programConfig());
  } catch {
    known = undefined;
  }
  return known === undefined ? registered : resource.id.apply(() => known as string);
}
