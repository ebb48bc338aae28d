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
  'SCRIPT', 'STYLE', 'NOSCRIPT', 'TEMPLATE', 'HEAD', 'TITLE', 'META', 'LINK',
  'TEXTAREA', 'INPUT', 'SELECT', 'OPTION', 'BUTTON', 'DATALIST', 'OUTPUT',
  'NAV', 'CODE', 'KBD', 'SAMP', 'SVG', 'MATH', 'IFRAME', 'FRAME', 'OBJECT', 'EMBED', 'CANVAS', 'VIDEO', 'AUDIO',
]);
const SKIP_ROLES = new Set(['navigation', 'menu', 'menubar', 'toolbar', 'search']);

/** Elements whose start and end separate text (a name never runs across them). */
const BLOCKS = new Set([
  'ADDRESS', 'ARTICLE', 'ASIDE', 'BLOCKQUOTE', 'BODY', 'BR', 'CAPTION', 'DD', 'DETAILS', 'DIALOG', 'DIV', 'DL', 'DT',
  'FIELDSET', 'FIGCAPTION', 'FIGURE', 'FOOTER', 'FORM', 'H1', 'H2', 'H3', 'H4', 'H5', 'H6', 'HEADER', 'HGROUP',
  'HR', 'LI', 'MAIN', 'OL', 'P', 'PRE', 'SECTION', 'SUMMARY', 'TABLE', 'TBODY', 'TD', 'TFOOT', 'TH', 'THEAD', 'TR', 'UL',
  'IMG', 'PICTURE',
]);

const ELEMENT_NODE = 1;
const TEXT_NODE = 3;

/** True when the element and its subtree are not reading content. */
export function isSkipped(el: Element): boolean {
  const tag = el.tagName.toUpperCase();
  if (SKIP.has(tag)) return true;
  if (el.hasAttribute('hidden') || el.hasAttribute(OWN_UI_ATTRIBUTE)) return true;
  const editable = el.getAttribute('contenteditable');
  if (editable !== null && editable.toLowerCase() !== 'false') return true;
  const role = el.getAttribute('role');
  if (role !== null && SKIP_ROLES.has(role.toLowerCase())) return true;
  const style = el.getAttribute('style');
  if (style !== null && /display\s*:\s*none/i.test(style)) return true;
  return false;
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
 * slices and yield to the page between them (`extractTextSliced`), while the CLI extracts in one go.
 */
class TextWalker {
  private readonly parts: string[] = [];
  private readonly nodes: Text[] = [];
  private readonly starts: number[] = [];
  private length = 0;
  private lastWasBreak = true;
  private node: Node | null;
  private readonly root: Node;
  /** True when the walk stopped at the limit with text left. */
  capped = false;

  constructor(
    scope: Node,
    private readonly limit: number,
  ) {
    let root = scope;
    // A document: start at its element (linkedom's doctype has no nextSibling).
    if (root.nodeType === 9) root = (root as Document).documentElement ?? root;
    this.root = root;
    this.node = root.nodeType === ELEMENT_NODE && isSkipped(root as Element) ? null : root.firstChild;
    if (root.nodeType === TEXT_NODE) this.node = root;
  }

  private pushBreak(): void {
    if (!this.lastWasBreak) {
      this.parts.push('\n');
      this.length += 1;
      this.lastWasBreak = true;
    }
  }

  /** Walks up to `budget` nodes; returns true when the walk is finished. */
  step(budget: number): boolean {
    const root = this.root;
    let node = this.node;
    // Iterative pre-order walk: recursion would overflow on pathological nesting.
    while (node && budget-- > 0) {
      let descend = false;
      if (node.nodeType === TEXT_NODE) {
        let data = (node as Text).data;
        if (data.length > 0) {
          if (data.indexOf('\n') !== -1 || data.indexOf('\r') !== -1) data = data.replace(/[\r\n]/g, ' ');
          this.nodes.push(node as Text);
          this.starts.push(this.length);
          this.parts.push(data);
          this.length += data.length;
          this.lastWasBreak = false;
          if (this.length >= this.limit) {
            this.capped = nextInOrder(node, root) !== null;
            node = null;
            break;
          }
        }
      } else if (node.nodeType === ELEMENT_NODE) {
        const el = node as Element;
        if (!isSkipped(el)) {
          if (BLOCKS.has(el.tagName.toUpperCase())) this.pushBreak();
          descend = el.firstChild !== null;
        }
      }
      if (descend) {
        node = node.firstChild;
        continue;
      }
      // Next sibling, climbing up; leaving a block element is a boundary too.
      while (node && node !== root && !node.nextSibling) {
        node = node.parentNode;
        if (node && node !== root && node.nodeType === ELEMENT_NODE && BLOCKS.has((node as Element).tagName.toUpperCase())) this.pushBreak();
      }
      if (!node || node === root) {
        node = null;
        break;
      }
      node = node.nextSibling;
    }
    this.node = node;
    return node === null;
  }

  result(): ExtractedText {
    return { text: this.parts.join(''), nodes: this.nodes, starts: this.starts, ...(this.capped ? { capped: true } : {}) };
  }
}

/** The node after `node` in document order within `root` (ignoring skips), or null. */
function nextInOrder(node: Node, root: Node): Node | null {
  for (let n: Node | null = node; n && n !== root; n = n.parentNode) if (n.nextSibling) return n.nextSibling;
  return null;
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

/**
 * Same as `extractText`, in slices of about `sliceMs` milliseconds (checked every `stepNodes` nodes)
 * with `pause()` awaited between them, so that a huge page stays responsive while it is read.
 */
export async function extractTextSliced(scope: Node, limit: number, pause: () => Promise<void>, sliceMs = 8, stepNodes = 256): Promise<ExtractedText> {
  const walker = new TextWalker(scope, limit);
  let sliceStart = performance.now();
  while (!walker.step(stepNodes)) {
    if (performance.now() - sliceStart >= sliceMs) {
      await pause();
      sliceStart = performance.now();
    }
  }
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
