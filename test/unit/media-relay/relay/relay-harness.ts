import { FakeClock } from '../../../../sip-stack/timers/fake-clock.js';
import { MediaRelay, type MediaRelayOptions } from '../../../../media-relay/relay/media-relay.js';
import { describeSdp } from '../../../../media-relay/sdp/describe-sdp.js';
import { SdpError } from '../../../../media-relay/sdp/sdp-error.js';
import { FakeSocketFactory } from './fake-sockets.js';
import { phoneSdp, type PhoneSdpOptions } from './packets.js';

export const RELAY_ADDRESS = '203.0.113.1';
export const PHONE_A = { address: '192.0.2.10', port: 4000 } as const;
export const PHONE_B = { address: '192.0.2.20', port: 5000 } as const;
export const PHONE_C = { address: '192.0.2.30', port: 6000 } as const;

export interface Harness {
  readonly clock: FakeClock;
  readonly sockets: FakeSocketFactory;
  readonly relay: MediaRelay;
  readonly digits: string[];
  readonly timeouts: string[];
}

export function harness(options: Partial<MediaRelayOptions> = {}): Harness {
  const clock = new FakeClock({ startMs: 1000 });
  const sockets = new FakeSocketFactory();
  const digits: string[] = [];
  const timeouts: string[] = [];
  const relay = new MediaRelay({
    bindAddress: '10.9.9.9',
    advertiseAddress: RELAY_ADDRESS,
    portMin: 40000,
    portMax: 40099,
    timeoutMs: 1000,
    sweepIntervalMs: 100,
    clock,
    sockets,
    onDigit: (callId, legId, digit) => digits.push(`${callId}/${legId}:${digit}`),
    onTimeout: (callId) => timeouts.push(callId),
    ...options,
  });
  return { clock, sockets, relay, digits, timeouts };
}

/** The m= ports of an SDP the relay wrote. */
export function portsOf(sdp: string): number[] {
  const description = describeSdp(sdp);
  if (description instanceof SdpError) throw new Error(description.reason);
  return description.media.map((media) => media.port);
}

export function portOf(sdp: string): number {
  const port = portsOf(sdp)[0];
  if (port === undefined) throw new Error('no m-line');
  return port;
}

export function unwrap<T extends { ok: boolean }>(result: T): Extract<T, { ok: true }> {
  if (!result.ok) throw new Error(`relay operation failed: ${JSON.stringify(result)}`);
  return result as Extract<T, { ok: true }>;
}

export interface Bridged {
  /** The relay port phone B sends to (in the SDP B got). */
  readonly towardB: number;
  /** The relay port phone A sends to (in the SDP A got). */
  readonly towardA: number;
}

/** A offers to B, B answers: the two legs bridged. */
export async function bridge(
  h: Harness,
  callId = 'call-1',
  a: Partial<PhoneSdpOptions> = {},
  b: Partial<PhoneSdpOptions> = {},
): Promise<Bridged> {
  const offer = unwrap(await h.relay.offer(callId, 'A', phoneSdp({ ...PHONE_A, ...a }), { toLegId: 'B' }));
  const answer = unwrap(await h.relay.answer(callId, 'B', phoneSdp({ ...PHONE_B, ...b })));
  return { towardB: portOf(offer.sdp), towardA: portOf(answer.sdp) };
}
