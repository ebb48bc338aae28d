/** The details page: one entity (`#id`) or the page view of a tab (`?tab=N`, no hash). */
import { useMemo } from 'preact/hooks';
import { i18n } from '#i18n';
import type { ExploreEntity, ExploreEvent, KbSnapshot } from '@/lib/messaging/protocol-explore';
import type { TabState } from '@/lib/messaging/protocol-page';
import { EntityView } from './EntityView';
import { PageView } from './PageView';

export type DetailsRoute = { entity: string; tab?: number } | { entity?: undefined; tab: number };

export function DetailsApp(props: { snapshot: KbSnapshot; route: DetailsRoute; tabState?: TabState | null; onOpen(id: string): void; explorerUrl: string }) {
  const slice = useMemo(
    () => ({ entities: new Map<string, ExploreEntity>(props.snapshot.entities.map((e) => [e.id, e])), events: props.snapshot.events as readonly ExploreEvent[] }),
    [props.snapshot],
  );
  const { route } = props;
  const entity = route.entity !== undefined ? slice.entities.get(route.entity) : undefined;
  return (
    <div class="details-app">
      <nav class="topbar">
        <span class="brand">Attaché</span>
        {route.tab !== undefined && route.entity !== undefined && (
          <a href="#" class="back">
            {i18n.t('details.backToPage')}
          </a>
        )}
        <a href={props.explorerUrl} class="to-explorer">
          {i18n.t('details.openExplorer')}
        </a>
      </nav>
      {route.entity !== undefined ? (
        entity ? (
          <EntityView key={entity.id} entity={entity} slice={slice} onOpen={props.onOpen} />
        ) : (
          <p class="notice">{i18n.t('details.notFound', [route.entity])}</p>
        )
      ) : (
        <PageView state={props.tabState ?? null} entities={slice.entities} events={slice.events} />
      )}
    </div>
  );
}
