/**
 * Names and role mentions together: the one function the background (`lib/background/match-engine.ts`)
 * and the CLI (`npm run annotate`, `npm run eval`) call, so what the extension highlights is what the
 * command line prints and scores.
 *
 * Order: the name matcher first; then office phrases ("China's defence minister", "رئيس الأركان
 * العامة للقوات المسلحة الإيرانية") resolved to the holder on the page's date (`roles.ts`), with the
 * name spans passed in so a name in apposition wins.
 */
import type { Entity } from '../kb/schema';
import type { MatchSpan, PageDate } from '../messaging/protocol-page';
import { buildMatcher, newDocState, type DocState, type Matcher } from './matcher';
import { buildRoleIndex, findRoleMentions, type FindRoleOptions, type RoleIndex, type RoleMention } from './roles';

/**
 * Adds resolved role mentions to the name spans (which are sorted by start).
 *
 * - An unresolved office (nobody held it then, or unclear) is not a mention.
 * - A phrase that overlaps a person's name, or only part of another name, is that name: skipped.
 * - Names wholly inside the phrase: countries and places stay, nested ("China's defence minister":
 *   China is still China); an organisation inside an office title is part of the title, not a
 *   mention of its own ("Chief of Staff of the Iranian Armed Forces" refers to a person, not to the
 *   armed forces), so the role span replaces it.
 */
export function withRoleMentions(names: readonly MatchSpan[], mentions: readonly RoleMention[]): MatchSpan[] {
  const drop = new Set<MatchSpan>();
  const roles: MatchSpan[] = [];
  // Names overlapping a mention start before its end and after its start minus the longest name:
  // a binary search and a short scan instead of a pass over every name of the page per mention.
  let longest = 0;
  for (const s of names) if (s.end - s.start > longest) longest = s.end - s.start;
  for (const m of mentions) {
    if (m.id === null) continue;
    const overlapping: MatchSpan[] = [];
    for (let k = firstStartingAt(names, m.start - longest); k < names.length && names[k]!.start < m.end; k++) {
      const s = names[k]!;
      if (m.start < s.end) overlapping.push(s);
    }
    const blocked = overlapping.some((s) => s.type === 'person' || s.start < m.start || s.end > m.end);
    if (blocked) continue;
    for (const s of overlapping) if (s.type !== 'country' && s.type !== 'place') drop.add(s);
    roles.push({ start: m.start, end: m.end, id: m.id, type: 'person', via: 'role', role: { office: m.office, date: m.date, dateSource: m.dateSource } });
  }
  if (roles.length === 0) return [...names];
  // An outer span first when two start together, as the matcher orders nested names.
  return [...names.filter((s) => !drop.has(s)), ...roles].sort((a, b) => a.start - b.start || b.end - a.end);
}

/** Index of the first span (sorted by start) starting at or after `offset`. */
function firstStartingAt(spans: readonly MatchSpan[], offset: number): number {
  let lo = 0;
  let hi = spans.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (spans[mid]!.start < offset) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** The date to resolve offices at when the page gives none: today, as the visit date. */
export function visitDate(now = new Date()): PageDate {
  return { date: now.toISOString().slice(0, 10), source: 'visit' };
}

export class Annotator {
  constructor(
    readonly matcher: Matcher,
    readonly roles: RoleIndex,
  ) {}

  static build(entities: readonly Entity[]): Annotator {
    return new Annotator(buildMatcher(entities), buildRoleIndex(entities));
  }

  newDocState(): DocState {
    return newDocState();
  }

  /**
   * Name spans and resolved role mentions in `text`, sorted by start (a country may nest in a role
   * phrase or an organisation's name). `roleOptions` changes how, never what, roles are found.
   */
  annotate(text: string, doc: DocState = newDocState(), date: PageDate = visitDate(), roleOptions: FindRoleOptions = {}): MatchSpan[] {
    const names = this.matcher.match(text, doc);
    const ctx = { date: date.date, dateSource: date.source, index: this.roles, names: names.map((s) => ({ start: s.start, end: s.end, id: s.id })) };
    const mentions = findRoleMentions(text, ctx, roleOptions);
    return withRoleMentions(names, mentions);
  }
}
