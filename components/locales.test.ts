/**
 * The interface languages stay complete: every message of en.yml exists in fr.yml and ar.yml with
 * the same substitutions and plural forms, and each bundle declares its own direction.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { generateChromeMessages, parseMessagesText, type ParsedMessage } from '@wxt-dev/i18n/build';
import { describe, expect, it } from 'vitest';

const load = (lang: string): ParsedMessage[] => parseMessagesText(readFileSync(resolve(import.meta.dirname, `../locales/${lang}.yml`), 'utf8'), 'YAML');
const byKey = (messages: ParsedMessage[]) => new Map(messages.map((m) => [m.key.join('.'), m]));
const placeholders = (m: ParsedMessage) => JSON.stringify(m).match(/\$\d/g)?.sort().filter((x, i, a) => a.indexOf(x) === i) ?? [];

describe('locales', () => {
  const en = byKey(load('en'));
  for (const lang of ['fr', 'ar']) {
    it(`${lang} has every English message with the same substitutions`, () => {
      const other = byKey(load(lang));
      const missing = [...en.keys()].filter((k) => !other.has(k));
      expect(missing).toEqual([]);
      const extra = [...other.keys()].filter((k) => !en.has(k));
      expect(extra).toEqual([]);
      for (const [k, m] of en) {
        expect({ key: k, placeholders: placeholders(other.get(k)!) }).toEqual({ key: k, placeholders: placeholders(m) });
        expect({ key: k, type: other.get(k)!.type }).toEqual({ key: k, type: m.type });
      }
    });
  }

  it('declares each bundle\'s language and direction', () => {
    const dir = (lang: string) => generateChromeMessages(load(lang)).ui_dir?.message;
    expect([dir('en'), dir('fr'), dir('ar')]).toEqual(['ltr', 'ltr', 'rtl']);
  });
});
