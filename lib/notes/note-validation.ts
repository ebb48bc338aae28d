/**
 * Limits and checks for notes coming from outside (imported files, backups). Every problem names
 * the JSON path of the value at fault. The limits are far above real use and exist so that a broken
 * or hostile file cannot fill IndexedDB or freeze the notes page.
 */
import type { Problem } from './json-text';
import type { Note } from './types';

export const LIMITS = {
  /** Characters in a file accepted for import or restore (UTF-16 units; ~128 MiB of ASCII). */
  fileChars: 128 * 1024 * 1024,
  /** Notes (annotations) in one file. */
  notes: 100_000,
  /** The quoted text. */
  quote: 10_000,
  /** Prefix and suffix: we write 32; other tools may keep more. */
  context: 1_000,
  comment: 100_000,
  title: 2_000,
  /** Addresses: far beyond any real article URL, well below what a browser accepts. */
  url: 8_192,
  id: 512,
  tagsPerNote: 100,
  tag: 200,
  entitiesPerNote: 500,
  /** Page text offsets (the longest pages are a few million characters). */
  position: 100_000_000,
} as const;

export const ENTITY_ID = /^[a-z0-9]+(-[a-z0-9]+)*$/;
/** An absolute IRI: a scheme, a colon, no whitespace (urn:uuid:…, https://…). */
const IRI = /^[A-Za-z][A-Za-z0-9+.-]*:\S+$/;
const DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/;

export type Obj = Record<string, unknown>;
export const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
export const key = (path: string, k: string) => (/^[A-Za-z_$][\w$]*$/.test(k) ? `${path}.${k}` : `${path}[${JSON.stringify(k)}]`);

/** An ISO 8601 date-time with a time zone, for a real calendar date. */
export function isDateTime(s: string): boolean {
  const m = DATE_TIME.exec(s);
  if (!m) return false;
  const [y, mo, d, h, mi, sec] = [m[1], m[2], m[3], m[4], m[5], m[6] ?? '0'].map(Number) as [number, number, number, number, number, number];
  const daysInMonth = new Date(Date.UTC(y, mo, 0)).getUTCDate();
  return mo >= 1 && mo <= 12 && d >= 1 && d <= daysInMonth && h <= 23 && mi <= 59 && sec <= 59 && !Number.isNaN(Date.parse(s));
}

export function isWebUrl(s: string): boolean {
  if (/\s/.test(s)) return false;
  try {
    const u = new URL(s);
    return u.protocol === 'http:' || u.protocol === 'https:';
  } catch {
    return false;
  }
}

/** Collects problems; each check returns the value when it is fine, undefined otherwise. */
export class Checks {
  readonly problems: Problem[] = [];
  add(path: string, message: string) {
    this.problems.push({ path, message });
  }
  text(v: unknown, path: string, max: number, opts: { nonEmpty?: boolean } = {}): string | undefined {
    if (typeof v !== 'string') return void this.add(path, v === undefined ? 'is required' : `must be a string, got ${kind(v)}`);
    if (opts.nonEmpty && v.trim() === '') return void this.add(path, 'must not be empty');
    if (v.length > max) return void this.add(path, `is ${v.length} characters long; at most ${max} are accepted`);
    return v;
  }
  iri(v: unknown, path: string): string | undefined {
    const s = this.text(v, path, LIMITS.id, { nonEmpty: true });
    if (s !== undefined && !IRI.test(s)) return void this.add(path, `must be an absolute IRI such as urn:uuid:…, got ${JSON.stringify(s.slice(0, 80))}`);
    return s;
  }
  webUrl(v: unknown, path: string): string | undefined {
    const s = this.text(v, path, LIMITS.url, { nonEmpty: true });
    if (s !== undefined && !isWebUrl(s)) return void this.add(path, `must be an absolute http(s) address, got ${JSON.stringify(s.slice(0, 80))}`);
    return s;
  }
  dateTime(v: unknown, path: string): string | undefined {
    const s = this.text(v, path, 64);
    if (s !== undefined && !isDateTime(s)) {
      return void this.add(path, `must be an ISO 8601 date-time with a time zone (2024-09-23T08:15:00Z), got ${JSON.stringify(s.slice(0, 64))}`);
    }
    return s;
  }
  offset(v: unknown, path: string): number | undefined {
    if (typeof v !== 'number' || !Number.isInteger(v) || v < 0 || v > LIMITS.position) {
      return void this.add(path, v === undefined ? 'is required' : `must be a whole number from 0 to ${LIMITS.position}, got ${JSON.stringify(v)}`);
    }
    return v;
  }
  /** Tag and entity lists share their checks. */
  tags(v: unknown, path: string): string[] | undefined {
    if (!Array.isArray(v)) return void this.add(path, `must be an array of strings, got ${kind(v)}`);
    if (v.length > LIMITS.tagsPerNote) return void this.add(path, `has ${v.length} tags; at most ${LIMITS.tagsPerNote} are accepted`);
    const before = this.problems.length;
    const out = v.map((t, i) => this.text(t, `${path}[${i}]`, LIMITS.tag, { nonEmpty: true }) ?? '');
    return this.problems.length === before ? out : undefined;
  }
  entityIds(v: unknown, path: string): string[] | undefined {
    if (!Array.isArray(v)) return void this.add(path, `must be an array of entity ids, got ${kind(v)}`);
    if (v.length > LIMITS.entitiesPerNote) return void this.add(path, `has ${v.length} entities; at most ${LIMITS.entitiesPerNote} are accepted`);
    const before = this.problems.length;
    v.forEach((id, i) => {
      if (typeof id !== 'string' || !ENTITY_ID.test(id) || id.length > LIMITS.id) this.add(`${path}[${i}]`, 'must be an entity id (lowercase slug such as "mohammad-bagheri")');
    });
    return this.problems.length === before ? (v as string[]) : undefined;
  }
}

export function kind(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  return typeof v === 'object' ? 'an object' : typeof v;
}

/** Checks the selectors' mutual sense: offsets ordered, quote not empty. */
export function checkSelectors(c: Checks, quote: Note['quote'] | undefined, position: Note['position'] | undefined, path: { quote: string; position: string }) {
  if (quote && quote.exact === '') c.add(`${path.quote}.exact`, 'must not be empty');
  if (position && position.end < position.start) c.add(`${path.position}.end`, `is before start (${position.start})`);
}

/**
 * Validates a value as a Note in its stored shape (as kept in IndexedDB and in backups) and returns
 * it as a fresh object holding only the Note's fields.
 */
export function checkNote(c: Checks, v: unknown, path: string): Note | undefined {
  if (!isObj(v)) return void c.add(path, `must be an object, got ${kind(v)}`);
  const before = c.problems.length;
  const id = c.iri(v.id, key(path, 'id'));
  const page = c.webUrl(v.page, key(path, 'page'));
  const url = c.webUrl(v.url, key(path, 'url'));
  const title = c.text(v.title, key(path, 'title'), LIMITS.title);
  let quote: Note['quote'] | undefined;
  const qp = key(path, 'quote');
  if (!isObj(v.quote)) c.add(qp, `must be a TextQuoteSelector object, got ${kind(v.quote)}`);
  else {
    if (v.quote.type !== 'TextQuoteSelector') c.add(`${qp}.type`, 'must be "TextQuoteSelector"');
    const exact = c.text(v.quote.exact, `${qp}.exact`, LIMITS.quote);
    const prefix = c.text(v.quote.prefix, `${qp}.prefix`, LIMITS.context);
    const suffix = c.text(v.quote.suffix, `${qp}.suffix`, LIMITS.context);
    if (exact !== undefined && prefix !== undefined && suffix !== undefined) quote = { type: 'TextQuoteSelector', exact, prefix, suffix };
  }
  let position: Note['position'] | undefined;
  const pp = key(path, 'position');
  if (!isObj(v.position)) c.add(pp, `must be a TextPositionSelector object, got ${kind(v.position)}`);
  else {
    if (v.position.type !== 'TextPositionSelector') c.add(`${pp}.type`, 'must be "TextPositionSelector"');
    const start = c.offset(v.position.start, `${pp}.start`);
    const end = c.offset(v.position.end, `${pp}.end`);
    if (start !== undefined && end !== undefined) position = { type: 'TextPositionSelector', start, end };
  }
  checkSelectors(c, quote, position, { quote: qp, position: pp });
  const comment = c.text(v.comment, key(path, 'comment'), LIMITS.comment);
  const tags = c.tags(v.tags, key(path, 'tags'));
  const entities = c.entityIds(v.entities, key(path, 'entities'));
  const created = c.dateTime(v.created, key(path, 'created'));
  const modified = c.dateTime(v.modified, key(path, 'modified'));
  if (c.problems.length !== before) return undefined;
  return { id: id!, page: page!, url: url!, title: title!, quote: quote!, position: position!, comment: comment!, tags: tags!, entities: entities!, created: created!, modified: modified! };
}
