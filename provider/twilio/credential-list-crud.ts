/**
 * What runs inside the Pulumi dynamic provider host for `twilio.SipCredentialList`: the shared
 * list engine (children.ts) on the runtime every resource uses (common/runtime.ts). Loaded by
 * package name from the serialized provider.
 *
 * API calls (the floor, kept): create 1 (list POST) + 1 per credential; update only what
 * changed: 1 list POST for a new name, 1 POST per credential whose password changed, 1 DELETE per
 * removed credential, 1 POST per added one (a changed username is both); refresh 2 (list GET +
 * credentials list); delete 1 (Twilio deletes the credentials with the list); adoption 2 + 1 per
 * credential (passwords cannot be read, so they are set); a no-op preview 0.
 */
import { defineListRuntime } from "./children";
import { CREDENTIAL_LIST_SPEC } from "./credential-list-mapping";

export const credentialListRuntime = defineListRuntime(CREDENTIAL_LIST_SPEC);
