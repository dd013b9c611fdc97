import type { SipRequest } from '../../sip-stack/message/sip-message.js';
import type { ClientTransaction, ClientTransactionUser } from '../../sip-stack/transaction/client-transaction.js';
import type { Clock } from '../../sip-stack/timers/clock.js';
import type { TimerConfig } from '../../sip-stack/timers/timer-config.js';
import type { SendTarget, TransportProtocol } from '../../sip-stack/transport/transport-types.js';

/** What the B2BUA needs of the SIP stack. */
export interface Signalling {
  readonly clock: Clock;
  readonly timers: TimerConfig;
  /** Sends a request through a new client transaction (the stack adds the Via). */
  sendRequest(request: SipRequest, target: SendTarget, user: ClientTransactionUser): ClientTransaction;
  /** Sends an ACK for a 2xx, which has no transaction of its own (§13.2.2.4; the stack adds the Via). */
  sendAck(ack: SipRequest, target: SendTarget): void;
  /** Our Contact URI for a transport (§8.1.1.8). */
  contactUri(protocol: TransportProtocol): string;
  isReliable(protocol: TransportProtocol): boolean;
}
