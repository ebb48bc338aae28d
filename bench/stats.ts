/**
 * Small statistics and formatting helpers shared by the benchmark parts: every figure is the median
 * of several runs with its min and max, and the same numbers go to the markdown table and the JSON.
 */

/** A measured figure: median, min and max over `runs` runs (unit given by the caller). */
export interface Sample {
  median: number;
  min: number;
  max: number;
  runs: number;
}

export function summarise(values: readonly number[]): Sample {
  if (values.length === 0) throw new Error('summarise: no values');
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  const median = sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
  return { median, min: sorted[0]!, max: sorted[sorted.length - 1]!, runs: sorted.length };
}

/** Runs `fn` `warmup` times unmeasured, then `runs` times; `fn` returns its own duration (ms). */
export async function repeat(runs: number, fn: (run: number) => Promise<number> | number, warmup = 0): Promise<Sample> {
  for (let i = 0; i < warmup; i++) await fn(-1 - i);
  const values: number[] = [];
  for (let i = 0; i < runs; i++) values.push(await fn(i));
  return summarise(values);
}

/** Duration of a synchronous call, ms. */
export function timeSync(fn: () => unknown): number {
  const t0 = performance.now();
  fn();
  return performance.now() - t0;
}

/** "12.3 (11.9–13.0)": median with min–max, `digits` decimals. */
export function fmtSample(s: Sample | null | undefined, digits = 1): string {
  if (!s) return 'n/a';
  return `${s.median.toFixed(digits)} (${s.min.toFixed(digits)}–${s.max.toFixed(digits)})`;
}

/** A number with a sensible number of decimals for a table. */
export function fmt(n: number | null | undefined, digits = 1): string {
  if (n === null || n === undefined || !Number.isFinite(n)) return 'n/a';
  return n.toFixed(digits);
}

export function fmtBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} kB`;
  return `${(n / 1024 / 1024).toFixed(2)} MB`;
}

/** A markdown table. */
export function table(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const line = (cells: readonly string[]) => `| ${cells.join(' | ')} |`;
  return [line(header), line(header.map(() => '---')), ...rows.map(line)].join('\n');
}

/** Deterministic PRNG (mulberry32): the same seed gives the same page and the same generated KB. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
