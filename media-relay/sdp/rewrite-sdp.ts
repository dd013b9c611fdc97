import { connectionFor, connectionLine, parseConnectionLine, type ConnectionData } from './connection-line.js';
import { isUnspecifiedAddress } from './media-direction.js';
import { withPort } from './media-line.js';
import { parseSdp } from './parse-sdp.js';
import { parseRtcpAttribute, rtcpAttribute } from './rtcp-attribute.js';
import { SdpError } from './sdp-error.js';
import { CRLF, attributeName, joinSdpLines } from './sdp-line.js';
import type { SdpOrigin } from './sdp-origin.js';
import type { MediaSection, SessionDescription, SessionSection } from './session-description.js';

/** Where the party receiving the rewritten SDP must send one stream's media: relay ports. */
export interface RelayEndpoint {
  readonly address: string;
  readonly rtpPort: number;
  /** The relay's RTCP port for the stream; undefined removes a=rtcp (RTCP only muxed). */
  readonly rtcpPort?: number;
}

/**
 * ICE (RFC 8839) and BUNDLE (RFC 9143) would steer media around the relay, which anchors each
 * stream on its own ports; their attributes go at either level.
 */
const ANCHOR_CONFLICTS: ReadonlySet<string> = new Set([
  'ice-ufrag', 'ice-pwd', 'ice-options', 'ice-lite', 'candidate', 'end-of-candidates', 'remote-candidates', 'bundle-only',
]);
const BUNDLE_GROUP = /^a=group:BUNDLE(\s|$)/;

/**
 * Rewrites an SDP so that every accepted stream points at the relay: the endpoint at index i
 * serves m-line i. See rewriteSession for the rules. A malformed SDP gives an SdpError.
 */
export function rewriteSdp(sdp: string, endpoints: readonly (RelayEndpoint | undefined)[], origin: SdpOrigin): string | SdpError {
  const description = parseSdp(sdp);
  return description instanceof SdpError ? description : rewriteSession(description, endpoints, origin);
}

/**
 * Writes a parsed description toward one party under `origin`, changing only these lines:
 * - c= at session and media level and each m= port point at the relay; c=0.0.0.0 stays, so
 *   an old-style hold (RFC 3264 §8.4) reaches the other party as a hold;
 * - a=rtcp carries the relay's RTCP port (removed when the endpoint has none); a=rtcp-mux stays;
 * - ICE is removed (candidates, ufrag, pwd, options, ice-lite) and so is BUNDLE;
 * - a port-0 m-line, or one without an endpoint, is (kept) rejected with port 0;
 * every other line passes unchanged and in place: codecs, fmtp, ptime, directions, unknown lines.
 */
export function rewriteSession(
  description: SessionDescription,
  endpoints: readonly (RelayEndpoint | undefined)[],
  origin: SdpOrigin,
): string {
  const relay = connectionFor(origin.address);
  const head: string[] = [];
  const tail: string[] = [];
  rewriteSessionLines(description.session, relay, head, tail);
  description.media.forEach((media, index) => {
    const endpoint = media.port === 0 ? undefined : endpoints[index];
    if (endpoint === undefined) rejectMedia(media, relay, tail);
    else pointMediaAt(media, endpoint, tail);
  });
  const before = joinSdpLines(head);
  const after = joinSdpLines(tail);
  return origin.stamp((originLine) => before + originLine + CRLF + after);
}

/** Session lines before o= go to `head`, the rest to `tail`; o= itself is the origin's to write. */
function rewriteSessionLines(session: SessionSection, relay: ConnectionData, head: string[], tail: string[]): void {
  let out = head;
  for (const line of session.lines) {
    if (line.startsWith('o=')) out = tail;
    else if (line.startsWith('c=')) out.push(pointConnection(line, relay));
    else if (!conflictsWithAnchoring(line)) out.push(line);
  }
}

function pointMediaAt(media: MediaSection, endpoint: RelayEndpoint, out: string[]): void {
  const target = connectionFor(endpoint.address);
  out.push(withPort(media.lines[0] ?? '', endpoint.rtpPort));
  for (const line of media.lines.slice(1)) {
    if (line.startsWith('c=')) out.push(pointConnection(line, target));
    else if (attributeName(line) === 'rtcp') pushRtcp(line, endpoint.rtcpPort, target, out);
    else if (!conflictsWithAnchoring(line)) out.push(line);
  }
}

/** RFC 3605: a=rtcp names the relay's RTCP port, and its address if the phone gave one. */
function pushRtcp(line: string, rtcpPort: number | undefined, target: ConnectionData, out: string[]): void {
  if (rtcpPort === undefined) return;
  out.push(rtcpAttribute(rtcpPort, parseRtcpAttribute(line).address === undefined ? undefined : target));
}

/** RFC 3264 §6: a declined stream keeps its m-line with port 0; it must not reveal the phone's address. */
function rejectMedia(media: MediaSection, relay: ConnectionData, out: string[]): void {
  out.push(withPort(media.lines[0] ?? '', 0));
  for (const line of media.lines.slice(1)) {
    if (line.startsWith('c=')) out.push(pointConnection(line, relay));
    else if (attributeName(line) !== 'rtcp' && !conflictsWithAnchoring(line)) out.push(line);
  }
}

/** A c= line toward `target`, except a hold address (RFC 3264 §8.4), which stays. */
function pointConnection(line: string, target: ConnectionData): string {
  const connection = parseConnectionLine(line);
  return connection !== undefined && isUnspecifiedAddress(connection.ip) ? line : connectionLine(target);
}

function conflictsWithAnchoring(line: string): boolean {
  if (!line.startsWith('a=')) return false;
  return ANCHOR_CONFLICTS.has(attributeName(line)) || BUNDLE_GROUP.test(line);
}
