/**
 * Checks that run in the Pulumi program itself (not in the provider host).
 */
import * as pulumi from "@pulumi/pulumi";

const warned = new Set<string>();

/**
 * Warns, once per key and program run, when a credential sits in the stack config in plain
 * text (set without `--secret`): it is then readable in `Pulumi.<stack>.yaml` and in state.
 */
export function warnIfConfigNotSecret(key: string, resource: pulumi.Resource): void {
  if (warned.has(key)) return;
  const [namespace, name] = key.split(":");
  const value = new pulumi.Config(namespace).get(name);
  // isConfigSecret is exported at run time though not in the typings.
  const isSecret = (pulumi.runtime as unknown as { isConfigSecret?: (k: string) => boolean }).isConfigSecret;
  if (value === undefined || typeof isSecret !== "function" || isSecret(key)) return;
  warned.add(key);
  pulumi.log.warn(
    `${key} is stored in plain text in Pulumi.${pulumi.getStack()}.yaml and in the stack state. ` +
      `Make it a secret: pulumi config set --secret ${key} <value>`,
    resource,
  );
}
