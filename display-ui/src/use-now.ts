import { useEffect, useState } from 'preact/hooks';

/** The PC's time, renewed every `periodMs` (clocks and time-outs on the screens). */
export function useNow(periodMs = 1000): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const t = setInterval(() => setNow(Date.now()), periodMs);
    return () => clearInterval(t);
  }, [periodMs]);
  return now;
}
