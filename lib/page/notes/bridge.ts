/**
 * What the always-loaded content script (entrypoints/content.ts) shares with the notes UI
 * (entrypoints/notes-ui.ts), which the background injects only into pages that have notes or where
 * the reader selected text, or when a note is started from the context menu, the shortcut or a
 * hover card. Both run in the extension's isolated world of the frame, so they meet on `globalThis`,
 * which the page's own scripts cannot see.
 *
 * Kept free of heavy imports: everything here is in the content script's size budget (issue
 * "Performance": at most 20 kB gzipped).
 *
 * The two shadow hosts of the notes UI are made here, by the content script, on every page, notes
 * or not: were they made only when the notes UI loads, their appearance would tell the page's scripts
 * that the reader annotated this page before. Their closed shadow roots are empty until the notes UI
 * fills them (with a style sheet of its own: the hosts' `:host` rules are set here), and the page can
 * read neither. Nothing the notes UI adds styles the hosts themselves
 * (no `:host` rule): what the page can see of them stays as it was when they were made.
 */
import type { EntityRef } from '../../messaging/protocol-kb';
import { OWN_UI_ATTRIBUTE } from '../extract';

/**
 * Both hosts: an empty box at the document's origin, taking no room. `all: initial !important` keeps
 * the page's CSS off them (important rules of a shadow tree win over the page's).
 */
const HOST_CSS = ':host{all:initial!important;position:absolute!important;top:0!important;left:0!important}';

export interface ShadowHost {
  host: HTMLElement;
  /** Closed: only this isolated world holds it. */
  shadow: ShadowRoot;
}

export interface NotesHosts {
  /** `<attache-notes>`: the Annotate button, the editor and notices. */
  ui: ShadowHost;
  /** `<attache-note-marks>`: note highlights (overlay.ts). */
  marks: ShadowHost;
}

/** A highlight the reader drew (matcher span or role mention): those inside a selection are linked to a note. */
export interface EntityHighlight {
  id: string;
  name: string;
  type: EntityRef['type'];
  range: Range;
}

/** What the notes UI gets from the content script. */
export interface NotesBridge {
  /** Aborts when the content script is torn down (extension updated or disabled): the notes UI stops too. */
  signal: AbortSignal;
  hosts: NotesHosts;
  /** The reader's current entity highlights (`Reader.snapshot()`). */
  highlights(): readonly EntityHighlight[];
}

/**
 * Content script → background, to load the notes UI into the sender's frame (`scripting.executeScript`).
 * A plain runtime message beside the RPCs (answered by lib/background/notes.ts; the router ignores
 * non-RPC messages), answered `{ loaded }`.
 * - `visit`: load it if the page has notes; the background computes the page identity from the
 *   sender's URL and this canonical (lib/notes/page-identity.ts), so a page speaks only for itself;
 * - `selection`: the reader selected text in the page (the notes UI then offers its Annotate button).
 */
export type NotesUiRequest = { attacheNotesUi: 'visit'; canonical: string | null } | { attacheNotesUi: 'selection' };

export function isNotesUiRequest(m: unknown): m is NotesUiRequest {
  if (typeof m !== 'object' || m === null) return false;
  const r = m as Record<string, unknown>;
  if (r.attacheNotesUi === 'selection') return true;
  return r.attacheNotesUi === 'visit' && (r.canonical === null || (typeof r.canonical === 'string' && r.canonical.length <= 4096));
}

/** The in-page path of the notes UI script in the build (an unlisted script: entrypoints/notes-ui.ts). */
export const NOTES_UI_FILE = '/notes-ui.js';

type Shared = { __attacheNotesBridge?: NotesBridge; __attacheNotes?: unknown };

export function publishNotesBridge(bridge: NotesBridge): void {
  (globalThis as Shared).__attacheNotesBridge = bridge;
}

export function notesBridge(): NotesBridge | undefined {
  return (globalThis as Shared).__attacheNotesBridge;
}

/** True once the notes UI runs in this frame (it sets its test hook `__attacheNotes` when it starts). */
export function notesUiLoaded(): boolean {
  return (globalThis as Shared).__attacheNotes !== undefined;
}

/** Makes the two empty hosts, the same on every page. */
export function createNotesHosts(doc: Document): NotesHosts {
  const make = (tag: string, role: string): ShadowHost => {
    const host = doc.createElement(tag);
    host.setAttribute(OWN_UI_ATTRIBUTE, role);
    const shadow = host.attachShadow({ mode: 'closed' });
    shadow.append(Object.assign(doc.createElement('style'), { textContent: HOST_CSS }));
    doc.documentElement.append(host);
    return { host, shadow };
  };
  const marks = make('attache-note-marks', 'note-marks');
  marks.host.setAttribute('aria-hidden', 'true');
  return { ui: make('attache-notes', 'notes'), marks };
}
