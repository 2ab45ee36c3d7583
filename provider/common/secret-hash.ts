/**
 * Write-only secrets (SIP credential passwords, trunk passwords): the vendor never returns them,
 * so state keeps a salted hash of the value last sent, never the value. A changed desired value
 * no longer matches the hash and is sent again; an unchanged one matches and is not. Drift of the
 * live secret cannot be seen and is never reported.
 *
 * Form: `scrypt$<salt, base64url>$<hash, base64url>`. The salt is random per value, so equal
 * passwords in two resources (or two stacks) do not give equal hashes, and a dictionary against
 * a stolen state costs scrypt per guess and per salt.
 */
import { createHash, randomBytes, scryptSync, timingSafeEqual } from "node:crypto";
import { isUnknown } from "./unknown";

const PREFIX = "scrypt";
const KEY_LENGTH = 32;
/** scrypt cost: N = 2^14, r = 8 (16 MiB, about 30 ms per hash). */
const PARAMS = { N: 1 << 14, r: 8, p: 1, maxmem: 64 * 1024 * 1024 };

export function hashSecret(value: string, salt: Buffer = randomBytes(16)): string {
  const hash = scryptSync(value, salt, KEY_LENGTH, PARAMS);
  return `${PREFIX}$${salt.toString("base64url")}$${hash.toString("base64url")}`;
}

/** Whether `value` is the secret `stored` was made from (false for anything that is not such a hash). */
export function matchesSecret(value: string, stored: unknown): boolean {
  if (typeof stored !== "string") return false;
  const [prefix, saltText, hashText] = stored.split("$");
  if (prefix !== PREFIX || !saltText || !hashText) return false;
  const expected = Buffer.from(hashText, "base64url");
  if (expected.length !== KEY_LENGTH) return false;
  const actual = scryptSync(value, Buffer.from(saltText, "base64url"), KEY_LENGTH, PARAMS);
  return timingSafeEqual(actual, expected);
}

export function isSecretHash(value: unknown): value is string {
  return typeof value === "string" && value.startsWith(`${PREFIX}$`) && value.split("$").length === 3;
}

/**
 * {@link matchesSecret}, remembered for the life of the process. scrypt costs ~30 ms a call and a
 * plan asks for every secret at each diff, so answers are kept, keyed by the stored hash and a
 * SHA-256 of the value (never the value itself).
 */
const matches = new Map<string, boolean>();
export function matchesSecretCached(value: string, stored: string | null | undefined): boolean {
  if (typeof stored !== "string") return false;
  const key = `${stored}\n${createHash("sha256").update(value).digest("base64")}`;
  let hit = matches.get(key);
  if (hit === undefined) {
    hit = matchesSecret(value, stored);
    if (matches.size >= 10_000) matches.clear();
    matches.set(key, hit);
  }
  return hit;
}

/**
 * Whether a write-only secret must be sent: the desired value is known and is not the one the
 * stored hash was made from (no hash: never sent by this provider). An omitted (or null) desired
 * value sends nothing; one still unknown at preview counts as a change. The live value cannot be
 * read, so its drift is never a reason.
 */
export function secretNeedsSending(desired: unknown, storedHash: unknown): boolean {
  if (desired === undefined || desired === null) return false;
  if (isUnknown(desired)) return true;
  return typeof desired !== "string" || !matchesSecretCached(desired, typeof storedHash === "string" ? storedHash : null);
}
