/**
 * The validation of `didww.OutboundTrunk` inputs: the field table plus the authentication
 * method (an object whose `type` selects its attributes), handed to the shared validator
 * (provider/common/schema.ts), which builds the ajv schema and words the failures.
 */
import type { InputFailure } from "../common/errors";
import { InputValidator, type NestedInput } from "../common/schema";
import { AUTH_METHOD_RULE, AUTH_SUBFIELD_LIST, AUTH_TYPE_RULE, AUTH_TYPES, CONTROL_FIELDS, CROSS_RULES, TRUNK_FIELDS, type AuthSubField } from "./fields";
import type { AuthType } from "./types";

export const RESOURCE_NAME = "didww.OutboundTrunk";

function authSchema(): Record<string, unknown> {
  const properties: Record<string, unknown> = { type: { enum: Object.keys(AUTH_TYPES) } };
  for (const sub of AUTH_SUBFIELD_LIST) properties[sub.input] = sub.schema;
  const types = Object.entries(AUTH_TYPES) as [AuthType, readonly AuthSubField[]][];
  return {
    type: "object",
    required: ["type"],
    additionalProperties: false,
    properties,
    allOf: types.map(([type, subs]) => ({
      if: { properties: { type: { const: type } }, required: ["type"] },
      then: {
        required: subs.filter((s) => s.required).map((s) => s.input),
        // An attribute of another type is refused, never silently dropped.
        properties: Object.fromEntries(AUTH_SUBFIELD_LIST.filter((s) => !subs.includes(s)).map((s) => [s.input, false])),
      },
    })),
  };
}

export const AUTHENTICATION_METHOD: NestedInput = {
  input: "authenticationMethod",
  schema: authSchema(),
  rule: AUTH_METHOD_RULE,
  required: true,
  children: AUTH_SUBFIELD_LIST,
  discriminator: { name: "type", rule: AUTH_TYPE_RULE },
};

const VALIDATOR = new InputValidator({
  resource: RESOURCE_NAME,
  fields: TRUNK_FIELDS,
  nested: [AUTHENTICATION_METHOD],
  controls: CONTROL_FIELDS,
  crossRules: CROSS_RULES,
});

/**
 * Every failing rule in `inputs`, one failure per top-level property, in field-table order.
 * Values that are unknown during preview never fail.
 */
export function validateTrunkInputs(inputs: unknown): InputFailure[] {
  return VALIDATOR.validate(inputs);
}
