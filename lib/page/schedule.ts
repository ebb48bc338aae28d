/**
 * Time slicing for work done in the page: long tasks are cut into slices of about `SLICE_MS`, and the
 * content script yields between them so that input and the page's own scripts keep running.
 */
export const SLICE_MS = 8;

/** Yields to the event loop: `scheduler.yield()` where it exists (keeps our priority), else a macrotask. */
export function pause(): Promise<void> {
  const s = (globalThis as { scheduler?: { yield?: () => Promise<void> } }).scheduler;
  if (s && typeof s.yield === 'function') return s.yield();
  return new Promise((resolve) => setTimeout(resolve, 0));
}

/** Runs `work` over `items` in slices of at most `SLICE_MS`, yielding in between; stops once `cancelled()`. */
export async function forEachSliced<T>(items: readonly T[], work: (item: T, index: number) => void, cancelled = () => false): Promise<void> {
  let sliceStart = performance.now();
  for (let i = 0; i < items.length; i++) {
    if (cancelled()) return;
    work(items[i]!, i);
    if ((i & 63) === 63 && performance.now() - sliceStart > SLICE_MS) {
      await pause();
      sliceStart = performance.now();
    }
  }
}

/** Runs `fn`, logging instead of throwing: nothing of ours may throw into the page's event loop. */
export function guard<A extends unknown[]>(fn: (...args: A) => unknown): (...args: A) => void {
  return (...args: A) => {
    try {
      const r = fn(...args);
      if (r instanceof Promise) r.catch((e: unknown) => console.warn('[attache]', e));
    } catch (e) {
      console.warn('[attache]', e);
    }
  };
}
