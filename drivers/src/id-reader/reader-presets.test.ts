import { describe, expect, it } from 'vitest';
import { ID_READER_PRESETS, idReaderPreset, presetsForUsb, SAM_SERIAL_BAUD } from './reader-presets';

describe('ID reader presets', () => {
  it('covers the models of issue 15, each with at least one way in', () => {
    for (const id of ['cvr-100u', 'ss628', 'idr210', 'dkq-a16d']) expect(idReaderPreset(id)?.connections.length, id).toBeGreaterThan(0);
  });

  it('SAM over serial is 115200; SAM over USB uses the 02/81 or 06/85 bulk pairs', () => {
    expect(SAM_SERIAL_BAUD).toBe(115200);
    const usb = idReaderPreset('cvr-100u')?.connections.find((c) => c.type === 'usb-bulk');
    expect(usb).toMatchObject({ vendorId: 0x0400, productId: 0xc35a, endpoints: [{ out: 0x02, in: 0x81 }, { out: 0x06, in: 0x85 }] });
  });

  it('finds the presets a plugged-in USB device may be', () => {
    expect(presetsForUsb(0x0400, 0xc35a).map((p) => p.id)).toEqual(['cvr-100u', 'ss628', 'dkq-a16d']);
    expect(presetsForUsb(0x1234, 0x5678)).toEqual([]);
  });

  it('ids are unique', () => {
    expect(new Set(ID_READER_PRESETS.map((p) => p.id)).size).toBe(ID_READER_PRESETS.length);
  });
});
