/**
 * Details page, page view and KB explorer: the KB snapshot, curation of user entities and events,
 * and KB packs (import with a dry run, all or nothing; export of the user's records or the whole KB).
 *
 * User records live in `db.userEntities` / `db.userEvents` (with `modified`), which seeding never
 * touches, so they survive KB updates; a user record with the id of a bundled one overrides it.
 */
import type { AttacheDB, UserEntity, UserEvent } from '../kb/db';
import type { Entity, KbEvent, KnowledgeBase } from '../kb/schema';
import { storedKbVersion } from '../kb/seed';
import { validateKb, type KbProblem } from '../kb/validate';
import type {
  ExploreEntity,
  ExploreEvent,
  ExploreProtocol,
  KbSnapshot,
  Origin,
  PackAction,
  PackApplyAnswer,
  PackEntry,
  PackPlan,
  PathProblem,
  RevertAnswer,
  SaveAnswer,
} from '../messaging/protocol-explore';
import { RpcFailure } from '../messaging/rpc';
import { parseJsonText } from '../notes/json-text';
import type { BackgroundContext } from './context';
import type { Feature } from './router';
import { bool, none, obj, str } from './validate-params';

/** A whole-KB export is about 0.6 MB; packs larger than this are refused before parsing. */
export const MAX_PACK_CHARS = 10_000_000;

/** Fields that describe the stored copy, not the record: never compared, never exported. */
const BOOKKEEPING = new Set(['modified', 'origin', 'user']);

function strip<T extends object>(rec: T): T {
  return Object.fromEntries(Object.entries(rec).filter(([k, v]) => !BOOKKEEPING.has(k) && v !== undefined)) as T;
}

/** JSON with sorted keys, so that two records with the same content compare equal whatever the key order. */
function canonical(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonical).join(',')}]`;
  if (v && typeof v === 'object') {
    const entries = Object.entries(v as Record<string, unknown>).filter(([k, x]) => x !== undefined && !BOOKKEEPING.has(k));
    return `{${entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([k, x]) => `${JSON.stringify(k)}:${canonical(x)}`).join(',')}}`;
  }
  return JSON.stringify(v);
}

/** Top-level fields whose content differs. */
function differingFields(a: object, b: object): string[] {
  const ra = a as Record<string, unknown>;
  const rb = b as Record<string, unknown>;
  const keys = new Set([...Object.keys(ra), ...Object.keys(rb)].filter((k) => !BOOKKEEPING.has(k)));
  return [...keys].filter((k) => canonical(ra[k]) !== canonical(rb[k])).sort();
}

/** `entities[3].name` → `$.entities[3].name`; `$…` stays. */
const jsonPath = (p: string) => (p.startsWith('$') ? p : `$.${p}`);
/** Problems of a single record validated as `{entities: [record]}`: `entities[0].name` → `$.name`. */
const recordPath = (p: string) => p.replace(/^(entities|events)\[0\]/, '$');
const toProblems = (ps: KbProblem[], path: (p: string) => string): PathProblem[] => ps.map((p) => ({ path: path(p.path), message: p.message }));

interface KbState {
  version: string;
  bundledEntities: Map<string, Entity>;
  bundledEvents: Map<string, KbEvent>;
  userEntities: Map<string, UserEntity>;
  userEvents: Map<string, UserEvent>;
}

async function readState(db: AttacheDB): Promise<KbState> {
  const [be, bv, ue, uv, version] = await Promise.all([db.entities.toArray(), db.events.toArray(), db.userEntities.toArray(), db.userEvents.toArray(), storedKbVersion(db)]);
  return {
    version: version ?? 'unknown',
    bundledEntities: new Map(be.map((e) => [e.id, e])),
    bundledEvents: new Map(bv.map((e) => [e.id, e])),
    userEntities: new Map(ue.map((e) => [e.id, e])),
    userEvents: new Map(uv.map((e) => [e.id, e])),
  };
}

const knownIds = (s: KbState) => new Set([...s.bundledEntities.keys(), ...s.userEntities.keys()]);

function overlay<B extends { id: string }, U extends B & { modified: string }>(bundled: Map<string, B>, user: Map<string, U>): (B & { origin: Origin; modified?: string })[] {
  const out = new Map<string, B & { origin: Origin; modified?: string }>();
  for (const [id, b] of bundled) out.set(id, { ...b, origin: 'bundled' });
  for (const [id, u] of user) out.set(id, { ...u, origin: bundled.has(id) ? 'edited' : 'added' });
  return [...out.values()];
}

export async function snapshot(db: AttacheDB): Promise<KbSnapshot> {
  const s = await readState(db);
  return {
    version: s.version,
    entities: overlay(s.bundledEntities, s.userEntities) as ExploreEntity[],
    events: overlay(s.bundledEvents, s.userEvents) as ExploreEvent[],
  };
}

/** Stores an entity or event as user data; one identical to the bundled record drops the user copy instead. */
async function saveRecord(db: AttacheDB, kind: 'entity' | 'event', input: unknown, now: Date): Promise<SaveAnswer> {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) return { ok: false, problems: [{ path: '$', message: 'must be an object' }] };
  const record = strip(input as Entity & KbEvent);
  const s = await readState(db);
  const problems = validateKb(kind === 'entity' ? { entities: [record], events: [] } : { entities: [], events: [record] }, knownIds(s));
  if (problems.length > 0) return { ok: false, problems: toProblems(problems, recordPath) };
  const bundled = kind === 'entity' ? s.bundledEntities.get(record.id) : s.bundledEvents.get(record.id);
  const table = kind === 'entity' ? db.userEntities : db.userEvents;
  if (bundled && canonical(bundled) === canonical(record)) {
    await table.delete(record.id);
    return { ok: true, id: record.id, origin: 'bundled' };
  }
  await (table as typeof db.userEntities).put({ ...record, modified: now.toISOString() } as UserEntity);
  return { ok: true, id: record.id, origin: bundled ? 'edited' : 'added' };
}

export const saveEntity = (db: AttacheDB, entity: unknown, now = new Date()) => saveRecord(db, 'entity', entity, now);
export const saveEvent = (db: AttacheDB, event: unknown, now = new Date()) => saveRecord(db, 'event', event, now);

/** Where user records refer to an entity id (`$.userEvents["2026-01-x"].participants[1]`). */
function referencesTo(id: string, s: KbState): PathProblem[] {
  const out: PathProblem[] = [];
  const refer = (path: string, what: string) => out.push({ path, message: `${what} refers to ${JSON.stringify(id)}` });
  for (const e of s.userEntities.values()) {
    const base = `$.userEntities[${JSON.stringify(e.id)}]`;
    if (e.country === id) refer(`${base}.country`, `your entity ${e.name}`);
    e.parties?.forEach((p, i) => p === id && refer(`${base}.parties[${i}]`, `your entity ${e.name}`));
    e.roles?.forEach((r, i) => r.org === id && refer(`${base}.roles[${i}].org`, `your entity ${e.name}`));
  }
  for (const ev of s.userEvents.values()) {
    const base = `$.userEvents[${JSON.stringify(ev.id)}]`;
    ev.participants.forEach((p, i) => p === id && refer(`${base}.participants[${i}]`, `your event ${ev.title}`));
    ev.links?.forEach((p, i) => p === id && refer(`${base}.links[${i}]`, `your event ${ev.title}`));
    if (ev.place === id) refer(`${base}.place`, `your event ${ev.title}`);
  }
  return out;
}

export async function revert(db: AttacheDB, kind: 'entity' | 'event', id: string): Promise<RevertAnswer> {
  return db.transaction('rw', [db.entities, db.events, db.meta, db.userEntities, db.userEvents], async () => {
    const s = await readState(db);
    const user = kind === 'entity' ? s.userEntities.get(id) : s.userEvents.get(id);
    if (!user) return { ok: false, problems: [{ path: '$.id', message: `${JSON.stringify(id)} is not one of your records` }] };
    const bundled = kind === 'entity' ? s.bundledEntities.has(id) : s.bundledEvents.has(id);
    if (kind === 'entity' && !bundled) {
      const refs = referencesTo(id, s);
      if (refs.length > 0) return { ok: false, problems: refs };
    }
    await (kind === 'entity' ? db.userEntities : db.userEvents).delete(id);
    return { ok: true, id, remaining: bundled ? 'bundled' : 'none' };
  });
}

const emptyCounts = (): Record<PackAction, number> => ({ add: 0, same: 0, conflict: 0, replace: 0 });

/** Plans a parsed pack against the KB as it is; pure given the state. */
function planPack(value: unknown, s: KbState, overwrite: boolean): PackPlan {
  const problems = toProblems(validateKb(value, knownIds(s)), jsonPath);
  const plan: PackPlan = { applicable: false, problems, entries: [], counts: emptyCounts() };
  const v = value as Partial<KnowledgeBase> | null;
  if (typeof v?.version === 'string') plan.version = v.version;
  const lists: ['entity' | 'event', unknown][] = [
    ['entity', v?.entities],
    ['event', v?.events],
  ];
  for (const [kind, list] of lists) {
    if (!Array.isArray(list)) continue;
    list.forEach((rec: unknown, i) => {
      if (typeof rec !== 'object' || rec === null || typeof (rec as { id?: unknown }).id !== 'string') return; // reported by validateKb
      const id = (rec as { id: string }).id;
      const path = `$.${kind === 'entity' ? 'entities' : 'events'}[${i}]`;
      const user = kind === 'entity' ? s.userEntities.get(id) : s.userEvents.get(id);
      const bundled = kind === 'entity' ? s.bundledEntities.get(id) : s.bundledEvents.get(id);
      const existing = user ?? bundled;
      let entry: PackEntry;
      if (!existing) entry = { path, kind, id, action: 'add' };
      else if (canonical(existing) === canonical(rec)) entry = { path, kind, id, action: 'same' };
      else {
        const fields = differingFields(existing, rec as object);
        const origin: Origin = user ? (bundled ? 'edited' : 'added') : 'bundled';
        entry = { path, kind, id, action: overwrite ? 'replace' : 'conflict', fields, existing: origin };
        if (!overwrite) {
          const whose = origin === 'bundled' ? 'the bundled knowledge base' : 'your data';
          problems.push({ path, message: `${kind} ${JSON.stringify(id)} already exists in ${whose} with different content (${fields.join(', ')})` });
        }
      }
      plan.entries.push(entry);
      plan.counts[entry.action]++;
    });
  }
  plan.applicable = problems.length === 0;
  return plan;
}

function parsePack(text: string): { ok: true; value: unknown } | { ok: false; plan: PackPlan } {
  if (text.length > MAX_PACK_CHARS) {
    return { ok: false, plan: { applicable: false, problems: [{ path: '$', message: `The file is larger than ${MAX_PACK_CHARS / 1_000_000} MB` }], entries: [], counts: emptyCounts() } };
  }
  const parsed = parseJsonText(text, MAX_PACK_CHARS);
  if (!parsed.ok) return { ok: false, plan: { applicable: false, problems: [parsed.problem], entries: [], counts: emptyCounts() } };
  return parsed;
}

export async function planPackText(db: AttacheDB, text: string, overwrite = false): Promise<PackPlan> {
  const parsed = parsePack(text);
  if (!parsed.ok) return parsed.plan;
  return planPack(parsed.value, await readState(db), overwrite);
}

class PackRefused extends Error {
  constructor(readonly plan: PackPlan) {
    super('pack refused');
  }
}

/**
 * Plans again inside the write transaction (the KB may have changed since the dry run) and writes
 * every added or replaced record, or nothing: any problem, or any failed write, aborts the whole
 * transaction.
 */
export async function applyPackText(db: AttacheDB, text: string, overwrite = false, now = new Date()): Promise<PackApplyAnswer> {
  const parsed = parsePack(text);
  if (!parsed.ok) return { ok: false, plan: parsed.plan };
  const pack = parsed.value as KnowledgeBase;
  try {
    return await db.transaction('rw', [db.entities, db.events, db.meta, db.userEntities, db.userEvents], async () => {
      const plan = planPack(pack, await readState(db), overwrite);
      if (!plan.applicable) throw new PackRefused(plan);
      const modified = now.toISOString();
      const write = new Set(plan.entries.filter((e) => e.action === 'add' || e.action === 'replace').map((e) => `${e.kind}:${e.id}`));
      const entities = pack.entities.filter((e) => write.has(`entity:${e.id}`)).map((e) => ({ ...strip(e), modified }));
      const events = pack.events.filter((e) => write.has(`event:${e.id}`)).map((e) => ({ ...strip(e), modified }));
      await db.userEntities.bulkPut(entities);
      await db.userEvents.bulkPut(events);
      return { ok: true as const, plan, written: entities.length + events.length };
    });
  } catch (e) {
    if (e instanceof PackRefused) return { ok: false, plan: e.plan };
    throw e;
  }
}

export async function exportPack(db: AttacheDB, scope: 'user' | 'all', now = new Date()): Promise<KnowledgeBase> {
  const s = await readState(db);
  const byId = <T extends { id: string }>(a: T, b: T) => a.id.localeCompare(b.id);
  if (scope === 'user') {
    return {
      version: `user-${now.toISOString().slice(0, 10)}`,
      entities: [...s.userEntities.values()].map(strip).sort(byId),
      events: [...s.userEvents.values()].map(strip).sort(byId),
    };
  }
  const snap = await snapshot(db);
  return {
    version: s.userEntities.size + s.userEvents.size > 0 ? `${s.version}+user-${now.toISOString().slice(0, 10)}` : s.version,
    entities: snap.entities.map(strip).sort(byId),
    events: snap.events.map(strip).sort(byId),
  };
}

function recordParam(p: unknown, key: 'entity' | 'event'): Record<string, unknown> {
  const o = obj(p);
  const rec = o[key];
  if (typeof rec !== 'object' || rec === null || Array.isArray(rec)) throw new RpcFailure('invalid', `params.${key} must be an object`, `params.${key}`);
  if (JSON.stringify(rec).length > 200_000) throw new RpcFailure('too-large', `params.${key} is too large`, `params.${key}`);
  return rec as Record<string, unknown>;
}

function packParams(p: unknown): { text: string; overwrite?: boolean } {
  const o = obj(p);
  const overwrite = bool(o, 'overwrite', { optional: true });
  return { text: str(o, 'text', { max: MAX_PACK_CHARS }), ...(overwrite !== undefined ? { overwrite } : {}) };
}

export function exploreFeature(ctx: BackgroundContext): Feature<keyof ExploreProtocol> {
  const { db } = ctx;
  const changed = <T extends { ok: boolean }>(answer: T): T => {
    if (answer.ok) ctx.kbChanged();
    return answer;
  };
  return {
    'explore.snapshot': {
      privileged: true,
      validate: none,
      handle: async () => (await ctx.kbReady, snapshot(db)),
    },
    'explore.saveEntity': {
      privileged: true,
      validate: (p) => ({ entity: recordParam(p, 'entity') as unknown as Entity }),
      handle: async ({ entity }) => (await ctx.kbReady, changed(await saveEntity(db, entity))),
    },
    'explore.saveEvent': {
      privileged: true,
      validate: (p) => ({ event: recordParam(p, 'event') as unknown as KbEvent }),
      handle: async ({ event }) => (await ctx.kbReady, changed(await saveEvent(db, event))),
    },
    'explore.revert': {
      privileged: true,
      validate: (p) => {
        const o = obj(p);
        const kind = str(o, 'kind', { max: 10 });
        if (kind !== 'entity' && kind !== 'event') throw new RpcFailure('invalid', 'params.kind must be entity or event', 'params.kind');
        return { kind, id: str(o, 'id', { max: 200 }) };
      },
      handle: async ({ kind, id }) => (await ctx.kbReady, changed(await revert(db, kind, id))),
    },
    'explore.planPack': {
      privileged: true,
      validate: packParams,
      handle: async ({ text, overwrite }) => (await ctx.kbReady, planPackText(db, text, overwrite)),
    },
    'explore.applyPack': {
      privileged: true,
      validate: packParams,
      handle: async ({ text, overwrite }) => {
        await ctx.kbReady;
        const answer = await applyPackText(db, text, overwrite);
        if (answer.ok && answer.written > 0) ctx.kbChanged();
        return answer;
      },
    },
    'explore.exportPack': {
      privileged: true,
      validate: (p) => {
        const scope = str(obj(p), 'scope', { max: 10 });
        if (scope !== 'user' && scope !== 'all') throw new RpcFailure('invalid', 'params.scope must be user or all', 'params.scope');
        return { scope };
      },
      handle: async ({ scope }) => (await ctx.kbReady, exportPack(db, scope)),
    },
  };
}
