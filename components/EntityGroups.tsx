/** The entities found on a page, grouped by type, most mentioned first, with counts. */
import { i18n } from '#i18n';
import { ENTITY_TYPES, type EntityType } from '@/lib/kb/schema';

export interface EntityCount {
  id: string;
  name: string;
  type: EntityType;
  count: number;
}

export interface EntityGroupsProps {
  entities: readonly EntityCount[];
  onSelect(id: string): void;
}

/** Groups in the order of their biggest count; inside a group, most mentioned first. */
export function groupByType(entities: readonly EntityCount[]): { type: EntityType; items: EntityCount[]; total: number }[] {
  const groups = new Map<EntityType, EntityCount[]>();
  for (const e of entities) {
    const list = groups.get(e.type) ?? [];
    list.push(e);
    groups.set(e.type, list);
  }
  return [...groups.entries()]
    .map(([type, items]) => ({
      type,
      items: items.sort((a, b) => b.count - a.count || a.name.localeCompare(b.name)),
      total: items.reduce((s, x) => s + x.count, 0),
    }))
    .sort((a, b) => (b.items[0]?.count ?? 0) - (a.items[0]?.count ?? 0) || ENTITY_TYPES.indexOf(a.type) - ENTITY_TYPES.indexOf(b.type));
}

export function EntityGroups({ entities, onSelect }: EntityGroupsProps) {
  return (
    <div class="groups">
      {groupByType(entities).map((g) => (
        <section class="group" key={g.type} data-type={g.type}>
          <h3>
            {i18n.t(`types.${g.type}`)} <span class="count">{g.items.length}</span>
          </h3>
          <ul>
            {g.items.map((e) => (
              <li key={e.id}>
                <button type="button" class={`entity type-${e.type}`} data-entity={e.id} onClick={() => onSelect(e.id)}>
                  <span class="name" dir="auto">
                    {e.name}
                  </span>
                  <span class="mentions" title={i18n.t('popup.mentions', e.count)}>
                    {e.count}
                  </span>
                </button>
              </li>
            ))}
          </ul>
        </section>
      ))}
    </div>
  );
}
