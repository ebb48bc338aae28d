/**
 * Node-side glue shared by the CLI and the corpus test: where the corpus is, annotating a text with
 * the KB's entities (canonical names attached), and scoring a gold directory.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Entity, EntityType } from '../kb/schema';
import type { MatchVia } from '../messaging/protocol-page';
import { buildMatcher } from '../match/matcher';
import { goldProblem, scoreFile, type FileScore, type GoldFile } from './score';

/** Repository root (this file is `lib/eval/corpus.ts`). */
export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** The shared corpus: `$ATTACHE_CORPUS`, else `../shared/corpus` next to the repository. */
export function corpusRoot(): string {
  return process.env.ATTACHE_CORPUS ? resolve(process.env.ATTACHE_CORPUS) : resolve(REPO_ROOT, '..', 'shared', 'corpus');
}

/** One highlighted mention, as the CLI prints it. */
export interface Annotation {
  start: number;
  end: number;
  surface: string;
  id: string;
  /** Canonical English name. */
  entity: string;
  type: EntityType;
  via: MatchVia;
}

export type Annotator = (text: string) => Annotation[];

/** An annotator over `entities` (the matcher is built once). Each call is a document of its own. */
export function kbAnnotator(entities: readonly Entity[]): Annotator {
  const matcher = buildMatcher(entities);
  const byId = new Map(entities.map((e) => [e.id, e]));
  return (text) =>
    matcher.match(text).map((s) => ({
      start: s.start,
      end: s.end,
      surface: text.slice(s.start, s.end),
      id: s.id,
      entity: byId.get(s.id)?.name ?? s.id,
      type: s.type,
      via: s.via,
    }));
}

export interface FileEvaluation {
  /** Gold file name. */
  file: string;
  gold: GoldFile;
  text: string;
  annotations: Annotation[];
  score: FileScore;
}

/**
 * Scores `annotate` on every `*.json` gold file of `goldDir`; texts are read relative to `root`
 * (the corpus root: gold `text` paths look like `text/003_….txt`). Throws on unreadable or
 * malformed gold, naming the file.
 */
export function evaluateGold(goldDir: string, root: string, annotate: Annotator): FileEvaluation[] {
  const files = readdirSync(goldDir)
    .filter((f) => f.endsWith('.json'))
    .sort();
  return files.map((file) => {
    const path = join(goldDir, file);
    let gold: GoldFile;
    try {
      gold = JSON.parse(readFileSync(path, 'utf8')) as GoldFile;
    } catch (e) {
      throw new Error(`${path}: ${(e as Error).message}`);
    }
    const problem = goldProblem(gold);
    if (problem) throw new Error(`${path}: ${problem}`);
    const text = readFileSync(join(root, gold.text), 'utf8');
    const annotations = annotate(text);
    return { file: basename(file), gold, text, annotations, score: scoreFile(gold, annotations) };
  });
}
