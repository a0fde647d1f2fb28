import { afterAll, describe, expect, it } from 'vitest';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { agentOptions, AgentUsageError, parseAgentArgs } from './agent-cli';

describe('hall-server agent arguments', () => {
  const dirs: string[] = [];
  afterAll(async () => {
    for (const d of dirs) await rm(d, { recursive: true, force: true });
  });
  const file = async (content: string): Promise<string> => {
    const dir = await mkdtemp(join(tmpdir(), 'hall-agent-'));
    dirs.push(dir);
    const path = join(dir, 'agent.json');
    await writeFile(path, content);
    return path;
  };

  it('reads --hall, --token and --config, in both flag forms', () => {
    expect(parseAgentArgs(['--hall', 'http://h:8080', '--token=abc', '--config', 'a.json'])).toEqual({ hall: 'http://h:8080', token: 'abc', config: 'a.json' });
    expect(() => parseAgentArgs(['--hall'])).toThrow(AgentUsageError);
    expect(() => parseAgentArgs(['--bogus', 'x'])).toThrow(/unknown argument/);
  });

  it('needs a hall URL and a token (argument, HALL_AGENT_TOKEN or config file)', async () => {
    await expect(agentOptions(['--token', 't'], {})).rejects.toThrow(/--hall/);
    await expect(agentOptions(['--hall', 'http://h'], {})).rejects.toThrow(/--token/);
    await expect(agentOptions(['--hall', 'ftp://h', '--token', 't'], {})).rejects.toThrow(/http/);
    expect(await agentOptions(['--hall', 'http://h'], { HALL_AGENT_TOKEN: 'from-env' })).toMatchObject({ hallUrl: 'http://h', token: 'from-env' });
  });

  it('takes this PC\'s ports and backoff from the config file; arguments win', async () => {
    const path = await file(
      JSON.stringify({
        hall: 'http://file:8080',
        token: 'file-token',
        transports: { 'dev-p': { type: 'serial', path: 'COM3', baudRate: 9600 } },
        backoff: { initialMs: 100, maxMs: 1000 },
      }),
    );
    const o = await agentOptions(['--config', path, '--hall', 'http://arg:8080'], {});
    expect(o).toMatchObject({
      hallUrl: 'http://arg:8080',
      token: 'file-token',
      transports: { 'dev-p': { type: 'serial', path: 'COM3', baudRate: 9600 } },
      reconnect: { initialMs: 100, maxMs: 1000 },
    });
  });

  it('a bad config file is a clear error naming the field', async () => {
    await expect(agentOptions(['--config', await file('{"transports":{"x":{"type":"carrier-pigeon"}}}')], {})).rejects.toThrow(/transports/);
    await expect(agentOptions(['--config', await file('not json')], {})).rejects.toThrow(/not JSON/);
    await expect(agentOptions(['--config', '/nonexistent/agent.json'], {})).rejects.toThrow(/cannot read/);
  });
});
