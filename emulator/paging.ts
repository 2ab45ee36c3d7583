/**
 * Page-number-plus-token paging, as Twilio's APIs do it: `PageSize`, `Page` (the client's own
 * bookkeeping) and `PageToken`, an opaque cursor. The emulator's tokens are `PA<key>` ("after
 * the record with this key") and `PB<key>` ("before it"), the form Twilio's next/previous links
 * carry; a token that names a record no longer there falls back to `Page × PageSize`.
 * Vendor-neutral: the envelope around a page is the vendor's.
 */

export interface PageRequest {
  /** Records per page. */
  pageSize: number;
  /** The page number the client says it is on (0 = first). */
  page: number;
  pageToken?: string;
}

export interface PageLimits {
  defaultPageSize: number;
  maxPageSize: number;
}

/** Reads `PageSize`, `Page`, `PageToken`; the message names the bad parameter. */
export function parsePageRequest(query: URLSearchParams, limits: PageLimits): { ok: true; value: PageRequest } | { ok: false; parameter: string; message: string } {
  const sizeText = query.get("PageSize");
  const pageText = query.get("Page");
  let pageSize = limits.defaultPageSize;
  if (sizeText !== null) {
    pageSize = Number(sizeText);
    if (!/^\d+$/.test(sizeText.trim()) || pageSize < 1 || pageSize > limits.maxPageSize) {
      return { ok: false, parameter: "PageSize", message: `PageSize must be an integer from 1 to ${limits.maxPageSize}` };
    }
  }
  let page = 0;
  if (pageText !== null) {
    page = Number(pageText);
    if (!/^\d+$/.test(pageText.trim())) return { ok: false, parameter: "Page", message: "Page must be an integer of 0 or more" };
  }
  const token = query.get("PageToken") ?? undefined;
  return { ok: true, value: { pageSize, page, ...(token ? { pageToken: token } : {}) } };
}

export interface Page<T> {
  items: T[];
  /** Index of the first item in the whole collection. */
  start: number;
  hasNext: boolean;
  hasPrevious: boolean;
  /** Token for the next page (`PA` + key of the last item), when there is one. */
  nextToken?: string;
  /** Token for the previous page (`PB` + key of the first item), when there is one. */
  previousToken?: string;
}

/** The page of `all` (in its order) that `req` asks for. */
export function selectPage<T>(all: readonly T[], req: PageRequest, keyOf: (item: T) => string): Page<T> {
  let start = req.page * req.pageSize;
  let end = start + req.pageSize;
  const token = req.pageToken;
  if (token && /^P[AB]/.test(token)) {
    const at = all.findIndex((r) => keyOf(r) === token.slice(2));
    if (at >= 0 && token.startsWith("PA")) {
      start = at + 1;
      end = start + req.pageSize;
    } else if (at >= 0) {
      end = at;
      start = Math.max(0, end - req.pageSize);
    }
  }
  const items = all.slice(start, end);
  const hasNext = start + items.length < all.length && items.length > 0;
  const hasPrevious = start > 0 && req.page > 0;
  return {
    items,
    start,
    hasNext,
    hasPrevious,
    ...(hasNext ? { nextToken: `PA${keyOf(items[items.length - 1])}` } : {}),
    ...(hasPrevious && items.length > 0 ? { previousToken: `PB${keyOf(items[0])}` } : {}),
  };
}
