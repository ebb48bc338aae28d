/**
 * Page identity: the key notes are stored under, so that the same article reached through a
 * newsletter link, a social share or a `#section` link shows the same notes.
 *
 * Rules, in order:
 * 1. If the page declares `<link rel="canonical">`, and it resolves (against the page URL) to an
 *    http(s) address on the **same origin** as the page, that address is the identity.
 *    A canonical on another origin is ignored: the page is untrusted input, and a page that could
 *    name any address as its identity could make the content script load and highlight — in its own
 *    DOM, where the page's scripts can read them — the notes a user took on another site. Same
 *    origin is the browser's own trust boundary, so a page may only speak for its own site.
 *    (Syndicated copies with a cross-site canonical therefore keep their own notes.)
 * 2. Otherwise the page URL.
 * Either way the address is then cleaned: tracking parameters (TRACKING_PARAMS) and the fragment are
 * removed, other parameters keep their order and their exact spelling, empty `&&` segments and an
 * empty `?` are dropped, host case and default ports are normalised (by the URL parser), credentials are dropped, and the
 * path is kept as the parser gives it (no case folding, no trailing-slash games: `/a` and `/a/` are
 * different resources on many servers).
 */

/** Query parameters that only track where a visitor came from; matched case-insensitively. */
export const TRACKING_PARAMS: ReadonlySet<string> = new Set([
  // Ad click ids
  'fbclid', 'gclid', 'gclsrc', 'dclid', 'gbraid', 'wbraid', 'msclkid', 'yclid', 'twclid', 'ttclid',
  'li_fat_id', 'igshid', 'rb_clickid', 's_cid',
  // Mailchimp, HubSpot, Marketo, Vero
  'mc_cid', 'mc_eid', '_hsenc', '_hsmi', 'mkt_tok', 'vero_id', 'vero_conv',
  // Google Analytics cross-domain linker
  '_ga', '_gl',
  // Twitter / X embeds and shares
  'ref_src', 'ref_url',
  // AT Internet (XiTi), common on French news sites
  'xtor', 'at_medium', 'at_campaign',
  // Outbrain, Taboola
  'obonsite', 'tblci',
]);

/** Parameter-name prefixes that only track (`utm_source`, `utm_medium`, `utm_id`, …). */
export const TRACKING_PREFIXES: readonly string[] = ['utm_'];

/** True for a query parameter name that is tracking only. */
export function isTrackingParam(name: string): boolean {
  const lower = name.toLowerCase();
  return TRACKING_PARAMS.has(lower) || TRACKING_PREFIXES.some((p) => lower.startsWith(p));
}

const WEB_PROTOCOLS = new Set(['http:', 'https:']);

function decodeName(raw: string): string {
  const plus = raw.replace(/\+/g, ' ');
  try {
    return decodeURIComponent(plus);
  } catch {
    return plus; // a malformed escape is not a tracking name we know; keep it
  }
}

/** Removes tracking parameters from a raw query string (without `?`), keeping the rest verbatim. */
function cleanQuery(search: string): string {
  const kept = search
    .replace(/^\?/, '')
    .split('&')
    .filter((part) => part !== '' && !isTrackingParam(decodeName(part.split('=', 1)[0] ?? '')));
  return kept.length === 0 ? '' : `?${kept.join('&')}`;
}

function clean(url: URL): string {
  // URL already lowercased the host, dropped default ports and punycoded IDNs. Credentials
  // (`user:pass@`) are dropped: they do not name a different page and must not end up in exports.
  return `${url.protocol}//${url.host}${url.pathname}${cleanQuery(url.search)}`;
}

/**
 * The identity of a page from the address it was visited at and its `rel=canonical` href (raw, as
 * written in the page, possibly relative). Throws an Error naming the input when `url` is not an
 * absolute http(s) URL.
 */
export function pageIdentity(url: string, canonical?: string | null): string {
  if (typeof url !== 'string') throw new TypeError(`pageIdentity: url must be a string, got ${typeof url}`);
  let page: URL;
  try {
    page = new URL(url.trim());
  } catch {
    throw new Error(`pageIdentity: not an absolute URL: ${JSON.stringify(url.slice(0, 200))}`);
  }
  if (!WEB_PROTOCOLS.has(page.protocol)) {
    throw new Error(`pageIdentity: only http and https pages have an identity, got ${JSON.stringify(page.protocol)} in ${JSON.stringify(url.slice(0, 200))}`);
  }
  if (typeof canonical === 'string' && canonical.trim() !== '') {
    let resolved: URL | undefined;
    try {
      resolved = new URL(canonical.trim(), page);
    } catch {
      resolved = undefined; // a broken canonical is the page's bug, not a reason to fail
    }
    if (resolved && WEB_PROTOCOLS.has(resolved.protocol) && resolved.origin === page.origin) return clean(resolved);
  }
  return clean(page);
}
