import { spawn } from 'node:child_process';
import { createSocket, type Socket } from 'node:dgram';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { MediaRelay } from '../../../media-relay/relay/media-relay.js';
import { forwarderPath, nativeForwarder } from '../../../media-relay/relay/native-forwarder.js';
import type { ForwardingSocket, PacketSource, SocketFactory } from '../../../media-relay/relay/relay-socket.js';
import { describeSdp } from '../../../media-relay/sdp/describe-sdp.js';
import { SdpError } from '../../../media-relay/sdp/sdp-error.js';
import { endpointSdp, LOOPBACK, randomPortRange, RtpEndpoint, type Target, waitUntil } from './rtp-endpoint.js';
import { socketFactory } from './socket-factories.js';

interface Phone {
  readonly socket: Socket;
  readonly source: PacketSource;
  readonly received: Buffer[];
}

interface RelayPort {
  readonly socket: ForwardingSocket;
  readonly port: number;
  /** What the forwarder handed up to the relay's code. */
  readonly heard: Buffer[];
}

function openPhone(): Promise<Phone> {
  return new Promise((resolve) => {
    const socket = createSocket('udp4');
    const received: Buffer[] = [];
    socket.on('message', (packet) => received.push(packet));
    socket.bind(0, LOOPBACK, () => resolve({ socket, source: { address: LOOPBACK, port: socket.address().port }, received }));
  });
}

/** RTP version 2 with the given payload type, sequence number and SSRC, and a 4-byte payload. */
function rtp(payloadType: number, sequence: number, ssrc = 0x1234): Buffer {
  const packet = Buffer.alloc(16);
  packet[0] = 0x80;
  packet[1] = payloadType;
  packet.writeUInt16BE(sequence, 2);
  packet.writeUInt32BE(ssrc, 8);
  return packet;
}

const COUNTERS = new Float64Array(4);

function counters(socket: ForwardingSocket): { packets: number; bytes: number; ageMs: number; lost: number } {
  if (!socket.counters(COUNTERS)) throw new Error('no counters');
  return { packets: COUNTERS[0] as number, bytes: COUNTERS[1] as number, ageMs: COUNTERS[2] as number, lost: COUNTERS[3] as number };
}

describe('native forwarder: routes forward RTP on its own thread', () => {
  const cleanup: (() => void)[] = [];
  let factory: SocketFactory;

  afterEach(() => {
    for (const close of cleanup.splice(0)) close();
  });

  async function relayPort(): Promise<RelayPort> {
    factory ??= socketFactory('native');
    for (let attempt = 0; attempt < 20; attempt++) {
      const { portMin } = randomPortRange(2);
      const heard: Buffer[] = [];
      const bound = await factory.bind(LOOPBACK, portMin, { receivePacket: (packet) => heard.push(packet) });
      if (!bound.ok) continue;
      cleanup.push(() => bound.socket.close());
      return { socket: bound.socket as ForwardingSocket, port: portMin, heard };
    }
    throw new Error('no free port');
  }

  async function phone(): Promise<Phone> {
    const opened = await openPhone();
    cleanup.push(() => opened.socket.close());
    return opened;
  }

  /** Phone a sends to relay port `in`, routed out of `out` to phone b. */
  async function routed(divert: number[] = []): Promise<{ a: Phone; b: Phone; into: RelayPort; out: RelayPort }> {
    const [a, b, into, out] = [await phone(), await phone(), await relayPort(), await relayPort()];
    expect(into.socket.route({ source: a.source, to: out.socket, destination: b.source, divert })).toBe(true);
    return { a, b, into, out };
  }

  function send(from: Phone, to: RelayPort, packet: Buffer): void {
    from.socket.send(packet, to.port, LOOPBACK);
  }

  it('RTP from the route source reaches the destination from the out port, and the relay code never sees it', async () => {
    const { a, b, into, out } = await routed();
    const senders = new Set<number>();
    b.socket.on('message', (_packet, info) => senders.add(info.port));
    for (let seq = 1; seq <= 20; seq++) send(a, into, rtp(0, seq));
    await waitUntil(() => b.received.length === 20, 'twenty forwarded packets');
    expect(into.heard).toEqual([]);
    expect([...senders]).toEqual([out.port]);
    expect(b.received.map((p) => p.readUInt16BE(2))).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
    expect(counters(into.socket)).toMatchObject({ packets: 20, bytes: 320, lost: 0 });
    expect(counters(into.socket).ageMs).toBeGreaterThanOrEqual(0);
  });

  it('other sources, RTCP, diverted payload types and non-RTP bytes go to the relay code instead', async () => {
    const { a, b, into } = await routed([101]);
    const stranger = await phone();
    send(stranger, into, rtp(0, 1));
    send(a, into, rtp(101, 2));
    send(a, into, rtp(72, 3));
    send(a, into, Buffer.from('not rtp at all'));
    await waitUntil(() => into.heard.length === 4, 'four packets handed up');
    expect(b.received).toEqual([]);
    expect(counters(into.socket).packets).toBe(0);
  });

  it('a removed route, or a closed out socket, hands RTP to the relay code again', async () => {
    const { a, b, into, out } = await routed();
    into.socket.route(undefined);
    send(a, into, rtp(0, 1));
    await waitUntil(() => into.heard.length === 1, 'the packet handed up');
    expect(into.socket.route({ source: a.source, to: out.socket, destination: b.source, divert: [] })).toBe(true);
    out.socket.close();
    send(a, into, rtp(0, 2));
    await waitUntil(() => into.heard.length === 2, 'the packet handed up after the close');
    expect(b.received).toEqual([]);
  });

  it('forwards over IPv6 as over IPv4', async () => {
    factory ??= socketFactory('native');
    const v6Phone = (): Promise<Phone> => new Promise((resolve) => {
      const socket = createSocket('udp6');
      const received: Buffer[] = [];
      socket.on('message', (packet) => received.push(packet));
      socket.bind(0, '::1', () => resolve({ socket, source: { address: '::1', port: socket.address().port }, received }));
    });
    const [a, b] = [await v6Phone(), await v6Phone()];
    cleanup.push(() => a.socket.close(), () => b.socket.close());
    const ports: { socket: ForwardingSocket; port: number }[] = [];
    for (let port = randomPortRange(4).portMin; ports.length < 2 && port < 40000; port += 2) {
      const bound = await factory.bind('::1', port, { receivePacket: () => undefined });
      if (!bound.ok) continue;
      cleanup.push(() => bound.socket.close());
      ports.push({ socket: bound.socket as ForwardingSocket, port });
    }
    const [into, out] = ports;
    if (into === undefined || out === undefined) throw new Error('no free ports');
    expect(into.socket.route({ source: a.source, to: out.socket, destination: b.source, divert: [] })).toBe(true);
    for (let seq = 1; seq <= 5; seq++) a.socket.send(rtp(0, seq), into.port, '::1');
    await waitUntil(() => b.received.length === 5, 'five packets over IPv6');
    expect(counters(into.socket).packets).toBe(5);
  });

  it('counts loss over forwarded and tracked packets (RFC 3550 A.1)', async () => {
    const { a, b, into } = await routed();
    into.socket.track(0x1234, 1);
    for (const seq of [2, 3, 6, 7]) send(a, into, rtp(0, seq));
    await waitUntil(() => b.received.length === 4, 'four forwarded');
    expect(counters(into.socket)).toMatchObject({ packets: 4, lost: 2 });
  });

  it('a closed socket frees its port at once, and its old handle never reaches the socket that reuses the slot', async () => {
    const addon = nativeForwarder();
    if (addon === undefined) throw new Error('the native forwarder is not built');
    const first = await relayPort();
    first.socket.close();
    expect(first.socket.counters(COUNTERS)).toBe(false);
    const old = addon.bind(LOOPBACK, first.port);
    expect(old).toBeGreaterThanOrEqual(0);
    addon.close(old);
    const reused = addon.bind(LOOPBACK, first.port);
    expect(reused).toBeGreaterThanOrEqual(0);
    expect(reused).not.toBe(old);
    addon.close(old);
    expect(addon.counters(reused, COUNTERS)).toBe(0);
    expect(addon.bind(LOOPBACK, first.port)).toBe(-98);
    addon.close(reused);
    expect(addon.counters(reused, COUNTERS)).toBeLessThan(0);
  });

  it('counts its open sockets', async () => {
    const before = nativeForwarder()?.status().open ?? -1;
    const port = await relayPort();
    expect(nativeForwarder()?.status().open).toBe(before + 1);
    port.socket.close();
    expect(nativeForwarder()?.status().open).toBe(before);
  });
});

/** Counts what the forwarder hands up to the relay's code, per factory. */
function countingFactory(inner: SocketFactory): { factory: SocketFactory; handedUp: () => number } {
  let count = 0;
  const factory: SocketFactory = {
    get openCount() {
      return inner.openCount;
    },
    bind: (address, port, receiver) => inner.bind(address, port, {
      receivePacket: (packet, source) => {
        count++;
        receiver.receivePacket(packet, source);
      },
    }),
  };
  return { factory, handedUp: () => count };
}

function relayTarget(sdp: string): Target {
  const description = describeSdp(sdp);
  if (description instanceof SdpError) throw new Error(description.reason);
  return { address: description.media[0]?.address ?? '', port: description.media[0]?.port ?? 0 };
}

describe.each([false, true])('a relayed call over the native forwarder (kernelSourceFilter %s)', (kernelSourceFilter) => {
  const endpoints: RtpEndpoint[] = [];
  let relay: MediaRelay | undefined;

  afterEach(() => {
    relay?.dispose();
    for (const endpoint of endpoints.splice(0)) endpoint.close();
  });

  it('a stream re-latched by its phone (here by an RTCP packet) stops forwarding the source it had latched first', async () => {
    relay = new MediaRelay({ bindAddress: LOOPBACK, ...randomPortRange(40), kernelSourceFilter, sockets: socketFactory('native') });
    const [a, b, stranger] = [await RtpEndpoint.open(0xa), await RtpEndpoint.open(0xb), await RtpEndpoint.open(0xbad)];
    endpoints.push(a, b, stranger);
    const offer = await relay.offer('call', 'A', endpointSdp(a.port), { toLegId: 'B' });
    const answer = await relay.answer('call', 'B', endpointSdp(b.port));
    if (!offer.ok || !answer.ok) throw new Error('negotiation failed');
    const towardA = relayTarget(answer.sdp);
    // Before the phone sends anything, the first source wins the latch (a phone behind NAT would).
    stranger.start(towardA);
    await waitUntil(() => b.from(0xbad).length >= 5, "the stranger's RTP forwarded");
    // The phone the SDP names speaks up: a receiver report from its own address re-latches the port.
    const report = Buffer.from([0x80, 201, 0x00, 0x01, 0x00, 0x00, 0x00, 0x0a]);
    a.send(towardA, report);
    await new Promise((resolve) => setTimeout(resolve, 200));
    const heard = b.from(0xbad).length;
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(b.from(0xbad).length - heard).toBeLessThanOrEqual(1);
  });

  it('once audio flows it passes the relay code by; key presses still reach it, and the stats count every packet', async () => {
    const counting = countingFactory(socketFactory('native'));
    const digits: string[] = [];
    relay = new MediaRelay({
      bindAddress: LOOPBACK, ...randomPortRange(40), kernelSourceFilter, sockets: counting.factory,
      onDigit: (_callId, legId, digit) => digits.push(`${legId}:${digit}`),
    });
    const [a, b] = [await RtpEndpoint.open(0xa), await RtpEndpoint.open(0xb)];
    endpoints.push(a, b);
    const offer = await relay.offer('call', 'A', endpointSdp(a.port), { toLegId: 'B' });
    const answer = await relay.answer('call', 'B', endpointSdp(b.port));
    if (!offer.ok || !answer.ok) throw new Error('negotiation failed');
    const [towardA, towardB] = [relayTarget(answer.sdp), relayTarget(offer.sdp)];
    a.start(towardA);
    b.start(towardB);
    await waitUntil(() => a.from(0xb).length >= 30 && b.from(0xa).length >= 30, 'audio both ways');
    // The first packet each way goes through the relay code, which then routes the rest.
    expect(counting.handedUp()).toBeLessThan(10);
    const streams = relay.stats('call')?.legs.map((leg) => leg.streams[0]);
    for (const stream of streams ?? []) expect(stream?.packets).toBeGreaterThanOrEqual(30);
    expect(streams?.every((stream) => stream?.lost === 0)).toBe(true);
    a.send(towardA, a.telephoneEvent(7, false, 8000));
    for (let i = 0; i < 3; i++) a.send(towardA, a.telephoneEvent(7, true, 8000));
    await waitUntil(() => digits.length === 1 && b.from(0xa).some((p) => p.payloadType === 101), 'the key press');
    expect(digits).toEqual(['A:7']);
  });
});

/** Binds a forwarder socket and keeps datagrams coming at it from a dgram socket of the same thread. */
const UNDER_TRAFFIC = `
const dgram = require('node:dgram');
module.exports = function underTraffic(addon, then) {
  let port = 0;
  let handle = -1;
  for (let p = 46000; p < 46200 && handle < 0; p++) { handle = addon.bind('127.0.0.1', p); port = p; }
  if (handle < 0) process.exit(3);
  const sender = dgram.createSocket('udp4');
  setInterval(() => { for (let i = 0; i < 50; i++) sender.send(Buffer.alloc(172, 0x80), port, '127.0.0.1'); }, 1);
  setTimeout(() => then(port), 200);
};
`;

/** Runs `script` (CommonJS; ADDON names the addon, TRAFFIC the helper above) in a fresh node. */
function runNode(script: string): Promise<{ code: number | null; signal: NodeJS.Signals | null; output: string }> {
  const addon = forwarderPath();
  if (addon === undefined) throw new Error('the native forwarder is not built');
  const dir = mkdtempSync(join(tmpdir(), 'forwarder-'));
  const traffic = join(dir, 'traffic.cjs');
  writeFileSync(traffic, UNDER_TRAFFIC);
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['-e', script], { env: { ...process.env, ADDON: addon, TRAFFIC: traffic }, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => { output += chunk.toString(); });
    child.stderr.on('data', (chunk: Buffer) => { output += chunk.toString(); });
    child.on('exit', (code, signal) => {
      rmSync(dir, { recursive: true, force: true });
      resolve({ code, signal, output });
    });
  });
}

describe('native forwarder: the process and its threads', () => {
  it('a process that exits while datagrams are still arriving, without closing its sockets, exits cleanly', async () => {
    const result = await runNode(`
      const addon = require(process.env.ADDON);
      addon.start(() => undefined);
      require(process.env.TRAFFIC)(addon, () => process.exit(0));
    `);
    expect(result).toMatchObject({ code: 0, signal: null });
  });

  it('a worker thread that started it and ended leaves nothing running on freed code; the main thread can start it after', async () => {
    const result = await runNode(`
      const dgram = require('node:dgram');
      const { Worker } = require('node:worker_threads');
      const worker = new Worker(\`
        const addon = require(process.env.ADDON);
        addon.start(() => undefined);
        require(process.env.TRAFFIC)(addon, (port) => { require('node:worker_threads').parentPort.postMessage(port); process.exit(0); });
      \`, { eval: true });
      let port = 0;
      worker.on('message', (p) => { port = p; });
      worker.on('exit', () => {
        const sender = dgram.createSocket('udp4');
        for (let i = 0; i < 100; i++) sender.send(Buffer.alloc(172, 0x80), port, '127.0.0.1');
        setTimeout(() => {
          const addon = require(process.env.ADDON);
          console.log('start', addon.start(() => undefined), 'open', addon.status().open);
          process.exit(0);
        }, 200);
      });
    `);
    expect(result).toMatchObject({ code: 0, signal: null });
    expect(result.output).toContain('start 0 open 0');
  });
});
