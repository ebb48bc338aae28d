/**
 * Real-browser test harness, shared by every e2e spec (highlights, popup, notes, privacy):
 * - `ensureBuilt()` builds the extension when `.output/chrome-mv3` is missing;
 * - `startServer()` serves the shared corpus pages (`/corpus/...`) and our fixtures (`/fixtures/...`)
 *   on 127.0.0.1, random port;
 * - `launchBrowser()` starts headless Chromium with the extension, in a fresh profile, with every
 *   network host except 127.0.0.1 unresolvable (nothing leaves the machine);
 * - page helpers read what is highlighted: `pageHighlights` from the page's own world (what
 *   `CSS.highlights` paints), `readerSpans` from the content script's isolated world (which entity
 *   each highlight is), both in one coordinate system (offsets into the concatenated text nodes of
 *   `<body>`), and `locateInPage` finds a gold occurrence of `text/*.txt` in that system.
 */
import { execSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { chromium, type BrowserContext, type Page, type Worker } from 'playwright-core';
import type { ReaderTimings } from '../../lib/page/reader';

export const ROOT = path.resolve(import.meta.dirname, '../..');
export const EXTENSION_DIR = path.resolve(process.env.ATTACHE_EXTENSION_DIR ?? path.join(ROOT, '.output/chrome-mv3'));
export const CORPUS = path.resolve(process.env.ATTACHE_CORPUS ?? path.join(ROOT, '../shared/corpus'));
export const FIXTURES = path.join(ROOT, 'tests/fixtures/pages');
/** Chromium flags for a headless run with the unpacked extension, and no traffic beyond this machine. */
export function extensionLaunchArgs(dir: string): string[] {
  return [
    '--no-sandbox',
    '--disable-gpu',
    '--disable-quic',
    '--no-first-run',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    '--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1, EXCLUDE localhost',
    `--disable-extensions-except=${dir}`,
    `--load-extension=${dir}`,
  ];
}

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** Builds the Chrome extension unless a build is already there (`npm test` builds before). */
export function ensureBuilt(): void {
  if (existsSync(path.join(EXTENSION_DIR, 'manifest.json'))) return;
  execSync('npm run --silent build', { cwd: ROOT, stdio: 'inherit' });
}

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.txt': 'text/plain; charset=utf-8',
};

export interface TestServer {
  origin: string;
  /** `url('corpus', '003_en_wei_fenghe_tehran.html')`, `url('fixtures', 'spa.html')`. */
  url(root: 'corpus' | 'fixtures', file: string): string;
  /** Serves generated HTML at `/generated/<name>` (huge pages). */
  generated: Map<string, string>;
  close(): Promise<void>;
}

/** A static server on 127.0.0.1 (random port). Unknown paths under a fixture folder fall back to its `index.html` (SPA routes). */
export async function startServer(): Promise<TestServer> {
  const generated = new Map<string, string>();
  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    const parts = decodeURIComponent(url.pathname).split('/').filter(Boolean);
    const [root, ...rest] = parts;
    let file: string | null = null;
    if (root === 'generated') {
      const body = generated.get(rest.join('/'));
      if (body !== undefined) {
        res.writeHead(200, { 'content-type': TYPES['.html']! });
        res.end(body);
        return;
      }
    } else if (root === 'corpus') file = path.join(CORPUS, 'pages', ...rest);
    else if (root === 'fixtures') {
      file = path.join(FIXTURES, ...rest);
      // SPA fixture: /fixtures/spa/<anything> serves /fixtures/spa.html.
      if (rest[0] === 'spa' && !existsSync(file)) file = path.join(FIXTURES, 'spa.html');
    }
    const base = root === 'corpus' ? path.join(CORPUS, 'pages') : FIXTURES;
    if (!file || !path.resolve(file).startsWith(base) || !existsSync(file)) {
      res.writeHead(404, { 'content-type': 'text/plain' });
      res.end('not found');
      return;
    }
    res.writeHead(200, { 'content-type': TYPES[path.extname(file)] ?? 'application/octet-stream', 'cache-control': 'no-store' });
    res.end(readFileSync(file));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (!address || typeof address === 'string') throw new Error('server has no port');
  const origin = `http://127.0.0.1:${address.port}`;
  return {
    origin,
    generated,
    url: (root, file) => `${origin}/${root}/${file}`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

export interface TestBrowser {
  context: BrowserContext;
  extensionId: string;
  /** The background service worker (may be replaced after a restart: call `serviceWorker()` again). */
  serviceWorker(): Promise<Worker>;
  close(): Promise<void>;
}

export async function launchBrowser(): Promise<TestBrowser> {
  ensureBuilt();
  const profile = mkdtempSync(path.join(tmpdir(), 'attache-e2e-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: extensionLaunchArgs(EXTENSION_DIR),
  });
  // tsx compiles test files with esbuild's keepNames, which wraps named inner functions in `__name(...)`;
  // functions handed to page.evaluate / addInitScript need that helper in the page too.
  await context.addInitScript({ content: 'globalThis.__name ??= (f) => f;' });
  const serviceWorker = async () => context.serviceWorkers()[0] ?? (await context.waitForEvent('serviceworker', { timeout: 15_000 }));
  const sw = await serviceWorker();
  const extensionId = new URL(sw.url()).host;
  return {
    context,
    extensionId,
    serviceWorker,
    async close() {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

/** Stops every service worker (as Chrome does after 30 s idle), through the DevTools protocol. */
export async function stopServiceWorkers(page: Page): Promise<void> {
  const cdp = await page.context().newCDPSession(page);
  try {
    await cdp.send('ServiceWorker.enable');
    await cdp.send('ServiceWorker.stopAllWorkers');
  } finally {
    await cdp.detach().catch(() => undefined);
  }
}

/**
 * Evaluates `expression` in the content script's isolated world of the page's main frame (the
 * extension's globals: `__attache` is the Reader). Returns the JSON value.
 */
export async function isolatedEval<T>(page: Page, extensionId: string, expression: string): Promise<T> {
  const cdp = await page.context().newCDPSession(page);
  try {
    const contexts: { id: number; origin: string; name: string; auxData?: { type?: string; isDefault?: boolean; frameId?: string } }[] = [];
    cdp.on('Runtime.executionContextCreated', (e) => contexts.push(e.context));
    await cdp.send('Runtime.enable');
    const { frameTree } = await cdp.send('Page.getFrameTree');
    const frameId = frameTree.frame.id;
    const iso = contexts
      .filter((c) => c.auxData?.frameId === frameId && c.auxData?.type === 'isolated' && c.origin.includes(extensionId))
      .pop();
    if (!iso) throw new Error('content script world not found (is the content script running?)');
    const r = await cdp.send('Runtime.evaluate', { expression, contextId: iso.id, returnByValue: true, awaitPromise: true });
    if (r.exceptionDetails) throw new Error(`isolated eval failed: ${r.exceptionDetails.exception?.description ?? r.exceptionDetails.text}`);
    return r.result.value as T;
  } finally {
    await cdp.detach().catch(() => undefined);
  }
}

/** Names of entity highlights in `CSS.highlights` (other features, e.g. notes, register their own). */
export const ENTITY_HIGHLIGHT = /^attache-(person|organization|country|place|agreement|exercise|event|equipment)(-role)?$/;

/**
 * Source of a function, evaluated in either world, that turns a DOM point into an offset in the
 * concatenation of `<body>`'s text nodes (raw data, document order).
 */
const ABS_SOURCE = `(() => {
  const starts = new Map(); let pos = 0;
  const w = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let n = w.nextNode(); n; n = w.nextNode()) { starts.set(n, pos); pos += n.data.length; }
  return (node, offset) => node.nodeType === 3 && starts.has(node) ? starts.get(node) + offset : -1;
})()`;

export interface PaintedRange {
  /** `CSS.highlights` name: `attache-<type>` or `attache-<type>-role`. */
  name: string;
  start: number;
  end: number;
  text: string;
}

/** What `CSS.highlights` paints, read from the page's own world. */
export async function pageHighlights(page: Page): Promise<PaintedRange[]> {
  return page.evaluate(([absSource, pattern]) => {
    // eslint-disable-next-line no-eval -- the same function source is evaluated in both worlds
    const abs = (0, eval)(absSource) as (n: Node, o: number) => number;
    const entityName = new RegExp(pattern);
    const out: { name: string; start: number; end: number; text: string }[] = [];
    for (const [name, hl] of CSS.highlights as unknown as Map<string, Set<AbstractRange>>) {
      if (!entityName.test(name)) continue;
      for (const r of hl) out.push({ name, start: abs(r.startContainer, r.startOffset), end: abs(r.endContainer, r.endOffset), text: (r as Range).toString?.() ?? '' });
    }
    return out.sort((a, b) => a.start - b.start);
  }, [ABS_SOURCE, ENTITY_HIGHLIGHT.source] as const);
}

export interface ReaderSpan {
  id: string;
  name: string;
  type: string;
  via: string;
  text: string;
  start: number;
  end: number;
}

/** Which entity each highlight is, from the content script's isolated world. */
export async function readerSpans(page: Page, extensionId: string): Promise<ReaderSpan[]> {
  return isolatedEval<ReaderSpan[]>(
    page,
    extensionId,
    `(() => { const abs = ${ABS_SOURCE};
      return globalThis.__attache.snapshot().map(s => ({ id: s.id, name: s.name, type: s.type, via: s.via, text: s.text,
        start: abs(s.range.startContainer, s.range.startOffset), end: abs(s.range.endContainer, s.range.endOffset) })); })()`,
  );
}

/** Waits until at least `min` ranges are painted. */
export async function waitForHighlights(page: Page, min = 1, timeout = 10_000): Promise<void> {
  await page.waitForFunction(
    ([m, pattern]) => {
      let n = 0;
      const entityName = new RegExp(pattern);
      for (const [name, hl] of CSS.highlights as unknown as Map<string, Set<unknown>>) if (entityName.test(name)) n += hl.size;
      return n >= m;
    },
    [min, ENTITY_HIGHLIGHT.source] as const,
    { timeout, polling: 20 },
  );
}

/** The body's text as the coordinate system above, and the [start, end) of `selector`'s text in it. */
export async function bodyText(page: Page, selector?: string): Promise<{ text: string; scope: [number, number] }> {
  return page.evaluate((sel) => {
    let text = '';
    let scope: [number, number] = [0, 0];
    const root = sel ? document.querySelector(sel) : null;
    let first = -1;
    let last = -1;
    const w = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    for (let n = w.nextNode(); n; n = w.nextNode()) {
      const t = n as Text;
      if (root && root.contains(t)) {
        if (first < 0) first = text.length;
        last = text.length + t.data.length;
      }
      text += t.data;
    }
    scope = root ? [first, last] : [0, text.length];
    return { text, scope };
  }, selector);
}

/**
 * Finds, in the page text, the occurrence of `source.slice(start, end)` (a gold occurrence of a
 * `text/*.txt` file) using its surrounding text to tell repeated surfaces apart. Whitespace is ignored
 * on both sides (the page splits paragraphs into elements). Returns page offsets, or null.
 */
export function locateInPage(pageText: string, scope: [number, number], source: string, start: number, end: number): [number, number] | null {
  const squeeze = (s: string, from: number, to: number) => {
    const chars: string[] = [];
    const index: number[] = [];
    for (let i = from; i < to; i++) {
      if (/\s/.test(s[i]!)) continue;
      chars.push(s[i]!);
      index.push(i);
    }
    return { text: chars.join(''), index };
  };
  const page = squeeze(pageText, scope[0], scope[1]);
  for (const k of [80, 40, 20, 10, 0]) {
    const left = squeeze(source, Math.max(0, start - k), start).text;
    const surface = squeeze(source, start, end).text;
    const right = squeeze(source, end, Math.min(source.length, end + k)).text;
    const needle = left + surface + right;
    const at = page.text.indexOf(needle);
    if (at < 0) continue;
    if (k > 0 && page.text.indexOf(needle, at + 1) >= 0) continue; // still ambiguous: never for real text
    const s = page.index[at + left.length]!;
    const e = page.index[at + left.length + surface.length - 1]! + 1;
    return [s, e];
  }
  return null;
}

export interface Gold {
  text: string;
  mentions: { surface: string; entity: string; type: string; level: 'required' | 'bonus' | 'forbidden'; occurrences: [number, number][] }[];
}

export function readGold(name: string): { gold: Gold; source: string } {
  const gold = JSON.parse(readFileSync(path.join(CORPUS, 'gold', `${name}.json`), 'utf8')) as Gold;
  const source = readFileSync(path.join(CORPUS, gold.text), 'utf8');
  return { gold, source };
}

/** Time the content script took (`performance.now()` stamps of the page, see `Reader.timings`). */
export type { ReaderTimings };

export async function readerTimings(page: Page, extensionId: string): Promise<ReaderTimings> {
  return isolatedEval<ReaderTimings>(page, extensionId, 'globalThis.__attache.timings');
}

/**
 * Opens the card of the first highlight of `entityId` by hovering it (or of the first highlight `s`
 * for which the JS expression `pick` holds); returns the card text.
 */
export async function hoverEntity(page: Page, extensionId: string, entityId: string, pick = `s.id === ${JSON.stringify(entityId)}`): Promise<string> {
  const point = await isolatedEval<{ x: number; y: number } | null>(
    page,
    extensionId,
    `(() => { const s = globalThis.__attache.snapshot().find(s => ${pick}); if (!s) return null;
      s.range.startContainer.parentElement.scrollIntoView({ block: 'center' });
      // Near the end of the span: the start may be a nested country ("China's defence minister").
      const rects = s.range.getClientRects(); const r = rects[rects.length - 1];
      return { x: r.right - Math.min(6, r.width / 2), y: r.top + r.height / 2 }; })()`,
  );
  if (!point) throw new Error(`no highlight of ${entityId}`);
  await page.mouse.move(point.x - 40, point.y + 60);
  await page.mouse.move(point.x, point.y, { steps: 4 });
  return waitForCard(page, extensionId);
}

/** Waits for the card to show its events (or the "no events" line) and returns its text. */
export async function waitForCard(page: Page, extensionId: string, timeout = 5000): Promise<string> {
  const t0 = Date.now();
  for (;;) {
    const text = await isolatedEval<string | null>(page, extensionId, 'globalThis.__attache.card.text()');
    if (text && !/Loading…|Chargement…|جارٍ التحميل…/.test(text)) return text;
    if (Date.now() - t0 > timeout) throw new Error(`card did not open (last: ${text})`);
    await page.waitForTimeout(50);
  }
}
