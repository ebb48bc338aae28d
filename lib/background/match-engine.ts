/**
 * Adapts the pure annotator (`lib/match/annotate.ts`: names, then role mentions resolved to the
 * office holder on the page's date) to the background's `EngineFactory`. The CLI calls the same
 * annotator, so what the extension highlights is what `npm run eval` scores.
 */
import type { Entity } from '../kb/schema';
import { Annotator, visitDate } from '../match/annotate';
import { Matcher, MATCHER_CACHE_FORMAT, type DocState, type MatcherCache } from '../match/matcher';
import { buildRoleIndex } from '../match/roles';
import type { MatchSpan } from '../messaging/protocol-page';
import type { EngineFactory, MatchEngine, PageContext } from './engine-service';

class KbEngine implements MatchEngine {
  constructor(readonly annotator: Annotator) {}

  newDocState(): unknown {
    return this.annotator.newDocState();
  }

  match(text: string, docState: unknown, page: PageContext): MatchSpan[] {
    return this.annotator.annotate(text, docState as DocState, page.pageDate ?? visitDate());
  }
}

export const matchEngineFactory: EngineFactory = {
  cacheFormat: `matcher-${MATCHER_CACHE_FORMAT}`,
  build(entities: Entity[]) {
    return new KbEngine(Annotator.build(entities));
  },
  toCache(engine: MatchEngine) {
    return (engine as KbEngine).annotator.matcher.toCache();
  },
  fromCache(data: unknown, entities: Entity[]) {
    if (typeof data !== 'object' || data === null) return null;
    return new KbEngine(new Annotator(Matcher.fromCache(data as MatcherCache), buildRoleIndex(entities)));
  },
};
