/**
 * Details page wiring: reads the route from the address (`details.html#<entity-id>`, or
 * `details.html?tab=N` for the page view), loads the KB snapshot and the tab state, and re-renders
 * on hash changes, so clicking an entity never reloads the page.
 */
import { render } from 'preact';
import { browser } from 'wxt/browser';
import { i18n } from '#i18n';
import { DetailsApp, type DetailsRoute } from '@/components/details/DetailsApp';
import { call } from '@/lib/messaging/rpc';
import type { KbSnapshot } from '@/lib/messaging/protocol-explore';
import type { TabState } from '@/lib/messaging/protocol-page';

function route(): DetailsRoute | undefined {
  const tab = Number.parseInt(new URLSearchParams(location.search).get('tab') ?? '', 10);
  let entity: string | undefined;
  try {
    entity = decodeURIComponent(location.hash.slice(1)) || undefined;
  } catch {
    entity = location.hash.slice(1) || undefined;
  }
  if (entity !== undefined) return { entity, ...(Number.isInteger(tab) ? { tab } : {}) };
  return Number.isInteger(tab) ? { tab } : undefined;
}

async function main() {
  const root = document.getElementById('app')!;
  // The bundle's own language and direction (see `ui` in locales/*.yml), not Chromium's UI locale.
  document.documentElement.lang = i18n.t('ui.lang');
  document.documentElement.dir = i18n.t('ui.dir');
  document.title = i18n.t('details.title');
  root.textContent = i18n.t('details.loading');

  let snapshot: KbSnapshot;
  let tabState: TabState | null | undefined;
  const explorerUrl = (browser.runtime.getURL as (p: string) => string)('/explorer.html');
  const open = (id: string) => {
    location.hash = encodeURIComponent(id);
  };
  const show = (scroll = false) => {
    const r = route() ?? { tab: -1 };
    if (r.entity !== undefined) {
      const name = snapshot.entities.find((e) => e.id === r.entity)?.name;
      document.title = name ? `${name} — Attaché` : i18n.t('details.title');
    } else document.title = i18n.t('details.pageTitle');
    render(<DetailsApp snapshot={snapshot} route={r} tabState={tabState} onOpen={open} explorerUrl={explorerUrl} />, root);
    if (scroll) window.scrollTo(0, 0);
  };
  const load = async () => {
    const r = route();
    [snapshot, tabState] = await Promise.all([call('explore.snapshot', {}), r?.tab !== undefined ? call('tab.state', { tabId: r.tab }) : Promise.resolve(undefined)]);
  };
  try {
    await load();
    root.textContent = '';
    show();
  } catch (e) {
    root.textContent = i18n.t('explorer.error', [e instanceof Error ? e.message : String(e)]);
    return;
  }
  window.addEventListener('hashchange', () => show(true));
  // Edits made in the explorer (or a pack imported) show when the user comes back to this tab.
  document.addEventListener('visibilitychange', () => {
    if (document.visibilityState === 'visible') void load().then(() => show(), () => undefined);
  });
}

void main();
