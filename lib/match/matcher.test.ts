import { describe, expect, it } from 'vitest';
import type { Entity } from '../kb/schema';
import fixture from './fixtures/entities.json';
import { MATCHER_CACHE_FORMAT, Matcher, buildMatcher, newDocState, withinOneEdit } from './matcher';

const entities = fixture.entities as Entity[];
const matcher = buildMatcher(entities);

/** "surface=id" for each span, in order. */
function found(text: string, m: Matcher = matcher, doc = newDocState()): string[] {
  return m.match(text, doc).map((s) => `${text.slice(s.start, s.end)}=${s.id}`);
}

describe('names', () => {
  it('finds names in any language, folded', () => {
    expect(found('TÉHÉRAN: Mohammad Baqeri met Chine officials; محمّد باقري')).toEqual([
      'Mohammad Baqeri=mohammad-bagheri',
      'Chine=china',
      'محمّد باقري=mohammad-bagheri',
    ]);
  });

  it('matches whole tokens only, adjectives included', () => {
    expect(found('Chinese Iranian Chinas الصينية الإيرانية Iranair')).toEqual([]);
  });

  it('treats hyphens as spaces and apostrophes as separators', () => {
    expect(found('Mohammad Reza Ashtiani and Mohammad-Reza Ashtiani; l’Iran, Iran’s')).toEqual([
      'Mohammad Reza Ashtiani=mohammad-reza-gharaei-ashtiani',
      'Mohammad-Reza Ashtiani=mohammad-reza-gharaei-ashtiani',
      'Iran=iran',
      'Iran=iran',
    ]);
  });

  it('does not run a name across a hard separator', () => {
    expect(found('Ebrahim. Raisi')).toEqual(['Raisi=ebrahim-raisi']);
    expect(found('Mohammad\nBagheri')).toEqual([]);
    expect(found('Mohammad (Bagheri)')).toEqual([]);
  });

  it('cuts a name at its first hard separator ("memorandum (2016)")', () => {
    expect(found('the Iran-China military cooperation memorandum was signed')).toContain(
      'Iran-China military cooperation memorandum=iran-china-military-cooperation-memorandum-2016',
    );
  });

  it('keeps the longest part of a name with punctuation, never a lone word', () => {
    const m = buildMatcher([
      ...entities,
      { id: 'op', type: 'event', name: 'Operation True Promise', names: { fr: ['Opération « Vraie Promesse »'] }, description: 'fixture' },
    ]);
    expect(found('Opération « Vraie Promesse »; une Opération', m)).toEqual(['Vraie Promesse=op']);
  });

  it('drops a trailing parenthetical qualifier and keeps abbreviations with dots', () => {
    const m = buildMatcher([
      ...entities,
      { id: 'zolfaghar-missile', type: 'equipment', name: 'Zolfaghar (missile)', names: { en: ['Zolfaghar (missile)'] }, description: 'fixture' },
      { id: 'saint-petersburg', type: 'place', name: 'Saint Petersburg', names: { en: ['St. Petersburg'] }, description: 'fixture' },
      { id: 'us-navy', type: 'organization', name: 'United States Navy', names: { en: ['U.S. Navy'] }, description: 'fixture' },
    ]);
    expect(found('a Zolfaghar fired near St. Petersburg. The U.S. Navy and the U.S. said', m)).toEqual([
      'Zolfaghar=zolfaghar-missile',
      'St. Petersburg=saint-petersburg',
      'U.S. Navy=us-navy',
      'U.S=united-states', // nested: the country named inside the organisation's name
      'U.S=united-states',
    ]);
  });

  it('matches CJK names inside unspaced text', () => {
    expect(found('国防部长魏凤和访问中国')).toEqual(['魏凤和=wei-fenghe', '中国=china']);
  });
});

describe('descriptions written in lower case', () => {
  const m = buildMatcher([
    ...entities,
    { id: 'russian-armed-forces', type: 'organization', name: 'Russian Armed Forces', names: { en: ['Russian Armed Forces'] }, description: 'fixture' },
    { id: 'iran-air', type: 'organization', name: 'Iran Air', names: { en: ['Iran Air'] }, description: 'fixture' },
    { id: 'gaza-strip', type: 'place', name: 'Gaza Strip', names: { fr: ['bande de Gaza'] }, description: 'fixture' },
  ]);

  it('are not the capitalised name ("the Russian armed forces")', () => {
    expect(found('chief of the Russian armed forces', m)).toEqual([]);
    expect(found('chief of the Russian Armed Forces', m)).toEqual(['Russian Armed Forces=russian-armed-forces']);
    expect(found('RUSSIAN ARMED FORCES', m)).toEqual(['RUSSIAN ARMED FORCES=russian-armed-forces']);
  });

  it('give way to the shorter name inside ("Iran air strikes")', () => {
    // (The country inside the airline's name is reported nested, as for any organisation.)
    expect(found('Iran air strikes; Iran Air flights', m)).toEqual(['Iran=iran', 'Iran Air=iran-air', 'Iran=iran']);
  });

  it('accept a name with one capitalised word after the first, and lower-case names as written', () => {
    expect(found('the Islamic republic of Iran', m)).toEqual(['Islamic republic of Iran=iran']);
    expect(found('dans la bande de Gaza', m)).toEqual(['bande de Gaza=gaza-strip']);
  });

  it('only apply to English names (French capitalises the first word only)', () => {
    expect(found('le Corps des gardiens de la révolution islamique', m)).toEqual([
      'Corps des gardiens de la révolution islamique=islamic-revolutionary-guard-corps',
    ]);
  });
});

describe('acronyms', () => {
  it('match all-caps forms of up to 5 letters case-sensitively', () => {
    expect(found('the US and the SCO; OCS, CGRI, IRGC, PLAN')).toEqual([
      'US=united-states',
      'SCO=shanghai-cooperation-organisation',
      'OCS=shanghai-cooperation-organisation',
      'CGRI=islamic-revolutionary-guard-corps',
      'IRGC=islamic-revolutionary-guard-corps',
      'PLAN=people-s-liberation-army-navy',
    ]);
  });

  it('do not match lower or mixed case ("us", "sco-op", "plan")', () => {
    expect(found('Let us plan the sco-op; Us and Sco and Plan.')).toEqual([]);
  });

  it('match dotted abbreviations', () => {
    expect(found('U.S. forces')).toEqual(['U.S=united-states']);
  });
});

describe('Arabic proclitics', () => {
  it('match a name with و ف ب ك ل and article forms, span on the whole token', () => {
    expect(found('والصين بكازاخستان للصين وبكين فإيران وللصين بالصين')).toEqual([
      'والصين=china',
      'بكازاخستان=kazakhstan',
      'للصين=china',
      'وبكين=beijing',
      'فإيران=iran',
      'وللصين=china',
      'بالصين=china',
    ]);
  });

  it('match before a multi-word name', () => {
    expect(found('والاتحاد الروسي وللجمهورية الإسلامية الإيرانية')).toEqual([
      'والاتحاد الروسي=russia',
      'وللجمهورية الإسلامية الإيرانية=iran',
    ]);
  });

  it('do not turn adjectives or other words into names', () => {
    expect(found('الصينية والصينية الإيرانية بالإيرانية صينية')).toEqual([]);
  });

  it('read a proclitic token both ways when it is also a token of a longer name', () => {
    const m = buildMatcher([
      ...entities,
      { id: 'jmc', type: 'organization', name: 'JMC', names: { ar: ['لجنة عسكرية مشتركة بين إيران والصين'] }, description: 'fixture' },
    ]);
    expect(found('تعاون إيران والصين', m)).toEqual(['إيران=iran', 'والصين=china']);
    expect(found('لجنة عسكرية مشتركة بين إيران والصين', m)).toEqual([
      'لجنة عسكرية مشتركة بين إيران والصين=jmc',
      'إيران=iran',
      'والصين=china',
    ]);
  });

  it('only start a name: "محمد وباقري" is not the full name, only the short form', () => {
    const text = 'محمد وباقري';
    expect(matcher.match(text)).toEqual([{ start: 5, end: 11, id: 'mohammad-bagheri', type: 'person', via: 'short' }]);
  });
});

describe('ambiguity', () => {
  it('a longer name of another entity wins over a short form', () => {
    expect(found('Ali Bagheri Kani spoke. Bagheri Kani said. Mohammad Bagheri too.')).toEqual([
      'Ali Bagheri Kani=ali-bagheri-kani',
      'Bagheri Kani=ali-bagheri-kani',
      'Mohammad Bagheri=mohammad-bagheri',
    ]);
  });

  it('a short form counts when the full name is on the page, before or after', () => {
    expect(found('Wei said. Later, Wei Fenghe left. Wei smiled.')).toEqual([
      'Wei=wei-fenghe',
      'Wei Fenghe=wei-fenghe',
      'Wei=wei-fenghe',
    ]);
  });

  it('a shortNeedsFullName short form alone does not count ("Dong", "Wei Wei")', () => {
    expect(found('Dong, the owner, and Wei Wei, the artist.')).toEqual([]);
  });

  it('a unique short form counts alone', () => {
    expect(found('President Raisi said')).toEqual(['Raisi=ebrahim-raisi']);
  });

  it('a short form that is part of another entity’s name needs the full name', () => {
    // "Bagheri" occurs inside "Ali Bagheri Kani": alone it is ambiguous.
    expect(found('General Bagheri said')).toEqual([]);
    expect(found('General Bagheri said. Mohammad Bagheri said.')).toEqual([
      'Bagheri=mohammad-bagheri',
      'Mohammad Bagheri=mohammad-bagheri',
    ]);
  });

  it('a short form goes to the owner named nearest before it', () => {
    const m = buildMatcher([
      ...entities,
      { id: 'hamid-bagheri', type: 'person', name: 'Hamid Bagheri', names: { en: ['Hamid Bagheri'] }, short: { en: ['Bagheri'] }, description: 'fixture' },
    ]);
    expect(found('Mohammad Bagheri and Hamid Bagheri met; Bagheri said', m)).toEqual([
      'Mohammad Bagheri=mohammad-bagheri',
      'Hamid Bagheri=hamid-bagheri',
      'Bagheri=hamid-bagheri',
    ]);
  });

  it('a full name of several entities needs one of them named elsewhere, else is skipped', () => {
    expect(found('Jordan said')).toEqual([]);
    expect(found('The Hashemite Kingdom of Jordan. Jordan said')).toEqual([
      'Hashemite Kingdom of Jordan=jordan',
      'Jordan=jordan',
    ]);
    expect(found('The Jordan River. Jordan said')).toEqual(['Jordan River=jordan-river', 'Jordan=jordan-river']);
  });

  it('keeps full names across chunks of one document (DocState)', () => {
    const doc = newDocState();
    expect(found('Dong Jun arrived.', matcher, doc)).toEqual(['Dong Jun=dong-jun']);
    expect(found('Dong said.', matcher, doc)).toEqual(['Dong=dong-jun']);
    expect(found('Dong said.', matcher, newDocState())).toEqual([]);
  });
});

describe('overlaps', () => {
  it('leftmost-longest, no crossing spans', () => {
    const spans = matcher.match('Islamic Republic of Iran Iran');
    expect(spans.map((s) => [s.start, s.end, s.id])).toEqual([
      [0, 24, 'iran'],
      [25, 29, 'iran'],
    ]);
  });

  it('reports countries nested in an organisation name', () => {
    expect(found('la Commission militaire mixte Iran-Chine')).toEqual([
      'Commission militaire mixte Iran-Chine=iran-china-joint-military-commission',
      'Iran=iran',
      'Chine=china',
    ]);
  });

  it('does not nest names inside a person or a country name', () => {
    expect(found('République islamique d’Iran')).toEqual(['République islamique d’Iran=iran']);
  });
});

describe('reuse', () => {
  it('gives the same spans whatever the matcher matched before (scanner and scratch arrays are reused)', () => {
    const texts = [
      'la Commission militaire mixte Iran-Chine; Dong said. Dong Jun arrived, Dong said.',
      'General Mohammad Reza Ashtinai said, then Islamic Republic of Iran Iran',
      'Mohammad Baqeri met Chine officials; محمّد باقري. '.repeat(300),
      '',
      'Dong said.',
    ];
    const fresh = texts.map((t) => buildMatcher(entities).match(t));
    const reused = buildMatcher(entities);
    for (const order of [[0, 1, 2, 3, 4], [2, 4, 0, 3, 1, 2, 0]]) {
      for (const i of order) expect(reused.match(texts[i]!)).toEqual(fresh[i]);
    }
    expect(fresh[0]!.map((s) => s.via)).toEqual(['name', 'name', 'name', 'short', 'name', 'short']);
    expect(fresh[1]!.some((s) => s.via === 'fuzzy')).toBe(true);
  });

  it('carries full names across chunks the same way as one call per chunk on a fresh matcher', () => {
    const chunks = ['Dong Jun arrived.', 'Iran-Chine', 'Dong said.', 'la Commission militaire mixte Iran-Chine', 'Dong said.'];
    const reused = buildMatcher(entities);
    reused.match('Dong Jun and Iran, '.repeat(100)); // another document first
    const doc = newDocState();
    const docFresh = newDocState();
    for (const c of chunks) expect(reused.match(c, doc)).toEqual(buildMatcher(entities).match(c, docFresh));
    expect([...doc.named]).toEqual([...docFresh.named]);
  });
});

describe('offsets', () => {
  it('are UTF-16 offsets into the original text (combining marks, emoji)', () => {
    const text = '🇮🇷🇨🇳 Pe\u0301kin — 😀Mohammad Bagheri, إيرَان';
    const spans = matcher.match(text);
    expect(spans.map((s) => text.slice(s.start, s.end))).toEqual(['Pe\u0301kin', 'Mohammad Bagheri', 'إيرَان']);
    expect(spans[0]!.start).toBe(9);
  });

  it('returns the MatchSpan shape', () => {
    expect(matcher.match('Iran')).toEqual([{ start: 0, end: 4, id: 'iran', type: 'country', via: 'name' }]);
  });
});

describe('fuzzy', () => {
  it('matches a long name token one edit away next to another token of the name', () => {
    const text = 'General Mohammad Reza Ashtinai said';
    const spans = matcher.match(text);
    expect(spans.map((s) => [text.slice(s.start, s.end), s.id, s.via])).toEqual([
      ['Mohammad Reza Ashtinai', 'mohammad-reza-gharaei-ashtiani', 'fuzzy'],
    ]);
  });

  it('matches a typo in the first token of a name, next to the rest of the name', () => {
    const text = 'Yesterday Mohamad Bagheri said';
    const spans = matcher.match(text);
    expect(spans.filter((s) => s.via === 'fuzzy').map((s) => [text.slice(s.start, s.end).startsWith('Mohamad'), s.id])).toEqual([
      [true, 'mohammad-bagheri'],
    ]);
  });

  it('does not match a typo alone, a short token or a lower-case word', () => {
    expect(found('Ashtinai said')).toEqual([]);
    expect(found('Reza ashtinai said')).toEqual([]);
    expect(found('Mohammad Rezo said')).toEqual([]);
  });

  it('extends a fuzzy match over the rest of the name up to 120 characters away, as one window would', () => {
    // Long name tokens: the extension reaches beyond the narrower window tried first, on either side.
    const long = ['Aaaaaaaaaaaaaaaaaaaa', 'Bbbbbbbbbbbbbbbbbbbb', 'Cccccccccccccccccccc', 'Dddddddddddddddddddd', 'Eeeeeeeeeeeeeeeeeeee'];
    const person = (id: string, name: string) => buildMatcher([{ id, type: 'person', name, description: 'test' } as Entity]);
    const before = person('before', `${long.join(' ')} Ashtiani`);
    const after = person('after', `Ashtiani ${long.join(' ')}`);
    for (const lead of ['', 'Said ', 'x'.repeat(200) + ' said ']) {
      expect(found(`${lead}${long.join(' ')} Ashtinai left`, before)).toEqual([`${long.join(' ')} Ashtinai=before`]);
      expect(found(`${lead}Ashtinai ${long.join(' ')}. Left`, after)).toEqual([`Ashtinai ${long.join(' ')}=after`]);
    }
    // The window cuts the token 120 characters away: it and the tokens before it stay out.
    const far = long.map((w) => w + 'x'.repeat(20));
    expect(found(`${far.join(' ')} Ashtinai`, person('far', `${far.join(' ')} Ashtiani`))).toEqual([`${far.slice(3).join(' ')} Ashtinai=far`]);
  });

  it('computes one-edit distance with transpositions', () => {
    expect(withinOneEdit('ashtinai', 'ashtiani')).toBe(true);
    expect(withinOneEdit('ashtiani', 'ashtianii')).toBe(true);
    expect(withinOneEdit('ashtiani', 'ashtoani')).toBe(true);
    expect(withinOneEdit('ashtiani', 'ashitnai')).toBe(false);
  });
});

describe('cache', () => {
  it('round-trips through a structured clone with the same results', () => {
    const cache = structuredClone(matcher.toCache('kb-1'));
    expect(cache.format).toBe(MATCHER_CACHE_FORMAT);
    expect(cache.label).toBe('kb-1');
    const loaded = Matcher.fromCache(cache);
    const text = 'Wei Fenghe met Mohammad Baqeri and the US; والصين; Mohammad Reza Ashtinai; Jordan.';
    expect(loaded.match(text)).toEqual(matcher.match(text));
    // The fuzzy index travels in the cache: a loaded matcher finds misspelt names without building it.
    expect(cache.buffers.fuzzyTarget!.byteLength).toBeGreaterThan(0);
    expect(loaded.match(text).some((s) => s.via === 'fuzzy' && s.id === 'mohammad-reza-gharaei-ashtiani')).toBe(true);
    expect(loaded.aliasCount).toBe(matcher.aliasCount);
  });

  it('refuses another format version', () => {
    const cache = { ...matcher.toCache(), format: MATCHER_CACHE_FORMAT + 1 };
    expect(() => Matcher.fromCache(cache)).toThrow(/format/);
  });
});

describe('long texts', () => {
  it('finds every name in a long text (the scanner’s output arrays grow)', () => {
    const sentence = 'The Islamic Republic of Iran and the People’s Liberation Army Navy met in Pékin with Mohammad Baqeri; والصين ';
    const text = sentence.repeat(3000); // ~ 60k tokens, 15k occurrences
    const spans = matcher.match(text);
    expect(spans.length).toBe(5 * 3000);
    const offsets = new Set(spans.map((s) => s.start % sentence.length));
    expect(offsets.size).toBe(5);
    expect(spans.filter((s) => s.id === 'iran').length).toBe(3000);
  });
});

describe('many aliases', () => {
  it('finds every one of 20,000 names in one pass', () => {
    const syllables = ['ka', 'ri', 'mo', 'ha', 'ne', 'si', 'to', 'lu', 'va', 'de', 'bor', 'zan'];
    let seed = 7;
    const rnd = () => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 2 ** 32;
    const word = () => {
      let s = '';
      for (let i = 0; i < 3; i++) s += syllables[Math.floor(rnd() * syllables.length)];
      return s[0]!.toUpperCase() + s.slice(1);
    };
    const many: Entity[] = [];
    const names = new Set<string>();
    while (names.size < 20_000) names.add(`${word()} ${word()}`);
    [...names].forEach((name, i) => many.push({ id: `p${i}`, type: 'person', name, names: { en: [name] }, description: 'x' }));
    const m = buildMatcher(many);
    expect(m.aliasCount).toBe(20_000);
    const picked = [...names].filter((_, i) => i % 97 === 0);
    const text = picked.join('. ');
    const spans = m.match(text);
    expect(spans.map((s) => text.slice(s.start, s.end))).toEqual(picked);
    expect(spans.map((s) => s.id)).toEqual(picked.map((n) => `p${[...names].indexOf(n)}`));
  });
});
