/**
 * The matching engine: names of KB entities found in a text, as `MatchSpan`s.
 *
 * ```ts
 * const matcher = buildMatcher(kb.entities);   // or Matcher.fromCache(cached)
 * const doc = newDocState();                    // one per page load
 * matcher.match(firstChunk, doc);               // spans sorted by start, offsets into the chunk
 * matcher.match(insertedChunk, doc);            // full names seen earlier still qualify short forms
 * ```
 *
 * Rules, in order:
 * 1. Every occurrence of every name and short form is found by one scan (./automaton.ts).
 * 2. An occurrence of an English name capitalised after its first word, written in lower case
 *    after its first word ("the Russian armed forces"), is a description: it is dropped first.
 * 3. Leftmost-longest: among overlapping occurrences the leftmost wins, then the longest; an
 *    occurrence that wins but is not reported (an unqualified short form, an ambiguous name) still
 *    hides what it covers, so "Bagheri" inside "Ali Bagheri Kani" is never Mohammad Bagheri.
 * 4. A full name (`names`) owned by one entity is reported (`via: 'name'`). A full name owned by
 *    several is reported for the one named unambiguously elsewhere in the document, else skipped.
 * 5. A short form (`short`) is reported (`via: 'short'`) for an owner whose full name is in the
 *    document (the nearest preceding full mention wins when several owners are named); otherwise
 *    only when it belongs to no other entity (neither as a name or short form, nor as a part of
 *    another entity's full name) and the owner does not set `shortNeedsFullName`.
 * 6. Country names inside the name of an organisation, agreement, exercise or event ("Iran-China
 *    Joint Military Commission") are reported too, nested inside it: they name the country (this is
 *    the only way spans overlap; they never cross).
 * 7. Fuzzy (`via: 'fuzzy'`): a capitalised token one edit (Damerau) away from a capitalised token of
 *    >= 7 letters of a full name, directly next to another token of that same name ("Mohammad Reza
 *    Ashtinai"), when that identifies one entity.
 */
import type { Entity, EntityType } from '../kb/schema';
import type { MatchSpan } from '../messaging/protocol-page';
import {
  FLAG_FUZZY_TARGET,
  FUZZY_MIN_LETTERS,
  MAX_PATTERN_TOKENS,
  Scanner,
  compileAutomaton,
  foldedKey,
  vocabularyId,
  vocabularyKey,
  type AutomatonData,
} from './automaton';
import { CJK, EXPAND, IGNORE, UNCASED, UPPER, charTables, tokenize, type Token } from './normalise';

/**
 * Version of the serialised matcher (`MatcherCache`). Increase when the format or the matching
 * rules baked into it (tokenisation, folding, owners) change: a cache with another version is
 * rebuilt instead of loaded.
 */
export const MATCHER_CACHE_FORMAT = 7;

const NAME = 0;
const SHORT = 1;

/** Per-document state for incremental matching (one per page load). */
export interface DocState {
  /** Entities named by a full name so far, with the document position of the latest full mention. */
  named: Map<string, number>;
  /** Document position of the start of the next chunk. */
  base: number;
}

export function newDocState(): DocState {
  return { named: new Map(), base: 0 };
}

/** The serialised matcher: typed arrays' buffers and strings, for IndexedDB. */
export interface MatcherCache {
  format: number;
  /** Free label chosen by the caller (e.g. the KB version), checked by the caller. */
  label: string;
  buffers: Record<string, ArrayBuffer>;
  /** JSON: `[ids, types]`. */
  entities: string;
  aliasCount: number;
}

interface Tables extends AutomatonData {
  /**
   * Fuzzy index (CSR by token id): for a known token, the long capitalised tokens of full names next
   * to it (`fuzzyTarget`), their name (`fuzzyPattern`) and `position << 1 | 1 when the target comes
   * after the known token` (`fuzzyInfo`). Compiled with the rest, so that a matcher loaded from the
   * cache needs no build on its first fuzzy candidate (60-75 ms at 100k names in a woken worker).
   */
  fuzzyStart: Int32Array;
  fuzzyTarget: Int32Array;
  fuzzyPattern: Int32Array;
  fuzzyInfo: Int32Array;
  /** Per pattern: owners (CSR), each `entityIndex << 1 | kind`. */
  ownerStart: Int32Array;
  owners: Int32Array;
  /** Per pattern: 1 when the (short) form also occurs inside another entity's name. */
  patShared: Uint8Array;
  /** Per pattern: bit i set when token i (i >= 1) is capitalised in the name (see `writtenAsName`). */
  patCaps: Int32Array;
  /** Per entity: `shortNeedsFullName`. */
  needsFull: Uint8Array;
}

type ArrayCtor = Int32ArrayConstructor | Uint8ArrayConstructor | Uint16ArrayConstructor;
const TABLE_TYPES: Record<keyof Tables, ArrayCtor> = {
  vocabTable: Int32Array, vocabOff: Int32Array, vocabLen: Uint16Array,
  vocabChars: Uint16Array, vocabCase: Uint8Array, tokenFilter: Int32Array, cliticBloom: Int32Array, tokenFlags: Uint8Array, rootNext: Int32Array, cliticAlt: Int32Array,
  gotoState: Int32Array, gotoToken: Int32Array, gotoNext: Int32Array, fail: Int32Array, out: Int32Array,
  dict: Int32Array, patLen: Uint8Array, patTokStart: Int32Array, patToks: Int32Array,
  ownerStart: Int32Array, owners: Int32Array, patShared: Uint8Array, patCaps: Int32Array, needsFull: Uint8Array,
  fuzzyStart: Int32Array, fuzzyTarget: Int32Array, fuzzyPattern: Int32Array, fuzzyInfo: Int32Array,
};

/** Characters each side of a fuzzy match within which it is extended over the rest of the name. */
const FUZZY_WINDOW = 120;
/** The narrower window tried first (see `Matcher.extendFuzzy`). */
const FUZZY_FIRST_WINDOW = 40;

const NESTING_TYPES: ReadonlySet<EntityType> = new Set(['organization', 'agreement', 'exercise', 'event']);

/**
 * Tokens of a name. No name runs across a hard separator in a text, so: a trailing parenthesis is
 * a qualifier and goes ("Zolfaghar (missile)" → "Zolfaghar", "… memorandum (2016)" →
 * "… memorandum"); a name still containing a hard separator keeps its longest part
 * ("Opération « Vraie Promesse »" → "Vraie Promesse"), and is dropped when that part is a single
 * token (a lone "Opération" would be a false positive).
 */
export function nameTokens(name: string): Token[] {
  const tokens = tokenize((name.includes('(') && name.replace(/\s*\([^()]*\)\s*$/, '')) || name);
  const parts: Token[][] = [];
  for (const t of tokens) {
    if (t.afterHard || parts.length === 0) parts.push([]);
    parts[parts.length - 1]!.push(t);
  }
  if (parts.length <= 1) return tokens;
  const best = parts.reduce((a, b) => (b.length > a.length ? b : a));
  return best.length > 1 ? best : [];
}

const patternKey = (tokens: readonly Token[]) =>
  tokens.map((t) => (t.allCaps && t.letters <= 5 ? '^' : '') + t.key).join(' ');

/** Compiles the names of `entities` (all languages) into a matcher. */
export function buildMatcher(entities: readonly Entity[]): Matcher {
  const byKey = new Map<string, { tokens: Token[]; owners: number[]; caps: number }>();
  const add = (name: string, entity: number, kind: number, lang: string) => {
    const tokens = nameTokens(name);
    if (tokens.length === 0 || tokens.length > MAX_PATTERN_TOKENS) return;
    const key = patternKey(tokens);
    // English capitalises every word of a proper name, so lower case there marks a description;
    // French, Spanish… capitalise only the first word and write the rest either way.
    let caps = 0;
    if (lang === 'en') for (let i = 1; i < Math.min(tokens.length, 31); i++) if (tokens[i]!.capitalised) caps |= 1 << i;
    let p = byKey.get(key);
    if (!p) {
      p = { tokens, owners: [], caps };
      byKey.set(key, p);
    } else p.caps &= caps; // the same name written with less capitals elsewhere: the lenient one
    const owner = (entity << 1) | kind;
    if (p.owners.includes(owner)) return;
    // A name and a short form of the same entity: the name.
    if (kind === SHORT && p.owners.includes(entity << 1)) return;
    if (kind === NAME) p.owners = p.owners.filter((o) => o !== ((entity << 1) | SHORT));
    p.owners.push(owner);
  };
  entities.forEach((e, i) => {
    for (const [lang, list] of Object.entries(e.names ?? {})) for (const n of list ?? []) add(n, i, NAME, lang);
    add(e.name, i, NAME, 'en');
    for (const [lang, list] of Object.entries(e.short ?? {})) for (const n of list ?? []) add(n, i, SHORT, lang);
  });
  const patterns = [...byKey.values()];

  // Short forms that also occur inside another entity's full name (1 or 2 tokens, contiguous).
  const shortKeys = new Map<string, number>();
  patterns.forEach((p, i) => {
    if (p.owners.some((o) => (o & 1) === SHORT) && p.tokens.length <= 2) shortKeys.set(p.tokens.map((t) => t.key).join(' '), i);
  });
  const patShared = new Uint8Array(patterns.length);
  if (shortKeys.size > 0) {
    const check = (key: string, p: (typeof patterns)[number]) => {
      const s = shortKeys.get(key);
      if (s === undefined) return;
      const shortOwners = patterns[s]!.owners;
      for (const o of p.owners) {
        if ((o & 1) !== NAME) continue;
        const e = o >> 1;
        if (!shortOwners.some((x) => x >> 1 === e)) patShared[s] = 1;
      }
    };
    for (const p of patterns) {
      const t = p.tokens;
      if (t.length < 2 || !p.owners.some((o) => (o & 1) === NAME)) continue;
      for (let i = 0; i < t.length; i++) {
        check(t[i]!.key, p);
        if (i + 1 < t.length && t.length > 2) check(`${t[i]!.key} ${t[i + 1]!.key}`, p);
      }
    }
  }

  const automaton = compileAutomaton(patterns.map((p) => p.tokens));
  const ownerStart = new Int32Array(patterns.length + 1);
  const owners: number[] = [];
  patterns.forEach((p, i) => {
    ownerStart[i] = owners.length;
    owners.push(...p.owners);
  });
  ownerStart[patterns.length] = owners.length;
  const ownerArray = Int32Array.from(owners);
  const tables: Tables = {
    ...automaton,
    patCaps: Int32Array.from(patterns, (p) => p.caps),
    ownerStart,
    owners: ownerArray,
    patShared,
    needsFull: Uint8Array.from(entities, (e) => (e.shortNeedsFullName ? 1 : 0)),
    ...fuzzyTables(automaton, ownerStart, ownerArray),
  };
  return new Matcher(tables, entities.map((e) => e.id), entities.map((e) => e.type), patterns.length);
}

/** The fuzzy index of a compiled automaton (see `Tables.fuzzyStart`): counted, then filled. */
function fuzzyTables(a: AutomatonData, ownerStart: Int32Array, owners: Int32Array): Pick<Tables, 'fuzzyStart' | 'fuzzyTarget' | 'fuzzyPattern' | 'fuzzyInfo'> {
  const { patTokStart, patToks, tokenFlags } = a;
  const nPat = patTokStart.length - 1;
  /** Calls `visit(neighbour, target, pattern, info)` for each entry, in pattern order. */
  const each = (visit: (nb: number, target: number, pattern: number, info: number) => void) => {
    for (let p = 0; p < nPat; p++) {
      let named = false;
      for (let k = ownerStart[p]!; k < ownerStart[p + 1]!; k++) if ((owners[k]! & 1) === NAME) named = true;
      if (!named) continue;
      const from = patTokStart[p]!;
      const to = patTokStart[p + 1]!;
      for (let j = from; j < to; j++) {
        const target = patToks[j]!;
        if ((tokenFlags[target]! & FLAG_FUZZY_TARGET) === 0) continue;
        if (j > from) visit(patToks[j - 1]!, target, p, ((j - from) << 1) | 1);
        if (j + 1 < to) visit(patToks[j + 1]!, target, p, (j - from) << 1);
      }
    }
  };
  const fuzzyStart = new Int32Array(tokenFlags.length + 1);
  each((nb) => fuzzyStart[nb + 1]!++);
  for (let i = 1; i < fuzzyStart.length; i++) fuzzyStart[i]! += fuzzyStart[i - 1]!;
  const n = fuzzyStart[fuzzyStart.length - 1]!;
  const fuzzyTarget = new Int32Array(n);
  const fuzzyPattern = new Int32Array(n);
  const fuzzyInfo = new Int32Array(n);
  const next = fuzzyStart.slice(0, -1);
  each((nb, target, pattern, info) => {
    const slot = next[nb]!++;
    fuzzyTarget[slot] = target;
    fuzzyPattern[slot] = pattern;
    fuzzyInfo[slot] = info;
  });
  return { fuzzyStart, fuzzyTarget, fuzzyPattern, fuzzyInfo };
}

/**
 * The occurrences kept by leftmost-longest, as parallel arrays (sorted by start, not overlapping).
 * One per matcher, reused from one `match` to the next: `match` allocates little beyond its spans.
 */
interface Chosen {
  count: number;
  start: Int32Array;
  end: Int32Array;
  pattern: Int32Array;
}

/** `arr` when it holds `n` items, else a larger empty one. */
function atLeast(arr: Int32Array, n: number): Int32Array {
  return arr.length >= n ? arr : new Int32Array(Math.max(n, arr.length * 2));
}

/** Order of the spans a match returns: by start, then the longer (containing) one first. */
const spanOrder = (x: MatchSpan, y: MatchSpan) => x.start - y.start || y.end - x.end;

/** Edit distance <= 1 with adjacent transposition (restricted Damerau–Levenshtein). */
export function withinOneEdit(a: string, b: string): boolean {
  if (a === b) return true;
  const la = a.length;
  const lb = b.length;
  if (Math.abs(la - lb) > 1) return false;
  let i = 0;
  while (i < la && i < lb && a[i] === b[i]) i++;
  if (la === lb) {
    if (a.slice(i + 1) === b.slice(i + 1)) return true; // substitution
    return a[i] === b[i + 1] && a[i + 1] === b[i] && a.slice(i + 2) === b.slice(i + 2); // transposition
  }
  return la > lb ? a.slice(i + 1) === b.slice(i) : a.slice(i) === b.slice(i + 1);
}

/**
 * A name written in capitals after its first word ("Russian Armed Forces", "Islamic State") is
 * the name only when the text capitalises at least one of those words too: "the Russian armed
 * forces", "an Islamic state" are descriptions. `caps` has bit i set for each capitalised token i
 * (i >= 1) of the name; the tokens of text[start, end) are counted as the scanner cuts them.
 */
const K_UPPER: number = UPPER;
const K_CJK: number = CJK;
const K_IGNORE: number = IGNORE;
const K_UNCASED: number = UNCASED;
const K_EXPAND: number = EXPAND;

function writtenAsName(text: string, start: number, end: number, caps: number): boolean {
  const { cls } = charTables();
  let token = -1;
  let inToken = false;
  for (let i = start; i < end; i++) {
    const k = cls[text.charCodeAt(i)]!;
    if (k >= K_UNCASED && k <= K_EXPAND) {
      if (!inToken) {
        token++;
        inToken = true;
        if (token < 31 && (caps & (1 << token)) !== 0 && k === K_UPPER) return true;
      }
    } else if (k === K_CJK) {
      token++;
      inToken = false;
    } else if (k !== K_IGNORE) inToken = false;
  }
  return false;
}

/** True when [start, end) overlaps one of `chosen`. */
function overlapsChosen(chosen: Chosen, start: number, end: number): boolean {
  let lo = 0;
  let hi = chosen.count;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (chosen.end[mid]! <= start) lo = mid + 1;
    else hi = mid;
  }
  return lo < chosen.count && chosen.start[lo]! < end;
}

export class Matcher {
  /** Number of distinct names and short forms compiled. */
  readonly aliasCount: number;
  private readonly t: Tables;
  private readonly ids: string[];
  private readonly types: EntityType[];
  /** Folded spellings of the vocabulary tokens fuzzy matching compared (see `tokenKey`). */
  private readonly keys = new Map<number, string>();
  /** Scanner and scratch arrays, reused by every `match` (built on the first). */
  private scanner?: Scanner;
  private order: Int32Array = new Int32Array(0);
  private chosen: Chosen = { count: 0, start: new Int32Array(0), end: new Int32Array(0), pattern: new Int32Array(0) };
  private resolved: Int32Array = new Int32Array(0);
  /** Per entity: 1 for the types whose names may contain a nested country name, 2 for countries. */
  private entityKind?: Uint8Array;
  /** Per entity: position of its latest full mention in the current chunk (-1: none), see pass 1. */
  private namedAt?: Int32Array;

  constructor(tables: Tables, ids: string[], types: EntityType[], aliasCount: number) {
    this.t = tables;
    this.ids = ids;
    this.types = types;
    this.aliasCount = aliasCount;
  }

  /** Serialised form, to store (structured-clonable: ArrayBuffers and strings). */
  toCache(label = ''): MatcherCache {
    const buffers: Record<string, ArrayBuffer> = {};
    for (const name of Object.keys(TABLE_TYPES) as (keyof Tables)[]) {
      const a = this.t[name];
      buffers[name] = a.buffer.slice(a.byteOffset, a.byteOffset + a.byteLength) as ArrayBuffer;
    }
    return { format: MATCHER_CACHE_FORMAT, label, buffers, entities: JSON.stringify([this.ids, this.types]), aliasCount: this.aliasCount };
  }

  /** Loads a serialised matcher; throws when the format differs (rebuild then). */
  static fromCache(cache: MatcherCache): Matcher {
    if (cache.format !== MATCHER_CACHE_FORMAT) throw new Error(`matcher cache format ${cache.format}, expected ${MATCHER_CACHE_FORMAT}`);
    const t = {} as Record<string, Int32Array | Uint8Array | Uint16Array>;
    for (const [name, Ctor] of Object.entries(TABLE_TYPES)) {
      const buf = cache.buffers[name];
      if (!(buf instanceof ArrayBuffer)) throw new Error(`matcher cache: missing ${name}`);
      t[name] = new Ctor(buf);
    }
    const [ids, types] = JSON.parse(cache.entities) as [string[], EntityType[]];
    return new Matcher(t as unknown as Tables, ids, types, cache.aliasCount);
  }

  /** Entity ids in build order (for diagnostics and tests). */
  get entityIds(): readonly string[] {
    return this.ids;
  }

  /**
   * Finds the entities named in `text`. `doc` carries what earlier chunks of the same page named;
   * without it the text is a document on its own. Spans are sorted by start (nested country spans
   * follow their container).
   */
  match(text: string, doc: DocState = newDocState()): MatchSpan[] {
    const raw = (this.scanner ??= new Scanner(this.t)).scan(text);
    const { ownerStart, owners, needsFull, patShared, patCaps } = this.t;
    const base = doc.base;
    doc.base += text.length;
    const nRaw = raw.count;
    // Leftmost-longest over all occurrences (indexes sorted by start, then longest first).
    const order = (this.order = atLeast(this.order, nRaw));
    for (let i = 0; i < nRaw; i++) order[i] = i;
    const rs = raw.start;
    const re = raw.end;
    const rp = raw.pattern;
    // Occurrences come ordered by end; a start is at most MAX_PATTERN_TOKENS tokens back, so the
    // order is nearly sorted already and insertion sort is linear in practice.
    for (let j = 1; j < nRaw; j++) {
      const x = order[j]!;
      let q = j - 1;
      while (q >= 0) {
        const y = order[q]!;
        if (rs[y]! < rs[x]! || (rs[y] === rs[x] && re[y]! >= re[x]!)) break;
        order[q + 1] = y;
        q--;
      }
      order[q + 1] = x;
    }
    const chosen = this.chosen;
    chosen.start = atLeast(chosen.start, nRaw);
    chosen.end = atLeast(chosen.end, nRaw);
    chosen.pattern = atLeast(chosen.pattern, nRaw);
    const cs = chosen.start;
    const ce = chosen.end;
    const cp = chosen.pattern;
    let nChosen = 0;
    let lastEnd = -1;
    for (let j = 0; j < nRaw; j++) {
      const i = order[j]!;
      if (rs[i]! >= lastEnd) {
        const caps = patCaps[rp[i]!]!;
        if (caps !== 0 && !writtenAsName(text, rs[i]!, re[i]!, caps)) {
          order[j] = -1; // a description, not the name: not an occurrence at all
          continue;
        }
        cs[nChosen] = rs[i]!;
        ce[nChosen] = re[i]!;
        cp[nChosen++] = rp[i]!;
        lastEnd = re[i]!;
      }
    }
    chosen.count = nChosen;

    // Per chosen occurrence: the entity (-1: none), and 1 << 30 when it is a short form.
    const VIA_SHORT = 1 << 30;
    const resolved = (this.resolved = atLeast(this.resolved, nChosen));
    resolved.fill(-1, 0, nChosen);
    // Pass 1: full names with one owner. `doc.named` is written once per entity afterwards, with
    // the same final positions and insertion order as one write per occurrence (fewer Map writes).
    const namedAt = (this.namedAt ??= new Int32Array(this.ids.length).fill(-1));
    const touched: number[] = [];
    for (let i = 0; i < nChosen; i++) {
      const p = cp[i]!;
      let name = -1;
      let names = 0;
      for (let k = ownerStart[p]!; k < ownerStart[p + 1]!; k++) {
        if ((owners[k]! & 1) === NAME) {
          names++;
          name = owners[k]! >> 1;
        }
      }
      if (names === 1) {
        resolved[i] = name;
        if (namedAt[name]! < 0) touched.push(name);
        namedAt[name] = base + cs[i]!;
      }
    }
    for (const e of touched) {
      doc.named.set(this.ids[e]!, namedAt[e]!);
      namedAt[e] = -1;
    }
    // Pass 2: shared full names, then short forms.
    for (let i = 0; i < nChosen; i++) {
      if (resolved[i]! >= 0) continue;
      const p = cp[i]!;
      const from = ownerStart[p]!;
      const to = ownerStart[p + 1]!;
      let names = 0;
      for (let k = from; k < to; k++) if ((owners[k]! & 1) === NAME) names++;
      const pos = base + cs[i]!;
      if (names > 1) {
        resolved[i] = this.nearestNamed(p, true, pos, doc);
        continue;
      }
      let e = this.nearestNamed(p, false, pos, doc);
      if (e < 0 && to - from === 1 && needsFull[owners[from]! >> 1] === 0 && patShared[p] === 0) e = owners[from]! >> 1;
      resolved[i] = e >= 0 ? e | VIA_SHORT : -1;
    }
    const spans: MatchSpan[] = [];
    for (let i = 0; i < nChosen; i++) {
      const r = resolved[i]!;
      if (r < 0) continue;
      const e = r & (VIA_SHORT - 1);
      spans.push({ start: cs[i]!, end: ce[i]!, id: this.ids[e]!, type: this.types[e]!, via: r & VIA_SHORT ? 'short' : 'name' });
    }
    // Spans found by the passes below, merged into `spans` at the end (sorted by start already).
    const extra: MatchSpan[] = [];

    // Countries named inside a longer name of an organisation, agreement, exercise or event.
    if (nChosen < nRaw) {
      const kind = this.entityKinds();
      const nested = new Set<number>();
      let j = 0;
      for (let c = 0; c < nChosen; c++) {
        const outerStart = cs[c]!;
        const outerEnd = ce[c]!;
        const outerPat = cp[c]!;
        let nesting = true;
        for (let k = ownerStart[outerPat]!; k < ownerStart[outerPat + 1]!; k++) if (kind[owners[k]! >> 1] !== 1) nesting = false;
        if (!nesting) continue;
        while (j < nRaw && (order[j]! < 0 || rs[order[j]!]! < outerStart)) j++;
        for (let q = j; q < nRaw && (order[q]! < 0 || rs[order[q]!]! < outerEnd); q++) {
          const i = order[q]!;
          if (i < 0) continue;
          const p = rp[i]!;
          if (re[i]! > outerEnd || (rs[i] === outerStart && re[i] === outerEnd)) continue;
          if (ownerStart[p + 1]! - ownerStart[p]! !== 1) continue;
          const o = owners[ownerStart[p]!]!;
          const e = o >> 1;
          if ((o & 1) !== NAME || kind[e] !== 2 || nested.has(rs[i]!)) continue;
          nested.add(rs[i]!); // the same span may come twice (main and proclitic tracks)
          extra.push({ start: rs[i]!, end: re[i]!, id: this.ids[e]!, type: 'country', via: 'name' });
          doc.named.set(this.ids[e]!, base + rs[i]!);
        }
      }
    }

    for (let i = 0; i < raw.fuzzyCount; i++) {
      const s = this.fuzzy(text, raw.fuzzyStart[i]!, raw.fuzzyEnd[i]!, raw.fuzzyNeighbour[i]!, raw.fuzzyLeft[i] === 1, chosen);
      if (s) extra.push(s);
    }
    if (extra.length === 0) return spans;
    // Same result as a stable sort of `spans` followed by `extra`, without sorting ~10k spans
    // again for a few nested or fuzzy ones (the sort was ~1 ms on the large page).
    extra.sort(spanOrder);
    const merged: MatchSpan[] = [];
    let a = 0;
    let b = 0;
    while (a < spans.length && b < extra.length) merged.push(spanOrder(spans[a]!, extra[b]!) <= 0 ? spans[a++]! : extra[b++]!);
    while (a < spans.length) merged.push(spans[a++]!);
    while (b < extra.length) merged.push(extra[b++]!);
    return merged;
  }

  /** Per entity: 1 for organisations, agreements, exercises and events, 2 for countries, else 0. */
  private entityKinds(): Uint8Array {
    if (!this.entityKind) {
      this.entityKind = new Uint8Array(this.types.length);
      this.types.forEach((t, e) => {
        if (NESTING_TYPES.has(t)) this.entityKind![e] = 1;
        else if (t === 'country') this.entityKind![e] = 2;
      });
    }
    return this.entityKind;
  }

  /**
   * Among the owners of `pattern` (full-name owners only when `namesOnly`), the one named fully in
   * the document nearest before `pos` (else the first after), or -1.
   */
  private nearestNamed(pattern: number, namesOnly: boolean, pos: number, doc: DocState): number {
    const { ownerStart, owners } = this.t;
    let best = -1;
    let bestPos = 0;
    for (let k = ownerStart[pattern]!; k < ownerStart[pattern + 1]!; k++) {
      const o = owners[k]!;
      if (namesOnly && (o & 1) !== NAME) continue;
      const e = o >> 1;
      const at = doc.named.get(this.ids[e]!);
      if (at === undefined) continue;
      const better = best < 0 || (at <= pos ? bestPos > pos || at > bestPos : bestPos > pos && at < bestPos);
      if (better) {
        best = e;
        bestPos = at;
      }
    }
    return best;
  }

  /** The folded spelling of vocabulary token `id` (kept once asked: fuzzy candidates repeat). */
  private tokenKey(id: number): string {
    let key = this.keys.get(id);
    if (key === undefined) this.keys.set(id, (key = vocabularyKey(this.t, id)));
    return key;
  }

  /**
   * The token at [start, end) extended over the tokens around it that spell the rest of `pattern`
   * (the token is its `pos`-th), as `tokenize` cuts text[start - margin, end + margin); null when
   * the token is not one of them. With a margin below FUZZY_WINDOW the answer must be the one the
   * FUZZY_WINDOW window gives, or undefined: the tokens next to a cut edge of the narrower window
   * may differ from the wider one's (a token cut in two, the first token counted after a hard
   * separator, the dot rule looking at the characters around a "."), so reading one of them makes
   * the answer undefined. Why: tokenising 2 x 120 characters for each of the ~50 fuzzy matches of
   * the large page was ~5 % of the whole match.
   */
  private extendFuzzy(text: string, start: number, end: number, pattern: number, pos: number, margin: number): { start: number; end: number } | null | undefined {
    const from = Math.max(0, start - margin);
    const to = Math.min(text.length, end + margin);
    const window = tokenize(text.slice(from, to));
    const wide = margin >= FUZZY_WINDOW;
    // Indexes of the tokens known to be tokenised as in the wide window.
    const lo = wide || from === 0 ? 0 : 2;
    const hi = wide || to === text.length ? window.length - 1 : window.length - 3;
    const k = window.findIndex((tk) => tk.start + from === start);
    if (k < 0) return wide ? null : undefined;
    if (k < lo || k > hi) return undefined;
    const pat = this.t.patToks.subarray(this.t.patTokStart[pattern]!, this.t.patTokStart[pattern + 1]!);
    let a = k;
    while (pos - (k - a) - 1 >= 0) {
      if (a - 1 < lo) {
        if (lo === 0) break;
        return undefined;
      }
      if (window[a]!.afterHard || vocabularyId(this.t, window[a - 1]!.key) !== pat[pos - (k - a) - 1]) break;
      a--;
    }
    let b = k;
    while (pos + (b - k) + 1 < pat.length) {
      if (b + 1 > hi) {
        if (hi === window.length - 1) break;
        return undefined;
      }
      if (window[b + 1]!.afterHard || vocabularyId(this.t, window[b + 1]!.key) !== pat[pos + (b - k) + 1]) break;
      b++;
    }
    return { start: window[a]!.start + from, end: window[b]!.end + from };
  }

  /** A fuzzy span for the unknown token at [start, end) next to known token `neighbour`, or null. */
  private fuzzy(text: string, start: number, end: number, neighbour: number, neighbourLeft: boolean, chosen: Chosen): MatchSpan | null {
    if (overlapsChosen(chosen, start, end)) return null;
    const { ownerStart, owners, fuzzyStart, fuzzyTarget, fuzzyPattern, fuzzyInfo, vocabLen } = this.t;
    const from = fuzzyStart[neighbour]!;
    const to = fuzzyStart[neighbour + 1]!;
    if (from === to) return null;
    const key = foldedKey(text, start, end);
    if (key.length < FUZZY_MIN_LETTERS) return null;
    const hits = new Map<number, { pattern: number; pos: number }>(); // entity → where in which name
    const side = neighbourLeft ? 1 : 0;
    for (let i = from; i < to; i++) {
      const info = fuzzyInfo[i]!;
      const target = fuzzyTarget[i]!;
      if ((info & 1) !== side || Math.abs(vocabLen[target]! - key.length) > 1 || !withinOneEdit(key, this.tokenKey(target))) continue;
      const pattern = fuzzyPattern[i]!;
      for (let k = ownerStart[pattern]!; k < ownerStart[pattern + 1]!; k++) {
        const o = owners[k]!;
        if ((o & 1) === NAME) hits.set(o >> 1, { pattern, pos: info >> 1 });
      }
    }
    if (hits.size !== 1) return null;
    const [entity, hit] = [...hits][0]!;
    // Extend over the neighbouring tokens that follow the name's own token order: within
    // FUZZY_WINDOW characters each side, tokenised again (in a narrower window first: see `extendFuzzy`).
    const ext = this.extendFuzzy(text, start, end, hit.pattern, hit.pos, FUZZY_FIRST_WINDOW) ?? this.extendFuzzy(text, start, end, hit.pattern, hit.pos, FUZZY_WINDOW);
    if (!ext) return null;
    let s = ext.start;
    let e = ext.end;
    if (overlapsChosen(chosen, s, e)) {
      s = start;
      e = end;
    }
    return { start: s, end: e, id: this.ids[entity]!, type: this.types[entity]!, via: 'fuzzy' };
  }
}
