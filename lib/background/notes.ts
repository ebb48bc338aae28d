/**
 * Notes in the background: create, edit, list, delete with undo, anchoring status, import and
 * backup. Every write is one Dexie transaction, so a failure (quota, a closed database) leaves
 * nothing half-written and reaches the editor as a `quota` / `db` RPC error (see router.ts).
 *
 * Also wires the two ways to start a note besides the in-page button: the context menu on a
 * selection and the keyboard shortcut (manifest command `annotate-selection`); both ask the tab's
 * notes code to open its editor.
 *
 * The in-page notes code is not in the content script that runs on every page (its size budget):
 * it is injected here (`scripting.executeScript`, entrypoints/notes-ui.ts) into a frame whose page
 * has notes, where the reader selected text, or before a note is started (lib/page/notes/bridge.ts).
 */
import { browser } from 'wxt/browser';
import { i18n } from '#i18n';
import type { AttacheDB } from '../kb/db';
import type { ImportAnswer, NotesProtocol, NoteDraft, NotesFilter, NoteListItem, NotesTabMessage, RestoreAnswer } from '../messaging/protocol-notes';
import { RpcFailure } from '../messaging/rpc';
import type { Note, TextPositionSelector, TextQuoteSelector } from '../notes/types';
import { pageIdentity } from '../notes/page-identity';
import { buildBackup, parseBackup, type BackupDocument } from '../notes/backup';
import { mergeNotes as planMerge, parseAnnotationCollection } from '../notes/import';
import { LIMITS as NOTE_LIMITS } from '../notes/note-validation';
import type { BackgroundContext } from './context';
import { fold } from './kb-index';
import { isNotesUiRequest, NOTES_UI_FILE, type NotesUiRequest } from '../page/notes/bridge';
import { isExtensionPage, type Feature, type Sender } from './router';
import { bool, int, obj, str, strList, type Obj } from './validate-params';

/** `meta` row holding the ids of notes whose quote was not found on their page's last visit. */
export const ORPHANS_KEY = 'notes.orphaned';
export const CONTEXT_MENU_ID = 'attache-annotate';
export const ANNOTATE_COMMAND = 'annotate-selection';

/** The same caps as imported files (lib/notes/note-validation.ts), so a stored note always round-trips. */
const LIMITS = { quote: NOTE_LIMITS.quote, context: NOTE_LIMITS.context, comment: NOTE_LIMITS.comment, tags: NOTE_LIMITS.tagsPerNote, tag: NOTE_LIMITS.tag, entities: NOTE_LIMITS.entitiesPerNote, url: NOTE_LIMITS.url, title: NOTE_LIMITS.title } as const;

export async function orphanIds(db: AttacheDB): Promise<Set<string>> {
  const row = await db.meta.get(ORPHANS_KEY);
  return new Set(Array.isArray(row?.value) ? (row.value as string[]) : []);
}

export async function listItems(db: AttacheDB, notes: Note[]): Promise<NoteListItem[]> {
  const orphans = await orphanIds(db);
  return notes.map((n) => ({ ...n, orphaned: orphans.has(n.id) }));
}

function newId(): string {
  return `urn:uuid:${crypto.randomUUID()}`;
}

/** Tags as the user typed them, trimmed, without duplicates (case-insensitively), in order. */
export function cleanTags(tags: readonly string[]): string[] {
  const seen = new Set<string>();
  const out: string[] = [];
  for (const raw of tags) {
    const t = raw.replace(/\s+/g, ' ').trim();
    if (t === '' || seen.has(t.toLowerCase())) continue;
    seen.add(t.toLowerCase());
    out.push(t);
  }
  return out;
}

export const CONFLICT_MESSAGE = 'This note was changed in another tab or window after you started editing it; saving would replace that change. Load the latest version, then save again.';

/**
 * `modified` of a new version: now, but always after the previous version's, so that two saves in
 * the same millisecond still give different stamps (the conflict check compares them).
 */
function nextStamp(now: Date, previous: string | undefined): string {
  const before = previous === undefined ? NaN : Date.parse(previous);
  return new Date(Number.isNaN(before) ? now.getTime() : Math.max(now.getTime(), before + 1)).toISOString();
}

/**
 * Creates or updates a note in one transaction; `created` of an existing note is kept. An edit made
 * from a copy that is no longer the stored one (`baseModified` differs: another tab saved in
 * between) is refused with `conflict`, so two tabs never silently overwrite each other.
 */
export async function saveNote(db: AttacheDB, draft: NoteDraft, now = new Date()): Promise<Note> {
  return db.transaction('rw', db.notes, async () => {
    const old = draft.id ? await db.notes.get(draft.id) : undefined;
    if (draft.id && !old) throw new RpcFailure('not-found', 'This note no longer exists (deleted in another window?)', 'params.note.id');
    if (old && draft.baseModified !== undefined && draft.baseModified !== old.modified) throw new RpcFailure('conflict', CONFLICT_MESSAGE, 'params.note.baseModified');
    const stamp = nextStamp(now, old?.modified);
    const note: Note = {
      id: old?.id ?? newId(),
      page: draft.page,
      url: draft.url,
      title: draft.title,
      quote: draft.quote,
      position: draft.position,
      comment: draft.comment,
      tags: cleanTags(draft.tags),
      entities: [...new Set(draft.entities)],
      created: old?.created ?? stamp,
      modified: stamp,
    };
    await db.notes.put(note);
    return note;
  });
}

function matchesFilter(n: Note, f: NotesFilter, orphans: Set<string>): boolean {
  if (f.page !== undefined && n.page !== f.page) return false;
  if (f.entity !== undefined && !n.entities.includes(f.entity)) return false;
  if (f.tag !== undefined && !n.tags.some((t) => t.toLowerCase() === f.tag!.toLowerCase())) return false;
  if (f.site !== undefined) {
    let host = '';
    try {
      host = new URL(n.url).hostname;
    } catch {
      /* unparseable: matches no site */
    }
    if (host !== f.site.toLowerCase()) return false;
  }
  if (f.from !== undefined && n.created.slice(0, 10) < f.from) return false;
  if (f.to !== undefined && n.created.slice(0, 10) > f.to) return false;
  if (f.orphaned !== undefined && orphans.has(n.id) !== f.orphaned) return false;
  if (f.text !== undefined && f.text.trim() !== '') {
    const hay = fold([n.quote.exact, n.comment, n.title, n.tags.join(' ')].join(' '));
    if (!fold(f.text).split(' ').every((t) => hay.includes(t))) return false;
  }
  return true;
}

export async function listNotes(db: AttacheDB, filter: NotesFilter = {}): Promise<NoteListItem[]> {
  const orphans = await orphanIds(db);
  const base = filter.page !== undefined ? db.notes.where('page').equals(filter.page) : db.notes.toCollection();
  const notes = (await base.toArray()).filter((n) => matchesFilter(n, filter, orphans));
  notes.sort((a, b) => b.created.localeCompare(a.created) || a.id.localeCompare(b.id));
  return notes.map((n) => ({ ...n, orphaned: orphans.has(n.id) }));
}

export async function deleteNote(db: AttacheDB, id: string): Promise<Note> {
  return db.transaction('rw', db.notes, db.meta, async () => {
    const note = await db.notes.get(id);
    if (!note) throw new RpcFailure('not-found', 'This note no longer exists', 'params.id');
    await db.notes.delete(id);
    const orphans = await orphanIds(db);
    if (orphans.delete(id)) await db.meta.put({ key: ORPHANS_KEY, value: [...orphans] });
    return note;
  });
}

/** Records which notes of a page were found; only notes of that page change status. */
export async function recordAnchoring(db: AttacheDB, page: string, anchored: readonly string[], orphaned: readonly string[]): Promise<void> {
  await db.transaction('rw', db.notes, db.meta, async () => {
    const ofPage = new Set((await db.notes.where('page').equals(page).primaryKeys()) as string[]);
    const orphans = await orphanIds(db);
    for (const id of anchored) if (ofPage.has(id)) orphans.delete(id);
    for (const id of orphaned) if (ofPage.has(id)) orphans.add(id);
    await db.meta.put({ key: ORPHANS_KEY, value: [...orphans] });
  });
}

/**
 * Writes already-validated notes in one transaction, merged by id: a new id is added, a stored note
 * is replaced only by a strictly newer `modified` (lib/notes/import.ts `mergeNotes`). Nothing is
 * written if any write fails.
 */
export async function writeNotes(db: AttacheDB, notes: readonly Note[]): Promise<{ added: number; merged: number; unchanged: number }> {
  return db.transaction('rw', db.notes, async () => {
    const existing = (await db.notes.bulkGet(notes.map((n) => n.id))).filter((n): n is Note => n !== undefined);
    const plan = planMerge(existing, notes);
    await db.notes.bulkPut(plan.put);
    return { added: plan.added, merged: plan.updated, unchanged: plan.skip.length };
  });
}

/** Imports the text of a JSON export: validated completely before one write transaction. */
export async function importNotes(db: AttacheDB, text: string): Promise<ImportAnswer> {
  const parsed = parseAnnotationCollection(text);
  if ('problems' in parsed) return { ok: false, problems: parsed.problems };
  return { ok: true, ...(await writeNotes(db, parsed.notes)) };
}

/** Everything the user made, as a backup document. */
export async function createBackup(db: AttacheDB, now = new Date()): Promise<BackupDocument> {
  return db.transaction('r', [db.notes, db.userEntities, db.userEvents, db.readings, db.settings], async () => {
    const [notes, userEntities, userEvents, readings, settings] = await Promise.all([
      db.notes.toArray(),
      db.userEntities.toArray(),
      db.userEvents.toArray(),
      db.readings.orderBy('visitedAt').toArray(),
      db.settings.toArray(),
    ]);
    return buildBackup({ notes, userEntities, userEvents, readings, settings: Object.fromEntries(settings.map((r) => [r.key, r.value])) }, now);
  });
}

const newer = (a: { modified: string }, b: { modified: string } | undefined) => !b || Date.parse(a.modified) > Date.parse(b.modified);

/**
 * Restores a backup file's text: validated first (user entities against the bundled KB's ids), then
 * merged by id in one transaction — notes and user records keep the newer copy, readings already
 * in the log (same page and time) are not doubled, settings from the file win.
 */
export async function restoreBackup(db: AttacheDB, text: string): Promise<RestoreAnswer> {
  const knownEntityIds = new Set((await db.entities.toCollection().primaryKeys()) as string[]);
  const parsed = parseBackup(text, { knownEntityIds });
  if ('problems' in parsed) return { ok: false, problems: parsed.problems };
  const b = parsed.backup;
  return db.transaction('rw', [db.notes, db.userEntities, db.userEvents, db.readings, db.settings], async () => {
    const notes = await writeNotes(db, b.notes);
    const oldEntities = await db.userEntities.bulkGet(b.userEntities.map((e) => e.id));
    const entities = b.userEntities.filter((e, i) => newer(e, oldEntities[i]));
    await db.userEntities.bulkPut(entities);
    const oldEvents = await db.userEvents.bulkGet(b.userEvents.map((e) => e.id));
    await db.userEvents.bulkPut(b.userEvents.filter((e, i) => newer(e, oldEvents[i])));
    const have = new Set((await db.readings.toArray()).map((r) => `${r.url}\u0000${r.visitedAt}`));
    const readings = b.readings
      .filter((r) => !have.has(`${r.url}\u0000${r.visitedAt}`))
      .map((r) => ({ page: r.page ?? safePageIdentity(r.url) ?? r.url, url: r.url, title: r.title, visitedAt: r.visitedAt, entities: r.entities }));
    await db.readings.bulkAdd(readings);
    const settings = Object.entries(b.settings).map(([key, value]) => ({ key, value }));
    await db.settings.bulkPut(settings);
    return { ok: true as const, notes: notes.added + notes.merged, userEntities: entities.length, readings: readings.length, settings: settings.length };
  });
}

// ---- validation of untrusted params --------------------------------------------------------

function quoteSelector(v: unknown, path: string): TextQuoteSelector {
  const o = obj(v, path);
  if (o.type !== 'TextQuoteSelector') throw new RpcFailure('invalid', `${path}.type must be TextQuoteSelector`, `${path}.type`);
  const exact = str(o, 'exact', { max: LIMITS.quote, path });
  if (exact.length === 0) throw new RpcFailure('invalid', `${path}.exact is empty`, `${path}.exact`);
  return { type: 'TextQuoteSelector', exact, prefix: str(o, 'prefix', { max: LIMITS.context, path }), suffix: str(o, 'suffix', { max: LIMITS.context, path }) };
}

function positionSelector(v: unknown, path: string): TextPositionSelector {
  const o = obj(v, path);
  if (o.type !== 'TextPositionSelector') throw new RpcFailure('invalid', `${path}.type must be TextPositionSelector`, `${path}.type`);
  const start = int(o, 'start', { path });
  const end = int(o, 'end', { path });
  if (end < start) throw new RpcFailure('invalid', `${path}.end is before ${path}.start`, `${path}.end`);
  return { type: 'TextPositionSelector', start, end };
}

function httpUrl(o: Obj, key: string, path: string): string {
  const v = str(o, key, { max: LIMITS.url, path });
  if (!/^https?:\/\//i.test(v)) throw new RpcFailure('invalid', `${path}.${key} must be an http(s) address`, `${path}.${key}`);
  return v;
}

export function validateDraft(v: unknown, path = 'params.note'): NoteDraft {
  const o = obj(v, path);
  const id = str(o, 'id', { max: 200, optional: true, path });
  const baseModified = str(o, 'baseModified', { max: 40, optional: true, path });
  if (baseModified !== undefined && (id === undefined || Number.isNaN(Date.parse(baseModified)))) {
    throw new RpcFailure('invalid', `${path}.baseModified must be the ISO date-time of the edited note`, `${path}.baseModified`);
  }
  return {
    ...(id !== undefined ? { id } : {}),
    ...(baseModified !== undefined ? { baseModified } : {}),
    page: httpUrl(o, 'page', path),
    url: httpUrl(o, 'url', path),
    title: str(o, 'title', { max: LIMITS.title, path }),
    quote: quoteSelector(o.quote, `${path}.quote`),
    position: positionSelector(o.position, `${path}.position`),
    comment: str(o, 'comment', { max: LIMITS.comment, path }),
    tags: strList(o, 'tags', { maxItems: LIMITS.tags, maxLength: LIMITS.tag, path }),
    entities: strList(o, 'entities', { maxItems: LIMITS.entities, maxLength: 200, path }),
  };
}

function validateNote(v: unknown, path = 'params.note'): Note {
  const o = obj(v, path);
  const { baseModified: _base, ...draft } = validateDraft(v, path); // a restored note is stored as it was
  const id = str(o, 'id', { max: 200, path });
  const created = str(o, 'created', { max: 40, path });
  const modified = str(o, 'modified', { max: 40, path });
  for (const [k, d] of [['created', created], ['modified', modified]] as const) {
    if (Number.isNaN(Date.parse(d))) throw new RpcFailure('invalid', `${path}.${k} must be an ISO date-time`, `${path}.${k}`);
  }
  return { ...draft, id, created, modified };
}

function validateFilter(v: unknown): NotesFilter {
  if (v === undefined) return {};
  const o = obj(v, 'params.filter');
  const path = 'params.filter';
  const f: NotesFilter = {};
  for (const key of ['text', 'entity', 'tag', 'site', 'from', 'to', 'page'] as const) {
    const s = str(o, key, { max: 4000, optional: true, path });
    if (s !== undefined) f[key] = s;
  }
  const orphaned = bool(o, 'orphaned', { optional: true, path });
  if (orphaned !== undefined) f.orphaned = orphaned;
  return f;
}

/**
 * A content script may only touch notes of its own site: the page identity it names must have the
 * origin of the tab it runs in (page-identity.ts keeps canonicals same-origin for the same reason).
 */
function assertOwnSite(page: string, sender: Sender, isPrivileged: boolean): void {
  if (isPrivileged) return;
  let senderOrigin = '';
  let pageOrigin = '';
  try {
    senderOrigin = new URL(sender.url ?? sender.tab?.url ?? '').origin;
    pageOrigin = new URL(page).origin;
  } catch {
    /* fall through to forbidden */
  }
  if (senderOrigin === '' || senderOrigin !== pageOrigin) throw new RpcFailure('forbidden', 'A page may only read and write its own notes', 'params.page');
}

/**
 * One of our own pages (popup, notes page), by its URL only: a missing `sender.tab` proves nothing,
 * Chrome sends none for a content script in a frame outside a tab (router.ts `isExtensionPage`).
 */
function isPrivilegedSender(sender: Sender): boolean {
  return isExtensionPage(sender, browser.runtime.getURL('/'));
}

// ---- loading the in-page notes UI ----------------------------------------------------------------

/**
 * Runs the notes UI script in one frame of a tab. Running it again is harmless: it starts only once
 * per document (entrypoints/notes-ui.ts). False where scripts cannot run (browser pages, stores).
 */
export async function loadNotesUi(tabId: number, frameId: number): Promise<boolean> {
  try {
    await browser.scripting.executeScript({ target: { tabId, frameIds: [frameId] }, files: [NOTES_UI_FILE] });
    return true;
  } catch {
    return false;
  }
}

/** True when the notes UI should be loaded for this request from a content script (`visit`: the page has notes). */
export async function wantsNotesUi(db: AttacheDB, request: NotesUiRequest, sender: Sender): Promise<boolean> {
  if (request.attacheNotesUi !== 'visit') return true;
  const page = sender.url ? safePageIdentity(sender.url, request.canonical) : undefined;
  if (!page) return false;
  return (await db.notes.where('page').equals(page).count()) > 0;
}

/**
 * `runtime.onMessage` listener for `NotesUiRequest`s: loads the notes UI into the sender's frame
 * when wanted. Answers `{ loaded }`. Messages from
 * our own pages and anything else are left to other listeners.
 */
export function notesUiListener(db: AttacheDB) {
  return (message: unknown, sender: Sender): Promise<{ loaded: boolean }> | undefined => {
    if (!isNotesUiRequest(message) || isPrivilegedSender(sender)) return undefined;
    const tabId = sender.tab?.id;
    const frameId = sender.frameId;
    if (tabId === undefined || tabId < 0 || frameId === undefined) return Promise.resolve({ loaded: false });
    return (async () => {
      if (!(await wantsNotesUi(db, message, sender))) return { loaded: false };
      return { loaded: await loadNotesUi(tabId, frameId) };
    })();
  };
}

// ---- context menu and keyboard shortcut ---------------------------------------------------------

/**
 * Loads the notes UI into one frame and asks it to open its editor. The keyboard shortcut names no
 * frame: the top one, the only one the content script runs in (the manifest asks for no `all_frames`).
 */
async function askTabToCompose(tabId: number | undefined, message: NotesTabMessage = { attacheNotes: 'compose' }, frameId = 0): Promise<boolean> {
  if (tabId === undefined || tabId < 0) return false;
  if (!(await loadNotesUi(tabId, frameId))) return false; // a page scripts cannot run in
  try {
    await browser.tabs.sendMessage(tabId, message, { frameId });
    return true;
  } catch {
    return false; // no content script in this tab (a browser page, the web store): nothing to annotate
  }
}

export function wireEntryPoints(): void {
  const menus = browser.contextMenus;
  if (menus) {
    const create = () => {
      // Recreated on every start of the worker; removeAll first so that it never exists twice.
      void menus.removeAll().then(() =>
        menus.create({ id: CONTEXT_MENU_ID, title: i18n.t('notesContextMenu'), contexts: ['selection'] }),
      );
    };
    browser.runtime.onInstalled?.addListener(create);
    browser.runtime.onStartup?.addListener(create);
    menus.onClicked?.addListener((info, tab) => {
      if (info.menuItemId === CONTEXT_MENU_ID) void askTabToCompose(tab?.id, { attacheNotes: 'compose' }, info.frameId ?? 0);
    });
  }
  browser.commands?.onCommand?.addListener((command, tab) => {
    if (command !== ANNOTATE_COMMAND) return;
    if (tab?.id !== undefined) void askTabToCompose(tab.id);
    else void browser.tabs.query({ active: true, currentWindow: true }).then(([t]) => askTabToCompose(t?.id));
  });
}

/** `entryPoints: false` leaves the context menu and shortcut alone (unit tests of the handlers). */
export function notesFeature(ctx: BackgroundContext, { entryPoints = true } = {}): Feature<keyof NotesProtocol> {
  const { db } = ctx;
  if (entryPoints) {
    wireEntryPoints();
    // Registered synchronously, like the router, so that a request that wakes the worker is not lost.
    browser.runtime.onMessage.addListener(notesUiListener(db));
  }
  return {
    'notes.compose': {
      validate: (p) => {
        const o = obj(p);
        return { entity: str(o, 'entity', { max: 512 }), exact: str(o, 'exact', { max: 1000 }), url: str(o, 'url', { max: LIMITS.url }) };
      },
      handle: async ({ entity, exact }, sender) => {
        if (sender.tab?.id === undefined) throw new RpcFailure('invalid', 'notes.compose comes from a tab', 'params');
        await askTabToCompose(sender.tab.id, { attacheNotes: 'compose', entityId: entity, exact }, sender.frameId);
      },
    },
    'notes.save': {
      validate: (p) => ({ note: validateDraft(obj(p).note) }),
      handle: async ({ note }, sender) => {
        assertOwnSite(note.page, sender, isPrivilegedSender(sender));
        if (note.id && !isPrivilegedSender(sender)) {
          const old = await db.notes.get(note.id);
          if (old) assertOwnSite(old.page, sender, false);
        }
        return saveNote(db, note);
      },
    },
    'notes.forPage': {
      validate: (p) => ({ page: httpUrl(obj(p), 'page', 'params') }),
      handle: async ({ page }, sender) => {
        assertOwnSite(page, sender, isPrivilegedSender(sender));
        return listNotes(db, { page });
      },
    },
    'notes.list': {
      privileged: true,
      validate: (p) => ({ filter: validateFilter(obj(p ?? {}).filter) }),
      handle: ({ filter }) => listNotes(db, filter),
    },
    'notes.delete': {
      validate: (p) => ({ id: str(obj(p), 'id', { max: 200 }) }),
      handle: async ({ id }, sender) => {
        if (!isPrivilegedSender(sender)) {
          const old = await db.notes.get(id);
          if (old) assertOwnSite(old.page, sender, false);
        }
        return deleteNote(db, id);
      },
    },
    'notes.restore': {
      privileged: true,
      validate: (p) => ({ note: validateNote(obj(p).note) }),
      handle: async ({ note }) => {
        await writeNotes(db, [note]);
        return note;
      },
    },
    'notes.anchored': {
      validate: (p) => {
        const o = obj(p);
        return { page: httpUrl(o, 'page', 'params'), anchored: strList(o, 'anchored', { maxItems: 10_000, maxLength: 600 }), orphaned: strList(o, 'orphaned', { maxItems: 10_000, maxLength: 600 }) };
      },
      handle: async ({ page, anchored, orphaned }, sender) => {
        assertOwnSite(page, sender, isPrivilegedSender(sender));
        await recordAnchoring(db, page, anchored, orphaned);
      },
    },
    'notes.import': {
      privileged: true,
      validate: (p) => ({ text: str(obj(p), 'text', { max: NOTE_LIMITS.fileChars }) }),
      handle: ({ text }) => importNotes(db, text),
    },
    'backup.create': {
      privileged: true,
      validate: () => ({}),
      handle: () => createBackup(db),
    },
    'backup.restore': {
      privileged: true,
      validate: (p) => ({ text: str(obj(p), 'text', { max: NOTE_LIMITS.fileChars * 4 }) }),
      handle: async ({ text }) => {
        const r = await restoreBackup(db, text);
        if (r.ok && r.userEntities > 0) ctx.kbChanged();
        return r;
      },
    },
  };
}

/** Page identity of a URL for callers that have no canonical (the popup); undefined for non-web pages. */
export function safePageIdentity(url: string, canonical?: string | null): string | undefined {
  try {
    return pageIdentity(url, canonical);
  } catch {
    return undefined;
  }
}
