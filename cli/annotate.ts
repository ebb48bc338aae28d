/**
 * `npm run --silent annotate -- [--format json|csv|md] FILE_OR_FOLDER...`
 *
 * Highlights the bundled KB's entities in `.txt` files (offsets into the file content) and `.html`
 * files (offsets into the text the extension extracts, printed as "text"). A folder means every
 * `.txt` / `.html` in it. Errors on stderr, exit code 2.
 */
import { bundledKb } from '../assets/kb';
import { kbAnnotator, type Annotation } from '../lib/eval/corpus';
import { UsageError, csvField, expandInputs, isMain, mdCell, readInput, rejectUnknownOptions, runCli, takeOption } from './shared';

const USAGE = `usage: npm run --silent annotate -- [--format json|csv|md] FILE_OR_FOLDER...
  FILE: .txt (offsets into its content) or .html (offsets into the extracted text, printed as "text")
  FOLDER: every .txt and .html file in it`;

export interface AnnotatedFile {
  file: string;
  /** For HTML inputs: the extracted text the offsets refer to. */
  text?: string;
  matches: Annotation[];
}

const FORMATS = ['json', 'csv', 'md'] as const;
type Format = (typeof FORMATS)[number];

export function formatOutput(results: readonly AnnotatedFile[], format: Format): string {
  if (format === 'json') return `${JSON.stringify(results, null, 2)}\n`;
  const cols = ['start', 'end', 'surface', 'id', 'entity', 'type', 'via'] as const;
  if (format === 'csv') {
    const lines = [['file', ...cols].join(',')];
    for (const r of results) for (const m of r.matches) lines.push([r.file, ...cols.map((c) => m[c])].map(csvField).join(','));
    return `${lines.join('\n')}\n`;
  }
  const out: string[] = [];
  for (const r of results) {
    out.push(`## ${r.file}`, '', `| ${cols.join(' | ')} |`, `|${cols.map(() => ' --- ').join('|')}|`);
    for (const m of r.matches) out.push(`| ${cols.map((c) => mdCell(m[c])).join(' | ')} |`);
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
  if (!FORMATS.includes(format)) throw new UsageError(`unknown format ${JSON.stringify(format)} (json, csv or md)`);
  rejectUnknownOptions(args);
  if (args.length === 0) throw new UsageError(USAGE);
  const files = expandInputs(args);
  const inputs = files.map(readInput); // read everything first: no partial output on a bad file
  const annotate = kbAnnotator(bundledKb().entities);
  const results: AnnotatedFile[] = inputs.map((input) => ({
    file: input.file,
    ...(input.fromHtml ? { text: input.text } : {}),
    matches: annotate(input.text),
  }));
  process.stdout.write(formatOutput(results, format));
  return 0;
}

if (isMain(import.meta.url)) runCli(main);
