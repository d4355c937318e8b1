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
const FORMULA_START = /^[=+\-@\t\r]/;

export type CsvValue = string | number | null;

function csvField(value: CsvValue): string {
  if (value === null) return "";
  if (typeof value === "number") return String(value);
  const text = FORMULA_START.test(value) ? `'${value}` : value;
  return NEEDS_QUOTES.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

export function csvLine(values: readonly CsvValue[]): string {
  return `${values.map(csvField).join(",")}\r\n`;
}
