/** Explorer page wiring: the background calls behind the explorer's API, and re-rendering after changes. */
import { render } from 'preact';
import { browser } from 'wxt/browser';
import { i18n } from '#i18n';
import type { ExplorerApi } from '@/components/explorer/api';
import { ExplorerApp } from '@/components/explorer/ExplorerApp';
import { call } from '@/lib/messaging/rpc';

const api: ExplorerApi = {
  snapshot: () => call('explore.snapshot', {}),
  saveEntity: (entity) => call('explore.saveEntity', { entity }),
  saveEvent: (event) => call('explore.saveEvent', { event }),
  revert: (kind, id) => call('explore.revert', { kind, id }),
  planPack: (text, overwrite) => call('explore.planPack', { text, overwrite }),
  applyPack: (text, overwrite) => call('explore.applyPack', { text, overwrite }),
  exportPack: (scope) => call('explore.exportPack', { scope }),
  detailsUrl: (id) => (browser.runtime.getURL as (p: string) => string)(`/details.html#${encodeURIComponent(id)}`),
};

async function main() {
  const root = document.getElementById('app')!;
  // The bundle's own language and direction (see `ui` in locales/*.yml), not Chromium's UI locale.
  document.documentElement.lang = i18n.t('ui.lang');
  document.documentElement.dir = i18n.t('ui.dir');
  document.title = i18n.t('explorer.title');
  root.textContent = i18n.t('details.loading');
  const show = async () => {
    const snapshot = await api.snapshot();
    render(<ExplorerApp snapshot={snapshot} api={api} onChanged={show} />, root);
  };
  try {
    root.textContent = '';
    await show();
  } catch (e) {
    root.textContent = i18n.t('explorer.error', [e instanceof Error ? e.message : String(e)]);
  }
}

void main();
