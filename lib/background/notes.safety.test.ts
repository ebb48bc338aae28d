/**
 * The user's notes survive what goes wrong around them: a full disk while saving, a database that
 * fails mid-write, a bad file imported over good notes, and two tabs saving at the same moment.
 * Everything goes through the Router, as the editor's and the notes page's calls do.
 */
import Dexie from 'dexie';
import fc from 'fast-check';
import { readFileSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { browser } from 'wxt/browser';
import { AttacheDB } from '../kb/db';
import type { NoteDraft } from '../messaging/protocol-notes';
import type { Result } from '../messaging/rpc';
import { describeQuote } from '../notes/describe';
import type { Note } from '../notes/types';
import { createContext } from './context';
import { notesFeature, ORPHANS_KEY } from './notes';
import { Router, type Sender } from './router';

const GOLDEN_EXPORT = readFileSync(new URL('../notes/fixtures/export.jsonld', import.meta.url), 'utf8');

let db: AttacheDB;
let router: Router;
let origin: string;

beforeEach(() => {
  db = new AttacheDB(`attache-notes-safety-${Math.random().toString(36).slice(2)}`);
  origin = browser.runtime.getURL('/');
  router = new Router(origin).register(notesFeature(createContext(db, Promise.resolve()), { entryPoints: false }));
});
afterEach(async () => {
  vi.restoreAllMocks();
  db.close();
  await Dexie.delete(db.name);
});

const TEXT = 'General Mohammad Bagheri arrived in Beijing on Sunday for talks with Wei Fenghe on the 2016 memorandum.';
const PAGE = 'https://news.example/2026/bagheri-beijing';
function draft(n: number, over: Partial<NoteDraft> = {}): NoteDraft {
  const start = n % 60;
  return { page: PAGE, url: `${PAGE}?n=${n}`, title: 'Bagheri in Beijing', ...describeQuote(TEXT, start, start + 12), comment: `note ${n}`, tags: [`t${n % 3}`], entities: [], ...over };
}

const tab = (id: number, url = PAGE): Sender => ({ url, tab: { id, index: id, highlighted: false, active: true, pinned: false, incognito: false, url } });
const send = <T = unknown>(method: string, params: unknown, sender: Sender) => router.dispatch({ rpc: 1, method, params }, sender) as Promise<Result<T>>;
const ext = (): Sender => ({ url: `${origin}notes.html` });

const quota = () => new DOMException('The quota has been exceeded.', 'QuotaExceededError');

async function snapshot() {
  return { notes: await db.notes.orderBy('id').toArray(), meta: await db.meta.toArray(), readings: await db.readings.toArray(), settings: await db.settings.toArray(), userEntities: await db.userEntities.toArray() };
}

async function seedNotes(count: number): Promise<Note[]> {
  const out: Note[] = [];
  for (let i = 0; i < count; i++) {
    const r = await send<Note>('notes.save', { note: draft(i) }, ext());
    if (!r.ok) throw new Error(r.error.message);
    out.push(r.value);
  }
  return out;
}

describe('a full disk while saving', () => {
  it('a new note: the editor gets `quota`, nothing is written', async () => {
    await seedNotes(2);
    const before = await snapshot();
    vi.spyOn(db.notes, 'put').mockImplementation(() => Promise.reject(quota()) as never);
    const r = await send('notes.save', { note: draft(9) }, tab(1));
    expect(r).toMatchObject({ ok: false, error: { code: 'quota', message: expect.stringMatching(/Nothing was saved/) } });
    vi.restoreAllMocks();
    expect(await snapshot()).toEqual(before);
  });

  it('an edit: the stored note stays as it was', async () => {
    const [a] = await seedNotes(1);
    vi.spyOn(db.notes, 'put').mockImplementation(() => Promise.reject(quota()) as never);
    const r = await send('notes.save', { note: { ...draft(0), id: a!.id, comment: 'edited' } }, tab(1));
    expect(r).toMatchObject({ ok: false, error: { code: 'quota' } });
    vi.restoreAllMocks();
    expect(await db.notes.get(a!.id)).toEqual(a);
  });

  it('an import: `quota`, none of the file is written, existing notes untouched', async () => {
    await seedNotes(3);
    const before = await snapshot();
    vi.spyOn(db.notes, 'bulkPut').mockImplementation(() => Promise.reject(quota()) as never);
    const r = await send('notes.import', { text: GOLDEN_EXPORT }, ext());
    expect(r).toMatchObject({ ok: false, error: { code: 'quota' } });
    vi.restoreAllMocks();
    expect(await snapshot()).toEqual(before);
  });

  it('a restore failing on its last table: the notes it already wrote are rolled back', async () => {
    await seedNotes(2);
    const backup = await send<object>('backup.create', {}, ext());
    if (!backup.ok) throw new Error(backup.error.message);
    // A different profile: a note the backup does not have, so a partial restore would show.
    const doc = backup.value as { notes: Note[]; readings: unknown[]; settings: Record<string, unknown> };
    doc.notes.push({ ...doc.notes[0]!, id: 'urn:uuid:11111111-1111-4111-8111-111111111111' });
    doc.readings.push({ url: PAGE, title: 't', visitedAt: '2026-01-01T00:00:00.000Z', entities: [] });
    doc.settings['reader.style'] = 'tint';
    const before = await snapshot();
    vi.spyOn(db.settings, 'bulkPut').mockImplementation(() => Promise.reject(quota()) as never);
    const r = await send('backup.restore', { text: JSON.stringify(doc) }, ext());
    expect(r).toMatchObject({ ok: false, error: { code: 'quota' } });
    vi.restoreAllMocks();
    expect(await snapshot()).toEqual(before);
  });

  it('a delete that cannot write the orphan list leaves the note in place', async () => {
    const [a] = await seedNotes(1);
    await send('notes.anchored', { page: PAGE, anchored: [], orphaned: [a!.id] }, tab(1));
    const before = await snapshot();
    vi.spyOn(db.meta, 'put').mockImplementation(() => Promise.reject(quota()) as never);
    const r = await send('notes.delete', { id: a!.id }, ext());
    expect(r).toMatchObject({ ok: false, error: { code: 'quota' } });
    vi.restoreAllMocks();
    expect(await snapshot()).toEqual(before);
  });
});

describe('a database that fails', () => {
  it('a closed database: `db` error, said plainly', async () => {
    await seedNotes(1);
    db.close();
    const r = await send('notes.save', { note: draft(5) }, tab(1));
    expect(r).toMatchObject({ ok: false, error: { code: 'db', message: expect.stringMatching(/Nothing was saved/) } });
  });

  it('a write that fails with an IndexedDB error mid-import keeps nothing of the file', async () => {
    await seedNotes(2);
    const before = await snapshot();
    vi.spyOn(db.notes, 'bulkPut').mockImplementation(() => Promise.reject(new DOMException('disk I/O error', 'UnknownError')) as never);
    const r = await send('notes.import', { text: GOLDEN_EXPORT }, ext());
    expect(r).toMatchObject({ ok: false, error: { code: 'db', message: expect.stringMatching(/Nothing was saved/) } });
    vi.restoreAllMocks();
    expect(await snapshot()).toEqual(before);
  });
});

describe('importing bad files over good notes (property)', () => {
  it('any mangled file: refused with places, or imported; existing notes never lost or changed', async () => {
    const existing = await seedNotes(4);
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          fc.integer({ min: 0, max: GOLDEN_EXPORT.length - 1 }).map((cut) => GOLDEN_EXPORT.slice(0, cut)),
          fc.tuple(fc.integer({ min: 0, max: GOLDEN_EXPORT.length - 1 }), fc.string({ minLength: 1, maxLength: 5 })).map(([at, junk]) => GOLDEN_EXPORT.slice(0, at) + junk + GOLDEN_EXPORT.slice(at + junk.length)),
          fc.jsonValue({ maxDepth: 4 }).map((v) => JSON.stringify(v)),
        ),
        async (text) => {
          const r = await send<{ ok: boolean; problems?: { path: string }[] }>('notes.import', { text }, ext());
          expect(r.ok).toBe(true); // the RPC answered; the import itself may refuse
          if (r.ok && !r.value.ok) expect(r.value.problems!.every((p) => p.path.startsWith('$'))).toBe(true);
          for (const n of existing) expect(await db.notes.get(n.id)).toEqual(n);
        },
      ),
      { numRuns: 120 },
    );
  });

  it('any mangled backup: refused with places, or restored; existing notes never lost or changed', async () => {
    const existing = await seedNotes(3);
    const made = await send<object>('backup.create', {}, ext());
    if (!made.ok) throw new Error(made.error.message);
    const BACKUP = JSON.stringify(made.value, null, 1);
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          fc.integer({ min: 0, max: BACKUP.length - 1 }).map((cut) => BACKUP.slice(0, cut)),
          fc.tuple(fc.integer({ min: 0, max: BACKUP.length - 1 }), fc.string({ minLength: 1, maxLength: 5 })).map(([at, junk]) => BACKUP.slice(0, at) + junk + BACKUP.slice(at + junk.length)),
        ),
        async (text) => {
          const r = await send<{ ok: boolean; problems?: { path: string }[] }>('backup.restore', { text }, ext());
          expect(r.ok).toBe(true);
          if (r.ok && !r.value.ok) expect(r.value.problems!.every((p) => p.path.startsWith('$'))).toBe(true);
          for (const n of existing) expect(await db.notes.get(n.id)).toEqual(n);
        },
      ),
      { numRuns: 80 },
    );
  });

  it('a file over the size cap is refused before the handler runs', async () => {
    await seedNotes(1);
    const before = await snapshot();
    const r = await send('notes.import', { text: ' '.repeat(128 * 1024 * 1024 + 1) }, ext());
    expect(r).toMatchObject({ ok: false, error: { code: 'too-large', path: 'params.text' } });
    expect(await snapshot()).toEqual(before);
  });
});

describe('two tabs saving at once', () => {
  it('100 notes saved concurrently from two tabs: all 100 stored, none overwritten', async () => {
    const calls = Array.from({ length: 100 }, (_, i) => send<Note>('notes.save', { note: draft(i) }, tab(i % 2 === 0 ? 1 : 2)));
    const results = await Promise.all(calls);
    expect(results.every((r) => r.ok)).toBe(true);
    const ids = new Set(results.map((r) => (r.ok ? r.value.id : '')));
    expect(ids.size).toBe(100);
    expect(await db.notes.count()).toBe(100);
    const comments = (await db.notes.toArray()).map((n) => n.comment).sort();
    expect(comments).toEqual(Array.from({ length: 100 }, (_, i) => `note ${i}`).sort());
  });

  it('edits of different notes at once each land', async () => {
    const notes = await seedNotes(20);
    const results = await Promise.all(notes.map((n, i) => send<Note>('notes.save', { note: { ...draft(i), id: n.id, comment: `edited ${i}` } }, tab(1 + (i % 2)))));
    expect(results.every((r) => r.ok)).toBe(true);
    for (const [i, n] of notes.entries()) expect((await db.notes.get(n.id))?.comment).toBe(`edited ${i}`);
  });

  it('two pages reporting anchoring at once: both orphan lists are kept (no lost update of the shared row)', async () => {
    const other = 'https://news.example/2026/other';
    const onA = await seedNotes(10);
    const onB: Note[] = [];
    for (let i = 0; i < 10; i++) {
      const r = await send<Note>('notes.save', { note: draft(100 + i, { page: other, url: other }) }, ext());
      if (r.ok) onB.push(r.value);
    }
    const reports = [];
    for (let round = 0; round < 5; round++) {
      reports.push(send('notes.anchored', { page: PAGE, anchored: [], orphaned: onA.map((n) => n.id) }, tab(1)));
      reports.push(send('notes.anchored', { page: other, anchored: [], orphaned: onB.map((n) => n.id) }, tab(2, other)));
    }
    expect((await Promise.all(reports)).every((r) => r.ok)).toBe(true);
    const orphans = new Set((await db.meta.get(ORPHANS_KEY))?.value as string[]);
    expect(orphans.size).toBe(20);
  });

  it('an import while a tab saves: both the file and the new note are kept', async () => {
    const [importR, ...saves] = await Promise.all([send<{ ok: boolean; added: number }>('notes.import', { text: GOLDEN_EXPORT }, ext()), ...Array.from({ length: 10 }, (_, i) => send('notes.save', { note: draft(i) }, tab(1)))]);
    expect(importR.ok && importR.value.ok && importR.value.added).toBe(5);
    expect(saves.every((r) => r.ok)).toBe(true);
    expect(await db.notes.count()).toBe(15);
  });

  // Two tabs editing the SAME note: each editor sends the `modified` of the copy it started from
  // (`baseModified`); a save from a copy that is no longer the stored one is refused as a conflict.
  it('an edit made from a stale copy is refused as a conflict instead of replacing a newer edit from another tab', async () => {
    const [a] = await seedNotes(1);
    const edit = (comment: string, base: string) => ({ note: { ...draft(0), id: a!.id, baseModified: base, comment } });
    // Both tabs opened the editor on the same stored copy; tab 1 saves first.
    const first = await send<Note>('notes.save', edit('from tab 1', a!.modified), tab(1));
    expect(first.ok).toBe(true);
    const second = await send<Note>('notes.save', edit('from tab 2', a!.modified), tab(2));
    expect(second).toMatchObject({ ok: false, error: { code: 'conflict', path: 'params.note.baseModified', message: expect.stringMatching(/another tab/) } });
    expect((await db.notes.get(a!.id))?.comment).toBe('from tab 1');
    // Tab 2 loads the latest version and saves again from it: accepted.
    const latest = (await db.notes.get(a!.id))!;
    const third = await send<Note>('notes.save', edit('from tab 2, after reloading', latest.modified), tab(2));
    expect(third.ok).toBe(true);
    expect((await db.notes.get(a!.id))?.comment).toBe('from tab 2, after reloading');
  });

  it('two tabs saving the same copy at the same moment: exactly one lands, the other is told of the conflict', async () => {
    const notes = await seedNotes(10);
    for (const n of notes) {
      const saves = await Promise.all([1, 2, 3].map((t) => send<Note>('notes.save', { note: { ...draft(0), id: n.id, baseModified: n.modified, comment: `tab ${t}` } }, tab(t))));
      const landed = saves.filter((r) => r.ok);
      expect(landed).toHaveLength(1);
      expect(saves.filter((r) => !r.ok).every((r) => !r.ok && r.error.code === 'conflict')).toBe(true);
      const stored = (await db.notes.get(n.id))!;
      expect(landed[0]!.ok && landed[0]!.value).toEqual(stored);
      // The stamp moved on even within the same millisecond, so a copy read before is stale.
      expect(stored.modified > n.modified).toBe(true);
    }
  });

  it('successive saves from one editor each start from the copy the previous save answered', async () => {
    const [a] = await seedNotes(1);
    let base = a!.modified;
    for (let i = 0; i < 5; i++) {
      const r = await send<Note>('notes.save', { note: { ...draft(0), id: a!.id, baseModified: base, comment: `v${i}` } }, tab(1));
      if (!r.ok) throw new Error(r.error.message);
      expect(r.value.modified > base).toBe(true);
      base = r.value.modified;
    }
    expect((await db.notes.get(a!.id))?.comment).toBe('v4');
  });

  it('a baseModified that is not a date, or on a new note, is invalid', async () => {
    const [a] = await seedNotes(1);
    expect(await send('notes.save', { note: { ...draft(0), id: a!.id, baseModified: 'yesterday' } }, tab(1))).toMatchObject({ ok: false, error: { code: 'invalid', path: 'params.note.baseModified' } });
    expect(await send('notes.save', { note: { ...draft(1), baseModified: a!.modified } }, tab(1))).toMatchObject({ ok: false, error: { code: 'invalid', path: 'params.note.baseModified' } });
    expect(await db.notes.count()).toBe(1);
  });

  it('a delete racing an edit of the same note: the edit fails with not-found or lands; never a half note', async () => {
    const [a] = await seedNotes(1);
    const [del, edit] = await Promise.all([send('notes.delete', { id: a!.id }, ext()), send('notes.save', { note: { ...draft(0), id: a!.id, comment: 'late edit' } }, tab(1))]);
    expect(del.ok).toBe(true);
    const stored = await db.notes.get(a!.id);
    if (edit.ok) expect(stored?.comment ?? 'deleted after the edit').toMatch(/late edit|deleted after the edit/);
    else {
      expect(edit.error.code).toBe('not-found');
      expect(stored).toBeUndefined();
    }
  });
});

it('the notes-page sender used above is an extension page (sanity of the forged senders)', () => {
  expect(router.isPrivileged(ext())).toBe(true);
  expect(router.isPrivileged(tab(1))).toBe(false);
});
