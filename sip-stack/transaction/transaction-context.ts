import type { Clock } from '../timers/clock.js';
import type { TimerConfig } from '../timers/timer-config.js';
import type { TransactionSender } from './transaction-sender.js';

/** Called exactly once, when a transaction enters Terminated (or is disposed). */
export type OnTerminated<T> = (tx: T) => void;

/** What every transaction of one layer shares: one object, so a transaction costs no copies. */
export interface TransactionContext {
  readonly sender: TransactionSender;
  readonly clock: Clock;
  readonly timers: TimerConfig;
}
