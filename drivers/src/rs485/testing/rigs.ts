/**
 * The lines the contract suites run on: a memory link to the simulator, a socat pty pair with
 * SerialTransport at 9600 on both ends, and real hardware when `HALL_TEST_RS485_PORT` is set.
 */
import { createMemoryLink } from '../../transport/memory-transport';
import { SerialTransport } from '../../transport/serial-transport';
import type { Transport } from '../../transport/transport';
import { getFrameProfile } from '../built-in-profiles';
import { HALL_DEFAULT_PROFILE, type FrameProfile } from '../frame-profile';
import type { Rs485BusOptions } from '../rs485-bus';
import { SimulatedRs485Bus } from '../simulated-rs485-bus';
import { openLinkedPtys } from '../../testing/linked-ptys';

export interface Rs485Rig {
  profile: FrameProfile;
  /** The host end, for an `Rs485Bus`. */
  host: Transport;
  /** Options for the host's bus (fast timings on simulated lines). */
  busOptions: Rs485BusOptions;
  /** The device side; absent on real hardware (tests that need it skip). */
  sim?: SimulatedRs485Bus;
  /** Two addresses to use; on hardware with one device both are the same. */
  addresses: [number, number];
  /** Pull the cable (devices lose power) and plug it back; absent on real hardware. */
  unplug?(): Promise<void>;
  replug?(): Promise<void>;
  close(): Promise<void>;
}

export type RigFactory = () => Promise<Rs485Rig>;

/** Fast enough for tests, slow enough that a pty under load still answers in time. */
function fastProfile(profile: FrameProfile, timeoutMs: number): FrameProfile {
  return profile.ack ? { ...profile, ack: { ...profile.ack, timeoutMs, retries: 1 } } : profile;
}

const FAST_BUS: Rs485BusOptions = { pollMs: 20, keepAliveMs: 60, offlinePollMs: 40, offlineAfterMisses: 2, reopenMs: 40 };

export function memoryRig(options: { profile?: FrameProfile; chunkSize?: number; push?: boolean } = {}): RigFactory {
  return async () => {
    const profile = fastProfile(options.profile ?? HALL_DEFAULT_PROFILE, 50);
    const { host, device } = createMemoryLink('rs485-test');
    if (options.chunkSize) {
      host.chunkSize = options.chunkSize;
      device.chunkSize = options.chunkSize;
    }
    const sim = new SimulatedRs485Bus(device, { profile, push: options.push ?? false });
    await sim.start();
    return {
      profile,
      host,
      busOptions: { ...FAST_BUS, profile },
      sim,
      addresses: [1, 2],
      unplug: () => sim.unplug(),
      replug: () => sim.replug(),
      close: async () => {
        await sim.stop();
        await host.close();
      },
    };
  };
}

export function ptyRig(options: { profile?: FrameProfile } = {}): RigFactory {
  return async () => {
    const profile = fastProfile(options.profile ?? HALL_DEFAULT_PROFILE, 100);
    const pair = await openLinkedPtys();
    const serial = { baudRate: profile.serial.baudRate, dataBits: profile.serial.dataBits, parity: profile.serial.parity, stopBits: profile.serial.stopBits };
    const host = new SerialTransport({ path: pair.host, ...serial });
    const device = new SerialTransport({ path: pair.device, ...serial });
    const sim = new SimulatedRs485Bus(device, { profile });
    await sim.start();
    return {
      profile,
      host,
      busOptions: { ...FAST_BUS, profile },
      sim,
      addresses: [1, 2],
      unplug: async () => {
        await sim.unplug();
        await pair.unplug();
      },
      replug: async () => {
        await pair.replug();
        await sim.replug();
      },
      close: async () => {
        await sim.stop();
        await host.close();
        await pair.close();
      },
    };
  };
}

/**
 * Real devices: `HALL_TEST_RS485_PORT=/dev/ttyUSB0`, optional `HALL_TEST_RS485_PROFILE`
 * (built-in name, default hall-default), `HALL_TEST_RS485_ADDRESSES=1,2` (default 1),
 * `HALL_TEST_RS485_BAUD`. Undefined when no port is named.
 */
export function hardwareRig(env: NodeJS.ProcessEnv = process.env): RigFactory | undefined {
  const path = env.HALL_TEST_RS485_PORT;
  if (!path) return undefined;
  return async () => {
    const profile = getFrameProfile(env.HALL_TEST_RS485_PROFILE ?? null);
    if (!profile) throw new Error(`HALL_TEST_RS485_PROFILE: no built-in profile named ${env.HALL_TEST_RS485_PROFILE}`);
    const addrs = (env.HALL_TEST_RS485_ADDRESSES ?? '1').split(',').map((s) => Number.parseInt(s.trim(), 10));
    const a = addrs[0] ?? 1;
    const host = new SerialTransport({
      path,
      baudRate: Number(env.HALL_TEST_RS485_BAUD ?? profile.serial.baudRate),
      dataBits: profile.serial.dataBits,
      parity: profile.serial.parity,
      stopBits: profile.serial.stopBits,
    });
    return {
      profile,
      host,
      busOptions: { profile, pollMs: 100, keepAliveMs: 500, offlinePollMs: 500 },
      addresses: [a, addrs[1] ?? a],
      close: () => host.close(),
    };
  };
}
