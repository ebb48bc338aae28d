/**
 * Knowledge-base queries for the popup: an entity's card with its timeline, agreements, exercises
 * and related actors, the user's readings and notes that mention it; instant search; and
 * user-added entities ("Add to knowledge base" from "Also on this page").
 */
import type { AttacheDB, UserEntity } from '../kb/db';
import type { Entity, KbEvent } from '../kb/schema';
import { slugify } from '../kb/validate';
import type { EntityDetails, EntityRef, KbProtocol, NewEntityRequest, RelatedActor, TimelineEvent } from '../messaging/protocol-kb';
import { RpcFailure } from '../messaging/rpc';
import type { BackgroundContext } from './context';
import { NameIndex } from './kb-index';
import { listItems } from './notes';
import type { Feature } from './router';
import { int, obj, str, strList } from './validate-params';

/** The KB as the popup sees it: bundled entities with user entities laid over them. */
export class KbView {
  private cache: Promise<{ byId: Map<string, Entity & { user?: boolean }>; index: NameIndex }> | undefined;

  constructor(
    private readonly db: AttacheDB,
    private readonly ready: Promise<void>,
  ) {}

  /** Drops the cache; the next query rebuilds it (after user entities or a KB update). */
  invalidate(): void {
    this.cache = undefined;
  }

  private load() {
    this.cache ??= (async () => {
      await this.ready;
      const [bundled, user] = await Promise.all([this.db.entities.toArray(), this.db.userEntities.toArray()]);
      const byId = new Map<string, Entity & { user?: boolean }>();
      for (const e of bundled) byId.set(e.id, e);
      for (const e of user) byId.set(e.id, { ...e, user: true });
      return { byId, index: new NameIndex(bundled, user) };
    })();
    // A failed load must not stay cached forever.
    this.cache.catch(() => (this.cache = undefined));
    return this.cache;
  }

  async index(): Promise<NameIndex> {
    return (await this.load()).index;
  }

  async entity(id: string): Promise<(Entity & { user?: boolean }) | undefined> {
    return (await this.load()).byId.get(id);
  }

  async ref(id: string): Promise<EntityRef> {
    const e = await this.entity(id);
    // An id the KB no longer has (a user entity deleted, a KB update renamed it) still shows, as itself.
    return e ? { id: e.id, name: e.name, type: e.type } : { id, name: id, type: 'organization' };
  }

  async all(): Promise<(Entity & { user?: boolean })[]> {
    return [...(await this.load()).byId.values()];
  }
}

/** Events an entity takes part in or that link to it (bundled and user events), newest first. */
export async function eventsOf(db: AttacheDB, id: string): Promise<KbEvent[]> {
  const [a, b, c, d] = await Promise.all([
    db.events.where('participants').equals(id).toArray(),
    db.events.where('links').equals(id).toArray(),
    db.userEvents.where('participants').equals(id).toArray(),
    db.userEvents.where('links').equals(id).toArray(),
  ]);
  const byId = new Map<string, KbEvent>();
  for (const e of [...a, ...b]) byId.set(e.id, e);
  for (const e of [...c, ...d]) byId.set(e.id, e); // the user's version wins
  return [...byId.values()].sort((x, y) => (x.date < y.date ? 1 : x.date > y.date ? -1 : x.id.localeCompare(y.id)));
}

/** Co-participants of `id` in `events`, ranked by the number of events shared, then by name. */
export function rankRelated(id: string, events: readonly KbEvent[], name: (id: string) => EntityRef | undefined, placeTypes = new Set(['place'])): RelatedActor[] {
  const counts = new Map<string, number>();
  for (const ev of events) {
    if (!ev.participants.includes(id)) continue;
    for (const p of new Set(ev.participants)) if (p !== id) counts.set(p, (counts.get(p) ?? 0) + 1);
  }
  const out: RelatedActor[] = [];
  for (const [pid, shared] of counts) {
    const ref = name(pid);
    if (ref && !placeTypes.has(ref.type)) out.push({ ...ref, shared });
  }
  return out.sort((a, b) => b.shared - a.shared || a.name.localeCompare(b.name));
}

export async function entityDetails(db: AttacheDB, view: KbView, id: string): Promise<EntityDetails> {
  const e = await view.entity(id);
  if (!e) throw new RpcFailure('not-found', `No entity ${id} in the knowledge base`, 'params.id');
  const all = await view.all();
  const refs = new Map(all.map((x) => [x.id, { id: x.id, name: x.name, type: x.type } as EntityRef]));
  const refOf = (x: string): EntityRef => refs.get(x) ?? { id: x, name: x, type: 'organization' };
  const events = await eventsOf(db, id);

  const timeline: TimelineEvent[] = events.map((ev) => ({
    id: ev.id,
    date: ev.date,
    ...(ev.endDate ? { endDate: ev.endDate } : {}),
    title: ev.title,
    summary: ev.summary,
    participants: ev.participants.filter((p) => p !== id).map(refOf),
    ...(ev.place ? { place: refOf(ev.place) } : {}),
    sources: ev.sources.map(({ url, corpus, title, publisher }) => ({ url, corpus, title, publisher })),
  }));

  // Agreements and exercises: declared parties, or linked from an event the entity took part in.
  const partyOf = new Map<string, Entity>();
  for (const x of all) if ((x.type === 'agreement' || x.type === 'exercise') && x.parties?.includes(id)) partyOf.set(x.id, x);
  for (const ev of events) {
    if (!ev.participants.includes(id)) continue;
    for (const l of ev.links ?? []) {
      const x = all.find((y) => y.id === l);
      if (x && (x.type === 'agreement' || x.type === 'exercise')) partyOf.set(x.id, x);
    }
  }
  const dated = (x: Entity) => ({ id: x.id, name: x.name, type: x.type, ...(x.date ? { date: x.date } : {}) });
  const byDateDesc = (a: { date?: string }, b: { date?: string }) => (b.date ?? '').localeCompare(a.date ?? '');
  const partyEntities = [...partyOf.values()];

  const [readings, notes] = await Promise.all([
    db.readings.where('entities').equals(id).toArray(),
    db.notes.where('entities').equals(id).toArray(),
  ]);
  readings.sort((a, b) => b.visitedAt.localeCompare(a.visitedAt));
  notes.sort((a, b) => b.created.localeCompare(a.created));

  return {
    id: e.id,
    name: e.name,
    type: e.type,
    description: e.description,
    user: e.user === true,
    ...(e.country ? { country: refOf(e.country) } : {}),
    ...(e.date ? { date: e.date } : {}),
    ...(e.endDate ? { endDate: e.endDate } : {}),
    roles: (e.roles ?? [])
      .map((r) => ({ title: r.title, ...(r.from ? { from: r.from } : {}), ...(r.to ? { to: r.to } : {}), ...(r.acting ? { acting: true } : {}) }))
      .sort((a, b) => (b.from ?? '').localeCompare(a.from ?? '')),
    events: timeline,
    agreements: partyEntities.filter((x) => x.type === 'agreement').map(dated).sort(byDateDesc),
    exercises: partyEntities.filter((x) => x.type === 'exercise').map(dated).sort(byDateDesc),
    parties: (e.parties ?? []).map(refOf),
    related: rankRelated(id, events, (x) => refs.get(x)),
    readings: readings.slice(0, 20).map((r) => ({ url: r.url, title: r.title, visitedAt: r.visitedAt })),
    notes: await listItems(db, notes),
    sources: (e.sources ?? []).map(({ url, corpus, title, publisher }) => ({ url, corpus, title, publisher })),
    ...(e.wikipedia ? { wikipedia: e.wikipedia } : {}),
  };
}

/** Stores a user entity; a new id is derived from the name, never overwriting another entity. */
export async function addUserEntity(db: AttacheDB, view: KbView, req: NewEntityRequest, now = new Date()): Promise<EntityRef> {
  const name = req.name.replace(/\s+/g, ' ').trim();
  if (name.length < 2) throw new RpcFailure('invalid', 'The name is empty', 'params.name');
  const index = await view.index();
  const existing = index.search(name, 5).find((h) => h.matched.toLowerCase() === name.toLowerCase());
  if (existing) return { id: existing.id, name: existing.name, type: existing.type };
  const base = slugify(name) || `user-${now.getTime()}`;
  let id = base;
  for (let i = 2; (await view.entity(id)) !== undefined; i++) id = `${base}-${i}`;
  const lang = req.lang ?? 'en';
  const entity: UserEntity = {
    id,
    type: req.type,
    name,
    names: { [lang]: [name] },
    // A KB record needs a description (validateKb); say honestly where the name comes from.
    description: `${req.type === 'person' ? 'Person' : 'Organisation'} named in “${req.sourceTitle || hostOf(req.sourceUrl)}”, added by you.`,
    sources: [{ url: req.sourceUrl, ...(req.sourceTitle ? { title: req.sourceTitle } : {}), date: now.toISOString().slice(0, 10) }],
    modified: now.toISOString(),
  };
  await db.userEntities.add(entity);
  return { id, name, type: req.type };
}

function hostOf(url: string): string {
  try {
    return new URL(url).hostname;
  } catch {
    return url;
  }
}

function validateNewEntity(p: unknown): NewEntityRequest {
  const o = obj(p);
  const type = str(o, 'type', { max: 20 });
  if (type !== 'person' && type !== 'organization') throw new RpcFailure('invalid', 'params.type must be person or organization', 'params.type');
  const sourceUrl = str(o, 'sourceUrl', { max: 4000 });
  if (!/^https?:\/\//i.test(sourceUrl)) throw new RpcFailure('invalid', 'params.sourceUrl must be an http(s) address', 'params.sourceUrl');
  const lang = str(o, 'lang', { max: 2, optional: true });
  if (lang !== undefined && lang !== 'en' && lang !== 'fr' && lang !== 'ar') throw new RpcFailure('invalid', 'params.lang must be en, fr or ar', 'params.lang');
  const sourceTitle = str(o, 'sourceTitle', { max: 500, optional: true });
  return { name: str(o, 'name', { max: 200 }), type, sourceUrl, ...(sourceTitle ? { sourceTitle } : {}), ...(lang ? { lang } : {}) };
}

export function kbFeature(ctx: BackgroundContext): Feature<keyof KbProtocol> {
  const view = new KbView(ctx.db, ctx.kbReady);
  ctx.onKbChanged(() => view.invalidate());
  // The bundled KB may be reseeded after the first query (install, update).
  void ctx.kbReady.then(() => view.invalidate());
  return {
    'kb.entity': {
      privileged: true,
      validate: (p) => ({ id: str(obj(p), 'id', { max: 200 }) }),
      handle: ({ id }) => entityDetails(ctx.db, view, id),
    },
    'kb.search': {
      privileged: true,
      validate: (p) => {
        const o = obj(p);
        return { query: str(o, 'query', { max: 200 }), limit: int(o, 'limit', { min: 1, max: 200, optional: true }) };
      },
      handle: async ({ query, limit }) => (await view.index()).search(query, limit ?? 20),
    },
    'kb.unknownNames': {
      privileged: true,
      validate: (p) => ({ names: strList(obj(p), 'names', { maxItems: 500, maxLength: 200 }) }),
      handle: async ({ names }) => {
        const index = await view.index();
        return names.filter((n) => index.isUnknown(n));
      },
    },
    'kb.entitiesIn': {
      validate: (p) => ({ text: str(obj(p), 'text', { max: 20_000 }) }),
      handle: async ({ text }) => (await view.index()).entitiesIn(text),
    },
    'kb.names': {
      privileged: true,
      validate: (p) => ({ ids: strList(obj(p), 'ids', { maxItems: 100_000, maxLength: 512 }) }),
      handle: async ({ ids }) => {
        const out: Record<string, EntityRef> = {};
        for (const id of new Set(ids)) {
          const e = await view.entity(id);
          if (e) out[id] = { id: e.id, name: e.name, type: e.type };
        }
        return out;
      },
    },
    'kb.addUserEntity': {
      privileged: true,
      validate: validateNewEntity,
      handle: async (req) => {
        const ref = await addUserEntity(ctx.db, view, req);
        view.invalidate();
        ctx.kbChanged();
        return ref;
      },
    },
  };
}
