import type { EntityType, Office } from '../kb/schema';
import type { DateHints } from '../page/date-hints';
import type { Settings } from './protocol-settings';
import type { CardLabels } from '../page/card-labels';
import type { PackedSpans } from './packed-spans';

/** How the date used to resolve role mentions was found (issue 6). */
export type PageDateSource = 'meta' | 'json-ld' | 'time' | 'url' | 'dateline' | 'visit';
export interface PageDate {
  /** ISO `YYYY-MM-DD`. */
  date: string;
  source: PageDateSource;
}

/** Text of (part of) a page sent for matching. */
export interface MatchRequest {
  /** Random id for this page load; a new id resets the per-tab state (SPA navigation included). */
  docId: string;
  url: string;
  title: string;
  /** `<html lang>` if any. */
  lang?: string;
  pageDate?: PageDate;
  /**
   * What the page says about its date (first request of a page load only); the background derives
   * `pageDate` from it when `pageDate` is not given.
   */
  dateHints?: DateHints;
  /** The text to match: the whole page text on the first call, an inserted part later. */
  text: string;
  /** Where `text` starts in the page's text (spans are returned relative to `text`). */
  offset: number;
}

/** How a span was recognised. */
export type MatchVia = 'name' | 'short' | 'role' | 'fuzzy';

export interface MatchSpan {
  /** UTF-16 offsets into the request's `text`. */
  start: number;
  end: number;
  id: string;
  type: EntityType;
  via: MatchVia;
  /** For role mentions: which office, and the date and its source used to resolve it. */
  role?: { office: Office; date: string; dateSource: PageDateSource | 'sentence' | 'apposition' };
}

/** What a card needs without another round trip. */
export interface EntityBrief {
  id: string;
  name: string;
  type: EntityType;
  description: string;
  /** Country name, if any. */
  country?: string;
  /** The role held at the page date (or the latest), as one line: "Defence Minister of China (since 2023-12)". */
  roleLine?: string;
  /** True for user-added entities. */
  user?: boolean;
}

export interface MatchAnswer {
  /** In columns (see ./packed-spans.ts: ten thousand span objects are slow to cross to the page). */
  spans: PackedSpans;
  /** Briefs for every id in `spans`. */
  entities: Record<string, EntityBrief>;
  /** Time spent matching in the background, ms. */
  ms: number;
}

export interface EventBrief {
  id: string;
  date: string;
  title: string;
  summary: string;
  participants: { id: string; name: string }[];
  place?: { id: string; name: string };
  sources: { url?: string; corpus?: string; title?: string; publisher?: string }[];
}

export interface RoleLine {
  title: string;
  /** Office key, so a role mention's card can name the office it resolved. */
  office?: Office;
  acting?: boolean;
  from?: string;
  to?: string;
}

export interface EntityCard extends EntityBrief {
  roles: RoleLine[];
  /** Most recent first. */
  events: EventBrief[];
  sources: { url?: string; corpus?: string; title?: string }[];
}

export interface TabEntityCount {
  id: string;
  name: string;
  type: EntityType;
  count: number;
}

export interface TabState {
  /** The page load (or SPA view) this state describes. */
  docId: string;
  url: string;
  title: string;
  pageDate?: PageDate;
  /** Distinct entities, most mentioned first. */
  entities: TabEntityCount[];
  /** ISO date-time of the last match. */
  updatedAt: string;
}

/** Background → content script messages (`tabs.sendMessage`), not RPC: the tab does not answer. */
export type TabMessage =
  /** Settings changed: re-render with them (or clear when Attaché is now off for this site). */
  | { attache: 'settings'; settings: Settings }
  /** The KB changed (user entity added, pack imported): match the page again. */
  | { attache: 'rescan' };

export function isTabMessage(m: unknown): m is TabMessage {
  return typeof m === 'object' && m !== null && typeof (m as TabMessage).attache === 'string';
}

export interface PageProtocol {
  /** Content script → background: match page text. Also updates the tab's state and badge. */
  'page.match'(params: MatchRequest): Promise<MatchAnswer>;
  /** Card for an entity (hover card). `limit` events, most recent first (default 3); description in `lang` when the KB has it. */
  'entity.card'(params: { id: string; limit?: number; lang?: string }): Promise<EntityCard>;
  /** Card "Open details": opens the details page of the entity in a new tab (content scripts cannot). */
  'entity.open'(params: { id: string }): Promise<void>;
  /** The card's words for a page language (falls back to the browser's, then English). */
  'page.labels'(params: { lang?: string }): Promise<CardLabels>;
  /** Popup → background: what was found in a tab. */
  'tab.state'(params: { tabId: number }): Promise<TabState | null>;
}
