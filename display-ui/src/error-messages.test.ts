import { describe, expect, it } from 'vitest';
import { messageFor } from './error-messages';

describe('phone page messages', () => {
  it('explains the rating refusals', () => {
    expect(messageFor('RATING.DUPLICATE').zh).toContain('已评价');
    expect(messageFor('RATING.NOT_SERVED').zh).toContain('办结后');
    expect(messageFor('X.Y').zh).toContain('X.Y');
  });
});
