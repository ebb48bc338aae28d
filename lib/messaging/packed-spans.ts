/**
 * The spans of a `page.match` answer in columns. An extension message crosses from the service
 * worker to the page as a tree of values converted one by one, so its cost grows with the number of
 * values rather than bytes: measured in Chromium 156 on this project's machine, 10,000 span objects
 * took 31–40 ms to arrive, the same spans as a few arrays of numbers 8–11 ms (and one JSON string of
 * them 36–42 ms). A large page has ten thousand spans; a typical article a few dozen.
 *
 * Span i is `start[i]`, `end[i]`, entity `ids[entity[i]]` of type `types[entity[i]]`, recognised
 * `MATCH_VIAS[via[i]]`; role mentions carry their resolved role in `roles` (sparse: few spans are role
 * mentions).
 */
import type { EntityType } from '../kb/schema';
import type { MatchSpan, MatchVia } from './protocol-page';

export const MATCH_VIAS: readonly MatchVia[] = ['name', 'short', 'role', 'fuzzy'];

export interface PackedSpans {
  start: number[];
  end: number[];
  /** Index into `ids` / `types`. */
  entity: number[];
  /** Index into `MATCH_VIAS`. */
  via: number[];
  ids: string[];
  types: EntityType[];
  roles: { span: number; role: NonNullable<MatchSpan['role']> }[];
}

export function packSpans(spans: readonly MatchSpan[]): PackedSpans {
  const packed: PackedSpans = { start: [], end: [], entity: [], via: [], ids: [], types: [], roles: [] };
  const index = new Map<string, number>();
  spans.forEach((s, i) => {
    // Keyed by id and type: an entity has one type, but nothing here needs to rely on it.
    const key = `${s.type}\u0000${s.id}`;
    let e = index.get(key);
    if (e === undefined) {
      e = packed.ids.length;
      index.set(key, e);
      packed.ids.push(s.id);
      packed.types.push(s.type);
    }
    packed.start.push(s.start);
    packed.end.push(s.end);
    packed.entity.push(e);
    packed.via.push(Math.max(0, MATCH_VIAS.indexOf(s.via)));
    if (s.role) packed.roles.push({ span: i, role: s.role });
  });
  return packed;
}

/** The spans back as objects; throws on columns that do not line up (a malformed answer). */
export function unpackSpans(p: PackedSpans): MatchSpan[] {
  const n = p.start.length;
  if (p.end.length !== n || p.entity.length !== n || p.via.length !== n || p.ids.length !== p.types.length) {
    throw new TypeError('page.match answer: span columns of different lengths');
  }
  const out: MatchSpan[] = new Array<MatchSpan>(n);
  for (let i = 0; i < n; i++) {
    const e = p.entity[i]!;
    const id = p.ids[e];
    const via = MATCH_VIAS[p.via[i]!];
    if (id === undefined || via === undefined) throw new TypeError(`page.match answer: span ${i} refers to nothing`);
    out[i] = { start: p.start[i]!, end: p.end[i]!, id, type: p.types[e]!, via };
  }
  for (const { span, role } of p.roles) {
    const s = out[span];
    if (s) s.role = role;
  }
  return out;
}
