import { makeResponse } from '../message/make-response.js';
import type { SipRequest, SipResponse } from '../message/sip-message.js';
import { hasMagicCookie } from '../message/via.js';
import type { Clock } from '../timers/clock.js';
import type { TimerConfig } from '../timers/timer-config.js';
import type { MessageSource, SendTarget, TransportError } from '../transport/transport-types.js';
import type { ClientTransaction, ClientTransactionUser } from './client-transaction.js';
import { InviteClientTransaction } from './invite-client-transaction.js';
import { InviteServerTransaction } from './invite-server-transaction.js';
import { makeClientVia } from './make-client-via.js';
import { NonInviteClientTransaction } from './non-invite-client-transaction.js';
import { NonInviteServerTransaction } from './non-invite-server-transaction.js';
import { makeBranch, makeTag } from './random-ids.js';
import type { ServerTransaction } from './server-transaction.js';
import type { TransactionContext } from './transaction-context.js';
import { type TransactionCountersSnapshot, makeCounters } from './transaction-counters.js';
import {
  cancelledInviteKey, clientKeyOfRequest, clientKeyOfResponse, legacyToTagMatches, serverTransactionKey,
  usesLegacyMatching,
} from './transaction-key.js';
import type { TransactionSender } from './transaction-sender.js';
import type { TransactionUser } from './transaction-user.js';

export interface TransactionLayerOptions {
  readonly sender: TransactionSender;
  readonly clock: Clock;
  readonly timers: TimerConfig;
  readonly user: TransactionUser;
  /**
   * Where the responses of a server transaction go. Defaults to where the request came from
   * (its flow on stream transports); §18.2.2 Via-based routing is the transport layer's job.
   */
  readonly responseTarget?: (request: SipRequest, source: MessageSource) => SendTarget;
}

export interface SendRequestOptions {
  /** Keep the request's own top Via if its branch has the magic cookie, instead of adding one. */
  readonly keepVia?: boolean;
}

export interface SendAckOptions extends SendRequestOptions {
  /** A 2xx ACK has no transaction to report to: the dialog may want to hear of failures itself. */
  readonly onError?: (error: TransportError) => void;
}

type ClientTx = InviteClientTransaction | NonInviteClientTransaction;
type ServerTx = InviteServerTransaction | NonInviteServerTransaction;

/** The source itself: it has every field of a target, and a copy would be kept per transaction. */
function sourceAsTarget(_request: SipRequest, source: MessageSource): SendTarget {
  return source;
}

/** The CANCEL's own transaction reports to nobody: only the INVITE's outcome matters (§9.1). */
const IGNORING_USER: ClientTransactionUser = {
  receiveResponse: () => undefined,
  onTimeout: () => undefined,
  onTransportError: () => undefined,
};

/**
 * RFC 3261 §17: creates client and server transactions, matches incoming messages to them
 * (§17.1.3, §17.2.3) and forgets each one the moment it terminates.
 */
export class TransactionLayer {
  private readonly context: TransactionContext;
  private readonly user: TransactionUser;
  private readonly responseTarget: (request: SipRequest, source: MessageSource) => SendTarget;
  private readonly clients = new Map<string, ClientTx>();
  private readonly servers = new Map<string, ServerTx>();
  private readonly stats = makeCounters();

  constructor(options: TransactionLayerOptions) {
    this.context = { sender: options.sender, clock: options.clock, timers: options.timers };
    this.user = options.user;
    this.responseTarget = options.responseTarget ?? sourceAsTarget;
  }

  /** A request from the transport, which has already rejected malformed ones (checkMessage). */
  receiveRequest(request: SipRequest, source: MessageSource): void {
    const key = serverTransactionKey(request);
    if (key === undefined) return; // No Via: there is nowhere to send a response.
    if (request.method === 'ACK') return this.receiveAck(request, source, key);
    const existing = this.matchServer(request, key);
    if (existing !== undefined) {
      this.stats.requestRetransmissions++;
      return existing.handle({ type: 'request', request });
    }
    if (request.method === 'CANCEL') return this.receiveCancel(request, source, key);
    const stateless = this.statelessAnswer(request, source);
    if (stateless !== undefined) return this.sendStateless(stateless, request, source);
    const tx = this.createServer(request, source, key);
    this.deliver(request, tx);
    if (tx instanceof InviteServerTransaction) tx.start();
  }

  receiveResponse(response: SipResponse, source: MessageSource): void {
    const key = clientKeyOfResponse(response);
    const tx = key === undefined ? undefined : this.clients.get(key);
    if (tx !== undefined) return tx.handle({ type: 'response', response });
    const status = response.status;
    if (status >= 200 && status < 300 && response.cseq.method === 'INVITE') {
      // §13.2.2.4: a 2xx from another fork, or after Timer M, still needs the dialog's ACK.
      this.stats.stray2xx++;
      return this.user.onStray2xx(response, source);
    }
    // §17.1.3, RFC 6026 §7.2: any other response matching no transaction is dropped.
    this.stats.responsesDropped++;
  }

  /**
   * Sends a request (not ACK) through a new client transaction. Adds the top Via with a fresh
   * branch unless `keepVia` is set and the request already has a magic-cookie one.
   */
  sendRequest(
    request: SipRequest, target: SendTarget, user: ClientTransactionUser, options: SendRequestOptions = {},
  ): ClientTransaction {
    if (request.method === 'ACK') {
      throw new Error('ACK is never a client transaction: use sendAck for the ACK of a 2xx (§17.1.1.3)');
    }
    this.addTopVia(request, target, options.keepVia === true);
    return this.startClient(request, target, user);
  }

  /** §13.2.2.4: the ACK for a 2xx is sent by the TU outside any transaction, with its own Via. */
  sendAck(ack: SipRequest, target: SendTarget, options: SendAckOptions = {}): void {
    this.addTopVia(ack, target, options.keepVia === true);
    this.context.sender.send(ack, target, options.onError);
  }

  /** Live transactions, client and server. */
  size(): number {
    return this.clients.size + this.servers.size;
  }

  counters(): Readonly<TransactionCountersSnapshot> {
    return { ...this.stats, liveClient: this.clients.size, liveServer: this.servers.size };
  }

  /** Disposes every live transaction, silently; idempotent. */
  dispose(): void {
    for (const tx of [...this.clients.values()]) tx.dispose();
    for (const tx of [...this.servers.values()]) tx.dispose();
  }

  private receiveAck(ack: SipRequest, source: MessageSource, key: string): void {
    const tx = this.matchServer(ack, key);
    // §17.2.3: an ACK matching an INVITE server transaction is its business (absorbed, or
    // passed up in Accepted by the transaction itself, RFC 6026 §7.1).
    if (tx instanceof InviteServerTransaction) return tx.handle({ type: 'ack', ack, source });
    // §17.1.1.3: any other ACK acknowledges a 2xx and belongs to the TU's dialog.
    this.stats.acksToUser++;
    this.user.onAck(ack, source);
  }

  /** §9.2: the layer answers the CANCEL itself; the TU answers the INVITE (normally 487). */
  private receiveCancel(cancel: SipRequest, source: MessageSource, key: string): void {
    const cancelTx = this.createServer(cancel, source, key);
    const inviteKey = cancelledInviteKey(cancel);
    const invite = inviteKey === undefined ? undefined : this.matchServer(cancel, inviteKey);
    if (!(invite instanceof InviteServerTransaction)) {
      // §9.2: no matching transaction: 481 Call/Transaction Does Not Exist.
      this.stats.cancelsUnmatched++;
      return cancelTx.respond(makeResponse(cancel, 481, { toTag: makeTag() }));
    }
    // §9.2: the To tag of the CANCEL's response SHOULD be that of the INVITE's responses.
    const toTag = invite.lastToTag ?? makeTag();
    cancelTx.respond(makeResponse(cancel, 200, { toTag }));
    // §9.2: once a final response has gone, the CANCEL has no effect on the INVITE.
    if (invite.state !== 'Proceeding') return;
    this.stats.cancelsDelivered++;
    this.user.onCancel(cancel, invite);
  }

  /**
   * §8.2.7: a stateless answer is sent once; a lost one is answered again when the request is
   * retransmitted, and its ACK, matching no transaction, reaches the TU, which drops it.
   */
  private sendStateless(response: SipResponse, request: SipRequest, source: MessageSource): void {
    this.stats.statelessResponses++;
    this.context.sender.send(response, this.responseTarget(request, source));
  }

  /** §17.2.3 lookup, with the To tag check that RFC 2543 matching adds. */
  private matchServer(request: SipRequest, key: string): ServerTx | undefined {
    const tx = this.servers.get(key);
    if (tx === undefined) return undefined;
    if (usesLegacyMatching(request) && !legacyToTagMatches(request, tx)) return undefined;
    return tx;
  }

  /** One callback for every server transaction, not a closure each. */
  private readonly unindexServer = (tx: ServerTx): void => {
    if (this.servers.get(tx.key) === tx) this.servers.delete(tx.key);
  };

  private createServer(request: SipRequest, source: MessageSource, key: string): ServerTx {
    const common = {
      key,
      context: this.context,
      request,
      source,
      target: this.responseTarget(request, source),
      legacyToTag: usesLegacyMatching(request) ? request.toTag : undefined,
      onTerminated: this.unindexServer,
    };
    this.stats.serverTransactionsCreated++;
    if (request.method !== 'INVITE') {
      const tx = new NonInviteServerTransaction(common);
      this.servers.set(key, tx);
      return tx;
    }
    const tx = new InviteServerTransaction({ ...common, onAck: this.passAckUp });
    // Indexed before anything is sent, so that a send error reported at once finds it to remove.
    this.servers.set(key, tx);
    return tx;
  }

  /**
   * The TU's answer without a transaction, if it has one. Should the TU throw, a 500 goes out
   * the same way (the request would otherwise be retransmitted into the same fault until Timer
   * F at the caller), and the error travels on to the caller.
   */
  private statelessAnswer(request: SipRequest, source: MessageSource): SipResponse | undefined {
    try {
      return this.user.answerStatelessly?.(request, source);
    } catch (error) {
      this.sendStateless(makeResponse(request, 500, { toTag: makeTag() }), request, source);
      throw error;
    }
  }

  /**
   * Hands a new request to the TU. Should the TU throw before answering, a 500 goes out so that
   * the transaction still completes, and the error travels on to the caller.
   */
  private deliver(request: SipRequest, tx: ServerTransaction): void {
    try {
      this.user.onRequest(request, tx);
    } catch (error) {
      if ((tx.lastStatus ?? 0) < 200) tx.respond(makeResponse(request, 500, { toTag: makeTag() }));
      throw error;
    }
  }

  private startClient(request: SipRequest, target: SendTarget, user: ClientTransactionUser): ClientTx {
    const key = clientKeyOfRequest(request);
    if (key === undefined) throw new Error('a client transaction needs a top Via with a branch');
    if (this.clients.has(key)) throw new Error(`branch already in use by a live transaction: ${key}`);
    const common = {
      context: this.context,
      request,
      target,
      user,
      onTerminated: (tx: ClientTx): void => {
        if (this.clients.get(key) === tx) this.clients.delete(key);
      },
    };
    const tx = request.method === 'INVITE'
      ? new InviteClientTransaction({ ...common, sendCancel: (cancel) => this.startClient(cancel, target, IGNORING_USER) })
      : new NonInviteClientTransaction(common);
    this.clients.set(key, tx);
    this.stats.clientTransactionsCreated++;
    tx.start();
    return tx;
  }

  private addTopVia(request: SipRequest, target: SendTarget, keepVia: boolean): void {
    if (keepVia && request.has('Via') && request.check('via') === undefined
      && hasMagicCookie(request.vias[0]?.branch)) return;
    const local = this.context.sender.localEndpoint(target.protocol);
    request.prepend('Via', makeClientVia(local, makeBranch()));
  }

  private readonly passAckUp = (ack: SipRequest, source: MessageSource): void => {
    this.stats.acksToUser++;
    this.user.onAck(ack, source);
  };
}
