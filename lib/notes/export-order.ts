import type { Note } from './types';

/** Looks up a KB entity's display name; undefined for an id the KB does not know (any more). */
export type EntityNameLookup = (id: string) => string | undefined;

const byString = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** Earliest and latest instants of a date field over notes (no spread: pages may hold 100 000 notes). */
export function timeRange(notes: readonly Note[], field: 'created' | 'modified'): { min: number; max: number } {
  let min = Infinity;
  let max = -Infinity;
  for (const n of notes) {
    const t = Date.parse(n[field]);
    if (t < min) min = t;
    if (t > max) max = t;
  }
  return { min, max };
}

/**
 * Every export lists notes in one order, so that two exports of the same notes are identical and
 * diffs stay small: pages in the order they were first annotated, and within a page notes in
 * reading order (by position), then by creation and id.
 */
export function notesInExportOrder(notes: readonly Note[]): Note[][] {
  const pages = new Map<string, Note[]>();
  for (const note of notes) {
    const list = pages.get(note.page);
    if (list) list.push(note);
    else pages.set(note.page, [note]);
  }
  const firstCreated = (list: Note[]) => timeRange(list, 'created').min;
  const groups = [...pages.values()].map((list) =>
    list.sort(
      (a, b) =>
        a.position.start - b.position.start ||
        Date.parse(a.created) - Date.parse(b.created) ||
        byString(a.id, b.id),
    ),
  );
  return groups.sort((a, b) => firstCreated(a) - firstCreated(b) || byString(a[0]!.page, b[0]!.page));
}
