/**
 * Page features in the background: `page.match` (content script → matcher, tab state, badge,
 * reading log), `entity.card` (hover card data) and `tab.state` (popup).
 *
 * A content script speaks for its own tab only: the tab is `sender.tab.id`, never a parameter.
 */
import { browser } from 'wxt/browser';
import type { Entity, KbEvent, Role } from '../kb/schema';
import { pageIdentity } from '../notes/page-identity';
import type {
  EntityBrief,
  EntityCard,
  EventBrief,
  MatchRequest,
  MatchSpan,
  PageDateSource,
  PageProtocol,
  RoleLine,
  TabState,
} from '../messaging/protocol-page';
import { packSpans } from '../messaging/packed-spans';
import { RpcFailure } from '../messaging/rpc';
import { cardLabels } from '../page/card-labels';
import { DATE_HINT_LIMITS } from '../page/date-hints';
import { dateFromHints } from '../page/page-date';
import type { BackgroundContext } from './context';
import type { EngineService } from './engine-service';
import type { Feature, Sender } from './router';
import { broadcastToTabs, readSettings } from './settings';
import type { TabRecord, TabStore } from './tabs';
import { int, obj, str, strList } from './validate-params';

/** Largest text one `page.match` call may carry (the content script sends ≤ 1 M per call). */
export const MAX_MATCH_TEXT = 2_000_000;
export const MAX_URL = 8192;

const DATE_SOURCES: readonly PageDateSource[] = ['meta', 'json-ld', 'time', 'url', 'dateline', 'visit'];
const ISO_DAY = /^\d{4}-\d{2}-\d{2}$/;

export function validateMatchRequest(params: unknown): MatchRequest {
  const o = obj(params);
  const req: MatchRequest = {
    docId: str(o, 'docId', { max: 64 }),
    url: str(o, 'url', { max: MAX_URL }),
    title: str(o, 'title', { max: 2000 }),
    text: str(o, 'text', { max: MAX_MATCH_TEXT }),
    offset: int(o, 'offset', { max: 100_000_000 }),
  };
  if (!/^[\w-]{1,64}$/.test(req.docId)) throw new RpcFailure('invalid', 'params.docId must be a short identifier', 'params.docId');
  if (!/^(https?|file):/i.test(req.url)) throw new RpcFailure('invalid', 'params.url must be a web address', 'params.url');
  const lang = str(o, 'lang', { max: 35, optional: true });
  if (lang !== undefined) req.lang = lang;
  if (o.pageDate !== undefined) {
    const d = obj(o.pageDate, 'params.pageDate');
    const date = str(d, 'date', { max: 10, path: 'params.pageDate' });
    const source = str(d, 'source', { max: 20, path: 'params.pageDate' });
    if (!ISO_DAY.test(date)) throw new RpcFailure('invalid', 'params.pageDate.date must be YYYY-MM-DD', 'params.pageDate.date');
    if (!DATE_SOURCES.includes(source as PageDateSource)) throw new RpcFailure('invalid', 'params.pageDate.source is unknown', 'params.pageDate.source');
    req.pageDate = { date, source: source as PageDateSource };
  }
  if (o.dateHints !== undefined) {
    const h = obj(o.dateHints, 'params.dateHints');
    const L = DATE_HINT_LIMITS;
    const path = 'params.dateHints';
    req.dateHints = {
      meta: strList(h, 'meta', { maxItems: L.meta.items, maxLength: L.meta.length, path }),
      jsonLd: strList(h, 'jsonLd', { maxItems: L.jsonLd.items, maxLength: L.jsonLd.length, path }),
      times: strList(h, 'times', { maxItems: L.times.items, maxLength: L.times.length, path }),
      lines: strList(h, 'lines', { maxItems: L.lines.items, maxLength: L.lines.length, path }),
    };
  }
  return req;
}

function tabOf(sender: Sender): { id: number; incognito: boolean } {
  const id = sender.tab?.id;
  if (id === undefined || id < 0) throw new RpcFailure('forbidden', 'page.match is only for pages open in a tab');
  return { id, incognito: sender.tab?.incognito === true };
}

const today = () => new Date().toISOString().slice(0, 10);

/** Role dates compare as strings once cut to the same precision. */
function heldOn(role: Role, date: string): boolean {
  const from = role.from ?? '';
  const to = role.to;
  return from.slice(0, date.length) <= date && (to === undefined || date.slice(0, to.length) <= to);
}

/**
 * Latest start first. Role dates are ISO dates (`validateKb`), which order as plain strings, as
 * `heldOn` compares them; not `localeCompare`, whose first call builds an ICU collator (~7 ms of a
 * cold worker's first answer).
 */
const latestFirst = (a: Role, b: Role): number => {
  const x = a.from ?? '';
  const y = b.from ?? '';
  return x < y ? 1 : x > y ? -1 : 0;
};

/** "Defence Minister of China (since 2023-12)", for the role held on `date`, else the latest. */
export function roleLine(entity: Entity, date: string): string | undefined {
  const roles = entity.roles ?? [];
  if (roles.length === 0) return undefined;
  const latest = [...roles].sort(latestFirst);
  const role = latest.find((r) => heldOn(r, date)) ?? latest[0]!;
  const acting = role.acting ? ' (acting)' : '';
  if (role.to) return `${role.title}${acting} (${role.from ?? '?'} – ${role.to})`;
  return role.from ? `${role.title}${acting} (since ${role.from})` : `${role.title}${acting}`;
}

function brief(entities: Map<string, Entity>, e: Entity, date: string, lang: string): EntityBrief {
  const country = e.country ? entities.get(e.country)?.name : undefined;
  const line = roleLine(e, date);
  return {
    id: e.id,
    name: e.name,
    type: e.type,
    description: e.descriptions?.[lang as keyof NonNullable<Entity['descriptions']>] ?? e.description,
    ...(country ? { country } : {}),
    ...(line ? { roleLine: line } : {}),
  };
}

function uiLang(): string {
  try {
    return browser.i18n.getUILanguage().slice(0, 2);
  } catch {
    return 'en';
  }
}

export function toTabState(rec: TabRecord, entities: Map<string, Entity>): TabState {
  const list = Object.entries(rec.counts)
    .map(([id, count]) => {
      const e = entities.get(id);
      return e ? { id, name: e.name, type: e.type, count } : null;
    })
    .filter((x) => x !== null)
    .sort((a, b) => b.count - a.count || a.name.localeCompare(b.name));
  return {
    docId: rec.docId,
    url: rec.url,
    title: rec.title,
    ...(rec.pageDate ? { pageDate: rec.pageDate } : {}),
    entities: list,
    updatedAt: rec.updatedAt,
  };
}

function eventBrief(ev: KbEvent, entities: Map<string, Entity>): EventBrief {
  const named = (id: string) => ({ id, name: entities.get(id)?.name ?? id });
  return {
    id: ev.id,
    date: ev.date,
    title: ev.title,
    summary: ev.summary,
    participants: ev.participants.map(named),
    ...(ev.place ? { place: named(ev.place) } : {}),
    sources: ev.sources.map((s) => ({
      ...(s.url ? { url: s.url } : {}),
      ...(s.corpus ? { corpus: s.corpus } : {}),
      ...(s.title ? { title: s.title } : {}),
      ...(s.publisher ? { publisher: s.publisher } : {}),
    })),
  };
}

export function pageFeature(ctx: BackgroundContext, engines: EngineService, tabs: TabStore): Feature<keyof PageProtocol> {
  const { db } = ctx;
  tabs.listen();
  // New or edited entities: every open page matches again (the engine itself reloads lazily).
  ctx.onKbChanged(() => {
    void broadcastToTabs({ attache: 'rescan' });
  });

  async function logReading(tabId: number, rec: TabRecord): Promise<void> {
    const entities = Object.keys(rec.counts);
    // Only pages where something was found: the log is about defence reading, not a browsing history.
    if (entities.length === 0) return;
    if (rec.readingId !== undefined) {
      await db.readings.update(rec.readingId, { entities });
      return;
    }
    let page: string;
    try {
      page = pageIdentity(rec.url);
    } catch {
      page = rec.url;
    }
    rec.readingId = await db.readings.add({ page, url: rec.url, title: rec.title, visitedAt: new Date().toISOString(), entities });
    // Persist the reading id unless the tab moved on to another document meanwhile.
    if ((await tabs.get(tabId)) === rec) await tabs.put(tabId, rec);
  }

  /** Per tab, the end of its last queued `page.match` (matching only, not the work that follows). */
  const queues = new Map<number, Promise<void>>();
  /** Work that follows each `page.match` answer, one match's after the other's (see there). */
  let followUp: Promise<void> = Promise.resolve();

  async function matchInTab(req: MatchRequest, tab: { id: number; incognito: boolean }) {
    const t0 = performance.now();
    // Read while the engine loads; settings as they are when the page asks.
    const settings = tab.incognito ? null : readSettings(db);
    settings?.catch(() => undefined); // awaited after the answer
    const loaded = await engines.get();
    const prev = await tabs.get(tab.id);
    const rec: TabRecord =
      prev && prev.docId === req.docId
        ? prev
        : { docId: req.docId, url: req.url, title: req.title, counts: {}, updatedAt: '' };
    rec.url = req.url;
    rec.title = req.title;
    if (req.pageDate) rec.pageDate = req.pageDate;
    else if (req.dateHints) rec.pageDate = dateFromHints(req.dateHints, req.url, new Date());
    const docState = tabs.docState(tab.id, req.docId, () => loaded.engine.newDocState());
    const page = { url: req.url, ...(req.lang ? { lang: req.lang } : {}), ...(rec.pageDate ? { pageDate: rec.pageDate } : {}) };
    const found: MatchSpan[] = req.text.length > 0 ? loaded.engine.match(req.text, docState, page) : [];
    // Only the matched entities (and their countries) are read, not the whole KB.
    const entities = await loaded.entities.get(found.map((s) => s.id));
    const spans = found.filter((s) => entities.has(s.id) && s.start >= 0 && s.end <= req.text.length && s.start < s.end);

    const date = rec.pageDate?.date ?? today();
    // Descriptions in the page's language when the KB has one (the card speaks it too).
    const lang = (req.lang ?? uiLang()).slice(0, 2).toLowerCase();
    const briefs: Record<string, EntityBrief> = {};
    for (const s of spans) {
      rec.counts[s.id] = (rec.counts[s.id] ?? 0) + 1;
      if (!briefs[s.id]) briefs[s.id] = brief(entities, entities.get(s.id)!, date, lang);
    }
    rec.updatedAt = new Date().toISOString();
    // The page waits for its spans only: the storage.session mirror, the badge and the reading log
    // follow the answer (four round trips to the browser, ~15 ms on a cold worker), outside the
    // tab's matching queue. In order, so that the reading log of a page matched in pieces sees its
    // own `readingId`.
    const mirrored = tabs.put(tab.id, rec); // in memory now (what `tab.state` reads)
    mirrored.catch(() => undefined); // awaited below
    followUp = followUp
      .then(async () => {
        await mirrored;
        await tabs.badge(tab.id, Object.keys(rec.counts).length);
        if (settings && (await settings).readingLog) await logReading(tab.id, rec);
      })
      .catch((e: unknown) => console.warn('[attache] tab state, badge or reading log after page.match', e));
    return { spans: packSpans(spans), entities: briefs, ms: performance.now() - t0 };
  }

  return {
    'page.match': {
      validate: (p) => validateMatchRequest(p),
      async handle(req, sender) {
        // One tab's calls run in the order they came: a page sends its pieces without waiting, and
        // the matcher's document state (short forms) must see them in page order.
        const tab = tabOf(sender);
        const run = (queues.get(tab.id) ?? Promise.resolve()).then(() => matchInTab(req, tab));
        const settled = run.then(
          () => undefined,
          () => undefined,
        );
        queues.set(tab.id, settled);
        void settled.then(() => {
          if (queues.get(tab.id) === settled) queues.delete(tab.id);
        });
        return run;
      },
    },
    'entity.card': {
      validate: (p) => {
        const o = obj(p);
        const id = str(o, 'id', { max: 200 });
        const limit = int(o, 'limit', { min: 1, max: 50, optional: true });
        const lang = str(o, 'lang', { max: 35, optional: true });
        return { id, ...(limit === undefined ? {} : { limit }), ...(lang === undefined ? {} : { lang }) };
      },
      async handle({ id, limit = 3, lang }, sender) {
        const lookup = (await engines.get()).entities;
        const entities = await lookup.get([id]);
        const e = entities.get(id);
        if (!e) throw new RpcFailure('not-found', `No entity ${id} in the knowledge base`);
        const tabId = sender.tab?.id;
        const rec = tabId !== undefined ? await tabs.get(tabId) : undefined;
        const date = rec?.pageDate?.date ?? today();
        const [p1, p2, u1, u2] = await Promise.all([
          db.events.where('participants').equals(id).toArray(),
          db.events.where('links').equals(id).toArray(),
          db.userEvents.where('participants').equals(id).toArray(),
          db.userEvents.where('links').equals(id).toArray(),
        ]);
        const byId = new Map<string, KbEvent>();
        for (const ev of [...p1, ...p2]) byId.set(ev.id, ev);
        for (const ev of [...u1, ...u2]) byId.set(ev.id, ev); // the user's edit wins
        const latest = [...byId.values()].sort((a, b) => b.date.localeCompare(a.date) || a.id.localeCompare(b.id)).slice(0, limit);
        const named = await lookup.get(latest.flatMap((ev) => (ev.place ? [...ev.participants, ev.place] : ev.participants)));
        const events = latest.map((ev) => eventBrief(ev, named));
        const roles: RoleLine[] = [...(e.roles ?? [])]
          .sort(latestFirst)
          .map((r) => ({
            title: r.title,
            ...(r.office ? { office: r.office } : {}),
            ...(r.acting ? { acting: true } : {}),
            ...(r.from ? { from: r.from } : {}),
            ...(r.to ? { to: r.to } : {}),
          }));
        const user = await db.userEntities.get(id);
        const card: EntityCard = {
          ...brief(entities, e, date, (lang ?? uiLang()).slice(0, 2)),
          ...(user ? { user: true } : {}),
          roles,
          events,
          sources: (e.sources ?? []).map((s) => ({
            ...(s.url ? { url: s.url } : {}),
            ...(s.corpus ? { corpus: s.corpus } : {}),
            ...(s.title ? { title: s.title } : {}),
          })),
        };
        return card;
      },
    },
    'entity.open': {
      validate: (p) => ({ id: str(obj(p), 'id', { max: 200 }) }),
      async handle({ id }, sender) {
        const { entities } = await engines.get();
        if (!(await entities.get([id])).has(id)) throw new RpcFailure('not-found', `No entity ${id} in the knowledge base`);
        // Next to the page it came from, like a link opened in a new tab.
        const from = sender.tab;
        await browser.tabs.create({
          // The details page is another feature's entrypoint; WXT's typed paths only know built ones.
          url: (browser.runtime.getURL as (path: string) => string)(`/details.html#${encodeURIComponent(id)}`),
          ...(from?.index !== undefined ? { index: from.index + 1 } : {}),
          ...(from?.id !== undefined ? { openerTabId: from.id } : {}),
        });
      },
    },
    'page.labels': {
      validate: (p) => {
        const lang = str(obj(p), 'lang', { max: 35, optional: true });
        return lang === undefined ? {} : { lang };
      },
      handle: ({ lang }) => cardLabels(lang, uiLang()),
    },
    'tab.state': {
      privileged: true,
      validate: (p) => ({ tabId: int(obj(p), 'tabId', { max: 2 ** 31 }) }),
      async handle({ tabId }) {
        const rec = await tabs.get(tabId);
        if (!rec) return null;
        const { entities } = await engines.get();
        return toTabState(rec, await entities.get(Object.keys(rec.counts)));
      },
    },
  };
}

