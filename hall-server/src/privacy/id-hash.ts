/**
 * ID numbers are kept only as a keyed hash (个人信息保护法): HMAC-SHA256 with a key that lives
 * in the data folder. Without the key a hash cannot be matched to a guessed number, and the
 * ID-number space is small enough that a plain hash could be.
 */
import { createHmac } from 'node:crypto';

export function idNumberHash(key: Buffer, idNumber: string): string {
  return createHmac('sha256', key).update(idNumber.trim().toUpperCase()).digest('hex');
}
