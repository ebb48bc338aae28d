import { browser } from 'wxt/browser';
import { bundledKb } from '@/assets/kb';
import { AttacheDB } from '@/lib/kb/db';
import { seedKb } from '@/lib/kb/seed';
import { createContext } from '@/lib/background/context';
import { Router } from '@/lib/background/router';
import { pageFeature } from '@/lib/background/page';
import { settingsFeature } from '@/lib/background/settings';
import { notesFeature } from '@/lib/background/notes';
import { kbFeature } from '@/lib/background/kb';
import { createEngineService } from '@/lib/background/engine-service';
import { TabStore } from '@/lib/background/tabs';

export default defineBackground(() => {
  const db = new AttacheDB();
  // Seeding is idempotent (skipped when the stored KB version is current), so it can run at every
  // start; onInstalled alone would miss a worker killed mid-seed.
  const kbReady = seedKb(db, bundledKb()).then(
    (r) => {
      if (r.seeded) console.info(`[attache] KB ${r.version}: ${r.entities} entities, ${r.events} events in ${Math.round(r.ms)} ms`);
    },
    (e) => console.error('[attache] KB seeding failed; the previous KB stays in use', e),
  );
  const ctx = createContext(db, kbReady);
  // No matcher is wired until lib/match lands (see lib/background/match-engine.ts).
  const engines = createEngineService(ctx, null);
  const tabs = new TabStore();
  const router = new Router(browser.runtime.getURL('/'))
    .register(pageFeature(ctx, engines, tabs))
    .register(settingsFeature(ctx, tabs))
    .register(notesFeature(ctx))
    .register(kbFeature(ctx));
  // Registered synchronously so that a message that wakes the worker is not lost.
  browser.runtime.onMessage.addListener(router.listener);
});
