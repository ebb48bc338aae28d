import { describe, expect, it } from 'vitest';
import { bundledKb } from '../../assets/kb';
import type { Entity, KbEvent } from '../kb/schema';
import { browseEntities, browseEvents } from './browse';
import { buildGraph, relatedActors, type GraphEntity, type KbSlice } from './graph';
import { linkingEvents, pagePairs } from './page-links';
import { groupByYear } from './timeline';
import { eventInWindow, shortDate } from './years';

const src = [{ url: 'https://example.org/a' }];
const ent = (id: string, type: GraphEntity['type'], extra: Partial<GraphEntity> = {}): GraphEntity => ({ id, name: id.toUpperCase(), type, ...extra });
const ev = (id: string, date: string, participants: string[], extra: Partial<KbEvent> = {}): KbEvent => ({ id, date, title: id, summary: id, participants, sources: src, ...extra });

function slice(entities: GraphEntity[], events: KbEvent[]): KbSlice {
  return { entities: new Map(entities.map((e) => [e.id, e])), events };
}

const small = slice(
  [
    ent('a', 'person'),
    ent('b', 'person'),
    ent('c', 'person'),
    ent('d', 'person'),
    ent('org', 'organization'),
    ent('x', 'country'),
    ent('city', 'place'),
    ent('deal', 'agreement', { parties: ['a', 'x'], date: '2020-05' }),
  ],
  [
    ev('e1', '2019-03', ['a', 'b', 'x'], { place: 'city' }),
    ev('e2', '2020-07-01', ['a', 'b']),
    ev('e3', '2021-01-02', ['a', 'c'], { links: ['deal'] }),
    ev('e4', '2021-06', ['b', 'org']),
    ev('e5', '2022-02', ['c', 'org']),
    ev('e6', '2022-03', ['d', 'org']),
  ],
);

describe('buildGraph', () => {
  it('weighs edges by the number of shared events', () => {
    const g = buildGraph('a', small, { depth: 1 });
    const edge = (s: string, t: string) => g.edges.find((e) => e.id === [s, t].sort().join('|'));
    expect(edge('a', 'b')?.weight).toBe(2);
    expect(edge('a', 'b')?.events).toEqual(['e2', 'e1']);
    expect(edge('a', 'c')?.weight).toBe(1);
    expect(edge('b', 'x')?.weight).toBe(1);
    // Places are not drawn; the agreement is linked both by the event and as a declared party.
    expect(g.nodes.map((n) => n.id)).not.toContain('city');
    expect(edge('a', 'deal')).toMatchObject({ weight: 1, party: true });
    expect(g.nodes.find((n) => n.id === 'a')).toMatchObject({ ring: 0, weight: 3 });
  });

  it('adds ring-2 entities reached through at least two ring-1 actors', () => {
    const g = buildGraph('a', small);
    // org shares events with b and c (ring 1), never with a.
    expect(g.nodes.find((n) => n.id === 'org')).toMatchObject({ ring: 2, weight: 2 });
    expect(g.edges.find((e) => e.id === 'b|org')?.weight).toBe(1);
    // d is only reachable through org, which is not followed.
    expect(g.nodes.map((n) => n.id)).not.toContain('d');
    expect(buildGraph('a', small, { minSecondRingLinks: 3 }).nodes.map((n) => n.id)).not.toContain('org');
  });

  it('filters by years: edges, weights, ring 2 and party links all follow the window', () => {
    const g = buildGraph('a', small, { years: { from: 2020, to: 2020 } });
    expect(g.events.map((e) => e.id)).toEqual(['e2']);
    expect(g.edges.find((e) => e.id === 'a|b')?.weight).toBe(1);
    expect(g.nodes.map((n) => n.id).sort()).toEqual(['a', 'b', 'deal']);
    const later = buildGraph('a', small, { years: { from: 2022 } });
    expect(later.nodes.map((n) => n.id)).toEqual(['a']);
  });

  it('orders related actors by shared events, then by name', () => {
    const s = slice(
      [ent('f', 'person'), ent('zed', 'person'), ent('amy', 'person'), ent('bob', 'person'), ent('org', 'organization')],
      [ev('1', '2020-01', ['f', 'zed', 'bob']), ev('2', '2020-02', ['f', 'zed']), ev('3', '2020-03', ['f', 'amy', 'org']), ev('4', '2020-04', ['f', 'bob'])],
    );
    const names = relatedActors(buildGraph('f', s)).map((n) => `${n.id}:${n.weight}`);
    expect(names).toEqual(['bob:2', 'zed:2', 'amy:1', 'org:1']);
  });

  it('links Mohammad Bagheri to Shoigu, Wei Fenghe and (through them) the SCO in the bundled KB', () => {
    const kb = bundledKb();
    const g = buildGraph('mohammad-bagheri', { entities: new Map(kb.entities.map((e) => [e.id, e])), events: kb.events });
    const ring = (id: string) => g.nodes.find((n) => n.id === id)?.ring;
    expect(ring('sergei-shoigu')).toBe(1);
    expect(ring('wei-fenghe')).toBe(1);
    expect(ring('shanghai-cooperation-organisation')).toBe(2);
    expect(g.edges.find((e) => e.id === 'mohammad-bagheri|sergei-shoigu')?.weight).toBe(4);
    expect(relatedActors(g)[0]?.id).toBe('iran');
  });
});

describe('groupByYear', () => {
  it('groups newest year first, newest event first within a year, inside the window', () => {
    const groups = groupByYear(small.events, { to: 2021 });
    expect(groups.map((g) => g.year)).toEqual([2021, 2020, 2019]);
    expect(groups[0]?.events.map((e) => e.id)).toEqual(['e4', 'e3']);
  });
  it('counts an event spanning New Year in the window of either year', () => {
    const e = ev('ny', '2019-12-28', ['a'], { endDate: '2020-01-03' });
    expect(eventInWindow(e, { from: 2020, to: 2020 })).toBe(true);
    expect(groupByYear([e], { from: 2020 }).map((g) => g.year)).toEqual([2019]);
  });
});

describe('page links', () => {
  const entities = new Map<string, GraphEntity>([
    ['bagheri', ent('bagheri', 'person', { name: 'Mohammad Bagheri', short: { en: ['Bagheri'] } })],
    ['shoigu', ent('shoigu', 'person', { name: 'Sergei Shoigu', short: { en: ['Shoigu'] } })],
    ['salami', ent('salami', 'person', { name: 'Hossein Salami' })],
    ['iran', ent('iran', 'country', { name: 'Iran' })],
    ['russia', ent('russia', 'country', { name: 'Russia' })],
    ['moscow', ent('moscow', 'place', { name: 'Moscow' })],
  ]);
  const events = [
    ev('m', '2021-10-19', ['bagheri', 'shoigu', 'iran', 'russia'], { title: 'Bagheri meets Shoigu', place: 'moscow' }),
    ev('k', '2025-06-13', ['bagheri', 'salami', 'iran'], { title: 'Israel kills Bagheri and Salami', place: 'moscow' }),
    ev('c', '2022-01', ['iran', 'russia', 'shoigu']),
  ];
  it('tells meetings as "met in", other events by their title, and ignores links made only by countries', () => {
    const links = linkingEvents(['bagheri', 'shoigu', 'salami', 'iran', 'russia'], events, entities, { ignore: new Set(['iran', 'russia']) });
    expect(links.map((l) => l.sentence)).toEqual(['Bagheri and Hossein Salami: Israel kills Bagheri and Salami (Moscow, Jun 2025)', 'Bagheri and Shoigu met in Moscow, Oct 2021']);
    expect(pagePairs(links).map((p) => `${p.a}|${p.b}:${p.events.length}`)).toEqual(['bagheri|salami:1', 'bagheri|shoigu:1']);
  });
  it('formats short dates', () => {
    expect(shortDate('2021-10')).toBe('Oct 2021');
    expect(shortDate('2021-10-19', { day: true })).toBe('19 Oct 2021');
    expect(shortDate('2021')).toBe('2021');
  });
});

describe('browse', () => {
  const kb = bundledKb();
  it('finds who held an office in a year window', () => {
    const ids = browseEntities(kb.entities as Entity[], kb.events, { office: 'ru.defence-minister', years: { from: 2021, to: 2021 } }).map((e) => e.id);
    expect(ids).toEqual(['sergei-shoigu']);
  });
  it('matches text over names in any language, and combines type and country', () => {
    const hits = browseEntities(kb.entities, kb.events, { text: 'شويغو' }).map((e) => e.id);
    expect(hits).toContain('sergei-shoigu');
    const cn = browseEntities(kb.entities, kb.events, { type: 'person', country: 'china' });
    expect(cn.length).toBeGreaterThan(3);
    expect(cn.every((e) => e.type === 'person' && e.country === 'china')).toBe(true);
  });
  it('filters events by year window and participant, newest first', () => {
    const evs = browseEvents(kb.events, { entity: 'mohammad-bagheri', years: { from: 2021, to: 2021 } });
    expect(evs.map((e) => e.id)).toEqual(['2021-10-19-bagheri-meets-shoigu', '2021-10-18-bagheri-meets-gerasimov', '2021-10-17-bagheri-visit-to-moscow']);
  });
});

describe('radialLayout', () => {
  it('puts the focus in the centre, ring 1 on one circle and ring 2 outside, next to the actors that lead to it', async () => {
    const { radialLayout } = await import('./layout');
    const g = buildGraph('a', small);
    const pos = radialLayout(g);
    const r = (id: string) => Math.hypot(pos.get(id)!.x, pos.get(id)!.y);
    expect(pos.get('a')).toEqual({ x: 0, y: 0 });
    const ring1 = g.nodes.filter((n) => n.ring === 1).map((n) => r(n.id));
    expect(Math.max(...ring1) - Math.min(...ring1)).toBeLessThan(1e-6);
    expect(r('org')).toBeGreaterThan(ring1[0]! + 50);
    // org is linked to b and c only: it lies closer to them than to any other ring-1 node.
    const d = (x: string, y: string) => Math.hypot(pos.get(x)!.x - pos.get(y)!.x, pos.get(x)!.y - pos.get(y)!.y);
    const others = g.nodes.filter((n) => n.ring === 1 && n.id !== 'b' && n.id !== 'c').map((n) => d('org', n.id));
    expect(Math.min(d('org', 'b'), d('org', 'c'))).toBeLessThan(Math.min(...others));
  });
  it('keeps every node apart in the bundled graph of Mohammad Bagheri', async () => {
    const { radialLayout } = await import('./layout');
    const kb = bundledKb();
    const g = buildGraph('mohammad-bagheri', { entities: new Map(kb.entities.map((e) => [e.id, e])), events: kb.events });
    const pts = [...radialLayout(g).values()];
    expect(pts.length).toBe(g.nodes.length);
    for (let i = 0; i < pts.length; i++) for (let j = i + 1; j < pts.length; j++) expect(Math.hypot(pts[i]!.x - pts[j]!.x, pts[i]!.y - pts[j]!.y)).toBeGreaterThan(30);
  });
});
