/**
 * Times print() → transport.write() over an in-memory link to the simulator, for benchmarks
 * and the README. Includes layout, encoding and the DLE EOT round trip.
 */
import { performance } from 'node:perf_hooks';
import { createMemoryLink } from '../transport/memory-transport';
import { EscposTicketPrinter, type EscposTicketPrinterOptions } from './escpos-ticket-printer';
import { SimulatedTicketPrinter } from './simulated-ticket-printer';
import { exampleTicketJob, type TicketPrintJob } from './ticket-job';

export interface PrintLatency {
  runs: number;
  /** print() called → transport.write() called, in ms. */
  p50Ms: number;
  p95Ms: number;
  maxMs: number;
  meanMs: number;
  /** Bytes of one job. */
  bytes: number;
}

export async function measurePrintLatency(
  options: { runs?: number; job?: TicketPrintJob; printer?: EscposTicketPrinterOptions } = {},
): Promise<PrintLatency> {
  const runs = Math.max(1, options.runs ?? 50);
  const job = options.job ?? exampleTicketJob();
  const link = createMemoryLink('latency');
  const sim = new SimulatedTicketPrinter(link.device, { paperWidth: options.printer?.paperWidth ?? 58 });
  await sim.start();
  // The simulator prints the instant the cut arrives: no need to wait before the after-cut check.
  const printer = new EscposTicketPrinter(link.host, { afterCutStatusDelayMs: 0, ...options.printer });
  await printer.start();
  try {
    await printer.print(job); // warm-up: JIT, font, iconv tables
    const samples: number[] = [];
    let bytes = 0;
    for (let i = 0; i < runs; i++) {
      const called = performance.now();
      const result = await printer.print(job);
      const timing = printer.lastTiming;
      if (!result.ok || !timing) throw new Error(`latency run failed: ${result.ok ? 'no timing' : result.code}`);
      samples.push(timing.writeCalledAt - called);
      bytes = timing.bytes;
    }
    samples.sort((a, b) => a - b);
    const at = (q: number): number => samples[Math.min(samples.length - 1, Math.floor(q * samples.length))] ?? 0;
    return {
      runs,
      p50Ms: at(0.5),
      p95Ms: at(0.95),
      maxMs: samples[samples.length - 1] ?? 0,
      meanMs: samples.reduce((a, b) => a + b, 0) / samples.length,
      bytes,
    };
  } finally {
    await printer.stop();
    await sim.stop();
  }
}
