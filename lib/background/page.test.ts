import Dexie from 'dexie';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { AttacheDB } from '../kb/db';
import { seedKb } from '../kb/seed';
import type { KnowledgeBase } from '../kb/schema';
import type { Sender } from './router';
import { createContext, type BackgroundContext } from './context';
import { createEngineService, MATCHER_CACHE_KEY, type EngineService } from './engine-service';
import { matchEngineFactory } from './match-engine';
import { unpackSpans } from '../messaging/packed-spans';
import { pageFeature, roleLine, validateMatchRequest } from './page';
import { settingsFeature, validateSettingsPatch, writeSettings } from './settings';
import { TabStore } from './tabs';

const src = [{ url: 'https://example.org/source' }];
const KB: KnowledgeBase = {
  version: 'test-1',
  entities: [
    { id: 'iran', type: 'country', name: 'Iran', names: { en: ['Iran'], ar: ['إيران'] }, description: 'Country.' },
    { id: 'china', type: 'country', name: 'China', names: { en: ['China'], fr: ['Chine'] }, description: 'Country.' },
    {
      id: 'wei-fenghe',
      type: 'person',
      name: 'Wei Fenghe',
      names: { en: ['Wei Fenghe'] },
      short: { en: ['Wei'] },
      shortNeedsFullName: true,
      description: 'Chinese general.',
      country: 'china',
      roles: [{ title: 'Minister of National Defense of China', office: 'cn.defence-minister', from: '2018-03-19', to: '2023-03-12' }],
      sources: src,
    },
    {
      id: 'dong-jun',
      type: 'person',
      name: 'Dong Jun',
      names: { en: ['Dong Jun'] },
      description: 'Chinese admiral.',
      country: 'china',
      roles: [{ title: 'Minister of National Defense of China', office: 'cn.defence-minister', from: '2023-12-29' }],
      sources: src,
    },
  ],
  events: [
    { id: '2019-01-01-a', date: '2019-01-01', title: 'A', summary: 'a', participants: ['wei-fenghe', 'iran'], sources: src },
    { id: '2022-04-27-b', date: '2022-04-27', title: 'B', summary: 'b', participants: ['wei-fenghe'], place: 'iran', sources: src },
    { id: '2020-05-01-c', date: '2020-05-01', title: 'C', summary: 'c', participants: ['iran'], links: ['wei-fenghe'], sources: src },
    { id: '2018-05-01-d', date: '2018-05-01', title: 'D', summary: 'd', participants: ['wei-fenghe'], sources: src },
    { id: '2024-01-01-e', date: '2024-01-01', title: 'E', summary: 'e', participants: ['dong-jun'], sources: src },
  ],
};

let db: AttacheDB;
let ctx: BackgroundContext;
let engines: EngineService;
let tabs: TabStore;
const names: string[] = [];

beforeEach(async () => {
  const name = `attache-page-${Math.random().toString(36).slice(2)}`;
  names.push(name);
  db = new AttacheDB(name);
  ctx = createContext(db, seedKb(db, KB).then(() => undefined));
  engines = createEngineService(ctx, matchEngineFactory);
  tabs = new TabStore();
});
afterEach(async () => {
  await ctx.kbReady;
  await new Promise((r) => setTimeout(r, 20)); // let background writes (cache, reading log) finish
  db.close();
  await Promise.all(names.splice(0).map((n) => Dexie.delete(n)));
});

const tabSender = (id: number, incognito = false): Sender => ({ tab: { id, index: 0, incognito } as Sender['tab'], url: 'https://news.example/a' });
const request = (text: string, extra: object = {}) => ({ docId: 'doc-1', url: 'https://news.example/a?utm_source=x', title: 'A page', text, offset: 0, ...extra });

describe('validateMatchRequest', () => {
  it('accepts a well-formed request', () => {
    expect(validateMatchRequest(request('Iran', { lang: 'en', pageDate: { date: '2022-04-28', source: 'meta' } }))).toMatchObject({ docId: 'doc-1', lang: 'en' });
  });
  it.each([
    ['no text', { ...request('x'), text: undefined }, 'invalid'],
    ['huge text', request('x'.repeat(2_000_001)), 'too-large'],
    ['odd docId', request('x', { docId: '../../etc' }), 'invalid'],
    ['javascript: url', request('x', { url: 'javascript:alert(1)' }), 'invalid'],
    ['long url', request('x', { url: `https://a.example/${'a'.repeat(9000)}` }), 'too-large'],
    ['bad page date', request('x', { pageDate: { date: '28/04/2022', source: 'meta' } }), 'invalid'],
    ['unknown date source', request('x', { pageDate: { date: '2022-04-28', source: 'rumour' } }), 'invalid'],
    ['negative offset', request('x', { offset: -1 }), 'invalid'],
    ['date hints that are not lists', request('x', { dateHints: { meta: 'x', jsonLd: [], times: [], lines: [] } }), 'invalid'],
    ['oversized JSON-LD hint', request('x', { dateHints: { meta: [], jsonLd: ['x'.repeat(50_001)], times: [], lines: [] } }), 'invalid'],
    ['too many meta hints', request('x', { dateHints: { meta: Array(41).fill('2024-04-26'), jsonLd: [], times: [], lines: [] } }), 'too-large'],
  ])('refuses %s', (_, params, code) => {
    expect(() => validateMatchRequest(params)).toThrow(expect.objectContaining({ code }));
  });
});

describe('page dates from the page\'s hints', () => {
  it('parses the hints in the background and resolves role mentions at that date', async () => {
    const feature = pageFeature(ctx, engines, tabs);
    const hints = { meta: [], jsonLd: ['{"@type":"NewsArticle","datePublished":"2022-04-28T09:00:00Z"}'], times: [], lines: [] };
    const params = validateMatchRequest(request("China's defence minister arrived.", { dateHints: hints }));
    const answer = await feature['page.match'].handle(params, tabSender(9));
    const role = unpackSpans(answer.spans).find((s) => s.via === 'role');
    expect(role).toMatchObject({ id: 'wei-fenghe', role: { date: '2022-04-28', dateSource: 'json-ld' } });
  });
});

describe('roleLine', () => {
  it('names the role held on the date, else the latest', () => {
    const wei = KB.entities[2]!;
    expect(roleLine(wei, '2022-04-28')).toBe('Minister of National Defense of China (2018-03-19 – 2023-03-12)');
    expect(roleLine(KB.entities[3]!, '2025-01-01')).toBe('Minister of National Defense of China (since 2023-12-29)');
    expect(roleLine(KB.entities[0]!, '2025-01-01')).toBeUndefined();
  });

  it('orders roles by start, whatever their precision and order in the KB', () => {
    const roles = [
      { title: 'B', from: '2023' },
      { title: 'C', from: '2023-12-29', to: '2024-02' },
      { title: 'A', from: '2019-03', to: '2022-12-31' },
    ];
    const person = { ...KB.entities[3]!, roles };
    // Nothing held on the date: the latest start.
    expect(roleLine(person, '2018-01-01')).toBe('C (2023-12-29 – 2024-02)');
    // Two held (B has no end): the later start wins.
    expect(roleLine(person, '2024-01-15')).toBe('C (2023-12-29 – 2024-02)');
    expect(roleLine(person, '2023-06-01')).toBe('B (since 2023)');
    expect(roleLine(person, '2020-06-01')).toBe('A (2019-03 – 2022-12-31)');
  });
});

describe('page.match', () => {
  it('matches, keeps per-tab state under the sender tab, and logs the visit', async () => {
    const feature = pageFeature(ctx, engines, tabs);
    const params = validateMatchRequest(request('Wei Fenghe visited Iran.', { pageDate: { date: '2022-04-28', source: 'meta' } }));
    const answer = await feature['page.match'].handle(params, tabSender(7));
    expect(unpackSpans(answer.spans).map((s) => s.id)).toEqual(['wei-fenghe', 'iran']);
    expect(answer.entities['wei-fenghe']).toMatchObject({ name: 'Wei Fenghe', country: 'China', roleLine: expect.stringContaining('2018-03-19') });

    // Later text of the same document: the surname resolves against the full name seen before.
    const later = await feature['page.match'].handle(validateMatchRequest(request('Wei said so.', { offset: 30 })), tabSender(7));
    expect(unpackSpans(later.spans).map((s) => [s.id, s.via])).toEqual([['wei-fenghe', 'short']]);

    const state = await feature['tab.state'].handle({ tabId: 7 }, {});
    expect(state?.entities).toEqual([
      { id: 'wei-fenghe', name: 'Wei Fenghe', type: 'person', count: 2 },
      { id: 'iran', name: 'Iran', type: 'country', count: 1 },
    ]);
    expect(await feature['tab.state'].handle({ tabId: 8 }, {})).toBeNull();
    await expect.poll(() => db.readings.count()).toBe(1);
    const reading = (await db.readings.toArray())[0]!;
    expect(reading.page).toBe('https://news.example/a');
    await expect.poll(async () => (await db.readings.get(reading.id!))?.entities.sort()).toEqual(['iran', 'wei-fenghe']);
  });

  it('a new docId starts a new document (counts reset, surname alone not resolved)', async () => {
    const feature = pageFeature(ctx, engines, tabs);
    await feature['page.match'].handle(validateMatchRequest(request('Wei Fenghe')), tabSender(3));
    const fresh = await feature['page.match'].handle(validateMatchRequest(request('Wei said so.', { docId: 'doc-2' })), tabSender(3));
    expect(unpackSpans(fresh.spans)).toEqual([]);
    expect((await feature['tab.state'].handle({ tabId: 3 }, {}))?.entities).toEqual([]);
  });

  it('runs one tab\'s calls in the order they were sent, even when the first one waits longer', async () => {
    const feature = pageFeature(ctx, engines, tabs);
    // The first call finds no engine yet (it builds it); the second, sent at once, must still see
    // the full name the first one found.
    const first = feature['page.match'].handle(validateMatchRequest(request('Wei Fenghe visited Iran.\n')), tabSender(5));
    const second = feature['page.match'].handle(validateMatchRequest(request('Wei said so.', { offset: 26 })), tabSender(5));
    const other = feature['page.match'].handle(validateMatchRequest(request('Wei said so.', { docId: 'doc-x' })), tabSender(6));
    expect(unpackSpans((await second).spans).map((s) => [s.id, s.via])).toEqual([['wei-fenghe', 'short']]);
    expect(unpackSpans((await first).spans).map((s) => s.id)).toEqual(['wei-fenghe', 'iran']);
    // Another tab has its own queue and document.
    expect(unpackSpans((await other).spans)).toEqual([]);
    const state = await feature['tab.state'].handle({ tabId: 5 }, {});
    expect(state?.entities.find((e) => e.id === 'wei-fenghe')?.count).toBe(2);
  });

  it('a failed call does not block the tab\'s later calls', async () => {
    const failing = { ...engines, get: vi.fn().mockRejectedValueOnce(new Error('engine broke')).mockImplementation(() => engines.get()) };
    const feature = pageFeature(ctx, failing, tabs);
    const a = feature['page.match'].handle(validateMatchRequest(request('Iran')), tabSender(4));
    const b = feature['page.match'].handle(validateMatchRequest(request('Iran')), tabSender(4));
    await expect(a).rejects.toThrow('engine broke');
    expect(unpackSpans((await b).spans).map((s) => s.id)).toEqual(['iran']);
  });

  it('is refused outside a tab', async () => {
    const feature = pageFeature(ctx, engines, tabs);
    await expect(feature['page.match'].handle(validateMatchRequest(request('Iran')), {})).rejects.toMatchObject({ code: 'forbidden' });
  });

  it('does not log visits with the reading log off, nor incognito ones', async () => {
    const feature = pageFeature(ctx, engines, tabs);
    await writeSettings(db, { readingLog: false });
    await feature['page.match'].handle(validateMatchRequest(request('Iran')), tabSender(1));
    await writeSettings(db, { readingLog: true });
    await feature['page.match'].handle(validateMatchRequest(request('Iran', { docId: 'doc-9' })), tabSender(2, true));
    await new Promise((r) => setTimeout(r, 50));
    expect(await db.readings.count()).toBe(0);
  });
});

describe('entity.card', () => {
  it('gives the three most recent linked events (participant or link), with names', async () => {
    const feature = pageFeature(ctx, engines, tabs);
    const card = await feature['entity.card'].handle({ id: 'wei-fenghe' }, {});
    expect(card.events.map((e) => e.id)).toEqual(['2022-04-27-b', '2020-05-01-c', '2019-01-01-a']);
    expect(card.events[0]!.place).toEqual({ id: 'iran', name: 'Iran' });
    expect(card.roles[0]).toMatchObject({ office: 'cn.defence-minister', from: '2018-03-19' });
    await expect(feature['entity.card'].handle({ id: 'nobody' }, {})).rejects.toMatchObject({ code: 'not-found' });
  });

  it('shows the user version of an entity and events', async () => {
    const feature = pageFeature(ctx, engines, tabs);
    await ctx.kbReady;
    await db.userEntities.put({ ...KB.entities[2]!, description: 'Edited by me.', modified: '2026-01-01T00:00:00Z' });
    await db.userEvents.put({ id: '2025-01-01-mine', date: '2025-01-01', title: 'Mine', summary: 'm', participants: ['wei-fenghe'], sources: src, modified: '2026-01-01T00:00:00Z' });
    ctx.kbChanged();
    const card = await feature['entity.card'].handle({ id: 'wei-fenghe', limit: 1 }, {});
    expect(card).toMatchObject({ description: 'Edited by me.', user: true });
    expect(card.events.map((e) => e.id)).toEqual(['2025-01-01-mine']);
  });
});

describe('engine service', () => {
  it('caches the compiled matcher and a cold start loads it instead of compiling', async () => {
    const warm = await engines.get();
    expect(warm.fromCache).toBe(false);
    await expect.poll(async () => (await db.meta.get(MATCHER_CACHE_KEY))?.value).toBeTruthy();
    // A stopped worker: a fresh service over the same database.
    const cold = await createEngineService(createContext(db, Promise.resolve()), matchEngineFactory).get();
    expect(cold.fromCache).toBe(true);
    const doc = cold.engine.newDocState();
    expect(cold.engine.match('Wei Fenghe met Dong Jun in China.', doc, { url: 'https://x.example/' }).map((s) => s.id)).toEqual(['wei-fenghe', 'dong-jun', 'china']);
  });

  it('rebuilds when the user adds an entity (cache key changes), and the user version wins', async () => {
    await engines.get();
    await db.userEntities.put({ id: 'iran', type: 'country', name: 'Iran', names: { en: ['Iran', 'Persia'] }, description: 'Mine.', modified: '2026-01-01T00:00:00Z' });
    ctx.kbChanged();
    const again = await engines.get();
    expect(again.fromCache).toBe(false);
    expect((await again.entities.get(['iran'])).get('iran')?.description).toBe('Mine.');
    expect(again.engine.match('Persia', again.engine.newDocState(), { url: 'https://x.example/' }).map((s) => s.id)).toEqual(['iran']);
  });

  it('resolves role mentions by the page date', async () => {
    const { engine } = await engines.get();
    const at = (date: string) =>
      engine.match("China's defence minister arrived.", engine.newDocState(), { url: 'https://x.example/', pageDate: { date, source: 'meta' } }).filter((s) => s.via === 'role');
    expect(at('2022-04-28').map((s) => [s.id, s.role?.date, s.role?.dateSource])).toEqual([['wei-fenghe', '2022-04-28', 'meta']]);
    expect(at('2024-06-01').map((s) => s.id)).toEqual(['dong-jun']);
  });

  it('says so when there is no matcher', async () => {
    await expect(createEngineService(ctx, null).get()).rejects.toMatchObject({ code: 'internal' });
  });
});

describe('settings', () => {
  it('has defaults, applies patches, toggles sites and pushes the result to tabs', async () => {
    const feature = settingsFeature(ctx, tabs);
    expect(await feature['settings.get'].handle({}, {})).toMatchObject({ enabled: true, disabledSites: [], style: 'underline-tint', readingLog: true });
    const tab = await fakeBrowser.tabs.create({ url: 'https://www.example.org/a' });
    const sent = vi.spyOn(fakeBrowser.tabs, 'sendMessage').mockResolvedValue(undefined);
    const s = await feature['settings.set'].handle(validateSettingsPatch({ site: { host: 'WWW.example.org', enabled: false }, types: ['person', 'country'], style: 'tint' }), {});
    expect(s).toMatchObject({ disabledSites: ['www.example.org'], types: ['person', 'country'], style: 'tint' });
    expect(sent).toHaveBeenCalledWith(tab.id, { attache: 'settings', settings: s });
    const back = await feature['settings.set'].handle(validateSettingsPatch({ site: { host: 'www.example.org', enabled: true } }), {});
    expect(back.disabledSites).toEqual([]);
    expect((await feature['settings.get'].handle({}, {})).types).toEqual(['person', 'country']);
  });

  it.each([
    [{ enabled: 'yes' }],
    [{ types: ['person', 'spy'] }],
    [{ style: 'blink' }],
    [{ site: { host: 'a b', enabled: true } }],
    [{ surprise: true }],
  ])('refuses %j', (patch) => {
    expect(() => validateSettingsPatch(patch)).toThrow(expect.objectContaining({ code: 'invalid' }));
  });

  it('readings.clear empties the log; readings.list returns the latest first', async () => {
    const feature = settingsFeature(ctx, tabs);
    await db.readings.bulkAdd([
      { page: 'a', url: 'a', title: 'A', visitedAt: '2026-01-01T00:00:00Z', entities: ['iran'] },
      { page: 'b', url: 'b', title: 'B', visitedAt: '2026-02-01T00:00:00Z', entities: [] },
    ]);
    expect((await feature['readings.list'].handle({ limit: 1 }, {})).map((r) => r.page)).toEqual(['b']);
    expect(await feature['readings.clear'].handle({}, {})).toEqual({ deleted: 2 });
    expect(await db.readings.count()).toBe(0);
  });
});
