/**
 * Notes in a real browser: select text, Annotate, write a comment and tags, save; the note is
 * re-anchored after a reload, after a slight edit of the page text, and when its paragraph arrives
 * late; a note whose text is gone is listed as orphaned. Then the notes page exports it (Markdown,
 * CSV, JSON through real downloads), deletes with undo, and a fresh profile imports the JSON back.
 * The fixture article is written here (not corpus text).
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, test } from 'node:test';
import type { Download, Page } from 'playwright-core';
import { hoverEntity, isolatedEval, launchBrowser, startServer, type TestBrowser, type TestServer } from './harness';

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

/** Text of the note highlights the extension painted (CSS highlight registry, shared with the page). */
async function noteHighlights(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const h = CSS.highlights.get('attache-note');
    return h ? [...h].map((r) => (r as Range).toString()) : [];
  });
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
  await page.waitForFunction(() => CSS.highlights.has('attache-note'));

  const button = await select(page, 'article p:nth-of-type(2)', QUOTE);
  await page.waitForTimeout(200);
  await page.mouse.click(button.x, button.y);
  await page.waitForTimeout(300);
  await page.keyboard.type('Sabalan leads the patrol');
  await page.keyboard.press('Tab');
  await page.keyboard.type('navy, Gulf of Oman');
  await page.keyboard.press('Enter');
  await waitForHighlights(page, [QUOTE]);

  await page.reload();
  await waitForHighlights(page, [QUOTE]);

  setArticle(V2);
  await page.reload();
  await waitForHighlights(page, [EDITED]);

  setArticle(V3);
  await page.reload();
  await page.waitForFunction(() => CSS.highlights.has('attache-note'));
  assert.deepEqual(await noteHighlights(page), [], 'not there before the paragraph arrives');
  await waitForHighlights(page, [QUOTE]);

  setArticle(V4);
  await page.reload();
  await page.waitForFunction(() => CSS.highlights.has('attache-note'));
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

test('the hover card\'s "Add note" (notes.compose) opens the editor on the hovered mention, with the entity linked', async () => {
  const page = await browser.context.newPage();
  await page.setViewportSize({ width: 1200, height: 800 });
  const corpusUrl = server.url('corpus', '004_en_baqeri_moscow.html');
  await page.goto(corpusUrl);
  await hoverEntity(page, browser.extensionId, 'mohammad-bagheri');
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
  await page.waitForFunction((q) => [...(CSS.highlights.get('attache-note') ?? [])].some((r) => (r as Range).toString() === q), exact);

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
