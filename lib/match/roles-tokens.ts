/**
 * Tokens for role phrases: the name matcher's tokenizer (`normalise.ts`), so that role phrases and
 * names fold exactly alike (case, diacritics, apostrophes, hyphens, Arabic letter variants,
 * tashkeel, tatweel), plus Arabic proclitic readings and offsets inside a token.
 *
 * Apostrophes and hyphens separate tokens, so "China’s" is `china s`, "d'état-major" is
 * `d etat major` and "then-defence" is `then defence`, whichever apostrophe or dash the page uses.
 */
import { charTables, EXPAND, foldForm, isLetterClass, tokenize as scan } from './normalise';

export interface Token {
  /** Folded text of the token. */
  text: string;
  /** UTF-16 offsets of the token in the original string: `[start, end)`. */
  start: number;
  end: number;
}

/** Splits `text` into folded word tokens, keeping original offsets. */
export function tokenize(text: string): Token[] {
  return scan(text).map((t) => ({ text: t.key, start: t.start, end: t.end }));
}

/**
 * Tokens of `text.slice(start, end)` with offsets into `text`. Equal to the tokens of the whole text
 * that lie in the range when both ends sit on hard separators (or the text's ends): the tokenizer
 * resets at a hard separator, and a "." before one reads it as hard either way.
 */
export function tokenizeRange(text: string, start: number, end: number): Token[] {
  if (start === 0 && end === text.length) return tokenize(text);
  const found = scan(text.slice(start, end));
  const out: Token[] = new Array<Token>(found.length);
  for (let i = 0; i < found.length; i++) {
    const t = found[i]!;
    out[i] = { text: t.key, start: t.start + start, end: t.end + start };
  }
  return out;
}

/** Folded words of a dictionary phrase. */
export function phraseTokens(phrase: string): string[] {
  return scan(phrase).map((t) => t.key);
}

/** Folded form of a string, words joined by one space. */
export function foldText(text: string): string {
  return foldForm(text);
}

/**
 * Offset in `text` of the token's letter that comes after its first `skip` folded characters
 * (where a mention starts once an Arabic proclitic is left out).
 */
export function offsetInToken(text: string, token: Token, skip: number): number {
  if (skip === 0) return token.start;
  const { cls } = charTables();
  let folded = 0;
  for (let i = token.start; i < token.end; i++) {
    const k = cls[text.charCodeAt(i)]!;
    if (!isLetterClass(k)) continue;
    if (folded >= skip) return i;
    folded += k === EXPAND ? 2 : 1;
  }
  return token.start;
}

/**
 * Arabic proclitics glued to a word: the conjunctions و ف, the prepositions ب ك ل, and ل + ال → لل.
 * Returns the ways of reading the token, each with how many folded characters of the token were
 * proclitics (so the mention can start after them). The bare token comes first.
 */
export function arabicReadings(token: string): { text: string; skip: number }[] {
  const readings = [{ text: token, skip: 0 }];
  if (!/^[\u0621-\u064A]/.test(token)) return readings;
  const bases: { text: string; skip: number }[] = [{ text: token, skip: 0 }];
  const first = token[0];
  if ((first === 'و' || first === 'ف') && token.length > 3) {
    bases.push({ text: token.slice(1), skip: 1 });
    readings.push({ text: token.slice(1), skip: 1 });
  }
  for (const base of bases) {
    const t = base.text;
    if (t.startsWith('لل') && t.length > 4) {
      readings.push({ text: 'ال' + t.slice(2), skip: base.skip + 1 });
    } else if ((t[0] === 'ب' || t[0] === 'ك' || t[0] === 'ل') && t.length > 3) {
      readings.push({ text: t.slice(1), skip: base.skip + 1 });
    }
  }
  return readings;
}
