import type { MediaDescription } from 'sdp-transform';

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
export function codecsOf(media: MediaDescription): Codec[] {
  const codecs: Codec[] = [];
  for (const format of formatsOf(media)) {
    const payloadType = Number(format);
    if (!/^\d{1,3}$/.test(format) || payloadType > 127) continue;
    codecs.push(codecFor(media, payloadType));
  }
  return codecs;
}

export function formatsOf(media: MediaDescription): string[] {
  return String(media.payloads ?? '').split(' ').filter((format) => format !== '');
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

function codecFor(media: MediaDescription, payloadType: number): Codec {
  const rtpmap = media.rtp.find((entry) => entry.payload === payloadType);
  const fmtp = media.fmtp.find((entry) => entry.payload === payloadType)?.config;
  const known = rtpmap === undefined ? STATIC_PAYLOAD_TYPES.get(payloadType) : fromRtpmap(rtpmap);
  const base = known ?? { name: '', clockRate: 0, channels: 1 };
  return fmtp === undefined ? { payloadType, ...base } : { payloadType, ...base, fmtp };
}

function fromRtpmap(rtpmap: MediaDescription['rtp'][number]): StaticCodec {
  const channels = Number(rtpmap.encoding ?? 1);
  return {
    name: String(rtpmap.codec),
    clockRate: Number(rtpmap.rate ?? 0),
    channels: Number.isInteger(channels) && channels > 0 ? channels : 1,
  };
}
