/**
 * What every background feature module gets: the database, a promise that resolves once the bundled
 * KB is seeded, and a signal for "the KB changed" (user entities added or edited, a pack imported)
 * so that the matcher rebuilds and open tabs rescan without reloading the extension.
 */
import type { AttacheDB } from '../kb/db';

export interface BackgroundContext {
  db: AttacheDB;
  /** Resolves when the KB is seeded (install/update) or already current. */
  kbReady: Promise<void>;
  /** Call after writing user entities/events; listeners rebuild caches and notify tabs. */
  kbChanged(): void;
  onKbChanged(listener: () => void): void;
}

export function createContext(db: AttacheDB, kbReady: Promise<void>): BackgroundContext {
  const listeners: (() => void)[] = [];
  return {
    db,
    kbReady,
    kbChanged() {
      for (const l of listeners) l();
    },
    onKbChanged(l) {
      listeners.push(l);
    },
  };
}
