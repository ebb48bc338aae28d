import Dexie from 'dexie';
import { afterEach, describe, expect, it } from 'vitest';
import { AttacheDB } from '../kb/db';
import type { Entity, KbEvent } from '../kb/schema';
import { createContext } from './context';
import { kbFeature, KbView, entityDetails, rankRelated } from './kb';
import { Router } from './router';
import { saveNote } from './notes';

const dbs: AttacheDB[] = [];
afterEach(async () => {
  for (const db of dbs.splice(0)) {
    db.close();
    await Dexie.delete(db.name);
  }
});

const src = [{ url: 'https://example.org/source' }];
const person = (id: string, name: string, extra: Partial<Entity> = {}): Entity => ({ id, type: 'person', name, names: { en: [name] }, description: `${name}.`, sources: src, ...extra });
const entities: Entity[] = [
  person('mohammad-bagheri', 'Mohammad Bagheri', { roles: [{ title: 'Chief of Staff', from: '2016-06-28', to: '2025-06-13' }] }),
  person('wei-fenghe', 'Wei Fenghe'),
  person('sergei-shoigu', 'Sergei Shoigu'),
  person('chang-wanquan', 'Chang Wanquan'),
  { id: 'beijing', type: 'place', name: 'Beijing', names: { en: ['Beijing'] }, description: 'Capital.', sources: src },
  { id: 'maritime-security-belt', type: 'exercise', name: 'Maritime Security Belt', names: { en: ['Maritime Security Belt'] }, description: 'Naval drill.', parties: ['iran'], date: '2019-12', sources: src },
  { id: 'memo-2016', type: 'agreement', name: 'Iran-China military cooperation memorandum (2016)', names: { en: ['military cooperation memorandum'] }, description: 'MoU.', date: '2016-11-14', sources: src },
];
const ev = (id: string, date: string, participants: string[], extra: Partial<KbEvent> = {}): KbEvent => ({ id, date, title: id, summary: `${id} summary`, participants, sources: src, ...extra });
const events: KbEvent[] = [
  ev('2019-09-beijing', '2019-09', ['mohammad-bagheri', 'wei-fenghe', 'beijing'], { place: 'beijing' }),
  ev('2021-moscow', '2021-10-18', ['mohammad-bagheri', 'sergei-shoigu']),
  ev('2022-04-27-tehran', '2022-04-27', ['mohammad-bagheri', 'wei-fenghe']),
  ev('2016-11-14-memo', '2016-11-14', ['chang-wanquan', 'wei-fenghe'], { links: ['memo-2016'] }),
  ev('2016-11-14-bagheri-memo', '2016-11-13', ['mohammad-bagheri'], { links: ['memo-2016'] }),
];

async function seeded(): Promise<AttacheDB> {
  const db = new AttacheDB(`attache-kb-${Math.random().toString(36).slice(2)}`);
  dbs.push(db);
  await db.entities.bulkPut(entities);
  await db.events.bulkPut(events);
  return db;
}

describe('related actors', () => {
  it('ranks co-participants by shared events and leaves out places', () => {
    const refs = new Map(entities.map((e) => [e.id, { id: e.id, name: e.name, type: e.type }]));
    const related = rankRelated('mohammad-bagheri', events, (id) => refs.get(id));
    expect(related.map((r) => [r.id, r.shared])).toEqual([
      ['wei-fenghe', 2],
      ['sergei-shoigu', 1],
    ]);
  });
});

describe('entity details', () => {
  it('gives the timeline newest first, agreements, exercises, readings and notes', async () => {
    const db = await seeded();
    await db.readings.add({ page: 'https://a.example/1', url: 'https://a.example/1', title: 'Old read', visitedAt: '2026-01-01T00:00:00Z', entities: ['mohammad-bagheri'] });
    await db.readings.add({ page: 'https://a.example/2', url: 'https://a.example/2', title: 'Unrelated', visitedAt: '2026-02-01T00:00:00Z', entities: ['wei-fenghe'] });
    const note = await saveNote(db, {
      page: 'https://a.example/1', url: 'https://a.example/1', title: 'Old read',
      quote: { type: 'TextQuoteSelector', exact: 'Bagheri', prefix: '', suffix: '' },
      position: { type: 'TextPositionSelector', start: 0, end: 7 },
      comment: '', tags: [], entities: ['mohammad-bagheri'],
    });
    const d = await entityDetails(db, new KbView(db, Promise.resolve()), 'mohammad-bagheri');
    expect(d.events.map((e) => e.id)).toEqual(['2022-04-27-tehran', '2021-moscow', '2019-09-beijing', '2016-11-14-bagheri-memo']);
    expect(d.events[2]?.participants.map((p) => p.name)).toEqual(['Wei Fenghe', 'Beijing']);
    expect(d.events[2]?.place?.name).toBe('Beijing');
    expect(d.agreements.map((a) => a.id)).toEqual(['memo-2016']);
    expect(d.exercises).toEqual([]);
    expect(d.related[0]).toMatchObject({ id: 'wei-fenghe', shared: 2 });
    expect(d.readings.map((r) => r.title)).toEqual(['Old read']);
    expect(d.notes.map((n) => n.id)).toEqual([note.id]);
    expect(d.roles).toEqual([{ title: 'Chief of Staff', from: '2016-06-28', to: '2025-06-13' }]);
  });

  it('answers not-found for an unknown id', async () => {
    const db = await seeded();
    await expect(entityDetails(db, new KbView(db, Promise.resolve()), 'nobody')).rejects.toMatchObject({ code: 'not-found' });
  });
});

describe('user entities', () => {
  it('adds a user entity, signals kbChanged, and finds it by search; an existing name is not duplicated', async () => {
    const db = await seeded();
    const ctx = createContext(db, Promise.resolve());
    let changed = 0;
    ctx.onKbChanged(() => changed++);
    const r = new Router('chrome-extension://x/').register(kbFeature(ctx));
    const sender = { url: 'chrome-extension://x/popup.html' };
    const add = await r.dispatch({ rpc: 1, method: 'kb.addUserEntity', params: { name: 'Ali Akbar Ahmadian', type: 'person', sourceUrl: 'https://news.example/a', lang: 'en' } }, sender);
    expect(add).toMatchObject({ ok: true, value: { id: 'ali-akbar-ahmadian' } });
    expect(changed).toBe(1);
    const stored = await db.userEntities.get('ali-akbar-ahmadian');
    expect(stored).toMatchObject({ type: 'person', sources: [{ url: 'https://news.example/a' }], description: 'Person named in “news.example”, added by you.' });
    expect(stored?.modified).toMatch(/^\d{4}-\d\d-\d\dT/);
    const hits = await r.dispatch({ rpc: 1, method: 'kb.search', params: { query: 'ahmad' } }, sender);
    expect(hits).toMatchObject({ ok: true, value: [{ id: 'ali-akbar-ahmadian', user: true }] });
    const unknown = await r.dispatch({ rpc: 1, method: 'kb.unknownNames', params: { names: ['Ali Akbar Ahmadian', 'Wei Fenghe', 'Ebrahim Raisi'] } }, sender);
    expect(unknown).toMatchObject({ ok: true, value: ['Ebrahim Raisi'] });
    const again = await r.dispatch({ rpc: 1, method: 'kb.addUserEntity', params: { name: 'wei fenghe', type: 'person', sourceUrl: 'https://news.example/a' } }, sender);
    expect(again).toMatchObject({ ok: true, value: { id: 'wei-fenghe' } });
    expect(await db.userEntities.count()).toBe(1);
    const fromPage = await r.dispatch({ rpc: 1, method: 'kb.addUserEntity', params: { name: 'X', type: 'person', sourceUrl: 'https://news.example/a' } }, { url: 'https://news.example/a', tab: { id: 3, index: 0, highlighted: false, active: true, pinned: false, incognito: false } });
    expect(fromPage).toMatchObject({ ok: false, error: { code: 'forbidden' } });
  });
});
