/**
 * Issue #3's target: from a ticket issued to its bytes written to the printer port, under 50 ms.
 * Runs the device manager's measurement (hall-server/src/devices/print-latency.bench.ts): a real
 * hall in-process, a kiosk printer on a memory link and on a socat pty pair with the simulated
 * printer on the far end. The goal is checked on the p95 of "issued → written" over the serial
 * link, the slower of the two.
 */
import { measurePrintLatency, quantileOf } from '../src/devices/print-latency.bench';
import { below, isMain, round, runStandalone, type BenchResult } from './report';

export async function runPrintLatency(runs = 200): Promise<BenchResult> {
  const t0 = performance.now();
  const results = await measurePrintLatency(runs);
  const serial = results.find((r) => r.link === 'serial');
  if (!serial) throw new Error('no serial printer run');
  const stat = (xs: number[]) => ({ p50: round(quantileOf(xs, 0.5)), p95: round(quantileOf(xs, 0.95)), max: round(Math.max(...xs)) });
  const info = results.flatMap((r) => {
    const w = stat(r.samples.map((s) => s.issuedToWritten));
    const h = stat(r.samples.map((s) => s.requestToWrite));
    return [
      { what: `${r.label}: issued → written p50 / p95 / max`, value: `${w.p50} / ${w.p95} / ${w.max}`, unit: 'ms' },
      { what: `${r.label}: HTTP request sent → write() p50 / p95`, value: `${h.p50} / ${h.p95}`, unit: 'ms' },
    ];
  });
  return {
    bench: 'print-latency',
    durationMs: Math.round(performance.now() - t0),
    targets: [below('print.p95', 'ticket issued → bytes written to a serial printer port, p95', stat(serial.samples.map((s) => s.issuedToWritten)).p95, 50, 'ms')],
    info,
    details: { runs, bytes: serial.bytes },
  };
}

if (isMain(import.meta.url)) await runStandalone(() => runPrintLatency());
