import { describe, expect, it } from 'vitest';
import { Device } from '@hall/protocol';
import { deviceProblem } from './device-options';

const device = (kind: string, transport: unknown) => Device.parse({ id: 'd1', kind, name: '取号机打印机', transport, attachedTo: { terminalId: 't1' } });

describe('windows-printer transport in device config', () => {
  it('a ticket printer may print through a Windows queue or share', () => {
    expect(deviceProblem(device('printer', { type: 'windows-printer', printer: 'POS-80' }))).toBeNull();
    expect(deviceProblem(device('printer', { type: 'windows-printer', printer: '\\\\localhost\\POS80' }))).toBeNull();
  });

  it('nothing else may, and the name is required', () => {
    expect(deviceProblem(device('scanner', { type: 'windows-printer', printer: 'POS-80' }))).toBe('transport: windows-printer is for ticket printers');
    expect(Device.safeParse({ id: 'd1', kind: 'printer', name: 'p', transport: { type: 'windows-printer', printer: '' } }).success).toBe(false);
  });
});
