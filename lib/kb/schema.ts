/**
 * The knowledge-base record types: one type per record, used by the bundled data files
 * (`assets/kb/**`), the Dexie tables, the matcher, the CLI and every UI.
 *
 * Data files are human-edited JSON; `validateKb` (./validate.ts) checks them in tests and at load time.
 */

export const ENTITY_TYPES = [
  'person',
  'organization',
  'country',
  'place',
  'agreement',
  'exercise',
  'event',
  'equipment',
] as const;
export type EntityType = (typeof ENTITY_TYPES)[number];

/** Languages names are kept in. `en`, `fr`, `ar` are matched on every page; the others where known. */
export const LANGS = ['en', 'fr', 'ar', 'fa', 'ru', 'zh'] as const;
export type Lang = (typeof LANGS)[number];

/** Names per language. */
export type Names = Partial<Record<Lang, string[]>>;

/**
 * Where a fact comes from. At least one of `url` or `corpus` is set.
 * `corpus` is a path relative to the shared corpus (e.g. `text/004_en_baqeri_moscow.txt`).
 */
export interface Source {
  url?: string;
  corpus?: string;
  /** Title of the page or document, as published. */
  title?: string;
  /** Publisher, e.g. "Tehran Times", "Reuters". */
  publisher?: string;
  /** Publication date of the source, ISO `YYYY-MM-DD` (or `YYYY-MM`, `YYYY`). */
  date?: string;
}

/**
 * An office, as a stable key, so that role mentions ("China's defence minister") can be resolved to
 * the person who held it on a date. Format: `<country iso2>.<office>`.
 */
export const OFFICES = [
  'ir.supreme-leader',
  'ir.president',
  'ir.foreign-minister',
  'ir.defence-minister',
  'ir.chief-of-staff', // Chief of Staff of the Armed Forces (General Staff)
  'ir.irgc-commander',
  'ir.army-commander', // Commander-in-Chief of the Artesh
  'ir.navy-commander', // Artesh Navy
  'ir.irgc-navy-commander',
  'ir.irgc-aerospace-commander',
  'ir.quds-force-commander',
  'ir.snsc-secretary',
  'cn.president',
  'cn.premier',
  'cn.foreign-minister',
  'cn.defence-minister',
  'cn.joint-staff-chief', // Chief of the Joint Staff Department of the CMC
  'cn.cmc-vice-chairman',
  'cn.navy-commander', // PLAN commander
  'ru.president',
  'ru.prime-minister',
  'ru.foreign-minister',
  'ru.defence-minister',
  'ru.chief-of-general-staff',
  'ru.navy-commander',
  'ru.security-council-secretary',
  'us.president',
  'us.secretary-of-state',
  'us.defense-secretary',
  'sco.secretary-general',
  'iaea.director-general',
  'un.secretary-general',
] as const;
export type Office = (typeof OFFICES)[number];

/** A position held by a person over a date range. Dates are ISO `YYYY`, `YYYY-MM` or `YYYY-MM-DD`. */
export interface Role {
  /** As a reader would write it: "Chief of Staff of the Armed Forces of Iran". */
  title: string;
  /** Stable office key when the role is one that role resolution knows. */
  office?: Office;
  /** Entity id of the organisation, if any ("islamic-revolutionary-guard-corps"). */
  org?: string;
  /** First day in office; omit when unknown. */
  from?: string;
  /** Last day in office; omit while still in office. */
  to?: string;
  /** Acting / interim holder. */
  acting?: boolean;
  sources?: Source[];
}

export interface Entity {
  /** Stable id: lowercase ASCII slug of the canonical English name, e.g. `mohammad-bagheri`. */
  id: string;
  type: EntityType;
  /**
   * Canonical English name: exactly the gold name for entities in `../shared/corpus/gold`,
   * otherwise the English Wikipedia title.
   */
  name: string;
  /**
   * Full names and aliases per language; each always counts as a mention of this entity
   * (subject to longest-match). Include the canonical name under `en`.
   * All-caps forms of up to 5 letters (SCO, US, CGRI) match case-sensitively.
   */
  names: Names;
  /**
   * Short forms (a surname alone: "Bagheri", "Wei", "باقري"). A short form counts only when a full
   * name of the same entity appears on the page, or when it belongs to no other entity in the KB and
   * `shortNeedsFullName` is not set.
   */
  short?: Names;
  /** Short forms are too common on their own (Chinese surnames: "Wei", "Dong", "Li"): always require the full name on the page. */
  shortNeedsFullName?: boolean;
  /** One or two sentences, English. */
  description: string;
  /** Optional descriptions in other languages. */
  descriptions?: Partial<Record<Lang, string>>;
  /** Entity id of the country it belongs to (for countries themselves: omit). */
  country?: string;
  /** People: offices held, with dates. */
  roles?: Role[];
  /** Agreements, exercises, events: when signed / held (ISO). */
  date?: string;
  endDate?: string;
  /** Parties / members / participants (entity ids), for agreements, exercises, organisations. */
  parties?: string[];
  /** English Wikipedia title or URL, when there is one. */
  wikipedia?: string;
  /** Required for every non-country entity. */
  sources?: Source[];
}

/** A dated event of the timeline ("Bagheri visits Beijing"). */
export interface KbEvent {
  /** Stable id: `YYYY-MM-DD-slug` or `YYYY-MM-slug`. */
  id: string;
  /** ISO date, day (`YYYY-MM-DD`) or month (`YYYY-MM`) precision. */
  date: string;
  /** Last day of a multi-day event, same format. */
  endDate?: string;
  title: string;
  /** One line, English. */
  summary: string;
  /** Entity ids of the people, organisations and countries taking part. */
  participants: string[];
  /** Entity id of a place (city, sea) or country. */
  place?: string;
  /** Entity ids of agreements / exercises / events (entities) this event belongs to or produced. */
  links?: string[];
  /** At least one; each states the event. */
  sources: Source[];
}

/** One data file under `assets/kb/`. A file may carry entities, events, or both. */
export interface KbFile {
  entities?: Entity[];
  events?: KbEvent[];
}

/** The whole KB, as bundled, exported by `kb export` and shared as "KB packs". */
export interface KnowledgeBase {
  /** Bumped whenever bundled data changes; the background reseeds when it differs from the DB's. */
  version: string;
  entities: Entity[];
  events: KbEvent[];
}
