/**
 * Pure mapping of `bolna.SipTrunk`: defaults, the diff (fields, the write-only password, the
 * numbers as a keyed set), request bodies, outputs from a trunk record, and the live trunk
 * written back as inputs.
 *
 * The password is write-only: outputs keep `authPasswordHash`, a salted hash of the password last
 * sent (common/secret-hash.ts), and the applied-inputs snapshot keeps that hash where the password
 * was. A desired password that no longer matches the hash is sent (one PATCH); the live one cannot
 * be read, so it is never drift, and an adoption (which cannot compare it) sets it.
 */
import { appliedSnapshot, APPLIED_INPUTS_KEY, diffFields, fieldsAsInputs, withDefaults as fillDefaults, type FieldChange } from "../common/diff";
import { equivalent } from "../common/fields";
import { planChanges, planChildren, type ChildPlan, type KeyedSet } from "../common/keyed-set";
import { createPayload, updatePayload, type ApiValue } from "../common/payload";
import { objectsFromWire, VendorResponseError, wireMember } from "../common/response";
import { SECRET_SHOWN } from "../common/schema";
import { secretNeedsSending } from "../common/secret-hash";
import { containsUnknown, isUnknown } from "../common/unknown";
import {
  AUTH_PASSWORD,
  CREATE_FIELDS,
  LIST_CHILDREN,
  numberDigits,
  PHONE_NUMBER_CHILDREN,
  SIP_TRUNK_CONTROLS,
  SIP_TRUNK_FIELDS,
  type SipTrunkField,
} from "./sip-trunk-fields";
import type { PhoneNumber, PhoneNumberOutput, SipTrunkInputs, SipTrunkOutputs } from "./sip-trunk-types";

export { APPLIED_INPUTS_KEY, type FieldChange } from "../common/diff";

/** Inputs as the runtime sees them: possibly partial, possibly holding engine keys. */
export type SipTrunkIn = Partial<SipTrunkInputs> & { __provider?: string };
/** Outputs as stored: possibly written by an older version (keys missing). */
export type SipTrunkOut = Partial<SipTrunkOutputs> & { __provider?: string; [APPLIED_INPUTS_KEY]?: SipTrunkIn };

type Bag = Record<string, unknown>;
const VENDOR = "Bolna";
const isBag = (v: unknown): v is Bag => v !== null && typeof v === "object" && !Array.isArray(v);

// ------------------------------------------------------------------------------------------------
// Defaults
// ------------------------------------------------------------------------------------------------

/** An element of a list input with its attributes' defaults filled in (unknown values stay as they are). */
function elementWithDefaults(children: readonly { input: string; default?: unknown }[], element: unknown): unknown {
  if (!isBag(element)) return element;
  const out: Bag = { ...element };
  for (const c of children) if (out[c.input] === undefined && c.default !== undefined) out[c.input] = c.default;
  return out;
}

/**
 * The inputs with what omitting means filled in (check returns these): Bolna's documented
 * defaults, each gateway's port 5060 and priority 1, no IP identifiers, no numbers, no name on a
 * number. The password has no default.
 */
export function sipTrunkWithDefaults(inputs: SipTrunkIn): SipTrunkIn {
  const out: Bag = fillDefaults(SIP_TRUNK_FIELDS, inputs);
  for (const [input, children] of [...Object.entries(LIST_CHILDREN), ["phoneNumbers", PHONE_NUMBER_CHILDREN] as const]) {
    const given = out[input];
    if (Array.isArray(given)) out[input] = given.map((e) => elementWithDefaults(children, e));
  }
  if (out.phoneNumbers === undefined) out.phoneNumbers = [];
  return out as SipTrunkIn;
}

// ------------------------------------------------------------------------------------------------
// Numbers: a keyed set, by digits and name (the legacy API has no update of a number)
// ------------------------------------------------------------------------------------------------

type NumberIn = PhoneNumber;

/** A number's identity: its digits (`+` or not) and its name; a new name is another number (remove + add). */
const numberIdentity = (n: NumberIn | PhoneNumberOutput) => `${numberDigits(n.phoneNumber)}\n${n.name ?? ""}`;

export const PHONE_NUMBER_SET: KeyedSet<NumberIn, PhoneNumberOutput> = {
  input: "phoneNumbers",
  identity: numberIdentity,
  updateForm: () => undefined,
  describe: (n) => ({ phoneNumber: n.phoneNumber, name: n.name ?? null }),
};

/** The numbers the program means, or `undefined` while any is unknown. Omitted means none. */
export function desiredNumbers(inputs: SipTrunkIn): NumberIn[] | undefined {
  const given = inputs.phoneNumbers;
  if (given === undefined || given === null) return [];
  if (containsUnknown(given)) return undefined;
  return given;
}

/** The calls that make the trunk's numbers (`outputs.phoneNumbers`) the program's. */
export function numberPlan(outputs: SipTrunkOut, inputs: SipTrunkIn): ChildPlan<NumberIn, PhoneNumberOutput> {
  return planChildren(PHONE_NUMBER_SET, outputs.phoneNumbers ?? [], desiredNumbers(inputs) ?? []);
}

/** By digits, then name. */
export function compareNumbers(a: PhoneNumberOutput, b: PhoneNumberOutput): number {
  const [x, y] = [numberIdentity(a), numberIdentity(b)];
  return x < y ? -1 : x > y ? 1 : 0;
}

// ------------------------------------------------------------------------------------------------
// Diff
// ------------------------------------------------------------------------------------------------

/** The password's change, shown without its value, when the desired one must be sent. */
function passwordChange(outputs: SipTrunkOut, inputs: SipTrunkIn): FieldChange[] {
  if (!secretNeedsSending(inputs.authPassword, outputs.authPasswordHash)) return [];
  return [{ property: AUTH_PASSWORD.input, live: outputs.authPasswordHash ? SECRET_SHOWN : null, desired: SECRET_SHOWN }];
}

/**
 * What must change for the trunk Bolna last reported (`outputs`) to match `inputs`: its fields,
 * the password (unless `readableOnly`: an adoption cannot compare it), and one entry per number
 * call. A value still unknown (preview) counts as a change.
 */
export function diffSipTrunk(outputs: SipTrunkOut, inputs: SipTrunkIn, readableOnly = false): FieldChange[] {
  const changes = diffFields(SIP_TRUNK_FIELDS, outputs, inputs);
  if (!readableOnly) changes.push(...passwordChange(outputs, inputs));
  const numbers = desiredNumbers(inputs);
  if (numbers === undefined) changes.push({ property: "phoneNumbers", live: outputs.phoneNumbers ?? null, desired: inputs.phoneNumbers });
  else changes.push(...planChanges(PHONE_NUMBER_SET, numberPlan(outputs, inputs)));
  return changes;
}

// ------------------------------------------------------------------------------------------------
// Request bodies
// ------------------------------------------------------------------------------------------------

/** A list input's objects as Bolna's members (`{ gatewayAddress }` → `{ gateway_address, port, priority }`, defaults filled). */
const toApi: ApiValue = (field, value) => {
  const children = LIST_CHILDREN[field.input];
  if (!children || !Array.isArray(value)) return value;
  return value.map((e) => {
    const filled = elementWithDefaults(children, e) as Bag;
    return Object.fromEntries(children.filter((c) => filled[c.input] !== undefined).map((c) => [c.api, filled[c.input]]));
  });
};

/** A number's body: `+` kept as written (Bolna stores it verbatim), the E.164 check left off, so either spelling is taken. */
export function numberBody(n: NumberIn): Bag {
  return n.name === undefined || n.name === null ? { phone_number: n.phoneNumber } : { phone_number: n.phoneNumber, name: n.name };
}

/**
 * The create body: every field the program means (Bolna's defaults included, so the trunk is
 * exactly the one described), the password, and the numbers inline (one call). `is_active` is not
 * taken on create.
 */
export function createBody(inputs: SipTrunkIn): Bag {
  const body = createPayload(CREATE_FIELDS, inputs, toApi);
  if (typeof inputs.authPassword === "string") body.auth_password = inputs.authPassword;
  const numbers = desiredNumbers(inputs) ?? [];
  if (numbers.length) body.phone_numbers = numbers.map(numberBody);
  return body;
}

/**
 * The PATCH body: the changed fields only, `gateways` and `ip_identifiers` each whole (a sent list
 * replaces Bolna's), and `auth_password` when the desired password must be sent. Fields PATCH
 * cannot set (replace-on-change) are never in it.
 */
export function patchBody(olds: SipTrunkOut, news: SipTrunkIn, changes: readonly FieldChange[]): Bag {
  const body = updatePayload(
    SIP_TRUNK_FIELDS.filter((f) => !f.replaceOnChange),
    news,
    changes,
    toApi,
  );
  if (secretNeedsSending(news.authPassword, olds.authPasswordHash)) body.auth_password = news.authPassword;
  return body;
}

/** The fields `body` sets, as the program's values (what an answer that leaves them out keeps). */
export function sentFields(body: Bag, inputs: SipTrunkIn): Bag {
  const out: Bag = {};
  for (const f of SIP_TRUNK_FIELDS) if (f.api in body) out[f.input] = (inputs as Bag)[f.input] ?? f.default ?? null;
  return out;
}

// ------------------------------------------------------------------------------------------------
// Outputs
// ------------------------------------------------------------------------------------------------

/** A number record as an output entry (its id and number required). */
export function numberOutput(record: Readonly<Bag>, subject: string): PhoneNumberOutput {
  const id = wireMember(VENDOR, subject, record, "id", "string", false);
  const phoneNumber = wireMember(VENDOR, subject, record, "phone_number", "string", false);
  if (id === null || id === "") throw new VendorResponseError(VENDOR, subject, "id", record.id, "present (a string)");
  if (phoneNumber === null) throw new VendorResponseError(VENDOR, subject, "phone_number", record.phone_number, "present (a string)");
  return { id: id as string, phoneNumber: phoneNumber as string, name: (wireMember(VENDOR, subject, record, "name", "string") as string | null) ?? null };
}

/** The numbers of a trunk record, soft-deleted ones left out, sorted. */
export function numbersFromRecord(raw: unknown, subject: string): PhoneNumberOutput[] {
  if (raw === null) return [];
  if (!Array.isArray(raw)) throw new VendorResponseError(VENDOR, subject, "phone_numbers", raw, "a list of objects");
  return raw
    .filter((n) => !(isBag(n) && n.deleted === true))
    .map((n, i) => {
      if (!isBag(n)) throw new VendorResponseError(VENDOR, subject, `phone_numbers[${i}]`, n, "an object");
      return numberOutput(n, `${subject} phone_numbers[${i}]`);
    })
    .sort(compareNumbers);
}

/** One field of a record, checked against its wire type; `undefined` when the answer leaves it out. */
function fieldFromRecord(f: SipTrunkField, record: Readonly<Bag>, subject: string): unknown {
  if (!(f.api in record)) return undefined;
  const children = LIST_CHILDREN[f.input];
  if (children) return objectsFromWire(VENDOR, subject, f.api, record[f.api] ?? [], children);
  return wireMember(VENDOR, subject, record, f.api, f.wire, f.nullable);
}

/** The applied-inputs snapshot: the inputs just applied, the password replaced by its hash (never the password). */
export function appliedInputs(inputs: SipTrunkIn, passwordHash: string | null): SipTrunkIn {
  const { __provider: _provider, authPassword, ...rest } = inputs;
  if (authPassword === undefined) return rest;
  return { ...rest, authPassword: isUnknown(authPassword) || authPassword === null ? authPassword : (passwordHash ?? null) };
}

export interface OutputSources {
  /** The outputs before this answer: what an answer leaves out keeps its value from here. */
  prior?: SipTrunkOut;
  /** Fields this write sent (program values): what the answer leaves out is what was sent. */
  sent?: Bag;
  /** The inputs just applied (empty on a refresh). */
  applied?: SipTrunkIn;
  /** The hash of the password now set (default: the prior one). */
  passwordHash?: string | null;
  /** The numbers now on the trunk, when calls of their own changed them after `record` was read. */
  numbers?: PhoneNumberOutput[];
}

/**
 * Outputs from a trunk record (or, with `record` undefined, from `prior` alone). Every member is
 * checked against its wire type before it is kept; one the answer leaves out keeps the value
 * sent, else the prior one, else is left out (and then compares as Bolna's documented default:
 * the seed's GET carries no media_encryption pair, the PATCH example no transport).
 */
export function sipTrunkOutputs(record: Readonly<Bag> | undefined, sources: OutputSources = {}): SipTrunkOutputs {
  const prior = sources.prior ?? {};
  const id = record?.id;
  const subject = `SIP trunk ${typeof id === "string" ? id : "(no id)"}`;
  const out: Bag = {};
  for (const f of SIP_TRUNK_FIELDS) {
    const reported = record ? fieldFromRecord(f, record, subject) : undefined;
    const value = reported !== undefined ? reported : sources.sent && f.input in sources.sent ? sources.sent[f.input] : (prior as Bag)[f.input];
    if (value !== undefined) out[f.input] = value;
  }
  // An ip-based trunk shows no username: it has none.
  if (out.authUsername === undefined && out.authType === "ip-based") out.authUsername = null;
  out.phoneNumbers = sources.numbers ? [...sources.numbers].sort(compareNumbers) : record && "phone_numbers" in record ? numbersFromRecord(record.phone_numbers, subject) : (prior.phoneNumbers ?? []);
  out.authPasswordHash = sources.passwordHash !== undefined ? sources.passwordHash : (prior.authPasswordHash ?? null);
  out.createdAt = record && "created_at" in record ? wireMember(VENDOR, subject, record, "created_at", "string") : (prior.createdAt ?? null);
  out.updatedAt = record && "updated_at" in record ? wireMember(VENDOR, subject, record, "updated_at", "string") : (prior.updatedAt ?? null);
  const applied = sources.applied ?? {};
  for (const key of Object.keys(SIP_TRUNK_CONTROLS) as (keyof typeof SIP_TRUNK_CONTROLS)[]) {
    const v = applied[key] !== undefined ? applied[key] : prior[key];
    if (v !== undefined && v !== null) out[key] = v;
  }
  const snapshot = appliedSnapshot(appliedInputs(applied, out.authPasswordHash as string | null), prior);
  if (snapshot !== undefined) out[APPLIED_INPUTS_KEY] = snapshot;
  return JSON.parse(JSON.stringify(out)) as SipTrunkOutputs;
}

/**
 * The live trunk written as inputs (what `read` returns): the program's spelling where the
 * meaning is unchanged, defaults left out where the program left them out, the password's hash
 * where the password was (read never returns a password), numbers as the program wrote them when
 * they are the same number.
 */
export function sipTrunkAsInputs(outputs: SipTrunkOut): SipTrunkIn {
  const applied = outputs[APPLIED_INPUTS_KEY];
  const inputs: Bag = fieldsAsInputs(SIP_TRUNK_FIELDS, outputs, applied);
  if (outputs.authPasswordHash) inputs.authPassword = outputs.authPasswordHash;
  const live = outputs.phoneNumbers ?? [];
  if (live.length || applied?.phoneNumbers !== undefined) {
    // The program's entries (and order) for the numbers still there, then the ones it does not know.
    const liveIds = new Set(live.map(numberIdentity));
    const said = ((Array.isArray(applied?.phoneNumbers) ? applied.phoneNumbers : []) as NumberIn[]).filter((n) => isBag(n) && liveIds.has(numberIdentity(n)));
    const saidIds = new Set(said.map(numberIdentity));
    const extra = live.filter((n) => !saidIds.has(numberIdentity(n))).map((n) => (n.name === null ? { phoneNumber: n.phoneNumber } : { phoneNumber: n.phoneNumber, name: n.name }));
    inputs.phoneNumbers = [...said, ...extra];
  }
  for (const key of Object.keys(SIP_TRUNK_CONTROLS)) {
    const v = (outputs as Bag)[key];
    if (v !== undefined && v !== null) inputs[key] = v;
  }
  return inputs as SipTrunkIn;
}

/** Whether a listed trunk is exactly the one `inputs` create (the fields a create sets; numbers and the password cannot tell). */
export function isTrunkOf(record: Readonly<Bag>, inputs: SipTrunkIn): boolean {
  const outs = sipTrunkOutputs(record);
  return CREATE_FIELDS.every((f) => equivalent(f.compare, (inputs as Bag)[f.input] ?? f.default ?? null, (outs as unknown as Bag)[f.input] ?? f.default ?? null));
}
