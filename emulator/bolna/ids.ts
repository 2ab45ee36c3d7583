/**
 * Bolna's ids: strings, ULIDs per the BYOT guide ("Unique trunk identifier (ULID format)"; its
 * examples such as `01HQXYZ123ABC456DEF` are shortened by hand). The emulator issues real ULIDs:
 * 26 characters of Crockford base32, 48 bits of milliseconds then 80 random bits.
 */
import { randomBytes } from "node:crypto";

const CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

/** A new ULID for the time `now` (milliseconds). */
export function newUlid(now: number = Date.now()): string {
  let time = "";
  let t = Math.max(0, Math.floor(now));
  for (let i = 0; i < 10; i++) {
    time = CROCKFORD[t % 32] + time;
    t = Math.floor(t / 32);
  }
  const bytes = randomBytes(10);
  let bits = 0n;
  for (const b of bytes) bits = (bits << 8n) | BigInt(b);
  let random = "";
  for (let i = 0; i < 16; i++) {
    random = CROCKFORD[Number(bits & 31n)] + random;
    bits >>= 5n;
  }
  return time + random;
}
