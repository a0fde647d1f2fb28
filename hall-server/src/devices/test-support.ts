/** Shared by the device tests: fast timings, an in-memory config store, waiting helpers. */
import { fail, ok, type Device, type HallConfig, type Result } from '@hall/protocol';
import { pino } from 'pino';
import { createDemoConfig, validateConfig, type ConfigStore } from '../config';
import type { DeviceRuntimeOptions } from './device-runtime';

/** Short backoffs and bus timings so tests take milliseconds, not seconds. */
export const FAST_DEVICES: DeviceRuntimeOptions = {
  backoff: { initialMs: 20, maxMs: 100 },
  bus: { pollMs: 20, keepAliveMs: 60, offlinePollMs: 40, offlineAfterMisses: 2 },
  ack: { timeoutMs: 60, retries: 1 },
  printer: { statusPollMs: 40, statusTimeoutMs: 100 },
  idReader: { pollIntervalMs: 20, requestTimeoutMs: 300, readTimeoutMs: 600 },
};

export const silentLog = pino({ level: 'silent' });

/** An in-memory ConfigStore with the real validation. */
export function memoryConfig(initial: HallConfig = createDemoConfig()): ConfigStore {
  let data = initial;
  const listeners = new Set<(cfg: HallConfig) => void>();
  return {
    get data() {
      return data;
    },
    async update(mutate): Promise<Result<HallConfig>> {
      const draft = structuredClone(data);
      mutate(draft);
      const checked = validateConfig(draft);
      if (!checked.ok) return fail('PROTOCOL.INVALID_PAYLOAD', checked.issue.message, { field: checked.issue.field });
      data = checked.value;
      for (const l of listeners) l(data);
      return ok(data);
    },
    onChange(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}

export function device(partial: Partial<Device> & Pick<Device, 'id' | 'kind'>): Device {
  return {
    name: partial.id,
    transport: { type: 'simulated' },
    attachedTo: null,
    address: null,
    profile: null,
    options: {},
    ...partial,
  };
}

export async function waitFor<T>(check: () => T | undefined | null | false, timeoutMs = 3000, what = 'condition'): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = check();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
