/**
 * Watches a page for new text (live blogs, infinite scroll, "load more", SPA views) and hands it over
 * in coalesced batches: the observer callback only collects nodes (cheap even under a storm of
 * 10,000 mutations a second); a timer flushes at most every `delayMs`, one flush at a time. When more
 * than `maxPending` nodes pile up, the batch is marked `overflow` and the caller rescans the page
 * instead of thousands of fragments.
 *
 * Our own UI is marked `data-attache-ui` and ignored; highlights do not mutate the DOM, so there is no
 * feedback loop (the element fallback discards its own records through `discardPending`).
 */
import { isInsideSkipped, isSkipped, OWN_UI_ATTRIBUTE } from './extract';

export interface MutationBatch {
  /** Connected subtrees to match, none inside another, none inside skipped elements. */
  roots: Node[];
  /** Too much changed at once: match the whole page again instead. */
  overflow: boolean;
}

export interface MutationWatcherOptions {
  delayMs?: number;
  maxPending?: number;
}

function isOwnUi(node: Node): boolean {
  const el = node.nodeType === Node.ELEMENT_NODE ? (node as Element) : node.parentElement;
  return el !== null && el.closest(`[${OWN_UI_ATTRIBUTE}]`) !== null;
}

/** The subtree to rescan for a changed text node: its parent, unless that is the whole body. */
function rootFor(node: Node): Node {
  if (node.nodeType !== Node.TEXT_NODE) return node;
  const parent = node.parentElement;
  if (!parent || parent === node.ownerDocument?.body || parent === node.ownerDocument?.documentElement) return node;
  return parent;
}

/** Drops nodes inside another node of the set, detached nodes and skipped regions. */
export function outermost(nodes: Iterable<Node>): Node[] {
  const set = new Set(nodes);
  const out: Node[] = [];
  for (const n of set) {
    if (!n.isConnected) continue;
    let covered = false;
    for (let p = n.parentNode; p; p = p.parentNode) {
      if (set.has(p)) {
        covered = true;
        break;
      }
    }
    if (covered || isInsideSkipped(n)) continue;
    out.push(n);
  }
  return out;
}

export class MutationWatcher {
  readonly #observer: MutationObserver;
  #pending = new Set<Node>();
  #overflow = false;
  #timer: ReturnType<typeof setTimeout> | null = null;
  #running = false;
  readonly #delayMs: number;
  readonly #maxPending: number;

  readonly #doc: Document;
  readonly #onBatch: (batch: MutationBatch) => Promise<void>;
  readonly #onActivity: () => void;

  constructor(
    doc: Document,
    onBatch: (batch: MutationBatch) => Promise<void>,
    onActivity: () => void = () => {},
    { delayMs = 60, maxPending = 3000 }: MutationWatcherOptions = {},
  ) {
    this.#doc = doc;
    this.#onBatch = onBatch;
    this.#onActivity = onActivity;
    this.#delayMs = delayMs;
    this.#maxPending = maxPending;
    this.#observer = new MutationObserver((records) => this.#collect(records));
  }

  start(): void {
    this.#observer.observe(this.#doc.documentElement, { childList: true, subtree: true, characterData: true });
  }

  stop(): void {
    this.#observer.disconnect();
    this.#pending.clear();
    this.#overflow = false;
    if (this.#timer !== null) clearTimeout(this.#timer);
    this.#timer = null;
  }

  /** Forgets records caused by our own DOM edits (element fallback only). */
  discardPending(): void {
    this.#observer.takeRecords();
  }

  #collect(records: MutationRecord[]): void {
    try {
      for (const rec of records) {
        if (this.#overflow) break;
        if (rec.type === 'characterData') {
          if (!isOwnUi(rec.target)) this.#pending.add(rootFor(rec.target));
        } else {
          if (rec.addedNodes.length === 0 || isOwnUi(rec.target)) continue;
          for (const n of rec.addedNodes) {
            if (n.nodeType === Node.ELEMENT_NODE) {
              if (!isSkipped(n as Element)) this.#pending.add(n);
            } else if (n.nodeType === Node.TEXT_NODE) {
              this.#pending.add(rootFor(n));
            }
          }
        }
        if (this.#pending.size > this.#maxPending) {
          this.#overflow = true;
          this.#pending.clear();
        }
      }
      this.#onActivity();
      this.#schedule();
    } catch (e) {
      console.warn('[attache] mutation', e);
    }
  }

  #schedule(): void {
    if (this.#timer !== null || this.#running) return;
    if (this.#pending.size === 0 && !this.#overflow) return;
    this.#timer = setTimeout(() => void this.#flush(), this.#delayMs);
  }

  async #flush(): Promise<void> {
    this.#timer = null;
    const batch: MutationBatch = { roots: this.#overflow ? [] : outermost(this.#pending), overflow: this.#overflow };
    this.#pending = new Set();
    this.#overflow = false;
    if (batch.roots.length === 0 && !batch.overflow) return;
    this.#running = true;
    try {
      await this.#onBatch(batch);
    } catch (e) {
      console.warn('[attache] update failed', e);
    } finally {
      this.#running = false;
      this.#schedule();
    }
  }
}
