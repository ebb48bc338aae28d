/**
 * "Also on this page": people and organisations named in an English page, found by `compromise`.
 * This runs in the popup only (compromise is ~250 kB and too slow to run on every page in the
 * content script); the popup asks the tab's notes code for the page text.
 */
import nlp from 'compromise';

/** Titles compromise keeps in front of a name ("Minister Sergei Shoigu", "Major General …"). */
const TITLES = new Set(
  'mr mrs ms dr sir president minister prime general major brigadier admiral rear vice colonel lieutenant commander chief secretary ambassador defence defense foreign deputy senator king prince sheikh ayatollah gen lt col adm maj'.split(' '),
);
const CONNECTORS = new Set(['of', 'for', 'and', 'the', 'de', 'al', 'el', 'bin', 'ibn', 'van', 'von', 'da']);
/** Past this many characters the page is cut: the names of an article are in its first part. */
export const MAX_TEXT = 200_000;

const POSSESSIVE = /['’]s\b.*$/u;

function words(s: string): string[] {
  return s
    .replace(POSSESSIVE, '')
    .replace(/[^\p{L}\p{N}\s.'’-]/gu, ' ')
    .replace(/\.(?=\s|$)/g, ' ')
    .split(/\s+/)
    .filter(Boolean);
}

const capitalised = (w: string) => /^\p{Lu}/u.test(w);

/** A person's name without titles; undefined unless at least two capitalised words remain. */
export function cleanPerson(raw: string): string | undefined {
  const ws = words(raw);
  // "Major-General", "Lt. Gen.": every part a title.
  const isTitle = (w: string) => w.split('-').every((part) => TITLES.has(part.toLowerCase().replace(/\.$/, '')));
  while (ws.length > 0 && isTitle(ws[0]!)) ws.shift();
  if (ws.length < 2 || ws.length > 5 || !ws.every((w) => capitalised(w) || CONNECTORS.has(w.toLowerCase()))) return undefined;
  return ws.join(' ');
}

/** An organisation name: proper-noun words only (not "Russian military"), or an acronym. */
export function cleanOrganisation(raw: string): string | undefined {
  if (POSSESSIVE.test(raw)) return undefined; // "Mr. Raisi's administration" names no organisation
  const ws = words(raw);
  if (ws.length > 0 && TITLES.has(ws[0]!.toLowerCase().replace(/\.$/, ''))) return undefined;
  if (ws.length === 1 && /^\p{Lu}{2,6}$/u.test(ws[0]!)) return ws[0];
  if (ws.length < 2 || ws.length > 8) return undefined;
  if (!capitalised(ws[0]!) || !capitalised(ws[ws.length - 1]!)) return undefined;
  if (!ws.every((w) => capitalised(w) || CONNECTORS.has(w.toLowerCase()))) return undefined;
  return ws.join(' ');
}

export function namesOnPage(text: string): { name: string; type: 'person' | 'organization' }[] {
  const doc = nlp(text.slice(0, MAX_TEXT));
  const out = new Map<string, { name: string; type: 'person' | 'organization' }>();
  for (const raw of doc.people().out('array') as string[]) {
    const name = cleanPerson(raw);
    if (name && !out.has(name.toLowerCase())) out.set(name.toLowerCase(), { name, type: 'person' });
  }
  for (const raw of doc.organizations().out('array') as string[]) {
    const name = cleanOrganisation(raw);
    if (name && !out.has(name.toLowerCase())) out.set(name.toLowerCase(), { name, type: 'organization' });
  }
  return [...out.values()];
}
