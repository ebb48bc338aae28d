/**
 * Golden tests for the three exporters: the files under fixtures/ are compared byte for byte.
 * After an intended format change, regenerate them with `UPDATE_GOLDEN=1 npx vitest run lib/notes/export.test.ts`
 * and review the diff.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CSV_COLUMNS, defuseFormula, exportCsv } from './export-csv';
import { exportJsonLd, toAnnotationCollection } from './export-jsonld';
import { exportMarkdown, exportMarkdownVault, markdownLine, obsidianName, obsidianTag, yamlString } from './export-markdown';
import type { Note } from './types';
import { crc32 } from './zip';

const FIXTURES = join(__dirname, 'fixtures');
const fixture = JSON.parse(readFileSync(join(FIXTURES, 'notes.json'), 'utf8')) as { entityNames: Record<string, string>; notes: Note[] };
const { notes } = fixture;
const entityName = (id: string) => fixture.entityNames[id];
const UPDATE = process.env.UPDATE_GOLDEN === '1';

function golden(name: string, actual: string | Uint8Array) {
  const path = join(FIXTURES, name);
  const bytes = typeof actual === 'string' ? Buffer.from(actual, 'utf8') : Buffer.from(actual);
  if (UPDATE) writeFileSync(path, bytes);
  expect(existsSync(path), `${name} missing: run with UPDATE_GOLDEN=1`).toBe(true);
  expect(bytes.equals(readFileSync(path)), `${name} differs from the golden file`).toBe(true);
}

describe('golden exports of fixtures/notes.json', () => {
  it('CSV', () => golden('export.csv', exportCsv(notes, entityName)));
  it('JSON-LD', () => golden('export.jsonld', exportJsonLd(notes, entityName)));
  it('Markdown: one file per page', () => {
    const files = exportMarkdown(notes, entityName);
    const dir = join(FIXTURES, 'export-md');
    if (UPDATE) {
      rmSync(dir, { recursive: true, force: true });
      mkdirSync(dir);
    }
    for (const f of files) golden(join('export-md', f.path), f.content);
    expect(readdirSync(dir).sort()).toEqual(files.map((f) => f.path).sort());
  });
  it('Markdown vault zip', () => golden('export-md.zip', exportMarkdownVault(notes, entityName)));
  it('is independent of the input order', () => {
    const shuffled = [...notes].reverse();
    expect(exportCsv(shuffled, entityName)).toBe(exportCsv(notes, entityName));
    expect(exportJsonLd(shuffled, entityName)).toBe(exportJsonLd(notes, entityName));
  });
});

/** A minimal RFC 4180 reader, to check the writer against the grammar rather than against itself. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let i = 0;
  while (i < text.length) {
    let value = '';
    if (text[i] === '"') {
      i++;
      for (;;) {
        if (text[i] === '"' && text[i + 1] === '"') (value += '"'), (i += 2);
        else if (text[i] === '"') {
          i++;
          break;
        } else value += text[i++];
      }
    } else while (i < text.length && text[i] !== ',' && text[i] !== '\r') value += text[i++];
    row.push(value);
    if (text[i] === ',') i++;
    else if (text.startsWith('\r\n', i)) {
      rows.push(row);
      row = [];
      i += 2;
    } else if (i < text.length) throw new Error(`bad CSV at ${i}: ${JSON.stringify(text.slice(i, i + 10))}`);
  }
  return rows;
}

describe('exportCsv', () => {
  const csv = exportCsv(notes, entityName);
  const rows = parseCsv(csv.slice(1));

  it('starts with a BOM and uses CRLF only', () => {
    expect(csv.startsWith('\uFEFFid,page,url,')).toBe(true);
    expect(csv.endsWith('\r\n')).toBe(true);
    // every LF outside quoted fields is part of a CRLF: checked by the reader above, which rejects bare LF
    expect(rows).toHaveLength(notes.length + 1);
  });

  it('has the columns in order and round-trips every field', () => {
    expect(rows[0]).toEqual([...CSV_COLUMNS]);
    const byId = new Map(notes.map((n) => [n.id, n]));
    for (const r of rows.slice(1)) {
      const n = byId.get(r[0]!)!;
      const undo = (s: string) => s.replace(/^'(?=[=+\-@])/, '');
      expect(undo(r[4]!)).toBe(n.quote.exact);
      expect(undo(r[9]!)).toBe(n.comment);
      expect(r[7]).toBe(String(n.position.start));
      expect(undo(r[10]!)).toBe(n.tags.join(';'));
      expect(r[11]).toBe(n.entities.map((id) => fixture.entityNames[id] ?? id).join(';'));
    }
  });

  it('defuses formula injection (OWASP)', () => {
    const injected = rows.find((r) => r[9]!.includes('HYPERLINK'))!;
    expect(injected[9]!.startsWith("'=HYPERLINK")).toBe(true);
    expect(rows.some((r) => r[10] === "'+urgent")).toBe(true);
    expect(rows.some((r) => r[9] === "'@مهم: قارن مع زيارة بكين 🚢")).toBe(true);
    for (const bad of ['=1+1', '+1', '-1', '@SUM(A1)', '\tx', '\rx', '＝1']) expect(defuseFormula(bad)).toBe(`'${bad}`);
    for (const fine of ['1', 'a=b', ' =x', '', 'سلام']) expect(defuseFormula(fine)).toBe(fine);
  });
});

describe('exportJsonLd', () => {
  const c = toAnnotationCollection(notes, entityName);

  it('is a W3C AnnotationCollection with one embedded page', () => {
    expect(c['@context']).toBe('http://www.w3.org/ns/anno.jsonld');
    expect(c.type).toBe('AnnotationCollection');
    expect(c.total).toBe(notes.length);
    expect(c.first.type).toBe('AnnotationPage');
    expect(c.first.items).toHaveLength(notes.length);
  });

  it('maps comment, tags, entities and selectors', () => {
    const a = c.first.items.find((x) => x.id.endsWith('5e01'))!;
    expect(a.motivation).toBe('commenting');
    expect(a.body?.[0]).toEqual({ type: 'TextualBody', value: notes[0]!.comment, purpose: 'commenting', format: 'text/plain' });
    expect(a.body).toContainEqual({ type: 'TextualBody', value: 'russia iran', purpose: 'tagging' });
    expect(a.body).toContainEqual({
      type: 'SpecificResource',
      purpose: 'identifying',
      source: { id: 'urn:attache:entity:mohammad-bagheri', 'skos:prefLabel': 'Mohammad Bagheri' },
    });
    expect(a.target.source).toBe(notes[0]!.page);
    expect(a.target.selector.map((s) => s.type)).toEqual(['TextQuoteSelector', 'TextPositionSelector']);
    const unnamed = c.first.items.find((x) => x.id.endsWith('5e02'))!;
    expect(unnamed.body).toContainEqual({ type: 'SpecificResource', purpose: 'identifying', source: { id: 'urn:attache:entity:unlisted-entity' } });
    const bare = c.first.items.find((x) => x.id.endsWith('5e05'))!;
    expect(bare.motivation).toBe('highlighting');
    expect(bare.body).toBeUndefined();
  });
});

describe('exportMarkdown', () => {
  const files = exportMarkdown(notes, entityName);

  it('writes one file per page, named from the title', () => {
    expect(files.map((f) => f.path)).toEqual([
      "L'Iran, la Chine et la Russie - exercice « Ceinture de sécurité maritime ».md",
      'Baqeri in Moscow - strategic talks 1.md',
      'باقري في موسكو - محادثات استراتيجية.md',
    ]);
  });

  it('front matter is valid YAML whose strings read back exactly', () => {
    for (const f of files) {
      const m = /^---\n([\s\S]*?)\n---\n/.exec(f.content)!;
      expect(m).not.toBeNull();
      for (const line of m[1]!.split('\n')) {
        const value = /^(?:\w+: |  - )(".*")$/.exec(line)?.[1];
        // Our double-quoted scalars only use escapes that JSON shares, so JSON.parse reads them.
        if (value) expect(yamlString(JSON.parse(value) as string)).toBe(value);
      }
    }
    const en = files[1]!.content;
    expect(en).toContain('title: "Baqeri in Moscow: \\"strategic\\" talks #1"');
    expect(en).toContain('  - "[[Mohammad Bagheri]]"');
    expect(en).toContain('  - "[[unlisted-entity]]"');
    expect(en).toContain('date: 2024-09-23');
  });

  it('escapes the comment so `---` and markup stay text', () => {
    const en = files[1]!.content;
    expect(en).toContain('\n\\---\n');
    expect(en.match(/^---$/gm)).toHaveLength(2); // only the front matter fences
    expect(markdownLine('# not a heading <b>x</b> *y* [z](u) #tag')).toBe('\\# not a heading \\<b\\>x\\</b\\> \\*y\\* \\[z\\](u) \\#tag');
    expect(markdownLine('1. not a list')).toBe('1\\. not a list');
    expect(markdownLine('    code?')).toBe('code?');
  });

  it('makes safe names and tags', () => {
    expect(obsidianName('a/b\\c:d*e?f"g<h>i|j#k^l[m]n')).toBe('a b c - d e f g h i j k l m n');
    expect(obsidianName('CON')).toBe('CON_');
    expect(obsidianName('\u202Egnp.exe')).toBe('gnp.exe');
    expect(obsidianName('x'.repeat(300))).toHaveLength(100);
    expect(obsidianTag('russia iran')).toBe('russia-iran');
    expect(obsidianTag('#2024')).toBe('_2024');
    expect(obsidianTag('golfe d\'Oman')).toBe('golfe-dOman');
    expect(obsidianTag('مناورات')).toBe('مناورات');
    expect(yamlString('a\u0000b\u2028')).toBe('"a\\u0000b\\u2028"');
  });

  it('dedupes file names case-insensitively', () => {
    const twin = notes.map((n, i) => ({ ...n, page: `${n.page}/${i}`, title: i % 2 ? 'Same' : 'same' }));
    const names = exportMarkdown(twin, entityName).map((f) => f.path);
    expect(new Set(names.map((n) => n.toLowerCase())).size).toBe(names.length);
  });
});

describe('zip', () => {
  it('computes the standard CRC-32', () => {
    expect(crc32(new TextEncoder().encode('123456789'))).toBe(0xcbf43926);
  });

  it('lists the page files with UTF-8 names and correct sizes', () => {
    const zip = exportMarkdownVault(notes, entityName);
    const files = exportMarkdown(notes, entityName);
    const view = new DataView(zip.buffer, zip.byteOffset, zip.byteLength);
    const eocd = zip.byteLength - 22;
    expect(view.getUint32(eocd, true)).toBe(0x06054b50);
    expect(view.getUint16(eocd + 10, true)).toBe(files.length);
    let at = view.getUint32(eocd + 16, true);
    const decoder = new TextDecoder();
    for (const file of files) {
      expect(view.getUint32(at, true)).toBe(0x02014b50);
      const size = view.getUint32(at + 24, true);
      const nameLength = view.getUint16(at + 28, true);
      const local = view.getUint32(at + 42, true);
      expect(decoder.decode(zip.subarray(at + 46, at + 46 + nameLength))).toBe(`Attaché notes/${file.path}`);
      const data = zip.subarray(local + 30 + nameLength, local + 30 + nameLength + size);
      expect(decoder.decode(data)).toBe(file.content);
      expect(view.getUint32(at + 16, true)).toBe(crc32(data));
      at += 46 + nameLength;
    }
  });
});

describe('large exports', () => {
  it('exports 30 000 notes on one page in reasonable time', () => {
    const base = notes[0]!;
    const many: Note[] = Array.from({ length: 30_000 }, (_, i) => ({
      ...base,
      id: `urn:uuid:00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
      position: { type: 'TextPositionSelector', start: i, end: i + 5 },
    }));
    const t0 = performance.now();
    const csv = exportCsv(many, entityName);
    const md = exportMarkdown(many, entityName);
    const ms = performance.now() - t0;
    expect(csv.split('\r\n').length).toBeGreaterThan(30_000);
    expect(md).toHaveLength(1);
    expect(ms).toBeLessThan(20_000);
  });
});
