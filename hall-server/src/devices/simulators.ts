/**
 * `{ type: 'simulated' }` devices: the real driver talks over a memory link to the kind's
 * simulator, so the demo hall shows every device working. The admin console and tests drive the
 * simulators through these actions (`POST /api/devices/:id/simulate`).
 */
import { z } from 'zod';
import { hallError, type Device, type HallError, type Result } from '@hall/protocol';
import {
  DEMO_PERSONS,
  KEYPAD_KEYS,
  type MemoryTransport,
  SimulatedCallerKeypad,
  SimulatedEvaluator,
  SimulatedHallLedBar,
  SimulatedLedBoard,
  type SimulatedIdCardReader,
  type SimulatedRs485Bus,
  type SimulatedScanner,
  type SimulatedTicketPrinter,
  type SimulatedBusDevice,
  type DemoPersonKey,
  type KeypadKey,
  type RatingScore,
} from '@hall/drivers';

export type SimHandle =
  | { kind: 'printer'; host: MemoryTransport; device: MemoryTransport; printer: SimulatedTicketPrinter }
  | { kind: 'id-reader'; host: MemoryTransport; device: MemoryTransport; reader: SimulatedIdCardReader }
  | { kind: 'scanner'; host: MemoryTransport; device: MemoryTransport; scanner: SimulatedScanner }
  | { kind: 'rs485'; host: MemoryTransport; device: MemoryTransport; bus: SimulatedRs485Bus; unit: SimulatedBusDevice };

const DEMO_PERSON_KEYS = Object.keys(DEMO_PERSONS) as [DemoPersonKey, ...DemoPersonKey[]];

export const SimulateAction = z.discriminatedUnion('action', [
  /** A demo person's card is laid on the reader (default: the 1950 one, elderly). */
  z.object({ action: z.literal('insert-card'), person: z.enum(DEMO_PERSON_KEYS).default('elderly') }).strict(),
  z.object({ action: z.literal('remove-card') }).strict(),
  z.object({ action: z.literal('press-key'), key: z.enum(KEYPAD_KEYS as [KeypadKey, ...KeypadKey[]]) }).strict(),
  z.object({ action: z.literal('rate'), score: z.number().int().min(1).max(5) }).strict(),
  z.object({ action: z.literal('scan'), text: z.string().min(1).max(4096) }).strict(),
  z.object({ action: z.literal('paper-out'), on: z.boolean().default(true) }).strict(),
  /** The roll is nearly used up: the printer still prints, supervisors see a warning. */
  z.object({ action: z.literal('paper-near-end'), on: z.boolean().default(true) }).strict(),
  /** The roll runs out (or the cover is opened) in the middle of the next ticket. */
  z.object({ action: z.literal('fail-mid-ticket'), fault: z.enum(['paper-out', 'cover-open']).default('paper-out') }).strict(),
  z.object({ action: z.literal('unplug') }).strict(),
  z.object({ action: z.literal('replug') }).strict(),
]);
export type SimulateAction = z.infer<typeof SimulateAction>;

/** What the simulator shows now (for the admin console and tests); never personal data. */
export function simulatorState(sim: SimHandle): Record<string, unknown> {
  const plugged = !sim.device.unplugged;
  switch (sim.kind) {
    case 'printer': {
      const last = sim.printer.lastTicket();
      return {
        plugged,
        paperOut: sim.printer.state.paperOut,
        paperNearEnd: sim.printer.state.paperNearEnd,
        coverOpen: sim.printer.state.coverOpen,
        tickets: sim.printer.tickets.length,
        lastTicket: last ? { text: last.text, qrCodes: last.qrCodes } : null,
      };
    }
    case 'id-reader':
      return { plugged, hasCard: sim.reader.hasCard };
    case 'scanner':
      return { plugged };
    case 'rs485': {
      const u = sim.unit;
      const commands = u.commandsTaken;
      if (u instanceof SimulatedLedBoard) return { plugged, commands, lines: [...u.lines] };
      if (u instanceof SimulatedHallLedBar) return { plugged, commands, text: u.text };
      if (u instanceof SimulatedCallerKeypad) return { plugged, commands, text: u.text };
      if (u instanceof SimulatedEvaluator) return { plugged, commands, state: u.state, clerkName: u.clerkName, staffNo: u.staffNo };
      return { plugged, commands };
    }
  }
}

const wrongKind = (action: string, device: Device, needs: string): HallError =>
  hallError('PROTOCOL.INVALID_PAYLOAD', `${action} needs ${needs}; ${device.id} is a ${device.kind}`);

/** Carries out one simulator action. */
export async function simulate(sim: SimHandle, device: Device, action: SimulateAction): Promise<Result<Record<string, unknown>>> {
  const fail = (error: HallError): Result<Record<string, unknown>> => ({ ok: false, error });
  switch (action.action) {
    case 'insert-card':
      if (sim.kind !== 'id-reader') return fail(wrongKind(action.action, device, 'an ID card reader'));
      sim.reader.insertCard(DEMO_PERSONS[action.person]);
      break;
    case 'remove-card':
      if (sim.kind !== 'id-reader') return fail(wrongKind(action.action, device, 'an ID card reader'));
      sim.reader.removeCard();
      break;
    case 'press-key':
      if (sim.kind !== 'rs485' || !(sim.unit instanceof SimulatedCallerKeypad)) return fail(wrongKind(action.action, device, 'a keypad'));
      sim.unit.press(action.key);
      break;
    case 'rate':
      if (sim.kind !== 'rs485' || !(sim.unit instanceof SimulatedEvaluator)) return fail(wrongKind(action.action, device, 'an evaluator'));
      if (!sim.unit.press(action.score as RatingScore)) {
        return fail(hallError('QUEUE.INVALID_STATE', 'the evaluator is not asking for a rating (finish a ticket at its counter first)'));
      }
      break;
    case 'scan':
      if (sim.kind !== 'scanner') return fail(wrongKind(action.action, device, 'a scanner'));
      await sim.scanner.scan(action.text);
      break;
    case 'paper-out':
      if (sim.kind !== 'printer') return fail(wrongKind(action.action, device, 'a printer'));
      sim.printer.paperOut(action.on);
      break;
    case 'paper-near-end':
      if (sim.kind !== 'printer') return fail(wrongKind(action.action, device, 'a printer'));
      sim.printer.paperNearEnd(action.on);
      break;
    case 'fail-mid-ticket':
      if (sim.kind !== 'printer') return fail(wrongKind(action.action, device, 'a printer'));
      // After the status request before the job and the ticket's first lines.
      sim.printer.failMidTicket(action.fault, 200);
      break;
    case 'unplug':
      if (sim.kind === 'rs485') await sim.bus.unplug();
      else sim.device.unplug();
      break;
    case 'replug':
      if (sim.kind === 'rs485') {
        if (sim.device.unplugged) await sim.bus.replug();
      } else {
        sim.device.replug();
        if (!sim.device.isOpen) await sim.device.open();
      }
      break;
  }
  return { ok: true, value: simulatorState(sim) };
}

