import type { SipRequest } from '../../sip-stack/message/sip-message.js';
import type { Dialog } from '../../sip-stack/dialog/dialog.js';
import type { TwoXxRetransmitter } from '../../sip-stack/dialog/two-xx-retransmitter.js';
import type { ServerTransaction } from '../../sip-stack/transaction/server-transaction.js';
import type { ClientTransaction } from '../../sip-stack/transaction/client-transaction.js';
import type { SendTarget } from '../../sip-stack/transport/transport-types.js';

export type LegState = 'offering' | 'ringing' | 'answered' | 'ended' | 'failed' | 'cancelled';

/** Who is at the far end of a leg, as shown on phones (From, P-Asserted-Identity). */
export interface PartyIdentity {
  readonly extension: string;
  readonly displayName: string;
}

/**
 * One side of a call: a dialog with one phone. An inbound leg is the INVITE the switch received
 * (the caller, a picker, a switching device); an outbound leg is an INVITE the switch sent (a
 * branch of a fork). Once answered, both kinds are handled alike through their dialog.
 */
export class Leg {
  state: LegState = 'offering';
  dialog: Dialog | undefined;
  /** Set while a 2xx we sent on this leg waits for its ACK (§13.3.1.4). */
  twoXx: TwoXxRetransmitter | undefined;
  /** The ACK we sent for this leg's 2xx, re-sent when the 2xx is retransmitted (§13.2.2.4). */
  ack: SipRequest | undefined;
  /** A re-INVITE is in progress on this leg, in either direction (§14.1 glare). */
  reinviteInProgress = false;
  /** For a late offer: what to do with the SDP this leg's ACK carries. */
  awaitingAckSdp: ((sdp: Buffer) => void) | undefined;
  answeredAt: number | undefined;
  readonly createdAt = Date.now();
  /** A ringing call's pending INVITE (inbound) or our INVITE (outbound). */
  inviteTx: ServerTransaction | undefined;
  clientTx: ClientTransaction | undefined;

  constructor(
    readonly id: string,
    readonly direction: 'inbound' | 'outbound',
    /** The INVITE that created the leg (received or sent). */
    readonly invite: SipRequest,
    /** Where requests to this phone go: where its messages come from (NAT-friendly). */
    public peer: SendTarget,
    readonly identity: PartyIdentity,
    /** The phone's Contact, for the admin API. */
    readonly device: string,
    /** Our tag in this leg's dialog. */
    readonly localTag: string,
  ) {}

  get isLive(): boolean {
    return this.state === 'offering' || this.state === 'ringing' || this.state === 'answered';
  }
}
