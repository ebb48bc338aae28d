/**
 * The results as markdown: one table per family of figures, the ratios, and each target of the
 * performance issue with the measured value and whether it is met.
 */
import type { BenchResults } from './bench';
import { fmt, fmtBytes, fmtSample, table } from './stats';

export interface TargetCheck {
  target: string;
  value: string;
  met: boolean | null;
}

/** A capped mark.js run's time for every alias at the pace it kept until the cap (an estimate). */
export function markEstimateMs(m: { cappedAfterMs?: number; aliasesDone: number; aliases: number }): number {
  return m.aliasesDone > 0 ? ((m.cappedAfterMs ?? 0) * m.aliases) / m.aliasesDone : NaN;
}

const ms = (n: number) => `${fmt(n, n < 10 ? 2 : 1)} ms`;

/** Every target of the issue against this run's figures (null: not measured in this run). */
export function checkTargets(r: BenchResults): TargetCheck[] {
  const out: TargetCheck[] = [];
  const large = r.pages.find((p) => p.page.startsWith('large'));
  out.push({
    target: 'large page + bundled KB: ours <= 3x bare walk',
    value: large
      ? `${fmt(large.oursOverWalk, 1)}x (${ms(large.ours.ms.median)} vs ${ms(large.walk.ms.median)} warm; the page's first walk took ${ms(large.walk.firstPassMs)}: ${fmt(large.ours.ms.median / large.walk.firstPassMs, 1)}x)`
      : 'n/a',
    met: large ? large.oursOverWalk <= 3 : null,
  });
  out.push({
    target: 'large page + bundled KB: mark.js / ours >= 100',
    value: large
      ? large.markOverOursIsLowerBound
        ? `>= ${fmt(large.markOverOurs, 1)} measured (mark.js stopped at the cap); ~${fmt(markEstimateMs(large.mark) / large.ours.ms.median, 0)} estimated at its pace`
        : fmt(large.markOverOurs, 1)
      : 'n/a',
    met: large ? large.markOverOurs >= 100 : null,
  });
  const ratio = r.ratios.matching100kOver1k;
  const full = r.ratios.matchingRatioLabel === '100k / 1k';
  out.push({
    target: 'matching at 100k aliases <= 1.3x the time at 1k',
    value: ratio === null ? 'n/a' : `${fmt(ratio, 2)}x${full ? '' : ` (${r.ratios.matchingRatioLabel} only)`}`,
    met: ratio === null || !full ? null : ratio <= 1.3,
  });
  const minMcps = r.throughput.length > 0 ? Math.min(...r.throughput.map((t) => t.ours.mcps)) : null;
  out.push({
    target: 'matcher >= 100 M chars/s in Node at 1k/10k/100k',
    value: r.throughput.map((t) => `${t.label}: ${fmt(t.ours.mcps, 1)}`).join(', ') || 'n/a',
    met: minMcps === null ? null : minMcps >= 100,
  });
  const b100 = r.build.find((b) => b.label === '100k');
  const k100 = r.kb.find((k) => k.label === '100k');
  out.push({
    target: 'automaton ready (built or loaded) <= 300 ms at 100k aliases',
    value: b100
      ? `build ${ms(b100.buildMs.median)}, cache load ${ms(b100.cacheLoadMs.median)} (Node)` +
        (k100 ? `; in the browser a cold start with the cache answers in ${ms(k100.coldStart.cold.median)}` : '')
      : 'n/a',
    met: b100 ? b100.readyMs <= 300 && (!k100 || k100.coldStart.cold.median <= 300) : null,
  });
  const coldBundled = r.kb.find((k) => k.label === 'bundled');
  out.push({
    target: 'cold start to first match <= 150 ms (bundled KB)',
    value: coldBundled ? ms(coldBundled.coldStart.cold.median) : 'n/a',
    met: coldBundled ? coldBundled.coldStart.cold.median <= 150 : null,
  });
  const content = r.bundle?.totals.find((t) => t.group === 'content script');
  out.push({
    target: 'content script <= 20 kB gzipped',
    value: content ? `${fmtBytes(content.gzip)} gzipped (${fmtBytes(content.raw)} raw)` : 'n/a',
    met: content ? content.gzip <= 20 * 1024 : null,
  });
  const incBundled = r.kb.find((k) => k.label === 'bundled')?.incremental;
  out.push({
    target: 'incremental 2 kB insertion <= 20 ms of work (large page, bundled KB)',
    value: incBundled ? `${ms(incBundled.work.median)} (reader's update: start → drawn; ${incBundled.highlights} highlights in the block)` : 'n/a',
    met: incBundled ? incBundled.work.median <= 20 && incBundled.highlights > 0 : null,
  });
  return out;
}

export function renderMarkdown(r: BenchResults): string {
  const parts: string[] = [];
  parts.push(`# Attaché benchmark — ${r.date.slice(0, 16).replace('T', ' ')} UTC`);
  parts.push(
    `Machine: ${r.machine.cpus} × ${r.machine.cpu}, Node ${r.machine.node}, Chromium ${r.machine.chromium ?? 'not run'}. ` +
      `Large page: ${r.largePage.chars.toLocaleString('en')} characters in ${r.largePage.textNodes.toLocaleString('en')} text nodes ` +
      `(${fmtBytes(r.largePage.htmlBytes)} of HTML). Bundled KB: ${r.aliasesBundled.toLocaleString('en')} names. ` +
      `Figures: median (min–max) of several runs. Whole run: ${fmt(r.durationS, 0)} s.`,
  );

  if (r.pages.length > 0) {
    parts.push('## In the browser, bundled KB: bare walk, ours end to end, mark.js');
    parts.push(
      table(
        ['page', 'text nodes', 'chars', 'bare walk, warm (ms)', "bare walk, page's first (ms)", 'ours (ms)', 'mark.js (ms)', 'ours / walk', 'mark.js / ours', 'highlights (ours / mark.js)'],
        r.pages.map((p) => [
          p.page,
          String(p.walk.textNodes),
          p.walk.chars.toLocaleString('en'),
          fmtSample(p.walk.ms, 3),
          p.walk.firstPassMs === undefined ? 'n/a' : fmt(p.walk.firstPassMs, 1),
          fmtSample(p.ours.ms, 1),
          p.mark.capped
            ? `> ${fmt((p.mark.cappedAfterMs ?? 0) / 1000, 0)} s (${p.mark.aliasesDone}/${p.mark.aliases} aliases done; ~${fmt(markEstimateMs(p.mark) / 1000, 0)} s for all at that pace)`
            : fmtSample(p.mark.ms, 0),
          `${fmt(p.oursOverWalk, 1)}x`,
          `${p.markOverOursIsLowerBound ? '>= ' : ''}${fmt(p.markOverOurs, 1)}`,
          `${p.ours.highlights} / ${p.mark.marks}`,
        ]),
      ),
    );
  }

  if (r.kb.length > 0) {
    parts.push('## In the browser, per KB size: large page, incremental update, service-worker cold start');
    parts.push(
      table(
        ['KB', 'names', 'ours, large page (ms)', 'incremental 2 kB: work (ms)', 'incremental: insertion → drawn (ms)', 'incremental: its page.match (ms)', 'highlights in the block / on the page', 'cold start → first match (ms)', 'warm match (ms)', 'first match, no cache (ms)'],
        r.kb.map((k) => [
          k.label,
          k.aliases.toLocaleString('en'),
          fmtSample(k.largePage.ms, 0),
          fmtSample(k.incremental.work, 1),
          fmtSample(k.incremental.latency, 1),
          fmtSample(k.incremental.roundTrip, 1),
          `${k.incremental.highlights} / ${k.incremental.pageHighlights}`,
          fmtSample(k.coldStart.cold, 0),
          fmtSample(k.coldStart.warm, 1),
          fmt(k.firstMatchNoCache, 0),
        ]),
      ),
    );
  }

  const split = r.kb.filter((k) => k.largePage.breakdown);
  if (r.kb.length > 0) {
    parts.push(
      '### Where the time goes on the large page (reader timings; one page.match with the whole text)\n' +
        'The page is walked in slices and each piece is sent as soon as it ends at a block boundary, so the background matches while the page walks: ' +
        'the columns are consecutive phases of the end-to-end time, not a sum of work.',
    );
    parts.push(
      table(
        ['KB', 'walk the page (ms)', 'then wait for the last answer (ms)', 'then draw (ms)', 'page.match calls', 'whole text in one page.match: round trip (ms)', 'of which in the background handler (ms)', 'spans'],
        r.kb.map((k) => [
          k.label,
          fmtSample(k.largePage.breakdown?.extract, 0),
          fmtSample(k.largePage.breakdown?.waitAfterExtract, 0),
          fmtSample(k.largePage.breakdown?.drawAfterLastAnswer, 0),
          String(k.largePage.breakdown?.calls ?? 'n/a'),
          fmtSample(k.wholePageMatch.roundTrip, 0),
          fmtSample(k.wholePageMatch.background, 0),
          String(k.wholePageMatch.spans),
        ]),
      ),
    );
    if (split.length === 0) parts.push('(The reader built here keeps no `timings`: no split of the end-to-end time.)');
  }

  if (r.throughput.length > 0) {
    parts.push(`## Matcher in Node (the large page's extracted text, ${r.largePage.extractedChars.toLocaleString('en')} characters)`);
    const comp = (c: ThroughputCell) => ('error' in c ? `error: ${c.error.slice(0, 60)}` : `${c.mcps < 0.1 ? c.mcps.toPrecision(2) : fmt(c.mcps, 2)}${c.note ? ` (${c.note})` : ''}`);
    parts.push(
      table(
        ['aliases', 'ours: match (ms)', 'ours (M chars/s)', 'names + roles (ms)', 'ahocorasick (M chars/s)', 'V8 regex `giu` (M chars/s)', 'V8 regex `g`, case-sensitive (M chars/s)', 'found (ours / ahocorasick / regex giu)', 'build (ours / ahocorasick / regex giu, ms)'],
        r.throughput.map((t) => [
          `${t.label} (${t.aliases.toLocaleString('en')})`,
          fmtSample(t.ours.ms, 1),
          fmt(t.ours.mcps, 1),
          fmtSample(t.engine.ms, 1),
          comp(t.ahocorasick),
          comp(t.regex),
          t.regexPlain ? comp(t.regexPlain) : 'n/a',
          [t.ours.found, 'error' in t.ahocorasick ? '–' : t.ahocorasick.found, 'error' in t.regex ? '–' : t.regex.found].join(' / '),
          [t.ours.buildMs, 'error' in t.ahocorasick ? NaN : t.ahocorasick.buildMs, 'error' in t.regex ? NaN : t.regex.buildMs].map((x) => fmt(x, 0)).join(' / '),
        ]),
      ),
    );
  }

  if (r.build.length > 0) {
    parts.push('## Automaton per KB size (Node)');
    parts.push(
      table(
        ['KB', 'entities', 'names', 'build (ms)', 'JS heap retained', 'typed arrays retained', 'cache size', 'cache load (ms)', 'ready (ms)'],
        r.build.map((b) => [
          b.label,
          b.entities.toLocaleString('en'),
          b.aliases.toLocaleString('en'),
          fmtSample(b.buildMs, 0),
          fmtBytes(b.heapBytes),
          fmtBytes(b.arrayBufferBytes),
          fmtBytes(b.cacheBytes),
          fmtSample(b.cacheLoadMs, 1),
          fmt(b.readyMs, 1),
        ]),
      ),
    );
  }

  if (r.bundle) {
    parts.push('## Bundle (.output/chrome-mv3), gzip level 9');
    parts.push(table(['part', 'files', 'raw', 'gzipped'], r.bundle.totals.map((t) => [t.group, String(t.files), fmtBytes(t.raw), fmtBytes(t.gzip)])));
    const big = r.bundle.files.filter((f) => /\.(js|css|html)$/.test(f.path));
    parts.push(table(['file', 'part', 'raw', 'gzipped'], big.map((f) => [f.path, f.group, fmtBytes(f.raw), fmtBytes(f.gzip)])));
  }

  parts.push('## Ratios');
  parts.push(
    table(
      ['ratio', 'value'],
      [
        ['ours / bare walk (large page, bundled KB)', r.ratios.largeOursOverWalk === null ? 'n/a' : `${fmt(r.ratios.largeOursOverWalk, 1)}x`],
        ['mark.js / ours (large page, bundled KB)', r.ratios.largeMarkOverOurs === null ? 'n/a' : `${r.ratios.largeMarkOverOursIsLowerBound ? '>= ' : ''}${fmt(r.ratios.largeMarkOverOurs, 1)}`],
        [`${r.ratios.matchingRatioLabel || '100k / 1k'} aliases: matching time (Node, same text)`, r.ratios.matching100kOver1k === null ? 'n/a' : `${fmt(r.ratios.matching100kOver1k, 2)}x`],
      ],
    ),
  );

  parts.push('## Targets');
  parts.push(table(['target', 'measured', 'met'], checkTargets(r).map((t) => [t.target, t.value, t.met === null ? 'not measured' : t.met ? 'yes' : '**no**'])));
  if (r.notes.length > 0) parts.push(r.notes.map((n) => `- ${n}`).join('\n'));
  return parts.join('\n\n') + '\n';
}

type ThroughputCell = BenchResults['throughput'][number]['ahocorasick'];
