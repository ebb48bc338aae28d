/** Names the NLP pass found on the page that the KB does not know, each with "Add to knowledge base". */
import { i18n } from '#i18n';

export interface Candidate {
  name: string;
  type: 'person' | 'organization';
  /** Set once added. */
  addedId?: string;
  error?: string;
}

export function AlsoOnPage({ candidates, onAdd, onOpen }: { candidates: readonly Candidate[]; onAdd(c: Candidate): void; onOpen(id: string): void }) {
  if (candidates.length === 0) return null;
  return (
    <section class="also">
      <h3>{i18n.t('popup.alsoOnPage')}</h3>
      <p class="muted hint">{i18n.t('popup.alsoOnPageHint')}</p>
      <ul>
        {candidates.map((c) => (
          <li key={`${c.type}:${c.name}`} data-candidate={c.name}>
            <span class="name" dir="auto">
              {c.name}
            </span>{' '}
            <span class="muted">{i18n.t(`popup.${c.type}`)}</span>{' '}
            {c.addedId ? (
              <a href={`#${c.addedId}`} class="added" onClick={(e) => (e.preventDefault(), onOpen(c.addedId!))}>
                {i18n.t('popup.added')}
              </a>
            ) : (
              <button type="button" class="add" onClick={() => onAdd(c)}>
                {i18n.t('popup.addToKb')}
              </button>
            )}
            {c.error ? (
              <span class="error" role="alert">
                {' '}
                {c.error}
              </span>
            ) : null}
          </li>
        ))}
      </ul>
    </section>
  );
}
