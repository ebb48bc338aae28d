/**
 * Hostile and strange pages, in a real Chromium with the built extension (pages under
 * tests/fixtures/hostile/, big ones generated here):
 * - markup written as text — in the page, its title, a note's quote, comment and tags, an imported
 *   note, a user-added entity's name — never runs: `window.__pwned` stays unset in the page and in
 *   every extension page that shows it, no element from the markup appears, no dialog opens;
 * - a page that breaks its world's built-ins, open and closed shadow roots, a frame, SVG text, a
 *   5 MB article, 200 000 text nodes and 10 000 mutations a second: the page's own timers keep
 *   ticking, it answers an evaluation within 1 s, the extension's long tasks (PerformanceObserver
 *   'longtask' from the page) stay under 200 ms each, highlights appear (with the "page cut" notice
 *   when the text is over the cap), and the closed shadow root the page keeps is left alone.
 *
 * Evaluations in the page's world go through CDP `Runtime.evaluate` (returnByValue): a page that
 * broke `JSON` or `Promise` cannot break the test's own reading.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { CDPSession, Page } from 'playwright-core';
import { hoverEntity, isolatedEval, launchBrowser, ROOT, startServer, type TestBrowser, type TestServer } from './harness';

const HOSTILE = path.join(ROOT, 'tests', 'fixtures', 'hostile');
/** Budget per long task; the shared 2-core machine under load measured 55-250 ms on these pages. */
const LONG_TASK_MS = Number(process.env.ATTACHE_LONG_TASK_BUDGET_MS ?? 200);
const ANSWER_MS = 1000;

let browser: TestBrowser;
let server: TestServer;
const dialogs: string[] = [];

/** Installed before any page script: long tasks, and `__pwned` as a tripwire that also counts. */
const PROBE = `(() => {
  const tasks = []; let n = 0;
  window.__longtasks = tasks;
  try {
    new PerformanceObserver((list) => { for (const e of list.getEntries()) tasks[n++] = [e.startTime, e.duration]; }).observe({ type: 'longtask', buffered: true });
  } catch {}
})();`;

before(async () => {
  [browser, server] = await Promise.all([launchBrowser(), startServer()]);
  for (const f of readdirSync(HOSTILE)) server.generated.set(`hostile/${f}`, readFileSync(path.join(HOSTILE, f), 'utf8'));
  await browser.context.addInitScript({ content: PROBE });
  browser.context.on('dialog', (d) => {
    dialogs.push(`${d.type()}: ${d.message()}`);
    void d.dismiss();
  });
});
after(async () => {
  await browser?.close();
  await server?.close();
});

const url = (file: string) => `${server.origin}/generated/hostile/${file}`;
const extUrl = (file: string) => `chrome-extension://${browser.extensionId}/${file}`;

const sessions = new WeakMap<Page, CDPSession>();
/** Evaluates in the page's main world through CDP; returns the value and how long the answer took. */
async function mainEval<T>(page: Page, expression: string): Promise<{ value: T; ms: number }> {
  let cdp = sessions.get(page);
  if (!cdp) {
    cdp = await page.context().newCDPSession(page);
    sessions.set(page, cdp);
  }
  const t0 = performance.now();
  const r = await cdp.send('Runtime.evaluate', { expression, returnByValue: true, awaitPromise: false });
  const ms = performance.now() - t0;
  if (r.exceptionDetails) throw new Error(`page eval failed: ${r.exceptionDetails.exception?.description ?? r.exceptionDetails.text}`);
  return { value: r.result.value as T, ms };
}

/** Painted `attache-*` ranges, counted without any built-in a page could break (plain loops). */
const PAINTED = `(() => { let n = 0; for (const [name, h] of CSS.highlights) if (name.indexOf('attache-') === 0) n += h.size; return n; })()`;

async function waitPainted(page: Page, min = 1, timeout = 20_000): Promise<number> {
  const end = Date.now() + timeout;
  for (;;) {
    const { value } = await mainEval<number>(page, PAINTED);
    if (value >= min) return value;
    if (Date.now() > end) throw new Error(`only ${value} highlights after ${timeout} ms`);
    await page.waitForTimeout(100);
  }
}

/** Markup from the fixtures that would create these if it ever ran or were parsed as HTML. */
const INJECTED = 'img[src="x"], [onerror], [onload], [onmouseover], iframe[srcdoc*="__pwned"], script:not([src])';

/** `__pwned`, and elements made from the markup, in the page's DOM and every open shadow root. */
async function tripwires(page: Page): Promise<{ pwned: unknown; injected: number }> {
  const { value } = await mainEval<{ pwned: unknown; injected: number }>(
    page,
    `(() => {
      let injected = 0;
      const visit = (root) => {
        for (const el of root.querySelectorAll(${JSON.stringify(INJECTED)})) {
          // The page's own inline scripts are in the fixture on purpose; only new ones count.
          if (el.tagName === 'SCRIPT' && el.textContent.indexOf('__pwned') < 0) continue;
          injected++;
        }
        for (const el of root.querySelectorAll('*')) if (el.shadowRoot) visit(el.shadowRoot);
      };
      visit(document);
      return { pwned: window.__pwned, injected };
    })()`,
  );
  return value;
}

async function assertInert(page: Page, where: string): Promise<void> {
  const t = await tripwires(page);
  assert.equal(t.pwned, undefined, `${where}: markup ran (__pwned = ${String(t.pwned)})`);
  assert.equal(t.injected, 0, `${where}: ${t.injected} element(s) made from markup text`);
  assert.deepEqual(dialogs, [], `${where}: a dialog opened`);
}

/** The page is alive: its timer advances and it answers quickly. */
async function assertResponsive(page: Page, where: string, counter = '__ticks'): Promise<void> {
  const a = await mainEval<number>(page, `window.${counter}`);
  await page.waitForTimeout(500);
  const b = await mainEval<number>(page, `window.${counter}`);
  assert.ok(a.ms < ANSWER_MS && b.ms < ANSWER_MS, `${where}: the page took ${Math.round(Math.max(a.ms, b.ms))} ms to answer`);
  assert.ok(b.value > a.value, `${where}: the page's own timer stopped (${a.value} → ${b.value})`);
}

async function waitScanStarted(page: Page, timeout = 20_000): Promise<void> {
  const end = Date.now() + timeout;
  while ((await isolatedEval<{ scanStart: number } | null>(page, browser.extensionId, 'globalThis.__attache ? globalThis.__attache.timings : null').catch(() => null))?.scanStart ? false : Date.now() < end) {
    await page.waitForTimeout(100);
  }
}

/** Long tasks since the content script started scanning, ms. */
async function longTasksSinceScan(page: Page): Promise<number[]> {
  const scanStart = (await isolatedEval<{ scanStart: number }>(page, browser.extensionId, 'globalThis.__attache.timings')).scanStart;
  const { value } = await mainEval<[number, number][]>(page, 'window.__longtasks');
  return value.filter(([start, d]) => start + d >= scanStart).map(([, d]) => Math.round(d));
}

async function assertWithinBudget(page: Page, where: string): Promise<number[]> {
  const tasks = await longTasksSinceScan(page);
  assert.ok(tasks.every((d) => d < LONG_TASK_MS), `${where}: long tasks of ${JSON.stringify(tasks)} ms (budget ${LONG_TASK_MS} ms each)`);
  return tasks;
}

async function tabIdOf(pageUrl: string): Promise<number> {
  const sw = await browser.serviceWorker();
  const id = await sw.evaluate(async (u) => {
    const { chrome } = globalThis as unknown as { chrome: { tabs: { query(q: object): Promise<{ id?: number; url?: string }[]> } } };
    return (await chrome.tabs.query({})).find((t) => t.url === u)?.id;
  }, pageUrl);
  if (typeof id !== 'number') throw new Error(`no tab for ${pageUrl}`);
  return id;
}

/** Calls the background from an extension page, as the notes page and explorer do. */
async function rpcFrom(page: Page, method: string, params: unknown): Promise<{ ok: boolean; value?: unknown; error?: { code: string; message: string } }> {
  return page.evaluate(
    ([m, p]) => (globalThis as unknown as { chrome: { runtime: { sendMessage(x: unknown): Promise<never> } } }).chrome.runtime.sendMessage({ rpc: 1, method: m, params: p }),
    [method, params] as const,
  );
}

describe('markup is text, wherever it comes from', () => {
  const COMMENT = `<img src=x onerror="window.__pwned='comment'"> <script>window.__pwned='comment-script'</script>`;
  const TAG = `<b onmouseover="window.__pwned='tag'">tag</b>`;

  test('in the page text, title and attributes: highlighting and the hover card run none of it', { timeout: 30_000 }, async () => {
    const page = await browser.context.newPage();
    await page.setViewportSize({ width: 1200, height: 800 });
    await page.goto(url('markup.html'));
    await waitPainted(page);
    await isolatedEval(page, browser.extensionId, 'globalThis.__attache.idle()');
    await hoverEntity(page, browser.extensionId, 'mohammad-bagheri');
    await page.waitForTimeout(300);
    await assertInert(page, 'markup page');
    await page.close();
  });

  test('in a note: quote, comment and tags shown on the page, in the popup and on the notes page run none of it', { timeout: 45_000 }, async () => {
    const page = await browser.context.newPage();
    await page.setViewportSize({ width: 1200, height: 800 });
    await page.goto(url('markup.html'));
    await waitPainted(page);
    await hoverEntity(page, browser.extensionId, 'mohammad-bagheri');
    // The quote: the first paragraph's text, markup characters included, as a selection would give it.
    const exact = await mainEval<string>(page, `document.getElementById('quote').textContent`);
    assert.match(exact.value, /<img src=x onerror=/);
    const compose = await isolatedEval<{ ok: boolean }>(
      page,
      browser.extensionId,
      `chrome.runtime.sendMessage({ rpc: 1, method: 'notes.compose', params: { entity: 'mohammad-bagheri', exact: ${JSON.stringify(exact.value)}, url: location.href } })`,
    );
    assert.equal(compose.ok, true, 'the note editor opened');
    await page.waitForTimeout(300);
    await page.keyboard.type(COMMENT);
    await page.keyboard.press('Tab');
    await page.keyboard.type(TAG);
    await page.keyboard.press('Enter');
    await page.waitForTimeout(500);
    await assertInert(page, 'page after saving the note');

    const notes = await browser.context.newPage();
    await notes.goto(extUrl('notes.html'));
    await notes.locator('article.note', { hasText: "window.__pwned='comment'" }).waitFor({ timeout: 8000 });
    assert.ok((await notes.locator('article.note').first().innerText()).includes('<img src=x onerror='), 'the comment is shown as the text it is');
    await assertInert(notes, 'notes page');

    await page.reload();
    await waitPainted(page);
    // Notes are drawn in a closed overlay (not the page-visible CSS.highlights): ask the content script.
    const deadline = Date.now() + 8000;
    while (!(await isolatedEval<boolean>(page, browser.extensionId, '(globalThis.__attacheNotes?.drawn() ?? []).some((d) => d.boxes > 0)'))) {
      assert.ok(Date.now() < deadline, 'the note is re-anchored and drawn within 8 s');
      await page.waitForTimeout(100);
    }
    await assertInert(page, 'page with its note re-anchored');

    const popup = await browser.context.newPage();
    await popup.goto(extUrl(`popup.html?tab=${await tabIdOf(page.url())}`));
    await popup.waitForTimeout(800);
    await assertInert(popup, 'popup');
    await Promise.all([popup.close(), notes.close(), page.close()]);
  });

  test('in an imported note: the notes page lists it as text', { timeout: 30_000 }, async () => {
    const notes = await browser.context.newPage();
    await notes.goto(extUrl('notes.html'));
    const markup = `<img src=x onerror="window.__pwned='import'">`;
    const collection = {
      '@context': 'http://www.w3.org/ns/anno.jsonld',
      type: 'AnnotationCollection',
      total: 1,
      first: {
        type: 'AnnotationPage',
        items: [
          {
            id: 'urn:uuid:7e1d0a00-0000-4000-8000-00000000abcd',
            type: 'Annotation',
            created: '2026-01-01T10:00:00Z',
            body: [
              { type: 'TextualBody', purpose: 'commenting', value: `imported ${markup}` },
              { type: 'TextualBody', purpose: 'tagging', value: markup },
            ],
            target: {
              source: url('markup.html'),
              'dcterms:title': `title ${markup}`,
              selector: [
                { type: 'TextQuoteSelector', exact: 'Wei Fenghe', prefix: '', suffix: '' },
                { type: 'TextPositionSelector', start: 0, end: 10 },
              ],
            },
          },
        ],
      },
    };
    const r = await rpcFrom(notes, 'notes.import', { text: JSON.stringify(collection) });
    assert.equal(r.ok && (r.value as { ok: boolean }).ok, true, JSON.stringify(r));
    await notes.reload();
    await notes.locator('article.note', { hasText: "window.__pwned='import'" }).first().waitFor({ timeout: 8000 });
    await assertInert(notes, 'notes page after import');
    await notes.close();
  });

  test("in a user-added entity's name: the highlight, its card, the details and explorer pages run none of it", { timeout: 45_000 }, async (t) => {
    const ext = await browser.context.newPage();
    await ext.goto(extUrl('notes.html'));
    const name = `Ali <b onmouseover="window.__pwned='hover'">Evil</b> Khan`;
    const added = await rpcFrom(ext, 'kb.addUserEntity', { name, type: 'person', sourceUrl: url('markup.html'), lang: 'en' });
    if (!added.ok) {
      // Refusing such a name is safe too; say so and stop here.
      assert.equal(added.error?.code, 'invalid', JSON.stringify(added));
      await ext.close();
      return;
    }
    const id = (added.value as { id: string }).id;
    const page = await browser.context.newPage();
    await page.setViewportSize({ width: 1200, height: 800 });
    await page.goto(url('markup.html'));
    await waitPainted(page);
    await isolatedEval(page, browser.extensionId, 'globalThis.__attache.idle()');
    const ids = await isolatedEval<string[]>(page, browser.extensionId, 'globalThis.__attache.snapshot().map(s => s.id)');
    t.diagnostic(`user entity ${id} added; highlighted on the page: ${ids.includes(id)}`);
    if (ids.includes(id)) await hoverEntity(page, browser.extensionId, id);
    await page.waitForTimeout(300);
    await assertInert(page, 'page with the user entity highlighted');
    for (const file of [`details.html#${encodeURIComponent(id)}`, 'explorer.html']) {
      await ext.goto(extUrl(file));
      await ext.waitForTimeout(1000);
      await assertInert(ext, file);
    }
    await Promise.all([ext.close(), page.close()]);
  });

  test('control: the same text put into the page as HTML does trip the wires', { timeout: 20_000 }, async () => {
    const page = await browser.context.newPage();
    await page.goto(url('markup.html'));
    await mainEval(page, `document.body.insertAdjacentHTML('beforeend', document.getElementById('quote').textContent)`);
    await page.waitForFunction(() => (window as unknown as { __pwned?: string }).__pwned !== undefined, undefined, { timeout: 5000 });
    const t = await tripwires(page);
    assert.equal(t.pwned, 'text');
    assert.equal(t.injected, 1);
    await page.close();
  });
});

describe('strange pages keep working, and so does the extension', () => {
  test('a page that broke Array, Node, fetch, JSON, Promise, timers and Object.defineProperty in its world', { timeout: 30_000 }, async () => {
    const page = await browser.context.newPage();
    await page.goto(url('builtins.html'));
    const painted = await waitPainted(page);
    assert.ok(painted >= 3, `highlights on the page: ${painted}`);
    const ids = await isolatedEval<string[]>(page, browser.extensionId, 'globalThis.__attache.snapshot().map(s => s.id)');
    assert.ok(ids.includes('wei-fenghe') && ids.includes('mohammad-bagheri'), JSON.stringify(ids));
    await assertResponsive(page, 'built-ins page');
    await assertWithinBudget(page, 'built-ins page');
    await page.close();
  });

  test('open and closed shadow roots, a srcdoc frame and SVG text: the page and its closed root are left as they were', { timeout: 30_000 }, async (t) => {
    const page = await browser.context.newPage();
    await page.goto(url('shadow.html'));
    const before = await mainEval<{ text: string; nodes: number }>(page, '({ text: window.__closedText(), nodes: window.__closedNodes() })');
    await waitPainted(page);
    await isolatedEval(page, browser.extensionId, 'globalThis.__attache.idle()');
    await page.waitForTimeout(500);
    const afterwards = await mainEval<{ text: string; nodes: number }>(page, '({ text: window.__closedText(), nodes: window.__closedNodes() })');
    assert.deepEqual(afterwards.value, before.value, 'the closed shadow root is untouched');
    await assertResponsive(page, 'shadow page');
    await assertResponsive(page, 'srcdoc frame', '__frameTicks');
    await assertWithinBudget(page, 'shadow page');
    const texts = await isolatedEval<string[]>(page, browser.extensionId, 'globalThis.__attache.snapshot().map(s => s.text + " @ " + (s.range.startContainer.getRootNode() === document ? "document" : "shadow"))');
    assert.ok(texts.some((s) => s.startsWith('Wei Fenghe @ document')), JSON.stringify(texts));
    t.diagnostic(`highlighted: ${texts.join('; ')}`);
    await page.close();
  });

  test('a 5 MB article: highlights with the "page cut" notice, no long task over budget, the page answers throughout', { timeout: 60_000 }, async (t) => {
    const para = '<p>Chinese Defence Minister Wei Fenghe met Mohammad Bagheri in Tehran, where officials of Iran and China discussed naval drills in the Gulf of Oman and the memorandum signed in 2016. </p>\n';
    const body = para.repeat(Math.ceil((5 * 1024 * 1024) / para.length));
    server.generated.set('big.html', `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>5 MB</title><script>window.__ticks=0;setInterval(()=>{window.__ticks++},10)</script></head><body><main><article>${body}</article></main></body></html>`);
    const page = await browser.context.newPage();
    await page.goto(`${server.origin}/generated/big.html`, { timeout: 30_000 });
    // Laying out 5 MB is the browser's own work (one long task before any script of ours runs);
    // the page must answer from the moment the content script starts.
    await waitScanStarted(page);
    const answers: number[] = [];
    const end = Date.now() + 4000;
    while (Date.now() < end) {
      answers.push(Math.round((await mainEval<number>(page, 'window.__ticks')).ms));
      await page.waitForTimeout(200);
    }
    await waitPainted(page, 100, 30_000);
    await isolatedEval(page, browser.extensionId, 'globalThis.__attache.idle()');
    const capped = await isolatedEval<boolean>(page, browser.extensionId, 'globalThis.__attache.capped');
    assert.equal(capped, true, 'over the character cap: the reader says the page was cut');
    assert.ok(Math.max(...answers) < ANSWER_MS, `page answers while the extension works: ${JSON.stringify(answers)} ms`);
    await assertResponsive(page, '5 MB page');
    const tasks = await assertWithinBudget(page, '5 MB page');
    t.diagnostic(`long tasks (ms): ${JSON.stringify(tasks)}; painted ${await waitPainted(page)}`);
    await page.close();
  });

  test('200 000 text nodes: highlights, no long task over budget, the page answers', { timeout: 60_000 }, async (t) => {
    const words = ['Iran', 'and', 'China', 'met;', 'Wei Fenghe', 'spoke', 'with', 'Mohammad Bagheri', 'in', 'Tehran.'];
    const spans: string[] = [];
    for (let i = 0; i < 200_000; i++) spans.push(`<span>${words[i % words.length]} </span>`);
    server.generated.set('nodes.html', `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>200k nodes</title><script>window.__ticks=0;setInterval(()=>{window.__ticks++},10)</script></head><body><main><article><p>${spans.join('')}</p></article></main></body></html>`);
    const page = await browser.context.newPage();
    await page.goto(`${server.origin}/generated/nodes.html`, { timeout: 30_000 });
    assert.equal((await mainEval<number>(page, `(() => { let n = 0; const w = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT); while (w.nextNode()) n++; return n; })()`)).value >= 200_000, true);
    await waitPainted(page, 100, 30_000);
    await isolatedEval(page, browser.extensionId, 'globalThis.__attache.idle()');
    await assertResponsive(page, '200k-node page');
    const tasks = await assertWithinBudget(page, '200k-node page');
    t.diagnostic(`long tasks (ms): ${JSON.stringify(tasks)}`);
    await page.close();
  });

  // The page adds 3,300 lines a second and keeps 200: a line lives ~60 ms. Before the fix (build of
  // 20:53 UTC): 2 130 vs 6 947 mutations/s, long tasks 67-220 ms, no highlight in the feed; CDP profile
  // of the page: ~55% in the reader's removeWithin (roots x highlights `contains`), 18% in the page's
  // own removeChild (5,000 live ranges of removed lines, collapsed into #feed and never pruned, which
  // also filled the 5,000 cap). After (21:00 UTC): 9 359-9 656 vs 9 957-10 004 mutations/s in 3 runs alone,
  // 6 962 vs 9 691 within the full suite, no long task, feed lines highlighted.
  // The feed is sampled until a highlight shows there: the reader flushes at most every 250 ms during a
  // storm, so a line can be gone before a single snapshot is taken.
  test('10 000 mutations a second: the page keeps its pace, the extension keeps up within budget', { timeout: 45_000 }, async (t) => {
    const page = await browser.context.newPage();
    await page.goto(url('mutations.html'));
    await waitPainted(page);
    const pace = async () => {
      const a = await mainEval<number>(page, 'window.__mutations');
      const t0 = await mainEval<number>(page, 'performance.now()');
      await page.waitForTimeout(3000);
      const b = await mainEval<number>(page, 'window.__mutations');
      const t1 = await mainEval<number>(page, 'performance.now()');
      const tasks = (await mainEval<[number, number][]>(page, 'window.__longtasks')).value.filter(([st]) => st >= t0.value && st <= t1.value).map(([, d]) => Math.round(d));
      return { perSecond: Math.round((b.value - a.value) / ((t1.value - t0.value) / 1000)), tasks };
    };
    const on = await pace();
    await assertResponsive(page, 'mutation page');
    // Lines named in the snapshot must be in the feed now (the page drops each one ~60 ms after adding it).
    let feed = 0;
    let samples = 0;
    for (const end = Date.now() + 5000; feed === 0 && Date.now() < end; samples++) {
      feed = await isolatedEval<number>(
        page,
        browser.extensionId,
        `globalThis.__attache.snapshot().filter(s => s.range.startContainer.isConnected && s.range.startContainer.parentElement && s.range.startContainer.parentElement.closest('#feed') && /^(Wei Fenghe|Mohammad Bagheri|Iran|China)$/.test(s.text)).length`,
      );
      if (feed === 0) await page.waitForTimeout(20);
    }
    await isolatedEval(page, browser.extensionId, 'globalThis.__attache.stop()');
    const off = await pace();
    t.diagnostic(`reader on: ${on.perSecond} mutations/s, long tasks ${JSON.stringify(on.tasks)} ms; reader stopped: ${off.perSecond}/s, long tasks ${JSON.stringify(off.tasks)} ms; highlights in the live feed: ${feed} (sample ${samples})`);
    assert.ok(feed > 0, 'lines added by the page are highlighted too');
    // The page keeps at least half the pace it has on this machine without the reader.
    assert.ok(on.perSecond >= off.perSecond / 2, `the page slowed from ${off.perSecond} to ${on.perSecond} mutations/s`);
    assert.ok(on.tasks.every((d) => d < LONG_TASK_MS), `long tasks of ${JSON.stringify(on.tasks)} ms with the reader on (budget ${LONG_TASK_MS} ms each)`);
    await page.close();
  });
});
