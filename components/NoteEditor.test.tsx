import { parseHTML } from 'linkedom';
import { render } from 'preact';
import { act } from 'preact/test-utils';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { NoteEditor, type NoteEditorValue } from './NoteEditor';

let container: HTMLElement;
beforeEach(() => {
  const { document, window } = parseHTML('<!doctype html><html><body><div id="app"></div></body></html>');
  Object.assign(globalThis, { document, window, Node: window.Node, Element: window.Element, HTMLElement: window.HTMLElement });
  container = document.getElementById('app') as unknown as HTMLElement;
  vi.spyOn(fakeBrowser.i18n, 'getMessage').mockImplementation((key: string) => key);
});
afterEach(() => {
  render(null, container);
});

const chips = () => [...container.querySelectorAll('fieldset.entities li')].map((li) => li.textContent ?? '');

describe('NoteEditor', () => {
  it('keeps the chips the user removed when the parent re-renders with an equal but new initial value', () => {
    const initial = (): NoteEditorValue => ({ comment: 'c', tags: [], entities: [{ id: 'iran', name: 'Iran', type: 'country' }, { id: 'china', name: 'China', type: 'country' }] });
    const view = () => <NoteEditor quote="q" initial={initial()} existing saving={false} onSave={() => {}} onCancel={() => {}} />;
    act(() => render(view(), container));
    expect(chips().join('|')).toMatch(/Iran.*\|.*China/);
    act(() => (container.querySelector('fieldset.entities li button.remove') as HTMLButtonElement).click());
    expect(chips()).toHaveLength(1);
    act(() => render(view(), container)); // e.g. after a failed save
    expect(chips()).toHaveLength(1);
    expect(chips()[0]).toContain('China');
  });

  it('takes entities that arrive after it opened', () => {
    const view = (entities: NoteEditorValue['entities']) => <NoteEditor quote="q" initial={{ comment: '', tags: [], entities }} existing={false} saving={false} onSave={() => {}} onCancel={() => {}} />;
    act(() => render(view([]), container));
    expect(chips()).toHaveLength(0);
    act(() => render(view([{ id: 'iran', name: 'Iran', type: 'country' }]), container));
    expect(chips()).toHaveLength(1);
  });
});
