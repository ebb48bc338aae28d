/**
 * The popup on a real corpus page: the entities found, grouped with counts; Mohammad Bagheri's card
 * with his linked past events (2019 Beijing visit, 2021 Moscow visit, 2022 Tehran meeting with Wei
 * Fenghe), newest first; search across languages; "Also on this page" adding a user entity.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { CHROMIUM, EXTENSION_DIR, ensureBuilt, launchBrowser, startServer, type TestBrowser, type TestServer } from './harness';

let browser: TestBrowser;
let server: TestServer;
const extUrl = (file: string) => `chrome-extension://${browser.extensionId}/${file}`;
before(async () => {
  [browser, server] = await Promise.all([launchBrowser(), startServer()]);
});
after(async () => {
  await browser?.close();
  await server?.close();
});

/** The id of the tab showing `url`, from the extension's service worker. */
async function tabIdOf(url: string): Promise<number> {
  const sw = await browser.serviceWorker();
  const id = await sw.evaluate(async (u) => {
    const { chrome } = globalThis as unknown as { chrome: { tabs: { query(q: object): Promise<{ id?: number; url?: string }[]> } } };
    return (await chrome.tabs.query({})).find((t) => t.url === u)?.id;
  }, url);
  if (typeof id !== 'number') throw new Error(`No tab for ${url}`);
  return id;
}

/**
 * A browser whose interface language is `lang` (the harness's is English). Chromium on Linux takes
 * its UI language from LANGUAGE; --lang covers the other platforms.
 */
async function launchInLanguage(lang: string): Promise<{ context: BrowserContext; url(file: string): string; close(): Promise<void> }> {
  ensureBuilt();
  const profile = mkdtempSync(path.join(tmpdir(), 'attache-e2e-lang-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    locale: lang,
    env: { ...process.env, LANGUAGE: lang, LANG: `${lang}.UTF-8` },
    args: ['--no-sandbox', '--disable-gpu', `--lang=${lang}`, '--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1', `--disable-extensions-except=${EXTENSION_DIR}`, `--load-extension=${EXTENSION_DIR}`],
  });
  const sw = context.serviceWorkers()[0] ?? (await context.waitForEvent('serviceworker', { timeout: 15_000 }));
  const id = new URL(sw.url()).host;
  return {
    context,
    url: (file) => `chrome-extension://${id}/${file}`,
    close: async () => {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

/** Opens the popup for the tab, reopening until the page has been read (the content script is async). */
async function popupFor(tabId: number, entityId: string): Promise<Page> {
  const popup = await browser.context.newPage();
  for (let i = 0; i < 20; i++) {
    await popup.goto(extUrl(`popup.html?tab=${tabId}`));
    const found = await popup
      .locator(`.on-page button.entity[data-entity="${entityId}"]`)
      .waitFor({ timeout: 1000 })
      .then(() => true, () => false);
    if (found) return popup;
  }
  throw new Error(`The popup never listed ${entityId}: ${await popup.locator('main').innerText()}`);
}

test('popup lists the page entities and opens Bagheri with his linked past events', async () => {
  const page = await browser.context.newPage();
  const url = server.url('corpus', '004_en_baqeri_moscow.html');
  await page.goto(url);
  const popup = await popupFor(await tabIdOf(url), 'mohammad-bagheri');

  // Grouped by type, people first here (most mentioned), with counts, most mentioned first.
  const people = popup.locator('.group[data-type="person"] button.entity');
  assert.equal(await people.first().getAttribute('data-entity'), 'mohammad-bagheri');
  const counts = (await people.locator('.mentions').allInnerTexts()).map(Number);
  assert.ok(counts.length >= 2 && counts.every((c, i) => i === 0 || counts[i - 1]! >= c), `counts not sorted: ${counts}`);
  assert.ok(await popup.locator('.group[data-type="country"] button.entity[data-entity="russia"]').count());

  await people.first().click();
  const details = popup.locator('article.details[data-entity="mohammad-bagheri"]');
  await details.waitFor();
  assert.match(await details.locator('.description').innerText(), /\S/);

  const events = details.locator('.timeline li.event');
  const rows = await events.evaluateAll((els) =>
    els.map((el) => ({
      date: el.querySelector('time')?.getAttribute('datetime') ?? '',
      title: el.querySelector('.event-title')?.textContent ?? '',
      with: [...el.querySelectorAll('.participants [data-entity]')].map((a) => a.getAttribute('data-entity')),
      sources: el.querySelectorAll('.sources .source').length,
    })),
  );
  const dates = rows.map((r) => r.date);
  assert.deepEqual([...dates].sort().reverse(), dates, 'timeline is newest first');
  const beijing = rows.find((r) => r.date.startsWith('2019') && /Beijing/.test(r.title));
  const moscow = rows.find((r) => r.date.startsWith('2021') && /Moscow/.test(r.title));
  const tehran = rows.find((r) => r.date.startsWith('2022') && r.with.includes('wei-fenghe'));
  assert.ok(beijing, `no 2019 Beijing visit in ${JSON.stringify(rows)}`);
  assert.ok(moscow, 'no 2021 Moscow visit');
  assert.ok(tehran, 'no 2022 Tehran meeting with Wei Fenghe');
  assert.ok(rows.every((r) => r.sources > 0), 'every event shows its source');
  assert.ok(rows.indexOf(tehran) < rows.indexOf(moscow) && rows.indexOf(moscow) < rows.indexOf(beijing));

  // Related actors are ranked by shared events.
  const shared = await details.locator('.related li .muted').allInnerTexts();
  const n = shared.map((s) => Number(/\d+/.exec(s)?.[0] ?? 1));
  assert.ok(n.length > 0 && n.every((c, i) => i === 0 || n[i - 1]! >= c), `related not ranked: ${shared}`);

  // A participant is a link that opens that entity; Back returns.
  await details.locator('.timeline .participants [data-entity="wei-fenghe"]').first().click();
  await popup.locator('article.details[data-entity="wei-fenghe"]').waitFor();
  await popup.locator('button.back').click();
  await popup.locator('article.details[data-entity="mohammad-bagheri"]').waitFor();
  await popup.close();
  await page.close();
});

test('search finds entities across languages, case and diacritics', async () => {
  const popup = await browser.context.newPage();
  await popup.goto(extUrl('popup.html'));
  const search = popup.locator('input.search');
  for (const [query, id] of [
    ['CHOÏGOU', 'sergei-shoigu'],
    ['باقري', 'mohammad-bagheri'],
    ['wei feng', 'wei-fenghe'],
  ] as const) {
    await search.fill(query);
    await popup.locator(`.search-results button[data-entity="${id}"]`).first().waitFor({ timeout: 3000 });
  }
  await popup.close();
});

test('"Also on this page" offers unknown people and adds one to the knowledge base', async () => {
  server.generated.set(
    'unknown-names.html',
    `<!doctype html><html lang="en"><head><title>Naval talks</title></head><body><article>
     <p>Vice Admiral Sergei Lipovoy met Sergei Shoigu in Moscow on Monday.</p>
     <p>Officials said Sergei Lipovoy would return to Tehran after the talks.</p></article></body></html>`,
  );
  const page = await browser.context.newPage();
  const url = `${server.origin}/generated/unknown-names.html`;
  await page.goto(url);
  const popup = await popupFor(await tabIdOf(url), 'sergei-shoigu');
  const candidate = popup.locator('.also li[data-candidate="Sergei Lipovoy"]');
  await candidate.waitFor({ timeout: 5000 });
  assert.equal(await popup.locator('.also li[data-candidate*="Shoigu"]').count(), 0, 'known people are not offered');
  await candidate.locator('button.add').click();
  await candidate.locator('a.added').click();
  const details = popup.locator('article.details[data-entity="sergei-lipovoy"]');
  await details.waitFor();
  assert.ok(await details.locator('.user-badge').count());
  // The matcher rebuilds: the page's tab state now counts the new entity.
  await popupFor(await tabIdOf(url), 'sergei-lipovoy');
  await popup.close();
  await page.close();
});

test('the popup follows the browser language: Arabic right-to-left, French', async () => {
  for (const [lang, dir, text] of [
    ['ar', 'rtl', 'ابحث عن شخص'],
    ['fr', 'ltr', 'Rechercher une personne'],
  ] as const) {
    const localized = await launchInLanguage(lang);
    try {
      const popup = await localized.context.newPage();
      await popup.goto(localized.url('popup.html'));
      await popup.locator('input.search').waitFor();
      assert.deepEqual(await popup.evaluate(() => [document.documentElement.dir, document.documentElement.lang]), [dir, lang]);
      assert.ok((await popup.locator('input.search').getAttribute('placeholder'))!.startsWith(text));
      await popup.locator('input.search').fill('Bagheri');
      await popup.locator('.search-results button[data-entity="mohammad-bagheri"]').waitFor();
      // Type names are translated too.
      assert.notEqual(await popup.locator('.search-results .kind').first().innerText(), 'Person');
    } finally {
      await localized.close();
    }
  }
});
