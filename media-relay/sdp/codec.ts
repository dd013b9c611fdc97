import { parseFmtp, parseRtpmap, type Rtpmap } from './format-attributes.js';
import type { MediaSection } from './session-description.js';

/** One media format of an m= line. */
export interface Codec {
  readonly payloadType: number;
  /** Encoding name as written (case kept); '' for a dynamic type without a=rtpmap. */
  readonly name: string;
  readonly clockRate: number;
  readonly channels: number;
  readonly fmtp?: string;
}

type StaticCodec = Pick<Codec, 'name' | 'clockRate' | 'channels'>;

/** RFC 3551 §6 Table 4: static audio types a phone may list without a=rtpmap. */
const STATIC_PAYLOAD_TYPES: ReadonlyMap<number, StaticCodec> = new Map([
  [0, { name: 'PCMU', clockRate: 8000, channels: 1 }],
  [3, { name: 'GSM', clockRate: 8000, channels: 1 }],
  [4, { name: 'G723', clockRate: 8000, channels: 1 }],
  [8, { name: 'PCMA', clockRate: 8000, channels: 1 }],
  // G.722's RTP clock is 8000 although it samples at 16 kHz (RFC 3551 §4.5.2).
  [9, { name: 'G722', clockRate: 8000, channels: 1 }],
  [13, { name: 'CN', clockRate: 8000, channels: 1 }],
  [18, { name: 'G729', clockRate: 8000, channels: 1 }],
]);

/** The formats of an RTP m= line in m= order; non-numeric formats (udptl t38) are skipped. */
export function codecsOf(media: MediaSection): Codec[] {
  const { rtpmaps, fmtps } = formatAttributesOf(media);
  const codecs: Codec[] = [];
  for (const format of media.formats) {
    const payloadType = Number(format);
    if (!/^\d{1,3}$/.test(format) || payloadType > 127) continue;
    codecs.push(codecFor(payloadType, rtpmaps.get(payloadType), fmtps.get(payloadType)));
  }
  return codecs;
}

export function isTelephoneEvent(codec: Codec): boolean {
  return codec.name.toLowerCase() === 'telephone-event';
}

/** Formats that carry no audio of their own: DTMF events and comfort noise (RFC 3389). */
export function isAuxiliary(codec: Codec): boolean {
  return isTelephoneEvent(codec) || codec.name.toLowerCase() === 'cn';
}

/** Same encoding by name (case-insensitive), clock rate and channels; payload numbers may differ. */
export function sameCodec(a: Codec, b: Codec): boolean {
  return a.name !== '' && a.name.toLowerCase() === b.name.toLowerCase()
    && a.clockRate === b.clockRate && a.channels === b.channels;
}

interface FormatAttributes {
  readonly rtpmaps: Map<number, Rtpmap>;
  readonly fmtps: Map<number, string>;
}

/** The a=rtpmap and a=fmtp lines of a section by payload type; the first line for a type wins. */
function formatAttributesOf(media: MediaSection): FormatAttributes {
  const rtpmaps = new Map<number, Rtpmap>();
  const fmtps = new Map<number, string>();
  for (const line of media.lines) {
    if (line.startsWith('a=rtpmap:')) {
      const rtpmap = parseRtpmap(line);
      if (rtpmap !== undefined && !rtpmaps.has(rtpmap.payloadType)) rtpmaps.set(rtpmap.payloadType, rtpmap);
    } else if (line.startsWith('a=fmtp:')) {
      const fmtp = parseFmtp(line);
      if (fmtp !== undefined && !fmtps.has(fmtp.payloadType)) fmtps.set(fmtp.payloadType, fmtp.parameters);
    }
  }
  return { rtpmaps, fmtps };
}

function codecFor(payloadType: number, rtpmap: Rtpmap | undefined, fmtp: string | undefined): Codec {
  const known = rtpmap === undefined ? STATIC_PAYLOAD_TYPES.get(payloadType) : fromRtpmap(rtpmap);
  const base = known ?? { name: '', clockRate: 0, channels: 1 };
  return fmtp === undefined ? { payloadType, ...base } : { payloadType, ...base, fmtp };
}

function fromRtpmap(rtpmap: Rtpmap): StaticCodec {
  const channels = Number(rtpmap.channels ?? 1);
  return {
    name: rtpmap.name,
    clockRate: Number(rtpmap.clockRate),
    channels: Number.isInteger(channels) && channels > 0 ? channels : 1,
  };
}
