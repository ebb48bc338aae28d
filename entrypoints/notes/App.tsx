/**
 * The notes manager: every note with search and filters, edit, delete with undo, orphan status;
 * export (Markdown, CSV, JSON Web Annotation) of all notes or of the filter; import; back up
 * everything and restore. Files are written with the lib/notes exporters and saved through an
 * `<a download>` of a blob, which works the same in Chrome and Firefox extension pages.
 */
import { i18n } from '#i18n';
import { saveFile } from '@/components/download';
import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { NoteEditor, saveErrorMessage, type NoteEditorValue } from '@/components/NoteEditor';
import { NoteLine } from '@/components/NoteLine';
import { NotesFilters } from '@/components/NotesFilters';
import { ProblemList } from '@/components/ProblemList';
import type { EntityRef } from '@/lib/messaging/protocol-kb';
import type { ImportProblem, NoteListItem, NotesFilter } from '@/lib/messaging/protocol-notes';
import { call, callResult } from '@/lib/messaging/rpc';
import { backupToJson } from '@/lib/notes/backup';
import { exportCsv } from '@/lib/notes/export-csv';
import { exportJsonLd } from '@/lib/notes/export-jsonld';
import { exportMarkdown, exportMarkdownVault } from '@/lib/notes/export-markdown';
import type { Note } from '@/lib/notes/types';

type Format = 'markdown' | 'csv' | 'json';


const today = () => new Date().toISOString().slice(0, 10);

function hostOf(url: string): string | undefined {
  try {
    return new URL(url).hostname;
  } catch {
    return undefined;
  }
}

async function readFile(input: HTMLInputElement): Promise<string | undefined> {
  const file = input.files?.[0];
  input.value = '';
  return file ? file.text() : undefined;
}

/** The note open in the editor. */
interface Editing {
  id: string;
  /** `modified` of the stored copy the edit started from: sent as `baseModified`, so a stale edit is refused. */
  base: string;
  saving: boolean;
  error?: string;
  /** The last save was refused because the note changed in another tab or window. */
  conflict?: boolean;
  /** The stored version loaded after a conflict (the editor keeps the draft beside it). */
  latest?: { value: NoteEditorValue; modified: string };
}

export function NotesApp() {
  const [all, setAll] = useState<NoteListItem[]>([]);
  const [shown, setShown] = useState<NoteListItem[]>([]);
  const [filter, setFilter] = useState<NotesFilter>({});
  const [names, setNames] = useState<Record<string, EntityRef>>({});
  const [editing, setEditing] = useState<Editing>();
  const [deleted, setDeleted] = useState<Note>();
  const [status, setStatus] = useState<string>();
  const [problems, setProblems] = useState<ImportProblem[]>();
  const [error, setError] = useState<string>();
  const seq = useRef(0);

  const fail = (e: unknown) => setError(e instanceof Error ? e.message : String(e));

  /** Reloads the lists; answers every note (as loaded now) and their entities' names. */
  async function reload(f: NotesFilter = filter): Promise<{ everything: NoteListItem[]; known: Record<string, EntityRef> }> {
    const s = ++seq.current;
    const [everything, filtered] = await Promise.all([call('notes.list', {}), call('notes.list', { filter: f })]);
    const ids = [...new Set(everything.flatMap((n) => n.entities))];
    const known = ids.length > 0 ? await call('kb.names', { ids }) : {};
    if (s === seq.current) {
      setAll(everything);
      setShown(filtered);
      setNames(known);
    }
    return { everything, known };
  }

  useEffect(() => {
    reload().catch(fail);
  }, []);

  const changeFilter = (f: NotesFilter) => {
    setFilter(f);
    reload(f).catch(fail);
  };

  const options = useMemo(() => {
    const tags = new Map<string, string>();
    const sites = new Set<string>();
    const entities = new Set<string>();
    for (const n of all) {
      for (const t of n.tags) if (!tags.has(t.toLowerCase())) tags.set(t.toLowerCase(), t);
      const h = hostOf(n.url);
      if (h) sites.add(h);
      for (const e of n.entities) entities.add(e);
    }
    return {
      tags: [...tags.values()].sort((a, b) => a.localeCompare(b)),
      sites: [...sites].sort(),
      entities: [...entities].map((id) => names[id] ?? { id, name: id, type: 'person' as const }).sort((a, b) => a.name.localeCompare(b.name)),
    };
  }, [all, names]);

  const entityName = (id: string) => names[id]?.name;

  function exportNotes(format: Format, scope: 'all' | 'filtered') {
    const notes: Note[] = (scope === 'all' ? all : shown).map(({ orphaned: _o, ...n }) => n);
    const base = `attache-notes-${today()}`;
    if (format === 'csv') return saveFile(`${base}.csv`, exportCsv(notes, entityName), 'text/csv;charset=utf-8');
    if (format === 'json') return saveFile(`${base}.jsonld`, exportJsonLd(notes, entityName), 'application/ld+json');
    const files = exportMarkdown(notes, entityName);
    if (files.length === 1) return saveFile(files[0]!.path, files[0]!.content, 'text/markdown;charset=utf-8');
    return saveFile(`${base}.zip`, exportMarkdownVault(notes, entityName) as Uint8Array<ArrayBuffer>, 'application/zip');
  }

  async function saveEdit(note: NoteListItem, value: NoteEditorValue) {
    const base = editing?.id === note.id ? editing.base : note.modified;
    setEditing({ ...(editing?.id === note.id ? editing : {}), id: note.id, base, saving: true, error: undefined });
    const r = await callResult('notes.save', {
      note: { id: note.id, baseModified: base, page: note.page, url: note.url, title: note.title, quote: note.quote, position: note.position, comment: value.comment, tags: value.tags, entities: value.entities.map((e) => e.id) },
    });
    // Refused (another tab saved first, the disk is full…): the editor stays open with the draft.
    if (!r.ok) return setEditing((e) => ({ ...e, id: note.id, base, saving: false, error: saveErrorMessage(r.error.code, r.error.message), conflict: r.error.code === 'conflict' }));
    // Reload before closing the editor, so the list never shows the old text in its place.
    await reload();
    setEditing(undefined);
  }

  /** After a conflict: the stored version goes into the editor, which keeps the draft beside it; saving then starts from it. */
  async function loadLatest(id: string) {
    const { everything, known } = await reload();
    const latest = everything.find((n) => n.id === id);
    if (!latest) return setEditing((e) => e && { ...e, conflict: false, error: saveErrorMessage('not-found', 'This note no longer exists (deleted in another window?)') });
    const value = { comment: latest.comment, tags: latest.tags, entities: latest.entities.map((x) => known[x] ?? { id: x, name: x, type: 'person' as const }) };
    setEditing((e) => (e?.id === id ? { ...e, base: latest.modified, conflict: false, error: undefined, latest: { value, modified: latest.modified } } : e));
  }

  async function remove(note: NoteListItem) {
    const r = await callResult('notes.delete', { id: note.id });
    if (!r.ok) return setError(r.error.message);
    setDeleted(r.value);
    setEditing(undefined);
    await reload();
  }

  async function undo() {
    if (!deleted) return;
    const r = await callResult('notes.restore', { note: deleted });
    if (!r.ok) return setError(r.error.message);
    setDeleted(undefined);
    await reload();
  }

  async function importFile(e: Event) {
    const text = await readFile(e.target as HTMLInputElement);
    if (text === undefined) return;
    setProblems(undefined);
    setStatus(undefined);
    const r = await call('notes.import', { text });
    if (!r.ok) return setProblems(r.problems);
    setStatus(i18n.t('notes.importDone', [String(r.added), String(r.merged), String(r.unchanged)]));
    await reload();
  }

  async function backup() {
    const doc = await call('backup.create', {});
    saveFile(`attache-backup-${today()}.json`, backupToJson(doc), 'application/json');
  }

  async function restore(e: Event) {
    const text = await readFile(e.target as HTMLInputElement);
    if (text === undefined) return;
    setProblems(undefined);
    setStatus(undefined);
    const r = await call('backup.restore', { text });
    if (!r.ok) return setProblems(r.problems);
    setStatus(i18n.t('notes.restoreDone', [String(r.notes), String(r.userEntities), String(r.readings), String(r.settings)]));
    await reload();
  }

  const filtered = Object.keys(filter).length > 0;
  return (
    <main>
      <header>
        <h1>{i18n.t('notes.title')}</h1>
        <p class="muted" data-count={shown.length}>
          {i18n.t('notes.count', shown.length)}
        </p>
      </header>
      <NotesFilters filter={filter} entities={options.entities} tags={options.tags} sites={options.sites} onChange={changeFilter} />

      <section class="tools">
        <div>
          <h2>{i18n.t('notes.exportTitle')}</h2>
          {(['all', 'filtered'] as const).map((scope) => (
            <p key={scope} class="export-row" data-scope={scope}>
              <span>{scope === 'all' ? i18n.t('notes.exportAll') : i18n.t('notes.exportFiltered')}</span>
              {(['markdown', 'csv', 'json'] as const).map((f) => (
                <button key={f} type="button" data-format={f} disabled={(scope === 'all' ? all : shown).length === 0 || (scope === 'filtered' && !filtered)} onClick={() => exportNotes(f, scope)}>
                  {f === 'markdown' ? i18n.t('notes.exportMarkdown') : f === 'csv' ? i18n.t('notes.exportCsv') : i18n.t('notes.exportJson')}
                </button>
              ))}
            </p>
          ))}
          <label class="file-button">
            {i18n.t('notes.import')}
            <input type="file" name="import" accept=".json,.jsonld,application/json,application/ld+json" onChange={(e) => void importFile(e).catch(fail)} />
          </label>
        </div>
        <div>
          <h2>{i18n.t('notes.backupTitle')}</h2>
          <p class="muted">{i18n.t('notes.backupHint')}</p>
          <button type="button" class="backup" onClick={() => void backup().catch(fail)}>
            {i18n.t('notes.backup')}
          </button>{' '}
          <label class="file-button">
            {i18n.t('notes.restore')}
            <input type="file" name="restore" accept=".json,application/json" onChange={(e) => void restore(e).catch(fail)} />
          </label>
        </div>
      </section>

      {status ? (
        <p class="status" role="status">
          {status}
        </p>
      ) : null}
      {problems ? <ProblemList problems={problems} /> : null}
      {error ? (
        <p class="error" role="alert">
          {error}
        </p>
      ) : null}
      {deleted ? (
        <p class="toast" role="status">
          {i18n.t('notes.deleted')}{' '}
          <button type="button" class="undo" onClick={() => void undo()}>
            {i18n.t('notes.undo')}
          </button>
        </p>
      ) : null}

      <section class="list">
        {all.length === 0 ? <p class="muted">{i18n.t('notes.empty')}</p> : shown.length === 0 ? <p class="muted">{i18n.t('notes.noMatch')}</p> : null}
        {shown.map((n) =>
          editing?.id === n.id ? (
            <div class="note editing" key={n.id} data-note={n.id}>
              <NoteEditor
                quote={n.quote.exact}
                initial={{ comment: n.comment, tags: n.tags, entities: n.entities.map((id) => names[id] ?? { id, name: id, type: 'person' }) }}
                existing
                saving={editing.saving}
                error={editing.error}
                conflict={editing.conflict}
                onLoadLatest={() => void loadLatest(n.id).catch(fail)}
                latest={editing.latest}
                onSave={(v) => void saveEdit(n, v)}
                onCancel={() => setEditing(undefined)}
                onDelete={() => void remove(n)}
              />
            </div>
          ) : (
            <NoteLine key={n.id} note={n} showPage>
              <p class="entities">
                {n.entities.map((id) => (
                  <span class="chip" key={id}>
                    {names[id]?.name ?? id}
                  </span>
                ))}
              </p>
              <p class="actions">
                <button type="button" class="edit" onClick={() => setEditing({ id: n.id, base: n.modified, saving: false })}>
                  {i18n.t('notes.edit')}
                </button>
                <button type="button" class="delete" onClick={() => void remove(n)}>
                  {i18n.t('notes.delete')}
                </button>
              </p>
            </NoteLine>
          ),
        )}
      </section>
    </main>
  );
}
