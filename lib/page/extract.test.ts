import { describe, expect, it } from 'vitest';
import { parseHTML } from 'linkedom';
import { TextWalker, domPosition, extractText } from './extract';

function doc(body: string) {
  return parseHTML(`<!doctype html><html><head><title>T</title><script>var x="Iran"</script></head><body>${body}</body></html>`).document;
}

describe('extractText', () => {
  it('joins inline elements and separates blocks', () => {
    const d = doc('<p>Wei <b>Fenghe</b> met <a href="#">Mohammad Bagheri</a>.</p><p>Raisi</p>');
    const { text } = extractText(d);
    expect(text).toBe('Wei Fenghe met Mohammad Bagheri.\nRaisi\n');
  });

  it('skips scripts, forms, editable regions, navigation, code and hidden elements', () => {
    const d = doc(
      '<nav><a>Iran</a></nav><p>China</p><textarea>Iran</textarea><input value="Iran"><div contenteditable="true">Iran</div>' +
        '<code>US</code><p hidden>Iran</p><div style="display: none">Iran</div><div data-attache-ui>Iran</div><pre>Russia</pre>',
    );
    expect(extractText(d).text.replace(/\n+/g, '|')).toBe('China|Russia|');
  });

  it('keeps contenteditable=false content', () => {
    expect(extractText(doc('<div contenteditable="false">Iran</div>')).text.trim()).toBe('Iran');
  });

  it('turns line breaks inside text into spaces without moving offsets', () => {
    const d = doc('<p>Ebrahim\nRaisi</p>');
    const ex = extractText(d);
    expect(ex.text).toBe('Ebrahim Raisi\n');
    expect(ex.nodes[0]!.data).toBe('Ebrahim\nRaisi');
  });

  it('maps offsets back to text nodes, across inline elements', () => {
    const d = doc('<p>Wei <b>Fenghe</b> met</p>');
    const ex = extractText(d);
    const start = ex.text.indexOf('Wei');
    const end = start + 'Wei Fenghe'.length;
    const s = domPosition(ex, start, false)!;
    const e = domPosition(ex, end, true)!;
    expect(s.node.data).toBe('Wei ');
    expect(s.offset).toBe(0);
    expect(e.node.data).toBe('Fenghe');
    expect(e.offset).toBe(6);
  });

  it('stops at the character limit', () => {
    const d = doc('<p>aaaa</p><p>bbbb</p><p>cccc</p>');
    const ex = extractText(d, 6);
    expect(ex.nodes.length).toBe(2);
    expect(ex.capped).toBe(true);
    expect(extractText(d, 100).capped).toBeUndefined();
    // Reaching the limit exactly on the last text node is not a cut.
    expect(extractText(doc('<p>aaaa</p>'), 4).capped).toBeUndefined();
  });

  it('gives the same result in slices as in one go, and hands out pieces that end at block boundaries', () => {
    const body = Array.from({ length: 300 }, (_, i) => `<p>Para ${i} <b>Wei</b> <i>Fenghe</i></p><nav>skip</nav>`).join('');
    const d = doc(body);
    const whole = extractText(d);
    const walker = new TextWalker(d, Number.POSITIVE_INFINITY);
    const pieces: { text: string; from: number }[] = [];
    let steps = 0;
    for (let done = false; !done; steps++) {
      done = walker.step(50);
      const piece = walker.take(done ? 0 : 200);
      if (piece) pieces.push(piece);
    }
    expect(steps).toBeGreaterThan(10);
    expect(pieces.length).toBeGreaterThan(5);
    expect(pieces.map((p) => p.text).join('')).toBe(whole.text);
    let at = 0;
    for (const p of pieces) {
      expect(p.from).toBe(at);
      expect(p.text.endsWith('\n')).toBe(true);
      at += p.text.length;
    }
    expect(pieces.slice(0, -1).every((p) => p.text.length >= 200)).toBe(true);
    expect(walker.starts).toEqual(whole.starts);
    expect(walker.nodes).toEqual(whole.nodes);
    expect(walker.take(0)).toBeNull();
  });

  it('hands out a piece past the upper bound even inside one long paragraph', () => {
    const d = doc(`<p>${Array.from({ length: 100 }, (_, i) => `<b>word${i}</b> `).join('')}</p>`);
    const walker = new TextWalker(d, Number.POSITIVE_INFINITY);
    walker.step(40);
    expect(walker.take(10)).toBeNull(); // inside the paragraph: not at a boundary
    const forced = walker.take(10, 20);
    expect(forced).not.toBeNull();
    expect(forced!.text.endsWith('\n')).toBe(false);
  });

  it('survives deep nesting without recursion', () => {
    const depth = 20000;
    const d = doc('<div>'.repeat(depth) + 'Iran' + '</div>'.repeat(depth));
    expect(extractText(d).text.trim()).toBe('Iran');
  });
});
