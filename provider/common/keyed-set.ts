/**
 * A resource's child entries as a keyed set (a credential list's credentials, an ACL's addresses,
 * a trunk's phone numbers), once for every vendor: the plan that makes the live entries the
 * desired ones (remove / update in place / create), the plan as diff entries, repeated
 * identities refused before any call, and the calls of a plan made in a safe order with what
 * exists recorded when one fails. What differs per kind of entry is data ({@link KeyedSet}); the
 * calls themselves are the vendor's ({@link PlanCalls}).
 */
import type { FieldChange } from "./diff";
import type { InputFailure } from "./errors";
import { containsUnknown } from "./unknown";

type Bag = Record<string, unknown>;

/**
 * One kind of entry as the planner sees it: `D` a desired entry (an input), `L` a live one (an
 * output), `U` what an in-place update sends.
 */
export interface KeyedSet<D extends object, L extends object, U extends object = Bag> {
  /** The resource's input holding the entries, e.g. `credentials`. */
  input: string;
  /** The entry's identity: entries of equal identity are the same entry; a changed identity is delete + create. */
  identity(entry: D | L): string;
  /** Among entries whose identity matched nothing, a live and a desired one with equal `pairKey` are updated in place. */
  pairKey?(entry: D | L): string;
  /**
   * What makes `live` what `desired` says, or `undefined` when it already is (always `undefined`
   * where the vendor has no update: then a difference is in the identity).
   * `readableOnly`: compare only what a read can see (an adoption cannot compare write-only values).
   */
  updateForm(live: L, desired: D, readableOnly: boolean): U | undefined;
  /** The entry in messages and diffs: never a secret. */
  describe(entry: D | L): unknown;
}

/** The calls that make the live entries the desired ones. */
export interface ChildPlan<D extends object, L extends object, U extends object = Bag> {
  /** Live entries that already match. */
  keep: L[];
  update: { live: L; desired: D; form: U }[];
  create: D[];
  remove: L[];
}

export function planChildren<D extends object, L extends object, U extends object>(kind: KeyedSet<D, L, U>, live: readonly L[], desired: readonly D[], readableOnly = false): ChildPlan<D, L, U> {
  const plan: ChildPlan<D, L, U> = { keep: [], update: [], create: [], remove: [] };
  const byIdentity = new Map<string, L>();
  for (const l of live) {
    // A second live entry of the same identity (made outside Pulumi) is one too many.
    if (byIdentity.has(kind.identity(l))) plan.remove.push(l);
    else byIdentity.set(kind.identity(l), l);
  }
  const unmatched: D[] = [];
  for (const d of desired) {
    const l = byIdentity.get(kind.identity(d));
    if (!l) {
      unmatched.push(d);
      continue;
    }
    byIdentity.delete(kind.identity(d));
    const form = kind.updateForm(l, d, readableOnly);
    if (form) plan.update.push({ live: l, desired: d, form });
    else plan.keep.push(l);
  }
  const leftover = [...byIdentity.values()];
  for (const d of unmatched) {
    const i = kind.pairKey ? leftover.findIndex((l) => kind.pairKey!(l) === kind.pairKey!(d)) : -1;
    if (i < 0) {
      plan.create.push(d);
      continue;
    }
    const [l] = leftover.splice(i, 1);
    // Paired on purpose: an update even if the form came out empty (the identity differs).
    plan.update.push({ live: l, desired: d, form: kind.updateForm(l, d, readableOnly) ?? ({} as U) });
  }
  plan.remove.push(...leftover);
  return plan;
}

export function planIsEmpty(plan: ChildPlan<object, object, object>): boolean {
  return plan.update.length + plan.create.length + plan.remove.length === 0;
}

/** The plan as diff entries, one per call (property: the input; values: the entries as {@link KeyedSet.describe} shows them). */
export function planChanges<D extends object, L extends object, U extends object>(kind: KeyedSet<D, L, U>, plan: ChildPlan<D, L, U>): FieldChange[] {
  return [
    ...plan.remove.map((l) => ({ property: kind.input, live: kind.describe(l), desired: null })),
    ...plan.update.map((u) => ({ property: kind.input, live: kind.describe(u.live), desired: { ...(kind.describe(u.desired) as Bag), sends: Object.keys(u.form) } })),
    ...plan.create.map((d) => ({ property: kind.input, live: null, desired: kind.describe(d) })),
  ];
}

/**
 * A failure per list input whose entries repeat an identity (e.g. the same username twice), so
 * it is refused before any call; merged into `failures` (one failure per top-level property).
 */
export function withDuplicateFailures(
  failures: InputFailure[],
  inputs: unknown,
  input: string,
  identity: (entry: Bag) => string | undefined,
  what: string,
): InputFailure[] {
  const entries = (inputs as Bag | null)?.[input];
  if (!Array.isArray(entries)) return failures;
  const seen = new Map<string, number>();
  const reasons: string[] = [];
  entries.forEach((entry, i) => {
    if (entry === null || typeof entry !== "object" || containsUnknown(entry)) return;
    const id = identity(entry as Bag);
    if (id === undefined) return;
    const first = seen.get(id);
    if (first === undefined) seen.set(id, i);
    else reasons.push(`${input}[${i}] repeats ${what} ${JSON.stringify(id)} of ${input}[${first}]: each ${what} may appear once`);
  });
  if (!reasons.length) return failures;
  const out = failures.map((f) => ({ ...f }));
  const existing = out.find((f) => f.property === input);
  if (existing) existing.reason = [existing.reason, ...reasons].join("; ");
  else out.push({ property: input, reason: reasons.join("; ") });
  return out;
}

/** The entry calls stopped part-way: `children` is what exists now (the calls made so far applied). */
export class ChildWriteError extends Error {
  constructor(
    readonly children: unknown[],
    readonly failure: Error,
  ) {
    super(failure.message);
    this.name = failure.name;
  }
}

/** The vendor's calls for one plan. */
export interface PlanCalls<D extends object, L extends object, U extends object> {
  /** The live entry's own id (the key of what exists). */
  idOf(entry: L): string;
  /** Removes a live entry (one already gone is not an error). */
  remove(entry: L): Promise<void>;
  /** Updates a live entry in place; returns it as it is now. */
  update(step: { live: L; desired: D; form: U }): Promise<L>;
  /** Creates an entry (reconciling an ambiguous outcome); returns it as it is now. */
  create(desired: D): Promise<L>;
}

/**
 * Makes the calls of `plan`: removes first (a freed name or number can be taken again), then
 * in-place updates, then creates. Returns every entry as it is now; throws a
 * {@link ChildWriteError} holding the same when a call fails.
 */
export async function applyPlan<D extends object, L extends object, U extends object>(plan: ChildPlan<D, L, U>, calls: PlanCalls<D, L, U>): Promise<L[]> {
  const now = new Map<string, L>([...plan.keep, ...plan.remove, ...plan.update.map((u) => u.live)].map((l) => [calls.idOf(l), l]));
  try {
    for (const l of plan.remove) {
      await calls.remove(l);
      now.delete(calls.idOf(l));
    }
    for (const u of plan.update) now.set(calls.idOf(u.live), await calls.update(u));
    for (const d of plan.create) {
      const created = await calls.create(d);
      now.set(calls.idOf(created), created);
    }
  } catch (err) {
    throw new ChildWriteError([...now.values()], err as Error);
  }
  return [...now.values()];
}
