/**
 * What the command-line tools share: usage errors (exit code 2), reading `.txt` and `.html`
 * inputs (HTML through the extension's own `extractText`, on linkedom), and output formatting.
 */
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { extname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseHTML } from 'linkedom';
import { extractText } from '../lib/page/extract';

/** An error the user can fix (bad option, missing file): printed without a stack, exit code 2. */
export class UsageError extends Error {}

/** True when the module at `moduleUrl` is the script being run (not imported by a test). */
export function isMain(moduleUrl: string): boolean {
  return process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(moduleUrl);
}

/** Runs a CLI's main; prints `UsageError`s and other failures on stderr with exit code 2. */
export function runCli(main: (args: string[]) => number | void): void {
  // `… | head` closes the pipe early: not an error.
  process.stdout.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw e;
  });
  try {
    const code = main(process.argv.slice(2));
    process.exitCode = code ?? 0;
  } catch (e) {
    process.stderr.write(`${e instanceof UsageError ? '' : 'error: '}${(e as Error).message}\n`);
    process.exitCode = 2;
  }
}

export interface InputText {
  file: string;
  text: string;
  /** True when `text` was extracted from HTML. */
  fromHtml: boolean;
  /** The HTML source, for HTML inputs (its metadata dates role mentions). */
  html?: string;
}

const INPUT_EXTENSIONS = new Set(['.txt', '.html', '.htm']);

/** Expands folders into their `.txt` / `.html` files (sorted); checks that every path exists. */
export function expandInputs(paths: readonly string[]): string[] {
  const files: string[] = [];
  for (const p of paths) {
    let st;
    try {
      st = statSync(p);
    } catch {
      throw new UsageError(`${p}: no such file or directory`);
    }
    if (st.isDirectory()) {
      const inside = readdirSync(p)
        .filter((f) => INPUT_EXTENSIONS.has(extname(f).toLowerCase()))
        .sort()
        .map((f) => join(p, f));
      if (inside.length === 0) throw new UsageError(`${p}: no .txt or .html file in this folder`);
      files.push(...inside);
    } else if (INPUT_EXTENSIONS.has(extname(p).toLowerCase())) files.push(p);
    else throw new UsageError(`${p}: not a .txt or .html file`);
  }
  return files;
}

/** Reads a `.txt` file as is, or extracts the text of an `.html` file as the extension does. */
export function readInput(file: string): InputText {
  let raw: string;
  try {
    raw = readFileSync(file, 'utf8');
  } catch (e) {
    throw new UsageError(`${file}: cannot read (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
  }
  if (extname(file).toLowerCase() === '.txt') return { file, text: raw, fromHtml: false };
  const { document } = parseHTML(raw);
  return { file, text: extractText(document as unknown as Document).text, fromHtml: true, html: raw };
}

/** RFC 4180 field. */
export function csvField(v: string | number): string {
  const s = String(v);
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** Markdown table cell: pipes escaped, line breaks as spaces. */
export function mdCell(v: string | number): string {
  return String(v).replace(/\|/g, '\\|').replace(/[\r\n]+/g, ' ');
}

/** Takes `--name value` or `--name=value` out of `args`; returns the value or undefined. */
export function takeOption(args: string[], name: string): string | undefined {
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a === `--${name}`) {
      const v = args[i + 1];
      if (v === undefined || v.startsWith('--')) throw new UsageError(`--${name} needs a value`);
      args.splice(i, 2);
      return v;
    }
    if (a.startsWith(`--${name}=`)) {
      args.splice(i, 1);
      return a.slice(name.length + 3);
    }
  }
  return undefined;
}

/** Throws on any remaining `--option`. */
export function rejectUnknownOptions(args: readonly string[]): void {
  const unknown = args.find((a) => a.startsWith('-') && a !== '-');
  if (unknown) throw new UsageError(`unknown option ${unknown} (see --help)`);
}
