/**
 * Stable error codes. The wire form is `{ error: { code, message } }`; only the HTTP and socket
 * edges turn a code into a status (see `httpStatusOf`). Add codes, never rename one.
 */
export const ERROR_STATUS = {
  'PROTOCOL.INVALID_PAYLOAD': 400,
  'PROTOCOL.INVALID_ID_NUMBER': 400,
  'AUTH.REQUIRED': 401,
  'AUTH.BAD_CREDENTIALS': 401,
  'AUTH.FORBIDDEN': 403,
  'QUEUE.NOT_FOUND': 404,
  'SERVICE.NOT_FOUND': 404,
  'COUNTER.NOT_FOUND': 404,
  'USER.NOT_FOUND': 404,
  'TERMINAL.NOT_FOUND': 404,
  'DEVICE.NOT_FOUND': 404,
  'ROUTE.NOT_FOUND': 404,
  'APPOINTMENT.NOT_FOUND': 404,
  'RECTIFICATION.NOT_FOUND': 404,
  'ALERT.NOT_FOUND': 404,
  'CATALOGUE.NOT_FOUND': 404,
  'VOICE.NOT_FOUND': 404,
  /** No downstream hall with that id here. */
  'HALL.NOT_FOUND': 404,
  'QUEUE.INVALID_STATE': 409,
  'QUEUE.RECALL_LIMIT': 409,
  'COUNTER.OCCUPIED': 409,
  'COUNTER.NOT_SIGNED_IN': 409,
  'RATING.DUPLICATE': 409,
  'RATING.NOT_SERVED': 409,
  'APPOINTMENT.SLOT_FULL': 409,
  'APPOINTMENT.CANCELLED': 409,
  'APPOINTMENT.USED': 409,
  'CONFIG.CONFLICT': 409,
  /** The three-level network (protocol/src/network.ts): a batch that does not continue the hall's chain here. */
  'NETWORK.GAP': 409,
  'NETWORK.FORK': 409,
  'NETWORK.CHAIN_BROKEN': 422,
  /** No hall holds that token (or none was sent) at this upstream. */
  'NETWORK.UNKNOWN_HALL': 401,
  'NETWORK.TOKEN_REVOKED': 401,
  /** A hall's token may write only its own records and those of the halls it relays. */
  'NETWORK.FORBIDDEN_HALL': 403,
  'QUEUE.SERVICE_CLOSED': 422,
  'QUEUE.QUOTA_REACHED': 422,
  'QUEUE.ID_LIMIT_REACHED': 422,
  'QUEUE.ID_REQUIRED': 422,
  'APPOINTMENT.TOO_EARLY': 422,
  'APPOINTMENT.TOO_LATE': 422,
  /** Not a bookable slot now: in the past, past the cut-off, beyond the horizon, a closed day, not on the grid. */
  'APPOINTMENT.SLOT_UNAVAILABLE': 422,
  /** The ID holds its bookings for the day, or its open bookings. */
  'APPOINTMENT.ID_LIMIT_REACHED': 422,
  /** 爽约: too many no-shows; booking is blocked for a while. */
  'APPOINTMENT.BLOCKED': 422,
  /** Past the cancellation deadline. */
  'APPOINTMENT.CANCEL_DEADLINE': 422,
  'AUTH.LOCKED': 429,
  'RATE.LIMITED': 429,
  'PROTOCOL.PAYLOAD_TOO_LARGE': 413,
  'SERVER.UNAVAILABLE': 503,
  /** No recorded voice pack and no espeak-ng: the hall server cannot make call audio. */
  'VOICE.UNAVAILABLE': 503,
  'SERVER.INTERNAL': 500,
} as const;

export type ErrorCode = keyof typeof ERROR_STATUS;

/** An expected failure as a value. `details` must never hold personal data. */
export interface HallError {
  code: ErrorCode;
  message: string;
  details?: Record<string, unknown>;
}

export function hallError(code: ErrorCode, message: string, details?: Record<string, unknown>): HallError {
  return details === undefined ? { code, message } : { code, message, details };
}

export function isHallError(value: unknown): value is HallError {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as { code?: unknown }).code === 'string' &&
    (value as { code: string }).code in ERROR_STATUS &&
    typeof (value as { message?: unknown }).message === 'string'
  );
}

export function httpStatusOf(code: ErrorCode): number {
  return ERROR_STATUS[code];
}

/** The body of every 4xx/5xx response and every failed socket ack. */
export interface ErrorBody {
  error: HallError;
}

/** A result of an operation that can fail in an expected way. */
export type Result<T> = { ok: true; value: T } | { ok: false; error: HallError };
export const ok = <T>(value: T): Result<T> => ({ ok: true, value });
export const fail = <T = never>(code: ErrorCode, message: string, details?: Record<string, unknown>): Result<T> => ({
  ok: false,
  error: hallError(code, message, details),
});
