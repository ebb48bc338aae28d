import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Scanner, compileAutomaton, scan, type ScanResult } from './automaton';
import { tokenize, type Token } from './normalise';

/**
 * Words for generated texts: case variants, a precomposed and a decomposed accent, a two-letter
 * fold (œ), tatweel inside an Arabic word, CJK ideographs (one token each). No Arabic proclitic
 * letter (و ف ب ك ل) and no "." (their rules are tested in ./matcher.test.ts).
 */
const WORDS = ['ab', 'AB', 'Ab', 'ba', 'BA', 'abba', 'Abba', 'été', 'e\u0301te\u0301', 'ETE', 'oeuvre', 'œuvre', 'ŒUVRE', 'نيا', 'نـيا', 'ياس', '中', '国', 'zz', 'Kilimanjaro'];
const SEPARATORS = [' ', ' ', ' ', '-', '\n', ', ', '’', '(', '中'];
/** Lower-case name words (a name is 1–3 of them). */
const NAME_WORDS = ['ab', 'ba', 'abba', 'ete', 'oeuvre', 'نيا', 'ياس', '中', '国', 'kilimanjaro'];

/** Occurrences as "start-end:pattern", sorted. */
function occurrences(r: ScanResult): string[] {
  const out: string[] = [];
  for (let i = 0; i < r.count; i++) out.push(`${r.start[i]}-${r.end[i]}:${r.pattern[i]}`);
  return out.sort();
}

/** The same, by brute force over `tokenize`: runs of consecutive tokens equal to a name, no hard separator inside. */
function reference(patterns: readonly Token[][], text: string): string[] {
  const tokens = tokenize(text);
  const out: string[] = [];
  for (let i = 0; i < tokens.length; i++) {
    patterns.forEach((p, id) => {
      if (i + p.length > tokens.length) return;
      for (let j = 0; j < p.length; j++) {
        const t = tokens[i + j]!;
        if (t.key !== p[j]!.key || (j > 0 && t.afterHard)) return;
      }
      out.push(`${tokens[i]!.start}-${tokens[i + p.length - 1]!.end}:${id}`);
    });
  }
  return out.sort();
}

/** Distinct names (by folded tokens), tokenised. */
function compileNames(names: readonly string[]): Token[][] {
  const byKey = new Map<string, Token[]>();
  for (const n of names) {
    const tokens = tokenize(n);
    byKey.set(tokens.map((t) => t.key).join(' '), tokens);
  }
  return [...byKey.values()];
}

describe('scan', () => {
  it('reports exactly the occurrences a token-by-token comparison finds (property)', () => {
    const name = fc.array(fc.constantFrom(...NAME_WORDS), { minLength: 1, maxLength: 3 }).map((w) => w.join(' '));
    const text = fc.array(fc.tuple(fc.constantFrom(...WORDS), fc.constantFrom(...SEPARATORS)), { maxLength: 60 }).map((parts) => parts.map(([w, s]) => w + s).join(''));
    fc.assert(
      fc.property(fc.array(name, { minLength: 1, maxLength: 12 }), text, fc.boolean(), (names, t, trailing) => {
        const patterns = compileNames(names);
        // With and without a separator after the last token (the end of the text ends it too).
        const s = trailing ? t : t.replace(/[\s,’(-]+$/u, '');
        expect(occurrences(scan(compileAutomaton(patterns), s))).toEqual(reference(patterns, s));
      }),
      { seed: 20251122, numRuns: 300 },
    );
  });

  it('gives a reused scanner the same result as a fresh one, and leaves scan() results alone', () => {
    const patterns = compileNames(['ab', 'ab ba', 'Kilimanjaro ab', 'oeuvre']);
    const a = compileAutomaton(patterns);
    const long = 'Ab BA ab; œuvre Kilimanjaro AB ba '.repeat(200);
    const short = 'zz ab ba';
    const scanner = new Scanner(a);
    const kept = scan(a, short);
    const keptOccurrences = occurrences(kept);
    expect(occurrences(scanner.scan(long))).toEqual(occurrences(scan(a, long)));
    expect(occurrences(scanner.scan(long)).length).toBeGreaterThan(1000);
    expect(occurrences(scanner.scan(short))).toEqual(keptOccurrences);
    expect(occurrences(scanner.scan(''))).toEqual([]);
    expect(occurrences(kept)).toEqual(keptOccurrences);
    expect(keptOccurrences).toEqual(['3-5:0', '3-8:1']);
  });
});
