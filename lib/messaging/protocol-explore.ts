/**
 * The details page (timeline, relationship graph), the page-level view and the KB explorer with
 * curation and KB packs. Extension pages only (every method is privileged).
 *
 * The pages get the whole KB once (`explore.snapshot`: a few hundred entities and events) and build
 * graphs, timelines and filters locally with lib/graph, so that moving the year window or clicking a
 * node needs no round trip. Writes go to the user's tables only (`userEntities`, `userEvents`),
 * validated with `validateKb` first; the bundled KB is never modified.
 */
import type { Entity, KbEvent, KnowledgeBase } from '../kb/schema';

/** Where a record comes from: the bundled KB, added by the user, or a bundled record the user edited. */
export type Origin = 'bundled' | 'added' | 'edited';

export interface ExploreEntity extends Entity {
  origin: Origin;
  /** ISO date-time of the user's last edit (user data only). */
  modified?: string;
}

export interface ExploreEvent extends KbEvent {
  origin: Origin;
  modified?: string;
}

/** The KB as the user sees it: bundled records with the user's laid over them (same id: the user's wins). */
export interface KbSnapshot {
  /** Version of the bundled KB stored in the database. */
  version: string;
  entities: ExploreEntity[];
  events: ExploreEvent[];
}

/** One problem with a JSON path into the submitted record or pack (`$.entities[3].roles[0].from`). */
export interface PathProblem {
  path: string;
  message: string;
  line?: number;
  column?: number;
}

export type SaveAnswer = { ok: true; id: string; origin: Origin } | { ok: false; problems: PathProblem[] };

export type RevertAnswer = { ok: true; id: string; remaining: 'bundled' | 'none' } | { ok: false; problems: PathProblem[] };

export type PackAction = 'add' | 'same' | 'conflict' | 'replace';

/** What importing one record of a pack would do. */
export interface PackEntry {
  /** `$.entities[3]` */
  path: string;
  kind: 'entity' | 'event';
  id: string;
  action: PackAction;
  /** Conflicts and replacements: the top-level fields that differ from the record in the KB. */
  fields?: string[];
  /** Of the record in the KB that differs. */
  existing?: Origin;
}

/** The dry run shown before anything is written. */
export interface PackPlan {
  /** True when applying would write every record and nothing is in the way. */
  applicable: boolean;
  /** Invalid JSON or records (with JSON paths) and unresolved conflicts: any of them blocks the whole pack. */
  problems: PathProblem[];
  entries: PackEntry[];
  counts: Record<PackAction, number>;
  /** The pack's own `version`, if it has one. */
  version?: string;
}

export type PackApplyAnswer = { ok: true; plan: PackPlan; written: number } | { ok: false; plan: PackPlan };

export interface ExploreProtocol {
  /** The whole KB with the user's records, for the details page, the page view and the explorer. */
  'explore.snapshot'(params: Record<string, never>): Promise<KbSnapshot>;
  /** Adds or edits an entity as user data (validated; kept across KB updates). */
  'explore.saveEntity'(params: { entity: Entity }): Promise<SaveAnswer>;
  /** Adds or edits an event as user data. */
  'explore.saveEvent'(params: { event: KbEvent }): Promise<SaveAnswer>;
  /**
   * Removes the user's version of a record: an edited bundled record goes back to the bundled one,
   * an added one is deleted (refused, with paths, while other user records refer to it).
   */
  'explore.revert'(params: { kind: 'entity' | 'event'; id: string }): Promise<RevertAnswer>;
  /** Dry run of a KB pack (text of a `KnowledgeBase` JSON file). `overwrite`: conflicts become replacements. */
  'explore.planPack'(params: { text: string; overwrite?: boolean }): Promise<PackPlan>;
  /** Applies a pack in one transaction: everything or, when anything is invalid or conflicts, nothing. */
  'explore.applyPack'(params: { text: string; overwrite?: boolean }): Promise<PackApplyAnswer>;
  /** A KB pack in the `kb` CLI's format: the user's records only, or the whole KB as the user sees it. */
  'explore.exportPack'(params: { scope: 'user' | 'all' }): Promise<KnowledgeBase>;
}
