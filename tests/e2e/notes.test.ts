/**
 * Notes in a real browser: select text, Annotate, write a comment and tags, save; the note is
 * re-anchored after a reload, after a slight edit of the page text, and when its paragraph arrives
 * late; a note whose text is gone is listed as orphaned. Two tabs editing the same note (in the page,
 * then on the notes page): the stale save is refused. Then the notes page exports it (Markdown,
 * CSV, JSON through real downloads), deletes with undo, and a fresh profile imports the JSON back.
 * The fixture article is written here (not corpus text).
 *
 * The notes code is not in the content script: the background injects it (entrypoints/notes-ui.ts)
 * into a page that has notes, on the first selection, or for "Add note"; these tests check that it
 * is absent until then, and that each of those ways loads it.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, test } from 'node:test';
import type { Download, Page } from 'playwright-core';
import { hoverEntity, isolatedEval, launchBrowser, startServer, waitForHighlights as waitForEntityHighlights, type TestBrowser, type TestServer } from './harness';

const QUOTE = 'the frigate Sabalan will lead the joint patrol in the Gulf of Oman';
const EDITED = 'the frigate Sabalan would lead the joint patrol in the Gulf of Oman';

function article(body: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Navies plan a joint patrol</title></head>
<body><nav><a href="/">Home</a></nav><main><article><h1>Navies plan a joint patrol</h1>${body}</article></main></body></html>`;
}
const P1 = '<p>Officials in Tehran said on Tuesday that the two navies had agreed on a calendar for the coming months.</p>';
const P2 = `<p>According to a statement, ${QUOTE} next spring, with support ships from both sides.</p>`;
const P3 = '<p>Analysts noted that the announcement followed several port calls earlier in the year.</p>';
const V1 = article(P1 + P2 + P3);
/** One word of the quote changed, and a paragraph inserted before it: the note must still be found. */
const V2 = article(P1 + '<p>An update was added to this article.</p>' + P2.replace(QUOTE, EDITED) + P3);
/** The quoted paragraph arrives 1.5 s after load (live blogs, "show more"). */
const V3 = article(
  P1 + P3 + `<div id="later"></div><script>setTimeout(() => { document.getElementById('later').innerHTML = ${JSON.stringify(P2)}; }, 1500);</script>`,
);
/** The quoted text is gone. */
const V4 = article(P1 + P3);

let browser: TestBrowser;
let server: TestServer;
let url: string;
const extUrl = (b: TestBrowser, file: string) => `chrome-extension://${b.extensionId}/${file}`;
/** The fixture page; the same URL serves whichever version the test sets. */
const setArticle = (html: string) => server.generated.set('patrol.html', html);
before(async () => {
  [browser, server] = await Promise.all([launchBrowser(), startServer()]);
  url = `${server.origin}/generated/patrol.html`;
});
after(async () => {
  await browser?.close();
  await server?.close();
});

/**
 * Text of the notes the extension drew, with at least one box on screen. Read from the content
 * script's isolated world (lib/page/notes `__attacheNotes`): the overlay lives in a closed shadow
 * root and the page itself can read none of it.
 */
async function noteHighlights(page: Page): Promise<string[]> {
  return isolatedEval<string[]>(page, browser.extensionId, `(globalThis.__attacheNotes?.drawn() ?? []).filter(d => d.boxes > 0).map(d => d.text)`);
}

/** True when the notes code runs in the page's main frame (it was injected). */
async function notesCodeLoaded(page: Page): Promise<boolean> {
  return isolatedEval<boolean>(page, browser.extensionId, `globalThis.__attacheNotes !== undefined`);
}

/** Waits until the content script has settled (scanned, asked about notes), then says whether the notes code was injected. */
async function notesCodeAfterLoad(page: Page): Promise<boolean> {
  await isolatedEval(page, browser.extensionId, 'globalThis.__attache.idle(300)');
  await page.waitForTimeout(300);
  return notesCodeLoaded(page);
}

/** Waits until the in-page notes code runs (it has loaded, or is loading, the page's notes). */
async function waitForNotesCode(page: Page): Promise<void> {
  const end = Date.now() + 8000;
  for (;;) {
    const ready = await isolatedEval<boolean>(page, browser.extensionId, `globalThis.__attacheNotes !== undefined`).catch(() => false);
    if (ready) return;
    if (Date.now() > end) throw new Error('the notes code did not start');
    await page.waitForTimeout(100);
  }
}

/** What the page's own scripts can enumerate in the shared highlight registry: names and texts. */
async function pageReadableHighlights(page: Page): Promise<{ name: string; text: string }[]> {
  return page.evaluate(() => {
    const out: { name: string; text: string }[] = [];
    for (const [name, h] of CSS.highlights as unknown as Map<string, Set<AbstractRange>>) for (const r of h) out.push({ name, text: (r as Range).toString() });
    return out;
  });
}

/** Runs `script` with `ui` bound to the notes UI's closed shadow root (isolated world only). */
async function inNotesUi<T>(page: Page, script: string): Promise<T> {
  return isolatedEval<T>(page, browser.extensionId, `(async (ui) => { ${script} })(globalThis.__attacheNotes.ui())`);
}

async function waitForHighlights(page: Page, expected: string[], timeout = 8000): Promise<void> {
  const end = Date.now() + timeout;
  let last: string[] = [];
  while (Date.now() < end) {
    last = await noteHighlights(page);
    if (JSON.stringify(last) === JSON.stringify(expected)) return;
    await page.waitForTimeout(150);
  }
  assert.deepEqual(last, expected);
}

/** Selects `text` inside the first element matching `selector`, as a user dragging would, and releases the mouse. */
async function select(page: Page, selector: string, text: string): Promise<{ x: number; y: number }> {
  return page.evaluate(
    ({ selector, text }) => {
      const el = document.querySelector(selector)!;
      const walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
      for (let n = walker.nextNode(); n; n = walker.nextNode()) {
        const i = (n as Text).data.indexOf(text);
        if (i === -1) continue;
        const range = document.createRange();
        range.setStart(n, i);
        range.setEnd(n, i + text.length);
        const sel = getSelection()!;
        sel.removeAllRanges();
        sel.addRange(range);
        const rects = range.getClientRects();
        const last = rects[rects.length - 1]!;
        document.dispatchEvent(new MouseEvent('mouseup', { bubbles: true, clientX: last.right, clientY: last.bottom }));
        // Where the Annotate button goes (lib/page/notes: just after the end of the selection).
        return { x: Math.max(4, Math.min(innerWidth - 110, last.right + 4)) + 12, y: Math.max(4, Math.min(innerHeight - 36, last.bottom + 6)) + 10 };
      }
      throw new Error(`${text} not found`);
    },
    { selector, text },
  );
}

async function download(page: Page, click: () => Promise<void>): Promise<{ name: string; text: string }> {
  const [d] = (await Promise.all([page.waitForEvent('download'), click()])) as [Download, void];
  const path = await d.path();
  return { name: d.suggestedFilename(), text: readFileSync(path, 'utf8') };
}

let jsonExport = '';
let backupFile = '';

test('a note made from a selection survives reload, a slight edit, late content, and is orphaned (kept) when its text is gone', async () => {
  setArticle(V1);
  const page = await browser.context.newPage();
  await page.setViewportSize({ width: 1200, height: 800 });
  await page.goto(url);
  assert.equal(await notesCodeAfterLoad(page), false, 'no notes code on a page without notes before anything is selected');

  // The first selection has the notes code injected; it then offers its Annotate button.
  const button = await select(page, 'article p:nth-of-type(2)', QUOTE);
  await waitForNotesCode(page);
  const shown = Date.now() + 5000;
  while (!(await inNotesUi<boolean>(page, "return ui.querySelector('button.annotate') !== null"))) {
    assert.ok(Date.now() < shown, 'the Annotate button appears for the selection that loaded the notes code');
    await page.waitForTimeout(50);
  }
  await page.mouse.click(button.x, button.y);
  await page.waitForTimeout(300);
  await page.keyboard.type('Sabalan leads the patrol');
  await page.keyboard.press('Tab');
  await page.keyboard.type('navy, Gulf of Oman');
  await page.keyboard.press('Enter');
  await waitForHighlights(page, [QUOTE]);
  // Drawn where the text is, without the page being able to read it from the highlight registry.
  assert.deepEqual((await pageReadableHighlights(page)).filter((h) => h.name.includes('note') || h.text.includes('Sabalan will lead')), []);

  await page.reload();
  await waitForHighlights(page, [QUOTE]);

  setArticle(V2);
  await page.reload();
  await waitForHighlights(page, [EDITED]);

  setArticle(V3);
  await page.reload();
  await waitForNotesCode(page);
  assert.deepEqual(await noteHighlights(page), [], 'not there before the paragraph arrives');
  await waitForHighlights(page, [QUOTE]);

  setArticle(V4);
  await page.reload();
  await waitForNotesCode(page);
  await page.waitForTimeout(1000);
  assert.deepEqual(await noteHighlights(page), []);

  const notes = await browser.context.newPage();
  await notes.goto(extUrl(browser, 'notes.html'));
  const item = notes.locator('article.note');
  await item.waitFor();
  assert.equal(await item.count(), 1);
  assert.match(await item.innerText(), /Sabalan leads the patrol/);
  assert.match(await item.innerText(), /#navy/);
  assert.equal(await item.locator('.orphan-badge').count(), 1, 'listed as orphaned');

  // The text comes back: no longer orphaned.
  setArticle(V1);
  await page.reload();
  await waitForHighlights(page, [QUOTE]);
  await page.waitForTimeout(300);
  await notes.reload();
  await item.waitFor();
  assert.equal(await item.locator('.orphan-badge').count(), 0);
  await page.close();
  await notes.close();
});

test('a drawn note takes no clicks from the page and opens on click; two tabs editing it: the stale save is refused, the latest version loads and the draft is kept', async () => {
  setArticle(V1);
  const [a, b] = [await browser.context.newPage(), await browser.context.newPage()];
  for (const p of [a, b]) {
    await p.setViewportSize({ width: 1200, height: 800 });
    await p.goto(url);
    await waitForHighlights(p, [QUOTE]);
  }
  // From the page's world: the quote's own paragraph is what is under the pointer (the overlay takes
  // no hits), and the overlay host has no size (no layout shift).
  const probe = await a.evaluate((quote) => {
    const p = document.querySelector('article p:nth-of-type(2)')!;
    const t = [...p.childNodes].find((n) => n.nodeType === 3 && (n as Text).data.includes(quote)) as Text;
    const r = document.createRange();
    r.setStart(t, t.data.indexOf(quote) + 4);
    r.setEnd(t, t.data.indexOf(quote) + 10);
    const box = r.getBoundingClientRect();
    const x = box.left + box.width / 2;
    const y = box.top + box.height / 2;
    const host = document.querySelector('attache-note-marks');
    const size = host?.getBoundingClientRect();
    return { x, y, hit: document.elementFromPoint(x, y) === p, hostSize: size ? size.width + size.height : -1, shadow: host ? host.shadowRoot === null : false };
  }, QUOTE);
  assert.equal(probe.hit, true, 'the paragraph, not the overlay, is under the pointer');
  assert.equal(probe.hostSize, 0, 'the overlay host takes no room');
  assert.equal(probe.shadow, true, 'the overlay host is there and its shadow root is closed');

  // The boxes follow the text when the layout changes: content inserted above, a narrower window.
  const drawnRects = () => isolatedEval<{ left: number; top: number; width: number; height: number }[]>(a, browser.extensionId, `globalThis.__attacheNotes.drawn().find(d => d.boxes > 0).rects`);
  const textLines = () =>
    a.evaluate((quote) => {
      const p = document.querySelector('article p:nth-of-type(2)')!;
      const t = [...p.childNodes].find((n) => n.nodeType === 3 && (n as Text).data.includes(quote)) as Text;
      const r = document.createRange();
      r.setStart(t, t.data.indexOf(quote));
      r.setEnd(t, t.data.indexOf(quote) + quote.length);
      const lines: { left: number; top: number; right: number }[] = [];
      for (const b of r.getClientRects()) {
        if (b.width < 0.5) continue;
        const line = lines.find((l) => Math.abs(l.top - (b.top + scrollY)) < 1);
        if (line) line.right = Math.max(line.right, b.right + scrollX);
        else lines.push({ left: b.left + scrollX, top: b.top + scrollY, right: b.right + scrollX });
      }
      return lines.sort((x, y) => x.top - y.top);
    }, QUOTE);
  async function drawnAtText(what: string) {
    const end = Date.now() + 3000;
    let rects = await drawnRects();
    let lines = await textLines();
    const same = () => rects.length === lines.length && rects.every((b, i) => Math.abs(b.top - lines[i]!.top) < 1.5 && Math.abs(b.left - lines[i]!.left) < 1.5 && Math.abs(b.left + b.width - lines[i]!.right) < 2);
    while (!same()) {
      assert.ok(Date.now() < end, `${what}: drawn ${JSON.stringify(rects)} but the text is at ${JSON.stringify(lines)}`);
      await a.waitForTimeout(50);
      [rects, lines] = [await drawnRects(), await textLines()];
    }
    return rects;
  }
  const before = await drawnAtText('as loaded');
  await a.evaluate(() => document.querySelector('article p:nth-of-type(2)')!.before(Object.assign(document.createElement('div'), { id: 'inserted', style: 'height: 137px' })));
  const moved = await drawnAtText('after content was inserted above');
  // 137 px and the paragraph margins that no longer collapse together.
  assert.ok(moved[0]!.top - before[0]!.top >= 136.5, `moved down by at least the inserted height: ${moved[0]!.top - before[0]!.top}`);
  await a.setViewportSize({ width: 420, height: 800 });
  const narrow = await drawnAtText('in a narrower window');
  assert.ok(narrow.length >= 2, `the quote wraps over lines: ${narrow.length} boxes`);
  await a.evaluate(() => document.getElementById('inserted')!.remove());
  await a.setViewportSize({ width: 1200, height: 800 });
  await drawnAtText('back as it was');
  const at = await a.evaluate((quote) => {
    const p = document.querySelector('article p:nth-of-type(2)')!;
    const t = [...p.childNodes].find((n) => n.nodeType === 3 && (n as Text).data.includes(quote)) as Text;
    const r = document.createRange();
    r.setStart(t, t.data.indexOf(quote) + 4);
    r.setEnd(t, t.data.indexOf(quote) + 10);
    const box = r.getBoundingClientRect();
    return { x: box.left + box.width / 2, y: box.top + box.height / 2 };
  }, QUOTE);
  Object.assign(probe, at);

  const editingOf = (p: Page) => isolatedEval<{ id?: string; error?: string; conflict: boolean } | null>(p, browser.extensionId, 'globalThis.__attacheNotes.editing() ?? null');
  async function waitEditing(p: Page, test: (e: { id?: string; error?: string; conflict: boolean } | null) => boolean, what: string) {
    const end = Date.now() + 5000;
    for (let e = await editingOf(p); !test(e); e = await editingOf(p)) {
      assert.ok(Date.now() < end, `${what} (editor: ${JSON.stringify(e)})`);
      await p.waitForTimeout(100);
    }
  }
  for (const p of [a, b]) {
    await p.mouse.click(probe.x, probe.y);
    await waitEditing(p, (e) => e?.id !== undefined, 'a click on the drawn note opens it');
  }
  const comment = (p: Page) => inNotesUi<string>(p, "return ui.querySelector('textarea[name=comment]').value");

  await a.bringToFront();
  await a.waitForTimeout(200);
  await a.keyboard.press('ControlOrMeta+A');
  await a.keyboard.type('Sabalan leads the patrol (edited in tab 1)');
  await a.keyboard.press('Tab');
  await a.keyboard.press('Enter');
  await waitEditing(a, (e) => e === null, 'tab 1 saved');

  await b.bringToFront();
  await b.waitForTimeout(200);
  await b.keyboard.press('ControlOrMeta+A');
  await b.keyboard.type('Sabalan leads the patrol (draft in tab 2)');
  await b.keyboard.press('Tab');
  await b.keyboard.press('Enter');
  await waitEditing(b, (e) => e?.conflict === true, 'tab 2, saving from the older copy, is told of the conflict');
  assert.match((await editingOf(b))!.error!, /another tab/);
  assert.equal(await comment(b), 'Sabalan leads the patrol (draft in tab 2)', 'the draft stays in the field');

  await inNotesUi(b, "ui.querySelector('button.load-latest').click()");
  const end = Date.now() + 5000;
  while ((await comment(b)) !== 'Sabalan leads the patrol (edited in tab 1)') {
    assert.ok(Date.now() < end, 'the latest version is loaded into the editor');
    await b.waitForTimeout(100);
  }
  assert.equal(await inNotesUi<string>(b, "return ui.querySelector('[data-kept-draft] blockquote').textContent"), 'Sabalan leads the patrol (draft in tab 2)', 'the draft is kept beside it');
  await inNotesUi(b, "ui.querySelector('button.restore-draft').click()");
  await b.waitForTimeout(100);
  assert.equal(await comment(b), 'Sabalan leads the patrol (draft in tab 2)');
  await inNotesUi(b, "ui.querySelector('button.primary').click()");
  await waitEditing(b, (e) => e === null, 'saving from the latest version succeeds');

  const notes = await browser.context.newPage();
  await notes.goto(extUrl(browser, 'notes.html'));
  await notes.locator('article.note').first().waitFor();
  assert.equal(await notes.locator('article.note').count(), 1);
  assert.match(await notes.locator('article.note').innerText(), /\(draft in tab 2\)/);
  assert.match(await notes.locator('article.note').innerText(), /#navy/);
  await Promise.all([a.close(), b.close(), notes.close()]);
});

test('the notes page refuses a stale edit as the in-page editor does: the latest version loads and the draft is kept', async () => {
  const [a, b] = [await browser.context.newPage(), await browser.context.newPage()];
  for (const p of [a, b]) {
    await p.goto(extUrl(browser, 'notes.html'));
    await p.locator('article.note button.edit').first().click();
    await p.locator('textarea[name=comment]').waitFor();
  }
  const comment = (p: Page) => p.locator('textarea[name=comment]').inputValue();
  await b.locator('textarea[name=comment]').fill('Sabalan leads the patrol (notes page B)');
  await b.locator('.note-editor button.primary').click();
  await b.locator('textarea[name=comment]').waitFor({ state: 'detached' });

  await a.locator('textarea[name=comment]').fill('Sabalan leads the patrol (notes page A)');
  await a.locator('.note-editor button.primary').click();
  await a.locator('.note-editor .error').waitFor();
  assert.match(await a.locator('.note-editor .error').innerText(), /another tab/);
  assert.equal(await comment(a), 'Sabalan leads the patrol (notes page A)', 'the draft stays in the field');

  await a.locator('button.load-latest').click();
  const end = Date.now() + 5000;
  while ((await comment(a)) !== 'Sabalan leads the patrol (notes page B)') {
    assert.ok(Date.now() < end, 'the latest version is loaded into the editor');
    await a.waitForTimeout(100);
  }
  assert.equal(await a.locator('[data-kept-draft] blockquote').innerText(), 'Sabalan leads the patrol (notes page A)', 'the draft is kept beside it');
  await a.locator('button.restore-draft').click();
  assert.equal(await comment(a), 'Sabalan leads the patrol (notes page A)');
  await a.locator('.note-editor button.primary').click();
  await a.locator('textarea[name=comment]').waitFor({ state: 'detached' });
  assert.match(await a.locator('article.note').first().innerText(), /\(notes page A\)/);
  assert.match(await a.locator('article.note').first().innerText(), /#navy/);
  await Promise.all([a.close(), b.close()]);
});

test('the hover card\'s "Add note" (notes.compose) opens the editor on the hovered mention, with the entity linked', async () => {
  const page = await browser.context.newPage();
  await page.setViewportSize({ width: 1200, height: 800 });
  const corpusUrl = server.url('corpus', '004_en_baqeri_moscow.html');
  await page.goto(corpusUrl);
  await waitForEntityHighlights(page, 1, 20_000);
  await hoverEntity(page, browser.extensionId, 'mohammad-bagheri');
  assert.equal(await notesCodeAfterLoad(page), false, 'no notes code on this page (no notes, nothing selected) until "Add note"');
  // What the card's button sends (entrypoints/content.ts), from the content script's world.
  const exact = await isolatedEval<string>(page, browser.extensionId, `globalThis.__attache.snapshot().find(s => s.id === 'mohammad-bagheri').text`);
  const answer = await isolatedEval<{ ok: boolean }>(
    page,
    browser.extensionId,
    `chrome.runtime.sendMessage({ rpc: 1, method: 'notes.compose', params: { entity: 'mohammad-bagheri', exact: ${JSON.stringify(exact)}, url: location.href } })`,
  );
  assert.equal(answer.ok, true);
  await page.waitForTimeout(300);
  await page.keyboard.type('Chief of staff in Moscow');
  await page.keyboard.press('Tab');
  await page.keyboard.press('Enter');
  const end = Date.now() + 8000;
  while (!(await noteHighlights(page)).includes(exact)) {
    assert.ok(Date.now() < end, `the note on ${exact} was not drawn`);
    await page.waitForTimeout(150);
  }

  const notes = await browser.context.newPage();
  await notes.goto(extUrl(browser, 'notes.html'));
  const note = notes.locator('article.note', { hasText: 'Chief of staff in Moscow' });
  await note.waitFor();
  assert.match(await note.locator('.entities').innerText(), /Mohammad Bagheri/);
  // Leave the list as the export test expects it: one note.
  await note.locator('button.delete').click();
  await note.waitFor({ state: 'detached' });
  await notes.close();
  await page.close();
});

test('the notes page exports Markdown, CSV and JSON, deletes with undo, and filters', async () => {
  const notes = await browser.context.newPage();
  await notes.goto(extUrl(browser, 'notes.html'));
  await notes.locator('article.note').waitFor();
  const row = notes.locator('.export-row[data-scope="all"]');

  const md = await download(notes, () => row.locator('button[data-format="markdown"]').click());
  assert.match(md.name, /\.md$/);
  assert.ok(md.text.includes(QUOTE) && md.text.includes('Sabalan leads the patrol'), md.text);

  const csv = await download(notes, () => row.locator('button[data-format="csv"]').click());
  assert.match(csv.name, /\.csv$/);
  const lines = csv.text.replace(/^\uFEFF/, '').trim().split('\r\n');
  assert.equal(lines.length, 2);
  assert.ok(lines[0]!.startsWith('id,page,url,title,quote'));
  assert.ok(lines[1]!.includes(QUOTE) && lines[1]!.includes('navy;Gulf of Oman'));

  const json = await download(notes, () => row.locator('button[data-format="json"]').click());
  const collection = JSON.parse(json.text);
  assert.equal(collection.type, 'AnnotationCollection');
  assert.equal(collection.first.items.length, 1);
  const selectors = collection.first.items[0].target.selector;
  assert.ok(selectors.some((s: { type: string; exact?: string }) => s.type === 'TextQuoteSelector' && s.exact === QUOTE));
  jsonExport = json.text;

  const backup = await download(notes, () => notes.locator('button.backup').click());
  const doc = JSON.parse(backup.text);
  assert.equal(doc.format, 'attache-backup');
  assert.equal(doc.notes.length, 1);
  backupFile = backup.text;

  // Filters: a tag that matches, a text that does not.
  await notes.locator('select[name="tag"]').selectOption('navy');
  assert.equal(await notes.locator('article.note').count(), 1);
  await notes.locator('input[name="text"]').fill('submarine');
  await notes.locator('article.note').waitFor({ state: 'detached' });
  await notes.locator('input[name="text"]').fill('');
  await notes.locator('article.note').waitFor();

  // Delete, then undo.
  await notes.locator('article.note button.delete').click();
  await notes.locator('article.note').waitFor({ state: 'detached' });
  await notes.locator('button.undo').click();
  await notes.locator('article.note').waitFor();
  assert.match(await notes.locator('article.note').innerText(), /Sabalan leads the patrol/);
  await notes.close();
});

test('a fresh profile imports the JSON export; an invalid file changes nothing and says where', async () => {
  assert.ok(jsonExport, 'needs the export of the previous test');
  const fresh = await launchBrowser();
  try {
    const notes = await fresh.context.newPage();
    await notes.goto(extUrl(fresh, 'notes.html'));
    const input = notes.locator('input[name="import"]');

    const broken = JSON.parse(jsonExport);
    delete broken.first.items[0].target;
    await input.setInputFiles({ name: 'broken.jsonld', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(broken)) });
    await notes.locator('.problems li').first().waitFor();
    assert.match(await notes.locator('.problems').innerText(), /\$\.first\.items\[0\]\.target/);
    assert.equal(await notes.locator('article.note').count(), 0);

    await input.setInputFiles({ name: 'notes.jsonld', mimeType: 'application/json', buffer: Buffer.from(jsonExport) });
    await notes.locator('.status').waitFor();
    await notes.locator('article.note').waitFor();
    assert.match(await notes.locator('article.note').innerText(), /Sabalan leads the patrol/);
    assert.match(await notes.locator('.status').innerText(), /1 new/);

    // Restoring the backup merges by id: the note is already there, nothing doubles.
    await notes.locator('input[name="restore"]').setInputFiles({ name: 'backup.json', mimeType: 'application/json', buffer: Buffer.from(backupFile) });
    await notes.locator('.status', { hasText: 'Restored' }).waitFor();
    assert.equal(await notes.locator('article.note').count(), 1);

    // Importing the same file again: still one note.
    await input.setInputFiles({ name: 'notes.jsonld', mimeType: 'application/json', buffer: Buffer.from(jsonExport) });
    await notes.locator('.status', { hasText: '1 already there' }).waitFor();
    assert.equal(await notes.locator('article.note').count(), 1);
  } finally {
    await fresh.close();
  }
});
