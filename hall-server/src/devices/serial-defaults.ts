/**
 * The baud rate of a serial device whose config leaves `baudRate` out: an ID reader's SAM
 * module talks 115200, an RS-485 device its frame profile's rate, everything else (printers,
 * scanners) the common 9600. Kept out of the stored config, so the default can be told from a
 * configured 9600.
 */
import { SAM_SERIAL_BAUD, type FrameProfile } from '@hall/drivers';
import type { Device } from '@hall/protocol';

export const DEFAULT_SERIAL_BAUD = 9600;

export function serialBaudRate(kind: Device['kind'], configured: number | undefined, profile?: FrameProfile): number {
  if (configured !== undefined) return configured;
  if (kind === 'id-reader') return SAM_SERIAL_BAUD;
  if (profile) return profile.serial.baudRate;
  return DEFAULT_SERIAL_BAUD;
}
