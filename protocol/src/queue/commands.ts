/**
 * Commands of the queue engine: what the edges (HTTP, sockets, devices, the day-close timer)
 * ask it to do. The edges validate their own wire payloads first; the engine re-checks what the
 * rules need and answers with events or a `HallError`.
 */
import type { Priority, TicketSource } from '../domain';

/** Holder data from an ID card, already reduced by the edge: never the ID number itself. */
export interface TicketHolderInput {
  /** 张*三 */
  maskedName: string;
  /** Keyed hash of the ID number (per-ID daily limits). */
  idHash: string;
  /** `YYYY-MM-DD` from the card, used only to derive the elderly class; never journalled. */
  birthDate: string | null;
}

export interface IssueTicketCommand {
  type: 'ticket.issue';
  serviceId: string;
  /** Requested class. Staff may give any; a kiosk terminal only `normal` (or the derived ones). */
  priority?: Priority;
  source: TicketSource;
  terminalId?: string;
  holder?: TicketHolderInput;
  /** A checked-in appointment; the ticket's class becomes `appointment`. */
  appointment?: { id: string; /** epoch ms */ slotStart: number };
  /**
   * Idempotency key (who asked + their request id): the same key again that day gets the ticket
   * it got the first time, with no new events, also after a restart (the key is journalled).
   */
  requestKey?: string;
}

export interface CancelTicketCommand {
  type: 'ticket.cancel';
  ticketId: string;
}

export interface RateTicketCommand {
  type: 'ticket.rate';
  ticketId: string;
  /** 1 非常不满意 … 5 非常满意 */
  score: number;
  reasons: string[];
  comment: string | null;
}

interface CounterCommandBase {
  counterId: string;
}
export interface SignInCommand extends CounterCommandBase { type: 'counter.sign-in' }
export interface SignOutCommand extends CounterCommandBase { type: 'counter.sign-out' }
export interface CallNextCommand extends CounterCommandBase { type: 'counter.call-next' }
export interface CallNumberCommand extends CounterCommandBase { type: 'counter.call'; ticketNumber: string }
export interface RecallCommand extends CounterCommandBase { type: 'counter.recall' }
export interface StartCommand extends CounterCommandBase { type: 'counter.start' }
export interface FinishCommand extends CounterCommandBase { type: 'counter.finish' }
export interface NoShowCommand extends CounterCommandBase { type: 'counter.no-show' }
export interface RequeueCommand extends CounterCommandBase { type: 'counter.requeue'; ticketNumber: string }
/**
 * To a service (`serviceId`), or to a counter (`toCounterId`, optionally with one of its
 * services): the ticket then waits for that counter only, which calls it next.
 */
export interface TransferCommand extends CounterCommandBase { type: 'counter.transfer'; serviceId?: string; toCounterId?: string }
export interface PauseCommand extends CounterCommandBase { type: 'counter.pause'; reason: string }
export interface ResumeCommand extends CounterCommandBase { type: 'counter.resume' }

export interface CloseDayCommand {
  type: 'day.close';
}

export type CounterCommand =
  | SignInCommand
  | SignOutCommand
  | CallNextCommand
  | CallNumberCommand
  | RecallCommand
  | StartCommand
  | FinishCommand
  | NoShowCommand
  | RequeueCommand
  | TransferCommand
  | PauseCommand
  | ResumeCommand;

export type QueueCommand = IssueTicketCommand | CancelTicketCommand | RateTicketCommand | CounterCommand | CloseDayCommand;
export type QueueCommandType = QueueCommand['type'];

export const QUEUE_COMMAND_TYPES = [
  'ticket.issue',
  'ticket.cancel',
  'ticket.rate',
  'counter.sign-in',
  'counter.sign-out',
  'counter.call-next',
  'counter.call',
  'counter.recall',
  'counter.start',
  'counter.finish',
  'counter.no-show',
  'counter.requeue',
  'counter.transfer',
  'counter.pause',
  'counter.resume',
  'day.close',
] as const satisfies readonly QueueCommandType[];

type MissingCommandType = Exclude<QueueCommandType, (typeof QUEUE_COMMAND_TYPES)[number]>;
const _everyCommandListed: [MissingCommandType] extends [never] ? true : MissingCommandType = true;
void _everyCommandListed;
