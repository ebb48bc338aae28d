import { describe, expect, it } from 'vitest';
import { findJsonSyntaxError, lineAndColumn, parseJsonText } from './json-text';

describe('parseJsonText', () => {
  it('parses valid JSON, with or without a BOM', () => {
    expect(parseJsonText('{"a":[1,"😀"]}', 100)).toEqual({ ok: true, value: { a: [1, '😀'] } });
    expect(parseJsonText('\uFEFF[true]', 100)).toEqual({ ok: true, value: [true] });
  });

  it('counts columns in characters, after a BOM, across CRLF lines', () => {
    const r = parseJsonText('\uFEFF{"a": "😀😀", x}', 100);
    expect(r).toMatchObject({ ok: false, problem: { line: 1, column: 13 } });
    expect(parseJsonText('{\r\n  "a": 1\r\n  "b": 2\r\n}', 100)).toMatchObject({ ok: false, problem: { line: 3, column: 3, message: expect.stringMatching(/expected "," or "}"/) } });
    expect(lineAndColumn('ab\ncd', 4)).toEqual({ line: 2, column: 2 });
  });

  it('finds the same errors JSON.parse rejects, and none where it accepts', () => {
    const bad = ['{', '{"a"}', '{"a":}', '[1 2]', '"\\x"', '01', '-', '1.', '.5', '{"a":1,}', 'nul', '"\\u12G4"', '[]]', "{'a':1}", 'NaN', '"a\tb"'];
    for (const text of bad) {
      expect(() => JSON.parse(text), text).toThrow();
      expect(findJsonSyntaxError(text), text).not.toBeNull();
    }
    const good = ['0', '-0.5e+3', '"\\u00e9\\n"', '{"a":{"b":[null,false,true,{}]}}', ' [ ] ', '"😀"', '1E5'];
    for (const text of good) expect(findJsonSyntaxError(text), text).toBeNull();
  });

  it('refuses oversized files before parsing', () => {
    expect(parseJsonText('[1,2,3]', 5)).toEqual({ ok: false, problem: { path: '$', message: 'the file has 7 characters; at most 5 are accepted' } });
  });
});
