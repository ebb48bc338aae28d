/**
 * cytoscape belongs to the details page only (docs/adr-001-graph-library.md): the content script
 * runs on every news page and the popup opens on every click, so neither may pull it in. This
 * checks the source import graph; the build output shows the same (cytoscape only in the details chunk).
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = path.resolve(import.meta.dirname, '../..');

function sources(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const p = path.join(dir, name);
    if (statSync(p).isDirectory()) out.push(...sources(p));
    else if (/\.(ts|tsx)$/.test(name) && !/\.test\.tsx?$/.test(name)) out.push(p);
  }
  return out;
}

const IMPORT = /(?:import|export)[^'"]*?from\s*['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/g;

function importsOf(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  return [...text.matchAll(IMPORT)].map((m) => m[1] ?? m[2]!);
}

/** Resolves `@/x`, `./x`, `../x` to a source file, or undefined for packages. */
function resolve(from: string, spec: string): string | undefined {
  const base = spec.startsWith('@/') ? path.join(ROOT, spec.slice(2)) : spec.startsWith('.') ? path.resolve(path.dirname(from), spec) : undefined;
  if (!base) return undefined;
  for (const ext of ['', '.ts', '.tsx', '/index.ts', '/index.tsx']) {
    try {
      if (statSync(base + ext).isFile()) return base + ext;
    } catch {
      /* try the next extension */
    }
  }
  return undefined;
}

/** Every package a file pulls in, through our own files. */
function packagesReachedFrom(entry: string): Set<string> {
  const seen = new Set<string>();
  const packages = new Set<string>();
  const stack = [entry];
  while (stack.length > 0) {
    const f = stack.pop()!;
    if (seen.has(f)) continue;
    seen.add(f);
    for (const spec of importsOf(f)) {
      const local = resolve(f, spec);
      if (local) {
        if (/\.(ts|tsx)$/.test(local)) stack.push(local);
      } else packages.add(spec);
    }
  }
  return packages;
}

describe('cytoscape stays in the details page', () => {
  it('is imported by RelationGraph.tsx only', () => {
    const importers = [...sources(path.join(ROOT, 'lib')), ...sources(path.join(ROOT, 'components')), ...sources(path.join(ROOT, 'entrypoints'))]
      .filter((f) => importsOf(f).includes('cytoscape'))
      .map((f) => path.relative(ROOT, f));
    expect(importers).toEqual(['components/details/RelationGraph.tsx']);
  });

  it('is reached from the details page and from no other entrypoint', () => {
    const entry = (p: string) => path.join(ROOT, 'entrypoints', p);
    expect(packagesReachedFrom(entry('details/main.tsx')).has('cytoscape')).toBe(true);
    const others = readdirSync(path.join(ROOT, 'entrypoints')).flatMap((name) => {
      if (name === 'details') return [];
      const p = entry(name);
      if (statSync(p).isFile()) return /\.(ts|tsx)$/.test(name) ? [p] : [];
      return ['main.tsx', 'main.ts', 'index.ts', 'index.tsx'].map((f) => path.join(p, f)).filter((f) => statSync(f, { throwIfNoEntry: false })?.isFile());
    });
    expect(others.length).toBeGreaterThanOrEqual(3); // background, content, popup at least
    for (const f of others) expect([path.relative(ROOT, f), packagesReachedFrom(f).has('cytoscape')]).toEqual([path.relative(ROOT, f), false]);
  });
});
