/** SDP as real phones send it (CRLF line ends, each phone's own habits). */

function sdp(...lines: string[]): string {
  return `${lines.join('\r\n')}\r\n`;
}

/** Polycom VVX: G.722 first, G.729 without Annex B, DTMF as telephone-event 101, port 2222. */
export const POLYCOM_OFFER = sdp(
  'v=0',
  'o=- 1618329032 1618329032 IN IP4 192.168.1.50',
  's=Polycom IP Phone',
  'c=IN IP4 192.168.1.50',
  't=0 0',
  'a=sendrecv',
  'm=audio 2222 RTP/AVP 9 0 8 18 127',
  'a=rtpmap:9 G722/8000',
  'a=rtpmap:0 PCMU/8000',
  'a=rtpmap:8 PCMA/8000',
  'a=rtpmap:18 G729/8000',
  'a=fmtp:18 annexb=no',
  'a=rtpmap:127 telephone-event/8000',
);

/** Yealink T4x: static types listed without rtpmap for PCMU/PCMA, ptime, telephone-event 101. */
export const YEALINK_OFFER = sdp(
  'v=0',
  'o=- 20009 20009 IN IP4 10.0.0.23',
  's=SDP data',
  'c=IN IP4 10.0.0.23',
  't=0 0',
  'm=audio 11800 RTP/AVP 0 8 9 18 101',
  'a=rtpmap:9 G722/8000',
  'a=rtpmap:18 G729/8000',
  'a=fmtp:18 annexb=no',
  'a=ptime:20',
  'a=sendrecv',
  'a=rtpmap:101 telephone-event/8000',
  'a=fmtp:101 0-15',
);

/** Linphone: opus, rtcp-mux offered with an explicit a=rtcp fallback, ICE candidates. */
export const LINPHONE_MUX_OFFER = sdp(
  'v=0',
  'o=alice 3245 1245 IN IP4 192.168.0.12',
  's=Talk',
  'c=IN IP4 192.168.0.12',
  't=0 0',
  'a=ice-pwd:31ec21eb38b2ec6d36e8dc7b',
  'a=ice-ufrag:8a1b2c3d',
  'a=rtcp-xr:rcvr-rtt=all:10000 stat-summary=loss,dup,jitt,TTL voip-metrics',
  'm=audio 7078 RTP/AVP 96 0 8 101',
  'a=rtpmap:96 opus/48000/2',
  'a=fmtp:96 useinbandfec=1',
  'a=rtpmap:101 telephone-event/8000',
  'a=rtcp:7079 IN IP4 192.168.0.12',
  'a=rtcp-mux',
  'a=candidate:1 1 UDP 2130706431 192.168.0.12 7078 typ host',
  'a=candidate:1 2 UDP 2130706430 192.168.0.12 7079 typ host',
  'a=candidate:2 1 UDP 1694498815 203.0.113.7 41234 typ srflx raddr 192.168.0.12 rport 7078',
);

/** Grandstream re-INVITE putting the call on hold with a=sendonly (RFC 3264 §8.4). */
export const GRANDSTREAM_HOLD = sdp(
  'v=0',
  'o=- 8000 8001 IN IP4 192.168.1.60',
  's=SIP Call',
  'c=IN IP4 192.168.1.60',
  't=0 0',
  'm=audio 5004 RTP/AVP 0 8 101',
  'a=rtpmap:0 PCMU/8000',
  'a=rtpmap:8 PCMA/8000',
  'a=rtpmap:101 telephone-event/8000',
  'a=fmtp:101 0-15',
  'a=ptime:20',
  'a=sendonly',
);

/** Cisco 79xx-era hold: c=0.0.0.0 (RFC 2543 style), direction left at sendrecv. */
export const CISCO_ZERO_HOLD = sdp(
  'v=0',
  'o=Cisco-SIPUA 2846 2847 IN IP4 192.168.1.70',
  's=SIP Call',
  'c=IN IP4 0.0.0.0',
  't=0 0',
  'm=audio 28530 RTP/AVP 0 8 18 101',
  'a=rtpmap:0 PCMU/8000',
  'a=rtpmap:8 PCMA/8000',
  'a=rtpmap:18 G729/8000',
  'a=fmtp:18 annexb=no',
  'a=rtpmap:101 telephone-event/8000',
  'a=fmtp:101 0-15',
);

/** Bria video call: audio and video, c= only at media level, RTCP feedback on video. */
export const BRIA_AUDIO_VIDEO = sdp(
  'v=0',
  'o=- 13760799956958020 13760799956958020 IN IP4 192.168.1.80',
  's=Bria',
  't=0 0',
  'm=audio 50000 RTP/AVP 0 8 101',
  'c=IN IP4 192.168.1.80',
  'a=rtpmap:101 telephone-event/8000',
  'a=fmtp:101 0-15',
  'a=sendrecv',
  'm=video 50002 RTP/AVP 99',
  'c=IN IP4 192.168.1.80',
  'b=TIAS:2000000',
  'a=rtpmap:99 H264/90000',
  'a=fmtp:99 profile-level-id=42801f;packetization-mode=1',
  'a=rtcp-fb:* nack pli',
  'a=sendrecv',
);

/** An answer to BRIA_AUDIO_VIDEO from an audio-only desk phone: video declined with port 0. */
export const AUDIO_ONLY_ANSWER = sdp(
  'v=0',
  'o=- 55 55 IN IP4 192.168.1.90',
  's=-',
  'c=IN IP4 192.168.1.90',
  't=0 0',
  'm=audio 16000 RTP/AVP 8 101',
  'a=rtpmap:8 PCMA/8000',
  'a=rtpmap:101 telephone-event/8000',
  'a=fmtp:101 0-15',
  'a=sendrecv',
  'm=video 0 RTP/AVP 99',
);

/** Softphone that only speaks G.729 and iLBC. */
export const G729_ONLY_OFFER = sdp(
  'v=0',
  'o=- 7 7 IN IP4 192.168.1.99',
  's=-',
  'c=IN IP4 192.168.1.99',
  't=0 0',
  'm=audio 4000 RTP/AVP 18 97',
  'a=rtpmap:18 G729/8000',
  'a=rtpmap:97 iLBC/8000',
  'a=fmtp:97 mode=30',
);
