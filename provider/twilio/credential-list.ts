/**
 * `twilio.SipCredentialList`: a Twilio SIP credential list (API v2010 `/SIP/CredentialLists`)
 * with its credentials, for trunks (`credentialListSids`) and SIP domains to authenticate with.
 *
 * Passwords are secret and write-only: the class marks each one secret, Twilio never returns
 * them, and the provider keeps only a salted hash of each (outputs and the applied-inputs
 * snapshot alike), so a changed password is sent again while drift of the live one is never
 * reported.
 *
 * In the order every resource module of this package follows: types, provider object, resource class.
 *
 * @example
 * const users = new twilio.SipCredentialList("pbx-users", {
 *   friendlyName: "pbx-users",
 *   credentials: [{ username: "pbx1", password: config.requireSecret("pbx1Password") }],
 * });
 * new twilio.Trunk("pbx", { credentialListSids: [users.sid] });
 */
import * as pulumi from "@pulumi/pulumi";
import { QuietCustomResource, registration, type AdoptableOptions } from "../common/resource";
import { finishTwilioResource, twilioClassSpec } from "./resource";
import { makeProvider } from "../shim";
import { CREDENTIAL_LIST_FIELDS } from "./credential-list-fields";
import type { SipCredentialArgs, SipCredentialListArgs, SipCredentialOutput } from "./credential-list-types";

export type { SipCredential, SipCredentialArgs, SipCredentialListArgs, SipCredentialListInputs, SipCredentialListOutputs, SipCredentialOutput } from "./credential-list-types";

/** The dynamic provider behind {@link SipCredentialList}, exported so tests and tools can drive it as the engine does. */
export const sipCredentialListProvider: pulumi.dynamic.ResourceProvider = makeProvider("twilio:SipCredentialList");

const CLASS_SPEC = twilioClassSpec("SipCredentialList", "credential list", [...CREDENTIAL_LIST_FIELDS.map((f) => f.input), "credentials"]);

/** Outputs the engine stores encrypted: the credentials (hashes only, but usernames too) and the applied inputs. */
export const SIP_CREDENTIAL_LIST_SECRET_OUTPUTS = CLASS_SPEC.secretOutputs;

/** The resource's type token, as `pulumi state` commands and stack exports call it. */
export const SIP_CREDENTIAL_LIST_TYPE = CLASS_SPEC.type;

/** `import`: adopt an existing credential list by SID (`CL…`). */
export type SipCredentialListOptions = AdoptableOptions;

const isPlainEntry = (e: unknown): e is SipCredentialArgs =>
  e !== null && typeof e === "object" && !pulumi.Output.isInstance(e) && typeof (e as { then?: unknown }).then !== "function";

/**
 * The credentials with every password marked secret, so the engine keeps it encrypted in state
 * and never shows it: each password of a plain list, else the whole list (an Output or Promise).
 */
export function secretPasswords(credentials: SipCredentialListArgs["credentials"]): SipCredentialListArgs["credentials"] {
  if (credentials === undefined) return undefined;
  if (!Array.isArray(credentials)) return pulumi.secret(credentials) as SipCredentialListArgs["credentials"];
  return credentials.map((c) => (isPlainEntry(c) ? { ...c, password: pulumi.secret(c.password) } : (pulumi.secret(c) as pulumi.Input<SipCredentialArgs>)));
}

export class SipCredentialList extends QuietCustomResource {
  declare readonly friendlyName: pulumi.Output<string | null>;
  /** Sorted by username; each with its SID and a salted hash of the password last sent (never the password). Secret. */
  declare readonly credentials: pulumi.Output<SipCredentialOutput[]>;
  /** The SID, which is also the id: known in a preview of an update. */
  declare readonly sid: pulumi.Output<string>;
  /** The account (`twilio:accountSid`): known in a preview of an update. */
  declare readonly accountSid: pulumi.Output<string | null>;
  declare readonly dateCreated: pulumi.Output<string | null>;
  declare readonly dateUpdated: pulumi.Output<string | null>;

  constructor(name: string, args: SipCredentialListArgs, opts: SipCredentialListOptions = {}) {
    const r = registration(CLASS_SPEC, { ...args, credentials: secretPasswords(args.credentials) }, opts);
    super(SIP_CREDENTIAL_LIST_TYPE, name, r.props, r.opts);
    finishTwilioResource(this, CLASS_SPEC, r.importId);
  }

  /** A read-only view of an existing credential list, refreshed from Twilio on every run. */
  static get(name: string, sid: pulumi.Input<pulumi.ID>, opts: pulumi.CustomResourceOptions = {}): SipCredentialList {
    return new SipCredentialList(name, {} as SipCredentialListArgs, { ...opts, id: sid });
  }
}
