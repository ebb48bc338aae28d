/**
 * The in-memory name index behind the popup's search box and the note editor's entity linking.
 *
 * The KB is small (hundreds of entities, a few thousand names), so a folded list scanned per
 * keystroke answers in well under a millisecond; no trie is needed. Folding mirrors what the matcher
 * does for pages: case, Latin diacritics, Arabic hamza/alef/yeh/teh-marbuta variants, Persian
 * yeh/kaf, tashkeel and tatweel, hyphens and apostrophes (= spaces).
 */
import type { Entity, EntityType } from '../kb/schema';
import type { EntityRef, SearchHit } from '../messaging/protocol-kb';

const ARABIC_MAP: Record<string, string> = {
  'ٱ': 'ا',
  'ى': 'ي',
  'ی': 'ي',
  'ة': 'ه',
  'ک': 'ك',
  'ۀ': 'ه',
};

/** Folds a name or a query for comparison. Length may change: never use folded offsets on the original. */
export function fold(s: string): string {
  return s
    .normalize('NFKD')
    .replace(/\p{M}/gu, '') // Latin accents, Arabic tashkeel and the hamza/madda of أ إ آ ؤ ئ
    .replace(/\u0640/g, '') // tatweel
    .replace(/[ٱىیةکۀ]/g, (c) => ARABIC_MAP[c] ?? c)
    .toLowerCase()
    .replace(/[\u2010-\u2015'’‘`ʼ\-_.]/g, ' ')
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}

/** All-caps acronyms of up to 5 letters match case-sensitively (SCO, US), as on pages. */
function isAcronym(name: string): boolean {
  return /^[\p{Lu}]{2,5}$/u.test(name);
}

/** Search rank of the types when scores tie: actors first. */
const TYPE_ORDER: Record<EntityType, number> = {
  person: 0,
  organization: 1,
  country: 2,
  agreement: 3,
  exercise: 4,
  event: 5,
  equipment: 6,
  place: 7,
};

interface IndexedName {
  folded: string;
  tokens: string[];
  original: string;
  /** Short forms (surnames) never count as a full mention in `entitiesIn`. */
  short: boolean;
}

interface IndexedEntity {
  ref: EntityRef;
  user: boolean;
  names: IndexedName[];
}

export class NameIndex {
  private entries: IndexedEntity[] = [];
  private byFolded = new Map<string, Set<string>>();

  /** `user` entities replace bundled ones with the same id. */
  constructor(bundled: readonly Entity[], user: readonly Entity[] = []) {
    const userIds = new Set(user.map((e) => e.id));
    for (const e of bundled) if (!userIds.has(e.id)) this.add(e, false);
    for (const e of user) this.add(e, true);
  }

  get size(): number {
    return this.entries.length;
  }

  private add(e: Entity, user: boolean) {
    const names: IndexedName[] = [];
    const seen = new Set<string>();
    const push = (original: string, short: boolean) => {
      const folded = fold(original);
      if (folded === '' || seen.has(folded)) return;
      seen.add(folded);
      names.push({ folded, tokens: folded.split(' '), original, short });
      let ids = this.byFolded.get(folded);
      if (!ids) this.byFolded.set(folded, (ids = new Set()));
      ids.add(e.id);
    };
    push(e.name, false);
    for (const list of Object.values(e.names ?? {})) for (const n of list ?? []) push(n, false);
    for (const list of Object.values(e.short ?? {})) for (const n of list ?? []) push(n, true);
    this.entries.push({ ref: { id: e.id, name: e.name, type: e.type }, user, names });
  }

  /** Best-first hits for a query typed in any language. */
  search(query: string, limit = 20): SearchHit[] {
    const q = fold(query);
    if (q === '') return [];
    const qTokens = q.split(' ');
    const hits: (SearchHit & { score: number })[] = [];
    for (const entry of this.entries) {
      let best = 0;
      let matched = '';
      for (const n of entry.names) {
        const s = scoreName(n, q, qTokens);
        if (s > best || (s === best && s > 0 && n.original === entry.ref.name)) {
          best = s;
          matched = n.original;
        }
      }
      if (best > 0) hits.push({ ...entry.ref, matched, user: entry.user, score: best });
    }
    hits.sort(
      (a, b) =>
        b.score - a.score || TYPE_ORDER[a.type] - TYPE_ORDER[b.type] || a.name.length - b.name.length || a.name.localeCompare(b.name),
    );
    return hits.slice(0, limit).map(({ score: _score, ...hit }) => hit);
  }

  /** True when some entity carries this name (folded comparison, full names and short forms). */
  has(name: string): boolean {
    return this.byFolded.has(fold(name));
  }

  /**
   * True when a name found on a page by NLP is not the KB's: no entity has it as a name, none is
   * named inside it ("Minister Sergei Shoigu"), and its last word is no entity's surname ("Mohammad
   * Hossein Baqeri" is a fuller form of Mohammad Bagheri, not someone new).
   */
  isUnknown(name: string): boolean {
    if (this.has(name)) return false;
    const tokens = fold(name).split(' ');
    const last = tokens[tokens.length - 1] ?? '';
    if (last !== '' && this.byFolded.has(last)) return false;
    return this.entitiesIn(name).length === 0;
  }

  /**
   * Entities named in a short text (a note's selection), by their full names: whole-token matches
   * of the folded text, acronyms case-sensitively. Each entity once, in order of first appearance.
   */
  entitiesIn(text: string): EntityRef[] {
    const foldedText = ` ${fold(text)} `;
    const found: { ref: EntityRef; at: number }[] = [];
    for (const entry of this.entries) {
      let at = -1;
      for (const n of entry.names) {
        if (n.short || n.folded.length < 3) continue;
        let i: number;
        if (isAcronym(n.original)) {
          const m = new RegExp(`(?<![\\p{L}\\p{N}])${n.original}(?![\\p{L}\\p{N}])`, 'u').exec(text);
          i = m ? m.index : -1;
        } else {
          i = foldedText.indexOf(` ${n.folded} `);
        }
        if (i !== -1 && (at === -1 || i < at)) at = i;
      }
      if (at !== -1) found.push({ ref: entry.ref, at });
    }
    return found.sort((a, b) => a.at - b.at).map((f) => f.ref);
  }
}

function scoreName(n: IndexedName, q: string, qTokens: string[]): number {
  if (n.folded === q) return n.short ? 90 : 100;
  if (n.folded.startsWith(q)) return n.short ? 70 : 80;
  // Every query token starts some name token ("bagh moh" finds "Mohammad Bagheri").
  if (qTokens.every((t) => n.tokens.some((nt) => nt.startsWith(t)))) return 60;
  if (q.length >= 3 && n.folded.includes(q)) return 40;
  return 0;
}
