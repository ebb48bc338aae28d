/**
 * Keeps the name matcher in memory in the background and rebuilds it when the KB changes.
 *
 * Cold start matters: Chrome stops an idle MV3 service worker after ~30 s, and the next page load
 * wakes it with a `page.match` that waits for this. So the compiled matcher is cached in `db.meta`
 * (uBlock Origin's "selfie" idea) under a key made of the KB version, a hash of the user's entities
 * and the engine's own cache format; a cold start reads two tables and the cache instead of
 * compiling. Building is lazy: the worker also wakes for the popup, which may never need it.
 *
 * The user-entities part of the key is itself kept in `db.meta` (`USER_KB_FINGERPRINT_KEY`): hashing
 * every user entity (a JSON.stringify of all of them) took ~1.6 s at 100k entities on each start.
 * It is recomputed only after `ctx.kbChanged()` (every writer of `db.userEntities` calls it) or when
 * the table's row count or latest `modified` no longer match what was stored with it (a worker
 * stopped between a write and the `kbChanged` handler), both read from the index, not the rows.
 */
import type { Entity } from '../kb/schema';
import { storedKbVersion } from '../kb/seed';
import type { MatchSpan, PageDate } from '../messaging/protocol-page';
import { RpcFailure } from '../messaging/rpc';
import type { BackgroundContext } from './context';

/** What a page tells the matcher besides its text (language, date for role mentions). */
export interface PageContext {
  url: string;
  lang?: string;
  pageDate?: PageDate;
}

/** The matcher as the background uses it; `lib/background/match-engine.ts` adapts `lib/match` to it. */
export interface MatchEngine {
  /** Per-document state (full names seen so far, so that short forms resolve), one per page load. */
  newDocState(): unknown;
  match(text: string, docState: unknown, page: PageContext): MatchSpan[];
}

export interface EngineFactory {
  /** Increase when the serialised form changes: a cache of another format is rebuilt. */
  cacheFormat: string;
  build(entities: Entity[]): MatchEngine;
  /** Structured-cloneable data for `db.meta`, or undefined when this engine is not worth caching. */
  toCache(engine: MatchEngine): unknown;
  /** Null when `data` is unusable (the service then builds and re-caches). */
  fromCache(data: unknown, entities: Entity[]): MatchEngine | null;
}

export interface LoadedEngine {
  engine: MatchEngine;
  /** Every entity by id: the bundled ones with the user's own on top. */
  entities: Map<string, Entity>;
  /** The cache key it was built or loaded for. */
  key: string;
  fromCache: boolean;
  /** Time from the request to a usable engine, ms (what a cold start costs). */
  loadMs: number;
}

export const MATCHER_CACHE_KEY = 'matcherCache';
/** `db.meta` row: the hash of the user's entities and what it was computed over. */
export const USER_KB_FINGERPRINT_KEY = 'userKbFingerprint';

interface UserKbFingerprint {
  hash: string;
  count: number;
  /** Latest `modified` among the user's entities ('' when none). */
  modified: string;
}

interface CacheRow {
  key: string;
  data: unknown;
}

/** FNV-1a over the user's entities: any edit changes the cache key. */
export function hashEntities(entities: readonly Entity[]): string {
  let h = 0x811c9dc5;
  const sorted = [...entities].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const json = JSON.stringify(sorted);
  for (let i = 0; i < json.length; i++) {
    h ^= json.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return (h >>> 0).toString(16).padStart(8, '0');
}

export interface EngineService {
  /** The current engine; loads (from cache) or builds it on first use and after a KB change. */
  get(): Promise<LoadedEngine>;
  /** Drops the engine (KB changed); the next `get` reloads. */
  invalidate(): void;
}

export function createEngineService(ctx: BackgroundContext, factory: EngineFactory | null): EngineService {
  let current: Promise<LoadedEngine> | null = null;

  /** Set by `kbChanged`: the stored fingerprint may be stale until the next load recomputes it. */
  let userKbDirty = false;
  let fingerprintDropped: Promise<unknown> = Promise.resolve();

  /** Hash of the user's entities: the stored one when still valid, else computed and stored. */
  async function userKbHash(userPlain: () => Entity[]): Promise<string> {
    const { db } = ctx;
    await fingerprintDropped;
    const [stored, count, latest] = await Promise.all([
      db.meta.get(USER_KB_FINGERPRINT_KEY),
      db.userEntities.count(),
      db.userEntities.orderBy('modified').last(),
    ]);
    const modified = latest?.modified ?? '';
    const known = stored?.value as UserKbFingerprint | undefined;
    if (!userKbDirty && known && known.count === count && known.modified === modified && typeof known.hash === 'string') return known.hash;
    userKbDirty = false;
    const fingerprint: UserKbFingerprint = { hash: hashEntities(userPlain()), count, modified };
    db.meta.put({ key: USER_KB_FINGERPRINT_KEY, value: fingerprint }).catch((e: unknown) => {
      console.warn('[attache] could not store the user KB fingerprint', e);
    });
    return fingerprint.hash;
  }

  async function load(): Promise<LoadedEngine> {
    if (!factory) throw new RpcFailure('internal', 'This build of Attaché has no name matcher.');
    const t0 = performance.now();
    await ctx.kbReady;
    const { db } = ctx;
    const [bundled, user, version, cached] = await Promise.all([
      db.entities.toArray(),
      db.userEntities.toArray(),
      storedKbVersion(db),
      db.meta.get(MATCHER_CACHE_KEY),
    ]);
    const entities = new Map<string, Entity>();
    for (const e of bundled) entities.set(e.id, e);
    // The user's version of an entity wins over the bundled one with the same id.
    const userPlain: Entity[] = user.map(({ modified: _modified, ...e }) => e);
    for (const e of userPlain) entities.set(e.id, e);
    const list = [...entities.values()];
    const key = `${version ?? 'none'}|${await userKbHash(() => userPlain)}|${factory.cacheFormat}`;

    const row = cached?.value as CacheRow | undefined;
    if (row && row.key === key) {
      try {
        const engine = factory.fromCache(row.data, list);
        if (engine) return { engine, entities, key, fromCache: true, loadMs: performance.now() - t0 };
      } catch (e) {
        console.warn('[attache] matcher cache unusable, rebuilding', e);
      }
    }
    const engine = factory.build(list);
    const loadMs = performance.now() - t0;
    const data = factory.toCache(engine);
    if (data !== undefined) {
      // Not awaited: the page waiting for highlights should not wait for this write.
      db.meta.put({ key: MATCHER_CACHE_KEY, value: { key, data } satisfies CacheRow }).catch((e: unknown) => {
        console.warn('[attache] could not cache the matcher', e);
      });
    }
    return { engine, entities, key, fromCache: false, loadMs };
  }

  const service: EngineService = {
    get() {
      if (!current) {
        const p = load();
        current = p;
        // A failed load is retried on the next call rather than cached forever.
        p.catch(() => {
          if (current === p) current = null;
        });
      }
      return current;
    },
    invalidate() {
      current = null;
    },
  };
  ctx.onKbChanged(() => {
    userKbDirty = true;
    // Also for the next worker, should this one stop before its next load.
    fingerprintDropped = ctx.db.meta.delete(USER_KB_FINGERPRINT_KEY).catch(() => undefined);
    service.invalidate();
  });
  return service;
}
