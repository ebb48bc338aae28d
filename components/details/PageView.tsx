/**
 * The page-level view: the actors found on a tab and how the KB links them, each linking event told
 * as a sentence ("Bagheri and Shoigu met in Moscow, Oct 2021").
 */
import { useMemo } from 'preact/hooks';
import { i18n } from '#i18n';
import type { TabState } from '@/lib/messaging/protocol-page';
import type { ExploreEntity, ExploreEvent } from '@/lib/messaging/protocol-explore';
import { linkingEvents, pagePairs } from '@/lib/graph/page-links';
import { EntityLink, SourceLink } from './EntityLink';

/** Types that count as actors on the page; places, equipment and the like are left to the cards. */
const ACTOR_TYPES = new Set(['person', 'organization', 'country', 'agreement', 'exercise', 'event']);

export function PageView(props: { state: TabState | null; entities: ReadonlyMap<string, ExploreEntity>; events: readonly ExploreEvent[] }) {
  const { state, entities } = props;
  const actors = useMemo(() => (state?.entities ?? []).filter((e) => ACTOR_TYPES.has(e.type)), [state]);
  const links = useMemo(() => {
    const ids = actors.map((a) => a.id);
    // Countries alone do not link two officials' events: only more specific actors count.
    const countries = new Set(ids.filter((id) => entities.get(id)?.type === 'country'));
    return linkingEvents(ids, props.events, entities, { ignore: countries });
  }, [actors, props.events, entities]);
  const pairs = useMemo(() => pagePairs(links), [links]);
  const name = (id: string) => entities.get(id)?.name ?? id;

  if (!state) return <p class="notice">{i18n.t('details.pageNoTab')}</p>;
  return (
    <article class="page-view">
      <h1>{i18n.t('details.pageTitle')}</h1>
      <p class="page-title">
        {/^https?:\/\//i.test(state.url) ? (
          <a href={state.url} target="_blank" rel="noopener noreferrer">
            {state.title || state.url}
          </a>
        ) : (
          state.title || state.url
        )}
      </p>
      {actors.length === 0 ? (
        <p class="muted">{i18n.t('details.pageNone')}</p>
      ) : (
        <>
          <section>
            <h2>{i18n.t('details.pageActors')}</h2>
            <ul class="page-actors">
              {actors.map((a) => (
                <li key={a.id}>
                  <EntityLink id={a.id} name={a.name} /> <span class="muted">{i18n.t('details.mentions', a.count)}</span>
                </li>
              ))}
            </ul>
          </section>
          <section>
            <h2>{i18n.t('details.pageLinks')}</h2>
            {links.length === 0 ? (
              <p class="muted">{i18n.t('details.pageNoLinks')}</p>
            ) : (
              <>
                <ul class="page-pairs">
                  {pairs.map((p) => (
                    <li key={`${p.a}|${p.b}`}>
                      <EntityLink id={p.a} name={name(p.a)} /> — <EntityLink id={p.b} name={name(p.b)} />{' '}
                      <span class="muted">({i18n.t('details.sharedEvents', p.events.length)})</span>
                    </li>
                  ))}
                </ul>
                <ol class="page-sentences">
                  {links.map((l) => (
                    <li key={l.event.id} data-event={l.event.id}>
                      <span class="sentence">{l.sentence}</span>
                      <span class="muted small">
                        {' '}
                        {l.event.sources.slice(0, 2).map((s, i) => (
                          <SourceLink key={i} source={s} />
                        ))}
                      </span>
                    </li>
                  ))}
                </ol>
              </>
            )}
          </section>
        </>
      )}
    </article>
  );
}
