/**
 * Who caused a queue event. Every event carries one, so the journal says who did what
 * (staff by user id; the name and staff number live in config).
 */
import { z } from 'zod';
import { Role } from '../config';

export const Actor = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('staff'), userId: z.string().min(1).max(64), role: Role }),
  z.object({ kind: z.literal('terminal'), terminalId: z.string().min(1).max(64) }),
  /** The server itself: day close, devices acting for the hall. */
  z.object({ kind: z.literal('system') }),
  /** An anonymous citizen, e.g. the phone ticket page rating a served ticket. */
  z.object({ kind: z.literal('public') }),
]);
export type Actor = z.infer<typeof Actor>;
