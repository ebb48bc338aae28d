/**
 * Notes as CSV for spreadsheets: RFC 4180 (https://www.rfc-editor.org/rfc/rfc4180) — CRLF line
 * ends, a header row, fields holding a comma, a double quote, CR or LF enclosed in double quotes with
 * inner quotes doubled — encoded as UTF-8 with a byte-order mark, without which Excel reads the
 * file as the local ANSI code page and mangles Arabic and accented French.
 */
import { notesInExportOrder, type EntityNameLookup } from './export-order';
import type { Note } from './types';

export const CSV_COLUMNS = [
  'id', 'page', 'url', 'title', 'quote', 'prefix', 'suffix', 'start', 'end',
  'comment', 'tags', 'entities', 'created', 'modified',
] as const;

/**
 * CSV (formula) injection: a spreadsheet runs a cell that starts with `=`, `+`, `-` or `@` (and,
 * in some, tab or carriage return) as a formula, so a comment — or a page title, which the page's
 * author controls — could exfiltrate data or run commands when the file is opened. Following
 * OWASP's advice (https://owasp.org/www-community/attacks/CSV_Injection), such cells get a leading
 * apostrophe, which spreadsheets show as text. Full-width variants are included because some
 * spreadsheet locales (Japanese Excel) accept them as formula starters too.
 */
const FORMULA_START = /^[=+\-@\t\r\uFF1D\uFF0B\uFF0D\uFF20]/;

/** A text cell defused against formula injection. */
export function defuseFormula(value: string): string {
  return FORMULA_START.test(value) ? `'${value}` : value;
}

/** One RFC 4180 field. */
function field(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

function row(cells: readonly (string | number)[]): string {
  return cells.map((c) => (typeof c === 'number' ? String(c) : field(defuseFormula(c)))).join(',');
}

/** The CSV file's text, starting with U+FEFF; encode it as UTF-8 to save. */
export function exportCsv(notes: readonly Note[], entityName: EntityNameLookup): string {
  const lines = [row(CSV_COLUMNS)];
  for (const page of notesInExportOrder(notes)) {
    for (const n of page) {
      lines.push(
        row([
          n.id, n.page, n.url, n.title, n.quote.exact, n.quote.prefix, n.quote.suffix,
          n.position.start, n.position.end, n.comment, n.tags.join(';'),
          n.entities.map((id) => entityName(id) ?? id).join(';'),
          n.created, n.modified,
        ]),
      );
    }
  }
  return `\uFEFF${lines.join('\r\n')}\r\n`;
}
