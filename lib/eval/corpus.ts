/**
 * Node-side glue shared by the CLI and the corpus test: where the corpus is, annotating a text with
 * the KB's entities (canonical names attached), and scoring a gold directory.
 */
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseHTML } from 'linkedom';
import type { Entity, EntityType } from '../kb/schema';
import type { MatchSpan, MatchVia, PageDate } from '../messaging/protocol-page';
import { Annotator, visitDate } from '../match/annotate';
import { pageDate, parseProseDate } from '../page/page-date';
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
  /** Role mentions: the office, and the date it was resolved at with where that date came from. */
  role?: MatchSpan['role'];
}

export type TextAnnotator = (text: string, date?: PageDate) => Annotation[];

/**
 * An annotator over `entities` (built once): names, then role mentions resolved at `date` (default:
 * today, as a visit). Each call is a document of its own.
 */
export function kbAnnotator(entities: readonly Entity[]): TextAnnotator {
  const annotator = Annotator.build(entities);
  const byId = new Map(entities.map((e) => [e.id, e]));
  return (text, date = visitDate()) =>
    annotator.annotate(text, annotator.newDocState(), date).map((s) => ({
      start: s.start,
      end: s.end,
      surface: text.slice(s.start, s.end),
      id: s.id,
      entity: byId.get(s.id)?.name ?? s.id,
      type: s.type,
      via: s.via,
      ...(s.role ? { role: s.role } : {}),
    }));
}

/** The date of an HTML page as the extension reads it (metadata, JSON-LD, `<time>`, URL, dateline), else today. */
export function htmlDate(html: string, url = 'file:///page.html', now = new Date()): PageDate {
  const { document } = parseHTML(html);
  return pageDate(document as unknown as Document, url, now);
}

/** The date of a plain text: a dateline in its first lines ("Publicat în 20.10.2021"), else today. */
export function textDate(text: string, now = new Date()): PageDate {
  const dateline = parseProseDate(text.slice(0, 400), now.getTime() + 86_400_000);
  return dateline ? { date: dateline, source: 'dateline' } : visitDate(now);
}

/**
 * The date to resolve a gold text's role mentions at: the metadata of the corpus page that carries
 * the same article (`pages/<name>.html`, as the extension would see it), else the text's dateline.
 */
export function corpusTextDate(root: string, textPath: string, text: string): PageDate {
  const page = join(root, 'pages', `${basename(textPath).replace(/\.txt$/, '')}.html`);
  if (existsSync(page)) {
    const d = htmlDate(readFileSync(page, 'utf8'));
    if (d.source !== 'visit') return d;
  }
  return textDate(text);
}

export interface FileEvaluation {
  /** Gold file name. */
  file: string;
  gold: GoldFile;
  text: string;
  /** Named mentions: what the gold annotates and what is scored. */
  annotations: Annotation[];
  /** Role mentions ("China's defence minister"): the gold does not annotate office phrases, so they are listed, not scored. */
  roles: Annotation[];
  /** The date role mentions were resolved at. */
  date: PageDate;
  score: FileScore;
}

/**
 * Scores `annotate` on every `*.json` gold file of `goldDir`; texts are read relative to `root`
 * (the corpus root: gold `text` paths look like `text/003_….txt`). Throws on unreadable or
 * malformed gold, naming the file.
 */
export function evaluateGold(goldDir: string, root: string, annotate: TextAnnotator): FileEvaluation[] {
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
    const date = corpusTextDate(root, gold.text, text);
    const all = annotate(text, date);
    const annotations = all.filter((a) => a.via !== 'role');
    const roles = all.filter((a) => a.via === 'role');
    return { file: basename(file), gold, text, annotations, roles, date, score: scoreFile(gold, annotations) };
  });
}
