import type { TextPositionSelector, TextQuoteSelector } from './types';

/** Characters of context kept on each side of a quote (the Hypothesis client keeps 32 too). */
export const CONTEXT_LENGTH = 32;

const isHigh = (c: number) => c >= 0xd800 && c <= 0xdbff;
const isLow = (c: number) => c >= 0xdc00 && c <= 0xdfff;

/** True when offset `i` falls between the two halves of a surrogate pair. */
function splitsPair(text: string, i: number): boolean {
  return i > 0 && i < text.length && isHigh(text.charCodeAt(i - 1)) && isLow(text.charCodeAt(i));
}

/**
 * The selectors of the selection `text[start, end)` (UTF-16 offsets into the page text).
 *
 * A selection edge that falls inside a surrogate pair is widened to take the whole character, so the
 * quote never holds half an emoji. Prefix and suffix hold up to CONTEXT_LENGTH code units and are
 * shortened by one rather than cut a pair in two; at the text edges they are simply shorter.
 * Throws a RangeError for offsets that are not integers inside the text, or an empty selection.
 */
export function describeQuote(
  text: string,
  start: number,
  end: number,
): { quote: TextQuoteSelector; position: TextPositionSelector } {
  if (!Number.isInteger(start) || !Number.isInteger(end) || start < 0 || end > text.length || start > end) {
    throw new RangeError(`describeQuote: [${start}, ${end}) is not a range of a ${text.length}-character text`);
  }
  if (start === end) throw new RangeError(`describeQuote: empty selection at ${start}`);
  if (splitsPair(text, start)) start -= 1;
  if (splitsPair(text, end)) end += 1;

  let prefixStart = Math.max(0, start - CONTEXT_LENGTH);
  if (splitsPair(text, prefixStart)) prefixStart += 1;
  let suffixEnd = Math.min(text.length, end + CONTEXT_LENGTH);
  if (splitsPair(text, suffixEnd)) suffixEnd -= 1;

  return {
    quote: {
      type: 'TextQuoteSelector',
      exact: text.slice(start, end),
      prefix: text.slice(prefixStart, start),
      suffix: text.slice(end, suffixEnd),
    },
    position: { type: 'TextPositionSelector', start, end },
  };
}
