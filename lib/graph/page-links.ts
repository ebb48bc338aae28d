/**
 * How the actors found on one page are linked: pairs that share KB events, and each linking event
 * told as one sentence ("Bagheri and Shoigu met in Moscow, Oct 2021").
 */
import type { KbEvent } from '../kb/schema';
import { byDateDesc, involved, type GraphEntity } from './graph';
import { eventInWindow, shortDate, type YearWindow } from './years';

export interface LinkingEvent {
  event: KbEvent;
  /** Page entities the event involves (two or more), in the order given. */
  among: string[];
  sentence: string;
}

export interface PagePair {
  a: string;
  b: string;
  /** Ids of the events both take part in, newest first. */
  events: string[];
}

/** Titles that say the people met (visits, talks, meetings): only then does the sentence say "met". */
const MEETING = /\b(meets?|met|meeting|visits?|visited|talks|hosts?|receives?|call|calls)\b/i;

/** How the sentence names an entity: the English short form of a person ("Shoigu"), else the name. */
export function sentenceName(e: GraphEntity | undefined, id: string): string {
  if (!e) return id;
  if (e.type === 'person') return e.short?.en?.[0] ?? e.name;
  return e.name;
}

function list(names: string[]): string {
  if (names.length <= 2) return names.join(' and ');
  return `${names.slice(0, -1).join(', ')} and ${names[names.length - 1]}`;
}

/** One line for an event that links some of the page's entities. */
export function linkSentence(ev: KbEvent, among: readonly string[], entities: ReadonlyMap<string, GraphEntity>): string {
  const names = list(among.map((id) => sentenceName(entities.get(id), id)));
  const place = ev.place ? entities.get(ev.place)?.name ?? ev.place : undefined;
  const when = shortDate(ev.date);
  const people = among.filter((id) => entities.get(id)?.type === 'person');
  if (people.length === among.length && MEETING.test(ev.title)) return place ? `${names} met in ${place}, ${when}` : `${names} met, ${when}`;
  return `${names}: ${ev.title} (${place ? `${place}, ` : ''}${when})`;
}

/**
 * Events that involve at least two of `ids`, newest first. Countries are counted only when the
 * page has no more specific actor in the event, or every event of two officials would "link" Iran
 * and Russia as well: pass `ignore` for ids that should not alone make a link.
 */
export function linkingEvents(ids: readonly string[], events: readonly KbEvent[], entities: ReadonlyMap<string, GraphEntity>, { years = {}, ignore = new Set<string>() }: { years?: YearWindow; ignore?: ReadonlySet<string> } = {}): LinkingEvent[] {
  const wanted = new Set(ids);
  const out: LinkingEvent[] = [];
  for (const ev of [...events].sort(byDateDesc)) {
    if (!eventInWindow(ev, years)) continue;
    const inv = involved(ev);
    const among = ids.filter((id) => inv.has(id) && wanted.has(id));
    // People first ("Bagheri and Shoigu", then the organisation), otherwise in the order given.
    const rank = (id: string) => (entities.get(id)?.type === 'person' ? 0 : 1);
    const specific = among.filter((id) => !ignore.has(id)).sort((a, b) => rank(a) - rank(b));
    if (among.length < 2 || specific.length < 2) continue;
    out.push({ event: ev, among: specific, sentence: linkSentence(ev, specific, entities) });
  }
  return out;
}

/** Pairs of page entities that share events, most shared first. */
export function pagePairs(linking: readonly LinkingEvent[]): PagePair[] {
  const pairs = new Map<string, PagePair>();
  for (const { event, among } of linking) {
    for (let i = 0; i < among.length; i++) {
      for (let j = i + 1; j < among.length; j++) {
        const [a, b] = [among[i]!, among[j]!].sort() as [string, string];
        const key = `${a}|${b}`;
        const p = pairs.get(key) ?? { a, b, events: [] };
        p.events.push(event.id);
        pairs.set(key, p);
      }
    }
  }
  return [...pairs.values()].sort((x, y) => y.events.length - x.events.length || x.a.localeCompare(y.a) || x.b.localeCompare(y.b));
}
