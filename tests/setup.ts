import fc from 'fast-check';
import { beforeEach } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';

// Property tests are reproducible in CI: one fixed seed unless FC_SEED gives another, or
// FC_SEED=random explores new cases (a failure prints its seed, to be replayed with FC_SEED).
const seed = process.env.FC_SEED;
if (seed !== 'random') fc.configureGlobal({ seed: seed ? Number(seed) : 20261122 });

beforeEach(() => {
  fakeBrowser.reset();
});
