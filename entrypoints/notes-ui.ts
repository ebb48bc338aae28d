import { notesBridge, notesUiLoaded } from '@/lib/page/notes/bridge';
import { startNotes } from '@/lib/page/notes';

/**
 * The in-page notes UI (lib/page/notes), kept out of the content script that runs on every page: the
 * background injects this file into a frame (`scripting.executeScript`, lib/background/notes.ts) when
 * the page has notes, when the reader selects text, or when a note is started from the context menu,
 * the shortcut or a hover card. It runs in the same isolated world as the content script and takes
 * what it needs from it through bridge.ts.
 *
 * An unlisted script, not a `registration: 'runtime'` content script: WXT's content-script context
 * announces every start to the page (a `…:notes-ui:wxt:content-script-started` DOM event and a
 * `window.postMessage`), which would tell the page's scripts that the reader has notes here.
 */
export default defineUnlistedScript(() => {
  if (notesUiLoaded()) return; // injected twice (two triggers at once): the first one runs
  const bridge = notesBridge();
  if (!bridge || bridge.signal.aborted) return; // the content script is not running here
  startNotes({ signal: bridge.signal, hosts: bridge.hosts, highlights: bridge.highlights });
});
