import { describe, expect, it } from 'vitest';
import { foldForm, tokenize } from './normalise';

describe('folding', () => {
  it('folds case', () => {
    expect(foldForm('TEHRAN Tehran tehran')).toBe('tehran tehran tehran');
  });

  it('drops Latin diacritics, precomposed and decomposed', () => {
    expect(foldForm('Téhéran Français naïve')).toBe('teheran francais naive');
    expect(foldForm('Te\u0301he\u0301ran Franc\u0327ais nai\u0308ve')).toBe('teheran francais naive');
    expect(foldForm('Choïgou Guérassimov')).toBe('choigou guerassimov');
  });

  it('expands ligatures and folds letters without a decomposition', () => {
    expect(foldForm('Œuvre cœur Straße Łódź')).toBe('oeuvre coeur strasse lodz');
  });

  it('treats every apostrophe as a soft separator', () => {
    for (const a of ["'", '’', 'ʼ', '‘']) expect(foldForm(`People${a}s L${a}Iran`)).toBe('people s l iran');
  });

  it('treats hyphens and dashes as token separators', () => {
    for (const d of ['-', '‐', '‑', '–', '—']) expect(foldForm(`Mohammad${d}Reza`)).toBe('mohammad reza');
  });

  it('ignores Arabic tashkeel (U+064B–U+065F, U+0670) and tatweel', () => {
    expect(foldForm('مُحَمَّد')).toBe('محمد');
    expect(foldForm('الرَّحْمٰن')).toBe('الرحمن');
    expect(foldForm('بـــكين')).toBe('بكين');
  });

  it('folds alef variants, alef maqsura and ta marbuta', () => {
    expect(foldForm('أ إ آ ٱ')).toBe('ا ا ا ا');
    expect(foldForm('موسى')).toBe('موسي');
    expect(foldForm('مكتبة')).toBe('مكتبه');
  });

  it('folds Persian letters to their Arabic forms', () => {
    expect(foldForm('ایران')).toBe('ايران');
    expect(foldForm('کشور')).toBe('كشور');
    expect(foldForm('خانۀ')).toBe('خانه');
  });

  it('ignores ZWNJ inside a word', () => {
    expect(foldForm('می\u200cخواهم')).toBe('ميخواهم');
    expect(tokenize('می\u200cخواهم')).toHaveLength(1);
  });
});

describe('tokens', () => {
  it('splits on hard separators and marks them', () => {
    const t = tokenize('Mohammad. Bagheri, Iran\nChina');
    expect(t.map((x) => [x.key, x.afterHard])).toEqual([
      ['mohammad', true],
      ['bagheri', true],
      ['iran', true],
      ['china', true],
    ]);
  });

  it('keeps a dot followed by a letter soft (abbreviations)', () => {
    const t = tokenize('U.S. forces');
    expect(t.map((x) => [x.key, x.afterHard])).toEqual([
      ['u', true],
      ['s', false],
      ['forces', true],
    ]);
  });

  it('keeps the dot of a short capitalised abbreviation before a capital soft', () => {
    expect(tokenize('St. Petersburg').map((x) => x.afterHard)).toEqual([true, false]);
    expect(tokenize('U.S. Navy').map((x) => x.afterHard)).toEqual([true, false, false]);
    expect(tokenize('the end. Petersburg').map((x) => x.afterHard)).toEqual([true, false, true]);
    expect(tokenize('Gen. Bagheri').map((x) => x.afterHard)).toEqual([true, true]);
    expect(tokenize('St. petersburg').map((x) => x.afterHard)).toEqual([true, true]);
  });

  it('reports original UTF-16 offsets across combining marks and astral characters', () => {
    const text = '😀 Te\u0301he\u0301ran 🇮🇷Iran';
    const t = tokenize(text);
    expect(t.map((x) => text.slice(x.start, x.end))).toEqual(['Te\u0301he\u0301ran', 'Iran']);
    expect(t[0]!.key).toBe('teheran');
  });

  it('makes each CJK ideograph a token', () => {
    expect(tokenize('魏凤和访问').map((t) => t.key)).toEqual(['魏', '凤', '和', '访', '问']);
  });

  it('flags all-caps tokens', () => {
    expect(tokenize('SCO Sco sco').map((t) => t.allCaps)).toEqual([true, false, false]);
  });
});
