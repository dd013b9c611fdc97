import type { Core, NameAddrHeader } from 'sip.js';
import { SipText } from './sip-text.js';

/** What a call looked like from the outside: states, parties, how it ended, what INFO said. */

export type CallState = 'calling' | 'ringing' | 'early' | 'established' | 'terminated';

export interface PartyIdentity {
  /** Display name, '' if none. */
  readonly displayName: string;
  /** User part of the URI (the extension), if any. */
  readonly user: string | undefined;
  readonly uri: string;
}

export interface CallTermination {
  readonly by: 'local' | 'remote';
  /** The request that ended the call, if one did (sent when by = local, received when remote). */
  readonly method?: 'BYE' | 'CANCEL';
  /** The received BYE or CANCEL. */
  readonly request?: SipText;
  /** Its Reason header, e.g. `SIP;cause=200;text="Call completed elsewhere"`. */
  readonly reason?: string;
  /** Final response of an unanswered call (e.g. 486, 487). */
  readonly status?: number;
}

export interface InfoReceived {
  readonly contentType: string | undefined;
  readonly body: string;
  /** `Signal=` of an application/dtmf-relay body. */
  readonly signal: string | undefined;
  readonly request: SipText;
}

export function remoteEnd(method: 'BYE' | 'CANCEL', message: Core.IncomingRequestMessage): CallTermination {
  const request = new SipText(message.data);
  return { by: 'remote', method, request, reason: request.header('reason') };
}

export function identityOf(header: NameAddrHeader): PartyIdentity {
  // sip.js types displayName as string but leaves it undefined when the header has none.
  const displayName: string | undefined = header.displayName;
  return { displayName: displayName ?? '', user: header.uri.user, uri: header.uri.toString() };
}

/** An INFO as received; `signal` is the digit of an application/dtmf-relay body. */
export function infoRecord(message: Core.IncomingRequestMessage): InfoReceived {
  const request = new SipText(message.data);
  const contentType = request.header('content-type');
  const signal = contentType?.toLowerCase().startsWith('application/dtmf-relay')
    ? /^\s*Signal\s*=\s*(\S+)/im.exec(request.body)?.[1]
    : undefined;
  return { contentType, body: request.body, signal, request };
}
