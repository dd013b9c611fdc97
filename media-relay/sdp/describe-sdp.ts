import { codecsOf, isTelephoneEvent, type Codec } from './codec.js';
import { effectiveConnection, effectiveDirection, isHold, type MediaDirection } from './media-direction.js';
import { parseSdp } from './parse-sdp.js';
import { SdpError } from './sdp-error.js';
import type { MediaSection, SessionDescription } from './session-description.js';

/** What the relay and the B2BUA need to know of one m= line. */
export interface MediaLineSummary {
  readonly index: number;
  readonly type: string;
  readonly port: number;
  readonly protocol: string;
  /** The effective c= address (media level, else session level). */
  readonly address: string | undefined;
  /** Where RTCP goes without rtcp-mux: a=rtcp (RFC 3605), else port + 1 (RFC 3550 §11). */
  readonly rtcpPort: number | undefined;
  readonly rtcpAddress: string | undefined;
  readonly rtcpMux: boolean;
  readonly direction: MediaDirection;
  /** a=sendonly, a=inactive or c=0.0.0.0 (RFC 3264 §8.4). */
  readonly onHold: boolean;
  readonly codecs: readonly Codec[];
  readonly telephoneEventPt: number | undefined;
  /** Port 0: the stream is declined or disabled (RFC 3264 §6, §8.2). */
  readonly rejected: boolean;
  /** UDP-based, so the relay can carry it; TCP media (BFCP, MSRP) is not relayed. */
  readonly relayable: boolean;
}

export interface SdpDescription {
  readonly origin: { readonly username: string; readonly sessionId: string; readonly sessionVersion: number; readonly address: string };
  /** The session-level c= address, if any. */
  readonly address: string | undefined;
  readonly media: readonly MediaLineSummary[];
}

/** Summarises an SDP for the B2BUA; a malformed SDP gives an SdpError. */
export function describeSdp(sdp: string): SdpDescription | SdpError {
  const session = parseSdp(sdp);
  return session instanceof SdpError ? session : describeSession(session);
}

/** Summarises an already parsed and checked description (parseSdp's output). */
export function describeSession(description: SessionDescription): SdpDescription {
  const { session } = description;
  const origin = session.origin;
  return {
    origin: {
      username: origin?.username ?? '',
      sessionId: origin?.sessionId ?? '',
      sessionVersion: Number(origin?.sessionVersion),
      address: origin?.address ?? '',
    },
    address: session.connection?.ip,
    media: description.media.map((media, index) => describeMedia(description, media, index)),
  };
}

function describeMedia({ session }: SessionDescription, media: MediaSection, index: number): MediaLineSummary {
  const address = effectiveConnection(session, media)?.ip;
  const direction = effectiveDirection(session, media);
  const codecs = codecsOf(media);
  const rejected = media.port === 0;
  return {
    index,
    type: media.type,
    port: media.port,
    protocol: media.protocol,
    address,
    rtcpPort: rejected ? undefined : media.rtcp?.port ?? media.port + 1,
    rtcpAddress: media.rtcp?.address ?? address,
    rtcpMux: media.rtcpMux,
    direction,
    onHold: isHold(direction, address),
    codecs,
    telephoneEventPt: codecs.find(isTelephoneEvent)?.payloadType,
    rejected,
    relayable: isUdpTransport(media.protocol),
  };
}

/** RTP/AVP and friends run over UDP (RFC 3551 §1); so do udptl (T.38) and UDP/TLS/RTP/SAVPF. */
function isUdpTransport(protocol: string): boolean {
  const upper = protocol.toUpperCase();
  return !upper.includes('TCP') && (upper.startsWith('RTP/') || upper.startsWith('UDP') || upper === 'UDPTL');
}
