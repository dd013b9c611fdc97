import type { SipRequest, SipResponse } from '../sip-stack/message/sip-message.js';
import { makeResponse } from '../sip-stack/message/make-response.js';
import { isSipUri, unescapeUriPart } from '../sip-stack/message/sip-uri.js';
import { makeTag, statelessTag } from '../sip-stack/transaction/random-ids.js';
import type { InviteServerTransaction } from '../sip-stack/transaction/invite-server-transaction.js';
import type { ServerTransaction } from '../sip-stack/transaction/server-transaction.js';
import type { TransactionUser } from '../sip-stack/transaction/transaction-user.js';
import type { MessageSource } from '../sip-stack/transport/transport-types.js';
import type { RequestAuthenticator } from './auth/request-authenticator.js';
import type { CallRegistry } from './b2bua/call-registry.js';
import { relayInDialog, receiveAck } from './b2bua/in-dialog-relay.js';
import { ALLOW } from './b2bua/leg-messages.js';
import type { Registrar } from './registrar/registrar.js';
import type { UserDirectory } from './directory/user-directory.js';
import type { Logger } from './logging/logger.js';
import { sourceTarget } from './b2bua/inbound-invite.js';

/** Places a new, authenticated INVITE (the dial plan and features live behind this). */
export interface InviteHandler {
  handleInvite(request: SipRequest, tx: ServerTransaction, user: string): void;
  /** A CANCEL for a pending INVITE (already answered 200 by the transaction layer, §9.2). */
  handleCancel(inviteTx: InviteServerTransaction): void;
}

export interface RouterParts {
  readonly authenticator: RequestAuthenticator;
  readonly registrar: Registrar;
  readonly directory: () => UserDirectory;
  readonly calls: CallRegistry;
  readonly invites: InviteHandler;
  readonly logger: Logger;
  /** Stop taking new calls (shutdown). */
  readonly accepting: () => boolean;
}

/**
 * The softswitch as the transaction layer's user: authenticates out-of-dialog requests, sends
 * REGISTER to the registrar, new INVITEs to the call handler, and in-dialog requests to the
 * call whose dialog they belong to.
 */
export class RequestRouter implements TransactionUser {
  constructor(private readonly parts: RouterParts) {}

  /**
   * §8.2.7, §22.1: REGISTERs and INVITEs without credentials are challenged statelessly, so the
   * first try of every registration and call costs no transaction (the challenge is re-sent when
   * the request is, and its ACK matches no call and is dropped).
   */
  answerStatelessly(request: SipRequest): SipResponse | undefined {
    if (request.toTag !== undefined) return undefined;
    if (request.method === 'INVITE' && !this.parts.accepting()) return undefined;
    if (request.method !== 'REGISTER' && request.method !== 'INVITE') return undefined;
    const challenge = this.parts.authenticator.challengeUncredentialed(request);
    if (challenge === undefined || challenge.ok) return undefined;
    return makeResponse(request, challenge.status, { toTag: statelessTag(request), headers: challenge.headers });
  }

  onRequest(request: SipRequest, tx: ServerTransaction): void {
    if (request.toTag !== undefined) return this.inDialog(request, tx);
    switch (request.method) {
      case 'REGISTER': return this.register(request, tx);
      case 'OPTIONS': return tx.respond(this.optionsResponse(request));
      case 'INVITE': return this.invite(request, tx);
      case 'BYE': case 'UPDATE': case 'INFO': case 'PRACK':
        return tx.respond(makeResponse(request, 481, { toTag: makeTag() }));
      default:
        return tx.respond(makeResponse(request, 405, { toTag: makeTag(), headers: [['Allow', ALLOW]] }));
    }
  }

  onAck(ack: SipRequest): void {
    const ref = this.parts.calls.findByRequest(ack);
    if (ref) receiveAck(ref.leg, ack);
  }

  onCancel(_cancel: SipRequest, inviteTx: InviteServerTransaction): void {
    this.parts.invites.handleCancel(inviteTx);
  }

  onStray2xx(response: SipResponse, source: MessageSource): void {
    // §13.2.2.4: a retransmitted 2xx of a leg whose transaction is gone still needs our ACK.
    const ref = this.parts.calls.findByDialogId({
      callId: response.callId, localTag: response.fromTag ?? '', remoteTag: response.toTag ?? '',
    });
    if (ref?.leg.ack) return ref.call.ctx.signalling.sendAck(ref.leg.ack, sourceTarget(source));
    this.parts.logger.debug({ callId: response.callId }, 'stray 2xx dropped');
  }

  private inDialog(request: SipRequest, tx: ServerTransaction): void {
    const ref = this.parts.calls.findByRequest(request);
    if (!ref) return tx.respond(makeResponse(request, 481));
    relayInDialog(ref.call, ref.leg, request, tx);
  }

  private register(request: SipRequest, tx: ServerTransaction): void {
    const auth = this.parts.authenticator.authenticate(request);
    if (!auth.ok) return tx.respond(makeResponse(request, auth.status, { toTag: makeTag(), headers: auth.headers }));
    const outcome = this.parts.registrar.handle({
      request,
      source: { ...sourceTarget(tx.source), flowId: tx.source.flowId },
      authenticatedUser: auth.user,
      userExists: (u) => this.parts.directory().hasUser(u),
    });
    tx.respond(makeResponse(request, outcome.status, {
      toTag: makeTag(), headers: outcome.headers, ...(outcome.reason ? { reason: outcome.reason } : {}),
    }));
  }

  private invite(request: SipRequest, tx: ServerTransaction): void {
    if (!this.parts.accepting()) {
      return tx.respond(makeResponse(request, 503, { toTag: makeTag(), reason: 'Shutting down' }));
    }
    const auth = this.parts.authenticator.authenticate(request);
    if (!auth.ok) return tx.respond(makeResponse(request, auth.status, { toTag: makeTag(), headers: auth.headers }));
    this.parts.invites.handleInvite(request, tx, auth.user);
  }

  /** §11.2: OPTIONS to the switch itself is answered like an INVITE would be, without one. */
  private optionsResponse(request: SipRequest): SipResponse {
    return makeResponse(request, 200, {
      toTag: makeTag(),
      headers: [['Allow', ALLOW], ['Accept', 'application/sdp'], ['Accept-Language', 'en']],
    });
  }
}

/** The user part of the Request-URI: the dialled string. */
export function dialledString(request: SipRequest): string | undefined {
  const uri = request.requestUri;
  if (!('scheme' in uri) || !isSipUri(uri) || uri.user === undefined) return undefined;
  return unescapeUriPart(uri.user);
}
