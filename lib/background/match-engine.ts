/**
 * Adapts the pure annotator (`lib/match/annotate.ts`: names, then role mentions resolved to the
 * office holder on the page's date) to the background's `EngineFactory`. The CLI calls the same
 * annotator, so what the extension highlights is what `npm run eval` scores.
 *
 * The cache holds the matcher's tables and the role index (office tenures of the KB's people: Maps
 * and Sets, structured-cloneable), so that loading it needs no entity.
 */
import type { Entity } from '../kb/schema';
import { Annotator, visitDate } from '../match/annotate';
import { Matcher, MATCHER_CACHE_FORMAT, type DocState, type MatcherCache } from '../match/matcher';
import { compileLexicon, type RoleIndex } from '../match/roles';
import type { MatchSpan } from '../messaging/protocol-page';
import type { EngineFactory, MatchEngine, PageContext } from './engine-service';

/**
 * Below this many characters the role finder reads the whole text instead of the clauses its
 * prefilter selects (same result, `roles-prefilter.test.ts`): compiling the prefilter costs ~35 ms
 * in Chromium, once per worker, while reading 32k characters whole costs a few ms. So a worker
 * woken by an article answers without compiling it; the first large text compiles it.
 */
export const ROLE_PREFILTER_MIN_CHARS = 32_768;

/** Increase when `EngineCache` changes (the matcher's own format is part of `cacheFormat` too). */
const ENGINE_CACHE_FORMAT = 2;

interface EngineCache {
  matcher: MatcherCache;
  roles: RoleIndex;
}

class KbEngine implements MatchEngine {
  constructor(readonly annotator: Annotator) {}

  newDocState(): unknown {
    return this.annotator.newDocState();
  }

  match(text: string, docState: unknown, page: PageContext): MatchSpan[] {
    return this.annotator.annotate(text, docState as DocState, page.pageDate ?? visitDate(), { prefilter: text.length >= ROLE_PREFILTER_MIN_CHARS });
  }
}

function isEngineCache(data: unknown): data is EngineCache {
  if (typeof data !== 'object' || data === null) return false;
  const { matcher, roles } = data as Partial<EngineCache>;
  return (
    typeof matcher === 'object' &&
    matcher !== null &&
    typeof roles === 'object' &&
    roles !== null &&
    roles.offices instanceof Map &&
    roles.people instanceof Set &&
    roles.heldBy instanceof Map
  );
}

export const matchEngineFactory: EngineFactory = {
  cacheFormat: `matcher-${MATCHER_CACHE_FORMAT}/engine-${ENGINE_CACHE_FORMAT}`,
  build(entities: Entity[]) {
    return new KbEngine(Annotator.build(entities));
  },
  toCache(engine: MatchEngine) {
    const { annotator } = engine as KbEngine;
    return { matcher: annotator.matcher.toCache(), roles: annotator.roles } satisfies EngineCache;
  },
  fromCache(data: unknown) {
    return isEngineCache(data) ? new KbEngine(new Annotator(Matcher.fromCache(data.matcher), data.roles)) : null;
  },
  warmUp() {
    // Built once per process, on the first match otherwise (~15 ms in Chromium).
    compileLexicon();
  },
};
