/**
 * Knowledge-base queries and curation for the popup (and later the details page and explorer):
 * an entity's full record with its linked events and related actors, instant search over every
 * name in every language, and user-added entities.
 */
import type { EntityType } from '../kb/schema';
import type { NoteListItem } from './protocol-notes';

export interface EntityRef {
  id: string;
  name: string;
  type: EntityType;
}

/** One event of an entity's timeline. */
export interface TimelineEvent {
  id: string;
  date: string;
  endDate?: string;
  title: string;
  summary: string;
  /** Other participants (the entity itself left out), resolved to names. */
  participants: EntityRef[];
  place?: EntityRef;
  sources: { url?: string; corpus?: string; title?: string; publisher?: string }[];
}

export interface RelatedActor extends EntityRef {
  /** Events both took part in. */
  shared: number;
}

export interface ReadingLine {
  url: string;
  title: string;
  visitedAt: string;
}

export interface EntityDetails extends EntityRef {
  description: string;
  /** User-added entity. */
  user: boolean;
  country?: EntityRef;
  date?: string;
  endDate?: string;
  roles: { title: string; from?: string; to?: string; acting?: boolean }[];
  /** Newest first. */
  events: TimelineEvent[];
  /** Agreements and exercises it is party to (by `parties` or by taking part in their events). */
  agreements: (EntityRef & { date?: string })[];
  exercises: (EntityRef & { date?: string })[];
  /** For agreements, exercises and organisations: their parties. */
  parties: EntityRef[];
  /** Co-participants in events, most shared events first. */
  related: RelatedActor[];
  /** The user's own past readings that mention it, newest first. */
  readings: ReadingLine[];
  /** The user's notes that mention it, newest first. */
  notes: NoteListItem[];
  sources: { url?: string; corpus?: string; title?: string; publisher?: string }[];
  wikipedia?: string;
}

export interface SearchHit extends EntityRef {
  /** The name that matched (may be in another language than the canonical one). */
  matched: string;
  user: boolean;
}

/** A name found on the page by the NLP pass that the KB does not know. */
export interface NewEntityRequest {
  name: string;
  type: 'person' | 'organization';
  /** The page it was found on (kept as the entity's source). */
  sourceUrl: string;
  sourceTitle?: string;
  /** Language of the page, for `names`. */
  lang?: 'en' | 'fr' | 'ar';
}

export interface KbProtocol {
  /** Everything the popup shows for one entity. */
  'kb.entity'(params: { id: string }): Promise<EntityDetails>;
  /** Instant search over every name of every entity (bundled + user), diacritic- and case-insensitive. */
  'kb.search'(params: { query: string; limit?: number }): Promise<SearchHit[]>;
  /** Of these names, the ones no KB entity carries (after folding case, diacritics and Arabic variants). */
  'kb.unknownNames'(params: { names: string[] }): Promise<string[]>;
  /** Ids of KB entities named in a short text (a note's selection), longest names first. */
  'kb.entitiesIn'(params: { text: string }): Promise<EntityRef[]>;
  /** Display names of entity ids (notes lists, exports); ids the KB does not know are left out. */
  'kb.names'(params: { ids: string[] }): Promise<Record<string, EntityRef>>;
  /** Adds a user entity (kept across KB updates); the matcher rebuilds and open tabs rescan. */
  'kb.addUserEntity'(params: NewEntityRequest): Promise<EntityRef>;
}
