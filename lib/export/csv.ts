/**
 * CSV as RFC 4180 says: CRLF line ends, a field in double quotes when it holds
 * a quote, comma, CR or LF, quotes inside doubled.
 *
 * Formula injection (OWASP "CSV injection"): a spreadsheet runs a cell that
 * starts with = + - @ (or a TAB or CR, which some strip first) as a formula, so
 * agent output such as `=HYPERLINK(…)` would run on the admin's machine. Such
 * a text cell gets a leading single quote: it shows as text, and readers that
 * want the original drop that one quote. Numbers are written as numbers.
 */

const NEEDS_QUOTES = /[",\r\n]/;

export type CsvValue = string | number | null;

/** = + - @ TAB CR: what a spreadsheet may read as the start of a formula. */
function startsFormula(text: string): boolean {
  const c = text.charCodeAt(0);
  return c === 61 || c === 43 || c === 45 || c === 64 || c === 9 || c === 13;
}

export function csvField(value: CsvValue): string {
  if (value === null) return "";
  if (typeof value === "number") return String(value);
  const text = startsFormula(value) ? `'${value}` : value;
  if (!NEEDS_QUOTES.test(text)) return text;
  return `"${text.includes('"') ? text.replaceAll('"', '""') : text}"`;
}
