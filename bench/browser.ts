/**
 * Chromium with the built extension, a local page server and probes into a page's two worlds: the
 * page's own (bare walk, mark.js, CSS.highlights) and the content script's isolated world (reached
 * through CDP, where `globalThis.__attache` is the content script's `Reader`).
 *
 * Launch flags are those of tests/e2e/harness.ts, so the benchmark runs the browser the real-browser
 * tests run.
 */
import { execSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { extensionLaunchArgs } from '../tests/e2e/harness';
import { chromium, type BrowserContext, type CDPSession, type Page, type Worker } from 'playwright-core';
import type { Entity } from '../lib/kb/schema';
import { repoRoot } from './corpus';

export const CHROMIUM = process.env.CHROMIUM ?? '/usr/bin/chromium';
export const EXTENSION_DIR = join(repoRoot, '.output/chrome-mv3');

/** Builds the Chrome extension when `.output/chrome-mv3` has no manifest. Returns true if it built. */
export function ensureBuilt(log: (s: string) => void = console.log): boolean {
  if (existsSync(join(EXTENSION_DIR, 'manifest.json'))) return false;
  log('No .output/chrome-mv3: running `npm run build`…');
  execSync('npm run --silent build', { cwd: repoRoot, stdio: ['ignore', 'ignore', 'inherit'] });
  if (!existsSync(join(EXTENSION_DIR, 'manifest.json'))) throw new Error('npm run build produced no .output/chrome-mv3/manifest.json');
  return true;
}

/** The e2e harness's Chromium flags: the bench measures the same browser the tests drive. */
export const launchArgs = extensionLaunchArgs;

/** A static page server on 127.0.0.1 (routes: path → body and content type). */
export async function serve(routes: Map<string, { body: string | Buffer; type: string }>): Promise<{ server: Server; origin: string }> {
  const server = createServer((req, res) => {
    const route = routes.get((req.url ?? '/').split('?')[0]!);
    if (!route) {
      res.writeHead(404).end('not found');
      return;
    }
    res.writeHead(200, { 'content-type': route.type, 'cache-control': 'no-store' }).end(route.body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { server, origin: `http://127.0.0.1:${port}` };
}

export class Browser {
  private constructor(
    readonly context: BrowserContext,
    private readonly profile: string,
  ) {}

  static async launch(dir = EXTENSION_DIR): Promise<Browser> {
    const profile = mkdtempSync(join(tmpdir(), 'attache-bench-'));
    const context = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM,
      headless: true,
      args: launchArgs(dir),
      ignoreDefaultArgs: ['--disable-extensions'],
      viewport: { width: 1280, height: 900 },
    });
    return new Browser(context, profile);
  }

  /** The extension's service worker (started again by Chrome after a stop). */
  async worker(timeoutMs = 20_000): Promise<Worker> {
    const live = this.context.serviceWorkers().filter((w) => w.url().startsWith('chrome-extension://'));
    if (live.length > 0) return live[live.length - 1]!;
    return this.context.waitForEvent('serviceworker', { timeout: timeoutMs });
  }

  async close(): Promise<void> {
    await this.context.close().catch(() => {});
    rmSync(this.profile, { recursive: true, force: true });
  }
}

interface ContextDescription {
  id: number;
  origin: string;
  auxData?: { isDefault?: boolean; type?: string; frameId?: string };
}

/**
 * Installed once per page in the isolated world: `globalThis.__bench` with
 * - `drawnAt()`: the latest moment highlights were registered — the reader's own stamp when it has
 *   one (`timings.lastDrawn`, older builds `lastDrawnAt`) or, always, a wrapper around
 *   `highlighter.add` on the instance (the reader calls it as a method, so the own property wins);
 * - `roundTrips()`: the reader's `page.match` round trips when it reports them;
 * - `settled(t0, min)`: resolves with `drawnAt()` once something was drawn after `t0` and nothing
 *   more for a quiet period longer than the slowest round trip (a big page is matched in chunks).
 */
const INSTALL_PROBE = `(() => {
  const reader = globalThis.__attache;
  const h = reader.highlighter;
  if (!h.__benchWrapped) {
    const add = Object.getPrototypeOf(h).add;
    h.add = function (records) {
      const out = add.call(this, records);
      globalThis.__benchAddAt = performance.now();
      return out;
    };
    h.__benchWrapped = true;
    globalThis.__benchAddAt = 0;
  }
  const sleep = (ms) => new Promise((res) => setTimeout(res, ms));
  const bench = {
    drawnAt() {
      const t = reader.timings;
      return Math.max((t && t.lastDrawn) || 0, reader.lastDrawnAt || 0, globalThis.__benchAddAt || 0);
    },
    roundTrips() {
      const t = reader.timings;
      return t && Array.isArray(t.matchRoundTrips) ? t.matchRoundTrips.slice() : [];
    },
    async settled(t0, quietMin, timeoutMs, fromTrip = 0) {
      const deadline = performance.now() + timeoutMs;
      while (!(bench.drawnAt() > t0)) {
        if (performance.now() > deadline) throw new Error('nothing drawn within ' + timeoutMs + ' ms');
        await sleep(1);
      }
      let last = bench.drawnAt();
      for (;;) {
        const quiet = Math.max(quietMin, 3 * Math.max(0, ...bench.roundTrips().slice(fromTrip)));
        await sleep(quiet);
        const now = bench.drawnAt();
        if (now === last) return last;
        last = now;
      }
    },
  };
  globalThis.__bench = bench;
  return true;
})()`;

/** The reader exists and has drawn something (the probe then waits for the scan to settle). */
const READY = '!!(globalThis.__attache && globalThis.__attache.highlighter && (globalThis.__attache.highlighter.size > 0 || (globalThis.__attache.timings && globalThis.__attache.timings.lastDrawn > 0) || globalThis.__attache.lastDrawnAt > 0))';

/** One tab and its CDP session, with the content script's isolated world at hand. */
export class Tab {
  private isolatedId: number | null = null;

  private constructor(
    readonly page: Page,
    readonly cdp: CDPSession,
  ) {}

  static async open(browser: Browser): Promise<Tab> {
    const page = await browser.context.newPage();
    const cdp = await browser.context.newCDPSession(page);
    const tab = new Tab(page, cdp);
    cdp.on('Runtime.executionContextCreated', ({ context }: { context: ContextDescription }) => {
      if (context.auxData?.type === 'isolated' && context.origin.startsWith('chrome-extension://') && context.auxData.isDefault === false) {
        tab.isolatedId = context.id;
      }
    });
    cdp.on('Runtime.executionContextsCleared', () => {
      tab.isolatedId = null;
    });
    cdp.on('Runtime.executionContextDestroyed', ({ executionContextId }: { executionContextId: number }) => {
      if (executionContextId === tab.isolatedId) tab.isolatedId = null;
    });
    await cdp.send('Runtime.enable');
    return tab;
  }

  /** Loads `url` and waits until the content script has drawn its first highlights. */
  async load(url: string, timeoutMs = 120_000): Promise<void> {
    this.isolatedId = null;
    await this.page.goto(url, { waitUntil: 'load' });
    await this.waitReady(timeoutMs);
  }

  async waitReady(timeoutMs = 120_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      if (this.isolatedId !== null) {
        const ready = await this.isolated<boolean>(READY).catch(() => false);
        if (ready) {
          await this.isolated(INSTALL_PROBE);
          // The first scan may still be drawing (chunks): wait until it settles.
          await this.isolated(`globalThis.__bench.settled(0, 300, ${timeoutMs})`);
          return;
        }
      }
      if (Date.now() > deadline) throw new Error(`content script did not draw within ${timeoutMs} ms on ${this.page.url()} (${this.isolatedId === null ? "no content-script world seen" : "is globalThis.__attache still exposed?"})`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  /** Evaluates an expression (a promise is awaited) in the content script's isolated world. */
  async isolated<T>(expression: string): Promise<T> {
    if (this.isolatedId === null) throw new Error('no content-script world in this tab');
    const r = (await this.cdp.send('Runtime.evaluate', { expression, contextId: this.isolatedId, awaitPromise: true, returnByValue: true })) as {
      result: { value?: unknown };
      exceptionDetails?: { text: string; exception?: { description?: string } };
    };
    if (r.exceptionDetails) throw new Error(`isolated world: ${r.exceptionDetails.exception?.description ?? r.exceptionDetails.text}`);
    return r.result.value as T;
  }

  async close(): Promise<void> {
    await this.cdp.detach().catch(() => {});
    await this.page.close().catch(() => {});
  }
}

/** Stops every service worker (the extension's included) and waits until Playwright sees it close. */
export async function stopWorkers(browser: Browser, tab: Tab): Promise<void> {
  const sw = browser.context.serviceWorkers().find((w) => w.url().startsWith('chrome-extension://'));
  const closed = sw ? new Promise<void>((resolve) => sw.once('close', () => resolve())) : Promise.resolve();
  await tab.cdp.send('ServiceWorker.enable').catch(() => {});
  await tab.cdp.send('ServiceWorker.stopAllWorkers');
  // Playwright does not always report the close; the next message finds the worker stopped anyway
  // (cold and warm figures differ by two orders of magnitude).
  await Promise.race([closed, new Promise((r) => setTimeout(r, 1000))]);
}

/**
 * Replaces the user entities in the extension's IndexedDB (Dexie database `attache`, table
 * `userEntities`) from the service worker, in batches. The running engine does not know: the
 * caller stops the worker so that the next match rebuilds (the cache key hashes user entities).
 */
export async function setUserEntities(worker: Worker, entities: readonly Entity[], modified = '2025-01-01T00:00:00.000Z'): Promise<void> {
  const write = async ({ batch, clear }: { batch: unknown[]; clear: boolean }) => {
    const db = await new Promise<IDBDatabase>((resolve, reject) => {
      const q = indexedDB.open('attache');
      q.onsuccess = () => resolve(q.result);
      q.onerror = () => reject(q.error);
    });
    try {
      const tx = db.transaction('userEntities', 'readwrite');
      const store = tx.objectStore('userEntities');
      if (clear) store.clear();
      for (const e of batch) store.put(e);
      await new Promise<void>((resolve, reject) => {
        tx.oncomplete = () => resolve();
        tx.onerror = () => reject(tx.error);
        tx.onabort = () => reject(tx.error);
      });
    } finally {
      db.close();
    }
  };
  const rows = entities.map((e) => ({ ...e, modified }));
  const BATCH = 10_000;
  if (rows.length === 0) await worker.evaluate(write, { batch: [], clear: true });
  for (let i = 0; i < rows.length; i += BATCH) await worker.evaluate(write, { batch: rows.slice(i, i + BATCH), clear: i === 0 });
}

export const markJsSource = () => readFileSync(join(repoRoot, 'node_modules/mark.js/dist/mark.min.js'));

/** Deletes the background's cached matcher (`meta` row `matcherCache`), so the next start compiles. */
export async function dropMatcherCache(worker: Worker): Promise<void> {
  await worker.evaluate(async () => {
    const db = await new Promise<IDBDatabase>((resolve, reject) => {
      const q = indexedDB.open('attache');
      q.onsuccess = () => resolve(q.result);
      q.onerror = () => reject(q.error);
    });
    try {
      const tx = db.transaction('meta', 'readwrite');
      tx.objectStore('meta').delete('matcherCache');
      await new Promise<void>((resolve, reject) => {
        tx.oncomplete = () => resolve();
        tx.onerror = () => reject(tx.error);
      });
    } finally {
      db.close();
    }
  });
}
