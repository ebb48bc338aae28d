/** Edits any entity or event as its JSON record (every field of the kb CLI's files), checked by the background before saving. */
import { useState } from 'preact/hooks';
import { i18n } from '#i18n';
import type { PathProblem, SaveAnswer } from '@/lib/messaging/protocol-explore';
import { Problems } from './Problems';
import { FormButtons } from './FormButtons';

export function RecordEditor(props: { kind: 'entity' | 'event'; record: object; onSave(record: unknown): Promise<SaveAnswer>; onDone(message: string): void; onCancel(): void }) {
  const clean = Object.fromEntries(Object.entries(props.record).filter(([k]) => k !== 'origin' && k !== 'modified'));
  const [text, setText] = useState(JSON.stringify(clean, null, 2));
  const [problems, setProblems] = useState<PathProblem[]>([]);
  const [busy, setBusy] = useState(false);
  const save = async (e: Event) => {
    e.preventDefault();
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (err) {
      setProblems([{ path: '$', message: i18n.t('explorer.notJson', [err instanceof Error ? err.message : String(err)]) }]);
      return;
    }
    setBusy(true);
    try {
      const answer = await props.onSave(value);
      if (answer.ok) props.onDone(i18n.t('explorer.saved', [answer.id]));
      else setProblems(answer.problems);
    } catch (err) {
      setProblems([{ path: '$', message: err instanceof Error ? err.message : String(err) }]);
    } finally {
      setBusy(false);
    }
  };
  return (
    <form class="record-editor" onSubmit={save} data-kind={props.kind}>
      <label>
        {i18n.t('explorer.json')}
        <textarea name="record" rows={22} spellcheck={false} dir="ltr" value={text} onInput={(e) => setText((e.target as HTMLTextAreaElement).value)} />
      </label>
      <p class="muted small">{i18n.t('explorer.jsonHint')}</p>
      <Problems title={i18n.t('explorer.problems')} problems={problems} />
      <FormButtons busy={busy} onCancel={props.onCancel} />
    </form>
  );
}
