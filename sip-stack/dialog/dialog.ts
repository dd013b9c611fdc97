import { type Header, SipRequest, type SipResponse } from '../message/sip-message.js';
import { type NameAddr, formatNameAddr, parseNameAddr } from '../message/name-addr.js';
import { type Uri, formatUri, isSipUri, parseUri } from '../message/sip-uri.js';
import { headerKey } from '../message/header-name.js';
import { SipParseError } from '../parser/sip-parse-error.js';
import { type DialogId } from './dialog-id.js';
import { detachedText } from '../message/detached-text.js';

export type DialogRole = 'uac' | 'uas';

/**
 * Dialog state of RFC 3261 §12: ids, sequence numbers, remote target and route set. Everything is
 * text of its own (detachedText), not parsed views: a dialog lives as long as its call and must
 * not keep the messages it was learnt from.
 */
export interface DialogState {
  readonly id: DialogId;
  readonly role: DialogRole;
  /** Our From/To value (with our tag) and the peer's. */
  readonly localAddress: string;
  readonly remoteAddress: string;
  /** The remote target URI. */
  remoteTarget: string;
  /** The route set as name-addr values, in the order of the Route headers to send. */
  readonly routeSet: readonly string[];
  localSeq: number;
  remoteSeq: number | undefined;
}

export interface InDialogRequestOptions {
  readonly headers?: ReadonlyArray<readonly [string, string]>;
  readonly body?: Buffer;
  readonly contentType?: string;
  /** For ACK: the CSeq number of the INVITE it acknowledges (§13.2.2.4). */
  readonly cseq?: number;
}

/** A dialog: builds in-dialog requests and checks the ones it receives (§12.2). */
export class Dialog {
  constructor(readonly state: DialogState) {}

  /**
   * §12.1.1 (UAS side): the route set is the Record-Route of the request in order, the remote
   * target its Contact; our tag is on the To of the response.
   */
  static asUas(request: SipRequest, response: SipResponse): Dialog | undefined {
    const contact = firstContact(request);
    const localTag = response.toTag;
    const remoteTag = request.fromTag ?? '';
    if (contact === undefined || localTag === undefined) return undefined;
    return new Dialog({
      id: dialogId(request.callId, localTag, remoteTag),
      role: 'uas',
      localAddress: detachedText(response.get('To') ?? ''),
      remoteAddress: detachedText(request.get('From') ?? ''),
      remoteTarget: contact,
      routeSet: request.check('record-route') ? [] : request.recordRoutes.map(routeText),
      localSeq: 0,
      remoteSeq: request.cseq.seq,
    });
  }

  /** §12.1.2 (UAC side): the route set is the response's Record-Route reversed. */
  static asUac(request: SipRequest, response: SipResponse): Dialog | undefined {
    const local = { callId: request.callId, localTag: request.fromTag ?? '', localAddress: request.get('From') ?? '' };
    return uacDialog(local, response, request.cseq.seq);
  }

  /**
   * §13.2.2.4: a 2xx with another To tag for the INVITE that made `sibling` (a forking proxy
   * downstream) makes a dialog of its own, with the sibling's Call-ID, local tag and From.
   * Undefined if it is `sibling`'s own 2xx.
   */
  static forkedUac(sibling: Dialog, response: SipResponse, inviteSeq: number): Dialog | undefined {
    const { id, localAddress } = sibling.state;
    if (response.toTag === id.remoteTag) return undefined;
    return uacDialog({ callId: id.callId, localTag: id.localTag, localAddress }, response, inviteSeq);
  }

  get id(): DialogId {
    return this.state.id;
  }

  /**
   * §12.2.1.1: Request-URI and Route from the route set (loose routing when the first route has
   * `lr`, else the strict-routing form), From/To/Call-ID of the dialog, next local CSeq.
   */
  createRequest(method: string, options: InDialogRequestOptions = {}): SipRequest {
    const { requestUri, routes } = this.routing();
    const seq = method === 'ACK' ? (options.cseq ?? this.state.localSeq) : ++this.state.localSeq;
    const headers: Header[] = [];
    const add = (name: string, value: string): void => {
      headers.push({ name, key: headerKey(name), value });
    };
    for (const route of routes) add('Route', route);
    add('Max-Forwards', '70');
    add('From', this.state.localAddress);
    add('To', this.state.remoteAddress);
    add('Call-ID', this.state.id.callId);
    add('CSeq', `${seq} ${method}`);
    for (const [name, value] of options.headers ?? []) add(name, value);
    const request = new SipRequest(method, requestUri, headers);
    return request.setBody(options.body ?? Buffer.alloc(0), options.contentType);
  }

  private routing(): { requestUri: string; routes: readonly string[] } {
    const target = this.state.remoteTarget;
    const all = this.state.routeSet;
    const first = all[0] === undefined ? undefined : routeUri(all[0]);
    if (first === undefined) return { requestUri: target, routes: all };
    if (isSipUri(first) && first.params.has('lr')) return { requestUri: target, routes: all };
    // Strict routing (§12.2.1.1): the first route becomes the Request-URI, the target goes last.
    return { requestUri: formatUri(first), routes: [...all.slice(1), `<${target}>`] };
  }

  /**
   * §12.2.2: a request whose CSeq is lower than the last one seen is out of order (answer 500);
   * a target refresh request (re-INVITE, UPDATE) replaces the remote target.
   */
  receiveRequest(request: SipRequest): 'ok' | 'out-of-order' {
    const seq = request.cseq.seq;
    if (request.method !== 'ACK' && request.method !== 'CANCEL') {
      if (this.state.remoteSeq !== undefined && seq <= this.state.remoteSeq) return 'out-of-order';
      this.state.remoteSeq = seq;
    }
    if (request.method === 'INVITE' || request.method === 'UPDATE') {
      const contact = firstContact(request);
      if (contact) this.state.remoteTarget = contact;
    }
    return 'ok';
  }

  /** §12.2.1.2: a 2xx to a target refresh request updates the remote target. */
  receiveRefreshResponse(response: SipResponse): void {
    const contact = firstContact(response);
    if (contact) this.state.remoteTarget = contact;
  }

  /**
   * The URI of the next hop: the first route, else the remote target (§12.2.1.1, RFC 3263);
   * undefined if that text does not parse.
   */
  nextHop(): Uri | undefined {
    const first = this.state.routeSet[0];
    if (first !== undefined) return routeUri(first);
    const target = parseUri(this.state.remoteTarget);
    return target instanceof SipParseError ? undefined : target;
  }
}

/** The first Contact URI of a message, as text of its own. */
/** Our side of a UAC dialog: what the INVITE we sent says of us. */
interface UacLocal {
  readonly callId: string;
  readonly localTag: string;
  readonly localAddress: string;
}

/** The UAC dialog a 2xx makes (§12.1.2): the peer's tag, target and route set from the 2xx. */
function uacDialog(local: UacLocal, response: SipResponse, inviteSeq: number): Dialog | undefined {
  const contact = firstContact(response);
  const remoteTag = response.toTag;
  if (contact === undefined || remoteTag === undefined) return undefined;
  return new Dialog({
    id: dialogId(local.callId, local.localTag, remoteTag),
    role: 'uac',
    localAddress: detachedText(local.localAddress),
    remoteAddress: detachedText(response.get('To') ?? ''),
    remoteTarget: contact,
    routeSet: response.check('record-route') ? [] : response.recordRoutes.map(routeText).reverse(),
    localSeq: inviteSeq,
    remoteSeq: undefined,
  });
}

function firstContact(message: SipRequest | SipResponse): string | undefined {
  if (message.check('contact')) return undefined;
  const contacts = message.contacts;
  const first = contacts === '*' ? undefined : contacts[0]?.uri;
  return first === undefined ? undefined : detachedText(formatUri(first));
}

function dialogId(callId: string, localTag: string, remoteTag: string): DialogId {
  return { callId: detachedText(callId), localTag: detachedText(localTag), remoteTag: detachedText(remoteTag) };
}

function routeText(route: NameAddr): string {
  return detachedText(formatNameAddr(route));
}

/** The URI of a route set entry (a name-addr this dialog formatted itself, so it parses). */
function routeUri(route: string): Uri | undefined {
  const parsed = parseNameAddr(route);
  return parsed instanceof SipParseError ? undefined : parsed.uri;
}
