import type { SipRequest } from '../../sip-stack/message/sip-message.js';
import type { Dialog } from '../../sip-stack/dialog/dialog.js';
import type { TwoXxRetransmitter } from '../../sip-stack/dialog/two-xx-retransmitter.js';
import type { ServerTransaction } from '../../sip-stack/transaction/server-transaction.js';
import type { ClientTransaction } from '../../sip-stack/transaction/client-transaction.js';
import type { SendTarget } from '../../sip-stack/transport/transport-types.js';
import { detachedText } from '../../sip-stack/message/detached-text.js';

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
  /** What the ACK we sent for this leg's latest 2xx carried, to send it again (`ack`). */
  private ackSent: { readonly cseq: number; readonly sdp: Buffer | undefined } | undefined;
  /** A re-INVITE is in progress on this leg, in either direction (§14.1 glare). */
  reinviteInProgress = false;
  /** For a late offer: what to do with the SDP this leg's ACK carries. */
  awaitingAckSdp: ((sdp: Buffer) => void) | undefined;
  answeredAt: number | undefined;
  readonly createdAt = Date.now();
  /** A ringing call's pending INVITE (inbound) or our INVITE (outbound). */
  inviteTx: ServerTransaction | undefined;
  clientTx: ClientTransaction | undefined;

  /**
   * The INVITE that created the leg (received or sent), while its exchange is under way. It is
   * released once the leg is answered (or, inbound, refused): an established leg is its dialog.
   */
  invite: SipRequest | undefined;
  /** The Call-ID and CSeq number of that INVITE, which outlive it. */
  readonly callId: string;
  readonly inviteSeq: number;

  constructor(
    readonly id: string,
    readonly direction: 'inbound' | 'outbound',
    invite: SipRequest,
    /** Where requests to this phone go: where its messages come from (NAT-friendly). */
    public peer: SendTarget,
    readonly identity: PartyIdentity,
    /** The phone's Contact, for the admin API. */
    readonly device: string,
    /** Our tag in this leg's dialog. */
    readonly localTag: string,
  ) {
    this.invite = invite;
    this.callId = detachedText(invite.callId);
    this.inviteSeq = invite.cseq.seq;
  }

  /** The INVITE of a leg whose INVITE exchange is still under way (a pending one to answer). */
  pendingInvite(): SipRequest {
    if (!this.invite) throw new Error(`leg ${this.id}: its INVITE exchange is over`);
    return this.invite;
  }

  /**
   * Builds the ACK for a 2xx on this leg's dialog and remembers what it carried, so that a
   * retransmission of that 2xx gets the same ACK again (§13.2.2.4).
   */
  makeAck(cseq: number, sdp?: Buffer): SipRequest | undefined {
    this.ackSent = { cseq, sdp: sdp && ownedBytes(sdp) };
    return this.ack;
  }

  /**
   * The ACK we sent for this leg's latest 2xx, built anew from the dialog (keeping only what it
   * carried is cheaper than keeping the message for the life of the call); undefined if none.
   */
  get ack(): SipRequest | undefined {
    const sent = this.ackSent;
    if (!sent || !this.dialog) return undefined;
    return this.dialog.createRequest('ACK', sent.sdp
      ? { cseq: sent.cseq, body: sent.sdp, contentType: 'application/sdp' }
      : { cseq: sent.cseq });
  }

  get isLive(): boolean {
    return this.state === 'offering' || this.state === 'ringing' || this.state === 'answered';
  }
}

/** A copy of `bytes` in memory of its own: a small Buffer is a view onto a shared 8 kB pool slab, which it would keep. */
function ownedBytes(bytes: Buffer): Buffer {
  const copy = Buffer.allocUnsafeSlow(bytes.length);
  bytes.copy(copy);
  return copy;
}
