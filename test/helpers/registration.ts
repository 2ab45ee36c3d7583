/**
 * What a resource class registers with the engine, read under the SDK's own mocks (the mock
 * monitor of @pulumi/pulumi, with a hook on registerResource): its type, its
 * additionalSecretOutputs and the registered object (secrets still wrapped), so tests can check
 * that a class marks what it must secret.
 */
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { REPO_ROOT, type Props } from "./engine";

export interface Registered {
  type: string;
  /** additionalSecretOutputs */
  secrets: string[];
  object: Props;
  /** Where the SDK says the resource was declared: `file:///…#line,column`. */
  sourcePosition?: string;
}

/** Runs `make` (a resource constructor) under the SDK's mocks and returns every registration, once the resource has its URN. */
export async function registeredUnderMocks(make: () => pulumi.CustomResource): Promise<Registered[]> {
  /* eslint-disable @typescript-eslint/no-require-imports */
  const pulumiDir = path.dirname(require.resolve("@pulumi/pulumi/package.json", { paths: [REPO_ROOT] }));
  const { MockMonitor } = require(path.join(pulumiDir, "runtime", "mocks.js"));
  const settings = require(path.join(pulumiDir, "runtime", "settings.js"));
  const registered: Registered[] = [];
  const mocks: pulumi.runtime.Mocks = { newResource: (a) => ({ id: `${a.name}-id`, state: a.inputs }), call: (a) => a.inputs };
  await pulumi.runtime.setMocks(mocks, "contract", "test", false);
  const monitor = new MockMonitor(mocks);
  const register = monitor.registerResource.bind(monitor);
  monitor.registerResource = (req: any, callback: any) => {
    const at = req.getSourceposition?.();
    registered.push({ type: req.getType(), secrets: req.getAdditionalsecretoutputsList(), object: req.getObject()?.toJavaScript() ?? {}, sourcePosition: at ? `${at.getUri()}#${at.getLine()},${at.getColumn()}` : undefined });
    return register(req, callback);
  };
  settings.setMockOptions(monitor, "contract", "test", false);
  await settings.awaitFeatureSupport(); // the mock monitor supports secrets; setMockOptions forgot what it supports
  const resource = make();
  await new Promise((resolve) => resource.urn.apply(resolve));
  return registered;
}
