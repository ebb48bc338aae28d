/**
 * Test helper: spans of the KB's full names in a text, standing in for the name matcher's output
 * (`RoleContext.names`) so that role tests do not depend on it. Token-exact after the same folding
 * as role phrases; Arabic proclitics are not handled (the tests do not need them).
 */
import type { Entity } from '../kb/schema';
import { tokenize } from './roles-tokens';

export function fullNameSpans(text: string, entities: readonly Entity[]): { start: number; end: number; id: string }[] {
  const tokens = tokenize(text);
  const spans: { start: number; end: number; id: string }[] = [];
  for (const entity of entities) {
    for (const name of Object.values(entity.names).flat()) {
      const words = tokenize(name).map((t) => t.text);
      if (words.length === 0) continue;
      for (let i = 0; i + words.length <= tokens.length; i++) {
        if (words.every((w, k) => tokens[i + k]!.text === w)) {
          spans.push({ start: tokens[i]!.start, end: tokens[i + words.length - 1]!.end, id: entity.id });
        }
      }
    }
  }
  return spans.sort((a, b) => a.start - b.start);
}
