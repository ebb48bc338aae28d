/**
 * Draws note highlights without telling the page which passages were annotated.
 *
 * The CSS Custom Highlight API cannot be used for notes: its registry `CSS.highlights` is shared with
 * the page's own scripts, which could enumerate the ranges and read what the reader annotated
 * (tests/e2e/privacy.test.ts). Instead the boxes of each range (`Range.getClientRects()`) are drawn
 * as plain divs inside a CLOSED shadow root, so the page sees only an empty host element:
 * - the host (bridge.ts) is `position: absolute` at the document's origin with no size, so it takes no
 *   room (no layout shift); the layers in it scroll with the document without any work on scroll;
 * - `pointer-events: none` everywhere: clicks, selections and hit tests (`caretPositionFromPoint`,
 *   the notes' own click handling) go to the page text underneath;
 * - it carries `data-attache-ui`, so text extraction skips it, and `aria-hidden`, so screen readers do;
 * - `mix-blend-mode: multiply` tints the text like a highlighter pen instead of covering it, as the
 *   former `::highlight()` background did; on a dark background multiply would make the yellow
 *   vanish, so notes there go to a second layer drawn with normal blending (`onDarkBackground`).
 *   The host is no stacking context (no z-index), so the layers blend with the page itself.
 *
 * Boxes are recomputed, at most once per animation frame, when layout may have moved them: a resize
 * of the document, of the body or of a block holding a note (ResizeObserver), a DOM change in or
 * around a block holding a note, a web font arriving, an inner scroll container scrolling. Pages
 * without notes pay nothing but two empty elements: the observers run only while something is drawn.
 * The host exists on every page, notes or not (made by the content script, bridge.ts), so that its
 * presence does not tell the page that the reader annotated it.
 */
import type { ShadowHost } from './bridge';

/**
 * Same look as the former `::highlight(attache-note)`: warm yellow with an amber underline. Only the
 * layers are styled here: a `:host` rule added now would change what the page sees of the host.
 */
export const NOTE_MARKS_CSS = `
.layer {
  position: absolute; left: 0; top: 0; width: 0; height: 0; overflow: visible; pointer-events: none;
  z-index: 2147483000; mix-blend-mode: multiply; contain: layout style;
}
.layer.dark { mix-blend-mode: normal; }
.mark {
  position: absolute; pointer-events: none; box-sizing: border-box;
  background-color: rgba(255, 200, 40, 0.45); border-bottom: 2px solid rgba(200, 140, 0, 0.9);
}
.mark.flash { animation: attache-flash 0.6s ease-in-out 3; }
@keyframes attache-flash { 50% { background-color: rgba(255, 150, 0, 0.85); } }
@media print { .mark { background-color: rgba(255, 200, 40, 0.45); print-color-adjust: exact; } }
`;

type Tone = 'light' | 'dark';

export interface NoteOverlay {
  /** Draws exactly these ranges, by note id (replacing what was drawn). */
  show(ranges: ReadonlyMap<string, Range>): void;
  /** Layout may have changed: recompute the boxes on the next frame. */
  invalidate(): void;
  /** Makes a note's boxes pulse (after "show this note"). */
  flash(id: string): void;
  /** Boxes drawn per note id as of the last frame, in document coordinates (tests read them from the isolated world). */
  drawn(): Map<string, Box[]>;
  /** Removes everything; the overlay cannot be used afterwards. */
  destroy(): void;
}

export interface Box {
  left: number;
  top: number;
  width: number;
  height: number;
}

const ELEMENT_NODE = 1;
const TEXT_NODE = 3;

/** The nearest ancestor of `node` that is laid out as a block (ResizeObserver ignores inline boxes). */
function blockOf(node: Node, win: Window): Element | null {
  for (let el = node.nodeType === ELEMENT_NODE ? (node as Element) : node.parentElement; el; el = el.parentElement) {
    const display = win.getComputedStyle(el).display;
    if (display !== 'inline' && display !== 'contents') return el;
  }
  return null;
}

/** Relative luminance-like brightness (0..1) of a computed `rgb()/rgba()` colour with its alpha; undefined if not one. */
function brightness(color: string): { value: number; alpha: number } | undefined {
  const m = /^rgba?\(([^)]+)\)$/.exec(color.trim());
  if (!m) return undefined;
  const parts = m[1]!.split(/[\s,/]+/).filter(Boolean).map(Number);
  const [r, g, b] = parts;
  if (r === undefined || g === undefined || b === undefined || parts.some(Number.isNaN)) return undefined;
  return { value: (0.2126 * r + 0.7152 * g + 0.0722 * b) / 255, alpha: parts[3] ?? 1 };
}

/**
 * True when the text of `el` sits on a dark background: the first mostly opaque background colour
 * up the tree, or else (no background set anywhere: the canvas) light text, as in `color-scheme: dark`.
 */
export function onDarkBackground(el: Element, win: Window): boolean {
  for (let e: Element | null = el; e; e = e.parentElement) {
    const bg = brightness(win.getComputedStyle(e).backgroundColor);
    if (bg && bg.alpha >= 0.5) return bg.value < 0.45;
  }
  const text = brightness(win.getComputedStyle(el).color);
  return text !== undefined && text.value > 0.6;
}

/**
 * The boxes of the text inside `range`, one per line fragment. Element boxes that
 * `Range.getClientRects()` would add for fully selected elements are left out (they would be drawn
 * twice over the text), and fragments that touch on the same line are merged.
 */
export function textBoxes(range: Range): Box[] {
  const doc = range.startContainer.ownerDocument ?? (range.startContainer as Document);
  const rects: DOMRect[] = [];
  const piece = doc.createRange();
  const addText = (t: Text, from: number, to: number) => {
    if (to <= from) return;
    piece.setStart(t, from);
    piece.setEnd(t, to);
    for (const r of piece.getClientRects()) if (r.width >= 0.5 && r.height >= 0.5) rects.push(r);
  };
  const { startContainer: sc, startOffset: so, endContainer: ec, endOffset: eo } = range;
  if (sc === ec && sc.nodeType === TEXT_NODE) addText(sc as Text, so, eo);
  else {
    const root = range.commonAncestorContainer;
    const walker = doc.createTreeWalker(root, 4 /* SHOW_TEXT */);
    for (let n = walker.nextNode(); n; n = walker.nextNode()) {
      const t = n as Text;
      if (!range.intersectsNode(t)) continue;
      addText(t, t === sc ? so : 0, t === ec ? eo : t.data.length);
    }
  }
  rects.sort((a, b) => a.top - b.top || a.left - b.left);
  const out: Box[] = [];
  for (const r of rects) {
    const last = out[out.length - 1];
    if (last && Math.abs(last.top - r.top) < 1 && Math.abs(last.height - r.height) < 1 && r.left <= last.left + last.width + 1) {
      const right = Math.max(last.left + last.width, r.right);
      last.width = right - last.left;
    } else out.push({ left: r.left, top: r.top, width: r.width, height: r.height });
  }
  return out;
}

/**
 * `marksHost` is the host the content script made on every page (bridge.ts `createNotesHosts`); the
 * overlay fills its closed shadow root and empties it again on `destroy`.
 */
export function createNoteOverlay(marksHost: ShadowHost, doc: Document = document, win: Window = window): NoteOverlay {
  let ranges: ReadonlyMap<string, Range> = new Map();
  const { host, shadow } = marksHost;
  let style: HTMLStyleElement | undefined;
  /** One layer per tone, added when a note first needs it. */
  const layers = new Map<Tone, HTMLElement>();
  const tones = new Map<string, Tone>();
  const marks = new Map<string, HTMLElement[]>();
  const placed = new Map<string, Box[]>();
  let frame: number | undefined;
  let destroyed = false;
  /** Blocks holding a note: observed for size changes, and where DOM changes count as "near". */
  let blocks: Element[] = [];

  const schedule = () => {
    if (frame !== undefined || destroyed || ranges.size === 0) return;
    frame = win.requestAnimationFrame(() => {
      frame = undefined;
      layout();
    });
  };

  const resizes = new ResizeObserver(schedule);
  const mutations = new MutationObserver((records) => {
    for (const r of records) {
      const target = r.target;
      if (target === host || host.contains(target)) continue;
      if (blocks.some((b) => b === target || b.contains(target) || target.contains(b))) return schedule();
    }
  });
  const onScroll = (e: Event) => {
    // Document scrolling moves the host with the text; only inner scroll containers move text alone.
    if (e.target !== doc && e.target !== doc.documentElement) schedule();
  };
  let listeners: AbortController | undefined;

  function layerFor(tone: Tone): HTMLElement {
    if (!host.isConnected) doc.documentElement.append(host); // a page that rewrote <html>'s children
    const made = layers.get(tone);
    if (made) return made;
    if (!style) {
      style = doc.createElement('style');
      style.textContent = NOTE_MARKS_CSS;
      shadow.append(style);
    }
    const layer = doc.createElement('div');
    layer.className = `layer ${tone}`;
    shadow.append(layer);
    layers.set(tone, layer);
    return layer;
  }

  function startWatching() {
    if (listeners) return;
    listeners = new AbortController();
    const opts = { signal: listeners.signal, passive: true, capture: true } as const;
    win.addEventListener('resize', schedule, opts);
    doc.addEventListener('scroll', onScroll, opts);
    doc.fonts?.addEventListener?.('loadingdone', schedule, { signal: listeners.signal });
    if (doc.body) mutations.observe(doc.body, { childList: true, subtree: true, characterData: true, attributes: true, attributeFilter: ['class', 'style', 'hidden', 'open'] });
  }

  function stopWatching() {
    if (frame !== undefined) win.cancelAnimationFrame(frame);
    frame = undefined;
    listeners?.abort();
    listeners = undefined;
    mutations.disconnect();
    resizes.disconnect();
    blocks = [];
  }

  function observeBlocks() {
    resizes.disconnect();
    resizes.observe(doc.documentElement);
    if (doc.body) resizes.observe(doc.body);
    const seen = new Set<Element>();
    tones.clear();
    for (const [id, r] of ranges) {
      for (const node of [r.startContainer, r.endContainer]) {
        const b = node.isConnected ? blockOf(node, win) : null;
        if (b && !seen.has(b)) seen.add(b);
      }
      const at = r.startContainer.isConnected ? (r.startContainer.nodeType === ELEMENT_NODE ? (r.startContainer as Element) : r.startContainer.parentElement) : null;
      tones.set(id, at && onDarkBackground(at, win) ? 'dark' : 'light');
    }
    blocks = [...seen];
    for (const b of blocks) resizes.observe(b);
  }

  function layout() {
    if (destroyed) return;
    if (ranges.size === 0) {
      teardownDrawing();
      return;
    }
    const origins = new Map<Tone, DOMRect>();
    placed.clear();
    for (const [id, range] of ranges) {
      const boxes = range.startContainer.isConnected && !range.collapsed ? textBoxes(range) : [];
      const tone = tones.get(id) ?? 'light';
      const into = layerFor(tone);
      const origin = origins.get(tone) ?? into.getBoundingClientRect();
      origins.set(tone, origin);
      const els = marks.get(id) ?? [];
      for (const el of els) if (el.parentNode !== into) into.append(el); // its background changed tone
      while (els.length < boxes.length) {
        const el = doc.createElement('div');
        el.className = 'mark';
        into.append(el);
        els.push(el);
      }
      for (const el of els.splice(boxes.length)) el.remove();
      const inDocument = boxes.map((b) => ({ left: b.left - origin.left, top: b.top - origin.top, width: b.width, height: b.height }));
      inDocument.forEach((b, i) => {
        const s = els[i]!.style;
        s.left = `${b.left}px`;
        s.top = `${b.top}px`;
        s.width = `${b.width}px`;
        s.height = `${b.height}px`;
      });
      marks.set(id, els);
      placed.set(id, inDocument);
    }
    for (const [id, els] of marks) {
      if (ranges.has(id)) continue;
      for (const el of els) el.remove();
      marks.delete(id);
    }
  }

  function teardownDrawing() {
    for (const els of marks.values()) for (const el of els) el.remove();
    marks.clear();
    placed.clear();
  }

  return {
    show(next) {
      if (destroyed) return;
      ranges = new Map(next);
      if (ranges.size === 0) {
        stopWatching();
        teardownDrawing();
        return;
      }
      startWatching();
      observeBlocks();
      // Drawn now, not on the next frame: the note shows the moment it is saved or anchored.
      layout();
    },
    invalidate: schedule,
    flash(id) {
      for (const el of marks.get(id) ?? []) {
        el.classList.remove('flash');
        void el.offsetWidth; // restart the animation
        el.classList.add('flash');
      }
    },
    drawn: () => new Map([...placed].map(([id, boxes]) => [id, boxes.map((b) => ({ ...b }))])),
    destroy() {
      destroyed = true;
      stopWatching();
      teardownDrawing();
      for (const layer of layers.values()) layer.remove();
      layers.clear();
      style?.remove();
    },
  };
}
