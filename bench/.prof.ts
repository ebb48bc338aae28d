import { corpusTexts, generateLargePage } from './corpus';
import { pageText } from './node-bench';
import { bundledKb } from '../assets/kb/index';
import { buildMatcher, newDocState } from '../lib/match/matcher';
import { scan } from '../lib/match/automaton';
const text = pageText(generateLargePage(corpusTexts()).html);
const m = buildMatcher(bundledKb().entities);
const t = (m as any).t;
let s = 0, mm = 0;
for (let i = 0; i < 20; i++) {
  let t0 = performance.now(); scan(t, text); s += performance.now() - t0;
  t0 = performance.now(); m.match(text, newDocState()); mm += performance.now() - t0;
}
console.log('scan avg', (s / 20).toFixed(1), 'match avg', (mm / 20).toFixed(1), 'chars', text.length);
