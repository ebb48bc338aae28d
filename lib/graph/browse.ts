/**
 * The explorer's filters over the whole KB: free text over every name, type, country, office, and a
 * year window read from the dates that apply (an office holder's role dates, an agreement's date,
 * the events an entity takes part in, an event's own date). Pure: runs in Node.
 */
import type { Entity, EntityType, KbEvent, Office } from '../kb/schema';
import { fold } from '../background/kb-index';
import { involved } from './graph';
import { eventInWindow, overlaps, roleInWindow, yearOf, type YearWindow } from './years';

export interface BrowseFilter {
  text?: string;
  type?: EntityType;
  /** Entity id of a country. */
  country?: string;
  office?: Office;
  years?: YearWindow;
  /** Only user data ("yours"). */
  onlyUser?: boolean;
}

type Flagged<T> = T & { user?: boolean };

function entityText(e: Entity): string[] {
  const all = [e.id, e.name, e.description];
  for (const list of Object.values(e.names ?? {})) all.push(...(list ?? []));
  for (const list of Object.values(e.short ?? {})) all.push(...(list ?? []));
  for (const r of e.roles ?? []) all.push(r.title);
  return all.map(fold);
}

const hasWindow = (w: YearWindow | undefined): w is YearWindow => w !== undefined && (w.from !== undefined || w.to !== undefined);

/** Entities matching every filter given, sorted by name. */
export function browseEntities<E extends Flagged<Entity>>(entities: readonly E[], events: readonly KbEvent[], f: BrowseFilter = {}): E[] {
  const words = f.text ? fold(f.text).split(' ').filter(Boolean) : [];
  let active: Set<string> | undefined;
  if (hasWindow(f.years)) {
    active = new Set();
    for (const ev of events) if (eventInWindow(ev, f.years)) for (const id of involved(ev)) active.add(id);
  }
  return entities
    .filter((e) => {
      if (f.onlyUser && !e.user) return false;
      if (f.type && e.type !== f.type) return false;
      if (f.country && e.country !== f.country && e.id !== f.country) return false;
      const officeRoles = f.office ? (e.roles ?? []).filter((r) => r.office === f.office) : undefined;
      if (officeRoles && officeRoles.length === 0) return false;
      if (hasWindow(f.years)) {
        const w = f.years;
        // With an office: who held it in those years. Otherwise: any dated trace in the window.
        if (officeRoles) {
          if (!officeRoles.some((r) => roleInWindow(r, w))) return false;
        } else {
          const own = e.date ? overlaps(yearOf(e.date), yearOf(e.endDate ?? e.date), w) : false;
          if (!own && !(e.roles ?? []).some((r) => roleInWindow(r, w)) && !active?.has(e.id)) return false;
        }
      }
      if (words.length > 0) {
        const text = entityText(e);
        if (!words.every((w) => text.some((t) => t.includes(w)))) return false;
      }
      return true;
    })
    .sort((a, b) => a.name.localeCompare(b.name));
}

/** Events matching the filters that apply to events (text, country or entity taking part, years), newest first. */
export function browseEvents<V extends Flagged<KbEvent>>(events: readonly V[], f: BrowseFilter & { entity?: string } = {}): V[] {
  const words = f.text ? fold(f.text).split(' ').filter(Boolean) : [];
  return events
    .filter((ev) => {
      if (f.onlyUser && !ev.user) return false;
      if (hasWindow(f.years) && !eventInWindow(ev, f.years)) return false;
      const inv = involved(ev);
      if (f.country && !inv.has(f.country) && ev.place !== f.country) return false;
      if (f.entity && !inv.has(f.entity)) return false;
      if (words.length > 0) {
        const text = [ev.id, ev.title, ev.summary].map(fold);
        if (!words.every((w) => text.some((t) => t.includes(w)))) return false;
      }
      return true;
    })
    .sort((a, b) => (a.date < b.date ? 1 : a.date > b.date ? -1 : a.id.localeCompare(b.id)));
}
