/**
 * Percentiles from minute histograms (`[count of minute 0, count of minute 1, …]`, minutes floored).
 * The read model keeps waits and service times per day as histograms, so a year's percentiles
 * merge a few thousand small arrays instead of reading every ticket. Within a minute the values
 * are taken as spread evenly, so a median reads to a tenth of a minute.
 */

/** Dense counts per minute (index = minute); grows as merged. */
export type MinuteHistogram = number[];

export function mergeHistogram(into: MinuteHistogram, json: string): void {
  if (json === '[]') return;
  const counts = JSON.parse(json) as number[];
  for (let m = into.length; m < counts.length; m++) into.push(0);
  for (let m = 0; m < counts.length; m++) into[m]! += counts[m]!;
}

/** The q-quantile (0..1) in minutes, one decimal; null for an empty histogram. */
export function quantile(h: MinuteHistogram, q: number): number | null {
  let total = 0;
  for (const n of h) total += n;
  if (total === 0) return null;
  const target = q * total;
  let seen = 0;
  for (let minute = 0; minute < h.length; minute++) {
    const n = h[minute]!;
    if (n === 0) continue;
    if (seen + n >= target) return round1(minute + (target - seen) / n);
    seen += n;
  }
  return round1(h.length);
}

export const round1 = (x: number): number => Math.round(x * 10) / 10;
