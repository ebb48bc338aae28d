import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { MatchSpan } from './protocol-page';
import { MATCH_VIAS, packSpans, unpackSpans } from './packed-spans';

const span = fc.record(
  {
    start: fc.nat(1_000_000),
    end: fc.nat(1_000_000),
    id: fc.constantFrom('iran', 'china', 'wei-fenghe', 'dong-jun'),
    type: fc.constantFrom('country' as const, 'person' as const),
    via: fc.constantFrom(...MATCH_VIAS),
    role: fc.option(fc.record({ office: fc.constant('cn.defence-minister' as const), date: fc.constant('2022-04-28'), dateSource: fc.constantFrom('meta' as const, 'sentence' as const) }), { nil: undefined }),
  },
  { requiredKeys: ['start', 'end', 'id', 'type', 'via'] },
);

describe('packed spans', () => {
  it('round-trip any list of spans', () => {
    fc.assert(
      fc.property(fc.array(span, { maxLength: 60 }), (spans) => {
        const plain = spans.map((s) => (s.role === undefined ? (({ role: _, ...rest }) => rest)(s) : s)) as MatchSpan[];
        expect(unpackSpans(structuredClone(packSpans(plain)))).toEqual(plain);
      }),
    );
  });

  it('store each entity once and numbers per span', () => {
    const spans: MatchSpan[] = Array.from({ length: 100 }, (_, i) => ({ start: i * 10, end: i * 10 + 4, id: i % 2 ? 'iran' : 'china', type: 'country', via: 'name' }));
    const p = packSpans(spans);
    expect(p.ids).toEqual(['china', 'iran']);
    expect(p.entity.slice(0, 4)).toEqual([0, 1, 0, 1]);
    expect(p.roles).toEqual([]);
  });

  it('refuse columns that do not line up or point nowhere', () => {
    const p = packSpans([{ start: 0, end: 4, id: 'iran', type: 'country', via: 'name' }]);
    expect(() => unpackSpans({ ...p, end: [] })).toThrow(/different lengths/);
    expect(() => unpackSpans({ ...p, entity: [3] })).toThrow(/refers to nothing/);
    expect(() => unpackSpans({ ...p, via: [9] })).toThrow(/refers to nothing/);
  });
});
