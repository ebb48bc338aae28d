/**
 * The relationship graph, drawn with cytoscape (docs/adr-001-graph-library.md): the focus in the
 * middle, entities it shares events with around it, entities reached through several of them
 * outside. Line width = shared events. A list under the canvas says the same in text, for screen
 * readers and for keyboard users.
 *
 * Only the details page imports this file, so cytoscape stays out of the content script and the popup.
 */
import cytoscape, { type Core, type ElementDefinition } from 'cytoscape';
import { useEffect, useRef } from 'preact/hooks';
import { i18n } from '#i18n';
import type { EntityGraph } from '@/lib/graph/graph';
import { radialLayout } from '@/lib/graph/layout';
import { EntityLink } from './EntityLink';

const COLOURS: Record<string, string> = {
  person: '#1f5fa8',
  organization: '#7a3e9d',
  country: '#2e7d32',
  agreement: '#b26a00',
  exercise: '#c62828',
  event: '#5d4037',
  equipment: '#455a64',
  place: '#607d8b',
};

function elements(graph: EntityGraph): ElementDefinition[] {
  return [
    ...graph.nodes.map((n) => ({
      group: 'nodes' as const,
      data: { id: n.id, name: n.name, type: n.type, ring: n.ring, weight: n.weight, colour: COLOURS[n.type] ?? '#555' },
      classes: `ring${n.ring}${n.user ? ' user' : ''}`,
    })),
    ...graph.edges.map((e) => ({
      group: 'edges' as const,
      data: { id: e.id, source: e.source, target: e.target, weight: e.weight },
      classes: e.weight === 0 ? 'party-only' : e.source === graph.focus || e.target === graph.focus ? 'focus-edge' : '',
    })),
  ];
}

/** Element that carries the cytoscape instance as `cy`, for the real-browser tests. */
export type GraphContainer = HTMLDivElement & { cy?: Core };

export function RelationGraph(props: { graph: EntityGraph; onOpen(id: string): void }) {
  const box = useRef<GraphContainer>(null);
  const cyRef = useRef<Core | null>(null);
  const onOpen = useRef(props.onOpen);
  onOpen.current = props.onOpen;

  useEffect(() => {
    const el = box.current;
    if (!el) return;
    const cy = cytoscape({
      container: el,
      minZoom: 0.3,
      maxZoom: 3,
      wheelSensitivity: 0.3,
      style: [
        {
          selector: 'node',
          style: {
            label: 'data(name)',
            'background-color': 'data(colour)',
            width: 18,
            height: 18,
            'font-size': 11,
            'font-family': 'system-ui, sans-serif',
            color: '#1b1b1b',
            'text-valign': 'bottom',
            'text-margin-y': 3,
            'text-wrap': 'wrap',
            'text-max-width': '110px',
            'text-background-color': '#ffffff',
            'text-background-opacity': 0.8,
            'text-background-padding': '1px',
          },
        },
        // Labels point away from the centre, so that neighbours on a ring do not write over each other.
        { selector: 'node.lbl-left', style: { 'text-halign': 'left', 'text-valign': 'center', 'text-margin-x': -4, 'text-margin-y': 0 } },
        { selector: 'node.lbl-right', style: { 'text-halign': 'right', 'text-valign': 'center', 'text-margin-x': 4, 'text-margin-y': 0 } },
        { selector: 'node.lbl-top', style: { 'text-valign': 'top', 'text-margin-y': -3 } },
        { selector: 'node.ring0', style: { width: 34, height: 34, 'font-size': 14, 'font-weight': 'bold' } },
        { selector: 'node.ring2', style: { 'border-width': 2, 'border-style': 'dashed', 'border-color': '#333', 'background-opacity': 0.55 } },
        { selector: 'node.user', style: { shape: 'round-rectangle' } },
        {
          selector: 'edge',
          style: {
            width: 'mapData(weight, 1, 6, 1.5, 9)',
            'line-color': '#9aa5b1',
            opacity: 0.35,
            'curve-style': 'straight',
          },
        },
        { selector: 'edge.focus-edge', style: { 'line-color': '#3d5a80', opacity: 0.8 } },
        { selector: 'edge.party-only', style: { width: 1, 'line-style': 'dashed' } },
        { selector: 'node:active, node:selected', style: { 'overlay-opacity': 0.15 } },
      ],
    });
    cy.on('tap', 'node', (evt) => onOpen.current(evt.target.id()));
    cy.on('mouseover', 'node', () => (el.style.cursor = 'pointer'));
    cy.on('mouseout', 'node', () => (el.style.cursor = ''));
    cyRef.current = cy;
    Object.defineProperty(el, 'cy', { value: cy, configurable: true });
    return () => {
      cy.destroy();
      cyRef.current = null;
    };
  }, []);

  useEffect(() => {
    const cy = cyRef.current;
    if (!cy) return;
    cy.batch(() => {
      cy.elements().remove();
      cy.add(elements(props.graph));
    });
    const positions = radialLayout(props.graph);
    cy.nodes().forEach((n) => {
      const p = positions.get(n.id());
      if (!p || n.id() === props.graph.focus) return;
      n.addClass(Math.abs(p.x) > Math.abs(p.y) * 0.15 ? (p.x < 0 ? 'lbl-left' : 'lbl-right') : p.y < 0 ? 'lbl-top' : 'lbl-bottom');
    });
    cy.layout({ name: 'preset', positions: (n: { id(): string }) => positions.get(n.id()) ?? { x: 0, y: 0 }, animate: false, padding: 24 } as cytoscape.LayoutOptions).run();
    cy.fit(undefined, 24);
  }, [props.graph]);

  const listed = [...props.graph.nodes].filter((n) => n.ring > 0).sort((a, b) => a.ring - b.ring || b.weight - a.weight || a.name.localeCompare(b.name));
  return (
    <div class="relation-graph">
      <div class="graph-canvas" ref={box} role="img" aria-label={i18n.t('details.graph')} />
      <p class="graph-legend small">
        {[...new Set(props.graph.nodes.map((n) => n.type))].map((t) => (
          <span key={t} class="legend-item">
            <span class="legend-dot" style={{ background: COLOURS[t] ?? '#555' }} /> {i18n.t(`details.typeName.${t}`)}
          </span>
        ))}
        {props.graph.nodes.some((n) => n.ring === 2) && (
          <span class="legend-item">
            <span class="legend-dot ring2" /> {i18n.t('details.legendRing2')}
          </span>
        )}
      </p>
      <p class="muted small">{i18n.t('details.graphHint')}</p>
      <details class="graph-list">
        <summary>
          {i18n.t('details.graphList')} ({listed.length})
        </summary>
        <ul>
          {listed.map((n) => (
            <li key={n.id} data-node={n.id} data-ring={n.ring}>
              <EntityLink id={n.id} name={n.name} />{' '}
              <span class="muted">
                {n.ring === 1 ? i18n.t('details.sharedEvents', n.weight) : i18n.t('details.throughActors', [String(n.weight)])}
              </span>
            </li>
          ))}
        </ul>
      </details>
    </div>
  );
}
