/**
 * An entity's card in the popup: description, roles with dates, its linked past events as a
 * timeline (newest first), agreements and exercises, related actors, and the user's own readings
 * and notes that mention it. Every entity named is a link that opens that entity.
 */
import { i18n } from '#i18n';
import type { EntityDetails, EntityRef } from '@/lib/messaging/protocol-kb';
import { formatDate, isWebLink, sourceLabel } from './format';
import { NoteLine } from './NoteLine';

export interface EntityDetailsViewProps {
  details: EntityDetails;
  onOpenEntity(id: string): void;
}

function EntityLink({ entity, onOpen }: { entity: EntityRef; onOpen(id: string): void }) {
  return (
    <a href={`#${encodeURIComponent(entity.id)}`} class={`entity-link type-${entity.type}`} data-entity={entity.id} dir="auto" onClick={(e) => (e.preventDefault(), onOpen(entity.id))}>
      {entity.name}
    </a>
  );
}

function Source({ s }: { s: { url?: string; corpus?: string; title?: string; publisher?: string } }) {
  const label = sourceLabel(s);
  return isWebLink(s.url) ? (
    <a class="source" href={s.url} target="_blank" rel="noopener noreferrer" title={s.title ?? s.url}>
      {label}
    </a>
  ) : (
    <span class="source" title={s.title}>
      {label}
    </span>
  );
}

function roleDates(r: { from?: string; to?: string }): string {
  if (r.from && r.to) return `${formatDate(r.from)} – ${formatDate(r.to)}`;
  if (r.from) return i18n.t('entity.since', [formatDate(r.from)]);
  if (r.to) return i18n.t('entity.until', [formatDate(r.to)]);
  return '';
}

export function EntityDetailsView({ details: d, onOpenEntity }: EntityDetailsViewProps) {
  const open = onOpenEntity;
  return (
    <article class="details" data-entity={d.id}>
      <header>
        <h2 dir="auto">{d.name}</h2>
        <p class="kind">
          {i18n.t(`kind.${d.type}`)}
          {d.user ? <span class="user-badge">{i18n.t('entity.userEntity')}</span> : null}
          {d.country ? (
            <>
              {' · '}
              <EntityLink entity={d.country} onOpen={open} />
            </>
          ) : null}
          {d.date ? ` · ${formatDate(d.date)}${d.endDate ? ` – ${formatDate(d.endDate)}` : ''}` : null}
        </p>
      </header>
      {d.description ? (
        <p class="description" dir="auto">
          {d.description}
        </p>
      ) : null}

      {d.roles.length > 0 ? (
        <section class="roles">
          <h3>{i18n.t('entity.roles')}</h3>
          <ul>
            {d.roles.map((r, i) => (
              <li key={i}>
                <span dir="auto">{r.title}</span>
                {r.acting ? <span class="muted"> ({i18n.t('entity.acting')})</span> : null}
                <span class="dates"> {roleDates(r)}</span>
              </li>
            ))}
          </ul>
        </section>
      ) : null}

      <section class="timeline">
        <h3>{i18n.t('entity.timeline')}</h3>
        {d.events.length === 0 ? (
          <p class="muted">{i18n.t('entity.noEvents')}</p>
        ) : (
          <ol>
            {d.events.map((ev) => (
              <li key={ev.id} class="event" data-event={ev.id}>
                <time dateTime={ev.date}>
                  {formatDate(ev.date)}
                  {ev.endDate ? ` – ${formatDate(ev.endDate)}` : ''}
                </time>
                <p class="event-title" dir="auto" title={ev.summary}>
                  {ev.title}
                </p>
                {ev.participants.length > 0 ? (
                  <p class="participants">
                    {i18n.t('entity.with')}{' '}
                    {ev.participants.map((p, i) => (
                      <span key={p.id}>
                        {i > 0 ? ', ' : ''}
                        <EntityLink entity={p} onOpen={open} />
                      </span>
                    ))}
                  </p>
                ) : null}
                {ev.sources.length > 0 ? (
                  <p class="sources">
                    {ev.sources.map((s, i) => (
                      <span key={i}>
                        {i > 0 ? ' · ' : ''}
                        <Source s={s} />
                      </span>
                    ))}
                  </p>
                ) : null}
              </li>
            ))}
          </ol>
        )}
      </section>

      {(
        [
          ['agreements', d.agreements],
          ['exercises', d.exercises],
          ['parties', d.parties],
        ] as const
      ).map(([key, list]) =>
        list.length > 0 ? (
          <section class={key} key={key}>
            <h3>{i18n.t(`entity.${key}`)}</h3>
            <ul>
              {list.map((x) => (
                <li key={x.id}>
                  <EntityLink entity={x} onOpen={open} />
                  {'date' in x && x.date ? <span class="dates"> {formatDate(x.date)}</span> : null}
                </li>
              ))}
            </ul>
          </section>
        ) : null,
      )}

      {d.related.length > 0 ? (
        <section class="related">
          <h3>{i18n.t('entity.related')}</h3>
          <ul>
            {d.related.slice(0, 12).map((r) => (
              <li key={r.id}>
                <EntityLink entity={r} onOpen={open} /> <span class="muted">{i18n.t('entity.sharedEvents', r.shared)}</span>
              </li>
            ))}
          </ul>
        </section>
      ) : null}

      {d.readings.length > 0 ? (
        <section class="readings">
          <h3>{i18n.t('entity.readings')}</h3>
          <ul>
            {d.readings.map((r, i) => (
              <li key={i}>
                {isWebLink(r.url) ? (
                  <a href={r.url} target="_blank" rel="noopener noreferrer" dir="auto">
                    {r.title || r.url}
                  </a>
                ) : (
                  r.title
                )}{' '}
                <span class="dates">{formatDate(r.visitedAt)}</span>
              </li>
            ))}
          </ul>
        </section>
      ) : null}

      {d.notes.length > 0 ? (
        <section class="entity-notes">
          <h3>{i18n.t('entity.notes')}</h3>
          {d.notes.map((n) => (
            <NoteLine key={n.id} note={n} showPage />
          ))}
        </section>
      ) : null}

      {d.sources.length > 0 ? (
        <p class="sources">
          {i18n.t('entity.sources')}:{' '}
          {d.sources.map((s, i) => (
            <span key={i}>
              {i > 0 ? ' · ' : ''}
              <Source s={s} />
            </span>
          ))}
        </p>
      ) : null}
    </article>
  );
}
