/**
 * Least privilege and no remote code, read off what we ship: the built manifests and HTML
 * (`.output/chrome-mv3`, `.output/firefox-mv2`; built here when missing), checked against the
 * README's "## Permissions" table, where every permission must be listed with the reason for it.
 *
 * README format (agreed with the integrator): under the heading `## Permissions`, a Markdown table
 * whose first column holds the permission in backticks (`storage`, `<all_urls>`) and whose last
 * column says why it is needed.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '..', '..');
const BUILDS = { chrome: join(ROOT, '.output', 'chrome-mv3'), firefox: join(ROOT, '.output', 'firefox-mv2') } as const;

type Manifest = Record<string, unknown> & {
  manifest_version: number;
  permissions?: string[];
  optional_permissions?: string[];
  host_permissions?: string[];
  optional_host_permissions?: string[];
  content_security_policy?: string | Record<string, string>;
  content_scripts?: { matches: string[]; js?: string[]; css?: string[]; all_frames?: boolean; match_about_blank?: boolean; world?: string }[];
  web_accessible_resources?: unknown[];
};

function ensureBuilt(browser: keyof typeof BUILDS): Manifest {
  const file = join(BUILDS[browser], 'manifest.json');
  if (!existsSync(file)) {
    execFileSync('npx', ['wxt', 'build', ...(browser === 'firefox' ? ['-b', 'firefox'] : [])], { cwd: ROOT, stdio: 'ignore', timeout: 300_000 });
  }
  return JSON.parse(readFileSync(file, 'utf8')) as Manifest;
}

function filesUnder(dir: string, ext: RegExp): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...filesUnder(p, ext));
    else if (ext.test(name)) out.push(p);
  }
  return out;
}

/** Permissions listed in README's "## Permissions" table, with their reasons. */
export function readmePermissions(readme: string): Map<string, string> {
  const section = /^## Permissions[^\n]*\n([\s\S]*?)(?=^## |(?![\s\S]))/m.exec(readme)?.[1];
  if (section === undefined) throw new Error('README.md has no "## Permissions" section');
  const table = new Map<string, string>();
  for (const line of section.split('\n')) {
    if (!/^\s*\|/.test(line) || /^\s*\|[\s:|-]+\|\s*$/.test(line)) continue;
    const cells = line.trim().replace(/^\||\|$/g, '').split('|').map((c) => c.trim());
    const names = [...(cells[0] ?? '').matchAll(/`([^`]+)`/g)].map((m) => m[1]!);
    const reason = cells.at(-1) ?? '';
    for (const n of names) table.set(n, cells.length > 1 ? reason : '');
  }
  return table;
}

let chrome: Manifest;
let firefox: Manifest;
beforeAll(() => {
  chrome = ensureBuilt('chrome');
  firefox = ensureBuilt('firefox');
}, 600_000);

const requested = (m: Manifest) => [...(m.permissions ?? []), ...(m.optional_permissions ?? []), ...(m.host_permissions ?? []), ...(m.optional_host_permissions ?? [])];

describe('README "Permissions" table parser', () => {
  it('reads names in backticks and the last column as the reason', () => {
    const t = readmePermissions('# X\n## Permissions\n\n| Permission | Why |\n| --- | --- |\n| `storage` | session state |\n| `<all_urls>` (host) | read pages |\n| `downloads` | |\n\n## Next\n| `tabs` | no |\n');
    expect([...t]).toEqual([
      ['storage', 'session state'],
      ['<all_urls>', 'read pages'],
      ['downloads', ''],
    ]);
  });
});

describe('permissions', () => {
  it.each(['chrome', 'firefox'] as const)('every permission the %s build requests is in README "## Permissions" with a reason', (browser) => {
    const readmePath = join(ROOT, 'README.md');
    expect(existsSync(readmePath), 'README.md is missing').toBe(true);
    const table = readmePermissions(readFileSync(readmePath, 'utf8'));
    const m = browser === 'chrome' ? chrome : firefox;
    const unexplained = requested(m).filter((p) => !(table.get(p) ?? '').replace(/[\s—–-]/g, ''));
    expect(unexplained, `add these to README "## Permissions" with a reason, or drop them from wxt.config.ts`).toEqual([]);
  });

  it('asks for nothing that reads browsing history, cookies or traffic', () => {
    const never = ['history', 'cookies', 'webRequest', 'webRequestBlocking', 'webNavigation', 'tabs', 'bookmarks', 'topSites', 'browsingData', 'identity', 'management', 'nativeMessaging', 'debugger', 'proxy', 'declarativeNetRequestFeedback', 'clipboardRead', 'geolocation', 'pageCapture', 'tabCapture'];
    for (const m of [chrome, firefox]) expect(requested(m).filter((p) => never.includes(p))).toEqual([]);
  });

  it('every API permission is used by the code we ship (none kept "just in case")', () => {
    // Permissions that grant an API namespace; `unlimitedStorage` (IndexedDB quota) and host
    // permissions have none to look for.
    const api: Record<string, RegExp> = {
      storage: /\bstorage\.(session|local|sync|managed)\b/,
      contextMenus: /\bcontextMenus\b|\bmenus\.create\b/,
      downloads: /\bdownloads\.download\b/,
      alarms: /\balarms\./,
      scripting: /\bscripting\./,
      notifications: /\bnotifications\./,
      sidePanel: /\bsidePanel\./,
      offscreen: /\boffscreen\./,
    };
    const js = filesUnder(BUILDS.chrome, /\.js$/).map((f) => readFileSync(f, 'utf8')).join('\n');
    const unused = (chrome.permissions ?? []).filter((p) => api[p] && !api[p]!.test(js));
    expect(unused, 'requested but never called: drop them from wxt.config.ts').toEqual([]);
  });

  // `activeTab` grants host access to the current tab on a user gesture, which `<all_urls>` already
  // grants for every tab: it would add nothing but a line in the install prompt.
  it('asks for no permission that another one already covers', () => {
    const hosts = [...(chrome.host_permissions ?? [])];
    if (hosts.includes('<all_urls>')) expect(chrome.permissions ?? []).not.toContain('activeTab');
  });
});

describe('no remote code', () => {
  it.each(['chrome', 'firefox'] as const)('%s: the default CSP or a stricter one, no externally_connectable, nothing a page can probe', (browser) => {
    const m = browser === 'chrome' ? chrome : firefox;
    const csp = m.content_security_policy;
    const policies = csp === undefined ? [] : typeof csp === 'string' ? [csp] : Object.values(csp);
    for (const p of policies) {
      expect(p).not.toMatch(/https?:|\*|'unsafe-eval'|'unsafe-inline'|data:|blob:/);
      expect(p).toMatch(/script-src 'self'/);
    }
    expect(m.externally_connectable).toBeUndefined();
    // Web-accessible resources let any page detect the extension (a fingerprint of our readers).
    expect(m.web_accessible_resources ?? []).toEqual([]);
    expect(m.update_url).toBeUndefined();
  });

  it.each(['chrome', 'firefox'] as const)('%s: content scripts are packaged files run in the isolated world', (browser) => {
    const m = browser === 'chrome' ? chrome : firefox;
    for (const cs of m.content_scripts ?? []) {
      expect(cs.world ?? 'ISOLATED').toBe('ISOLATED');
      for (const f of [...(cs.js ?? []), ...(cs.css ?? [])]) expect(f).not.toMatch(/^https?:|^\/\//);
    }
  });

  it.each(['chrome', 'firefox'] as const)('%s: built HTML loads only packaged files, no inline script', (browser) => {
    const pages = filesUnder(BUILDS[browser], /\.html$/);
    expect(pages.length).toBeGreaterThan(0);
    for (const page of pages) {
      const html = readFileSync(page, 'utf8');
      const where = relative(ROOT, page);
      for (const [, attr] of html.matchAll(/<(?:script|link|img|iframe|source|embed|object)\b[^>]*?\s(?:src|href|data)\s*=\s*["']?([^"'\s>]+)/gi)) {
        expect(attr, where).not.toMatch(/^(https?:)?\/\/|^data:|^javascript:/i);
      }
      for (const [, body] of html.matchAll(/<script\b[^>]*>([\s\S]*?)<\/script>/gi)) expect(body!.trim(), `inline script in ${where}`).toBe('');
      expect(html, where).not.toMatch(/\son[a-z]+\s*=/i);
    }
  });

  it('the code we ship opens no network connection of its own', () => {
    const sources = ['lib', 'entrypoints', 'components', 'assets']
      .map((d) => join(ROOT, d))
      .filter(existsSync)
      .flatMap((d) => filesUnder(d, /\.(ts|tsx|js|mjs)$/))
      .filter((f) => !/\.(test|fuzz\.test|safety\.test)\.tsx?$/.test(f));
    const network = /\b(fetch|XMLHttpRequest|WebSocket|EventSource|sendBeacon|importScripts|RTCPeerConnection)\s*\(|new\s+(WebSocket|EventSource|XMLHttpRequest|RTCPeerConnection)\b|\.(src|href)\s*=\s*[`'"]https?:/;
    // Reading a file of the extension's own package (the shipped KB) opens no connection.
    const ownPackage = /\bfetch\(browser\.runtime\.getURL\(/g;
    const offenders = sources
      .filter((f) => network.test(readFileSync(f, 'utf8').replace(/\/\*[\s\S]*?\*\/|\/\/[^\n]*/g, '').replace(ownPackage, '')))
      .map((f) => relative(ROOT, f));
    expect(offenders).toEqual([]);
  });
});
