/**
 * Structured logs (pino, JSON lines). Nothing personal is ever logged: no ID numbers, no names
 * of citizens, no tokens, no request bodies. Redaction is a second line of defence.
 */
import { pino, type Logger as PinoLogger } from 'pino';

export type Logger = PinoLogger;

export function createLogger(level = process.env.HALL_LOG_LEVEL ?? 'info'): Logger {
  return pino({
    level,
    base: { app: 'hall' },
    redact: {
      paths: [
        'req.headers.authorization',
        'headers.authorization',
        '*.token',
        '*.password',
        '*.idNumber',
        '*.idCard',
        'token',
        'password',
        'idNumber',
        'idCard',
      ],
      censor: '[redacted]',
    },
  });
}
