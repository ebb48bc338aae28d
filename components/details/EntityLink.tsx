/** A link to another entity's details: a hash change, so the page does not reload. */
export function EntityLink(props: { id: string; name: string; class?: string }) {
  return (
    <a class={props.class ?? 'entity-link'} href={`#${encodeURIComponent(props.id)}`} data-entity={props.id}>
      {props.name}
    </a>
  );
}

export interface SourceLike {
  url?: string;
  corpus?: string;
  title?: string;
  publisher?: string;
  date?: string;
}

/** A source as a link when it has an http(s) address; corpus paths are shown as text. */
export function SourceLink({ source }: { source: SourceLike }) {
  const label = [source.publisher, source.title].filter(Boolean).join(': ') || source.url || source.corpus || '?';
  const safe = source.url && /^https?:\/\//i.test(source.url) ? source.url : undefined;
  return safe ? (
    <a href={safe} target="_blank" rel="noopener noreferrer">
      {label}
    </a>
  ) : (
    <span>{label}</span>
  );
}
