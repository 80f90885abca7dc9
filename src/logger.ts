import pino, { Logger } from 'pino';

/** Structured JSON logs. Tests pass `silent`. */
export const createLogger = (level: string): Logger =>
  pino({ level, base: { service: 'cscx-segment-sync' }, timestamp: pino.stdTimeFunctions.isoTime });
