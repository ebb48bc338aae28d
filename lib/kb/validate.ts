import {
  ENTITY_TYPES,
  LANGS,
  OFFICES,
  type Entity,
  type KbEvent,
  type KnowledgeBase,
} from './schema';

/** One problem found in a KB file, with a JSON path (`entities[12].roles[0].from`). */
export interface KbProblem {
  path: string;
  message: string;
}

const ISO_DATE = /^\d{4}(-(0[1-9]|1[0-2])(-(0[1-9]|[12]\d|3[01]))?)?$/;
const EVENT_DATE = /^\d{4}-(0[1-9]|1[0-2])(-(0[1-9]|[12]\d|3[01]))?$/;
const SLUG = /^[a-z0-9]+(-[a-z0-9]+)*$/;
const MAX_NAME = 200;

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Lowercase ASCII slug of a name, the convention for entity ids. */
export function slugify(name: string): string {
  return name
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
}

class Checker {
  problems: KbProblem[] = [];
  add(path: string, message: string) {
    this.problems.push({ path, message });
  }
  string(o: Obj, key: string, path: string, required: boolean): string | undefined {
    const v = o[key];
    if (v === undefined) {
      if (required) this.add(`${path}.${key}`, 'is required');
      return undefined;
    }
    if (typeof v !== 'string' || v.trim() === '') {
      this.add(`${path}.${key}`, 'must be a non-empty string');
      return undefined;
    }
    return v;
  }
  date(o: Obj, key: string, path: string, required: boolean, pattern = ISO_DATE) {
    const v = this.string(o, key, path, required);
    if (v !== undefined && !pattern.test(v)) {
      this.add(`${path}.${key}`, `must be an ISO date (${pattern === EVENT_DATE ? 'YYYY-MM or YYYY-MM-DD' : 'YYYY, YYYY-MM or YYYY-MM-DD'}), got ${JSON.stringify(v)}`);
    }
    return v;
  }
  idList(o: Obj, key: string, path: string, required: boolean): string[] {
    const v = o[key];
    if (v === undefined) {
      if (required) this.add(`${path}.${key}`, 'is required');
      return [];
    }
    if (!Array.isArray(v)) {
      this.add(`${path}.${key}`, 'must be an array of entity ids');
      return [];
    }
    const ids: string[] = [];
    v.forEach((id, i) => {
      if (typeof id !== 'string' || !SLUG.test(id)) this.add(`${path}.${key}[${i}]`, 'must be an entity id (lowercase slug)');
      else ids.push(id);
    });
    return ids;
  }
  names(o: Obj, key: string, path: string, required: boolean) {
    const v = o[key];
    if (v === undefined) {
      if (required) this.add(`${path}.${key}`, 'is required');
      return;
    }
    if (!isObj(v)) {
      this.add(`${path}.${key}`, 'must be an object of language → names');
      return;
    }
    for (const [lang, list] of Object.entries(v)) {
      const p = `${path}.${key}.${lang}`;
      if (!(LANGS as readonly string[]).includes(lang)) this.add(p, `unknown language; use one of ${LANGS.join(', ')}`);
      if (!Array.isArray(list)) {
        this.add(p, 'must be an array of strings');
        continue;
      }
      list.forEach((n, i) => {
        if (typeof n !== 'string' || n.trim() === '') this.add(`${p}[${i}]`, 'must be a non-empty string');
        else if (n.length > MAX_NAME) this.add(`${p}[${i}]`, `is longer than ${MAX_NAME} characters`);
        else if (n !== n.trim()) this.add(`${p}[${i}]`, 'has leading or trailing spaces');
      });
    }
  }
  sources(o: Obj, path: string, required: boolean) {
    const v = o.sources;
    if (v === undefined) {
      if (required) this.add(`${path}.sources`, 'is required (at least one source)');
      return;
    }
    if (!Array.isArray(v) || (required && v.length === 0)) {
      this.add(`${path}.sources`, 'must be a non-empty array');
      return;
    }
    v.forEach((s, i) => {
      const p = `${path}.sources[${i}]`;
      if (!isObj(s)) return this.add(p, 'must be an object');
      if (s.url === undefined && s.corpus === undefined) this.add(p, 'needs a url or a corpus file');
      const url = this.string(s, 'url', p, false);
      if (url !== undefined && !/^https?:\/\/[^\s]+$/.test(url)) this.add(`${p}.url`, 'must be an http(s) address');
      this.string(s, 'corpus', p, false);
      this.string(s, 'title', p, false);
      this.string(s, 'publisher', p, false);
      this.date(s, 'date', p, false);
    });
  }
}

function checkEntity(c: Checker, e: unknown, path: string): e is Entity {
  if (!isObj(e)) {
    c.add(path, 'must be an object');
    return false;
  }
  const before = c.problems.length;
  const id = c.string(e, 'id', path, true);
  if (id !== undefined && !SLUG.test(id)) c.add(`${path}.id`, 'must be a lowercase slug (a-z, 0-9, -)');
  const type = c.string(e, 'type', path, true);
  if (type !== undefined && !(ENTITY_TYPES as readonly string[]).includes(type)) {
    c.add(`${path}.type`, `must be one of ${ENTITY_TYPES.join(', ')}`);
  }
  c.string(e, 'name', path, true);
  c.string(e, 'description', path, true);
  c.names(e, 'names', path, true);
  c.names(e, 'short', path, false);
  if (isObj(e.names) && !Array.isArray(e.names.en)) c.add(`${path}.names.en`, 'is required (at least the canonical name)');
  if (e.shortNeedsFullName !== undefined && typeof e.shortNeedsFullName !== 'boolean') c.add(`${path}.shortNeedsFullName`, 'must be true or false');
  if (e.country !== undefined) c.idList({ country: [e.country] }, 'country', path, false);
  c.date(e, 'date', path, false);
  c.date(e, 'endDate', path, false);
  c.idList(e, 'parties', path, false);
  c.string(e, 'wikipedia', path, false);
  if (e.descriptions !== undefined && !isObj(e.descriptions)) c.add(`${path}.descriptions`, 'must be an object of language → text');
  if (e.roles !== undefined) {
    if (!Array.isArray(e.roles)) c.add(`${path}.roles`, 'must be an array');
    else
      e.roles.forEach((r, i) => {
        const p = `${path}.roles[${i}]`;
        if (!isObj(r)) return c.add(p, 'must be an object');
        c.string(r, 'title', p, true);
        const office = c.string(r, 'office', p, false);
        if (office !== undefined && !(OFFICES as readonly string[]).includes(office)) c.add(`${p}.office`, `unknown office ${JSON.stringify(office)}`);
        if (r.org !== undefined) c.idList({ org: [r.org] }, 'org', p, false);
        const from = c.date(r, 'from', p, false);
        const to = c.date(r, 'to', p, false);
        if (from && to && to < from) c.add(`${p}.to`, `ends (${to}) before it starts (${from})`);
        c.sources(r, p, false);
      });
  }
  // Countries are the obvious; everything else needs a source.
  c.sources(e, path, type !== 'country');
  return c.problems.length === before;
}

function checkEvent(c: Checker, e: unknown, path: string): e is KbEvent {
  if (!isObj(e)) {
    c.add(path, 'must be an object');
    return false;
  }
  const before = c.problems.length;
  const id = c.string(e, 'id', path, true);
  if (id !== undefined && !SLUG.test(id)) c.add(`${path}.id`, 'must be a lowercase slug');
  const date = c.date(e, 'date', path, true, EVENT_DATE);
  const end = c.date(e, 'endDate', path, false, EVENT_DATE);
  if (date && end && end < date) c.add(`${path}.endDate`, `is before date (${date})`);
  c.string(e, 'title', path, true);
  c.string(e, 'summary', path, true);
  const participants = c.idList(e, 'participants', path, true);
  if (Array.isArray(e.participants) && participants.length === 0) c.add(`${path}.participants`, 'needs at least one participant');
  if (e.place !== undefined) c.idList({ place: [e.place] }, 'place', path, false);
  c.idList(e, 'links', path, false);
  c.sources(e, path, true);
  return c.problems.length === before;
}

/**
 * Validates a whole KB (or a KB pack): shapes, dates, sources, unique ids, and that every id an
 * entity or event refers to exists (in this KB or in `knownIds`, for packs layered on the bundle).
 */
export function validateKb(input: unknown, knownIds: ReadonlySet<string> = new Set()): KbProblem[] {
  const c = new Checker();
  if (!isObj(input)) {
    c.add('$', 'must be an object with "entities" and "events" arrays');
    return c.problems;
  }
  if (input.version !== undefined && typeof input.version !== 'string') c.add('$.version', 'must be a string');
  const entities = input.entities ?? [];
  const events = input.events ?? [];
  if (!Array.isArray(entities)) c.add('$.entities', 'must be an array');
  if (!Array.isArray(events)) c.add('$.events', 'must be an array');
  if (!Array.isArray(entities) || !Array.isArray(events)) return c.problems;

  const ids = new Map<string, string>();
  const good: Entity[] = [];
  entities.forEach((e, i) => {
    const path = `entities[${i}]`;
    if (checkEntity(c, e, path)) good.push(e);
    if (isObj(e) && typeof e.id === 'string') {
      const prev = ids.get(e.id);
      if (prev) c.add(`${path}.id`, `duplicate id ${JSON.stringify(e.id)} (also ${prev})`);
      else ids.set(e.id, path);
    }
  });
  const eventIds = new Map<string, string>();
  const goodEvents: KbEvent[] = [];
  events.forEach((e, i) => {
    const path = `events[${i}]`;
    if (checkEvent(c, e, path)) goodEvents.push(e);
    if (isObj(e) && typeof e.id === 'string') {
      const prev = eventIds.get(e.id);
      if (prev) c.add(`${path}.id`, `duplicate id ${JSON.stringify(e.id)} (also ${prev})`);
      else eventIds.set(e.id, path);
    }
  });

  const exists = (id: string) => ids.has(id) || knownIds.has(id);
  const ref = (id: string | undefined, path: string) => {
    if (id !== undefined && !exists(id)) c.add(path, `refers to unknown entity ${JSON.stringify(id)}`);
  };
  entities.forEach((e, i) => {
    if (!isObj(e)) return;
    const path = `entities[${i}]`;
    if (typeof e.country === 'string') ref(e.country, `${path}.country`);
    if (Array.isArray(e.parties)) e.parties.forEach((p, j) => typeof p === 'string' && ref(p, `${path}.parties[${j}]`));
    if (Array.isArray(e.roles))
      e.roles.forEach((r, j) => isObj(r) && typeof r.org === 'string' && ref(r.org, `${path}.roles[${j}].org`));
  });
  events.forEach((e, i) => {
    if (!isObj(e)) return;
    const path = `events[${i}]`;
    if (Array.isArray(e.participants)) e.participants.forEach((p, j) => typeof p === 'string' && ref(p, `${path}.participants[${j}]`));
    if (typeof e.place === 'string') ref(e.place, `${path}.place`);
    if (Array.isArray(e.links)) e.links.forEach((p, j) => typeof p === 'string' && ref(p, `${path}.links[${j}]`));
  });
  return c.problems;
}

/** Throws with every problem listed, for load time. */
export function assertValidKb(input: unknown, knownIds?: ReadonlySet<string>): asserts input is KnowledgeBase {
  const problems = validateKb(input, knownIds);
  if (problems.length > 0) {
    const list = problems.slice(0, 50).map((p) => `  ${p.path}: ${p.message}`).join('\n');
    const more = problems.length > 50 ? `\n  … and ${problems.length - 50} more` : '';
    throw new Error(`Invalid knowledge base (${problems.length} problem${problems.length === 1 ? '' : 's'}):\n${list}${more}`);
  }
}
