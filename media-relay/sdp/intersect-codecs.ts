import { write, type MediaDescription, type SessionDescription } from 'sdp-transform';
import { codecsOf, isAuxiliary, sameCodec, type Codec } from './codec.js';
import { parseSdp } from './parse-sdp.js';
import { SdpError } from './sdp-error.js';

/** No stream of the offer can be answered with a codec both sides have: the answer is a 488. */
export class NoCommonCodec {
  readonly name = 'NoCommonCodec';
  constructor(readonly reason: string) {}
}

export type IntersectResult =
  | { readonly ok: true; readonly sdp: string; readonly media: readonly (readonly Codec[])[] }
  | { readonly ok: false; readonly error: NoCommonCodec | SdpError };

/**
 * The offered codecs the other side also has, in the offer's order with the offer's payload
 * types. telephone-event and comfort noise come along when both have them but never count as
 * a codec in common on their own.
 */
export function intersectCodecLists(offered: readonly Codec[], capabilities: readonly Codec[]): Codec[] {
  const common: Codec[] = [];
  for (const codec of offered) {
    const match = capabilities.find((capability) => sameCodec(codec, capability));
    if (match === undefined) continue;
    // The answerer's format parameters describe what it will do; keep them under the offer's number.
    const fmtp = match.fmtp ?? codec.fmtp;
    common.push(fmtp === undefined ? { ...codec } : { ...codec, fmtp });
  }
  return common.some((codec) => !isAuxiliary(codec)) ? common : [];
}

/**
 * Builds an answer to `offer` from `answerCapabilities`, the SDP of the party that will answer
 * (its own offer, or its current description): its session, addresses and attributes, each
 * offered m-line answered by its first unused m-line of the same media type, restricted to the
 * codecs both have (RFC 3264 §6.1), under the offer's payload types so the packets the relay
 * carries need no renumbering. A stream with nothing in common is declined with port 0
 * (RFC 3264 §6); if every stream is, the result is NoCommonCodec.
 */
export function intersectCodecs(offer: string, answerCapabilities: string): IntersectResult {
  const offered = parseSdp(offer);
  if (offered instanceof SdpError) return { ok: false, error: offered };
  const capable = parseSdp(answerCapabilities);
  if (capable instanceof SdpError) return { ok: false, error: capable };
  const used = new Set<number>();
  const media: Codec[][] = [];
  const lines = offered.media.map((offerLine) => {
    const answered = answerLine(offerLine, capable, used);
    media.push(answered.codecs);
    return answered.line;
  });
  if (!lines.some((line) => line.port !== 0)) {
    return { ok: false, error: new NoCommonCodec('no codec in common') };
  }
  const answer: SessionDescription = { ...capable, media: lines };
  return { ok: true, sdp: write(answer), media };
}

interface AnsweredLine {
  readonly line: MediaDescription;
  readonly codecs: Codec[];
}

function answerLine(offerLine: MediaDescription, capable: SessionDescription, used: Set<number>): AnsweredLine {
  const index = capable.media.findIndex((line, i) => !used.has(i) && line.type === offerLine.type);
  const capLine = capable.media[index];
  const decline = (): AnsweredLine => ({ line: declined(offerLine, capable), codecs: [] });
  if (offerLine.port === 0 || capLine === undefined) return decline();
  used.add(index);
  if (capLine.port === 0) return decline();
  if (!isRtp(offerLine)) return capLine.protocol === offerLine.protocol ? { line: capLine, codecs: [] } : decline();
  const codecs = intersectCodecLists(codecsOf(offerLine), codecsOf(capLine));
  return codecs.length === 0 ? decline() : { line: restrictLine(capLine, codecs), codecs };
}

function restrictLine(capLine: MediaDescription, codecs: readonly Codec[]): MediaDescription {
  const capCodecs = codecsOf(capLine);
  // Feedback lines follow their codec to its new number; wildcard lines stay.
  const renumber = new Map(codecs.flatMap((codec) => {
    const match = capCodecs.find((capability) => sameCodec(codec, capability));
    return match === undefined ? [] : [[match.payloadType, codec.payloadType] as const];
  }));
  const rtcpFb = capLine.rtcpFb?.flatMap((fb) => {
    if (fb.payload === '*') return [fb];
    const payload = renumber.get(Number(fb.payload));
    return payload === undefined ? [] : [{ ...fb, payload }];
  });
  const line: MediaDescription = {
    ...capLine,
    payloads: codecs.map((codec) => codec.payloadType).join(' '),
    rtp: codecs.map((codec) => rtpmapOf(codec)),
    fmtp: codecs.flatMap((codec) => (codec.fmtp === undefined ? [] : [{ payload: codec.payloadType, config: codec.fmtp }])),
  };
  if (rtcpFb === undefined) delete line.rtcpFb;
  else line.rtcpFb = rtcpFb;
  return line;
}

function rtpmapOf(codec: Codec): MediaDescription['rtp'][number] {
  const entry = { payload: codec.payloadType, codec: codec.name, rate: codec.clockRate };
  return codec.channels > 1 ? { ...entry, encoding: codec.channels } : entry;
}

/** RFC 3264 §6: a declined stream is the offered m-line with port 0, addressed like the answer. */
function declined(offerLine: MediaDescription, capable: SessionDescription): MediaDescription {
  const line: MediaDescription = {
    type: offerLine.type,
    port: 0,
    protocol: offerLine.protocol,
    payloads: offerLine.payloads ?? '',
    rtp: [],
    fmtp: [],
  };
  const connection = capable.connection === undefined ? capable.media.find((m) => m.connection)?.connection : undefined;
  if (connection !== undefined) line.connection = connection;
  return line;
}

function isRtp(line: MediaDescription): boolean {
  return String(line.protocol).toUpperCase().includes('RTP/');
}
