import { parseHTML } from 'linkedom';
import { describe, expect, it } from 'vitest';
import { extractText } from '../extract';
import { rangeToOffsets } from './offsets';

describe('selection offsets', () => {
  it('maps a selection across elements to page-text offsets and back', () => {
    const { document } = parseHTML('<html><body><p>General <b>Mohammad Bagheri</b> arrived.</p><p>Second paragraph.</p></body></html>');
    const extracted = extractText(document.body);
    const b = document.querySelector('b')!;
    const range = { startContainer: b.firstChild!, startOffset: 0, endContainer: b.firstChild!, endOffset: 'Mohammad Bagheri'.length };
    const o = rangeToOffsets(extracted, range, document.body);
    expect(o && extracted.text.slice(o.start, o.end)).toBe('Mohammad Bagheri');
  });

  it('handles element boundaries and trims white space', () => {
    const { document } = parseHTML('<html><body><p>One two.</p><p>  Three four.</p></body></html>');
    const extracted = extractText(document.body);
    const [p1, p2] = [...document.querySelectorAll('p')];
    // From inside the first paragraph to the end of the second (an element boundary).
    const range = { startContainer: p1!.firstChild!, startOffset: 4, endContainer: p2!, endOffset: 1 };
    const o = rangeToOffsets(extracted, range, document.body)!;
    expect(extracted.text.slice(o.start, o.end)).toBe('two.\n  Three four.');
    // A boundary before an element child starts at that child's first text.
    const before = rangeToOffsets(extracted, { startContainer: document.body, startOffset: 1, endContainer: p2!.firstChild!, endOffset: 7 }, document.body)!;
    expect(extracted.text.slice(before.start, before.end)).toBe('Three');
  });
});
