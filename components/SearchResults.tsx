/** Hits of the knowledge-base search box. */
import { i18n } from '#i18n';
import type { SearchHit } from '@/lib/messaging/protocol-kb';

export function SearchResults({ hits, onSelect }: { hits: readonly SearchHit[]; onSelect(id: string): void }) {
  if (hits.length === 0) return <p class="muted">{i18n.t('popup.noResults')}</p>;
  return (
    <ul class="search-results">
      {hits.map((h) => (
        <li key={h.id}>
          <button type="button" class={`entity type-${h.type}`} data-entity={h.id} onClick={() => onSelect(h.id)}>
            <span class="name" dir="auto">
              {h.name}
            </span>
            {h.matched !== h.name ? (
              <span class="matched muted" dir="auto">
                {h.matched}
              </span>
            ) : null}
            <span class="kind muted">{i18n.t(`kind.${h.type}`)}</span>
          </button>
        </li>
      ))}
    </ul>
  );
}
