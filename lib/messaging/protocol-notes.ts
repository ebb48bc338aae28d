/**
 * Notes: save, list, delete, anchoring status, import and backup.
 *
 * Who calls what: the in-page notes code (content script) saves and loads the notes of its own page
 * and reports which of them it could anchor; the popup and the notes page (extension pages) list,
 * edit, delete, import and back up. Methods that touch other pages' notes are `privileged` in
 * lib/background/notes.ts (content scripts cannot call them).
 */
import type { BackupDocument } from '../notes/backup';
import type { Problem } from '../notes/json-text';
import type { Note } from '../notes/types';

/** What the editor sends: a new note (no id) or an edit of an existing one (id). */
export interface NoteDraft extends Omit<Note, 'id' | 'created' | 'modified'> {
  /** Absent for a new note. */
  id?: string;
  /**
   * For an edit: the `modified` of the stored copy the edit started from. When the stored note has
   * changed since (another tab saved it), the save is refused with the RPC error `conflict` instead
   * of silently replacing that change. Absent: the edit replaces whatever is stored.
   */
  baseModified?: string;
}

/** Filters of the notes page; all optional, combined with AND. */
export interface NotesFilter {
  /** Free text over quote, comment, title and tags (case- and diacritic-insensitive). */
  text?: string;
  entity?: string;
  tag?: string;
  /** Host name, e.g. `www.tehrantimes.com`. */
  site?: string;
  /** ISO dates (inclusive) on `created`. */
  from?: string;
  to?: string;
  /** Only notes that could not be anchored the last time their page was open. */
  orphaned?: boolean;
  /** Only notes of this page identity. */
  page?: string;
}

/** A note as listed: the note plus its anchoring status. */
export interface NoteListItem extends Note {
  /** True when the last visit could not find the quote on the page; the note is kept. */
  orphaned: boolean;
}

/** One problem found in an imported file: JSON path, and line/column for syntax errors. */
export type ImportProblem = Problem;

export type ImportAnswer =
  | { ok: true; added: number; merged: number; unchanged: number }
  | { ok: false; problems: ImportProblem[] };

export interface RestoreSummary {
  notes: number;
  userEntities: number;
  readings: number;
  settings: number;
}

export type RestoreAnswer = ({ ok: true } & RestoreSummary) | { ok: false; problems: ImportProblem[] };

/** Messages the background (or the popup) sends to the notes code of a tab (`tabs.sendMessage`). */
export type NotesTabMessage =
  /** Open the editor on the current selection (context menu, keyboard shortcut, hover card). */
  | { attacheNotes: 'compose'; entityId?: string; /** The mention's text, when started from a hover card. */ exact?: string }
  /** The page text and language, for "Also on this page" in the popup. */
  | { attacheNotes: 'page-text' }
  /** Scroll to a note and flash it. */
  | { attacheNotes: 'show'; noteId: string };

export interface PageTextAnswer {
  url: string;
  /** Page identity (canonical-aware), for listing the page's notes. */
  page?: string;
  lang: string;
  text: string;
}

export interface NotesProtocol {
  /**
   * Content script (hover card "Add note") → background → the same tab's notes code: opens the
   * editor on the selection, else on the hovered mention of `entity` (`exact` is its text).
   */
  'notes.compose'(params: { entity: string; exact: string; url: string }): Promise<void>;
  /**
   * Creates or updates a note; answers the stored note. All or nothing. An edit whose
   * `baseModified` is not the stored note's `modified` fails with `conflict` and writes nothing.
   */
  'notes.save'(params: { note: NoteDraft }): Promise<Note>;
  /** The notes of one page identity (content scripts: of their own site only). */
  'notes.forPage'(params: { page: string }): Promise<NoteListItem[]>;
  /** Every note matching the filter, newest first (extension pages only). */
  'notes.list'(params: { filter?: NotesFilter }): Promise<NoteListItem[]>;
  /** Deletes a note; answers it so that the caller can offer "Undo" (which saves it back with `notes.restore`). */
  'notes.delete'(params: { id: string }): Promise<Note>;
  /** Puts back a deleted note exactly as it was (undo). */
  'notes.restore'(params: { note: Note }): Promise<Note>;
  /** The content script reports which notes of its page it anchored and which it could not. */
  'notes.anchored'(params: { page: string; anchored: string[]; orphaned: string[] }): Promise<void>;
  /**
   * Imports the text of a JSON export (W3C AnnotationCollection): validated first (syntax errors with
   * line and column), nothing written when invalid, duplicates merged by id.
   */
  'notes.import'(params: { text: string }): Promise<ImportAnswer>;
  /** Everything the user made, as one backup document (lib/notes/backup.ts). */
  'backup.create'(params: Record<string, never>): Promise<BackupDocument>;
  /** Restores the text of a backup file: validated first, merged by id, one transaction. */
  'backup.restore'(params: { text: string }): Promise<RestoreAnswer>;
}
