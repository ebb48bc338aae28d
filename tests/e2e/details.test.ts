/**
 * The details page in a real browser: Mohammad Bagheri's timeline and relationship graph (Shoigu,
 * Wei Fenghe and, through his partners, the Shanghai Cooperation Organisation), the year window
 * filtering both, a click on a graph node opening that entity without a reload, and the page-level
 * view of a corpus page told as sentences. Saves screenshots under screenshots/.
 */
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';
import type { Page } from 'playwright-core';
import { launchBrowser, ROOT, startServer, type TestBrowser, type TestServer } from './harness';

const SHOTS = path.join(ROOT, 'screenshots');
let browser: TestBrowser;
let server: TestServer;

before(async () => {
  mkdirSync(SHOTS, { recursive: true });
  [browser, server] = await Promise.all([launchBrowser(), startServer()]);
});
after(async () => {
  await browser?.close();
  await server?.close();
});

const extUrl = (p: string) => `chrome-extension://${browser.extensionId}/${p}`;

/** Ids of the nodes cytoscape draws (the instance is exposed on its container for tests). */
function graphNodes(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const el = document.querySelector('.graph-canvas') as (HTMLElement & { cy?: { nodes(): { map(f: (n: { id(): string }) => string): string[] } } }) | null;
    return el?.cy ? el.cy.nodes().map((n) => n.id()) : [];
  });
}

async function openDetails(id: string): Promise<Page> {
  const page = await browser.context.newPage();
  await page.setViewportSize({ width: 1360, height: 1000 });
  await page.goto(extUrl(`details.html#${id}`));
  await page.locator(`.entity-view[data-entity="${id}"]`).waitFor({ timeout: 15_000 });
  await page.waitForFunction(() => (document.querySelector('.graph-canvas') as HTMLElement & { cy?: unknown })?.cy !== undefined);
  return page;
}

test('Bagheri: header, timeline by year and a graph with Shoigu, Wei Fenghe and the SCO', async () => {
  const page = await openDetails('mohammad-bagheri');
  assert.equal(await page.locator('.entity-header .entity-name').innerText(), 'Mohammad Bagheri');
  assert.match(await page.locator('.entity-header .roles').innerText(), /Chief of Staff/);

  const years = (await page.locator('.timeline .year').allInnerTexts()).map(Number);
  assert.ok(years.length >= 5, `years: ${years}`);
  assert.deepEqual(years, [...years].sort((a, b) => b - a), 'years newest first');
  const events = await page.locator('.timeline li.event').evaluateAll((els) => els.map((el) => el.getAttribute('data-event')));
  assert.ok(events.includes('2021-10-19-bagheri-meets-shoigu') && events.includes('2022-04-27-wei-fenghe-visit-to-tehran'), events.join());
  // Participants and sources are links.
  const moscow = page.locator('li.event[data-event="2021-10-19-bagheri-meets-shoigu"]');
  assert.ok(await moscow.locator('a[data-entity="sergei-shoigu"]').count());
  assert.match((await moscow.locator('.event-sources a').first().getAttribute('href')) ?? '', /^https:\/\//);

  const nodes = await graphNodes(page);
  for (const id of ['mohammad-bagheri', 'sergei-shoigu', 'wei-fenghe', 'shanghai-cooperation-organisation']) assert.ok(nodes.includes(id), `${id} not in graph: ${nodes.join()}`);
  // The same graph as text under the canvas.
  assert.equal(await page.locator('.graph-list li[data-node="shanghai-cooperation-organisation"]').getAttribute('data-ring'), '2');
  await page.waitForTimeout(300);
  await page.screenshot({ path: path.join(SHOTS, 'details-mohammad-bagheri.png'), fullPage: true });
  await page.locator('.graph-section').screenshot({ path: path.join(SHOTS, 'details-mohammad-bagheri-graph.png') });
  await page.close();
});

test('the year window filters the timeline and the graph together', async () => {
  const page = await openDetails('mohammad-bagheri');
  await page.locator('select[name="from"]').selectOption('2021');
  await page.locator('select[name="to"]').selectOption('2021');
  await page.waitForFunction(() => [...document.querySelectorAll('.timeline .year')].every((y) => y.textContent === '2021'));
  assert.deepEqual(await page.locator('.timeline .year').allInnerTexts(), ['2021']);
  assert.equal(await page.locator('.timeline li.event').count(), 3);
  const nodes = await graphNodes(page);
  assert.ok(nodes.includes('sergei-shoigu') && nodes.includes('valery-gerasimov'), nodes.join());
  assert.ok(!nodes.includes('wei-fenghe'), 'Wei Fenghe met Bagheri in 2022 only');
  // A click on a year bar zooms on that year.
  await page.locator('.year-bar[title^="2022"]').click();
  await page.waitForFunction(() => document.querySelector('.timeline .year')?.textContent === '2022');
  assert.ok((await graphNodes(page)).includes('wei-fenghe'));
  await page.getByRole('button', { name: 'All years' }).click();
  await page.waitForFunction(() => document.querySelectorAll('.timeline .year').length > 3);
  await page.close();
});

test('clicking a graph node opens that entity by hash change, without reloading', async () => {
  const page = await openDetails('mohammad-bagheri');
  await page.evaluate(() => ((window as unknown as { marker: number }).marker = 42));
  // Scroll first and let cytoscape see the scroll event (it caches where its container is).
  await page.locator('.graph-canvas').evaluate((el) => el.scrollIntoView({ block: 'start' }));
  await page.waitForTimeout(200);
  const point = await page.evaluate(() => {
    const el = document.querySelector('.graph-canvas') as HTMLElement & { cy: { $id(id: string): { renderedPosition(): { x: number; y: number } } } };
    const p = el.cy.$id('sergei-shoigu').renderedPosition();
    const b = el.getBoundingClientRect();
    return { x: b.left + p.x, y: b.top + p.y };
  });
  await page.mouse.click(point.x, point.y);
  await page.locator('.entity-view[data-entity="sergei-shoigu"]').waitFor({ timeout: 5000 });
  assert.equal(new URL(page.url()).hash, '#sergei-shoigu');
  assert.equal(await page.evaluate(() => (window as unknown as { marker?: number }).marker), 42, 'the page was reloaded');
  assert.ok((await graphNodes(page)).includes('mohammad-bagheri'));
  // Links in the timeline navigate the same way.
  await page.locator('.timeline a[data-entity="mohammad-bagheri"]').first().click();
  await page.locator('.entity-view[data-entity="mohammad-bagheri"]').waitFor();
  assert.equal(await page.evaluate(() => (window as unknown as { marker?: number }).marker), 42);
  await page.close();
});

test('page view: the actors of a corpus page and the events linking them, as sentences', async () => {
  const article = await browser.context.newPage();
  const url = server.url('corpus', '004_en_baqeri_moscow.html');
  await article.goto(url);
  const sw = await browser.serviceWorker();
  let tabId: number | undefined;
  for (let i = 0; i < 50 && tabId === undefined; i++) {
    tabId = await sw.evaluate(async (u) => {
      const tabs = (globalThis as unknown as { chrome: { tabs: { query(q: object): Promise<{ id?: number; url?: string }[]> } } }).chrome.tabs;
      return (await tabs.query({})).find((t) => t.url === u)?.id;
    }, url);
    if (tabId === undefined) await article.waitForTimeout(100);
  }
  assert.ok(tabId !== undefined);
  const view = await browser.context.newPage();
  await view.setViewportSize({ width: 1200, height: 900 });
  let sentences: string[] = [];
  for (let i = 0; i < 20 && sentences.length === 0; i++) {
    await view.goto(extUrl(`details.html?tab=${tabId}`));
    await view.locator('.page-view, .notice').first().waitFor();
    sentences = await view.locator('.page-sentences .sentence').allInnerTexts();
    if (sentences.length === 0) await view.waitForTimeout(300);
  }
  assert.ok(sentences.includes('Bagheri and Shoigu met in Moscow, Oct 2021'), sentences.join('\n'));
  assert.ok(await view.locator('.page-actors a[data-entity="mohammad-bagheri"]').count());
  await view.screenshot({ path: path.join(SHOTS, 'details-page-view.png'), fullPage: true });
  // From the page view to an actor and back.
  await view.locator('.page-actors a[data-entity="sergei-shoigu"]').click();
  await view.locator('.entity-view[data-entity="sergei-shoigu"]').waitFor();
  await view.locator('a.back').click();
  await view.locator('.page-sentences').waitFor();
  await view.close();
  await article.close();
});

test('an organisation shows its parties and graph; an unknown id says so', async () => {
  const page = await openDetails('shanghai-cooperation-organisation');
  const parties = await page.locator('.facts dd a[data-entity]').evaluateAll((els) => els.map((a) => a.getAttribute('data-entity')));
  assert.ok(parties.includes('iran') && parties.includes('china') && parties.includes('russia'), parties.join());
  const nodes = await graphNodes(page);
  assert.ok(nodes.includes('iran') && nodes.includes('ebrahim-raisi'), nodes.join());
  await page.evaluate(() => (location.hash = '#no-such-entity'));
  await page.locator('.notice', { hasText: 'no-such-entity' }).waitFor();
  await page.close();
});
