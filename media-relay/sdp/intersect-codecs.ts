import { codecsOf, isAuxiliary, sameCodec, type Codec } from './codec.js';
import { connectionLine } from './connection-line.js';
import { mediaLine } from './media-line.js';
import { parseSdp } from './parse-sdp.js';
import { restrictFormats } from './restrict-formats.js';
import { SdpError } from './sdp-error.js';
import { joinSdpLines } from './sdp-line.js';
import type { MediaSection, SessionDescription } from './session-description.js';

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
  const answered = offered.media.map((offerSection) => answerSection(offerSection, capable, used));
  if (!answered.some((section) => section.accepted)) {
    return { ok: false, error: new NoCommonCodec('no codec in common') };
  }
  const lines = [...capable.session.lines, ...answered.flatMap((section) => section.lines)];
  return { ok: true, sdp: joinSdpLines(lines), media: answered.map((section) => section.codecs) };
}

interface AnsweredSection {
  readonly lines: readonly string[];
  readonly accepted: boolean;
  readonly codecs: Codec[];
}

function answerSection(offerSection: MediaSection, capable: SessionDescription, used: Set<number>): AnsweredSection {
  const index = capable.media.findIndex((section, i) => !used.has(i) && section.type === offerSection.type);
  const capSection = capable.media[index];
  const decline = (): AnsweredSection => ({ lines: declined(offerSection, capable), accepted: false, codecs: [] });
  if (offerSection.port === 0 || capSection === undefined) return decline();
  used.add(index);
  if (capSection.port === 0) return decline();
  if (!isRtp(offerSection)) {
    return capSection.protocol === offerSection.protocol ? { lines: capSection.lines, accepted: true, codecs: [] } : decline();
  }
  const codecs = intersectCodecLists(codecsOf(offerSection), codecsOf(capSection));
  return codecs.length === 0 ? decline() : { lines: restrictFormats(capSection, codecs), accepted: true, codecs };
}

/** RFC 3264 §6: a declined stream is the offered m-line with port 0, addressed like the answer. */
function declined(offerSection: MediaSection, capable: SessionDescription): string[] {
  const line = mediaLine({ ...offerSection, port: 0 });
  const connection = capable.session.connection === undefined
    ? capable.media.find((section) => section.connection !== undefined)?.connection
    : undefined;
  return connection === undefined ? [line] : [line, connectionLine(connection)];
}

function isRtp(section: MediaSection): boolean {
  return section.protocol.toUpperCase().includes('RTP/');
}
