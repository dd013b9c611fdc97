import type { DtmfDigit } from '../rtp/dtmf-digit.js';
import type { RtpPacket } from '../rtp/rtp-packet.js';
import type { TelephoneEvent } from '../rtp/telephone-event.js';
import type { Clock } from './clock.js';
import type { PortAllocator } from './port-allocator.js';
import type { SocketFactory } from './relay-socket.js';

/** Who a stream belongs to, read when it reports an event. */
export interface StreamOwner {
  readonly callId: string;
  readonly id: string;
}

/**
 * What every stream of one relay shares: the clock, the port and socket pools, the scratch
 * packet views (one relay runs on one thread, so one pair of views serves every packet) and the
 * relay's callbacks.
 */
export interface StreamHooks {
  readonly clock: Clock;
  readonly allocator: PortAllocator;
  readonly sockets: SocketFactory;
  readonly bindAddress: string;
  /** Pin each RTP socket to its phone once the phone sends from where its SDP says. */
  readonly kernelSourceFilter: boolean;
  /** The address phones send media to (our SDP's c=); a socket is pinned only where it stays reachable there. */
  readonly advertiseAddress: string;
  readonly rtp: RtpPacket;
  readonly event: TelephoneEvent;
  /** Closes the longest-lingering ended call to free its ports; false when none lingers. */
  reclaimPorts(): boolean;
  onDigit(owner: StreamOwner, digit: DtmfDigit): void;
  /** What to do with a telephone-event packet: forward it, drop it, or hold it back for later. */
  shouldForwardEvent(owner: StreamOwner, event: number, timestamp: number): EventVerdict;
}

/**
 * `hold` keeps the packet until the application decides (an in-call feature code that starts
 * with `*` must not reach the far end unless the next key shows it was not a code).
 */
export type EventVerdict = boolean | 'hold';
