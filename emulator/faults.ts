/**
 * Fault injection shared by every vendor: injected statuses (before the request is processed, or
 * after it committed), latency, dropped connections, lost responses (the write commits, the
 * client never hears), a scripted sequence, a real per-key sliding-window rate limiter and
 * feature toggles such as DIDWW's "no outbound plan" 403.
 *
 * Randomness comes from a seedable PRNG, so a test that sets `randomSeed` sees the same faults
 * on every run.
 */

/** Which requests a rule applies to. All given fields must match. */
export interface FaultMatch {
  /** HTTP method(s), case-insensitive. */
  method?: string | readonly string[];
  /** Path prefix (string, matched against the path without query) or a RegExp (tested against path + query). */
  path?: string | RegExp;
  /** RegExp source, for JSON configurations (admin route, CLI). */
  pathRegex?: string;
  /** Vendor name (`"didww"`). */
  vendor?: string;
}

/** What happens to a request. */
export type FaultAction =
  /** Answer with this status in the vendor's error envelope; the request is not processed. */
  | { kind: "status"; status: 429 | 500 | 502 | 503 }
  /**
   * Process the request (a write commits, durably with a data file), then answer this status
   * instead of the real answer, with the same body as `status` gives: the client cannot tell
   * that its write took effect, which is what a blind retry of a POST gets wrong.
   */
  | { kind: "statusAfterCommit"; status: 500 | 502 | 503 }
  /** Wait this long before processing (adds up with other latency rules). */
  | { kind: "latency"; ms: number }
  /** Destroy the socket without any response; the request is not processed. */
  | { kind: "drop" }
  /** Process the request (a write commits, durably with a data file), then destroy the socket without any response. */
  | { kind: "lostResponse" };

/** A standing rule. */
export type FaultRule = FaultAction & {
  match?: FaultMatch;
  /** 0..1, default 1. Drawn from the seeded PRNG. */
  probability?: number;
  /** Fire at most this many times, then stay inert. */
  times?: number;
};

/** One scripted step: a fault, or `pass` for a normal answer. */
export type FaultStep = FaultAction | { kind: "pass" };

/** Steps consumed one per matching request, in order; when exhausted, requests pass. */
export interface FaultSequence {
  match?: FaultMatch;
  steps: FaultStep[];
}

export interface FaultConfig {
  rules?: FaultRule[];
  /** A scripted sequence (a bare array means "every request matches"). Checked before `rules`. */
  sequence?: FaultStep[] | FaultSequence;
  /** Real sliding-window limit per API key (DIDWW: 20/s). `null`/absent: no limit. */
  rateLimit?: { perSecond: number } | null;
  /** DIDWW: answer 403 "the account has no outbound plan" on every voice_out_trunks endpoint. */
  noOutboundPlan?: boolean;
}

/** The decision for one request. */
export interface FaultDecision {
  latencyMs: number;
  action?: { kind: "status" | "statusAfterCommit"; status: number } | { kind: "drop" } | { kind: "lostResponse" };
}

/** Fault counters, by kind (`rateLimited`: requests the limiter refused). */
export type FaultStats = Record<"status" | "statusAfterCommit" | "latency" | "drop" | "lostResponse" | "rateLimited", number>;

const zeroStats = (): FaultStats => ({ status: 0, statusAfterCommit: 0, latency: 0, drop: 0, lostResponse: 0, rateLimited: 0 });

/** The runtime handle (`handle.faults`). */
export interface FaultController {
  /** Replaces the whole configuration (a config object, an array of rules, or one rule). */
  set(config: FaultConfig | FaultRule[] | FaultRule): void;
  /** Changes only the given top-level keys (`{ noOutboundPlan: true }` keeps rules and sequence). */
  update(config: FaultConfig): void;
  /** Appends one rule. */
  add(rule: FaultRule): void;
  /** Removes every rule, the sequence, the rate limit and the toggles. */
  clear(): void;
  /** The current configuration (rules with their remaining `times`, the unconsumed steps). */
  get(): FaultConfig;
  /** How many faults fired since start (or the last clear), by kind. */
  readonly stats: Readonly<FaultStats>;
}

/** mulberry32: tiny, fast, good enough for fault dice; deterministic per seed. */
export function createPrng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Sliding-window log: at most `perSecond` accepted requests per key in any 1000 ms window. */
export class SlidingWindowRateLimiter {
  private readonly windows = new Map<string, number[]>();
  constructor(
    private readonly perSecond: number,
    private readonly clock: () => number,
  ) {}

  /** `true` if the request may proceed (and is counted). Rejected requests are not counted. */
  tryAcquire(key: string): boolean {
    const now = this.clock();
    const log = (this.windows.get(key) ?? []).filter((t) => now - t < 1000);
    if (log.length >= this.perSecond) {
      this.windows.set(key, log);
      return false;
    }
    log.push(now);
    this.windows.set(key, log);
    return true;
  }
}

const STATUSES = [429, 500, 502, 503];
/** A 429 refuses a request; it never comes after one was processed. */
const STATUSES_AFTER_COMMIT = [500, 502, 503];

function validateAction(a: unknown, where: string, allowPass: boolean): void {
  if (typeof a !== "object" || a === null) throw new TypeError(`${where}: a fault must be an object`);
  const r = a as Record<string, unknown>;
  switch (r.kind) {
    case "status":
      if (!STATUSES.includes(r.status as number)) throw new TypeError(`${where}: status must be one of ${STATUSES.join(", ")}`);
      break;
    case "statusAfterCommit":
      if (!STATUSES_AFTER_COMMIT.includes(r.status as number)) throw new TypeError(`${where}: statusAfterCommit needs status ${STATUSES_AFTER_COMMIT.join(", ")}`);
      break;
    case "latency":
      if (typeof r.ms !== "number" || !(r.ms >= 0)) throw new TypeError(`${where}: latency needs ms >= 0`);
      break;
    case "drop":
    case "lostResponse":
      break;
    case "pass":
      if (!allowPass) throw new TypeError(`${where}: "pass" is only a sequence step`);
      break;
    default:
      throw new TypeError(`${where}: unknown fault kind ${JSON.stringify(r.kind)}`);
  }
}

function validateMatch(m: unknown, where: string): void {
  if (m === undefined) return;
  if (typeof m !== "object" || m === null) throw new TypeError(`${where}: match must be an object`);
  const r = m as Record<string, unknown>;
  if (r.pathRegex !== undefined) {
    if (typeof r.pathRegex !== "string") throw new TypeError(`${where}: pathRegex must be a string`);
    new RegExp(r.pathRegex); // throws on a bad pattern
  }
}

/** Checks a configuration (also the JSON one from the admin route) and normalises its form. */
export function normalizeFaultConfig(input: FaultConfig | FaultRule[] | FaultRule | undefined): FaultConfig {
  if (input === undefined) return {};
  if (typeof input !== "object" || input === null) throw new TypeError("faults must be an object or an array of rules");
  // A single rule is accepted for convenience: set({ kind: "drop" }).
  const config: FaultConfig = Array.isArray(input) ? { rules: input } : "kind" in input ? { rules: [input as FaultRule] } : { ...(input as FaultConfig) };
  if (config.rules !== undefined) {
    if (!Array.isArray(config.rules)) throw new TypeError("faults.rules must be an array");
    config.rules.forEach((r, i) => {
      validateAction(r, `faults.rules[${i}]`, false);
      validateMatch(r.match, `faults.rules[${i}]`);
      if (r.probability !== undefined && !(r.probability >= 0 && r.probability <= 1)) throw new TypeError(`faults.rules[${i}]: probability must be within 0..1`);
      if (r.times !== undefined && !(Number.isInteger(r.times) && r.times >= 0)) throw new TypeError(`faults.rules[${i}]: times must be a non-negative integer`);
    });
    config.rules = config.rules.map((r) => ({ ...r }));
  }
  if (config.sequence !== undefined) {
    const seq: FaultSequence = Array.isArray(config.sequence) ? { steps: config.sequence } : { ...config.sequence };
    if (!Array.isArray(seq.steps)) throw new TypeError("faults.sequence.steps must be an array");
    seq.steps.forEach((s, i) => validateAction(s, `faults.sequence.steps[${i}]`, true));
    validateMatch(seq.match, "faults.sequence");
    config.sequence = { ...seq, steps: [...seq.steps] };
  }
  if (config.rateLimit !== undefined && config.rateLimit !== null) {
    const n = config.rateLimit.perSecond;
    if (!(Number.isInteger(n) && n > 0)) throw new TypeError("faults.rateLimit.perSecond must be a positive integer");
  }
  return config;
}

export function matches(match: FaultMatch | undefined, req: { vendor: string; method: string; path: string; pathWithQuery: string }): boolean {
  if (!match) return true;
  if (match.vendor !== undefined && match.vendor !== req.vendor) return false;
  if (match.method !== undefined) {
    const methods = (typeof match.method === "string" ? [match.method] : match.method).map((m) => m.toUpperCase());
    if (!methods.includes(req.method.toUpperCase())) return false;
  }
  if (match.path !== undefined) {
    if (typeof match.path === "string" ? !req.path.startsWith(match.path) : !match.path.test(req.pathWithQuery)) return false;
  }
  if (match.pathRegex !== undefined && !new RegExp(match.pathRegex).test(req.pathWithQuery)) return false;
  return true;
}

export class FaultEngine implements FaultController {
  private config: FaultConfig = {};
  private limiter: SlidingWindowRateLimiter | undefined;
  private readonly random: () => number;
  private readonly clock: () => number;
  private counters = zeroStats();

  constructor(initial: FaultConfig | FaultRule[] | FaultRule | undefined, opts: { randomSeed: number; clock: () => number }) {
    this.random = createPrng(opts.randomSeed);
    this.clock = opts.clock;
    this.set(initial ?? {});
  }

  get stats() {
    return { ...this.counters };
  }

  set(config: FaultConfig | FaultRule[] | FaultRule): void {
    this.config = normalizeFaultConfig(config);
    this.resetLimiter();
  }

  update(partial: FaultConfig): void {
    const merged = { ...this.config, ...normalizeFaultConfig(partial) };
    this.config = merged;
    if ("rateLimit" in partial) this.resetLimiter();
  }

  add(rule: FaultRule): void {
    const [r] = normalizeFaultConfig({ rules: [rule] }).rules!;
    this.config = { ...this.config, rules: [...(this.config.rules ?? []), r] };
  }

  clear(): void {
    this.config = {};
    this.limiter = undefined;
    this.counters = zeroStats();
  }

  get(): FaultConfig {
    const copy = structuredClone(this.config);
    for (const k of Object.keys(copy) as Array<keyof FaultConfig>) if (copy[k] === undefined) delete copy[k];
    return copy;
  }

  get noOutboundPlan(): boolean {
    return this.config.noOutboundPlan === true;
  }

  private resetLimiter(): void {
    const rl = this.config.rateLimit;
    this.limiter = rl ? new SlidingWindowRateLimiter(rl.perSecond, this.clock) : undefined;
  }

  /** The per-key limiter: `true` = go ahead. */
  admit(key: string): boolean {
    if (!this.limiter) return true;
    const ok = this.limiter.tryAcquire(key);
    if (!ok) this.counters.rateLimited++;
    return ok;
  }

  /** Counts a 429 decided elsewhere (a vendor's concurrency limit) in `stats.rateLimited`. */
  noteRateLimited(): void {
    this.counters.rateLimited++;
  }

  get perSecond(): number | undefined {
    return this.config.rateLimit?.perSecond;
  }

  /** Decides the fate of one request: scripted step first, then standing rules in order. */
  decide(req: { vendor: string; method: string; path: string; pathWithQuery: string }): FaultDecision {
    const decision: FaultDecision = { latencyMs: 0 };
    const apply = (a: FaultStep) => {
      if (a.kind === "pass") return;
      if (a.kind === "latency") {
        decision.latencyMs += a.ms;
        this.counters.latency++;
        return;
      }
      if (decision.action) return;
      this.counters[a.kind]++;
      decision.action = a.kind === "status" || a.kind === "statusAfterCommit" ? { kind: a.kind, status: a.status } : { kind: a.kind };
    };
    const seq = this.config.sequence as FaultSequence | undefined;
    if (seq && seq.steps.length > 0 && matches(seq.match, req)) apply(seq.steps.shift()!);
    for (const rule of this.config.rules ?? []) {
      if (rule.times !== undefined && rule.times <= 0) continue;
      if (!matches(rule.match, req)) continue;
      if (rule.kind !== "latency" && decision.action) continue;
      const p = rule.probability ?? 1;
      if (p < 1 && !(this.random() < p)) continue;
      if (rule.times !== undefined) rule.times--;
      apply(rule);
    }
    return decision;
  }
}
