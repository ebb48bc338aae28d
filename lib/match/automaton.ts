/**
 * A token-level Aho–Corasick automaton: one linear pass over a text finds every occurrence of every
 * name, whatever the number of names.
 *
 * - The scanner walks the text once, classifying and folding each UTF-16 unit with the tables of
 *   ./normalise.ts, and hashes each token's folded form on the fly (FNV-1a).
 * - The hash is looked up in an open-addressing table of the vocabulary (tokens that occur in some
 *   name), giving a token id or -1; the id drives the automaton (goto from the root in a direct
 *   array, other gotos in an open-addressing table keyed by (state, token), failure and output links).
 * - Hard separators (sentence punctuation, line breaks) reset the state: no name runs across them.
 * - Arabic proclitics: a token that is not in the vocabulary but starts with و ف ب ك ل (or وب, ول,
 *   فب…, or لل standing for ل + ال) is looked up again without them; such a token can only start a
 *   name, and the match covers the whole token, proclitic included.
 * - Case: vocabulary tokens written in capitals with at most 5 letters ("SCO", "US") are stored as
 *   case-sensitive entries, found only when the text token is in capitals too.
 *
 * Everything lives in typed arrays, so a compiled automaton serialises to a few ArrayBuffers
 * (`AutomatonData`) that the background caches in IndexedDB and loads instead of rebuilding.
 */
import * as N from './normalise';
import { charTables, type Token } from './normalise';

// Local copies of the character classes: imported bindings can compile to getters (CommonJS
// interop in tsx/esbuild), which costs a call per character in the scanner.
const CJK: number = N.CJK;
const DOT: number = N.DOT;
const EXPAND: number = N.EXPAND;
const HARD: number = N.HARD;
const IGNORE: number = N.IGNORE;
const LOWER: number = N.LOWER;
const UPPER: number = N.UPPER;
const EXPANDED: number = N.EXPANDED;
const dotIsSoft = N.dotIsSoft;
const { expand1: EXPAND1, expand2: EXPAND2 } = charTables();
/**
 * Per code unit, what a token starting with it may need beyond a plain lookup: 1 = upper case
 * (case-sensitive entries, fuzzy candidates), 2 = Arabic proclitic letter.
 */
const FIRST_KIND = (() => {
  const { cls, fold } = charTables();
  const t = new Uint8Array(65536);
  for (let c = 0; c < 65536; c++) {
    const f = fold[c]!;
    if (cls[c] === UPPER) t[c] = 1;
    else if (f === 0x648 || f === 0x641 || f === 0x628 || f === 0x643 || f === 0x644) t[c] = 2;
  }
  return t;
})();
/** Longer tokens are never in the vocabulary. */
const MAX_TOKEN_CHARS = 256;

/** Longest name, in tokens; longer names are not compiled. */
export const MAX_PATTERN_TOKENS = 32;
/** All-caps tokens up to this many letters match case-sensitively. */
export const MAX_CASE_SENSITIVE_LETTERS = 5;
/** Tokens this long (letters) and capitalised may be matched one edit away (fuzzy). */
export const FUZZY_MIN_LETTERS = 7;

const FNV_OFFSET = 0x811c9dc5 | 0;
const FNV_PRIME = 16777619;
/** Mixed into the hash of case-sensitive vocabulary entries. */
const CASE_SALT = 0x5bd1e995;
const RING = 64; // > MAX_PATTERN_TOKENS, power of two

/** Token flags. */
export const FLAG_FUZZY_TARGET = 1;
export const FLAG_FUZZY_NEIGHBOUR = 2;
/** `cliticAlt` has an entry for the token (read only then: one array access less per token). */
export const FLAG_CLITIC_ALT = 4;

/** Arabic proclitic letters (folded): و ف ب ك ل. */
const WAW = 0x648;
const FA = 0x641;
const BA = 0x628;
const KAF = 0x643;
const LAM = 0x644;
const ALEF = 0x627;

/** The compiled automaton, as plain typed arrays (also the serialised form). */
export interface AutomatonData {
  /**
   * Vocabulary open-addressing table, 4 ints per slot (one cache line): hash, token id + 1 (0 =
   * empty), folded length | case-sensitive << 16, offset in `vocabChars`. Interleaved because at
   * 100k names (2^18 slots) separate arrays cost a cache miss each per looked-up token.
   */
  vocabTable: Int32Array;
  /** Per token id: offset and length of its folded characters in `vocabChars`, flags. */
  vocabOff: Int32Array;
  vocabLen: Uint16Array;
  vocabChars: Uint16Array;
  vocabCase: Uint8Array;
  /**
   * The scanner's first test of every text token, from its hash: a blocked Bloom filter, one 32-bit
   * word per block (picked by the hash's top bits), 2 bits per key in a 16-bit half (see
   * `filterBits`). Low half: the tokens that can start a name; high half: every vocabulary token.
   * Most text tokens stop here, after one memory access.
   */
  tokenFilter: Int32Array;
  /**
   * Bloom filter (2 bits per key) over Arabic first tokens with proclitics ("والصين", "للصين"):
   * probed only for tokens that start with و ف ب ك ل, so that its size (many variants per name)
   * stays out of the common path.
   */
  cliticBloom: Int32Array;
  tokenFlags: Uint8Array;
  /** Root gotos by token id (-1: none). */
  rootNext: Int32Array;
  /**
   * Per token id: the id of the token without its Arabic proclitic when that one starts a name
   * (-1: none). "والصين" can be a token of a name ("بين إيران والصين") and also و + "الصين": the
   * scanner then follows the second reading on a side track.
   */
  cliticAlt: Int32Array;
  /** Other gotos: open-addressing table of (state, token) → next state; `gotoState` -1 = empty. */
  gotoState: Int32Array;
  gotoToken: Int32Array;
  gotoNext: Int32Array;
  /** Per state: failure link, pattern ending here (-1), next state on the failure chain with an output (0 = none). */
  fail: Int32Array;
  out: Int32Array;
  dict: Int32Array;
  /** Per pattern: length in tokens; tokens (CSR: `patTokStart[p]..patTokStart[p+1]` in `patToks`). */
  patLen: Uint8Array;
  patTokStart: Int32Array;
  patToks: Int32Array;
}

/** Raw occurrences found by a scan (parallel arrays, `count` used). */
export interface ScanResult {
  count: number;
  start: Int32Array;
  end: Int32Array;
  pattern: Int32Array;
  /** Capitalised tokens of >= FUZZY_MIN_LETTERS unknown to the vocabulary, next to a fuzzy neighbour. */
  fuzzyCount: number;
  /** Token id of the known neighbour, and 1 when it is on the left of the candidate. */
  fuzzyNeighbour: Int32Array;
  fuzzyLeft: Uint8Array;
  fuzzyStart: Int32Array;
  fuzzyEnd: Int32Array;
}

function isCaseSensitive(t: Token): boolean {
  return t.allCaps && t.letters <= MAX_CASE_SENSITIVE_LETTERS;
}

/** Proclitic sequences written before a name's first token (و ف ب ك ل, وب, ول, فب…). */
const PROCLITIC_PREFIXES = ['و', 'ف', 'ب', 'ك', 'ل', 'وب', 'وك', 'ول', 'فب', 'فك', 'فل'];
/** ل + ال written لل, after an optional و / ف (the token's "ال" is dropped). */
const ARTICLE_PREFIXES = ['لل', 'ولل', 'فلل'];

/** FNV-1a of `prefix` + `s` from `from` (the scanner's token hash), salted for case-sensitive keys. */
function hashString(s: string, caseSensitive: boolean, prefix = '', from = 0): number {
  let h = FNV_OFFSET;
  for (let i = 0; i < prefix.length; i++) h = Math.imul(h ^ prefix.charCodeAt(i), FNV_PRIME);
  for (let i = from; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), FNV_PRIME);
  return caseSensitive ? Math.imul(h ^ CASE_SALT, FNV_PRIME) : h;
}

const slotOf = (h: number, mask: number) => (h ^ (h >>> 16)) & mask;
/** Second Bloom bit of a hash (the first is its top bits). */
const BLOOM_MIX = 0x9e3779b1 | 0;

/** A Bloom filter for `keys` keys: 8 bits per key, 2^12 to 2^24 bits. */
function newBloom(keys: number): Int32Array {
  const bits = Math.min(24, Math.max(12, Math.ceil(Math.log2(keys * 8 + 1))));
  return new Int32Array(1 << (bits - 5));
}

/** The shift that takes a hash's top bits as a bit index of `bloom`. */
function bloomShift(bloom: Int32Array): number {
  return 32 - Math.log2(bloom.length * 32);
}

function bloomAdd(bloom: Int32Array, h: number): void {
  const shift = bloomShift(bloom);
  const b1 = h >>> shift;
  const b2 = Math.imul(h, BLOOM_MIX) >>> shift;
  bloom[b1 >>> 5]! |= 1 << (b1 & 31);
  bloom[b2 >>> 5]! |= 1 << (b2 & 31);
}

function bloomHas(bloom: Int32Array, shift: number, h: number): boolean {
  const b1 = h >>> shift;
  if ((bloom[b1 >>> 5]! & (1 << (b1 & 31))) === 0) return false;
  const b2 = Math.imul(h, BLOOM_MIX) >>> shift;
  return (bloom[b2 >>> 5]! & (1 << (b2 & 31))) !== 0;
}

/**
 * The two bits of a hash in its `tokenFilter` word, as a mask of the low half (`<< 16` for the
 * high half): from the top bits of the hash times an odd constant, which depend on all its bits
 * (the block itself is the hash's top bits). Why a blocked filter: with a start filter and a
 * vocabulary filter of the classic kind, a token cost up to four scattered accesses (64 kB and
 * 128 kB at 100k names, beyond L1) and was ~14 % of the whole match at 100k names.
 */
function filterBits(h: number): number {
  const m = Math.imul(h, BLOOM_MIX);
  return (1 << (m >>> 28)) | (1 << ((m >>> 24) & 15));
}

/** The shift that takes a hash's top bits as a word index of `tokenFilter`. */
function filterShift(filter: Int32Array): number {
  return 32 - Math.log2(filter.length);
}
const gotoSlot = (state: number, token: number, mask: number) => {
  const h = Math.imul(state, 0x9e3779b1) ^ Math.imul(token + 1, 0x85ebca77);
  return (h ^ (h >>> 15)) & mask;
};

function pow2AtLeast(n: number): number {
  let c = 16;
  while (c < n) c *= 2;
  return c;
}

/**
 * Compiles patterns (token sequences) into an automaton. Pattern ids are the indexes in `patterns`;
 * identical token sequences should be merged by the caller (the second would never be reported).
 */
export function compileAutomaton(patterns: readonly Token[][]): AutomatonData {
  // Vocabulary.
  const vocab = new Map<string, number>(); // case-insensitive entries
  const vocabUpper = new Map<string, number>(); // case-sensitive entries
  const vocabKeys: string[] = [];
  const vocabCs: boolean[] = [];
  const tokenIds = (tokens: readonly Token[]) =>
    tokens.map((t) => {
      const cs = isCaseSensitive(t);
      const map = cs ? vocabUpper : vocab;
      let id = map.get(t.key);
      if (id === undefined) {
        id = vocabKeys.length;
        map.set(t.key, id);
        vocabKeys.push(t.key);
        vocabCs.push(cs);
      }
      return id;
    });
  const patIds = patterns.map(tokenIds);
  const nTok = vocabKeys.length;
  const vocabCap = pow2AtLeast(nTok * 2);
  const vocabTable = new Int32Array(vocabCap * 4);
  const vocabOff = new Int32Array(nTok);
  const vocabLen = new Uint16Array(nTok);
  const vocabCase = new Uint8Array(nTok);
  const totalChars = vocabKeys.reduce((n, k) => n + k.length, 0);
  const vocabChars = new Uint16Array(totalChars);
  // Arabic first tokens with proclitics ("والصين", "للصين") are start keys too, so that the hot
  // loop rejects every other token without looking at its letters.
  const firstTokens = new Set(patIds.map((ids) => ids[0]).filter((id): id is number => id !== undefined));
  const startHashes: number[] = [];
  const cliticHashes: number[] = [];
  for (const id of firstTokens) {
    const key = vocabKeys[id]!;
    startHashes.push(hashString(key, vocabCs[id]!));
    const c0 = key.charCodeAt(0);
    if (vocabCs[id] || c0 < 0x600 || c0 > 0x6ff) continue;
    for (const prefix of PROCLITIC_PREFIXES) cliticHashes.push(hashString(key, false, prefix));
    if (key.startsWith('ال')) for (const prefix of ARTICLE_PREFIXES) cliticHashes.push(hashString(key, false, prefix, 2));
  }
  // 8 bits per vocabulary key in the high half (the start keys are fewer, in the low half).
  const tokenFilter = new Int32Array(pow2AtLeast(Math.max(1024, nTok / 2)));
  const fShift = filterShift(tokenFilter);
  const cliticBloom = newBloom(cliticHashes.length);
  for (const h of startHashes) tokenFilter[h >>> fShift]! |= filterBits(h);
  for (const h of cliticHashes) bloomAdd(cliticBloom, h);
  let off = 0;
  for (let id = 0; id < nTok; id++) {
    const key = vocabKeys[id]!;
    vocabOff[id] = off;
    vocabLen[id] = key.length;
    vocabCase[id] = vocabCs[id] ? 1 : 0;
    for (let i = 0; i < key.length; i++) vocabChars[off++] = key.charCodeAt(i);
    const h = hashString(key, vocabCs[id]!);
    let s = slotOf(h, vocabCap - 1);
    while (vocabTable[s * 4 + 1] !== 0) s = (s + 1) & (vocabCap - 1);
    vocabTable[s * 4] = h;
    vocabTable[s * 4 + 1] = id + 1;
    vocabTable[s * 4 + 2] = key.length | (vocabCs[id] ? 1 << 16 : 0);
    vocabTable[s * 4 + 3] = vocabOff[id]!;
    tokenFilter[h >>> fShift]! |= filterBits(h) << 16;
  }

  // Fuzzy flags: long capitalised tokens, and their neighbours within a name.
  const tokenFlags = new Uint8Array(nTok);
  patterns.forEach((tokens, p) => {
    const ids = patIds[p]!;
    tokens.forEach((t, i) => {
      if (t.capitalised && t.letters >= FUZZY_MIN_LETTERS && !isCaseSensitive(t)) {
        tokenFlags[ids[i]!]! |= FLAG_FUZZY_TARGET;
        if (i > 0) tokenFlags[ids[i - 1]!]! |= FLAG_FUZZY_NEIGHBOUR;
        if (i + 1 < ids.length) tokenFlags[ids[i + 1]!]! |= FLAG_FUZZY_NEIGHBOUR;
      }
    });
  });

  // Trie: gotos from the root in a direct array, others in a growing open-addressing table;
  // parent and token per state give the breadth-first order for the failure links without
  // per-state child lists (building 100k names must not drown in garbage).
  const rootNext = new Int32Array(nTok).fill(-1);
  let gotoCap = 1024;
  let gotoState = new Int32Array(gotoCap).fill(-1);
  let gotoToken = new Int32Array(gotoCap);
  let gotoNext = new Int32Array(gotoCap);
  let gotoCount = 0;
  const gotoFind = (st: number, t: number): number => {
    for (let x = gotoSlot(st, t, gotoCap - 1); ; x = (x + 1) & (gotoCap - 1)) {
      const v = gotoState[x]!;
      if (v === -1) return -1;
      if (v === st && gotoToken[x] === t) return gotoNext[x]!;
    }
  };
  const gotoPut = (st: number, t: number, n: number) => {
    let x = gotoSlot(st, t, gotoCap - 1);
    while (gotoState[x] !== -1) x = (x + 1) & (gotoCap - 1);
    gotoState[x] = st;
    gotoToken[x] = t;
    gotoNext[x] = n;
  };
  let stateCap = 1024;
  let parent = new Int32Array(stateCap);
  let viaToken = new Int32Array(stateCap);
  let depth = new Uint8Array(stateCap);
  let outArr = new Int32Array(stateCap).fill(-1);
  let nStates = 1;
  const patLen = new Uint8Array(patterns.length);
  const patTokStart = new Int32Array(patterns.length + 1);
  let patTokCount = 0;
  for (const ids of patIds) patTokCount += ids.length;
  const patToks = new Int32Array(patTokCount);
  let maxDepth = 0;
  patIds.forEach((ids, p) => {
    patTokStart[p] = patTokCount = p === 0 ? 0 : patTokStart[p - 1]! + patIds[p - 1]!.length;
    patToks.set(ids, patTokCount);
    patLen[p] = ids.length;
    if (ids.length === 0 || ids.length > MAX_PATTERN_TOKENS) return;
    let st = 0;
    for (const t of ids) {
      let n = st === 0 ? rootNext[t]! : gotoFind(st, t);
      if (n < 0) {
        n = nStates++;
        if (n >= stateCap) {
          stateCap *= 2;
          const grow32 = (a: Int32Array, fill = 0) => {
            const b = new Int32Array(stateCap).fill(fill);
            b.set(a);
            return b;
          };
          parent = grow32(parent);
          viaToken = grow32(viaToken);
          outArr = grow32(outArr, -1);
          const d = new Uint8Array(stateCap);
          d.set(depth);
          depth = d;
        }
        parent[n] = st;
        viaToken[n] = t;
        depth[n] = depth[st]! + 1;
        if (depth[n]! > maxDepth) maxDepth = depth[n]!;
        if (st === 0) rootNext[t] = n;
        else {
          if ((gotoCount + 1) * 2 > gotoCap) {
            const old = [gotoState, gotoToken, gotoNext] as const;
            gotoCap *= 2;
            gotoState = new Int32Array(gotoCap).fill(-1);
            gotoToken = new Int32Array(gotoCap);
            gotoNext = new Int32Array(gotoCap);
            for (let x = 0; x < old[0].length; x++) if (old[0][x] !== -1) gotoPut(old[0][x]!, old[1][x]!, old[2][x]!);
          }
          gotoPut(st, t, n);
          gotoCount++;
        }
      }
      st = n;
    }
    if (outArr[st] === -1) outArr[st] = p;
  });
  patTokStart[patterns.length] = patToks.length;
  const out = outArr.slice(0, nStates);
  const fail = new Int32Array(nStates);
  const dict = new Int32Array(nStates);
  const data: AutomatonData = {
    vocabTable, vocabOff, vocabLen, vocabChars, vocabCase, tokenFilter, cliticBloom, tokenFlags,
    rootNext, cliticAlt: new Int32Array(nTok).fill(-1), gotoState, gotoToken, gotoNext, fail, out, dict,
    patLen, patTokStart, patToks,
  };
  for (let id = 0; id < nTok; id++) {
    if (vocabCs[id]) continue;
    const key = vocabKeys[id]!;
    for (const rest of stripProclitics(key)) {
      const alt = vocab.get(rest);
      if (alt !== undefined && alt !== id && rootNext[alt]! >= 0) {
        data.cliticAlt[id] = alt;
        tokenFlags[id]! |= FLAG_CLITIC_ALT;
        break;
      }
    }
  }
  // Failure and output links, by increasing depth (counting sort of the states by depth).
  const byDepthStart = new Int32Array(maxDepth + 2);
  for (let n = 1; n < nStates; n++) byDepthStart[depth[n]! + 1]!++;
  for (let d = 1; d <= maxDepth + 1; d++) byDepthStart[d]! += byDepthStart[d - 1]!;
  const order = new Int32Array(nStates);
  const fillAt = byDepthStart.slice();
  for (let n = 1; n < nStates; n++) order[fillAt[depth[n]!]!++] = n;
  for (let q = 0; q < nStates - 1; q++) {
    const n = order[q]!;
    const st = parent[n]!;
    if (st === 0) continue; // depth 1: fail to the root
    const t = viaToken[n]!;
    let f = fail[st]!;
    let target = -1;
    for (;;) {
      target = step(data, f, t);
      if (target >= 0 || f === 0) break;
      f = fail[f]!;
    }
    const fl = target >= 0 ? target : 0;
    fail[n] = fl;
    dict[n] = out[fl]! >= 0 ? fl : dict[fl]!;
  }
  return data;
}

/** Readings of an Arabic token without its proclitics, shortest strip first (same rules as the scanner). */
function stripProclitics(key: string): string[] {
  const out: string[] = [];
  if (key.length < 4) return out;
  let p = 0;
  if (key[0] === 'و' || key[0] === 'ف') {
    out.push(key.slice(1));
    p = 1;
  }
  const c1 = key[p];
  if (key.length - p >= 4 && (c1 === 'ب' || c1 === 'ك' || c1 === 'ل')) {
    out.push(key.slice(p + 1));
    if (c1 === 'ل' && key[p + 1] === 'ل' && key.length - p - 2 >= 2) out.push('ال' + key.slice(p + 2));
  }
  return out;
}

/** Goto from `state` on `token`, -1 when there is none. */
function step(a: AutomatonData, state: number, token: number): number {
  if (state === 0) return a.rootNext[token]!;
  const mask = a.gotoState.length - 1;
  let s = gotoSlot(state, token, mask);
  for (;;) {
    const st = a.gotoState[s]!;
    if (st === -1) return -1;
    if (st === state && a.gotoToken[s] === token) return a.gotoNext[s]!;
    s = (s + 1) & mask;
  }
}

/** Token id of a folded string (-1 when not in the vocabulary). For tests and slow paths. */
export function vocabularyId(a: AutomatonData, key: string, caseSensitive = false): number {
  const h = hashString(key, caseSensitive);
  const mask = (a.vocabTable.length >> 2) - 1;
  for (let s = slotOf(h, mask); ; s = (s + 1) & mask) {
    const id = a.vocabTable[s * 4 + 1]! - 1;
    if (id < 0) return -1;
    if (a.vocabTable[s * 4] === h && a.vocabCase[id] === (caseSensitive ? 1 : 0) && a.vocabLen[id] === key.length) {
      const o = a.vocabOff[id]!;
      let same = true;
      for (let i = 0; i < key.length; i++) if (a.vocabChars[o + i] !== key.charCodeAt(i)) same = false;
      if (same) return id;
    }
  }
}

/** Folded characters of a token id. */
export function vocabularyKey(a: AutomatonData, id: number): string {
  const o = a.vocabOff[id]!;
  return String.fromCharCode(...a.vocabChars.subarray(o, o + a.vocabLen[id]!));
}

/** Lookup of buf[from, from+len) (optionally preceded by "ال"), case-insensitive entries only. */
function lookupPart(a: AutomatonData, buf: Uint16Array, from: number, len: number, withAl: boolean): number {
  const { vocabTable, vocabOff, vocabLen, vocabChars, vocabCase } = a;
  const vMask = (vocabTable.length >> 2) - 1;
  let h = FNV_OFFSET;
  if (withAl) {
    h = Math.imul(h ^ ALEF, FNV_PRIME);
    h = Math.imul(h ^ LAM, FNV_PRIME);
  }
  for (let i = 0; i < len; i++) h = Math.imul(h ^ buf[from + i]!, FNV_PRIME);
  const total = len + (withAl ? 2 : 0);
  for (let s = slotOf(h, vMask); ; s = (s + 1) & vMask) {
    const id = vocabTable[s * 4 + 1]! - 1;
    if (id < 0) return -1;
    if (vocabTable[s * 4] === h && vocabLen[id] === total && vocabCase[id] === 0) {
      let o = vocabOff[id]!;
      let ok = true;
      if (withAl) ok = vocabChars[o] === ALEF && vocabChars[o + 1] === LAM;
      o += withAl ? 2 : 0;
      for (let i = 0; ok && i < len; i++) if (vocabChars[o + i] !== buf[from + i]) ok = false;
      if (ok) return id;
    }
  }
}

/** True when text[from, to) has upper-case letters and no lower-case ones. */
function allCaps(cls: Uint8Array, text: string, from: number, to: number): boolean {
  let upper = false;
  for (let i = from; i < to; i++) {
    const k = cls[text.charCodeAt(i)]!;
    if (k === LOWER || k === EXPAND) return false;
    if (k === UPPER) upper = true;
  }
  return upper;
}

function growBytes(arr: Uint8Array): Uint8Array {
  const n = new Uint8Array(arr.length * 2);
  n.set(arr);
  return n;
}

function grow(arr: Int32Array): Int32Array {
  const n = new Int32Array(arr.length * 2);
  n.set(arr);
  return n;
}

/**
 * Scans `text` once and reports every pattern occurrence (overlapping ones included), in order of
 * end. Offsets are UTF-16 offsets into `text`. The result belongs to the caller; a `Scanner` reuses
 * its arrays from one text to the next instead.
 */
export function scan(a: AutomatonData, text: string): ScanResult {
  return new Scanner(a).scan(text);
}

const { cls: CLS, fold: FOLD } = charTables();

/**
 * The scanner: one pass over the text, without a normalised copy and without intermediate token
 * records. Its result arrays are reused by the next `scan` (a `Matcher` keeps one scanner, so a
 * page's match allocates no scan buffers once they have grown to the page's size).
 *
 * Hot-loop choices (large generated page, 707k characters, 112k tokens; `npx tsx bench/profile.ts`):
 * - The character loop and the cheap rejection of a token (`tokenFilter`, from the hash computed
 *   on the fly) are one loop; only the tokens that pass (25–42k) go to `token`, which does the
 *   exact work (vocabulary, automaton, outputs). The previous design wrote 4-int records per block
 *   and read them back in a second loop, and probed a vocabulary Bloom filter twice: fusing them
 *   took the scan from ~7 ms to ~5.2 ms (best of 15 runs, bundled KB).
 * - The letters of a token have an inner loop of their own (index and hash only): 5.2 -> 4.5 ms.
 * - A plain token (no marks, no two-letter folds) is compared with the vocabulary entry through the
 *   fold table, without first folding it into a buffer.
 */
export class Scanner {
  private readonly a: AutomatonData;
  // The automaton's arrays, as fields of this class: the automaton object comes in more than one
  // shape (built, or loaded from the cache with its properties in another order), and reading
  // them from it in the hot paths made those reads polymorphic once both had been scanned (the
  // benchmark measured 7.3 ms a match after the engine had loaded a cache, 5.8 ms before).
  private readonly tokenFilter: Int32Array;
  private readonly cliticBloom: Int32Array;
  private readonly vocabTable: Int32Array;
  private readonly vocabChars: Uint16Array;
  private readonly tokenFlags: Uint8Array;
  private readonly rootNext: Int32Array;
  private readonly cliticAlt: Int32Array;
  private readonly gotoState: Int32Array;
  private readonly gotoToken: Int32Array;
  private readonly gotoNext: Int32Array;
  private readonly fail: Int32Array;
  private readonly out: Int32Array;
  private readonly dict: Int32Array;
  private readonly patLen: Uint8Array;
  private readonly fShift: number;
  private readonly vMask: number;
  private readonly gMask: number;
  private readonly buf = new Uint16Array(MAX_TOKEN_CHARS);
  private readonly ringStart = new Int32Array(RING);
  private readonly result: ScanResult;
  private text = '';
  // Automaton state between tokens.
  private state = 0;
  /** Side track started by a token's proclitic reading (0: none). */
  private altState = 0;
  private tokIndex = 0;
  /** Flags of the previous token (0 after a hard separator or an unknown token). */
  private prevFlags = 0;
  /** Meaningful only while `prevFlags !== 0`. */
  private prevId = -1;
  /** Start of an unknown long capitalised token waiting for its right neighbour (-1: none). */
  private pendingFuzzy = -1;
  private pendingFuzzyEnd = 0;

  constructor(a: AutomatonData) {
    this.a = a;
    this.tokenFilter = a.tokenFilter;
    this.cliticBloom = a.cliticBloom;
    this.vocabTable = a.vocabTable;
    this.vocabChars = a.vocabChars;
    this.tokenFlags = a.tokenFlags;
    this.rootNext = a.rootNext;
    this.cliticAlt = a.cliticAlt;
    this.gotoState = a.gotoState;
    this.gotoToken = a.gotoToken;
    this.gotoNext = a.gotoNext;
    this.fail = a.fail;
    this.out = a.out;
    this.dict = a.dict;
    this.patLen = a.patLen;
    this.fShift = filterShift(a.tokenFilter);
    this.vMask = (a.vocabTable.length >> 2) - 1;
    this.gMask = a.gotoState.length - 1;
    this.result = {
      count: 0, start: new Int32Array(256), end: new Int32Array(256), pattern: new Int32Array(256),
      fuzzyCount: 0, fuzzyNeighbour: new Int32Array(16), fuzzyLeft: new Uint8Array(16), fuzzyStart: new Int32Array(16), fuzzyEnd: new Int32Array(16),
    };
  }

  /**
   * Every pattern occurrence in `text`. The arrays of the result are this scanner's: valid until
   * its next `scan`.
   *
   * Tokenisation and the cheap filter (which tokens `token` sees, and which are a break) are those
   * of `tokenize` and of the former two-pass scanner: a token matters when it may start a name
   * (`tokenFilter`, low half), or may continue one (high half, right after a token that mattered: every
   * token of a name occurrence then reaches `token`), or is a capitalised candidate for
   * case-sensitive or fuzzy matching, or a CJK character. Others, and hard separators, are breaks.
   */
  scan(text: string): ScanResult {
    const r = this.result;
    r.count = 0;
    r.fuzzyCount = 0;
    this.text = text;
    this.state = 0;
    this.altState = 0;
    this.tokIndex = 0;
    this.prevFlags = 0;
    this.prevId = -1;
    this.pendingFuzzy = -1;
    const fold = FOLD;
    const cls = CLS;
    const filter = this.tokenFilter;
    const fShift = this.fShift;
    const clitic = this.cliticBloom;
    const cliticShift = bloomShift(clitic);
    let prevKept = false;
    let tokStart = -1;
    let h = 0;
    let first = 0;
    let plain = true; // the token's folded length is its length in code units
    let pendStart = -1; // a kept-back fuzzy candidate (start, end, hash, units)
    let pendEnd = 0;
    let pendHash = 0;
    let pendUnits = 0;
    const n = text.length;
    for (let i = 0; i <= n; i++) {
      // One past the end reads as a line break, which ends the last token.
      let c = i < n ? text.charCodeAt(i) : 10;
      let f = fold[c]!;
      if (f !== 0) {
        if (tokStart < 0) {
          tokStart = i;
          h = FNV_OFFSET;
          first = c;
          plain = true;
        }
        // The letters of the token, in a loop of their own: it carries only `i` and `h`.
        for (;;) {
          if (f !== EXPANDED) h = Math.imul(h ^ f, FNV_PRIME);
          else {
            h = Math.imul(Math.imul(h ^ EXPAND1[c]!, FNV_PRIME) ^ EXPAND2[c]!, FNV_PRIME);
            plain = false;
          }
          if (++i === n) {
            c = 10;
            break;
          }
          c = text.charCodeAt(i);
          f = fold[c]!;
          if (f === 0) break;
        }
      }
      let k = cls[c]!;
      if (k === IGNORE) {
        plain = false;
        continue;
      }
      if (tokStart >= 0) {
        // Code units of the token (marks included): `token` computes the folded length again
        // for tokens with marks, so the thresholds below only need to be generous.
        const units = i - tokStart;
        if (k === DOT) k = dotIsSoft(cls, text, i, tokStart, units) ? 0 : HARD;
        let word = filter[h >>> fShift]!;
        let bits = filterBits(h);
        let keep: boolean = (word & bits) === bits || ((prevKept || pendStart >= 0) && (word & (bits << 16)) === bits << 16);
        let fuzzyCandidate = false;
        if (!keep) {
          const kind = FIRST_KIND[first];
          if (kind === 2) keep = bloomHas(clitic, cliticShift, h);
          else if (kind === 1) {
            if (units >= FUZZY_MIN_LETTERS) fuzzyCandidate = true;
            else {
              const hc = Math.imul(h ^ CASE_SALT, FNV_PRIME);
              word = filter[hc >>> fShift]!;
              bits = filterBits(hc);
              keep = (word & bits) === bits || (prevKept && (word & (bits << 16)) === bits << 16);
            }
          }
        }
        const signedUnits = plain ? units : -units; // negative: marks or two-letter folds inside
        if (keep) {
          // The unknown capitalised token kept back before this one: a fuzzy candidate with a right neighbour.
          if (pendStart >= 0) this.token(pendStart, pendEnd, pendHash, pendUnits);
          this.token(tokStart, i, h, signedUnits);
        } else if (fuzzyCandidate && prevKept) {
          this.token(tokStart, i, h, signedUnits); // a fuzzy candidate with a left neighbour
        } else this.brk();
        pendStart = -1;
        if (fuzzyCandidate && !keep && !prevKept) {
          // Kept back until the next token shows whether it has a right neighbour.
          pendStart = tokStart;
          pendEnd = i;
          pendHash = h;
          pendUnits = signedUnits;
        }
        prevKept = keep;
        tokStart = -1;
      } else if (k === DOT) k = dotIsSoft(cls, text, i, -1, 0) ? 0 : HARD;
      if (k === CJK) {
        this.token(i, i + 1, Math.imul(FNV_OFFSET ^ c, FNV_PRIME), -1); // -1: folded by `token`
        prevKept = true;
        pendStart = -1;
      } else if (k === HARD) {
        prevKept = false;
        pendStart = -1;
        this.brk();
      }
    }
    return r;
  }

  /** A hard separator, or a token certainly not in the vocabulary: no name runs across it. */
  private brk(): void {
    this.state = 0;
    this.altState = 0;
    this.prevFlags = 0;
    this.pendingFuzzy = -1;
  }

  /** Vocabulary id of the token at `tokStart` with hash `hh`, in case class `cs`, or -1. */
  private lookup(hh: number, cs: number, len: number, tokStart: number, folded: boolean): number {
    const bits = filterBits(hh) << 16;
    if ((this.tokenFilter[hh >>> this.fShift]! & bits) !== bits) return -1;
    const vocabTable = this.vocabTable;
    const vocabChars = this.vocabChars;
    const vMask = this.vMask;
    const lenCase = len | (cs << 16);
    for (let s = slotOf(hh, vMask) * 4; ; s = (s + 4) & (vMask * 4 + 3)) {
      const v = vocabTable[s + 1]! - 1;
      if (v < 0) return -1;
      if (vocabTable[s] === hh && vocabTable[s + 2] === lenCase) {
        const o = vocabTable[s + 3]!;
        let j = 0;
        if (folded) {
          const buf = this.buf;
          while (j < len && vocabChars[o + j] === buf[j]) j++;
        } else {
          // Plain token: one code unit per folded character.
          const text = this.text;
          while (j < len && vocabChars[o + j] === FOLD[text.charCodeAt(tokStart + j)]) j++;
        }
        if (j === len) return v;
      }
    }
  }

  /**
   * A token that passed the filter: exact vocabulary lookup (case-sensitive entry first for short
   * all-caps tokens, then Arabic proclitics), fuzzy candidates, goto with failure links, outputs.
   * `units` < 0: the token has marks or two-letter folds (its folded length is computed here).
   */
  private token(tokStart: number, tokEnd: number, h: number, units: number): void {
    const a = this.a;
    const text = this.text;
    const buf = this.buf;
    let len = units;
    let folded = false;
    if (len < 0) {
      len = foldToken(text, tokStart, tokEnd, buf);
      folded = true;
    }
    const first = text.charCodeAt(tokStart);
    let id = -1;
    let clitic = false;
    if (len < MAX_TOKEN_CHARS) {
      if (len <= MAX_CASE_SENSITIVE_LETTERS && CLS[first] === UPPER && allCaps(CLS, text, tokStart, tokEnd)) {
        id = this.lookup(Math.imul(h ^ CASE_SALT, FNV_PRIME), 1, len, tokStart, folded);
      }
      if (id < 0) id = this.lookup(h, 0, len, tokStart, folded);
      if (id < 0 && len >= 4 && FIRST_KIND[first] === 2) {
        if (!folded) foldToken(text, tokStart, tokEnd, buf);
        const c0 = buf[0]!;
        // Proclitics: (و|ف)? (ب|ك|ل)? with "لل" = ل + ال; the rest keeps >= 3 letters.
        let p = 0;
        if (c0 === WAW || c0 === FA) {
          id = lookupPart(a, buf, 1, len - 1, false);
          p = 1;
        }
        const c1 = buf[p]!;
        if (id < 0 && len - p >= 4 && (c1 === BA || c1 === KAF || c1 === LAM)) {
          id = lookupPart(a, buf, p + 1, len - p - 1, false);
          if (id < 0 && c1 === LAM && buf[p + 1] === LAM && len - p - 2 >= 2) id = lookupPart(a, buf, p + 2, len - p - 2, true);
        }
        clitic = id >= 0;
      }
    }
    const tokenFlags = this.tokenFlags;
    // Fuzzy candidates: unknown long capitalised tokens next to a token that neighbours a long name token.
    if (this.pendingFuzzy >= 0) {
      if (id >= 0 && (tokenFlags[id]! & FLAG_FUZZY_NEIGHBOUR) !== 0) this.fuzzy(id, 0, this.pendingFuzzy, this.pendingFuzzyEnd);
      this.pendingFuzzy = -1;
    }
    if (id < 0) {
      if (len >= FUZZY_MIN_LETTERS && CLS[first] === UPPER) {
        if ((this.prevFlags & FLAG_FUZZY_NEIGHBOUR) !== 0) this.fuzzy(this.prevId, 1, tokStart, tokEnd);
        else {
          this.pendingFuzzy = tokStart;
          this.pendingFuzzyEnd = tokEnd;
        }
      }
      this.state = 0;
      this.altState = 0;
      this.prevFlags = 0;
      return;
    }
    const flags = tokenFlags[id]!;
    this.prevFlags = flags;
    this.prevId = id;
    const tokIndex = this.tokIndex;
    this.ringStart[tokIndex & (RING - 1)] = tokStart;
    const rootNext = this.rootNext;
    const out = this.out;
    const dict = this.dict;
    let state = clitic ? 0 : this.state;
    // Goto with failure links.
    for (;;) {
      let next = -1;
      if (state === 0) next = rootNext[id]!;
      else {
        const gMask = this.gMask;
        const gotoState = this.gotoState;
        const gotoToken = this.gotoToken;
        const gotoNext = this.gotoNext;
        for (let s = gotoSlot(state, id, gMask); ; s = (s + 1) & gMask) {
          const st = gotoState[s]!;
          if (st === -1) break;
          if (st === state && gotoToken[s] === id) {
            next = gotoNext[s]!;
            break;
          }
        }
      }
      if (next >= 0) {
        state = next;
        break;
      }
      if (state === 0) break;
      state = this.fail[state]!;
    }
    this.state = state;
    // Outputs.
    if (state !== 0) {
      let s = out[state]! >= 0 ? state : dict[state]!;
      while (s !== 0) {
        this.output(out[s]!, tokEnd);
        s = dict[s]!;
      }
    }
    // Side track: continue it (no failure links: the main track covers suffixes), or start it.
    let altState = this.altState;
    if (altState !== 0) altState = Math.max(0, step(a, altState, id));
    if (altState === 0 && (flags & FLAG_CLITIC_ALT) !== 0) altState = rootNext[this.cliticAlt[id]!]!;
    if (altState !== 0 && out[altState]! >= 0) this.output(out[altState]!, tokEnd);
    this.altState = altState;
    this.tokIndex = tokIndex + 1;
  }

  /** Pattern `p` ends at `end` with the current token. */
  private output(p: number, end: number): void {
    const r = this.result;
    const i = r.count;
    if (i === r.start.length) {
      r.start = grow(r.start);
      r.end = grow(r.end);
      r.pattern = grow(r.pattern);
    }
    r.start[i] = this.ringStart[(this.tokIndex - this.patLen[p]! + 1) & (RING - 1)]!;
    r.end[i] = end;
    r.pattern[i] = p;
    r.count = i + 1;
  }

  private fuzzy(neighbour: number, left: number, start: number, end: number): void {
    const r = this.result;
    const i = r.fuzzyCount;
    if (i === r.fuzzyStart.length) {
      r.fuzzyStart = grow(r.fuzzyStart);
      r.fuzzyEnd = grow(r.fuzzyEnd);
      r.fuzzyNeighbour = grow(r.fuzzyNeighbour);
      r.fuzzyLeft = growBytes(r.fuzzyLeft);
    }
    r.fuzzyNeighbour[i] = neighbour;
    r.fuzzyLeft[i] = left;
    r.fuzzyStart[i] = start;
    r.fuzzyEnd[i] = end;
    r.fuzzyCount = i + 1;
  }
}

const keyBuf = new Uint16Array(MAX_TOKEN_CHARS);

/** Folded form of the token text[from, to), as a string (slow paths). */
export function foldedKey(text: string, from: number, to: number): string {
  const len = foldToken(text, from, to, keyBuf);
  // `apply` on the typed array: spreading it goes through the iterator protocol, several times slower.
  return String.fromCharCode.apply(null, keyBuf.subarray(0, len) as unknown as number[]);
}

/** Writes the folded characters of text[from, to) into `buf` (CJK: one character). */
function foldToken(text: string, from: number, to: number, buf: Uint16Array): number {
  const { fold } = charTables();
  let len = 0;
  for (let i = from; i < to && len < MAX_TOKEN_CHARS - 1; i++) {
    const c = text.charCodeAt(i);
    const f = fold[c]!;
    if (f === EXPANDED) {
      buf[len++] = EXPAND1[c]!;
      buf[len++] = EXPAND2[c]!;
    } else if (f !== 0) buf[len++] = f;
    else if (cls0(c) === CJK) buf[len++] = c;
  }
  return len;
}

function cls0(c: number): number {
  return charTables().cls[c]!;
}
