/**
 * The clerk's commands, their keys, and which of them make sense right now. Function keys
 * because a counter PC's keyboard has them and no form field uses them.
 */
import type { CounterView, Ticket } from '@hall/protocol';

export type Command = 'call-next' | 'recall' | 'start' | 'finish' | 'no-show' | 'requeue' | 'transfer' | 'pause-resume' | 'call' | 'sign-out';

export const SHORTCUT_KEYS: Record<string, Command> = {
  F1: 'call-next',
  F2: 'recall',
  F3: 'start',
  F4: 'finish',
  F5: 'no-show',
  F6: 'requeue',
  F7: 'transfer',
  F8: 'pause-resume',
  F9: 'call',
};

export function keyOf(command: Command): string | null {
  for (const [key, c] of Object.entries(SHORTCUT_KEYS)) if (c === command) return key;
  return null;
}

export function commandForKey(e: { key: string; ctrlKey?: boolean; altKey?: boolean; metaKey?: boolean; shiftKey?: boolean }): Command | null {
  if (e.ctrlKey || e.altKey || e.metaKey || e.shiftKey) return null;
  return SHORTCUT_KEYS[e.key] ?? null;
}

/** Commands that can succeed for this counter and its current ticket. */
export function availableCommands(counter: Pick<CounterView, 'state' | 'currentTicket'>, ticket?: Pick<Ticket, 'status'> | null): Set<Command> {
  const out = new Set<Command>();
  if (counter.state === 'closed') return out;
  out.add('sign-out');
  out.add('pause-resume');
  if (counter.state === 'paused') return out;
  out.add('call-next');
  out.add('call');
  out.add('requeue');
  const status = ticket?.status ?? counter.currentTicket?.status ?? null;
  if (status === 'called') {
    out.add('recall');
    out.add('start');
    out.add('finish');
    out.add('no-show');
    out.add('transfer');
  } else if (status === 'serving') {
    out.add('finish');
    out.add('transfer');
  }
  return out;
}
