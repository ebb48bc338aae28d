/**
 * `npm run --silent annotate -- [--format json|csv|md] FILE_OR_FOLDER...`
 *
 * Highlights the bundled KB's entities in `.txt` files (offsets into the file content) and `.html`
 * files (offsets into the text the extension extracts, printed as "text"). A folder means every
 * `.txt` / `.html` in it. Errors on stderr, exit code 2.
 */
import { bundledKb } from '../assets/kb';
import { htmlDate, kbAnnotator, textDate, type Annotation } from '../lib/eval/corpus';
import type { PageDate } from '../lib/messaging/protocol-page';
import { UsageError, csvField, expandInputs, isMain, mdCell, readInput, rejectUnknownOptions, runCli, takeOption } from './shared';

const USAGE = `usage: npm run --silent annotate -- [--format json|csv|md] [--date YYYY-MM-DD] FILE_OR_FOLDER...
  FILE: .txt (offsets into its content) or .html (offsets into the extracted text, printed as "text")
  FOLDER: every .txt and .html file in it
  --date: the date role mentions ("China's defence minister") are resolved at; default: the page's
          own date (HTML metadata, a dateline), else today`;

export interface AnnotatedFile {
  file: string;
  /** For HTML inputs: the extracted text the offsets refer to. */
  text?: string;
  /** The date role mentions were resolved at, and where it came from. */
  date: PageDate;
  matches: Annotation[];
}

const FORMATS = ['json', 'csv', 'md'] as const;
type Format = (typeof FORMATS)[number];

export function formatOutput(results: readonly AnnotatedFile[], format: Format): string {
  if (format === 'json') return `${JSON.stringify(results, null, 2)}\n`;
  const cols = ['start', 'end', 'surface', 'id', 'entity', 'type', 'via', 'date'] as const;
  const cell = (m: Annotation, c: (typeof cols)[number]) => (c === 'date' ? (m.role ? `${m.role.date} (${m.role.dateSource})` : '') : m[c]);
  if (format === 'csv') {
    const lines = [['file', ...cols].join(',')];
    for (const r of results) for (const m of r.matches) lines.push([r.file, ...cols.map((c) => cell(m, c))].map(csvField).join(','));
    return `${lines.join('\n')}\n`;
  }
  const out: string[] = [];
  for (const r of results) {
    out.push(`## ${r.file}`, '', `Date for role mentions: ${r.date.date} (${r.date.source})`, '', `| ${cols.join(' | ')} |`, `|${cols.map(() => ' --- ').join('|')}|`);
    for (const m of r.matches) out.push(`| ${cols.map((c) => mdCell(cell(m, c))).join(' | ')} |`);
    out.push('', `${r.matches.length} match${r.matches.length === 1 ? '' : 'es'}`, '');
  }
  return out.join('\n');
}

function main(argv: string[]): number {
  const args = [...argv];
  if (args.includes('--help') || args.includes('-h')) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  const format = (takeOption(args, 'format') ?? 'json') as Format;
  const dateOption = takeOption(args, 'date');
  if (dateOption !== undefined && !/^\d{4}-\d{2}-\d{2}$/.test(dateOption)) throw new UsageError(`--date wants YYYY-MM-DD, got ${JSON.stringify(dateOption)}`);
  if (!FORMATS.includes(format)) throw new UsageError(`unknown format ${JSON.stringify(format)} (json, csv or md)`);
  rejectUnknownOptions(args);
  if (args.length === 0) throw new UsageError(USAGE);
  const files = expandInputs(args);
  const inputs = files.map(readInput); // read everything first: no partial output on a bad file
  const annotate = kbAnnotator(bundledKb().entities);
  const results: AnnotatedFile[] = inputs.map((input) => {
    const date: PageDate = dateOption ? { date: dateOption, source: 'meta' } : input.html !== undefined ? htmlDate(input.html) : textDate(input.text);
    return {
      file: input.file,
      ...(input.fromHtml ? { text: input.text } : {}),
      date,
      matches: annotate(input.text, date),
    };
  });
  process.stdout.write(formatOutput(results, format));
  return 0;
}

if (isMain(import.meta.url)) runCli(main);
