/**
 * Provider settings: stack configuration first, then the environment.
 *
 * The dynamic provider host calls `configure()` once per process with the whole stack
 * configuration (namespaced keys such as `didww:apiKey`, secrets already decrypted). The
 * values live in this module's memory only: they are never captured into the serialized
 * provider and never written to state.
 */

export type ConfigGetter = (key: string) => string | undefined;

let stackConfig: ConfigGetter | undefined;

/** Called from each provider's `configure()`. */
export function setStackConfig(get: ConfigGetter | undefined): void {
  stackConfig = get;
}

/**
 * A setting from stack config (`namespace:key`) or the environment variable, in that order.
 * `from` reads the stack config another way (a program's `pulumi.Config`, for lookups).
 */
export function setting(configKey: string, envVar: string, from: ConfigGetter | undefined = stackConfig): string | undefined {
  const fromStack = from?.(configKey);
  if (fromStack !== undefined && fromStack !== "") return String(fromStack);
  const fromEnv = process.env[envVar];
  return fromEnv !== undefined && fromEnv !== "" ? fromEnv : undefined;
}

/** Stack config as a Pulumi program reads it (lookups run in the program, not in the provider host). */
export function programConfig(): ConfigGetter {
  // Loaded here so the provider host, which never calls this, does not need the SDK's config module.
  const pulumi = require("@pulumi/pulumi") as typeof import("@pulumi/pulumi");
  const configs = new Map<string, InstanceType<typeof pulumi.Config>>();
  return (key) => {
    const [namespace, name] = key.split(":");
    let c = configs.get(namespace);
    if (!c) configs.set(namespace, (c = new pulumi.Config(namespace)));
    return c.get(name);
  };
}

/** A positive number from a setting's text, else `fallback` (absent, not a number, zero or negative). */
export function positiveSetting(text: string | undefined, fallback: number): number {
  const n = Number(text ?? fallback);
  return Number.isFinite(n) && n > 0 ? n : fallback;
}
