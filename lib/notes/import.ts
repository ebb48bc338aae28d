/**
 * Reading notes back from a W3C Web Annotation collection (ours, from export-jsonld.ts, or another
 * tool's that uses the same model), and planning how imported notes merge with the stored ones.
 *
 * All or nothing: a file with any problem yields only the problems (each with its JSON path), so a
 * half-imported file never leaves the user guessing which notes made it. What is accepted:
 * - an AnnotationCollection with every Annotation embedded in `first.items` (paged collections
 *   that link to further pages are refused: a file cannot fetch them);
 * - per Annotation: an absolute IRI `id`; `created` (ISO 8601 with time zone) and optionally
 *   `modified` (defaults to `created`); bodies (one object or an array, or `bodyValue`): at most one
 *   commenting TextualBody (plain text), any number of tagging TextualBodies, and identifying
 *   SpecificResources on `urn:attache:entity:<id>`; anything else is reported;
 * - exactly one target, a SpecificResource on an http(s) page with one TextQuoteSelector and one
 *   TextPositionSelector (other selector kinds are ignored, as the model allows several).
 * Sizes are capped (LIMITS in note-validation.ts): 100 000 annotations per file, 10 000 characters
 * per quote, 100 000 per comment, etc.; the message says which cap was hit.
 */
import { ENTITY_URN_PREFIX } from './export-jsonld';
import { parseJsonText, type Problem } from './json-text';
import { Checks, ENTITY_ID, LIMITS, checkSelectors, isObj, key, kind, type Obj } from './note-validation';
import type { Note, TextPositionSelector, TextQuoteSelector } from './types';

export type { Problem } from './json-text';

/** At most this many problems are listed; a file that broken needs fixing at its source anyway. */
export const MAX_PROBLEMS = 200;

export type ImportResult = { notes: Note[]; duplicatesMerged: number } | { problems: Problem[] };

const ANNO_CONTEXT = 'http://www.w3.org/ns/anno.jsonld';

function hasType(v: unknown, type: string): boolean {
  return v === type || (Array.isArray(v) && v.includes(type));
}

const asList = (v: unknown): unknown[] => (Array.isArray(v) ? v : [v]);

function readBodies(c: Checks, a: Obj, path: string): { comment: string; tags: string[]; entities: string[] } | undefined {
  const before = c.problems.length;
  let comment: string | undefined;
  const tags: string[] = [];
  const entities: string[] = [];
  const setComment = (value: string, p: string) => {
    if (comment !== undefined) c.add(p, 'a second comment: an annotation may carry one commenting body');
    else comment = value;
  };
  if (a.bodyValue !== undefined) {
    const v = c.text(a.bodyValue, key(path, 'bodyValue'), LIMITS.comment);
    if (v !== undefined) setComment(v, key(path, 'bodyValue'));
  }
  if (a.body !== undefined) {
    const bodies = asList(a.body);
    bodies.forEach((b, i) => {
      const p = Array.isArray(a.body) ? `${path}.body[${i}]` : `${path}.body`;
      if (!isObj(b)) return c.add(p, `must be a body object, got ${kind(b)}`);
      if (hasType(b.type, 'TextualBody')) {
        if (b.format !== undefined && b.format !== 'text/plain') return c.add(`${p}.format`, `only plain text is accepted, got ${JSON.stringify(b.format)}`);
        const purpose = b.purpose ?? 'commenting';
        if (purpose === 'commenting') {
          const v = c.text(b.value, `${p}.value`, LIMITS.comment);
          if (v !== undefined) setComment(v, p);
        } else if (purpose === 'tagging') {
          const v = c.text(b.value, `${p}.value`, LIMITS.tag, { nonEmpty: true });
          if (v !== undefined) tags.push(v);
        } else c.add(`${p}.purpose`, `must be "commenting" or "tagging" for a TextualBody, got ${JSON.stringify(purpose)}`);
      } else if (hasType(b.type, 'SpecificResource')) {
        if (b.purpose !== 'identifying') return c.add(`${p}.purpose`, `must be "identifying" for an entity, got ${JSON.stringify(b.purpose)}`);
        const source = isObj(b.source) ? b.source.id : b.source;
        const sp = isObj(b.source) ? `${p}.source.id` : `${p}.source`;
        if (typeof source !== 'string' || !source.startsWith(ENTITY_URN_PREFIX)) return c.add(sp, `must be an entity IRI ${ENTITY_URN_PREFIX}<id>`);
        const id = source.slice(ENTITY_URN_PREFIX.length);
        if (!ENTITY_ID.test(id) || id.length > LIMITS.id) return c.add(sp, `has a malformed entity id ${JSON.stringify(id.slice(0, 80))}`);
        entities.push(id);
      } else c.add(`${p}.type`, `unsupported body type ${JSON.stringify(b.type)}; expected TextualBody or SpecificResource`);
    });
  }
  if (tags.length > LIMITS.tagsPerNote) c.add(`${path}.body`, `has ${tags.length} tags; at most ${LIMITS.tagsPerNote} are accepted`);
  if (entities.length > LIMITS.entitiesPerNote) c.add(`${path}.body`, `has ${entities.length} entities; at most ${LIMITS.entitiesPerNote} are accepted`);
  return c.problems.length === before ? { comment: comment ?? '', tags, entities } : undefined;
}

function readTarget(c: Checks, a: Obj, path: string) {
  const tp = `${path}.target`;
  if (a.target === undefined) return void c.add(tp, 'is required');
  if (Array.isArray(a.target) && a.target.length !== 1) return void c.add(tp, `must be one target, got ${a.target.length}`);
  const p = Array.isArray(a.target) ? `${tp}[0]` : tp;
  const t: unknown = Array.isArray(a.target) ? a.target[0] : a.target;
  if (!isObj(t)) return void c.add(p, `must be a SpecificResource with selectors, got ${typeof t === 'string' ? 'a bare address (no selectors)' : kind(t)}`);
  const before = c.problems.length;
  const page = c.webUrl(isObj(t.source) ? t.source.id : t.source, isObj(t.source) ? `${p}.source.id` : `${p}.source`);
  const url = t['schema:url'] === undefined ? page : c.webUrl(t['schema:url'], key(p, 'schema:url'));
  const title = t['dcterms:title'] === undefined ? '' : c.text(t['dcterms:title'], key(p, 'dcterms:title'), LIMITS.title);
  let quote: TextQuoteSelector | undefined;
  let position: TextPositionSelector | undefined;
  let quotePath = `${p}.selector`;
  let positionPath = `${p}.selector`;
  let sawQuote = false;
  let sawPosition = false;
  if (t.selector === undefined) c.add(`${p}.selector`, 'is required (a TextQuoteSelector and a TextPositionSelector)');
  else {
    asList(t.selector).forEach((s, i) => {
      const sp = Array.isArray(t.selector) ? `${p}.selector[${i}]` : `${p}.selector`;
      if (!isObj(s)) return c.add(sp, `must be a selector object, got ${kind(s)}`);
      if (hasType(s.type, 'TextQuoteSelector')) {
        if (sawQuote) return c.add(sp, 'a second TextQuoteSelector');
        sawQuote = true;
        const exact = c.text(s.exact, `${sp}.exact`, LIMITS.quote);
        const prefix = s.prefix === undefined ? '' : c.text(s.prefix, `${sp}.prefix`, LIMITS.context);
        const suffix = s.suffix === undefined ? '' : c.text(s.suffix, `${sp}.suffix`, LIMITS.context);
        quotePath = sp;
        if (exact !== undefined && prefix !== undefined && suffix !== undefined) quote = { type: 'TextQuoteSelector', exact, prefix, suffix };
      } else if (hasType(s.type, 'TextPositionSelector')) {
        if (sawPosition) return c.add(sp, 'a second TextPositionSelector');
        sawPosition = true;
        const start = c.offset(s.start, `${sp}.start`);
        const end = c.offset(s.end, `${sp}.end`);
        positionPath = sp;
        if (start !== undefined && end !== undefined) position = { type: 'TextPositionSelector', start, end };
      }
      // Other selector kinds (XPath, CSS, Range…) are valid W3C selectors we do not use.
    });
    if (!sawQuote) c.add(`${p}.selector`, 'has no TextQuoteSelector');
    if (!sawPosition) c.add(`${p}.selector`, 'has no TextPositionSelector');
  }
  checkSelectors(c, quote, position, { quote: quotePath, position: positionPath });
  if (c.problems.length !== before) return undefined;
  return { page: page!, url: url!, title: title!, quote: quote!, position: position! };
}

function readAnnotation(c: Checks, a: unknown, path: string): Note | undefined {
  if (!isObj(a)) return void c.add(path, `must be an Annotation object, got ${kind(a)}`);
  const before = c.problems.length;
  if (!hasType(a.type, 'Annotation')) c.add(`${path}.type`, `must be "Annotation", got ${JSON.stringify(a.type)}`);
  const id = c.iri(a.id, `${path}.id`);
  const created = c.dateTime(a.created, `${path}.created`);
  const modified = a.modified === undefined ? created : c.dateTime(a.modified, `${path}.modified`);
  if (a.motivation !== undefined && !asList(a.motivation).every((m) => typeof m === 'string')) c.add(`${path}.motivation`, 'must be a string or an array of strings');
  const bodies = readBodies(c, a, path);
  const target = readTarget(c, a, path);
  if (c.problems.length !== before) return undefined;
  return { id: id!, ...target!, ...bodies!, created: created!, modified: modified! };
}

/** Keeps, per id, the note with the latest `modified` (on a tie, the one later in the list). */
export function dedupeById(notes: readonly Note[]): { notes: Note[]; duplicatesMerged: number } {
  const byId = new Map<string, Note>();
  for (const n of notes) {
    const seen = byId.get(n.id);
    if (!seen || Date.parse(n.modified) >= Date.parse(seen.modified)) byId.set(n.id, n);
  }
  return { notes: [...byId.values()], duplicatesMerged: notes.length - byId.size };
}

/** Parses and validates an exported annotation collection (the text of a `.jsonld`/`.json` file). */
export function parseAnnotationCollection(json: string): ImportResult {
  const parsed = parseJsonText(json, LIMITS.fileChars);
  return parsed.ok ? validateAnnotationCollection(parsed.value) : { problems: [parsed.problem] };
}

/** The same checks on an already-parsed value (e.g. a collection received over messaging). */
export function validateAnnotationCollection(root: unknown): ImportResult {
  const c = new Checks();
  if (!isObj(root)) return { problems: [{ path: '$', message: `must be an AnnotationCollection object, got ${kind(root)}` }] };
  if (!asList(root['@context']).includes(ANNO_CONTEXT)) c.add('$["@context"]', `must be (or include) ${JSON.stringify(ANNO_CONTEXT)}`);
  if (!hasType(root.type, 'AnnotationCollection')) c.add('$.type', `must be "AnnotationCollection", got ${JSON.stringify(root.type)}`);
  const first = root.first;
  if (!isObj(first)) {
    c.add('$.first', typeof first === 'string' ? 'must embed the annotations (a link to a page cannot be followed from a file)' : 'is required: an AnnotationPage with the annotations in "items"');
    return { problems: c.problems };
  }
  if (!hasType(first.type, 'AnnotationPage')) c.add('$.first.type', `must be "AnnotationPage", got ${JSON.stringify(first.type)}`);
  if (first.next !== undefined) c.add('$.first.next', 'paged collections are not supported: put every annotation in first.items');
  if (!Array.isArray(first.items)) {
    c.add('$.first.items', `must be an array of annotations, got ${kind(first.items)}`);
    return { problems: c.problems };
  }
  const items = first.items;
  if (items.length > LIMITS.notes) {
    c.add('$.first.items', `has ${items.length} annotations; at most ${LIMITS.notes} are accepted per file (split the export)`);
    return { problems: c.problems };
  }
  if (root.total !== undefined && root.total !== items.length) c.add('$.total', `says ${JSON.stringify(root.total)} but first.items holds ${items.length}`);

  const notes: Note[] = [];
  for (let i = 0; i < items.length && c.problems.length < MAX_PROBLEMS; i++) {
    const note = readAnnotation(c, items[i], `$.first.items[${i}]`);
    if (note) notes.push(note);
  }
  if (c.problems.length > 0) {
    const problems = c.problems.slice(0, MAX_PROBLEMS);
    if (c.problems.length >= MAX_PROBLEMS) problems.push({ path: '$', message: `stopped after ${MAX_PROBLEMS} problems` });
    return { problems };
  }
  return dedupeById(notes);
}

/** What to do with imported notes, decided by id: put new ones and newer versions, skip the rest. */
export interface MergePlan {
  /** Notes to write (new ids, or a strictly newer `modified` than the stored one). */
  put: Note[];
  /** Incoming notes not written: the stored copy is as new or newer. */
  skip: Note[];
  added: number;
  updated: number;
}

/** Plans merging `incoming` (already deduplicated, e.g. from parseAnnotationCollection) into `existing`. */
export function mergeNotes(existing: readonly Note[], incoming: readonly Note[]): MergePlan {
  const stored = new Map(existing.map((n) => [n.id, n]));
  const plan: MergePlan = { put: [], skip: [], added: 0, updated: 0 };
  for (const note of dedupeById(incoming).notes) {
    const old = stored.get(note.id);
    if (!old) {
      plan.put.push(note);
      plan.added++;
    } else if (Date.parse(note.modified) > Date.parse(old.modified)) {
      plan.put.push(note);
      plan.updated++;
    } else plan.skip.push(note);
  }
  return plan;
}
