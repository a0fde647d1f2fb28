import { describe, expect, it } from 'vitest';
import { chooseLayout, totalWaiting } from './hall-layout';

describe('chooseLayout', () => {
  it.each([
    [null, 'county', 1920, 1080, 'wide'],
    [null, 'township', 1080, 1920, 'portrait'],
    [null, 'village', 1920, 1080, 'single'],
    [null, 'village', 1080, 1920, 'single'],
    ['wide', 'village', 1366, 768, 'wide'],
    ['single', 'county', 1920, 1080, 'single'],
    [null, undefined, 1280, 720, 'wide'],
  ] as const)('forced %s, %s hall, %i×%i → %s', (forced, level, w, h, layout) => expect(chooseLayout(forced, level, w, h)).toBe(layout));
});

describe('totalWaiting', () => {
  it('adds the services up', () => expect(totalWaiting([{ waiting: 3 }, { waiting: 0 }, { waiting: 12 }])).toBe(15));
  it('an empty hall waits nobody', () => expect(totalWaiting([])).toBe(0));
});
