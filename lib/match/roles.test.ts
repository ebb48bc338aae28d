import { parseHTML } from 'linkedom';
import { describe, expect, it } from 'vitest';
import { pageDate } from '../page/page-date';
import type { Entity, KbFile } from '../kb/schema';
import { OFFICES } from '../kb/schema';
import fixture from './fixtures/roles-kb.json';
import {
  buildRoleIndex,
  compileLexicon,
  dayNumber,
  findRoleMentions,
  findRolePhrases,
  holderAt,
  lexiconPhrases,
  type RoleContext,
  type RoleMention,
} from './roles';
import { fullNameSpans } from './roles.test-helpers';

const entities = (fixture as KbFile).entities as Entity[];
const index = buildRoleIndex(entities);

function ctx(date: string, text?: string): RoleContext {
  const c: RoleContext = { date, dateSource: 'meta', index };
  if (text !== undefined) c.names = fullNameSpans(text, entities);
  return c;
}

/** The single role mention in `text`, checked to cover exactly `surface`. */
function only(text: string, date: string, surface?: string): RoleMention {
  const mentions = findRoleMentions(text, ctx(date, text));
  expect(mentions, text).toHaveLength(1);
  const m = mentions[0]!;
  if (surface !== undefined) expect(text.slice(m.start, m.end)).toBe(surface);
  return m;
}

describe('role lexicon', () => {
  it('compiles without two offices claiming one phrase, and only uses known offices', () => {
    const lex = compileLexicon();
    expect(lex.conflicts).toEqual([]);
    expect(lex.phraseCount).toBeGreaterThan(500);
    const known = new Set<string>(OFFICES);
    for (const p of lexiconPhrases()) expect(known.has(p.office), p.office).toBe(true);
  });

  it('covers every office in each of en, fr and ar', () => {
    const byOffice = new Map<string, Set<string>>();
    for (const p of lexiconPhrases()) {
      const langs = byOffice.get(p.office) ?? new Set<string>();
      langs.add(p.lang);
      byOffice.set(p.office, langs);
    }
    for (const office of OFFICES) expect([...(byOffice.get(office) ?? [])].sort(), office).toEqual(['ar', 'en', 'fr']);
  });

  const cases: [string, string, string][] = [
    ["China's defence minister", 'cn.defence-minister', "China's defence minister"],
    ['Chinese Defense Minister', 'cn.defence-minister', 'Chinese Defense Minister'],
    ['CHINA’S DEFENSE MINISTER', 'cn.defence-minister', 'CHINA’S DEFENSE MINISTER'],
    ['the defence minister of the People’s Republic of China', 'cn.defence-minister', 'defence minister of the People’s Republic of China'],
    ['le ministre chinois de la Défense', 'cn.defence-minister', 'ministre chinois de la Défense'],
    ['le ministre chinois de la defense', 'cn.defence-minister', 'ministre chinois de la defense'],
    ['le ministre de la Défense de la Chine', 'cn.defence-minister', 'ministre de la Défense de la Chine'],
    ['Secrétaire chinois à la Défense', 'cn.defence-minister', 'Secrétaire chinois à la Défense'],
    ['وزير الدفاع الصيني', 'cn.defence-minister', 'وزير الدفاع الصيني'],
    ['وَزِيرُ الدِّفَاعِ الصِّينِيُّ', 'cn.defence-minister', 'وَزِيرُ الدِّفَاعِ الصِّينِيُّ'],
    ['ووزير الدفاع الصيني', 'cn.defence-minister', 'وزير الدفاع الصيني'],
    ['وزير دفاع الصين', 'cn.defence-minister', 'وزير دفاع الصين'],
    ['the chief of staff of the Iranian armed forces', 'ir.chief-of-staff', 'chief of staff of the Iranian armed forces'],
    ["le chef d’état-major des forces armées iraniennes", 'ir.chief-of-staff', "chef d’état-major des forces armées iraniennes"],
    ['رئيس الأركان العامة للقوات المسلحة الإيرانية', 'ir.chief-of-staff', 'رئيس الأركان العامة للقوات المسلحة الإيرانية'],
    ['رئيس هيئة الأركان الإيراني', 'ir.chief-of-staff', 'رئيس هيئة الأركان الإيراني'],
    ["Russia's top general", 'ru.chief-of-general-staff', "Russia's top general"],
    ['the chief of staff of the Russian armed forces', 'ru.chief-of-general-staff', 'chief of staff of the Russian armed forces'],
    ['the Iranian foreign minister', 'ir.foreign-minister', 'Iranian foreign minister'],
    ['le chef de la diplomatie iranienne', 'ir.foreign-minister', 'chef de la diplomatie iranienne'],
    ['وزير الخارجية الإيراني', 'ir.foreign-minister', 'وزير الخارجية الإيراني'],
    ['le président iranien', 'ir.president', 'président iranien'],
    ['الرئيس الإيراني', 'ir.president', 'الرئيس الإيراني'],
    ['the IRGC commander', 'ir.irgc-commander', 'IRGC commander'],
    ['le commandant en chef du CGRI', 'ir.irgc-commander', 'commandant en chef du CGRI'],
    ['القائد العام للحرس الثوري', 'ir.irgc-commander', 'القائد العام للحرس الثوري'],
    ['commander of the IRGC Navy', 'ir.irgc-navy-commander', 'commander of the IRGC Navy'],
    ["Russia's defence chief", 'ru.defence-minister', "Russia's defence chief"],
    ['the U.S. Defense Secretary', 'us.defense-secretary', 'U.S. Defense Secretary'],
    ['le secrétaire américain à la Défense', 'us.defense-secretary', 'secrétaire américain à la Défense'],
    ['رئيس أركان الجيش الصيني', 'cn.joint-staff-chief', 'رئيس أركان الجيش الصيني'],
    ["secrétaire général de l'OCS", 'sco.secretary-general', "secrétaire général de l'OCS"],
    ['IAEA chief', 'iaea.director-general', 'IAEA chief'],
    ['الأمين العام للأمم المتحدة', 'un.secretary-general', 'الأمين العام للأمم المتحدة'],
  ];
  it.each(cases)('%s → %s', (text, office, surface) => {
    const found = findRolePhrases(text);
    expect(found.map((m) => m.office)).toEqual([office]);
    const m = found[0]!;
    // Mentions end at the last word of the phrase.
    const end = findRoleMentions(text, ctx('2024-01-01'))[0]!.end;
    expect(text.slice(m.start, end)).toBe(surface);
  });

  const negatives = [
    'the deputy defence minister of China',
    'le vice-président iranien',
    'نائب وزير الدفاع الصيني',
    'Chinese defence ministers met in Astana',
    'the Chinese Defense Ministry said',
    'Chinese and Russian diplomats',
    'the IRGC Aerospace Force',
    'China. Defence minister',
    'Chinese\ndefence minister',
    "commander of the IRGC's Quds Force", // a Quds Force phrase, not the IRGC commander
  ];
  it.each(negatives)('no defence minister / IRGC commander in %j', (text) => {
    const offices = findRolePhrases(text).map((m) => m.office);
    expect(offices).not.toContain('cn.defence-minister');
    expect(offices).not.toContain('ir.president');
    expect(offices).not.toContain('ir.irgc-commander');
  });
});

describe('holder on a date', () => {
  const day = (iso: string) => dayNumber(iso, 'start')!;

  it('hands over on the day of appointment: the successor wins, the predecessor keeps the day before', () => {
    expect(holderAt(index, 'cn.defence-minister', day('2023-03-11'))).toBe('wei-fenghe');
    expect(holderAt(index, 'cn.defence-minister', day('2023-03-12'))).toBe('li-shangfu');
    expect(holderAt(index, 'cn.defence-minister', day('2018-03-18'))).toBe('chang-wanquan');
    expect(holderAt(index, 'cn.defence-minister', day('2018-03-19'))).toBe('wei-fenghe');
  });

  it('leaves a vacancy unresolved: Shoigu to 12 May 2024, Belousov from 14 May, Li Shangfu removed in October 2023', () => {
    expect(holderAt(index, 'ru.defence-minister', day('2024-05-12'))).toBe('sergei-shoigu');
    expect(holderAt(index, 'ru.defence-minister', day('2024-05-13'))).toBeNull();
    expect(holderAt(index, 'ru.defence-minister', day('2024-05-14'))).toBe('andrei-belousov');
    expect(holderAt(index, 'cn.defence-minister', day('2023-11-15'))).toBeNull();
    expect(holderAt(index, 'cn.defence-minister', day('2023-12-29'))).toBe('dong-jun');
    expect(holderAt(index, 'us.president', day('2024-01-01'))).toBeNull();
  });

  it('compares month precision sensibly: within the handover month the successor wins', () => {
    expect(holderAt(index, 'cn.navy-commander', day('2021-08-31'))).toBe('shen-jinlong');
    expect(holderAt(index, 'cn.navy-commander', day('2021-09-15'))).toBe('dong-jun');
    expect(holderAt(index, 'cn.navy-commander', day('2023-12-31'))).toBe('dong-jun');
    expect(holderAt(index, 'cn.navy-commander', day('2024-01-01'))).toBeNull();
  });

  it('gives a year to whoever held the office for more than half of it', () => {
    const year = (y: string) => [dayNumber(y, 'start')!, dayNumber(y, 'end')!] as const;
    expect(holderAt(index, 'cn.defence-minister', ...year('2016'))).toBe('chang-wanquan');
    expect(holderAt(index, 'cn.defence-minister', ...year('2018'))).toBe('wei-fenghe');
    // 2023: Wei 71 days, Li 227 days, Dong 3 days → Li.
    expect(holderAt(index, 'cn.defence-minister', ...year('2023'))).toBe('li-shangfu');
    // 2024: Shoigu 4.5 months, Belousov 7.5 months.
    expect(holderAt(index, 'ru.defence-minister', ...year('2024'))).toBe('andrei-belousov');
    // A month split evenly-ish is still decided by days: March 2023 (Wei 12 days, Li 20).
    expect(holderAt(index, 'cn.defence-minister', dayNumber('2023-03', 'start')!, dayNumber('2023-03', 'end')!)).toBe('li-shangfu');
  });
});

describe('role mentions resolved by the article date', () => {
  it('English: the holder at the article date', () => {
    const text = 'At a meeting with China’s defense minister, we agreed to expand cooperation.';
    const m = only(text, '2022-04-28', 'China’s defense minister');
    expect(m).toMatchObject({ office: 'cn.defence-minister', id: 'wei-fenghe', date: '2022-04-28', dateSource: 'meta' });
    expect(only(text, '2024-04-26').id).toBe('dong-jun');
  });

  it('French: the holder at the article date, on both sides of a handover day', () => {
    const text = 'De son côté, le ministre russe de la Défense a dénoncé l’attaque.';
    expect(only(text, '2024-05-12', 'ministre russe de la Défense').id).toBe('sergei-shoigu');
    expect(only(text, '2024-05-13').id).toBeNull();
    expect(only(text, '2024-05-14').id).toBe('andrei-belousov');
  });

  it('Arabic: the holder at the article date, with a proclitic', () => {
    const text = 'وقال وزير الدفاع الروسي إن التعاون مستمر، والتقى بوزير الدفاع الصيني.';
    const mentions = findRoleMentions(text, ctx('2023-03-12'));
    expect(mentions.map((m) => [text.slice(m.start, m.end), m.id])).toEqual([
      ['وزير الدفاع الروسي', 'sergei-shoigu'],
      ['وزير الدفاع الصيني', 'li-shangfu'],
    ]);
  });

  it('keeps offsets in UTF-16 code units after astral characters', () => {
    const text = '🇨🇳🇮🇷 Chinese defence minister visits';
    const m = only(text, '2024-04-26', 'Chinese defence minister');
    expect(m.start).toBe(9);
  });

  it('leaves the mention unresolved when nobody in the index held the office', () => {
    const m = only('The US president spoke.', '2024-04-26', 'US president');
    expect(m).toMatchObject({ office: 'us.president', id: null });
  });
});

describe('a name in apposition wins over the date', () => {
  it('English, with "at the time", a comma and a rank', () => {
    const text = 'The memorandum was praised by the Chinese defence minister at the time, General Chang Wanquan.';
    expect(only(text, '2024-04-26', 'Chinese defence minister')).toMatchObject({ id: 'chang-wanquan', dateSource: 'apposition' });
  });

  it('English, directly followed by the name with a possessive', () => {
    const text = 'following Chinese Defense Minister Wei Fenghe’s visit to Tehran';
    expect(only(text, '2024-04-26')).toMatchObject({ id: 'wei-fenghe', dateSource: 'apposition' });
  });

  it('Arabic, with آنذاك, a rank and quotes', () => {
    const text = 'والتي اعتبرها وزير الدفاع الصيني انذاك الفريق "تشانغ وانغ تشون" مهمة';
    const m = only(text, '2019-09-11', 'وزير الدفاع الصيني');
    expect(m).toMatchObject({ id: 'chang-wanquan', dateSource: 'apposition', marker: 'then' });
  });

  it('French, name before the office with a comma', () => {
    const text = 'par le lieutenant général Chang Wanquan, Secrétaire chinois à la Défense.';
    expect(only(text, '2024-04-26')).toMatchObject({ id: 'chang-wanquan', dateSource: 'apposition' });
  });

  it('only people count, and only close by', () => {
    const place = 'the Chinese defence minister, Tehran said, was late.';
    expect(only(place, '2022-04-28')).toMatchObject({ id: 'wei-fenghe', dateSource: 'meta' });
    const far = 'China’s defence minister met the president and later Chang Wanquan.';
    expect(only(far, '2022-04-28')).toMatchObject({ id: 'wei-fenghe', dateSource: 'meta' });
  });
});

describe('a year in the same sentence beats the article date', () => {
  it('with "then", the year before the phrase', () => {
    const text = 'In 2016 the two countries signed a memorandum, welcomed by the then defence minister of China.';
    expect(only(text, '2024-04-26')).toMatchObject({ id: 'chang-wanquan', date: '2016', dateSource: 'sentence', marker: 'then' });
  });

  it('Arabic عام 2016 … انذاك (no name given)', () => {
    const text = 'توقيع مذكرة تفاهم في طهران عام 2016، والتي اعتبرها وزير الدفاع الصيني انذاك مهمة.';
    expect(only(text, '2024-04-26')).toMatchObject({ id: 'chang-wanquan', date: '2016', dateSource: 'sentence' });
  });

  it('French "à l’époque", year after the phrase', () => {
    const text = 'Le ministre chinois de la Défense à l’époque avait visité Téhéran en 2016.';
    expect(only(text, '2024-04-26')).toMatchObject({ id: 'chang-wanquan', dateSource: 'sentence' });
  });

  it('without a marker, a year opening the sentence ("In 2016, …")', () => {
    expect(only('In 2016, China’s defence minister visited Tehran.', '2024-04-26').id).toBe('chang-wanquan');
  });

  it('without a marker, a year elsewhere in the sentence does not move the date', () => {
    const text = 'China’s defence minister said the 2016 memorandum still stands.';
    expect(only(text, '2024-04-26')).toMatchObject({ id: 'dong-jun', dateSource: 'meta' });
  });

  it('the year of another sentence does not count, nor the article year itself', () => {
    expect(only('The deal dates from 2016. The then Chinese defence minister was absent.', '2022-04-28').id).toBe('wei-fenghe');
    expect(only('In 2024, the then Chinese defence minister visited.', '2024-04-26')).toMatchObject({ id: 'dong-jun', dateSource: 'meta' });
  });
});

describe('"former" never resolves to the holder at the date', () => {
  it('resolves to the only earlier holder', () => {
    expect(only('The former Russian defence minister now heads the Security Council.', '2024-06-01').id).toBe('sergei-shoigu');
    expect(only("L'ancien ministre russe de la Défense est arrivé.", '2024-06-01').id).toBe('sergei-shoigu');
  });

  it('is unresolved when several people held the office before', () => {
    expect(only('The former Chinese defence minister was expelled.', '2024-04-26')).toMatchObject({ id: null, marker: 'former' });
    expect(only('وصل وزير الدفاع الصيني السابق إلى طهران', '2024-04-26')).toMatchObject({ id: null, marker: 'former' });
    expect(only("China's ex-defence minister", '2024-04-26').id).toBeNull();
  });

  it('is unresolved when nobody held it before', () => {
    expect(only('the former Russian defence minister', '2013-01-01').id).toBeNull();
  });

  it('yields to a name in apposition', () => {
    expect(only('former Chinese defence minister Wei Fenghe', '2024-04-26')).toMatchObject({ id: 'wei-fenghe', dateSource: 'apposition' });
  });
});

describe('case and markers', () => {
  it('"US" and "UN" count only in capitals', () => {
    expect(findRolePhrases('The US president spoke').map((m) => m.office)).toEqual(['us.president']);
    expect(findRolePhrases('he told us president elections matter')).toEqual([]);
    expect(findRolePhrases('the UN chief said').map((m) => m.office)).toEqual(['un.secretary-general']);
  });

  it('an elided article is not a "then" marker', () => {
    const text = "Selon l'IRGC commander, rien.";
    const m = findRoleMentions(text, ctx('2024-01-01'))[0]!;
    expect(m.marker).toBeUndefined();
    expect(m.id).toBe(null); // no IRGC commander in the fixture
  });
});

describe('folding', () => {
  it('ignores bidi marks and reads Arabic-Indic years', () => {
    expect(findRolePhrases('\u200Fوزير الدفاع الصيني').map((m) => m.office)).toEqual(['cn.defence-minister']);
    const text = 'في عام ٢٠١٦ اعتبرها وزير الدفاع الصيني انذاك مهمة.';
    expect(only(text, '2024-04-26')).toMatchObject({ id: 'chang-wanquan', date: '2016', dateSource: 'sentence' });
  });
});

describe('apposition details', () => {
  it('accepts abbreviated ranks and the Arabic comma', () => {
    expect(only("China's defence minister, Gen. Wei Fenghe, said", '2024-04-26').id).toBe('wei-fenghe');
    expect(only('وزير الدفاع الصيني، الفريق تشانغ وانغ تشون', '2024-04-26').id).toBe('chang-wanquan');
  });

  it('a sentence end between the office and a name breaks the apposition', () => {
    const text = 'He met the Chinese defence minister. Wei Fenghe later said nothing.';
    expect(only(text, '2024-04-26')).toMatchObject({ id: 'dong-jun', dateSource: 'meta' });
  });

  it('a person known only in other offices is not an apposition (a list)', () => {
    const text = 'Shoigu received Iran’s Mohammad Bagheri, China’s defence minister and others.';
    expect(only(text, '2022-04-28')).toMatchObject({ id: 'wei-fenghe', dateSource: 'meta' });
  });
});

describe('no page date: the visit date resolves', () => {
  it('a dateless page is read at the visit date, and says so', () => {
    const { document } = parseHTML('<html><body><article><p>China’s defence minister arrived in Astana.</p></article></body></html>');
    const date = pageDate(document as unknown as Document, 'https://live.example/blog', new Date(2023, 2, 11, 12));
    expect(date).toEqual({ date: '2023-03-11', source: 'visit' });
    const text = 'China’s defence minister arrived in Astana.';
    const [m] = findRoleMentions(text, { date: date.date, dateSource: date.source, index });
    expect(m).toMatchObject({ id: 'wei-fenghe', date: '2023-03-11', dateSource: 'visit' });
  });
});
