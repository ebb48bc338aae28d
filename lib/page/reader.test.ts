import { parseHTML } from 'linkedom';
import { describe, expect, it } from 'vitest';
import { domPosition, extractText } from './extract';
import { outermost } from './mutations';
import { chunkBounds, joinExtractions } from './reader';

describe('chunkBounds', () => {
  it('cuts at line breaks, never above the maximum, covering everything', () => {
    const text = 'aaaa\nbbbb\ncccc\ndd';
    const bounds = chunkBounds(text, 7);
    expect(bounds).toEqual([[0, 5], [5, 10], [10, 17]]);
    expect(bounds.map(([a, b]) => text.slice(a, b)).join('')).toBe(text);
  });
  it('cuts a line longer than the maximum where it must', () => {
    expect(chunkBounds('x'.repeat(10), 4)).toEqual([[0, 4], [4, 8], [8, 10]]);
    expect(chunkBounds('', 4)).toEqual([]);
  });
});

describe('joinExtractions', () => {
  it('joins subtrees with a break between them, and offsets map back to each subtree', () => {
    const { document } = parseHTML('<html><body><p id="a">Wei <b>Fenghe</b></p><div>x</div><p id="b">met Iran</p></body></html>');
    const joined = joinExtractions([extractText(document.getElementById('a')!), extractText(document.getElementById('b')!)]);
    expect(joined.text).toBe('Wei Fenghe\nmet Iran\n');
    const at = joined.text.indexOf('Iran');
    const start = domPosition(joined, at, false)!;
    expect(start.node.data).toBe('met Iran');
    expect(start.offset).toBe(4);
    const end = domPosition(joined, joined.text.indexOf('Fenghe') + 6, true)!;
    expect(end.node.data).toBe('Fenghe');
  });
});

describe('outermost', () => {
  it('keeps only the outermost connected nodes, outside skipped regions', () => {
    const { document } = parseHTML('<html><body><div id="d"><p id="p"><b id="b">x</b></p></div><nav><a id="n">Iran</a></nav><p id="q">y</p></body></html>');
    const $ = (id: string) => document.getElementById(id)!;
    const detached = document.createElement('p');
    expect(outermost([$('b'), $('p'), $('d'), $('n'), $('q'), detached]).map((n) => (n as Element).id)).toEqual(['d', 'q']);
  });
});
