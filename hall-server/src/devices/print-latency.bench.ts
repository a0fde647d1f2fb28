/**
 * How long from a ticket being issued to its bytes being written to the printer port
 * (target: under 50 ms). A measurement, not a test:
 *
 *   node --import tsx hall-server/src/devices/print-latency.bench.ts [runs]
 *
 * A real hall server in-process (temp data folder, journal with fsync), a kiosk terminal with a
 * printer on (1) a memory link to the simulated printer and (2) a real serial line, a socat pty
 * pair with the simulated printer on the far end. Each run issues one ticket over HTTP, as a
 * kiosk does. Times, from performance.now() in this one process:
 * - issued → write: `printTicket()` called (the ticket is journalled, the 201 is being built)
 *   until `transport.write()` is called with the ticket's bytes — layout, ESC/POS encoding and
 *   the DLE EOT status round trip included;
 * - issued → written: until write() resolved (bytes handed to the OS, drained on serial);
 * - request → write: from the HTTP request being sent (so including the journal's fsync).
 */
import { performance } from 'node:perf_hooks';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { SerialTransport, SimulatedTicketPrinter, type PrintTiming } from '@hall/drivers';
import type { IssueTicketResponse, Ticket } from '@hall/protocol';
import { openPtyPair } from '../../../drivers/src/testing/pty-pair';
import { startHall } from '../main';

export interface PrintLatencySample {
  issuedToWrite: number;
  issuedToWritten: number;
  requestToWrite: number;
}
type Sample = PrintLatencySample;

export interface PrintLatencyRun {
  label: string;
  link: 'memory' | 'serial';
  bytes: number;
  samples: PrintLatencySample[];
}

export const quantileOf = (xs: number[], q: number): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(q * s.length))] ?? NaN;
};

const quantile = quantileOf;
const fmt = (n: number): string => n.toFixed(2).padStart(7);

/** Issues `runs` tickets per printer link and returns the timings (also used by `npm run bench`). */
export async function measurePrintLatency(runs: number): Promise<PrintLatencyRun[]> {
  const out: PrintLatencyRun[] = [];
  const dataDir = await mkdtemp(join(tmpdir(), 'hall-print-bench-'));
  const hall = await startHall({ dataDir, port: 0, host: '127.0.0.1', adminPassword: 'bench-pass-123', log: pino({ level: 'silent' }), announce: () => undefined });
  const pty = await openPtyPair();
  const ptySim = new SimulatedTicketPrinter(new SerialTransport({ path: pty.b, baudRate: 115200 }));
  await ptySim.start();
  try {
    await hall.config.update((d) => {
      d.hall.terminalTicketsPerMinute = 10_000;
    });
    const api = async <T>(method: string, path: string, body: unknown, token: string): Promise<{ status: number; body: T }> => {
      const res = await fetch(`${hall.url}${path}`, { method, headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body: JSON.stringify(body) });
      return { status: res.status, body: (await res.json()) as T };
    };
    const login = await fetch(`${hall.url}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'admin', password: 'bench-pass-123' }) });
    const admin = ((await login.json()) as { token: string }).token;

    // Time the moment printTicket is called: the ticket is issued (journalled) at that instant.
    const port = hall.issue.printer;
    let calledAt = 0;
    hall.issue.printer = {
      printTicket(terminalId: string, ticket: Ticket, trackUrl: string) {
        calledAt = performance.now();
        return port.printTicket(terminalId, ticket, trackUrl);
      },
    };

    for (const [label, transport] of [
      ['memory link → simulated printer', { type: 'simulated' }],
      ['serial (socat pty) → simulated printer', { type: 'serial', path: pty.a, baudRate: 115200 }],
    ] as const) {
      const term = await api<{ id: string; token: string }>('POST', '/api/terminals', { kind: 'kiosk', name: `bench ${label}`.slice(0, 60) }, admin);
      const dev = await api<{ id: string }>('POST', '/api/devices', { kind: 'printer', name: 'bench printer', transport, attachedTo: { terminalId: term.body.id } }, admin);
      if (dev.status !== 201) throw new Error(`device: ${JSON.stringify(dev.body)}`);
      const deadline = Date.now() + 5000;
      while (hall.devices.manager.healthOf(dev.body.id).status !== 'online') {
        if (Date.now() > deadline) throw new Error(`${label}: printer not online`);
        await new Promise((r) => setTimeout(r, 20));
      }
      const samples: Sample[] = [];
      const finished = new Set<string>();
      hall.devices.manager.on('printed', (_terminal: string, ticketId: string) => void finished.add(ticketId));
      let bytes = 0;
      for (let i = 0; i < runs + 20; i++) {
        const timing = new Promise<PrintTiming>((resolve) => {
          const on = (id: string, t: PrintTiming): void => {
            if (id !== dev.body.id) return;
            hall.devices.manager.runtime.off('printed', on);
            resolve(t);
          };
          hall.devices.manager.runtime.on('printed', on);
        });
        const sent = performance.now();
        const r = await api<IssueTicketResponse>('POST', '/api/tickets', { serviceId: 'svc-social' }, term.body.token);
        if (r.status !== 201 || r.body.print !== 'sent') throw new Error(`${label}: issue ${r.status} print ${r.body.print}`);
        const t = await timing;
        // Each ticket starts at an idle printer, as at a kiosk where one citizen takes a ticket
        // after another: a job ends only after its status check after the cut (about a second
        // on a real printer), which would otherwise be timed as the next ticket's wait.
        while (!finished.has(r.body.id)) await new Promise((res) => setTimeout(res, 5));
        bytes = t.bytes;
        if (i >= 20) samples.push({ issuedToWrite: t.writeCalledAt - calledAt, issuedToWritten: t.writtenAt - calledAt, requestToWrite: t.writeCalledAt - sent });
      }
      out.push({ label, link: transport.type === 'serial' ? 'serial' : 'memory', bytes, samples });
    }
    return out;
  } finally {
    await hall.close();
    await ptySim.stop().catch(() => undefined);
    await pty.close();
    await rm(dataDir, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  const runs = Math.max(10, Number(process.argv[2] ?? 200));
  const lines: string[] = [];
  for (const { label, bytes, samples } of await measurePrintLatency(runs)) {
    const col = (k: keyof Sample): string => {
      const xs = samples.map((s) => s[k]);
      return `p50 ${fmt(quantile(xs, 0.5))}  p95 ${fmt(quantile(xs, 0.95))}  max ${fmt(Math.max(...xs))} ms`;
    };
    lines.push(
      `${label} (${samples.length} tickets, ${bytes} bytes each)`,
      `  issued → write()    ${col('issuedToWrite')}`,
      `  issued → written    ${col('issuedToWritten')}`,
      `  request → write()   ${col('requestToWrite')}`,
    );
  }
  process.stdout.write(`Ticket issued → bytes to the printer port (target < 50 ms)\n${lines.join('\n')}\n`);
}

if (process.argv[1] && import.meta.url.endsWith(process.argv[1].split('/').slice(-3).join('/'))) await main();
