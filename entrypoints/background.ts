import { browser } from 'wxt/browser';
import { KB_VERSION } from '@/assets/kb';
import { AttacheDB } from '@/lib/kb/db';
import { seedKb } from '@/lib/kb/seed';
import { SHIPPED_KB_PATH, shippedKbFrom } from '@/lib/kb/shipped';
import { createContext } from '@/lib/background/context';
import { Router } from '@/lib/background/router';
import { pageFeature } from '@/lib/background/page';
import { settingsFeature } from '@/lib/background/settings';
import { notesFeature } from '@/lib/background/notes';
import { kbFeature } from '@/lib/background/kb';
import { exploreFeature } from '@/lib/background/explore';
import { createEngineService } from '@/lib/background/engine-service';
import { matchEngineFactory } from '@/lib/background/match-engine';
import { TabStore } from '@/lib/background/tabs';

export default defineBackground(() => {
  const db = new AttacheDB();
  // Seeding is idempotent (skipped when the stored KB version is current), so it can run at every
  // start; onInstalled alone would miss a worker killed mid-seed.
  // Only `KB_VERSION` comes from assets/kb (the data files are tree-shaken away): the data is read
  // from the package when the stored version differs.
  const load = async () => shippedKbFrom(await fetch(browser.runtime.getURL(SHIPPED_KB_PATH)));
  const kbReady = seedKb(db, { version: KB_VERSION, load }).then(
    (r) => {
      if (r.seeded) console.info(`[attache] KB ${r.version}: ${r.entities} entities, ${r.events} events in ${Math.round(r.ms)} ms`);
    },
    (e) => console.error('[attache] KB seeding failed; the previous KB stays in use', e),
  );
  const ctx = createContext(db, kbReady);
  const engines = createEngineService(ctx, matchEngineFactory);
  const tabs = new TabStore();
  const router = new Router(browser.runtime.getURL('/'))
    .register(pageFeature(ctx, engines, tabs))
    .register(settingsFeature(ctx, tabs))
    .register(notesFeature(ctx))
    .register(kbFeature(ctx))
    .register(exploreFeature(ctx));
  // Registered synchronously so that a message that wakes the worker is not lost.
  browser.runtime.onMessage.addListener(router.listener);
});
