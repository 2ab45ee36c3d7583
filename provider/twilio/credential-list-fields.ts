/**
 * `twilio.SipCredentialList` declared once, as data: the list's name, its credentials (a nested
 * list of { username, password }) and the adoption controls. Validation, diffing, form building,
 * the README's table and the TSDoc check all read this table.
 *
 * Sources: twilio_api_v2010.json (twilio/twilio-oai) CreateSipCredentialList / CreateSipCredential
 * and their parameter texts; error 21240 (../shared/reference/twilio-children.md).
 *
 * A password never reaches a message: validation runs on a copy in which each password is
 * replaced by a stand-in that keeps the outcome of its rule.
 */
import type { InputFailure } from "../common/errors";
import { fieldList, type FieldDef, type FieldSpec, type SubField } from "../common/fields";
import { InputValidator, objectListSchema, type NestedInput } from "../common/schema";
import { isUnknown } from "../common/unknown";
import { withDuplicateFailures } from "./children";
import { importControls } from "./fields";
import type { SipCredential, SipCredentialListInputs } from "./credential-list-types";

export const CREDENTIAL_LIST_RESOURCE = "twilio.SipCredentialList";
/** Twilio's "Credential List Validation Error", which is also its answer to a name already taken. */
export const CREDENTIAL_LIST_VALIDATION_CODE = 21240;
/** [D] up to 1,000 unique users per list. */
export const MAX_CREDENTIALS = 1000;

const CREDENTIAL_LIST_TABLE = {
  friendlyName: {
    api: "FriendlyName", required: true, nullable: false, compare: "exact", wire: "string",
    schema: { type: "string", minLength: 1, maxLength: 64 },
    rule: "must be a string of 1 to 64 characters, unique among the account's credential lists",
    doc: "The list's name; Twilio requires one and refuses a second list of the same name in the account (error 21240).",
  },
} satisfies { [K in "friendlyName"]-?: FieldDef<Exclude<SipCredentialListInputs[K], undefined>> };

export const CREDENTIAL_LIST_FIELDS: readonly FieldSpec<"friendlyName">[] = fieldList<"friendlyName">(CREDENTIAL_LIST_TABLE);

/** [A] CreateSipCredential: "at least 12 characters long, contain at least one digit, mixed case". */
export const PASSWORD_RULE = "must be a string of at least 12 characters with at least one digit, one lower-case and one upper-case letter";

/** Twilio's password rule as a predicate (the schema below says the same). */
export function isStrongPassword(value: unknown): boolean {
  return typeof value === "string" && value.length >= 12 && /[0-9]/.test(value) && /[a-z]/.test(value) && /[A-Z]/.test(value);
}

export const CREDENTIAL_CHILDREN: readonly SubField<keyof SipCredential>[] = [
  {
    input: "username", api: "Username", required: true, compare: "exact", nullable: false, wire: "string",
    schema: { type: "string", minLength: 1, maxLength: 32 },
    rule: "must be a string of 1 to 32 characters",
    doc: "The SIP username a device authenticates with; it identifies the credential (a changed username deletes the credential and creates a new one).",
  },
  {
    input: "password", api: "Password", required: true, compare: "exact", nullable: false, wire: "string",
    schema: { type: "string", minLength: 12, allOf: [{ pattern: "[0-9]" }, { pattern: "[a-z]" }, { pattern: "[A-Z]" }] },
    rule: PASSWORD_RULE,
    doc:
      "The SIP password: secret and write-only (Twilio never returns it). State keeps a salted hash of it, so a changed password is sent again; " +
      "a change made outside Pulumi cannot be seen and is never reported.",
  },
];

export const CREDENTIALS: NestedInput = {
  input: "credentials",
  schema: objectListSchema(CREDENTIAL_CHILDREN, { maxItems: MAX_CREDENTIALS }),
  rule: `must be a list of at most ${MAX_CREDENTIALS} { username, password } objects, each username once`,
  itemRule: "must be an object { username, password }",
  children: CREDENTIAL_CHILDREN,
  doc: "The list's SIP credentials: a set keyed by username, reconciled entry by entry.",
};

export const CREDENTIAL_LIST_CONTROLS = importControls("CL", "credential list");

const CREDENTIAL_LIST_VALIDATOR = new InputValidator({
  resource: CREDENTIAL_LIST_RESOURCE,
  fields: CREDENTIAL_LIST_FIELDS,
  nested: [CREDENTIALS],
  controls: CREDENTIAL_LIST_CONTROLS,
});

/** Stand-ins for passwords in the copy that is validated: one keeps the rule, the other breaks it. */
const STRONG_STAND_IN = "Passw0rdStandIn";
export const SECRET_STAND_IN = "[secret]";

/** The inputs with every known password replaced by a stand-in that passes or fails the rule as the password does. */
function withoutPasswords(inputs: unknown): unknown {
  const credentials = (inputs as Record<string, unknown> | null)?.credentials;
  if (!Array.isArray(credentials)) return inputs;
  const redacted = credentials.map((c) => {
    if (c === null || typeof c !== "object" || Array.isArray(c) || !("password" in c)) return c;
    const password = (c as Record<string, unknown>).password;
    if (password === undefined || isUnknown(password)) return c;
    return { ...c, password: isStrongPassword(password) ? STRONG_STAND_IN : SECRET_STAND_IN };
  });
  return { ...(inputs as Record<string, unknown>), credentials: redacted };
}

/** Every failing rule of `twilio.SipCredentialList` inputs (duplicate usernames included), one failure per top-level property; no password is ever quoted. */
export function validateCredentialListInputs(inputs: unknown): InputFailure[] {
  const failures = CREDENTIAL_LIST_VALIDATOR.validate(withoutPasswords(inputs));
  return withDuplicateFailures(failures, inputs, "credentials", (c) => (typeof c.username === "string" ? c.username : undefined), "username");
}
