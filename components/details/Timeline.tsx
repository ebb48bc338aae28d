/** The entity's events in the year window, grouped by year, newest first. */
import { i18n } from '#i18n';
import type { ExploreEvent } from '@/lib/messaging/protocol-explore';
import type { YearGroup } from '@/lib/graph/timeline';
import { shortDate } from '@/lib/graph/years';
import { EntityLink, SourceLink } from './EntityLink';

export function Timeline(props: { groups: YearGroup<ExploreEvent>[]; focus: string; name: (id: string) => string; isPlace: (id: string) => boolean }) {
  if (props.groups.length === 0) return <p class="muted">{i18n.t('details.noEvents')}</p>;
  return (
    <ol class="timeline">
      {props.groups.map((g) => (
        <li key={g.year} class="year-group">
          <h3 class="year" id={`year-${g.year}`}>
            {g.year}
          </h3>
          <ol class="year-events">
            {g.events.map((ev) => {
              const others = [...new Set([...ev.participants, ...(ev.links ?? [])])].filter((p) => p !== props.focus && !props.isPlace(p));
              return (
                <li key={ev.id} class="event" data-event={ev.id}>
                  <div class="event-head">
                    <time dateTime={ev.date}>{shortDate(ev.date, { day: true })}</time>
                    <strong class="event-title">{ev.title}</strong>
                    {ev.origin !== 'bundled' && <span class="yours-badge">{i18n.t('details.yours')}</span>}
                  </div>
                  <p class="event-summary" title={ev.summary}>
                    {ev.summary}
                  </p>
                  <p class="event-meta">
                    {ev.place && (
                      <span>
                        {i18n.t('details.place')}: <EntityLink id={ev.place} name={props.name(ev.place)} />{' · '}
                      </span>
                    )}
                    {others.length > 0 && (
                      <span>
                        {i18n.t('details.with')}:{' '}
                        <span class="inline-list">
                          {others.map((p) => (
                            <EntityLink key={p} id={p} name={props.name(p)} />
                          ))}
                        </span>
                      </span>
                    )}
                  </p>
                  <p class="event-sources">
                    {ev.sources.map((s, i) => (
                      <SourceLink key={i} source={s} />
                    ))}
                  </p>
                </li>
              );
            })}
          </ol>
        </li>
      ))}
    </ol>
  );
}
