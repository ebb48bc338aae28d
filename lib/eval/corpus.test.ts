/**
 * The bundled KB over the shared corpus: the product-level quality bar (precision and recall
 * >= 0.98, nothing forbidden on the traps page). Depends on the KB data as much as on the matcher.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { bundledKb } from '../../assets/kb';
import { corpusRoot, evaluateGold, kbAnnotator } from './corpus';
import { totals } from './score';

const root = corpusRoot();

describe.skipIf(!existsSync(join(root, 'gold')))('bundled KB on the shared corpus', () => {
  const results = evaluateGold(join(root, 'gold'), root, kbAnnotator(bundledKb().entities));
  const overall = totals(results.map((r) => r.score));
  const describeMisses = () =>
    results
      .flatMap((r) => [
        ...r.score.missed.map((m) => `${r.file}: missed ${m.entity} "${m.surface}" @${m.start}`),
        ...r.score.falsePositives.map((p) => `${r.file}: false positive ${p.entity} "${r.text.slice(p.start, p.end)}" @${p.start}`),
      ])
      .join('\n');

  it('has precision >= 0.98', () => {
    expect(overall.precision, describeMisses()).toBeGreaterThanOrEqual(0.98);
  });

  it('has recall >= 0.98', () => {
    expect(overall.recall, describeMisses()).toBeGreaterThanOrEqual(0.98);
  });

  it('highlights nothing forbidden on the traps page', () => {
    const traps = results.find((r) => r.file.startsWith('090_'));
    expect(traps).toBeDefined();
    expect(traps!.score.forbiddenHits.map((h) => `${h.span.entity} "${h.forbidden.surface}"`)).toEqual([]);
  });
});
