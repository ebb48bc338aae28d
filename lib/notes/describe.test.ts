import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CONTEXT_LENGTH, describeQuote } from './describe';

const hasLoneSurrogate = (s: string) => /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/.test(s);

describe('describeQuote', () => {
  const text = 'abcdefghijklmnopqrstuvwxyz0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ';

  it('keeps 32 characters of context on each side', () => {
    const { quote, position } = describeQuote(text, 33, 36);
    expect(quote).toEqual({
      type: 'TextQuoteSelector',
      exact: '789',
      prefix: text.slice(1, 33),
      suffix: text.slice(36, 62),
    });
    expect(quote.prefix).toHaveLength(CONTEXT_LENGTH);
    expect(position).toEqual({ type: 'TextPositionSelector', start: 33, end: 36 });
  });

  it('is shorter at the text edges', () => {
    expect(describeQuote('Hello world', 0, 5).quote).toMatchObject({ exact: 'Hello', prefix: '', suffix: ' world' });
    expect(describeQuote('Hello world', 6, 11).quote).toMatchObject({ exact: 'world', prefix: 'Hello ', suffix: '' });
    expect(describeQuote('x', 0, 1).quote).toMatchObject({ exact: 'x', prefix: '', suffix: '' });
  });

  it('does not cut an astral character out of the context', () => {
    // 😀 is two code units; place it so the 32-unit window starts/ends inside it.
    const before = '😀' + 'a'.repeat(31); // 33 units
    const after = 'b'.repeat(31) + '😀';
    const t = before + 'QUOTE' + after;
    const { quote } = describeQuote(t, 33, 38);
    expect(quote.exact).toBe('QUOTE');
    expect(quote.prefix).toBe('a'.repeat(31));
    expect(quote.suffix).toBe('b'.repeat(31));
  });

  it('widens a selection edge that falls inside an astral character', () => {
    const t = 'x 𝔸𝔹 y';
    // 𝔸 occupies 2..4, 𝔹 4..6
    const r = describeQuote(t, 3, 5);
    expect(r.quote.exact).toBe('𝔸𝔹');
    expect(r.position).toMatchObject({ start: 2, end: 6 });
    expect(r.quote.prefix).toBe('x ');
    expect(r.quote.suffix).toBe(' y');
  });

  it('handles Arabic text (BMP, no surrogates)', () => {
    const t = 'قال اللواء محمد باقري إن التعاون';
    const start = t.indexOf('محمد');
    const r = describeQuote(t, start, start + 'محمد باقري'.length);
    expect(r.quote.exact).toBe('محمد باقري');
    expect(r.quote.prefix).toBe('قال اللواء ');
  });

  it('rejects bad ranges and empty selections', () => {
    expect(() => describeQuote('abc', -1, 2)).toThrow(RangeError);
    expect(() => describeQuote('abc', 0, 4)).toThrow(RangeError);
    expect(() => describeQuote('abc', 2, 1)).toThrow(RangeError);
    expect(() => describeQuote('abc', 0.5, 2)).toThrow(RangeError);
    expect(() => describeQuote('abc', 1, 1)).toThrow(/empty selection/);
  });

  it('never produces lone surrogates and always re-reads the text (property)', () => {
    const unit = fc.constantFrom('a', ' ', 'é', 'ب', '😀', '𝔸', '\n');
    fc.assert(
      fc.property(fc.array(unit, { minLength: 1, maxLength: 80 }), fc.nat(), fc.nat(), (parts, a, b) => {
        const t = parts.join('');
        const s = a % t.length;
        const e = s + 1 + (b % (t.length - s));
        const { quote, position } = describeQuote(t, s, e);
        expect(t.slice(position.start, position.end)).toBe(quote.exact);
        expect(t.slice(position.start - quote.prefix.length, position.start)).toBe(quote.prefix);
        expect(t.slice(position.end, position.end + quote.suffix.length)).toBe(quote.suffix);
        expect(quote.prefix.length).toBeLessThanOrEqual(CONTEXT_LENGTH);
        expect(quote.suffix.length).toBeLessThanOrEqual(CONTEXT_LENGTH);
        expect(quote.prefix.length >= CONTEXT_LENGTH - 1 || position.start - quote.prefix.length === 0).toBe(true);
        for (const x of [quote.exact, quote.prefix, quote.suffix]) expect(hasLoneSurrogate(x)).toBe(false);
      }),
    );
  });
});
