import { describe, expect, it } from 'vitest';
import type { MatchSpan } from '../messaging/protocol-page';
import type { RoleMention } from './roles';
import { withRoleMentions } from './annotate';

const span = (start: number, end: number, id: string, type: MatchSpan['type']): MatchSpan => ({ start, end, id, type, via: 'name' });
const role = (start: number, end: number, id: string | null): RoleMention => ({ start, end, id, office: 'cn.defence-minister', date: '2022-04-28', dateSource: 'meta' });

describe('withRoleMentions', () => {
  it('keeps a country nested in the office phrase', () => {
    // "China's defense minister"
    const out = withRoleMentions([span(0, 5, 'china', 'country')], [role(0, 24, 'wei-fenghe')]);
    expect(out.map((s) => [s.start, s.end, s.id, s.via])).toEqual([
      [0, 24, 'wei-fenghe', 'role'],
      [0, 5, 'china', 'name'],
    ]);
    expect(out[0]!.role).toEqual({ office: 'cn.defence-minister', date: '2022-04-28', dateSource: 'meta' });
  });

  it('lets the office title replace an organisation named inside it', () => {
    // "Chief of Staff of the Iranian Armed Forces"
    const out = withRoleMentions([span(22, 42, 'islamic-republic-of-iran-armed-forces', 'organization')], [role(0, 42, 'mohammad-bagheri')]);
    expect(out.map((s) => s.id)).toEqual(['mohammad-bagheri']);
  });

  it('drops an unresolved office and keeps the names', () => {
    const names = [span(22, 42, 'islamic-republic-of-iran-armed-forces', 'organization')];
    expect(withRoleMentions(names, [role(0, 42, null)])).toEqual(names);
  });

  it('never covers a person or a name it only partly overlaps', () => {
    const person = span(10, 20, 'wei-fenghe', 'person');
    expect(withRoleMentions([person], [role(0, 24, 'wei-fenghe')])).toEqual([person]);
    const straddling = span(20, 30, 'iran', 'country');
    expect(withRoleMentions([straddling], [role(0, 24, 'wei-fenghe')])).toEqual([straddling]);
  });

  it('keeps spans sorted by start with the outer span first', () => {
    const out = withRoleMentions([span(0, 5, 'china', 'country'), span(30, 34, 'iran', 'country')], [role(0, 24, 'wei-fenghe')]);
    expect(out.map((s) => s.start)).toEqual([0, 0, 30]);
  });
});
