/**
 * `hall-server devices probe [--json]`: what is plugged into this machine (serial ports with
 * their stable names, HID and USB devices), each with a guess and a transport to configure it
 * with. Read-only: it opens no device. See docs/DEVICES-SETUP.md.
 */
import { formatProbeReport, probeDevices, type ProbeSources } from '@hall/drivers';

export const DEVICES_USAGE = `Usage:
  hall-server devices probe [--json]   list serial ports, HID and USB devices with a guess of each
`;

/** Runs a `devices` subcommand; returns the exit code. */
export async function runDevicesCommand(args: readonly string[], out: (text: string) => void, sources?: ProbeSources): Promise<number> {
  const [sub, ...flags] = args;
  if (sub !== 'probe' || flags.some((f) => f !== '--json')) {
    out(DEVICES_USAGE);
    return 2;
  }
  const report = await probeDevices(sources);
  out(flags.includes('--json') ? `${JSON.stringify(report, null, 2)}\n` : formatProbeReport(report));
  return 0;
}
