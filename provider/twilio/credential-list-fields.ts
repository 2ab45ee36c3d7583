/**
 * `twilio.SipCredentialList` declared once, as data: the list's name, its credentials (a nested
 * list of { username, password }) and the adoption controls. Validation, diffing, form building,
 * the README's table and the TSDoc check all read this table.
 *
 * Sources: twilio_api_v2010.json (twilio/twilio-oai) CreateSipCredentialList / CreateSipCredential
 * and their parameter texts; error 21240 (../shared/reference/twilio-children.md).
 *
 * A password never reaches a message: the field is marked `secret`, so the shared validator
 * shows `"[secret]"` wherever it would quote the value.
 */
import type { InputFailure } from "../common/errors";
import { fieldList, type FieldDef, type FieldSpec, type SubField } from "../common/fields";
import { InputValidator, objectListSchema, type NestedInput } from "../common/schema";
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

export const CREDENTIAL_CHILDREN: readonly SubField<keyof SipCredential>[] = [
  {
    input: "username", api: "Username", required: true, compare: "exact", nullable: false, wire: "string",
    schema: { type: "string", minLength: 1, maxLength: 32 },
    rule: "must be a string of 1 to 32 characters",
    doc: "The SIP username a device authenticates with; it identifies the credential (a changed username deletes the credential and creates a new one).",
  },
  {
    input: "password", api: "Password", required: true, compare: "exact", nullable: false, wire: "string", secret: true,
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

/** Every failing rule of `twilio.SipCredentialList` inputs (duplicate usernames included), one failure per top-level property; no password is ever quoted. */
export function validateCredentialListInputs(inputs: unknown): InputFailure[] {
  const failures = CREDENTIAL_LIST_VALIDATOR.validate(inputs);
  return withDuplicateFailures(failures, inputs, "credentials", (c) => (typeof c.username === "string" ? c.username : undefined), "username");
}
