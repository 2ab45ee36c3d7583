/**
 * What runs inside the Pulumi dynamic provider host for `twilio.SipIpAccessControlList`: the
 * shared list engine (children.ts) on the runtime every resource uses (common/runtime.ts).
 * Loaded by package name from the serialized provider.
 *
 * API calls (the floor, kept): create 1 (list POST) + 1 per entry; update only what changed:
 * 1 list POST for a new name, 1 POST per entry with a new name or prefix length, 1 DELETE per
 * removed entry, 1 POST per added one (a changed address is both); refresh 2 (list GET + entries
 * list); delete 1 (Twilio deletes the entries with the list); adoption 2; a no-op preview 0.
 */
import { defineListRuntime } from "./children";
import { IP_ACL_SPEC } from "./ip-access-control-list-mapping";

export const ipAccessControlListRuntime = defineListRuntime(IP_ACL_SPEC);
