import type { SipRequest, SipResponse } from '../../../../sip-stack/message/sip-message.js';
import type { ClientTransaction, ClientTransactionUser } from '../../../../sip-stack/transaction/client-transaction.js';
import type { InviteServerTransaction } from '../../../../sip-stack/transaction/invite-server-transaction.js';
import type { ServerTransaction } from '../../../../sip-stack/transaction/server-transaction.js';
import type { TransactionUser } from '../../../../sip-stack/transaction/transaction-user.js';
import type { MessageSource, TransportError } from '../../../../sip-stack/transport/transport-types.js';

/** A ClientTransactionUser that writes down every callback. */
export class RecordingClientUser implements ClientTransactionUser {
  readonly responses: SipResponse[] = [];
  readonly timeouts: ClientTransaction[] = [];
  readonly errors: TransportError[] = [];

  receiveResponse(response: SipResponse): void {
    this.responses.push(response);
  }

  onTimeout(tx: ClientTransaction): void {
    this.timeouts.push(tx);
  }

  onTransportError(error: TransportError): void {
    this.errors.push(error);
  }

  statuses(): number[] {
    return this.responses.map((r) => r.status);
  }
}

/** A TransactionUser that writes down every callback; `onNewRequest` lets a test answer. */
export class RecordingTransactionUser implements TransactionUser {
  readonly requests: { request: SipRequest; tx: ServerTransaction }[] = [];
  readonly acks: { ack: SipRequest; source: MessageSource }[] = [];
  readonly cancels: { cancel: SipRequest; inviteTx: InviteServerTransaction }[] = [];
  readonly stray: SipResponse[] = [];
  onNewRequest: ((request: SipRequest, tx: ServerTransaction) => void) | undefined;
  answerStatelessly: ((request: SipRequest, source: MessageSource) => SipResponse | undefined) | undefined = undefined;

  onRequest(request: SipRequest, tx: ServerTransaction): void {
    this.requests.push({ request, tx });
    this.onNewRequest?.(request, tx);
  }

  onAck(ack: SipRequest, source: MessageSource): void {
    this.acks.push({ ack, source });
  }

  onCancel(cancel: SipRequest, inviteTx: InviteServerTransaction): void {
    this.cancels.push({ cancel, inviteTx });
  }

  onStray2xx(response: SipResponse): void {
    this.stray.push(response);
  }

  lastTx(): ServerTransaction {
    const entry = this.requests[this.requests.length - 1];
    if (entry === undefined) throw new Error('no request reached the TU');
    return entry.tx;
  }
}
