/**
 * `npx tsx bench/profile.ts [1k|bundled|10k|100k|all]`: where the matcher's time goes in Node, on the
 * large page's text. Per KB size: the raw scan and the whole `match` (leftmost-longest, owners,
 * short forms, nested countries, fuzzy), in M chars/s, median and best of 15 runs after warm-up,
 * each after a full GC and one untimed run (the protocol of `throughput()` in ./node-bench.ts).
 * For one size it also profiles repeated matches (V8 CPU profiler, through `node:inspector`) and
 * prints self time per function; `all` prints every size's figures and the 100k / 1k time ratio.
 */
import { Session } from 'node:inspector/promises';
import { Scanner } from '../lib/match/automaton';
import { buildMatcher, newDocState, type Matcher } from '../lib/match/matcher';
import { corpusTexts, generateLargePage } from './corpus';
import { kbSizes, type KbSize } from './kb-gen';
import { gcFunction, pageText } from './node-bench';
import { summarise, table, timeSync, type Sample } from './stats';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
}

const RUNS = 15;
const WARMUP = 5;

function timed(fn: () => unknown): Sample {
  const gc = gcFunction();
  for (let i = 0; i < WARMUP; i++) fn();
  const values: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    gc();
    fn(); // the full GC evicts the tables from the caches (see `timedRuns` in ./node-bench.ts)
    values.push(timeSync(fn));
  }
  return summarise(values);
}

interface SizeFigures {
  label: string;
  aliases: number;
  scan: Sample;
  match: Sample;
}

function figures(size: KbSize, text: string): { matcher: Matcher; row: SizeFigures } {
  const matcher = buildMatcher(size.entities);
  const scanner = new Scanner((matcher as unknown as { t: ConstructorParameters<typeof Scanner>[0] }).t);
  const scan = timed(() => scanner.scan(text));
  const match = timed(() => matcher.match(text, newDocState()));
  return { matcher, row: { label: size.label, aliases: matcher.aliasCount, scan, match } };
}

/** Self time per function over 30 matches. */
async function profileMatches(matcher: Matcher, text: string): Promise<void> {
  const session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.setSamplingInterval', { interval: 100 });
  await session.post('Profiler.start');
  for (let i = 0; i < 30; i++) matcher.match(text, newDocState());
  const { profile } = (await session.post('Profiler.stop')) as { profile: { nodes: ProfileNode[]; samples: number[]; timeDeltas: number[] } };
  session.disconnect();

  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const self = new Map<string, number>();
  let total = 0;
  let inspector = 0;
  profile.samples.forEach((id, i) => {
    const n = byId.get(id)!;
    const dt = profile.timeDeltas[i] ?? 0;
    // `dispatch` is the inspector's own native call (`session.post`): the first sample's delta
    // covers starting the profiler, the last ones stopping it. Not the matcher's time.
    if (n.callFrame.functionName === 'dispatch' && !n.callFrame.url) {
      inspector += dt;
      return;
    }
    const where = n.callFrame.url ? n.callFrame.url.split('/').slice(-2).join('/') : '';
    const key = `${n.callFrame.functionName || '(anonymous)'} ${where}`.trim();
    self.set(key, (self.get(key) ?? 0) + dt);
    total += dt;
  });
  const rows = [...self].sort((a, b) => b[1] - a[1]).slice(0, 15);
  console.log(`\nself time over 30 matches (${(total / 1000).toFixed(0)} ms; profiler start/stop, ${(inspector / 1000).toFixed(0)} ms, left out):\n`);
  console.log(table(['function', 'self time'], rows.map(([k, v]) => [k, `${((v / total) * 100).toFixed(1)} %`])));
}

async function main(): Promise<void> {
  const want = process.argv[2] ?? 'bundled';
  const labels = want === 'all' ? ['1k', 'bundled', '10k', '100k'] : [want];
  const large = labels.includes('100k') ? [10_000, 100_000] : labels.includes('10k') ? [10_000] : [];
  const all = kbSizes({ small: 1000, large });
  const sizes = labels.map((l) => all.find((s) => s.label === l));
  if (sizes.some((s) => !s)) throw new Error(`unknown size ${want} (1k, bundled, 10k, 100k, all)`);
  const text = pageText(generateLargePage(corpusTexts()).html);
  const mcps = (s: Sample) => `${(text.length / s.median / 1000).toFixed(1)} (best ${(text.length / s.min / 1000).toFixed(1)})`;
  const rows: SizeFigures[] = [];
  let last: Matcher | undefined;
  for (const size of sizes as KbSize[]) {
    const { matcher, row } = figures(size, text);
    rows.push(row);
    last = matcher;
  }
  console.log(`text ${text.length.toLocaleString('en')} characters; median of ${RUNS} runs after ${WARMUP} warm-up runs, each after a full GC and one untimed run\n`);
  console.log(
    table(
      ['KB', 'names', 'scan (ms)', 'scan (M chars/s)', 'whole match (ms)', 'whole match (M chars/s)'],
      rows.map((r) => [r.label, String(r.aliases), r.scan.median.toFixed(2), mcps(r.scan), r.match.median.toFixed(2), mcps(r.match)]),
    ),
  );
  const k1 = rows.find((r) => r.label === '1k');
  const k100 = rows.find((r) => r.label === '100k');
  if (k1 && k100) console.log(`\nwhole match at 100k / at 1k: ${(k100.match.median / k1.match.median).toFixed(2)} (medians)`);
  if (rows.length === 1 && last) await profileMatches(last, text);
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
