/**
 * The command-line tools, run as the user runs them (a child process through tsx), on the shared
 * corpus and on hand-made files.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { corpusRoot, REPO_ROOT } from '../lib/eval/corpus';

const TSX = join(REPO_ROOT, 'node_modules', '.bin', 'tsx');

function run(script: string, ...args: string[]) {
  const r = spawnSync(TSX, [join(REPO_ROOT, 'cli', script), ...args], { cwd: REPO_ROOT, encoding: 'utf8', timeout: 60_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

const corpus = corpusRoot();
const hasCorpus = existsSync(join(corpus, 'text'));

function tempDir(): string {
  return mkdtempSync(join(tmpdir(), 'attache-cli-'));
}

interface Printed {
  file: string;
  text?: string;
  matches: { start: number; end: number; surface: string; id: string; entity: string; type: string; via: string }[];
}

describe('annotate', { timeout: 120_000 }, () => {
  it('prints matches of a .txt file with offsets into its content', () => {
    const dir = tempDir();
    const file = join(dir, 'a.txt');
    const text = 'Let us see. 😀 The US and Iran met in Téhéran.';
    writeFileSync(file, text);
    const r = run('annotate.ts', file);
    expect(r.code, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout) as Printed[];
    expect(out).toHaveLength(1);
    expect(out[0]!.file).toBe(file);
    expect(out[0]!.text).toBeUndefined();
    const surfaces = out[0]!.matches.map((m) => m.surface);
    expect(surfaces).toContain('US');
    expect(surfaces).toContain('Iran');
    expect(surfaces).not.toContain('us');
    for (const m of out[0]!.matches) expect(text.slice(m.start, m.end)).toBe(m.surface);
    const us = out[0]!.matches.find((m) => m.surface === 'US')!;
    expect(us).toMatchObject({ id: 'united-states', entity: 'United States', type: 'country', via: 'name' });
  });

  it.skipIf(!hasCorpus)('extracts the text of an .html page and prints it with the offsets', () => {
    const r = run('annotate.ts', join(corpus, 'pages', '003_en_wei_fenghe_tehran.html'));
    expect(r.code, r.stderr).toBe(0);
    const [page] = JSON.parse(r.stdout) as Printed[];
    expect(page!.text).toContain('Wei Fenghe');
    expect(page!.text).not.toContain('<');
    for (const m of page!.matches) expect(page!.text!.slice(m.start, m.end)).toBe(m.surface);
    expect(page!.matches.some((m) => m.entity === 'Wei Fenghe')).toBe(true);
  });

  it.skipIf(!hasCorpus)('annotates every .txt and .html of a folder, in csv and md too', () => {
    const csv = run('annotate.ts', '--format', 'csv', join(corpus, 'text'));
    expect(csv.code, csv.stderr).toBe(0);
    const lines = csv.stdout.trim().split('\n');
    expect(lines[0]!.startsWith('file,start,end,surface,id,entity,type,via')).toBe(true);
    const files = new Set(lines.slice(1).map((l) => l.split(',')[0]));
    expect(files.size).toBe(6);
    const md = run('annotate.ts', '--format=md', join(corpus, 'text', '090_mixed_traps.txt'));
    expect(md.stdout).toContain('| start | end | surface | id | entity | type | via |'.slice(0, -1));
    expect(md.stdout).toContain('| Mohammad Bagheri |');
  });

  it('reports a missing file, an unknown option or format on stderr with exit code 2', () => {
    for (const args of [['/no/such/file.txt'], ['--colour', 'x.txt'], ['--format', 'xml', 'x.txt'], [], [join(REPO_ROOT, 'package.json')]]) {
      const r = run('annotate.ts', ...args);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr.length).toBeGreaterThan(0);
      expect(r.stdout).toBe('');
    }
  });
});

describe('kb', { timeout: 120_000 }, () => {
  it('exports the whole KB as JSON', () => {
    const r = run('kb.ts', 'export');
    expect(r.code, r.stderr).toBe(0);
    const kb = JSON.parse(r.stdout);
    expect(typeof kb.version).toBe('string');
    expect(Array.isArray(kb.entities) && Array.isArray(kb.events)).toBe(true);
    expect(kb.entities.length).toBeGreaterThan(0);
  });

  it('validates an imported pack against the bundled ids and lists every problem with its path', () => {
    const dir = tempDir();
    const good = join(dir, 'good.json');
    writeFileSync(
      good,
      JSON.stringify({
        entities: [{ id: 'example-person', type: 'person', name: 'Example Person', names: { en: ['Example Person'] }, description: 'd', country: 'iran', sources: [{ url: 'https://example.org/p' }] }],
      }),
    );
    const ok = run('kb.ts', 'import', good);
    expect(ok.code, ok.stdout + ok.stderr).toBe(0);
    expect(ok.stdout).toMatch(/valid \(1 entities, 0 events\)/);

    const bad = join(dir, 'bad.json');
    writeFileSync(bad, JSON.stringify({ entities: [{ id: 'x', type: 'person', name: 'X', names: {}, description: 'd', country: 'atlantis' }] }));
    const r = run('kb.ts', 'import', bad);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('entities[0].country');
    expect(r.stdout).toContain('entities[0].sources');

    const notJson = join(dir, 'broken.json');
    writeFileSync(notJson, '{');
    expect(run('kb.ts', 'import', notJson).code).toBe(2);
    expect(run('kb.ts', 'frobnicate').code).toBe(2);
  });

  it('prints counts by type and events by year', () => {
    const r = run('kb.ts', 'stats');
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^\d+ entities/);
    expect(r.stdout).toMatch(/ {2}person +\d+/);
    expect(r.stdout).toMatch(/\d+ events/);
  });
});

describe('eval', { timeout: 120_000 }, () => {
  it('scores any directory in the gold format, per file and overall, exit 0', () => {
    const root = tempDir();
    mkdirSync(join(root, 'text'));
    mkdirSync(join(root, 'gold'));
    const text = 'Iran and China. Let us go.';
    writeFileSync(join(root, 'text', 'a.txt'), text);
    writeFileSync(
      join(root, 'gold', 'a.json'),
      JSON.stringify({
        text: 'text/a.txt',
        mentions: [
          { surface: 'Iran', entity: 'Iran', type: 'country', level: 'required', occurrences: [[0, 4]] },
          { surface: 'Sweden', entity: 'Sweden', type: 'country', level: 'required', occurrences: [[9, 14]] },
          { surface: 'us', entity: '*', type: 'country', level: 'forbidden', occurrences: [[20, 22]] },
        ],
      }),
    );
    const r = run('eval.ts', join(root, 'gold'));
    expect(r.code, r.stderr).toBe(0);
    // Iran: TP; China: FP (not in this gold); Sweden: missed.
    expect(r.stdout).toMatch(/a\.json\s+2\s+1\s+1\s+0\s+2\s+1\s+50\.0%\s+50\.0%/);
    expect(r.stdout).toContain('missed          Sweden "Sweden"');
    expect(r.stdout).toContain('precision 0.5000  recall 0.5000');
  });

  it('reports a missing gold directory with exit code 2', () => {
    const r = run('eval.ts', '/no/such/gold');
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('no such directory');
  });
});
