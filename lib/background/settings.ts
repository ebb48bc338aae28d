/**
 * Reader settings (`settings.get` / `settings.set`) and the reading log (`readings.list`,
 * `readings.clear`). Settings are stored one row per key in `db.settings` (rows other features own
 * are left alone) and pushed to every open tab when they change, so highlights follow without a reload.
 */
import { browser } from 'wxt/browser';
import { ENTITY_TYPES, type EntityType } from '../kb/schema';
import type { AttacheDB } from '../kb/db';
import type { TabMessage } from '../messaging/protocol-page';
import {
  DEFAULT_SETTINGS,
  HIGHLIGHT_STYLES,
  isActiveOn,
  type HighlightStyle,
  type Settings,
  type SettingsPatch,
  type SettingsProtocol,
} from '../messaging/protocol-settings';
import { RpcFailure } from '../messaging/rpc';
import type { BackgroundContext } from './context';
import type { Feature } from './router';
import type { TabStore } from './tabs';
import { bool, int, none, obj, str } from './validate-params';

/** Row keys in `db.settings`, prefixed so they cannot collide with other features' rows. */
const KEYS = {
  enabled: 'reader.enabled',
  disabledSites: 'reader.disabledSites',
  types: 'reader.types',
  style: 'reader.style',
  readingLog: 'reader.readingLog',
} as const satisfies Record<keyof Settings, string>;

const MAX_SITES = 5000;

function isType(v: unknown): v is EntityType {
  return typeof v === 'string' && (ENTITY_TYPES as readonly string[]).includes(v);
}

/** Reads stored settings; anything missing or malformed falls back to its default. */
export async function readSettings(db: AttacheDB): Promise<Settings> {
  const rows = await db.settings.bulkGet(Object.values(KEYS));
  const [enabled, sites, types, style, readingLog] = rows.map((r) => r?.value);
  return {
    enabled: typeof enabled === 'boolean' ? enabled : DEFAULT_SETTINGS.enabled,
    disabledSites: Array.isArray(sites) ? sites.filter((s): s is string => typeof s === 'string') : DEFAULT_SETTINGS.disabledSites,
    types: Array.isArray(types) ? types.filter(isType) : DEFAULT_SETTINGS.types,
    style: (HIGHLIGHT_STYLES as readonly unknown[]).includes(style) ? (style as HighlightStyle) : DEFAULT_SETTINGS.style,
    readingLog: typeof readingLog === 'boolean' ? readingLog : DEFAULT_SETTINGS.readingLog,
  };
}

/** Applies a validated patch and returns the new settings. */
export async function writeSettings(db: AttacheDB, patch: SettingsPatch): Promise<Settings> {
  return db.transaction('rw', db.settings, async () => {
    const s = await readSettings(db);
    if (patch.enabled !== undefined) s.enabled = patch.enabled;
    if (patch.types !== undefined) s.types = ENTITY_TYPES.filter((t) => patch.types!.includes(t));
    if (patch.style !== undefined) s.style = patch.style;
    if (patch.readingLog !== undefined) s.readingLog = patch.readingLog;
    if (patch.site) {
      const host = patch.site.host.toLowerCase();
      const others = s.disabledSites.filter((h) => h !== host);
      s.disabledSites = patch.site.enabled ? others : [...others, host];
    }
    await db.settings.bulkPut((Object.keys(KEYS) as (keyof Settings)[]).map((k) => ({ key: KEYS[k], value: s[k] })));
    return s;
  });
}

export function validateSettingsPatch(params: unknown): SettingsPatch {
  const o = obj(params);
  const allowed = new Set(['enabled', 'types', 'style', 'readingLog', 'site']);
  for (const k of Object.keys(o)) if (!allowed.has(k)) throw new RpcFailure('invalid', `params.${k} is not a setting`, `params.${k}`);
  const patch: SettingsPatch = {};
  if (o.enabled !== undefined) patch.enabled = bool(o, 'enabled');
  if (o.readingLog !== undefined) patch.readingLog = bool(o, 'readingLog');
  if (o.style !== undefined) {
    const style = str(o, 'style', { max: 40 });
    if (!(HIGHLIGHT_STYLES as readonly string[]).includes(style)) {
      throw new RpcFailure('invalid', `params.style must be one of ${HIGHLIGHT_STYLES.join(', ')}`, 'params.style');
    }
    patch.style = style as HighlightStyle;
  }
  if (o.types !== undefined) {
    if (!Array.isArray(o.types) || o.types.length > ENTITY_TYPES.length) throw new RpcFailure('invalid', 'params.types must be a list of entity types', 'params.types');
    o.types.forEach((t, i) => {
      if (!isType(t)) throw new RpcFailure('invalid', `params.types[${i}] is not an entity type`, `params.types[${i}]`);
    });
    patch.types = o.types as EntityType[];
  }
  if (o.site !== undefined) {
    const site = obj(o.site, 'params.site');
    const host = str(site, 'host', { max: 253, path: 'params.site' });
    // A host name, as `new URL(...).hostname` gives it (IDN in punycode, IPv6 in brackets).
    if (!/^(\[[0-9a-f:.]+\]|[a-z0-9.-]+)$/i.test(host)) throw new RpcFailure('invalid', 'params.site.host must be a host name', 'params.site.host');
    patch.site = { host, enabled: bool(site, 'enabled', { path: 'params.site' }) };
  }
  return patch;
}

function hostOf(url: string | undefined): string | null {
  if (!url) return null;
  try {
    return new URL(url).hostname;
  } catch {
    return null;
  }
}

/** Sends a message to every tab with a content script; tabs without one just fail, silently. */
export async function broadcastToTabs(message: TabMessage): Promise<void> {
  const tabs = await browser.tabs.query({});
  await Promise.all(
    tabs.map(async (t) => {
      if (t.id === undefined) return;
      try {
        await browser.tabs.sendMessage(t.id, message);
      } catch {
        // No content script there (browser pages, pages opened before install): nothing to update.
      }
    }),
  );
}

export function settingsFeature(ctx: BackgroundContext, tabs: TabStore): Feature<keyof SettingsProtocol> {
  const { db } = ctx;
  return {
    'settings.get': {
      validate: (p) => none(p),
      handle: () => readSettings(db),
    },
    'settings.set': {
      privileged: true,
      validate: (p) => validateSettingsPatch(p),
      async handle(patch) {
        const settings = await writeSettings(db, patch);
        // Tabs where Attaché is now off lose their state and badge; the content script clears the page.
        const open = await browser.tabs.query({});
        await Promise.all(
          open.map(async (t) => {
            const host = hostOf(t.url);
            if (t.id !== undefined && host !== null && !isActiveOn(settings, host)) await tabs.clear(t.id);
          }),
        );
        await broadcastToTabs({ attache: 'settings', settings });
        return settings;
      },
    },
    'readings.list': {
      privileged: true,
      validate: (p) => {
        const o = p === undefined ? {} : obj(p);
        const limit = int(o, 'limit', { min: 1, max: 10_000, optional: true });
        return limit === undefined ? {} : { limit };
      },
      async handle({ limit = 200 }) {
        const rows = await db.readings.orderBy('visitedAt').reverse().limit(limit).toArray();
        return rows.map((r) => ({ id: r.id!, page: r.page, url: r.url, title: r.title, visitedAt: r.visitedAt, entities: r.entities }));
      },
    },
    'readings.clear': {
      privileged: true,
      validate: (p) => none(p),
      async handle() {
        const deleted = await db.readings.count();
        await db.readings.clear();
        tabs.forgetReadings();
        return { deleted };
      },
    },
  };
}
