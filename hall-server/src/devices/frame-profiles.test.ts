import { describe, expect, it } from 'vitest';
import { KEYPAD_ECHO_DEFINITION } from '@hall/drivers';
import { checkFrameProfileDefinition, listFrameProfiles, resolveFrameProfile } from './frame-profiles';

const board = {
  name: '某厂窗口屏',
  header: 'FF',
  trailer: '',
  length: { bytes: 1, endian: 'big', counts: 'data' },
  addressBytes: 1,
  checksum: 'sum8',
  acks: true,
  commands: { show: { function: '01', text: 'gbk' }, clear: { function: '02' } },
};

describe('hall-defined frame profiles', () => {
  it('a device names a built-in or a defined profile; anything else is unknown', () => {
    const defined = { 'vendor-x': board };
    expect(resolveFrameProfile(null, defined)?.name).toBe('hall-default');
    expect(resolveFrameProfile('keypad-echo', defined)?.name).toBe('keypad-echo');
    const p = resolveFrameProfile('vendor-x', defined);
    expect(p?.name).toBe('vendor-x');
    expect(p?.description).toBe('某厂窗口屏');
    expect(resolveFrameProfile('vendor-x', defined)).toBe(p); // compiled once
    expect(resolveFrameProfile('vendor-y', defined)).toBeUndefined();
    expect(resolveFrameProfile('toString', defined)).toBeUndefined();
    expect(resolveFrameProfile('vendor-x', { 'vendor-x': { ...board, checksum: 'crc32' } })).toBeUndefined();
  });

  it('checks a definition before it is stored, naming the field', () => {
    expect(checkFrameProfileDefinition('vendor-x', board)).toMatchObject({ ok: true });
    expect(checkFrameProfileDefinition('vendor-x', { ...board, length: { bytes: 3, endian: 'big', counts: 'data' } })).toEqual({
      ok: false,
      code: 'PROTOCOL.INVALID_PAYLOAD',
      field: 'length.bytes',
      message: 'length.bytes: must be 1 or 2',
    });
    expect(checkFrameProfileDefinition('hall-default', board)).toMatchObject({ ok: false, code: 'CONFIG.CONFLICT', field: 'id' });
    expect(checkFrameProfileDefinition('Bad Id', board)).toMatchObject({ ok: false, code: 'PROTOCOL.INVALID_PAYLOAD', field: 'id' });
    expect(checkFrameProfileDefinition('x', 'not an object')).toMatchObject({ ok: false, field: 'profile' });
  });

  it('lists built-ins first, then the hall\'s own definitions as sent', () => {
    const list = listFrameProfiles({ 'my-keypad': KEYPAD_ECHO_DEFINITION });
    expect(list.filter((p) => p.builtIn).map((p) => p.id)).toEqual(['hall-default', 'modbus-like', 'stx-etx', 'keypad-echo']);
    expect(list.at(-1)).toEqual({ id: 'my-keypad', builtIn: false, definition: KEYPAD_ECHO_DEFINITION });
  });
});
