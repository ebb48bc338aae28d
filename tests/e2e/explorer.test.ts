/**
 * The KB explorer in a real browser: adding a user entity that then highlights on an open page
 * without reloading the extension (the background rebuilds the matcher and tabs rescan), editing a
 * bundled entity as JSON and reverting it, and KB packs: export, a conflicting and an invalid pack
 * refused entry by entry with nothing written, a good pack applied.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';
import type { Page } from 'playwright-core';
import { launchBrowser, readerSpans, ROOT, startServer, waitForHighlights, type TestBrowser, type TestServer } from './harness';

let browser: TestBrowser;
let server: TestServer;
before(async () => {
  [browser, server] = await Promise.all([launchBrowser(), startServer()]);
});
after(async () => {
  await browser?.close();
  await server?.close();
});

const extUrl = (p: string) => `chrome-extension://${browser.extensionId}/${p}`;
const NEW_NAME = 'Farhad Zolqadr-Nasabi';
const NEW_ID = 'farhad-zolqadr-nasabi';

async function openExplorer(): Promise<Page> {
  const page = await browser.context.newPage();
  await page.setViewportSize({ width: 1200, height: 1000 });
  await page.goto(extUrl('explorer.html'));
  await page.locator('main.explorer').waitFor({ timeout: 15_000 });
  return page;
}

async function userCount(explorer: Page): Promise<number> {
  return explorer.evaluate(async () => {
    type Pack = { value: { entities: unknown[]; events: unknown[] } };
    const runtime = (globalThis as unknown as { chrome: { runtime: { sendMessage(m: unknown): Promise<Pack> } } }).chrome.runtime;
    const answer = await runtime.sendMessage({ rpc: 1, method: 'explore.exportPack', params: { scope: 'user' } });
    return answer.value.entities.length + answer.value.events.length;
  });
}

test('an entity added in the explorer highlights on an open page without a reload', async () => {
  server.generated.set(
    'new-person.html',
    `<!doctype html><html lang="en"><head><title>Talks in Moscow</title></head><body><article>
      <h1>Talks in Moscow</h1>
      <p>Brigadier General ${NEW_NAME} met Sergei Shoigu in Moscow on Tuesday, Iranian media reported.</p>
      <p>${NEW_NAME} also visited a drone factory.</p></article></body></html>`,
  );
  const article = await browser.context.newPage();
  await article.goto(`${server.origin}/generated/new-person.html`);
  await waitForHighlights(article, 1);
  const before = await readerSpans(article, browser.extensionId);
  assert.ok(before.some((s) => s.id === 'sergei-shoigu'));
  assert.ok(!before.some((s) => s.id === NEW_ID));

  const explorer = await openExplorer();
  await explorer.locator('button[name="add-entity"]').click();
  const form = explorer.locator('form.add-entity');
  await form.locator('input[name="name"]').fill(NEW_NAME);
  await form.locator('select[name="type"]').selectOption('person');
  await form.locator('select[name="country"]').selectOption('iran');
  await form.locator('input[name="description"]').fill('Iranian brigadier general who met Sergei Shoigu in Moscow.');
  await form.locator('input[name="source"]').fill(`${server.origin}/generated/new-person.html`);
  await form.locator('button[type="submit"]').click();
  await explorer.locator('.message', { hasText: NEW_ID }).waitFor();
  await explorer.locator('input[name="onlyUser"]').check();
  await explorer.locator(`.results li[data-entity="${NEW_ID}"][data-origin="added"]`).waitFor();
  assert.match(await explorer.locator(`.results li[data-entity="${NEW_ID}"]`).innerText(), /yours/);

  // The open page rescans by itself.
  let spans = before;
  for (let i = 0; i < 100 && !spans.some((s) => s.id === NEW_ID); i++) {
    await article.waitForTimeout(100);
    spans = await readerSpans(article, browser.extensionId);
  }
  const mine = spans.filter((s) => s.id === NEW_ID);
  assert.ok(mine.length >= 2, `the new entity is not highlighted: ${JSON.stringify(spans.map((s) => [s.id, s.text]))}`);
  assert.ok(spans.some((s) => s.id === 'sergei-shoigu'));

  // Its details page says it is the user's.
  const details = await browser.context.newPage();
  await details.goto(extUrl(`details.html#${NEW_ID}`));
  await details.locator('.entity-header .yours-badge').waitFor();
  await details.close();
  await explorer.close();
  await article.close();
});

test('editing a bundled entity as JSON shows it as edited, and removing my version restores it', async () => {
  const explorer = await openExplorer();
  await explorer.locator('input[name="text"]').fill('Shoigu');
  const row = explorer.locator('.results li[data-entity="sergei-shoigu"]');
  await row.locator('button[name="edit"]').click();
  const editor = explorer.locator('form.record-editor');
  const record = JSON.parse(await editor.locator('textarea').inputValue());
  assert.equal(record.id, 'sergei-shoigu');
  // An invalid edit is refused with its JSON path.
  await editor.locator('textarea').fill(JSON.stringify({ ...record, roles: [{ title: 'Secretary', from: '2024-13' }] }));
  await editor.locator('button[type="submit"]').click();
  await editor.locator('.problems', { hasText: '$.roles[0].from' }).waitFor();
  await editor.locator('textarea').fill(JSON.stringify({ ...record, description: 'Edited: Secretary of the Security Council of Russia.' }));
  await editor.locator('button[type="submit"]').click();
  await explorer.locator('.results li[data-entity="sergei-shoigu"][data-origin="edited"]').waitFor();
  assert.match(await row.innerText(), /Edited: Secretary/);
  await row.locator('button[name="revert"]').click();
  await explorer.locator('.results li[data-entity="sergei-shoigu"][data-origin="bundled"]').waitFor();
  await explorer.close();
});

test('KB packs: export, conflicting and invalid packs refused entry by entry with nothing written, a good pack applied', async () => {
  const explorer = await openExplorer();
  const [download] = await Promise.all([explorer.waitForEvent('download'), explorer.locator('button[name="export-user"]').click()]);
  const exported = JSON.parse(readFileSync((await download.path())!, 'utf8'));
  assert.ok(exported.entities.some((e: { id: string }) => e.id === NEW_ID), 'the export holds the user entity');
  const count = await userCount(explorer);

  const pick = (name: string, pack: unknown) => explorer.locator('input[name="pack"]').setInputFiles({ name, mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(pack)) });
  const shoigu = { id: 'sergei-shoigu', type: 'person', name: 'Sergey Shoygu', names: { en: ['Sergey Shoygu'] }, description: 'Changed.', sources: [{ url: 'https://example.org/x' }] };
  const newcomer = { id: 'team-analyst-entity', type: 'organization', name: 'Team Analyst Entity', names: { en: ['Team Analyst Entity'] }, description: 'Added by a team.', country: 'iran', sources: [{ url: 'https://example.org/y' }] };

  await pick('conflict.json', { version: 'team-1', entities: [newcomer, shoigu], events: [] });
  const plan = explorer.locator('.pack-plan');
  await plan.waitFor();
  assert.equal(await plan.getAttribute('data-applicable'), 'false');
  assert.match(await plan.locator('tr[data-action="conflict"]').innerText(), /\$\.entities\[1\]\s+sergei-shoigu/);
  assert.match(await plan.locator('.problems').innerText(), /\$\.entities\[1\]/);
  assert.ok(await plan.locator('button[name="apply"]').isDisabled());
  await plan.screenshot({ path: path.join(ROOT, 'screenshots', 'explorer-pack-conflict.png') });

  await pick('invalid.json', { version: 'team-2', entities: [newcomer], events: [{ id: '2026-01-x', date: '2026-13', title: 'X', summary: 'X', participants: ['nobody-at-all'], sources: [] }] });
  await plan.locator('.problems', { hasText: '$.events[0].date' }).waitFor();
  const problems = await plan.locator('.problems li').allInnerTexts();
  assert.ok(problems.some((p) => p.startsWith('$.events[0].participants[0]')), problems.join('\n'));
  assert.ok(await plan.locator('button[name="apply"]').isDisabled());
  assert.equal(await userCount(explorer), count, 'nothing was written');

  await pick('good.json', { version: 'team-3', entities: [newcomer], events: [] });
  await plan.locator('[data-count="add"]', { hasText: '1' }).waitFor();
  assert.equal(await plan.getAttribute('data-applicable'), 'true');
  await plan.locator('button[name="apply"]').click();
  await explorer.locator('.message', { hasText: '1' }).waitFor();
  assert.equal(await userCount(explorer), count + 1);
  await explorer.locator('input[name="text"]').fill('Team Analyst');
  await explorer.locator('.results li[data-entity="team-analyst-entity"][data-origin="added"]').waitFor();
  await explorer.screenshot({ path: path.join(ROOT, 'screenshots', 'explorer.png'), fullPage: true });
  await explorer.close();
});
