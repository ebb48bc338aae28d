/** An entity's timeline grouped by year, newest year first and newest event first within a year. */
import type { KbEvent } from '../kb/schema';
import { byDateDesc } from './graph';
import { eventInWindow, yearOf, type YearWindow } from './years';

export interface YearGroup<E extends Pick<KbEvent, 'id' | 'date' | 'endDate'>> {
  year: number;
  events: E[];
}

/** Groups by the year the event starts in; events outside the window are left out. */
export function groupByYear<E extends Pick<KbEvent, 'id' | 'date' | 'endDate'>>(events: readonly E[], years: YearWindow = {}): YearGroup<E>[] {
  const groups = new Map<number, E[]>();
  for (const ev of events) {
    if (!eventInWindow(ev, years)) continue;
    const y = yearOf(ev.date);
    groups.set(y, [...(groups.get(y) ?? []), ev]);
  }
  return [...groups.entries()].sort(([a], [b]) => b - a).map(([year, evs]) => ({ year, events: evs.sort(byDateDesc) }));
}
