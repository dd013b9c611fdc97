import { RtpPacket } from '../../../../media-relay/rtp/rtp-packet.js';
import { TelephoneEvent } from '../../../../media-relay/rtp/telephone-event.js';

export interface RtpFields {
  readonly payloadType?: number;
  readonly sequenceNumber?: number;
  readonly timestamp?: number;
  readonly ssrc?: number;
  readonly payload?: Buffer;
}

export function rtp(fields: RtpFields = {}): Buffer {
  const packet = new RtpPacket();
  packet.payloadType = fields.payloadType ?? 0;
  packet.sequenceNumber = fields.sequenceNumber ?? 1;
  packet.timestamp = fields.timestamp ?? 160;
  packet.ssrc = fields.ssrc ?? 0x1234;
  packet.setPayload(fields.payload ?? Buffer.alloc(160, 0xff));
  const out = Buffer.alloc(packet.size());
  packet.serializeInto(out);
  return out;
}

/** An RFC 4733 packet for `event`. */
export function dtmf(event: number, end: boolean, timestamp: number, sequenceNumber: number, payloadType = 101): Buffer {
  const payload = Buffer.alloc(4);
  Object.assign(new TelephoneEvent(), { event, end, volume: 10, duration: end ? 800 : 160 }).serializeInto(payload);
  return rtp({ payloadType, timestamp, sequenceNumber, payload });
}

/** Receiver report without blocks, then an empty SDES chunk list: valid compound RTCP. */
export function rtcpReceiverReport(): Buffer {
  return Buffer.from([0x80, 201, 0x00, 0x01, 0x00, 0x00, 0x12, 0x34, 0x81, 202, 0x00, 0x00]);
}

export interface PhoneSdpOptions {
  readonly address: string;
  readonly port: number;
  readonly direction?: string;
  readonly mux?: boolean;
  readonly video?: number;
  readonly telephoneEvent?: number | false;
}

/** A one-audio-line phone SDP (optionally with video). */
export function phoneSdp(options: PhoneSdpOptions): string {
  const te = options.telephoneEvent ?? 101;
  const lines = [
    'v=0', `o=- 1 1 IN IP4 ${options.address}`, 's=-', `c=IN IP4 ${options.address}`, 't=0 0',
    `m=audio ${options.port} RTP/AVP 0 8${te === false ? '' : ` ${te}`}`,
    'a=rtpmap:0 PCMU/8000', 'a=rtpmap:8 PCMA/8000',
    ...(te === false ? [] : [`a=rtpmap:${te} telephone-event/8000`, `a=fmtp:${te} 0-15`]),
    `a=${options.direction ?? 'sendrecv'}`,
    ...(options.mux === true ? ['a=rtcp-mux'] : []),
    ...(options.video === undefined ? [] : [`m=video ${options.video} RTP/AVP 99`, 'a=rtpmap:99 H264/90000']),
  ];
  return `${lines.join('\r\n')}\r\n`;
}
