/**
 * The queue engine: pure. `decide(state, command, ctx)` → events or an error code;
 * `apply(state, event)` → state (mutates in place, see apply.ts); views read the state.
 * No clock, no ids, no I/O: all of that comes in through the contexts.
 */
export type { DecideContext, DecideResult, ViewContext } from './context';
export type { QueueState, TicketRecord, CounterDay, ServiceDay, CallRecord } from './state';
export { initialState } from './state';
export { decide } from './decide';
export { apply, replay } from './apply';
export {
  ticketView,
  ticketTrackToken,
  findTicketIdByNumber,
  serviceSummaries,
  counterViews,
  counterView,
  queueSnapshot,
  counterOfUser,
  activeTicketViews,
  recentCallView,
  callPhrase,
  estimateWaitMinutes,
} from './views';
export { counterToday } from './counter-today';
export { defaultOrdering } from './ordering-policy';
export type { OrderingStrategy, Lane, Pick, PolicyInput } from './ordering-policy';
export { projectServiceOrder, waitingAheadOf } from './projection';
export { isServiceIssuing, isOpenAt } from './ticket-hours';
export { invariantViolations } from './invariants';
