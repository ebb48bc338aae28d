/**
 * Watches a page for new text (live blogs, infinite scroll, "load more", SPA views) and hands it over
 * in coalesced batches. The observer callback does no per-record work beyond pushing nodes (a page may
 * mutate 10,000 times a second; the callback runs inside the page's own tasks); filtering (detached,
 * skipped, our own UI) and deduplication happen once per flush. A timer flushes at most every
 * `delayMs`, one flush at a time; while the page mutates faster than `stormRate` records a second, at
 * most every `stormDelayMs`. A flush hands over at most `maxRoots` subtrees, the newest first; the rest
 * waits for the next flush (and is dropped if the page removed it meanwhile). Only when more than
 * `maxPending` nodes pile up between two flushes is the batch marked `overflow` (rescan the page).
 *
 * Our own UI is marked `data-attache-ui` and ignored; highlights do not mutate the DOM, so there is no
 * feedback loop (the element fallback discards its own records through `discardPending`).
 */
import { isInsideSkipped, isSkipped } from './extract';

export interface MutationBatch {
  /** Connected subtrees to match, none inside another, none inside skipped elements. */
  roots: Node[];
  /** Too much changed at once: match the whole page again instead. */
  overflow: boolean;
  /** The page removed nodes since the last batch (highlights in them may be dropped). */
  removed: boolean;
  /** The page is mutating faster than the storm threshold (avoid whole-page work). */
  storm: boolean;
}

export interface MutationWatcherOptions {
  delayMs?: number;
  /** Flush interval while the page mutates faster than `stormRate`. */
  stormDelayMs?: number;
  /** Mutation records per second above which the page is in a storm. */
  stormRate?: number;
  /** Subtrees handed over per flush at most. */
  maxRoots?: number;
  /** Raw nodes collected between two flushes at most; beyond, the batch is an overflow. */
  maxPending?: number;
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
  /** Raw nodes as the records named them (added nodes, changed text nodes), oldest first. */
  #pending: Node[] = [];
  #overflow = false;
  #removed = false;
  #timer: ReturnType<typeof setTimeout> | null = null;
  #running = false;
  /** Records counted since `#rateSince`, for the storm estimate. */
  #recordCount = 0;
  #rateSince = 0;
  #storm = false;
  readonly #delayMs: number;
  readonly #stormDelayMs: number;
  readonly #stormRate: number;
  readonly #maxRoots: number;
  readonly #maxPending: number;

  readonly #doc: Document;
  readonly #onBatch: (batch: MutationBatch) => Promise<void>;
  readonly #onActivity: () => void;

  constructor(
    doc: Document,
    onBatch: (batch: MutationBatch) => Promise<void>,
    onActivity: () => void = () => {},
    { delayMs = 60, stormDelayMs = 250, stormRate = 2000, maxRoots = 300, maxPending = 50_000 }: MutationWatcherOptions = {},
  ) {
    this.#doc = doc;
    this.#onBatch = onBatch;
    this.#onActivity = onActivity;
    this.#delayMs = delayMs;
    this.#stormDelayMs = stormDelayMs;
    this.#stormRate = stormRate;
    this.#maxRoots = maxRoots;
    this.#maxPending = maxPending;
    this.#observer = new MutationObserver((records) => this.#collect(records));
  }

  /** True while the page mutates faster than the storm threshold. */
  get storm(): boolean {
    return this.#storm;
  }

  start(): void {
    this.#rateSince = performance.now();
    this.#recordCount = 0;
    this.#observer.observe(this.#doc.documentElement, { childList: true, subtree: true, characterData: true });
  }

  stop(): void {
    this.#observer.disconnect();
    this.#pending = [];
    this.#overflow = false;
    this.#removed = false;
    this.#storm = false;
    if (this.#timer !== null) clearTimeout(this.#timer);
    this.#timer = null;
  }

  /** Forgets records caused by our own DOM edits (element fallback only). */
  discardPending(): void {
    this.#observer.takeRecords();
  }

  /** Runs inside the page's tasks: only pushes nodes. */
  #collect(records: MutationRecord[]): void {
    try {
      this.#recordCount += records.length;
      if (!this.#overflow) {
        const pending = this.#pending;
        for (const rec of records) {
          if (rec.type === 'characterData') pending.push(rec.target);
          else {
            const added = rec.addedNodes;
            for (let i = 0; i < added.length; i++) pending.push(added[i]!);
            if (rec.removedNodes.length > 0) this.#removed = true;
          }
        }
        if (pending.length > this.#maxPending) {
          this.#overflow = true;
          this.#pending = [];
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
    if (this.#pending.length === 0 && !this.#overflow && !this.#removed) return;
    this.#timer = setTimeout(() => void this.#flush(), this.#storm ? this.#stormDelayMs : this.#delayMs);
  }

  /** Subtrees to match among the raw nodes: connected, deduplicated, newest last. */
  #roots(raw: readonly Node[]): Node[] {
    const seen = new Set<Node>();
    const candidates: Node[] = [];
    // Newest first: under a stream of insertions the newest lines live longest.
    for (let i = raw.length - 1; i >= 0; i--) {
      const n = raw[i]!;
      if (!n.isConnected) continue;
      if (n.nodeType === Node.ELEMENT_NODE) {
        if (isSkipped(n as Element)) continue;
      } else if (n.nodeType !== Node.TEXT_NODE) continue;
      const root = rootFor(n);
      if (seen.has(root)) continue;
      seen.add(root);
      candidates.push(root);
    }
    return outermost(candidates.reverse());
  }

  async #flush(): Promise<void> {
    this.#timer = null;
    const now = performance.now();
    const elapsed = now - this.#rateSince;
    if (elapsed >= this.#delayMs) {
      this.#storm = (this.#recordCount * 1000) / elapsed > this.#stormRate;
      this.#recordCount = 0;
      this.#rateSince = now;
    }
    const overflow = this.#overflow;
    let roots = overflow ? [] : this.#roots(this.#pending);
    this.#pending = [];
    if (roots.length > this.#maxRoots) {
      // The newest now, the rest at the next flush (if the page keeps them).
      this.#pending = roots.slice(0, roots.length - this.#maxRoots);
      roots = roots.slice(roots.length - this.#maxRoots);
    }
    const batch: MutationBatch = { roots, overflow, removed: this.#removed, storm: this.#storm };
    this.#overflow = false;
    this.#removed = false;
    if (batch.roots.length === 0 && !batch.overflow && !batch.removed) return;
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
