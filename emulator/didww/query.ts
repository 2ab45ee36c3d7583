/**
 * JSON:API query parameters as jsonapi-resources reads them: `filter[...]`, `sort`, `include`,
 * `fields[type]`, `page[number]`/`page[size]`. Each resource declares what it allows; anything
 * else is the gem's 400 in DIDWW's envelope.
 */
import {
  filterNotAllowed,
  invalidField,
  invalidFieldFormat,
  invalidFilterValue,
  invalidInclude,
  invalidPageValue,
  invalidResource,
  invalidSortCriteria,
  pageParameterNotAllowed,
  pageSizeTooLarge,
  type JsonApiError,
} from "./messages";
import { canonicalId } from "./normalize";

export interface FilterSpec {
  /** How stored values compare: exact text, case-insensitive substring, Rails boolean, a UUID in any case. */
  kind: "exact" | "contains" | "boolean" | "id";
  /** Documented "Allow Blank: Yes" (seed 000): an empty value is a value, not an error. */
  allowBlank?: boolean;
  /** Reads the compared value from a record. */
  get(record: unknown): unknown;
}

export interface SortSpec {
  /** Reads the sorted value from a record. */
  get(record: unknown): unknown;
  /**
   * Equal values keep creation order in the direction of this key: a timestamp shown in
   * milliseconds but kept finer (DIDWW's database), so `-created_at` is newest first even
   * among records of the same millisecond.
   */
  sequenced?: boolean;
}

export interface ResourceQuerySpec {
  type: string;
  filters: Record<string, FilterSpec>;
  sorts: Record<string, SortSpec>;
  includes: readonly string[];
  /** Sparse-fieldset names per type this endpoint can render (attributes and relationships). */
  fields: Record<string, readonly string[]>;
}

export interface ParsedQuery {
  filters: Array<{ name: string; values: string[] }>;
  sort: Array<{ key: string; descending: boolean }>;
  include: string[];
  fields: Record<string, string[]>;
  page: { number: number; size: number };
  /** The parameters echoed into pagination links (jsonapi-resources keeps filter/sort/include/fields). */
  echo: Array<[string, string]>;
}

export const DEFAULT_PAGE_SIZE = 50;

/** Ruby's String#to_i: leading sign and digits, else 0. */
function rubyToI(text: string): number {
  const m = /^\s*([-+]?\d+)/.exec(text);
  return m ? Number(m[1]) : 0;
}

/** Rails boolean casting of a filter value (`"false"`, `"0"`, `"f"`, `"off"` … are false). */
export function railsBoolean(text: string): boolean {
  return !["false", "0", "f", "off", "FALSE", "F", "OFF", "False", "Off"].includes(text);
}

export function parseQuery(search: URLSearchParams, spec: ResourceQuerySpec, opts: { maxPageSize: number; collection: boolean }): { ok: true; value: ParsedQuery } | { ok: false; errors: JsonApiError[] } {
  const parsed: ParsedQuery = { filters: [], sort: [], include: [], fields: {}, page: { number: 1, size: DEFAULT_PAGE_SIZE }, echo: [] };
  const err = (e: JsonApiError) => ({ ok: false as const, errors: [e] });
  let pageNumberText: string | undefined;
  let pageSizeText: string | undefined;

  for (const [key, value] of search) {
    let m: RegExpExecArray | null;
    if ((m = /^filter\[(.+)\]$/.exec(key))) {
      if (!opts.collection) continue; // filters only apply to collections
      const name = m[1];
      const f = spec.filters[name];
      if (!f) return err(filterNotAllowed(name));
      const values = value.split(",");
      if (!f.allowBlank && values.some((v) => v === "")) return err(invalidFilterValue(name, value));
      parsed.filters.push({ name, values });
      parsed.echo.push([key, value]);
    } else if (key === "filter") {
      return err(filterNotAllowed(value || "filter"));
    } else if (key === "sort") {
      if (!opts.collection) continue;
      for (const raw of value.split(",")) {
        const descending = raw.startsWith("-");
        const k = descending ? raw.slice(1) : raw;
        if (!(k in spec.sorts)) return err(invalidSortCriteria(spec.type, k));
        parsed.sort.push({ key: k, descending });
      }
      parsed.echo.push([key, value]);
    } else if (key === "include") {
      for (const raw of value.split(",")) {
        if (raw === "") continue;
        if (!spec.includes.includes(raw)) return err(invalidInclude(spec.type, raw));
        if (!parsed.include.includes(raw)) parsed.include.push(raw);
      }
      parsed.echo.push([key, value]);
    } else if ((m = /^fields\[(.+)\]$/.exec(key))) {
      const type = m[1];
      const allowed = spec.fields[type];
      if (!allowed) return err(invalidResource(type));
      const list = value.split(",").filter((f) => f !== "");
      for (const f of list) if (!allowed.includes(f)) return err(invalidField(type, f));
      parsed.fields[type] = list;
      parsed.echo.push([key, value]);
    } else if (key === "fields") {
      return err(invalidFieldFormat());
    } else if ((m = /^page\[(.+)\]$/.exec(key))) {
      if (!opts.collection) continue;
      if (m[1] === "number") pageNumberText = value;
      else if (m[1] === "size") pageSizeText = value;
      else return err(pageParameterNotAllowed(m[1]));
    } else if (key === "page") {
      if (!opts.collection) continue;
      pageNumberText = value; // jsonapi-resources: a bare `page=N` is the page number
    }
    // Other query parameters are ignored, as Rails does.
  }

  if (opts.collection) {
    const size = pageSizeText === undefined ? DEFAULT_PAGE_SIZE : rubyToI(pageSizeText);
    const number = pageNumberText === undefined ? 1 : rubyToI(pageNumberText);
    if (size < 1) return err(invalidPageValue("size", String(size)));
    if (size > opts.maxPageSize) return err(pageSizeTooLarge(opts.maxPageSize));
    if (number < 1) return err(invalidPageValue("number", String(number)));
    parsed.page = { number, size };
  }
  return { ok: true, value: parsed };
}

/**
 * Applies filters: the values of one filter are OR'ed (DIDWW's OpenAPI reads a comma list as any
 * of its values, so `filter[name]=a,b` finds trunks named `a` or `b`, never one named `a,b`);
 * several filters are AND'ed.
 */
export function applyFilters<T>(records: T[], filters: ParsedQuery["filters"], spec: ResourceQuerySpec): T[] {
  return records.filter((r) =>
    filters.every(({ name, values }) => {
      const f = spec.filters[name];
      const actual = f.get(r);
      return values.some((v) => {
        switch (f.kind) {
          case "boolean":
            return actual === railsBoolean(v);
          case "contains":
            return typeof actual === "string" && actual.toLowerCase().includes(v.toLowerCase());
          case "exact":
            return actual !== null && actual !== undefined && String(actual) === v;
          case "id":
            return actual !== null && actual !== undefined && String(actual) === canonicalId(v);
        }
      });
    }),
  );
}

/**
 * Stable multi-key sort over records given in creation order; null sorts last ascending and
 * first descending (PostgreSQL's default). Records equal on every key keep creation order.
 */
export function applySort<T>(records: T[], sort: ParsedQuery["sort"], spec: ResourceQuerySpec): T[] {
  if (sort.length === 0) return records;
  const indexed = records.map((r, i) => ({ r, i }));
  indexed.sort((a, b) => {
    for (const { key, descending } of sort) {
      const { get, sequenced } = spec.sorts[key];
      let c = compareValues(get(a.r), get(b.r));
      if (c === 0 && sequenced) c = a.i - b.i;
      if (c !== 0) return descending ? -c : c;
    }
    return a.i - b.i;
  });
  return indexed.map((x) => x.r);
}

function compareValues(a: unknown, b: unknown): number {
  const aNull = a === null || a === undefined;
  const bNull = b === null || b === undefined;
  if (aNull || bNull) return aNull === bNull ? 0 : aNull ? 1 : -1;
  if (typeof a === "boolean" && typeof b === "boolean") return Number(a) - Number(b);
  if (typeof a === "number" && typeof b === "number") return a - b;
  const as = String(a);
  const bs = String(b);
  return as < bs ? -1 : as > bs ? 1 : 0;
}

/** Ruby's CGI.escape (what Rails' Hash#to_query uses): space → `+`, `[`/`]`/`,` percent-encoded. */
export function cgiEscape(text: string): string {
  return encodeURIComponent(text)
    .replace(/%20/g, "+")
    .replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)
    .replace(/%7E/gi, "~");
}

/**
 * Pagination links as jsonapi-resources builds them: the request's own filter/sort/include/fields
 * plus the page, sorted like Hash#to_query, on the request's base URL. `next`/`prev` only when
 * they exist; `last` is `ceil(total/size)` (0 for an empty collection, as the gem computes it).
 */
export function paginationLinks(resourceUrl: string, q: ParsedQuery, total: number): Record<string, string> {
  const pageCount = Math.ceil(total / q.page.size);
  const link = (number: number) => {
    const pairs = [...q.echo, ["page[number]", String(number)], ["page[size]", String(q.page.size)]]
      .map(([k, v]) => `${cgiEscape(k)}=${cgiEscape(v)}`)
      .sort();
    return `${resourceUrl}?${pairs.join("&")}`;
  };
  const links: Record<string, string> = { first: link(1) };
  if (q.page.number > 1) links.prev = link(q.page.number - 1);
  if (q.page.number < pageCount) links.next = link(q.page.number + 1);
  links.last = link(pageCount);
  return links;
}

/** Filters, sorts and cuts one page: `all` is every match (for `total_records`), `page` the slice asked for. */
export function selectPage<T>(records: T[], q: ParsedQuery, spec: ResourceQuerySpec): { all: T[]; page: T[] } {
  const all = applySort(applyFilters(records, q.filters, spec), q.sort, spec);
  const { number, size } = q.page;
  return { all, page: all.slice((number - 1) * size, number * size) };
}
