/**
 * Re-anchoring: finding a note's quote again in a page text that may have changed since the note
 * was taken (moved paragraphs, corrected spellings, an inserted word, a duplicated sentence).
 *
 * The approach is the Hypothesis client's (src/annotator/anchoring/match-quote.ts): candidates are
 * the exact occurrences of the quote, else its best approximate occurrences (Myers' bit-parallel
 * algorithm from `approx-string-match`); each candidate is scored on how well the quote, the prefix,
 * the suffix and the old position agree, and the best one wins. Two additions:
 * - the quote found through its context (prefix + quote + suffix matched approximately) is always a
 *   candidate, so an edited quote in its own paragraph beats an exact copy elsewhere whose context
 *   is unrelated;
 * - a minimum score, below which the note is orphaned rather than pinned to unrelated text.
 */
import search from 'approx-string-match';
import type { TextPositionSelector, TextQuoteSelector } from './types';

export interface Anchor {
  /** UTF-16 offsets into the text the note was re-anchored in. */
  start: number;
  end: number;
  /** The text at [start, end) is exactly the quote. */
  exact: boolean;
  /** 0–1; how well quote, context and position agree (1 = same text, same context, same place). */
  score: number;
}

export interface ReanchorOptions {
  /** Candidates scoring below this are not anchored (default MIN_SCORE). */
  minScore?: number;
}

/** Weights of the score, as in the Hypothesis client: the quote dominates, position only breaks ties. */
const WEIGHTS = { quote: 50, prefix: 20, suffix: 20, position: 2 } as const;
const TOTAL_WEIGHT = WEIGHTS.quote + WEIGHTS.prefix + WEIGHTS.suffix + WEIGHTS.position;

/**
 * Below this the match is more likely unrelated text than an edit of the quote. Calibrated with the
 * tests: a quote with half its characters wrong (the most `maxErrorsFor` allows) in unrelated context
 * scores under 0.5 and is orphaned; the same quote with prefix and suffix intact scores about 0.73
 * and is kept; the fixtures' real edits (respelling, an inserted word, Arabic letter variants) score
 * 0.93–0.98.
 */
export const MIN_SCORE = 0.6;

/** Most errors allowed when looking for an edited quote (Hypothesis's bound). */
export function maxErrorsFor(quote: string): number {
  return Math.min(256, Math.floor(quote.length / 2));
}

/** Exact occurrences are scored one by one; past this many only the nearest ones are kept. */
const MAX_EXACT_CANDIDATES = 2000;

interface Candidate {
  start: number;
  end: number;
  errors: number;
}

function exactOccurrences(text: string, quote: string, hint: number): Candidate[] {
  const found: Candidate[] = [];
  for (let i = text.indexOf(quote); i !== -1; i = text.indexOf(quote, i + 1)) {
    found.push({ start: i, end: i + quote.length, errors: 0 });
  }
  if (found.length > MAX_EXACT_CANDIDATES) {
    found.sort((a, b) => Math.abs(a.start - hint) - Math.abs(b.start - hint));
    found.length = MAX_EXACT_CANDIDATES;
  }
  return found;
}

/** 1 − edit distance / length of the best approximate occurrence of `pattern` in `window`. */
function similarity(window: string, pattern: string): number {
  if (pattern.length === 0) return 1; // nothing recorded (the quote was at a text edge): neutral
  if (window.length === 0) return 0;
  if (window === pattern) return 1;
  const best = search(window, pattern, pattern.length)[0];
  return best ? 1 - best.errors / pattern.length : 0;
}

function score(text: string, c: Candidate, quote: TextQuoteSelector, hint: number): number {
  const quoteScore = 1 - c.errors / quote.exact.length;
  const prefixScore = similarity(text.slice(Math.max(0, c.start - quote.prefix.length), c.start), quote.prefix);
  const suffixScore = similarity(text.slice(c.end, c.end + quote.suffix.length), quote.suffix);
  const positionScore = text.length === 0 ? 1 : 1 - Math.min(1, Math.abs(c.start - hint) / text.length);
  return (
    (WEIGHTS.quote * quoteScore + WEIGHTS.prefix * prefixScore + WEIGHTS.suffix * suffixScore + WEIGHTS.position * positionScore) /
    TOTAL_WEIGHT
  );
}

/**
 * The quote found through its context: the best approximate occurrence of prefix + quote + suffix
 * (the nearest to the old position among equals), then the quote's best occurrence inside it. This
 * finds an edited quote that kept its surroundings even when an exact copy of the old wording
 * exists elsewhere (a caption, a pull quote), which the quote alone would prefer.
 */
function throughContext(text: string, quote: TextQuoteSelector, hint: number): Candidate | undefined {
  if (quote.prefix === '' && quote.suffix === '') return undefined;
  const whole = quote.prefix + quote.exact + quote.suffix;
  const matches = search(text, whole, maxErrorsFor(whole));
  if (matches.length === 0) return undefined;
  const expected = hint - quote.prefix.length;
  const m = matches.reduce((a, b) => (Math.abs(b.start - expected) < Math.abs(a.start - expected) ? b : a));
  const region = text.slice(m.start, m.end);
  const inner = search(region, quote.exact, maxErrorsFor(quote.exact));
  if (inner.length === 0) return undefined;
  const best = inner.reduce((a, b) => (Math.abs(b.start - quote.prefix.length) < Math.abs(a.start - quote.prefix.length) ? b : a));
  return { start: m.start + best.start, end: m.start + best.end, errors: best.errors };
}

/**
 * Where the note's quote is in `text` now, or null when it cannot be found with confidence
 * (the note is then shown as orphaned). Runs in Node: strings only.
 */
export function reanchor(
  text: string,
  selectors: { quote: TextQuoteSelector; position: TextPositionSelector },
  options: ReanchorOptions = {},
): Anchor | null {
  const { quote, position } = selectors;
  const minScore = options.minScore ?? MIN_SCORE;
  if (quote.exact.length === 0 || text.length === 0) return null;
  const hint = position.start;

  // Fast path: the text at the old position is the quote with the same context.
  if (
    text.startsWith(quote.exact, hint) &&
    text.slice(Math.max(0, hint - quote.prefix.length), hint) === quote.prefix &&
    text.startsWith(quote.suffix, hint + quote.exact.length)
  ) {
    return { start: hint, end: hint + quote.exact.length, exact: true, score: 1 };
  }

  const maxErrors = maxErrorsFor(quote.exact);
  let candidates = exactOccurrences(text, quote.exact, hint);
  if (candidates.length === 0) candidates = search(text, quote.exact, maxErrors);
  // An exact occurrence with its whole context intact cannot be beaten (except on position): done.
  const intact = candidates.filter(
    (c) => c.errors === 0 && text.slice(Math.max(0, c.start - quote.prefix.length), c.start) === quote.prefix && text.startsWith(quote.suffix, c.end),
  );
  if (intact.length > 0) {
    const c = intact.reduce((a, b) => (Math.abs(b.start - hint) < Math.abs(a.start - hint) ? b : a));
    return { start: c.start, end: c.end, exact: true, score: score(text, c, quote, hint) };
  }

  const local = throughContext(text, quote, hint);
  if (local && !candidates.some((c) => c.start === local.start && c.end === local.end)) candidates.push(local);

  let best: Anchor | null = null;
  for (const c of candidates) {
    const s = score(text, c, quote, hint);
    if (
      best === null ||
      s > best.score ||
      (s === best.score && Math.abs(c.start - hint) < Math.abs(best.start - hint))
    ) {
      best = { start: c.start, end: c.end, exact: c.errors === 0 && text.slice(c.start, c.end) === quote.exact, score: s };
    }
  }
  return best !== null && best.score >= minScore ? best : null;
}
