import { createSocket, type Socket } from 'node:dgram';
import { afterEach, describe, expect, it } from 'vitest';
import { RtpMediaHandler, type RtpSdhOptions } from '../../support/rtp-media-handler.js';
import { buildRtp, buildTelephoneEvent, parseRtp, parseTelephoneEvent, type RtpPacket } from '../../support/rtp-packet.js';
import { CODECS, buildSdp, type MediaDirection } from '../../support/sdp-offer-answer.js';
import { waitFor } from '../../support/wait-for.js';

// The handler against a raw UDP socket standing in for the far end (or the relay).

interface Peer {
  readonly socket: Socket;
  readonly port: number;
  readonly packets: Array<{ packet: RtpPacket; at: number }>;
}

const cleanups: Array<() => void> = [];
afterEach(() => {
  for (const cleanup of cleanups.splice(0)) cleanup();
});

async function peer(): Promise<Peer> {
  const socket = createSocket('udp4');
  await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
  const packets: Peer['packets'] = [];
  socket.on('message', (data) => {
    const packet = parseRtp(data);
    if (packet) packets.push({ packet, at: performance.now() });
  });
  cleanups.push(() => socket.close());
  return { socket, port: socket.address().port, packets };
}

function handler(...args: ConstructorParameters<typeof RtpMediaHandler>): RtpMediaHandler {
  const created = new RtpMediaHandler(...args);
  cleanups.push(() => created.close());
  return created;
}

function offer(port: number, direction: MediaDirection = 'sendrecv', codecs = [CODECS.PCMU]): string {
  return buildSdp({ sessionId: 7, version: 1, address: '127.0.0.1', port, codecs, telephoneEventPt: 101, direction });
}

async function answerTo(media: RtpMediaHandler, sdp: string): Promise<string> {
  await media.setDescription(sdp);
  return (await media.getDescription()).body;
}

describe('RtpMediaHandler', () => {
  it('sends PCMU frames: 12-byte header, 160-byte payload, consecutive seq, +160 timestamps, one SSRC', async () => {
    const far = await peer();
    const media = handler();
    const answer = await answerTo(media, offer(far.port));
    expect(answer).toMatch(new RegExp(`^m=audio ${media.localPort} RTP/AVP 0 101\r$`, 'm'));
    await waitFor(() => far.packets.length >= 25, { what: '25 RTP packets' });

    const packets = far.packets.slice(0, 25).map((p) => p.packet);
    expect(packets[0]?.marker).toBe(true);
    for (const [i, packet] of packets.entries()) {
      expect(packet.payloadType).toBe(0);
      expect(packet.payload.length).toBe(160);
      expect(packet.ssrc).toBe(packets[0]?.ssrc);
      if (i === 0) continue;
      expect(packet.marker).toBe(false);
      expect(packet.sequence).toBe(((packets[0]?.sequence ?? 0) + i) & 0xffff);
      expect(packet.timestamp).toBe(((packets[0]?.timestamp ?? 0) + 160 * i) >>> 0);
    }
    // Paced, not flooded: 24 intervals of 20 ms, with slack for a stalled event loop.
    const elapsed = (far.packets[24]?.at ?? 0) - (far.packets[0]?.at ?? 0);
    expect(elapsed).toBeGreaterThan(300);
  });

  it('sends RFC 4733 events: one timestamp, marker first, the end packet at least three times', async () => {
    const far = await peer();
    const media = handler();
    await answerTo(media, offer(far.port));
    await waitFor(() => far.packets.length > 0, { what: 'audio before the event' });
    await media.queueDtmf('9');
    const eventPackets = (): RtpPacket[] => far.packets.map((p) => p.packet).filter((p) => p.payloadType === 101);
    await waitFor(() => eventPackets().length >= 7, { what: '4 progress and 3 end packets' });
    const events = eventPackets();
    const decoded = events.map((p) => parseTelephoneEvent(p.payload));
    expect(new Set(events.map((p) => p.timestamp)).size).toBe(1);
    expect(events.map((p) => p.marker)).toEqual(events.map((_, i) => i === 0));
    expect(decoded.every((e) => e?.event === 9)).toBe(true);
    expect(decoded.filter((e) => e?.end).length).toBeGreaterThanOrEqual(3);
    expect(media.stats.dtmfSent).toEqual(['9']);
  });

  it('answers hold offers with the matching direction and sends only when allowed', async () => {
    const far = await peer();
    const media = handler();
    expect(await answerTo(media, offer(far.port, 'sendonly'))).toMatch(/^a=recvonly\r$/m);
    expect(media.sendingTo).toBeUndefined();
    expect(await answerTo(media, offer(far.port, 'recvonly'))).toMatch(/^a=sendonly\r$/m);
    expect(media.sendingTo).toBe(`127.0.0.1:${far.port}`);
    expect(await answerTo(media, offer(far.port, 'inactive'))).toMatch(/^a=inactive\r$/m);
    expect(media.sendingTo).toBeUndefined();
    expect(await answerTo(media, offer(0))).toMatch(/^m=audio 0 /m);
    expect(media.sendingTo).toBeUndefined();
    expect(() => media.queueDtmf('1')).toThrow(/not being sent/);
  });

  it('offers hold when asked, and rolls a rejected offer back', async () => {
    const media = handler({ codecs: ['PCMA', 'PCMU'] });
    const hold: RtpSdhOptions = { hold: true };
    const resume: RtpSdhOptions = { hold: false };
    const held = (await media.getDescription(hold)).body;
    expect(held).toMatch(/^m=audio \d+ RTP\/AVP 8 0 101\r$/m);
    expect(held).toMatch(/^a=sendonly\r$/m);
    await media.rollbackDescription();
    expect((await media.getDescription(resume)).body).toMatch(/^a=sendrecv\r$/m);
  });

  it('refuses an offer without a common codec', async () => {
    const media = handler({ codecs: ['PCMA'] });
    await expect(media.setDescription(offer(4000))).rejects.toThrow(/no common codec: offered PCMU\/0, have PCMA\/8/);
  });

  it('counts received RTP per source and each RFC 4733 event once', async () => {
    const far = await peer();
    const media = handler();
    await answerTo(media, offer(far.port));
    const send = (payloadType: number, timestamp: number, payload: Buffer, sequence: number): void => {
      far.socket.send(buildRtp({ marker: false, payloadType, sequence, timestamp, ssrc: 42 }, payload), media.localPort, '127.0.0.1');
    };
    for (let i = 0; i < 5; i += 1) send(0, i * 160, Buffer.alloc(160, 0xff), i);
    for (let i = 0; i < 6; i += 1) {
      send(101, 5000, buildTelephoneEvent({ event: 11, end: i >= 3, volume: 10, duration: 160 * (i + 1) }), 10 + i);
    }
    await waitFor(() => media.stats.received >= 11, { what: '11 packets at the handler' });
    expect(media.stats.dtmfReceived).toEqual(['#']);
    expect([...media.stats.receivedFrom]).toEqual([`127.0.0.1:${far.port}`]);
    expect(media.stats.receivedPayloadTypes).toEqual(new Set([0, 101]));
    expect(media.stats.lastReceivedAt).toBeDefined();
  });

  it('closes its socket', async () => {
    const media = handler();
    await media.whenReady();
    const port = media.localPort;
    media.close();
    media.close();
    expect(media.closed).toBe(true);
    await expect(media.getDescription()).rejects.toThrow(/closed/);
    const probe = createSocket('udp4');
    await new Promise<void>((resolve, reject) => {
      probe.once('error', reject);
      probe.bind(port, '127.0.0.1', resolve);
    });
    probe.close();
  });
});
