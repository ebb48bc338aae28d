import { parseHTML } from 'linkedom';
import { describe, expect, it } from 'vitest';
import { pageDate, parseProseDate, parseTimestamp, urlDate } from './page-date';

const VISIT = new Date(2026, 10, 22, 12, 0, 0); // local noon, 22 November 2026

function doc(head: string, body: string): Document {
  return parseHTML(`<!doctype html><html><head>${head}</head><body>${body}</body></html>`).document as unknown as Document;
}

const URL_PLAIN = 'https://news.example/world/article';

describe('pageDate sources, in order', () => {
  it('meta article:published_time, as written (publisher local date)', () => {
    const d = doc('<meta property="article:published_time" content="2024-04-26T23:30:00-05:00">', '<article><p>x</p></article>');
    expect(pageDate(d, URL_PLAIN, VISIT)).toEqual({ date: '2024-04-26', source: 'meta' });
  });

  it.each([
    ['<meta property="og:published_time" content="2021-10-20">', '2021-10-20'],
    ['<meta itemprop="datePublished" content="2019-09-11T09:00:00Z">', '2019-09-11'],
    ['<meta name="date" content="2022-04-28">', '2022-04-28'],
    ['<meta name="DC.date" content="20220428">', '2022-04-28'],
    ['<meta name="dc.date.issued" content="2022/04/28">', '2022-04-28'],
    ['<meta name="pubdate" content="Thu, 28 Apr 2022 10:00:00 GMT">', '2022-04-28'],
  ])('meta variant %s', (head, date) => {
    expect(pageDate(doc(head, '<p>x</p>'), URL_PLAIN, VISIT)).toEqual({ date, source: 'meta' });
  });

  it('prefers article:published_time over a generic date meta, and skips unparsable content', () => {
    const d = doc(
      '<meta name="date" content="2020-01-01"><meta property="article:published_time" content="soon"><meta property="article:published_time" content="2024-04-26">',
      '',
    );
    expect(pageDate(d, URL_PLAIN, VISIT)).toEqual({ date: '2024-04-26', source: 'meta' });
  });

  it('JSON-LD datePublished in @graph and arrays, malformed blocks ignored, articles first', () => {
    const d = doc(
      `<script type="application/ld+json">{ "@context": "https://schema.org", broken </script>
       <script type="application/ld+json">[{"@type":"Organization","name":"X"},
         {"@graph":[{"@type":"WebSite","datePublished":"2010-01-01"},{"@type":"NewsArticle","datePublished":"2024-04-26T09:00:00+03:30"}]}]</script>`,
      '<article><time datetime="2001-01-01">old</time></article>',
    );
    expect(pageDate(d, URL_PLAIN, VISIT)).toEqual({ date: '2024-04-26', source: 'json-ld' });
  });

  it('<time datetime> inside the article before one elsewhere', () => {
    const d = doc('', '<aside><time datetime="2026-11-20">related</time></aside><article><p>By X · <time datetime="2022-04-28">28 April</time></p></article>');
    expect(pageDate(d, URL_PLAIN, VISIT)).toEqual({ date: '2022-04-28', source: 'time' });
  });

  it('a <time> in an aside or footer is not the page date', () => {
    const d = doc('', '<p>text</p><aside><time datetime="2026-11-20">related</time></aside><footer><time datetime="2026-01-01">©</time></footer>');
    expect(pageDate(d, URL_PLAIN, VISIT)).toEqual({ date: '2026-11-22', source: 'visit' });
  });

  it.each([
    ['https://www.example.com/2024/04/26/china-iran-talks/', '2024-04-26'],
    ['https://www.example.com/news/20240426-china-iran', '2024-04-26'],
    ['https://www.example.com/news/china-iran-2024-04-26.html', '2024-04-26'],
    ['https://sputniknews.com/20230312/li-shangfu-appointed-1108305194.html', '2023-03-12'],
  ])('a dated URL: %s', (url, date) => {
    expect(pageDate(doc('', '<article><p>No date here.</p></article>'), url, VISIT)).toEqual({ date, source: 'url' });
  });

  it('ignores impossible dates in URLs (ids, future)', () => {
    expect(urlDate('https://x.example/a/20241399/b')).toBeNull();
    expect(urlDate('https://x.example/2030/01/01/b', Date.UTC(2026, 10, 23))).toBeNull();
    expect(urlDate('https://x.example/story/1108305194')).toBeNull();
  });

  it.each([
    ['<h1>Visit</h1><p>Beijing, 11 September 2019 (IRNA) – The chief of staff arrived.</p>', '2019-09-11'],
    ['<p>Publié le 26 avril 2024 à 10h</p><p>Le ministre iranien de la Défense…</p>', '2024-04-26'],
    ['<p>بكين/ 11 ايلول/ سبتمبر 2019/ ارنا- يزور رئيس الاركان</p>', '2019-09-11'],
    ['<h1>Publicat în 20.10.2021</h1><p>Shoigu and Baqeri meeting</p>', '2021-10-20'],
    ['<p>WASHINGTON, April 28, 2022 — The Pentagon said…</p>', '2022-04-28'],
    ['<p>طهران، 11 تشرين الأول 2019</p>', '2019-10-11'],
  ])('a dateline in the first lines: %s', (body, date) => {
    expect(pageDate(doc('', `<article>${body}</article>`), URL_PLAIN, VISIT)).toEqual({ date, source: 'dateline' });
  });

  it('an Arabic dateline without a year nearby is not enough', () => {
    const d = doc('', '<article><p>بكين/ 11 ايلول/ سبتمبر/ ارنا- يزور رئيس الاركان العامة للقوات المسلحة</p></article>');
    expect(pageDate(d, URL_PLAIN, VISIT)).toEqual({ date: '2026-11-22', source: 'visit' });
  });

  it('no date anywhere → the visit date (local calendar day)', () => {
    const d = doc('<title>Live</title>', '<article><p>Delegations are arriving.</p></article>');
    expect(pageDate(d, URL_PLAIN, VISIT)).toEqual({ date: '2026-11-22', source: 'visit' });
  });

  it('a metadata date after the visit is ignored', () => {
    const d = doc('<meta property="article:published_time" content="2027-01-01">', '<article><p>x</p></article>');
    expect(pageDate(d, URL_PLAIN, VISIT).source).toBe('visit');
  });
});

describe('date parsers', () => {
  it('parses machine timestamps and rejects non-dates', () => {
    expect(parseTimestamp('2024-04-26T09:00:00Z')).toBe('2024-04-26');
    expect(parseTimestamp('2024-4-6')).toBe('2024-04-06');
    expect(parseTimestamp('2023-02-29')).toBeNull();
    expect(parseTimestamp('yesterday')).toBeNull();
  });

  it('reads numeric prose dates day-first unless impossible', () => {
    expect(parseProseDate('le 03/04/2024')).toBe('2024-04-03');
    expect(parseProseDate('04/26/2024')).toBe('2024-04-26');
    expect(parseProseDate('le 1er avril 2024')).toBe('2024-04-01');
    expect(parseProseDate('the 21st meeting of 2024')).toBeNull();
  });
});
