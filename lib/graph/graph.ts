/**
 * The relationship graph of one entity: who and what it is linked to through the KB's events.
 *
 * - Ring 1: every entity that shares an event with the focus (co-participants, and the agreements,
 *   exercises and operations the events link to), plus declared parties (an agreement's signatories,
 *   the agreements a country is party to).
 * - Ring 2 (optional): organisations, agreements and exercises that several ring-1 actors share
 *   events with, although the focus does not: how Mohammad Bagheri reaches the Shanghai Cooperation
 *   Organisation through Shoigu, Gharaei Ashtiani and Raisi. Capped, strongest first, so the picture
 *   stays readable.
 *
 * Edge weight = number of events both ends take part in (within the year window). Pure: runs in Node.
 */
import type { EntityType, KbEvent, Names } from '../kb/schema';
import { eventInWindow, type YearWindow } from './years';

/** What the graph needs to know about an entity. */
export interface GraphEntity {
  id: string;
  name: string;
  type: EntityType;
  short?: Names;
  parties?: string[];
  date?: string;
  /** User data ("yours"). */
  user?: boolean;
}

export interface KbSlice {
  entities: ReadonlyMap<string, GraphEntity>;
  events: readonly KbEvent[];
}

export interface GraphNode {
  id: string;
  name: string;
  type: EntityType;
  /** 0 = the focus, 1 = linked to it directly, 2 = reached through several ring-1 actors. */
  ring: 0 | 1 | 2;
  /** Ring 1: events shared with the focus. Ring 2: number of ring-1 actors it is linked to. Focus: its events. */
  weight: number;
  user?: boolean;
}

export interface GraphEdge {
  /** `a|b` with a < b, so each pair has one edge. */
  id: string;
  source: string;
  target: string;
  /** Number of shared events in the window (0 for a party link with no shared event). */
  weight: number;
  /** Ids of the shared events, newest first. */
  events: string[];
  /** Declared in `parties` (agreement signatories, organisation members). */
  party?: boolean;
}

export interface EntityGraph {
  focus: string;
  nodes: GraphNode[];
  edges: GraphEdge[];
  /** The focus's events in the window, newest first. */
  events: KbEvent[];
}

/** Entity types drawn in the graph; places and equipment stay in the timeline text. */
export const GRAPH_TYPES: ReadonlySet<EntityType> = new Set(['person', 'organization', 'country', 'agreement', 'exercise', 'event']);
/** Types that may enter through ring 2. */
const SECOND_RING_TYPES: ReadonlySet<EntityType> = new Set(['organization', 'agreement', 'exercise']);
/** Ring-1 types whose own events are followed for ring 2 (countries take part in everything). */
const SECOND_RING_VIA: ReadonlySet<EntityType> = new Set(['person', 'organization']);

export interface GraphOptions {
  years?: YearWindow;
  /** 1 = direct links only; 2 = add the second ring (default). */
  depth?: 1 | 2;
  /** Most ring-2 nodes kept (default 8). */
  maxSecondRing?: number;
  /** Least ring-1 actors a ring-2 node must be linked to (default 2). */
  minSecondRingLinks?: number;
}

/** Entities an event involves: participants and links (the place is where, not who). */
export function involved(ev: Pick<KbEvent, 'participants' | 'links'>): Set<string> {
  return new Set([...ev.participants, ...(ev.links ?? [])]);
}

/** Newest first, then by id so that the order is stable. */
export function byDateDesc(a: Pick<KbEvent, 'date' | 'id'>, b: Pick<KbEvent, 'date' | 'id'>): number {
  return a.date < b.date ? 1 : a.date > b.date ? -1 : a.id.localeCompare(b.id);
}

/** Events an entity takes part in or that link to it, newest first. */
export function eventsOf(id: string, events: readonly KbEvent[], years: YearWindow = {}): KbEvent[] {
  return events.filter((ev) => eventInWindow(ev, years) && involved(ev).has(id)).sort(byDateDesc);
}

const pairId = (a: string, b: string) => (a < b ? `${a}|${b}` : `${b}|${a}`);

class EdgeSet {
  readonly byId = new Map<string, GraphEdge>();
  add(a: string, b: string, eventId?: string, party = false) {
    if (a === b) return;
    const id = pairId(a, b);
    let e = this.byId.get(id);
    if (!e) {
      const [source, target] = a < b ? [a, b] : [b, a];
      e = { id, source, target, weight: 0, events: [] };
      this.byId.set(id, e);
    }
    if (eventId !== undefined && !e.events.includes(eventId)) {
      e.events.push(eventId);
      e.weight = e.events.length;
    }
    if (party) e.party = true;
  }
}

export function buildGraph(focusId: string, kb: KbSlice, opts: GraphOptions = {}): EntityGraph {
  const { years = {}, depth = 2, maxSecondRing = 8, minSecondRingLinks = 2 } = opts;
  const entity = (id: string) => kb.entities.get(id);
  const drawable = (id: string) => {
    const e = entity(id);
    return e !== undefined && GRAPH_TYPES.has(e.type);
  };
  const focus = entity(focusId);
  const focusEvents = eventsOf(focusId, kb.events, years);
  const nodes = new Map<string, GraphNode>();
  const edges = new EdgeSet();
  const node = (id: string, ring: 0 | 1 | 2): GraphNode => {
    let n = nodes.get(id);
    if (!n) {
      const e = entity(id);
      n = { id, name: e?.name ?? id, type: e?.type ?? 'organization', ring, weight: 0, ...(e?.user ? { user: true } : {}) };
      nodes.set(id, n);
    }
    return n;
  };
  node(focusId, 0).weight = focusEvents.length;

  // Ring 1 through events; edges between every two drawn entities of each event.
  for (const ev of focusEvents) {
    const ids = [...involved(ev)].filter((id) => id === focusId || drawable(id));
    for (const id of ids) if (id !== focusId) node(id, 1);
    for (let i = 0; i < ids.length; i++) for (let j = i + 1; j < ids.length; j++) edges.add(ids[i]!, ids[j]!, ev.id);
  }
  // Ring 1 through declared parties, both ways, when the agreement or exercise is dated in the window.
  const datedIn = (e: GraphEntity | undefined) => !e?.date || eventInWindow({ date: e.date }, years);
  if (datedIn(focus)) for (const p of focus?.parties ?? []) if (drawable(p)) (node(p, 1), edges.add(focusId, p, undefined, true));
  for (const e of kb.entities.values()) {
    if (e.id !== focusId && e.parties?.includes(focusId) && drawable(e.id) && datedIn(e)) (node(e.id, 1), edges.add(focusId, e.id, undefined, true));
  }
  for (const n of nodes.values()) if (n.ring === 1) n.weight = edges.byId.get(pairId(focusId, n.id))?.weight ?? 0;

  if (depth === 2) {
    const ring1 = [...nodes.values()].filter((n) => n.ring === 1 && SECOND_RING_VIA.has(n.type));
    const focusEventIds = new Set(focusEvents.map((e) => e.id));
    /** candidate → ring-1 actor → shared event ids */
    const reach = new Map<string, Map<string, string[]>>();
    for (const r of ring1) {
      for (const ev of eventsOf(r.id, kb.events, years)) {
        if (focusEventIds.has(ev.id)) continue;
        for (const c of involved(ev)) {
          if (nodes.has(c) || !SECOND_RING_TYPES.has(entity(c)?.type ?? 'place')) continue;
          const byActor = reach.get(c) ?? new Map<string, string[]>();
          reach.set(c, byActor);
          byActor.set(r.id, [...(byActor.get(r.id) ?? []), ev.id]);
        }
      }
    }
    const ranked = [...reach.entries()]
      .filter(([, byActor]) => byActor.size >= minSecondRingLinks)
      .map(([id, byActor]) => ({ id, byActor, links: byActor.size, total: [...byActor.values()].reduce((s, l) => s + l.length, 0) }))
      .sort((a, b) => b.links - a.links || b.total - a.total || (entity(a.id)?.name ?? a.id).localeCompare(entity(b.id)?.name ?? b.id))
      .slice(0, maxSecondRing);
    for (const c of ranked) {
      node(c.id, 2).weight = c.links;
      for (const [actor, evIds] of c.byActor) for (const evId of evIds) edges.add(actor, c.id, evId);
    }
  }

  const order = new Map(kb.events.map((e) => [e.id, e] as const));
  for (const e of edges.byId.values()) {
    e.events.sort((a, b) => byDateDesc(order.get(a) ?? { id: a, date: '' }, order.get(b) ?? { id: b, date: '' }));
  }
  return { focus: focusId, nodes: [...nodes.values()], edges: [...edges.byId.values()], events: focusEvents };
}

/** Ring-1 nodes, most shared events first, then by name: "related actors" beside the graph. */
export function relatedActors(graph: EntityGraph, types: ReadonlySet<EntityType> = new Set(['person', 'organization', 'country'])): GraphNode[] {
  return graph.nodes.filter((n) => n.ring === 1 && types.has(n.type)).sort((a, b) => b.weight - a.weight || a.name.localeCompare(b.name));
}
