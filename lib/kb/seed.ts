/**
 * Loads the bundled KB into IndexedDB on install and update: validated first, written in one
 * transaction (all or nothing), skipped when the stored KB version is the bundled one. Only the
 * `entities`, `events` and `meta` tables are written; the user's tables are never touched.
 *
 * The extension passes a `KbSource`: the version is in the code, the data in a file of the package
 * (`lib/kb/shipped.ts`) read only when the stored version differs, so that a start with a current KB
 * neither parses nor fetches ~0.9 MB of data.
 */
import type { AttacheDB } from './db';
import type { KnowledgeBase } from './schema';
import { assertValidKb } from './validate';

export const KB_VERSION_KEY = 'kbVersion';

/** A KB whose data is loaded only when seeding needs it. */
export interface KbSource {
  version: string;
  /** The data; its `version` must be `KbSource.version`. */
  load(): Promise<KnowledgeBase>;
}

export interface SeedResult {
  /** False when the stored KB already had this version. */
  seeded: boolean;
  version: string;
  entities: number;
  events: number;
  ms: number;
}

export async function seedKb(db: AttacheDB, source: KnowledgeBase | KbSource, { force = false } = {}): Promise<SeedResult> {
  const t0 = performance.now();
  const stored = await db.meta.get(KB_VERSION_KEY);
  if (!force && stored?.value === source.version) {
    return { seeded: false, version: source.version, entities: 0, events: 0, ms: performance.now() - t0 };
  }
  const kb = 'load' in source ? await source.load() : source;
  // A data file from another build than the code: storing it under the code's version would skip
  // the right data for good.
  if (kb.version !== source.version) throw new Error(`KB data has version ${String(kb.version)}, expected ${source.version}`);
  // Validate before opening the write transaction: a bad bundle must not wipe a good KB.
  assertValidKb(kb);
  await db.transaction('rw', db.entities, db.events, db.meta, async () => {
    await db.entities.clear();
    await db.events.clear();
    await db.entities.bulkPut(kb.entities);
    await db.events.bulkPut(kb.events);
    await db.meta.put({ key: KB_VERSION_KEY, value: kb.version });
  });
  return { seeded: true, version: kb.version, entities: kb.entities.length, events: kb.events.length, ms: performance.now() - t0 };
}

/** The KB version stored in the database, if any. */
export async function storedKbVersion(db: AttacheDB): Promise<string | undefined> {
  const row = await db.meta.get(KB_VERSION_KEY);
  return typeof row?.value === 'string' ? row.value : undefined;
}
