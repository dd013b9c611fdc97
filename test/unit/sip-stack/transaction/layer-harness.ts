import { FakeClock } from '../../../../sip-stack/timers/fake-clock.js';
import { makeTimerConfig } from '../../../../sip-stack/timers/timer-config.js';
import { TransactionLayer, type TransactionLayerOptions } from '../../../../sip-stack/transaction/transaction-layer.js';
import { FakeSender } from './fake-sender.js';
import { RecordingTransactionUser } from './recording-users.js';

export const timers = makeTimerConfig();

/** A TransactionLayer over a FakeClock, an in-memory sender and a recording TU. */
export function layerHarness(options: Partial<TransactionLayerOptions> = {}) {
  const clock = new FakeClock();
  const sender = new FakeSender();
  const user = new RecordingTransactionUser();
  const layer = new TransactionLayer({ sender, clock, timers, user, ...options });
  return { clock, sender, user, layer };
}
