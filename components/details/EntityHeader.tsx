/** Who or what the entity is: name, type, description, roles with dates, country, parties, sources. */
import { i18n } from '#i18n';
import type { ExploreEntity } from '@/lib/messaging/protocol-explore';
import { EntityLink, SourceLink } from './EntityLink';

/** Singular type name ("Person"), for badges. */
export function typeLabel(type: ExploreEntity['type']): string {
  return i18n.t(`details.typeName.${type}`);
}

function span(from?: string, to?: string): string {
  if (from && to) return `${from} – ${to}`;
  if (from) return i18n.t('entity.since', [from]);
  if (to) return i18n.t('entity.until', [to]);
  return '';
}

function wikipediaUrl(w: string): string {
  return /^https?:\/\//i.test(w) ? w : `https://en.wikipedia.org/wiki/${encodeURIComponent(w.replace(/ /g, '_'))}`;
}

export function EntityHeader(props: { entity: ExploreEntity; name: (id: string) => string }) {
  const e = props.entity;
  const roles = [...(e.roles ?? [])].sort((a, b) => (b.from ?? '').localeCompare(a.from ?? ''));
  return (
    <header class="entity-header">
      <h1>
        <span class="entity-name">{e.name}</span> <span class={`type-badge type-${e.type}`}>{typeLabel(e.type)}</span>
        {e.origin !== 'bundled' && <span class="yours-badge">{e.origin === 'added' ? i18n.t('details.yours') : i18n.t('details.edited')}</span>}
      </h1>
      <p class="description">{e.description}</p>
      <dl class="facts">
        {e.country && (
          <>
            <dt>{i18n.t('details.country')}</dt>
            <dd>
              <EntityLink id={e.country} name={props.name(e.country)} />
            </dd>
          </>
        )}
        {(e.date || e.endDate) && (
          <>
            <dt>{i18n.t('details.dates')}</dt>
            <dd>{[e.date, e.endDate].filter(Boolean).join(' – ')}</dd>
          </>
        )}
        {(e.parties ?? []).length > 0 && (
          <>
            <dt>{i18n.t('details.parties')}</dt>
            <dd class="inline-list">
              {(e.parties ?? []).map((p) => (
                <EntityLink key={p} id={p} name={props.name(p)} />
              ))}
            </dd>
          </>
        )}
      </dl>
      {roles.length > 0 && (
        <section class="roles">
          <h2>{i18n.t('details.roles')}</h2>
          <ul>
            {roles.map((r, i) => (
              <li key={i}>
                <span class="role-title">{r.title}</span>
                {r.acting && <span class="muted"> ({i18n.t('entity.acting')})</span>}
                {(r.from || r.to) && <span class="role-dates"> {span(r.from, r.to)}</span>}
              </li>
            ))}
          </ul>
        </section>
      )}
      {((e.sources ?? []).length > 0 || e.wikipedia) && (
        <section class="sources">
          <h2>{i18n.t('details.sources')}</h2>
          <ul>
            {(e.sources ?? []).map((s, i) => (
              <li key={i}>
                <SourceLink source={s} />
              </li>
            ))}
            {e.wikipedia && (
              <li>
                <a href={wikipediaUrl(e.wikipedia)} target="_blank" rel="noopener noreferrer">
                  {i18n.t('details.wikipedia')}
                </a>
              </li>
            )}
          </ul>
        </section>
      )}
    </header>
  );
}
