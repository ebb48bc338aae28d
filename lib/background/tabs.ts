/**
 * What was found in each tab, for the popup (`tab.state`) and the toolbar badge.
 *
 * Kept in memory and mirrored to `storage.session`, which survives the MV3 worker being stopped
 * (but not a browser restart, and is never written to disk), so the popup still knows what a tab
 * holds after the worker slept. The matcher's per-document state is not mirrored (it is the matcher's
 * private structure); after a restart, text inserted later in an old page is matched with a fresh one.
 */
import { browser } from 'wxt/browser';
import type { PageDate } from '../messaging/protocol-page';

export interface TabRecord {
  docId: string;
  url: string;
  title: string;
  pageDate?: PageDate;
  /** Mentions per entity id. */
  counts: Record<string, number>;
  /** Row of `db.readings` for this page load, once written. */
  readingId?: number;
  /** ISO date-time of the last match. */
  updatedAt: string;
}

const sessionKey = (tabId: number) => `tab:${tabId}`;

type SessionArea = { get(k: string): Promise<Record<string, unknown>>; set(v: Record<string, unknown>): Promise<void>; remove(k: string): Promise<void> };

function sessionArea(): SessionArea | undefined {
  // Firefox < 115 and some test environments have no session area: state is then memory-only.
  return (browser.storage as unknown as { session?: SessionArea }).session;
}

/** The toolbar action: `action` in MV3, `browserAction` in Firefox MV2. */
function toolbarAction(): typeof browser.action | undefined {
  const b = browser as unknown as { action?: typeof browser.action; browserAction?: typeof browser.action };
  return b.action ?? b.browserAction;
}

export class TabStore {
  private readonly memory = new Map<number, TabRecord>();
  /** Matcher document state per tab, for the current docId only. */
  private readonly docStates = new Map<number, { docId: string; state: unknown }>();

  async get(tabId: number): Promise<TabRecord | undefined> {
    const hit = this.memory.get(tabId);
    if (hit) return hit;
    const area = sessionArea();
    if (!area) return undefined;
    const stored = (await area.get(sessionKey(tabId)))[sessionKey(tabId)] as TabRecord | undefined;
    if (stored) this.memory.set(tabId, stored);
    return stored;
  }

  async put(tabId: number, record: TabRecord): Promise<void> {
    this.memory.set(tabId, record);
    await sessionArea()?.set({ [sessionKey(tabId)]: record });
  }

  docState(tabId: number, docId: string, create: () => unknown): unknown {
    const cur = this.docStates.get(tabId);
    if (cur && cur.docId === docId) return cur.state;
    const state = create();
    this.docStates.set(tabId, { docId, state });
    return state;
  }

  /** Forgets a tab (closed, navigated away, or Attaché switched off for it) and clears its badge. */
  async clear(tabId: number): Promise<void> {
    this.memory.delete(tabId);
    this.docStates.delete(tabId);
    await Promise.all([sessionArea()?.remove(sessionKey(tabId)), this.badge(tabId, 0)]);
  }

  /** After the reading log was cleared: do not update rows that no longer exist. */
  forgetReadings(): void {
    for (const r of this.memory.values()) delete r.readingId;
  }

  /** Shows the number of distinct entities on the tab's page (nothing for zero). */
  async badge(tabId: number, distinct: number): Promise<void> {
    const action = toolbarAction();
    if (!action) return;
    try {
      await action.setBadgeText({ tabId, text: distinct > 0 ? String(distinct) : '' });
      if (distinct > 0) await action.setBadgeBackgroundColor({ tabId, color: '#0072B2' });
    } catch {
      // The tab closed meanwhile: nothing to show.
    }
  }

  /** Drops state of closed tabs and of tabs that load a new document. */
  listen(): void {
    browser.tabs.onRemoved.addListener((tabId) => {
      void this.clear(tabId);
    });
    browser.tabs.onUpdated.addListener((tabId, change) => {
      if (change.status !== 'loading') return;
      const rec = this.memory.get(tabId);
      // SPA navigations also report "loading"; the content script may already have matched the new
      // view (new docId, same URL) a moment ago — keep that.
      if (rec && change.url !== undefined && rec.url === change.url && Date.now() - Date.parse(rec.updatedAt) < 2000) return;
      void this.clear(tabId);
    });
  }
}
