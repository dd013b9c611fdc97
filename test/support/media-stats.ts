/** Live counters of one call's media; the object is updated in place. */
export interface MediaStats {
  /** RTP packets received (audio and telephone-event). */
  received: number;
  /** RTP packets sent (audio and telephone-event). */
  sent: number;
  /** Date.now() of the last RTP packet received. */
  lastReceivedAt: number | undefined;
  /** "host:port" of every source RTP came from. */
  readonly receivedFrom: Set<string>;
  /** "host:port" of every destination RTP was sent to. */
  readonly sentTo: Set<string>;
  readonly receivedPayloadTypes: Set<number>;
  /** One entry per RFC 4733 event received ('0'-'9', '*', '#', 'A'-'D', '!' = flash). */
  readonly dtmfReceived: string[];
  readonly dtmfSent: string[];
}

export function emptyMediaStats(): MediaStats {
  return {
    received: 0,
    sent: 0,
    lastReceivedAt: undefined,
    receivedFrom: new Set(),
    sentTo: new Set(),
    receivedPayloadTypes: new Set(),
    dtmfReceived: [],
    dtmfSent: [],
  };
}
