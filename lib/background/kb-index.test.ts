import { describe, expect, it } from 'vitest';
import type { Entity } from '../kb/schema';
import { fold, NameIndex } from './kb-index';

const entities: Entity[] = [
  {
    id: 'mohammad-bagheri',
    type: 'person',
    name: 'Mohammad Bagheri',
    names: { en: ['Mohammad Bagheri', 'Mohammad Baqeri'], fr: ['Mohammad Bagheri'], ar: ['محمد باقري'], fa: ['محمد باقری'] },
    short: { en: ['Bagheri', 'Baqeri'], ar: ['باقري'] },
    description: 'Chief of Staff of the Armed Forces of Iran.',
  },
  {
    id: 'sergei-shoigu',
    type: 'person',
    name: 'Sergei Shoigu',
    names: { en: ['Sergei Shoigu'], fr: ['Sergueï Choïgou'] },
    description: 'Russian defence minister.',
  },
  {
    id: 'shanghai-cooperation-organisation',
    type: 'organization',
    name: 'Shanghai Cooperation Organisation',
    names: { en: ['Shanghai Cooperation Organisation', 'SCO'], fr: ['Organisation de coopération de Shanghai', 'OCS'], ar: ['منظمة شنغهاي للتعاون'] },
    description: 'Eurasian organisation.',
  },
  { id: 'iran', type: 'country', name: 'Iran', names: { en: ['Iran'], ar: ['إيران'] }, description: 'Country.' },
];

describe('fold', () => {
  it('removes Latin accents and case, and Arabic hamza, tashkeel and tatweel', () => {
    expect(fold('Sergueï CHOÏGOU')).toBe('serguei choigou');
    expect(fold('إيـــران')).toBe(fold('ايران'));
    expect(fold('مُحَمَّد')).toBe('محمد');
    expect(fold('محمد باقری')).toBe('محمد باقري'); // Persian yeh
    expect(fold("People's Liberation-Army")).toBe('people s liberation army');
  });
});

describe('NameIndex.search', () => {
  const index = new NameIndex(entities);

  it('finds by a prefix typed without accents, in any case', () => {
    expect(index.search('choig')[0]?.id).toBe('sergei-shoigu');
    expect(index.search('CHOÏGOU')[0]?.matched).toBe('Sergueï Choïgou');
  });

  it('finds Arabic names written with or without hamza and vowel marks', () => {
    expect(index.search('ايران')[0]?.id).toBe('iran');
    expect(index.search('مُحمد باقري')[0]?.id).toBe('mohammad-bagheri');
    expect(index.search('باقری')[0]?.id).toBe('mohammad-bagheri');
  });

  it('matches tokens in any order and ranks exact names first', () => {
    expect(index.search('bagh moh')[0]?.id).toBe('mohammad-bagheri');
    const sco = index.search('sco');
    expect(sco[0]?.id).toBe('shanghai-cooperation-organisation');
    expect(index.search('zzz')).toEqual([]);
    expect(index.search('   ')).toEqual([]);
  });

  it('lets a user entity replace the bundled one with the same id', () => {
    const withUser = new NameIndex(entities, [{ ...entities[3]!, name: 'Islamic Republic of Iran', names: { en: ['Islamic Republic of Iran'] } }]);
    const hit = withUser.search('islamic republic')[0];
    expect(hit).toMatchObject({ id: 'iran', user: true });
    expect(withUser.search('ايران')).toEqual([]);
    expect(withUser.size).toBe(4);
  });
});

describe('NameIndex.entitiesIn and has', () => {
  const index = new NameIndex(entities);
  it('links full names and acronyms in a selection, not surnames alone or lowercase acronyms', () => {
    expect(index.entitiesIn('Mohammad Baqeri met the SCO delegation in Tehran').map((e) => e.id)).toEqual(['mohammad-bagheri', 'shanghai-cooperation-organisation']);
    expect(index.entitiesIn('Bagheri said the sco was')).toEqual([]);
    expect(index.entitiesIn('وزار محمد باقري إيران').map((e) => e.id)).toEqual(['mohammad-bagheri', 'iran']);
  });
  it('treats fuller forms and titled forms of known people as known', () => {
    expect(index.isUnknown('Mohammad Hossein Baqeri')).toBe(false);
    expect(index.isUnknown('Minister Sergei Shoigu')).toBe(false);
    expect(index.isUnknown('Ali Akbar Ahmadian')).toBe(true);
  });
  it('knows names after folding', () => {
    expect(index.has('MOHAMMAD BAQERI')).toBe(true);
    expect(index.has('Ali Bagheri Kani')).toBe(false);
  });
});
