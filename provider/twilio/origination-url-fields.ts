/**
 * `twilio.OriginationUrl` declared once, as data. `api` is the form parameter a request sends
 * (PascalCase); the answer's member is its snake_case twin. `trunkSid` is the one exception: it
 * is the `{TrunkSid}` of the path, never a form parameter, and a change replaces the resource.
 * Validation, diffing, form building, read-back, the README's table and the TSDoc check all read
 * this table.
 *
 * Sources: twilio_trunking_v1.json (twilio/twilio-oai) and its parameter texts, which give the
 * ranges and defaults the schema lacks (the schema's `default: 0` for Weight and Priority
 * contradicts the text and is not followed; shared/reference/twilio-children.md), and the
 * recorded examples (../shared/fixtures/twilio/origination_url_*.json).
 *
 * Twilio requires all five form parameters on create. Weight, Priority and Enabled have
 * documented defaults, so they are optional inputs that are always sent; FriendlyName has none,
 * so it is a required input (a name made up by the provider would be a value nobody chose).
 */
import type { InputFailure } from "../common/errors";
import { fieldList, type FieldDef, type FieldSpec } from "../common/fields";
import { InputValidator } from "../common/schema";
import { importControls, sidPattern, sidRule } from "./fields";
import type { OriginationUrlInputs } from "./origination-url-types";

export const ORIGINATION_URL_RESOURCE = "twilio.OriginationUrl";

/** `sip:` and something after it, the scheme in any case; `sips:` does not match (Twilio: "sips is not supported"). */
export const SIP_URL_PATTERN = "^[sS][iI][pP]:\\S+$";

export type OriginationUrlFieldName = "trunkSid" | "sipUrl" | "friendlyName" | "weight" | "priority" | "enabled";

const ORIGINATION_URL_TABLE = {
  trunkSid: {
    api: "TrunkSid", required: true, replaceOnChange: true, nullable: false, compare: "exact", wire: "string",
    schema: { type: "string", pattern: sidPattern("TK") },
    rule: sidRule("TK", "a trunk"),
    doc: "The trunk the URL belongs to; Twilio sends the trunk's inbound calls to its origination URLs.",
  },
  sipUrl: {
    api: "SipUrl", required: true, nullable: false, compare: "sipUri", wire: "string",
    schema: { type: "string", pattern: SIP_URL_PATTERN },
    rule: 'must be a SIP URI starting with "sip:" ("sips:" is not supported), e.g. "sip:pbx.example.com:5060"',
    doc: "Where Twilio sends the trunk's inbound calls: your PBX or SBC.",
  },
  friendlyName: {
    api: "FriendlyName", required: true, nullable: false, compare: "exact", wire: "string",
    schema: { type: "string", minLength: 1, maxLength: 64 },
    rule: "must be a string of 1 to 64 characters",
    doc: "A name for the origination URL (Twilio requires one).",
  },
  weight: {
    api: "Weight", default: 10, nullable: false, compare: "exact", wire: "integer",
    schema: { type: "integer", minimum: 1, maximum: 65535 },
    rule: "must be an integer from 1 to 65535",
    doc: "Share of the calls among URLs of the same priority: a URL of weight 20 gets twice the calls of one of weight 10.",
  },
  priority: {
    api: "Priority", default: 10, nullable: false, compare: "exact", wire: "integer",
    schema: { type: "integer", minimum: 0, maximum: 65535 },
    rule: "must be an integer from 0 to 65535",
    doc: "Order of the URLs: Twilio tries the lowest number first, and higher ones only when those fail.",
  },
  enabled: {
    api: "Enabled", default: true, nullable: false, compare: "exact", wire: "boolean",
    schema: { type: "boolean" }, rule: "must be a boolean",
    doc: "Whether Twilio sends calls to this URL.",
  },
} satisfies { [K in OriginationUrlFieldName]-?: FieldDef<Exclude<OriginationUrlInputs[K], undefined>> };

/** Every field, in table order (validation, diff, outputs, docs). */
export const ORIGINATION_URL_FIELDS: readonly FieldSpec<OriginationUrlFieldName>[] = fieldList<OriginationUrlFieldName>(ORIGINATION_URL_TABLE);

/** The fields sent as form parameters (all but the path's `trunkSid`). */
export const ORIGINATION_URL_FORM_FIELDS: readonly FieldSpec<OriginationUrlFieldName>[] = ORIGINATION_URL_FIELDS.filter((f) => f.input !== "trunkSid");

export const ORIGINATION_URL_CONTROLS = importControls("OU", "origination URL");

const ORIGINATION_URL_VALIDATOR = new InputValidator({
  resource: ORIGINATION_URL_RESOURCE,
  fields: ORIGINATION_URL_FIELDS,
  controls: ORIGINATION_URL_CONTROLS,
});

/** Every failing rule of `twilio.OriginationUrl` inputs, one failure per top-level property; unknown values never fail. */
export function validateOriginationUrlInputs(inputs: unknown): InputFailure[] {
  return ORIGINATION_URL_VALIDATOR.validate(inputs);
}
