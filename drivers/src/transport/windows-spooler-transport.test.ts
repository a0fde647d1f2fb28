import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { EscposDecoder } from '../printer/escpos-decoder';
import { EscposTicketPrinter } from '../printer/escpos-ticket-printer';
import { PaperModel, type PrintedTicket } from '../printer/printed-ticket';
import { exampleTicketJob } from '../printer/ticket-job';
import { RAW_PRINT_SCRIPT, WindowsSpoolerTransport, rawPrintCommand, type LineProcess, type RunCommand } from './windows-spooler-transport';

const temps: string[] = [];
afterAll(async () => {
  for (const d of temps) await rm(d, { recursive: true, force: true });
});

/** A stand-in for powershell.exe running RAW_PRINT_SCRIPT: answers as the script does. */
class FakeHelper implements LineProcess {
  jobs: Buffer[] = [];
  killed = false;
  private lineListener: (line: string) => void = () => undefined;
  private exitListener: (code: number | null, error?: Error) => void = () => undefined;
  constructor(
    readonly file: string,
    readonly args: string[],
    readonly env: Record<string, string>,
    private readonly answers: { open?: string; job?: (bytes: Buffer) => string | null } = {},
  ) {
    setImmediate(() => this.lineListener(this.answers.open ?? 'ready'));
  }
  writeLine(line: string): void {
    expect(line).toMatch(/^[A-Za-z0-9+/]*={0,2}$/); // one base64 line, nothing else
    const bytes = Buffer.from(line, 'base64');
    this.jobs.push(bytes);
    const answer = this.answers.job ? this.answers.job(bytes) : 'ok';
    if (answer !== null) setImmediate(() => this.lineListener(answer));
  }
  onLine(l: (line: string) => void): void {
    this.lineListener = l;
  }
  onExit(l: (code: number | null, error?: Error) => void): void {
    this.exitListener = l;
  }
  exit(code: number): void {
    this.exitListener(code);
  }
  kill(): void {
    this.killed = true;
  }
}

function queue(answers: ConstructorParameters<typeof FakeHelper>[3] = {}, jobTimeoutMs?: number) {
  const spawned: FakeHelper[] = [];
  const transport = new WindowsSpoolerTransport({
    printer: 'POS-80 票据打印机',
    ...(jobTimeoutMs ? { jobTimeoutMs } : {}),
    spawnProcess: (file, args, env) => {
      const h = new FakeHelper(file, args, env, answers);
      spawned.push(h);
      return h;
    },
  });
  return { transport, spawned };
}

describe('WindowsSpoolerTransport: a printer queue (RAW through the spooler API)', () => {
  it('starts one PowerShell helper with the RAW script, names the queue in its environment, and sends each job as one line', async () => {
    const { transport, spawned } = queue();
    await transport.open();
    expect(transport.isOpen).toBe(true);
    expect(transport.canRead).toBe(false);
    const h = spawned[0]!;
    expect(h.file).toBe('powershell.exe');
    expect(h.args.slice(0, -1)).toEqual(['-NoLogo', '-NoProfile', '-NonInteractive', '-ExecutionPolicy', 'Bypass', '-EncodedCommand']);
    // -EncodedCommand is base64 of UTF-16LE: the script arrives unquoted and unescaped.
    expect(Buffer.from(h.args.at(-1)!, 'base64').toString('utf16le')).toBe(RAW_PRINT_SCRIPT);
    expect(RAW_PRINT_SCRIPT).toContain('doc.pDatatype = "RAW"');
    for (const call of ['OpenPrinterW', 'StartDocPrinterW', 'StartPagePrinter', 'WritePrinter', 'EndPagePrinter', 'EndDocPrinter', 'ClosePrinter']) expect(RAW_PRINT_SCRIPT).toContain(call);
    expect(h.env).toEqual({ HALL_PRINTER: 'POS-80 票据打印机', HALL_PRINT_DOC: 'Hall ticket' });

    const bytes = Buffer.from([0x1b, 0x40, 0x41, 0x0a, 0x00, 0xff, 0x1d, 0x56, 0x00]);
    await transport.write(bytes);
    await transport.write(Buffer.from('second'));
    expect(h.jobs).toEqual([bytes, Buffer.from('second')]);
    expect(spawned).toHaveLength(1); // compiled once, not per ticket
    await transport.close();
    expect(h.killed).toBe(true);
  });

  it('an ESC/POS ticket printer over it: the spooler receives exactly the ticket the printer encodes', async () => {
    const { transport, spawned } = queue();
    const printer = new EscposTicketPrinter(transport);
    await printer.start();
    expect(await printer.print(exampleTicketJob({ ticketNumber: 'W007' }))).toEqual({ ok: true });
    const tickets: PrintedTicket[] = [];
    const paper = new PaperModel(32, (t) => tickets.push(t));
    expect(spawned[0]!.jobs).toHaveLength(1);
    for (const c of new EscposDecoder().push(spawned[0]!.jobs[0]!)) paper.apply(c);
    expect(tickets).toHaveLength(1);
    expect(tickets[0]?.textLines).toContain('W007');
    expect(tickets[0]?.cut).toBe('partial'); // the encoder's partial cut, passed through unchanged
    await printer.stop();
  });

  it('a queue that does not open fails open() with the Win32 reason; a job the spooler refuses fails that write', async () => {
    const bad = queue({ open: 'error OpenPrinter failed (Win32 error 1801)' });
    await expect(bad.transport.open()).rejects.toThrow('windows-printer:POS-80 票据打印机: OpenPrinter failed (Win32 error 1801)');
    expect(bad.transport.isOpen).toBe(false);
    expect(bad.spawned[0]!.killed).toBe(true);

    const refusing = queue({ job: (b) => (b.toString() === 'bad' ? 'error WritePrinter failed (Win32 error 5)' : 'ok') });
    await refusing.transport.open();
    await expect(refusing.transport.write(Buffer.from('bad'))).rejects.toThrow('WritePrinter failed (Win32 error 5)');
    await expect(refusing.transport.write(Buffer.from('good'))).resolves.toBeUndefined();
  });

  it('a helper that stops answering: the job fails, the link closes, and the next open starts a new helper', async () => {
    const { transport, spawned } = queue({ job: () => null }, 50);
    await transport.open();
    const closed = new Promise((r) => transport.once('close', r));
    await expect(transport.write(Buffer.from('x'))).rejects.toThrow(/did not take the job within 50 ms/);
    await closed;
    expect(transport.isOpen).toBe(false);
    expect(spawned[0]!.killed).toBe(true);
    await transport.open();
    expect(spawned).toHaveLength(2);
  });

  it('a helper that exits closes the link and fails what it was doing', async () => {
    const { transport, spawned } = queue({ job: () => null });
    await transport.open();
    const pending = transport.write(Buffer.from('x'));
    await new Promise((r) => setImmediate(r)); // the job reached the helper
    expect(spawned[0]!.jobs).toHaveLength(1);
    spawned[0]!.exit(1);
    await expect(pending).rejects.toThrow(/print helper exited \(1\)/);
    expect(transport.isOpen).toBe(false);
  });
});

describe('WindowsSpoolerTransport: a printer share (copy /b)', () => {
  it('copies each job as a binary file to \\\\host\\share and removes the file', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'hall-spool-'));
    temps.push(dir);
    const calls: Array<{ file: string; args: string[]; bytes: Buffer }> = [];
    const run: RunCommand = async (file, args) => {
      calls.push({ file, args, bytes: readFileSync(args[4]!) });
      return { code: 0, output: '        1 file(s) copied.' };
    };
    const transport = new WindowsSpoolerTransport({ printer: '\\\\KIOSK-01\\POS80', runCommand: run, tempDir: dir });
    await transport.open();
    const bytes = Buffer.from([0x1b, 0x40, 0x1d, 0x56, 0x00]);
    await transport.write(bytes);
    expect(calls).toHaveLength(1);
    expect(calls[0]!.file).toBe('cmd.exe');
    expect(calls[0]!.args).toEqual(['/d', '/c', 'copy', '/b', expect.stringMatching(/hall-ticket-[0-9a-f]{12}\.bin$/), '\\\\KIOSK-01\\POS80']);
    expect(calls[0]!.bytes).toEqual(bytes);
    expect(existsSync(calls[0]!.args[4]!)).toBe(false);
    expect(await readdir(dir)).toEqual([]);
  });

  it('a failed copy fails the write with what cmd said', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'hall-spool-'));
    temps.push(dir);
    const transport = new WindowsSpoolerTransport({ printer: '\\\\localhost\\POS 80', tempDir: dir, runCommand: async () => ({ code: 1, output: 'The network name cannot be found.' }) });
    await transport.open();
    await expect(transport.write(Buffer.from('x'))).rejects.toThrow('copy /b failed (1): The network name cannot be found.');
    expect(await readdir(dir)).toEqual([]);
  });

  it('refuses names cmd.exe would interpret or that break a line', () => {
    for (const printer of ['\\\\host\\sh&are', '\\\\host\\a"b', '\\\\host', '\\\\ho st\\x', 'POS\n80', '', '\\\\host\\%TEMP%']) {
      expect(() => new WindowsSpoolerTransport({ printer })).toThrow(/neither a printer name nor a share/);
    }
  });
});

describe('rawPrintCommand', () => {
  it('fits a Windows command line (32767 characters)', () => {
    const { file, args } = rawPrintCommand();
    expect([file, ...args].join(' ').length).toBeLessThan(32_767);
  });
});
