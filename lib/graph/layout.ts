/**
 * A radial layout for the entity graph: the focus in the centre, ring 1 on a circle grouped by type
 * (people together, then organisations, countries, agreements…), ring 2 on an outer circle, each
 * node placed at the mean angle of the ring-1 entities it is linked to, so that the Shanghai
 * Cooperation Organisation sits next to the partners that lead to it. Deterministic (the same graph
 * always looks the same), unlike a force-directed layout. Pure: runs in Node.
 */
import type { EntityType } from '../kb/schema';
import type { EntityGraph } from './graph';

export interface Point {
  x: number;
  y: number;
}

const TYPE_ORDER: Record<EntityType, number> = { person: 0, organization: 1, country: 2, agreement: 3, exercise: 4, event: 5, equipment: 6, place: 7 };

export interface RadialOptions {
  /** Arc length between two ring-1 nodes, px (sets the radius when the ring is crowded). */
  spacing?: number;
  minRadius?: number;
  /** Distance between ring 1 and ring 2, px. */
  ringGap?: number;
}

export function radialLayout(graph: EntityGraph, { spacing = 50, minRadius = 200, ringGap = 110 }: RadialOptions = {}): Map<string, Point> {
  const pos = new Map<string, Point>([[graph.focus, { x: 0, y: 0 }]]);
  const ring1 = graph.nodes
    .filter((n) => n.ring === 1)
    .sort((a, b) => TYPE_ORDER[a.type] - TYPE_ORDER[b.type] || b.weight - a.weight || a.name.localeCompare(b.name));
  const r1 = Math.max(minRadius, (ring1.length * spacing) / (2 * Math.PI));
  const angle = new Map<string, number>();
  ring1.forEach((n, i) => {
    const a = -Math.PI / 2 + (i * 2 * Math.PI) / Math.max(1, ring1.length);
    angle.set(n.id, a);
    pos.set(n.id, { x: r1 * Math.cos(a), y: r1 * Math.sin(a) });
  });

  const r2 = r1 + ringGap;
  const ring2 = graph.nodes.filter((n) => n.ring === 2);
  const wanted = ring2.map((n) => {
    // Circular mean of the neighbours' angles, weighted by shared events.
    let sx = 0;
    let sy = 0;
    for (const e of graph.edges) {
      const other = e.source === n.id ? e.target : e.target === n.id ? e.source : undefined;
      const a = other !== undefined ? angle.get(other) : undefined;
      if (a === undefined) continue;
      sx += Math.cos(a) * Math.max(1, e.weight);
      sy += Math.sin(a) * Math.max(1, e.weight);
    }
    return { id: n.id, a: sx === 0 && sy === 0 ? Math.PI / 2 : Math.atan2(sy, sx) };
  });
  // Keep ring-2 nodes apart: sweep by angle and push each one at least `spacing` (as an arc) past the previous.
  wanted.sort((x, y) => x.a - y.a || x.id.localeCompare(y.id));
  const gap = spacing / r2;
  for (let i = 1; i < wanted.length; i++) wanted[i]!.a = Math.max(wanted[i]!.a, wanted[i - 1]!.a + gap);
  for (const w of wanted) pos.set(w.id, { x: r2 * Math.cos(w.a), y: r2 * Math.sin(w.a) });
  return pos;
}
