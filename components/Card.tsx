/**
 * The hover card of a highlighted entity: name, type, role or description, country, the most recent
 * linked events with their dates and sources, and two actions. Props in, events out: the content
 * script (lib/page/card-host.tsx) fetches the data and performs the actions.
 */
import type { EntityBrief, EntityCard, MatchSpan, RoleLine } from '../lib/messaging/protocol-page';
import { fillLabel, type CardLabels } from '../lib/page/card-labels';

export interface CardProps {
  brief: EntityBrief;
  /** Null while the background is answering. */
  card: EntityCard | null;
  /** Set when this highlight is a role mention ("China's defence minister"). */
  role?: MatchSpan['role'];
  labels: CardLabels;
  /** A failure to show (card could not load, note action refused). */
  error?: string;
  /** Feedback after an action. */
  status?: string;
  onOpenDetails(): void;
  onAddNote(): void;
  onClose(): void;
}

function roleFor(card: EntityCard | null, role: NonNullable<CardProps['role']>): RoleLine | undefined {
  const roles = card?.roles.filter((r) => r.office === role.office) ?? [];
  return roles.find((r) => (r.from ?? '') <= role.date && (!r.to || role.date.slice(0, r.to.length) <= r.to)) ?? roles[0];
}

function sourceLabel(s: { url?: string; corpus?: string; title?: string; publisher?: string }): string {
  if (s.publisher) return s.publisher;
  if (s.url) {
    try {
      return new URL(s.url).hostname.replace(/^www\./, '');
    } catch {
      return s.url;
    }
  }
  // A corpus article: its file name says enough ("003_en_wei_fenghe_tehran").
  return s.title ?? (s.corpus ? s.corpus.replace(/^.*\//, '').replace(/\.txt$/, '') : '');
}

export function Card({ brief, card, role, labels, error, status, onOpenDetails, onAddNote, onClose }: CardProps) {
  const held = role ? roleFor(card, role) : undefined;
  return (
    <section class={`card type-${brief.type}${role ? ' via-role' : ''}`} role="dialog" aria-label={brief.name} tabIndex={-1}>
      <header>
        <span class="swatch" aria-hidden="true" />
        <div class="title">
          <h2>{brief.name}</h2>
          <p class="type">
            {labels.types[brief.type]}
            {brief.country ? ` · ${brief.country}` : ''}
            {brief.user ? ` · ${labels.yours}` : ''}
          </p>
        </div>
        <button type="button" class="close" aria-label={labels.close} title={labels.close} onClick={onClose}>
          ×
        </button>
      </header>
      {role && (
        <p class="role-mention">
          {fillLabel(labels.refersTo, { person: brief.name, office: held?.title ?? brief.roleLine ?? role.office })}
          {held?.from ? fillLabel(labels.since, { date: held.from }) : ''}.{' '}
          {role.dateSource === 'apposition'
            ? labels.namedNext
            : fillLabel(labels.dateUsed, { date: role.date, source: labels.dateSources[role.dateSource] })}
        </p>
      )}
      {!role && brief.roleLine && <p class="role">{brief.roleLine}</p>}
      <p class="description">{brief.description}</p>
      {error && (
        <p class="error" role="alert">
          {error}
        </p>
      )}
      {!card && !error && <p class="loading">{labels.loading}</p>}
      {card && (
        <div class="events">
          <h3>{labels.recentEvents}</h3>
          {card.events.length === 0 ? (
            <p class="none">{labels.noEvents}</p>
          ) : (
            <ul>
              {card.events.map((ev) => (
                <li key={ev.id}>
                  <time dateTime={ev.date}>{ev.date}</time> <span class="event-title">{ev.title}</span>{' '}
                  {ev.sources.length > 0 && (
                    <span class="sources">
                      {ev.sources.slice(0, 2).map((s, i) =>
                        s.url ? (
                          <a key={i} href={s.url} target="_blank" rel="noopener noreferrer" title={s.title ?? s.url}>
                            {sourceLabel(s)}
                          </a>
                        ) : (
                          <span key={i} title={s.title ?? s.corpus}>
                            {sourceLabel(s)}
                          </span>
                        ),
                      )}
                    </span>
                  )}
                </li>
              ))}
            </ul>
          )}
        </div>
      )}
      {status && (
        <p class="status" role="status">
          {status}
        </p>
      )}
      <footer>
        <button type="button" class="primary" onClick={onOpenDetails}>
          {labels.openDetails}
        </button>
        <button type="button" onClick={onAddNote}>
          {labels.addNote}
        </button>
      </footer>
    </section>
  );
}
