/**
 * The contract suite's environment: the DIDWW emulator, a recording pass-through proxy in front
 * of it (the emulator's own request log has no bodies; PATCH bodies are part of the contract),
 * the real dynamic provider host configured like a stack would configure it, and the engine
 * model from test/helpers/engine.ts.
 */
import * as http from "node:http";
import type { AddressInfo } from "node:net";
import { randomBytes } from "node:crypto";
import type * as pulumi from "@pulumi/pulumi";
import { Engine, ProviderHost, secretValue, type Props } from "../helpers/engine";
import { shimSource } from "../../provider/shim";
import { startEmulator } from "../../emulator";

/** The built package, loaded the way a Pulumi program loads it (by package name, self-reference). */
// eslint-disable-next-line @typescript-eslint/no-require-imports
export const pkg = require("pulumi-sip-trunks") as typeof import("../../provider");
export const didww = pkg.didww;

/** The plugin-mode classes, loaded by package name as well. */
// eslint-disable-next-line @typescript-eslint/no-require-imports
export const plugin = require("pulumi-sip-trunks/plugin") as typeof import("../../provider/plugin");

/** Every resource class, each as its dynamic and its plugin-mode twin, with arguments that register. */
export const CLASS_PAIRS: ReadonlyArray<{ token: string; dynamic: (name?: string) => pulumi.CustomResource; plugin: (name?: string) => pulumi.CustomResource }> = [
  {
    token: "siptrunks:didww:OutboundTrunk",
    dynamic: (name = "t") => new pkg.didww.OutboundTrunk(name, { name: "n", onCliMismatchAction: "reject_call", authenticationMethod: { type: "twilio", twilioAccountSid: "AC0123456789abcdef0123456789abcdef" } }),
    plugin: (name = "t") => new plugin.didww.OutboundTrunk(name, { name: "n", onCliMismatchAction: "reject_call", authenticationMethod: { type: "twilio", twilioAccountSid: "AC0123456789abcdef0123456789abcdef" } }),
  },
  { token: "siptrunks:twilio:Trunk", dynamic: (name = "t") => new pkg.twilio.Trunk(name, { friendlyName: "n" }), plugin: (name = "t") => new plugin.twilio.Trunk(name, { friendlyName: "n" }) },
  {
    token: "siptrunks:twilio:OriginationUrl",
    dynamic: (name = "t") => new pkg.twilio.OriginationUrl(name, { trunkSid: `TK${"0".repeat(32)}`, sipUrl: "sip:pbx.example.com", friendlyName: "n", weight: 1, priority: 1 }),
    plugin: (name = "t") => new plugin.twilio.OriginationUrl(name, { trunkSid: `TK${"0".repeat(32)}`, sipUrl: "sip:pbx.example.com", friendlyName: "n", weight: 1, priority: 1 }),
  },
  {
    token: "siptrunks:twilio:SipCredentialList",
    dynamic: (name = "t") => new pkg.twilio.SipCredentialList(name, { friendlyName: "n" }),
    plugin: (name = "t") => new plugin.twilio.SipCredentialList(name, { friendlyName: "n" }),
  },
  {
    token: "siptrunks:twilio:SipIpAccessControlList",
    dynamic: (name = "t") => new pkg.twilio.SipIpAccessControlList(name, { friendlyName: "n" }),
    plugin: (name = "t") => new plugin.twilio.SipIpAccessControlList(name, { friendlyName: "n" }),
  },
  {
    token: "siptrunks:bolna:SipTrunk",
    dynamic: (name = "t") => new pkg.bolna.SipTrunk(name, { name: "n", provider: "zadarma", authType: "ip-based", gateways: [{ gatewayAddress: "sip.example.com" }] }),
    plugin: (name = "t") => new plugin.bolna.SipTrunk(name, { name: "n", provider: "zadarma", authType: "ip-based", gateways: [{ gatewayAddress: "sip.example.com" }] }),
  },
];

export const TYPE = "pulumi-nodejs:dynamic/didww:OutboundTrunk";
export const TWILIO_SID = "AC0123456789abcdef0123456789abcdef";
export const TWILIO_SID_2 = "ACfedcba9876543210fedcba9876543210";

/** One HTTP exchange as the provider sent it. */
export interface Recorded {
  method: string;
  path: string;
  status: number;
  /** The request body, parsed when it is JSON. */
  body: unknown;
  /** The Api-Key header (checked only to be present; never printed). */
  apiKey: string | undefined;
}

/** A pass-through HTTP proxy that records every request with its body. */
export class RecordingProxy {
  readonly log: Recorded[] = [];
  private constructor(
    private readonly server: http.Server,
    readonly url: string,
  ) {}

  static async start(target: string): Promise<RecordingProxy> {
    const upstream = new URL(target);
    let proxy: RecordingProxy | undefined;
    const server = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on("data", (c: Buffer) => chunks.push(c));
      req.on("end", () => {
        const raw = Buffer.concat(chunks);
        let body: unknown = raw.length ? raw.toString("utf8") : undefined;
        try {
          if (typeof body === "string") body = JSON.parse(body);
        } catch {
          /* keep the text */
        }
        const headers = { ...req.headers, host: upstream.host };
        const forward = http.request(
          { host: upstream.hostname, port: upstream.port, method: req.method, path: req.url, headers },
          (up) => {
            const entry: Recorded = {
              method: String(req.method),
              path: String(req.url),
              status: up.statusCode ?? 0,
              body,
              apiKey: req.headers["api-key"] as string | undefined,
            };
            proxy?.log.push(entry);
            res.writeHead(up.statusCode ?? 502, up.headers);
            up.pipe(res);
          },
        );
        forward.on("error", () => res.destroy());
        forward.end(raw);
      });
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const port = (server.address() as AddressInfo).port;
    // The emulator's DIDWW base URL ends with /v3; keep the path.
    proxy = new RecordingProxy(server, `http://127.0.0.1:${port}${upstream.pathname.replace(/\/+$/, "")}`);
    return proxy;
  }

  clear(): void {
    this.log.length = 0;
  }

  writes(): Recorded[] {
    return this.log.filter((r) => r.method !== "GET");
  }

  close(): Promise<void> {
    return new Promise((resolve) => {
      this.server.close(() => resolve());
      this.server.closeAllConnections();
    });
  }
}

export type Emulator = Awaited<ReturnType<typeof startEmulator>>;

export interface ContractEnv {
  apiKey: string;
  emulator: Emulator;
  proxy: RecordingProxy;
  host: ProviderHost;
  engine: Engine;
  providerText: string;
  close(): Promise<void>;
}

/**
 * What omitting each optional input means, as DIDWW documents its create defaults (README
 * table, seed 001). Written out here rather than taken from the field table, so that a test
 * comparing with it checks the table instead of restating it.
 */
export const DOCUMENTED_DEFAULTS: Props = {
  externalReferenceId: null, status: "active", capacityLimit: null, allowAnyDidAsCli: false, defaultDstAction: "allow_all",
  dstPrefixes: [], mediaEncryptionMode: "disabled", allowedRtpIps: null, forceSymmetricRtp: false, rtpPing: false,
  rtpTimeout: 30, callbackUrl: null, emergencyEnableAll: false, didIds: [], emergencyDidIds: [],
};

/** A distinctive API key: any response containing it is a leak. */
export function newApiKey(prefix = "contract-key"): string {
  return `${prefix}-${randomBytes(12).toString("hex")}`;
}

/** The stack config the engine sends in Configure (namespaced keys; secrets arrive wrapped). */
export function stackConfig(apiKey: string, apiUrl: string): Props {
  return { "didww:apiKey": secretValue(apiKey), "didww:apiUrl": apiUrl, "didww:requestsPerSecond": "200" };
}

export async function startContractEnv(): Promise<ContractEnv> {
  const apiKey = newApiKey();
  const emulator = await startEmulator({ port: 0, apiKeys: [apiKey] } as Parameters<typeof startEmulator>[0]);
  const cleanup: Array<() => Promise<void>> = [() => Promise.resolve(emulator.close())];
  try {
    const proxy = await RecordingProxy.start(emulator.didwwUrl);
    cleanup.unshift(() => proxy.close());
    const serialized = { text: shimSource("didww:OutboundTrunk") };
    const host = await ProviderHost.start();
    cleanup.unshift(() => host.close());
    host.forbid(apiKey);
    const configured = await host.configure(stackConfig(apiKey, proxy.url));
    if (configured.acceptSecrets) throw new Error("the dynamic provider host unexpectedly accepts secrets");
    const engine = new Engine(host, serialized.text, TYPE, [...didww.SECRET_OUTPUTS]);
    return {
      apiKey,
      emulator,
      proxy,
      host,
      engine,
      providerText: serialized.text,
      close: async () => {
        for (const c of cleanup) await c().catch(() => undefined);
      },
    };
  } catch (err) {
    for (const c of cleanup) await c().catch(() => undefined);
    throw err;
  }
}

/** Both request logs (emulator's and proxy's) emptied. */
export function clearLogs(env: ContractEnv): void {
  env.emulator.requests.clear();
  env.proxy.clear();
}

/** `METHOD path-without-query status` for each request the emulator served. */
export function served(env: ContractEnv): string[] {
  return Array.from(env.emulator.requests as ArrayLike<{ method: string; path: string; status: number }>, (r) => `${r.method} ${r.path.split("?")[0]} ${r.status}`);
}

export function writesServed(env: ContractEnv): string[] {
  return served(env).filter((line) => !line.startsWith("GET "));
}

let counter = 0;
/** A unique trunk name per test (the provider reconciles creates by name). */
export function uniqueName(label: string): string {
  counter += 1;
  return `contract ${label} ${counter} ${randomBytes(3).toString("hex")}`;
}

/** Bodies of the PATCHes to one trunk that carried neither attributes nor relationships. */
export function emptyPatchBodies(env: ContractEnv, id: string): unknown[] {
  return env.proxy.log
    .filter((r) => r.method === "PATCH" && r.path.split("?")[0].endsWith(`/voice_out_trunks/${id}`))
    .map((r) => r.body)
    .filter((b) => {
      const data = (b as { data?: Record<string, unknown> })?.data ?? {};
      return !("attributes" in data) && !("relationships" in data);
    });
}
