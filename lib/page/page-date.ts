/**
 * The date of the article on a page, used to resolve role mentions ("China's defence minister" on
 * a 2022 page is Wei Fenghe, on a 2024 page Dong Jun).
 *
 * Sources, in order of trust: publication metadata (`meta`), JSON-LD `datePublished`, a `<time
 * datetime>` (inside `article` first), a date in the URL, a dateline in the first lines of the
 * article text, and finally the day of the visit.
 *
 * Uses only DOM basics that linkedom also implements (querySelector(All), getAttribute,
 * textContent), so the CLI runs the same code as the content script.
 *
 * Decisions:
 * - A timestamp's calendar date is taken as written ("2024-04-26T23:30:00-05:00" → 2024-04-26): it
 *   is the publisher's local date, which is what the article means by "today".
 * - Dates after the visit (plus one day of time-zone slack) or before 1900 are ignored: they are
 *   event dates or broken metadata, not publication dates.
 * - `d.m.yyyy` and `d/m/yyyy` are read day-first unless the second number cannot be a month.
 * - The visit date is the reader's local calendar day.
 */
import type { PageDate } from '../messaging/protocol-page';
import { collectDateHints, type DateHints } from './date-hints';

/** Meta tags naming the publication date, most specific first (attribute, value), case-insensitive. */


const MONTHS: Record<string, number> = {
  // English
  january: 1, february: 2, march: 3, april: 4, may: 5, june: 6, july: 7, august: 8, september: 9,
  october: 10, november: 11, december: 12,
  jan: 1, feb: 2, mar: 3, apr: 4, jun: 6, jul: 7, aug: 8, sep: 9, sept: 9, oct: 10, nov: 11, dec: 12,
  // French (accents folded)
  janvier: 1, fevrier: 2, mars: 3, avril: 4, mai: 5, juin: 6, juillet: 7, aout: 8, septembre: 9,
  octobre: 10, novembre: 11, decembre: 12,
  // Arabic: Gregorian transliterations and the Levantine/Iraqi names (folded: أ إ آ → ا, ة → ه)
  يناير: 1, فبراير: 2, مارس: 3, ابريل: 4, مايو: 5, يونيو: 6, يونيه: 6, يوليو: 7, يوليه: 7, اغسطس: 8,
  سبتمبر: 9, اكتوبر: 10, نوفمبر: 11, ديسمبر: 12,
  شباط: 2, اذار: 3, نيسان: 4, ايار: 5, حزيران: 6, تموز: 7, اب: 8, ايلول: 9,
};
/** Two-word Levantine month names. */
const ARABIC_TWO_WORD_MONTHS: [RegExp, number][] = [
  [/كانون\s+الثاني/, 1],
  [/تشرين\s+الاول/, 10],
  [/تشرين\s+الثاني/, 11],
  [/كانون\s+الاول/, 12],
];

function fold(text: string): string {
  return text
    .normalize('NFD')
    .replace(/[\u0300-\u036f\u064B-\u065F\u0670\u0640]/g, '')
    .replace(/[أإآٱ]/g, 'ا')
    .replace(/ة/g, 'ه')
    .replace(/ى/g, 'ي')
    .replace(/[٠-٩]/g, (d) => String(d.charCodeAt(0) - 0x0660))
    .replace(/[۰-۹]/g, (d) => String(d.charCodeAt(0) - 0x06f0))
    .toLowerCase();
}

const pad = (n: number): string => String(n).padStart(2, '0');

/** `YYYY-MM-DD` when the parts form a real calendar day in the accepted range, else null. */
function isoDay(year: number, month: number, day: number, latest: number): string | null {
  if (year < 1900 || month < 1 || month > 12 || day < 1) return null;
  const t = Date.UTC(year, month - 1, day);
  const d = new Date(t);
  if (d.getUTCDate() !== day || d.getUTCMonth() !== month - 1) return null;
  if (t > latest) return null;
  return `${year}-${pad(month)}-${pad(day)}`;
}

/** A machine-readable timestamp (ISO 8601, `YYYYMMDD`, `YYYY/MM/DD`, RFC 2822) → calendar date. */
export function parseTimestamp(value: string, latest = Infinity): string | null {
  const v = value.trim();
  let m = /^(\d{4})-(\d{1,2})-(\d{1,2})(?:$|[T\s])/.exec(v) ?? /^(\d{4})\/(\d{1,2})\/(\d{1,2})(?:$|\D)/.exec(v);
  if (m) return isoDay(Number(m[1]), Number(m[2]), Number(m[3]), latest);
  m = /^(\d{4})(\d{2})(\d{2})(?:$|T)/.exec(v);
  if (m) return isoDay(Number(m[1]), Number(m[2]), Number(m[3]), latest);
  // RFC 2822 / English prose: "Fri, 26 Apr 2024 09:00:00 GMT", "April 26, 2024".
  return parseProseDate(v, latest);
}

/** Dates written out in prose: "11 September 2019", "September 11, 2019", "26 avril 2024", "11 ايلول/ سبتمبر ... 2019", "20.10.2021". */
export function parseProseDate(text: string, latest = Infinity): string | null {
  const t = fold(text);
  const YEAR = '(1[89]\\d\\d|20\\d\\d)';
  // Day month year (month word possibly "ايلول/ سبتمبر" and a year within a few words).
  const dayMonth = new RegExp(`(?<!\\d)(\\d{1,2})(?:er|st|nd|rd|th)?\\s+(?:de\\s+)?([\\p{L}]+)(?:\\s*/\\s*([\\p{L}]+))?\\.?,?[^\\d]{0,24}?${YEAR}(?!\\d)`, 'gu');
  for (const m of t.matchAll(dayMonth)) {
    const month = MONTHS[m[2]!] ?? (m[3] ? MONTHS[m[3]] : undefined);
    if (month === undefined) continue;
    const iso = isoDay(Number(m[4]), month, Number(m[1]), latest);
    if (iso) return iso;
  }
  // Two-word Levantine months: "11 تشرين الاول 2019".
  for (const [re, month] of ARABIC_TWO_WORD_MONTHS) {
    const mm = new RegExp(`(?<!\\d)(\\d{1,2})\\s+${re.source}[^\\d]{0,24}?${YEAR}(?!\\d)`, 'u').exec(t);
    if (mm) {
      const iso = isoDay(Number(mm[2]), month, Number(mm[1]), latest);
      if (iso) return iso;
    }
  }
  // Month day, year: "September 11, 2019", "Apr 26 2024".
  const monthDay = new RegExp(`([\\p{L}]+)\\.?\\s+(\\d{1,2})(?:st|nd|rd|th)?,?\\s+${YEAR}(?!\\d)`, 'gu');
  for (const mm of t.matchAll(monthDay)) {
    const month = MONTHS[mm[1]!];
    if (month === undefined) continue;
    const iso = isoDay(Number(mm[3]), month, Number(mm[2]), latest);
    if (iso) return iso;
  }
  // Numeric: ISO inside prose, then dd.mm.yyyy / dd/mm/yyyy (month-first only when the day cannot be a month).
  const isoInText = /(?<!\d)(\d{4})-(\d{2})-(\d{2})(?!\d)/.exec(t);
  if (isoInText) {
    const iso = isoDay(Number(isoInText[1]), Number(isoInText[2]), Number(isoInText[3]), latest);
    if (iso) return iso;
  }
  for (const mm of t.matchAll(/(?<![\d.\/])(\d{1,2})([./])(\d{1,2})\2(\d{4})(?![\d.\/])/g)) {
    let day = Number(mm[1]);
    let month = Number(mm[3]);
    if (month > 12 && day <= 12) [day, month] = [month, day];
    const iso = isoDay(Number(mm[4]), month, day, latest);
    if (iso) return iso;
  }
  return null;
}

const ARTICLE_TYPES = /(^|\b)(NewsArticle|Article|ReportageNewsArticle|AnalysisNewsArticle|BlogPosting|OpinionNewsArticle|WebPage|LiveBlogPosting)$/;

function jsonLdDate(blocks: readonly string[], latest: number): string | null {
  const found: { iso: string; article: boolean }[] = [];
  const visit = (node: unknown, depth: number): void => {
    if (depth > 8 || node === null || typeof node !== 'object') return;
    if (Array.isArray(node)) {
      for (const item of node) visit(item, depth + 1);
      return;
    }
    const record = node as Record<string, unknown>;
    const published = record.datePublished;
    if (typeof published === 'string') {
      const iso = parseTimestamp(published, latest);
      const type = record['@type'];
      const types = Array.isArray(type) ? type.map(String) : [String(type ?? '')];
      if (iso) found.push({ iso, article: types.some((t) => ARTICLE_TYPES.test(t)) });
    }
    for (const [key, value] of Object.entries(record)) if (key !== 'datePublished') visit(value, depth + 1);
  };
  for (const block of blocks) {
    try {
      visit(JSON.parse(block), 0);
    } catch {
      // Malformed JSON-LD is common (trailing commas, HTML entities); skip that block.
    }
  }
  return (found.find((f) => f.article) ?? found[0])?.iso ?? null;
}

/** A date in the URL path: `/2024/04/26/`, `/20240426`, `2024-04-26`, `2024_04_26`. */
export function urlDate(url: string, latest = Infinity): string | null {
  let path = url;
  try {
    path = new URL(url).pathname;
  } catch {
    // Not absolute: use as given.
  }
  const patterns = [
    /(?<!\d)((?:19|20)\d\d)\/(\d{1,2})\/(\d{1,2})(?:\/|$|[^\d])/,
    /(?<!\d)((?:19|20)\d\d)[-_](\d{2})[-_](\d{2})(?!\d)/,
    /(?<![\d])((?:19|20)\d\d)(\d{2})(\d{2})(?![\d])/,
  ];
  for (const re of patterns) {
    const m = re.exec(path);
    if (!m) continue;
    const iso = isoDay(Number(m[1]), Number(m[2]), Number(m[3]), latest);
    if (iso) return iso;
  }
  return null;
}

function localDay(date: Date): string {
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`;
}

/**
 * The page's date from what the page showed (`collectDateHints`, run in the page), and where it came
 * from. `visitDate` is when the reader opened the page; it also bounds the accepted dates (nothing
 * later than the visit, with one day of time-zone slack). Runs in the background: the parsing (month
 * names in three languages, JSON-LD) stays out of the content script.
 */
export function dateFromHints(hints: DateHints, url: string, visitDate: Date): PageDate {
  const visitDay = localDay(visitDate);
  const [y, mo, d] = visitDay.split('-').map(Number) as [number, number, number];
  const latest = Date.UTC(y, mo - 1, d) + 86_400_000;
  const first = (values: readonly string[], parse: (v: string) => string | null) => {
    for (const v of values) {
      const iso = parse(v);
      if (iso) return iso;
    }
    return null;
  };
  const meta = first(hints.meta, (v) => parseTimestamp(v, latest));
  if (meta) return { date: meta, source: 'meta' };
  const jsonLd = jsonLdDate(hints.jsonLd, latest);
  if (jsonLd) return { date: jsonLd, source: 'json-ld' };
  const time = first(hints.times, (v) => parseTimestamp(v, latest));
  if (time) return { date: time, source: 'time' };
  const fromUrl = urlDate(url, latest);
  if (fromUrl) return { date: fromUrl, source: 'url' };
  const dateline = first(hints.lines, (v) => parseProseDate(v.slice(0, 200), latest));
  if (dateline) return { date: dateline, source: 'dateline' };
  return { date: visitDay, source: 'visit' };
}

/** The page's date, in one go (CLI, tests): `dateFromHints(collectDateHints(document), …)`. */
export function pageDate(document: Document, url: string, visitDate: Date): PageDate {
  return dateFromHints(collectDateHints(document), url, visitDate);
}
