/** The filter bar of the notes page: text, entity, tag, site, date range, orphans only. */
import { i18n } from '#i18n';
import type { EntityRef } from '@/lib/messaging/protocol-kb';
import type { NotesFilter } from '@/lib/messaging/protocol-notes';

export interface NotesFiltersProps {
  filter: NotesFilter;
  entities: readonly EntityRef[];
  tags: readonly string[];
  sites: readonly string[];
  onChange(filter: NotesFilter): void;
}

function without<K extends keyof NotesFilter>(f: NotesFilter, key: K, value: NotesFilter[K] | '' | false): NotesFilter {
  const next = { ...f };
  if (value === '' || value === undefined || value === false) delete next[key];
  else next[key] = value as NotesFilter[K];
  return next;
}

export function NotesFilters({ filter, entities, tags, sites, onChange }: NotesFiltersProps) {
  const set = <K extends keyof NotesFilter>(key: K, value: NotesFilter[K] | '' | false) => onChange(without(filter, key, value));
  return (
    <form class="filters" onSubmit={(e) => e.preventDefault()} role="search">
      <input type="search" name="text" dir="auto" value={filter.text ?? ''} placeholder={i18n.t('notes.search')} aria-label={i18n.t('notes.search')} onInput={(e) => set('text', (e.target as HTMLInputElement).value)} />
      <label>
        {i18n.t('notes.entity')}
        <select name="entity" value={filter.entity ?? ''} onChange={(e) => set('entity', (e.target as HTMLSelectElement).value)}>
          <option value="">{i18n.t('notes.anyEntity')}</option>
          {entities.map((e) => (
            <option key={e.id} value={e.id}>
              {e.name}
            </option>
          ))}
        </select>
      </label>
      <label>
        {i18n.t('notes.tag')}
        <select name="tag" value={filter.tag ?? ''} onChange={(e) => set('tag', (e.target as HTMLSelectElement).value)}>
          <option value="">{i18n.t('notes.anyTag')}</option>
          {tags.map((t) => (
            <option key={t} value={t}>
              {t}
            </option>
          ))}
        </select>
      </label>
      <label>
        {i18n.t('notes.site')}
        <select name="site" value={filter.site ?? ''} onChange={(e) => set('site', (e.target as HTMLSelectElement).value)}>
          <option value="">{i18n.t('notes.anySite')}</option>
          {sites.map((s) => (
            <option key={s} value={s}>
              {s}
            </option>
          ))}
        </select>
      </label>
      <label>
        {i18n.t('notes.from')}
        <input type="date" name="from" value={filter.from ?? ''} onChange={(e) => set('from', (e.target as HTMLInputElement).value)} />
      </label>
      <label>
        {i18n.t('notes.to')}
        <input type="date" name="to" value={filter.to ?? ''} onChange={(e) => set('to', (e.target as HTMLInputElement).value)} />
      </label>
      <label class="check">
        <input type="checkbox" name="orphaned" checked={filter.orphaned === true} onChange={(e) => set('orphaned', (e.target as HTMLInputElement).checked)} />
        {i18n.t('notes.onlyOrphans')}
      </label>
    </form>
  );
}
