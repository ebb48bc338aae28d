/** Problems with their JSON paths (and line/column for syntax errors), as text. */
import type { PathProblem } from '@/lib/messaging/protocol-explore';

export function Problems(props: { title: string; problems: PathProblem[] }) {
  if (props.problems.length === 0) return null;
  return (
    <div class="problems" role="alert">
      <p>{props.title}</p>
      <ul>
        {props.problems.map((p, i) => (
          <li key={i}>
            <code>{p.path}</code>
            {p.line !== undefined && <span class="muted"> (line {p.line}, column {p.column})</span>}: {p.message}
          </li>
        ))}
      </ul>
    </div>
  );
}
