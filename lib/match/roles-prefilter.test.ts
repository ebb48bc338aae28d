/**
 * The role prefilter (`roleWindows`: only clauses holding an anchor word are tokenised) must not
 * change what `findRoleMentions` returns. Compared with the whole-text reading on the corpus texts
 * and pages, on a large generated text, and on spellings that stress the folding (case, diacritics,
 * tashkeel, tatweel, proclitics, ligatures).
 * Corpus root: `../shared/corpus` from the repository root, or `$ATTACHE_CORPUS`.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { bundledKb } from '../../assets/kb/index';
import { buildMatcher } from './matcher';
import { buildRoleIndex, findRoleMentions, lexiconPhrases, roleAnchors, roleWindows } from './roles';
import { phraseTokens } from './roles-tokens';

const repoRoot = resolve(fileURLToPath(new URL('.', import.meta.url)), '../..');
const corpus = process.env.ATTACHE_CORPUS ?? join(repoRoot, '../shared/corpus');
const read = (dir: string): string[] =>
  readdirSync(join(corpus, dir))
    .sort()
    .map((f) => readFileSync(join(corpus, dir, f), 'utf8'));

const kb = bundledKb();
const index = buildRoleIndex(kb.entities);
const matcher = buildMatcher(kb.entities);

function both(text: string, date = '2024-04-26') {
  const names = matcher.match(text).map((s) => ({ start: s.start, end: s.end, id: s.id }));
  const ctx = { date, dateSource: 'meta' as const, index, names };
  return { filtered: findRoleMentions(text, ctx), whole: findRoleMentions(text, ctx, { prefilter: false }) };
}

/** Deterministic shuffle (xorshift) so the large text is the same on every run. */
function shuffled<T>(items: readonly T[], seed: number): T[] {
  const out = [...items];
  let x = seed;
  for (let i = out.length - 1; i > 0; i--) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    const j = (x >>> 0) % (i + 1);
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

describe('role prefilter', () => {
  const texts = [...read('text'), ...read('pages')];

  it('every lexicon phrase contains an anchor core', () => {
    const anchors = roleAnchors();
    expect(anchors.length).toBeLessThan(80);
    for (const { phrase } of lexiconPhrases()) {
      const words = phraseTokens(phrase);
      const ok = anchors.some((a) => words.some((w) => w.includes(a.startsWith('ال') ? a.slice(1) : a)));
      expect(ok, phrase).toBe(true);
    }
  });

  it('finds every phrase of the lexicon written on its own', () => {
    for (const { phrase } of lexiconPhrases()) expect(roleWindows(`x, ${phrase} ; y`).length, phrase).toBe(1);
  });

  it.each(texts.map((t, i) => [i, t] as const))('corpus file %i: same mentions as the whole-text reading', (_, text) => {
    const { filtered, whole } = both(text);
    expect(filtered).toEqual(whole);
  });

  it('a large generated text: same mentions, and most of the text is skipped', () => {
    // Corpus lines shuffled and joined with every kind of separator the prefilter cuts at or not.
    const lines = texts.flatMap((t) => t.split('\n')).filter((l) => l.trim().length > 0);
    const seps = ['\n', ' ', ', ', '; ', ' (', ') ', ' « ', ' » ', '، ', ' - ', '. '];
    const parts: string[] = [];
    for (let round = 0; round < 6; round++) {
      shuffled(lines, 0x5eed + round).forEach((l, i) => parts.push(l, seps[i % seps.length]!));
    }
    const text = parts.join('');
    expect(text.length).toBeGreaterThan(200_000);
    const { filtered, whole } = both(text);
    expect(whole.length).toBeGreaterThan(100);
    expect(filtered).toEqual(whole);
    const read = roleWindows(text).reduce((n, [s, e]) => n + e - s, 0);
    expect(read).toBeLessThan(text.length * 0.6);
  });

  it('spellings that stress the folding give the same mentions', () => {
    const text = [
      'CHINA’S DEFENCE MINISTER met the Iranian chief of staff; le Ministre de la Défense chinois est venu.',
      'Le pr\u0065\u0301sident russe (Vladimir Putin) et le PRÉSIDENT iranien, Ebrahim Raisi.',
      'وَزِيرُ الدِّفَاعِ الصِّينِيُّ ووزير الدفاع الصيني ولوزير الدفاع الصيني وز\u0640ير الدفاع الصيني',
      'رئيس الأركان العامة للقوات المسلحة الإيرانية والقائد العام للحرس الثوري',
      'the U.S. defense secretary, the US FM, the cœur of the chef d’état-major des armées iranien',
    ].join('\n');
    const { filtered, whole } = both(text, '2023-05-01');
    expect(whole.length).toBeGreaterThan(6);
    expect(filtered).toEqual(whole);
  });
});
