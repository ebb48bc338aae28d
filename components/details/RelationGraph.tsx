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
        { selector: 'node.ring0', style: { width: 34, height: 34, 'font-size': 14, 'font-weight': 'bold' } },
        { selector: 'node.ring2', style: { 'border-width': 2, 'border-style': 'dashed', 'border-color': '#333', 'background-opacity': 0.55 } },
        { selector: 'node.user', style: { shape: 'round-rectangle' } },
        {
          selector: 'edge',
          style: {
            width: 'mapData(weight, 1, 6, 1.5, 9)',
            'line-color': '#9aa5b1',
            opacity: 0.55,
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
    cy.layout({
      name: 'concentric',
      // Rings: the focus, then direct links (strongest first), then second-ring entities.
      concentric: (n) => (2 - Number(n.data('ring'))) * 1000 + Number(n.data('weight')),
      levelWidth: () => 1000,
      minNodeSpacing: 28,
      spacingFactor: 1,
      animate: false,
      padding: 24,
    }).run();
    cy.fit(undefined, 24);
  }, [props.graph]);

  const listed = [...props.graph.nodes].filter((n) => n.ring > 0).sort((a, b) => a.ring - b.ring || b.weight - a.weight || a.name.localeCompare(b.name));
  return (
    <div class="relation-graph">
      <div class="graph-canvas" ref={box} role="img" aria-label={i18n.t('details.graph')} />
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
