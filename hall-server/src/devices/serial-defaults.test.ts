import { describe, expect, it } from 'vitest';
import { HALL_DEFAULT_PROFILE } from '@hall/drivers';
import { serialBaudRate } from './serial-defaults';

describe('serial baud rate defaults', () => {
  it('an id-reader without baudRate talks 115200 (SAM); printers and scanners 9600', () => {
    expect(serialBaudRate('id-reader', undefined)).toBe(115200);
    expect(serialBaudRate('printer', undefined)).toBe(9600);
    expect(serialBaudRate('scanner', undefined)).toBe(9600);
  });

  it('an RS-485 device takes its frame profile\'s rate', () => {
    expect(serialBaudRate('keypad', undefined, { ...HALL_DEFAULT_PROFILE, serial: { ...HALL_DEFAULT_PROFILE.serial, baudRate: 19200 } })).toBe(19200);
  });

  it('a configured rate always wins', () => {
    expect(serialBaudRate('id-reader', 9600)).toBe(9600);
  });
});
