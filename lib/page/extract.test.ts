import { describe, expect, it } from 'vitest';
import { parseHTML } from 'linkedom';
import { domPosition, extractText, extractTextSliced } from './extract';

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

  it('gives the same result in slices as in one go, yielding between slices', async () => {
    const body = Array.from({ length: 300 }, (_, i) => `<p>Para ${i} <b>Wei</b> <i>Fenghe</i></p><nav>skip</nav>`).join('');
    const d = doc(body);
    const whole = extractText(d);
    let pauses = 0;
    const sliced = await extractTextSliced(d, Number.POSITIVE_INFINITY, async () => void pauses++, 0, 50);
    expect(sliced.text).toBe(whole.text);
    expect(sliced.starts).toEqual(whole.starts);
    expect(sliced.nodes).toEqual(whole.nodes);
    expect(pauses).toBeGreaterThan(10);
  });

  it('survives deep nesting without recursion', () => {
    const depth = 20000;
    const d = doc('<div>'.repeat(depth) + 'Iran' + '</div>'.repeat(depth));
    expect(extractText(d).text.trim()).toBe('Iran');
  });
});
