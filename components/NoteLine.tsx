/** One note in a list: quote, comment, tags, page, orphan status. */
import { i18n } from '#i18n';
import type { NoteListItem } from '@/lib/messaging/protocol-notes';
import { formatDate, isWebLink } from './format';

export interface NoteLineProps {
  note: NoteListItem;
  /** Show the page title and link (lists across pages). */
  showPage?: boolean;
  children?: preact.ComponentChildren;
}

export function NoteLine({ note, showPage = false, children }: NoteLineProps) {
  return (
    <article class={`note${note.orphaned ? ' orphaned' : ''}`} data-note={note.id}>
      <blockquote dir="auto">{note.quote.exact}</blockquote>
      <p class="comment" dir="auto">
        {note.comment || <span class="muted">{i18n.t('note.noComment')}</span>}
      </p>
      <p class="meta">
        {note.tags.map((t) => (
          <span class="tag" key={t}>
            #{t}
          </span>
        ))}
        <span class="date">{formatDate(note.created)}</span>
        {note.orphaned ? (
          <span class="orphan-badge" title={i18n.t('note.orphanedLong')}>
            {i18n.t('note.orphaned')}
          </span>
        ) : null}
      </p>
      {showPage && isWebLink(note.url) ? (
        <p class="page">
          <a href={note.url} target="_blank" rel="noopener noreferrer" dir="auto">
            {note.title || note.url}
          </a>
        </p>
      ) : null}
      {children}
    </article>
  );
}
