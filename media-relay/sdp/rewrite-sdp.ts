import { isIPv6 } from 'node:net';
import type { MediaDescription, SessionDescription, SharedAttributes } from 'sdp-transform';
import { isUnspecifiedAddress, type ConnectionData } from './media-direction.js';
import { parseSdp } from './parse-sdp.js';
import { SdpError } from './sdp-error.js';
import type { SdpOrigin } from './sdp-origin.js';

/** Where the party receiving the rewritten SDP must send one stream's media: relay ports. */
export interface RelayEndpoint {
  readonly address: string;
  readonly rtpPort: number;
  /** The relay's RTCP port for the stream; undefined removes a=rtcp (RTCP only muxed). */
  readonly rtcpPort?: number;
}

/**
 * Rewrites an SDP so that every accepted stream points at the relay: the endpoint at index i
 * serves m-line i. See rewriteSession for the rules. A malformed SDP gives an SdpError.
 */
export function rewriteSdp(sdp: string, endpoints: readonly (RelayEndpoint | undefined)[], origin: SdpOrigin): string | SdpError {
  const session = parseSdp(sdp);
  return session instanceof SdpError ? session : rewriteSession(session, endpoints, origin);
}

/**
 * Rewrites a parsed description in place and writes it under `origin`:
 * - c= at session and media level and each m= port point at the relay; c=0.0.0.0 stays, so
 *   an old-style hold (RFC 3264 §8.4) reaches the other party as a hold;
 * - a=rtcp carries the relay's RTCP port (removed when the endpoint has none); a=rtcp-mux stays;
 * - ICE is removed (candidates, ufrag, pwd, options, ice-lite) and so is BUNDLE, because the
 *   relay anchors each stream on its own ports;
 * - a port-0 m-line, or one without an endpoint, is (kept) rejected with port 0;
 * - codecs, fmtp, ptime, directions and every other attribute pass unchanged, m-lines in order.
 */
export function rewriteSession(
  session: SessionDescription,
  endpoints: readonly (RelayEndpoint | undefined)[],
  origin: SdpOrigin,
): string {
  const relayConnection = connectionFor(origin.address);
  const sessionOnHold = session.connection !== undefined && isUnspecifiedAddress(session.connection.ip);
  if (session.connection !== undefined && !sessionOnHold) session.connection = relayConnection;
  stripIce(session);
  delete session.icelite;
  if (session.groups !== undefined) session.groups = session.groups.filter((group) => group.type !== 'BUNDLE');
  session.media.forEach((media, index) => {
    stripIce(media);
    const endpoint = media.port === 0 ? undefined : endpoints[index];
    if (endpoint === undefined) rejectMedia(media, relayConnection);
    else pointMediaAt(media, endpoint, sessionOnHold);
  });
  return origin.stamp(session);
}

function pointMediaAt(media: MediaDescription, endpoint: RelayEndpoint, sessionOnHold: boolean): void {
  media.port = endpoint.rtpPort;
  const onHold = media.connection === undefined ? sessionOnHold : isUnspecifiedAddress(media.connection.ip);
  if (media.connection !== undefined && !onHold) media.connection = connectionFor(endpoint.address);
  delete media.bundleOnly;
  if (media.rtcp === undefined) return;
  if (endpoint.rtcpPort === undefined) {
    delete media.rtcp;
    return;
  }
  media.rtcp = media.rtcp.address === undefined
    ? { port: endpoint.rtcpPort }
    : { port: endpoint.rtcpPort, netType: 'IN', ipVer: connectionFor(endpoint.address).version, address: endpoint.address };
}

/** RFC 3264 §6: a declined stream keeps its m-line with port 0; it must not reveal the phone's address. */
function rejectMedia(media: MediaDescription, relayConnection: ConnectionData): void {
  media.port = 0;
  delete media.rtcp;
  if (media.connection !== undefined && !isUnspecifiedAddress(media.connection.ip)) media.connection = relayConnection;
}

function stripIce(attributes: SharedAttributes & Partial<Pick<MediaDescription, 'candidates' | 'endOfCandidates' | 'remoteCandidates'>>): void {
  delete attributes.iceUfrag;
  delete attributes.icePwd;
  delete attributes.iceOptions;
  delete attributes.candidates;
  delete attributes.endOfCandidates;
  delete attributes.remoteCandidates;
}

function connectionFor(address: string): { version: number; ip: string } {
  return { version: isIPv6(address) ? 6 : 4, ip: address };
}
