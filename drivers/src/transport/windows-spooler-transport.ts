/**
 * A ticket printer installed in Windows (kiosk PCs whose receipt printer has a Windows driver
 * and a queue, e.g. "POS-80"): the ESC/POS bytes go through the print spooler unchanged, as a
 * RAW job, so the printer's own driver never renders them. Each `write()` is one spool job (the
 * ticket printer writes a whole ticket at once). The spooler does not pass status back, so
 * `canRead` is false: a ticket counts as printed when the spooler took the job, and paper-out
 * shows only in Windows' queue (documented in the devices README).
 *
 * Two standard ways, chosen by the name:
 * - a queue name (`POS-80`): the Win32 spooler API as in Microsoft's RawPrinterHelper
 *   (OpenPrinter, StartDocPrinter with datatype "RAW", WritePrinter, EndDocPrinter), from one
 *   PowerShell process started at open() that compiles the helper once and then takes one job
 *   per line (base64) on stdin and answers `ok` or `error <why>`: no per-ticket start-up cost;
 * - a printer share (`\\KIOSK-01\POS80`, or `\\localhost\POS80` for a local printer shared):
 *   `copy /b <file> \\host\share`, the classic way that needs no script, one process per job.
 *
 * Processes are started through injected functions, so the command lines and bytes are tested
 * on Linux; only Windows runs the real ones. Nothing here uses a Linux path.
 */
import { spawn as nodeSpawn, execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { unlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { BaseTransport, TransportClosedError } from './transport';

/** A long-running helper process: lines in, lines out. */
export interface LineProcess {
  writeLine(line: string): void;
  onLine(listener: (line: string) => void): void;
  onExit(listener: (code: number | null, error?: Error) => void): void;
  kill(): void;
}
export type SpawnLineProcess = (file: string, args: string[], env: Record<string, string>) => LineProcess;
/** Runs a command to its end: exit code and what it printed (stdout and stderr). */
export type RunCommand = (file: string, args: string[], timeoutMs: number) => Promise<{ code: number; output: string }>;

export interface WindowsSpoolerOptions {
  /** A Windows printer queue name, or a share `\\host\share`. */
  printer: string;
  /** Job name shown in the Windows queue. Default `Hall ticket`. */
  docName?: string;
  /** A job the spooler has not taken within this long fails. Default 20 s. */
  jobTimeoutMs?: number;
  spawnProcess?: SpawnLineProcess;
  runCommand?: RunCommand;
  /** Folder for the file a share copy sends. Default the OS temp folder. */
  tempDir?: string;
}

/** `\\host\share`: host and share names as Windows allows them, nothing cmd.exe would interpret. */
const SHARE = /^\\\\[A-Za-z0-9._-]{1,63}\\[^\\/:*?"<>|%^&!\r\n]{1,80}$/;
/** Printer queue names: anything printable but what would break a line or an environment value. */
const QUEUE = /^[^\r\n\0\\]{1,200}$/;

export function isPrinterShare(printer: string): boolean {
  return printer.startsWith('\\\\');
}

/** The PowerShell side: compiles the RAW printing helper once, checks the queue opens, then prints one base64 job per line. */
export const RAW_PRINT_SCRIPT = String.raw`$ErrorActionPreference = 'Stop'
Add-Type -TypeDefinition @'
using System;
using System.Runtime.InteropServices;
public static class HallRawPrinter {
  [StructLayout(LayoutKind.Sequential, CharSet = CharSet.Unicode)]
  public class DocInfo { public string pDocName; public string pOutputFile; public string pDatatype; }
  [DllImport("winspool.drv", EntryPoint = "OpenPrinterW", SetLastError = true, CharSet = CharSet.Unicode)]
  static extern bool OpenPrinter(string name, out IntPtr printer, IntPtr defaults);
  [DllImport("winspool.drv", SetLastError = true)] static extern bool ClosePrinter(IntPtr printer);
  [DllImport("winspool.drv", EntryPoint = "StartDocPrinterW", SetLastError = true, CharSet = CharSet.Unicode)]
  static extern int StartDocPrinter(IntPtr printer, int level, [In] DocInfo doc);
  [DllImport("winspool.drv", SetLastError = true)] static extern bool EndDocPrinter(IntPtr printer);
  [DllImport("winspool.drv", SetLastError = true)] static extern bool StartPagePrinter(IntPtr printer);
  [DllImport("winspool.drv", SetLastError = true)] static extern bool EndPagePrinter(IntPtr printer);
  [DllImport("winspool.drv", SetLastError = true)] static extern bool WritePrinter(IntPtr printer, byte[] bytes, int count, out int written);
  static Exception Failed(string call) { return new Exception(call + " failed (Win32 error " + Marshal.GetLastWin32Error() + ")"); }
  public static void Send(string name, string docName, byte[] bytes, bool checkOnly) {
    IntPtr printer;
    if (!OpenPrinter(name, out printer, IntPtr.Zero)) throw Failed("OpenPrinter");
    try {
      if (checkOnly) return;
      DocInfo doc = new DocInfo(); doc.pDocName = docName; doc.pDatatype = "RAW";
      if (StartDocPrinter(printer, 1, doc) == 0) throw Failed("StartDocPrinter");
      try {
        if (!StartPagePrinter(printer)) throw Failed("StartPagePrinter");
        int written;
        if (!WritePrinter(printer, bytes, bytes.Length, out written)) throw Failed("WritePrinter");
        if (written != bytes.Length) throw new Exception("WritePrinter took " + written + " of " + bytes.Length + " bytes");
        EndPagePrinter(printer);
      } finally { EndDocPrinter(printer); }
    } finally { ClosePrinter(printer); }
  }
}
'@
try { [HallRawPrinter]::Send($env:HALL_PRINTER, '', [byte[]]@(), $true); [Console]::Out.WriteLine('ready') }
catch { [Console]::Out.WriteLine('error ' + $_.Exception.GetBaseException().Message); exit 1 }
while ($null -ne ($line = [Console]::In.ReadLine())) {
  try { [HallRawPrinter]::Send($env:HALL_PRINTER, $env:HALL_PRINT_DOC, [Convert]::FromBase64String($line), $false); [Console]::Out.WriteLine('ok') }
  catch { [Console]::Out.WriteLine('error ' + $_.Exception.GetBaseException().Message) }
}`;

/** powershell.exe arguments: the script as -EncodedCommand (UTF-16LE, base64), so nothing is quoted or escaped. */
export function rawPrintCommand(): { file: string; args: string[] } {
  return {
    file: 'powershell.exe',
    args: ['-NoLogo', '-NoProfile', '-NonInteractive', '-ExecutionPolicy', 'Bypass', '-EncodedCommand', Buffer.from(RAW_PRINT_SCRIPT, 'utf16le').toString('base64')],
  };
}

const realSpawn: SpawnLineProcess = (file, args, env) => {
  const child = nodeSpawn(file, args, { env: { ...process.env, ...env }, stdio: ['pipe', 'pipe', 'pipe'], windowsHide: true });
  const lines = createInterface({ input: child.stdout });
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => void (stderr = (stderr + d.toString()).slice(-2000)));
  return {
    writeLine: (line) => void child.stdin.write(`${line}\r\n`),
    onLine: (l) => void lines.on('line', l),
    onExit: (l) => {
      child.once('error', (e) => l(null, e));
      child.once('exit', (code) => l(code, stderr.trim() ? new Error(stderr.trim()) : undefined));
    },
    kill: () => void child.kill(),
  };
};

const realRun: RunCommand = (file, args, timeoutMs) =>
  new Promise((resolve) => {
    execFile(file, args, { timeout: timeoutMs, windowsHide: true }, (err, stdout, stderr) => {
      const code = err ? (typeof (err as { code?: unknown }).code === 'number' ? ((err as { code: number }).code) : -1) : 0;
      resolve({ code, output: `${stdout}${stderr}${err && code === -1 ? err.message : ''}`.trim() });
    });
  });

export class WindowsSpoolerTransport extends BaseTransport {
  readonly description: string;
  readonly canRead = false;
  private readonly printer: string;
  private readonly docName: string;
  private readonly jobTimeoutMs: number;
  private readonly spawnProcess: SpawnLineProcess;
  private readonly runCommand: RunCommand;
  private readonly tempDir: string;
  private helper: LineProcess | undefined;
  /** Answers awaited from the helper, oldest first (it answers jobs in order). */
  private waiting: Array<(line: string) => void> = [];
  private chain: Promise<unknown> = Promise.resolve();

  constructor(options: WindowsSpoolerOptions) {
    super();
    const p = options.printer;
    if (isPrinterShare(p) ? !SHARE.test(p) : !QUEUE.test(p)) throw new Error(`windows printer: ${JSON.stringify(p)} is neither a printer name nor a share \\\\host\\share`);
    this.printer = p;
    this.description = `windows-printer:${p}`;
    this.docName = options.docName ?? 'Hall ticket';
    this.jobTimeoutMs = options.jobTimeoutMs ?? 20_000;
    this.spawnProcess = options.spawnProcess ?? realSpawn;
    this.runCommand = options.runCommand ?? realRun;
    this.tempDir = options.tempDir ?? tmpdir();
  }

  async open(): Promise<void> {
    if (this.opened) return;
    if (isPrinterShare(this.printer)) {
      // A share cannot be asked without printing: the first job tells.
      this.markOpen();
      return;
    }
    const { file, args } = rawPrintCommand();
    const helper = this.spawnProcess(file, args, { HALL_PRINTER: this.printer, HALL_PRINT_DOC: this.docName });
    this.helper = helper;
    helper.onLine((line) => this.waiting.shift()?.(line.trim()));
    helper.onExit((code, error) => {
      if (this.helper !== helper) return;
      this.helper = undefined;
      for (const w of this.waiting.splice(0)) w(`error the print helper exited (${code ?? error?.message ?? 'unknown'})`);
      this.closed(new Error(`${this.description}: the print helper exited${error ? `: ${error.message}` : ''}`));
    });
    const first = await this.answer(this.jobTimeoutMs);
    if (first !== 'ready') {
      this.helper = undefined;
      helper.kill();
      throw new Error(`${this.description}: ${first.replace(/^error /, '')}`);
    }
    this.markOpen();
  }

  write(data: Uint8Array): Promise<void> {
    const job = this.chain.then(() => this.print(Buffer.from(data)));
    this.chain = job.catch(() => undefined);
    return job;
  }

  async close(): Promise<void> {
    const helper = this.helper;
    this.helper = undefined;
    helper?.kill();
    for (const w of this.waiting.splice(0)) w('error closed');
    this.closed();
  }

  private async print(bytes: Buffer): Promise<void> {
    if (!this.opened) throw new TransportClosedError(this.description);
    if (isPrinterShare(this.printer)) return this.copyToShare(bytes);
    const helper = this.helper;
    if (!helper) throw new TransportClosedError(this.description);
    const answer = this.answer(this.jobTimeoutMs);
    helper.writeLine(bytes.toString('base64'));
    const line = await answer;
    if (line !== 'ok') throw new Error(`${this.description}: ${line.replace(/^error /, '')}`);
  }

  private answer(timeoutMs: number): Promise<string> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        const i = this.waiting.indexOf(done);
        if (i >= 0) this.waiting.splice(i, 1);
        // A helper that stopped answering cannot be trusted with the next job's order.
        const helper = this.helper;
        this.helper = undefined;
        helper?.kill();
        const why = `the spooler did not take the job within ${timeoutMs} ms`;
        // Closed, so the printer opens a fresh helper for its next ticket.
        this.closed(new Error(`${this.description}: ${why}`));
        resolve(`error ${why}`);
      }, timeoutMs);
      const done = (line: string): void => {
        clearTimeout(timer);
        resolve(line);
      };
      this.waiting.push(done);
    });
  }

  private async copyToShare(bytes: Buffer): Promise<void> {
    const file = join(this.tempDir, `hall-ticket-${randomBytes(6).toString('hex')}.bin`);
    await writeFile(file, bytes);
    try {
      const r = await this.runCommand('cmd.exe', ['/d', '/c', 'copy', '/b', file, this.printer], this.jobTimeoutMs);
      if (r.code !== 0) throw new Error(`${this.description}: copy /b failed (${r.code}): ${r.output.slice(0, 300)}`);
    } finally {
      await unlink(file).catch(() => undefined);
    }
  }
}
