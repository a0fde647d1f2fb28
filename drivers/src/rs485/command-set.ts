/**
 * Payloads of the command set (function codes come from the profile, see README.md). Shared by
 * the drivers and the simulators so both sides agree byte for byte.
 */
import { decodeText, encodeText, type EncodedText } from './device-text';
import { layoutOf, type FrameProfile, type KeypadKeyName } from './frame-profile';

export type RatingScore = 1 | 2 | 3 | 4 | 5;

/** 好差评 levels: 5 = 非常满意 … 1 = 非常不满意. */
export const RATING_LABELS: Readonly<Record<RatingScore, string>> = {
  5: '非常满意',
  4: '满意',
  3: '基本满意',
  2: '不满意',
  1: '非常不满意',
};

export function isRatingScore(n: number): n is RatingScore {
  return Number.isInteger(n) && n >= 1 && n <= 5;
}

export interface TextPayload extends Omit<EncodedText, 'bytes'> {
  payload: Buffer;
}

/** `[...prefix, ...text]`, text cut to fit the profile's payload limit. */
export function textPayload(profile: FrameProfile, text: string, prefix: number[] = []): TextPayload {
  const room = layoutOf(profile).maxData - prefix.length;
  const { bytes, replaced, truncated } = encodeText(text, profile.encoding, Math.max(0, room));
  return { payload: Buffer.concat([Buffer.from(prefix), bytes]), replaced, truncated };
}

/** showText: `[line, ...text]`, line 1 = top. */
export function showTextPayload(profile: FrameProfile, line: number, text: string): TextPayload {
  return textPayload(profile, text, [line & 0xff]);
}

export function parseShowText(profile: FrameProfile, data: Buffer): { line: number; text: string } | null {
  if (data.length < 1) return null;
  return { line: data[0] as number, text: decodeText(data.subarray(1), profile.encoding) };
}

/** ratingStart: `[...clerk name, 0x00, ...staff number]` (0x00 never occurs in GBK text). */
export function ratingStartPayload(profile: FrameProfile, clerkName: string, staffNo: string): TextPayload {
  const max = layoutOf(profile).maxData;
  const staff = encodeText(staffNo, profile.encoding, Math.max(0, Math.floor(max / 2)));
  const name = encodeText(clerkName, profile.encoding, Math.max(0, max - 1 - staff.bytes.length));
  return {
    payload: Buffer.concat([name.bytes, Buffer.from([0]), staff.bytes]),
    replaced: [...name.replaced, ...staff.replaced],
    truncated: name.truncated || staff.truncated,
  };
}

export function parseRatingStart(profile: FrameProfile, data: Buffer): { clerkName: string; staffNo: string } {
  const sep = data.indexOf(0);
  const name = sep < 0 ? data : data.subarray(0, sep);
  const staff = sep < 0 ? Buffer.alloc(0) : data.subarray(sep + 1);
  return { clerkName: decodeText(name, profile.encoding), staffNo: decodeText(staff, profile.encoding) };
}

/**
 * Device→host events (keyEvent, ratingResult): `[value, seq]`. The device keeps an event until
 * the host acks it (`[func, seq]`) and resends it on the next poll; seq 1..255 lets the host
 * drop a resend whose ack was lost. seq 0 (or absent) = the device does not number events.
 */
export function eventPayload(value: number, seq: number): Buffer {
  return Buffer.from([value & 0xff, seq & 0xff]);
}

export function parseEvent(data: Buffer): { value: number; seq: number } | null {
  if (data.length < 1) return null;
  return { value: data[0] as number, seq: data[1] ?? 0 };
}

/** The next event sequence number, 1..255 (0 is never used). */
export function nextSeq(seq: number): number {
  return (seq % 255) + 1;
}

/** An ack: `[acked func]` from a device, `[acked func, seq]` from the host for an event. */
export function ackPayload(func: number, seq?: number): Buffer {
  return Buffer.from(seq === undefined ? [func] : [func, seq]);
}

export function keyFromCode(profile: FrameProfile, code: number): KeypadKeyName | undefined {
  for (const [key, c] of Object.entries(profile.keyCodes)) if (c === code) return key as KeypadKeyName;
  return undefined;
}
