import { browser } from 'wxt/browser';
import { isTabMessage, type TabMessage } from '@/lib/messaging/protocol-page';
import { callResult, type Result, type RpcEnvelope } from '@/lib/messaging/rpc';
import { pageDate } from '@/lib/page/page-date';
import { Reader } from '@/lib/page/reader';
import { startNotes } from '@/lib/page/notes';

export default defineContentScript({
  matches: ['<all_urls>'],
  runAt: 'document_idle',
  async main(ctx) {
    const reader = new Reader({
      doc: document,
      win: window,
      match: (req) => callResult('page.match', req),
      pageDate,
      actions: {
        loadLabels: () => callResult('page.labels', document.documentElement.lang ? { lang: document.documentElement.lang.slice(0, 35) } : {}),
        loadCard: (id) => callResult('entity.card', { id, limit: 3, ...(document.documentElement.lang ? { lang: document.documentElement.lang.slice(0, 35) } : {}) }),
        openDetails: (id) => callResult('entity.open', { id }),
        // Handled by the notes feature; until it registers `notes.compose` the card shows the error.
        addNote: async (record) => {
          const envelope: RpcEnvelope = {
            rpc: 1,
            method: 'notes.compose',
            params: { entity: record.brief.id, exact: record.range.toString(), url: location.href },
          };
          const answer = (await browser.runtime.sendMessage(envelope)) as Result<unknown> | undefined;
          return answer ?? { ok: false, error: { code: 'internal', message: 'No answer from the background' } };
        },
      },
    });
    // Test and demo hook. It lives in the extension's isolated world: page scripts cannot see it.
    (globalThis as { __attache?: Reader }).__attache = reader;
    const onMessage = (m: unknown) => {
      if (!isTabMessage(m)) return;
      const msg = m as TabMessage;
      if (msg.attache === 'settings') reader.applySettings(msg.settings);
      else if (msg.attache === 'rescan') reader.rescan();
    };
    browser.runtime.onMessage.addListener(onMessage);
    ctx.onInvalidated(() => {
      browser.runtime.onMessage.removeListener(onMessage);
      reader.stop();
    });
    startNotes({ signal: ctx.signal, highlights: () => reader.snapshot() });
    const settings = await callResult('settings.get', {});
    if (settings.ok) reader.applySettings(settings.value);
    else console.warn(`[attache] ${settings.error.message}`);
  },
});
