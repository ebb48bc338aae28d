/**
 * Keeps the name matcher in memory in the background and rebuilds it when the KB changes.
 *
 * Cold start matters: Chrome stops an idle MV3 service worker after ~30 s, and the next page load
 * wakes it with a `page.match` that waits for this. So the compiled matcher is cached in `db.meta`
 * (uBlock Origin's "selfie" idea) under a key made of the KB version, a hash of the user's entities
 * and the engine's own cache format; a cold start reads the cache instead of compiling. Building is
 * lazy: the worker also wakes for the popup, which may never need it.
 *
 * A cold start from the cache reads no entities: everything the engine needs is in the cache (the
 * factory's `fromCache` gets no entity list), the checks that decide whether the cache is current
 * read `db.meta` and two index look-ups in one transaction, and entities are read by id when a
 * page needs them (`EntityLookup`: the matched ones and their countries). Reading every entity
 * and building a `Map` of them took ~0.75 s with 100k generated user entities (bench, Chromium).
 * While that transaction runs, the factory's `warmUp` compiles what every engine shares (the role
 * lexicon, ~10-15 ms in Chromium), which the first match would otherwise wait for.
 *
 * The user-entities part of the key is itself kept in `db.meta` (`USER_KB_FINGERPRINT_KEY`): hashing
 * every user entity (a JSON.stringify of all of them) took ~1.6 s at 100k entities on each start.
 * It is recomputed only after `ctx.kbChanged()` (every writer of `db.userEntities` calls it) or when
 * the table's row count or latest `modified` no longer match what was stored with it (a worker
 * stopped between a write and the `kbChanged` handler), both read from the index, not the rows.
 */
import type { Entity } from '../kb/schema';
import type { UserEntity } from '../kb/db';
import { KB_VERSION_KEY } from '../kb/seed';
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
  /**
   * Null when `data` is unusable (the service then builds and re-caches). Needs nothing but `data`:
   * a cold start reads no entity.
   */
  fromCache(data: unknown): MatchEngine | null;
  /** Compiles what does not depend on the KB; run while the cache is read (optional, idempotent). */
  warmUp?(): void;
}

/** Entities by id, read when asked (a cold start from the cache reads none). */
export interface EntityLookup {
  /**
   * The entities with these ids and the countries they name (`country`), by id: the user's version
   * over the bundled one, unknown ids absent.
   */
  get(ids: Iterable<string>): Promise<Map<string, Entity>>;
}

export interface LoadedEngine {
  engine: MatchEngine;
  /** The bundled entities with the user's own on top, as they were when the engine was loaded. */
  entities: EntityLookup;
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

/** A user entity as the matcher and the pages see it (without the edit date). */
function plain({ modified: _modified, ...e }: UserEntity): Entity {
  return e;
}

/** The entities `read` finds for `ids`, plus the countries they name. */
async function withCountries(ids: Iterable<string>, read: (ids: string[]) => Promise<Map<string, Entity>>): Promise<Map<string, Entity>> {
  const found = await read([...new Set(ids)]);
  const countries = [...new Set([...found.values()].map((e) => e.country).filter((c): c is string => c !== undefined && !found.has(c)))];
  if (countries.length > 0) for (const [id, e] of await read(countries)) found.set(id, e);
  return found;
}

/** Lookup over entities already in memory (the engine was just built from them). */
function memoryLookup(entities: Map<string, Entity>): EntityLookup {
  return {
    get: (ids) =>
      withCountries(ids, async (list) => {
        const out = new Map<string, Entity>();
        for (const id of list) {
          const e = entities.get(id);
          if (e) out.set(id, e);
        }
        return out;
      }),
  };
}

/**
 * Lookup reading IndexedDB by id, remembering what it read. Dropped with its engine when the KB
 * changes (`invalidate`), so what it remembers is never older than the engine.
 */
function storedLookup(db: BackgroundContext['db']): EntityLookup {
  const known = new Map<string, Entity | null>();
  async function read(ids: string[]): Promise<Map<string, Entity>> {
    const missing = ids.filter((id) => !known.has(id));
    if (missing.length > 0) {
      const [bundled, user] = await db.transaction('r', db.entities, db.userEntities, () =>
        Promise.all([db.entities.bulkGet(missing), db.userEntities.bulkGet(missing)]),
      );
      missing.forEach((id, i) => {
        const mine = user[i];
        known.set(id, mine ? plain(mine) : (bundled[i] ?? null));
      });
    }
    const out = new Map<string, Entity>();
    for (const id of ids) {
      const e = known.get(id);
      if (e) out.set(id, e);
    }
    return out;
  }
  return { get: (ids) => withCountries(ids, read) };
}

/** What a load reads first, in one transaction: enough to tell whether the cache is current. */
interface StartState {
  version: string | undefined;
  cache: CacheRow | undefined;
  fingerprint: UserKbFingerprint | undefined;
  userCount: number;
  userModified: string;
}

export interface EngineService {
  /** The current engine; loads (from cache) or builds it on first use and after a KB change. */
  get(): Promise<LoadedEngine>;
  /** Drops the engine (KB changed); the next `get` reloads. */
  invalidate(): void;
}

/** One macrotask: lets IndexedDB requests queued in microtasks go out before synchronous work. */
const nextTask = () => new Promise<void>((resolve) => setTimeout(resolve, 0));

export function createEngineService(ctx: BackgroundContext, factory: EngineFactory | null): EngineService {
  let current: Promise<LoadedEngine> | null = null;

  /** Set by `kbChanged`: the stored fingerprint may be stale until the next load recomputes it. */
  let userKbDirty = false;
  let fingerprintDropped: Promise<unknown> = Promise.resolve();

  async function readStart(): Promise<StartState> {
    await ctx.kbReady;
    await fingerprintDropped;
    const { db } = ctx;
    return db.transaction('r', db.meta, db.userEntities, async () => {
      const [version, cache, fingerprint, userCount, latest] = await Promise.all([
        db.meta.get(KB_VERSION_KEY),
        db.meta.get(MATCHER_CACHE_KEY),
        db.meta.get(USER_KB_FINGERPRINT_KEY),
        db.userEntities.count(),
        // The index key, not the row: no user entity is read.
        db.userEntities.orderBy('modified').lastKey(),
      ]);
      return {
        version: typeof version?.value === 'string' ? version.value : undefined,
        cache: cache?.value as CacheRow | undefined,
        fingerprint: fingerprint?.value as UserKbFingerprint | undefined,
        userCount,
        userModified: typeof latest === 'string' ? latest : '',
      };
    });
  }

  /** Hash of the user's entities: the stored one when still valid, else computed (reading them) and stored. */
  async function userKbHash(start: StartState, readUser: () => Promise<Entity[]>): Promise<string> {
    const known = start.fingerprint;
    if (!userKbDirty && known && known.count === start.userCount && known.modified === start.userModified && typeof known.hash === 'string') return known.hash;
    userKbDirty = false;
    const fingerprint: UserKbFingerprint = { hash: hashEntities(await readUser()), count: start.userCount, modified: start.userModified };
    ctx.db.meta.put({ key: USER_KB_FINGERPRINT_KEY, value: fingerprint }).catch((e: unknown) => {
      console.warn('[attache] could not store the user KB fingerprint', e);
    });
    return fingerprint.hash;
  }

  async function load(): Promise<LoadedEngine> {
    if (!factory) throw new RpcFailure('internal', 'This build of Attaché has no name matcher.');
    const t0 = performance.now();
    const reading = readStart();
    reading.catch(() => undefined); // awaited below; not "unhandled" while warming up
    if (factory.warmUp) {
      // After the read went out (it waits for the database to open and the KB check), so that the
      // two overlap: warming up first would hold the read back until it is done.
      await ctx.kbReady;
      await nextTask();
      factory.warmUp();
    }
    const start = await reading;
    const { db } = ctx;
    let user: Promise<Entity[]> | null = null;
    const readUser = () => (user ??= db.userEntities.toArray().then((rows) => rows.map(plain)));
    const key = `${start.version ?? 'none'}|${await userKbHash(start, readUser)}|${factory.cacheFormat}`;

    const row = start.cache;
    if (row && row.key === key) {
      try {
        const engine = factory.fromCache(row.data);
        if (engine) return { engine, entities: storedLookup(db), key, fromCache: true, loadMs: performance.now() - t0 };
      } catch (e) {
        console.warn('[attache] matcher cache unusable, rebuilding', e);
      }
    }
    const [bundled, mine] = await Promise.all([db.entities.toArray(), readUser()]);
    const entities = new Map<string, Entity>();
    for (const e of bundled) entities.set(e.id, e);
    // The user's version of an entity wins over the bundled one with the same id.
    for (const e of mine) entities.set(e.id, e);
    const engine = factory.build([...entities.values()]);
    const loadMs = performance.now() - t0;
    const data = factory.toCache(engine);
    if (data !== undefined) {
      // Not awaited: the page waiting for highlights should not wait for this write.
      db.meta.put({ key: MATCHER_CACHE_KEY, value: { key, data } satisfies CacheRow }).catch((e: unknown) => {
        console.warn('[attache] could not cache the matcher', e);
      });
    }
    return { engine, entities: memoryLookup(entities), key, fromCache: false, loadMs };
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
