import { describe, expect, it } from 'vitest';
import { isTrackingParam, pageIdentity } from './page-identity';

describe('pageIdentity', () => {
  it('drops the fragment', () => {
    expect(pageIdentity('https://example.com/a/b#section-2')).toBe('https://example.com/a/b');
  });

  it('drops utm_* and every listed tracking parameter, case-insensitively', () => {
    const url =
      'https://news.example/x?utm_source=nl&UTM_Medium=email&fbclid=1&gclid=2&dclid=3&msclkid=4&mc_cid=5&mc_eid=6&igshid=7&yclid=8&_ga=9&ref_src=twsrc&xtor=RSS-1';
    expect(pageIdentity(url)).toBe('https://news.example/x');
  });

  it('keeps other parameters in their order and spelling', () => {
    expect(pageIdentity('https://e.com/p?b=2&utm_source=x&a=1&q=hello%20world+x&a=0')).toBe(
      'https://e.com/p?b=2&a=1&q=hello%20world+x&a=0',
    );
  });

  it('does not drop parameters that merely contain a tracking name', () => {
    expect(pageIdentity('https://e.com/p?ref=home&xgclid=1&utm=2')).toBe('https://e.com/p?ref=home&xgclid=1&utm=2');
    expect(isTrackingParam('utm_campaign')).toBe(true);
    expect(isTrackingParam('page')).toBe(false);
  });

  it('drops an empty query and empty segments', () => {
    expect(pageIdentity('https://e.com/p?')).toBe('https://e.com/p');
    expect(pageIdentity('https://e.com/p?utm_source=a')).toBe('https://e.com/p');
    expect(pageIdentity('https://e.com/p?a=1&&b=2&')).toBe('https://e.com/p?a=1&b=2');
  });

  it('normalises host case and default ports, keeps other ports', () => {
    expect(pageIdentity('HTTPS://News.Example.COM:443/Path')).toBe('https://news.example.com/Path');
    expect(pageIdentity('http://example.com:80/')).toBe('http://example.com/');
    expect(pageIdentity('http://example.com:8080/x')).toBe('http://example.com:8080/x');
  });

  it('keeps the path as is: case and trailing slash', () => {
    expect(pageIdentity('https://e.com/Article/')).toBe('https://e.com/Article/');
    expect(pageIdentity('https://e.com/Article')).toBe('https://e.com/Article');
    expect(pageIdentity('https://e.com/%D8%A8%D8%A7')).toBe('https://e.com/%D8%A8%D8%A7');
  });

  it('punycodes internationalised host names, like the browser', () => {
    expect(pageIdentity('https://bücher.example/x')).toBe('https://xn--bcher-kva.example/x');
  });

  it('drops credentials', () => {
    expect(pageIdentity('https://user:secret@e.com/p')).toBe('https://e.com/p');
  });

  it('uses a same-origin canonical, resolved against the page URL and cleaned', () => {
    expect(pageIdentity('https://e.com/amp/story?utm_source=x', '/news/story?id=7&fbclid=1#top')).toBe('https://e.com/news/story?id=7');
    expect(pageIdentity('https://e.com/a/b/c', '../d')).toBe('https://e.com/a/d');
    expect(pageIdentity('https://E.com/a', 'https://e.COM:443/canon')).toBe('https://e.com/canon');
  });

  it('ignores a canonical on another origin (host, scheme or port)', () => {
    expect(pageIdentity('https://evil.example/p', 'https://bank.example/notes')).toBe('https://evil.example/p');
    expect(pageIdentity('http://e.com/p', 'https://e.com/p2')).toBe('http://e.com/p');
    expect(pageIdentity('https://e.com/p', 'https://e.com:8443/p2')).toBe('https://e.com/p');
  });

  it('ignores a canonical that is empty, broken or not http(s)', () => {
    expect(pageIdentity('https://e.com/p#x', null)).toBe('https://e.com/p');
    expect(pageIdentity('https://e.com/p', '   ')).toBe('https://e.com/p');
    expect(pageIdentity('https://e.com/p', 'javascript:alert(1)')).toBe('https://e.com/p');
    expect(pageIdentity('https://e.com/p', 'http://[::1')).toBe('https://e.com/p');
  });

  it('throws a clear error on garbage', () => {
    expect(() => pageIdentity('')).toThrow(/not an absolute URL/);
    expect(() => pageIdentity('not a url')).toThrow(/not an absolute URL: "not a url"/);
    expect(() => pageIdentity('/relative/path')).toThrow(/not an absolute URL/);
    expect(() => pageIdentity('ftp://e.com/file')).toThrow(/only http and https.*"ftp:"/);
    expect(() => pageIdentity('javascript:alert(1)')).toThrow(/only http and https/);
    expect(() => pageIdentity(42 as unknown as string)).toThrow(TypeError);
  });
});
