import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BACKUP_LIMITS, backupToJson, buildBackup, parseBackup, validateBackup, type BackupResult, type UserEntityRecord, type UserEventRecord } from './backup';
import type { Note } from './types';

const fixture = JSON.parse(readFileSync(join(__dirname, 'fixtures', 'notes.json'), 'utf8')) as { notes: Note[] };

const userEntity: UserEntityRecord = {
  id: 'ahmad-vahidi-test',
  type: 'person',
  name: 'Ahmad Example',
  names: { en: ['Ahmad Example'], ar: ['أحمد مثال'] },
  description: 'A person the user added while reading.',
  country: 'iran',
  sources: [{ url: 'https://www.example-news.com/profile', title: 'Profile' }],
  modified: '2024-09-24T10:00:00Z',
};
const userEvent: UserEventRecord = {
  id: '2024-09-23-example-visit',
  date: '2024-09-23',
  title: 'Example visit',
  summary: 'Ahmad Example visits Moscow.',
  participants: ['ahmad-vahidi-test', 'russia'],
  sources: [{ url: 'https://www.example-news.com/visit' }],
  modified: '2024-09-24T10:05:00Z',
};
const bundled = new Set(['iran', 'russia', 'china']);
const data = {
  notes: fixture.notes,
  userEntities: [userEntity],
  userEvents: [userEvent],
  readings: [
    { id: 17, page: 'https://www.example-news.com/a', url: 'https://www.example-news.com/a?utm_source=x', title: 'A « titre »', visitedAt: '2024-09-23T08:00:00Z', entities: ['iran', 'russia'] },
    { url: 'https://www.example-arabic.net/b', title: 'باقري', visitedAt: '2024-09-23T09:00:00+03:00', entities: [] },
  ],
  settings: { enabled: true, disabledSites: ['www.example.org'], style: 'tint', readingLog: false },
};

function problemsOf(r: BackupResult) {
  if (!('problems' in r)) throw new Error('expected problems');
  return r.problems;
}
function backupOf(r: BackupResult) {
  if ('problems' in r) throw new Error(JSON.stringify(r.problems, null, 1));
  return r.backup;
}
/** A valid backup with one change. */
function edited(edit: (doc: Record<string, any>) => void): string {
  const doc = JSON.parse(backupToJson(buildBackup(data, new Date('2024-10-01T12:00:00Z'))));
  edit(doc);
  return JSON.stringify(doc);
}

describe('backup', () => {
  const doc = buildBackup(data, new Date('2024-10-01T12:00:00Z'));

  it('builds the documented shape, without database ids', () => {
    expect(doc).toMatchObject({ format: 'attache-backup', version: 1, exportedAt: '2024-10-01T12:00:00.000Z' });
    expect(Object.keys(doc)).toEqual(['format', 'version', 'exportedAt', 'notes', 'userEntities', 'userEvents', 'readings', 'settings']);
    expect(doc.readings[0]).not.toHaveProperty('id');
    expect(doc.readings[1]).not.toHaveProperty('page');
  });

  it('round-trips through its file text', () => {
    expect(backupOf(parseBackup(backupToJson(doc), { knownEntityIds: bundled }))).toEqual(doc);
  });

  it('accepts a file without userEvents (written as an empty list)', () => {
    const text = edited((d) => delete d.userEvents);
    expect(backupOf(parseBackup(text, { knownEntityIds: bundled })).userEvents).toEqual([]);
  });

  it('refuses other files and other versions with a clear message', () => {
    expect(problemsOf(validateBackup([]))).toEqual([{ path: '$', message: 'must be an Attaché backup object, got an array' }]);
    expect(problemsOf(validateBackup({ type: 'AnnotationCollection' }))[0]!.message).toMatch(/use Import instead/);
    expect(problemsOf(parseBackup(edited((d) => (d.version = 2))))).toEqual([
      { path: '$.version', message: 'was made by a newer Attaché (format version 2); update the extension to restore it' },
    ]);
    expect(problemsOf(parseBackup('{"format": "attache-backup",\n "version": 1\n')).at(0)).toMatchObject({ path: '$', line: 3, column: 1 });
  });

  it('reports every problem with its path and returns nothing', () => {
    const r = parseBackup(
      edited((d) => {
        d.exportedAt = '2024-13-01T00:00:00Z';
        d.notes[1].quote.exact = '';
        d.notes[2].id = d.notes[0].id;
        d.notes[3].tags = 'visit';
        delete d.userEntities[0].sources;
        d.userEvents[0].participants.push('nobody-known');
        d.userEntities[0].modified = 'today';
        d.readings[0].visitedAt = 'yesterday';
        d.readings[1].entities = ['Not A Slug'];
        d.settings = ['enabled'];
      }),
      { knownEntityIds: bundled },
    );
    expect('backup' in r).toBe(false);
    expect(problemsOf(r)).toEqual([
      { path: '$.exportedAt', message: 'must be an ISO 8601 date-time with a time zone (2024-09-23T08:15:00Z), got "2024-13-01T00:00:00Z"' },
      { path: '$.notes[1].quote.exact', message: 'must not be empty' },
      { path: '$.notes[2].id', message: 'duplicate id "urn:uuid:6f1c2b9e-3d4a-4e8b-9c1d-0a2b3c4d5e01" (also $.notes[0])' },
      { path: '$.notes[3].tags', message: 'must be an array of strings, got string' },
      { path: '$.userEntities[0].sources', message: 'is required (at least one source)' },
      { path: '$.userEvents[0].participants[2]', message: 'refers to unknown entity "nobody-known"' },
      { path: '$.userEntities[0].modified', message: 'must be an ISO 8601 date-time with a time zone (2024-09-23T08:15:00Z), got "today"' },
      { path: '$.readings[0].visitedAt', message: 'must be an ISO 8601 date-time with a time zone (2024-09-23T08:15:00Z), got "yesterday"' },
      { path: '$.readings[1].entities[0]', message: 'must be an entity id (lowercase slug such as "mohammad-bagheri")' },
      { path: '$.settings', message: 'must be an object of setting → value, got an array' },
    ]);
  });

  it('needs the bundled ids to accept references to bundled entities', () => {
    const problems = problemsOf(parseBackup(backupToJson(doc)));
    expect(problems).toContainEqual({ path: '$.userEntities[0].country', message: 'refers to unknown entity "iran"' });
  });

  it('caps sizes', () => {
    const many = edited((d) => (d.readings = Array.from({ length: BACKUP_LIMITS.readings + 1 }, () => 0)));
    expect(problemsOf(parseBackup(many, { knownEntityIds: bundled }))).toEqual([
      { path: '$.readings', message: `has ${BACKUP_LIMITS.readings + 1} items; at most ${BACKUP_LIMITS.readings} are accepted` },
    ]);
  });
});
