/**
 * Plugin mode: the package's resources served by the provider plugin `pulumi-resource-siptrunks`
 * (shipped in the package's `plugin/` folder) instead of the dynamic provider host.
 *
 * The classes take the same arguments and have the same outputs as the dynamic ones
 * (`didww.OutboundTrunk` here is `siptrunks:didww:OutboundTrunk`). What the plugin adds:
 * `pulumi import` and the engine's own `import` option, exact per-property diffs, and
 * {@link Provider} instances, so one program can hold several accounts of a vendor.
 *
 * @example
 * import * as siptrunks from "pulumi-sip-trunks/plugin";
 * const eu = new siptrunks.Provider("eu", { didwwApiKey: cfg.requireSecret("euKey") });
 * new siptrunks.didww.OutboundTrunk("pbx", { name: "PBX", onCliMismatchAction: "reject_call",
 *   authenticationMethod: { type: "twilio", twilioAccountSid: "AC…" } }, { provider: eu });
 */
import * as pulumi from "@pulumi/pulumi";
import { SETTINGS } from "../catalog";
import { warnIfConfigNotSecret } from "../common/program";
import { QuietCustomResource } from "../common/resource";
import { buildSchema, type PackageSchema } from "../plugin-host/schema";
import type * as dynamicDidww from "../didww/outbound-trunk";
import type * as dynamicTwilioTrunk from "../twilio/trunk";
import type * as dynamicOriginationUrl from "../twilio/origination-url";
import type * as dynamicCredentialList from "../twilio/credential-list";
import type * as dynamicIpAcl from "../twilio/ip-access-control-list";
import type * as dynamicBolna from "../bolna/sip-trunk";

/** The plugin's package name: the `siptrunks` of every type token, and of `siptrunks:<setting>` config keys. */
export const PACKAGE = "siptrunks";

/** Settings of one provider instance; each falls back to `siptrunks:<name>` config, then to its environment variable. */
export interface ProviderArgs {
  /** DIDWW API key (secret). */
  didwwApiKey?: pulumi.Input<string>;
  /** DIDWW API base URL (default production). */
  didwwApiUrl?: pulumi.Input<string>;
  /** Requests per second sent to DIDWW (default 20). */
  didwwRequestsPerSecond?: pulumi.Input<number>;
  /** Seconds a DIDWW request may take, retries included (default 60). */
  didwwRequestTimeout?: pulumi.Input<number>;
  /** Twilio account SID (`AC…`). */
  twilioAccountSid?: pulumi.Input<string>;
  /** Twilio auth token (secret), or use twilioApiKey and twilioApiSecret. */
  twilioAuthToken?: pulumi.Input<string>;
  /** Twilio API key SID (`SK…`). */
  twilioApiKey?: pulumi.Input<string>;
  /** Twilio API key secret (secret). */
  twilioApiSecret?: pulumi.Input<string>;
  /** Twilio Trunking API base URL. */
  twilioTrunkingUrl?: pulumi.Input<string>;
  /** Twilio REST API base URL. */
  twilioApiUrl?: pulumi.Input<string>;
  /** Twilio requests in flight at once (default 10). */
  twilioMaxConcurrency?: pulumi.Input<number>;
  /** Seconds a Twilio request may take, retries included (default 60). */
  twilioRequestTimeout?: pulumi.Input<number>;
  /** Bolna API key (secret). */
  bolnaApiKey?: pulumi.Input<string>;
  /** Bolna API base URL. */
  bolnaApiUrl?: pulumi.Input<string>;
  /** Seconds a Bolna request may take, retries included (default 60). */
  bolnaRequestTimeout?: pulumi.Input<number>;
}

/**
 * An explicit instance of the siptrunks provider: pass it as the `provider` option of a resource
 * to manage that resource with these credentials. Secret settings are stored encrypted.
 */
export class Provider extends pulumi.ProviderResource {
  constructor(name: string, args: ProviderArgs = {}, opts: pulumi.ResourceOptions = {}) {
    const props: Record<string, pulumi.Input<unknown> | undefined> = {};
    for (const s of SETTINGS) {
      const value = (args as Record<string, pulumi.Input<unknown> | undefined>)[s.plugin];
      if (value === undefined) continue;
      props[s.plugin] = s.secret ? pulumi.secret(value) : value;
    }
    super(PACKAGE, name, props, opts);
  }
}

let schema: PackageSchema | undefined;
/** Every property a resource type has (inputs and outputs), so each becomes an Output of its class. */
function propertiesOf(token: string): string[] {
  schema ??= buildSchema("0.0.0");
  return Object.keys(schema.resources[token].properties);
}

function props(token: string, args: object | undefined): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const k of propertiesOf(token)) out[k] = undefined;
  return Object.assign(out, args ?? {});
}

/** A class's outputs: the dynamic class's declared properties, less what every resource has. */
type OutputsOf<C> = Omit<C, keyof pulumi.CustomResource>;
/** The dynamic mode's adoption controls have no meaning here: the engine imports by itself. */
type PluginArgs<A> = Omit<A, "onImportMismatch" | "importId">;

/**
 * A resource on the default provider whose vendor's secret settings sit in plain text in the
 * stack config gets the same warning as in dynamic mode, once per run and key.
 */
function warnPlainSecrets(resource: pulumi.CustomResource, token: string, opts: pulumi.CustomResourceOptions): void {
  if (opts.provider) return;
  const vendor = token.split(":")[1];
  for (const s of SETTINGS) if (s.secret && s.key.startsWith(`${vendor}:`)) warnIfConfigNotSecret(`${PACKAGE}:${s.plugin}`, resource);
}

/** What `get` needs besides the id. */
const getOpts = (opts: pulumi.CustomResourceOptions, id: pulumi.Input<pulumi.ID>) => ({ ...opts, id });

export namespace didww {
  export const OUTBOUND_TRUNK_TYPE = "siptrunks:didww:OutboundTrunk";
  export type OutboundTrunkArgs = PluginArgs<dynamicDidww.OutboundTrunkArgs>;
  export interface OutboundTrunk extends OutputsOf<dynamicDidww.OutboundTrunk> {}
  /** A DIDWW outbound trunk, served by the plugin (`siptrunks:didww:OutboundTrunk`). */
  export class OutboundTrunk extends QuietCustomResource {
    constructor(name: string, args: OutboundTrunkArgs, opts: pulumi.CustomResourceOptions = {}) {
      super(OUTBOUND_TRUNK_TYPE, name, props(OUTBOUND_TRUNK_TYPE, args), opts);
      warnPlainSecrets(this, OUTBOUND_TRUNK_TYPE, opts);
    }
    static get(name: string, id: pulumi.Input<pulumi.ID>, opts: pulumi.CustomResourceOptions = {}): OutboundTrunk {
      return new OutboundTrunk(name, undefined as unknown as OutboundTrunkArgs, getOpts(opts, id));
    }
  }
}

export namespace twilio {
  export const TRUNK_TYPE = "siptrunks:twilio:Trunk";
  export const ORIGINATION_URL_TYPE = "siptrunks:twilio:OriginationUrl";
  export const SIP_CREDENTIAL_LIST_TYPE = "siptrunks:twilio:SipCredentialList";
  export const SIP_IP_ACCESS_CONTROL_LIST_TYPE = "siptrunks:twilio:SipIpAccessControlList";

  export type TrunkArgs = PluginArgs<dynamicTwilioTrunk.TrunkArgs>;
  export interface Trunk extends OutputsOf<dynamicTwilioTrunk.Trunk> {}
  /** A Twilio Elastic SIP trunk, served by the plugin. */
  export class Trunk extends QuietCustomResource {
    constructor(name: string, args: TrunkArgs = {}, opts: pulumi.CustomResourceOptions = {}) {
      super(TRUNK_TYPE, name, props(TRUNK_TYPE, args), opts);
      warnPlainSecrets(this, TRUNK_TYPE, opts);
    }
    static get(name: string, sid: pulumi.Input<pulumi.ID>, opts: pulumi.CustomResourceOptions = {}): Trunk {
      return new Trunk(name, undefined, getOpts(opts, sid));
    }
  }

  export type OriginationUrlArgs = PluginArgs<dynamicOriginationUrl.OriginationUrlArgs>;
  export interface OriginationUrl extends OutputsOf<dynamicOriginationUrl.OriginationUrl> {}
  /** An origination URL of a Twilio trunk, served by the plugin. */
  export class OriginationUrl extends QuietCustomResource {
    constructor(name: string, args: OriginationUrlArgs, opts: pulumi.CustomResourceOptions = {}) {
      super(ORIGINATION_URL_TYPE, name, props(ORIGINATION_URL_TYPE, args), opts);
      warnPlainSecrets(this, ORIGINATION_URL_TYPE, opts);
    }
    static get(name: string, sid: pulumi.Input<pulumi.ID>, opts: pulumi.CustomResourceOptions = {}): OriginationUrl {
      return new OriginationUrl(name, undefined as unknown as OriginationUrlArgs, getOpts(opts, sid));
    }
  }

  export type SipCredentialListArgs = PluginArgs<dynamicCredentialList.SipCredentialListArgs>;
  export interface SipCredentialList extends OutputsOf<dynamicCredentialList.SipCredentialList> {}
  /** A Twilio SIP credential list and its credentials, served by the plugin. */
  export class SipCredentialList extends QuietCustomResource {
    constructor(name: string, args: SipCredentialListArgs, opts: pulumi.CustomResourceOptions = {}) {
      super(SIP_CREDENTIAL_LIST_TYPE, name, props(SIP_CREDENTIAL_LIST_TYPE, args), opts);
      warnPlainSecrets(this, SIP_CREDENTIAL_LIST_TYPE, opts);
    }
    static get(name: string, sid: pulumi.Input<pulumi.ID>, opts: pulumi.CustomResourceOptions = {}): SipCredentialList {
      return new SipCredentialList(name, undefined as unknown as SipCredentialListArgs, getOpts(opts, sid));
    }
  }

  export type SipIpAccessControlListArgs = PluginArgs<dynamicIpAcl.SipIpAccessControlListArgs>;
  export interface SipIpAccessControlList extends OutputsOf<dynamicIpAcl.SipIpAccessControlList> {}
  /** A Twilio IP access control list and its addresses, served by the plugin. */
  export class SipIpAccessControlList extends QuietCustomResource {
    constructor(name: string, args: SipIpAccessControlListArgs, opts: pulumi.CustomResourceOptions = {}) {
      super(SIP_IP_ACCESS_CONTROL_LIST_TYPE, name, props(SIP_IP_ACCESS_CONTROL_LIST_TYPE, args), opts);
      warnPlainSecrets(this, SIP_IP_ACCESS_CONTROL_LIST_TYPE, opts);
    }
    static get(name: string, sid: pulumi.Input<pulumi.ID>, opts: pulumi.CustomResourceOptions = {}): SipIpAccessControlList {
      return new SipIpAccessControlList(name, undefined as unknown as SipIpAccessControlListArgs, getOpts(opts, sid));
    }
  }
}

export namespace bolna {
  export const SIP_TRUNK_TYPE = "siptrunks:bolna:SipTrunk";
  export type SipTrunkArgs = PluginArgs<dynamicBolna.SipTrunkArgs>;
  export interface SipTrunk extends OutputsOf<dynamicBolna.SipTrunk> {}
  /** A Bolna SIP trunk, served by the plugin. */
  export class SipTrunk extends QuietCustomResource {
    constructor(name: string, args: SipTrunkArgs, opts: pulumi.CustomResourceOptions = {}) {
      super(SIP_TRUNK_TYPE, name, props(SIP_TRUNK_TYPE, args), opts);
      warnPlainSecrets(this, SIP_TRUNK_TYPE, opts);
    }
    static get(name: string, id: pulumi.Input<pulumi.ID>, opts: pulumi.CustomResourceOptions = {}): SipTrunk {
      return new SipTrunk(name, undefined as unknown as SipTrunkArgs, getOpts(opts, id));
    }
  }
}
