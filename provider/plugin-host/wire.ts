/**
 * Values on the provider protocol's wire, as the plugin sees them.
 *
 * The plugin tells the engine it accepts secrets, so a secret input arrives wrapped in the
 * engine's envelope (`{"4dabf…": "1b470…", value}`). The runtime works on plain values, so
 * inputs are unwrapped on the way in, and what goes back to the engine is wrapped again: every
 * property that was secret on the way in, every input the schema calls secret, and the outputs
 * the catalog stores encrypted. Nothing secret is ever handed back in plain text, whichever
 * way it reached the plugin.
 */

/** The envelope's signature key and value (the engine's `sig` package). */
export const SECRET_SIG = "4dabf18193072939515e22adb298388d";
export const SECRET_SIG_VALUE = "1b47061264138c4ac30d75fd1eb44270";

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
export type Props = Record<string, unknown>;

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

export function isSecretEnvelope(v: unknown): v is { value: unknown } {
  return isObject(v) && v[SECRET_SIG] === SECRET_SIG_VALUE;
}

export function secret(value: unknown): Props {
  return { [SECRET_SIG]: SECRET_SIG_VALUE, value };
}

/** `value` with every envelope replaced by what it holds. */
export function reveal(value: unknown): unknown {
  if (isSecretEnvelope(value)) return reveal(value.value);
  if (Array.isArray(value)) return value.map(reveal);
  if (isObject(value)) return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, reveal(v)]));
  return value;
}

function holdsSecret(value: unknown): boolean {
  if (isSecretEnvelope(value)) return true;
  if (Array.isArray(value)) return value.some(holdsSecret);
  if (isObject(value)) return Object.values(value).some(holdsSecret);
  return false;
}

/** Plain properties, and the names of the top-level properties that held a secret anywhere inside. */
export function unwrap(props: Props): { plain: Props; secretKeys: Set<string> } {
  const secretKeys = new Set<string>();
  const plain: Props = {};
  for (const [k, v] of Object.entries(props)) {
    if (holdsSecret(v)) secretKeys.add(k);
    plain[k] = reveal(v);
  }
  return { plain, secretKeys };
}

/**
 * `props` with each key of `secretKeys` that is present (and not null) wrapped as a secret, and
 * without `__provider` (what a dynamic resource moved to the plugin still carries in its state).
 */
export function wrap(props: Props, secretKeys: Iterable<string>): Props {
  const { __provider: _dynamicOnly, ...out } = props;
  for (const k of secretKeys) {
    if (out[k] !== undefined && out[k] !== null && !isSecretEnvelope(out[k])) out[k] = secret(out[k]);
  }
  return out;
}

/** Drops `undefined` members (a Struct cannot hold them) by a JSON round trip. */
export function plainJson(props: Props): { [key: string]: Json } {
  return JSON.parse(JSON.stringify(props)) as { [key: string]: Json };
}
