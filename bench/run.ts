/**
 * `npm run bench [-- --quick] [-- --no-browser]`: runs every figure, prints the markdown tables on
 * stdout and writes the same figures to bench/results/latest.json. Progress goes to stderr.
 *
 * --quick       3 runs per figure, mark.js capped at 10 s, KB sizes up to 10k (a quick look, not the
 *               figures to quote)
 * --no-browser  Node figures only (matcher, automaton, bundle sizes of an existing build)
 * --runs=N      runs per in-browser figure (default 5)
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DEFAULT_OPTIONS, runBench, type BenchOptions } from './bench';
import { repoRoot } from './corpus';
import { renderMarkdown } from './report';

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const options: Partial<BenchOptions> = {};
  if (args.includes('--quick')) {
    Object.assign(options, { runs: 3, markRuns: 1, markCapMs: 10_000, kbTargets: { small: 1000, large: [10_000] }, node: { runs: 3, competitorBudgetMs: 300, regexDeadlineMs: 10_000 } });
  }
  if (args.includes('--no-browser')) options.browser = false;
  const runs = args.find((a) => a.startsWith('--runs='));
  if (runs) options.runs = Math.max(1, Number(runs.slice('--runs='.length)) || DEFAULT_OPTIONS.runs);
  const results = await runBench(options);
  const dir = join(repoRoot, 'bench/results');
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'latest.json'), JSON.stringify(results, null, 2) + '\n');
  process.stdout.write(renderMarkdown(results));
  console.error(`written bench/results/latest.json (${results.durationS.toFixed(0)} s)`);
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
