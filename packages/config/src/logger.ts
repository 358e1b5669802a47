import { pino, type Logger } from 'pino';

/** Paths never written to a log: credentials and personal data. */
export const REDACT_PATHS = [
  'password',
  '*.password',
  'token',
  '*.token',
  'key',
  '*.key',
  'customerPhone',
  '*.customerPhone',
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["idempotency-key"]',
  'headers.authorization',
];

export interface LoggerOptions {
  readonly level: string;
  readonly name: string;
}

/** The pino JSON logger every process uses; child loggers carry request and job ids. */
export function createLogger(options: LoggerOptions): Logger {
  return pino({
    name: options.name,
    level: options.level,
    redact: { paths: REDACT_PATHS, censor: '[redacted]' },
    base: { pid: process.pid },
    timestamp: pino.stdTimeFunctions.isoTime,
  });
}

export type { Logger };
