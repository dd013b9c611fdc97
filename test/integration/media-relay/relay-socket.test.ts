import { createSocket, type Socket } from 'node:dgram';
import { afterEach, describe, expect, it } from 'vitest';
import type { PacketSource, RelaySocket } from '../../../media-relay/relay/relay-socket.js';
import { LOOPBACK, randomPortRange, waitUntil } from './rtp-endpoint.js';
import { FORWARDERS, socketFactory } from './socket-factories.js';

interface Peer {
  readonly socket: Socket;
  readonly source: PacketSource;
  readonly received: string[];
}

function closeQuietly(socket: Socket): void {
  try {
    socket.close();
  } catch {
    // Closed by the test itself.
  }
}

function openPeer(): Promise<Peer> {
  return new Promise((resolve) => {
    const socket = createSocket('udp4');
    const received: string[] = [];
    socket.on('message', (packet) => received.push(packet.toString()));
    socket.bind(0, LOOPBACK, () => resolve({ socket, source: { address: LOOPBACK, port: socket.address().port }, received }));
  });
}

describe.each(FORWARDERS)('relay sockets of the %s forwarder (pin = connected UDP socket)', (forwarder) => {
  const closers: (() => void)[] = [];
  const { portMin } = randomPortRange(2);

  afterEach(() => {
    for (const close of closers.splice(0)) close();
  });

  async function setup(): Promise<{ relay: RelaySocket; heard: string[]; a: Peer; b: Peer; toRelay: (peer: Peer, text: string) => void }> {
    const heard: string[] = [];
    const bound = await socketFactory(forwarder).bind(LOOPBACK, portMin, { receivePacket: (packet) => heard.push(packet.toString()) });
    if (!bound.ok) throw new Error(`bind failed: ${bound.code}`);
    const [a, b] = [await openPeer(), await openPeer()];
    closers.push(() => bound.socket.close(), () => closeQuietly(a.socket), () => closeQuietly(b.socket));
    const toRelay = (peer: Peer, text: string): void => { peer.socket.send(text, portMin, LOOPBACK); };
    return { relay: bound.socket, heard, a, b, toRelay };
  }

  it('pinned to one peer, it hears only that peer; unpinned, everyone again, on the same port', async () => {
    const { relay, heard, a, b, toRelay } = await setup();
    relay.pin(a.source);
    toRelay(b, 'b1');
    toRelay(a, 'a1');
    await waitUntil(() => heard.includes('a1'), 'a1');
    relay.pin(undefined);
    toRelay(b, 'b2');
    await waitUntil(() => heard.includes('b2'), 'b2');
    expect(heard).toEqual(['a1', 'b2']);
  });

  it('is not pinned where connecting would change the address it is reached at (a host with several addresses)', async () => {
    const heard: string[] = [];
    const port = portMin + 1;
    const bound = await socketFactory(forwarder).bind('0.0.0.0', port, { receivePacket: (packet) => heard.push(packet.toString()) });
    if (!bound.ok) throw new Error(`bind failed: ${bound.code}`);
    const [a, b] = [await openPeer(), await openPeer()];
    closers.push(() => bound.socket.close(), () => closeQuietly(a.socket), () => closeQuietly(b.socket));
    // Phones were told 127.0.0.2; the route to a 127.0.0.1 peer leaves from 127.0.0.1.
    expect(bound.socket.pin(a.source, '127.0.0.2')).toBe(false);
    a.socket.send('via-second-address', port, '127.0.0.2');
    b.socket.send('other-peer', port, '127.0.0.2');
    await waitUntil(() => heard.length === 2, 'both datagrams');
    expect(heard.sort()).toEqual(['other-peer', 'via-second-address']);
    expect(bound.socket.pin(a.source, LOOPBACK)).toBe(true);
  });

  it('sends to the pinned peer; a send elsewhere unpins first instead of throwing', async () => {
    const { relay, heard, a, b, toRelay } = await setup();
    relay.pin(a.source);
    relay.send(Buffer.from('to-a'), a.source.port, a.source.address);
    await waitUntil(() => a.received.includes('to-a'), 'the send to the pinned peer');
    relay.send(Buffer.from('to-b'), b.source.port, b.source.address);
    await waitUntil(() => b.received.includes('to-b'), 'the send elsewhere');
    toRelay(b, 'b1');
    await waitUntil(() => heard.includes('b1'), 'b heard after the unpin');
  });

  it('a pinned peer that went away (ICMP unreachable) neither throws nor stops the socket', async () => {
    const { relay, heard, a, b, toRelay } = await setup();
    relay.pin(a.source);
    a.socket.close();
    for (let i = 0; i < 3; i++) relay.send(Buffer.from('lost'), a.source.port, a.source.address);
    await new Promise((resolve) => setImmediate(resolve));
    relay.pin(b.source);
    toRelay(b, 'b1');
    await waitUntil(() => heard.includes('b1'), 'b heard after the re-pin');
  });

  it('a host name is never pinned (it would connect only after a lookup)', async () => {
    const { relay, heard, b, toRelay } = await setup();
    relay.pin({ address: 'localhost', port: 9 });
    toRelay(b, 'b1');
    await waitUntil(() => heard.includes('b1'), 'b heard');
  });
});
