import { makeTimerConfig } from '../../../sip-stack/timers/timer-config.js';
import type { ConfigInput } from '../../../src/config/config-schema.js';
import { type RunningSwitch, startSwitch } from '../../support/softswitch-fixture.js';

/**
 * The test switch with RFC 3261's own timers (T1 500 ms) rather than the fixture's shortened
 * ones: sipp tests wait on no timer, and with T1 = 100 ms a busy machine that takes longer than
 * that to handle a response makes the switch retransmit across it (an INVITE crossing the 180,
 * a 407 crossing the ACK), which sipp may count as an unexpected message.
 */
export function startSippSwitch(overrides: ConfigInput = {}): Promise<RunningSwitch> {
  return startSwitch(overrides, { timers: makeTimerConfig() });
}
