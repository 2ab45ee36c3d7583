/**
 * Every text and code the Twilio emulator puts on the wire, in one place, so tests assert
 * against the same constants the handlers use.
 *
 * Provenance, per group:
 * - RECORDED: a body in shared/fixtures/twilio (the 429 and the two 404s). The truth about the envelope.
 * - CATALOG: the code and its title from Twilio's error catalog (www.twilio.com/docs/errors/<code>);
 *   which code answers which case is the emulator's reading of the title, and the message text is
 *   the emulator's own (Twilio publishes no 400 body for these endpoints).
 * - EMULATOR: texts no source gives; the docs list them as inferred.
 */

/** Twilio's error body: the same four members on every API (RECORDED: error_429, error_404_*). */
export interface TwilioError {
  code: number;
  message: string;
  more_info: string;
  status: number;
}

export const moreInfo = (code: number) => `https://www.twilio.com/docs/errors/${code}`;

export const twilioError = (status: number, code: number, message: string): TwilioError => ({ code, message, more_info: moreInfo(code), status });

/** The codes the emulator answers with (CATALOG titles in the comments). */
export const CODES = {
  /** "Permission Denied" (catalog); the wire message is "Authenticate". */
  authenticate: 20003,
  /** "Not Found". */
  notFound: 20404,
  /** "Request Entity Too Large". */
  entityTooLarge: 20413,
  /** "Invalid Parameter": bad paging parameters. */
  invalidParameter: 20422,
  /** "Too many requests": Twilio's limit on concurrent requests per account. */
  tooManyRequests: 20429,
  /** "Internal Server Error". */
  internalServerError: 20500,
  /** "Service unavailable". */
  serviceUnavailable: 20503,
  /** "IP Access Control List Validation Error". */
  ipAccessControlListValidation: 21235,
  /** "IP Access Control List Dependencies Violation": deleting a list a trunk uses. */
  ipAccessControlListDependencies: 21236,
  /** "Maximum IP Addresses Reached for List" (100 per list). */
  maxIpAddresses: 21237,
  /** "Address Validation Error": an IP address entry. */
  ipAddressValidation: 21238,
  /** "Maximum Credential Lists Reached" (100 per account). */
  maxCredentialLists: 21239,
  /** "Credential List Validation Error". */
  credentialListValidation: 21240,
  /** "Credential List Dependencies Violation": deleting a list a trunk uses. */
  credentialListDependencies: 21241,
  /** "Maximum Credentials Reached for List" (1000 per list). */
  maxCredentials: 21242,
  /** "Credential Validation Error". */
  credentialValidation: 21243,
  /** "Maximum Number of Trunks reached" (100 per account, 1 on trial). */
  maxTrunks: 21244,
  /** "Trunk Validation Error": trunks and everything under /v1/Trunks/{Sid}. */
  trunkValidation: 21245,
  /** "Trunk Domain already taken". */
  trunkDomainTaken: 21248,
  /** "Maximum IP Access Control Lists reached" (1000 per account). */
  maxIpAccessControlLists: 21255,
} as const;

// ---------------------------------------------------------------------------------------------
// RECORDED
// ---------------------------------------------------------------------------------------------

/** RECORDED (fixtures/twilio/error_429_too_many_requests.json, Verify v2: the same envelope everywhere). */
export const TOO_MANY_REQUESTS: TwilioError = Object.freeze(twilioError(429, CODES.tooManyRequests, "Too many requests"));

/**
 * RECORDED form: "The requested resource <path> was not found". v2010 paths are quoted in full
 * (`/2010-04-01/…json`, error_404_v2010_delete_twice.json); v1 paths without the version
 * (`/Trunks/TK…`, error_404_origination_url_fetch_sdk_go.json, as Twilio's other v1/v2 APIs do).
 */
export const notFound = (path: string): TwilioError => twilioError(404, CODES.notFound, `The requested resource ${path} was not found`);

// ---------------------------------------------------------------------------------------------
// CATALOG code, EMULATOR text
// ---------------------------------------------------------------------------------------------

/** 401 without valid credentials, or with another account's SID in the path (the message Twilio is widely seen to send). */
export const AUTHENTICATE: TwilioError = Object.freeze(twilioError(401, CODES.authenticate, "Authenticate"));

export const INTERNAL_SERVER_ERROR: TwilioError = Object.freeze(twilioError(500, CODES.internalServerError, "Internal Server Error"));

/** Injected 502: Twilio's catalog has no 20502; the edge's failure is reported as an internal error. */
export const BAD_GATEWAY: TwilioError = Object.freeze(twilioError(502, CODES.internalServerError, "Bad Gateway"));

export const SERVICE_UNAVAILABLE: TwilioError = Object.freeze(twilioError(503, CODES.serviceUnavailable, "Service unavailable"));

export const entityTooLarge = (detail: string): TwilioError => twilioError(413, CODES.entityTooLarge, detail);

/** The texts of 400 answers (EMULATOR). */
export const MSG = {
  missing: (param: string) => `Missing required parameter ${param} in the post body`,
  tooLong: (param: string, max: number) => `${param} must be at most ${max} characters`,
  notOneOf: (param: string, values: readonly string[]) => `${param} must be one of ${values.join(", ")}`,
  notBoolean: (param: string) => `${param} must be true or false`,
  notInteger: (param: string) => `${param} must be an integer`,
  outOfRange: (param: string, min: number, max: number) => `${param} must be between ${min} and ${max}`,
  notSid: (param: string, prefix: string) => `${param} must be a ${prefix} SID (${prefix} followed by 32 hex digits)`,
  notUrl: (param: string) => `${param} must be an http or https URL`,
  domainSuffix: "DomainName must be a host name ending in pstn.twilio.com",
  domainTaken: (domain: string) => `Trunk Domain already taken: ${domain}`,
  sipUrl: "SipUrl must be a sip: URI (sips is not supported)",
  weakPassword: "Password must be at least 12 characters long and contain at least one digit, one lower case and one upper case letter",
  usernameTaken: (username: string) => `A Credential with Username ${username} already exists in this list`,
  friendlyNameTaken: (name: string) => `A Credential List with FriendlyName ${name} already exists`,
  ipv4: "IpAddress must be an IPv4 address in dotted decimal form (no wildcards, no prefix length)",
  maxTrunks: (max: number) => `Maximum Number of Trunks reached: an account may have ${max}`,
  maxCredentialLists: (max: number) => `Maximum Credential Lists Reached: an account may have ${max}`,
  maxCredentials: (max: number) => `Maximum Credentials Reached for List: a list may hold ${max}`,
  maxIpAccessControlLists: (max: number) => `Maximum IP Access Control Lists reached: an account may have ${max}`,
  maxIpAddresses: (max: number) => `Maximum IP Addresses Reached for List: a list may hold ${max}`,
  unknownReference: (param: string, sid: string) => `${param} ${sid} does not name a resource of this account`,
  alreadyAssociated: (sid: string, trunkSid: string) => `${sid} is already associated with trunk ${trunkSid}`,
  numberOnOtherTrunk: (sid: string, trunkSid: string) => `Phone number ${sid} is already associated with another trunk (${trunkSid}); remove it there first`,
  listInUse: (sid: string, trunkSids: string[]) => `${sid} is associated with trunk ${trunkSids.join(", ")}; remove it from the trunk first`,
} as const;
