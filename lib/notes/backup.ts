/**
 * The whole-user-data backup file: everything the user made (notes, entities and events they added
 * or edited, the reading log, settings) in one JSON document, so that moving to another browser or
 * profile loses nothing. Unlike the JSON-LD export (an interchange format for other tools), records
 * are kept in their stored shapes, so a restore is exact.
 *
 * Building and validating are pure; reading the database and writing the restore (merged by id, in
 * one transaction) belong to the background.
 */
import type { Entity, KbEvent } from '../kb/schema';
import { validateKb } from '../kb/validate';
import { MAX_PROBLEMS } from './import';
import { parseJsonText, type Problem } from './json-text';
import { Checks, LIMITS, checkNote, isObj, isWebUrl, kind } from './note-validation';
import type { Note } from './types';

export const BACKUP_FORMAT = 'attache-backup';
/** Increase when the document's shape changes; restore refuses versions it does not know. */
export const BACKUP_VERSION = 1;

/** Caps beyond the note limits: years of heavy use stay far below them. */
export const BACKUP_LIMITS = {
  readings: 1_000_000,
  userEntities: 100_000,
  userEvents: 100_000,
  settings: 1_000,
} as const;

/** A user-added or user-edited entity or event: the KB record plus when the user last changed it. */
export type UserEntityRecord = Entity & { modified: string };
export type UserEventRecord = KbEvent & { modified: string };

/** One visit of the reading log. */
export interface BackupReading {
  /** Page identity; absent in logs written before identities existed (restore computes it from url). */
  page?: string;
  url: string;
  title: string;
  /** ISO 8601 date-time. */
  visitedAt: string;
  /** Entity ids found on the page. */
  entities: string[];
}

export interface BackupDocument {
  format: typeof BACKUP_FORMAT;
  version: typeof BACKUP_VERSION;
  /** ISO 8601 date-time of the backup. */
  exportedAt: string;
  notes: Note[];
  userEntities: UserEntityRecord[];
  /** User-added events. Optional when reading (older or hand-made files), always written. */
  userEvents: UserEventRecord[];
  readings: BackupReading[];
  /** Settings by key, as stored (values are plain JSON). */
  settings: Record<string, unknown>;
}

export interface BackupContents {
  notes: readonly Note[];
  userEntities: readonly UserEntityRecord[];
  userEvents?: readonly UserEventRecord[];
  /** Stored rows may carry a database id; it is not kept (ids are re-assigned on restore). */
  readings: readonly (BackupReading & { id?: number })[];
  settings: Readonly<Record<string, unknown>>;
}

/** The backup document of the given data, stamped `exportedAt` (pass `new Date()` in the app). */
export function buildBackup(data: BackupContents, exportedAt: Date): BackupDocument {
  return {
    format: BACKUP_FORMAT,
    version: BACKUP_VERSION,
    exportedAt: exportedAt.toISOString(),
    notes: [...data.notes],
    userEntities: [...data.userEntities],
    userEvents: [...(data.userEvents ?? [])],
    readings: data.readings.map(({ page, url, title, visitedAt, entities }) => ({ ...(page === undefined ? {} : { page }), url, title, visitedAt, entities: [...entities] })),
    settings: { ...data.settings },
  };
}

/** The file's text. */
export function backupToJson(doc: BackupDocument): string {
  return `${JSON.stringify(doc, null, 1)}\n`;
}

export type BackupResult = { backup: BackupDocument } | { problems: Problem[] };

export interface BackupValidationOptions {
  /**
   * Ids of the bundled KB: user entities and events may refer to them (a user-added person's
   * `country: "iran"`). Without them such references are reported as unknown.
   */
  knownEntityIds?: ReadonlySet<string>;
}

/** Parses and validates a backup file's text. */
export function parseBackup(text: string, options: BackupValidationOptions = {}): BackupResult {
  const parsed = parseJsonText(text, LIMITS.fileChars * 4);
  return parsed.ok ? validateBackup(parsed.value, options) : { problems: [parsed.problem] };
}

function checkArray(c: Checks, v: unknown, path: string, max: number, required: boolean): unknown[] | undefined {
  if (v === undefined && !required) return [];
  if (!Array.isArray(v)) return void c.add(path, v === undefined ? 'is required' : `must be an array, got ${kind(v)}`);
  if (v.length > max) return void c.add(path, `has ${v.length} items; at most ${max} are accepted`);
  return v;
}

function checkReading(c: Checks, v: unknown, path: string): BackupReading | undefined {
  if (!isObj(v)) return void c.add(path, `must be an object, got ${kind(v)}`);
  const before = c.problems.length;
  const page = v.page === undefined ? undefined : c.webUrl(v.page, `${path}.page`);
  const url = c.text(v.url, `${path}.url`, LIMITS.url, { nonEmpty: true });
  if (url !== undefined && !isWebUrl(url)) c.add(`${path}.url`, `must be an absolute http(s) address, got ${JSON.stringify(url.slice(0, 80))}`);
  const title = c.text(v.title, `${path}.title`, LIMITS.title);
  const visitedAt = c.dateTime(v.visitedAt, `${path}.visitedAt`);
  const entities = c.entityIds(v.entities, `${path}.entities`);
  if (c.problems.length !== before) return undefined;
  return { ...(page === undefined ? {} : { page }), url: url!, title: title!, visitedAt: visitedAt!, entities: entities! };
}

/** Validates a parsed backup document. Nothing is returned unless everything is valid. */
export function validateBackup(root: unknown, options: BackupValidationOptions = {}): BackupResult {
  const c = new Checks();
  if (!isObj(root)) return { problems: [{ path: '$', message: `must be an Attaché backup object, got ${kind(root)}` }] };
  if (root.format !== BACKUP_FORMAT) {
    return { problems: [{ path: '$.format', message: `must be ${JSON.stringify(BACKUP_FORMAT)}: this is not an Attaché backup${root.type === 'AnnotationCollection' ? ' (it looks like a notes export: use Import instead)' : ''}` }] };
  }
  if (root.version !== BACKUP_VERSION) {
    const newer = typeof root.version === 'number' && root.version > BACKUP_VERSION;
    return { problems: [{ path: '$.version', message: newer ? `was made by a newer Attaché (format version ${root.version}); update the extension to restore it` : `must be ${BACKUP_VERSION}, got ${JSON.stringify(root.version)}` }] };
  }
  const exportedAt = c.dateTime(root.exportedAt, '$.exportedAt');

  const notes: Note[] = [];
  const rawNotes = checkArray(c, root.notes, '$.notes', LIMITS.notes, true) ?? [];
  const noteIds = new Map<string, number>();
  for (let i = 0; i < rawNotes.length && c.problems.length < MAX_PROBLEMS; i++) {
    const note = checkNote(c, rawNotes[i], `$.notes[${i}]`);
    if (!note) continue;
    const seen = noteIds.get(note.id);
    if (seen !== undefined) c.add(`$.notes[${i}].id`, `duplicate id ${JSON.stringify(note.id)} (also $.notes[${seen}])`);
    else noteIds.set(note.id, i);
    notes.push(note);
  }

  const userEntities = checkArray(c, root.userEntities, '$.userEntities', BACKUP_LIMITS.userEntities, true);
  const userEvents = checkArray(c, root.userEvents, '$.userEvents', BACKUP_LIMITS.userEvents, false);
  if (userEntities && userEvents) {
    const renamed = (path: string) =>
      path.replace(/^\$\.entities/, '$.userEntities').replace(/^\$\.events/, '$.userEvents').replace(/^entities\[/, '$.userEntities[').replace(/^events\[/, '$.userEvents[');
    for (const p of validateKb({ entities: userEntities, events: userEvents }, options.knownEntityIds)) c.add(renamed(p.path), p.message);
    userEntities.forEach((e, i) => isObj(e) && c.dateTime(e.modified, `$.userEntities[${i}].modified`));
    userEvents.forEach((e, i) => isObj(e) && c.dateTime(e.modified, `$.userEvents[${i}].modified`));
  }

  const readings: BackupReading[] = [];
  const rawReadings = checkArray(c, root.readings, '$.readings', BACKUP_LIMITS.readings, true) ?? [];
  for (let i = 0; i < rawReadings.length && c.problems.length < MAX_PROBLEMS; i++) {
    const r = checkReading(c, rawReadings[i], `$.readings[${i}]`);
    if (r) readings.push(r);
  }

  let settings: Record<string, unknown> | undefined;
  if (!isObj(root.settings)) c.add('$.settings', root.settings === undefined ? 'is required' : `must be an object of setting → value, got ${kind(root.settings)}`);
  else if (Object.keys(root.settings).length > BACKUP_LIMITS.settings) c.add('$.settings', `has ${Object.keys(root.settings).length} keys; at most ${BACKUP_LIMITS.settings} are accepted`);
  else settings = root.settings;

  if (c.problems.length > 0) {
    const problems = c.problems.slice(0, MAX_PROBLEMS);
    if (c.problems.length >= MAX_PROBLEMS) problems.push({ path: '$', message: `stopped after ${MAX_PROBLEMS} problems` });
    return { problems };
  }
  return {
    backup: {
      format: BACKUP_FORMAT,
      version: BACKUP_VERSION,
      exportedAt: exportedAt!,
      notes,
      userEntities: userEntities as UserEntityRecord[],
      userEvents: userEvents as UserEventRecord[],
      readings,
      settings: settings!,
    },
  };
}
