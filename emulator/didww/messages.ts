/**
 * Every text the DIDWW emulator puts on the wire, in one place, so tests assert against the same
 * constants the handlers use.
 *
 * Provenance, per group:
 * - RECORDED: copied from a recorded DIDWW response in shared/fixtures/didww (Postman collection 2026-04-16,
 *   SDK cassettes). These are the truth.
 * - JSONAPI_RESOURCES: DIDWW's error codes and titles match the Ruby gem `jsonapi-resources`
 *   (lib/jsonapi/error_codes.rb, locales/en.yml). Texts for errors DIDWW never recorded are taken from there.
 * - RAILS: ActiveModel's default English validation messages (`can't be blank`, `is invalid`, ...). The
 *   recorded 422s use these texts, so the unrecorded rules use them too. Inferred, not recorded.
 * - EMULATOR: texts the emulator had to invent (no source records them). They say so in the docs.
 */

/** The JSON:API media type DIDWW requires on Content-Type and Accept. */
export const MEDIA_TYPE = "application/vnd.api+json";

/** The only API version the emulator serves (the shape of every recorded 2026-04-16 response). */
export const API_VERSION = "2026-04-16";

/** Versions DIDWW has published, oldest first. Older than the account default = ignored by DIDWW. */
export const KNOWN_API_VERSIONS = ["2017-09-18", "2021-04-19", "2021-12-15", "2022-05-10", "2026-04-16"] as const;

/** jsonapi-resources error codes (strings on the wire; not HTTP statuses). */
export const CODES = {
  validation: "100",
  invalidResource: "101",
  filterNotAllowed: "102",
  invalidFieldValue: "103",
  invalidField: "104",
  paramNotAllowed: "105",
  paramMissing: "106",
  invalidFilterValue: "107",
  missingKey: "109",
  keyNotIncludedInUrl: "110",
  invalidInclude: "112",
  invalidSortCriteria: "114",
  invalidLinksObject: "115",
  typeMismatch: "116",
  invalidPageValue: "118",
  invalidFieldFormat: "119",
  invalidDataFormat: "122",
  badRequest: "400",
  unauthorized: "401",
  forbidden: "403",
  notFound: "404",
  notAcceptable: "406",
  unsupportedMediaType: "415",
  tooManyRequests: "429",
  internalServerError: "500",
} as const;

/** One JSON:API error object as DIDWW sends it (all values are strings). */
export interface JsonApiError {
  title: string;
  detail: string;
  code: string;
  status: string;
  source?: { pointer: string };
  meta?: Record<string, unknown>;
}

// ---------------------------------------------------------------------------------------------
// RECORDED
// ---------------------------------------------------------------------------------------------

/** RECORDED (fixtures/didww/error_401_unauthorized.json). */
export const UNAUTHORIZED: JsonApiError = Object.freeze({
  title: "Unauthorized",
  detail: "Authorization failed",
  code: "401",
  status: "401",
});

/** RECORDED (vot_delete_404.json, dids_show_404.json). */
export const RECORD_NOT_FOUND_TITLE = "Record not found";
export const recordNotFound = (id: string): JsonApiError => ({
  title: RECORD_NOT_FOUND_TITLE,
  detail: `The record identified by ${id} could not be found.`,
  code: CODES.notFound,
  status: "404",
});

/** RECORDED (error_400_param_not_allowed_sdk.json): one error per offending parameter. */
export const PARAM_NOT_ALLOWED_TITLE = "Param not allowed";
export const paramNotAllowed = (param: string): JsonApiError => ({
  title: PARAM_NOT_ALLOWED_TITLE,
  detail: `${param} is not allowed.`,
  code: CODES.paramNotAllowed,
  status: "400",
});

/**
 * Validation messages. RECORDED: `can't be blank`, `is invalid`, `is not allowed for creation`,
 * `is not allowed for update`. RAILS (inferred): the rest.
 */
export const MSG = {
  blank: "can't be blank",
  invalid: "is invalid",
  notAllowedForCreation: "is not allowed for creation",
  notAllowedForUpdate: "is not allowed for update",
  inclusion: "is not included in the list",
  notANumber: "is not a number",
  notAnInteger: "must be an integer",
  mustBeBlank: "must be blank",
  tooLong: (max: number) => `is too long (maximum is ${max} characters)`,
  greaterOrEqual: (min: string | number) => `must be greater than or equal to ${min}`,
  lessOrEqual: (max: string | number) => `must be less than or equal to ${max}`,
  /** EMULATOR: the reference quotes the OAS description "the trunk has no credentials to rotate". */
  noCredentialsToRotate: "has no credentials to rotate",
} as const;

/**
 * RECORDED pattern (every PM 422): `title` = message, `detail` = "<attribute> - <message>",
 * `code` "100", `status` "422", `source.pointer` at the offending member.
 */
export const validationError = (attribute: string, message: string, pointer: string): JsonApiError => ({
  title: message,
  detail: `${attribute} - ${message}`,
  code: CODES.validation,
  source: { pointer },
  status: "422",
});

// ---------------------------------------------------------------------------------------------
// JSONAPI_RESOURCES (same envelope, unrecorded texts)
// ---------------------------------------------------------------------------------------------

const bad = (code: string, title: string, detail: string): JsonApiError => ({ title, detail, code, status: "400" });

export const filterNotAllowed = (filter: string) => bad(CODES.filterNotAllowed, "Filter not allowed", `${filter} is not allowed.`);
export const invalidFilterValue = (filter: string, value: string) =>
  bad(CODES.invalidFilterValue, "Invalid filter value", `${value} is not a valid value for ${filter}.`);
export const invalidInclude = (resource: string, relationship: string) =>
  bad(CODES.invalidInclude, "Invalid include", `${relationship} is not a valid includable relationship of ${resource}`);
export const invalidSortCriteria = (resource: string, criteria: string) =>
  bad(CODES.invalidSortCriteria, "Invalid sort criteria", `${criteria} is not a valid sort criteria for ${resource}`);
export const invalidField = (type: string, field: string) => bad(CODES.invalidField, "Invalid field", `${field} is not a valid field for ${type}.`);
export const invalidFieldFormat = () => bad(CODES.invalidFieldFormat, "Invalid field format", "Fields must specify a type.");
export const invalidResource = (resource: string) => bad(CODES.invalidResource, "Invalid resource", `${resource} is not a valid resource.`);
export const invalidPageValue = (page: string, value: string) =>
  bad(CODES.invalidPageValue, "Invalid page value", `${value} is not a valid value for ${page} page parameter.`);
export const pageSizeTooLarge = (max: number) =>
  bad(CODES.invalidPageValue, "Invalid page value", `size exceeds maximum page size of ${max}.`);
export const pageParameterNotAllowed = (param: string) =>
  bad(CODES.paramNotAllowed, "Page parameter not allowed", `${param} is not an allowed page parameter.`);
export const parameterMissing = (param: string) =>
  bad(CODES.paramMissing, "Missing Parameter", `The required parameter, ${param}, is missing.`);
export const missingKey = () => bad(CODES.missingKey, "A key is required", "The resource object does not contain a key.");
export const keyNotIncludedInUrl = (key: string) => bad(CODES.keyNotIncludedInUrl, "Key is not included in URL", `The URL does not support the key ${key}`);
export const invalidDataFormat = () => bad(CODES.invalidDataFormat, "Invalid data format", "Data must be a hash.");
export const invalidLinksObject = () => bad(CODES.invalidLinksObject, "Invalid Links Object", "Data is not a valid Links Object.");
export const typeMismatch = (type: string) => bad(CODES.typeMismatch, "Type Mismatch", `${type} is not a valid type for this operation.`);

export const unsupportedMediaType = (specified: string): JsonApiError => ({
  title: "Unsupported media type",
  detail: `All requests that create or update must use the '${MEDIA_TYPE}' Content-Type. This request specified '${specified}'.`,
  code: CODES.unsupportedMediaType,
  status: "415",
});

export const notAcceptable = (specified: string): JsonApiError => ({
  title: "Not acceptable",
  detail: `All requests must use the '${MEDIA_TYPE}' Accept without media type parameters. This request specified '${specified}'.`,
  code: CODES.notAcceptable,
  status: "406",
});

export const INTERNAL_SERVER_ERROR: JsonApiError = Object.freeze({
  title: "Internal Server Error",
  detail: "Internal Server Error",
  code: CODES.internalServerError,
  status: "500",
});

// ---------------------------------------------------------------------------------------------
// EMULATOR (no recording exists; documented as invented)
// ---------------------------------------------------------------------------------------------

/** DIDWW documents the 429 but not its body; the emulator uses the same envelope. */
export const TOO_MANY_REQUESTS = (perSecond: number): JsonApiError => ({
  title: "Too Many Requests",
  detail: `Rate limit exceeded: each API key is limited to ${perSecond} requests per second.`,
  code: CODES.tooManyRequests,
  status: "429",
});

/** The documented 403 ("the account has no outbound plan"), in the usual envelope. */
export const NO_OUTBOUND_PLAN: JsonApiError = Object.freeze({
  title: "Forbidden",
  detail: "the account has no outbound plan",
  code: CODES.forbidden,
  status: "403",
});

export const invalidJson = (reason: string): JsonApiError => bad(CODES.badRequest, "Bad Request", `The request body is not valid JSON: ${reason}`);

export const unsupportedApiVersion = (requested: string): JsonApiError =>
  bad(
    CODES.badRequest,
    "Unsupported API version",
    `X-DIDWW-API-Version '${requested}' is not served by this emulator; it models ${API_VERSION} only (older known versions are ignored, as DIDWW does for versions older than the account default).`,
  );

export const routeNotFound = (method: string, path: string): JsonApiError => ({
  title: "Not Found",
  detail: `No route matches ${method} ${path}`,
  code: CODES.notFound,
  status: "404",
});

/**
 * Bodies for injected 502/503: DIDWW's edge would answer these, not the Rails app, so they are
 * HTML like a reverse proxy's, which is what a client really has to cope with.
 */
export const proxyErrorHtml = (status: number, reason: string): string =>
  `<html>\r\n<head><title>${status} ${reason}</title></head>\r\n<body>\r\n<center><h1>${status} ${reason}</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n`;

/** The error documents as sent: `{ "errors": [...] }`. */
export const errorsDocument = (...errors: JsonApiError[]) => ({ errors: errors.map((e) => ({ ...e })) });
