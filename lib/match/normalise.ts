/**
 * Character classes and folding for the matcher, as two lookup tables indexed by UTF-16 code unit,
 * so that the scanner never builds a normalised copy of the page: it reads the original text once
 * and every offset it reports is an offset into that original.
 *
 * Folding (what compares equal):
 * - case (lower case), Latin diacritics (é → e, ç → c, ï → i; NFKD then marks dropped), ligatures
 *   (œ → oe, ß → ss, Arabic presentation forms → base letters), ł → l, ø → o, ı → i, ς → σ;
 * - Arabic: alef variants أ إ آ ٱ → ا, ى → ي, ة → ه, hamza carriers ؤ → و, ئ → ي; Persian ی → ي,
 *   ک → ك, ۀ / ە / ھ → ه.
 * Ignored inside a token (they neither split it nor count): combining marks (so decomposed "é" is
 * "e"), Arabic tashkeel U+064B–U+065F and U+0670 (both are marks), tatweel U+0640, ZWNJ/ZWJ, soft
 * hyphen, bidi marks, BOM.
 * Separators:
 * - soft (a multi-word name runs across them): spaces, hyphens and dashes (- ‐ ‑ ‒ – — ―, minus),
 *   apostrophes (' ’ ‘ ʼ ʻ ` ´), other symbols, astral characters (emoji);
 * - hard (state reset, no name runs across them): . ; : ! ? ( ) [ ] { } " “ ” „ « » ‹ › , / | …
 *   and line breaks ("\n": the page extractor turns block boundaries into it), Arabic ، ؛ ؟ ۔ and
 *   CJK sentence punctuation. A "." is soft inside abbreviations (see `dotIsSoft`).
 * CJK ideographs are one token each (Chinese has no spaces: a name is a sequence of characters).
 */

/** Character classes (values of `CharTables.cls`), ordered so that letters are 1..4. */
export const SOFT = 0;
/** Letter or digit without case (Arabic, digits). */
export const UNCASED = 1;
export const LOWER = 2;
export const UPPER = 3;
/** Letter folding to two characters (œ → oe): see `CharTables.expand1`, `expand2`. */
export const EXPAND = 4;
/** CJK ideograph or kana: a token on its own. */
export const CJK = 5;
/** Skipped inside a token: combining marks, tashkeel, tatweel, ZWNJ. */
export const IGNORE = 6;
/** "." : hard unless a letter or digit follows. */
export const DOT = 7;
export const HARD = 8;

/** True for classes that are part of a token's letters. */
export const isLetterClass = (k: number): boolean => k >= UNCASED && k <= EXPAND;

/** `fold` value of letters that fold to two characters. */
export const EXPANDED = 0xffff;

export interface CharTables {
  /** Class of each UTF-16 code unit. */
  cls: Uint8Array;
  /**
   * Folded code unit of a letter (classes UNCASED, LOWER, UPPER); `EXPANDED` for an `EXPAND` letter;
   * 0 for everything else (CJK included), so the scanner's hot loop needs only this table.
   */
  fold: Uint16Array;
  /** The two folded code units of `EXPAND` letters. */
  expand1: Uint16Array;
  expand2: Uint16Array;
}

const ARABIC_FOLD: Record<string, string> = {
  'أ': 'ا', 'إ': 'ا', 'آ': 'ا', 'ٱ': 'ا',
  'ى': 'ي', 'ی': 'ي', 'ې': 'ي', 'ئ': 'ي',
  'ة': 'ه', 'ۀ': 'ه', 'ە': 'ه', 'ھ': 'ه', 'ہ': 'ه',
  'ک': 'ك', 'ؤ': 'و',
};
const LATIN_FOLD: Record<string, string> = { 'ł': 'l', 'Ł': 'l', 'đ': 'd', 'Đ': 'd', 'ø': 'o', 'Ø': 'o', 'ı': 'i', 'ς': 'σ', 'ħ': 'h',
  'œ': 'oe', 'Œ': 'oe', 'æ': 'ae', 'Æ': 'ae', 'ß': 'ss', 'ẞ': 'ss' };

const HARD_CHARS = ';:!?()[]{}"“”„‟«»‹›,/|…\n\r\u2028\u2029\u060C\u061B\u061F\u06D4。，、：；！？（）【】「」『』《》〈〉';
const SOFT_OVERRIDE = "'’‘ʼʻ`´-‐‑‒–—―−";
const IGNORED_CHARS = '\u0640\u200C\u200D\u00AD\u200E\u200F\u061C\uFEFF';

let tables: CharTables | undefined;

/** The tables, built once per process (about 65k entries; see `buildCharTables`). */
export function charTables(): CharTables {
  tables ??= buildCharTables();
  return tables;
}

function isCjk(c: number): boolean {
  return (c >= 0x4e00 && c <= 0x9fff) || (c >= 0x3400 && c <= 0x4dbf) || (c >= 0xf900 && c <= 0xfaff) || (c >= 0x3040 && c <= 0x30ff);
}

function buildCharTables(): CharTables {
  const cls = new Uint8Array(65536);
  const fold = new Uint16Array(65536);
  const expand1 = new Uint16Array(65536);
  const expand2 = new Uint16Array(65536);
  const letter = /[\p{L}\p{N}]/u;
  const mark = /\p{M}/u;
  const marks = /\p{M}/gu;
  for (let c = 0; c < 65536; c++) {
    // Large blocks first, without Unicode look-ups (a third of the table's build time each).
    if (c >= 0xd800 && c <= 0xf8ff) continue; // astral halves (soft separators) and private use
    if ((c >= 0x4e00 && c <= 0x9fff) || (c >= 0x3400 && c <= 0x4dbf) || (c >= 0xf900 && c <= 0xfaff)) {
      cls[c] = CJK; // ideographs
      continue;
    }
    if (c >= 0xac00 && c <= 0xd7a3) {
      // Hangul syllables: uncased letters, folded to themselves.
      cls[c] = UNCASED;
      fold[c] = c;
      continue;
    }
    const s = String.fromCharCode(c);
    if (mark.test(s)) {
      cls[c] = IGNORE;
      continue;
    }
    if (!letter.test(s)) continue;
    if (isCjk(c)) {
      cls[c] = CJK; // kana
      continue;
    }
    let f = LATIN_FOLD[s] ?? ARABIC_FOLD[s];
    if (f === undefined) {
      f = s.normalize('NFKD').replace(marks, '').toLowerCase();
      if (f.length === 1) f = ARABIC_FOLD[f] ?? LATIN_FOLD[f] ?? f;
    }
    const upper = s !== s.toLowerCase();
    const cased = upper || s !== s.toUpperCase();
    if (f.length === 1) {
      cls[c] = upper ? UPPER : cased ? LOWER : UNCASED;
      fold[c] = f.charCodeAt(0);
    } else if (f.length === 2) {
      cls[c] = EXPAND;
      fold[c] = EXPANDED;
      expand1[c] = f.charCodeAt(0);
      expand2[c] = f.charCodeAt(1);
    } else {
      // Nothing useful to fold to (e.g. a Hangul syllable decomposes to jamo): itself, lower-cased.
      const l = s.toLowerCase();
      cls[c] = upper ? UPPER : cased ? LOWER : UNCASED;
      fold[c] = l.length === 1 ? l.charCodeAt(0) : c;
    }
  }
  for (const ch of HARD_CHARS) cls[ch.charCodeAt(0)] = HARD;
  for (const ch of SOFT_OVERRIDE) cls[ch.charCodeAt(0)] = SOFT;
  for (const ch of IGNORED_CHARS) cls[ch.charCodeAt(0)] = IGNORE;
  cls[0x2e] = DOT;
  for (let c = 0; c < 65536; c++) if (!isLetterClass(cls[c]!)) fold[c] = 0;
  return { cls, fold, expand1, expand2 };
}

/**
 * A "." is soft (part of a name) when a letter or digit follows ("U.S", "irna.ir"), or after an
 * abbreviation of at most 2 letters starting with a capital when a space and a capital follow
 * ("U.S. Navy", "St. Petersburg", "Mr. Raisi"); otherwise it ends a sentence.
 * `tokStart` / `tokLetters`: the token the dot ends (-1 when none).
 */
export function dotIsSoft(cls: Uint8Array, text: string, i: number, tokStart: number, tokLetters: number): boolean {
  const n = i + 1 < text.length ? cls[text.charCodeAt(i + 1)]! : HARD;
  if (isLetterClass(n)) return true;
  return (
    tokStart >= 0 &&
    tokLetters <= 2 &&
    cls[text.charCodeAt(tokStart)] === UPPER &&
    text.charCodeAt(i + 1) === 0x20 &&
    i + 2 < text.length &&
    cls[text.charCodeAt(i + 2)] === UPPER
  );
}

/** A token of a name or of a text, as the matcher sees it. */
export interface Token {
  /** Folded form. */
  key: string;
  /** UTF-16 offsets of the token in the source string (marks included). */
  start: number;
  end: number;
  /** Letters in upper case only (at least one), e.g. "SCO", "US": candidates for case-sensitive matching. */
  allCaps: boolean;
  /** First letter is upper case. */
  capitalised: boolean;
  /** Number of letters and digits. */
  letters: number;
  /** A hard separator comes before this token (or it is the first). */
  afterHard: boolean;
}

/**
 * Splits a string into tokens exactly as the scanner does. Used to compile names and on the rare
 * slow paths (fuzzy matching); the scanner has its own inlined copy of this loop.
 */
export function tokenize(text: string): Token[] {
  const { cls, fold, expand1, expand2 } = charTables();
  const out: Token[] = [];
  let key = '';
  let start = -1;
  let end = -1;
  let upper = 0;
  let lower = 0;
  let firstUpper = false;
  let letters = 0;
  let hard = true;
  const n = text.length;
  for (let i = 0; i <= n; i++) {
    const c = i < n ? text.charCodeAt(i) : 10;
    let k = cls[c]!;
    if (k === DOT) k = dotIsSoft(cls, text, i, start, letters) ? SOFT : HARD;
    if (isLetterClass(k)) {
      if (start < 0) {
        start = i;
        firstUpper = k === UPPER;
      }
      key += k === EXPAND ? String.fromCharCode(expand1[c]!, expand2[c]!) : String.fromCharCode(fold[c]!);
      if (k === UPPER) upper++;
      else if (k === LOWER) lower++;
      letters++;
      end = i + 1;
      continue;
    }
    if (k === IGNORE) {
      if (start >= 0) end = i + 1;
      continue;
    }
    // The current token (if any) ends here.
    if (start >= 0) {
      out.push({ key, start, end, allCaps: upper > 0 && lower === 0, capitalised: firstUpper, letters, afterHard: hard });
      hard = false;
      key = '';
      start = -1;
      upper = lower = letters = 0;
    }
    if (k === CJK) {
      out.push({ key: String.fromCharCode(c), start: i, end: i + 1, allCaps: false, capitalised: false, letters: 1, afterHard: hard });
      hard = false;
    } else if (k === HARD) hard = true;
  }
  return out;
}

/** Folded form of a whole string (tokens joined by one space), for tests and diagnostics. */
export function foldForm(text: string): string {
  return tokenize(text)
    .map((t) => t.key)
    .join(' ');
}
