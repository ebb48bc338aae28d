/**
 * Adapts the pure matching code (`lib/match`) to the background's `EngineFactory`: names and short
 * forms from the compiled matcher, then role mentions ("China's defence minister") resolved to the
 * office holder on the page's date. The same code runs in the CLI, so what the extension highlights is
 * what `npm run eval` scores.
 */
import type { Entity } from '../kb/schema';
import { buildMatcher, Matcher, MATCHER_CACHE_FORMAT, newDocState, type DocState, type MatcherCache } from '../match/matcher';
import { buildRoleIndex, findRoleMentions, type RoleIndex } from '../match/roles';
import type { MatchSpan } from '../messaging/protocol-page';
import type { EngineFactory, MatchEngine, PageContext } from './engine-service';

class KbEngine implements MatchEngine {
  constructor(
    readonly matcher: Matcher,
    private readonly roles: RoleIndex,
  ) {}

  newDocState(): unknown {
    return newDocState();
  }

  match(text: string, docState: unknown, page: PageContext): MatchSpan[] {
    const spans = this.matcher.match(text, docState as DocState);
    const date = page.pageDate ?? { date: new Date().toISOString().slice(0, 10), source: 'visit' as const };
    const names = spans.map((s) => ({ start: s.start, end: s.end, id: s.id }));
    const mentions = findRoleMentions(text, { date: date.date, dateSource: date.source, index: this.roles, names });
    if (mentions.length === 0) return spans;
    for (const m of mentions) {
      // Unresolved offices are not highlighted. A phrase overlapping a name is that name, except a
      // country inside the phrase ("China's defence minister"): both are kept, nested, as the
      // matcher nests countries inside organisation names.
      if (m.id === null) continue;
      const overlapping = spans.filter((s) => s.start < m.end && m.start < s.end);
      if (overlapping.some((s) => s.type !== 'country' || s.start < m.start || s.end > m.end)) continue;
      spans.push({ start: m.start, end: m.end, id: m.id, type: 'person', via: 'role', role: { office: m.office, date: m.date, dateSource: m.dateSource } });
    }
    return spans.sort((a, b) => a.start - b.start || b.end - a.end);
  }
}

export const matchEngineFactory: EngineFactory = {
  cacheFormat: `matcher-${MATCHER_CACHE_FORMAT}`,
  build(entities: Entity[]) {
    return new KbEngine(buildMatcher(entities), buildRoleIndex(entities));
  },
  toCache(engine: MatchEngine) {
    return (engine as KbEngine).matcher.toCache();
  },
  fromCache(data: unknown, entities: Entity[]) {
    if (typeof data !== 'object' || data === null) return null;
    return new KbEngine(Matcher.fromCache(data as MatcherCache), buildRoleIndex(entities));
  },
};
