/**
 * The extension's IndexedDB database (Dexie): the bundled KB (reseeded on install and update) and
 * the user's own data (notes, user-added entities and events, reading log, settings), which seeding
 * never touches.
 *
 * Every `version(n)` is kept, as Dexie requires, and each upgrade is tested from the version before it
 * (`db.test.ts`, fixtures in `lib/kb/fixtures/db-v*.json`). Add a version, never edit an old one.
 */
import Dexie, { type EntityTable, type Table } from 'dexie';
import type { Entity, KbEvent } from './schema';
import type { Note } from '../notes/types';
import { pageIdentity } from '../notes/page-identity';

/** One visit in the reading log. */
export interface Reading {
  id?: number;
  /** Page identity (see lib/notes/page-identity.ts). */
  page: string;
  url: string;
  title: string;
  /** ISO date-time. */
  visitedAt: string;
  /** Entity ids found on the page. */
  entities: string[];
}

/** A key/value row of the `meta` table (KB version, matcher cache). */
export interface MetaRow {
  key: string;
  value: unknown;
}

/** A key/value row of the `settings` table. */
export interface SettingRow {
  key: string;
  value: unknown;
}

/** A user-added or user-edited entity: shown as "yours", kept across KB updates, wins over the bundled one with the same id. */
export interface UserEntity extends Entity {
  /** ISO date-time of the last edit. */
  modified: string;
}

export interface UserEvent extends KbEvent {
  modified: string;
}

export const DB_NAME = 'attache';

/**
 * Version history:
 * 1. kb (entities, events, meta), notes keyed by id with `url` only, readings, settings.
 * 2. notes get `page` (page identity: canonical URL or URL without tracking parameters) and indexes
 *    on tags/entities; user-added entities and events get their own tables; readings get `page`.
 */
export class AttacheDB extends Dexie {
  entities!: EntityTable<Entity, 'id'>;
  events!: EntityTable<KbEvent, 'id'>;
  meta!: EntityTable<MetaRow, 'key'>;
  notes!: EntityTable<Note, 'id'>;
  readings!: EntityTable<Reading, 'id'>;
  settings!: EntityTable<SettingRow, 'key'>;
  userEntities!: EntityTable<UserEntity, 'id'>;
  userEvents!: EntityTable<UserEvent, 'id'>;

  constructor(name = DB_NAME) {
    super(name);
    this.version(1).stores({
      entities: 'id, type, country',
      events: 'id, date, *participants',
      meta: 'key',
      notes: 'id, url, created',
      readings: '++id, url, visitedAt',
      settings: 'key',
    });
    this.version(2)
      .stores({
        entities: 'id, type, country',
        events: 'id, date, *participants, *links',
        meta: 'key',
        notes: 'id, page, url, created, modified, *tags, *entities',
        readings: '++id, page, url, visitedAt, *entities',
        settings: 'key',
        userEntities: 'id, type, country, modified',
        userEvents: 'id, date, *participants, *links',
      })
      // No awaits on anything but Dexie inside an upgrade: the transaction would commit early.
      .upgrade(async (tx) => {
        const identity = (url: string) => {
          try {
            return pageIdentity(url);
          } catch {
            return url; // keep the note reachable even when its URL is not parseable
          }
        };
        await tx
          .table('notes')
          .toCollection()
          .modify((note: Partial<Note> & { url: string }) => {
            note.page ??= identity(note.url);
            note.tags ??= [];
            note.entities ??= [];
            note.modified ??= note.created ?? new Date(0).toISOString();
          });
        await tx
          .table('readings')
          .toCollection()
          .modify((r: Partial<Reading> & { url: string }) => {
            r.page ??= identity(r.url);
            r.entities ??= [];
          });
      });
  }
}

/** Tables that hold the user's data: seeding and KB updates never write to them. */
export const USER_TABLES = ['notes', 'readings', 'settings', 'userEntities', 'userEvents'] as const;

export type AnyTable = Table<unknown, unknown>;
