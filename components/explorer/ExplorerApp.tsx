/** The KB explorer: filters, entity and event lists, editing as user data, and KB packs. */
import { Fragment } from 'preact';
import { useMemo, useState } from 'preact/hooks';
import { i18n } from '#i18n';
import { ENTITY_TYPES, OFFICES, type EntityType, type Office } from '@/lib/kb/schema';
import type { ExploreEntity, ExploreEvent, KbSnapshot } from '@/lib/messaging/protocol-explore';
import { browseEntities, browseEvents, type BrowseFilter } from '@/lib/graph/browse';
import { shortDate } from '@/lib/graph/years';
import type { ExplorerApi } from './api';
import { AddEntityForm, AddEventForm } from './AddForms';
import { PackPanel } from './PackPanel';
import { RecordEditor } from './RecordEditor';

/** Rows drawn at once; the count says how many more the filters hold. */
const PAGE = 150;

type Editing = { kind: 'entity' | 'event'; record: object } | { kind: 'new-entity' } | { kind: 'new-event' } | undefined;

const year = (v: string) => (/^\d{4}$/.test(v.trim()) ? Number(v) : undefined);

export function ExplorerApp(props: { snapshot: KbSnapshot; api: ExplorerApi; onChanged(): Promise<void> }) {
  const { snapshot, api } = props;
  const [tab, setTab] = useState<'entities' | 'events'>('entities');
  const [f, setF] = useState({ text: '', type: '', country: '', office: '', from: '', to: '', onlyUser: false });
  const [editing, setEditing] = useState<Editing>();
  const [message, setMessage] = useState<string>();

  const byId = useMemo(() => new Map(snapshot.entities.map((e) => [e.id, e])), [snapshot]);
  const countries = useMemo(() => snapshot.entities.filter((e) => e.type === 'country').sort((a, b) => a.name.localeCompare(b.name)), [snapshot]);
  const filter: BrowseFilter = {
    ...(f.text ? { text: f.text } : {}),
    ...(f.type ? { type: f.type as EntityType } : {}),
    ...(f.country ? { country: f.country } : {}),
    ...(f.office ? { office: f.office as Office } : {}),
    years: { from: year(f.from), to: year(f.to) },
    onlyUser: f.onlyUser,
  };
  const entities = useMemo(() => browseEntities(snapshot.entities.map((e) => ({ ...e, user: e.origin !== 'bundled' })), snapshot.events, filter), [snapshot, JSON.stringify(filter)]);
  const events = useMemo(() => browseEvents(snapshot.events.map((e) => ({ ...e, user: e.origin !== 'bundled' })), filter), [snapshot, JSON.stringify(filter)]);
  const name = (id: string) => byId.get(id)?.name ?? id;
  const set = (k: keyof typeof f) => (e: Event) => {
    const t = e.target as HTMLInputElement;
    setF({ ...f, [k]: t.type === 'checkbox' ? t.checked : t.value });
  };
  const done = async (m: string) => {
    setEditing(undefined);
    setMessage(m);
    await props.onChanged();
  };
  const revert = async (kind: 'entity' | 'event', id: string) => {
    const r = await api.revert(kind, id);
    if (r.ok) await done(i18n.t('explorer.reverted'));
    else setMessage(r.problems.map((p) => `${p.path}: ${p.message}`).join('\n'));
  };

  const rows = tab === 'entities' ? entities : events;
  return (
    <main class="explorer">
      <header class="topbar">
        <h1>{i18n.t('explorer.title')}</h1>
        <span class="muted small">KB {snapshot.version}</span>
      </header>
      {message && (
        <p class="message" role="status">
          {message}
        </p>
      )}
      <form class="filters" onSubmit={(e) => e.preventDefault()} role="search">
        <input type="search" name="text" placeholder={i18n.t('explorer.search')} aria-label={i18n.t('explorer.search')} value={f.text} onInput={set('text')} />
        <select name="type" aria-label={i18n.t('explorer.type')} value={f.type} onChange={set('type')}>
          <option value="">{i18n.t('explorer.anyType')}</option>
          {ENTITY_TYPES.map((t) => (
            <option key={t} value={t}>
              {i18n.t(`types.${t}`)}
            </option>
          ))}
        </select>
        <select name="country" aria-label={i18n.t('explorer.country')} value={f.country} onChange={set('country')}>
          <option value="">{i18n.t('explorer.anyCountry')}</option>
          {countries.map((c) => (
            <option key={c.id} value={c.id}>
              {c.name}
            </option>
          ))}
        </select>
        <select name="office" aria-label={i18n.t('explorer.office')} value={f.office} onChange={set('office')}>
          <option value="">{i18n.t('explorer.anyOffice')}</option>
          {OFFICES.map((o) => (
            <option key={o} value={o}>
              {o}
            </option>
          ))}
        </select>
        <input name="from" inputMode="numeric" size={6} placeholder={i18n.t('explorer.from')} aria-label={i18n.t('explorer.from')} value={f.from} onInput={set('from')} />
        <input name="to" inputMode="numeric" size={6} placeholder={i18n.t('explorer.to')} aria-label={i18n.t('explorer.to')} value={f.to} onInput={set('to')} />
        <label class="check">
          <input type="checkbox" name="onlyUser" checked={f.onlyUser} onChange={set('onlyUser')} /> {i18n.t('explorer.onlyMine')}
        </label>
      </form>
      <div class="tabs" role="tablist">
        <button type="button" role="tab" name="tab-entities" aria-selected={tab === 'entities'} onClick={() => setTab('entities')}>
          {i18n.t('explorer.entities')} ({entities.length})
        </button>
        <button type="button" role="tab" name="tab-events" aria-selected={tab === 'events'} onClick={() => setTab('events')}>
          {i18n.t('explorer.events')} ({events.length})
        </button>
        <span class="spacer" />
        <button type="button" name="add-entity" onClick={() => setEditing({ kind: 'new-entity' })}>
          + {i18n.t('explorer.addEntity')}
        </button>
        <button type="button" name="add-event" onClick={() => setEditing({ kind: 'new-event' })}>
          + {i18n.t('explorer.addEvent')}
        </button>
      </div>
      {editing?.kind === 'new-entity' && <AddEntityForm countries={countries} exists={(id) => byId.has(id)} onSave={api.saveEntity} onDone={(m) => void done(m)} onCancel={() => setEditing(undefined)} />}
      {editing?.kind === 'new-event' && <AddEventForm exists={(id) => snapshot.events.some((e) => e.id === id)} onSave={api.saveEvent} onDone={(m) => void done(m)} onCancel={() => setEditing(undefined)} />}
      {(editing?.kind === 'entity' || editing?.kind === 'event') && (
        <RecordEditor
          key={JSON.stringify(editing.record).slice(0, 200)}
          kind={editing.kind}
          record={editing.record}
          onSave={(r) => (editing.kind === 'entity' ? api.saveEntity(r as never) : api.saveEvent(r as never))}
          onDone={(m) => void done(m)}
          onCancel={() => setEditing(undefined)}
        />
      )}
      <p class="muted small" aria-live="polite">
        {i18n.t('explorer.count', rows.length)}
        {rows.length > PAGE && ` — ${i18n.t('explorer.moreHidden', [String(rows.length - PAGE)])}`}
      </p>
      {tab === 'entities' ? (
        <ul class="results entities">
          {entities.slice(0, PAGE).map((e: ExploreEntity) => (
            <li key={e.id} data-entity={e.id} data-origin={e.origin}>
              <a href={api.detailsUrl(e.id)} class="result-name">
                {e.name}
              </a>{' '}
              <span class={`type-badge type-${e.type}`}>{i18n.t(`details.typeName.${e.type}`)}</span>
              {e.country && <span class="muted"> · {name(e.country)}</span>}
              {e.origin !== 'bundled' && <span class="yours-badge">{e.origin === 'added' ? i18n.t('details.yours') : i18n.t('details.edited')}</span>}
              <span class="row-actions">
                <button type="button" name="edit" onClick={() => setEditing({ kind: 'entity', record: e })}>
                  {i18n.t('explorer.edit')}
                </button>
                {e.origin !== 'bundled' && (
                  <button type="button" name="revert" onClick={() => void revert('entity', e.id)}>
                    {i18n.t('explorer.revert')}
                  </button>
                )}
              </span>
              <div class="result-line muted">{e.description}</div>
              {(e.roles ?? []).length > 0 && (
                <div class="result-line small">
                  {(e.roles ?? [])
                    .slice(0, 3)
                    .map((r) => `${r.title}${r.from || r.to ? ` (${r.from ?? '…'} – ${r.to ?? ''})` : ''}`)
                    .join(' · ')}
                </div>
              )}
            </li>
          ))}
        </ul>
      ) : (
        <ul class="results events">
          {events.slice(0, PAGE).map((ev: ExploreEvent) => (
            <li key={ev.id} data-event={ev.id} data-origin={ev.origin}>
              <time dateTime={ev.date}>{shortDate(ev.date, { day: true })}</time> <strong>{ev.title}</strong>
              {ev.origin !== 'bundled' && <span class="yours-badge">{ev.origin === 'added' ? i18n.t('details.yours') : i18n.t('details.edited')}</span>}
              <span class="row-actions">
                <button type="button" name="edit" onClick={() => setEditing({ kind: 'event', record: ev })}>
                  {i18n.t('explorer.edit')}
                </button>
                {ev.origin !== 'bundled' && (
                  <button type="button" name="revert" onClick={() => void revert('event', ev.id)}>
                    {i18n.t('explorer.revert')}
                  </button>
                )}
              </span>
              <div class="result-line muted">{ev.summary}</div>
              <div class="result-line small">
                {ev.participants.map((p, i) => (
                  <Fragment key={p}>
                    {i > 0 && ', '}
                    <a href={api.detailsUrl(p)}>{name(p)}</a>
                  </Fragment>
                ))}
              </div>
            </li>
          ))}
        </ul>
      )}
      <PackPanel api={api} onApplied={(m) => void done(m)} />
    </main>
  );
}
