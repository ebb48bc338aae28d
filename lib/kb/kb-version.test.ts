import { describe, expect, it } from 'vitest';
import { KB_VERSION } from '../../assets/kb';
import recorded from '../../assets/kb/checksum.json';
import { kbChecksum } from './checksum';

// The background reseeds IndexedDB (and rebuilds the cached matcher) only when KB_VERSION changes,
// so data edited without a bump would never reach installed extensions (uBlock's "increase when
// the format changes", applied to data).
describe('KB_VERSION', () => {
  it('changes whenever the bundled data changes', () => {
    const sum = kbChecksum();
    if (sum !== recorded.sha256) {
      expect(
        KB_VERSION,
        'The KB data changed: bump KB_VERSION in assets/kb/index.ts, then run `npx tsx scripts/kb-checksum.ts`',
      ).not.toBe(recorded.version);
      expect.fail('KB_VERSION was bumped: record the new checksum with `npx tsx scripts/kb-checksum.ts`');
    }
    expect(recorded.version, 'assets/kb/checksum.json was recorded for another KB_VERSION: run `npx tsx scripts/kb-checksum.ts`').toBe(KB_VERSION);
  });
});
