/**
 * Import of files a user really ends up with: truncated downloads, hand edits that change a value's
 * type, files merged by hand with duplicates, and absurd sizes. Whatever the file, the import
 * answers (never throws), and a refusal names where the problem is: line and column for syntax,
 * a JSON path for shape.
 */
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseAnnotationCollection } from './import';
import { parseBackup, backupToJson, buildBackup } from './backup';
import { LIMITS } from './note-validation';
import type { Note } from './types';

const GOLDEN = readFileSync(new URL('./fixtures/export.jsonld', import.meta.url), 'utf8');
const golden = JSON.parse(GOLDEN) as { first: { items: Record<string, unknown>[] } } & Record<string, unknown>;
const goldenNotes = (() => {
  const r = parseAnnotationCollection(GOLDEN);
  if (!('notes' in r)) throw new Error('the golden export must import');
  return r.notes;
})();

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

/** Every value's location in the same path syntax the import reports (`$.first.items[0].body[1].value`). */
function paths(v: Json, path = '$', out: string[] = []): string[] {
  out.push(path);
  if (Array.isArray(v)) v.forEach((x, i) => paths(x, `${path}[${i}]`, out));
  else if (v !== null && typeof v === 'object') {
    for (const [k, x] of Object.entries(v)) paths(x, /^[A-Za-z_$][\w$]*$/.test(k) ? `${path}.${k}` : `${path}[${JSON.stringify(k)}]`, out);
  }
  return out;
}

function setAt(root: Json, path: string, value: Json): Json {
  if (path === '$') return value;
  const steps = [...path.slice(1).matchAll(/\.([A-Za-z_$][\w$]*)|\[(\d+)\]|\[("(?:[^"\\]|\\.)*")\]/g)].map((m) => m[1] ?? (m[2] !== undefined ? Number(m[2]) : (JSON.parse(m[3]!) as string)));
  const copy = structuredClone(root);
  let at = copy as Record<string | number, Json>;
  for (const s of steps.slice(0, -1)) at = at[s] as Record<string | number, Json>;
  at[steps.at(-1)!] = value;
  return copy;
}

/** The object a path's last step is in: `$.notes[0].position.start` → `$.notes[0].position`. */
const parentOf = (p: string) => p.replace(/(\.[^.[\]]+|\[\d+\])$/, '');
/**
 * Where a problem may be reported for a replaced value: the value itself, inside or around it, or a
 * sibling field of the same object (a valid number as `position.start` past `position.end` is
 * reported at `end`: cross-field rules name one of the two).
 */
const related = (a: string, b: string) =>
  a === b || a.startsWith(`${b}.`) || a.startsWith(`${b}[`) || b.startsWith(`${a}.`) || b.startsWith(`${a}[`) || parentOf(a) === parentOf(b);
/** A problem about the edited value: at a related path, or a cross-field rule that names it (`$.total` "says 5 but first.items holds 0"). */
const about = (problem: { path: string; message: string }, edited: string) => related(problem.path, edited) || problem.message.includes(edited.replace(/^\$\./, ''));

describe('truncated files', () => {
  it('a file cut anywhere is refused with the line and column of the cut, never thrown', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: GOLDEN.length - 2 }), (cut) => {
        const text = GOLDEN.slice(0, cut);
        const r = parseAnnotationCollection(text);
        expect('problems' in r).toBe(true);
        if (!('problems' in r)) return;
        expect(r.problems).toHaveLength(1);
        const p = r.problems[0]!;
        expect(p.path).toBe('$');
        if (text.trim() === '') return;
        const lines = text.split('\n');
        // Nothing before the cut is wrong, so the error is on the last line there is.
        expect(p.line).toBe(lines.length);
        expect(p.column).toBeGreaterThanOrEqual(1);
        expect(p.message).toMatch(/line \d+, column \d+/);
      }),
      { numRuns: 300 },
    );
  });
});

describe('wrongly typed values', () => {
  const allPaths = paths(golden as Json).filter((p) => p !== '$');
  const wrong = fc.oneof(
    fc.constant(null),
    fc.boolean(),
    fc.double(),
    fc.string({ maxLength: 20 }),
    fc.constant([]),
    fc.constant({}),
    fc.constant('<img src=x onerror=alert(1)>'),
    fc.constant('javascript:alert(1)'),
  );

  it('a value replaced by one of another type is either still a valid note or refused at that place', () => {
    fc.assert(
      fc.property(fc.constantFrom(...allPaths), wrong, (path, value) => {
        const edited = setAt(golden as Json, path, value as Json);
        const r = parseAnnotationCollection(JSON.stringify(edited));
        if ('notes' in r) return; // the edit kept the file valid (an unknown property, a label…)
        expect(r.problems.length).toBeGreaterThan(0);
        // At least one problem points at the edited value, one of its parents or one of its children.
        expect(r.problems.some((p) => about(p, path)), `${path} → ${JSON.stringify(value)}: ${JSON.stringify(r.problems)}`).toBe(true);
      }),
      { numRuns: 500 },
    );
  });

  it('markup in text fields is kept as text, never interpreted', () => {
    const markup = '<img src=x onerror="window.__pwned=1"><script>window.__pwned=1</script>';
    const edited = structuredClone(golden);
    const item = edited.first.items[0]!;
    (item.body as { value?: string }[])[0]!.value = markup;
    const r = parseAnnotationCollection(JSON.stringify(edited));
    expect('notes' in r && r.notes.find((n) => n.id === item.id)?.comment).toBe(markup);
  });
});

describe('duplicate-laden files', () => {
  it('each id is imported once, with its latest modified version', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.integer({ min: 0, max: goldenNotes.length - 1 }), fc.integer({ min: 0, max: 10_000 })), { minLength: 1, maxLength: 60 }), (picks) => {
        const items = picks.map(([i, minutes]) => {
          const item = structuredClone(golden.first.items[i]!);
          item.modified = new Date(Date.UTC(2025, 0, 1) + minutes * 60_000).toISOString();
          return item;
        });
        const doc = { ...golden, total: items.length, first: { ...golden.first, items } };
        const r = parseAnnotationCollection(JSON.stringify(doc));
        if (!('notes' in r)) throw new Error(JSON.stringify(r.problems));
        const latest = new Map<string, number>();
        for (const [i, m] of picks) latest.set(goldenNotes[i]!.id, Math.max(latest.get(goldenNotes[i]!.id) ?? -1, m));
        expect(r.notes.length).toBe(latest.size);
        expect(r.duplicatesMerged).toBe(picks.length - latest.size);
        for (const n of r.notes) expect(Date.parse(n.modified)).toBe(Date.UTC(2025, 0, 1) + latest.get(n.id)! * 60_000);
      }),
      { numRuns: 100 },
    );
  });
});

describe('huge files (generated here, never committed)', () => {
  const MB = 1024 * 1024;

  it('100 MB of garbage: a syntax error with its place, within seconds', () => {
    const text = `{"@context": "http://www.w3.org/ns/anno.jsonld", "first": ${'['.repeat(10)}${'x'.repeat(100 * MB)}`;
    const t0 = performance.now();
    const r = parseAnnotationCollection(text);
    const ms = performance.now() - t0;
    expect(r).toMatchObject({ problems: [{ path: '$', line: 1 }] });
    expect(ms).toBeLessThan(10_000);
  });

  it('a 100 MB comment in an otherwise valid file: refused at its path with the cap, within seconds', () => {
    const doc = structuredClone(golden);
    (doc.first.items[2]!.body as { value?: string }[])[0]!.value = 'a'.repeat(100 * MB);
    const text = JSON.stringify(doc);
    expect(text.length).toBeGreaterThan(100 * MB);
    const t0 = performance.now();
    const r = parseAnnotationCollection(text);
    const ms = performance.now() - t0;
    expect('problems' in r && r.problems[0]).toMatchObject({ path: '$.first.items[2].body[0].value', message: expect.stringMatching(/at most 100000/) });
    expect(ms).toBeLessThan(10_000);
  });

  it('more characters than any import accepts is refused before parsing', () => {
    const text = 'x'.repeat(LIMITS.fileChars + 1);
    const t0 = performance.now();
    const r = parseAnnotationCollection(text);
    expect(r).toMatchObject({ problems: [{ path: '$', message: expect.stringMatching(/at most/) }] });
    expect(performance.now() - t0).toBeLessThan(1000);
  });

  it('deep nesting cannot overflow the stack of the error scanner', () => {
    const text = `${'['.repeat(200_000)}x`;
    const r = parseAnnotationCollection(text);
    expect(r).toMatchObject({ problems: [{ path: '$', message: expect.stringMatching(/nested|syntax/) }] });
  });
});

describe('backup files', () => {
  const note: Note = goldenNotes[0]!;
  const BACKUP = backupToJson(
    buildBackup({ notes: goldenNotes, userEntities: [], readings: [{ url: note.url, title: note.title, visitedAt: note.created, entities: [] }], settings: { 'reader.enabled': true } }, new Date('2026-01-01T00:00:00Z')),
  );

  it('a backup cut anywhere is refused with line and column, never thrown', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: BACKUP.length - 2 }), (cut) => {
        const r = parseBackup(BACKUP.slice(0, cut));
        expect('problems' in r && r.problems[0]!.line).toBeGreaterThanOrEqual(1);
      }),
      { numRuns: 200 },
    );
  });

  it('a value replaced by one of another type is refused at that place or still valid', () => {
    const root = JSON.parse(BACKUP) as Json;
    const allPaths = paths(root).filter((p) => p !== '$');
    fc.assert(
      fc.property(fc.constantFrom(...allPaths), fc.oneof(fc.constant(null), fc.integer(), fc.string({ maxLength: 8 }), fc.constant([]), fc.constant({})), (path, value) => {
        const r = parseBackup(JSON.stringify(setAt(root, path, value as Json)));
        if (!('problems' in r)) return;
        expect(r.problems.some((p) => about(p, path)), `${path}: ${JSON.stringify(r.problems)}`).toBe(true);
      }),
      { numRuns: 400 },
    );
  });
});
