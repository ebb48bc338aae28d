/**
 * Between DOM selections and offsets into the page text of `extractText`, the text note selectors
 * (TextPositionSelector) are expressed in.
 */
import { domPosition, type ExtractedText } from '../extract';

// Numeric constants: the same code runs on linkedom in unit tests, where DOM globals are absent.
const TEXT_NODE = 3;
const COMMENT_NODE = 8;
const SHOW_TEXT = 4;

/** Index of each extracted text node, for boundary lookups. */
export function nodeIndex(extracted: ExtractedText): Map<Node, number> {
  return new Map(extracted.nodes.map((n, i) => [n as Node, i]));
}

/** The first extracted text node at or after `node` in document order (its subtree included). */
function firstIndexedFrom(node: Node | null, index: Map<Node, number>, stopAt: Node): number | undefined {
  const doc = stopAt.ownerDocument ?? (stopAt as Document);
  for (let n: Node | null = node; n; ) {
    if (index.has(n)) return index.get(n);
    const inside = doc.createTreeWalker(n, SHOW_TEXT);
    for (let t = inside.nextNode(); t; t = inside.nextNode()) if (index.has(t)) return index.get(t);
    // Next node after n's subtree.
    while (n && n !== stopAt && !n.nextSibling) n = n.parentNode;
    if (!n || n === stopAt) return undefined;
    n = n.nextSibling;
  }
  return undefined;
}

/** Text offset of a DOM boundary point. */
export function boundaryOffset(extracted: ExtractedText, index: Map<Node, number>, container: Node, offset: number, root: Node): number {
  const i = index.get(container);
  if (i !== undefined) return (extracted.starts[i] as number) + Math.min(offset, (container as Text).data.length);
  let from: Node | null;
  if (container.nodeType === TEXT_NODE || container.nodeType === COMMENT_NODE) {
    from = container.nextSibling ?? null;
    if (!from) {
      let n: Node | null = container;
      while (n && n !== root && !n.nextSibling) n = n.parentNode;
      from = n && n !== root ? n.nextSibling : null;
    }
  } else {
    from = container.childNodes[offset] ?? null;
    if (!from) {
      let n: Node | null = container;
      while (n && n !== root && !n.nextSibling) n = n.parentNode;
      from = n && n !== root ? n.nextSibling : null;
    }
  }
  const j = firstIndexedFrom(from, index, root);
  return j === undefined ? extracted.text.length : (extracted.starts[j] as number);
}

/** `[start, end)` of a range in the page text, trimmed of surrounding white space; null when empty. */
export function rangeToOffsets(extracted: ExtractedText, range: Pick<Range, 'startContainer' | 'startOffset' | 'endContainer' | 'endOffset'>, root: Node): { start: number; end: number } | null {
  const index = nodeIndex(extracted);
  let start = boundaryOffset(extracted, index, range.startContainer, range.startOffset, root);
  let end = boundaryOffset(extracted, index, range.endContainer, range.endOffset, root);
  const text = extracted.text;
  while (start < end && /\s/.test(text[start] as string)) start++;
  while (end > start && /\s/.test(text[end - 1] as string)) end--;
  return end > start ? { start, end } : null;
}

/** A live DOM range for `[start, end)` of the page text. */
export function offsetsToRange(extracted: ExtractedText, start: number, end: number): Range | null {
  const a = domPosition(extracted, start, false);
  const b = domPosition(extracted, end, true);
  if (!a || !b) return null;
  const range = a.node.ownerDocument.createRange();
  range.setStart(a.node, a.offset);
  range.setEnd(b.node, b.offset);
  return range;
}
