import { parseHTML } from 'linkedom';
import { describe, expect, it } from 'vitest';
import { onDarkBackground } from './overlay';

/** A window whose computed styles come from the elements' `data-bg` / `data-color` (linkedom has no CSS engine). */
function fakeWindow(): Window {
  return {
    getComputedStyle: (el: Element) => ({ backgroundColor: el.getAttribute('data-bg') ?? 'rgba(0, 0, 0, 0)', color: el.getAttribute('data-color') ?? 'rgb(0, 0, 0)' }),
  } as unknown as Window;
}

describe('which notes are on a dark background (drawn without multiply, where yellow would vanish)', () => {
  const { document } = parseHTML(`<html><body>
    <div data-bg="rgb(255, 255, 255)"><p id="light">text</p></div>
    <div data-bg="rgb(18, 18, 18)"><p id="dark">text</p><p id="veiled" data-bg="rgba(255, 255, 255, 0.1)">text</p></div>
    <section><p id="canvas-light">text</p><p id="canvas-dark" data-color="rgb(230, 230, 230)">text</p></section>
    <div data-bg="rgb(18, 18, 18)"><p id="card" data-bg="rgb(250, 248, 240)">text</p></div>
    <div data-bg="oklch(0.2 0 0)"><p id="unparsed">text</p></div>
  </body></html>`);
  const win = fakeWindow();
  const dark = (id: string) => onDarkBackground(document.getElementById(id)!, win);

  it('takes the first mostly opaque background up the tree', () => {
    expect(dark('light')).toBe(false);
    expect(dark('dark')).toBe(true);
    expect(dark('veiled')).toBe(true); // a faint veil does not make it light
    expect(dark('card')).toBe(false); // a light card on a dark page
  });

  it('with no background anywhere, goes by the text colour (a dark colour scheme has light text)', () => {
    expect(dark('canvas-light')).toBe(false);
    expect(dark('canvas-dark')).toBe(true);
  });

  it('skips colours it cannot read instead of guessing from them', () => {
    expect(dark('unparsed')).toBe(false);
  });
});
