/**
 * Reader settings and the reading log. Settings live in IndexedDB (`db.settings`, one row per key);
 * a change is pushed to every open tab (`TabMessage` in protocol-page.ts), which re-renders or clears
 * its highlights without a reload.
 */
import { ENTITY_TYPES, type EntityType } from '../kb/schema';

/** How highlights are drawn: coloured underline, light tint, or both (the default). */
export const HIGHLIGHT_STYLES = ['underline-tint', 'underline', 'tint'] as const;
export type HighlightStyle = (typeof HIGHLIGHT_STYLES)[number];

export interface Settings {
  /** Master switch: false = no page is scanned or highlighted. */
  enabled: boolean;
  /** Host names (`www.lemonde.fr`) where Attaché stays off; the page text is not even sent. */
  disabledSites: string[];
  /** Entity types to highlight; the others are still counted in the tab state, not drawn. */
  types: EntityType[];
  style: HighlightStyle;
  /** Record visited pages and the entities found there in `db.readings`. */
  readingLog: boolean;
}

export const DEFAULT_SETTINGS: Settings = {
  enabled: true,
  disabledSites: [],
  types: [...ENTITY_TYPES],
  style: 'underline-tint',
  readingLog: true,
};

/** Changes to apply; `site` switches one host on or off. */
export interface SettingsPatch {
  enabled?: boolean;
  types?: EntityType[];
  style?: HighlightStyle;
  readingLog?: boolean;
  site?: { host: string; enabled: boolean };
}

/** True when Attaché should scan pages of `host` under these settings. */
export function isActiveOn(settings: Settings, host: string): boolean {
  return settings.enabled && !settings.disabledSites.includes(host.toLowerCase());
}

export interface ReadingEntry {
  id: number;
  page: string;
  url: string;
  title: string;
  visitedAt: string;
  entities: string[];
}

export interface SettingsProtocol {
  /** Any context (content scripts need it before scanning). */
  'settings.get'(params: Record<string, never>): Promise<Settings>;
  /** Extension pages only. Returns the settings after the change and pushes them to open tabs. */
  'settings.set'(params: SettingsPatch): Promise<Settings>;
  /** Extension pages only: most recent visits first. */
  'readings.list'(params: { limit?: number }): Promise<ReadingEntry[]>;
  /** Extension pages only: deletes the whole reading log. */
  'readings.clear'(params: Record<string, never>): Promise<{ deleted: number }>;
}
