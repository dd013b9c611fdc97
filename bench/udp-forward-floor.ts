/**
 * What forwarding RTP costs node:dgram itself: the least CPU any relay built on it can spend.
 * A forwarder with the media stage's socket layout (per call two RTP sockets, each connected to
 * its phone, plus two idle RTCP sockets) passes every datagram on to the paired socket, doing
 * nothing else; a separate generator process plays the phones (50 pps each way per call,
 * 172-byte G.711 packets, paced evenly). The forwarder's CPU over a steady window, from
 * /proc/PID/stat, divided by the datagrams it received, is the floor per packet; compare it with
 * the switch's and rtpengine's CPU per packet in the media stage (CPU share / packets in per s).
 *
 * usage: node dist/bench/udp-forward-floor.js [calls=600] [seconds=15] [mode=connected|unconnected]
 * env: FLOOR_NODE_FLAGS='--max-semi-space-size=16' (node flags of the forwarder), FLOOR_BASE_PORT (31000)
 */
import { fork } from 'node:child_process';
import { createSocket, type Socket } from 'node:dgram';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const HOST = '127.0.0.1';
const PACKET_BYTES = 172;
const PPS_PER_STREAM = 50;
const WARMUP_MS = 4000;
const BASE_PORT = Number(process.env.FLOOR_BASE_PORT ?? 31000);

/** The forwarder's sockets for stream i are BASE_PORT + 2i (RTP) and + 1 (RTCP, idle); phones sit above them. */
function relayPort(stream: number): number {
  return BASE_PORT + 2 * stream;
}

function phonePort(streams: number, stream: number): number {
  return BASE_PORT + 2 * streams + stream;
}

/** Stream 2c and 2c+1 are the two legs of call c. */
function peerOf(stream: number): number {
  return stream ^ 1;
}

function bind(port: number): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = createSocket('udp4');
    socket.once('error', reject);
    socket.bind(port, HOST, () => resolve(socket));
  });
}

function connect(socket: Socket, port: number): Promise<void> {
  return new Promise((resolve) => socket.connect(port, HOST, resolve));
}

function cpuTicks(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
  return Number(fields[11]) + Number(fields[12]);
}

/** The relay floor: each datagram is sent on, untouched, out of the peer stream's socket. */
async function forwarder(streams: number, connected: boolean): Promise<void> {
  const rtp = await Promise.all(Array.from({ length: streams }, (_, i) => bind(relayPort(i))));
  await Promise.all(Array.from({ length: streams }, (_, i) => bind(relayPort(i) + 1)));
  if (connected) await Promise.all(rtp.map((socket, i) => connect(socket, phonePort(streams, i))));
  let received = 0;
  rtp.forEach((socket, i) => {
    const peer = rtp[peerOf(i)] as Socket;
    const port = phonePort(streams, peerOf(i));
    socket.on('message', connected
      ? (packet: Buffer): void => { received++; peer.send(packet); }
      : (packet: Buffer): void => { received++; peer.send(packet, port, HOST); });
  });
  process.on('message', () => {
    process.send?.({ received });
  });
  process.send?.({ ready: true });
}

/** The phones: one socket each, connected to its relay port, sending paced 172-byte packets. */
async function generator(streams: number): Promise<void> {
  const phones = await Promise.all(Array.from({ length: streams }, (_, i) => bind(phonePort(streams, i))));
  await Promise.all(phones.map((phone, i) => connect(phone, relayPort(i))));
  let received = 0;
  for (const phone of phones) phone.on('message', () => { received++; });
  const packet = Buffer.alloc(PACKET_BYTES);
  packet[0] = 0x80;
  const rate = streams * PPS_PER_STREAM;
  const start = performance.now();
  let sent = 0;
  const tick = (): void => {
    const due = Math.floor(((performance.now() - start) / 1000) * rate);
    for (; sent < due; sent++) (phones[sent % streams] as Socket).send(packet);
    setTimeout(tick, 1);
  };
  tick();
  process.on('message', () => {
    process.send?.({ sent, received });
  });
  process.send?.({ ready: true });
}

interface Counts {
  readonly ready?: boolean;
  readonly sent?: number;
  readonly received?: number;
}

async function main(): Promise<void> {
  const [, , calls = '600', seconds = '15', mode = 'connected'] = process.argv;
  const streams = 2 * Number(calls);
  const self = fileURLToPath(import.meta.url);
  const flags = (process.env.FLOOR_NODE_FLAGS ?? '').split(/\s+/).filter((f) => f !== '');
  const relay = fork(self, ['--role=forwarder', String(streams), mode], { execArgv: flags });
  await nextMessage(relay);
  const phones = fork(self, ['--role=generator', String(streams)]);
  await nextMessage(phones);
  await sleep(WARMUP_MS);
  const ask = async (child: ReturnType<typeof fork>): Promise<Counts> => {
    const answer = nextMessage(child);
    child.send('count');
    return answer;
  };
  const t0 = performance.now();
  const c0 = cpuTicks(relay.pid as number);
  const r0 = await ask(relay);
  const g0 = await ask(phones);
  await sleep(Number(seconds) * 1000);
  const c1 = cpuTicks(relay.pid as number);
  const r1 = await ask(relay);
  const g1 = await ask(phones);
  const wall = (performance.now() - t0) / 1000;
  const cpuS = (c1 - c0) / 100;
  const packets = (r1.received ?? 0) - (r0.received ?? 0);
  const sent = (g1.sent ?? 0) - (g0.sent ?? 0);
  const back = (g1.received ?? 0) - (g0.received ?? 0);
  const gCpu = cpuTicks(phones.pid as number);
  console.log(
    `floor mode=${mode} flags='${flags.join(' ')}' streams=${streams} in_pps=${(packets / wall).toFixed(0)} ` +
    `cpu=${((100 * cpuS) / wall).toFixed(1)}% us_per_packet=${((1e6 * cpuS) / packets).toFixed(2)} ` +
    `sent=${sent} forwarded_back=${back} generator_cpu_total_s=${(gCpu / 100).toFixed(1)}`,
  );
  relay.kill();
  phones.kill();
}

function nextMessage(child: ReturnType<typeof fork>): Promise<Counts> {
  return new Promise((resolve) => child.once('message', (m) => resolve(m as Counts)));
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

const role = process.argv[2];
if (role === '--role=forwarder') void forwarder(Number(process.argv[3]), process.argv[4] !== 'unconnected');
else if (role === '--role=generator') void generator(Number(process.argv[3]));
else void main();
