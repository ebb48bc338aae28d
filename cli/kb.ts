/**
 * `npm run --silent kb -- export`        the whole bundled KB as JSON (`KnowledgeBase`)
 * `npm run --silent kb -- import FILE`   validates a KB file or pack against the bundled ids; every
 *                                        problem with its path; exit 1 if any
 * `npm run --silent kb -- stats`         entities by type, events by year
 */
import { readFileSync } from 'node:fs';
import { bundledKb } from '../assets/kb';
import { ENTITY_TYPES, type KnowledgeBase } from '../lib/kb/schema';
import { validateKb } from '../lib/kb/validate';
import { UsageError, isMain, rejectUnknownOptions, runCli } from './shared';

const USAGE = `usage: npm run --silent kb -- export | import FILE | stats`;

/** Counts of entities by type (every type listed) and events by year. */
export function kbStats(kb: KnowledgeBase): { entities: Record<string, number>; events: Record<string, number>; total: { entities: number; events: number } } {
  const entities: Record<string, number> = Object.fromEntries(ENTITY_TYPES.map((t) => [t, 0]));
  for (const e of kb.entities) entities[e.type] = (entities[e.type] ?? 0) + 1;
  const events: Record<string, number> = {};
  for (const ev of [...kb.events].sort((a, b) => a.date.localeCompare(b.date))) {
    const year = ev.date.slice(0, 4);
    events[year] = (events[year] ?? 0) + 1;
  }
  return { entities, events, total: { entities: kb.entities.length, events: kb.events.length } };
}

function importFile(file: string): number {
  let data: unknown;
  try {
    data = JSON.parse(readFileSync(file, 'utf8'));
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    throw new UsageError(err.code ? `${file}: cannot read (${err.code})` : `${file}: not valid JSON (${err.message})`);
  }
  const known = new Set(bundledKb().entities.map((e) => e.id));
  const problems = validateKb(data, known);
  if (problems.length > 0) {
    for (const p of problems) process.stdout.write(`${file}: ${p.path}: ${p.message}\n`);
    process.stdout.write(`${problems.length} problem${problems.length === 1 ? '' : 's'}\n`);
    return 1;
  }
  const kb = data as Partial<KnowledgeBase>;
  process.stdout.write(`${file}: valid (${kb.entities?.length ?? 0} entities, ${kb.events?.length ?? 0} events)\n`);
  return 0;
}

function main(argv: string[]): number {
  const [command, ...rest] = argv;
  if (command === '--help' || command === '-h') {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  rejectUnknownOptions(rest);
  switch (command) {
    case 'export':
      if (rest.length) throw new UsageError(USAGE);
      process.stdout.write(`${JSON.stringify(bundledKb(), null, 2)}\n`);
      return 0;
    case 'import':
      if (rest.length !== 1) throw new UsageError(USAGE);
      return importFile(rest[0]!);
    case 'stats': {
      if (rest.length) throw new UsageError(USAGE);
      const s = kbStats(bundledKb());
      const lines = [`${s.total.entities} entities`];
      for (const [t, n] of Object.entries(s.entities)) lines.push(`  ${t.padEnd(13)} ${n}`);
      lines.push(`${s.total.events} events`);
      for (const [y, n] of Object.entries(s.events)) lines.push(`  ${y.padEnd(13)} ${n}`);
      process.stdout.write(`${lines.join('\n')}\n`);
      return 0;
    }
    default:
      throw new UsageError(command ? `unknown command ${JSON.stringify(command)}\n${USAGE}` : USAGE);
  }
}

if (isMain(import.meta.url)) runCli(main);
