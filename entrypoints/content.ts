import { browser } from 'wxt/browser';
import { isTabMessage, type TabMessage } from '@/lib/messaging/protocol-page';
import type { NotesTabMessage, PageTextAnswer } from '@/lib/messaging/protocol-notes';
import { callResult } from '@/lib/messaging/rpc';
import { extractText, isInsideSkipped } from '@/lib/page/extract';
import { createNotesHosts, notesUiLoaded, publishNotesBridge, type NotesUiRequest } from '@/lib/page/notes/bridge';
import { collectDateHints } from '@/lib/page/date-hints';
import { Reader } from '@/lib/page/reader';

export default defineContentScript({
  matches: ['<all_urls>'],
  runAt: 'document_idle',
  async main(ctx) {
    const lang = () => (document.documentElement.lang ? { lang: document.documentElement.lang.slice(0, 35) } : {});
    const reader = new Reader({
      doc: document,
      win: window,
      // Every scan, new SPA views included, also checks whether this address has notes (once per address).
      match: (req) => (visit(), callResult('page.match', req)),
      dateHints: collectDateHints,
      actions: {
        loadLabels: () => callResult('page.labels', lang()),
        loadCard: (id) => callResult('entity.card', { id, limit: 3, ...lang() }),
        openDetails: (id) => callResult('entity.open', { id }),
        // The background loads the notes UI into this frame if needed, then asks it to open the editor.
        addNote: (record) => callResult('notes.compose', { entity: record.brief.id, exact: record.range.toString(), url: location.href }),
      },
    });
    // Test and demo hook. It lives in the extension's isolated world: page scripts cannot see it.
    (globalThis as { __attache?: Reader }).__attache = reader;

    // Notes: the UI (lib/page/notes) is injected by the background only where it is needed
    // (lib/page/notes/bridge.ts); its empty hosts are made here, on every page alike.
    const hosts = createNotesHosts(document);
    publishNotesBridge({ signal: ctx.signal, hosts, highlights: () => reader.snapshot() });
    const askForNotesUi = (request: NotesUiRequest) => notesUiLoaded() || void browser.runtime.sendMessage(request).catch(() => undefined);
    let visited = '';
    const visit = () => {
      if (visited === location.href) return;
      visited = location.href;
      askForNotesUi({ attacheNotesUi: 'visit', canonical: document.querySelector('link[rel~="canonical" i]')?.getAttribute('href') ?? null });
    };
    // The first selection in the page's reading text (not in our own UI) loads the notes UI, which
    // then offers its Annotate button.
    let selected = false;
    ctx.addEventListener(document, 'selectionchange', () => {
      const sel = document.getSelection();
      if (selected || !sel?.rangeCount || sel.isCollapsed || isInsideSkipped(sel.getRangeAt(0).commonAncestorContainer)) return;
      selected = true;
      askForNotesUi({ attacheNotesUi: 'selection' });
    });

    const onMessage = (m: unknown): Promise<PageTextAnswer> | undefined => {
      // The popup's "Also on this page" asks every page. Where the notes UI runs, it answers (with the
      // canonical-aware page identity); elsewhere the popup derives the identity from the URL.
      if ((m as NotesTabMessage | undefined)?.attacheNotes === 'page-text' && !notesUiLoaded()) {
        return Promise.resolve({ url: location.href, lang: document.documentElement.lang, text: extractText(document.body).text });
      }
      if (!isTabMessage(m)) return undefined;
      const msg = m as TabMessage;
      if (msg.attache === 'settings') reader.applySettings(msg.settings);
      else if (msg.attache === 'rescan') reader.rescan();
      return undefined;
    };
    browser.runtime.onMessage.addListener(onMessage);
    ctx.onInvalidated(() => {
      browser.runtime.onMessage.removeListener(onMessage);
      reader.stop();
      for (const h of [hosts.ui, hosts.marks]) h.host.remove();
    });
    visit();
    const settings = await callResult('settings.get', {});
    if (settings.ok) reader.applySettings(settings.value);
    else console.warn(`[attache] ${settings.error.message}`);
  },
});
