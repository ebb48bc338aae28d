/**
 * `npx tsx bench/profile.ts [1k|bundled|10k|100k]`: where the matcher's time goes in Node. Profiles
 * (V8 CPU profiler, through `node:inspector`) repeated matches of the large page's text at one KB
 * size and prints self time per function, plus the split between the raw scan and the rest of
 * `match` (leftmost-longest, owners, short forms, nested countries, fuzzy).
 */
import { Session } from 'node:inspector/promises';
import { scan } from '../lib/match/automaton';
import { buildMatcher, newDocState, type Matcher } from '../lib/match/matcher';
import { corpusTexts, generateLargePage } from './corpus';
import { kbSizes } from './kb-gen';
import { pageText } from './node-bench';
import { summarise, table, timeSync } from './stats';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
}

async function main(): Promise<void> {
  const want = process.argv[2] ?? 'bundled';
  const large = want === '100k' ? [10_000, 100_000] : want === '10k' ? [10_000] : [];
  const size = kbSizes({ small: 1000, large }).find((s) => s.label === want);
  if (!size) throw new Error(`unknown size ${want} (1k, bundled, 10k, 100k)`);
  const text = pageText(generateLargePage(corpusTexts()).html);
  const matcher: Matcher = buildMatcher(size.entities);
  const tables = (matcher as unknown as { t: Parameters<typeof scan>[0] }).t;
  for (let i = 0; i < 5; i++) matcher.match(text, newDocState());
  const scanMs = summarise(Array.from({ length: 15 }, () => timeSync(() => scan(tables, text))));
  const matchMs = summarise(Array.from({ length: 15 }, () => timeSync(() => matcher.match(text, newDocState()))));

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
  profile.samples.forEach((id, i) => {
    const n = byId.get(id)!;
    const where = n.callFrame.url ? n.callFrame.url.split('/').slice(-2).join('/') : '';
    const key = `${n.callFrame.functionName || '(anonymous)'} ${where}`.trim();
    const dt = profile.timeDeltas[i] ?? 0;
    self.set(key, (self.get(key) ?? 0) + dt);
    total += dt;
  });
  const rows = [...self].sort((a, b) => b[1] - a[1]).slice(0, 15);
  console.log(`KB ${size.label}, ${matcher.aliasCount} names, text ${text.length.toLocaleString('en')} characters`);
  console.log(`scan only: ${scanMs.median.toFixed(1)} ms (${(text.length / scanMs.median / 1000).toFixed(1)} M chars/s); whole match: ${matchMs.median.toFixed(1)} ms (${(text.length / matchMs.median / 1000).toFixed(1)} M chars/s)\n`);
  console.log(table(['function', 'self time'], rows.map(([k, v]) => [k, `${((v / total) * 100).toFixed(1)} %`])));
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
