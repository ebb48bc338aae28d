import { describe, expect, it } from 'vitest';
import { goldProblem, scoreFile, totals, type GoldFile } from './score';

const gold: GoldFile = {
  text: 'text/x.txt',
  mentions: [
    { surface: 'Mohammad Baqeri', entity: 'Mohammad Bagheri', type: 'person', level: 'required', occurrences: [[10, 25]] },
    { surface: 'Baqeri', entity: 'Mohammad Bagheri', type: 'person', level: 'required', occurrences: [[19, 25], [40, 46]] },
    { surface: 'Pékin', entity: 'Beijing', type: 'place', level: 'bonus', occurrences: [[50, 55]] },
    { surface: 'Bagheri Kani', entity: 'Mohammad Bagheri', type: 'person', level: 'forbidden', occurrences: [[60, 72]] },
    { surface: 'Bagheri Kani', entity: 'Ali Bagheri Kani', type: 'person', level: 'bonus', occurrences: [[60, 72]] },
    { surface: 'us', entity: '*', type: 'country', level: 'forbidden', occurrences: [[80, 82]] },
  ],
};

describe('scoreFile', () => {
  it('counts a full-name span as covering nested gold of the same entity', () => {
    const s = scoreFile(gold, [
      { start: 10, end: 25, entity: 'Mohammad Bagheri' },
      { start: 40, end: 46, entity: 'Mohammad Bagheri' },
    ]);
    expect(s).toMatchObject({ predicted: 2, truePositives: 2, required: 3, found: 3, precision: 1, recall: 1, missed: [] });
  });

  it('needs the right entity, and overlap is enough', () => {
    const s = scoreFile(gold, [
      { start: 12, end: 20, entity: 'Mohammad Bagheri' }, // partial overlap: TP, finds [10,25] and [19,25]
      { start: 40, end: 46, entity: 'Ali Bagheri Kani' }, // wrong entity: FP
    ]);
    expect(s.truePositives).toBe(1);
    expect(s.falsePositives).toEqual([{ start: 40, end: 46, entity: 'Ali Bagheri Kani' }]);
    expect(s.found).toBe(2);
    expect(s.missed).toEqual([{ entity: 'Mohammad Bagheri', surface: 'Baqeri', start: 40, end: 46 }]);
    expect(s.precision).toBe(0.5);
    expect(s.recall).toBeCloseTo(2 / 3);
  });

  it('gives credit for bonus occurrences without counting them in recall', () => {
    const s = scoreFile(gold, [{ start: 50, end: 55, entity: 'Beijing' }]);
    expect(s).toMatchObject({ truePositives: 1, found: 0, required: 3, precision: 1, recall: 0 });
  });

  it('makes a span overlapping a forbidden occurrence of its entity a false positive', () => {
    const s = scoreFile(gold, [
      { start: 60, end: 72, entity: 'Mohammad Bagheri' },
      { start: 60, end: 72, entity: 'Ali Bagheri Kani' },
    ]);
    expect(s.truePositives).toBe(1);
    expect(s.forbiddenHits).toHaveLength(1);
    expect(s.forbiddenHits[0]!.span.entity).toBe('Mohammad Bagheri');
  });

  it('makes any entity overlapping a "*" forbidden occurrence a false positive', () => {
    const s = scoreFile(gold, [{ start: 80, end: 82, entity: 'United States' }]);
    expect(s.falsePositives).toHaveLength(1);
    expect(s.forbiddenHits[0]!.forbidden.surface).toBe('us');
  });

  it('has precision 1 with no prediction and recall 1 with nothing required', () => {
    expect(scoreFile(gold, [])).toMatchObject({ precision: 1, recall: 0 });
    expect(scoreFile({ text: 't', mentions: [] }, [])).toMatchObject({ precision: 1, recall: 1 });
  });
});

describe('totals', () => {
  it('micro-averages over files', () => {
    const a = scoreFile(gold, [{ start: 10, end: 25, entity: 'Mohammad Bagheri' }]); // 1 TP, found 2/3
    const b = scoreFile(gold, [{ start: 0, end: 3, entity: 'Iran' }]); // 1 FP, found 0/3
    expect(totals([a, b])).toEqual({
      predicted: 2,
      truePositives: 1,
      falsePositives: 1,
      forbiddenHits: 0,
      required: 6,
      found: 2,
      precision: 0.5,
      recall: 2 / 6,
    });
  });
});

describe('goldProblem', () => {
  it('accepts the format and names what is wrong', () => {
    expect(goldProblem(gold)).toBeNull();
    expect(goldProblem({ text: 'x', mentions: [{ entity: 'A', level: 'maybe', occurrences: [] }] })).toMatch(/level/);
    expect(goldProblem({ text: 'x', mentions: [{ entity: 'A', level: 'bonus', occurrences: [[1]] }] })).toMatch(/occurrences/);
    expect(goldProblem([])).toMatch(/text/);
  });
});
