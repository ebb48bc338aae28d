/**
 * Notes as a W3C Web Annotation collection (https://www.w3.org/TR/annotation-model/), the
 * interchange format: what `import.ts` reads back losslessly, and what other annotation tools read.
 *
 * Mapping (model section in brackets):
 * - the export is an AnnotationCollection [§5.1] whose `first` AnnotationPage [§5.2] embeds all items;
 * - each note is an Annotation [§3.1] with its `id` (urn:uuid), `created`, `modified` [§3.3.1];
 * - the comment is a TextualBody [§3.2.4] with `purpose: commenting`, `format: text/plain`;
 *   each tag a TextualBody with `purpose: tagging` [§3.3.5]; each linked KB entity a
 *   SpecificResource body with `purpose: identifying` whose `source` is `urn:attache:entity:<id>`
 *   labelled with the entity's name (`skos:prefLabel`);
 * - `motivation` [§3.3.5] is `commenting` when there is a comment, else `tagging` when there are
 *   tags, else `highlighting`;
 * - the target is a SpecificResource [§4] on the page identity, with a TextQuoteSelector [§4.2.4]
 *   and a TextPositionSelector [§4.2.5].
 * The visited address and the page title ride along as `schema:url` and `dcterms:title` on the
 * target. The model recommends CURIEs from vocabularies its context already declares (schema, dcterms
 * and skos are in anno.jsonld) over a new extension context [vocab §4], so `@context` stays the plain
 * Web Annotation context and generic JSON-LD processors expand every key.
 */
import { notesInExportOrder, type EntityNameLookup } from './export-order';
import type { Note, TextPositionSelector, TextQuoteSelector } from './types';

export const ANNO_CONTEXT = 'http://www.w3.org/ns/anno.jsonld';
export const ENTITY_URN_PREFIX = 'urn:attache:entity:';
/** Identifies collections written by Attaché; import does not require it. */
export const DEFAULT_COLLECTION_ID = 'urn:attache:notes';

export interface TextualBody {
  type: 'TextualBody';
  value: string;
  purpose: 'commenting' | 'tagging';
  format?: 'text/plain';
}

export interface EntityBody {
  type: 'SpecificResource';
  purpose: 'identifying';
  source: { id: string; 'skos:prefLabel'?: string };
}

export interface AnnotationTarget {
  type: 'SpecificResource';
  source: string;
  'schema:url': string;
  'dcterms:title': string;
  selector: [TextQuoteSelector, TextPositionSelector];
}

export interface WebAnnotation {
  id: string;
  type: 'Annotation';
  created: string;
  modified: string;
  motivation: 'commenting' | 'tagging' | 'highlighting';
  body?: (TextualBody | EntityBody)[];
  target: AnnotationTarget;
}

export interface AnnotationCollection {
  '@context': typeof ANNO_CONTEXT;
  id: string;
  type: 'AnnotationCollection';
  label: string;
  total: number;
  first: { id: string; type: 'AnnotationPage'; startIndex: 0; items: WebAnnotation[] };
}

export function noteToAnnotation(note: Note, entityName: EntityNameLookup): WebAnnotation {
  const body: (TextualBody | EntityBody)[] = [];
  if (note.comment !== '') body.push({ type: 'TextualBody', value: note.comment, purpose: 'commenting', format: 'text/plain' });
  for (const tag of note.tags) body.push({ type: 'TextualBody', value: tag, purpose: 'tagging' });
  for (const id of note.entities) {
    const name = entityName(id);
    body.push({
      type: 'SpecificResource',
      purpose: 'identifying',
      source: name === undefined ? { id: `${ENTITY_URN_PREFIX}${id}` } : { id: `${ENTITY_URN_PREFIX}${id}`, 'skos:prefLabel': name },
    });
  }
  return {
    id: note.id,
    type: 'Annotation',
    created: note.created,
    modified: note.modified,
    motivation: note.comment !== '' ? 'commenting' : note.tags.length > 0 ? 'tagging' : 'highlighting',
    ...(body.length > 0 ? { body } : {}),
    target: {
      type: 'SpecificResource',
      source: note.page,
      'schema:url': note.url,
      'dcterms:title': note.title,
      selector: [
        { type: 'TextQuoteSelector', exact: note.quote.exact, prefix: note.quote.prefix, suffix: note.quote.suffix },
        { type: 'TextPositionSelector', start: note.position.start, end: note.position.end },
      ],
    },
  };
}

export function toAnnotationCollection(
  notes: readonly Note[],
  entityName: EntityNameLookup,
  options: { id?: string; label?: string } = {},
): AnnotationCollection {
  const id = options.id ?? DEFAULT_COLLECTION_ID;
  const items = notesInExportOrder(notes).flat().map((n) => noteToAnnotation(n, entityName));
  return {
    '@context': ANNO_CONTEXT,
    id,
    type: 'AnnotationCollection',
    label: options.label ?? 'Attaché notes',
    total: items.length,
    first: { id: `${id}:page:0`, type: 'AnnotationPage', startIndex: 0, items },
  };
}

/** The `.jsonld` file's text (two-space indented, final newline). */
export function exportJsonLd(notes: readonly Note[], entityName: EntityNameLookup, options?: { id?: string; label?: string }): string {
  return `${JSON.stringify(toAnnotationCollection(notes, entityName, options), null, 2)}\n`;
}
