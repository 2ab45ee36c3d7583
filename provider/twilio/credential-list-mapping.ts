/**
 * Pure mapping of `twilio.SipCredentialList`: its credentials as a keyed set (by username), their
 * forms and outputs, and the list resource as data for the shared list engine (children.ts).
 *
 * Passwords are write-only: an output entry holds a salted hash of the password last sent
 * (common/secret-hash.ts), never the password. A desired password that no longer matches the
 * hash is sent again (one POST of the credential); a read cannot see the live one, so it is never
 * drift, and an adoption (which cannot compare it) sets it.
 */
import { hashSecret, secretNeedsSending } from "../common/secret-hash";
import { requiredMember, subjectOf, type ChildKind, type ListSpec } from "./children";
import {
  CREDENTIAL_LIST_CONTROLS,
  CREDENTIAL_LIST_FIELDS,
  CREDENTIAL_LIST_RESOURCE,
  CREDENTIAL_LIST_VALIDATION_CODE,
  validateCredentialListInputs,
} from "./credential-list-fields";
import type { SipCredential, SipCredentialOutput } from "./credential-list-types";

const entry = (username: string) => `credentials[${JSON.stringify(username)}]`;

export const CREDENTIAL_KIND: ChildKind<SipCredential, SipCredentialOutput> = {
  input: "credentials",
  noun: "credential",
  segment: "Credentials",
  key: "credentials",
  identity: (c) => c.username,
  withDefaults: (c) => c,
  // Update takes the password only; a changed username is another credential (delete + create).
  updateForm: (live, desired, readableOnly) => (readableOnly || !secretNeedsSending(desired.password, live.passwordHash) ? undefined : { Password: desired.password }),
  createForm: (c) => ({ Username: c.username, Password: c.password }),
  params: (c) => ({ Username: `${entry(c.username)}.username`, Password: `${entry(c.username)}.password` }),
  fromRecord(record, sent, prior) {
    const subject = subjectOf("credential", record);
    return {
      sid: requiredMember(subject, record, "sid", "string") as string,
      username: requiredMember(subject, record, "username", "string") as string,
      passwordHash: sent ? hashSecret(sent.password) : (prior?.passwordHash ?? null),
    };
  },
  appliedEntry: (c, written) => ({ username: c.username, password: written?.passwordHash ?? null }),
  // The hash stands where the password was: read never returns a password.
  asInput: (live) => (live.passwordHash ? { username: live.username, password: live.passwordHash } : { username: live.username }),
  describe: (c) => ({ username: c.username }),
  compare: (a, b) => (a.username < b.username ? -1 : a.username > b.username ? 1 : 0),
};

export const CREDENTIAL_LIST_SPEC: ListSpec<SipCredential, SipCredentialOutput> = {
  resource: CREDENTIAL_LIST_RESOURCE,
  noun: "credential list",
  segment: "CredentialLists",
  key: "credential_lists",
  fields: CREDENTIAL_LIST_FIELDS,
  controls: CREDENTIAL_LIST_CONTROLS,
  child: CREDENTIAL_KIND,
  validate: validateCredentialListInputs,
  nameTakenCode: CREDENTIAL_LIST_VALIDATION_CODE,
};
