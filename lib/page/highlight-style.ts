/**
 * Colours and `::highlight()` rules for entity highlights.
 *
 * Palette: Okabe & Ito (2008), "Color Universal Design", chosen because its hues stay distinct for
 * the common colour-vision deficiencies. Colour is never the only cue: every highlight has an
 * underline (solid for actors and places, double for agreements, exercises and events, wavy for
 * equipment, dotted for role mentions) and a light translucent tint that reads on light and dark pages
 * alike (a translucent tint darkens a white page and lightens a black one). Text colour is never
 * changed, so contrast stays the page's own. Only properties `::highlight()` accepts are used
 * (https://drafts.csswg.org/css-highlight-api-1/#styling-highlights).
 */
import type { EntityType } from '../kb/schema';
import type { HighlightStyle } from '../messaging/protocol-settings';

export const TYPE_COLOURS: Record<EntityType, string> = {
  person: '#D55E00', // vermillion
  organization: '#0072B2', // blue
  country: '#009E73', // bluish green
  place: '#56B4E9', // sky blue
  agreement: '#CC79A7', // reddish purple
  exercise: '#E69F00', // orange
  event: '#F0E442', // yellow
  equipment: '#999999', // neutral grey (Okabe–Ito black would vanish on dark pages)
};

const DECORATION: Record<EntityType, 'solid' | 'double' | 'wavy'> = {
  person: 'solid',
  organization: 'solid',
  country: 'solid',
  place: 'solid',
  agreement: 'double',
  exercise: 'double',
  event: 'double',
  equipment: 'wavy',
};

/** `CSS.highlights` name for an entity type; role mentions get their own, drawn dotted. */
export function highlightName(type: EntityType, role = false): string {
  return role ? `attache-${type}-role` : `attache-${type}`;
}

function tint(hex: string, alpha: number): string {
  const n = parseInt(hex.slice(1), 16);
  return `rgba(${(n >> 16) & 255}, ${(n >> 8) & 255}, ${n & 255}, ${alpha})`;
}

function rule(name: string, colour: string, line: string, style: HighlightStyle): string {
  const decl: string[] = [];
  if (style !== 'tint') decl.push(`text-decoration: underline ${line} ${colour} 2px`);
  if (style !== 'underline') decl.push(`background-color: ${tint(colour, style === 'tint' ? 0.3 : 0.16)}`);
  return `::highlight(${name}) { ${decl.join('; ')}; }`;
}

/** The stylesheet for all highlights in the chosen style. */
export function highlightCss(style: HighlightStyle): string {
  const rules: string[] = [];
  for (const [type, colour] of Object.entries(TYPE_COLOURS) as [EntityType, string][]) {
    rules.push(rule(highlightName(type), colour, DECORATION[type], style));
    rules.push(rule(highlightName(type, true), colour, 'dotted', style === 'tint' ? 'underline-tint' : style));
  }
  // Fallback elements (browsers without the Highlight API): same look, no layout change.
  for (const [type, colour] of Object.entries(TYPE_COLOURS) as [EntityType, string][]) {
    const decl: string[] = [];
    if (style !== 'tint') decl.push(`text-decoration: underline ${DECORATION[type]} ${colour} 2px`);
    if (style !== 'underline') decl.push(`background-color: ${tint(colour, style === 'tint' ? 0.3 : 0.16)}`);
    rules.push(`attache-mark[data-type="${type}"] { ${decl.join('; ')}; }`);
    rules.push(`attache-mark[data-type="${type}"][data-via="role"] { text-decoration-style: dotted; }`);
  }
  rules.push('attache-mark { display: inline; font: inherit; color: inherit; margin: 0; padding: 0; border: 0; }');
  return rules.join('\n');
}
