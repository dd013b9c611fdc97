import pino, { type Logger } from 'pino';
import pretty from 'pino-pretty';

export type { Logger };

export interface LoggerOptions {
  readonly level: string;
  /** Human-readable lines; default when stdout is a terminal. JSON lines otherwise. */
  readonly pretty?: boolean;
  readonly destination?: NodeJS.WritableStream;
}

/** The process logger: JSON lines for machines, coloured lines for a person at a terminal. */
export function createLogger(options: LoggerOptions): Logger {
  const destination = options.destination ?? process.stdout;
  const wantPretty = options.pretty ?? (destination === process.stdout && process.stdout.isTTY === true);
  const stream = wantPretty ? pretty({ colorize: true, translateTime: 'SYS:HH:MM:ss.l', ignore: 'pid,hostname' }) : destination;
  return pino({ level: options.level, base: undefined }, stream);
}

/** A child logger whose every line carries the call's Call-ID. */
export function callLogger(logger: Logger, callId: string): Logger {
  return logger.child({ callId });
}
