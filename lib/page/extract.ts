/**
 * Collects the readable text of a page (or of a subtree) as one string, remembering where each text
 * node starts in it, so that matcher spans (string offsets) map back to DOM ranges.
 *
 * Runs on any DOM implementation (the browser, linkedom in the CLI), so it only uses Node basics.
 *
 * Decisions (see README "What gets highlighted"):
 * - Skipped: script, style, noscript, template, head, form fields (textarea, input, select, option,
 *   button), `contenteditable` regions (the reader's own drafts), navigation (`nav`, role=navigation /
 *   menu / menubar: chrome, not the article), machine text (`code`, `kbd`, `samp`), `svg` and `math`
 *   (CSS highlights do not paint there reliably), elements with the `hidden` attribute or inline
 *   `display:none`, iframes (each frame is its own document), and Attaché's own UI.
 * - Kept: `pre` (wire copy is sometimes preformatted), hidden-by-stylesheet text (finding it would
 *   need a style recalculation per element; highlights there are simply not painted).
 * - Block boundaries become "\n"; line breaks inside a text node become spaces (same length, so
 *   offsets stay 1:1), because in HTML they render as spaces. The matcher treats "\n" as a hard
 *   boundary that no multi-word name crosses.
 */

/** Attribute marking Attaché's own elements (card host, note button), never scanned. */
export const OWN_UI_ATTRIBUTE = 'data-attache-ui';

export interface ExtractedText {
  text: string;
  /** Text nodes in document order. */
  nodes: Text[];
  /** `starts[i]` is where `nodes[i]` begins in `text`. Increasing. */
  starts: number[];
  /** Set when the character limit cut the text short. */
  capped?: boolean;
}

const SKIP = new Set([
  'script', 'style', 'noscript', 'template', 'head', 'title', 'meta', 'link',
  'textarea', 'input', 'select', 'option', 'button', 'datalist', 'output',
  'nav', 'code', 'kbd', 'samp', 'svg', 'math', 'iframe', 'frame', 'object', 'embed', 'canvas', 'video', 'audio',
]);
const SKIP_ROLES = new Set(['navigation', 'menu', 'menubar', 'toolbar', 'search']);

/** Elements whose start and end separate text (a name never runs across them). */
const BLOCKS = new Set([
  'address', 'article', 'aside', 'blockquote', 'body', 'br', 'caption', 'dd', 'details', 'dialog', 'div', 'dl', 'dt',
  'fieldset', 'figcaption', 'figure', 'footer', 'form', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'header', 'hgroup',
  'hr', 'li', 'main', 'ol', 'p', 'pre', 'section', 'summary', 'table', 'tbody', 'td', 'tfoot', 'th', 'thead', 'tr', 'ul',
  'img', 'picture',
]);

const ELEMENT_NODE = 1;
const TEXT_NODE = 3;

/**
 * The element's name in lower case. `localName` is one DOM call and already lower case for HTML
 * elements in HTML documents; XML documents keep the case as written.
 */
function nameOf(el: Element): string {
  const name = el.localName;
  return name.charCodeAt(0) < 97 ? name.toLowerCase() : name;
}

/** True when the element's attributes make it and its subtree not reading content. */
function skippedByAttributes(el: Element): boolean {
  // Most elements of an article have no attribute at all: one call instead of five.
  if (!el.hasAttributes()) return false;
  if (el.hasAttribute('hidden') || el.hasAttribute(OWN_UI_ATTRIBUTE)) return true;
  const editable = el.getAttribute('contenteditable');
  if (editable !== null && editable.toLowerCase() !== 'false') return true;
  const role = el.getAttribute('role');
  if (role !== null && SKIP_ROLES.has(role.toLowerCase())) return true;
  const style = el.getAttribute('style');
  return style !== null && /display\s*:\s*none/i.test(style);
}

/** True when the element and its subtree are not reading content. */
export function isSkipped(el: Element): boolean {
  return SKIP.has(nameOf(el)) || skippedByAttributes(el);
}

/** True when the node sits inside a skipped element (used for inserted content). */
export function isInsideSkipped(node: Node, root: Node | null = null): boolean {
  for (let n: Node | null = node.nodeType === ELEMENT_NODE ? node : node.parentNode; n && n !== root; n = n.parentNode) {
    if (n.nodeType === ELEMENT_NODE && isSkipped(n as Element)) return true;
  }
  return false;
}

/**
 * A resumable walk over the text under a scope, so that a content script can extract a huge page in
 * slices, yield to the page between them and send what it has read so far (`take`, see
 * lib/page/reader.ts), while the CLI extracts in one go.
 *
 * The walk is written for the number of DOM calls, which is what it costs (each is a call into the
 * engine, and in a content script the first one on a node also makes its wrapper): per node one
 * `nodeType`, then `data` or `localName` + `hasAttributes` + `firstChild`, and `nextSibling`. Whether
 * an ancestor is a block is remembered on a stack on the way down instead of asked again on the way
 * up. Measured in Chromium on the benchmark's large page (707k characters, 20k text nodes): 8–17 ms
 * against 17–25 ms for the previous walk (tagName + five attribute reads per element).
 */
export class TextWalker {
  private readonly parts: string[] = [];
  /** Text nodes and where they start, as walked so far (grow only: spans of taken text map back through them). */
  readonly nodes: Text[] = [];
  readonly starts: number[] = [];
  /** Characters of text so far. */
  length = 0;
  /** How many of `parts`, and of the characters, `take` has handed out. */
  private partsTaken = 0;
  private taken = 0;
  private lastWasBreak = true;
  private node: Node | null;
  /** Per open ancestor below the root: true when it is a block (its end is a boundary). */
  private readonly blocks: boolean[] = [];
  /** True when the scope is a text node: it is walked alone, nothing above it. */
  private readonly single: boolean;
  /** True when the walk stopped at the limit with text left. */
  capped = false;

  constructor(
    scope: Node,
    private readonly limit: number,
  ) {
    let root = scope;
    // A document: start at its element (linkedom's doctype has no nextSibling).
    if (root.nodeType === 9) root = (root as Document).documentElement ?? root;
    if (root.nodeType === TEXT_NODE) this.node = root;
    else this.node = root.nodeType === ELEMENT_NODE && isSkipped(root as Element) ? null : root.firstChild;
    this.single = root.nodeType === TEXT_NODE;
  }

  /** Walks up to `budget` nodes; returns true when the walk is finished. */
  step(budget: number): boolean {
    const { parts, nodes, starts, blocks } = this;
    let node = this.node;
    // Iterative pre-order walk: recursion would overflow on pathological nesting.
    while (node !== null && budget-- > 0) {
      const type = node.nodeType;
      if (type === TEXT_NODE) {
        let data = (node as Text).data;
        if (data.length > 0) {
          if (data.indexOf('\n') !== -1 || data.indexOf('\r') !== -1) data = data.replace(/[\r\n]/g, ' ');
          nodes.push(node as Text);
          starts.push(this.length);
          parts.push(data);
          this.length += data.length;
          this.lastWasBreak = false;
          if (this.length >= this.limit) {
            this.capped = this.#hasMore(node);
            node = null;
            break;
          }
        }
      } else if (type === ELEMENT_NODE) {
        const name = nameOf(node as Element);
        if (!SKIP.has(name) && !skippedByAttributes(node as Element)) {
          const block = BLOCKS.has(name);
          if (block) this.#pushBreak();
          const child = node.firstChild;
          if (child !== null) {
            blocks.push(block);
            node = child;
            continue;
          }
        }
      }
      if (this.single) {
        node = null;
        break;
      }
      // Next sibling, climbing up; leaving a block element is a boundary too.
      let next = node.nextSibling;
      while (next === null && blocks.length > 0) {
        node = node.parentNode!;
        if (blocks.pop()) this.#pushBreak();
        next = node.nextSibling;
      }
      node = next;
    }
    this.node = node;
    return node === null;
  }

  #pushBreak(): void {
    if (!this.lastWasBreak) {
      this.parts.push('\n');
      this.length += 1;
      this.lastWasBreak = true;
    }
  }

  /** True when text may follow `node` inside the scope (the walk was cut at the limit). */
  #hasMore(node: Node): boolean {
    if (this.single) return false;
    let n: Node = node;
    for (let depth = this.blocks.length; ; depth--) {
      if (n.nextSibling !== null) return true;
      if (depth === 0) return false;
      n = n.parentNode!;
    }
  }

  result(): ExtractedText {
    return { text: this.parts.join(''), nodes: this.nodes, starts: this.starts, ...(this.capped ? { capped: true } : {}) };
  }

  /**
   * The text walked since the previous `take`, with where it starts, when there are at least
   * `minChars` of it and it ends at a block boundary (so no name is cut in two); null otherwise.
   * `minChars` 0 takes whatever is left; past `maxChars` it is taken at any point. A reader can match
   * a page in pieces while it is still being walked.
   */
  take(minChars: number, maxChars = Number.POSITIVE_INFINITY): { text: string; from: number } | null {
    const pending = this.length - this.taken;
    if (pending === 0) return null;
    // Past `maxChars` without a boundary (one huge paragraph), the text goes anyway.
    if (pending < maxChars && (pending < minChars || (minChars > 0 && !this.lastWasBreak))) return null;
    const text = this.parts.slice(this.partsTaken).join('');
    const from = this.taken;
    this.partsTaken = this.parts.length;
    this.taken = this.length;
    return { text, from };
  }
}

/**
 * Extracts the text under `root`. `limit` caps the number of characters (huge pages: the caller
 * says so to the user, `capped` is set); extraction stops at the first text node past it.
 */
export function extractText(scope: Node, limit = Number.POSITIVE_INFINITY): ExtractedText {
  const walker = new TextWalker(scope, limit);
  walker.step(Number.POSITIVE_INFINITY);
  return walker.result();
}

/** Index of the text node containing offset `pos` (the last node starting at or before it). */
export function nodeIndexAt(extracted: ExtractedText, pos: number): number {
  const { starts } = extracted;
  let lo = 0;
  let hi = starts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if ((starts[mid] as number) <= pos) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

/** A DOM position for a string offset; `end` positions at a node boundary stay in the earlier node. */
export function domPosition(extracted: ExtractedText, pos: number, isEnd: boolean): { node: Text; offset: number } | null {
  if (extracted.nodes.length === 0) return null;
  let i = nodeIndexAt(extracted, isEnd ? pos - 1 : pos);
  let node = extracted.nodes[i] as Text;
  let offset = pos - (extracted.starts[i] as number);
  // A start offset that lands on an inserted "\n" (between nodes) moves to the next node.
  if (!isEnd && offset >= node.data.length && i + 1 < extracted.nodes.length) {
    i += 1;
    node = extracted.nodes[i] as Text;
    offset = 0;
  }
  return { node, offset: Math.max(0, Math.min(offset, node.data.length)) };
}
