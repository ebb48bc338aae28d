/**
 * The pure parts, in Node: matcher throughput beside `ahocorasick` and a V8 alternation regex on the
 * same text, and per KB size the automaton's build time, memory and cache load time. Uses exactly
 * the code the extension ships (`lib/match`, `lib/background/match-engine.ts`).
 */
import { runInNewContext } from 'node:vm';
import { serialize, setFlagsFromString } from 'node:v8';
import { Worker } from 'node:worker_threads';
import { createRequire } from 'node:module';
import { parseHTML } from 'linkedom';
import type { Entity } from '../lib/kb/schema';
import { matchEngineFactory } from '../lib/background/match-engine';
import { buildMatcher, newDocState, type Matcher } from '../lib/match/matcher';
import { extractText } from '../lib/page/extract';
import { aliasList, type KbSize } from './kb-gen';
import { repeat, summarise, timeSync, type Sample } from './stats';

/** `gc()` without `node --expose-gc` (the flag can be set at run time; `vm` then exposes it). */
export function gcFunction(): () => void {
  const existing = (globalThis as { gc?: () => void }).gc;
  if (existing) return existing;
  setFlagsFromString('--expose-gc');
  return runInNewContext('gc') as () => void;
}

/** The text the content script would send for a page (same extraction code, in linkedom). */
export function pageText(html: string): string {
  const { document } = parseHTML(html);
  return extractText((document as unknown as Document).body).text;
}

export interface Throughput {
  /** Median time over the measured text, ms (with min and max). */
  ms: Sample;
  /** Characters of the text measured (a capped competitor may run on a prefix). */
  chars: number;
  /** Million characters per second at the median. */
  mcps: number;
  /** Occurrences found (sanity: engines that find nothing are not measuring anything). */
  found: number;
  /** Build / compile time, ms (one run). */
  buildMs: number;
  note?: string;
}

export interface ThroughputRow {
  label: string;
  aliases: number;
  ours: Throughput;
  /** The background's whole engine on the same text: names, then role mentions ("China's defence minister"). */
  engine: { ms: Sample; mcps: number; found: number };
  ahocorasick: Throughput | { error: string };
  /** V8 alternation regex, flags `giu` (case-insensitive, Unicode: what a multilingual tool needs). */
  regex: Throughput | { error: string };
  /**
   * The same alternation with flag `g` only (case-sensitive, no Unicode mode): how the issue's
   * reference figures for a V8 regex were measured; it misses every name written in another case.
   */
  regexPlain: Throughput | { error: string };
}

export interface BuildRow {
  label: string;
  entities: number;
  /** Distinct names compiled (`Matcher.aliasCount`). */
  aliases: number;
  buildMs: Sample;
  /** Retained by the built matcher after gc: JS heap, and typed-array memory outside it. */
  heapBytes: number;
  arrayBufferBytes: number;
  /** Size of the engine's cache as stored (matcher tables, entity ids, role index), v8-serialised. */
  cacheBytes: number;
  /** `structuredClone` of the cache (stands in for the IndexedDB read) + the background's `fromCache`. */
  cacheLoadMs: Sample;
  /** min(build, cache load): what a cold background waits for the automaton at best. */
  readyMs: number;
}

export interface NodeBenchOptions {
  /** Runs per figure (median reported). */
  runs: number;
  /** Time budget per competitor run, ms: above it a competitor runs on a prefix of the text. */
  competitorBudgetMs: number;
  /** A competitor's worker (regex, ahocorasick) is stopped after this long (default 30 s). */
  regexDeadlineMs?: number;
}

export const DEFAULT_NODE_OPTIONS: NodeBenchOptions = { runs: 7, competitorBudgetMs: 3000 };


/**
 * A competitor measured in a worker thread with a deadline, on the same text:
 * - `regex`: the V8 alternation regex (escaped aliases, longest first, joined with `|`, flags `giu`);
 * - `regexPlain`: the same alternation with flag `g` only (case-sensitive, no Unicode mode);
 * - `ahocorasick`: the npm package on lower-cased aliases, the text lower-cased in the timed call.
 * At 100k aliases compiling the regex, or building the package's trie, can take minutes, and neither
 * can be interrupted: the worker is terminated at the deadline and the figure says so.
 */
export function competitorInWorker(kind: 'regex' | 'regexPlain' | 'ahocorasick', aliases: readonly string[], text: string, options: NodeBenchOptions): Promise<Throughput | { error: string }> {
  const deadlineMs = options.regexDeadlineMs ?? 30_000;
  const source = [...aliases]
    .sort((a, b) => b.length - a.length)
    .map((a) => a.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
    .join('|');
  const lower = [...new Set(aliases.map((a) => a.toLowerCase()))];
  const acPath = createRequire(import.meta.url).resolve('ahocorasick');
  const code = `
    const { parentPort, workerData } = require('node:worker_threads');
    const { kind, source, lower, acPath, text, runs, budgetMs } = workerData;
    const now = () => performance.now();
    let t0 = now();
    let count;
    if (kind === 'regex' || kind === 'regexPlain') {
      const re = new RegExp(source, kind === 'regex' ? 'giu' : 'g');
      re.lastIndex = 0;
      re.test('x');
      count = (t) => { re.lastIndex = 0; let n = 0; while (re.exec(t) !== null) n++; return n; };
    } else {
      const AhoCorasick = require(acPath);
      const ac = new AhoCorasick(lower);
      count = (t) => ac.search(t.toLowerCase()).length;
    }
    const buildMs = now() - t0;
    parentPort.postMessage({ progress: 'built', buildMs });
    let probeLen = Math.min(text.length, 50);
    let found = 0;
    t0 = now(); found = count(text.slice(0, probeLen)); let t = now() - t0;
    while (t < 50 && probeLen < text.length) {
      probeLen = Math.min(text.length, probeLen * 4);
      const probe = text.slice(0, probeLen);
      t0 = now(); found = count(probe); t = now() - t0;
    }
    const perChar = t / probeLen;
    let chars = text.length;
    let note;
    if (perChar * text.length > budgetMs) {
      chars = Math.max(50, Math.min(text.length, Math.floor(budgetMs / perChar)));
      note = 'on the first ' + chars.toLocaleString('en') + ' characters; the whole text would take ' + ((perChar * text.length) / 1000).toFixed(1) + ' s a run';
    }
    const slice = text.slice(0, chars);
    const n = Math.max(3, Math.min(runs, Math.floor((budgetMs * 3) / Math.max(1, perChar * chars))));
    const values = [];
    for (let i = 0; i < n; i++) { t0 = now(); found = count(slice); values.push(now() - t0); }
    parentPort.postMessage({ done: true, values, chars, found, buildMs, note });
  `;
  return new Promise((resolve) => {
    const worker = new Worker(code, {
      eval: true,
      workerData: { kind, source: kind === 'ahocorasick' ? '' : source, lower: kind === 'ahocorasick' ? lower : [], acPath, text, runs: options.runs, budgetMs: options.competitorBudgetMs },
    });
    let compiled = false;
    const timer = setTimeout(() => {
      void worker.terminate();
      const what = kind === 'ahocorasick' ? 'building its trie' : 'compiling it and a first exec';
      resolve({ error: compiled ? `matching did not finish within ${deadlineMs / 1000} s` : `${what} did not finish within ${deadlineMs / 1000} s` });
    }, deadlineMs);
    worker.on('message', (m: { progress?: string; done?: boolean; values: number[]; chars: number; found: number; buildMs: number; note?: string }) => {
      if (m.progress) {
        compiled = true;
        return;
      }
      clearTimeout(timer);
      void worker.terminate();
      const ms = summarise(m.values);
      resolve({ ms, chars: m.chars, mcps: m.chars / ms.median / 1000, found: m.found, buildMs: m.buildMs, ...(m.note ? { note: m.note } : {}) });
    });
    worker.on('error', (e) => {
      clearTimeout(timer);
      resolve({ error: e.message });
    });
  });
}

/** Timed runs of our matcher per size: at least this many (the median is reported). */
export const MIN_MATCH_RUNS = 7;
/** Untimed runs first, so that the figure is the optimised code's, not the JIT's warm-up. */
const MATCH_WARMUP_RUNS = 5;

/**
 * Median duration of `fn` over `runs` runs after `warmup` untimed ones. Before each timed run: a
 * full GC, so that no run pays for the garbage of earlier runs (or of earlier parts of the
 * benchmark), then one untimed run, because the full GC itself evicts the matcher's tables from
 * the CPU caches: measured at 100k names, a match right after a full GC took 9.6 ms (median of 15)
 * against 6.2 ms with the untimed run in between, and 6.3 ms without any GC.
 */
function timedRuns(fn: () => unknown, runs: number, warmup: number): Sample {
  const gc = gcFunction();
  for (let i = 0; i < warmup; i++) fn();
  const values: number[] = [];
  for (let i = 0; i < runs; i++) {
    gc();
    fn();
    values.push(timeSync(fn));
  }
  return summarise(values);
}

/**
 * Matcher throughput at each size, with ahocorasick and V8 regexes on the same text. Our figures
 * (the whole `match`, and the background's engine) are taken for every size first, competitors
 * after: a competitor's worker stopped at its deadline may go on compiling in its thread until the
 * process ends (V8 cannot interrupt a regex compilation), and must not share the CPU with them.
 */
export async function throughput(text: string, sizes: readonly KbSize[], options: NodeBenchOptions = DEFAULT_NODE_OPTIONS, log: (s: string) => void = () => {}): Promise<ThroughputRow[]> {
  const runs = Math.max(MIN_MATCH_RUNS, options.runs);
  const ourRows: { label: string; aliases: number; ours: Throughput; engine: ThroughputRow['engine'] }[] = [];
  for (const size of sizes) {
    log(`  ${size.label}: ours`);
    let matcher!: Matcher;
    const buildMs = timeSync(() => (matcher = buildMatcher(size.entities)));
    let found = 0;
    // The whole `match`: scan with normalisation, leftmost-longest, short forms, nested, fuzzy.
    const ms = timedRuns(() => (found = matcher.match(text, newDocState()).length), runs, MATCH_WARMUP_RUNS);
    const ours: Throughput = { ms, chars: text.length, mcps: text.length / ms.median / 1000, found, buildMs };
    // The background's engine (names, then role mentions), as the extension builds it.
    const kbEngine = matchEngineFactory.build(size.entities);
    const page = { url: 'https://example.org/bench', pageDate: { date: '2025-06-01', source: 'meta' as const } };
    let engineFound = 0;
    const engineMs = timedRuns(() => (engineFound = kbEngine.match(text, kbEngine.newDocState(), page).length), options.runs, 1);
    const engine = { ms: engineMs, mcps: text.length / engineMs.median / 1000, found: engineFound };
    ourRows.push({ label: size.label, aliases: matcher.aliasCount, ours, engine });
  }
  const rows: ThroughputRow[] = [];
  for (const [k, size] of sizes.entries()) {
    const aliases = aliasList(size.entities);
    log(`  ${size.label}: ahocorasick`);
    const ahocorasick = await competitorInWorker('ahocorasick', aliases, text, options);
    log(`  ${size.label}: V8 regex (giu)`);
    const regex = await competitorInWorker('regex', aliases, text, options);
    log(`  ${size.label}: V8 regex (g)`);
    const regexPlain = await competitorInWorker('regexPlain', aliases, text, options);
    rows.push({ ...ourRows[k]!, ahocorasick, regex, regexPlain });
  }
  return rows;
}

function retained(gc: () => void): { heap: number; arrayBuffers: number } {
  gc();
  gc();
  const m = process.memoryUsage();
  return { heap: m.heapUsed, arrayBuffers: m.arrayBuffers };
}


/** Build time, memory and cache load time of the automaton at each KB size. */
export async function buildFigures(sizes: readonly KbSize[], options: NodeBenchOptions = DEFAULT_NODE_OPTIONS, log: (s: string) => void = () => {}): Promise<BuildRow[]> {
  const gc = gcFunction();
  const rows: BuildRow[] = [];
  for (const size of sizes) {
    log(`  ${size.label}`);
    const entities: Entity[] = size.entities;
    const runs = size.target >= 50_000 ? Math.min(2, options.runs) : options.runs;
    const buildMs = await repeat(runs, () => timeSync(() => buildMatcher(entities)), 1);
    const before = retained(gc);
    let matcher: Matcher | null = buildMatcher(entities);
    const after = retained(gc);
    const aliases = matcher.aliasCount;
    // What the background stores in IndexedDB (matcher tables and role index) and loads on a cold start.
    const cache = matchEngineFactory.toCache(matchEngineFactory.build(entities));
    const cacheLoadMs = await repeat(runs, () => {
      const t0 = performance.now();
      const engine = matchEngineFactory.fromCache(structuredClone(cache));
      const ms = performance.now() - t0;
      if (!engine) throw new Error('cache did not load');
      return ms;
    }, 1);
    rows.push({
      label: size.label,
      entities: entities.length,
      aliases,
      buildMs,
      heapBytes: Math.max(0, after.heap - before.heap),
      arrayBufferBytes: Math.max(0, after.arrayBuffers - before.arrayBuffers),
      cacheBytes: serialize(cache).byteLength,
      cacheLoadMs,
      readyMs: Math.min(buildMs.median, cacheLoadMs.median),
    });
    matcher = null;
  }
  return rows;
}

export { summarise };
