/**
 * The bundled knowledge base: every data file, merged. Add a new file here when you add one.
 * The same module feeds the extension's background (seeded into IndexedDB) and the CLI.
 */
import type { KbFile, KnowledgeBase } from '../../lib/kb/schema';
import countries from './entities/countries.json';
import places from './entities/places.json';
import iran from './entities/iran.json';
import china from './entities/china.json';
import russia from './entities/russia.json';
import international from './entities/international.json';
import peopleOther from './entities/people-other.json';
import agreements from './entities/agreements.json';
import exercises from './entities/exercises.json';
import equipment from './entities/equipment.json';
import eventEntities from './entities/event-entities.json';
import events2013 from './events/2013-2018.json';
import events2019 from './events/2019-2021.json';
import events2022 from './events/2022-2023.json';
import events2024 from './events/2024-2026.json';

/** Data files in load order, with their paths for error messages. */
export const KB_FILES: Record<string, KbFile> = {
  'entities/countries.json': countries as KbFile,
  'entities/places.json': places as KbFile,
  'entities/iran.json': iran as KbFile,
  'entities/china.json': china as KbFile,
  'entities/russia.json': russia as KbFile,
  'entities/international.json': international as KbFile,
  'entities/people-other.json': peopleOther as KbFile,
  'entities/agreements.json': agreements as KbFile,
  'entities/exercises.json': exercises as KbFile,
  'entities/equipment.json': equipment as KbFile,
  'entities/event-entities.json': eventEntities as KbFile,
  'events/2013-2018.json': events2013 as KbFile,
  'events/2019-2021.json': events2019 as KbFile,
  'events/2022-2023.json': events2022 as KbFile,
  'events/2024-2026.json': events2024 as KbFile,
};

/**
 * Increase when the bundled data changes: the background reseeds IndexedDB and rebuilds the
 * cached automaton when the stored version differs (a test fails if the data changed without it).
 */
export const KB_VERSION = '2026.11.22-3';

export function bundledKb(): KnowledgeBase {
  const kb: KnowledgeBase = { version: KB_VERSION, entities: [], events: [] };
  for (const file of Object.values(KB_FILES)) {
    if (file.entities) kb.entities.push(...file.entities);
    if (file.events) kb.events.push(...file.events);
  }
  return kb;
}
