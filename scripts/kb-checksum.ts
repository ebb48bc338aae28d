/**
 * `npx tsx scripts/kb-checksum.ts` — records the checksum of the bundled KB data next to KB_VERSION
 * (assets/kb/checksum.json). Run it after bumping KB_VERSION in assets/kb/index.ts; the test
 * lib/kb/kb-version.test.ts fails when the data changes without a bump.
 */
import { writeFileSync } from 'node:fs';
import { KB_VERSION } from '../assets/kb';
import { kbChecksum } from '../lib/kb/checksum';

const path = new URL('../assets/kb/checksum.json', import.meta.url);
writeFileSync(path, `${JSON.stringify({ version: KB_VERSION, sha256: kbChecksum() }, null, 2)}\n`);
console.log(`assets/kb/checksum.json: ${KB_VERSION} ${kbChecksum()}`);
