import { createHash } from 'node:crypto';
import { KB_FILES } from '../../assets/kb';

/** SHA-256 of the bundled data files, in load order (Node only: tests and scripts). */
export function kbChecksum(): string {
  const h = createHash('sha256');
  for (const [path, file] of Object.entries(KB_FILES)) h.update(path).update('\0').update(JSON.stringify(file)).update('\0');
  return h.digest('hex');
}
