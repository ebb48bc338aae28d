import Dexie from 'dexie';
import { afterEach, describe, expect, it } from 'vitest';
import { AttacheDB } from '../kb/db';
import type { Entity, KbEvent, KnowledgeBase } from '../kb/schema';
import { seedKb } from '../kb/seed';
import { createContext } from './context';
import { applyPackText, exploreFeature, exportPack, planPackText, revert, saveEntity, saveEvent, snapshot } from './explore';
import { Router } from './router';

const dbs: AttacheDB[] = [];
afterEach(async () => {
  for (const db of dbs.splice(0)) {
    db.close();
    await Dexie.delete(db.name);
  }
});

const src = [{ url: 'https://example.org/source' }];
const person = (id: string, name: string, extra: Partial<Entity> = {}): Entity => ({ id, type: 'person', name, names: { en: [name] }, description: `${name}.`, sources: src, ...extra });
const ev = (id: string, date: string, participants: string[], extra: Partial<KbEvent> = {}): KbEvent => ({ id, date, title: id, summary: `${id} summary`, participants, sources: src, ...extra });
const country = (id: string, name: string): Entity => ({ id, type: 'country', name, names: { en: [name] }, description: `${name}.` });

const kb = (version: string, extra: Partial<KnowledgeBase> = {}): KnowledgeBase => ({
  version,
  entities: [country('iran', 'Iran'), country('russia', 'Russia'), person('mohammad-bagheri', 'Mohammad Bagheri', { country: 'iran' }), person('sergei-shoigu', 'Sergei Shoigu', { country: 'russia' })],
  events: [ev('2021-10-19-bagheri-meets-shoigu', '2021-10-19', ['mohammad-bagheri', 'sergei-shoigu'])],
  ...extra,
});

async function seeded(version = 'v1'): Promise<AttacheDB> {
  const db = new AttacheDB(`attache-explore-${Math.random().toString(36).slice(2)}`);
  dbs.push(db);
  await seedKb(db, kb(version));
  return db;
}

const pack = (p: Partial<KnowledgeBase>) => JSON.stringify({ version: 'team-1', entities: [], events: [], ...p });

describe('curation', () => {
  it('saves a new entity as user data, shown as added, and rejects an invalid one with JSON paths', async () => {
    const db = await seeded();
    const ok = await saveEntity(db, person('ali-akbar-ahmadian', 'Ali Akbar Ahmadian', { country: 'iran' }), new Date('2026-01-02T00:00:00Z'));
    expect(ok).toEqual({ ok: true, id: 'ali-akbar-ahmadian', origin: 'added' });
    expect((await db.userEntities.get('ali-akbar-ahmadian'))?.modified).toBe('2026-01-02T00:00:00.000Z');

    const bad = await saveEntity(db, { ...person('x-y', 'X Y'), country: 'atlantis', roles: [{ title: 'Boss', from: '2020-13' }] });
    expect(bad.ok).toBe(false);
    if (!bad.ok) expect(bad.problems.map((p) => p.path).sort()).toEqual(['$.country', '$.roles[0].from']);
    expect(await db.userEntities.get('x-y')).toBeUndefined();
  });

  it('an edit of a bundled entity survives a KB reseed and overrides the bundled record', async () => {
    const db = await seeded('v1');
    const edited = person('sergei-shoigu', 'Sergei Shoigu', { country: 'russia', description: 'Secretary of the Security Council of Russia since May 2024.' });
    expect(await saveEntity(db, edited)).toMatchObject({ ok: true, origin: 'edited' });
    const r = await seedKb(db, kb('v2', { entities: [...kb('v2').entities, person('andrey-belousov', 'Andrey Belousov', { country: 'russia' })] }));
    expect(r.seeded).toBe(true);
    const snap = await snapshot(db);
    expect(snap.version).toBe('v2');
    const shoigu = snap.entities.find((e) => e.id === 'sergei-shoigu');
    expect(shoigu).toMatchObject({ origin: 'edited', description: 'Secretary of the Security Council of Russia since May 2024.' });
    expect(snap.entities.find((e) => e.id === 'andrey-belousov')?.origin).toBe('bundled');
    // Saving the bundled content again drops the user copy.
    expect(await saveEntity(db, person('sergei-shoigu', 'Sergei Shoigu', { country: 'russia' }))).toMatchObject({ ok: true, origin: 'bundled' });
    expect(await db.userEntities.count()).toBe(0);
  });

  it('saves events that refer to user entities; reverting an added entity is refused while referred to', async () => {
    const db = await seeded();
    await saveEntity(db, person('ali-akbar-ahmadian', 'Ali Akbar Ahmadian'));
    expect(await saveEvent(db, ev('2024-02-ahmadian-in-moscow', '2024-02', ['ali-akbar-ahmadian', 'sergei-shoigu']))).toMatchObject({ ok: true, origin: 'added' });
    const refused = await revert(db, 'entity', 'ali-akbar-ahmadian');
    expect(refused).toEqual({ ok: false, problems: [{ path: '$.userEvents["2024-02-ahmadian-in-moscow"].participants[0]', message: 'your event 2024-02-ahmadian-in-moscow refers to "ali-akbar-ahmadian"' }] });
    expect(await revert(db, 'event', '2024-02-ahmadian-in-moscow')).toEqual({ ok: true, id: '2024-02-ahmadian-in-moscow', remaining: 'none' });
    expect(await revert(db, 'entity', 'ali-akbar-ahmadian')).toEqual({ ok: true, id: 'ali-akbar-ahmadian', remaining: 'none' });
    expect(await revert(db, 'entity', 'sergei-shoigu')).toMatchObject({ ok: false });
  });
});

describe('KB packs', () => {
  const newPerson = person('ali-akbar-ahmadian', 'Ali Akbar Ahmadian', { country: 'iran' });
  const newEvent = ev('2024-02-ahmadian-in-moscow', '2024-02', ['ali-akbar-ahmadian', 'sergei-shoigu']);

  it('plans adds, unchanged records and conflicts, with JSON paths, writing nothing', async () => {
    const db = await seeded();
    const text = pack({ entities: [newPerson, person('mohammad-bagheri', 'Mohammad Bagheri', { country: 'iran' }), person('sergei-shoigu', 'Sergey Shoygu', { country: 'russia' })], events: [newEvent] });
    const plan = await planPackText(db, text);
    expect(plan.counts).toEqual({ add: 2, same: 1, conflict: 1, replace: 0 });
    expect(plan.applicable).toBe(false);
    expect(plan.entries.find((e) => e.action === 'conflict')).toEqual({ path: '$.entities[2]', kind: 'entity', id: 'sergei-shoigu', action: 'conflict', fields: ['description', 'name', 'names'], existing: 'bundled' });
    expect(plan.problems).toEqual([{ path: '$.entities[2]', message: 'entity "sergei-shoigu" already exists in the bundled knowledge base with different content (description, name, names)' }]);
    expect(await db.userEntities.count()).toBe(0);
  });

  it('applies nothing when one record conflicts or is invalid, everything otherwise', async () => {
    const db = await seeded();
    const conflicting = pack({ entities: [newPerson, person('sergei-shoigu', 'Sergey Shoygu')], events: [newEvent] });
    const refused = await applyPackText(db, conflicting);
    expect(refused.ok).toBe(false);
    expect([await db.userEntities.count(), await db.userEvents.count()]).toEqual([0, 0]);

    const invalid = pack({ entities: [newPerson], events: [{ ...newEvent, date: '24-02', participants: ['ali-akbar-ahmadian', 'nobody'] }] });
    const bad = await applyPackText(db, invalid);
    expect(bad.ok).toBe(false);
    expect(bad.plan.problems.map((p) => p.path)).toEqual(['$.events[0].date', '$.events[0].participants[1]']);
    expect(await db.userEntities.count()).toBe(0);

    const syntax = await planPackText(db, '{"entities": [}');
    expect(syntax.problems[0]).toMatchObject({ path: '$', line: 1 });

    const good = await applyPackText(db, pack({ entities: [newPerson], events: [newEvent] }), false, new Date('2026-03-01T00:00:00Z'));
    expect(good).toMatchObject({ ok: true, written: 2 });
    expect((await db.userEvents.get(newEvent.id))?.modified).toBe('2026-03-01T00:00:00.000Z');
    // The same pack again: every record unchanged, nothing written.
    expect(await applyPackText(db, pack({ entities: [newPerson], events: [newEvent] }))).toMatchObject({ ok: true, written: 0, plan: { counts: { same: 2 } } });
  });

  it('rolls back the records already written when a later write in the same pack fails', async () => {
    const db = await seeded();
    db.userEvents.hook('creating', () => {
      throw new Error('disk full');
    });
    await expect(applyPackText(db, pack({ entities: [newPerson], events: [newEvent] }))).rejects.toThrow('disk full');
    expect(await db.userEntities.count()).toBe(0);
  });

  it('replaces conflicting records when asked to overwrite', async () => {
    const db = await seeded();
    const text = pack({ entities: [person('sergei-shoigu', 'Sergey Shoygu', { country: 'russia' })] });
    const answer = await applyPackText(db, text, true);
    expect(answer).toMatchObject({ ok: true, written: 1, plan: { counts: { replace: 1 } } });
    expect((await snapshot(db)).entities.find((e) => e.id === 'sergei-shoigu')).toMatchObject({ name: 'Sergey Shoygu', origin: 'edited' });
  });

  it('exports user data only or the whole KB as a valid pack that imports back as unchanged', async () => {
    const db = await seeded();
    await applyPackText(db, pack({ entities: [newPerson], events: [newEvent] }));
    const mine = await exportPack(db, 'user', new Date('2026-05-01T00:00:00Z'));
    expect(mine).toEqual({ version: 'user-2026-05-01', entities: [newPerson], events: [newEvent] });
    const all = await exportPack(db, 'all', new Date('2026-05-01T00:00:00Z'));
    expect(all.version).toBe('v1+user-2026-05-01');
    expect(all.entities.map((e) => e.id)).toEqual(['ali-akbar-ahmadian', 'iran', 'mohammad-bagheri', 'russia', 'sergei-shoigu']);
    expect(all.entities.some((e) => 'modified' in e)).toBe(false);
    const again = await planPackText(db, JSON.stringify(all));
    expect(again).toMatchObject({ applicable: true, counts: { add: 0, same: 7, conflict: 0 } });
  });
});

describe('exploreFeature over the router', () => {
  it('refuses content scripts, and tells the matcher the KB changed after a write', async () => {
    const db = await seeded();
    const ctx = createContext(db, Promise.resolve());
    let changes = 0;
    ctx.onKbChanged(() => changes++);
    const router = new Router('chrome-extension://abc/').register(exploreFeature(ctx));
    const page = { tab: { id: 1 } as never, url: 'https://news.example/a' };
    const ext = { url: 'chrome-extension://abc/explorer.html' };
    expect(await router.dispatch({ rpc: 1, method: 'explore.snapshot', params: {} }, page)).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    const saved = await router.dispatch({ rpc: 1, method: 'explore.saveEntity', params: { entity: newPersonFor() } }, ext);
    expect(saved).toEqual({ ok: true, value: { ok: true, id: 'ali-akbar-ahmadian', origin: 'added' } });
    expect(changes).toBe(1);
    const invalid = await router.dispatch({ rpc: 1, method: 'explore.saveEntity', params: { entity: { id: 'Bad Id' } } }, ext);
    expect(invalid).toMatchObject({ ok: true, value: { ok: false } });
    expect(changes).toBe(1);
    expect(await router.dispatch({ rpc: 1, method: 'explore.exportPack', params: { scope: 'mine' } }, ext)).toMatchObject({ ok: false, error: { code: 'invalid', path: 'params.scope' } });
  });
});

function newPersonFor(): Entity {
  return person('ali-akbar-ahmadian', 'Ali Akbar Ahmadian', { country: 'iran' });
}
