/**
 * The in-browser figures: bare TreeWalker walk, ours end to end (scan start → highlights
 * registered), mark.js on the same alias list, service-worker cold start to the first answered
 * match, and the incremental update for a 2 kB insertion — per page and per KB size.
 *
 * "Ours" is timed in the content script's isolated world: `__attache.rescan()` starts a full scan
 * (extract, `page.match` to the background, match, map back to ranges, render) and a wrapper around
 * the reader's `highlighter.add` stamps the moment the ranges were registered with `CSS.highlights`; the page world
 * then counts the registered ranges, to check the highlights are really there.
 */
import type { Entity } from '../lib/kb/schema';
import { Browser, Tab, dropMatcherCache, setUserEntities, stopWorkers } from './browser';
import { repeat, summarise, type Sample } from './stats';

export interface WalkFigure {
  /** The walk repeated in a warm page (wrappers made, code optimised): the strict floor. */
  ms: Sample;
  /** The page world's first walk after the load (one run: it makes the page world's node wrappers). */
  firstPassMs: number;
  textNodes: number;
  chars: number;
}

export interface OursFigure {
  ms: Sample;
  /**
   * From the reader's `timings`: walking the page (pieces are sent to the background meanwhile), then
   * waiting for the background's last answer, then drawing what is left after it; and the number of
   * `page.match` calls the page was sent in.
   */
  breakdown: { extract: Sample; waitAfterExtract: Sample; drawAfterLastAnswer: Sample; calls: number } | null;
  /** Ranges registered in `CSS.highlights` after the scan (page world). */
  highlights: number;
}

export interface MarkFigure {
  /** Null when the cap stopped the first run. */
  ms: Sample | null;
  capped: boolean;
  /** Aliases processed before the cap (all of them when not capped). */
  aliasesDone: number;
  aliases: number;
  /** Elapsed time of the capped run, ms. */
  cappedAfterMs?: number;
  marks: number;
}

export interface ColdStartFigure {
  /** Stopped worker → first answered `page.match`. */
  cold: Sample;
  /** Same call with the worker running, for reference. */
  warm: Sample;
}

export interface IncrementalFigure {
  /** Reader's work: update start (after the observer's coalescing delay) → highlights registered. */
  work: Sample;
  /** Insertion → highlights registered (includes the MutationWatcher's 60 ms coalescing delay). */
  latency: Sample;
  /** The update's `page.match` round trip (part of the work). */
  roundTrip: Sample | null;
  /** Highlights registered inside the inserted block (median). */
  highlights: number;
  /** Highlights on the whole page after the update. */
  pageHighlights: number;
  insertedChars: number;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Bare walk: a TreeWalker over the body's text nodes reading every node's text (the floor). */
export async function bareWalk(tab: Tab, runs: number): Promise<WalkFigure> {
  let textNodes = 0;
  let chars = 0;
  const firstPassMs = await tab.page.evaluate(() => {
    const t0 = performance.now();
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    let length = 0;
    for (let node = walker.nextNode(); node; node = walker.nextNode()) length += (node as Text).data.length;
    return length >= 0 ? performance.now() - t0 : 0;
  });
  const ms = await repeat(
    runs,
    async () => {
      // Repeated inside one call until 20 ms have passed: the page clock ticks in 0.1 ms steps.
      const r = await tab.page.evaluate(() => {
        let n = 0;
        let length = 0;
        let reps = 0;
        const t0 = performance.now();
        do {
          const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
          n = 0;
          length = 0;
          for (let node = walker.nextNode(); node; node = walker.nextNode()) {
            length += (node as Text).data.length;
            n++;
          }
          reps++;
        } while (performance.now() - t0 < 20 && reps < 10000);
        return { ms: (performance.now() - t0) / reps, n, length };
      });
      textNodes = r.n;
      chars = r.length;
      return r.ms;
    },
    1,
  );
  return { ms, firstPassMs, textNodes, chars };
}

/** Ranges registered in CSS.highlights (page world). */
export function registeredRanges(tab: Tab): Promise<number> {
  return tab.page.evaluate(() => {
    let n = 0;
    CSS.highlights.forEach((h) => (n += h.size));
    return n;
  });
}

/** Ours end to end: `rescan()` → highlights registered (settled), in the isolated world. */
export async function oursEndToEnd(tab: Tab, runs: number): Promise<OursFigure> {
  let highlights = 0;
  const extract: number[] = [];
  const wait: number[] = [];
  const draw: number[] = [];
  let calls = 0;
  const ms = await repeat(
    runs,
    async () => {
      const r = await tab.isolated<{ ms: number; t: { scanStart: number; extracted: number; lastAnswer: number; lastDrawn: number; matchRoundTrips: number[] } | null }>(`(async () => {
        await new Promise((res) => setTimeout(res, 50));
        const t0 = performance.now();
        globalThis.__attache.rescan();
        // A new scan resets the reader's timings: its round trips start again at 0.
        // Quiet for 150 ms (or 3 round trips) after the last registration: the scan is over.
        const end = await globalThis.__bench.settled(t0, 150, 120000, 0);
        const t = globalThis.__attache.timings;
        return { ms: end - t0, t: t && t.scanStart >= t0 ? JSON.parse(JSON.stringify(t)) : null };
      })()`);
      highlights = await registeredRanges(tab);
      // The reader's own stamps split the time (its pieces overlap: the page walks while the background matches).
      if (r.t && typeof r.t.extracted === 'number' && r.t.extracted > 0 && r.t.lastAnswer > 0) {
        extract.push(r.t.extracted - r.t.scanStart);
        wait.push(Math.max(0, r.t.lastAnswer - r.t.extracted));
        draw.push(r.t.lastDrawn - Math.max(r.t.lastAnswer, r.t.extracted));
        calls = r.t.matchRoundTrips.length;
      }
      return r.ms;
    },
    1,
  );
  const breakdown = extract.length > 0 ? { extract: summarise(extract), waitAfterExtract: summarise(wait), drawAfterLastAnswer: summarise(draw), calls } : null;
  return { ms, highlights, breakdown };
}

/** The whole text of the page in one `page.match`: round trip, and the background's own time. */
export async function matchWholePage(tab: Tab, runs: number): Promise<{ roundTrip: Sample; background: Sample; chars: number; spans: number }> {
  const rt: number[] = [];
  const bg: number[] = [];
  let chars = 0;
  let spans = 0;
  for (let i = 0; i < runs + 1; i++) {
    const r = await tab.isolated<{ ms: number; bg: number; chars: number; spans: number }>(`(async () => {
      const text = document.body.innerText;
      const params = { docId: 'bench-whole-${i}', url: location.href, title: document.title, text, offset: 0 };
      const t0 = performance.now();
      const a = await chrome.runtime.sendMessage({ rpc: 1, method: 'page.match', params });
      const ms = performance.now() - t0;
      if (!a || !a.ok) throw new Error('page.match failed: ' + JSON.stringify(a && a.error));
      return { ms, bg: a.value.ms, chars: text.length, spans: a.value.spans.start.length };
    })()`);
    if (i === 0) continue;
    rt.push(r.ms);
    bg.push(r.bg);
    chars = r.chars;
    spans = r.spans;
  }
  return { roundTrip: summarise(rt), background: summarise(bg), chars, spans };
}

/**
 * mark.js on a fresh load of the page, with our reader stopped (its observer would otherwise react
 * to mark.js's DOM edits). Aliases go longest first (mark.js's own order) in chunks, so the run can
 * stop at `capMs`; a run that reaches the cap is reported as "> cap" and not repeated.
 */
export async function markJs(tab: Tab, url: string, markUrl: string, aliases: readonly string[], runs: number, capMs: number): Promise<MarkFigure> {
  const sorted = [...aliases].sort((a, b) => b.length - a.length);
  const values: number[] = [];
  let marks = 0;
  for (let run = 0; run < runs; run++) {
    await tab.load(url);
    await tab.isolated('globalThis.__attache.stop()');
    await tab.page.addScriptTag({ url: markUrl });
    // A string, not a function: tsx's helpers (__name) do not exist in the page.
    const r = await tab.page.evaluate<{ ms: number; done: number; marks: number }>(`(async () => {
      const aliases = ${JSON.stringify(sorted)};
      const instance = new window.Mark(document.body);
      const CHUNK = 25;
      const t0 = performance.now();
      let done = 0;
      for (let i = 0; i < aliases.length; i += CHUNK) {
        const part = aliases.slice(i, i + CHUNK);
        await new Promise((resolve) => instance.mark(part, { accuracy: 'exactly', separateWordSearch: false, done: () => resolve() }));
        done = Math.min(aliases.length, i + CHUNK);
        if (performance.now() - t0 > ${capMs}) break;
      }
      const ms = performance.now() - t0;
      return { ms, done, marks: document.querySelectorAll('mark[data-markjs]').length };
    })()`);
    marks = r.marks;
    if (r.done < sorted.length) {
      return { ms: values.length > 0 ? summarise(values) : null, capped: true, aliasesDone: r.done, aliases: sorted.length, cappedAfterMs: r.ms, marks };
    }
    values.push(r.ms);
  }
  return { ms: summarise(values), capped: false, aliasesDone: sorted.length, aliases: sorted.length, marks };
}

/** A `page.match` from the content script's world, timed there. */
function matchCall(tab: Tab, text: string, docId: string): Promise<{ ms: number; ok: boolean; spans: number }> {
  return tab.isolated(`(async () => {
    const params = { docId: ${JSON.stringify(docId)}, url: location.href, title: document.title, text: ${JSON.stringify(text)}, offset: 0 };
    const t0 = performance.now();
    const a = await chrome.runtime.sendMessage({ rpc: 1, method: 'page.match', params });
    return { ms: performance.now() - t0, ok: !!(a && a.ok), spans: a && a.ok ? a.value.spans.start.length : -1 };
  })()`);
}

/** Stopped service worker → first answered match (and the same call warm). */
export async function coldStart(browser: Browser, tab: Tab, text: string, runs: number): Promise<ColdStartFigure> {
  let n = 0;
  const call = async () => {
    const r = await matchCall(tab, text, `bench-${n++}`);
    if (!r.ok || r.spans <= 0) throw new Error(`page.match did not answer with spans (ok=${r.ok}, spans=${r.spans})`);
    return r.ms;
  };
  const cold = await repeat(
    runs,
    async () => {
      await stopWorkers(browser, tab);
      await sleep(200);
      return call();
    },
    1,
  );
  const warm = await repeat(runs, call, 2);
  return { cold, warm };
}

/**
 * Inserts a block of about 2 kB into the middle of the page and times the reader's update:
 * insertion → highlights registered (latency, which includes the MutationWatcher's 60 ms coalescing
 * delay), and the work after that delay, from the reader's own stamps (`timings.lastUpdate`: the
 * update's start and the end of its drawing). The update's `page.match` round trip is part of it.
 */
export async function incremental(tab: Tab, blocks: readonly string[], runs: number): Promise<IncrementalFigure> {
  const works: number[] = [];
  const latencies: number[] = [];
  const trips: number[] = [];
  const counts: number[] = [];
  let insertedChars = 0;
  let pageHighlights = 0;
  for (let i = 0; i < runs + 1; i++) {
    const html = blocks[i % blocks.length]!;
    const r = await tab.isolated<{ latency: number; work: number; trip: number | null; highlights: number; chars: number; total: number }>(`(async () => {
      const reader = globalThis.__attache;
      const bench = globalThis.__bench;
      const host = document.querySelector('article') || document.body;
      const anchor = host.children[Math.floor(host.children.length / 2)];
      const holder = document.createElement('div');
      holder.innerHTML = ${JSON.stringify(html)};
      const block = holder.firstElementChild;
      await new Promise((res) => setTimeout(res, 100));
      const tripsBefore = bench.roundTrips().length;
      const t0 = performance.now();
      anchor.before(block);
      const drawn = await bench.settled(t0, 100, 30000, tripsBefore);
      const u = reader.timings.lastUpdate;
      if (!u || u.start < t0) throw new Error('the reader reported no update for the insertion');
      const trips = bench.roundTrips();
      const highlights = reader.highlighter.all().filter((h) => block.contains(h.range.startContainer)).length;
      const chars = block.textContent.length;
      const total = reader.highlighter.size;
      block.remove();
      return { latency: drawn - t0, work: u.end - u.start, trip: trips.length > tripsBefore ? trips[trips.length - 1] : null, highlights, chars, total };
    })()`);
    if (i === 0) continue; // warm-up
    latencies.push(r.latency);
    works.push(r.work);
    if (r.trip !== null) trips.push(r.trip);
    counts.push(r.highlights);
    insertedChars = r.chars;
    pageHighlights = r.total;
  }
  return {
    work: summarise(works),
    latency: summarise(latencies),
    roundTrip: trips.length > 0 ? summarise(trips) : null,
    highlights: summarise(counts).median,
    pageHighlights,
    insertedChars,
  };
}

/**
 * Writes the generated entities as user entities (none for the bundled KB), drops the cached
 * matcher and stops the worker: the next match starts the worker and compiles the automaton.
 * Returns that first match's time (cold start without a cache).
 */
export async function useKb(browser: Browser, tab: Tab, generated: readonly Entity[], text: string): Promise<number> {
  const worker = await browser.worker();
  await setUserEntities(worker, generated);
  await dropMatcherCache(await browser.worker());
  await stopWorkers(browser, tab);
  await sleep(200);
  const r = await matchCall(tab, text, `bench-rebuild-${generated.length}`);
  if (!r.ok || r.spans <= 0) throw new Error(`page.match after the KB change did not answer with spans (ok=${r.ok})`);
  return r.ms;
}

/** Waits until the background has written its matcher cache (written after answering, not awaited). */
export async function waitForMatcherCache(browser: Browser, timeoutMs = 60_000): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const worker = await browser.worker();
    const has = await worker
      .evaluate(async () => {
        const db = await new Promise<IDBDatabase>((resolve, reject) => {
          const q = indexedDB.open('attache');
          q.onsuccess = () => resolve(q.result);
          q.onerror = () => reject(q.error);
        });
        try {
          const row = await new Promise<unknown>((resolve, reject) => {
            const q = db.transaction('meta').objectStore('meta').get('matcherCache');
            q.onsuccess = () => resolve(q.result);
            q.onerror = () => reject(q.error);
          });
          return row !== undefined;
        } finally {
          db.close();
        }
      })
      .catch(() => false);
    if (has) return true;
    await sleep(200);
  }
  return false;
}

export { sleep };
