export { OutboundTrunk, outboundTrunkProvider, SECRET_OUTPUTS } from "./outbound-trunk";
export type { OutboundTrunkOptions } from "./outbound-trunk";
export type * from "./types";
export { DIDWW_API_VERSION, DIDWW_PRODUCTION_URL } from "./client";
