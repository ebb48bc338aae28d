/**
 * Parsing JSON from a user's file with errors a person can act on. `JSON.parse` messages differ
 * between engines (V8 gives a character position, SpiderMonkey a line and column, older V8 neither),
 * so on failure the text is re-scanned here to find the line and column of the first error.
 */

export interface Problem {
  /** JSON path of the offending value (`$.first.items[3].target`), `$` for the whole file. */
  path: string;
  message: string;
  /** 1-based, for JSON syntax errors. */
  line?: number;
  column?: number;
}

export type Parsed = { ok: true; value: unknown } | { ok: false; problem: Problem };

/** Nesting deeper than this is refused: no note format needs it, and it guards the scanner's stack. */
const MAX_DEPTH = 256;

class SyntaxFound extends Error {
  constructor(
    readonly offset: number,
    readonly reason: string,
  ) {
    super(reason);
  }
}

/** Scans `text` as JSON (RFC 8259) and returns the offset and reason of the first error, if any. */
export function findJsonSyntaxError(text: string): { offset: number; reason: string } | null {
  let i = 0;
  const fail = (reason: string, at = i): never => {
    throw new SyntaxFound(at, reason);
  };
  const ws = () => {
    while (i < text.length && (text[i] === ' ' || text[i] === '\t' || text[i] === '\n' || text[i] === '\r')) i++;
  };
  const describe = () => (i >= text.length ? 'end of file' : JSON.stringify(text[i]));
  const literal = (word: string) => {
    if (text.startsWith(word, i)) i += word.length;
    else fail(`unexpected ${describe()}`);
  };
  const string = () => {
    i++; // opening quote
    for (;;) {
      if (i >= text.length) fail('unterminated string');
      const c = text.charCodeAt(i);
      if (c === 0x22) {
        i++;
        return;
      }
      if (c < 0x20) fail('raw control character in string (write it as an escape such as \\n)');
      if (c === 0x5c) {
        const e = text[i + 1];
        if (e === 'u') {
          if (!/^[0-9a-fA-F]{4}$/.test(text.slice(i + 2, i + 6))) fail('bad \\u escape');
          i += 6;
        } else if (e !== undefined && '"\\/bfnrt'.includes(e)) i += 2;
        else fail(`bad escape \\${e ?? ''}`);
      } else i++;
    }
  };
  const number = () => {
    const m = /^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/.exec(text.slice(i, i + 400));
    if (!m || m[0] === '' || m[0] === '-') fail(`unexpected ${describe()}`);
    i += m![0].length;
  };
  const value = (depth: number): void => {
    if (depth > MAX_DEPTH) fail(`nested more than ${MAX_DEPTH} levels deep`);
    ws();
    const c = text[i];
    if (c === '{') {
      i++;
      ws();
      if (text[i] === '}') {
        i++;
        return;
      }
      for (;;) {
        ws();
        if (text[i] !== '"') fail(`expected a property name in double quotes, found ${describe()}`);
        string();
        ws();
        if (text[i] !== ':') fail(`expected ":" after the property name, found ${describe()}`);
        i++;
        value(depth + 1);
        ws();
        if (text[i] === ',') {
          i++;
          ws();
          if (text[i] === '}') fail('trailing comma before "}"');
          continue;
        }
        if (text[i] === '}') {
          i++;
          return;
        }
        fail(`expected "," or "}" after a property value, found ${describe()}`);
      }
    } else if (c === '[') {
      i++;
      ws();
      if (text[i] === ']') {
        i++;
        return;
      }
      for (;;) {
        value(depth + 1);
        ws();
        if (text[i] === ',') {
          i++;
          ws();
          if (text[i] === ']') fail('trailing comma before "]"');
          continue;
        }
        if (text[i] === ']') {
          i++;
          return;
        }
        fail(`expected "," or "]" after an array element, found ${describe()}`);
      }
    } else if (c === '"') string();
    else if (c === 't') literal('true');
    else if (c === 'f') literal('false');
    else if (c === 'n') literal('null');
    else if (c === '-' || (c !== undefined && c >= '0' && c <= '9')) number();
    else fail(`unexpected ${describe()}`);
  };
  try {
    if (text.charCodeAt(0) === 0xfeff) i = 1;
    value(0);
    ws();
    if (i < text.length) fail(`unexpected ${describe()} after the end of the JSON value`);
    return null;
  } catch (e) {
    if (e instanceof SyntaxFound) return { offset: e.offset, reason: e.reason };
    throw e;
  }
}

/** 1-based line and column (in characters) of a UTF-16 offset. */
export function lineAndColumn(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < offset && i < text.length; i++) {
    if (text[i] === '\n') {
      line++;
      lineStart = i + 1;
    }
  }
  const bom = line === 1 && text.charCodeAt(0) === 0xfeff ? 1 : 0; // invisible in editors
  return { line, column: [...text.slice(lineStart + bom, offset)].length + 1 };
}

/**
 * Parses a user's JSON file. A leading BOM is accepted (editors on Windows add one). Files over
 * `maxChars` are refused before parsing, so an absurd file cannot freeze the page.
 */
export function parseJsonText(text: string, maxChars: number): Parsed {
  if (typeof text !== 'string') return { ok: false, problem: { path: '$', message: 'the file is not text' } };
  if (text.length > maxChars) {
    return { ok: false, problem: { path: '$', message: `the file has ${text.length} characters; at most ${maxChars} are accepted` } };
  }
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  if (body.trim() === '') return { ok: false, problem: { path: '$', message: 'the file is empty', line: 1, column: 1 } };
  try {
    return { ok: true, value: JSON.parse(body) };
  } catch (e) {
    const found = findJsonSyntaxError(text);
    if (found) {
      const { line, column } = lineAndColumn(text, found.offset);
      return { ok: false, problem: { path: '$', message: `JSON syntax error at line ${line}, column ${column}: ${found.reason}`, line, column } };
    }
    // JSON.parse failed where the scanner did not (should not happen): report the engine's words.
    return { ok: false, problem: { path: '$', message: `JSON syntax error: ${(e as Error).message}` } };
  }
}
