/**
 * The bundled KB as the extension ships it: one JSON file in the package, written at build time from
 * `assets/kb` by the `build:publicAssets` hook in wxt.config.ts, and read by the background only when
 * IndexedDB must be (re)seeded (`seedKb` with a `KbSource`).
 *
 * Why a file and not an import: imported, the data made up ~850 kB of the 938 kB background bundle,
 * parsed on every service-worker start although a start with a current KB never reads it (MV3
 * service workers cannot `import()` lazily). The version stays in the code (`KB_VERSION`), so
 * deciding whether to seed reads nothing but the stored version.
 */
import type { KnowledgeBase } from './schema';

/** Where the file is in the extension package. */
export const SHIPPED_KB_PATH = '/kb.json';

/** The file's contents: the merged KB, as `bundledKb()` returns it in Node. */
export function shippedKbContents(kb: KnowledgeBase): string {
  return JSON.stringify(kb);
}

/**
 * The KB in the answer to `fetch(browser.runtime.getURL(SHIPPED_KB_PATH))` (the background's only
 * fetch: a file of the package, no connection); `seedKb` validates it.
 */
export async function shippedKbFrom(res: Response): Promise<KnowledgeBase> {
  if (!res.ok) throw new Error(`${SHIPPED_KB_PATH}: HTTP ${res.status}`);
  const kb: unknown = await res.json();
  if (typeof kb !== 'object' || kb === null || typeof (kb as { version?: unknown }).version !== 'string') {
    throw new Error(`${SHIPPED_KB_PATH}: not a knowledge base`);
  }
  return kb as KnowledgeBase;
}
