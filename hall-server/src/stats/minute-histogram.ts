/**
 * Percentiles from minute histograms (`[count of minute 0, count of minute 1, …]`, minutes floored).
 * The read model keeps waits and service times per day as histograms, so a year's percentiles
 * merge a few thousand small arrays instead of reading every ticket. Within a minute the values
 * are taken as spread evenly, so a median reads to a tenth of a minute.
 */
export type MinuteHistogram = Map<number, number>;

export function mergeHistogram(into: MinuteHistogram, json: string): void {
  if (json === '[]') return;
  const counts = JSON.parse(json) as number[];
  for (let minute = 0; minute < counts.length; minute++) {
    const n = counts[minute]!;
    if (n > 0) into.set(minute, (into.get(minute) ?? 0) + n);
  }
}

/** The q-quantile (0..1) in minutes, one decimal; null for an empty histogram. */
export function quantile(h: MinuteHistogram, q: number): number | null {
  let total = 0;
  for (const n of h.values()) total += n;
  if (total === 0) return null;
  const target = q * total;
  let seen = 0;
  for (const minute of [...h.keys()].sort((a, b) => a - b)) {
    const n = h.get(minute)!;
    if (seen + n >= target) return round1(minute + (n === 0 ? 0 : (target - seen) / n));
    seen += n;
  }
  return round1(Math.max(...h.keys()) + 1);
}

export const round1 = (x: number): number => Math.round(x * 10) / 10;
