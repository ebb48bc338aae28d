/**
 * Database upgrades never lose a user's notes. For every schema version there is a fixture
 * (`fixtures/db-v<N>.json`: the stores of that version and rows as that version wrote them); each
 * older one is opened by the current code and every user row must still be there, its content
 * untouched. A new `version(n)` without a fixture for the version before it fails here.
 */
import Dexie from 'dexie';
import { afterEach, describe, expect, it } from 'vitest';
import { AttacheDB, USER_TABLES } from './db';
import { seedKb } from './seed';

interface Fixture {
  version: number;
  stores: Record<string, string>;
  data: Record<string, Record<string, unknown>[]>;
}

const fixtures: Fixture[] = Object.entries(import.meta.glob<Fixture>('./fixtures/db-v*.json', { eager: true, import: 'default' }))
  .map(([, f]) => f)
  .sort((a, b) => a.version - b.version);

const CURRENT = new AttacheDB('attache-version-probe').verno;

let names: string[] = [];
const dbName = () => {
  const n = `attache-safety-${Math.random().toString(36).slice(2)}`;
  names.push(n);
  return n;
};
afterEach(async () => {
  await Promise.all(names.map((n) => Dexie.delete(n)));
  names = [];
});

async function createAt(name: string, f: Fixture): Promise<void> {
  const old = new Dexie(name);
  old.version(f.version).stores(f.stores);
  await old.open();
  for (const [table, rows] of Object.entries(f.data)) if (rows.length) await old.table(table).bulkAdd(rows);
  old.close();
}

/** Primary key of a row as the fixture's store declares it (first schema item; `++id` rows get 1…n). */
function keyPath(stores: Record<string, string>, table: string): string {
  return stores[table]!.split(',')[0]!.trim().replace(/^\+\+/, '');
}

/** The fields a version wrote that must survive every later version unchanged. */
const NOTE_CONTENT = ['id', 'url', 'title', 'quote', 'position', 'comment', 'created'] as const;

describe('fixtures', () => {
  it('exist for every schema version up to the current one', () => {
    expect(CURRENT).toBeGreaterThanOrEqual(2);
    expect(fixtures.map((f) => f.version)).toEqual(Array.from({ length: CURRENT }, (_, i) => i + 1));
  });
});

describe.each(fixtures.filter((f) => f.version <= CURRENT))('opening a database left by version $version', (f) => {
  it('keeps every user row, and every note with its content untouched', async () => {
    const name = dbName();
    await createAt(name, f);
    const db = new AttacheDB(name);
    await db.open();
    expect(db.verno).toBe(CURRENT);
    for (const table of USER_TABLES) {
      const before = f.data[table] ?? [];
      const after = (await db.table(table).toArray()) as Record<string, unknown>[];
      expect(after.length, table).toBe(before.length);
      if (!f.stores[table]) continue;
      const key = keyPath(f.stores, table);
      const byKey = new Map(after.map((r) => [JSON.stringify(r[key]), r]));
      before.forEach((row, i) => {
        const k = JSON.stringify(row[key] ?? i + 1);
        const now = byKey.get(k);
        expect(now, `${table} ${k}`).toBeDefined();
        // Upgrades may add fields; they never change or drop one the user had.
        for (const [field, value] of Object.entries(row)) expect(now![field], `${table} ${k}.${field}`).toEqual(value);
      });
    }
    for (const n of await db.notes.toArray()) {
      for (const field of NOTE_CONTENT) expect(n[field], `${n.id}.${field}`).toBeDefined();
      expect(typeof n.page).toBe('string');
      expect(Array.isArray(n.tags) && Array.isArray(n.entities)).toBe(true);
      expect(typeof n.modified).toBe('string');
    }
    db.close();
  });

  it('keeps them through the KB reseed that follows an update', async () => {
    const name = dbName();
    await createAt(name, f);
    const db = new AttacheDB(name);
    const src = [{ url: 'https://example.org/' }];
    await seedKb(db, { version: 'future-kb', entities: [{ id: 'iran', type: 'country', name: 'Iran', names: { en: ['Iran'] }, description: 'Country.', sources: src }], events: [] });
    for (const table of USER_TABLES) expect(await db.table(table).count(), table).toBe((f.data[table] ?? []).length);
    db.close();
  });
});

describe('odd rows written by version 1', () => {
  const v1 = fixtures.find((f) => f.version === 1)!;

  it('notes with a missing, numeric or unparseable url, unknown fields and a huge comment all survive', async () => {
    const name = dbName();
    const odd: Record<string, unknown>[] = [
      { id: 'urn:uuid:odd-1', title: 'no url', quote: { type: 'TextQuoteSelector', exact: 'x', prefix: '', suffix: '' }, position: { type: 'TextPositionSelector', start: 0, end: 1 }, comment: 'c', created: '2024-01-01T00:00:00.000Z' },
      { id: 'urn:uuid:odd-2', url: 42, title: 't', comment: '', created: '2024-01-02T00:00:00.000Z' },
      { id: 'urn:uuid:odd-3', url: 'ht tp://broken', title: 't', comment: 'x'.repeat(1_000_000), created: '2024-01-03T00:00:00.000Z', legacyField: { keep: true } },
      { id: 'urn:uuid:odd-4', url: 'https://a.example/p', title: 't', comment: '', created: '2024-01-04T00:00:00.000Z', tags: null },
    ];
    await createAt(name, { ...v1, data: { ...v1.data, notes: [...(v1.data.notes ?? []), ...odd] } });
    const db = new AttacheDB(name);
    await db.open();
    expect(await db.notes.count()).toBe((v1.data.notes ?? []).length + odd.length);
    const three = (await db.notes.get('urn:uuid:odd-3')) as unknown as Record<string, unknown>;
    expect((three.comment as string).length).toBe(1_000_000);
    expect(three.legacyField).toEqual({ keep: true });
    db.close();
  });
});

describe('a database from a newer version of Attaché (a downgrade)', () => {
  it('deletes nothing: the notes are readable now and there for the newer version again', async () => {
    const name = dbName();
    const latest = fixtures.at(-1)!;
    const future = { ...latest, version: CURRENT + 1, stores: { ...latest.stores, futureTable: 'id' } };
    await createAt(name, future);
    const db = new AttacheDB(name);
    // Dexie 4 opens a newer database as it is when our tables are all there (no downgrade, no wipe).
    await db.open();
    expect((await db.notes.toArray()).map((n) => n.id)).toEqual((latest.data.notes ?? []).map((n) => n.id));
    db.close();
    const again = new Dexie(name);
    again.version(future.version).stores(future.stores);
    await again.open();
    expect(await again.table('notes').count()).toBe((latest.data.notes ?? []).length);
    again.close();
  });
});
