/**
 * What registering a resource costs the program. The SDK records a stack trace for each of the
 * four promises it gives every property, and a program under ts-node maps each trace through
 * source maps: with about 30 properties a trunk, that was most of a no-op preview's program time.
 * The classes lower `Error.stackTraceLimit` for their `super()` only (provider/common/resource.ts,
 * `quietStacks`). Checked here for every class of both modes, by counting the stack frames
 * formatted while one resource is constructed: none for the promises, the SDK's own trace for the
 * resource's source position still whole, the limit given back, an error thrown by the SDK still
 * carrying a stack that leads to the caller, and PULUMI_DEBUG_PROMISE_LEAKS keeping every trace.
 */
import { strict as assert } from "node:assert";
import type * as pulumi from "@pulumi/pulumi";
import { registeredUnderMocks } from "../helpers/registration";
import { CLASS_PAIRS } from "./support";

interface Formatted {
  /** Frames formatted for the promises' traces (every trace but the source position's). */
  frames: number;
  traces: number;
  /** The trace the SDK takes, at no limit, for the resource's source position. */
  sourcePosition: string[];
  limitAfter: number;
  resource: pulumi.CustomResource;
}

/** Stack frames formatted while `make` runs (synchronously), and the limit it leaves behind. */
function framesFormatted(make: () => pulumi.CustomResource): Formatted {
  const prepare = Error.prepareStackTrace;
  const limit = Error.stackTraceLimit;
  let frames = 0;
  let traces = 0;
  let sourcePosition: string[] = [];
  Error.stackTraceLimit = 13;
  Error.prepareStackTrace = (err, sites) => {
    traces++;
    if (sites[0]?.getFunctionName() === "callsites") sourcePosition = sites.map(String);
    else frames += sites.length;
    return prepare ? prepare(err, sites) : String(err);
  };
  try {
    const resource = make();
    return { frames, traces, sourcePosition, limitAfter: Error.stackTraceLimit, resource };
  } finally {
    Error.prepareStackTrace = prepare;
    Error.stackTraceLimit = limit;
  }
}

async function registered(make: () => pulumi.CustomResource): Promise<Formatted> {
  let seen: Formatted | undefined;
  await registeredUnderMocks(() => {
    seen = framesFormatted(make);
    return seen.resource;
  });
  return seen as Formatted;
}

describe("registration cost: no stack trace formatted while a resource registers", function () {
  this.timeout(30_000);

  for (const pair of CLASS_PAIRS) {
    for (const mode of ["dynamic", "plugin"] as const) {
      it(`${pair.token} (${mode}): no frames formatted in its super(), the limit given back`, async () => {
        const quiet = await registered(() => pair[mode]());
        assert.equal(quiet.limitAfter, 13, "Error.stackTraceLimit is given back");
        assert.equal(quiet.frames, 0, `${quiet.frames} stack frames formatted over ${quiet.traces} traces`);
        assert.ok(quiet.traces >= 4 * 5, `the SDK still asks for its traces (${quiet.traces}), only empty ones`);
        // The trace the engine gets the resource's source position from is whole: the SDK takes it at no limit.
        assert.ok(quiet.sourcePosition.some((f) => f.includes("registration-cost.test.ts")), quiet.sourcePosition.join("\n"));
      });
    }
  }

  for (const mode of ["dynamic", "plugin"] as const) {
    it(`every class (${mode}) is registered at the program's \`new\`, not inside this package`, async () => {
      // CLASS_PAIRS' constructors run in support.ts: that is the program here.
      for (const pair of CLASS_PAIRS) {
        const regs = await registeredUnderMocks(() => pair[mode]());
        const at = regs[regs.length - 1].sourcePosition ?? "(none)";
        assert.match(at, /\/test\/contract\/support\.ts#\d+,\d+$/, `${pair.token} (${mode}) registered at ${at}`);
      }
    });
  }

  it("without the quiet super() (PULUMI_DEBUG_PROMISE_LEAKS) the SDK formats a full trace per promise", async () => {
    const pair = CLASS_PAIRS[0];
    process.env.PULUMI_DEBUG_PROMISE_LEAKS = "1";
    try {
      const loud = await registered(() => pair.dynamic());
      assert.equal(loud.limitAfter, 13);
      // Four promises per property, each trace cut at the limit of 13 frames.
      assert.ok(loud.traces >= 4 * 20 && loud.frames >= loud.traces * 5, `${loud.frames} frames over ${loud.traces} traces`);
    } finally {
      delete process.env.PULUMI_DEBUG_PROMISE_LEAKS;
    }
  });

  for (const mode of ["dynamic", "plugin"] as const) {
    it(`an error the SDK throws in super() (${mode}) has a stack leading to the caller, and the limit is given back`, async () => {
      const limit = Error.stackTraceLimit;
      Error.stackTraceLimit = 13;
      try {
        // An empty name: the SDK's own check, thrown synchronously from its Resource constructor.
        const err = (() => {
          try {
            CLASS_PAIRS[0][mode]("");
          } catch (e) {
            return e as Error;
          }
          return undefined;
        })();
        assert.ok(err, "the SDK refused the empty name");
        assert.match(err.message, /Missing resource name/);
        assert.equal(Error.stackTraceLimit, 13);
        assert.match(err.stack ?? "", /registration-cost\.test\.ts/, "the stack reaches the caller's file");
      } finally {
        Error.stackTraceLimit = limit;
      }
    });
  }
});
