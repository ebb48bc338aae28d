/**
 * The popup: what Attaché found on the tab (or `?tab=N`), an entity's card with its linked past
 * events, search over the whole KB, "Also on this page" and the page's notes. Data comes from the
 * background (RPC) and the tab's notes code (`tabs.sendMessage`); components only render.
 */
import { i18n } from '#i18n';
import { useEffect, useRef, useState } from 'preact/hooks';
import { browser } from 'wxt/browser';
import { AlsoOnPage, type Candidate } from '@/components/AlsoOnPage';
import { EntityDetailsView } from '@/components/EntityDetailsView';
import { EntityGroups } from '@/components/EntityGroups';
import { NoteLine } from '@/components/NoteLine';
import { SearchResults } from '@/components/SearchResults';
import type { EntityDetails, SearchHit } from '@/lib/messaging/protocol-kb';
import type { NoteListItem, NotesTabMessage, PageTextAnswer } from '@/lib/messaging/protocol-notes';
import type { TabState } from '@/lib/messaging/protocol-page';
import { call, callResult } from '@/lib/messaging/rpc';
import { pageIdentity } from '@/lib/notes/page-identity';
import { namesOnPage } from './names';

async function targetTab(): Promise<{ id: number; url?: string; title?: string } | undefined> {
  const param = new URLSearchParams(location.search).get('tab');
  if (param !== null && /^\d+$/.test(param)) {
    const tab = await browser.tabs.get(Number(param)).catch(() => undefined);
    return tab?.id !== undefined ? { id: tab.id, url: tab.url, title: tab.title } : undefined;
  }
  const [tab] = await browser.tabs.query({ active: true, currentWindow: true });
  return tab?.id !== undefined ? { id: tab.id, url: tab.url, title: tab.title } : undefined;
}

async function askTab(tabId: number, message: NotesTabMessage): Promise<PageTextAnswer | undefined> {
  try {
    return (await browser.tabs.sendMessage(tabId, message)) as PageTextAnswer | undefined;
  } catch {
    return undefined; // no content script (browser pages, stores, a tab still loading)
  }
}

function isEnglish(lang: string): boolean {
  return lang === '' || /^en\b/i.test(lang);
}

export function App() {
  const [tab, setTab] = useState<{ id: number; url?: string; title?: string }>();
  const [state, setState] = useState<TabState | null | undefined>(undefined);
  const [stack, setStack] = useState<string[]>([]);
  const [details, setDetails] = useState<EntityDetails | undefined>();
  const [query, setQuery] = useState('');
  const [hits, setHits] = useState<SearchHit[]>([]);
  const [candidates, setCandidates] = useState<Candidate[]>([]);
  const [pageNotes, setPageNotes] = useState<NoteListItem[]>([]);
  const [error, setError] = useState<string>();
  const searchSeq = useRef(0);

  useEffect(() => {
    void (async () => {
      const t = await targetTab();
      setTab(t);
      if (!t) return setState(null);
      const r = await callResult('tab.state', { tabId: t.id });
      setState(r.ok ? r.value : null);
      const page = await askTab(t.id, { attacheNotes: 'page-text' });
      let identity = page?.page;
      if (!identity && t.url) {
        try {
          identity = pageIdentity(t.url);
        } catch {
          identity = undefined;
        }
      }
      if (identity) {
        const notes = await callResult('notes.list', { filter: { page: identity } });
        if (notes.ok) setPageNotes(notes.value);
      }
      if (page && isEnglish(page.lang)) {
        const found = namesOnPage(page.text);
        const unknown = await callResult('kb.unknownNames', { names: found.map((f) => f.name) });
        if (unknown.ok) {
          const keep = new Set(unknown.value);
          setCandidates(found.filter((f) => keep.has(f.name)));
        }
      }
    })().catch((e: unknown) => setError(e instanceof Error ? e.message : String(e)));
  }, []);

  const current = stack[stack.length - 1];
  useEffect(() => {
    if (!current) return setDetails(undefined);
    let live = true;
    setDetails(undefined);
    call('kb.entity', { id: current }).then(
      (d) => live && setDetails(d),
      (e: unknown) => live && setError(e instanceof Error ? e.message : String(e)),
    );
    return () => {
      live = false;
    };
  }, [current]);

  const open = (id: string) => {
    setError(undefined);
    setQuery('');
    setHits([]);
    setStack((s) => (s[s.length - 1] === id ? s : [...s, id]));
  };

  const search = async (q: string) => {
    setQuery(q);
    const seq = ++searchSeq.current;
    if (q.trim() === '') return setHits([]);
    const r = await callResult('kb.search', { query: q, limit: 30 });
    if (seq === searchSeq.current && r.ok) setHits(r.value);
  };

  const add = async (c: Candidate) => {
    const url = tab?.url ?? state?.url;
    if (!url) return;
    const r = await callResult('kb.addUserEntity', { name: c.name, type: c.type, sourceUrl: url, ...(tab?.title ? { sourceTitle: tab.title } : {}), lang: 'en' });
    setCandidates((list) => list.map((x) => (x === c ? { ...x, ...(r.ok ? { addedId: r.value.id } : { error: r.error.message }) } : x)));
  };

  return (
    <main>
      <header class="bar">
        {stack.length > 0 ? (
          <button type="button" class="back" onClick={() => setStack((s) => s.slice(0, -1))} aria-label={i18n.t('popup.back')}>
            {i18n.t('ui.dir') === 'rtl' ? '→' : '←'} {i18n.t('popup.back')}
          </button>
        ) : null}
        <input
          type="search"
          class="search"
          dir="auto"
          value={query}
          placeholder={i18n.t('popup.searchPlaceholder')}
          aria-label={i18n.t('popup.searchLabel')}
          onInput={(e) => void search((e.target as HTMLInputElement).value)}
        />
      </header>
      {error ? (
        <p class="error" role="alert">
          {i18n.t('popup.error', [error])}
        </p>
      ) : null}
      {query.trim() !== '' ? (
        <SearchResults hits={hits} onSelect={open} />
      ) : current ? (
        details ? (
          <EntityDetailsView details={details} onOpenEntity={open} />
        ) : (
          <p class="muted">{i18n.t('popup.loading')}</p>
        )
      ) : (
        <>
          <section class="on-page">
            <h2>{i18n.t('popup.onThisPage')}</h2>
            {state === undefined ? (
              <p class="muted">{i18n.t('popup.loading')}</p>
            ) : state === null ? (
              <p class="muted">{i18n.t('popup.notRead')}</p>
            ) : state.entities.length === 0 ? (
              <p class="muted">{i18n.t('popup.nothingFound')}</p>
            ) : (
              <EntityGroups entities={state.entities} onSelect={open} />
            )}
          </section>
          <AlsoOnPage candidates={candidates} onAdd={(c) => void add(c)} onOpen={open} />
          {pageNotes.length > 0 ? (
            <section class="page-notes">
              <h3>{i18n.t('popup.notesOnPage')}</h3>
              {pageNotes.map((n) => (
                <NoteLine key={n.id} note={n}>
                  {!n.orphaned && tab ? (
                    <button type="button" class="show-note" onClick={() => void askTab(tab.id, { attacheNotes: 'show', noteId: n.id })}>
                      {i18n.t('popup.showNote')}
                    </button>
                  ) : null}
                </NoteLine>
              ))}
            </section>
          ) : null}
          <p class="footer">
            <a href={browser.runtime.getURL('/notes.html')} target="_blank" rel="noopener">
              {i18n.t('popup.allNotes')}
            </a>
          </p>
        </>
      )}
    </main>
  );
}
