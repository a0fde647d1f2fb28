/**
 * The three-level network (county ← township ← village): how a downstream hall is registered at
 * its upstream and how it pushes its journal there. docs/NETWORK.md tells the story; this file is
 * the wire contract both sides validate against.
 */
import { z } from 'zod';
import { Id } from './config';

/** Levels a hall registered at an upstream may have (the county is nobody's downstream). */
export const DownstreamLevel = z.enum(['township', 'village']);
export type DownstreamLevel = z.infer<typeof DownstreamLevel>;

/** `POST /api/halls` (admin). */
export const RegisterHallRequest = z.object({ name: z.string().trim().min(1).max(60), level: DownstreamLevel }).strict();
export type RegisterHallRequest = z.infer<typeof RegisterHallRequest>;

/** `201` of `POST /api/halls` and `200` of `POST /api/halls/:id/token`: the token is shown once. */
export interface HallTokenResponse {
  id: string;
  token: string;
}

/** Records in one batch, at most; a bigger batch is `413 PROTOCOL.PAYLOAD_TOO_LARGE`. */
export const NETWORK_BATCH_MAX_RECORDS = 1000;
/** Bytes of one batch body, at most (JSON); more is `413`. */
export const NETWORK_BATCH_MAX_BYTES = 4 * 1024 * 1024;
/** One journal line, at most (the journal itself never writes one near this). */
export const NETWORK_RECORD_MAX_CHARS = 256 * 1024;

/**
 * `POST /api/network/batches` with `Authorization: Bearer <hall token>`: consecutive journal
 * records of one hall, each the journal line exactly as written (without its newline), so the
 * upstream checks the hash over the very bytes the hall hashed.
 *
 * `hallId` absent: the token's own hall. Present and different: a hall this hall relays (a
 * township's village); `hall` then names it, and the upstream records the relay on first sight.
 */
export const NetworkBatch = z
  .object({
    hallId: Id.optional(),
    hall: z.object({ name: z.string().trim().min(1).max(60), level: DownstreamLevel }).strict().optional(),
    records: z.array(z.string().min(1).max(NETWORK_RECORD_MAX_CHARS)).min(1),
  })
  .strict();
export type NetworkBatch = z.infer<typeof NetworkBatch>;

/** `200` of a batch: where the upstream's copy of that hall's chain now ends. */
export interface NetworkBatchAck {
  hallId: string;
  /** Seq of the last record the upstream holds for the hall (0 = none). */
  lastSeq: number;
  lastHash: string;
  /** Records stored by this batch. */
  accepted: number;
  /** Records of this batch the upstream already held, identical (a replayed batch). */
  duplicates: number;
}

/** `GET /api/halls` (supervisor) rows: every hall below this one, from the records it received. */
export interface HallRow {
  id: string;
  name: string;
  level: DownstreamLevel;
  /** The hall that relays this one's records (a township for its villages); null = registered here. */
  via: string | null;
  /** Pushed within the last few minutes. */
  online: boolean;
  lastSeenAt: string | null;
  revoked: boolean;
  /** Seq of the last record received. */
  lastSeq: number;
  /** The hall's own day of the last record received (`YYYY-MM-DD`), null before any. */
  day: string | null;
  waiting: number;
  countersOpen: number;
  today: { issued: number; served: number };
  /** Active 电子监察 alerts of the hall, by level. */
  alerts: { yellow: number; red: number };
  /** Share of today's ratings that are 4 or 5 (0..1), null without ratings. */
  satisfaction: number | null;
}

/** `GET /api/network/status` (admin): this hall's link to its upstream. */
export interface UpstreamStatus {
  configured: boolean;
  url: string | null;
  state: 'off' | 'idle' | 'sending' | 'waiting-retry' | 'refused';
  /** Records of this hall not yet acknowledged upstream. */
  pending: number;
  /** Halls pushed (this one and those it relays) with their acknowledged seq. */
  halls: Array<{ hallId: string; ackedSeq: number; localSeq: number }>;
  lastSuccessAt: string | null;
  lastError: { code: string; message: string; at: string } | null;
  nextAttemptAt: string | null;
}
