/**
 * Sizes of what ships in `.output/chrome-mv3`, raw and gzipped (level 9, as a store or CDN would
 * serve it compressed; Chrome reads the raw files from disk), grouped by what loads them.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { gzipSync } from 'node:zlib';

export interface BundleFile {
  path: string;
  /** content script, background, page (an HTML entrypoint and the chunks and styles it loads), other. */
  group: 'content script' | 'background' | 'pages' | 'other';
  raw: number;
  gzip: number;
}

function files(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...files(p));
    else out.push(p);
  }
  return out;
}

function groupOf(path: string): BundleFile['group'] {
  if (path.startsWith('content-scripts/')) return 'content script';
  if (path === 'background.js') return 'background';
  if (/\.html$/.test(path) || path.startsWith('chunks/') || (path.startsWith('assets/') && /\.(css|js)$/.test(path))) return 'pages';
  return 'other';
}

export function bundleSizes(dir: string): BundleFile[] {
  return files(dir)
    .map((p) => {
      const path = relative(dir, p).split('\\').join('/');
      const data = readFileSync(p);
      return { path, group: groupOf(path), raw: data.length, gzip: gzipSync(data, { level: 9 }).length };
    })
    .sort((a, b) => a.group.localeCompare(b.group) || b.raw - a.raw);
}

/** Totals per group. */
export function bundleTotals(list: readonly BundleFile[]): { group: BundleFile['group']; files: number; raw: number; gzip: number }[] {
  const groups = new Map<BundleFile['group'], { files: number; raw: number; gzip: number }>();
  for (const f of list) {
    const g = groups.get(f.group) ?? { files: 0, raw: 0, gzip: 0 };
    g.files++;
    g.raw += f.raw;
    g.gzip += f.gzip;
    groups.set(f.group, g);
  }
  return [...groups].map(([group, g]) => ({ group, ...g }));
}
