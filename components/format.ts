/** Display helpers shared by the popup and the notes page components (no browser APIs). */
import { i18n } from '#i18n';

function uiLocale(): string {
  return i18n.t('ui.lang') || 'en';
}

/** An ISO date of day, month or year precision, in the interface language. */
export function formatDate(iso: string): string {
  const m = /^(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?/.exec(iso);
  if (!m) return iso;
  const [, y, mo, d] = m;
  try {
    if (d && mo) return new Intl.DateTimeFormat(uiLocale(), { year: 'numeric', month: 'short', day: 'numeric', timeZone: 'UTC' }).format(Date.UTC(+y!, +mo - 1, +d));
    if (mo) return new Intl.DateTimeFormat(uiLocale(), { year: 'numeric', month: 'short', timeZone: 'UTC' }).format(Date.UTC(+y!, +mo - 1, 1));
  } catch {
    /* unknown locale: fall through */
  }
  return y!;
}

/** Short label of a source: publisher, else host name, else title or corpus path. */
export function sourceLabel(s: { url?: string; corpus?: string; title?: string; publisher?: string }): string {
  if (s.publisher) return s.publisher;
  if (s.url) {
    try {
      return new URL(s.url).hostname.replace(/^www\./, '');
    } catch {
      return s.url;
    }
  }
  return s.title ?? s.corpus ?? '';
}

/** True for addresses a link may open (never `javascript:` from imported or page data). */
export function isWebLink(url: string | undefined): url is string {
  return typeof url === 'string' && /^https?:\/\//i.test(url);
}
