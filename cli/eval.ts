/**
 * `npm run eval [-- GOLD_DIR]`
 *
 * Scores the annotator (bundled KB + matcher) against gold annotations, per file and overall, as
 * `../shared/corpus/README.md` defines it (see lib/eval/score.ts). GOLD_DIR defaults to the
 * corpus's `gold/` (`$ATTACHE_CORPUS` overrides the corpus root); gold `text` paths are read
 * relative to GOLD_DIR's parent. Prints a table, the misses and false positives, and the overall
 * precision / recall; exits 0 (a score is not an error). Role mentions ("China's defence minister")
 * are resolved at each article's date (from the matching `pages/*.html` metadata) and listed apart:
 * the gold annotates named mentions only.
 */
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { bundledKb } from '../assets/kb';
import { corpusRoot, evaluateGold, kbAnnotator, type FileEvaluation } from '../lib/eval/corpus';
import { totals } from '../lib/eval/score';
import { UsageError, isMain, rejectUnknownOptions, runCli } from './shared';

const pct = (x: number) => `${(x * 100).toFixed(1)}%`;

export function report(results: readonly FileEvaluation[]): string {
  const head = ['file', 'predicted', 'TP', 'FP', 'forbidden', 'required', 'found', 'precision', 'recall'];
  const rows = results.map((r) => [
    r.file,
    r.score.predicted,
    r.score.truePositives,
    r.score.falsePositives.length,
    r.score.forbiddenHits.length,
    r.score.required,
    r.score.found,
    pct(r.score.precision),
    pct(r.score.recall),
  ]);
  const t = totals(results.map((r) => r.score));
  rows.push(['overall', t.predicted, t.truePositives, t.falsePositives, t.forbiddenHits, t.required, t.found, pct(t.precision), pct(t.recall)]);
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => String(r[i]).length)));
  const line = (cells: (string | number)[]) => cells.map((c, i) => (i === 0 ? String(c).padEnd(widths[i]!) : String(c).padStart(widths[i]!))).join('  ');
  const out = [line(head), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.slice(0, -1).map(line), widths.map((w) => '-'.repeat(w)).join('  '), line(rows[rows.length - 1]!)];
  const details: string[] = [];
  for (const r of results) {
    for (const m of r.score.missed) details.push(`  ${r.file}  missed          ${m.entity} "${m.surface}" [${m.start}, ${m.end})`);
    for (const p of r.score.falsePositives) {
      const forbidden = r.score.forbiddenHits.some((h) => h.span === p);
      details.push(`  ${r.file}  ${forbidden ? 'FORBIDDEN' : 'false positive'}${forbidden ? '       ' : ' '}${p.entity} "${r.text.slice(p.start, p.end)}" [${p.start}, ${p.end})`);
    }
  }
  if (details.length) out.push('', 'Details:', ...details);
  const roles = results.flatMap((r) => r.roles.map((a) => `  ${r.file}  ${JSON.stringify(a.surface)} → ${a.entity} (at ${a.role?.date}, ${a.role?.dateSource})`));
  if (roles.length) {
    out.push('', `Role mentions (not in the gold, so not scored; resolved at the page's date): ${roles.length}`, ...roles);
  }
  out.push('', `precision ${t.precision.toFixed(4)}  recall ${t.recall.toFixed(4)}  (${t.truePositives}/${t.predicted} predicted, ${t.found}/${t.required} required)`);
  return `${out.join('\n')}\n`;
}

function main(argv: string[]): number {
  if (argv.includes('--help') || argv.includes('-h')) {
    process.stdout.write('usage: npm run eval [-- GOLD_DIR]   (default: $ATTACHE_CORPUS/gold or ../shared/corpus/gold)\n');
    return 0;
  }
  rejectUnknownOptions(argv);
  if (argv.length > 1) throw new UsageError('usage: npm run eval [-- GOLD_DIR]');
  const goldDir = argv[0] ? resolve(argv[0]) : join(corpusRoot(), 'gold');
  if (!existsSync(goldDir)) throw new UsageError(`${goldDir}: no such directory`);
  const results = evaluateGold(goldDir, dirname(goldDir), kbAnnotator(bundledKb().entities));
  if (results.length === 0) throw new UsageError(`${goldDir}: no .json gold file`);
  process.stdout.write(report(results));
  return 0;
}

if (isMain(import.meta.url)) runCli(main);
