/**
 * Role mentions on the shared corpus pages, with the bundled KB, the page date found by `pageDate`
 * and the name spans of the name matcher: the same pipeline as the extension
 * (page → text → date → names → roles).
 * Corpus root: `../shared/corpus` from the repository root, or `$ATTACHE_CORPUS`.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join, resolve } from 'node:path';
import { parseHTML } from 'linkedom';
import { describe, expect, it } from 'vitest';
import { bundledKb } from '../../assets/kb/index';
import { extractText } from '../page/extract';
import { pageDate } from '../page/page-date';
import { buildMatcher } from './matcher';
import { buildRoleIndex, findRoleMentions, type RoleMention } from './roles';

const repoRoot = resolve(fileURLToPath(new URL('.', import.meta.url)), '../..');
const corpus = process.env.ATTACHE_CORPUS ?? join(repoRoot, '../shared/corpus');
const pagesDir = join(corpus, 'pages');

const kb = bundledKb();
const index = buildRoleIndex(kb.entities);
/** The name matcher supplies the name spans, as in the engine. */
const names = buildMatcher(kb.entities);
const VISIT = new Date(2026, 10, 22, 12);

function loadPage(file: string) {
  const html = readFileSync(join(pagesDir, file), 'utf8');
  const { document } = parseHTML(html);
  const doc = document as unknown as Document;
  const date = pageDate(doc, `https://news.example/${file}`, VISIT);
  const text = extractText(doc.body).text;
  return { html, date, text };
}

function mentionsOn(file: string, withNames = true): { text: string; mentions: RoleMention[]; date: ReturnType<typeof pageDate> } {
  const { date, text } = loadPage(file);
  const spans = withNames ? names.match(text) : [];
  return { text, date, mentions: findRoleMentions(text, { date: date.date, dateSource: date.source, index, names: spans }) };
}

function find(text: string, mentions: RoleMention[], surface: string): RoleMention {
  const hit = mentions.find((m) => text.slice(m.start, m.end) === surface);
  expect(hit, `no role mention "${surface}" among ${mentions.map((m) => text.slice(m.start, m.end)).join(' | ')}`).toBeDefined();
  return hit!;
}

describe.skipIf(!existsSync(pagesDir))('role mentions on the corpus pages', () => {
  const files = existsSync(pagesDir) ? readdirSync(pagesDir).filter((f) => f.endsWith('.html')).sort() : [];

  it('finds the corpus', () => {
    expect(files.length).toBeGreaterThanOrEqual(7);
  });

  it.each(files)('%s: the page date comes from its metadata', (file) => {
    const { html, date } = loadPage(file);
    const published = /<meta property="article:published_time" content="(\d{4}-\d{2}-\d{2})/.exec(html)?.[1];
    if (published) expect(date).toEqual({ date: published, source: 'meta' });
    else expect(date).toEqual({ date: '2026-11-22', source: 'visit' });
  });

  it('002: "le ministre chinois de la Défense" is Dong Jun on 2024-04-26', () => {
    const { text, mentions } = mentionsOn('002_fr_ashtiani_dong_jun_astana.html');
    const m = find(text, mentions, 'ministre chinois de la Défense');
    expect(m).toMatchObject({ office: 'cn.defence-minister', id: 'dong-jun', date: '2024-04-26', dateSource: 'meta' });
    // The Iranian one, named in apposition the first time and by date the second.
    const iranian = mentions.filter((x) => x.office === 'ir.defence-minister');
    expect(iranian.map((x) => [x.id, x.dateSource])).toEqual([
      ['mohammad-reza-gharaei-ashtiani', 'apposition'],
      ['mohammad-reza-gharaei-ashtiani', 'meta'],
    ]);
  });

  it('003: "China’s defense minister" is Wei Fenghe on 2022-04-28', () => {
    const { text, mentions } = mentionsOn('003_en_wei_fenghe_tehran.html');
    const m = find(text, mentions, 'China’s defense minister');
    expect(m).toMatchObject({ office: 'cn.defence-minister', id: 'wei-fenghe', date: '2022-04-28', dateSource: 'meta' });
    expect(find(text, mentions, 'Chinese Defense Minister')).toMatchObject({ id: 'wei-fenghe', dateSource: 'apposition' });
  });

  it('001: "وزير الدفاع الصيني انذاك" is Chang Wanquan, by the name in apposition', () => {
    const { text, mentions } = mentionsOn('001_ar_baqeri_beijing.html');
    const m = find(text, mentions, 'وزير الدفاع الصيني');
    expect(m).toMatchObject({ office: 'cn.defence-minister', id: 'chang-wanquan', dateSource: 'apposition', marker: 'then' });
  });

  it('001: … and by the year 2016 in the sentence when no name spans are given', () => {
    const { text, mentions, date } = mentionsOn('001_ar_baqeri_beijing.html', false);
    expect(date.date).toBe('2019-09-11'); // at the article date the minister was Wei Fenghe
    const m = find(text, mentions, 'وزير الدفاع الصيني');
    expect(m).toMatchObject({ id: 'chang-wanquan', date: '2016', dateSource: 'sentence' });
  });

  it('004 and 000: offices named next to the person resolve to that person', () => {
    const moscow = mentionsOn('004_en_baqeri_moscow.html');
    expect(find(moscow.text, moscow.mentions, 'chief of staff of the Russian armed forces').id).toBe('valery-gerasimov');
    expect(find(moscow.text, moscow.mentions, 'Russian Defense Minister').id).toBe('sergei-shoigu');
    const beijing = mentionsOn('000_fr_baqeri_beijing.html');
    expect(find(beijing.text, beijing.mentions, 'Secrétaire chinois à la Défense').id).toBe('chang-wanquan');
  });

  it('every resolved mention agrees with the KB: the person held that office at the date used (or was named)', () => {
    for (const file of files) {
      const { mentions } = mentionsOn(file);
      for (const m of mentions) {
        if (m.id === null || m.dateSource === 'apposition') continue;
        const person = kb.entities.find((e) => e.id === m.id);
        const roles = (person?.roles ?? []).filter((r) => r.office === m.office);
        const year = m.date.slice(0, 4);
        const held = roles.some((r) => (r.from ?? '0000').slice(0, 4) <= year && (r.to ?? '9999').slice(0, 4) >= year);
        expect(held, `${file}: ${m.id} as ${m.office} in ${m.date}`).toBe(true);
      }
    }
  });
});
