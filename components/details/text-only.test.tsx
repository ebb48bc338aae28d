/**
 * KB and user data reach the DOM as text only: a user entity or a shared pack may carry markup in
 * any field, and it must show as characters, never become elements or attributes.
 */
import { parseHTML } from 'linkedom';
import { render } from 'preact';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import type { ExploreEntity, ExploreEvent } from '@/lib/messaging/protocol-explore';
import { groupByYear } from '@/lib/graph/timeline';
import { EntityHeader } from './EntityHeader';
import { Timeline } from './Timeline';

const EVIL = '<img src=x onerror="alert(1)"><script>alert(2)</script>';

let container: HTMLElement;
beforeEach(() => {
  const { document, window } = parseHTML('<!doctype html><html><body><div id="app"></div></body></html>');
  Object.assign(globalThis, { document, window, Node: window.Node, Element: window.Element });
  container = document.getElementById('app') as unknown as HTMLElement;
  // The fake browser has no message catalogue: answer with the key, enough to see where text goes.
  vi.spyOn(fakeBrowser.i18n, 'getMessage').mockImplementation((key: string) => key);
});
afterEach(() => {
  render(null, container);
});

describe('details components render data as text', () => {
  it('entity header and timeline', () => {
    const entity: ExploreEntity = {
      id: 'evil',
      type: 'person',
      name: `Evil ${EVIL}`,
      names: { en: ['Evil'] },
      description: EVIL,
      roles: [{ title: EVIL, from: '2020' }],
      sources: [{ url: 'javascript:alert(3)', title: EVIL }, { url: 'https://example.org/ok', title: 'Fine' }],
      origin: 'added',
    };
    const event: ExploreEvent = { id: '2024-01-evil', date: '2024-01', title: EVIL, summary: EVIL, participants: ['evil', 'other'], sources: [{ url: 'https://example.org/s', title: EVIL }], origin: 'added' };
    render(
      <div>
        <EntityHeader entity={entity} name={(id) => (id === 'other' ? EVIL : id)} />
        <Timeline groups={groupByYear([event])} focus="evil" name={(id) => (id === 'other' ? EVIL : id)} isPlace={() => false} />
      </div>,
      container,
    );
    expect(container.querySelectorAll('img, script').length).toBe(0);
    expect(container.textContent).toContain('<script>alert(2)</script>');
    // Only http(s) sources become links.
    const hrefs = [...container.querySelectorAll('a')].map((a) => a.getAttribute('href'));
    expect(hrefs.some((h) => h?.startsWith('javascript:'))).toBe(false);
    expect(hrefs).toContain('https://example.org/ok');
    expect(hrefs).toContain('#other');
  });
});
