/* Shared by every UI (and usable by integrators): the only HTTP client of the hall API. */
/**
 * Minimal JSON-over-HTTP client for the hall API. Every failure becomes an error value with
 * a stable code: the server's `{ error: { code, message } }`, or one derived from the status
 * when the body is not the hall's (a proxy page, a missing route), or `SERVER.UNAVAILABLE`
 * when the hall cannot be reached at all.
 */
export interface UiError {
  code: string;
  message: string;
  details?: Record<string, unknown>;
}

export class ApiError extends Error {
  constructor(
    readonly error: UiError,
    readonly status: number,
  ) {
    super(`${error.code}: ${error.message}`);
  }
}

const STATUS_CODES: Record<number, string> = {
  400: 'PROTOCOL.INVALID_PAYLOAD',
  401: 'AUTH.REQUIRED',
  403: 'AUTH.FORBIDDEN',
  404: 'ROUTE.NOT_FOUND',
  409: 'QUEUE.INVALID_STATE',
  413: 'PROTOCOL.PAYLOAD_TOO_LARGE',
  429: 'RATE.LIMITED',
  503: 'SERVER.UNAVAILABLE',
};

/** The error a failed response stands for. */
export function errorFromResponse(status: number, body: unknown, retryAfter: string | null): UiError {
  const e = (body as { error?: { code?: unknown; message?: unknown; details?: unknown } } | null)?.error;
  const error: UiError =
    e && typeof e.code === 'string'
      ? { code: e.code, message: typeof e.message === 'string' ? e.message : e.code }
      : { code: STATUS_CODES[status] ?? (status >= 500 ? 'SERVER.INTERNAL' : 'PROTOCOL.INVALID_PAYLOAD'), message: `HTTP ${status}` };
  const details: Record<string, unknown> = e && typeof e.details === 'object' && e.details !== null ? { ...(e.details as object) } : {};
  const seconds = retryAfter === null ? NaN : Number(retryAfter);
  if (Number.isFinite(seconds) && details.retryAfter === undefined) details.retryAfter = seconds;
  return Object.keys(details).length ? { ...error, details } : error;
}

export interface RequestOptions {
  token?: string | null;
  body?: unknown;
  timeoutMs?: number;
  fetchImpl?: typeof fetch;
}

export async function apiRequest<T>(method: string, path: string, options: RequestOptions = {}): Promise<T> {
  const headers: Record<string, string> = { Accept: 'application/json' };
  if (options.body !== undefined) headers['Content-Type'] = 'application/json';
  if (options.token) headers.Authorization = `Bearer ${options.token}`;
  const fetchImpl = options.fetchImpl ?? fetch;
  let res: Response;
  try {
    res = await fetchImpl(path, {
      method,
      headers,
      body: options.body === undefined ? undefined : JSON.stringify(options.body),
      signal: AbortSignal.timeout(options.timeoutMs ?? 10_000),
    });
  } catch (err) {
    throw new ApiError({ code: 'SERVER.UNAVAILABLE', message: err instanceof Error ? err.message : String(err) }, 0);
  }
  const text = await res.text().catch(() => '');
  let body: unknown = null;
  if (text) {
    try {
      body = JSON.parse(text);
    } catch {
      body = null;
    }
  }
  if (!res.ok) throw new ApiError(errorFromResponse(res.status, body, res.headers.get('Retry-After')), res.status);
  return body as T;
}

export function toUiError(err: unknown): UiError {
  if (err instanceof ApiError) return err.error;
  return { code: 'SERVER.INTERNAL', message: err instanceof Error ? err.message : String(err) };
}
