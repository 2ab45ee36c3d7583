/**
 * Provider settings: stack configuration first, then the environment.
 *
 * The dynamic provider host calls `configure()` once per process with the whole stack
 * configuration (namespaced keys such as `didww:apiKey`, secrets already decrypted). The
 * values live in this module's memory only: they are never captured into the serialized
 * provider and never written to state.
 */

type ConfigGetter = (key: string) => string | undefined;

let stackConfig: ConfigGetter | undefined;

/** Called from each provider's `configure()`. */
export function setStackConfig(get: ConfigGetter | undefined): void {
  stackConfig = get;
}

/** A setting from stack config (`namespace:key`) or the environment variable, in that order. */
export function setting(configKey: string, envVar: string): string | undefined {
  const fromStack = stackConfig?.(configKey);
  if (fromStack !== undefined && fromStack !== "") return String(fromStack);
  const fromEnv = process.env[envVar];
  return fromEnv !== undefined && fromEnv !== "" ? fromEnv : undefined;
}
