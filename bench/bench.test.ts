/**
 * Smoke test of `npm run bench`: every code path at tiny sizes, no timing assertions. What it checks
 * is that the figures are about real work (pages as specified, KB sizes as generated, engines that
 * find names) so that a broken benchmark fails here rather than printing nonsense.
 */
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseHTML } from 'linkedom';
import { describe, expect, it } from 'vitest';
import { bundledKb } from '../assets/kb/index';
import { buildMatcher, newDocState } from '../lib/match/matcher';
import { runBench } from './bench';
import { CHROMIUM, EXTENSION_DIR } from './browser';
import { bundleSizes, bundleTotals } from './bundle';
import { corpusTexts, countText, generateLargePage, insertionHtml } from './corpus';
import { aliasList, bundledSubset, generateEntities, kbSizes } from './kb-gen';
import { buildFigures, pageText, throughput } from './node-bench';
import { checkTargets, renderMarkdown } from './report';
import { summarise } from './stats';

const texts = corpusTexts();
const tiny = { minChars: 20_000, minTextNodes: 600 };

describe('stats', () => {
  it('gives the median, min and max', () => {
    expect(summarise([5, 1, 3])).toEqual({ median: 3, min: 1, max: 5, runs: 3 });
    expect(summarise([4, 1, 3, 2]).median).toBe(2.5);
    expect(() => summarise([])).toThrow();
  });
});

describe('large page', () => {
  it('is deterministic and as large as asked, with inline elements splitting sentences', () => {
    const a = generateLargePage(texts, tiny);
    const b = generateLargePage(texts, tiny);
    expect(a.html).toBe(b.html);
    expect(a.chars).toBeGreaterThanOrEqual(tiny.minChars);
    expect(a.textNodes).toBeGreaterThanOrEqual(tiny.minTextNodes);
    // The DOM agrees with the generator's own count.
    const { document } = parseHTML(a.html);
    let nodes = 0;
    let chars = 0;
    const walk = (n: Node) => {
      for (let c = n.firstChild; c; c = c.nextSibling) {
        if (c.nodeType === 3) {
          nodes++;
          chars += (c as Text).data.length;
        } else walk(c);
      }
    };
    walk((document as unknown as Document).body);
    expect(nodes).toBeGreaterThanOrEqual(a.textNodes);
    expect(chars).toBeGreaterThanOrEqual(a.chars);
    for (const tag of ['a', 'b', 'em', 'span']) expect(a.html).toContain(`<${tag}`);
    expect(a.html).toContain('dir="rtl"');
  });

  it('counts text runs between tags', () => {
    expect(countText('<p>ab <b>cd</b> e&amp;f</p>')).toEqual({ chars: 9, nodes: 3 });
  });

  it('makes insertion blocks of the asked size, with names the matcher finds', () => {
    const block = insertionHtml(texts, 2048, 0);
    expect(block.chars).toBe(2048);
    const text = pageText(`<html><body>${block.html}</body></html>`);
    expect(buildMatcher(bundledKb().entities).match(text, newDocState()).length).toBeGreaterThan(0);
  });
});

describe('KB sizes', () => {
  it('generates the asked number of new names, deterministically, in Latin and Arabic script', () => {
    const bundled = bundledKb().entities;
    const base = buildMatcher(bundled).aliasCount;
    const generated = generateEntities(300, new Set());
    expect(generateEntities(300, new Set())).toEqual(generated);
    const names = aliasList(generated);
    expect(names.some((n) => /[\u0600-\u06ff]/.test(n))).toBe(true);
    expect(names.some((n) => /^[A-Z][a-z]+ [A-Z]/.test(n))).toBe(true);
    expect(buildMatcher([...bundled, ...generated]).aliasCount - base).toBe(300);
  });

  it('cuts the bundled KB to a subset of about the asked size', () => {
    const subset = bundledSubset(500);
    const n = buildMatcher(subset).aliasCount;
    expect(n).toBeGreaterThanOrEqual(480);
    expect(n).toBeLessThan(buildMatcher(bundledKb().entities).aliasCount);
  });

  it('labels sizes and skips generated sizes below the bundled KB', () => {
    const sizes = kbSizes({ small: 200, large: [100, 4000] });
    expect(sizes.map((s) => s.label)).toEqual(['200', 'bundled', '4k']);
    expect(sizes[2]!.generated.length).toBeGreaterThan(0);
  });
});

describe('Node figures', () => {
  const text = pageText(generateLargePage(texts, tiny).html);
  const sizes = kbSizes({ small: 300, large: [3600] });

  it('measures ours, ahocorasick and both regexes on the same text, each finding names', async () => {
    const rows = await throughput(text, sizes, { runs: 1, competitorBudgetMs: 50 });
    expect(rows.map((r) => r.label)).toEqual(['300', 'bundled', '3600']);
    for (const r of rows) {
      expect(r.ours.found).toBeGreaterThan(0);
      expect(r.ours.chars).toBe(text.length);
      expect(r.engine.found).toBeGreaterThanOrEqual(r.ours.found);
      for (const c of [r.ahocorasick, r.regex, r.regexPlain]) {
        if ('error' in c) throw new Error(c.error);
        expect(c.chars).toBeGreaterThan(0);
        // A slow competitor runs on a prefix within its budget; the smallest KB gets enough text.
        if (r === rows[0]) expect(c.found).toBeGreaterThan(0);
      }
    }
  });

  it('builds, measures and reloads the automaton per size', async () => {
    const rows = await buildFigures(sizes.slice(0, 2), { runs: 1, competitorBudgetMs: 50 });
    for (const r of rows) {
      expect(r.aliases).toBeGreaterThan(0);
      expect(r.cacheBytes).toBeGreaterThan(0);
      expect(r.readyMs).toBeLessThanOrEqual(r.buildMs.median);
    }
  });
});

describe('bundle sizes', () => {
  it('groups files and gzips them', () => {
    const dir = mkdtempSync(join(tmpdir(), 'attache-bundle-'));
    try {
      mkdirSync(join(dir, 'content-scripts'));
      writeFileSync(join(dir, 'content-scripts/content.js'), 'console.log("x");'.repeat(200));
      writeFileSync(join(dir, 'background.js'), 'let a = 1;'.repeat(100));
      writeFileSync(join(dir, 'popup.html'), '<p>popup</p>');
      writeFileSync(join(dir, 'manifest.json'), '{}');
      const files = bundleSizes(dir);
      const content = files.find((f) => f.path === 'content-scripts/content.js')!;
      expect(content.group).toBe('content script');
      expect(content.gzip).toBeLessThan(content.raw);
      expect(files.find((f) => f.path === 'popup.html')!.group).toBe('pages');
      expect(bundleTotals(files).find((t) => t.group === 'other')!.files).toBe(1);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('runBench', () => {
  const options = {
    runs: 1,
    node: { runs: 1, competitorBudgetMs: 50 },
    largePage: tiny,
    kbTargets: { small: 300, large: [3600] },
    markRuns: 1,
    markCapMs: 3000,
    log: () => {},
  };

  it('produces the Node figures and a report with every target', async () => {
    const r = await runBench({ ...options, browser: false });
    expect(r.throughput).toHaveLength(3);
    expect(r.ratios.matchingRatioLabel).toBe('3600 / 300');
    const md = renderMarkdown(r);
    expect(md).toContain('## Matcher in Node');
    expect(md).toContain('## Targets');
    expect(checkTargets(r)).toHaveLength(8);
  });

  const browserReady = existsSync(CHROMIUM) && existsSync(join(EXTENSION_DIR, 'manifest.json'));
  it.skipIf(!browserReady)('runs every in-browser figure on one corpus page and a small large page', { timeout: 240_000 }, async () => {
    const r = await runBench({ ...options, pageFilter: (name) => name.startsWith('003_') });
    expect(r.pages.map((p) => p.page)).toEqual(['003_en_wei_fenghe_tehran.html', 'large (generated)']);
    for (const p of r.pages) {
      expect(p.walk.textNodes).toBeGreaterThan(0);
      expect(p.ours.highlights).toBeGreaterThan(0);
      expect(p.mark.aliasesDone).toBeGreaterThan(0);
    }
    expect(r.kb.map((k) => k.label)).toEqual(['bundled', '3600']);
    for (const k of r.kb) {
      expect(k.coldStart.cold.runs).toBe(1);
      expect(k.largePage.highlights).toBeGreaterThan(0);
      expect(k.incremental.insertedChars).toBeGreaterThan(1000);
    }
    expect(r.bundle?.totals.some((t) => t.group === 'content script')).toBe(true);
  });
});
