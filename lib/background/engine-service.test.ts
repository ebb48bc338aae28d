/**
 * The engine service's cold start: the user-entities part of the matcher cache key comes from the
 * fingerprint stored in `db.meta`, not from hashing every user entity on each start.
 */
import Dexie from 'dexie';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { AttacheDB } from '../kb/db';
import { seedKb } from '../kb/seed';
import type { KnowledgeBase } from '../kb/schema';
import { createContext, type BackgroundContext } from './context';
import { createEngineService, MATCHER_CACHE_KEY, USER_KB_FINGERPRINT_KEY } from './engine-service';
import { matchEngineFactory } from './match-engine';

const KB: KnowledgeBase = {
  version: 'test-1',
  entities: [
    { id: 'iran', type: 'country', name: 'Iran', names: { en: ['Iran'] }, description: 'Country.' },
    { id: 'china', type: 'country', name: 'China', names: { en: ['China'] }, description: 'Country.' },
    {
      id: 'dong-jun',
      type: 'person',
      name: 'Dong Jun',
      names: { en: ['Dong Jun'] },
      description: 'Chinese admiral.',
      country: 'china',
      roles: [{ title: 'Minister of National Defense of China', office: 'cn.defence-minister', from: '2023-12-29' }],
      sources: [{ url: 'https://example.org/source' }],
    },
  ],
  events: [],
};
const MINE = { id: 'my-group', type: 'organization' as const, name: 'My Group', names: { en: ['My Group'] }, description: 'Mine.', modified: '2026-01-01T00:00:00Z' };

let db: AttacheDB;
let ctx: BackgroundContext;
const names: string[] = [];

beforeEach(async () => {
  const name = `attache-engine-${Math.random().toString(36).slice(2)}`;
  names.push(name);
  db = new AttacheDB(name);
  ctx = createContext(db, seedKb(db, KB).then(() => undefined));
  await ctx.kbReady;
  await db.userEntities.put(MINE);
});
afterEach(async () => {
  vi.restoreAllMocks();
  await new Promise((r) => setTimeout(r, 20)); // background writes (cache, fingerprint)
  db.close();
  await Promise.all(names.splice(0).map((n) => Dexie.delete(n)));
});

/** A stopped and restarted worker: a fresh context and service over the same database. */
const restart = () => createEngineService(createContext(db, Promise.resolve()), matchEngineFactory);

/** True when some JSON.stringify call serialised the user's entities (what `hashEntities` does). */
const hashedUserEntities = (spy: { mock: { calls: unknown[][] } }): boolean =>
  spy.mock.calls.some(([v]) => Array.isArray(v) && v.some((e) => (e as { id?: string } | null)?.id === MINE.id));

describe('engine service cold start', () => {
  it('a start with an unchanged user KB does not hash the user entities', async () => {
    const first = await createEngineService(ctx, matchEngineFactory).get();
    expect(first.fromCache).toBe(false);
    await expect.poll(async () => (await db.meta.get(MATCHER_CACHE_KEY))?.value).toBeTruthy();
    await expect.poll(async () => (await db.meta.get(USER_KB_FINGERPRINT_KEY))?.value).toMatchObject({ count: 1, modified: MINE.modified });

    const stringify = vi.spyOn(JSON, 'stringify');
    const cold = await restart().get();
    expect(hashedUserEntities(stringify)).toBe(false);
    expect(cold.fromCache).toBe(true);
    expect(cold.key).toBe(first.key);
    expect(cold.engine.match('My Group in Iran', cold.engine.newDocState(), { url: 'https://x.example/' }).map((s) => s.id)).toEqual(['my-group', 'iran']);
  });

  it('recomputes after kbChanged, so an edit with the same count and date still changes the key', async () => {
    const service = createEngineService(ctx, matchEngineFactory);
    const first = await service.get();
    await db.userEntities.put({ ...MINE, names: { en: ['My Group', 'The Others'] } });
    const stringify = vi.spyOn(JSON, 'stringify');
    ctx.kbChanged();
    const again = await service.get();
    expect(hashedUserEntities(stringify)).toBe(true);
    expect(again.key).not.toBe(first.key);
    expect(again.fromCache).toBe(false);
    // And the next worker trusts the new fingerprint.
    await expect.poll(async () => ((await db.meta.get(USER_KB_FINGERPRINT_KEY))?.value as { hash?: string } | undefined)?.hash).toBe(again.key.split('|')[1]);
    const cold = await restart().get();
    expect(cold.key).toBe(again.key);
  });

  it('a write the fingerprint missed (worker stopped before kbChanged) is caught by the row count or latest date', async () => {
    const first = await createEngineService(ctx, matchEngineFactory).get();
    await expect.poll(async () => (await db.meta.get(USER_KB_FINGERPRINT_KEY))?.value).toBeTruthy();
    await db.userEntities.put({ ...MINE, id: 'their-group', name: 'Their Group', names: { en: ['Their Group'] } });
    const cold = await restart().get();
    expect(cold.key).not.toBe(first.key);
    expect(cold.fromCache).toBe(false);
    expect((await cold.entities.get(['their-group'])).has('their-group')).toBe(true);
  });
});

describe('what a cold start reads', () => {
  it('no entity: the engine, role index included, comes from the cache; matched entities are read by id', async () => {
    // The user's own version of a bundled entity, to see which one the lookup returns.
    await db.userEntities.put({ ...KB.entities[1]!, description: 'Mine.', modified: '2026-02-01T00:00:00Z' });
    const first = await createEngineService(ctx, matchEngineFactory).get();
    await expect.poll(async () => ((await db.meta.get(MATCHER_CACHE_KEY))?.value as { key?: string } | undefined)?.key).toBe(first.key);

    const bundledRead = vi.spyOn(db.entities, 'toArray');
    const userRead = vi.spyOn(db.userEntities, 'toArray');
    const cold = await restart().get();
    expect(cold.fromCache).toBe(true);
    expect(bundledRead).not.toHaveBeenCalled();
    expect(userRead).not.toHaveBeenCalled();

    const page = { url: 'https://x.example/', pageDate: { date: '2024-06-01', source: 'meta' as const } };
    const spans = cold.engine.match("China's defence minister arrived.", cold.engine.newDocState(), page);
    expect(spans.map((s) => [s.id, s.via])).toEqual([
      ['dong-jun', 'role'],
      ['china', 'name'],
    ]);

    // The matched person and the country it names; the user's version wins; unknown ids are absent.
    for (const lookup of [cold.entities, first.entities]) {
      const found = await lookup.get(['dong-jun', 'nobody']);
      expect([...found.keys()].sort()).toEqual(['china', 'dong-jun']);
      expect(found.get('china')?.description).toBe('Mine.');
      expect(found.get('china')).not.toHaveProperty('modified');
    }
  });
});
