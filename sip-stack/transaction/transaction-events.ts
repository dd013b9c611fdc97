import type { MessageSource, TransportError } from '../transport/transport-types.js';
import type { SipRequest, SipResponse } from '../message/sip-message.js';

/**
 * The timers of RFC 3261 Table 4, plus L (RFC 6026 §7.1) and M (§7.2), that transactions run,
 * and Trying: when a pending INVITE is owed its 100 (§17.2.1).
 */
export type TimerName = 'A' | 'B' | 'D' | 'E' | 'F' | 'G' | 'H' | 'I' | 'J' | 'K' | 'L' | 'M' | 'Trying';

/** A response from the network, matched to the transaction (§17.1.3). */
export interface ResponseReceived {
  readonly type: 'response';
  readonly response: SipResponse;
}

/** A retransmission of the request that created a server transaction (§17.2.3). */
export interface RequestReceived {
  readonly type: 'request';
  readonly request: SipRequest;
}

/** An ACK matched to an INVITE server transaction (§17.2.3: ACK matches the INVITE). */
export interface AckReceived {
  readonly type: 'ack';
  readonly ack: SipRequest;
  readonly source: MessageSource;
}

export interface TimerFired<T extends TimerName> {
  readonly type: 'timer';
  readonly timer: T;
}

/** The transport could not deliver something this transaction sent (§17.1.4, §17.2.4). */
export interface TransportFailed {
  readonly type: 'transport-error';
  readonly error: TransportError;
}

/** The TU passes a response to a server transaction. */
export interface TuResponds {
  readonly type: 'tu-respond';
  readonly response: SipResponse;
}

/** The TU asks to cancel an INVITE client transaction (§9.1). */
export interface TuCancels {
  readonly type: 'tu-cancel';
  readonly reason: string | undefined;
}

export type InviteClientTimer = 'A' | 'B' | 'D' | 'M';
export type NonInviteClientTimer = 'E' | 'F' | 'K';
export type InviteServerTimer = 'G' | 'H' | 'I' | 'L' | 'Trying';
export type NonInviteServerTimer = 'J';

export type InviteClientEvent = ResponseReceived | TimerFired<InviteClientTimer> | TransportFailed | TuCancels;
export type NonInviteClientEvent = ResponseReceived | TimerFired<NonInviteClientTimer> | TransportFailed;
export type InviteServerEvent =
  | RequestReceived | AckReceived | TimerFired<InviteServerTimer> | TransportFailed | TuResponds;
export type NonInviteServerEvent = RequestReceived | TimerFired<NonInviteServerTimer> | TransportFailed | TuResponds;
