import { describe, expect, it } from 'vitest';
import { groupByType } from './EntityGroups';

describe('groupByType', () => {
  it('groups by type, most mentioned first inside a group, groups by their top count', () => {
    const groups = groupByType([
      { id: 'iran', name: 'Iran', type: 'country', count: 5 },
      { id: 'sergei-shoigu', name: 'Sergei Shoigu', type: 'person', count: 6 },
      { id: 'russia', name: 'Russia', type: 'country', count: 3 },
      { id: 'mohammad-bagheri', name: 'Mohammad Bagheri', type: 'person', count: 9 },
      { id: 'moscow', name: 'Moscow', type: 'place', count: 3 },
      { id: 'tehran', name: 'Tehran', type: 'place', count: 3 },
    ]);
    expect(groups.map((g) => g.type)).toEqual(['person', 'country', 'place']);
    expect(groups[0]!.items.map((e) => e.id)).toEqual(['mohammad-bagheri', 'sergei-shoigu']);
    expect(groups[0]!.total).toBe(15);
    // Ties: by name.
    expect(groups[2]!.items.map((e) => e.id)).toEqual(['moscow', 'tehran']);
  });
});
