/** One entity: header, year window, relationship graph and timeline, filtered together. */
import { useMemo, useState } from 'preact/hooks';
import { i18n } from '#i18n';
import type { ExploreEntity, ExploreEvent } from '@/lib/messaging/protocol-explore';
import { buildGraph, eventsOf, type KbSlice } from '@/lib/graph/graph';
import { groupByYear } from '@/lib/graph/timeline';
import { yearOf, yearSpan, type YearWindow } from '@/lib/graph/years';
import { EntityHeader } from './EntityHeader';
import { RelationGraph } from './RelationGraph';
import { Timeline } from './Timeline';
import { YearRange } from './YearRange';

export interface EntityViewProps {
  entity: ExploreEntity;
  slice: KbSlice & { entities: ReadonlyMap<string, ExploreEntity>; events: readonly ExploreEvent[] };
  onOpen(id: string): void;
}

export function EntityView(props: EntityViewProps) {
  const { entity, slice } = props;
  const [years, setYears] = useState<YearWindow>({});
  const all = useMemo(() => eventsOf(entity.id, slice.events) as ExploreEvent[], [entity.id, slice]);
  const span = yearSpan(all) ?? { min: yearOf(entity.date ?? String(new Date().getFullYear())), max: yearOf(entity.endDate ?? entity.date ?? String(new Date().getFullYear())) };
  const counts = useMemo(() => {
    const m = new Map<number, number>();
    for (const ev of all) m.set(yearOf(ev.date), (m.get(yearOf(ev.date)) ?? 0) + 1);
    return m;
  }, [all]);
  const graph = useMemo(() => buildGraph(entity.id, slice, { years }), [entity.id, slice, years]);
  const groups = useMemo(() => groupByYear(graph.events as ExploreEvent[]), [graph]);
  const name = (id: string) => slice.entities.get(id)?.name ?? id;
  const isPlace = (id: string) => slice.entities.get(id)?.type === 'place';

  return (
    <article class="entity-view" data-entity={entity.id}>
      <EntityHeader entity={entity} name={name} />
      <section class="window">
        <h2>{i18n.t('details.years')}</h2>
        <YearRange min={span.min} max={span.max} counts={counts} value={years} onChange={setYears} />
      </section>
      <div class="columns">
        <section class="graph-section">
          <h2>{i18n.t('details.graph')}</h2>
          <RelationGraph graph={graph} onOpen={props.onOpen} />
        </section>
        <section class="timeline-section">
          <h2>
            {i18n.t('details.timeline')} <span class="muted">({graph.events.length})</span>
          </h2>
          <Timeline groups={groups} focus={entity.id} name={name} isPlace={isPlace} />
        </section>
      </div>
    </article>
  );
}
