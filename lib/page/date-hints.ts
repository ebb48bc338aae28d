/**
 * What the page says about its own date, collected in the page (DOM reads only, no parsing), so
 * the content script stays small: the background turns these hints into a date (`dateFromHints` in
 * page-date.ts). Every list is capped: a hostile page cannot make the message large.
 */
import { extractText } from './extract';

/** Meta tags that carry a publication date, in order of trust. */
export const DATE_META_KEYS: [string, string][] = [
  ['property', 'article:published_time'],
  ['name', 'article:published_time'],
  ['property', 'og:article:published_time'],
  ['property', 'og:published_time'],
  ['itemprop', 'datepublished'],
  ['name', 'datepublished'],
  ['name', 'pubdate'],
  ['name', 'publishdate'],
  ['name', 'publish-date'],
  ['name', 'publication_date'],
  ['name', 'sailthru.date'],
  ['name', 'parsely-pub-date'],
  ['name', 'dc.date.issued'],
  ['name', 'dcterms.issued'],
  ['name', 'dc.date'],
  ['name', 'dcterms.date'],
  ['name', 'dcterms.created'],
  ['name', 'date'],
];
export interface DateHints {
  /** Contents of the date meta tags, in `DATE_META_KEYS` order. */
  meta: string[];
  /** Raw `application/ld+json` blocks. */
  jsonLd: string[];
  /** `<time datetime>` values, the article's first, outside asides/footers/comments. */
  times: string[];
  /** The first lines of the article text (a dateline lives there). */
  lines: string[];
}

/** Caps on each list and item (also enforced by the background's validation). */
export const DATE_HINT_LIMITS = {
  meta: { items: 40, length: 200 },
  jsonLd: { items: 5, length: 50_000 },
  times: { items: 20, length: 64 },
  lines: { items: 6, length: 200 },
} as const;

function insideChrome(el: Element): boolean {
  return el.closest('aside, footer, nav, [role="complementary"], #comments, .comments') !== null;
}

export function collectDateHints(document: Document): DateHints {
  const L = DATE_HINT_LIMITS;
  const meta: string[] = [];
  const metas = [...document.querySelectorAll('meta')];
  for (const [attribute, key] of DATE_META_KEYS) {
    for (const m of metas) {
      if (meta.length >= L.meta.items) break;
      if ((m.getAttribute(attribute) ?? '').trim().toLowerCase() !== key) continue;
      const content = (m.getAttribute('content') ?? '').trim();
      if (content) meta.push(content.slice(0, L.meta.length));
    }
  }
  const jsonLd: string[] = [];
  for (const script of document.querySelectorAll('script')) {
    if (jsonLd.length >= L.jsonLd.items) break;
    if ((script.getAttribute('type') ?? '').trim().toLowerCase() !== 'application/ld+json') continue;
    const text = script.textContent ?? '';
    // A truncated block would not parse anyway: skip oversized ones.
    if (text.length <= L.jsonLd.length) jsonLd.push(text);
  }
  const times: string[] = [];
  for (const selector of ['article time[datetime]', 'main time[datetime]', '[role="main"] time[datetime]', 'time[datetime]']) {
    for (const time of document.querySelectorAll(selector)) {
      if (times.length >= L.times.items) break;
      if (insideChrome(time)) continue;
      const v = (time.getAttribute('datetime') ?? '').trim();
      if (v) times.push(v.slice(0, L.times.length));
    }
  }
  const scope = document.querySelector('article') ?? document.querySelector('main') ?? document.querySelector('[role="main"]') ?? document.body;
  const lines = scope
    ? extractText(scope, 4000)
        .text.split('\n')
        .map((l) => l.trim())
        .filter((l) => l.length > 0)
        .slice(0, L.lines.items)
        .map((l) => l.slice(0, L.lines.length))
    : [];
  return { meta, jsonLd, times, lines };
}
