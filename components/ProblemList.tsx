/** Problems of a refused import or restore, each with where it is in the file. */
import { i18n } from '#i18n';
import type { ImportProblem } from '@/lib/messaging/protocol-notes';

export function ProblemList({ problems }: { problems: readonly ImportProblem[] }) {
  return (
    <div class="problems" role="alert">
      <p>{i18n.t('notes.importInvalid')}</p>
      <ul>
        {problems.map((p, i) => (
          <li key={i}>
            <code dir="ltr">
              {p.path}
              {p.line !== undefined ? ` (${p.line}:${p.column ?? 1})` : ''}
            </code>{' '}
            {p.message}
          </li>
        ))}
      </ul>
    </div>
  );
}
