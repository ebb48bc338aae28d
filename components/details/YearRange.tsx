/**
 * The year window: a bar per year (height = events that year; click a bar to zoom on that year)
 * and two selects for from–to. Events out of the window are dimmed in the bars.
 */
import { i18n } from '#i18n';
import type { YearWindow } from '@/lib/graph/years';

export interface YearRangeProps {
  min: number;
  max: number;
  /** Events per year, for the bars. */
  counts: ReadonlyMap<number, number>;
  value: YearWindow;
  onChange(w: YearWindow): void;
}

export function YearRange(props: YearRangeProps) {
  const years: number[] = [];
  for (let y = props.min; y <= props.max; y++) years.push(y);
  const from = props.value.from ?? props.min;
  const to = props.value.to ?? props.max;
  const top = Math.max(1, ...props.counts.values());
  const set = (w: YearWindow) => props.onChange({ from: Math.min(w.from ?? from, w.to ?? to), to: Math.max(w.from ?? from, w.to ?? to) });
  return (
    <div class="year-range" role="group" aria-label={i18n.t('details.years')}>
      <div class="year-bars">
        {years.map((y) => {
          const n = props.counts.get(y) ?? 0;
          const inside = y >= from && y <= to;
          return (
            <button
              type="button"
              key={y}
              class={`year-bar${inside ? ' inside' : ''}`}
              title={i18n.t('details.eventsInYear', n, [String(y), String(n)])}
              aria-pressed={inside}
              onClick={() => set({ from: y, to: y })}
            >
              <span class="bar" style={{ height: `${Math.round((n / top) * 100)}%` }} />
              <span class="bar-year">{String(y).slice(2)}</span>
            </button>
          );
        })}
      </div>
      <div class="year-selects">
        <label>
          {i18n.t('details.from')}{' '}
          <select name="from" value={String(from)} onChange={(e) => set({ from: Number((e.target as HTMLSelectElement).value) })}>
            {years.map((y) => (
              <option key={y} value={String(y)}>
                {y}
              </option>
            ))}
          </select>
        </label>
        <label>
          {i18n.t('details.to')}{' '}
          <select name="to" value={String(to)} onChange={(e) => set({ to: Number((e.target as HTMLSelectElement).value) })}>
            {years.map((y) => (
              <option key={y} value={String(y)}>
                {y}
              </option>
            ))}
          </select>
        </label>
        <button type="button" class="link-button" onClick={() => props.onChange({})}>
          {i18n.t('details.allYears')}
        </button>
      </div>
    </div>
  );
}
