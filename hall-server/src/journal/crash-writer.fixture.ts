/**
 * Child process for the kill -9 test: appends forever from several concurrent callers and
 * prints the `n` of every acknowledged event on its own line.
 * Usage: <dir> <day> [callers] [first n - 1]
 */
import { Journal } from './journal';

interface CrashEvent {
  type: string;
  n: number;
  pad: string;
}

const [dir, day, callersArg, offsetArg] = process.argv.slice(2);
if (!dir || !day) throw new Error('usage: crash-writer <dir> <day> [callers]');
const callers = Number(callersArg ?? '8');
const { journal } = await Journal.open<CrashEvent>(dir, day);
let next = Number(offsetArg ?? '0');
const pad = 'x'.repeat(200);

async function loop(): Promise<void> {
  for (;;) {
    const n = ++next;
    await journal.append([{ type: 'test.crash', n, pad }]);
    process.stdout.write(`${n}\n`);
  }
}
process.stdout.write('ready\n');
await Promise.all(Array.from({ length: callers }, () => loop()));
