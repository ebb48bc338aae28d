/**
 * Notes as Markdown for an Obsidian vault: one file per page.
 *
 * Why one file per page (packed in a zip by `exportMarkdownVault`) rather than one file with
 * `---`-separated sections: Obsidian, like Jekyll and Hugo, reads YAML front matter only at the very
 * top of a file. In a single file every section after the first would lose its properties (title,
 * url, date, tags, entities would show as a horizontal rule and plain text, invisible to search,
 * Dataview and the graph), and a comment containing a `---` line would be ambiguous. One file per
 * page also matches how a vault is used: a page is a note that links to entity notes via
 * `[[wikilinks]]`, and re-exporting overwrites the same file names.
 *
 * Notes are plain text (see Note.comment), so quote and comment are escaped: Markdown and HTML
 * characters show literally, and an inline `#word` does not become an Obsidian tag.
 */
import { notesInExportOrder, timeRange, type EntityNameLookup } from './export-order';
import type { Note } from './types';
import { zipStore } from './zip';

export interface MarkdownFile {
  /** File name inside the vault folder, e.g. `Baqeri in Moscow - strategic talks 1.md`. */
  path: string;
  content: string;
}

// ---------------------------------------------------------------------------------------------
// YAML

/**
 * A YAML 1.2 double-quoted scalar (https://yaml.org/spec/1.2.2/#731-double-quoted-style). Always
 * quoting means no value can turn into a number, a boolean, a date, a comment (`#`), a mapping
 * (`: `) or an alias; escapes cover `"`, `\`, line breaks and every other control character, which
 * YAML forbids raw. Other characters, Arabic included, stay as they are (UTF-8).
 */
export function yamlString(value: string): string {
  let out = '"';
  for (const ch of value) {
    const c = ch.codePointAt(0)!;
    if (ch === '"') out += '\\"';
    else if (ch === '\\') out += '\\\\';
    else if (ch === '\n') out += '\\n';
    else if (ch === '\r') out += '\\r';
    else if (ch === '\t') out += '\\t';
    else if (c < 0x20 || (c >= 0x7f && c <= 0x9f) || c === 0x2028 || c === 0x2029 || c === 0xfeff || (c >= 0xd800 && c <= 0xdfff)) {
      out += `\\u${c.toString(16).toUpperCase().padStart(4, '0')}`;
    } else out += ch;
  }
  return `${out}"`;
}

function yamlList(key: string, values: readonly string[]): string {
  return values.length === 0 ? `${key}: []` : `${key}:\n${values.map((v) => `  - ${yamlString(v)}`).join('\n')}`;
}

// ---------------------------------------------------------------------------------------------
// Names Obsidian can use

/** Bidi controls and other invisible format characters: they can make a file name lie about itself. */
const INVISIBLE = /[\u200B-\u200F\u202A-\u202E\u2060-\u2064\u2066-\u2069\uFEFF]/g;
// Control characters: exactly what must not reach a file name.
const CONTROL = /[\u0000-\u001F\u007F-\u009F]/g;
/** Forbidden in file names on Windows/macOS/Android, or meaningful in Obsidian links (`#`, `^`, `[`, `]`, `|`). */
const NOT_IN_NAMES = /[\\/*?"<>|#^[\]]/g;
const WINDOWS_RESERVED = /^(con|prn|aux|nul|com[1-9]|lpt[1-9])$/i;
const MAX_NAME_CHARS = 100;

/** A string made safe as an Obsidian note name (file name without `.md`, or wikilink target). */
export function obsidianName(raw: string): string {
  let name = raw
    .normalize('NFC')
    .replace(INVISIBLE, '')
    .replace(CONTROL, ' ')
    .replace(/:/g, ' - ')
    .replace(NOT_IN_NAMES, ' ')
    .replace(/\s+/g, ' ')
    .replace(/( - )+/g, ' - ')
    .trim()
    .replace(/^[.\s-]+/, '');
  name = [...name].slice(0, MAX_NAME_CHARS).join('').replace(/[.\s]+$/, '');
  if (WINDOWS_RESERVED.test(name)) name = `${name}_`;
  return name;
}

/** An Obsidian tag: letters, digits, `_`, `-`, `/`; spaces become `-`; never digits only. */
export function obsidianTag(raw: string): string {
  const tag = raw
    .normalize('NFC')
    .trim()
    .replace(/^#+/, '')
    .replace(/\s+/g, '-')
    .replace(/[^\p{L}\p{M}\p{N}_\-/]/gu, '');
  if (tag === '') return '';
  return /^\d+$/.test(tag) ? `_${tag}` : tag;
}

function wikilink(id: string, entityName: EntityNameLookup): string {
  const name = obsidianName(entityName(id) ?? id);
  return `[[${name || id}]]`;
}

// ---------------------------------------------------------------------------------------------
// Markdown text

/**
 * Escapes a line of plain text so that Markdown (CommonMark plus Obsidian's extensions) shows it
 * as written: inline markup characters get a backslash everywhere, block markers only where they
 * start a line. Leading spaces are dropped (four would start a code block).
 */
export function markdownLine(line: string): string {
  let s = line
    .replace(/^[ \t]+/, '')
    .replace(/[\\`*_[\]<>|~#$]/g, '\\$&')
    .replace(/==/g, '\\=\\=')
    .replace(/%%/g, '\\%\\%')
    .replace(/&(?=#?\w+;)/g, '\\&');
  // Block-level markers: headings (escaped above), lists, quotes, thematic breaks, setext underlines.
  s = s.replace(/^([-+=])/, '\\$1').replace(/^(\d+)([.)])/, '$1\\$2');
  return s;
}

function paragraph(text: string): string {
  return text
    .replace(/\r\n?/g, '\n')
    .split('\n')
    .map(markdownLine)
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}

function blockquote(text: string): string {
  return text
    .replace(/\r\n?/g, '\n')
    .split('\n')
    .map((line) => {
      const escaped = markdownLine(line);
      return escaped === '' ? '>' : `> ${escaped}`;
    })
    .join('\n');
}

const day = (iso: string) => new Date(Date.parse(iso)).toISOString().slice(0, 10);
const unique = <T>(xs: Iterable<T>) => [...new Set(xs)];

function pageFile(notes: Note[], entityName: EntityNameLookup): { name: string; content: string } {
  const latest = notes.reduce((a, b) => (Date.parse(b.modified) > Date.parse(a.modified) ? b : a));
  const title = latest.title.replace(/\s+/g, ' ').trim();
  const earliest = timeRange(notes, 'created').min;
  const tags = unique(notes.flatMap((n) => n.tags.map(obsidianTag)).filter((t) => t !== ''));
  const entities = unique(notes.flatMap((n) => n.entities)).map((id) => wikilink(id, entityName));

  const front = [
    '---',
    `title: ${yamlString(title)}`,
    `url: ${yamlString(latest.page)}`,
    `date: ${new Date(earliest).toISOString().slice(0, 10)}`,
    yamlList('tags', tags),
    yamlList('entities', unique(entities)),
    '---',
  ].join('\n');

  const sections = notes.map((n) => {
    const parts = [blockquote(n.quote.exact)];
    const comment = paragraph(n.comment);
    if (comment !== '') parts.push(comment);
    const meta: string[] = [];
    const noteTags = unique(n.tags.map(obsidianTag).filter((t) => t !== ''));
    if (noteTags.length > 0) meta.push(`Tags: ${noteTags.map((t) => `#${t}`).join(' ')}`);
    if (n.entities.length > 0) meta.push(`Entities: ${unique(n.entities.map((id) => wikilink(id, entityName))).join(', ')}`);
    meta.push(`Noted: ${day(n.created)}${day(n.modified) !== day(n.created) ? `, edited ${day(n.modified)}` : ''}`);
    parts.push(meta.join('  \n'));
    return parts.join('\n\n');
  });

  const heading = `# ${markdownLine(title) || markdownLine(latest.page)}`;
  const source = `Source: <${latest.page.replace(/[<>\s]/g, encodeURIComponent)}>`;
  return {
    name: obsidianName(title) || obsidianName(new URL(latest.page).hostname + new URL(latest.page).pathname),
    content: `${front}\n\n${heading}\n\n${source}\n\n${sections.join('\n\n* * *\n\n')}\n`,
  };
}

/** One Markdown file per page, in export order; file names are unique (case-insensitively). */
export function exportMarkdown(notes: readonly Note[], entityName: EntityNameLookup): MarkdownFile[] {
  const taken = new Set<string>();
  return notesInExportOrder(notes).map((page) => {
    const { name, content } = pageFile(page, entityName);
    let path = `${name || 'page'}.md`;
    for (let i = 2; taken.has(path.toLowerCase()); i++) path = `${name || 'page'} (${i}).md`;
    taken.add(path.toLowerCase());
    return { path, content };
  });
}

/**
 * The vault as a zip: one folder (`folder`/…) of page files, ready to unpack into an Obsidian vault.
 * Entry dates are each page's latest modification, so the same notes give the same bytes.
 */
export function exportMarkdownVault(notes: readonly Note[], entityName: EntityNameLookup, folder = 'Attaché notes'): Uint8Array {
  const pages = notesInExportOrder(notes);
  const files = exportMarkdown(notes, entityName);
  return zipStore(
    files.map((file, i) => ({
      path: `${obsidianName(folder) || 'notes'}/${file.path}`,
      content: file.content,
      modified: new Date(timeRange(pages[i]!, 'modified').max),
    })),
  );
}
