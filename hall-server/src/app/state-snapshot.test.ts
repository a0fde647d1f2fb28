/** The snapshot file format: exact round trips of the state, whatever the ticket fields hold. */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import v8 from 'node:v8';
import { initialState, type QueueState } from '../queue';
import { decodeSnapshot, encodeSnapshot, type SnapshotPoint } from './state-snapshot';

const DAY = '2026-11-26';
const POINT: SnapshotPoint = { day: DAY, seq: 42, hash: 'ab'.repeat(32), bytes: 1234 };
const CODE = 'test-code';

function roundTrip(state: QueueState): QueueState {
  const r = decodeSnapshot(Buffer.concat(encodeSnapshot(state, POINT, CODE)), { day: DAY, code: CODE });
  if (!r.ok) throw new Error(r.reason);
  expect(r.header).toMatchObject({ ...POINT, format: 1, v8: process.versions.v8, code: CODE });
  return r.state;
}

/** Maps as entry arrays and numbers with their sign of zero, recursively: equality covers order and -0. */
function canon(v: unknown): unknown {
  if (v instanceof Map) return { map: [...v].map(([k, x]) => [k, canon(x)]) };
  if (Array.isArray(v)) return v.map(canon);
  if (typeof v === 'number') return Object.is(v, -0) ? '-0' : Number.isNaN(v) ? 'NaN' : v;
  if (v && typeof v === 'object') return { proto: Object.getPrototypeOf(v) === Object.prototype, entries: Object.entries(v).map(([k, x]) => [k, canon(x)]) };
  return v;
}

function stateWith(tickets: Record<string, unknown>[]): QueueState {
  const s = initialState(DAY);
  s.issued = tickets.length;
  for (const t of tickets) s.tickets.set(t.id as string, t as never);
  s.byNumber.set('A001', 'x');
  s.recentCalls.push({ ticketId: 'x', ticketNumber: 'A001', serviceId: 'svc', counterId: 'c1', counterNumber: 1, at: '2026-11-26T10:00:00+08:00', recall: false });
  return s;
}

const value = fc.oneof(
  fc.string(),
  fc.constantFrom('waiting', 'called', 'done'),
  fc.double(),
  fc.integer(),
  fc.constant(-0),
  fc.constant(null),
  fc.boolean(),
  fc.record({ maskedName: fc.string(), idHash: fc.string() }, { noNullPrototype: true }),
  fc.array(fc.string(), { maxLength: 3 }),
);

describe('state snapshot encoding', () => {
  it('round-trips tickets of any field values exactly, in order (property)', () => {
    fc.assert(
      fc.property(fc.uniqueArray(fc.constantFrom('number', 'status', 'at', 'ms', 'holder', 'n', 'flag', 'x'), { minLength: 1 }), fc.array(fc.array(value, { minLength: 8, maxLength: 8 }), { maxLength: 300 }), (keys, rows) => {
        const tickets = rows.map((r, i) => Object.fromEntries([['id', `t${i}`], ...keys.map((k, j) => [k, r[j]])]));
        const s = stateWith(tickets);
        expect(canon(roundTrip(s))).toStrictEqual(canon(s));
      }),
      { numRuns: 200 },
    );
  });

  it('uses columns with dictionaries and numbers for a realistic day, and an exact copy of the rest', () => {
    const statuses = ['waiting', 'called', 'serving', 'done', 'no-show'];
    const tickets = Array.from({ length: 3000 }, (_, i) => ({
      id: `id${i.toString(36)}`,
      number: `A${i}`,
      serviceId: `svc-${i % 8}`,
      status: statuses[i % 5]!,
      issuedAtMs: 1_795_000_000_000 + i * 1000,
      calledAtMs: i % 3 === 0 ? null : 1_795_000_000_000 + i * 2000,
      counterNumber: i % 9 === 0 ? null : i % 9,
      holder: i % 4 === 0 ? { maskedName: '张*三', idHash: `h${i}` } : null,
      rating: null,
      // 700 distinct strings: a 16-bit dictionary
      clerkId: `usr-${i % 700}`,
    }));
    const s = stateWith(tickets);
    s.services.set('svc-0', { lastNumber: 3, issued: 3, lanes: new Map([['normal', ['id0', 'id1']]]), issuedPerId: new Map([['h0', 1]]), requeuedWaiting: 0, finished: 1, serviceMsTotal: 5 });
    const back = roundTrip(s);
    expect(canon(back)).toStrictEqual(canon(s));
    // Smaller than serialising the ticket objects as they are.
    expect(encodeSnapshot(s, POINT, CODE)[1]!.length).toBeLessThan(v8.serialize(s).length * 0.6);
  });

  it('keeps tickets that are not uniform (other fields, odd keys, other keys than ids) as a plain Map', () => {
    const odd = [
      [{ id: 'a', n: 1 }, { id: 'b', m: 2 }],
      [{ id: 'a', n: 1 }, { n: 2, id: 'b' }],
      [{ id: 'a', 'not-an-identifier': 1 }],
      [{ id: 'a', ['__proto__']: 1 }],
      [{ n: 1 }],
      [Object.assign(Object.create(null) as object, { id: 'a' })],
    ] as Record<string, unknown>[][];
    for (const tickets of odd) {
      const s = stateWith(tickets);
      const back = roundTrip(s);
      expect([...back.tickets.keys()]).toEqual([...s.tickets.keys()]);
      expect(JSON.stringify([...back.tickets.values()])).toBe(JSON.stringify([...s.tickets.values()]));
    }
    const s = stateWith([{ id: 'a' }]);
    s.tickets = new Map([['other', { id: 'a' } as never]]);
    expect([...roundTrip(s).tickets.keys()]).toEqual(['other']);
  });

  it('refuses a state of another day than the point', () => {
    expect(() => encodeSnapshot(initialState('2026-11-25'), POINT, CODE)).toThrow(RangeError);
  });

  it('reads back an empty day', () => {
    const s = initialState(DAY);
    expect(canon(roundTrip(s))).toStrictEqual(canon(s));
  });
});
