/**
 * Quick forms for a new entity or event with the fields a reader usually has; the full record can
 * then be refined in the JSON editor. Ids follow the KB's conventions (slug of the English name;
 * `YYYY-MM(-DD)-slug` for events).
 */
import { useState } from 'preact/hooks';
import { i18n } from '#i18n';
import { ENTITY_TYPES, type Entity, type EntityType, type KbEvent } from '@/lib/kb/schema';
import { slugify } from '@/lib/kb/validate';
import type { ExploreEntity, PathProblem, SaveAnswer } from '@/lib/messaging/protocol-explore';
import { Problems } from './Problems';
import { FormButtons } from './FormButtons';

const list = (s: string) =>
  s
    .split(',')
    .map((x) => x.trim())
    .filter(Boolean);

function useSubmit(onSave: () => Promise<SaveAnswer> | PathProblem[], onDone: (m: string) => void) {
  const [problems, setProblems] = useState<PathProblem[]>([]);
  const [busy, setBusy] = useState(false);
  const submit = async (e: Event) => {
    e.preventDefault();
    const r = onSave();
    if (Array.isArray(r)) return setProblems(r);
    setBusy(true);
    try {
      const answer = await r;
      if (answer.ok) {
        setProblems([]);
        onDone(i18n.t('explorer.saved', [answer.id]));
      } else setProblems(answer.problems);
    } catch (err) {
      setProblems([{ path: '$', message: err instanceof Error ? err.message : String(err) }]);
    } finally {
      setBusy(false);
    }
  };
  return { problems, busy, submit };
}

export function AddEntityForm(props: { countries: ExploreEntity[]; exists(id: string): boolean; onSave(e: Entity): Promise<SaveAnswer>; onDone(m: string): void; onCancel(): void }) {
  const [f, setF] = useState({ name: '', type: 'person' as EntityType, country: '', description: '', aliases: '', source: '' });
  const set = (k: keyof typeof f) => (e: Event) => setF({ ...f, [k]: (e.target as HTMLInputElement).value });
  const { problems, busy, submit } = useSubmit(() => {
    const name = f.name.replace(/\s+/g, ' ').trim();
    const id = slugify(name);
    if (id && props.exists(id)) return [{ path: '$.id', message: `"${id}" is already in the knowledge base: edit it instead` }];
    const entity: Entity = {
      id,
      type: f.type,
      name,
      names: { en: [...new Set([name, ...list(f.aliases)])] },
      description: f.description.trim(),
      ...(f.country ? { country: f.country } : {}),
      ...(f.source.trim() ? { sources: [{ url: f.source.trim(), date: new Date().toISOString().slice(0, 10) }] } : {}),
    };
    return props.onSave(entity);
  }, props.onDone);
  return (
    <form class="add-form add-entity" onSubmit={submit}>
      <label>
        {i18n.t('explorer.name')} <input name="name" required value={f.name} onInput={set('name')} />
      </label>
      <label>
        {i18n.t('explorer.type')}{' '}
        <select name="type" value={f.type} onChange={set('type')}>
          {ENTITY_TYPES.map((t) => (
            <option key={t} value={t}>
              {i18n.t(`details.typeName.${t}`)}
            </option>
          ))}
        </select>
      </label>
      <label>
        {i18n.t('explorer.country')}{' '}
        <select name="country" value={f.country} onChange={set('country')}>
          <option value="">—</option>
          {props.countries.map((c) => (
            <option key={c.id} value={c.id}>
              {c.name}
            </option>
          ))}
        </select>
      </label>
      <label class="wide">
        {i18n.t('explorer.description')} <input name="description" required value={f.description} onInput={set('description')} />
      </label>
      <label class="wide">
        {i18n.t('explorer.aliases')} <input name="aliases" value={f.aliases} onInput={set('aliases')} />
      </label>
      <label class="wide">
        {i18n.t('explorer.sourceUrl')} <input name="source" type="url" value={f.source} onInput={set('source')} />
      </label>
      <Problems title={i18n.t('explorer.problems')} problems={problems} />
      <FormButtons busy={busy} onCancel={props.onCancel} />
    </form>
  );
}

export function AddEventForm(props: { exists(id: string): boolean; onSave(e: KbEvent): Promise<SaveAnswer>; onDone(m: string): void; onCancel(): void }) {
  const [f, setF] = useState({ date: '', title: '', summary: '', participants: '', place: '', source: '' });
  const set = (k: keyof typeof f) => (e: Event) => setF({ ...f, [k]: (e.target as HTMLInputElement).value });
  const { problems, busy, submit } = useSubmit(() => {
    const id = `${f.date.trim()}-${slugify(f.title)}`;
    if (props.exists(id)) return [{ path: '$.id', message: `"${id}" is already in the knowledge base: edit it instead` }];
    const event: KbEvent = {
      id,
      date: f.date.trim(),
      title: f.title.trim(),
      summary: f.summary.trim(),
      participants: list(f.participants),
      ...(f.place.trim() ? { place: f.place.trim() } : {}),
      sources: f.source.trim() ? [{ url: f.source.trim() }] : [],
    };
    return props.onSave(event);
  }, props.onDone);
  return (
    <form class="add-form add-event" onSubmit={submit}>
      <label>
        {i18n.t('explorer.date')} <input name="date" required pattern="\d{4}-\d{2}(-\d{2})?" value={f.date} onInput={set('date')} />
      </label>
      <label class="wide">
        {i18n.t('explorer.eventTitle')} <input name="title" required value={f.title} onInput={set('title')} />
      </label>
      <label class="wide">
        {i18n.t('explorer.summary')} <input name="summary" required value={f.summary} onInput={set('summary')} />
      </label>
      <label class="wide">
        {i18n.t('explorer.participants')} <input name="participants" required value={f.participants} onInput={set('participants')} placeholder={i18n.t('explorer.participantsHint')} />
      </label>
      <label>
        {i18n.t('explorer.placeId')} <input name="place" value={f.place} onInput={set('place')} />
      </label>
      <label class="wide">
        {i18n.t('explorer.sourceUrl')} <input name="source" type="url" required value={f.source} onInput={set('source')} />
      </label>
      <Problems title={i18n.t('explorer.problems')} problems={problems} />
      <FormButtons busy={busy} onCancel={props.onCancel} />
    </form>
  );
}
