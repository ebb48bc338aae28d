/**
 * The note editor: the quoted text, a comment, tags and the linked entities. Used in the page
 * (inside a shadow root) and on the notes page. Keeps the draft on a failed save: the caller passes
 * the error back in and the fields stay as the user left them.
 */
import { i18n } from '#i18n';
import { useEffect, useRef, useState } from 'preact/hooks';
import type { EntityRef } from '@/lib/messaging/protocol-kb';

export interface NoteEditorValue {
  comment: string;
  tags: string[];
  entities: EntityRef[];
}

export interface NoteEditorProps {
  quote: string;
  initial: NoteEditorValue;
  /** True when editing a stored note (shows Delete). */
  existing: boolean;
  saving: boolean;
  /** A localised error to show above the buttons; the draft stays. */
  error?: string;
  onSave(value: NoteEditorValue): void;
  onCancel(): void;
  onDelete?(): void;
}

export function parseTags(s: string): string[] {
  return s
    .split(/[,،]/)
    .map((t) => t.trim())
    .filter((t) => t !== '');
}

export function NoteEditor(props: NoteEditorProps) {
  const [comment, setComment] = useState(props.initial.comment);
  const [tags, setTags] = useState(props.initial.tags.join(', '));
  const [entities, setEntities] = useState(props.initial.entities);
  const commentRef = useRef<HTMLTextAreaElement>(null);
  // `autofocus` only works on page load; an editor opened later focuses its comment itself.
  useEffect(() => commentRef.current?.focus(), []);
  // Entities linked after the editor opened (the background answers a moment later) replace the list.
  useEffect(() => setEntities(props.initial.entities), [props.initial.entities]);
  const submit = (e: Event) => {
    e.preventDefault();
    if (!props.saving) props.onSave({ comment, tags: parseTags(tags), entities });
  };
  return (
    <form class="note-editor" onSubmit={submit} aria-label={props.existing ? i18n.t('editor.editTitle') : i18n.t('editor.newTitle')}>
      <h2>{props.existing ? i18n.t('editor.editTitle') : i18n.t('editor.newTitle')}</h2>
      <blockquote class="quote" dir="auto">
        {props.quote}
      </blockquote>
      <label>
        {i18n.t('editor.comment')}
        <textarea ref={commentRef} name="comment" rows={4} dir="auto" value={comment} onInput={(e) => setComment((e.target as HTMLTextAreaElement).value)} />
      </label>
      <label>
        {i18n.t('editor.tags')}
        <input name="tags" type="text" dir="auto" value={tags} onInput={(e) => setTags((e.target as HTMLInputElement).value)} />
      </label>
      <fieldset class="entities">
        <legend>{i18n.t('editor.entities')}</legend>
        {entities.length === 0 ? (
          <p class="muted">{i18n.t('editor.noEntities')}</p>
        ) : (
          <ul>
            {entities.map((e) => (
              <li key={e.id} data-entity={e.id}>
                <span>{e.name}</span>
                <button type="button" class="remove" aria-label={`${i18n.t('editor.delete')} ${e.name}`} onClick={() => setEntities(entities.filter((x) => x.id !== e.id))}>
                  ×
                </button>
              </li>
            ))}
          </ul>
        )}
      </fieldset>
      {props.error ? (
        <p class="error" role="alert">
          {props.error}
        </p>
      ) : null}
      <div class="buttons">
        <button type="submit" class="primary" disabled={props.saving}>
          {props.saving ? i18n.t('editor.saving') : i18n.t('editor.save')}
        </button>
        <button type="button" onClick={props.onCancel}>
          {i18n.t('editor.cancel')}
        </button>
        {props.existing && props.onDelete ? (
          <button type="button" class="danger" onClick={props.onDelete}>
            {i18n.t('editor.delete')}
          </button>
        ) : null}
      </div>
    </form>
  );
}

/** The localised message for a failed save, by RPC error code. */
export function saveErrorMessage(code: string, message: string): string {
  if (code === 'quota') return i18n.t('editor.errorQuota');
  if (code === 'db') return i18n.t('editor.errorDb');
  return i18n.t('editor.errorOther', [message]);
}
