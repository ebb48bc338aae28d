import { describe, expect, it } from 'vitest';
import { isNotesUiRequest } from './bridge';

// The background trusts nothing a content script sends: the page's own scripts cannot post runtime
// messages, but a compromised renderer could, and `visit` carries a page-chosen canonical.
describe('isNotesUiRequest', () => {
  it('accepts the two requests as the content script sends them', () => {
    expect(isNotesUiRequest({ attacheNotesUi: 'selection' })).toBe(true);
    expect(isNotesUiRequest({ attacheNotesUi: 'visit', canonical: null })).toBe(true);
    expect(isNotesUiRequest({ attacheNotesUi: 'visit', canonical: 'https://example.org/a' })).toBe(true);
  });

  it('rejects anything else: other messages, RPC envelopes, a canonical that is not a short string', () => {
    for (const m of [
      undefined,
      null,
      'selection',
      { attacheNotes: 'compose' },
      { rpc: 1, method: 'notes.forPage', params: {} },
      { attacheNotesUi: 'compose' },
      { attacheNotesUi: 'visit' },
      { attacheNotesUi: 'visit', canonical: 42 },
      { attacheNotesUi: 'visit', canonical: 'x'.repeat(4097) },
    ]) {
      expect(isNotesUiRequest(m), JSON.stringify(m)?.slice(0, 80)).toBe(false);
    }
  });
});
