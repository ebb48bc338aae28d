/**
 * Folding and tokenising for role phrases, with a map back to the original UTF-16 offsets.
 *
 * Self-contained on purpose: role matching needs only token equality after folding, and must not
 * depend on the name matcher's internal normaliser while both are being written.
 *
 * Folding (the same equivalences as the name matcher's `normalise.ts`): lower case; Latin diacritics
 * removed (NFKD, combining marks dropped; œ→oe, æ→ae, ß→ss; presentation forms → base letters);
 * Arabic tashkeel, superscript alef and tatweel removed; أ إ آ ٱ → ا, ى ی ئ → ي, ة ۀ ە ھ → ه, ک → ك,
 * ؤ → و; Arabic-Indic and Persian digits → ASCII; zero-width joiners, bidi marks and BOM removed.
 * Kept separate from `normalise.ts` because role matching needs per-character offsets (to start a
 * mention after an Arabic proclitic) and was written while that module was in progress.
 * Tokens are runs of letters and digits: apostrophes (' ’ ʼ `), hyphens and punctuation separate
 * tokens, so "China’s" is `china s`, "d'état-major" is `d etat major` and "then-defence" is
 * `then defence`, whichever apostrophe or dash the page uses.
 */

export interface Token {
  /** Folded text of the token. */
  text: string;
  /** UTF-16 offsets of the token in the original string: `[start, end)`. */
  start: number;
  end: number;
  /** Offset in the original string of each folded character of `text` (same length as `text`). */
  charStarts: number[];
}

const ARABIC_FOLD: Record<string, string> = {
  'أ': 'ا', 'إ': 'ا', 'آ': 'ا', 'ٱ': 'ا',
  'ى': 'ي', 'ی': 'ي', 'ئ': 'ي',
  'ة': 'ه',
  'ک': 'ك',
  'ؤ': 'و',
  'ۀ': 'ه', 'ە': 'ه', 'ھ': 'ه',
};
const LATIN_LIGATURES: Record<string, string> = { 'œ': 'oe', 'æ': 'ae', 'ß': 'ss', 'ø': 'o', 'ł': 'l', 'đ': 'd', 'ı': 'i' };

/** Tashkeel (U+064B–U+065F), superscript alef (U+0670), tatweel (U+0640), Quranic marks, ZWNJ/ZWJ, soft hyphen, bidi marks, BOM. */
const DROPPED = /[\u064B-\u065F\u0670\u0640\u06D6-\u06ED\u200C\u200D\u00AD\u200E\u200F\u202A-\u202E\u2066-\u2069\uFEFF]/;
const COMBINING = /\p{M}/u;
const WORD_CHAR = /[\p{L}\p{N}]/u;

const foldCache = new Map<string, string>();

/** Folds one code point; returns '' for characters that vanish (marks, tatweel). */
export function foldChar(ch: string): string {
  const code = ch.charCodeAt(0);
  if (code < 0x80) return code >= 0x41 && code <= 0x5a ? String.fromCharCode(code + 32) : ch;
  let folded = foldCache.get(ch);
  if (folded === undefined) {
    folded = foldRare(ch);
    if (foldCache.size < 4096) foldCache.set(ch, folded);
  }
  return folded;
}

function foldRare(ch: string): string {
  if (DROPPED.test(ch)) return '';
  const arabic = ARABIC_FOLD[ch];
  if (arabic !== undefined) return arabic;
  const code = ch.codePointAt(0) ?? 0;
  if (code >= 0x0660 && code <= 0x0669) return String(code - 0x0660);
  if (code >= 0x06f0 && code <= 0x06f9) return String(code - 0x06f0);
  const lower = ch.toLowerCase();
  const ligature = LATIN_LIGATURES[lower];
  if (ligature !== undefined) return ligature;
  // NFKD also unfolds compatibility forms (Arabic presentation forms, ﬁ) to base letters.
  let out = '';
  for (const c of lower.normalize('NFKD')) {
    if (COMBINING.test(c)) continue;
    out += ARABIC_FOLD[c] ?? c;
  }
  return out;
}

/** Folds a whole string (no offsets): for building dictionaries. */
export function foldText(text: string): string {
  let out = '';
  for (const ch of text) out += foldChar(ch);
  return out;
}

const wordCache = new Map<string, boolean>();
function isWordChar(folded: string): boolean {
  const code = folded.charCodeAt(0);
  if (code < 0x80) return (code >= 0x61 && code <= 0x7a) || (code >= 0x30 && code <= 0x39);
  let word = wordCache.get(folded);
  if (word === undefined) {
    word = WORD_CHAR.test(folded);
    if (wordCache.size < 4096) wordCache.set(folded, word);
  }
  return word;
}

/** Splits `text` into folded word tokens, keeping original offsets. */
export function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let current: Token | null = null;
  let i = 0;
  while (i < text.length) {
    const code = text.codePointAt(i) ?? 0;
    const width = code > 0xffff ? 2 : 1;
    const ch = text.slice(i, i + width);
    const folded = foldChar(ch);
    if (folded === '') {
      // A vanished mark inside a word keeps the word going (tashkeel, combining accents).
      if (current) current.end = i + width;
    } else if (isWordChar(folded)) {
      if (!current) {
        current = { text: '', start: i, end: i, charStarts: [] };
        tokens.push(current);
      }
      for (const f of folded) {
        current.text += f;
        current.charStarts.push(i);
      }
      current.end = i + width;
    } else {
      current = null;
    }
    i += width;
  }
  return tokens;
}

/** Tokens of a dictionary phrase (folded texts only). */
export function phraseTokens(phrase: string): string[] {
  return tokenize(phrase).map((t) => t.text);
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
