/** The checksums RS-485 display and keypad vendors put on their frames. Pure. */

export type ChecksumKind = 'sum8' | 'xor8' | 'crc16-modbus' | 'none';

/** Sum of the bytes modulo 256 (DL/T 645, FT1.2 and most LED controller boards). */
export function sum8(bytes: Uint8Array): number {
  let s = 0;
  for (const b of bytes) s = (s + b) & 0xff;
  return s;
}

/** XOR of the bytes (BCC, common on STX/ETX devices). */
export function xor8(bytes: Uint8Array): number {
  let x = 0;
  for (const b of bytes) x ^= b;
  return x;
}

const CRC16_TABLE = (() => {
  const table = new Uint16Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? (c >>> 1) ^ 0xa001 : c >>> 1;
    table[n] = c;
  }
  return table;
})();

/** CRC-16/MODBUS: poly 0x8005 reflected (0xA001), init 0xFFFF. Sent low byte first. */
export function crc16Modbus(bytes: Uint8Array): number {
  let crc = 0xffff;
  for (const b of bytes) crc = (crc >>> 8) ^ (CRC16_TABLE[(crc ^ b) & 0xff] as number);
  return crc;
}

export function checksumSize(kind: ChecksumKind): number {
  switch (kind) {
    case 'sum8':
    case 'xor8':
      return 1;
    case 'crc16-modbus':
      return 2;
    case 'none':
      return 0;
  }
}

/** The checksum bytes as they go on the wire (`endian` only matters for 16-bit kinds). */
export function checksumBytes(kind: ChecksumKind, bytes: Uint8Array, endian: 'be' | 'le' = 'le'): number[] {
  switch (kind) {
    case 'sum8':
      return [sum8(bytes)];
    case 'xor8':
      return [xor8(bytes)];
    case 'crc16-modbus': {
      const c = crc16Modbus(bytes);
      return endian === 'le' ? [c & 0xff, c >>> 8] : [c >>> 8, c & 0xff];
    }
    case 'none':
      return [];
  }
}
