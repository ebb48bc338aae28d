/**
 * Role mentions: "China's defence minister", "le ministre chinois de la Défense", "وزير الدفاع الصيني"
 * found in text and resolved to the person who held that office at the right date.
 *
 * Pure (no DOM, no browser API): runs in the extension's background and in the CLI alike.
 *
 * How a mention is resolved, strongest evidence first:
 * 1. `apposition`: a person's name span (from the name matcher, `ctx.names`) right after the phrase,
 *    possibly after a comma, quotes, a rank or an honorific ("Chinese defence minister at the time,
 *    General Chang Wanquan"; "وزير الدفاع الصيني انذاك الفريق "تشانغ وانغ تشون""), or right before it
 *    followed by a comma ("Chang Wanquan, Secrétaire chinois à la Défense").
 * 2. "former" / "ancien" / "السابق" / "late": never the holder at the article's date; the earlier
 *    holder only when the index knows exactly one earlier holder, else `id: null`.
 * 3. `sentence`: a year in the same sentence, when a "then" marker is present ("the then defence
 *    minister", "à l'époque", "آنذاك": the nearest year in the sentence), or when the sentence opens
 *    on it before the phrase ("In 2016, China's defence minister …", "عام 2016"). A year equal to
 *    the article's year is ignored in favour of the more precise article date.
 * 4. The article date (`ctx.date`, with its `ctx.dateSource`).
 *
 * Date edges (see `holderAt`): offices are compared as closed intervals of days
 * `[start of from, end of to]`, where a month- or year-precision date covers its whole month or
 * year and a missing `from`/`to` is open. On the day an office changes hands both intervals contain
 * the day; the SUCCESSOR wins from the day of appointment, so the predecessor holds it up to and
 * including `to` only when the successor starts later. Two holders overlapping by more than a
 * handover (two vice-chairmen, conflicting data) leave the mention unresolved. A period (a year from
 * the sentence) resolves to the holder who was in office for more than half of it, or to the only
 * one in office during it.
 *
 * Integration (engine): run the name matcher first, pass its spans as `ctx.names`, then add the role
 * mentions with `id !== null` as `MatchSpan`s with `via: 'role'` and
 * `role: { office, date, dateSource }`; on overlap with a name span the name span wins.
 */
import type { Entity, Office } from '../kb/schema';
import type { PageDateSource } from '../messaging/protocol-page';
import {
  APPOSITION_FILLERS,
  COUNTRY_FORMS,
  FORMER_MARKERS,
  INNER_MARKERS,
  NOT_AFTER,
  OFFICE_FAMILIES,
  THEN_MARKERS,
  type CountryKey,
  type OfficeFamily,
  type RoleLang,
} from './roles-lexicon';
import { charTables, EXPAND, HARD, IGNORE, isLetterClass } from './normalise';
import { arabicReadings, foldText, offsetInToken, phraseTokens, tokenize, tokenizeRange, type Token } from './roles-tokens';

export * from './roles-lexicon';
export { foldText, tokenize, type Token } from './roles-tokens';

/** One person's tenure of an office, as day numbers (days since 1970-01-01, UTC). */
export interface Tenure {
  id: string;
  /** First day; `-Infinity` when unknown. */
  start: number;
  /** Last day; `Infinity` while in office. */
  end: number;
  from?: string;
  to?: string;
  acting?: boolean;
}

export interface RoleIndex {
  /** Tenures per office, sorted by start. */
  offices: Map<Office, Tenure[]>;
  /** Ids of every person in the KB (apposition only accepts people). */
  people: Set<string>;
  /** Offices each person is known to have held (apposition rejects a person known only in other offices). */
  heldBy: Map<string, Set<Office>>;
}

export type RoleDateSource = PageDateSource | 'sentence' | 'apposition';

export interface RoleMention {
  /** UTF-16 offsets into the text: the office phrase itself, markers outside it excluded. */
  start: number;
  end: number;
  office: Office;
  /** The person meant; `null` when nobody (or nobody unambiguously) held the office then. */
  id: string | null;
  /** The date used: `YYYY-MM-DD` (article), or `YYYY` (year from the sentence). */
  date: string;
  dateSource: RoleDateSource;
  /** Marker found next to the phrase. */
  marker?: 'then' | 'former';
}

export interface RoleContext {
  /** The article's date, `YYYY-MM-DD` (month or year precision also accepted). */
  date: string;
  dateSource: PageDateSource;
  index: RoleIndex;
  /** Named-entity spans already found in the same text by the name matcher. */
  names?: { start: number; end: number; id: string }[];
}

// ---------------------------------------------------------------------------------------------
// Dates

/** Day number of a valid ISO date (`YYYY`, `YYYY-MM`, `YYYY-MM-DD`) at its first or last day, else null. */
export function dayNumber(iso: string, edge: 'start' | 'end'): number | null {
  const m = /^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$/.exec(iso.trim());
  if (!m) return null;
  const year = Number(m[1]);
  const month = m[2] === undefined ? null : Number(m[2]);
  const day = m[3] === undefined ? null : Number(m[3]);
  if (month !== null && (month < 1 || month > 12)) return null;
  const ms = 86_400_000;
  if (month === null) {
    return edge === 'start' ? Date.UTC(year, 0, 1) / ms : Date.UTC(year, 11, 31) / ms;
  }
  if (day === null) {
    return edge === 'start' ? Date.UTC(year, month - 1, 1) / ms : Date.UTC(year, month, 0) / ms;
  }
  const t = Date.UTC(year, month - 1, day);
  if (new Date(t).getUTCDate() !== day) return null;
  return t / ms;
}

/** Builds the office → tenures index from the people's `roles` (`office`, `from`, `to`). */
export function buildRoleIndex(entities: readonly Entity[]): RoleIndex {
  const offices = new Map<Office, Tenure[]>();
  const people = new Set<string>();
  const heldBy = new Map<string, Set<Office>>();
  for (const entity of entities) {
    if (entity.type !== 'person') continue;
    people.add(entity.id);
    for (const role of entity.roles ?? []) {
      if (!role.office) continue;
      const held = heldBy.get(entity.id) ?? new Set<Office>();
      held.add(role.office);
      heldBy.set(entity.id, held);
      const start = role.from === undefined ? -Infinity : dayNumber(role.from, 'start');
      const end = role.to === undefined ? Infinity : dayNumber(role.to, 'end');
      if (start === null || end === null || end < start) continue;
      const tenure: Tenure = { id: entity.id, start, end };
      if (role.from !== undefined) tenure.from = role.from;
      if (role.to !== undefined) tenure.to = role.to;
      if (role.acting) tenure.acting = true;
      const list = offices.get(role.office) ?? [];
      list.push(tenure);
      offices.set(role.office, list);
    }
  }
  for (const list of offices.values()) list.sort((a, b) => a.start - b.start);
  return { offices, people, heldBy };
}

/**
 * The person holding `office` during `[from, to]` (day numbers; equal for a single day), or null.
 * Rules in the module comment: successor wins on a handover day; a period goes to the holder in
 * office for more than half of it (or the only one).
 */
export function holderAt(index: RoleIndex, office: Office, from: number, to: number = from): string | null {
  const tenures = index.offices.get(office) ?? [];
  const overlapping = tenures.filter((t) => t.start <= to && t.end >= from);
  const ids = new Set(overlapping.map((t) => t.id));
  if (ids.size === 0) return null;
  if (ids.size === 1) return overlapping[0]!.id;
  if (from === to) {
    // Latest start first; everyone else must have ended by the time that holder started.
    const sorted = [...overlapping].sort((a, b) => b.start - a.start);
    const successor = sorted[0]!;
    const successorStartEnd = successor.from === undefined ? -Infinity : (dayNumber(successor.from, 'end') ?? successor.start);
    const handover = sorted.every((t) => t.id === successor.id || t.end <= successorStartEnd);
    return handover ? successor.id : null;
  }
  const length = to - from + 1;
  const days = new Map<string, number>();
  for (const t of overlapping) {
    const d = Math.min(t.end, to) - Math.max(t.start, from) + 1;
    days.set(t.id, (days.get(t.id) ?? 0) + d);
  }
  for (const [id, d] of days) if (d * 2 > length) return id;
  return null;
}

/** The only person who held `office` before `day` and is not its holder on `day`; null if none or several. */
export function formerHolder(index: RoleIndex, office: Office, day: number): string | null {
  const current = holderAt(index, office, day);
  const earlier = new Set(
    (index.offices.get(office) ?? []).filter((t) => t.start < day && t.id !== current).map((t) => t.id),
  );
  return earlier.size === 1 ? [...earlier][0]! : null;
}

// ---------------------------------------------------------------------------------------------
// Lexicon compilation

interface TrieNode {
  next: Map<string, TrieNode>;
  office?: Office;
  family?: string;
}

interface CompiledLexicon {
  root: TrieNode;
  notFollowedBy: Map<string, Set<string>>;
  notAfter: Set<string>;
  thenBefore: Set<string>;
  formerBefore: Set<string>;
  thenAfter: string[][];
  formerAfter: string[][];
  innerThen: Set<string>;
  innerFormer: Set<string>;
  fillers: Set<string>;
  /** Phrases that two offices both claimed (first one kept); a test keeps this empty. */
  conflicts: string[];
  phraseCount: number;
}

const GROUP = /\(([^()]*)\)/;
const SLOT = /\{(\w+)\}/;

/** Expands `(a|b|)` groups and `{slot}` country forms into plain phrases. */
export function expandPattern(pattern: string, country: CountryKey | null): string[] {
  const slot = SLOT.exec(pattern);
  if (slot) {
    if (country === null) throw new Error(`pattern needs a country: ${pattern}`);
    const all = COUNTRY_FORMS[country];
    const forms = slot[1] === 'C' ? [...(all.A ?? []), ...(all.P ?? [])] : all[slot[1]!];
    if (!forms) throw new Error(`unknown slot ${slot[1]} in ${pattern}`);
    return forms.flatMap((form) => expandPattern(pattern.replace(slot[0], form), country));
  }
  const group = GROUP.exec(pattern);
  if (group) {
    return group[1]!
      .split('|')
      .flatMap((alt) => expandPattern(pattern.slice(0, group.index) + alt + pattern.slice(group.index + group[0].length), country));
  }
  return [pattern.replace(/\s+/g, ' ').trim()];
}

/** Every (phrase, office) pair a family produces. */
export function familyPhrases(family: OfficeFamily): { phrase: string; office: Office; lang: RoleLang }[] {
  const out: { phrase: string; office: Office; lang: RoleLang }[] = [];
  for (const [lang, patterns] of Object.entries(family.patterns) as [RoleLang, string[]][]) {
    for (const pattern of patterns) {
      if (SLOT.test(pattern)) {
        for (const [country, office] of Object.entries(family.offices)) {
          if (country === 'none' || !office) continue;
          for (const phrase of expandPattern(pattern, country as CountryKey)) out.push({ phrase, office, lang });
        }
      } else {
        const office = family.offices.none;
        if (!office) throw new Error(`family ${family.key}: pattern without a country slot needs offices.none: ${pattern}`);
        for (const phrase of expandPattern(pattern, null)) out.push({ phrase, office, lang });
      }
    }
  }
  return out;
}

const foldedSet = (words: string[]): Set<string> => new Set(words.flatMap((w) => phraseTokens(w)));

/** Markers of one word only ("then", "former"): the ones checked right before a phrase. */
const singleWords = (words: string[]): Set<string> =>
  new Set(words.map(phraseTokens).filter((t) => t.length === 1).map((t) => t[0]!));

let compiled: CompiledLexicon | null = null;

/** The lexicon as a token trie (built once). */
export function compileLexicon(): CompiledLexicon {
  if (compiled) return compiled;
  const root: TrieNode = { next: new Map() };
  const notFollowedBy = new Map<string, Set<string>>();
  const conflicts: string[] = [];
  let phraseCount = 0;
  for (const family of OFFICE_FAMILIES) {
    if (family.notFollowedBy) notFollowedBy.set(family.key, foldedSet(family.notFollowedBy));
    for (const { phrase, office } of familyPhrases(family)) {
      const tokens = phraseTokens(phrase);
      if (tokens.length === 0) continue;
      let node = root;
      for (const token of tokens) {
        let child = node.next.get(token);
        if (!child) {
          child = { next: new Map() };
          node.next.set(token, child);
        }
        node = child;
      }
      if (node.office && node.office !== office) {
        conflicts.push(`${phrase}: ${node.office} / ${office}`);
        continue;
      }
      if (!node.office) phraseCount += 1;
      node.office = office;
      node.family = family.key;
    }
  }
  compiled = {
    root,
    notFollowedBy,
    notAfter: foldedSet(NOT_AFTER),
    thenBefore: singleWords(THEN_MARKERS.before),
    formerBefore: singleWords(FORMER_MARKERS.before),
    thenAfter: THEN_MARKERS.after.map(phraseTokens),
    formerAfter: FORMER_MARKERS.after.map(phraseTokens),
    innerThen: foldedSet(INNER_MARKERS.then),
    innerFormer: foldedSet(INNER_MARKERS.former),
    fillers: foldedSet(APPOSITION_FILLERS),
    conflicts,
    phraseCount,
  };
  return compiled;
}

// ---------------------------------------------------------------------------------------------
// Matching

/** Characters allowed between two words of one phrase: spaces (no line break), hyphens, apostrophes (and the dot of "U.S."). */
const PHRASE_GAP = /^[ \t\u00A0\u2009\u202F'’‘ʼ`\-‐‑‒–—.]*$/;

function gapOk(text: string, prev: Token, next: Token): boolean {
  const gap = text.slice(prev.end, next.start);
  if (!PHRASE_GAP.test(gap)) return false;
  // A dot only after an initial ("U.S."), never as a sentence end.
  if (gap.includes('.') && prev.text.length > 1) return false;
  return true;
}

/** Matches the marker sequence `words` starting at token `at`, all in one phrase-like run. */
function matchSequence(text: string, tokens: Token[], at: number, words: string[]): boolean {
  for (let k = 0; k < words.length; k++) {
    const token = tokens[at + k];
    if (!token || !arabicReadings(token.text).some((r) => r.text === words[k])) return false;
    if (k > 0 && !gapOk(text, tokens[at + k - 1]!, token)) return false;
  }
  return true;
}

/** An office phrase found in the text, before resolution. */
export interface RolePhrase {
  /** Indexes of its first and last tokens. */
  first: number;
  last: number;
  office: Office;
  /** `OfficeFamily.key` of the pattern that matched. */
  family: string;
  /** UTF-16 offset where the phrase starts (after an Arabic proclitic). */
  start: number;
  /** A marker inside the phrase ("China's then defence minister"). */
  marker?: 'then' | 'former';
}

/** True when no reading of `token` is a first word of any phrase (most tokens of a clause). */
function cannotStart(token: string, lex: CompiledLexicon): boolean {
  if (lex.root.next.has(token)) return false;
  const c = token.charCodeAt(0);
  // Only Arabic tokens have other readings (proclitics, see `arabicReadings`).
  if (c < 0x0621 || c > 0x064a) return true;
  for (const reading of arabicReadings(token)) if (lex.root.next.has(reading.text)) return false;
  return true;
}

/**
 * Depth-first walk of the phrase trie from token `j` (a function of its own, not a closure: this runs
 * for every candidate token, and a closure per call costs more than the walk).
 */
function walkTrie(
  text: string,
  tokens: Token[],
  lex: CompiledLexicon,
  found: { best: RolePhrase | null },
  node: TrieNode,
  j: number,
  first: number,
  start: number,
  marker: RolePhrase['marker'],
): void {
  if (node.office && j > first && (!found.best || j - 1 > found.best.last)) {
    const match: RolePhrase = { first, last: j - 1, office: node.office, family: node.family!, start };
    if (marker) match.marker = marker;
    found.best = match;
  }
  const token = tokens[j];
  if (!token) return;
  if (j > first && !gapOk(text, tokens[j - 1]!, token)) return;
  for (const reading of arabicReadings(token.text)) {
    const child = node.next.get(reading.text);
    if (child) {
      const s = j === first ? offsetInToken(text, token, reading.skip) : start;
      walkTrie(text, tokens, lex, found, child, j + 1, first, s, marker);
    }
  }
  if (j > first && node !== lex.root) {
    if (lex.innerThen.has(token.text)) walkTrie(text, tokens, lex, found, node, j + 1, first, start, 'then');
    else if (lex.innerFormer.has(token.text)) walkTrie(text, tokens, lex, found, node, j + 1, first, start, 'former');
  }
}

/** Longest phrase starting at token `i`, skipping "then"/"former" inside the phrase. */
function longestAt(text: string, tokens: Token[], i: number, lex: CompiledLexicon): RolePhrase | null {
  const token = tokens[i];
  if (!token || cannotStart(token.text, lex)) return null;
  const found: { best: RolePhrase | null } = { best: null };
  walkTrie(text, tokens, lex, found, lex.root, i, i, token.start, undefined);
  return found.best;
}

/** Finds office phrases in `text` (no resolution). Leftmost-longest, not overlapping. */
export function findRolePhrases(text: string, tokens: Token[] = tokenize(text)): RolePhrase[] {
  const lex = compileLexicon();
  const out: RolePhrase[] = [];
  let i = 0;
  while (i < tokens.length) {
    const m = longestAt(text, tokens, i, lex);
    if (!m) {
      i += 1;
      continue;
    }
    if (acceptable(text, tokens, m, lex)) {
      out.push(m);
      i = m.last + 1;
    } else {
      i += 1;
    }
  }
  return out;
}

/** Folded words that only count in capitals: "US" and "UN", not "us" and French "un". */
const CAPITALS_ONLY = new Set(['us', 'un']);

function acceptable(text: string, tokens: Token[], m: RolePhrase, lex: CompiledLexicon): boolean {
  for (let k = m.first; k <= m.last; k++) {
    const token = tokens[k]!;
    if (CAPITALS_ONLY.has(token.text) && text.slice(token.start, token.end) !== token.text.toUpperCase()) return false;
  }
  const before = tokens[m.first - 1];
  if (before && gapOk(text, before, tokens[m.first]!) && arabicReadings(before.text).some((r) => lex.notAfter.has(r.text))) {
    return false;
  }
  const stop = lex.notFollowedBy.get(m.family);
  if (stop) {
    let k = m.last + 1;
    if (tokens[k]?.text === 's' && gapOk(text, tokens[k - 1]!, tokens[k]!)) k += 1; // "IRGC's Navy"
    const next = tokens[k];
    if (next && gapOk(text, tokens[k - 1]!, next) && arabicReadings(next.text).some((r) => stop.has(r.text))) return false;
  }
  return true;
}

const ARTICLES = new Set(['the', 'le', 'la', 'l', 'les', 'a', 'an', 'un', 'une']);

/** "then"/"former" markers before or after the phrase; returns the marker and where the phrase context ends. */
function markers(text: string, tokens: Token[], m: RolePhrase, lex: CompiledLexicon): { marker?: 'then' | 'former'; afterEnd: number } {
  let marker = m.marker;
  // Before: the token right before, or the one before an article ("feu le président").
  for (let back = 1; back <= 2 && !marker; back++) {
    const token = tokens[m.first - back];
    if (!token || !gapOk(text, token, tokens[m.first - back + 1]!)) break;
    if (lex.formerBefore.has(token.text)) marker = 'former';
    else if (lex.thenBefore.has(token.text)) marker = 'then';
    else if (!ARTICLES.has(token.text)) break;
  }
  let afterEnd = tokens[m.last]!.end;
  const tryAfter = (list: string[][], kind: 'then' | 'former'): boolean => {
    for (const words of list) {
      const at = m.last + 1;
      const next = tokens[at];
      if (!next || !/^[ \t\u00A0\u2009\u202F]*$/.test(text.slice(tokens[m.last]!.end, next.start))) return false;
      if (matchSequence(text, tokens, at, words)) {
        marker ??= kind;
        afterEnd = tokens[at + words.length - 1]!.end;
        return true;
      }
    }
    return false;
  };
  if (!tryAfter(lex.formerAfter, 'former')) tryAfter(lex.thenAfter, 'then');
  const result: { marker?: 'then' | 'former'; afterEnd: number } = { afterEnd };
  if (marker) result.marker = marker;
  return result;
}

const APPOSITION_PUNCT = /^[\s\u00A0,،:«»"“”„‹›'’()\-–—.]*$/;

/** Abbreviations whose dot does not end a sentence ("Brig. Gen. Ashtiani"). */
const ABBREVIATIONS = new Set(['gen', 'brig', 'maj', 'lt', 'col', 'adm', 'capt', 'cdr', 'mr', 'mrs', 'ms', 'dr', 'm', 'st', 'sgt']);

/** True when every dot in `gap` closes a known abbreviation. */
function dotsAreAbbreviations(gap: string): boolean {
  for (const m of gap.matchAll(/([\p{L}]*)\./gu)) if (!ABBREVIATIONS.has(foldText(m[1]!))) return false;
  return true;
}

/**
 * Could this person be the one named for the office? People the KB knows only in other offices
 * are not ("Iran's Bagheri, China's defence minister …" is a list, not an apposition).
 */
function mayHold(index: RoleIndex, id: string, office: Office): boolean {
  if (!index.people.has(id)) return false;
  const held = index.heldBy.get(id);
  return held === undefined || held.has(office);
}

/**
 * The name spans of `ctx.names` that are people, sorted two ways, so that each phrase finds its
 * apposition candidates by binary search instead of filtering every name on the page (a large page
 * has thousands of names and hundreds of phrases).
 */
interface NameIndex {
  /** People's names by start, ties in `ctx.names` order. */
  byStart: { start: number; end: number; id: string }[];
  /** The same by end, ties in `ctx.names` order. */
  byEnd: { start: number; end: number; id: string }[];
}

function nameIndex(ctx: RoleContext): NameIndex {
  const people = (ctx.names ?? []).filter((n) => ctx.index.people.has(n.id));
  // Array.prototype.sort is stable: equal keys keep the order of `ctx.names`.
  return { byStart: [...people].sort((a, b) => a.start - b.start), byEnd: [...people].sort((a, b) => a.end - b.end) };
}

/** First index in `list` whose `key` is >= `value`. */
function lowerBound<T>(list: readonly T[], key: (x: T) => number, value: number): number {
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (key(list[mid]!) < value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** A person's name in apposition after (first) or before the phrase. */
function appositionName(
  text: string,
  phraseStart: number,
  afterEnd: number,
  office: Office,
  names: NameIndex,
  index: RoleIndex,
  lex: CompiledLexicon,
): string | null {
  // After: the nearest start in [afterEnd, afterEnd + 80] of a name that may hold the office
  // (the first such name in `ctx.names` order on a tie).
  let after: { start: number; id: string } | null = null;
  for (let k = lowerBound(names.byStart, (n) => n.start, afterEnd); k < names.byStart.length; k++) {
    const n = names.byStart[k]!;
    if (n.start - afterEnd > 80) break;
    if (mayHold(index, n.id, office)) {
      after = n;
      break;
    }
  }
  if (after) {
    const gap = text.slice(afterEnd, after.start);
    const gapTokens = tokenize(gap);
    const punctuation = gap.replace(/[\p{L}\p{N}\p{M}\u0640]+/gu, '');
    if (
      !gap.includes('\n') &&
      gapTokens.length <= 6 &&
      gapTokens.every((t) => lex.fillers.has(t.text)) &&
      APPOSITION_PUNCT.test(punctuation) &&
      dotsAreAbbreviations(gap)
    ) {
      return after.id;
    }
  }
  // Before: the latest end in [phraseStart - 30, phraseStart] (the first in `ctx.names` order on a tie).
  let before: { end: number; id: string } | null = null;
  for (let k = lowerBound(names.byEnd, (n) => n.end, phraseStart + 1) - 1; k >= 0; k--) {
    const n = names.byEnd[k]!;
    if (phraseStart - n.end > 30 || (before && n.end < before.end)) break;
    if (mayHold(index, n.id, office)) before = n;
  }
  if (before) {
    const gap = text.slice(before.end, phraseStart);
    const words = tokenize(gap).map((t) => t.text);
    const allowed = words.every((w) => ARTICLES.has(w) || lex.thenBefore.has(w) || lex.formerBefore.has(w) || w === 'his' || w === 'her');
    if (allowed && /^\s*[,(،]/.test(gap) && !gap.includes('\n') && /^[\s\u00A0,،('’\p{L}]*$/u.test(gap)) return before.id;
  }
  return null;
}

// Sentence years -----------------------------------------------------------------------------------

const YEAR = /(?<![\p{N}\-/.])(1[89]\d\d|20\d\d)(?![\p{N}])/gu;
/** Words that put a year in the role of "when" at the head of a sentence. */
const TIME_PREPOSITIONS = new Set(['in', 'en', 'عام', 'في', 'سنه', 'during', 'pendant', 'durant', 'لعام']);

function sentenceBounds(text: string, start: number, end: number): [number, number] {
  const isBoundary = (i: number): boolean => {
    const c = text[i];
    if (c === '\n' || c === '!' || c === '?' || c === '؟' || c === ';') return true;
    if (c === '.') {
      const next = text[i + 1];
      if (next !== undefined && !/\s/.test(next)) return false;
      // "U.S. Defense Secretary", "Gen. Wei": a single capital or a short abbreviation is not an end.
      const word = /([\p{L}]+)$/u.exec(text.slice(Math.max(0, i - 6), i))?.[1] ?? '';
      return !(word.length === 1 || /^(gen|lt|maj|col|adm|mr|mrs|ms|dr|st|brig|capt|no)$/i.test(word));
    }
    return false;
  };
  let s = start;
  while (s > 0 && !isBoundary(s - 1)) s--;
  let e = end;
  while (e < text.length && !isBoundary(e)) e++;
  return [s, e];
}

/** The year the sentence speaks of, per the rules in the module comment, or null. */
function sentenceYear(text: string, start: number, end: number, marker: 'then' | 'former' | undefined, maxYear: number): number | null {
  const [s, e] = sentenceBounds(text, start, end);
  // Arabic-Indic and Persian digits read as ASCII (one code unit each, so offsets are unchanged).
  const sentence = text
    .slice(s, e)
    .replace(/[٠-٩]/g, (d) => String(d.charCodeAt(0) - 0x0660))
    .replace(/[۰-۹]/g, (d) => String(d.charCodeAt(0) - 0x06f0));
  const years: { year: number; at: number }[] = [];
  for (const m of sentence.matchAll(YEAR)) {
    const year = Number(m[1]);
    if (year > maxYear) continue;
    years.push({ year, at: s + (m.index ?? 0) });
  }
  if (years.length === 0) return null;
  if (marker === 'then') {
    const before = years.filter((y) => y.at < start);
    const pick = before.length > 0 ? before[before.length - 1]! : years.find((y) => y.at >= end);
    return pick ? pick.year : null;
  }
  // Without a marker: only a year introduced by a time preposition before the phrase.
  for (let k = years.length - 1; k >= 0; k--) {
    const y = years[k]!;
    if (y.at >= start) continue;
    const words = tokenize(text.slice(Math.max(s, y.at - 12), y.at));
    const previous = words[words.length - 1];
    if (previous && TIME_PREPOSITIONS.has(previous.text)) return y.year;
  }
  return null;
}

// Prefilter -------------------------------------------------------------------------------------

/**
 * Every office phrase contains at least one of a few "anchor" words (minister, chief, رئيس, …),
 * chosen from the lexicon itself by a greedy cover of its phrases. Role phrases, their markers and
 * the checks around them never reach across a hard separator (`normalise.ts`: , ; : ( ) " « » and
 * line breaks…; `gapOk` and the marker checks allow only spaces, apostrophes, hyphens and dots), so
 * the text can be read clause by clause, and only the clauses where an anchor can occur are
 * tokenised and matched. The results are those of reading the whole text (a test compares both).
 */
interface Prefilter {
  /** Folded anchor words. */
  anchors: string[];
  /**
   * What each UTF-16 code unit does to the automaton: a column of `next` (a letter that folds to a
   * letter of some anchor core), or one of the `RESET`, `STAY`, `HIT`, `CLAUSE_END` actions.
   */
  column: Int16Array;
  /** Aho–Corasick automaton over the anchor cores' folded letters, as a full DFA: `next[state * width + column]`. */
  next: Int32Array;
  width: number;
  /** States where an anchor core ends. */
  accepting: Uint8Array;
}

/** A letter no anchor core contains, or a soft separator: back to the root. */
const RESET = -1;
/** Ignored inside a token (combining marks, tashkeel, tatweel): no move. */
const STAY = -2;
/** A letter that folds to two (œ, ß, ligatures): its clause is always read. */
const HIT = -3;
/** A hard separator: a clause ends here. */
const CLAUSE_END = -4;

let prefilter: Prefilter | null = null;

/**
 * The part of an anchor that every token reading to it contains: an Arabic reading "ال…" of a token
 * "لل…" (`arabicReadings`) does not contain the alef, so a core never starts with "ال".
 */
const anchorCore = (anchor: string): string => (anchor.startsWith('ال') ? anchor.slice(1) : anchor);

/** Greedy cover: words that every phrase contains (as a substring of one of its words' cores). */
export function roleAnchors(): string[] {
  const countryWords = new Set(Object.values(COUNTRY_FORMS).flatMap((forms) => Object.values(forms).flat().flatMap((f) => phraseTokens(f))));
  let left = [...new Set(lexiconPhrases().map((p) => phraseTokens(p.phrase).join(' ')))].map((p) => p.split(' '));
  const anchors: string[] = [];
  // First office words of 4+ letters, then anything (a phrase such as "US FM" has no other word).
  for (const pass of [(w: string) => w.length >= 4 && !countryWords.has(w), (w: string) => w.length >= 2]) {
    while (left.length > 0) {
      const count = new Map<string, number>();
      for (const words of left) for (const w of new Set(words)) if (pass(w)) count.set(w, (count.get(w) ?? 0) + 1);
      // Scored by the phrases holding the word itself; it then also covers every phrase with a word
      // containing its core ("قايد" covers "القايد").
      let best = '';
      let bestCount = 0;
      for (const [w, c] of count) {
        if (c > bestCount || (c === bestCount && w < best)) {
          best = w;
          bestCount = c;
        }
      }
      if (!best) break;
      anchors.push(best);
      const core = anchorCore(best);
      left = left.filter((words) => !words.some((x) => x.includes(core)));
    }
  }
  if (left.length > 0) throw new Error(`role phrases without an anchor: ${left.map((w) => w.join(' ')).join('; ')}`);
  return anchors;
}

function compilePrefilter(): Prefilter {
  if (prefilter) return prefilter;
  const { cls, fold } = charTables();
  const anchors = roleAnchors();
  const cores = anchors.map(anchorCore);
  const alphabet = new Map<number, number>();
  for (const core of cores) for (let i = 0; i < core.length; i++) if (!alphabet.has(core.charCodeAt(i))) alphabet.set(core.charCodeAt(i), alphabet.size);
  const width = alphabet.size;
  const column = new Int16Array(65536);
  for (let c = 0; c < 65536; c++) {
    const k = cls[c]!;
    column[c] = k === HARD ? CLAUSE_END : k === IGNORE ? STAY : k === EXPAND ? HIT : isLetterClass(k) ? (alphabet.get(fold[c]!) ?? RESET) : RESET;
  }
  // Trie of the cores, then failure links breadth first, folded into a full transition table.
  const goto: Map<number, number>[] = [new Map()];
  const accept: boolean[] = [false];
  for (const core of cores) {
    let state = 0;
    for (let i = 0; i < core.length; i++) {
      const col = alphabet.get(core.charCodeAt(i))!;
      let child = goto[state]!.get(col);
      if (child === undefined) {
        child = goto.length;
        goto.push(new Map());
        accept.push(false);
        goto[state]!.set(col, child);
      }
      state = child;
    }
    accept[state] = true;
  }
  const next = new Int32Array(goto.length * width);
  const fail = new Int32Array(goto.length);
  const queue: number[] = [];
  for (let col = 0; col < width; col++) {
    const child = goto[0]!.get(col);
    next[col] = child ?? 0;
    if (child !== undefined) queue.push(child);
  }
  for (let q = 0; q < queue.length; q++) {
    const state = queue[q]!;
    if (accept[fail[state]!]) accept[state] = true;
    for (let col = 0; col < width; col++) {
      const child = goto[state]!.get(col);
      if (child === undefined) {
        next[state * width + col] = next[fail[state]! * width + col]!;
      } else {
        fail[child] = next[fail[state]! * width + col]!;
        next[state * width + col] = child;
        queue.push(child);
      }
    }
  }
  prefilter = { anchors, column, next, width, accepting: Uint8Array.from(accept, (x) => (x ? 1 : 0)) };
  return prefilter;
}

/**
 * The clauses of `text` where an office phrase may be: `[start, end)` ranges bounded by hard
 * separators (or the text's ends), in order, not overlapping. One pass over the text with two
 * table look-ups per code unit.
 */
export function roleWindows(text: string): [number, number][] {
  const { column, next, width, accepting } = compilePrefilter();
  const out: [number, number][] = [];
  const n = text.length;
  let clauseStart = 0;
  let state = 0;
  for (let i = 0; i < n; i++) {
    const col = column[text.charCodeAt(i)]!;
    if (col >= 0) {
      state = next[state * width + col]!;
      if (accepting[state] === 0) continue;
    } else if (col === STAY) {
      continue;
    } else if (col === RESET) {
      state = 0;
      continue;
    } else if (col === CLAUSE_END) {
      state = 0;
      clauseStart = i + 1;
      continue;
    }
    // An anchor (or a two-letter fold) in this clause: read the clause to its end.
    let end = i + 1;
    while (end < n && column[text.charCodeAt(end)] !== CLAUSE_END) end++;
    out.push([clauseStart, end]);
    state = 0;
    clauseStart = end + 1;
    i = end;
  }
  return out;
}

export interface FindRoleOptions {
  /** Read only the clauses the prefilter selects (default); `false` reads the whole text (tests compare both). */
  prefilter?: boolean;
}

/**
 * Office phrases in `text`, each resolved to a person (or `null`). Offsets are UTF-16 code units.
 * See the module comment for the resolution order and the date-edge rule.
 */
export function findRoleMentions(text: string, ctx: RoleContext, options: FindRoleOptions = {}): RoleMention[] {
  const lex = compileLexicon();
  const articleStart = dayNumber(ctx.date, 'start');
  const articleEnd = dayNumber(ctx.date, 'end');
  const articleYear = Number(ctx.date.slice(0, 4));
  const windows: [number, number][] = options.prefilter === false ? [[0, text.length]] : roleWindows(text);
  let names: NameIndex | null = null;
  const out: RoleMention[] = [];
  for (const [ws, we] of windows) {
    const tokens = tokenizeRange(text, ws, we);
    for (const m of findRolePhrases(text, tokens)) {
      const end = tokens[m.last]!.end;
      const { marker, afterEnd } = markers(text, tokens, m, lex);
      const mention: RoleMention = { start: m.start, end, office: m.office, id: null, date: ctx.date, dateSource: ctx.dateSource };
      if (marker) mention.marker = marker;
      names ??= nameIndex(ctx);
      const named = appositionName(text, m.start, afterEnd, m.office, names, ctx.index, lex);
      if (named) {
        mention.id = named;
        mention.dateSource = 'apposition';
      } else if (articleStart === null || articleEnd === null) {
        mention.id = null;
      } else if (marker === 'former') {
        mention.id = formerHolder(ctx.index, m.office, articleStart);
      } else {
        const year = sentenceYear(text, m.start, end, marker, Number.isFinite(articleYear) ? articleYear : 9999);
        if (year !== null && year !== articleYear) {
          mention.date = String(year);
          mention.dateSource = 'sentence';
          mention.id = holderAt(ctx.index, m.office, dayNumber(mention.date, 'start')!, dayNumber(mention.date, 'end')!);
        } else {
          mention.id = holderAt(ctx.index, m.office, articleStart, articleEnd);
        }
      }
      out.push(mention);
    }
  }
  return out;
}

/** Every phrase of the lexicon with its office, for tests and the KB tooling. */
export function lexiconPhrases(): { phrase: string; office: Office; lang: RoleLang; family: string }[] {
  return OFFICE_FAMILIES.flatMap((family) => familyPhrases(family).map((p) => ({ ...p, family: family.key })));
}

/** Folds a phrase the way the matcher does (exposed for tests). */
export const foldPhrase = (phrase: string): string => foldText(phrase);
