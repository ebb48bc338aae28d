/**
 * The in-page part of notes: the "Annotate" button on a selection, the note editor, the note
 * highlights and re-anchoring.
 *
 * Note highlights are drawn in an overlay inside a closed shadow root (overlay.ts), never in the
 * page's shared `CSS.highlights` registry, where the page's scripts could read which passages the
 * reader annotated. The Range objects stay in this (isolated) world.
 *
 * On load the page's notes are re-anchored (lib/notes/anchor.ts) against the page text; notes that
 * cannot be found yet are retried when the page changes (live blogs, "show more"), and whatever is
 * still missing is reported as orphaned — the note is kept and listed, never dropped.
 *
 * Runs in the notes UI script (entrypoints/notes-ui.ts), which the background injects only where it is
 * needed (bridge.ts); everything is torn down when `signal` aborts.
 */
import { i18n } from '#i18n';
import { render } from 'preact';
import { browser } from 'wxt/browser';
import { NoteEditor, saveErrorMessage, type NoteEditorValue } from '@/components/NoteEditor';
import type { EntityRef } from '../../messaging/protocol-kb';
import type { NoteDraft, NoteListItem, NotesTabMessage, PageTextAnswer } from '../../messaging/protocol-notes';
import { call, callResult } from '../../messaging/rpc';
import { reanchor } from '../../notes/anchor';
import { describeQuote } from '../../notes/describe';
import { pageIdentity } from '../../notes/page-identity';
import type { Note } from '../../notes/types';
import { extractText, isInsideSkipped, type ExtractedText } from '../extract';
import type { EntityHighlight, NotesHosts } from './bridge';
import { offsetsToRange, rangeToOffsets } from './offsets';
import { createNoteOverlay, type Box } from './overlay';
import { NOTES_UI_CSS } from './styles';

/** Page changes are batched: re-anchoring waits for this long after the last one. */
const MUTATION_DEBOUNCE_MS = 400;

export interface NotesOptions {
  signal: AbortSignal;
  /** The empty shadow hosts the content script made on every page (bridge.ts). */
  hosts: NotesHosts;
  /**
   * The entity highlights the reading code drew (its matcher spans, role mentions included): those
   * inside a selection are linked to the note. Names it did not draw are looked up in the KB too.
   */
  highlights?(): readonly EntityHighlight[];
}

export interface NotesController {
  /**
   * Opens the editor on `range` or else the current selection (hover card "Add note" passes the
   * mention's range and entity id; context menu and shortcut pass nothing).
   */
  compose(options?: { entityId?: string; exact?: string; range?: Range }): Promise<void>;
}

interface Editing {
  draft: Omit<NoteDraft, 'comment' | 'tags' | 'entities' | 'baseModified'>;
  value: NoteEditorValue;
  /** The stored note being edited, as last loaded: its `modified` is the save's `baseModified`. */
  existing?: NoteListItem;
  saving: boolean;
  error?: string;
  /** The last save was refused because another tab changed the note: offer its latest version. */
  conflict?: boolean;
  /** The latest version, loaded after a conflict (the editor keeps the draft beside it). */
  latest?: { value: NoteEditorValue; modified: string };
}

/**
 * Test hook in the content script's isolated world (page scripts cannot see it), like `__attache`:
 * what the overlay drew, and the editor's state.
 */
export interface NotesProbe {
  drawn(): { id: string; text: string; boxes: number; rects: Box[] }[];
  editing(): { id?: string; error?: string; conflict: boolean } | undefined;
  /** The closed shadow root of the button and editor, for tests to press buttons in it. */
  ui(): ShadowRoot;
}

/** True when two ranges share at least one character. */
export function overlaps(a: Range, b: Range): boolean {
  try {
    return a.compareBoundaryPoints(Range.START_TO_END, b) > 0 && a.compareBoundaryPoints(Range.END_TO_START, b) < 0;
  } catch {
    return false; // ranges in different documents
  }
}

function currentIdentity(): string | undefined {
  const canonical = document.querySelector('link[rel~="canonical" i]')?.getAttribute('href');
  try {
    return pageIdentity(location.href, canonical);
  } catch {
    return undefined; // not an http(s) page: no notes here
  }
}

export function startNotes(options: NotesOptions): NotesController {
  const { signal } = options;
  let page = currentIdentity();
  let notes: NoteListItem[] = [];
  const ranges = new Map<string, Range>();
  let editing: Editing | undefined;
  let notice: string | undefined;

  // ---- own UI: one shadow host for the button and the editor --------------------------------
  const { host, shadow } = options.hosts.ui;
  if (!host.isConnected) document.documentElement.append(host);
  const style = document.createElement('style');
  style.textContent = NOTES_UI_CSS;
  const mount = document.createElement('div');
  mount.setAttribute('dir', i18n.t('ui.dir')); // the bundle's own direction (locales/*.yml `ui`)
  mount.lang = i18n.t('ui.lang');
  shadow.append(style, mount);

  const overlay = createNoteOverlay(options.hosts.marks, document, window);

  let buttonAt: { x: number; y: number } | undefined;

  function draw() {
    render(
      <>
        {buttonAt && !editing ? (
          <button
            type="button"
            class="annotate"
            style={{ left: `${buttonAt.x}px`, top: `${buttonAt.y}px` }}
            onMouseDown={(e) => e.preventDefault() /* keep the selection */}
            onClick={() => void compose({})}
          >
            {i18n.t('editor.annotate')}
          </button>
        ) : null}
        {notice && !editing ? (
          <div class="panel" role="status">
            <p class="notice">{notice}</p>
            <div class="buttons">
              <button type="button" onClick={() => ((notice = undefined), draw())}>
                {i18n.t('editor.close')}
              </button>
            </div>
          </div>
        ) : null}
        {editing ? (
          <div class="panel">
            <NoteEditor
              key={editing.existing?.id ?? `${editing.draft.position.start}-${editing.draft.position.end}`}
              quote={editing.draft.quote.exact}
              initial={editing.value}
              existing={editing.existing !== undefined}
              saving={editing.saving}
              error={editing.error}
              conflict={editing.conflict}
              onLoadLatest={() => void loadLatest()}
              latest={editing.latest}
              onSave={(v) => void save(v)}
              onCancel={() => ((editing = undefined), draw())}
              onDelete={() => void remove()}
            />
          </div>
        ) : null}
      </>,
      mount,
    );
  }

  // ---- anchoring -----------------------------------------------------------------------------
  let extracted: ExtractedText | undefined;
  const pageText = (): ExtractedText => (extracted ??= extractText(document.body));

  function paint() {
    overlay.show(ranges);
  }

  /** A range still holds the text it was anchored to (the page may have replaced its nodes). */
  function stillValid(note: Note, r: Range): boolean {
    return !r.collapsed && r.startContainer.isConnected && r.toString().length > 0 && note.quote.exact.length > 0;
  }

  let reported = '';
  async function anchorAll(): Promise<void> {
    if (!page || notes.length === 0) return; // most pages have no notes: do not even read the text
    extracted = undefined;
    const text = pageText();
    const anchored: string[] = [];
    const orphaned: string[] = [];
    for (const note of notes) {
      const old = ranges.get(note.id);
      if (old && stillValid(note, old)) {
        anchored.push(note.id);
        continue;
      }
      ranges.delete(note.id);
      const a = reanchor(text.text, note);
      const r = a ? offsetsToRange(text, a.start, a.end) : null;
      if (r) {
        ranges.set(note.id, r);
        anchored.push(note.id);
      } else orphaned.push(note.id);
    }
    paint();
    const key = `${anchored.join()}|${orphaned.join()}`;
    if (key !== reported && notes.length > 0) {
      reported = key;
      await callResult('notes.anchored', { page, anchored, orphaned });
    }
  }

  async function load(): Promise<void> {
    page = currentIdentity();
    ranges.clear();
    notes = page ? await call('notes.forPage', { page }) : [];
    await anchorAll();
  }

  // Late content: re-anchor after the page settles, only when something is missing or broke.
  let timer: ReturnType<typeof setTimeout> | undefined;
  const observer = new MutationObserver((records) => {
    if (records.every((r) => r.target === host || (r.target instanceof Node && isInsideSkipped(r.target)))) return;
    extracted = undefined;
    if (timer) clearTimeout(timer);
    timer = setTimeout(() => {
      const missing = notes.some((n) => {
        const r = ranges.get(n.id);
        return !r || !stillValid(n, r);
      });
      if (missing) void anchorAll();
    }, MUTATION_DEBOUNCE_MS);
  });
  observer.observe(document.body, { childList: true, subtree: true, characterData: true });

  // SPA navigation: a new identity means other notes.
  let lastHref = location.href;
  const navCheck = setInterval(() => {
    if (location.href !== lastHref) {
      lastHref = location.href;
      if (currentIdentity() !== page) void load();
    }
  }, 1000);

  // ---- composing -----------------------------------------------------------------------------
  function selectionRange(): Range | undefined {
    const sel = document.getSelection();
    if (!sel || sel.rangeCount === 0 || sel.isCollapsed) return undefined;
    const r = sel.getRangeAt(0);
    if (host.contains(r.commonAncestorContainer) || isInsideSkipped(r.commonAncestorContainer)) return undefined;
    return r;
  }

  async function linkedEntities(range: Range, exact: string, entityId?: string): Promise<EntityRef[]> {
    const found = new Map<string, EntityRef>();
    for (const h of options.highlights?.() ?? []) {
      if (!found.has(h.id) && overlaps(range, h.range)) found.set(h.id, { id: h.id, name: h.name, type: h.type });
    }
    const r = await callResult('kb.entitiesIn', { text: exact });
    if (r.ok) for (const e of r.value) if (!found.has(e.id)) found.set(e.id, e);
    if (entityId && !found.has(entityId)) {
      const h = options.highlights?.().find((x) => x.id === entityId);
      found.set(entityId, h ? { id: h.id, name: h.name, type: h.type } : { id: entityId, name: entityId, type: 'person' });
    }
    return [...found.values()];
  }

  /** The occurrence of `exact` nearest to where the pointer last was (the mention the hover card was for). */
  function mentionNearPointer(exact: string): Range | undefined {
    const text = pageText();
    let best: { range: Range; d: number } | undefined;
    let count = 0;
    for (let i = text.text.indexOf(exact); i !== -1 && count < 500; i = text.text.indexOf(exact, i + 1), count++) {
      const r = offsetsToRange(text, i, i + exact.length);
      if (!r) continue;
      const box = r.getBoundingClientRect();
      const d = Math.hypot(box.left + box.width / 2 - pointer.x, box.top + box.height / 2 - pointer.y);
      if (!best || d < best.d) best = { range: r, d };
    }
    return best?.range;
  }

  async function compose({ entityId, exact, range: given }: { entityId?: string; exact?: string; range?: Range } = {}): Promise<void> {
    if (!page) return;
    const range = given ?? selectionRange() ?? (exact ? mentionNearPointer(exact) : undefined);
    if (!range) {
      notice = i18n.t('editor.noSelection');
      buttonAt = undefined;
      draw();
      return;
    }
    const text = pageText();
    const offsets = rangeToOffsets(text, range, document.body);
    if (!offsets) return;
    const { quote, position } = describeQuote(text.text, offsets.start, offsets.end);
    buttonAt = undefined;
    notice = undefined;
    editing = {
      draft: { page, url: location.href, title: document.title, quote, position },
      value: { comment: '', tags: [], entities: [] },
      saving: false,
    };
    draw();
    const entities = await linkedEntities(range, quote.exact, entityId);
    if (editing && editing.existing === undefined && editing.draft.quote === quote) {
      editing.value = { ...editing.value, entities };
      draw();
    }
  }

  function edit(note: NoteListItem, entities: EntityRef[]) {
    editing = {
      draft: { page: note.page, url: note.url, title: note.title, quote: note.quote, position: note.position },
      value: { comment: note.comment, tags: note.tags, entities },
      existing: note,
      saving: false,
    };
    buttonAt = undefined;
    draw();
  }

  async function save(value: NoteEditorValue): Promise<void> {
    if (!editing) return;
    const current = editing;
    current.saving = true;
    current.error = undefined;
    current.value = value;
    draw();
    const draft: NoteDraft = {
      ...current.draft,
      ...(current.existing ? { id: current.existing.id, baseModified: current.existing.modified } : {}),
      comment: value.comment,
      tags: value.tags,
      entities: value.entities.map((e) => e.id),
    };
    const r = await callResult('notes.save', { note: draft });
    if (!r.ok) {
      // Keep the draft: the editor stays open with the user's text and says what went wrong.
      current.saving = false;
      current.error = saveErrorMessage(r.error.code, r.error.message);
      current.conflict = r.error.code === 'conflict';
      draw();
      return;
    }
    const stored: NoteListItem = { ...r.value, orphaned: false };
    notes = [...notes.filter((n) => n.id !== stored.id), stored];
    const text = pageText();
    const range = offsetsToRange(text, stored.position.start, stored.position.end);
    if (range) ranges.set(stored.id, range);
    paint();
    editing = undefined;
    document.getSelection()?.removeAllRanges();
    draw();
  }

  /** The entities of a stored note, named (the KB knows them; unknown ids keep their id as name). */
  async function entityRefs(note: Note): Promise<EntityRef[]> {
    const found = await callResult('kb.entitiesIn', { text: note.quote.exact }).catch(() => undefined); // background unreachable: ids only
    const known = found?.ok ? found.value : [];
    return note.entities.map((id) => known.find((f) => f.id === id) ?? { id, name: id, type: 'person' as const });
  }

  /** After a conflict: fetch the stored version; the editor shows it and keeps the draft beside it. */
  async function loadLatest(): Promise<void> {
    const current = editing;
    const id = current?.existing?.id;
    if (!current || !id || !page) return;
    const r = await callResult('notes.forPage', { page: current.draft.page }).catch((e: unknown) => ({ ok: false as const, error: { code: 'internal' as const, message: String(e) } }));
    if (editing !== current) return;
    const latest = r.ok ? r.value.find((n) => n.id === id) : undefined;
    if (!latest) {
      current.error = saveErrorMessage(r.ok ? 'not-found' : r.error.code, r.ok ? 'This note no longer exists (deleted in another window?)' : r.error.message);
      current.conflict = false;
      draw();
      return;
    }
    notes = [...notes.filter((n) => n.id !== id), latest];
    current.existing = latest;
    current.latest = { value: { comment: latest.comment, tags: latest.tags, entities: await entityRefs(latest) }, modified: latest.modified };
    current.conflict = false;
    current.error = undefined;
    if (editing === current) draw();
  }

  async function remove(): Promise<void> {
    const note = editing?.existing;
    if (!note || !editing) return;
    const current = editing;
    const r = await callResult('notes.delete', { id: note.id });
    if (!r.ok && r.error.code !== 'not-found') {
      current.error = saveErrorMessage(r.error.code, r.error.message);
      draw();
      return;
    }
    notes = notes.filter((n) => n.id !== note.id);
    ranges.delete(note.id);
    paint();
    editing = undefined;
    draw();
  }

  // ---- events ------------------------------------------------------------------------------
  const on = <K extends keyof DocumentEventMap>(type: K, fn: (e: DocumentEventMap[K]) => void) =>
    document.addEventListener(type, fn, { signal, passive: true });

  const pointer = { x: 0, y: 0 };
  document.addEventListener('pointermove', (e) => ((pointer.x = e.clientX), (pointer.y = e.clientY)), { signal, passive: true });

  /** Shows the Annotate button after the current selection, or hides it when there is none. */
  function offerAnnotate() {
    const r = selectionRange();
    if (!r || editing) {
      if (buttonAt) ((buttonAt = undefined), draw());
      return;
    }
    const rects = r.getClientRects();
    const last = rects[rects.length - 1] ?? r.getBoundingClientRect();
    const rtl = getComputedStyle(r.endContainer.parentElement ?? document.body).direction === 'rtl';
    buttonAt = { x: Math.max(4, Math.min(window.innerWidth - 110, rtl ? last.left - 100 : last.right + 4)), y: Math.max(4, Math.min(window.innerHeight - 36, last.bottom + 6)) };
    draw();
  }

  on('mouseup', (e) => {
    if (e.composedPath().includes(host)) return;
    setTimeout(offerAnnotate, 0); // after the browser has updated the selection
  });

  on('click', (e) => {
    if (e.composedPath().includes(host) || editing) return;
    const sel = document.getSelection();
    if (sel && !sel.isCollapsed) return;
    const hit = noteAt(e.clientX, e.clientY);
    if (hit) void entityRefs(hit).then((refs) => edit(hit, refs));
  });

  on('keydown', (e) => {
    if (e.key === 'Escape' && (editing || notice)) {
      editing = undefined;
      notice = undefined;
      draw();
    }
  });

  function noteAt(x: number, y: number): NoteListItem | undefined {
    const doc = document as Document & { caretPositionFromPoint?(x: number, y: number): { offsetNode: Node; offset: number } | null };
    let node: Node | undefined;
    let offset = 0;
    const pos = doc.caretPositionFromPoint?.(x, y);
    if (pos) ((node = pos.offsetNode), (offset = pos.offset));
    else {
      const r = document.caretRangeFromPoint?.(x, y);
      if (r) ((node = r.startContainer), (offset = r.startOffset));
    }
    if (!node) return undefined;
    for (const n of notes) {
      const r = ranges.get(n.id);
      try {
        if (r && r.isPointInRange(node, offset) && r.comparePoint(node, offset) === 0 && !(r.endContainer === node && r.endOffset === offset)) return n;
      } catch {
        /* node in another document or a doctype: not in the range */
      }
    }
    return undefined;
  }

  // Where the notes UI does not run, the content script answers `page-text` (without `page`).
  const onMessage = (message: unknown): Promise<PageTextAnswer | true> | undefined => {
    const m = message as NotesTabMessage | undefined;
    if (!m || typeof m !== 'object' || typeof m.attacheNotes !== 'string') return undefined;
    if (m.attacheNotes === 'compose') return compose({ ...(m.entityId ? { entityId: m.entityId } : {}), ...(m.exact ? { exact: m.exact } : {}) }).then(() => true as const);
    if (m.attacheNotes === 'page-text') {
      return Promise.resolve({ url: location.href, ...(page ? { page } : {}), lang: document.documentElement.lang || '', text: pageText().text });
    }
    if (m.attacheNotes === 'show') {
      const r = ranges.get(m.noteId);
      r?.startContainer.parentElement?.scrollIntoView({ block: 'center' });
      if (r) requestAnimationFrame(() => (overlay.invalidate(), requestAnimationFrame(() => overlay.flash(m.noteId))));
      return Promise.resolve(true as const);
    }
    return undefined;
  };
  browser.runtime.onMessage.addListener(onMessage);

  const probe: NotesProbe = {
    drawn: () => [...overlay.drawn()].map(([id, rects]) => ({ id, text: ranges.get(id)?.toString() ?? '', boxes: rects.length, rects })),
    ui: () => shadow,
    editing: () => (editing ? { ...(editing.existing ? { id: editing.existing.id } : {}), ...(editing.error ? { error: editing.error } : {}), conflict: editing.conflict === true } : undefined),
  };
  (globalThis as { __attacheNotes?: NotesProbe }).__attacheNotes = probe;

  signal.addEventListener('abort', () => {
    observer.disconnect();
    clearInterval(navCheck);
    if (timer) clearTimeout(timer);
    browser.runtime.onMessage.removeListener(onMessage);
    overlay.destroy();
    const g = globalThis as { __attacheNotes?: NotesProbe };
    if (g.__attacheNotes === probe) delete g.__attacheNotes;
    render(null, mount);
    mount.remove();
    style.remove();
  });

  void load().catch((e) => console.warn('[attache] notes could not be loaded', e));
  draw();
  // Loaded because the reader selected text (bridge.ts): offer the button for that selection now.
  offerAnnotate();
  return { compose };
}
