/**
 * Years of KB records, and the from–to year window the details page and the explorer filter by.
 * Dates are ISO `YYYY`, `YYYY-MM` or `YYYY-MM-DD` (lib/kb/schema.ts); a window is inclusive.
 */
import type { KbEvent, Role } from '../kb/schema';

/** Inclusive year window; an open end takes everything on that side. */
export interface YearWindow {
  from?: number;
  to?: number;
}

export function yearOf(date: string): number {
  return Number.parseInt(date.slice(0, 4), 10);
}

/** True when [start, end] (years, inclusive) overlaps the window. */
export function overlaps(start: number, end: number, w: YearWindow = {}): boolean {
  return (w.from === undefined || end >= w.from) && (w.to === undefined || start <= w.to);
}

/** A multi-day event that runs over New Year counts in both years. */
export function eventInWindow(ev: Pick<KbEvent, 'date' | 'endDate'>, w: YearWindow = {}): boolean {
  return overlaps(yearOf(ev.date), yearOf(ev.endDate ?? ev.date), w);
}

/** A role with no start counts from the beginning of time, one with no end up to now. */
export function roleInWindow(r: Pick<Role, 'from' | 'to'>, w: YearWindow = {}, nowYear = new Date().getUTCFullYear()): boolean {
  return overlaps(r.from ? yearOf(r.from) : Number.NEGATIVE_INFINITY, r.to ? yearOf(r.to) : nowYear, w);
}

/** First and last year of these events, or undefined when there are none. */
export function yearSpan(events: readonly Pick<KbEvent, 'date' | 'endDate'>[]): { min: number; max: number } | undefined {
  if (events.length === 0) return undefined;
  let min = Number.POSITIVE_INFINITY;
  let max = Number.NEGATIVE_INFINITY;
  for (const ev of events) {
    min = Math.min(min, yearOf(ev.date));
    max = Math.max(max, yearOf(ev.endDate ?? ev.date));
  }
  return { min, max };
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** "Oct 2021", "19 Oct 2021" or "2021", in the KB's language (English). */
export function shortDate(date: string, { day = false } = {}): string {
  const [y, m, d] = date.split('-');
  const month = m ? MONTHS[Number(m) - 1] : undefined;
  if (!month) return y ?? date;
  return day && d ? `${Number(d)} ${month} ${y}` : `${month} ${y}`;
}
