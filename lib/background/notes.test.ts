import Dexie from 'dexie';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { browser } from 'wxt/browser';
import { AttacheDB } from '../kb/db';
import type { NoteDraft } from '../messaging/protocol-notes';
import { describeQuote } from '../notes/describe';
import type { Note } from '../notes/types';
import { createContext } from './context';
import { deleteNote, listNotes, writeNotes, notesFeature, recordAnchoring, saveNote } from './notes';
import { Router } from './router';

const dbs: AttacheDB[] = [];
function freshDb(): AttacheDB {
  const db = new AttacheDB(`attache-notes-${Math.random().toString(36).slice(2)}`);
  dbs.push(db);
  return db;
}
afterEach(async () => {
  for (const db of dbs.splice(0)) {
    db.close();
    await Dexie.delete(db.name);
  }
});

const TEXT = 'General Mohammad Bagheri arrived in Beijing on Sunday for talks with Wei Fenghe.';
function draft(over: Partial<NoteDraft> = {}): NoteDraft {
  const start = TEXT.indexOf('Mohammad');
  return {
    page: 'https://news.example/article',
    url: 'https://news.example/article?utm_source=x',
    title: 'Bagheri in Beijing',
    ...describeQuote(TEXT, start, start + 'Mohammad Bagheri'.length),
    comment: 'First visit',
    tags: ['china', ' China ', 'visits'],
    entities: ['mohammad-bagheri', 'mohammad-bagheri'],
    ...over,
  };
}

/** The extension's own origin, as the background sees it (notes.ts checks senders against it). */
const extensionOrigin = browser.runtime.getURL('/');
const fromExtension = { url: `${extensionOrigin}notes.html` };
const fromTab = (url: string) => ({ url, tab: { id: 1, index: 0, highlighted: false, active: true, pinned: false, incognito: false } });

describe('notes CRUD', () => {
  it('creates a note with an urn:uuid id, clean tags and entities, and keeps created on edit', async () => {
    const db = freshDb();
    const a = await saveNote(db, draft(), new Date('2026-01-01T10:00:00Z'));
    expect(a.id).toMatch(/^urn:uuid:[0-9a-f-]{36}$/);
    expect(a.tags).toEqual(['china', 'visits']);
    expect(a.entities).toEqual(['mohammad-bagheri']);
    const b = await saveNote(db, { ...draft({ comment: 'Edited' }), id: a.id }, new Date('2026-01-02T10:00:00Z'));
    expect(b).toMatchObject({ id: a.id, comment: 'Edited', created: '2026-01-01T10:00:00.000Z', modified: '2026-01-02T10:00:00.000Z' });
    expect(await db.notes.count()).toBe(1);
  });

  it('refuses to edit a note that no longer exists', async () => {
    const db = freshDb();
    await expect(saveNote(db, { ...draft(), id: 'urn:uuid:gone' })).rejects.toMatchObject({ code: 'not-found' });
    expect(await db.notes.count()).toBe(0);
  });

  it('lists with filters and deletes with the note returned for undo', async () => {
    const db = freshDb();
    const a = await saveNote(db, draft(), new Date('2026-01-01T10:00:00Z'));
    const b = await saveNote(db, draft({ page: 'https://other.example/x', url: 'https://other.example/x', comment: 'Moscow trip', tags: ['russia'], entities: [] }), new Date('2026-03-01T10:00:00Z'));
    expect((await listNotes(db)).map((n) => n.id)).toEqual([b.id, a.id]);
    expect((await listNotes(db, { tag: 'CHINA' })).map((n) => n.id)).toEqual([a.id]);
    expect((await listNotes(db, { entity: 'mohammad-bagheri' })).map((n) => n.id)).toEqual([a.id]);
    expect((await listNotes(db, { site: 'other.example' })).map((n) => n.id)).toEqual([b.id]);
    expect((await listNotes(db, { from: '2026-02-01' })).map((n) => n.id)).toEqual([b.id]);
    expect((await listNotes(db, { to: '2026-01-31' })).map((n) => n.id)).toEqual([a.id]);
    expect((await listNotes(db, { text: 'moscow TRIP' })).map((n) => n.id)).toEqual([b.id]);
    expect((await listNotes(db, { text: 'FIRST visit' })).map((n) => n.id)).toEqual([a.id]);
    expect((await listNotes(db, { text: 'bagheri' })).length).toBe(2);

    const deleted = await deleteNote(db, a.id);
    expect(deleted).toEqual(a);
    expect(await db.notes.get(a.id)).toBeUndefined();
    await writeNotes(db, [deleted]); // undo
    expect(await db.notes.get(a.id)).toEqual(a);
  });

  it('keeps orphan status per page and never loses an orphaned note', async () => {
    const db = freshDb();
    const a = await saveNote(db, draft());
    const b = await saveNote(db, draft({ page: 'https://other.example/x', url: 'https://other.example/x' }));
    await recordAnchoring(db, a.page, [], [a.id, b.id]); // b is not of this page: ignored
    expect((await listNotes(db, { orphaned: true })).map((n) => n.id)).toEqual([a.id]);
    expect((await listNotes(db)).length).toBe(2);
    await recordAnchoring(db, a.page, [a.id], []);
    expect(await listNotes(db, { orphaned: true })).toEqual([]);
  });
});

describe('import merge', () => {
  it('merges duplicates by id, newest modified wins', async () => {
    const db = freshDb();
    const a = await saveNote(db, draft(), new Date('2026-01-01T10:00:00Z'));
    const newer: Note = { ...a, comment: 'from the other laptop', modified: '2026-02-01T00:00:00.000Z' };
    const older: Note = { ...a, comment: 'stale', modified: '2025-12-01T00:00:00.000Z' };
    const fresh: Note = { ...a, id: 'urn:uuid:00000000-0000-4000-8000-000000000001' };
    expect(await writeNotes(db, [newer, fresh])).toEqual({ added: 1, merged: 1, unchanged: 0 });
    expect((await db.notes.get(a.id))?.comment).toBe('from the other laptop');
    expect(await writeNotes(db, [older])).toEqual({ added: 0, merged: 0, unchanged: 1 });
    expect((await db.notes.get(a.id))?.comment).toBe('from the other laptop');
  });

  it('writes nothing when a write fails half-way', async () => {
    const db = freshDb();
    const a = await saveNote(db, draft());
    const before = await db.notes.toArray();
    const put = vi.spyOn(db.notes, 'bulkPut').mockImplementation(() => {
      throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
    });
    const two: Note[] = [
      { ...a, id: 'urn:uuid:00000000-0000-4000-8000-000000000002' },
      { ...a, comment: 'changed', modified: '2099-01-01T00:00:00.000Z' },
    ];
    await expect(writeNotes(db, two)).rejects.toThrow(/quota/);
    put.mockRestore();
    expect(await db.notes.toArray()).toEqual(before);
  });
});

describe('notes RPC', () => {
  function router(db: AttacheDB) {
    const ctx = createContext(db, Promise.resolve());
    return new Router(extensionOrigin).register(notesFeature(ctx, { entryPoints: false }));
  }

  it('saves from a content script of the same site and refuses another site', async () => {
    const db = freshDb();
    const r = router(db);
    const ok = await r.dispatch({ rpc: 1, method: 'notes.save', params: { note: draft() } }, fromTab('https://news.example/article#x'));
    expect(ok.ok).toBe(true);
    const bad = await r.dispatch({ rpc: 1, method: 'notes.forPage', params: { page: 'https://news.example/article' } }, fromTab('https://evil.example/'));
    expect(bad).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    const list = await r.dispatch({ rpc: 1, method: 'notes.list', params: {} }, fromTab('https://news.example/article'));
    expect(list).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    const listed = await r.dispatch({ rpc: 1, method: 'notes.list', params: {} }, fromExtension);
    expect(listed.ok && (listed.value as unknown[]).length).toBe(1);
  });

  it('rejects malformed notes with the path of the problem', async () => {
    const db = freshDb();
    const r = router(db);
    const bad = await r.dispatch(
      { rpc: 1, method: 'notes.save', params: { note: { ...draft(), position: { type: 'TextPositionSelector', start: 5, end: 2 } } } },
      fromExtension,
    );
    expect(bad).toMatchObject({ ok: false, error: { code: 'invalid', path: 'params.note.position.end' } });
    const js = await r.dispatch({ rpc: 1, method: 'notes.save', params: { note: { ...draft(), url: 'javascript:alert(1)' } } }, fromExtension);
    expect(js).toMatchObject({ ok: false, error: { code: 'invalid', path: 'params.note.url' } });
    expect(await db.notes.count()).toBe(0);
  });

  it('turns a quota failure into a quota error and keeps nothing', async () => {
    const db = freshDb();
    const r = router(db);
    const put = vi.spyOn(db.notes, 'put').mockImplementation(() => {
      throw new DOMException('QuotaExceededError', 'QuotaExceededError');
    });
    const res = await r.dispatch({ rpc: 1, method: 'notes.save', params: { note: draft() } }, fromExtension);
    put.mockRestore();
    expect(res).toMatchObject({ ok: false, error: { code: 'quota' } });
    expect(await db.notes.count()).toBe(0);
  });
});

describe('import and backup', () => {
  it('imports an export back, merging by id; an invalid file writes nothing and lists every problem with its place', async () => {
    const { exportJsonLd } = await import('../notes/export-jsonld');
    const { importNotes } = await import('./notes');
    const source = freshDb();
    const a = await saveNote(source, draft());
    const b = await saveNote(source, draft({ comment: 'second', tags: ['x'] }));
    const text = exportJsonLd(await source.notes.toArray(), () => undefined);

    const target = freshDb();
    expect(await importNotes(target, text)).toEqual({ ok: true, added: 2, merged: 0, unchanged: 0 });
    expect((await target.notes.get(a.id))?.quote).toEqual(a.quote);
    expect(await importNotes(target, text)).toEqual({ ok: true, added: 0, merged: 0, unchanged: 2 });

    const broken = JSON.parse(text);
    broken.first.items[1].target.source = 'ftp://nope';
    delete broken.first.items[0].created;
    const fresh = freshDb();
    const bad = await importNotes(fresh, JSON.stringify(broken));
    expect(bad.ok).toBe(false);
    if (!bad.ok) {
      expect(bad.problems.map((p) => p.path)).toEqual(expect.arrayContaining(['$.first.items[0].created', expect.stringMatching(/^\$\.first\.items\[1\]\.target/)]));
    }
    expect(await fresh.notes.count()).toBe(0);
    const syntax = await importNotes(fresh, '{"type": "AnnotationCollection",\n  "first": [}');
    expect(syntax).toMatchObject({ ok: false, problems: [{ line: 2 }] });
    expect(b.id).not.toBe(a.id);
  });

  it('backs up everything and restores into an empty profile', async () => {
    const { createBackup, restoreBackup } = await import('./notes');
    const { backupToJson } = await import('../notes/backup');
    const db = freshDb();
    await saveNote(db, draft());
    await db.userEntities.put({ id: 'ali-akbar-ahmadian', type: 'person', name: 'Ali Akbar Ahmadian', names: { en: ['Ali Akbar Ahmadian'] }, description: 'Person named in a test page, added by you.', sources: [{ url: 'https://news.example/a' }], modified: '2026-01-01T00:00:00.000Z' });
    await db.readings.add({ page: 'https://news.example/a', url: 'https://news.example/a', title: 'A', visitedAt: '2026-01-01T00:00:00.000Z', entities: ['ali-akbar-ahmadian'] });
    await db.settings.put({ key: 'style', value: 'tint' });
    const text = backupToJson(await createBackup(db));

    const other = freshDb();
    expect(await restoreBackup(other, text)).toEqual({ ok: true, notes: 1, userEntities: 1, readings: 1, settings: 1 });
    expect(await restoreBackup(other, text)).toEqual({ ok: true, notes: 0, userEntities: 0, readings: 0, settings: 1 });
    expect(await other.readings.count()).toBe(1);
    expect((await other.settings.get('style'))?.value).toBe('tint');
    const bad = await restoreBackup(freshDb(), text.replace('"attache-backup"', '"something-else"'));
    expect(bad).toMatchObject({ ok: false, problems: [{ path: '$.format' }] });
  });
});
