import fc from 'fast-check';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { exportJsonLd } from './export-jsonld';
import { MAX_PROBLEMS, mergeNotes, parseAnnotationCollection, type ImportResult } from './import';
import { findJsonSyntaxError } from './json-text';
import { LIMITS } from './note-validation';
import type { Note } from './types';

const FIXTURES = join(__dirname, 'fixtures');
const fixture = JSON.parse(readFileSync(join(FIXTURES, 'notes.json'), 'utf8')) as { entityNames: Record<string, string>; notes: Note[] };
const entityName = (id: string) => fixture.entityNames[id];
const golden = readFileSync(join(FIXTURES, 'export.jsonld'), 'utf8');
const byId = (a: Note, b: Note) => (a.id < b.id ? -1 : 1);

function notesOf(r: ImportResult): Note[] {
  if ('problems' in r) throw new Error(`unexpected problems: ${JSON.stringify(r.problems, null, 1)}`);
  return r.notes;
}
function problemsOf(r: ImportResult) {
  if (!('problems' in r)) throw new Error('expected problems, got notes');
  expect('notes' in r).toBe(false); // nothing returned when invalid
  return r.problems;
}

/** The golden export with one annotation changed by `edit`. */
function edited(edit: (a: Record<string, any>, root: Record<string, any>) => void): string {
  const root = JSON.parse(golden);
  edit(root.first.items[0], root);
  return JSON.stringify(root, null, 2);
}

describe('parseAnnotationCollection', () => {
  it('reads the golden export back into the fixture notes', () => {
    expect(notesOf(parseAnnotationCollection(golden)).sort(byId)).toEqual([...fixture.notes].sort(byId));
  });

  it('accepts a BOM and extra, unknown selectors and properties', () => {
    const text = edited((a) => {
      a.target.selector.push({ type: 'CssSelector', value: '#main > p:nth-child(3)' });
      a.creator = { type: 'Person', name: 'someone' };
    });
    expect(notesOf(parseAnnotationCollection(`\uFEFF${text}`))).toHaveLength(fixture.notes.length);
  });

  it('accepts the model shorthands: single body/target/selector objects, bodyValue, no modified', () => {
    const text = edited((a) => {
      delete a.body;
      a.bodyValue = 'short comment';
      a.target = { ...a.target, selector: a.target.selector[0] };
      a.target.selector = [a.target.selector, { type: 'TextPositionSelector', start: 1, end: 5 }][0];
      delete a.modified;
    });
    // one selector object only: the position selector is then missing, which is reported
    expect(problemsOf(parseAnnotationCollection(text))).toEqual([{ path: '$.first.items[0].target.selector', message: 'has no TextPositionSelector' }]);
    const ok = edited((a) => {
      delete a.body;
      a.bodyValue = 'short comment';
      a.target = [a.target];
      delete a.modified;
    });
    const first = notesOf(parseAnnotationCollection(ok)).find((n) => n.id.endsWith('5e03'))!;
    expect(first.comment).toBe('short comment');
    expect(first.modified).toBe(first.created);
    expect(first.tags).toEqual([]);
  });

  it('reports JSON syntax errors with line and column', () => {
    const broken = '{\n  "type": "AnnotationCollection",\n  "total": 1,,\n}';
    expect(problemsOf(parseAnnotationCollection(broken))).toEqual([
      { path: '$', line: 3, column: 14, message: 'JSON syntax error at line 3, column 14: expected a property name in double quotes, found ","' },
    ]);
    expect(problemsOf(parseAnnotationCollection('{"a": [1, 2,]}'))[0]!.message).toMatch(/line 1, column 13: trailing comma/);
    expect(problemsOf(parseAnnotationCollection('{"a": "x\ny"}'))[0]!.message).toMatch(/line 1, column 9: raw control character/);
    expect(problemsOf(parseAnnotationCollection('{"a": 1} x'))[0]!.message).toMatch(/column 10: unexpected "x" after the end/);
    expect(problemsOf(parseAnnotationCollection('{"a": tru}'))[0]!.message).toMatch(/column 7/);
    expect(problemsOf(parseAnnotationCollection('   '))[0]!.message).toBe('the file is empty');
    expect(problemsOf(parseAnnotationCollection('[' .repeat(300)))[0]!.message).toMatch(/nested more than 256/);
    expect(findJsonSyntaxError(golden)).toBeNull();
  });

  it('reports wrong shapes with their JSON paths', () => {
    expect(problemsOf(parseAnnotationCollection('[]'))).toEqual([{ path: '$', message: 'must be an AnnotationCollection object, got an array' }]);
    expect(problemsOf(parseAnnotationCollection('{"@context": "http://www.w3.org/ns/anno.jsonld", "type": "AnnotationCollection", "first": "https://x.example/page1"}'))).toEqual([
      { path: '$.first', message: 'must embed the annotations (a link to a page cannot be followed from a file)' },
    ]);
    const problems = problemsOf(
      parseAnnotationCollection(
        edited((a, root) => {
          root.total = 99;
          a.id = 'not an iri';
          a.created = '2024-02-30T10:00:00Z';
          a.modified = 'yesterday';
          a.body[0].value = 42;
          a.body.push({ type: 'TextualBody', value: '<b>x</b>', format: 'text/html', purpose: 'commenting' });
          a.body.push({ type: 'SpecificResource', purpose: 'identifying', source: 'urn:attache:entity:Not A Slug' });
          a.body.push({ type: 'Image', id: 'https://x.example/a.png' });
          a.target.source = 'ftp://x.example/file';
          a.target.selector[0].exact = '';
          a.target.selector[1].start = -1;
          a.target.selector[1].end = 1.5;
        }),
      ),
    );
    expect(problems).toEqual([
      { path: '$.total', message: 'says 99 but first.items holds 5' },
      { path: '$.first.items[0].id', message: 'must be an absolute IRI such as urn:uuid:…, got "not an iri"' },
      { path: '$.first.items[0].created', message: 'must be an ISO 8601 date-time with a time zone (2024-09-23T08:15:00Z), got "2024-02-30T10:00:00Z"' },
      { path: '$.first.items[0].modified', message: 'must be an ISO 8601 date-time with a time zone (2024-09-23T08:15:00Z), got "yesterday"' },
      { path: '$.first.items[0].body[0].value', message: 'must be a string, got number' },
      { path: '$.first.items[0].body[7].format', message: 'only plain text is accepted, got "text/html"' },
      { path: '$.first.items[0].body[8].source', message: 'has a malformed entity id "Not A Slug"' },
      { path: '$.first.items[0].body[9].type', message: 'unsupported body type "Image"; expected TextualBody or SpecificResource' },
      { path: '$.first.items[0].target.source', message: 'must be an absolute http(s) address, got "ftp://x.example/file"' },
      { path: '$.first.items[0].target.selector[1].start', message: 'must be a whole number from 0 to 100000000, got -1' },
      { path: '$.first.items[0].target.selector[1].end', message: 'must be a whole number from 0 to 100000000, got 1.5' },
      { path: '$.first.items[0].target.selector[0].exact', message: 'must not be empty' },
    ]);
  });

  it('reports missing selectors and targets', () => {
    expect(problemsOf(parseAnnotationCollection(edited((a) => delete a.target.selector)))).toEqual([
      { path: '$.first.items[0].target.selector', message: 'is required (a TextQuoteSelector and a TextPositionSelector)' },
    ]);
    expect(problemsOf(parseAnnotationCollection(edited((a) => (a.target = a.target.source))))).toEqual([
      { path: '$.first.items[0].target', message: 'must be a SpecificResource with selectors, got a bare address (no selectors)' },
    ]);
    expect(problemsOf(parseAnnotationCollection(edited((a) => (a.target.selector = [a.target.selector[1]]))))).toEqual([
      { path: '$.first.items[0].target.selector', message: 'has no TextQuoteSelector' },
    ]);
    expect(problemsOf(parseAnnotationCollection(edited((a) => (a.target.selector[1].end = 0))))).toEqual([
      { path: '$.first.items[0].target.selector[1].end', message: 'is before start (1030)' },
    ]);
  });

  it('caps absurd sizes and says so', () => {
    expect(problemsOf(parseAnnotationCollection(edited((a) => (a.target.selector[0].exact = 'x'.repeat(LIMITS.quote + 1)))))).toEqual([
      { path: '$.first.items[0].target.selector[0].exact', message: 'is 10001 characters long; at most 10000 are accepted' },
    ]);
    expect(problemsOf(parseAnnotationCollection(edited((a) => (a.body[0].value = 'y'.repeat(LIMITS.comment + 1)))))[0]!.message).toBe(
      'is 100001 characters long; at most 100000 are accepted',
    );
    const many = `{"@context":"http://www.w3.org/ns/anno.jsonld","type":"AnnotationCollection","first":{"type":"AnnotationPage","items":[${'{},'.repeat(LIMITS.notes)}{}]}}`;
    expect(problemsOf(parseAnnotationCollection(many))).toEqual([
      { path: '$.first.items', message: 'has 100001 annotations; at most 100000 are accepted per file (split the export)' },
    ]);
    const huge = ' '.repeat(LIMITS.fileChars + 1);
    expect(problemsOf(parseAnnotationCollection(huge))[0]!.message).toMatch(/at most 134217728 are accepted/);
  });

  it('stops listing after MAX_PROBLEMS', () => {
    const bad = `{"@context":"http://www.w3.org/ns/anno.jsonld","type":"AnnotationCollection","first":{"type":"AnnotationPage","items":[${'1,'.repeat(500)}1]}}`;
    const problems = problemsOf(parseAnnotationCollection(bad));
    expect(problems).toHaveLength(MAX_PROBLEMS + 1);
    expect(problems.at(-1)!.message).toBe(`stopped after ${MAX_PROBLEMS} problems`);
  });

  it('merges duplicates inside a file by id, latest modified wins', () => {
    const root = JSON.parse(golden);
    const a = root.first.items[0];
    const newer = { ...a, modified: '2030-01-01T00:00:00Z', body: [{ type: 'TextualBody', value: 'newest', purpose: 'commenting', format: 'text/plain' }] };
    const older = { ...a, modified: '2000-01-01T00:00:00Z', created: '2000-01-01T00:00:00Z' };
    root.first.items.push(newer, older);
    root.total += 2;
    const r = parseAnnotationCollection(JSON.stringify(root));
    const notes = notesOf(r);
    expect(notes).toHaveLength(fixture.notes.length);
    expect(notes.find((n) => n.id === a.id)!.comment).toBe('newest');
    expect('duplicatesMerged' in r && r.duplicatesMerged).toBe(2);
  });
});

describe('round trip export-jsonld → parseAnnotationCollection (property)', () => {
  const text = (max: number, minLength = 0) => fc.string({ unit: 'grapheme', minLength, maxLength: max });
  const slug = fc.stringMatching(/^[a-z0-9]{1,8}(-[a-z0-9]{1,8}){0,2}$/);
  const date = fc.date({ min: new Date('1990-01-01T00:00:00Z'), max: new Date('2100-01-01T00:00:00Z'), noInvalidDate: true }).map((d) => d.toISOString());
  const note: fc.Arbitrary<Note> = fc
    .record({
      id: fc.uuid().map((u) => `urn:uuid:${u}`),
      page: fc.webUrl({ withQueryParameters: true }),
      url: fc.webUrl({ withQueryParameters: true, withFragments: true }),
      title: text(80),
      exact: text(60, 1).filter((s) => s.length > 0),
      prefix: text(32),
      suffix: text(32),
      start: fc.nat({ max: 1_000_000 }),
      length: fc.nat({ max: 1000 }),
      comment: fc.oneof(fc.constant(''), text(200), fc.constantFrom('=cmd|x', '---\n# h', '"q", c\r\nd', 'سلام 🚢')),
      tags: fc.array(text(20, 1).filter((t) => t.trim() !== ''), { maxLength: 4 }),
      entities: fc.array(slug, { maxLength: 4 }),
      created: date,
      modified: date,
    })
    .map((r) => ({
      id: r.id,
      page: r.page,
      url: r.url,
      title: r.title,
      quote: { type: 'TextQuoteSelector', exact: r.exact, prefix: r.prefix, suffix: r.suffix },
      position: { type: 'TextPositionSelector', start: r.start, end: r.start + r.length },
      comment: r.comment,
      tags: r.tags,
      entities: r.entities,
      created: r.created,
      modified: r.modified,
    }));

  it('gives back the same notes', () => {
    fc.assert(
      fc.property(fc.uniqueArray(note, { selector: (n) => n.id, maxLength: 12 }), fc.boolean(), (notes, named) => {
        const back = notesOf(parseAnnotationCollection(exportJsonLd(notes, (id) => (named ? `Name of ${id}` : undefined))));
        expect(back.sort(byId)).toEqual([...notes].sort(byId));
      }),
      { numRuns: 150 },
    );
  });
});

describe('mergeNotes', () => {
  const [a, b, c] = fixture.notes as [Note, Note, Note];
  it('puts new and newer notes, skips older and equal ones', () => {
    const newerB = { ...b, comment: 'changed', modified: '2031-01-01T00:00:00Z' };
    const olderC = { ...c, comment: 'stale', modified: '2000-01-01T00:00:00Z' };
    const plan = mergeNotes([b, c], [a, newerB, olderC]);
    expect(plan.put).toEqual([a, newerB]);
    expect(plan.skip).toEqual([olderC]);
    expect(plan).toMatchObject({ added: 1, updated: 1 });
    expect(mergeNotes([b, c], [c]).skip).toEqual([c]);
    // duplicates among the incoming notes are settled first: the newest copy is the one compared
    expect(mergeNotes([c], [olderC, { ...c, modified: '2032-01-01T00:00:00Z' }]).put[0]!.modified).toBe('2032-01-01T00:00:00Z');
  });
  it('compares instants, not strings, across time zones', () => {
    const sameInstant = { ...a, modified: '2024-09-23T09:20:31.250+01:00', comment: 'same time' };
    expect(mergeNotes([a], [sameInstant]).put).toEqual([]);
    const later = { ...a, modified: '2024-09-23T09:20:32+01:00' };
    expect(mergeNotes([a], [later]).put).toEqual([later]);
  });
});
