/**
 * Role mentions on the corpus pages, in the real browser: an office named instead of a person is
 * highlighted as a role (its own `-role` highlight) and resolves to the holder on the page's date,
 * taken from the page's metadata (issue "Beyond the anchors").
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { hoverEntity, launchBrowser, pageHighlights, readerSpans, ROOT, startServer, waitForHighlights, type TestBrowser, type TestServer } from './harness';

let server: TestServer;
let browser: TestBrowser;
let page: Page;

before(async () => {
  server = await startServer();
  browser = await launchBrowser();
  page = await browser.context.newPage();
});

after(async () => {
  await browser?.close();
  await server?.close();
});

const CASES = [
  { file: '002_fr_ashtiani_dong_jun_astana.html', phrase: /^ministre chinois de la Défense$/, id: 'dong-jun', why: 'April 2024, from the page metadata' },
  { file: '003_en_wei_fenghe_tehran.html', phrase: /^China.s defense minister$/, id: 'wei-fenghe', why: 'April 2022, from the page metadata' },
  { file: '001_ar_baqeri_beijing.html', phrase: /^وزير الدفاع الصيني$/, id: 'chang-wanquan', why: '"انذاك" with 2016 in the sentence and the name in apposition' },
] as const;

describe('role mentions on corpus pages', () => {
  for (const c of CASES) {
    it(`${c.file}: ${c.phrase.source} → ${c.id} (${c.why})`, { timeout: 60_000 }, async () => {
      await page.goto(server.url('corpus', c.file));
      await waitForHighlights(page, 1, 30_000);
      const spans = await readerSpans(page, browser.extensionId);
      const roles = spans.filter((s) => s.via === 'role');
      const mention = roles.find((s) => c.phrase.test(s.text));
      assert.ok(mention, `no role mention ${c.phrase} among ${JSON.stringify(roles.map((r) => r.text))}`);
      assert.equal(mention.id, c.id);
      // Painted as a role (dotted underline), readable from the page world.
      const painted = await pageHighlights(page);
      assert.ok(
        painted.some((p) => p.name === 'attache-person-role' && c.phrase.test(p.text)),
        `"${mention.text}" is not painted in attache-person-role`,
      );
      // Its card says whom it refers to and which date was used; saved for the record.
      const card = await hoverEntity(page, browser.extensionId, c.id, `s.via === 'role' && ${c.phrase.toString()}.test(s.text)`);
      assert.match(card, /\d{4}-\d{2}-\d{2}/, `the card gives the date used: ${card}`);
      const dir = path.join(ROOT, 'screenshots');
      mkdirSync(dir, { recursive: true });
      await page.screenshot({ path: path.join(dir, `role-card-${c.file.slice(0, 3)}.png`) });
      await page.keyboard.press('Escape');
    });
  }
});
