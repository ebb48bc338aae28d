/**
 * Messages from content scripts come from pages we do not trust: a hostile page cannot call
 * `runtime.sendMessage` itself, but whatever our content script forwards (page text, URLs, the note
 * a user typed on that page) is shaped by the page. These tests forge `sender` objects the way the
 * browser fills them and send malformed, oversized and cross-site requests through the real Router
 * with the real feature modules that entrypoints/background.ts registers.
 */
import Dexie from 'dexie';
import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { browser } from 'wxt/browser';
import { AttacheDB } from '../kb/db';
import type { Entity } from '../kb/schema';
import type { MatchAnswer, MatchSpan } from '../messaging/protocol-page';
import { unpackSpans } from '../messaging/packed-spans';
import type { Note } from '../notes/types';
import { createContext } from './context';
import { createEngineService, type EngineFactory, type MatchEngine } from './engine-service';
import { kbFeature } from './kb';
import { notesFeature } from './notes';
import { pageFeature } from './page';
import { Router, type Sender } from './router';
import { settingsFeature, writeSettings } from './settings';
import { TabStore } from './tabs';

/** A plain name finder: enough to exercise `page.match` without depending on lib/match internals. */
const nameFinder: EngineFactory = {
  cacheFormat: 'test-name-finder',
  build(entities: Entity[]): MatchEngine {
    const names = entities.flatMap((e) => Object.values(e.names).flat().map((n) => ({ n: n!, e })));
    return {
      newDocState: () => ({}),
      match(text: string): MatchSpan[] {
        const out: MatchSpan[] = [];
        for (const { n, e } of names) {
          for (let i = text.indexOf(n); i >= 0; i = text.indexOf(n, i + 1)) out.push({ start: i, end: i + n.length, id: e.id, type: e.type, via: 'name' });
        }
        return out.sort((a, b) => a.start - b.start);
      },
    };
  },
  toCache: () => undefined,
  fromCache: () => null,
};

const src = [{ url: 'https://example.org/source' }];
const ENTITIES: Entity[] = [
  { id: 'iran', type: 'country', name: 'Iran', names: { en: ['Iran'] }, description: 'Country.', sources: src },
  { id: 'wei-fenghe', type: 'person', name: 'Wei Fenghe', names: { en: ['Wei Fenghe'] }, description: 'Minister.', sources: src },
];

const VICTIM_PAGE = 'https://news.example/2026/article';
const victimNote: Note = {
  id: 'urn:uuid:00000000-0000-4000-8000-00000000beef',
  page: VICTIM_PAGE,
  url: `${VICTIM_PAGE}?utm_source=x`,
  title: 'Victim article',
  quote: { type: 'TextQuoteSelector', exact: 'Wei Fenghe', prefix: 'Minister ', suffix: ' said' },
  position: { type: 'TextPositionSelector', start: 9, end: 19 },
  comment: 'private thoughts about this source',
  tags: ['private'],
  entities: ['wei-fenghe'],
  created: '2026-01-01T10:00:00.000Z',
  modified: '2026-01-01T10:00:00.000Z',
};

let db: AttacheDB;
let router: Router;
let origin: string;

beforeEach(async () => {
  db = new AttacheDB(`attache-router-safety-${Math.random().toString(36).slice(2)}`);
  await db.entities.bulkPut(ENTITIES);
  await db.notes.put(victimNote);
  const ctx = createContext(db, Promise.resolve());
  origin = browser.runtime.getURL('/');
  router = new Router(origin)
    .register(pageFeature(ctx, createEngineService(ctx, nameFinder), new TabStore()))
    .register(settingsFeature(ctx, new TabStore()))
    .register(notesFeature(ctx, { entryPoints: false }))
    .register(kbFeature(ctx));
});
afterEach(async () => {
  db.close();
  await Dexie.delete(db.name);
});

/** How Chrome and Firefox describe a content script's message: the tab, and the frame's URL. */
const contentScript = (url: string, tabUrl = url): Sender => ({
  url,
  tab: { id: 7, index: 0, highlighted: true, active: true, pinned: false, incognito: false, url: tabUrl },
});
/** A content script in a frame that is not in a tab (a web page framed by an extension page, a side
 * panel): Chrome then sets no `sender.tab`, only the frame's `url`. */
const tablessContentScript = (url: string): Sender => ({ url });
const extensionPage = (): Sender => ({ url: `${origin}notes.html` });

const send = (method: string, params: unknown, sender: Sender) => router.dispatch({ rpc: 1, method, params }, sender);

/** Methods only our own pages may call: a content script must get `forbidden` whatever it sends. */
const PRIVILEGED = [
  'notes.list',
  'notes.restore',
  'notes.import',
  'backup.create',
  'backup.restore',
  'settings.set',
  'readings.list',
  'readings.clear',
  'kb.entity',
  'kb.search',
  'kb.unknownNames',
  'kb.names',
  'kb.addUserEntity',
  'tab.state',
];

describe('privileged methods', () => {
  it.each(PRIVILEGED)('%s is refused to a content script, before its params are even read', async (method) => {
    const r = await send(method, { text: '{}', tabId: 7, note: victimNote, filter: {}, names: ['x'], ids: ['iran'], id: 'iran', query: 'Iran' }, contentScript('https://evil.example/'));
    expect(r).toMatchObject({ ok: false, error: { code: 'forbidden' } });
  });

  it.each(PRIVILEGED)('%s is refused to a content script in a frame that has no tab', async (method) => {
    const r = await send(method, {}, tablessContentScript('https://evil.example/framed'));
    expect(r).toMatchObject({ ok: false, error: { code: 'forbidden' } });
  });

  it('lets our own pages call them', async () => {
    const r = await send('notes.list', {}, extensionPage());
    expect(r.ok).toBe(true);
  });

  it('does not take a look-alike origin for ours', async () => {
    // `startsWith` on an origin without its trailing slash would accept chrome-extension://<id>.evil/.
    const lookAlike = `${origin.replace(/\/$/, '')}.evil.example/notes.html`;
    const r = await send('notes.list', {}, { url: lookAlike, tab: contentScript('https://x.example/').tab });
    expect(r).toMatchObject({ ok: false, error: { code: 'forbidden' } });
  });
});

describe("a page cannot reach another site's notes", () => {
  const evil = contentScript('https://evil.example/page');

  async function victimUntouched() {
    expect(await db.notes.get(victimNote.id)).toEqual(victimNote);
  }

  it('cannot list them', async () => {
    expect(await send('notes.forPage', { page: VICTIM_PAGE }, evil)).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    // Same host, other scheme or port: another origin.
    expect(await send('notes.forPage', { page: VICTIM_PAGE }, contentScript('http://news.example/2026/article'))).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect(await send('notes.forPage', { page: VICTIM_PAGE }, contentScript('https://news.example:8443/2026/article'))).toMatchObject({ ok: false, error: { code: 'forbidden' } });
  });

  it('cannot list them from a frame of another site inside the victim tab', async () => {
    // The frame's own URL decides, not the tab's: a third-party iframe on the victim's page is not the victim.
    const framed = contentScript('https://ads.evil.example/frame', VICTIM_PAGE);
    expect(await send('notes.forPage', { page: VICTIM_PAGE }, framed)).toMatchObject({ ok: false, error: { code: 'forbidden' } });
  });

  // A tab-less frame (a web page framed by an extension page) is still a web page: notes.ts asks
  // `isExtensionPage`, not whether `sender.tab` is missing.
  it('cannot list, write or delete them from a frame that has no tab', async () => {
    const framed = tablessContentScript('https://evil.example/framed');
    expect(await send('notes.forPage', { page: VICTIM_PAGE }, framed)).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    const { created: _c, modified: _m, ...draft } = victimNote;
    expect(await send('notes.save', { note: { ...draft, comment: 'overwritten' } }, framed)).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    const { id: _id, ...fresh } = draft;
    expect(await send('notes.save', { note: { ...fresh, comment: 'planted' } }, framed)).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect(await send('notes.delete', { id: victimNote.id }, framed)).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect(await send('notes.anchored', { page: VICTIM_PAGE, anchored: [], orphaned: [victimNote.id] }, framed)).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    await victimUntouched();
    expect(await db.notes.count()).toBe(1);
  });

  it('cannot overwrite one by naming its id, nor move it to its own site', async () => {
    const note = { ...victimNote, page: 'https://evil.example/page', url: 'https://evil.example/page', comment: 'overwritten' } as Partial<Note>;
    delete note.created;
    delete note.modified;
    const r = await send('notes.save', { note }, evil);
    expect(r).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    await victimUntouched();
  });

  it('cannot write a note into the victim page', async () => {
    const { id: _id, created: _c, modified: _m, ...draft } = victimNote;
    const r = await send('notes.save', { note: { ...draft, comment: 'planted' } }, evil);
    expect(r).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect(await db.notes.count()).toBe(1);
  });

  it('cannot delete one', async () => {
    expect(await send('notes.delete', { id: victimNote.id }, evil)).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    await victimUntouched();
  });

  it("cannot mark them orphaned through its own page's anchoring report", async () => {
    const r = await send('notes.anchored', { page: 'https://evil.example/page', anchored: [], orphaned: [victimNote.id] }, evil);
    expect(r.ok).toBe(true);
    const list = await send('notes.list', {}, extensionPage());
    expect(list.ok && (list.value as { id: string; orphaned: boolean }[]).find((n) => n.id === victimNote.id)?.orphaned).toBe(false);
  });

  it('cannot pass a non-web page identity', async () => {
    for (const page of ['javascript:alert(1)//news.example', 'file:///etc/passwd', `${origin}notes.html`, 'data:text/html,x']) {
      const r = await send('notes.forPage', { page }, evil);
      expect(r.ok, page).toBe(false);
    }
  });
});

describe('malformed and oversized requests', () => {
  const tab = contentScript('https://news.example/2026/article');
  const okMatch = { docId: 'doc-1', url: 'https://news.example/2026/article', title: 'T', text: 'Wei Fenghe visited Iran.', offset: 0 };

  it('page.match works with a well-formed request (the baseline the other cases break)', async () => {
    const r = await send('page.match', okMatch, tab);
    expect(r.ok).toBe(true);
    expect(r.ok && unpackSpans((r.value as MatchAnswer).spans).map((s) => s.id)).toEqual(['wei-fenghe', 'iran']);
  });

  it.each([
    ['no params', undefined, 'invalid'],
    ['an array', [okMatch], 'invalid'],
    ['text as an array', { ...okMatch, text: ['Iran'] }, 'invalid'],
    ['text of 2 MB + 1', { ...okMatch, text: 'x'.repeat(2_000_001) }, 'too-large'],
    ['a javascript: url', { ...okMatch, url: 'javascript:alert(1)' }, 'invalid'],
    ['a docId with markup', { ...okMatch, docId: '<img src=x onerror=alert(1)>' }, 'invalid'],
    ['a negative offset', { ...okMatch, offset: -1 }, 'invalid'],
    ['a fractional offset', { ...okMatch, offset: 0.5 }, 'invalid'],
    ['an offset that is a string', { ...okMatch, offset: '0' }, 'invalid'],
    ['a url of 9000 characters', { ...okMatch, url: `https://a.example/${'a'.repeat(9000)}` }, 'too-large'],
    ['a page date that is not a date', { ...okMatch, pageDate: { date: 'yesterday', source: 'meta' } }, 'invalid'],
    ['a page date source we do not know', { ...okMatch, pageDate: { date: '2026-01-01', source: 'eval' } }, 'invalid'],
  ])('page.match refuses %s', async (_what, params, code) => {
    const r = await send('page.match', params, tab);
    expect(r).toMatchObject({ ok: false, error: { code } });
  });

  it('page.match needs a tab: a frame without one cannot feed the badge or the reading log', async () => {
    const r = await send('page.match', okMatch, tablessContentScript('https://news.example/2026/article'));
    expect(r).toMatchObject({ ok: false, error: { code: 'forbidden' } });
  });

  it('notes.save refuses oversized fields with their path and writes nothing', async () => {
    const { id: _id, created: _c, modified: _m, ...draft } = victimNote;
    for (const [field, note, path] of [
      ['comment', { ...draft, comment: 'x'.repeat(100_001) }, 'params.note.comment'],
      ['quote', { ...draft, quote: { ...draft.quote, exact: 'x'.repeat(10_001) } }, 'params.note.quote.exact'],
      ['tags', { ...draft, tags: Array.from({ length: 101 }, (_, i) => `t${i}`) }, 'params.note.tags'],
    ] as const) {
      const r = await send('notes.save', { note }, tab);
      expect(r, field).toMatchObject({ ok: false, error: { path } });
    }
    expect(await db.notes.count()).toBe(1);
  });

  it('an unknown method is not-found, and a message that is not an RPC is ignored', async () => {
    expect(await send('notes.dropAll', {}, tab)).toMatchObject({ ok: false, error: { code: 'not-found' } });
    expect(await send('__proto__', {}, tab)).toMatchObject({ ok: false, error: { code: 'not-found' } });
    expect(await send('constructor', {}, tab)).toMatchObject({ ok: false, error: { code: 'not-found' } });
    expect(router.listener({ rpc: 2, method: 'notes.list' }, tab)).toBeUndefined();
    expect(router.listener('notes.list', tab)).toBeUndefined();
  });

  it('params carrying __proto__ do not pollute Object.prototype', async () => {
    const params = JSON.parse('{"__proto__": {"polluted": "yes"}, "note": {"__proto__": {"polluted": "yes"}}, "page": "https://news.example/x"}');
    for (const method of ['notes.save', 'notes.forPage', 'settings.get', 'page.match', 'kb.entitiesIn', 'entity.card']) {
      await send(method, params, tab);
    }
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});

describe('the reading log', () => {
  const match = (n: number, text: string) => ({ docId: `doc-${n}`, url: `https://news.example/${n}`, title: `Article ${n}`, text, offset: 0 });
  const tabSender = (id: number, incognito: boolean): Sender => ({ url: `https://news.example/${id}`, tab: { id, index: 0, highlighted: true, active: true, pinned: false, incognito, url: `https://news.example/${id}` } });
  /** The log is written after the answer (not awaited by page.match). */
  const settle = () => new Promise((r) => setTimeout(r, 50));

  it('records a page where entities were found, in a normal tab (the baseline)', async () => {
    expect((await send('page.match', match(1, 'Wei Fenghe visited Iran.'), tabSender(1, false))).ok).toBe(true);
    await settle();
    expect((await db.readings.toArray()).map((r) => r.url)).toEqual(['https://news.example/1']);
  });

  it('never records a private (incognito) tab', async () => {
    expect((await send('page.match', match(2, 'Wei Fenghe visited Iran.'), tabSender(2, true))).ok).toBe(true);
    await settle();
    expect(await db.readings.count()).toBe(0);
  });

  it('never records a page where nothing was found: it is not a browsing history', async () => {
    expect((await send('page.match', match(3, 'Weather and football.'), tabSender(3, false))).ok).toBe(true);
    await settle();
    expect(await db.readings.count()).toBe(0);
  });

  it('records nothing once the user turned the log off', async () => {
    await writeSettings(db, { readingLog: false }); // what settings.set stores (it also notifies tabs)
    expect((await send('page.match', match(4, 'Wei Fenghe visited Iran.'), tabSender(4, false))).ok).toBe(true);
    await settle();
    expect(await db.readings.count()).toBe(0);
  });
});

describe('any params, any method, from a content script (property)', () => {
  const METHODS = [
    'page.match',
    'entity.card',
    'page.labels',
    'settings.get',
    'notes.save',
    'notes.forPage',
    'notes.delete',
    'notes.anchored',
    'kb.entitiesIn',
    ...PRIVILEGED,
  ];
  // What structured cloning can deliver: JSON values plus a few cloneable objects.
  const cloneable = fc.letrec((tie) => ({
    value: fc.oneof(
      { depthSize: 'small' },
      fc.jsonValue({ maxDepth: 3 }),
      fc.date({ noInvalidDate: true }),
      fc.constantFrom(Number.NaN, Infinity, -0, 2 ** 53, 'javascript:alert(1)', '<img src=x onerror=alert(1)>', VICTIM_PAGE, victimNote.id),
      fc.dictionary(fc.constantFrom('note', 'page', 'id', 'text', 'url', 'docId', 'offset', 'title', 'anchored', 'orphaned', 'quote', 'position', '__proto__'), tie('value'), { maxKeys: 6 }),
    ),
  })).value;

  it('always answers a Result: never throws, never an unexplained internal error, never touches the victim', async () => {
    const sender = contentScript('https://evil.example/page');
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...METHODS), cloneable, async (method, params) => {
        const r = await send(method, params, sender);
        expect(typeof r.ok).toBe('boolean');
        if (!r.ok) expect(['invalid', 'too-large', 'forbidden', 'not-found']).toContain(r.error.code);
      }),
      { numRuns: 400 },
    );
    expect(await db.notes.get(victimNote.id)).toEqual(victimNote);
  });
});
