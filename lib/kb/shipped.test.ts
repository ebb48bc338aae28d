import { afterEach, describe, expect, it, vi } from 'vitest';
import { bundledKb } from '../../assets/kb';
import { fetchShippedKb, shippedKbContents } from './shipped';

afterEach(() => {
  vi.unstubAllGlobals();
});

const respond = (body: string, status = 200) => vi.stubGlobal('fetch', vi.fn(async () => new Response(body, { status })));

describe('the shipped KB file', () => {
  it('holds what bundledKb() returns, and reads back to it', async () => {
    const kb = bundledKb();
    respond(shippedKbContents(kb));
    expect(await fetchShippedKb('chrome-extension://x/kb.json')).toEqual(kb);
  });

  it('refuses a missing file and one that is not a knowledge base', async () => {
    respond('not found', 404);
    await expect(fetchShippedKb('chrome-extension://x/kb.json')).rejects.toThrow(/HTTP 404/);
    respond('[1, 2]');
    await expect(fetchShippedKb('chrome-extension://x/kb.json')).rejects.toThrow(/not a knowledge base/);
  });
});
