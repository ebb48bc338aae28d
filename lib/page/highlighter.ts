/**
 * Draws entity highlights and finds the one under the pointer.
 *
 * With the CSS Custom Highlight API (Chrome 105+, Safari 17.2+, Firefox 140+) the page's DOM is never
 * touched: one `Highlight` per entity type (and one per type for role mentions) holds live `Range`s,
 * painted by `::highlight()` rules in a stylesheet adopted by the document. Without it, text is wrapped
 * in inline `<attache-mark>` elements (no box, no layout change); that is the only case where
 * Attaché edits a page's DOM.
 *
 * Highlights are not elements, so pointer events never reach them: `hitTest` asks the browser for the
 * caret position under the pointer and checks it against the ranges on that text node.
 */
import type { EntityType } from '../kb/schema';
import type { EntityBrief, MatchSpan } from '../messaging/protocol-page';
import type { HighlightStyle } from '../messaging/protocol-settings';
import { highlightCss, highlightName } from './highlight-style';

export interface HighlightRecord {
  range: Range;
  span: MatchSpan;
  brief: EntityBrief;
}

export const MARK_TAG = 'attache-mark';

/** True when this browser can paint highlights without touching the DOM. */
export function highlightApiAvailable(): boolean {
  return typeof CSS !== 'undefined' && 'highlights' in CSS && typeof Highlight === 'function';
}

function caretAt(doc: Document, x: number, y: number): { node: Node; offset: number } | null {
  const d = doc as Document & { caretRangeFromPoint?(x: number, y: number): Range | null };
  if (typeof d.caretPositionFromPoint === 'function') {
    const p = d.caretPositionFromPoint(x, y);
    return p ? { node: p.offsetNode, offset: p.offset } : null;
  }
  if (typeof d.caretRangeFromPoint === 'function') {
    const r = d.caretRangeFromPoint(x, y);
    return r ? { node: r.startContainer, offset: r.startOffset } : null;
  }
  return null;
}

function containsPoint(range: Range, x: number, y: number): boolean {
  const rects = range.getClientRects();
  for (let i = 0; i < rects.length; i++) {
    const r = rects[i]!;
    if (x >= r.left - 1 && x <= r.right + 1 && y >= r.top - 1 && y <= r.bottom + 1) return true;
  }
  return false;
}

/** Text nodes a range touches. */
function textNodesOf(range: Range): Text[] {
  const start = range.startContainer;
  if (start === range.endContainer) return start.nodeType === Node.TEXT_NODE ? [start as Text] : [];
  const out: Text[] = [];
  const root = range.commonAncestorContainer;
  const walker = (root.ownerDocument ?? (root as Document)).createTreeWalker(root, NodeFilter.SHOW_TEXT);
  for (let n = walker.nextNode(); n; n = walker.nextNode()) {
    if (range.intersectsNode(n)) out.push(n as Text);
    else if (out.length > 0) break;
  }
  return out;
}

/** A constructed stylesheet (absent in old engines and in linkedom). */
function isSheet(s: unknown): s is CSSStyleSheet {
  return typeof CSSStyleSheet !== 'undefined' && s instanceof CSSStyleSheet;
}

export class Highlighter {
  readonly #records = new Set<HighlightRecord>();
  readonly #byNode = new WeakMap<Node, Set<HighlightRecord>>();
  /** The text nodes each record was drawn on (API mode): a range whose node the page removed collapses into the parent, so the range alone no longer tells. */
  readonly #nodes = new Map<HighlightRecord, Text[]>();
  readonly #highlights = new Map<string, Highlight>();
  readonly #marks = new Map<HighlightRecord, HTMLElement[]>();
  readonly #byMark = new WeakMap<Element, HighlightRecord>();
  #visible = new Set<EntityType>();
  #sheet: CSSStyleSheet | HTMLStyleElement | null = null;
  readonly useApi: boolean;

  readonly #doc: Document;

  constructor(doc: Document, { useApi = highlightApiAvailable() } = {}) {
    this.#doc = doc;
    this.useApi = useApi;
  }

  get size(): number {
    return this.#records.size;
  }

  has(record: HighlightRecord): boolean {
    return this.#records.has(record);
  }

  all(): HighlightRecord[] {
    return [...this.#records];
  }

  /** Records in document order (keyboard navigation). */
  ordered(): HighlightRecord[] {
    return this.all()
      .filter((r) => this.#visible.has(r.span.type) && r.range.startContainer.isConnected && !r.range.collapsed)
      .sort((a, b) => a.range.compareBoundaryPoints(Range.START_TO_START, b.range));
  }

  /** Applies the highlight style (stylesheet) and which types are drawn. */
  configure(style: HighlightStyle, types: readonly EntityType[]): void {
    this.#setStylesheet(highlightCss(style));
    this.#visible = new Set(types);
    if (this.useApi) {
      for (const [name, hl] of this.#highlights) {
        const type = name.replace(/^attache-/, '').replace(/-role$/, '') as EntityType;
        if (this.#visible.has(type)) CSS.highlights.set(name, hl);
        else CSS.highlights.delete(name);
      }
    } else {
      for (const [record, els] of this.#marks) {
        for (const el of els) {
          if (this.#visible.has(record.span.type)) el.setAttribute('data-type', record.span.type);
          else el.removeAttribute('data-type');
        }
      }
    }
  }

  #setStylesheet(css: string): void {
    const doc = this.#doc;
    if (isSheet(this.#sheet)) {
      this.#sheet.replaceSync(css);
      return;
    }
    if (this.#sheet) {
      this.#sheet.textContent = css;
      return;
    }
    // An adopted sheet is not a DOM node: the page's observers and scripts see no change.
    try {
      const sheet = new CSSStyleSheet();
      sheet.replaceSync(css);
      doc.adoptedStyleSheets = [...doc.adoptedStyleSheets, sheet];
      this.#sheet = sheet;
      return;
    } catch {
      // Older engines: a <style> element, marked as ours.
    }
    const el = doc.createElement('style');
    el.setAttribute('data-attache-ui', '');
    el.textContent = css;
    (doc.head ?? doc.documentElement).appendChild(el);
    this.#sheet = el;
  }

  #highlightFor(span: MatchSpan): Highlight {
    const name = highlightName(span.type, span.via === 'role');
    let hl = this.#highlights.get(name);
    if (!hl) {
      hl = new Highlight();
      // Full names paint over role mentions if they ever overlap.
      hl.priority = span.via === 'role' ? 0 : 1;
      this.#highlights.set(name, hl);
      if (this.#visible.has(span.type)) CSS.highlights.set(name, hl);
    }
    return hl;
  }

  add(records: readonly HighlightRecord[]): void {
    for (const r of records) {
      this.#records.add(r);
      if (this.useApi) {
        this.#highlightFor(r.span).add(r.range);
        const nodes = textNodesOf(r.range);
        this.#nodes.set(r, nodes);
        for (const n of nodes) {
          let set = this.#byNode.get(n);
          if (!set) this.#byNode.set(n, (set = new Set()));
          set.add(r);
        }
      } else {
        this.#wrap(r);
      }
    }
  }

  #wrap(r: HighlightRecord): void {
    const els: HTMLElement[] = [];
    const range = r.range;
    for (const node of textNodesOf(range)) {
      let target = node;
      const from = node === range.startContainer ? range.startOffset : 0;
      const to = node === range.endContainer ? range.endOffset : node.data.length;
      if (to <= from) continue;
      if (to < target.data.length) target.splitText(to);
      if (from > 0) target = target.splitText(from);
      const mark = this.#doc.createElement(MARK_TAG);
      if (this.#visible.has(r.span.type)) mark.setAttribute('data-type', r.span.type);
      mark.setAttribute('data-via', r.span.via);
      target.parentNode!.insertBefore(mark, target);
      mark.appendChild(target);
      els.push(mark);
      this.#byMark.set(mark, r);
    }
    this.#marks.set(r, els);
  }

  #unwrap(r: HighlightRecord): void {
    for (const mark of this.#marks.get(r) ?? []) {
      const parent = mark.parentNode;
      if (!parent) continue;
      while (mark.firstChild) parent.insertBefore(mark.firstChild, mark);
      parent.removeChild(mark);
    }
    this.#marks.delete(r);
  }

  remove(records: Iterable<HighlightRecord>): void {
    for (const r of records) {
      if (!this.#records.delete(r)) continue;
      if (this.useApi) {
        this.#highlights.get(highlightName(r.span.type, r.span.via === 'role'))?.delete(r.range);
        for (const n of this.#nodes.get(r) ?? []) this.#byNode.get(n)?.delete(r);
        this.#nodes.delete(r);
      } else {
        this.#unwrap(r);
      }
    }
  }

  /** Removes highlights inside `root` (about to be matched again). */
  removeWithin(root: Node): void {
    this.removeWithinAll([root]);
  }

  /**
   * Removes highlights inside any of `roots`. With the API the cost is the size of the roots (their
   * text nodes are looked up), not roots × highlights.
   */
  removeWithinAll(roots: readonly Node[]): void {
    if (roots.length === 0 || this.#records.size === 0) return;
    if (!this.useApi) {
      const set = new Set(roots);
      this.remove(
        this.all().filter((r) => {
          for (let n: Node | null = r.range.startContainer; n; n = n.parentNode) if (set.has(n)) return true;
          return false;
        }),
      );
      return;
    }
    const found = new Set<HighlightRecord>();
    for (const root of roots) {
      if (root.nodeType === Node.TEXT_NODE) {
        for (const r of this.#byNode.get(root) ?? []) found.add(r);
        continue;
      }
      const walker = (root.ownerDocument ?? (root as Document)).createTreeWalker(root, NodeFilter.SHOW_TEXT);
      for (let n = walker.nextNode(); n; n = walker.nextNode()) for (const r of this.#byNode.get(n) ?? []) found.add(r);
    }
    if (found.size > 0) this.remove(found);
  }

  /**
   * Drops highlights whose text left the document. A live Range costs on every DOM mutation, and the
   * ranges of removed text collapse into the parent (still connected), so they are found by the text
   * nodes they were drawn on. Returns how many were dropped.
   */
  pruneDetached(): number {
    const dead: HighlightRecord[] = [];
    for (const r of this.#records) {
      const first = this.useApi ? this.#nodes.get(r)?.[0] : undefined;
      if (first ? !first.isConnected : !r.range.startContainer.isConnected || r.range.collapsed) dead.push(r);
    }
    this.remove(dead);
    return dead.length;
  }

  clear(): void {
    this.remove(this.all());
    if (this.useApi) for (const name of this.#highlights.keys()) CSS.highlights.delete(name);
    this.#highlights.clear();
  }

  /** Removes everything, the stylesheet included (Attaché switched off, or the script unloaded). */
  dispose(): void {
    this.clear();
    if (isSheet(this.#sheet)) {
      const sheet = this.#sheet;
      this.#doc.adoptedStyleSheets = this.#doc.adoptedStyleSheets.filter((s) => s !== sheet);
    } else this.#sheet?.remove();
    this.#sheet = null;
  }

  /** The visible highlight under the viewport point, if any. */
  hitTest(x: number, y: number): HighlightRecord | null {
    if (!this.useApi) {
      const el = this.#doc.elementFromPoint(x, y)?.closest(MARK_TAG);
      const r = el ? this.#byMark.get(el) : undefined;
      return r && this.#visible.has(r.span.type) ? r : null;
    }
    const caret = caretAt(this.#doc, x, y);
    if (!caret) return null;
    const set = this.#byNode.get(caret.node);
    if (!set) return null;
    // Nested spans (a country inside an organisation's name): the innermost is the one pointed at.
    let best: HighlightRecord | null = null;
    let bestLength = Infinity;
    for (const r of set) {
      if (!this.#visible.has(r.span.type) || !containsPoint(r.range, x, y)) continue;
      const length = r.range.toString().length;
      if (length < bestLength) {
        best = r;
        bestLength = length;
      }
    }
    return best;
  }
}
