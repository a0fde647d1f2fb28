import { describe, expect, it } from 'vitest';
import { availableCommands, commandForKey, keyOf } from './shortcuts';

describe('shortcuts', () => {
  it('maps function keys without modifiers', () => {
    expect(commandForKey({ key: 'F1' })).toBe('call-next');
    expect(commandForKey({ key: 'F2' })).toBe('recall');
    expect(commandForKey({ key: 'F8' })).toBe('pause-resume');
    expect(commandForKey({ key: 'F1', ctrlKey: true })).toBeNull();
    expect(commandForKey({ key: 'a' })).toBeNull();
    expect(keyOf('finish')).toBe('F4');
    expect(keyOf('sign-out')).toBeNull();
  });
});

describe('availableCommands', () => {
  const sorted = (s: Set<string>) => [...s].sort();
  it('offers nothing at a closed counter', () => {
    expect(availableCommands({ state: 'closed', currentTicket: null }).size).toBe(0);
  });
  it('only resumes or signs out when paused', () => {
    expect(sorted(availableCommands({ state: 'paused', currentTicket: null }))).toEqual(['pause-resume', 'sign-out']);
  });
  it('follows the current ticket', () => {
    const idle = availableCommands({ state: 'open', currentTicket: null });
    expect(idle.has('call-next')).toBe(true);
    expect(idle.has('recall')).toBe(false);
    const called = availableCommands({ state: 'open', currentTicket: { id: 't', number: 'A1', status: 'called' } });
    expect(called.has('recall') && called.has('start') && called.has('no-show')).toBe(true);
    const serving = availableCommands({ state: 'open', currentTicket: { id: 't', number: 'A1', status: 'serving' } });
    expect(serving.has('finish') && serving.has('transfer')).toBe(true);
    expect(serving.has('recall') || serving.has('start') || serving.has('no-show')).toBe(false);
  });
});
