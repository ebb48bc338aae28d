/**
 * `npm run demo`: builds the extension if needed, serves the corpus pages, opens headless Chromium
 * with the extension on them, saves screenshots of a French, an Arabic and an English page with a
 * hover card open (in `demo/`, or the folder given as first argument), and prints, for every corpus
 * page, the time from page load to highlights.
 *
 * It drives the browser through the e2e harness (tests/e2e/harness.ts), so the demo shows exactly
 * what the real-browser tests check.
 */
import { mkdirSync, readdirSync } from 'node:fs';
import path from 'node:path';
import {
  CORPUS,
  hoverEntity,
  isolatedEval,
  launchBrowser,
  readerSpans,
  readerTimings,
  ROOT,
  startServer,
  stopServiceWorkers,
  waitForHighlights,
} from '../tests/e2e/harness';

const outDir = path.resolve(process.argv[2] ?? path.join(ROOT, 'demo'));

/** Pages shown with a card open: which entity (or role mention) to hover. */
const SHOTS: { file: string; shot: string; pick: string }[] = [
  { file: '000_fr_baqeri_beijing.html', shot: 'fr-card.png', pick: `s.id === 'mohammad-bagheri'` },
  { file: '001_ar_baqeri_beijing.html', shot: 'ar-card.png', pick: `s.id === 'mohammad-bagheri'` },
  { file: '003_en_wei_fenghe_tehran.html', shot: 'en-role-card.png', pick: `s.via === 'role' && /defense minister$/.test(s.text)` },
];

async function main(): Promise<void> {
  mkdirSync(outDir, { recursive: true });
  const server = await startServer();
  const browser = await launchBrowser();
  try {
    const page = await browser.context.newPage();
    await page.setViewportSize({ width: 1280, height: 800 });
    const pages = readdirSync(path.join(CORPUS, 'pages')).filter((f) => f.endsWith('.html')).sort();

    const rows: { page: string; first: boolean; load: number; highlights: number; afterLoad: number; match: number; count: number }[] = [];
    const measure = async (file: string, first: boolean) => {
      await page.goto(server.url('corpus', file));
      await waitForHighlights(page, 1, 30_000);
      await isolatedEval(page, browser.extensionId, 'globalThis.__attache.idle()');
      const t = await readerTimings(page, browser.extensionId);
      const load = await page.evaluate(() => (performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming).loadEventEnd);
      const count = (await readerSpans(page, browser.extensionId)).length;
      rows.push({ page: file, first, load, highlights: t.firstDrawn, afterLoad: t.firstDrawn - load, match: t.matchRoundTrips[0] ?? NaN, count });
    };

    // The very first page after install also seeds the KB and compiles the matcher.
    await measure(pages[0]!, true);
    for (const file of pages) await measure(file, false);

    // Cold start: the service worker stopped (as after 30 s idle), woken by a page load.
    const cold: number[] = [];
    for (let i = 0; i < 3; i++) {
      await stopServiceWorkers(page);
      await page.waitForTimeout(300);
      await page.reload();
      await waitForHighlights(page, 1, 30_000);
      cold.push((await readerTimings(page, browser.extensionId)).matchRoundTrips[0]!);
    }

    for (const { file, shot, pick } of SHOTS) {
      await page.goto(server.url('corpus', file));
      await waitForHighlights(page, 1, 30_000);
      await isolatedEval(page, browser.extensionId, 'globalThis.__attache.idle()');
      const id = await isolatedEval<string>(page, browser.extensionId, `globalThis.__attache.snapshot().find((s) => ${pick}).id`);
      await hoverEntity(page, browser.extensionId, id, pick);
      await page.waitForTimeout(150);
      await page.screenshot({ path: path.join(outDir, shot) });
    }

    const pad = (s: string | number, n: number) => String(s).padStart(n);
    console.log('\nTime to highlights per corpus page (ms, page clock: 0 = navigation start)');
    console.log(`${'page'.padEnd(34)} ${pad('load', 6)} ${pad('highlights', 10)} ${pad('after load', 10)} ${pad('match rpc', 9)} ${pad('spans', 5)}`);
    for (const r of rows) {
      const name = `${r.page}${r.first ? ' (first, cold install)' : ''}`;
      console.log(`${name.padEnd(34)} ${pad(Math.round(r.load), 6)} ${pad(Math.round(r.highlights), 10)} ${pad(Math.round(r.afterLoad), 10)} ${pad(Math.round(r.match), 9)} ${pad(r.count, 5)}`);
    }
    console.log(`\nCold start (worker stopped → first page.match answered): ${cold.map((c) => Math.round(c)).join(', ')} ms`);
    console.log(`Screenshots: ${SHOTS.map((s) => path.join(outDir, s.shot)).join(', ')}`);
  } finally {
    await browser.close();
    await server.close();
  }
}

main().catch((e: unknown) => {
  console.error(e);
  process.exitCode = 1;
});
