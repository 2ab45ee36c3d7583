/**
 * Errors as the person running `pulumi refresh` or `destroy` should read them.
 *
 * For check, diff, read and delete, the dynamic provider host prints `${error}: ${error.stack}`
 * to stderr before it answers the engine with `error.message`, so each failure showed twice,
 * joined by ": VendorApiError:", with stack frames into sources the package does not ship.
 * create and update errors reach the engine through the message alone. This gives every
 * method the create behaviour: the error keeps its message (and, for a partial create, the id
 * and properties the engine needs), carries no stack frames, and the host's own print of it is
 * left out (that exact line only; everything else the host prints passes through).
 */
import { VendorApiError } from "./errors";

const pendingHostPrints = new Set<string>();
let filterInstalled = false;

function installHostPrintFilter(): void {
  if (filterInstalled) return;
  filterInstalled = true;
  const original = console.error.bind(console);
  console.error = (...args: unknown[]) => {
    if (args.length === 1 && typeof args[0] === "string" && pendingHostPrints.delete(args[0])) return;
    original(...args);
  };
}

/** Why a refresh or destroy may be talking to the wrong place or with the wrong key. */
const RECORDED_CONFIG_HINT =
  "Note: `pulumi refresh` and `pulumi destroy` use the configuration recorded at the last `pulumi up`; " +
  "after changing the API key or URL, run `pulumi up` first, or add --run-program.";

/** The error to throw from a provider method: its message and data, without stack frames. */
export function cleanError(err: unknown, method: string): Error {
  const message = err instanceof Error ? err.message : String(err);
  const recordedConfigMatters =
    (method === "read" || method === "delete") && err instanceof VendorApiError && ["NETWORK", "UNAUTHORIZED", "FORBIDDEN"].includes(err.code);
  const clean = new Error(recordedConfigMatters ? `${message}\n${RECORDED_CONFIG_HINT}` : message);
  clean.name = err instanceof Error ? err.name : "Error";
  if (err !== null && typeof err === "object") {
    // A partial create: the engine records the trunk from these.
    for (const key of ["id", "properties", "reasons", "code"]) {
      const value = (err as Record<string, unknown>)[key];
      if (value !== undefined) (clean as unknown as Record<string, unknown>)[key] = value;
    }
  }
  clean.stack = `${clean.name}: ${clean.message}`;
  installHostPrintFilter();
  pendingHostPrints.add(`${clean}: ${clean.stack}`);
  // The host prints synchronously before answering; anything not printed by then is forgotten.
  setTimeout(() => pendingHostPrints.delete(`${clean}: ${clean.stack}`), 5_000).unref();
  return clean;
}
