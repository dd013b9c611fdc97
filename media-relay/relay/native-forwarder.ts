import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { PacketReceiver } from './relay-socket.js';

/**
 * The compiled forwarder (native/forwarder.c). Sockets are numbered; negative numbers are
 * -errno. It reads every socket on a thread of its own, forwards routed RTP there, and hands
 * every other datagram to the callback given to start().
 */
export interface ForwarderAddon {
  start(deliver: (id: number, packet: Buffer, address: string, port: number) => void): number;
  bind(address: string, port: number): number;
  close(id: number): void;
  send(id: number, packet: Buffer, port: number, address: string): number;
  /** Ties the socket to one peer; address '' unties it. */
  connect(id: number, address: string, port: number): number;
  localAddress(id: number): string | undefined;
  /** With one argument, removes the socket's route; returns 1 when a route is set. */
  route(id: number, srcAddress?: string, srcPort?: number, outId?: number, dstAddress?: string, dstPort?: number, divert0?: number, divert1?: number): number;
  track(id: number, ssrc: number, sequence: number): void;
  counters(id: number, out: Float64Array): number;
  status(): { open: number; overflow: number };
}

const ADDON_FILE = join('build', 'relay-forwarder.node');

/** The addon, started once per process; undefined where it was not built or cannot start here. */
let loaded: ForwarderAddon | undefined | null = null;
const receivers = new Map<number, PacketReceiver>();

/** The running forwarder, or undefined (then the relay uses node:dgram). */
export function nativeForwarder(): ForwarderAddon | undefined {
  if (loaded === null) loaded = loadAndStart();
  return loaded;
}

/** Where the build put the addon: the project root is a few levels above this file, in src or dist alike. */
export function forwarderPath(): string | undefined {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let up = 0; up < 5; up++, dir = dirname(dir)) {
    const candidate = join(dir, ADDON_FILE);
    if (existsSync(candidate)) return candidate;
  }
  return undefined;
}

function loadAndStart(): ForwarderAddon | undefined {
  const path = forwarderPath();
  if (path === undefined) return undefined;
  try {
    const addon = createRequire(import.meta.url)(path) as ForwarderAddon;
    return addon.start(deliver) === 0 ? addon : undefined;
  } catch {
    // A build for another Node.js, or a worker thread while the main thread owns it.
    return undefined;
  }
}

function deliver(id: number, packet: Buffer, address: string, port: number): void {
  receivers.get(id)?.receivePacket(packet, { address, port });
}

/** Where datagrams the forwarder hands up for socket `id` go, until `forget`. */
export function listen(id: number, receiver: PacketReceiver): void {
  receivers.set(id, receiver);
}

export function forget(id: number): void {
  receivers.delete(id);
}
