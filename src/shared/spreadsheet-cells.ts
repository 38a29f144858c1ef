// CSV cells that a spreadsheet would run as a formula (OWASP "CSV injection"): a cell starting with
// = + - @ (or their fullwidth forms), a tab or a carriage return is written with a leading single
// quote, which Excel and LibreOffice read as "this is text". A cell that itself starts with a quote
// followed by one of those characters (or another quote) gets one too, so `unquoteCell` can undo
// exactly what `quoteCell` did: it drops one leading quote only when the next character is in the
// set. A plain leading quote ("'tis") is left alone both ways. csv-stringify's `escape_formulas`
// is not used because it leaves that leading-quote case ambiguous.

const FORMULA_START = new Set(['=', '+', '-', '@', '\t', '\r', '\uFF1D', '\uFF0B', '\uFF0D', '\uFF20']);

const startsFormula = (s: string) => FORMULA_START.has(s[0]);
const escaped = (s: string) => s[0] === "'" && s.length > 1 && (startsFormula(s.slice(1)) || s[1] === "'");

/** A cell value safe to open in a spreadsheet. */
export function quoteCell(value: string): string {
  return startsFormula(value) || escaped(value) ? `'${value}` : value;
}

/** The value `quoteCell` was given: one leading quote dropped where `quoteCell` adds one. */
export function unquoteCell(cell: string): string {
  return escaped(cell) ? cell.slice(1) : cell;
}
