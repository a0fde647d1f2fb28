#!/usr/bin/env node
// A stand-in for a vendor reader tool speaking the JSON-lines protocol of
// ChildProcessReaderAdapter. Arguments: a JSON array of answers to successive reads, the last
// one repeated, with the special answers "exit" (the tool crashes) and "hang" (it never
// answers); optionally the first line to print instead of {"status":"ready"}.
import { createInterface } from 'node:readline';

const answers = JSON.parse(process.argv[2] ?? '[{"status":"no-card"}]');
const start = process.argv[3] ?? '{"status":"ready"}';
let n = 0;
process.stdout.write(`${start}\n`);
createInterface({ input: process.stdin }).on('line', (line) => {
  const req = JSON.parse(line);
  if (req.op === 'quit') process.exit(0);
  const a = answers[Math.min(n++, answers.length - 1)];
  if (a === 'exit') process.exit(3);
  if (a === 'hang') return;
  process.stdout.write(`${JSON.stringify(a)}\n`);
});
