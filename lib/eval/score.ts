/**
 * Scoring of predicted spans against gold annotations, exactly as `../shared/corpus/README.md`
 * defines it:
 * - a predicted span `[start, end)` of entity E is a true positive when it overlaps a `required` or
 *   `bonus` occurrence of E, otherwise a false positive; a span overlapping a `forbidden` occurrence
 *   of E (or of `"*"`, any entity) is a false positive even if it also overlaps an allowed one;
 * - a `required` occurrence is found when some predicted span of its entity overlaps it;
 * - precision = TP / predicted, recall = found / required (1 when there is nothing to count).
 * Entities are compared by canonical English name. Pure: no I/O.
 */

export type GoldLevel = 'required' | 'bonus' | 'forbidden';

export interface GoldMention {
  surface: string;
  /** Canonical English name, or "*" (any entity; forbidden only). */
  entity: string;
  type: string;
  level: GoldLevel;
  occurrences: [number, number][];
}

export interface GoldFile {
  /** Path of the text, relative to the corpus root (`text/003_en_wei_fenghe_tehran.txt`). */
  text: string;
  mentions: GoldMention[];
}

export interface PredictedSpan {
  start: number;
  end: number;
  /** Canonical English name of the entity. */
  entity: string;
}

export interface Occurrence {
  entity: string;
  surface: string;
  start: number;
  end: number;
}

export interface FileScore {
  predicted: number;
  truePositives: number;
  falsePositives: PredictedSpan[];
  /** False positives that overlap a forbidden occurrence (a subset of `falsePositives`). */
  forbiddenHits: { span: PredictedSpan; forbidden: Occurrence }[];
  required: number;
  found: number;
  missed: Occurrence[];
  precision: number;
  recall: number;
}

export interface Totals {
  predicted: number;
  truePositives: number;
  falsePositives: number;
  forbiddenHits: number;
  required: number;
  found: number;
  precision: number;
  recall: number;
}

const overlaps = (a: { start: number; end: number }, s: number, e: number) => a.start < e && s < a.end;
const ratio = (n: number, d: number) => (d === 0 ? 1 : n / d);

export function scoreFile(gold: GoldFile, predicted: readonly PredictedSpan[]): FileScore {
  const allowed: Occurrence[] = [];
  const forbidden: Occurrence[] = [];
  const required: Occurrence[] = [];
  for (const m of gold.mentions) {
    for (const [start, end] of m.occurrences) {
      const o = { entity: m.entity, surface: m.surface, start, end };
      if (m.level === 'forbidden') forbidden.push(o);
      else allowed.push(o);
      if (m.level === 'required') required.push(o);
    }
  }
  let truePositives = 0;
  const falsePositives: PredictedSpan[] = [];
  const forbiddenHits: FileScore['forbiddenHits'] = [];
  for (const p of predicted) {
    const bad = forbidden.find((f) => (f.entity === '*' || f.entity === p.entity) && overlaps(p, f.start, f.end));
    if (bad) {
      falsePositives.push(p);
      forbiddenHits.push({ span: p, forbidden: bad });
    } else if (allowed.some((o) => o.entity === p.entity && overlaps(p, o.start, o.end))) truePositives++;
    else falsePositives.push(p);
  }
  const missed = required.filter((o) => !predicted.some((p) => p.entity === o.entity && overlaps(p, o.start, o.end)));
  const found = required.length - missed.length;
  return {
    predicted: predicted.length,
    truePositives,
    falsePositives,
    forbiddenHits,
    required: required.length,
    found,
    missed,
    precision: ratio(truePositives, predicted.length),
    recall: ratio(found, required.length),
  };
}

/** Micro-averaged totals over files. */
export function totals(scores: readonly FileScore[]): Totals {
  const sum = (f: (s: FileScore) => number) => scores.reduce((n, s) => n + f(s), 0);
  const predicted = sum((s) => s.predicted);
  const truePositives = sum((s) => s.truePositives);
  const required = sum((s) => s.required);
  const found = sum((s) => s.found);
  return {
    predicted,
    truePositives,
    falsePositives: sum((s) => s.falsePositives.length),
    forbiddenHits: sum((s) => s.forbiddenHits.length),
    required,
    found,
    precision: ratio(truePositives, predicted),
    recall: ratio(found, required),
  };
}

/** Checks the shape of a parsed gold file; returns a message or null. */
export function goldProblem(value: unknown): string | null {
  if (typeof value !== 'object' || value === null) return 'not an object';
  const g = value as Partial<GoldFile>;
  if (typeof g.text !== 'string') return '"text" must be a string';
  if (!Array.isArray(g.mentions)) return '"mentions" must be an array';
  for (const [i, m] of g.mentions.entries()) {
    if (typeof m?.entity !== 'string') return `mentions[${i}].entity must be a string`;
    if (!['required', 'bonus', 'forbidden'].includes(m.level)) return `mentions[${i}].level must be required, bonus or forbidden`;
    if (!Array.isArray(m.occurrences) || !m.occurrences.every((o) => Array.isArray(o) && o.length === 2 && o.every(Number.isInteger)))
      return `mentions[${i}].occurrences must be [start, end] pairs`;
  }
  return null;
}
