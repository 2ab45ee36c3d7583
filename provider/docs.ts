/**
 * The README tables of every resource, for scripts/gen-readme.js. Not loaded by the package at
 * run time.
 */
import type { DocTable } from "./common/doc-table";
import { AUTH_SUBFIELD_LIST, AUTH_TYPE_RULE, CONTROL_FIELDS, TRUNK_FIELDS } from "./didww/fields";

export { renderInputTable } from "./common/doc-table";

export const DOC_TABLES: readonly DocTable[] = [
  {
    marker: "didww-inputs",
    vendor: "DIDWW",
    fields: TRUNK_FIELDS,
    apiName: (f) => ((f as { relationship?: boolean }).relationship ? `relationships.${f.api}` : f.api),
    nested: [
      {
        input: "authenticationMethod",
        api: "authentication_method",
        omitted: "required",
        rule: AUTH_TYPE_RULE,
        note: "In-place update on any change, type switches included.",
        children: AUTH_SUBFIELD_LIST,
        requiredChild: "required for its type",
      },
    ],
    controls: CONTROL_FIELDS,
  },
];
