/**
 * Support for the popup and notes real-browser tests: a Chromium with the built extension, a local
 * web server for corpus pages and for fixture pages these tests write themselves.
 * (When tests/e2e/harness.ts offers the same, these tests should move to it.)
 */
import { mkdtempSync, readFileSync, rmSync, existsSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium, type BrowserContext, type Worker } from 'playwright-core';

export const ROOT = resolve(import.meta.dirname, '../..');
export const EXTENSION = join(ROOT, '.output/chrome-mv3');
export const CORPUS = process.env.ATTACHE_CORPUS ?? resolve(ROOT, '../shared/corpus');
const CHROMIUM = process.env.CHROMIUM ?? '/usr/bin/chromium';

export interface Extension {
  context: BrowserContext;
  worker: Worker;
  id: string;
  url(path: string): string;
  close(): Promise<void>;
}

/** `lang` sets the browser's interface language (the extension's UI follows it). */
export async function launch({ lang = 'en' }: { lang?: string } = {}): Promise<Extension> {
  if (!existsSync(join(EXTENSION, 'manifest.json'))) throw new Error(`No built extension at ${EXTENSION}: run "npm run build" first`);
  const profile = mkdtempSync(join(tmpdir(), 'attache-e2e-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    acceptDownloads: true,
    locale: lang,
    // Chromium on Linux takes its UI language from LANGUAGE; --lang covers the other platforms.
    env: { ...process.env, LANGUAGE: lang, LANG: `${lang}.UTF-8` },
    args: [`--disable-extensions-except=${EXTENSION}`, `--load-extension=${EXTENSION}`, `--lang=${lang}`, '--no-sandbox', '--disable-gpu'],
  });
  const worker = context.serviceWorkers()[0] ?? (await context.waitForEvent('serviceworker', { timeout: 15_000 }));
  const id = new URL(worker.url()).host;
  return {
    context,
    worker,
    id,
    url: (path) => `chrome-extension://${id}/${path.replace(/^\//, '')}`,
    close: async () => {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

/** The id of the tab showing `url` (from the extension's service worker). */
export async function tabIdOf(ext: Extension, url: string): Promise<number> {
  const id = await ext.worker.evaluate(async (u) => {
    const tabs = await chrome.tabs.query({});
    return tabs.find((t) => t.url === u)?.id;
  }, url);
  if (typeof id !== 'number') throw new Error(`No tab for ${url}`);
  return id;
}

export interface Site {
  origin: string;
  /** Replaces what a fixture path serves (the same URL can serve a changed page). */
  set(path: string, html: string): void;
  close(): Promise<void>;
}

/** Serves `/corpus/pages/<file>` from the shared corpus and fixture pages set by the test. */
export async function serve(): Promise<Site> {
  const fixtures = new Map<string, string>();
  const server: Server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    let body: string | undefined = fixtures.get(path);
    if (body === undefined && path.startsWith('/corpus/pages/') && /^[\w.-]+$/.test(path.slice(14))) {
      const file = join(CORPUS, 'pages', path.slice(14));
      if (existsSync(file)) body = readFileSync(file, 'utf8');
    }
    if (body === undefined) {
      res.writeHead(404).end('not found');
      return;
    }
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' }).end(body);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    set: (path, html) => fixtures.set(path, html),
    close: () => new Promise((r) => server.close(() => r())),
  };
}
