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
  /**
   * True when the last save was refused because the note changed elsewhere since the editor opened
   * (RPC error `conflict`): the editor offers to load the latest version (`onLoadLatest`).
   */
  conflict?: boolean;
  onLoadLatest?(): void;
  /**
   * The stored version the caller loaded after a conflict: the fields switch to it, and the user's
   * unsaved text stays shown below with a button that puts it back. Saving then starts from this version.
   */
  latest?: { value: NoteEditorValue; modified: string };
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
  // Compared by content: a parent that rebuilds `initial` on each render (the notes page) must not
  // undo the chips the user removed.
  const initialEntities = props.initial.entities.map((e) => `${e.id}\u0001${e.name}`).join('\u0000');
  useEffect(() => setEntities(props.initial.entities), [initialEntities]);
  // The latest stored version, loaded after a conflict: shown in the fields; the draft is kept aside.
  const [kept, setKept] = useState<{ comment: string; tags: string; entities: EntityRef[] }>();
  useEffect(() => {
    const latest = props.latest?.value;
    if (!latest) return;
    const latestTags = latest.tags.join(', ');
    if (comment !== latest.comment || tags !== latestTags) setKept({ comment, tags, entities });
    setComment(latest.comment);
    setTags(latestTags);
    setEntities(latest.entities);
    // Runs when another version arrives (not on every keystroke): the draft is read at that moment.
  }, [props.latest?.modified]);
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
      {kept ? (
        <div class="kept" data-kept-draft>
          <p class="muted">{i18n.t('editor.keptDraft')}</p>
          <blockquote dir="auto">{kept.comment}</blockquote>
          {kept.tags ? <p dir="auto">{kept.tags}</p> : null}
          <div class="buttons">
            <button
              type="button"
              class="restore-draft"
              onClick={() => {
                setComment(kept.comment);
                setTags(kept.tags);
                setEntities(kept.entities);
                setKept(undefined);
              }}
            >
              {i18n.t('editor.restoreDraft')}
            </button>
          </div>
        </div>
      ) : null}
      {props.error ? (
        <p class="error" role="alert">
          {props.error}
        </p>
      ) : null}
      {props.conflict && props.onLoadLatest ? (
        <div class="buttons">
          <button type="button" class="load-latest" onClick={props.onLoadLatest}>
            {i18n.t('editor.loadLatest')}
          </button>
        </div>
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
  if (code === 'conflict') return i18n.t('editor.conflict');
  return i18n.t('editor.errorOther', [message]);
}
