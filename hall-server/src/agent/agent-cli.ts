/**
 * `hall-server agent --hall URL --token T [--config FILE]`
 *
 * The token may also come from `HALL_AGENT_TOKEN` or the config file, so it need not show in the
 * process list. The config file (JSON) may hold `hall`, `token`, `transports` (this PC's port per
 * device id, e.g. `{ "dev-x": { "type": "serial", "path": "COM3", "baudRate": 9600 } }`) and
 * `backoff` (`{ initialMs, maxMs }`, reconnecting to the hall and reopening ports).
 */
import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import { describeZodError, Transport } from '@hall/protocol';
import { createLogger } from '../logging';
import { KioskAgent, type KioskAgentOptions } from './kiosk-agent';

export const AGENT_USAGE = `Usage: hall-server agent --hall URL --token TOKEN [--config FILE]

  --hall URL      the hall server, e.g. http://192.168.1.10:8080
  --token TOKEN   this kiosk's terminal token (or HALL_AGENT_TOKEN, or "token" in the config file)
  --config FILE   JSON: { "hall", "token", "transports": { "<deviceId>": <transport> }, "backoff": { "initialMs", "maxMs" } }
`;

const Backoff = z.object({ initialMs: z.number().int().min(10).max(60_000), maxMs: z.number().int().min(10).max(600_000) }).strict();

export const AgentConfigFile = z
  .object({
    hall: z.string().url().optional(),
    token: z.string().min(1).max(200).optional(),
    transports: z.record(z.string().min(1).max(64), Transport).optional(),
    backoff: Backoff.optional(),
  })
  .strict();
export type AgentConfigFile = z.infer<typeof AgentConfigFile>;

export class AgentUsageError extends Error {}

export interface AgentArgs {
  hall?: string;
  token?: string;
  config?: string;
}

export function parseAgentArgs(args: readonly string[]): AgentArgs {
  const out: AgentArgs = {};
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] as string;
    const eq = arg.indexOf('=');
    const [flag, inline] = arg.startsWith('--') && eq > 0 ? [arg.slice(0, eq), arg.slice(eq + 1)] : [arg, undefined];
    const value = (): string => {
      const v = inline ?? args[++i];
      if (v === undefined || v === '') throw new AgentUsageError(`${flag} needs a value\n\n${AGENT_USAGE}`);
      return v;
    };
    if (flag === '--hall') out.hall = value();
    else if (flag === '--token') out.token = value();
    else if (flag === '--config') out.config = value();
    else throw new AgentUsageError(`unknown argument ${flag}\n\n${AGENT_USAGE}`);
  }
  return out;
}

/** Arguments, config file and environment → agent options (arguments win, then the file). */
export async function agentOptions(args: readonly string[], env: NodeJS.ProcessEnv = process.env): Promise<KioskAgentOptions> {
  const a = parseAgentArgs(args);
  let file: AgentConfigFile = {};
  if (a.config) {
    let text: string;
    try {
      text = await readFile(a.config, 'utf8');
    } catch (err) {
      throw new AgentUsageError(`cannot read ${a.config}: ${(err as Error).message}`);
    }
    let raw: unknown;
    try {
      raw = JSON.parse(text);
    } catch {
      throw new AgentUsageError(`${a.config} is not JSON`);
    }
    const p = AgentConfigFile.safeParse(raw);
    if (!p.success) throw new AgentUsageError(`${a.config}: ${describeZodError(p.error)}`);
    file = p.data;
  }
  const hall = a.hall ?? file.hall;
  const token = a.token ?? env.HALL_AGENT_TOKEN ?? file.token;
  if (!hall) throw new AgentUsageError(`--hall is required\n\n${AGENT_USAGE}`);
  if (!/^https?:\/\//.test(hall)) throw new AgentUsageError(`--hall must be an http(s) URL, got ${hall}`);
  if (!token) throw new AgentUsageError(`--token (or HALL_AGENT_TOKEN) is required\n\n${AGENT_USAGE}`);
  return {
    hallUrl: hall,
    token,
    ...(file.transports ? { transports: file.transports } : {}),
    ...(file.backoff ? { reconnect: file.backoff, runtime: { backoff: file.backoff } } : {}),
  };
}

/** Runs the agent until SIGINT or SIGTERM. */
export async function runAgent(args: string[]): Promise<void> {
  let options: KioskAgentOptions;
  try {
    options = await agentOptions(args);
  } catch (err) {
    if (err instanceof AgentUsageError) {
      process.stderr.write(`hall-server agent: ${err.message}\n`);
      process.exitCode = 2;
      return;
    }
    throw err;
  }
  const log = createLogger();
  const agent = new KioskAgent({ ...options, log });
  agent.start();
  log.info({ hall: options.hallUrl }, 'kiosk agent started');
  await new Promise<void>((resolve) => {
    const stop = (signal: string): void => {
      log.info({ signal }, 'kiosk agent stopping');
      setTimeout(() => process.exit(1), 5000).unref();
      agent.stop().then(resolve, resolve);
    };
    process.once('SIGINT', () => stop('SIGINT'));
    process.once('SIGTERM', () => stop('SIGTERM'));
  });
}
