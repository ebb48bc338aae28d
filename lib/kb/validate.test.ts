import { describe, expect, it } from 'vitest';
import { bundledKb } from '../../assets/kb';
import { slugify, validateKb } from './validate';

const person = {
  id: 'mohammad-bagheri',
  type: 'person',
  name: 'Mohammad Bagheri',
  names: { en: ['Mohammad Bagheri'] },
  description: 'Chief of Staff of the Iranian Armed Forces.',
  sources: [{ url: 'https://en.wikipedia.org/wiki/Mohammad_Bagheri' }],
};

describe('validateKb', () => {
  it('accepts the bundled knowledge base', () => {
    expect(validateKb(bundledKb())).toEqual([]);
  });

  it('reports a missing source with its path', () => {
    const { sources: _, ...noSource } = person;
    expect(validateKb({ entities: [noSource], events: [] })).toContainEqual({
      path: 'entities[0].sources',
      message: 'is required (at least one source)',
    });
  });

  it('lets countries go without a source', () => {
    const iran = { id: 'iran', type: 'country', name: 'Iran', names: { en: ['Iran'] }, description: 'Country in West Asia.' };
    expect(validateKb({ entities: [iran], events: [] })).toEqual([]);
  });

  it('reports every problem of an event: date format, unknown participant, no source', () => {
    const event = { id: '2019-09-visit', date: '11/09/2019', title: 'Visit', summary: 'A visit.', participants: ['nobody'], sources: [] };
    const problems = validateKb({ entities: [person], events: [event] });
    expect(problems.map((p) => p.path)).toEqual(['events[0].date', 'events[0].sources', 'events[0].participants[0]']);
  });

  it('rejects an event with month precision missing', () => {
    const event = { id: 'e', date: '2019', title: 'T', summary: 'S', participants: ['mohammad-bagheri'], sources: [{ url: 'https://example.org/' }] };
    expect(validateKb({ entities: [person], events: [event] }).map((p) => p.path)).toEqual(['events[0].date']);
  });

  it('reports duplicate ids, unknown types and languages, roles that end before they start', () => {
    const bad = {
      ...person,
      type: 'general',
      names: { en: ['X'], de: ['Y'] },
      roles: [{ title: 'Chief', from: '2020-01-01', to: '2019-01-01', office: 'ir.chief-of-staff' }],
    };
    const paths = validateKb({ entities: [person, bad] }).map((p) => p.path);
    expect(paths).toEqual(['entities[1].type', 'entities[1].names.de', 'entities[1].roles[0].to', 'entities[1].id']);
  });

  it('accepts references to ids known from elsewhere (packs over the bundled KB)', () => {
    const event = { id: 'e', date: '2019-09', title: 'T', summary: 'S', participants: ['china'], sources: [{ corpus: 'text/000_fr_baqeri_beijing.txt' }] };
    expect(validateKb({ entities: [], events: [event] }, new Set(['china']))).toEqual([]);
  });

  it('is not an object', () => {
    expect(validateKb([])).toEqual([{ path: '$', message: 'must be an object with "entities" and "events" arrays' }]);
  });
});

describe('slugify', () => {
  it('makes ids from names', () => {
    expect(slugify('Mohammad-Reza Gharaei Ashtiani')).toBe('mohammad-reza-gharaei-ashtiani');
    expect(slugify('Iran–China 25-year cooperation agreement')).toBe('iran-china-25-year-cooperation-agreement');
    expect(slugify('Sukhoi Su-75 Checkmate')).toBe('sukhoi-su-75-checkmate');
  });
});
