/**
 * Every text and status the Bolna emulator puts on the wire, in one place, so tests assert
 * against the same constants the handlers use.
 *
 * Provenance, per item:
 * - RECORDED: a body in shared/fixtures/bolna (the two DELETE messages).
 * - DOCUMENTED: a text from Bolna's own sources (reference bolna-trunk-api.md: [G] the BYOT guide's
 *   "Common Errors", [K] the setup-sip-trunk skill, [E] the MCP server's error mapping).
 * - EMULATOR: texts no source gives; docs/emulator.md lists them as inferred.
 *
 * The envelope: the live API answers `{"detail": "..."}` (FastAPI's; [E] "confirmed against the
 * live API" for auth failures). The OpenAPI's `Error` schema `{error: int, message}` is refuted by
 * that one live observation (its `AccessDenied` example is `{error: 401, message}`, the live answer
 * a 403 `{detail}`), so `detail` is the default; `bolnaErrorFormat: "openapi"` rehearses a client
 * against the documented shape.
 */

/** How the JSON error bodies look (auth failures are always `{detail}`: that is what was observed live). */
export type BolnaErrorFormat = "detail" | "openapi";

/** One refusal: the HTTP status and the text. */
export interface BolnaFailure {
  status: number;
  detail: string;
}

/** The JSON error body in the configured format. */
export function errorBody(format: BolnaErrorFormat, failure: BolnaFailure): Record<string, unknown> {
  return format === "openapi" ? { error: failure.status, message: failure.detail } : { detail: failure.detail };
}

export const fail = (status: number, detail: string): BolnaFailure => ({ status, detail });

// ---------------------------------------------------------------------------------------------
// RECORDED
// ---------------------------------------------------------------------------------------------

/** RECORDED (sip_trunks_delete.json: "Trunk deleted successfully. 3 phone number(s) removed."). */
export const trunkDeleted = (numbers: number) => `Trunk deleted successfully. ${numbers} phone number(s) removed.`;

/** RECORDED (sip_trunk_numbers_delete.json). */
export const NUMBER_REMOVED = "Phone number removed successfully";

// ---------------------------------------------------------------------------------------------
// DOCUMENTED
// ---------------------------------------------------------------------------------------------

/** DOCUMENTED [G] "Common Errors and Troubleshooting" (400 each). */
export const MSG = {
  nameRequired: "Trunk name is required",
  providerRequired: "Provider is required",
  authType: "auth_type must be 'userpass' or 'ip-based'",
  gatewayRequired: "At least one gateway is required",
  credentialsRequired: "auth_username and auth_password are required for userpass auth",
  ipIdentifiersRequired: "ip_identifiers are required for ip-based auth",
  /** DOCUMENTED [G] 409 (or 422): the emulator answers 409. */
  numberOnOtherTrunk: "Phone number already exists on another active trunk",
  /** DOCUMENTED [K] 422, verbatim. */
  sdesNeedsTls: "media_encryption='sdes' requires transport='transport-tls'",
} as const;

// ---------------------------------------------------------------------------------------------
// EMULATOR (inferred texts)
// ---------------------------------------------------------------------------------------------

export const EMSG = {
  /** Bearer scheme missing: FastAPI's HTTPBearer text. */
  notAuthenticated: "Not authenticated",
  /** A Bearer key that is not one of the account's. The live status is 403 [E]; the text is the emulator's. */
  invalidApiKey: "Invalid API key",
  trunkNotFound: "SIP trunk not found",
  numberNotFound: "Phone number not found",
  numberOnThisTrunk: "Phone number already exists on this trunk",
  nameTaken: (name: string) => `A SIP trunk named '${name}' already exists`,
  gatewayAddressRequired: "gateway_address is required",
  ipAddressRequired: "ip_address is required",
  ipAddressInvalid: (text: string) => `ip_address must be an IP address or CIDR range, got '${text}'`,
  phoneNumberRequired: "phone_number is required",
  notE164: (text: string) => `phone_number '${text}' is not in E.164 format (+ followed by 2 to 15 digits) and e164_check_enabled is true`,
  /** FastAPI's texts for an unknown route and a known route with another method. */
  notFound: "Not Found",
  methodNotAllowed: "Method Not Allowed",
  bodyNotJson: "request body must be valid JSON",
  bodyNotObject: "request body must be a JSON object",
  notString: (field: string) => `${field} must be a string`,
  notBoolean: (field: string) => `${field} must be a boolean`,
  notInteger: (field: string) => `${field} must be an integer`,
  notArray: (field: string) => `${field} must be an array`,
  notObject: (field: string) => `${field} must be an object`,
  notNull: (field: string) => `${field} may not be null`,
  outOfRange: (field: string, min: number, max?: number) => (max === undefined ? `${field} must be at least ${min}` : `${field} must be between ${min} and ${max}`),
  notOneOf: (field: string, values: readonly string[]) => `${field} must be one of ${values.map((v) => `'${v}'`).join(", ")}`,
  noCodec: (field: string) => `${field} must name at least one codec`,
  isActiveQuery: "is_active must be true or false",
  tooManyRequests: "Too many requests",
  /** Starlette's plain-text 500. */
  internalServerError: "Internal Server Error",
} as const;

/** Bodies of injected 502/503: the edge in front of the API answers those, in HTML (as DIDWW's emulator does). */
export const proxyErrorHtml = (status: number, reason: string): string =>
  `<html>\r\n<head><title>${status} ${reason}</title></head>\r\n<body>\r\n<center><h1>${status} ${reason}</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n`;
