/**
 * What runs in a page: read its text, ask the background for entity spans, draw them, keep up with
 * new content, and open cards. `entrypoints/content.ts` only creates one `Reader` and wires messages.
 *
 * Flow: `extractTextSliced` (time-sliced, capped at MAX_PAGE_CHARS) → `page.match` in chunks of at
 * most MATCH_CHUNK characters cut at block boundaries → spans mapped to live `Range`s (`domPosition`,
 * spans may cross inline elements) → `Highlighter`. Later insertions (MutationWatcher) are matched
 * alone but under the same `docId`, so a surname inserted later resolves against a full name seen
 * earlier. A URL change (SPA navigation) or a KB change starts a new document.
 *
 * All work goes through one queue, so a rescan never interleaves with an incremental update.
 */
import type { EntityType } from '../kb/schema';
import type { MatchAnswer, MatchRequest } from '../messaging/protocol-page';
import type { DateHints } from './date-hints';
import { isActiveOn, type Settings } from '../messaging/protocol-settings';
import type { Result } from '../messaging/rpc';
import { CardHost, type CardActions } from './card-host';
import { fillLabel } from './card-labels';
import { domPosition, extractText, extractTextSliced, type ExtractedText } from './extract';
import { Highlighter, type HighlightRecord } from './highlighter';
import { MutationWatcher, type MutationBatch } from './mutations';
import { forEachSliced, guard, pause } from './schedule';

/** Characters read from one page at most; beyond, the reader is told. */
export const MAX_PAGE_CHARS = 3_000_000;
/** Characters per `page.match` call. */
export const MATCH_CHUNK = 250_000;
/** Highlights drawn at most on one page (each live Range costs on every DOM mutation). */
export const MAX_HIGHLIGHTS = 5_000;
const HOVER_OPEN_MS = 250;
const HOVER_CLOSE_MS = 350;

export interface ReaderDeps {
  doc: Document;
  win: Window;
  match(req: MatchRequest): Promise<Result<MatchAnswer>>;
  actions: CardActions;
  /** What the page says about its date; the background parses it. */
  dateHints(doc: Document): DateHints;
}

/** Cuts `text` into pieces of at most `max` characters, at a "\n" when there is one. */
export function chunkBounds(text: string, max: number): [number, number][] {
  const out: [number, number][] = [];
  let start = 0;
  while (start < text.length) {
    let end = Math.min(text.length, start + max);
    if (end < text.length) {
      const nl = text.lastIndexOf('\n', end);
      if (nl > start) end = nl + 1;
    }
    out.push([start, end]);
    start = end;
  }
  return out;
}

/** Joins the texts of several subtrees, separated by "\n", into one extraction. */
export function joinExtractions(parts: readonly ExtractedText[]): ExtractedText {
  const joined: ExtractedText = { text: '', nodes: [], starts: [] };
  const texts: string[] = [];
  let length = 0;
  for (const p of parts) {
    if (p.nodes.length === 0) continue;
    for (let i = 0; i < p.nodes.length; i++) {
      joined.nodes.push(p.nodes[i]!);
      joined.starts.push(p.starts[i]! + length);
    }
    texts.push(p.text, '\n');
    length += p.text.length + 1;
  }
  joined.text = texts.join('');
  return joined;
}

function newDocId(): string {
  return crypto.randomUUID();
}

/** The URL without its fragment: a `#section` jump is not a new view. */
function viewUrl(href: string): string {
  const i = href.indexOf('#');
  return i < 0 ? href : href.slice(0, i);
}

export class Reader {
  readonly highlighter: Highlighter;
  readonly card: CardHost;
  readonly #watcher: MutationWatcher;
  #settings: Settings | null = null;
  #active = false;
  #docId = newDocId();
  #view: string;
  /** Virtual offset of the next text sent (where it starts in the page's text so far). */
  #pageOffset = 0;
  /** Sent with the first `page.match` of a page load only. */
  #dateHints: DateHints | undefined;
  #queue: Promise<void> = Promise.resolve();
  /** Bumped by every new document: queued work of an older one is dropped. */
  #generation = 0;
  #lastOverflowScan = 0;
  #hoverTimer: ReturnType<typeof setTimeout> | null = null;
  #closeTimer: ReturnType<typeof setTimeout> | null = null;
  #pointer: { x: number; y: number } | null = null;
  #pointerFrame = 0;
  #hovered: HighlightRecord | null = null;
  #listeners = new AbortController();
  /** Measurements of the current document, `performance.now()` values (tests, demo). */
  timings = { scanStart: 0, firstAnswer: 0, firstDrawn: 0, lastDrawn: 0, matchRoundTrips: [] as number[] };
  /** Set when the page text was cut at MAX_PAGE_CHARS. */
  capped = false;

  readonly #deps: ReaderDeps;

  constructor(deps: ReaderDeps) {
    this.#deps = deps;
    const { doc } = deps;
    this.highlighter = new Highlighter(doc);
    this.card = new CardHost(doc, deps.actions);
    this.#view = viewUrl(deps.win.location.href);
    this.#watcher = new MutationWatcher(
      doc,
      (batch) => this.#enqueue(() => this.#update(batch)),
      () => this.#checkView(),
    );
  }

  /** Applies settings: starts, re-renders or stops. */
  applySettings(settings: Settings): void {
    this.#settings = settings;
    const should = isActiveOn(settings, this.#deps.win.location.hostname);
    if (should && !this.#active) this.#start();
    else if (!should && this.#active) this.stop();
    else if (should) this.highlighter.configure(settings.style, settings.types);
  }

  #start(): void {
    const s = this.#settings!;
    this.#active = true;
    this.highlighter.configure(s.style, s.types);
    this.#watcher.start();
    this.#listeners = new AbortController();
    this.#listen();
    this.rescan();
  }

  /** Clears everything from the page; the reader can start again later. */
  stop(): void {
    this.#active = false;
    this.#generation++;
    this.#watcher.stop();
    this.#listeners.abort();
    this.card.dispose();
    this.highlighter.dispose();
  }

  /** Matches the whole page again as a new document (KB changed, SPA view, settings re-enabled). */
  rescan(): void {
    const gen = ++this.#generation;
    this.#enqueue(() => this.#fullScan(gen));
  }

  #enqueue(work: () => Promise<void>): Promise<void> {
    const next = this.#queue.then(work).catch((e: unknown) => console.warn('[attache]', e));
    this.#queue = next;
    return next;
  }

  /** A new view when the URL (without fragment) changed: history.pushState, replaceState, popstate. */
  #checkView(): void {
    const v = viewUrl(this.#deps.win.location.href);
    if (v !== this.#view && this.#active) {
      this.#view = v;
      this.card.close();
      this.rescan();
    }
  }

  async #fullScan(gen: number): Promise<void> {
    if (gen !== this.#generation || !this.#active) return;
    const { doc, win } = this.#deps;
    this.#docId = newDocId();
    this.#pageOffset = 0;
    this.timings = { scanStart: performance.now(), firstAnswer: 0, firstDrawn: 0, lastDrawn: 0, matchRoundTrips: [] };
    this.#view = viewUrl(win.location.href);
    this.highlighter.clear();
    this.card.close();
    try {
      this.#dateHints = this.#deps.dateHints(doc);
    } catch {
      this.#dateHints = undefined;
    }
    const body = doc.body ?? doc.documentElement;
    const ex = await extractTextSliced(body, MAX_PAGE_CHARS, pause);
    if (gen !== this.#generation) return;
    this.capped = ex.capped === true;
    if (this.capped) {
      const limit = MAX_PAGE_CHARS.toLocaleString(doc.documentElement.lang || undefined);
      void this.card.notice((l) => fillLabel(l.truncated, { limit }));
    }
    await this.#matchAndDraw(ex, gen);
  }

  async #update(batch: MutationBatch): Promise<void> {
    if (!this.#active) return;
    this.#checkView();
    const gen = this.#generation;
    if (batch.overflow) {
      // Lost track of what changed: one whole-page pass at most every 2 s (5 s while the page storms).
      const wait = this.#lastOverflowScan + (batch.storm ? 5000 : 2000) - performance.now();
      if (wait > 0) await new Promise((r) => setTimeout(r, wait));
      this.#lastOverflowScan = performance.now();
      if (gen === this.#generation) this.rescan();
      return;
    }
    // Highlights on text the page removed: their ranges cost on every later mutation.
    if (batch.removed || batch.roots.length > 0) this.highlighter.pruneDetached();
    if (batch.roots.length === 0) return;
    this.highlighter.removeWithinAll(batch.roots);
    // Extracted in slices; roots the page dropped meanwhile are skipped.
    const parts: ExtractedText[] = [];
    await forEachSliced(
      batch.roots,
      (root) => {
        if (root.isConnected) parts.push(extractText(root, MAX_PAGE_CHARS));
      },
      () => gen !== this.#generation,
    );
    if (gen !== this.#generation) return;
    const ex = joinExtractions(parts);
    if (ex.text.length === 0) return;
    await this.#matchAndDraw(ex, gen);
  }

  async #matchAndDraw(ex: ExtractedText, gen: number): Promise<void> {
    const { doc, win } = this.#deps;
    const base = this.#pageOffset;
    this.#pageOffset += ex.text.length + 1;
    for (const [from, to] of chunkBounds(ex.text, MATCH_CHUNK)) {
      if (gen !== this.#generation) return;
      const req: MatchRequest = {
        docId: this.#docId,
        url: win.location.href,
        title: doc.title.slice(0, 2000),
        text: ex.text.slice(from, to),
        offset: base + from,
        ...(doc.documentElement.lang ? { lang: doc.documentElement.lang.slice(0, 35) } : {}),
        ...(this.#dateHints ? { dateHints: this.#dateHints } : {}),
      };
      this.#dateHints = undefined;
      const sent = performance.now();
      const answer = await this.#deps.match(req);
      const t = this.timings;
      t.matchRoundTrips.push(performance.now() - sent);
      t.firstAnswer ||= performance.now();
      if (gen !== this.#generation) return;
      if (!answer.ok) {
        console.warn(`[attache] matching failed: ${answer.error.message}`);
        return;
      }
      // Ranges are made and drawn in time slices: a huge page keeps answering input meanwhile. Text
      // the page removed while the answer travelled gets no range (and frees its room under the cap).
      if (this.highlighter.size + answer.value.spans.length > MAX_HIGHLIGHTS) this.highlighter.pruneDetached();
      await forEachSliced(
        answer.value.spans,
        (span) => {
          if (this.highlighter.size >= MAX_HIGHLIGHTS) return;
          const start = domPosition(ex, from + span.start, false);
          const end = domPosition(ex, from + span.end, true);
          const brief = answer.value.entities[span.id];
          if (!start || !end || !brief || !start.node.isConnected || !end.node.isConnected) return;
          const range = doc.createRange();
          range.setStart(start.node, start.offset);
          range.setEnd(end.node, end.offset);
          if (!range.collapsed) this.highlighter.add([{ range, span, brief }]);
        },
        () => gen !== this.#generation,
      );
      if (gen !== this.#generation) return;
      if (!this.highlighter.useApi) this.#watcher.discardPending();
      this.timings.lastDrawn = performance.now();
      this.timings.firstDrawn ||= this.timings.lastDrawn;
    }
  }

  // ---- cards: hover, click, keyboard -------------------------------------------------------

  #listen(): void {
    const { doc, win } = this.#deps;
    const opts = { capture: true, passive: true, signal: this.#listeners.signal };
    doc.addEventListener('pointermove', guard((e: PointerEvent) => this.#onPointerMove(e)), opts);
    doc.addEventListener('click', guard((e: MouseEvent) => this.#onClick(e)), opts);
    doc.addEventListener('keydown', guard((e: KeyboardEvent) => this.#onKey(e)), { capture: true, signal: this.#listeners.signal });
    win.addEventListener('popstate', guard(() => this.#checkView()), { signal: this.#listeners.signal });
    // The Navigation API reports pushState/replaceState too (Chromium); elsewhere the next DOM change does.
    const nav = (win as Window & { navigation?: EventTarget }).navigation;
    nav?.addEventListener('navigatesuccess', guard(() => setTimeout(() => this.#checkView(), 0)), { signal: this.#listeners.signal });
    win.addEventListener('scroll', guard(() => this.#scheduleClose()), { passive: true, signal: this.#listeners.signal });
  }

  #onPointerMove(e: PointerEvent): void {
    if (this.card.contains(e)) {
      this.#cancelClose();
      return;
    }
    this.#pointer = { x: e.clientX, y: e.clientY };
    if (this.#pointerFrame) return;
    this.#pointerFrame = requestAnimationFrame(() => {
      this.#pointerFrame = 0;
      const p = this.#pointer;
      if (!p) return;
      const hit = this.highlighter.hitTest(p.x, p.y);
      if (hit === this.#hovered) return;
      this.#hovered = hit;
      if (this.#hoverTimer) clearTimeout(this.#hoverTimer);
      this.#hoverTimer = null;
      if (hit) {
        this.#cancelClose();
        this.#hoverTimer = setTimeout(() => void this.card.open(hit), HOVER_OPEN_MS);
      } else {
        this.#scheduleClose();
      }
    });
  }

  #onClick(e: MouseEvent): void {
    if (this.card.contains(e)) return;
    const hit = this.highlighter.hitTest(e.clientX, e.clientY);
    if (hit) {
      this.#cancelClose();
      void this.card.open(hit);
    } else {
      this.card.close();
    }
  }

  #scheduleClose(): void {
    if (!this.card.openRecord || this.#closeTimer) return;
    this.#closeTimer = setTimeout(() => {
      this.#closeTimer = null;
      if (this.#hovered !== this.card.openRecord) this.card.close();
    }, HOVER_CLOSE_MS);
  }

  #cancelClose(): void {
    if (this.#closeTimer) clearTimeout(this.#closeTimer);
    this.#closeTimer = null;
  }

  /**
   * Escape closes the card (focus returns where it was). Alt+Shift+J / Alt+Shift+K open the card of
   * the next / previous highlight and move focus into it, so every card is reachable by keyboard.
   */
  #onKey(e: KeyboardEvent): void {
    if (e.key === 'Escape' && this.card.openRecord) {
      this.card.close();
      return;
    }
    if (!(e.altKey && e.shiftKey) || (e.code !== 'KeyJ' && e.code !== 'KeyK')) return;
    const t = e.target as HTMLElement | null;
    if (t && !this.card.contains(e) && (t.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(t.tagName))) return;
    const list = this.highlighter.ordered();
    if (list.length === 0) return;
    e.preventDefault();
    const cur = this.card.openRecord ? list.indexOf(this.card.openRecord) : -1;
    const step = e.code === 'KeyJ' ? 1 : -1;
    const next = list[(cur + step + list.length) % list.length] ?? list[0]!;
    next.range.startContainer.parentElement?.scrollIntoView({ block: 'center', inline: 'nearest' });
    this.card.close();
    void this.card.open(next, { focus: true });
  }

  /** Resolves once no work is queued and no DOM change waits (tests, demo). */
  async idle(quietMs = 150): Promise<void> {
    let seen: Promise<void>;
    do {
      seen = this.#queue;
      await seen;
      await new Promise((r) => setTimeout(r, quietMs));
    } while (seen !== this.#queue);
  }

  /** For tests and the demo: what is drawn, in document order. */
  snapshot(): { id: string; name: string; type: EntityType; via: string; text: string; range: Range }[] {
    return this.highlighter
      .ordered()
      .map((r) => ({ id: r.span.id, name: r.brief.name, type: r.span.type, via: r.span.via, text: r.range.toString(), range: r.range }));
  }
}
