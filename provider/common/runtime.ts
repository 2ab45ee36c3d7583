/**
 * The runtime every resource of the package runs inside the Pulumi dynamic provider host:
 * check, diff, create (or adoption), read, update, delete, sequenced the same way for every
 * vendor. A resource supplies {@link ResourceHooks}: its validation, its diff, and the few calls
 * that differ per vendor; everything else (validation before any call, settings checked at
 * preview, documented defaults filled in, the adoption contract and its preview, partial-create
 * recording, "not found means gone", replacement by field) is here, once.
 */
import { createHash } from "node:crypto";
import { setStackConfig } from "./config";
import { CreateJournal, createJournal } from "./create-journal";
import { describeChange, describeChanges, type FieldChange } from "./diff";
import { InputError, type InputFailure } from "./errors";
import { notice } from "./notice";
import { containsUnknown, isUnknown } from "./unknown";

/** What the runtime itself reads of any resource's inputs (engine keys and the adoption controls). */
interface ControlView {
  __provider?: string;
  importId?: unknown;
  onImportMismatch?: unknown;
}
const controls = (inputs: object): ControlView => inputs as ControlView;

export interface ResourceHooks<I extends object, O extends object> {
  /** `vendor.Resource`, as messages name it. */
  resource: string;
  /** The vendor's name, e.g. `DIDWW`. */
  vendor: string;
  /** What one resource is called in messages, e.g. `trunk`. */
  noun: string;
  /** Every broken input rule, before any call. */
  validate(inputs: unknown): InputFailure[];
  /** Throws when the provider's settings are unusable (no key …): called by check, so preview fails. */
  settings(): void;
  /** The inputs with the documented defaults filled in (what check returns). */
  withDefaults(inputs: I): I;
  /** What must change for `olds` (the last outputs) to match `news`. */
  diff(olds: O, news: I): FieldChange[];
  /** The inputs among `changes` whose change replaces the resource. */
  replaces?(changes: FieldChange[]): string[];
  /**
   * A replacement deletes the old resource before creating the new one, where the two cannot
   * exist side by side (a name or a number unique per account).
   */
  deleteBeforeReplace?: boolean;
  /** Differences that count for an adoption (the resource's own properties, no control inputs). */
  adoptionChanges(live: O, inputs: I): FieldChange[];
  /** The import id in the vendor's canonical spelling. */
  importId(inputs: I): string;
  /** How the program names the resource (for messages), e.g. its `name` input. */
  label(inputs: I): string;
  /** The live resource as outputs, or `undefined` when it does not exist (read-only). */
  fetch(id: string, prior: O | undefined, inputs: I): Promise<O | undefined>;
  /** The live resource as outputs for an adoption, in the fewest calls (e.g. one that also reveals credentials). */
  fetchForAdoption?(id: string, inputs: I): Promise<O | undefined>;
  /** Completes an adoption that changes nothing (e.g. learns credentials). */
  adopted?(id: string, live: O, inputs: I): Promise<O>;
  /** Creates the resource (reconciling an ambiguous outcome); throws {@link PartialCreateError} when it exists but is incomplete. */
  create(inputs: I): Promise<{ id: string; outs: O }>;
  /** Applies `changes` (never empty of meaning: may still send nothing) and returns the full new outputs. */
  update(id: string, olds: O, news: I, changes: FieldChange[]): Promise<O>;
  /** The live resource written as inputs (what `read` returns as `inputs`). */
  inputsFromOutputs(outs: O): I;
  /** Deletes; a resource already gone is not an error. */
  delete(id: string, props: O): Promise<void>;
}

/** The error a failed create throws when the resource exists: the engine records it instead of losing it. */
export class PartialCreateError extends Error {
  constructor(
    resource: string,
    noun: string,
    readonly id: string,
    /** Passed through by the host as the stored outputs; they keep `__provider`, which refresh and delete need. */
    readonly properties: Record<string, unknown>,
    cause: unknown,
    /** What failed after the create, e.g. "reading it back", "adding its credentials". */
    stage = "reading it back",
  ) {
    super(
      `${resource}: ${noun} ${id} was created but ${stage} failed: ${(cause as Error).message}\n` +
        "It is recorded in the stack; run `pulumi refresh` or `pulumi up` again to finish.",
    );
    this.name = "PartialCreateError";
  }
  get reasons(): string[] {
    return [this.message];
  }
}

/**
 * The error an update throws when it was applied only in part (a resource changed by several
 * calls): the host passes `properties` to the engine as the new outputs, so what was done is
 * recorded and the next `up` makes only the missing calls.
 */
export class PartialUpdateError extends Error {
  constructor(
    resource: string,
    noun: string,
    readonly id: string,
    /** Passed through by the host as the new outputs; they keep `__provider`. */
    readonly properties: Record<string, unknown>,
    cause: Error,
  ) {
    super(`${resource}: ${noun} ${id} was changed only in part: ${cause.message}\nWhat was done is recorded in the stack; run \`pulumi up\` again to finish.`);
    this.name = "PartialUpdateError";
  }
  get reasons(): string[] {
    return [this.message];
  }
}

/** What a create request came to: the vendor's answer, or a failure that may or may not have created it. */
export type CreateOutcome<R> = { done: R } | { ambiguous: Error };

/**
 * Sends a create; if the outcome is ambiguous (5xx, an unusable success answer, or a connection
 * that failed after sending), looks for what the request may have created before trying again,
 * so a lost response never leaves an orphan or a duplicate. `find` gets the time the attempt
 * started and returns the resources that are exactly the one the program describes.
 */
export async function createWithReconcile<R>(opts: {
  resource: string;
  label: string;
  noun: string;
  attempt(): Promise<CreateOutcome<R>>;
  find(startedAt: number): Promise<R[]>;
  idOf(found: R): string;
  now?: () => number;
  /** Where creates are remembered across processes (default the process's; `null`: none). */
  journal?: CreateJournal | null;
}): Promise<{ result: R; reconciled: boolean }> {
  const now = opts.now ?? Date.now;
  const journal = opts.journal === undefined ? createJournal() : (opts.journal ?? undefined);
  const key = CreateJournal.key(opts.resource, opts.label);
  const tooMany = (found: R[], why: string, when = "") =>
    new Error(
      `${opts.resource}: ${why}, and ${found.length} matching ${opts.noun}s${when} exist: ${found.map(opts.idOf).join(", ")}. ` +
        "Delete the extra ones, then adopt the right one with the `import` option.",
    );
  // A create of this resource whose outcome never reached an engine (a killed `up`): adopt what it made.
  const lost = journal?.lost(key) ?? [];
  if (journal && lost.length) {
    const found = (await opts.find(lost[0].startedAt)).filter((r) => !journal.claimed.has(opts.idOf(r)));
    if (found.length > lost.length) throw tooMany(found, `an earlier run was stopped while creating "${opts.label}"`);
    if (found.length) {
      journal.claimed.add(opts.idOf(found[0]));
      journal.forget(lost[0]);
      return { result: found[0], reconciled: true };
    }
    for (const entry of lost) journal.forget(entry); // nothing was made by them
  }
  const entry = journal?.begin(key, now());
  // What the journal keeps: an answer until the engine has recorded it, an unknown outcome until
  // a later run looks for it; a definite refusal (the request failed before it could create) not.
  let outcome: "answered" | "failed" | "unknown" = "failed";
  let createdId: string | undefined;
  try {
    for (let attempt = 1; ; attempt++) {
      const startedAt = now();
      const sent = await opts.attempt();
      if ("done" in sent) {
        outcome = "answered";
        createdId = opts.idOf(sent.done);
        return { result: sent.done, reconciled: false };
      }
      outcome = "unknown";
      const found = await opts.find(startedAt);
      if (found.length === 1) {
        outcome = "answered";
        createdId = opts.idOf(found[0]);
        return { result: found[0], reconciled: true };
      }
      if (found.length > 1) throw tooMany(found, `the create request for "${opts.label}" failed ambiguously (${sent.ambiguous.message.split("\n")[0]})`, " created just now");
      if (attempt === 2) throw sent.ambiguous;
    }
  } finally {
    journal?.end(entry, outcome, createdId);
  }
}

/** One client per process and settings; the key's secret parts are hashed, never kept in a map key. */
export function clientCache<S, C>(make: (settings: S) => C, keyOf: (settings: S) => { plain: unknown[]; secret: string }): (settings: S) => C {
  const clients = new Map<string, C>();
  return (settings) => {
    const k = keyOf(settings);
    const key = [...k.plain.map(String), createHash("sha256").update(k.secret).digest("hex")].join("\n");
    let c = clients.get(key);
    if (!c) {
      c = make(settings);
      clients.set(key, c);
    }
    return c;
  };
}

function isNewResource(olds: object | undefined): boolean {
  return !olds || Object.keys(olds).filter((k) => k !== "__provider").length === 0;
}

export type CheckResult<I> = { inputs: I; failures: InputFailure[] };
/**
 * `properties`: the inputs that change, dotted for nested values (`authenticationMethod.type`).
 * The dynamic provider host forwards only the other three; the provider plugin turns it into
 * the engine's detailed diff.
 */
export type DiffResult = { changes: boolean; replaces: string[]; deleteBeforeReplace: boolean; properties: string[] };

/** The methods the dynamic provider host calls, for one resource. */
export interface Runtime<I extends object, O extends object> {
  configure(req: { config: { get(key: string): string | undefined } }): Promise<void>;
  check(olds: I, news: I): Promise<CheckResult<I>>;
  diff(id: string, olds: O, news: I): Promise<DiffResult>;
  create(inputs: I): Promise<{ id: string; outs: O }>;
  read(id: string, props?: O): Promise<{ id: string; props: O | Record<string, never>; inputs: I | Record<string, never> }>;
  /**
   * The engine's import (provider plugin only): the resource read by id alone, in the call an
   * adoption uses (which also learns credentials a plain read masks), with its inputs written
   * out in full, defaults included, as a created resource's are.
   */
  importRead(id: string): Promise<{ id: string; props: O | Record<string, never>; inputs: I | Record<string, never> }>;
  update(id: string, olds: O, news: I): Promise<{ outs: O }>;
  delete(id: string, props?: O): Promise<void>;
}

export function defineRuntime<I extends object, O extends object>(hooks: ResourceHooks<I, O>): Runtime<I, O> {
  const importMismatchError = (id: string, changes: FieldChange[]) =>
    new Error(
      `${hooks.resource}: cannot import ${hooks.vendor} ${hooks.noun} ${id}: the live ${hooks.noun} differs from the program's arguments in ${changes.length} ` +
        `propert${changes.length === 1 ? "y" : "ies"}:\n${describeChanges(changes)}\n` +
        `Change the arguments to match the live ${hooks.noun}, or set onImportMismatch: "update" to make the ${hooks.noun} match the program.`,
    );

  /**
   * At preview (and again at `up`), an adoption says what it will do: which resource, that
   * nothing is created, and every property it would change, live value against the program's.
   */
  async function previewAdoption(news: I, failures: InputFailure[]): Promise<void> {
    const id = hooks.importId(news);
    let live: O | undefined;
    try {
      live = await hooks.fetch(id, undefined, news);
    } catch (err) {
      failures.push({ property: "importId", reason: `cannot read ${hooks.vendor} ${hooks.noun} ${id} to import it: ${(err as Error).message}` });
      return;
    }
    if (!live) {
      failures.push({ property: "importId", reason: `no ${hooks.vendor} ${hooks.noun} ${id} exists in this account` });
      return;
    }
    const changes = hooks.adoptionChanges(live, news);
    const head = `${hooks.resource} "${hooks.label(news)}": adopts the existing ${hooks.vendor} ${hooks.noun} ${id} (import option); no ${hooks.noun} is created.`;
    if (controls(news).onImportMismatch === "update") {
      notice(
        changes.length
          ? `${head} The adoption will change ${changes.length} propert${changes.length === 1 ? "y" : "ies"} of the live ${hooks.noun}:\n${describeChanges(changes)}`
          : `${head} It already matches the program; nothing is changed.`,
      );
      return;
    }
    if (changes.length === 0) {
      notice(`${head} It matches the program; nothing is changed.`);
      return;
    }
    for (const ch of changes) {
      failures.push({ property: ch.property.split(".")[0], reason: `import of ${id}: ${describeChange(ch, hooks.noun)} (match it, or set onImportMismatch: "update")` });
    }
  }

  async function adopt(inputs: I): Promise<{ id: string; outs: O }> {
    const id = hooks.importId(inputs);
    const live = await (hooks.fetchForAdoption ?? ((i: string, n: I) => hooks.fetch(i, undefined, n)))(id, inputs);
    if (!live) throw new Error(`${hooks.resource}: cannot import ${hooks.vendor} ${hooks.noun} ${id}: no such ${hooks.noun} in this account`);
    const changes = hooks.adoptionChanges(live, inputs);
    if (changes.length === 0) return { id, outs: hooks.adopted ? await hooks.adopted(id, live, inputs) : live };
    if (controls(inputs).onImportMismatch !== "update") throw importMismatchError(id, changes);
    return { id, outs: await hooks.update(id, live, inputs, changes) };
  }

  /** The engine asks about `id`: a create of it a killed run journaled is recorded after all. */
  function known(id: string, described: object | undefined): void {
    const journal = createJournal();
    if (!journal || !id || !described) return;
    let label: string;
    try {
      label = hooks.label(described as I);
    } catch {
      return;
    }
    if (typeof label === "string" && label) journal.confirm(CreateJournal.key(hooks.resource, label), id);
  }

  function validated(inputs: I): I {
    const failures = hooks.validate(inputs);
    if (failures.length) throw new InputError(hooks.resource, failures);
    return inputs;
  }

  return {
    async configure(req) {
      setStackConfig((key) => req.config.get(key));
    },

    async check(olds, news) {
      const failures = hooks.validate(news);
      if (failures.length) return { inputs: news, failures };
      hooks.settings(); // missing settings fail the preview, not only the `up`
      const inputs = hooks.withDefaults(news);
      const importId = controls(news).importId;
      if (isNewResource(olds) && typeof importId === "string" && !isUnknown(importId) && !containsUnknown(news)) {
        await previewAdoption(inputs, failures);
      }
      return { inputs, failures };
    },

    async diff(id, olds, news) {
      known(id, olds);
      const changes = hooks.diff(olds, news);
      const replaces = hooks.replaces?.(changes) ?? [];
      return {
        changes: changes.length > 0,
        replaces,
        deleteBeforeReplace: replaces.length > 0 && hooks.deleteBeforeReplace === true,
        properties: changes.map((c) => c.property),
      };
    },

    async create(inputs) {
      validated(inputs);
      if (controls(inputs).importId) return adopt(inputs);
      return hooks.create(inputs);
    },

    async read(id, props) {
      known(id, props);
      const outs = await hooks.fetch(id, props, {} as I);
      if (!outs) return { id: "", props: {}, inputs: {} };
      return { id, props: outs, inputs: hooks.inputsFromOutputs(outs) };
    },

    async importRead(id) {
      const outs = await (hooks.fetchForAdoption ?? ((i: string) => hooks.fetch(i, undefined, {} as I)))(id, {} as I);
      if (!outs) return { id: "", props: {}, inputs: {} };
      return { id, props: outs, inputs: hooks.withDefaults(hooks.inputsFromOutputs(outs)) };
    },

    async update(id, olds, news) {
      validated(news);
      return { outs: await hooks.update(id, olds, news, hooks.diff(olds, news)) };
    },

    async delete(id, props) {
      // A create of this run adopted the trunk from the journal of creates, so another resource of
      // the stack holds it now (a rename without an alias right after a killed run: the new name
      // takes over what the killed create of the old one made). The old name's delete lets it go.
      const journal = createJournal();
      if (journal?.claimed.delete(id)) {
        notice(`${hooks.resource}: ${hooks.noun} ${id} is not deleted: another resource of this stack took it over in this run (the create a stopped run left unrecorded).`);
        return;
      }
      known(id, props);
      await hooks.delete(id, (props ?? {}) as O);
    },
  };
}
