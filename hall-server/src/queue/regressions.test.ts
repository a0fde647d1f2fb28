/**
 * Command sequences the property tests (properties.test.ts) once failed on, replayed as plain
 * table tests, plus the neighbouring cases of the same rule.
 *
 * Re-queued no-shows sit `requeueOffset` places from the front, outside their lane's key order
 * (issue instant; appointments: slot). Inserting a ticket by its key (an issue, a transfer) used
 * to stop its back-to-front scan at the first ticket with a smaller key, a re-queued one
 * included, and so left a transferred ticket or an earlier-slot appointment behind younger ones.
 */
import { describe, expect, it } from 'vitest';
import type { Actor, Priority, QueueCommand } from '@hall/protocol';
import { invariantViolations } from './invariants';
import { makeConfig, MIN, staff, SUP, SYSTEM, TestHall } from './test-support';

type Step =
  | { advance: number }
  /** `apptIn`: an appointment whose slot starts that many minutes from now. */
  | { issue: string; priority?: Priority; apptIn?: number }
  | { run: QueueCommand; by?: Actor; calls?: string };

interface Case {
  name: string;
  steps: Step[];
  /** Lane contents (ticket numbers, queue order) at the end, by `service/class`. */
  lanes: Record<string, string[]>;
}

const U1 = staff('u1');
const U2 = staff('u2');

const cases: Case[] = [
  {
    // fast-check seed -1927796058 (shrunk): the new A007 (slot 09:30) was queued behind A002
    // (slot 09:31) because the scan stopped at the re-queued A001 (slot 09:30) behind A002.
    name: 'an appointment with an earlier slot goes ahead of later slots, past a re-queued ticket',
    steps: [
      { issue: 'A', apptIn: 0 }, // A001, slot 09:30
      { run: { type: 'counter.sign-in', counterId: 'c1' }, by: U1 },
      { advance: 1 },
      { issue: 'A', apptIn: 0 }, // A002, slot 09:31
      { run: { type: 'counter.call-next', counterId: 'c1' }, by: SUP, calls: 'A001' },
      { run: { type: 'counter.no-show', counterId: 'c1' }, by: SUP }, // A001 no-show
      { run: { type: 'counter.sign-in', counterId: 'c6' }, by: U1 }, // moves
      { advance: 3 },
      { run: { type: 'counter.requeue', counterId: 'c1', ticketNumber: 'A001' }, by: SUP }, // [A002, A001]
      { advance: 7 },
      { issue: 'A' }, // A003
      { issue: 'A' }, // A004
      { issue: 'A' }, // A005
      { run: { type: 'ticket.cancel', ticketId: 'A003' }, by: SUP },
      { issue: 'A' }, // A006
      { issue: 'A', apptIn: -11 }, // A007, slot 09:30
    ],
    lanes: { 'A/appointment': ['A007', 'A002', 'A001'], 'A/normal': ['A004', 'A005', 'A006'] },
  },
  {
    // fast-check seed 158420087 (shrunk): GA998 (issued before A003) transferred to A was put
    // behind A003 and A004 because the scan stopped at the re-queued A001 between them.
    name: 'a transferred ticket keeps its issue-time place, past a re-queued ticket',
    steps: [
      { issue: 'A' }, // A001
      { issue: 'A' }, // A002
      { run: { type: 'counter.sign-in', counterId: 'c2' }, by: U1 },
      { run: { type: 'counter.sign-in', counterId: 'c3' }, by: U2 },
      { run: { type: 'counter.call', counterId: 'c2', ticketNumber: 'A001' }, by: SUP, calls: 'A001' },
      { issue: 'G' }, // GA998
      { issue: 'A' }, // A003
      { issue: 'A' }, // A004
      { issue: 'A' }, // A005
      { run: { type: 'counter.no-show', counterId: 'c2' }, by: SUP }, // A001 no-show
      { run: { type: 'counter.call-next', counterId: 'c2' }, by: SUP, calls: 'A002' },
      { issue: 'A' }, // A006
      { run: { type: 'counter.call', counterId: 'c3', ticketNumber: 'GA998' }, by: SUP, calls: 'GA998' },
      { run: { type: 'counter.requeue', counterId: 'c1', ticketNumber: 'A001' }, by: SUP }, // [A003, A004, A001, A005, A006]
      { run: { type: 'counter.transfer', counterId: 'c3', serviceId: 'A' }, by: SUP }, // GA998 first
      { issue: 'A' }, // A007
      { run: { type: 'counter.sign-in', counterId: 'c1' }, by: U1 }, // moves: A002 served
      { issue: 'A' }, // A008
      { run: { type: 'counter.call-next', counterId: 'c1' }, by: SUP, calls: 'GA998' },
      { issue: 'A', apptIn: 0 }, // A009
      { issue: 'A' }, // A010
      { run: { type: 'counter.call-next', counterId: 'c1' }, by: SUP, calls: 'A009' }, // GA998 served
    ],
    lanes: { 'A/normal': ['A003', 'A004', 'A001', 'A005', 'A006', 'A007', 'A008', 'A010'] },
  },
  {
    name: 'a new ticket does not jump ahead of a re-queued ticket at the back',
    steps: [
      { issue: 'A' }, // A001
      { issue: 'A' }, // A002
      { run: { type: 'counter.sign-in', counterId: 'c1' }, by: U1 },
      { run: { type: 'counter.call-next', counterId: 'c1' }, by: U1, calls: 'A001' },
      { run: { type: 'counter.no-show', counterId: 'c1' }, by: U1 },
      { run: { type: 'counter.requeue', counterId: 'c1', ticketNumber: 'A001' }, by: U1 }, // [A002, A001]
      { issue: 'A' }, // A003
    ],
    lanes: { 'A/normal': ['A002', 'A001', 'A003'] },
  },
  {
    name: 'a transferred ticket goes behind a re-queued ticket sitting between its older and younger neighbours',
    steps: [
      { issue: 'A' }, // A001
      { issue: 'A' }, // A002
      { advance: 1 },
      { issue: 'B' }, // B001, 09:31
      { advance: 1 },
      { issue: 'A' }, // A003, 09:32
      { issue: 'A' }, // A004
      { run: { type: 'counter.sign-in', counterId: 'c2' }, by: U1 },
      { run: { type: 'counter.call-next', counterId: 'c2' }, by: U1, calls: 'A001' },
      { run: { type: 'counter.no-show', counterId: 'c2' }, by: U1 },
      { run: { type: 'counter.requeue', counterId: 'c2', ticketNumber: 'A001' }, by: U1 }, // [A002, A003, A001, A004]
      { run: { type: 'counter.call', counterId: 'c2', ticketNumber: 'A003' }, by: U1, calls: 'A003' }, // [A002, A001, A004]
      { run: { type: 'counter.sign-in', counterId: 'c3' }, by: U2 },
      { run: { type: 'counter.call-next', counterId: 'c3' }, by: U2, calls: 'B001' },
      { run: { type: 'counter.transfer', counterId: 'c3', serviceId: 'A' }, by: U2 },
    ],
    lanes: { 'A/normal': ['A002', 'A001', 'B001', 'A004'] },
  },
];

describe('lane placement around re-queued tickets (property-test regressions)', () => {
  it.each(cases)('$name', ({ steps, lanes }) => {
    const h = new TestHall(makeConfig({ hours: { allDay: true }, policy: { agingMinutes: 20, requeueOffset: 2, recallLimit: 2 } }));
    const id = (n: string) => h.state.byNumber.get(n) ?? n;
    let appts = 0;
    for (const step of steps) {
      if ('advance' in step) h.advance(step.advance);
      else if ('issue' in step) {
        const appointment = step.apptIn === undefined ? {} : { appointment: { id: `ap${++appts}`, slotStart: h.now + step.apptIn * MIN } };
        h.issue(step.issue, step.priority, staff('u1'), appointment);
      } else {
        const cmd = step.run.type === 'ticket.cancel' ? { ...step.run, ticketId: id(step.run.ticketId) } : step.run;
        const called = h.ok(cmd, step.by ?? SYSTEM);
        if (step.calls !== undefined) expect(called === null ? null : h.number(called), cmd.type).toBe(step.calls);
      }
      expect(invariantViolations(h.state)).toEqual([]);
    }
    const actual: Record<string, string[]> = {};
    for (const [serviceId, s] of h.state.services) {
      for (const [priority, lane] of s.lanes) actual[`${serviceId}/${priority}`] = lane.map((t) => h.number(t));
    }
    expect(actual).toEqual(lanes);
  });
});
