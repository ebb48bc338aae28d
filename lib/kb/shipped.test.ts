import { describe, expect, it } from 'vitest';
import { bundledKb } from '../../assets/kb';
import { shippedKbContents, shippedKbFrom } from './shipped';

describe('the shipped KB file', () => {
  it('holds what bundledKb() returns, and reads back to it', async () => {
    const kb = bundledKb();
    expect(await shippedKbFrom(new Response(shippedKbContents(kb)))).toEqual(kb);
  });

  it('refuses a missing file and one that is not a knowledge base', async () => {
    await expect(shippedKbFrom(new Response('not found', { status: 404 }))).rejects.toThrow(/HTTP 404/);
    await expect(shippedKbFrom(new Response('[1, 2]'))).rejects.toThrow(/not a knowledge base/);
  });
});
