import { describe, expect, it } from 'vitest';
import { highlightCss, highlightName } from './highlight-style';

describe('highlight styles', () => {
  it('has a rule per type and a dotted one for role mentions, only with properties ::highlight accepts', () => {
    const css = highlightCss('underline-tint');
    expect(css).toContain(`::highlight(${highlightName('person')}) { text-decoration: underline solid #D55E00 2px; background-color: rgba(213, 94, 0, 0.16); }`);
    expect(css).toContain(`::highlight(${highlightName('person', true)}) { text-decoration: underline dotted #D55E00 2px;`);
    for (const rule of css.match(/::highlight\([^)]*\) \{[^}]*\}/g)!) {
      for (const decl of rule.replace(/^.*\{|\}$/g, '').split(';').map((d) => d.trim()).filter(Boolean)) {
        expect(['text-decoration', 'background-color']).toContain(decl.split(':')[0]);
      }
    }
    expect(highlightCss('underline')).not.toContain('background-color: rgba(213');
    expect(highlightCss('tint')).not.toContain('underline solid #D55E00');
  });
});
