/**
 * What runs in a page: read its text, ask the background for entity spans, draw them, keep up with
 * new content, and open cards. `entrypoints/content.ts` only creates one `Reader` and wires messages.
 *
 * Flow of a full scan: the page is walked in time slices (`TextWalker`, capped at MAX_PAGE_CHARS)
 * and, while the walk goes on, each piece of text that ends at a block boundary is sent to the
 * background (`page.match`) as soon as it is big enough — FIRST_CHUNK characters, then twice as many
 * each time up to MATCH_CHUNK — so that the background matches one piece while the page walks the
 * next, and the first highlights appear before the page is fully read. Answers are drawn in order:
 * spans mapped to live `Range`s (`domPosition`, spans may cross inline elements) → `Highlighter`.
 * The background handles one tab's pieces in the order they were sent (lib/background/page.ts), so
 * its per-document state (a surname resolves against a full name seen earlier) sees the page in order.
 * Later insertions (MutationWatcher) are matched alone but under the same `docId`. A URL change (SPA
 * navigation) or a KB change starts a new document.
 *
 * All work goes through one queue, so a rescan never interleaves with an incremental update.
 */
import type { EntityType } from '../kb/schema';
import type { MatchAnswer, MatchRequest, MatchSpan } from '../messaging/protocol-page';
import { unpackSpans } from '../messaging/packed-spans';
import type { DateHints } from './date-hints';
import { isActiveOn, type Settings } from '../messaging/protocol-settings';
import type { Result } from '../messaging/rpc';
import { CardHost, type CardActions } from './card-host';
import { fillLabel } from './card-labels';
import { TextWalker, domPosition, extractText, type ExtractedText } from './extract';
import { Highlighter, type HighlightRecord } from './highlighter';
import { MutationWatcher, type MutationBatch } from './mutations';
import { SLICE_MS, forEachSliced, guard, pause } from './schedule';

/** Characters read from one page at most; beyond, the reader is told. */
export const MAX_PAGE_CHARS = 3_000_000;
/** Characters of a page's first `page.match` (small: the first highlights come back early). */
export const FIRST_CHUNK = 32_768;
/** Characters per `page.match` call at most (each piece is twice the previous one up to this). */
export const MATCH_CHUNK = 262_144;
/** Nodes walked between two checks of the time slice. */
const WALK_STEP_NODES = 256;
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

/** Where the highlight records of answers go: at most `room()` more are wanted. */
interface RecordSink {
  room(): number;
  put(records: readonly HighlightRecord[]): void;
}

/** `performance.now()` stamps of the current document (0: not yet). */
export interface ReaderTimings {
  scanStart: number;
  /** The whole page walked (pieces were sent to the background meanwhile). */
  extracted: number;
  firstAnswer: number;
  lastAnswer: number;
  firstDrawn: number;
  lastDrawn: number;
  /** Each `page.match` call, send → answer, ms (calls overlap: the background queues them). */
  matchRoundTrips: number[];
  /** The latest incremental update: its start (after the watcher's coalescing delay) and end, ms. */
  lastUpdate: { start: number; end: number; chars: number } | null;
}

function newTimings(scanStart: number): ReaderTimings {
  return { scanStart, extracted: 0, firstAnswer: 0, lastAnswer: 0, firstDrawn: 0, lastDrawn: 0, matchRoundTrips: [], lastUpdate: null };
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
  /** The last full scan's highlights in page order: the first to give way under the cap. */
  #scanOrder: HighlightRecord[] = [];
  #hoverTimer: ReturnType<typeof setTimeout> | null = null;
  #closeTimer: ReturnType<typeof setTimeout> | null = null;
  #pointer: { x: number; y: number } | null = null;
  #pointerFrame = 0;
  #hovered: HighlightRecord | null = null;
  #listeners = new AbortController();
  /** Measurements of the current document, `performance.now()` values (tests, demo, bench). */
  timings: ReaderTimings = newTimings(0);
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
    this.timings = newTimings(performance.now());
    this.#view = viewUrl(win.location.href);
    this.card.close();
    try {
      this.#dateHints = this.#deps.dateHints(doc);
    } catch {
      this.#dateHints = undefined;
    }
    const walker = new TextWalker(doc.body ?? doc.documentElement, MAX_PAGE_CHARS);
    // Spans of every piece map back through the walker's node list, which only grows.
    const ex: ExtractedText = { text: '', nodes: walker.nodes, starts: walker.starts };
    // Every change to the registered highlights makes the engine revalidate all of them at the next
    // rendering update (on the benchmark's large page, 20–30 ms a frame), so a scan registers them
    // twice at most: the first piece's at once on a fresh page (the top of the page, what the reader
    // sees first), the rest in one batch at the end. A rescan keeps the old highlights on screen
    // until the new ones replace them in one step.
    const fresh = this.highlighter.size === 0;
    const batch: HighlightRecord[] = [];
    let early = fresh;
    const sink: RecordSink = {
      room: () => MAX_HIGHLIGHTS - batch.length - (fresh ? this.highlighter.size : 0),
      put: (records) => {
        if (early) {
          early = false;
          this.#show(records);
        } else for (const r of records) batch.push(r);
      },
    };
    let drawn: Promise<void> = Promise.resolve();
    let chunk = FIRST_CHUNK;
    let sliceStart = performance.now();
    for (;;) {
      const done = walker.step(WALK_STEP_NODES);
      const piece = walker.take(done ? 0 : chunk, 4 * MATCH_CHUNK);
      if (piece) {
        drawn = this.#matchPiece(piece.text, piece.from, ex, 0, gen, sink, drawn);
        chunk = Math.min(MATCH_CHUNK, chunk * 2);
      }
      if (done) break;
      if (performance.now() - sliceStart >= SLICE_MS) {
        await pause();
        if (gen !== this.#generation) return;
        sliceStart = performance.now();
      }
    }
    this.timings.extracted = performance.now();
    this.#pageOffset = walker.length + 1;
    this.capped = walker.capped;
    if (this.capped) {
      const limit = MAX_PAGE_CHARS.toLocaleString(doc.documentElement.lang || undefined);
      void this.card.notice((l) => fillLabel(l.truncated, { limit }));
    }
    await drawn;
    if (gen !== this.#generation) return;
    if (!fresh) this.highlighter.clear();
    this.#show(batch);
    this.#scanOrder = this.highlighter.all();
  }

  async #update(batch: MutationBatch): Promise<void> {
    if (!this.#active) return;
    const start = performance.now();
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
    // Highlights on text the page removed: their ranges cost on every later mutation, and at the cap
    // they hold room new content needs. (Checking all of them is the dearest step of a small update:
    // only when something was removed, or when new content meets a full page.)
    if (batch.removed || (batch.roots.length > 0 && this.highlighter.size >= MAX_HIGHLIGHTS)) this.highlighter.pruneDetached();
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
    const base = this.#pageOffset;
    this.#pageOffset += ex.text.length + 1;
    // New content is what the reader looks at: at the cap, it takes the room of the page's last
    // highlights (the bottom of the page as first scanned).
    const sink: RecordSink = {
      room: () => MAX_HIGHLIGHTS,
      put: (records) => {
        this.#evict(this.highlighter.size + records.length - MAX_HIGHLIGHTS);
        this.#show(records);
      },
    };
    await this.#matchPiece(ex.text, 0, ex, base, gen, sink, Promise.resolve());
    if (gen === this.#generation) this.timings.lastUpdate = { start, end: performance.now(), chars: ex.text.length };
  }

  /**
   * Sends `text` (at `from` in `ex`, at `base + from` in the page's text) for matching now, in calls
   * of at most MATCH_CHUNK characters; once `previous` is done, turns the answers into highlight
   * records, in order, for `sink`. Returns when this piece is done.
   */
  #matchPiece(text: string, from: number, ex: ExtractedText, base: number, gen: number, sink: RecordSink, previous: Promise<void>): Promise<void> {
    const calls = chunkBounds(text, MATCH_CHUNK).map(([a, b]) => ({ at: from + a, answer: this.#send(text.slice(a, b), base + from + a) }));
    return previous.then(async () => {
      for (const call of calls) {
        const answer = await call.answer;
        if (gen !== this.#generation) return;
        const records = await this.#records(answer, ex, call.at, gen, sink.room());
        if (gen !== this.#generation) return;
        sink.put(records);
      }
    });
  }

  #send(text: string, offset: number): Promise<Result<MatchAnswer>> {
    const { doc, win } = this.#deps;
    const req: MatchRequest = {
      docId: this.#docId,
      url: win.location.href,
      title: doc.title.slice(0, 2000),
      text,
      offset,
      ...(doc.documentElement.lang ? { lang: doc.documentElement.lang.slice(0, 35) } : {}),
      ...(this.#dateHints ? { dateHints: this.#dateHints } : {}),
    };
    this.#dateHints = undefined;
    const t = this.timings;
    const sent = performance.now();
    return this.#deps.match(req).then((answer) => {
      const now = performance.now();
      t.matchRoundTrips.push(now - sent);
      t.firstAnswer ||= now;
      t.lastAnswer = now;
      return answer;
    });
  }

  /** Maps the spans of an answer (for text at `at` in `ex`) to ranges, in time slices; `room` of them at most. */
  async #records(answer: Result<MatchAnswer>, ex: ExtractedText, at: number, gen: number, room: number): Promise<HighlightRecord[]> {
    const records: HighlightRecord[] = [];
    if (!answer.ok) {
      console.warn(`[attache] matching failed: ${answer.error.message}`);
      return records;
    }
    const { doc } = this.#deps;
    const { entities } = answer.value;
    let spans: MatchSpan[];
    try {
      spans = unpackSpans(answer.value.spans);
    } catch (e) {
      console.warn('[attache]', e);
      return records;
    }
    await forEachSliced(
      spans,
      (span) => {
        if (records.length >= room) return;
        const start = domPosition(ex, at + span.start, false);
        const end = domPosition(ex, at + span.end, true);
        const brief = entities[span.id];
        // Text the page removed while the answer travelled gets no range.
        if (!start || !end || !brief || !start.node.isConnected || !end.node.isConnected) return;
        const range = doc.createRange();
        range.setStart(start.node, start.offset);
        range.setEnd(end.node, end.offset);
        if (!range.collapsed) records.push({ range, span, brief });
      },
      () => gen !== this.#generation,
    );
    return records;
  }

  /** Removes `n` highlights of the last full scan, from the end of the page up. */
  #evict(n: number): void {
    const out: HighlightRecord[] = [];
    while (out.length < n && this.#scanOrder.length > 0) {
      const r = this.#scanOrder.pop()!;
      if (this.highlighter.has(r)) out.push(r);
    }
    this.highlighter.remove(out);
  }

  /** Registers records with the highlighter (one change for the engine to render). */
  #show(records: readonly HighlightRecord[]): void {
    this.highlighter.add(records);
    if (!this.highlighter.useApi) this.#watcher.discardPending();
    this.timings.lastDrawn = performance.now();
    this.timings.firstDrawn ||= this.timings.lastDrawn;
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
