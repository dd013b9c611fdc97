import { parse as parseSdp, parsePayloads } from 'sdp-transform';

/** Codecs the test phone can announce. Static payload types (RFC 3551 §6); all 8000 Hz RTP clock. */
export type CodecName = 'PCMU' | 'PCMA' | 'G722';

export interface Codec {
  readonly name: string;
  readonly payloadType: number;
  readonly clockRate: number;
}

export const CODECS: Readonly<Record<CodecName, Codec>> = {
  PCMU: { name: 'PCMU', payloadType: 0, clockRate: 8000 },
  PCMA: { name: 'PCMA', payloadType: 8, clockRate: 8000 },
  G722: { name: 'G722', payloadType: 9, clockRate: 8000 },
};

export const DEFAULT_TELEPHONE_EVENT_PT = 101;
export const PTIME_MS = 20;

export type MediaDirection = 'sendrecv' | 'sendonly' | 'recvonly' | 'inactive';

/** What matters of the other side's audio description. */
export interface RemoteAudio {
  readonly address: string;
  readonly port: number;
  readonly direction: MediaDirection;
  /** In m= line order, telephone-event excluded. */
  readonly codecs: readonly Codec[];
  readonly telephoneEventPt: number | undefined;
}

/** What the phone announces. */
export interface LocalAudio {
  readonly sessionId: number;
  readonly version: number;
  readonly address: string;
  readonly port: number;
  readonly codecs: readonly Codec[];
  readonly telephoneEventPt: number | undefined;
  readonly direction: MediaDirection;
}

const STATIC_PAYLOAD_TYPES: ReadonlyMap<number, Codec> = new Map(
  Object.values(CODECS).map((codec) => [codec.payloadType, codec]),
);

export function buildSdp(local: LocalAudio): string {
  const payloadTypes = local.codecs.map((c) => c.payloadType);
  if (local.telephoneEventPt !== undefined) payloadTypes.push(local.telephoneEventPt);
  const lines = [
    'v=0',
    `o=- ${local.sessionId} ${local.version} IN IP4 ${local.address}`,
    's=softswitch test phone',
    `c=IN IP4 ${local.address}`,
    't=0 0',
    `m=audio ${local.port} RTP/AVP ${payloadTypes.join(' ')}`,
    ...local.codecs.map((c) => `a=rtpmap:${c.payloadType} ${c.name}/${c.clockRate}`),
    ...(local.telephoneEventPt === undefined
      ? []
      : [`a=rtpmap:${local.telephoneEventPt} telephone-event/8000`, `a=fmtp:${local.telephoneEventPt} 0-16`]),
    `a=ptime:${PTIME_MS}`,
    `a=${local.direction}`,
  ];
  return lines.join('\r\n') + '\r\n';
}

/** The first audio stream of an SDP body. Throws (so sip.js answers 488/480) if there is none. */
export function parseRemoteAudio(sdp: string): RemoteAudio {
  const session = parseSdp(sdp);
  const media = session.media.find((m) => m.type === 'audio');
  if (!media) throw new Error('remote SDP has no audio m= line');
  const address = media.connection?.ip ?? session.connection?.ip;
  if (address === undefined) throw new Error('remote SDP has no c= address for audio');
  const rtpmap = new Map(media.rtp.map((r) => [r.payload, r]));
  const codecs: Codec[] = [];
  let telephoneEventPt: number | undefined;
  for (const pt of parsePayloads(media.payloads ?? '')) {
    const mapped = rtpmap.get(pt);
    const codec = mapped ? { name: mapped.codec, payloadType: pt, clockRate: mapped.rate ?? 8000 } : STATIC_PAYLOAD_TYPES.get(pt);
    if (codec === undefined) continue;
    if (codec.name.toLowerCase() === 'telephone-event') telephoneEventPt ??= pt;
    else codecs.push(codec);
  }
  const direction = media.direction ?? session.direction ?? 'sendrecv';
  return { address, port: media.port, direction, codecs, telephoneEventPt };
}

/** "address:port" of the audio stream, for messages; "(unparsable)" if there is none. */
export function mediaAddress(sdp: string): string {
  try {
    const audio = parseRemoteAudio(sdp);
    return `${audio.address}:${audio.port}`;
  } catch {
    return '(unparsable)';
  }
}

/** Codecs of `offered` we also have, in the offerer's order (RFC 3264 §6.1), with its payload types. */
export function commonCodecs(offered: readonly Codec[], ours: readonly Codec[]): Codec[] {
  return offered.filter((theirs) => ours.some((mine) => sameCodec(mine, theirs)));
}

function sameCodec(a: Codec, b: Codec): boolean {
  return a.name.toLowerCase() === b.name.toLowerCase() && a.clockRate === b.clockRate;
}

export function sends(direction: MediaDirection): boolean {
  return direction === 'sendrecv' || direction === 'sendonly';
}

export function receives(direction: MediaDirection): boolean {
  return direction === 'sendrecv' || direction === 'recvonly';
}

export function directionOf(send: boolean, receive: boolean): MediaDirection {
  if (send) return receive ? 'sendrecv' : 'sendonly';
  return receive ? 'recvonly' : 'inactive';
}

/**
 * The direction of our side given what we want and what the other side declared
 * (RFC 3264 §6.1: we may send only if they receive, and receive only if they send).
 */
export function agreedDirection(wanted: MediaDirection, theirs: MediaDirection): MediaDirection {
  return directionOf(sends(wanted) && receives(theirs), receives(wanted) && sends(theirs));
}
