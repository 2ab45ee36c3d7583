/**
 * Lookups: plain async functions a program calls to find what it does not manage, with the same
 * settings as the resources (stack config `twilio:*`, then `TWILIO_*` environment variables).
 * They run in the program, at preview and at up alike, and change nothing.
 *
 * @example
 * const pn = await twilio.getIncomingPhoneNumber({ phoneNumber: "+14155550101" });
 * new twilio.Trunk("pbx", { phoneNumberSids: [pn.sid] });
 */
import { programConfig, type ConfigGetter } from "../common/config";
import { InputError } from "../common/errors";
import { twilioClient } from "./client";
import { wireValue } from "./mapping";

/** One trunk of the account, as the list reports it. */
export interface TrunkSummary {
  sid: string;
  friendlyName: string | null;
  domainName: string | null;
  authType: string | null;
  secure: boolean | null;
  dateCreated: string | null;
}

/** A number the account owns. */
export interface IncomingPhoneNumber {
  /** `PN…`: what `twilio.Trunk`'s `phoneNumberSids` takes. */
  sid: string;
  /** E.164, as Twilio stores it. */
  phoneNumber: string;
  friendlyName: string | null;
  /** The trunk the number routes to, or null. */
  trunkSid: string | null;
}

export const E164_PATTERN = /^\+[1-9][0-9]{1,14}$/;

/** Every trunk of the account (all pages). */
export async function getTrunks(options: { config?: ConfigGetter } = {}): Promise<TrunkSummary[]> {
  const records = await twilioClient(options.config ?? programConfig()).list("trunking", "/v1/Trunks", "trunks");
  return records.map((r) => {
    const subject = `trunk ${String(r.sid)}`;
    return {
      sid: wireValue(subject, r, "sid", "string") as string,
      friendlyName: wireValue(subject, r, "friendly_name", "string") as string | null,
      domainName: wireValue(subject, r, "domain_name", "string") as string | null,
      authType: wireValue(subject, r, "auth_type", "string") as string | null,
      secure: wireValue(subject, r, "secure", "boolean") as boolean | null,
      dateCreated: wireValue(subject, r, "date_created", "string") as string | null,
    };
  });
}

/**
 * The account's number with this E.164 value: users know numbers, resources take SIDs. Fails,
 * saying so, when the account has no such number.
 */
export async function getIncomingPhoneNumber(args: { phoneNumber: string }, options: { config?: ConfigGetter } = {}): Promise<IncomingPhoneNumber> {
  const phoneNumber = args?.phoneNumber;
  if (typeof phoneNumber !== "string" || !E164_PATTERN.test(phoneNumber)) {
    throw new InputError("twilio.getIncomingPhoneNumber", [
      { property: "phoneNumber", reason: `must be an E.164 number: "+", a country code and up to 15 digits in all (got ${JSON.stringify(phoneNumber)})` },
    ]);
  }
  const c = twilioClient(options.config ?? programConfig());
  const records = await c.list("api", `${c.accountPath}/IncomingPhoneNumbers.json?PhoneNumber=${encodeURIComponent(phoneNumber)}`, "incoming_phone_numbers");
  const found = records.find((r) => r.phone_number === phoneNumber);
  if (!found) throw new Error(`twilio.getIncomingPhoneNumber: account ${c.settings.accountSid} has no number ${phoneNumber} (buy or port it first; a lookup never creates one)`);
  const subject = `number ${phoneNumber}`;
  return {
    sid: wireValue(subject, found, "sid", "string") as string,
    phoneNumber,
    friendlyName: wireValue(subject, found, "friendly_name", "string") as string | null,
    trunkSid: (wireValue(subject, found, "trunk_sid", "string") as string | null) || null,
  };
}
