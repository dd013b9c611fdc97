import { afterAll, describe, expect, it } from 'vitest';
import { MediaRelay } from '../../../media-relay/relay/media-relay.js';
import { nativeForwarder } from '../../../media-relay/relay/native-forwarder.js';
import { endpointSdp, LOOPBACK, randomPortRange, waitUntil } from './rtp-endpoint.js';
import { FORWARDERS, socketFactory } from './socket-factories.js';

const SESSIONS = 1000;
const CONCURRENT = 25;

/** Open UDP sockets of either kind: node:dgram handles, or the native forwarder's. */
function udpHandles(): number {
  const dgram = process.getActiveResourcesInfo().filter((name) => name === 'UDPWrap').length;
  return dgram + (nativeForwarder()?.status().open ?? 0);
}

describe.each(FORWARDERS)('media relay lifecycle (forwarder %s)', (forwarder) => {
  const sockets = socketFactory(forwarder);
  const relay = new MediaRelay({ bindAddress: LOOPBACK, ...randomPortRange(2 * 2 * CONCURRENT + 20), timeoutMs: 30_000, sockets });

  afterAll(() => relay.dispose());

  async function session(index: number): Promise<void> {
    const callId = `call-${index}`;
    const offer = await relay.offer(callId, 'A', endpointSdp(40000 + (index % 1000) * 2), { toLegId: 'B' });
    const answer = await relay.answer(callId, 'B', endpointSdp(50000 + (index % 1000) * 2));
    if (!offer.ok || !answer.ok) throw new Error(`session ${index} failed`);
    relay.delete(callId);
  }

  it(`after ${SESSIONS} sessions created and deleted no port, socket or timer remains`, async () => {
    const handlesBefore = udpHandles();
    for (let start = 0; start < SESSIONS; start += CONCURRENT) {
      await Promise.all(Array.from({ length: CONCURRENT }, (_, i) => session(start + i)));
    }
    expect(relay.resources()).toEqual({ calls: 0, portPairsInUse: 0, openSockets: 0, timers: 0 });
    expect(sockets.openCount).toBe(0);
    await waitUntil(() => udpHandles() <= handlesBefore, 'the UDP handles to close');
  });
});
