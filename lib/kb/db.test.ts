import Dexie from 'dexie';
import { afterEach, describe, expect, it } from 'vitest';
import v1 from './fixtures/db-v1.json';
import { AttacheDB } from './db';
import { seedKb, storedKbVersion } from './seed';
import type { KnowledgeBase } from './schema';

let names: string[] = [];
const dbName = () => {
  const n = `attache-test-${Math.random().toString(36).slice(2)}`;
  names.push(n);
  return n;
};
afterEach(async () => {
  await Promise.all(names.map((n) => Dexie.delete(n)));
  names = [];
});

/** Writes a database exactly as schema version 1 of the extension left it. */
async function createV1(name: string) {
  const old = new Dexie(name);
  old.version(v1.version).stores(v1.stores);
  await old.open();
  for (const [table, rows] of Object.entries(v1.data)) await old.table(table).bulkAdd(rows);
  old.close();
}

const kb = (version: string, extra = 0): KnowledgeBase => ({
  version,
  entities: [
    { id: 'iran', type: 'country', name: 'Iran', names: { en: ['Iran'], fr: ['Iran'], ar: ['إيران'] }, description: 'Country in West Asia.' },
    ...Array.from({ length: extra }, (_, i) => ({
      id: `person-${i}`,
      type: 'person' as const,
      name: `Person ${i}`,
      names: { en: [`Person ${i}`] },
      description: 'Test person.',
      sources: [{ url: 'https://example.org/' }],
    })),
  ],
  events: [
    { id: '2019-09-11-visit', date: '2019-09-11', title: 'Visit', summary: 'A visit.', participants: ['iran'], sources: [{ corpus: 'text/000_fr_baqeri_beijing.txt' }] },
  ],
});

describe('database upgrade from version 1', () => {
  it('keeps every note, reading and setting, and adds page identities', async () => {
    const name = dbName();
    await createV1(name);
    const db = new AttacheDB(name);
    await db.open();
    expect(db.verno).toBe(2);

    const notes = await db.notes.orderBy('created').toArray();
    expect(notes.map((n) => n.id)).toEqual(v1.data.notes.map((n) => n.id));
    // Content is untouched…
    notes.forEach((n, i) => {
      const old = v1.data.notes[i]!;
      expect(n.quote).toEqual(old.quote);
      expect(n.position).toEqual(old.position);
      expect(n.comment).toBe(old.comment);
      expect(n.url).toBe(old.url);
    });
    // …and the new fields are derived from it.
    expect(notes[0]!.page).toBe('https://www.tehrantimes.com/news/440099/Iran-China-ties');
    expect(notes[0]!.tags).toEqual([]);
    expect(notes[0]!.modified).toBe(notes[0]!.created);
    expect(notes[1]!.page).toBe('https://french.presstv.ir/Detail/2024/04/26/article');
    expect(notes[1]!.tags).toEqual(['sco', 'astana']);
    expect(notes[1]!.modified).toBe('2025-03-03T08:00:00.000Z');
    expect(notes[2]!.page).toBe('not a url at all');
    // New indexes work on upgraded rows.
    expect(await db.notes.where('tags').equals('sco').count()).toBe(1);

    const readings = await db.readings.toArray();
    expect(readings).toHaveLength(1);
    expect(readings[0]!.page).toBe('https://www.middleeastmonitor.com/20220428-china-iran-agree/');
    expect(await db.settings.get('disabledSites')).toEqual({ key: 'disabledSites', value: ['example.com'] });
    db.close();
  });

  it('then reseeds the KB without touching the upgraded user data', async () => {
    const name = dbName();
    await createV1(name);
    const db = new AttacheDB(name);
    const r = await seedKb(db, kb('2026.11.22-1'));
    expect(r.seeded).toBe(true);
    expect(await db.entities.get('old-entity')).toBeUndefined();
    expect(await db.notes.count()).toBe(3);
    expect(await db.settings.count()).toBe(2);
    expect(await storedKbVersion(db)).toBe('2026.11.22-1');
    db.close();
  });
});

describe('seedKb', () => {
  it('is idempotent: the same version is not written twice', async () => {
    const db = new AttacheDB(dbName());
    expect((await seedKb(db, kb('v1', 3))).seeded).toBe(true);
    expect(await db.entities.count()).toBe(4);
    expect((await seedKb(db, kb('v1', 3))).seeded).toBe(false);
    expect(await db.entities.count()).toBe(4);
    db.close();
  });

  it('replaces the KB on a new version and never touches user data', async () => {
    const db = new AttacheDB(dbName());
    await seedKb(db, kb('v1', 5));
    const note = { ...(v1.data.notes[1] as object), page: 'p', tags: [], entities: ['iran'], modified: '2025-01-01T00:00:00.000Z' };
    await db.notes.add(note as never);
    await db.userEntities.add({ id: 'my-source', type: 'person', name: 'My Source', names: { en: ['My Source'] }, description: 'Mine.', sources: [{ url: 'https://example.org/' }], modified: '2025-01-01T00:00:00.000Z' });
    await db.settings.put({ key: 'enabled', value: true });
    await db.readings.add({ page: 'p', url: 'p', title: 't', visitedAt: '2025-01-01T00:00:00.000Z', entities: [] });

    const r = await seedKb(db, kb('v2', 1));
    expect(r).toMatchObject({ seeded: true, entities: 2, events: 1 });
    expect(await db.entities.count()).toBe(2);
    expect(await db.notes.count()).toBe(1);
    expect(await db.userEntities.count()).toBe(1);
    expect(await db.settings.get('enabled')).toEqual({ key: 'enabled', value: true });
    expect(await db.readings.count()).toBe(1);
    db.close();
  });

  it('rejects an invalid bundle before writing anything', async () => {
    const db = new AttacheDB(dbName());
    await seedKb(db, kb('v1', 2));
    const bad = kb('v2');
    bad.events[0]!.sources = [];
    await expect(seedKb(db, bad)).rejects.toThrow(/events\[0\]\.sources/);
    expect(await storedKbVersion(db)).toBe('v1');
    expect(await db.entities.count()).toBe(3);
    db.close();
  });

  it('writes all or nothing when the transaction fails half-way', async () => {
    const db = new AttacheDB(dbName());
    await seedKb(db, kb('v1', 2));
    const original = db.events.bulkPut.bind(db.events);
    db.events.bulkPut = (() => Promise.reject(new Error("disk full"))) as unknown as typeof db.events.bulkPut;
    await expect(seedKb(db, kb('v2', 7))).rejects.toThrow('disk full');
    db.events.bulkPut = original;
    expect(await storedKbVersion(db)).toBe('v1');
    expect(await db.entities.count()).toBe(3);
    db.close();
  });

  it('reads a lazily loaded KB (the shipped file of the extension) only when the stored version differs', async () => {
    const db = new AttacheDB(dbName());
    let loads = 0;
    const source = (version: string, data = kb(version, 2)) => ({
      version,
      load: async () => {
        loads++;
        return data;
      },
    });
    expect((await seedKb(db, source('v1'))).seeded).toBe(true);
    expect(loads).toBe(1);
    expect((await seedKb(db, source('v1'))).seeded).toBe(false);
    expect(loads).toBe(1);
    expect(await db.entities.count()).toBe(3);
    // Data from another build than the code: refused, the stored KB stays.
    await expect(seedKb(db, source('v2', kb('v3', 5)))).rejects.toThrow(/version v3, expected v2/);
    expect(await storedKbVersion(db)).toBe('v1');
    expect(await db.entities.count()).toBe(3);
    db.close();
  });
});
