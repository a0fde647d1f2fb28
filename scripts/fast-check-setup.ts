/**
 * Property tests explore new random cases on every local run (they found real bugs that way),
 * but CI must be reproducible: there the seed is pinned, or taken from FC_SEED.
 */
import fc from 'fast-check';

const pinned = process.env.FC_SEED ?? (process.env.CI ? '20261126' : undefined);
if (pinned !== undefined) fc.configureGlobal({ seed: Number(pinned) });
