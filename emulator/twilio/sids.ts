/**
 * Twilio SIDs: two upper-case letters naming the resource type and 32 hex digits, 34 characters
 * in all (`^XX[0-9a-fA-F]{32}$`, the pattern the OpenAPI puts on every Sid, path ones included).
 */
import { randomBytes } from "node:crypto";

/** The prefixes the emulator issues or reads, by what they name. */
export const SID_PREFIX = {
  account: "AC",
  apiKey: "SK",
  trunk: "TK",
  originationUrl: "OU",
  phoneNumber: "PN",
  credentialList: "CL",
  credential: "CR",
  ipAccessControlList: "AL",
  ipAddress: "IP",
} as const;

export type SidPrefix = (typeof SID_PREFIX)[keyof typeof SID_PREFIX];

/** A new SID: the prefix and 32 random lower-case hex digits (Twilio issues lower case). */
export function newSid(prefix: SidPrefix): string {
  return `${prefix}${randomBytes(16).toString("hex")}`;
}

/** `true` when `text` is a well-formed SID with this prefix. */
export function isSid(prefix: SidPrefix, text: unknown): text is string {
  return typeof text === "string" && text.length === 34 && text.startsWith(prefix) && /^[0-9a-fA-F]{32}$/.test(text.slice(2));
}

/** The prefix of a well-formed SID, or undefined. */
export function sidPrefixOf(text: string): string | undefined {
  return /^[A-Z]{2}[0-9a-fA-F]{32}$/.test(text) ? text.slice(0, 2) : undefined;
}
