/**
 * `npx tsx bench/cold-probe.ts [--runs=N] [--kb=100k] [--dir=PATH[,PATH…]] [--split]`: only the background's
 * cold start (stopped service worker → first answered `page.match`), as `npm run bench` measures it
 * (`coldStart` in bench/browser-bench.ts), without the rest of the bench.
 *
 * --kb=100k  adds generated user entities up to that many names (bench/kb-gen.ts), as the bench does
 * --dir      extension to load (default: a snapshot of .output/chrome-mv3); several, comma-separated,
 *            are measured interleaved run by run, one browser each (a before/after on a noisy machine)
 * --split    also splits each cold start in time: page send → worker created (`performance.timeOrigin`
 *            of the worker) → answer, and, when the worker keeps `globalThis.__attacheStamps`
 *            (`[label, epoch ms][]`, a temporary instrumentation), its own stamps
 */
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Browser, EXTENSION_DIR, Tab, ensureBuilt, serve, stopWorkers } from './browser';
import { coldStart, useKb, waitForMatcherCache } from './browser-bench';
import { corpusPages, corpusTexts } from './corpus';
import { kbSizes } from './kb-gen';
import { fmtSample, summarise } from './stats';

const HTML = 'text/html; charset=utf-8';
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function arg(name: string): string | undefined {
  return process.argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);
}

interface Subject {
  label: string;
  browser: Browser;
  tab: Tab;
}

async function main(): Promise<void> {
  const runs = Number(arg('runs') ?? 9);
  const kb = arg('kb');
  const split = process.argv.includes('--split');
  const snapshots: string[] = [];
  let dirs = arg('dir')?.split(',');
  if (!dirs) {
    ensureBuilt();
    const snapshot = mkdtempSync(join(tmpdir(), 'attache-cold-ext-'));
    cpSync(EXTENSION_DIR, snapshot, { recursive: true });
    snapshots.push(snapshot);
    dirs = [snapshot];
  }
  const page = corpusPages().find((p) => p.name.includes('_en_')) ?? corpusPages()[0]!;
  const texts = corpusTexts();
  const en = texts.find((t) => t.name.includes('_en_')) ?? texts[0]!;
  const sample = en.content.slice(0, 1000); // bench.ts `coldSample`
  const { server, origin } = await serve(new Map([['/page.html', { body: page.content, type: HTML }]]));
  const subjects: Subject[] = [];
  try {
    for (const dir of dirs) {
      const browser = await Browser.launch(dir);
      const tab = await Tab.open(browser);
      subjects.push({ label: dir, browser, tab });
      await tab.load(`${origin}/page.html`, 180_000);
      await waitForMatcherCache(browser);
      if (kb) {
        const size = kbSizes({ small: 1000, large: [Number(kb.replace(/k$/, '')) * (kb.endsWith('k') ? 1000 : 1)] }).at(-1)!;
        const first = await useKb(browser, tab, size.generated, sample);
        console.log(`${dir}: KB ${size.label}, ${size.generated.length} generated user entities; first match without cache ${first.toFixed(0)} ms`);
        await waitForMatcherCache(browser);
      }
    }
    if (subjects.length === 1) {
      const { browser, tab } = subjects[0]!;
      const fig = await coldStart(browser, tab, sample, runs);
      console.log(`cold start (coldStart, ${runs} runs): ${fmtSample(fig.cold, 1)} ms; warm ${fmtSample(fig.warm, 1)} ms`);
    } else {
      // Interleaved, run by run: the machine's load changes over a minute, and each extension
      // then sees the same load (each has its own browser).
      const cold = subjects.map(() => [] as number[]);
      for (let i = -1; i < runs; i++) {
        for (const [k, s] of subjects.entries()) {
          await stopWorkers(s.browser, s.tab);
          await sleep(200);
          const ms = await timedMatch(s.tab, sample, `probe-cold-${i}`);
          if (i >= 0) cold[k]!.push(ms);
        }
      }
      for (const [k, s] of subjects.entries()) console.log(`cold start, interleaved (${runs} runs) ${s.label}: ${fmtSample(summarise(cold[k]!), 1)} ms`);
    }
    if (split) for (const s of subjects) await splitRuns(s, sample, runs);
  } finally {
    for (const s of subjects) {
      await s.tab.close();
      await s.browser.close();
    }
    server.close();
    for (const d of snapshots) rmSync(d, { recursive: true, force: true });
  }
}

/** `page.match` from the content script's world, timed there (as `coldStart` does). */
async function timedMatch(tab: Tab, text: string, docId: string): Promise<number> {
  const r = await tab.isolated<{ ms: number; ok: boolean; spans: number }>(`(async () => {
    const params = { docId: ${JSON.stringify(docId)}, url: location.href, title: document.title, text: ${JSON.stringify(text)}, offset: 0 };
    const t0 = performance.now();
    const a = await chrome.runtime.sendMessage({ rpc: 1, method: 'page.match', params });
    return { ms: performance.now() - t0, ok: !!(a && a.ok), spans: a && a.ok ? a.value.spans.length : -1 };
  })()`);
  if (!r.ok || r.spans <= 0) throw new Error(`page.match did not answer with spans (ok=${r.ok}, spans=${r.spans})`);
  return r.ms;
}

/** Cold starts with absolute (epoch) stamps from the page and the worker, to see where time goes. */
async function splitRuns({ label, browser, tab }: Subject, text: string, runs: number): Promise<void> {
  console.log(`split ${label}:`);
  const rows: Record<string, number[]> = {};
  const add = (k: string, v: number) => (rows[k] ??= []).push(v);
  for (let i = 0; i < runs; i++) {
    await stopWorkers(browser, tab);
    await sleep(200);
    const r = await tab.isolated<{ sent: number; answered: number; ok: boolean }>(`(async () => {
      const params = { docId: 'probe-${i}', url: location.href, title: document.title, text: ${JSON.stringify(text)}, offset: 0 };
      const sent = performance.timeOrigin + performance.now();
      const a = await chrome.runtime.sendMessage({ rpc: 1, method: 'page.match', params });
      return { sent, answered: performance.timeOrigin + performance.now(), ok: !!(a && a.ok) };
    })()`);
    if (!r.ok) throw new Error('page.match failed');
    const worker = await browser.worker();
    const w = await worker.evaluate(() => ({
      origin: performance.timeOrigin,
      stamps: ((globalThis as unknown as { __attacheStamps?: [string, number][] }).__attacheStamps ?? []).slice(),
    }));
    add('total', r.answered - r.sent);
    add('send → worker timeOrigin', w.origin - r.sent);
    let prev = w.origin;
    let prevLabel = 'timeOrigin';
    for (const [label, t] of w.stamps) {
      add(`${prevLabel} → ${label}`, t - prev);
      prev = t;
      prevLabel = label;
    }
    add(`${prevLabel} → answer in page`, r.answered - prev);
  }
  for (const [k, v] of Object.entries(rows)) console.log(`  ${k.padEnd(48)} ${fmtSample(summarise(v), 1)}`);
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
