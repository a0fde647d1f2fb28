import { describe, expect, it } from 'vitest';
import { BUILT_IN_FRAME_PROFILES, getFrameProfile } from './built-in-profiles';
import { checkFrameProfile, HALL_DEFAULT_PROFILE, layoutOf, type FrameProfile } from './frame-profile';

const clone = (p: FrameProfile): Record<string, unknown> => JSON.parse(JSON.stringify(p)) as Record<string, unknown>;

describe('frame profiles', () => {
  it('every built-in profile is valid and survives a JSON round trip', () => {
    for (const p of Object.values(BUILT_IN_FRAME_PROFILES)) {
      const check = checkFrameProfile(clone(p));
      expect(check, p.name).toEqual({ ok: true, profile: clone(p) });
    }
  });

  it('finds built-ins by name; null means the default', () => {
    expect(getFrameProfile(null)).toBe(HALL_DEFAULT_PROFILE);
    expect(getFrameProfile('modbus-like')?.name).toBe('modbus-like');
    expect(getFrameProfile('nope')).toBeUndefined();
    expect(getFrameProfile('toString')).toBeUndefined();
  });

  it('caps the payload by what the length field can count', () => {
    expect(layoutOf(HALL_DEFAULT_PROFILE).maxData).toBe(200);
    expect(layoutOf({ ...HALL_DEFAULT_PROFILE, maxData: 4096 }).maxData).toBe(253);
  });

  it('names every problem of a bad admin-defined profile by path', () => {
    const p = clone(HALL_DEFAULT_PROFILE);
    p.layout = [{ field: 'const', bytes: [0x100] }, { field: 'length', size: 3, counts: 'data' }, { field: 'func' }, { field: 'data' }];
    p.encoding = 'utf-16';
    p.ack = { func: 0x01, timeoutMs: 1, retries: 2 };
    const check = checkFrameProfile(p);
    expect(check.ok).toBe(false);
    const problems = check.ok ? [] : check.problems;
    expect(problems).toEqual(
      expect.arrayContaining([
        'layout[0].bytes: must be 1..16 bytes (0..255)',
        'layout[1].size: must be 1 or 2',
        "encoding: must be 'gbk', 'ascii' or 'bytes'",
        'ack.timeoutMs: must be an integer 5..10000',
        'functions.showText: same code as ack.func',
      ]),
    );
  });

  it('checks the layout as a whole', () => {
    const noAddress = clone(HALL_DEFAULT_PROFILE);
    noAddress.layout = [{ field: 'func' }, { field: 'length', size: 1, counts: 'data' }, { field: 'data' }];
    expect(checkFrameProfile(noAddress)).toEqual({ ok: false, problems: ["layout: needs exactly one 'address' field"] });

    const noEnd = clone(HALL_DEFAULT_PROFILE);
    noEnd.layout = [{ field: 'address', size: 1 }, { field: 'func' }, { field: 'data' }, { field: 'checksum', kind: 'sum8', from: 0 }];
    expect(checkFrameProfile(noEnd)).toEqual({ ok: false, problems: ["layout: without a 'length' field a 'const' trailer must follow 'data'"] });

    const late = clone(HALL_DEFAULT_PROFILE);
    late.layout = [{ field: 'address', size: 1 }, { field: 'data' }, { field: 'func' }, { field: 'const', bytes: [3] }];
    expect(checkFrameProfile(late)).toEqual({ ok: false, problems: ["layout[2]: only 'checksum' and 'const' may follow 'data'"] });

    expect(checkFrameProfile('hall-default')).toEqual({ ok: false, problems: ['profile: must be an object'] });
  });
});
