/**
 * KB packs: export the user's additions or the whole KB (the kb CLI's `KnowledgeBase` format), and
 * import with a dry run first: the plan (new, unchanged, conflicting records, problems by JSON path)
 * is shown, and nothing is written until the user confirms — and then all of it or nothing.
 */
import { useState } from 'preact/hooks';
import { saveFile } from '../download';
import { i18n } from '#i18n';
import type { PackEntry, PackPlan } from '@/lib/messaging/protocol-explore';
import type { ExplorerApi } from './api';
import { Problems } from './Problems';

const ACTION_LABEL = {
  add: 'explorer.actionAdd',
  same: 'explorer.actionSame',
  conflict: 'explorer.actionConflict',
  replace: 'explorer.actionReplace',
} as const;


export function PackPanel(props: { api: ExplorerApi; onApplied(message: string): void }) {
  const [file, setFile] = useState<{ name: string; text: string } | undefined>();
  const [overwrite, setOverwrite] = useState(false);
  const [plan, setPlan] = useState<PackPlan | undefined>();
  const [error, setError] = useState<string | undefined>();
  const [busy, setBusy] = useState(false);

  const run = async <T,>(f: () => Promise<T>): Promise<T | undefined> => {
    setBusy(true);
    setError(undefined);
    try {
      return await f();
    } catch (e) {
      setError(i18n.t('explorer.error', [e instanceof Error ? e.message : String(e)]));
      return undefined;
    } finally {
      setBusy(false);
    }
  };
  const check = async (f: { name: string; text: string }, ow: boolean) => {
    setFile(f);
    setPlan(await run(() => props.api.planPack(f.text, ow)));
  };
  const onFile = async (e: Event) => {
    const input = e.target as HTMLInputElement;
    const chosen = input.files?.[0];
    if (!chosen) return;
    await check({ name: chosen.name, text: await chosen.text() }, overwrite);
    input.value = '';
  };
  const apply = async () => {
    if (!file) return;
    const answer = await run(() => props.api.applyPack(file.text, overwrite));
    if (!answer) return;
    setPlan(answer.plan);
    if (answer.ok) {
      setFile(undefined);
      setPlan(undefined);
      props.onApplied(i18n.t('explorer.applied', [String(answer.written)]));
    }
  };
  const exportPack = async (scope: 'user' | 'all') => {
    const kb = await run(() => props.api.exportPack(scope));
    if (kb) saveFile(`attache-kb-${scope === 'user' ? 'mine' : 'all'}-${new Date().toISOString().slice(0, 10)}.json`, `${JSON.stringify(kb, null, 2)}\n`, 'application/json');
  };

  const shown = (plan?.entries ?? []).filter((e) => e.action !== 'same');
  return (
    <section class="packs">
      <h2>{i18n.t('explorer.packs')}</h2>
      <p class="muted small">{i18n.t('explorer.packHint')}</p>
      <div class="buttons">
        <button type="button" name="export-user" disabled={busy} onClick={() => void exportPack('user')}>
          {i18n.t('explorer.exportMine')}
        </button>
        <button type="button" name="export-all" disabled={busy} onClick={() => void exportPack('all')}>
          {i18n.t('explorer.exportAll')}
        </button>
        <label class="file-button">
          {i18n.t('explorer.importPack')}
          <input type="file" name="pack" accept=".json,application/json" onChange={(e) => void onFile(e)} />
        </label>
      </div>
      <label class="check">
        <input
          type="checkbox"
          name="overwrite"
          checked={overwrite}
          onChange={(e) => {
            const ow = (e.target as HTMLInputElement).checked;
            setOverwrite(ow);
            if (file) void check(file, ow);
          }}
        />{' '}
        {i18n.t('explorer.overwrite')}
      </label>
      {error && (
        <p class="problems" role="alert">
          {error}
        </p>
      )}
      {plan && file && (
        <div class="pack-plan" data-applicable={String(plan.applicable)}>
          <h3>{i18n.t('explorer.planTitle', [file.name])}</h3>
          <p class="plan-counts">
            <span data-count="add">{i18n.t('explorer.planAdd', [String(plan.counts.add)])}</span>
            {' · '}
            <span data-count="same">{i18n.t('explorer.planSame', [String(plan.counts.same)])}</span>
            {' · '}
            <span data-count="conflict">{i18n.t('explorer.planConflict', [String(plan.counts.conflict)])}</span>
            {plan.counts.replace > 0 && (
              <>
                {' · '}
                <span data-count="replace">{i18n.t('explorer.planReplace', [String(plan.counts.replace)])}</span>
              </>
            )}
          </p>
          {shown.length > 0 && (
            <table class="plan-entries">
              <tbody>
                {shown.slice(0, 300).map((e: PackEntry) => (
                  <tr key={e.path} data-action={e.action}>
                    <td>
                      <code>{e.path}</code>
                    </td>
                    <td>{e.id}</td>
                    <td>{i18n.t(ACTION_LABEL[e.action])}</td>
                    <td class="muted">{e.fields?.join(', ')}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
          <Problems title={i18n.t('explorer.planBlocked')} problems={plan.problems} />
          <div class="buttons">
            <button type="button" name="apply" disabled={busy || !plan.applicable} onClick={() => void apply()}>
              {i18n.t('explorer.apply')}
            </button>
            <button
              type="button"
              onClick={() => {
                setPlan(undefined);
                setFile(undefined);
              }}
            >
              {i18n.t('explorer.cancel')}
            </button>
          </div>
        </div>
      )}
    </section>
  );
}
